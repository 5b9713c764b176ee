"""Design warnings, live: what :func:`nnviz.core.lint.lint_run` says about the network being edited.

Each row shows a warning or info mark, where (layer N, the inputs, or the
network), the rule's title and its one-sentence message. Clicking a row
selects its layer, so the stack, the diagram and the inspector all show it.

The lint sees what ``nnviz train`` would: the layers, the training settings
(the loss), the document's data (its task, training rows and input scale) and
the weights now (dead ReLU units on those rows). It runs again at once when
the layers, the settings or the data change; when only the weights change
(every frame of a run, a step, an undo) it runs at most every
:data:`WEIGHTS_DELAY_MS` ms, and less often if it is slow, so that a big
network's checks take a small share of the GUI's time.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...core.lint import RULES, DesignWarning, TrainingRows, lint_run, training_rows
from ..widgets import icons
from ..model.document import Document, Selection
from ..widgets.labels import WrapLabel, make_dim
from ..widgets.theme import dim_color, mix_colors

_ICON = 18
WEIGHTS_DELAY_MS = 250
# When the weights change, the lint may take at most this share of the GUI's time.
WEIGHTS_DUTY = 0.05


def _target(w: DesignWarning) -> int | None:
    """The layer a click on ``w`` selects: its own, the inputs for input warnings, else none."""
    if w.layer is not None:
        return w.layer
    return -1 if w.code == "unscaled-inputs" else None


def _place(w: DesignWarning) -> str:
    if w.layer is not None:
        return QCoreApplication.translate("WarningRow", "Layer {0}").format(w.layer + 1)
    if w.code == "unscaled-inputs":
        return QCoreApplication.translate("WarningRow", "Inputs")
    return QCoreApplication.translate("WarningRow", "Network")


class WarningRow(QFrame):
    """One warning: mark, place and title, then the message (word-wrapped)."""

    clicked = Signal(object)  # the DesignWarning

    def __init__(self, warning: DesignWarning, parent=None):
        super().__init__(parent)
        self.warning = warning
        self.highlighted = False
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        clickable = _target(warning) is not None
        if clickable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 7, 10, 8)
        layout.setSpacing(9)
        mark = QLabel(self)
        mark.setFixedSize(_ICON, _ICON)
        mark.setPixmap(icons.severity_icon(warning.severity).pixmap(_ICON, _ICON))
        mark.setToolTip(self.tr("Warning") if warning.severity == "warning" else self.tr("Note"))
        layout.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        dim = dim_color(self).name()
        self.heading = WrapLabel(f"<b>{_place(warning)}</b>&nbsp;&nbsp;<span style='color:{dim}'>{RULES[warning.code]}</span>", self)
        self.message = WrapLabel(warning.message, self)
        text.addWidget(self.heading)
        text.addWidget(self.message)
        layout.addLayout(text, 1)
        if clickable:
            self.setToolTip(self.tr("Click to select layer {0}").format(warning.layer + 1) if warning.layer is not None
                            else self.tr("Click to select inputs"))

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def mouseReleaseEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.warning)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.warning)
            return
        super().keyPressEvent(event)

    def paintEvent(self, event):
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        color = icons.WARNING_COLOR if self.warning.severity == "warning" else icons.INFO_COLOR
        accent = pal.color(QPalette.ColorRole.Highlight)
        if self.highlighted:
            fill, pen = mix_colors(base, accent, 0.10), QPen(accent, 1.4)
        else:
            hover = self.underMouse() and _target(self.warning) is not None
            fill = mix_colors(base, color, 0.09 if hover else 0.05)
            pen = QPen(mix_colors(base, color, 0.45 if hover else 0.32), 1.0)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(pen)
        p.setBrush(fill)
        p.drawRoundedRect(rect, 6, 6)


class WarningsPanel(QWidget):
    """Live design warnings of ``doc``.

    :attr:`count_changed` is emitted whenever the number of warnings changes,
    and once on the first event-loop pass after construction.
    """

    count_changed = Signal(int)
    warnings_changed = Signal(list)  # the DesignWarnings now, whenever they change

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self._warnings: list[DesignWarning] = []
        self._rows: list[WarningRow] = []
        self._count: int | None = None
        self._rows_for: tuple | None = None  # (data, validation split, seed) that _training_rows was measured on
        self._training_rows: TrainingRows | None = None
        self.cost = 0.0  # seconds the last lint took
        self._weights_timer = QTimer(self)
        self._weights_timer.setSingleShot(True)
        self._weights_timer.timeout.connect(self.refresh)

        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.scroll.setWidget(body)
        self.list_layout = QVBoxLayout(body)
        self.list_layout.setContentsMargins(8, 8, 8, 8)
        self.list_layout.setSpacing(6)

        self.empty = QWidget(body)
        empty_row = QHBoxLayout(self.empty)
        empty_row.setContentsMargins(6, 4, 6, 4)
        empty_row.setSpacing(8)
        tick = QLabel(self.empty)
        tick.setPixmap(icons.check_icon().pixmap(_ICON, _ICON))
        tick.setFixedSize(_ICON, _ICON)
        empty_row.addWidget(tick)
        self.empty_label = make_dim(QLabel(self.tr("No design warnings"), self.empty))
        empty_row.addWidget(self.empty_label, 1)
        self.list_layout.addWidget(self.empty)
        self.list_layout.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)

        for signal in (doc.spec_changed, doc.training_changed, doc.dataset_changed):
            signal.connect(self.refresh)
        doc.params_changed.connect(self._weights_changed)
        doc.selection_changed.connect(self._show_selection)
        self.refresh()
        # Once more after construction, for whoever connects to count_changed right after creating us.
        QTimer.singleShot(0, self, lambda: self.count_changed.emit(self.count()))

    def sizeHint(self):
        return QSize(320, 200)

    # -- public API --------------------------------------------------------------

    def warnings(self) -> list[DesignWarning]:
        """The warnings shown now, in lint's order."""
        return list(self._warnings)

    def count(self) -> int:
        return len(self._warnings)

    def rows(self) -> list[WarningRow]:
        return list(self._rows)

    def refresh(self, *_args) -> None:
        """Lint the document again now; rebuild the rows only if the warnings changed."""
        self._weights_timer.stop()
        start = time.perf_counter()
        doc = self.doc
        found = lint_run(doc.spec, doc.training, self._lint_rows(), doc.network)
        self.cost = time.perf_counter() - start
        if found != self._warnings:
            self._warnings = found
            self._rebuild()
            self.warnings_changed.emit(list(found))
        if self._count != len(found):
            self._count = len(found)
            self.count_changed.emit(len(found))

    # -- internals -------------------------------------------------------------------

    def _weights_changed(self) -> None:
        if not self._weights_timer.isActive():
            self._weights_timer.start(max(WEIGHTS_DELAY_MS, round(1000 * self.cost / WEIGHTS_DUTY)))

    def _lint_rows(self) -> TrainingRows | None:
        """The document's training rows as the lint needs them, measured again only when the data or its split changes."""
        data, cfg = self.doc.data, self.doc.training
        if data is None:
            return None
        key = (data, cfg.val_split, cfg.seed)
        if self._rows_for is None or self._rows_for[0] is not data or self._rows_for[1:] != key[1:]:
            self._rows_for, self._training_rows = key, training_rows(data, cfg)
        return self._training_rows

    def _rebuild(self) -> None:
        for row in self._rows:
            self.list_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self._rows = []
        body = self.scroll.widget()
        for k, w in enumerate(self._warnings):
            row = WarningRow(w, body)
            row.clicked.connect(self._row_clicked)
            self.list_layout.insertWidget(k, row)
            self._rows.append(row)
        self.empty.setVisible(not self._warnings)
        self._show_selection(self.doc.selection)

    def _row_clicked(self, warning: DesignWarning) -> None:
        target = _target(warning)
        if target is not None and self.doc.selection.layer != target:
            self.doc.select(Selection(layer=target))

    def _show_selection(self, selection: Selection) -> None:
        for row in self._rows:
            row.set_highlighted(selection.layer is not None and _target(row.warning) == selection.layer)
