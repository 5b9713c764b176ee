"""The main window: canvas in the middle, palette, layers, inspector and warnings in docks.

It owns the actions (menus, toolbar, shortcuts), the file handling (open,
save, recent files, the unsaved-changes prompt) and the status bar; the
panels themselves only talk to the document.
"""

from __future__ import annotations


import gc
import html
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.counting import count
from ..core.numbers import human_bytes, human_count
from ..core.fileformat import FileFormatError
from ..core.fileformat.embedded import is_figure_path
from ..core.project import Project
from . import dock_layout, settings
from .about import show_about
from .actions import LAYER, TRAINING, make_actions, set_tip, shortcut_groups
from .preferences_dialog import show_preferences
from .window_preferences import WindowPreferences, apply_saved_theme
from .canvas.view import NetworkView
from .model.document import Document
from .io.autosave import Autosaver
from .io.export_dialog import ExportDialog
from .io.torch_export import export_torch_module
from .io.recovery import Recovery
from .io.new_dialog import NewNetworkDialog, example_files, example_title
from .editor.inspector import Inspector
from .editor.layer_stack import LayerStack
from .editor.palette import LayerPalette
from .widgets.live_text import LiveText
from .widgets.redraw import redraw_stale
from .training.controller import TrainingController
from .training.panel import TrainingPanel
from .training.worker import TrainingSession
from .editor.warnings_panel import WarningsPanel
from .lessons.window import add_lessons

FILE_FILTER = QT_TRANSLATE_NOOP("MainWindow", "nnviz networks (*.nnviz);;All files (*)")
# A PNG or SVG figure nnviz exported opens as its network (unsaved: Save asks for a .nnviz name).
OPEN_FILTER = QT_TRANSLATE_NOOP("MainWindow", "nnviz networks and figures (*.nnviz *.png *.svg);;nnviz networks (*.nnviz);;"
                                "All files (*)")
APP_TITLE = "nnviz"



class MainWindow(QMainWindow):
    def __init__(self, doc: Document | None = None):
        super().__init__()
        apply_saved_theme()  # before any widget is made: a forced theme is there from the first paint
        self.doc = doc or Document(parent=self)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)

        self.controller = TrainingController(self.doc, TrainingSession(self), self)
        self.autosave = Autosaver(self.doc, self)  # unsaved changes outlive a crash (io/autosave.py)
        self.recovery = Recovery(self)
        self.view = NetworkView(self.doc, run=self.controller.run)
        self.setCentralWidget(self.view)
        self.palette = LayerPalette(self.doc)
        self.actions_ = make_actions(self)
        self.layer_stack = LayerStack(self.doc, {name: self.actions_[name] for name in LAYER})
        self.inspector = Inspector(self.doc)
        self.warnings = WarningsPanel(self.doc)
        self.training = TrainingPanel(self.doc, self.controller, {name: self.actions_[name] for name in TRAINING})
        # The plots and the boundary need pyqtgraph, whose import costs about half a
        # second: they are built just after the window first shows (see showEvent).
        self.plots = self.boundary = self.timeline = self.hidden_space = None
        self.view.viewport().installEventFilter(self)
        self.docks = {
            "Palette": self._dock(self.tr("Layers palette"), "Palette", self.palette),
            "Layers": self._dock(self.tr("Network layers"), "Layers", self.layer_stack),
            "Training": self._dock(self.tr("Training"), "Training", self.training),
            "Inspector": self._dock(self.tr("Inspector"), "Inspector", self.inspector),
            "Boundary": self._dock(self.tr("Decision boundary"), "Boundary", QWidget()),
            "HiddenSpace": self._dock(self.tr("Hidden space"), "HiddenSpace", QWidget()),  # View ▸ Show: a tab by the boundary
            "Plots": self._dock(self.tr("Training plots"), "Plots", QWidget()),
            "Warnings": self._dock(self.tr("Design warnings"), "Warnings", self.warnings),
        }
        self.controller.run.state_changed.connect(self._training_state)
        # Step shows one forward pass flowing left to right, then its backward pulse.
        self.training.actionStep.triggered.connect(self.view.scene().pulse.animate_step)
        self.training.sig_status.connect(lambda message: self.statusBar().showMessage(message, 8000))
        self.controller.sig_status.connect(lambda message: self.statusBar().showMessage(message, 8000))
        # The side docks own the bottom corners, so the plots sit under the canvas only.
        self.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
        self.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
        self.palette.sig_status.connect(lambda message: self.statusBar().showMessage(message, 5000))
        self.autosave.sig_status.connect(lambda message: self.statusBar().showMessage(message, 15000))
        self.doc.edit_refused.connect(self._edit_refused)
        self.memory_box: QMessageBox | None = None

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_status_bar()
        self.lessons = add_lessons(self)  # after the menus it adds to; before the layout is restored

        self.doc.spec_changed.connect(self._update_status)
        self.doc.dirty_changed.connect(self._update_title)
        self.doc.path_changed.connect(self._update_title)
        self._update_status()
        self._update_title()
        dock_layout.arrange(self, self.docks)
        self._restore_layout()

    # -- construction ----------------------------------------------------------

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock{name}")
        dock.setWidget(widget)
        self.addDockWidget(dock_layout.DEFAULT_AREAS[name], dock)
        # A dock whose tab is chosen is moved into sight, not shown: its views catch up here.
        dock.visibilityChanged.connect(lambda visible: visible and QTimer.singleShot(0, lambda: redraw_stale(dock)))
        return dock

    def _make_actions(self):
        acts = self.actions_
        slots = {
            "New": self.new_file, "Open": self.open_dialog, "Recover": self.recovery.show_dialog,
            "Save": self.save, "SaveAs": self.save_as,
            "ExportImage": self.export_image, "ExportTorch": self.export_torch, "Quit": self.close,
            "Undo": self.doc.undo_stack.undo, "Redo": self.doc.undo_stack.redo,
            "ZoomIn": self.view.zoom_in, "ZoomOut": self.view.zoom_out, "Fit": self.view.fit,
            "ColorByGradients": lambda on: self.view.scene().set_color_mode("gradients" if on else "weights"),
            "NeuronHeatmaps": self._set_neuron_heatmaps, "Preferences": lambda: show_preferences(self),
            "Shortcuts": self.show_shortcuts, "About": lambda: show_about(self),
            "AboutQt": lambda: QMessageBox.aboutQt(self, self.tr("About Qt")), "ResetLayout": self.reset_layout,
        }
        for name, slot in slots.items():
            acts[name].triggered.connect(slot)
        stack = self.doc.undo_stack
        for name, can_changed, text_changed in (("Undo", stack.canUndoChanged, stack.undoTextChanged),
                                                ("Redo", stack.canRedoChanged, stack.redoTextChanged)):
            can_changed.connect(acts[name].setEnabled)
            text_changed.connect(lambda text, n=name: self._describe_undo(n, text))
        self._describe_undo("Undo", stack.undoText())
        self._describe_undo("Redo", stack.redoText())
        acts["Undo"].setEnabled(stack.canUndo())
        acts["Redo"].setEnabled(stack.canRedo())
        for name, dock in self.docks.items():
            if name in dock_layout.ON_DEMAND:  # an action of its own: tabbed before it shows, or it takes a column
                dock.toggleViewAction().toggled.connect(acts[f"Show{name}"].setChecked)  # its close button too
                acts[f"Show{name}"].triggered.connect(lambda on, n=name: dock_layout.show_on_demand(self, self.docks, n, on))
                continue
            toggle = dock.toggleViewAction()
            toggle.setObjectName(f"actionShow{name}")
            toggle.setText(self.tr("Show {0}").format(dock.windowTitle()))
            acts[f"Show{name}"] = toggle
        acts["NeuronHeatmaps"].setChecked(settings.neuron_heatmaps())
        self.view.scene().heatmap_refresh.set_enabled(acts["NeuronHeatmaps"].isChecked())
        # The theme, the weights' colours (View toggle), the pulse (View toggle) and the training speed,
        # from the preferences, and again whenever they change.
        self.preferences = WindowPreferences(self)

    def _describe_undo(self, name: str, text: str) -> None:
        # The button keeps its short text (the toolbar must not jump); the tooltip says what it undoes.
        what = f"{text[:1].lower()}{text[1:]}"
        if name == "Undo":
            tip = self.tr("Undo {0}").format(what) if text else self.tr("Nothing to undo")
        else:
            tip = self.tr("Redo {0}").format(what) if text else self.tr("Nothing to redo")
        set_tip(self.actions_[name], tip)

    def _make_menus(self):
        bar = self.menuBar()
        acts = self.actions_
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([acts["New"], acts["Open"]])
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        self.recent_menu.setObjectName("menuRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(acts["Recover"])
        examples = file_menu.addMenu(self.tr("E&xamples"))
        examples.setObjectName("menuExamples")
        for path in example_files():
            act = QAction(example_title(path), self)  # a file name: not translated
            act.setObjectName(f"actionExample_{path.stem}")
            act.setStatusTip(self.tr("Open the example {0}").format(path.name))
            act.triggered.connect(lambda checked=False, p=path: self.open_file(p, remember=False))
            examples.addAction(act)
        file_menu.addSeparator()
        file_menu.addActions([acts["Save"], acts["SaveAs"], acts["SaveTimeline"]])
        file_menu.aboutToShow.connect(self._describe_timeline)
        acts["SaveTimeline"].toggled.connect(self._keep_timeline)
        self.doc.replaced.connect(self._describe_timeline)
        file_menu.addSeparator()
        file_menu.addActions([acts["ExportImage"], acts["ExportTorch"]])
        file_menu.addSeparator()
        file_menu.addAction(acts["Quit"])

        edit = bar.addMenu(self.tr("&Edit"))
        edit.addActions([acts["Undo"], acts["Redo"]])
        edit.addSeparator()
        edit.addActions([acts[name] for name in LAYER])
        edit.addSeparator()
        edit.addAction(acts["Preferences"])

        training = bar.addMenu(self.tr("&Training"))
        training.addActions([acts[name] for name in TRAINING[:4]])
        training.addSeparator()
        training.addActions([acts[name] for name in TRAINING[4:]])

        view = self.view_menu = bar.addMenu(self.tr("&View"))
        view.addActions([acts["ZoomIn"], acts["ZoomOut"], acts["Fit"]])
        view.addSeparator()
        view.addActions([acts[f"Show{name}"] for name in self.docks])
        view.addAction(acts["ResetLayout"])
        view.addSeparator()
        view.addActions([acts["ColorByGradients"], acts["AnimateGradientFlow"], acts["NeuronHeatmaps"], acts["ColorBlindColors"]])

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addActions([acts["Shortcuts"], acts["About"], acts["AboutQt"]])

    def _make_toolbar(self):
        bar = self.addToolBar(self.tr("Main"))
        bar.setObjectName("toolbarMain")
        # Icons with tooltips keep the bar short enough for a 1024-pixel screen; the training
        # controls, the ones a newcomer looks for, keep their words beside the icon.
        bar.setToolButtonStyle(Qt.ToolButtonIconOnly)
        bar.setMovable(False)
        toggle = bar.toggleViewAction()
        toggle.setObjectName("actionShowToolbar")
        toggle.setText(self.tr("Show Toolbar"))
        self.view_menu.insertAction(self.actions_["ColorBlindColors"], toggle)
        acts = self.actions_
        for name in ("New", "Open", "Save", None, "Undo", "Redo", None, "ZoomIn", "ZoomOut", "Fit", None, "ExportImage", None):
            if name is None:
                bar.addSeparator()
            else:
                bar.addAction(acts[name])
        bar.addActions([acts[name] for name in TRAINING])
        for name in TRAINING[:4]:
            bar.widgetForAction(acts[name]).setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        train = bar.widgetForAction(acts["Train"])
        # As wide as its longest text, so Step and Reset stay put when Train becomes Pause or Resume.
        widths = [train.fontMetrics().size(Qt.TextShowMnemonic, t).width()
                  for t in (train.text(), self.tr("Pause"), self.tr("Resume"))]
        train.setMinimumWidth(train.sizeHint().width() - train.fontMetrics().size(Qt.TextShowMnemonic, train.text()).width()
                              + max(widths))

    def _make_status_bar(self):
        self.live_label = LiveText(self.tr("Epoch 10,000 · loss 0.0000 / 0.0000 · accuracy 100.0 % / 100.0 %"),
                                   name=self.tr("Training progress"))
        self.live_label.setObjectName("liveLabel")
        self.live_label.setToolTip(self.tr("The training run: epoch, training / validation loss and accuracy, steps per second"))
        self.statusBar().addPermanentWidget(self.live_label, 1)
        self.training.sig_live.connect(self.live_label.setText)
        self.warnings_button = QToolButton()
        self.warnings_button.setObjectName("warningsButton")
        self.warnings_button.setAutoRaise(True)
        self.warnings_button.setToolTip(
            self.tr("Show the design warnings: what in this network will make it hard to train, and why"))
        self.warnings_button.clicked.connect(self.show_warnings)
        self.statusBar().addPermanentWidget(self.warnings_button)
        self.warnings.count_changed.connect(self._warnings_count)
        self.warnings.warnings_changed.connect(self.layer_stack.show_warnings)
        self.layer_stack.show_warnings(self.warnings.warnings())
        self._warnings_count(self.warnings.count())
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.counts_label.setToolTip(
            self.tr("Trainable parameters, their memory as float32, and multiply-adds for one forward pass"))
        self.statusBar().addPermanentWidget(self.counts_label)

    # -- state shown -------------------------------------------------------------

    def _update_status(self):
        c = count(self.doc.spec)
        self.counts_label.setText(self.tr("{0} parameters · {1} (float32) · {2} multiply-adds").format(
            f"{c.params:,}", human_bytes(c.memory_bytes(4)), human_count(c.macs)))

    def _update_title(self, *_):
        dot = "• " if self.doc.dirty else ""
        self.setWindowTitle(f"{dot}{self.doc.title} — {APP_TITLE}")

    def _training_state(self, state: str):
        if state == "running":
            self.docks["Plots"].raise_()  # show the curves when a run starts
            self.autosave.save_now()  # a run may be what crashes: its starting point is kept

    def _warnings_count(self, n: int):
        self.docks["Warnings"].setWindowTitle(self.tr("Design warnings ({0})").format(n) if n else self.tr("Design warnings"))
        self.warnings_button.setText(self.tr("⚠ {0} design warning").format(n) if n == 1
                                     else self.tr("⚠ {0} design warnings").format(n))
        self.warnings_button.setVisible(n > 0)

    def show_warnings(self) -> None:
        """Bring the design warnings' list into sight (the status bar's count asks for it): a tab beside the plots."""
        dock_layout.show_on_demand(self, self.docks, "Warnings")

    def _set_neuron_heatmaps(self, on: bool):
        self.view.scene().heatmap_refresh.set_enabled(on)
        settings.set_neuron_heatmaps(on)

    def _set_color_scheme(self, colorblind: bool):
        """Draw the weights in the colour-blind-safe scheme or the classic one (the preference changed)."""
        name = "colorblind" if colorblind else "classic"
        self.view.scene().set_color_scheme(name)
        self.inspector.set_color_scheme(name)
        if self.boundary is not None:
            self.boundary.set_color_scheme(name)
            self.hidden_space.set_color_scheme(name)

    # -- files -------------------------------------------------------------------

    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel if there are unsaved changes; ``True`` to go on."""
        if not self.doc.dirty:
            return True
        answer = QMessageBox.warning(
            self,
            self.tr("Unsaved changes"),
            self.tr("“{0}” has changes that are not saved.\nSave them before going on?").format(self.doc.title),
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel,
            QMessageBox.Save,
        )
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def new_file(self):
        """File ▸ New…: the choice comes first (cancelling it costs nothing), then the unsaved-changes prompt."""
        # open(), not exec(): the window stays responsive, and tests drive the dialog as a person would.
        dialog = self.new_dialog = NewNetworkDialog(self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._new_from(dialog))
        dialog.open()

    def _new_from(self, dialog: NewNetworkDialog) -> None:
        try:
            project = dialog.project()
        except FileFormatError as exc:
            QMessageBox.critical(self, self.tr("Cannot use the example"),
                                 self.tr("{0}\n\nThe network that was open is unchanged.").format(exc))
            return
        if self.maybe_save():
            self.doc.new(project)
            self.view.fit()

    def open_dialog(self):
        if not self.maybe_save():
            return
        start = str(self.doc.path.parent) if self.doc.path else settings.value("lastFolder", str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open network"), start,
                                              QCoreApplication.translate("MainWindow", OPEN_FILTER))
        if path:
            self.open_file(path, ask=False)

    def open_file(self, path, *, ask: bool = True, remember: bool = True) -> bool:
        """Open ``path``; on failure say why and keep the open network as it was."""
        if ask and not self.maybe_save():
            return False
        try:
            project = Project.load(path)
        except (FileFormatError, MemoryError) as exc:  # built whole first: the open document is untouched
            why = exc if isinstance(exc, FileFormatError) else self.tr("there is not enough memory to read it")
            QMessageBox.critical(self, self.tr("Cannot open file"),
                                 self.tr("{0} could not be opened:\n\n{1}\n\nThe network that was open is unchanged.")
                                 .format(Path(path).name, why))
            return False
        if not remember:  # an example opens as a new, unsaved network: Save asks where
            project.path = None
        self.doc.new(project)
        if remember:
            settings.add_recent_file(path)
            settings.remember_folder(path)
        self.statusBar().showMessage(self.tr("Opened {0}").format(Path(path).name), 4000)
        self.view.fit()
        return True

    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as()
        return self._write(self.doc.path)

    def save_as(self) -> bool:
        start = str(self.doc.path) if self.doc.path else str(Path(settings.value("lastFolder", str(Path.home()))) / f"{self.doc.title}.nnviz")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save network"), start,
                                              QCoreApplication.translate("MainWindow", FILE_FILTER))
        if not path:
            return False
        if not path.endswith(".nnviz"):
            path += ".nnviz"
        return self._write(Path(path))

    def _write(self, path: Path) -> bool:
        try:
            self.doc.save(path)
        except (OSError, FileFormatError) as exc:
            QMessageBox.critical(self, self.tr("Cannot save"),
                                 self.tr("Could not write {0}:\n{1}\n\nNothing was changed on disk.")
                                 .format(path, getattr(exc, "strerror", None) or exc))
            return False
        settings.add_recent_file(path)
        settings.remember_folder(path)
        self.statusBar().showMessage(self.tr("Saved {0}").format(path.name), 4000)
        return True

    def _describe_timeline(self):
        """The timeline option says what it would add to the file, before saving."""
        project, act = self.doc.project, self.actions_["SaveTimeline"]
        blocked = act.blockSignals(True)
        act.setChecked(project.save_timeline)
        act.blockSignals(blocked)
        kept = len(project.keyframes)
        act.setText(self.tr("Keep the Timeline in the File ({0} epochs, about {1})")
                    .format(f"{kept:,}", human_bytes(project.timeline_bytes()))
                    if kept else self.tr("Keep the Timeline in the File (nothing kept yet)"))

    def _keep_timeline(self, on: bool):
        self.doc.project.save_timeline = on
        if on:
            self.statusBar().showMessage(self.tr("Saving will write the timeline into the file: about {0} more.")
                                         .format(human_bytes(self.doc.project.timeline_bytes())), 8000)

    def _fill_recent_menu(self):
        self.recent_menu.clear()
        recent = settings.recent_files()
        for i, path in enumerate(recent):
            act = self.recent_menu.addAction(path.name)
            act.setObjectName(f"actionRecentFile{i + 1}")
            act.setToolTip(str(path))
            act.setStatusTip(str(path))
            act.triggered.connect(lambda checked=False, p=path: self.open_file(p))
        if not recent:
            empty = self.recent_menu.addAction(self.tr("No recent files"))
            empty.setObjectName("actionNoRecentFiles")
            empty.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("Clear Recent Files"), settings.clear_recent_files).setObjectName("actionClearRecentFiles")

    def export_image(self):
        path = ExportDialog.run(self.doc, self)
        if path:
            self.statusBar().showMessage(self.tr("Exported {0}").format(Path(path).name), 4000)

    def export_torch(self):
        written = export_torch_module(self.doc, self)
        if written:
            names = [p.name for p in written]  # the .py, and a .npz beside it for a large network
            message = (self.tr("Exported {0} and {1}").format(*names) if len(names) == 2
                       else self.tr("Exported {0}").format(", ".join(names)))
            self.statusBar().showMessage(message, 4000)

    # -- help ----------------------------------------------------------------------

    def show_shortcuts(self):
        parts = ["<table cellpadding=3>"]
        for menu, rows in shortcut_groups(self):
            parts.append(f"<tr><td colspan=2><br><b>{html.escape(menu)}</b></td></tr>")
            parts.extend(f"<tr><td>{html.escape(text)}</td><td><b>{html.escape(keys)}</b></td></tr>" for text, keys in rows)
        parts.append("</table>")
        box = self.shortcuts_dialog = QMessageBox(self)
        box.setObjectName("shortcutsDialog")
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.setWindowTitle(self.tr("Keyboard shortcuts"))
        box.setTextFormat(Qt.RichText)
        box.setText("".join(parts))
        box.open()

    # -- window events -------------------------------------------------------------

    def _restore_layout(self):
        geometry = settings.value("window/geometry", QByteArray())
        if geometry:
            self.restoreGeometry(geometry)
        else:
            screen = self.screen().availableGeometry()
            # 1440×900 where it fits; most of a bigger screen.
            self.resize(max(min(1440, screen.width()), screen.width() * 85 // 100),
                        max(min(900, screen.height()), screen.height() * 85 // 100))
        state = settings.value("window/state", QByteArray())
        if not (state and self.restoreState(state)):
            self.reset_layout()

    def reset_layout(self) -> None:
        """Every dock back in its place and sized for the window (first launch, and View > Reset Layout)."""
        dock_layout.reset(self, self.docks)

    def eventFilter(self, watched, event):
        # After the canvas's first paint: the window is up, the slower docks can come.
        if event.type() == QEvent.Type.Paint and watched is self.view.viewport() and self.plots is None:
            self.view.viewport().removeEventFilter(self)
            QTimer.singleShot(0, self.build_training_views)
            QTimer.singleShot(0, self.recovery.offer)  # changes a crash left behind
        return False

    def build_training_views(self) -> None:
        """Create the plots and decision-boundary docks' contents (once)."""
        if self.plots is not None:
            return
        from .training.boundary import BoundaryView
        from .training.hidden_space import HiddenSpaceView
        from .training.plots import TrainingPlots
        from .training.timeline_bar import TimelineBar

        self.plots = TrainingPlots(self.doc)
        self.boundary = BoundaryView(self.doc)
        self.timeline = TimelineBar(self.doc, self.controller)
        under_plots = QWidget()
        column = QVBoxLayout(under_plots)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.plots, 1)
        column.addWidget(self.timeline)
        self.docks["Plots"].setWidget(under_plots)
        self.docks["Boundary"].setWidget(self.boundary)
        self.hidden_space = HiddenSpaceView(self.doc)
        self.docks["HiddenSpace"].setWidget(self.hidden_space)
        for view in (self.boundary, self.hidden_space):
            view.set_color_scheme("colorblind" if self.actions_["ColorBlindColors"].isChecked() else "classic")
        # The window is built: its tens of thousands of long-lived objects (Qt wrappers,
        # pyqtgraph) need not be walked by every full garbage collection, a stall of tens of
        # milliseconds while the views move. Frozen, they are left out.
        gc.collect()
        gc.freeze()

    def _edit_refused(self, message: str) -> None:
        """An edit too big for memory: say so in a box (one, reused) and in the status bar; nothing changed."""
        self.statusBar().showMessage(message, 15000)
        if self.memory_box is None:
            self.memory_box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Network too large"), "",
                                          QMessageBox.StandardButton.Ok, self)
        self.memory_box.setText(message)
        self.memory_box.open()  # window-modal, without a nested event loop: typing goes on after OK

    def closeEvent(self, event):
        if not self.maybe_save():
            event.ignore()
            return
        self.controller.shutdown()  # ends a run and its thread before the window goes
        self.preferences.stop()  # a closed window follows no more preference changes
        self.autosave.remove()  # saved or discarded: nothing to recover
        settings.set_value("window/geometry", self.saveGeometry())
        settings.set_value("window/state", self.saveState())
        event.accept()

    def dragEnterEvent(self, event):
        if _nnviz_urls(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event):
        paths = _nnviz_urls(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.open_file(paths[0])


def _nnviz_urls(mime) -> list[Path]:
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls()
            if u.isLocalFile() and (u.toLocalFile().endswith(".nnviz") or is_figure_path(u.toLocalFile()))]
