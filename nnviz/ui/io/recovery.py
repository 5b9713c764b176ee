"""Getting back the unsaved changes a crash left behind (see :mod:`.autosave`).

At launch the window offers the newest one: Restore, Later (File ▸ Recover…
keeps listing it) or Discard. A restored network comes back as it was when
autosaved: unsaved, under the name of its own file, so Save writes there.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from ...core.fileformat import FileFormatError
from .autosave import Leftover, leftovers


class Recovery(QObject):
    """The window's side of recovery: the launch offer, File ▸ Recover…, restoring and discarding."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.box: QMessageBox | None = None  # the launch offer, while it is open
        self.dialog: RecoverDialog | None = None

    def kept(self) -> list[Leftover]:
        """The autosaves left behind that could be restored, newest first."""
        return leftovers(self.window.autosave.folder)

    def offer(self) -> None:
        """At launch: if a crash left unsaved changes behind, offer the newest back (not modal: the window works)."""
        kept = self.kept()
        if not kept:
            return
        leftover, others = kept[0], len(kept) - 1
        box = self.box = QMessageBox(self.window)
        box.setObjectName("recoveryBox")
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Recover unsaved changes"))
        box.setText(self.tr("nnviz closed without saving the changes to “{0}”.").format(leftover.title))
        if others == 1:
            more = "\n\n" + self.tr("1 more autosaved network is listed in File ▸ Recover…")
        elif others:
            more = "\n\n" + self.tr("{0} more autosaved networks are listed in File ▸ Recover…").format(others)
        else:
            more = ""
        when = leftover.time.strftime(self.tr("%H:%M on %d %b %Y"))
        box.setInformativeText(
            self.tr("They were autosaved at {0}. Restore them now, find them later in "
                    "File ▸ Recover…, or discard them for good.").format(when) + more
        )
        buttons = {
            box.addButton(self.tr("Restore"), QMessageBox.ButtonRole.AcceptRole): self.restore,
            box.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole): None,
            box.addButton(self.tr("Discard"), QMessageBox.ButtonRole.DestructiveRole): self.discard,
        }
        for button, name in zip(buttons, ("Restore", "Later", "Discard")):
            button.setObjectName(f"recovery{name}")
        box.setDefaultButton(next(iter(buttons)))
        box.buttonClicked.connect(lambda button: self._answered(buttons.get(button), leftover))
        box.open()

    def _answered(self, act, leftover: Leftover) -> None:
        self.box = None
        if act is not None:
            act(leftover)

    def restore(self, leftover: Leftover) -> bool:
        """Open ``leftover`` as an unsaved document; on failure say why, keep it, and leave the open network as it was."""
        win = self.window
        try:  # read first: a damaged autosave costs no question about the open network
            project = leftover.load()
        except (FileFormatError, MemoryError) as exc:
            why = str(exc) if isinstance(exc, FileFormatError) else self.tr("there is not enough memory to open it")
            QMessageBox.critical(win, self.tr("Cannot restore"),
                                 self.tr("The autosaved changes to {0} could not be read:\n\n{1}\n\nThe network that "
                                         "was open is unchanged; the autosave {2} is kept.")
                                 .format(leftover.title, why, leftover.file))
            return False
        if not win.maybe_save():
            return False
        win.doc.new(project, unsaved=True)
        # The window's own autosave takes over before the old one goes: nothing is lost between.
        win.autosave.save_now()
        win.autosave.wait()
        leftover.remove()
        win.statusBar().showMessage(self.tr("Restored the unsaved changes to {0}").format(leftover.title), 8000)
        win.view.fit()
        return True

    def discard(self, leftover: Leftover) -> None:
        leftover.remove()
        self.window.statusBar().showMessage(self.tr("Discarded the autosaved changes to {0}").format(leftover.title), 8000)

    def show_dialog(self) -> None:
        """File ▸ Recover…: every autosave left behind, to restore or discard."""
        dialog = self.dialog = RecoverDialog(self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: setattr(self, "dialog", None))
        dialog.open()


class RecoverDialog(QDialog):
    """The list behind File ▸ Recover…."""

    def __init__(self, recovery: Recovery):
        super().__init__(recovery.window)
        self.recovery = recovery
        self.setObjectName("recoverDialog")
        self.setWindowTitle(self.tr("Recover unsaved changes"))
        layout = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        self.list = QListWidget()
        self.list.setObjectName("recoverList")
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.setObjectName("recoverRestore")
        self.discard_button = QPushButton(self.tr("Discard"))
        self.discard_button.setObjectName("recoverDiscard")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._restore)
        self.discard_button.clicked.connect(self._discard)
        self.list.itemDoubleClicked.connect(lambda item: self._restore())
        self.list.currentItemChanged.connect(self._enable)
        layout.addWidget(buttons)
        self.resize(520, 280)
        self.fill()

    def fill(self) -> None:
        self.list.clear()
        kept = self.recovery.kept()
        for leftover in kept:
            item = QListWidgetItem(leftover.describe())
            item.setData(Qt.ItemDataRole.UserRole, leftover)
            item.setToolTip(str(leftover.file))
            self.list.addItem(item)
        self.label.setText(
            self.tr("Unsaved changes that nnviz kept when it closed without saving them:") if kept
            else self.tr("Nothing to recover: every change autosaved was saved or discarded.")
        )
        if kept:
            self.list.setCurrentRow(0)
        self._enable()

    def _selected(self) -> Leftover | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _enable(self, *_) -> None:
        on = self._selected() is not None
        self.restore_button.setEnabled(on)
        self.discard_button.setEnabled(on)

    def _restore(self) -> None:
        leftover = self._selected()
        if leftover is not None and self.recovery.restore(leftover):
            self.accept()

    def _discard(self) -> None:
        leftover = self._selected()
        if leftover is not None:
            self.recovery.discard(leftover)
            self.fill()
