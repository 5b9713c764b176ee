"""One card of the layer stack.

A card shows one layer (or the inputs): a grip to drag it by, its icon, its
name and place, its shape and parameter count, and in-place editors for its
main settings. It never edits the document itself: it emits :attr:`edited`
with the new layer spec, and the stack turns that into an undoable command.
"""

from __future__ import annotations

import html

from dataclasses import replace

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QDrag, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ...core.numbers import human_bytes, percent
from ...core.spec import DenseSpec
from ..widgets import icons
from ..widgets.inputs import set_spin_value
from ..widgets.labels import fit_widest_item, make_dim
from ..widgets.theme import dim_color, mix_colors
from . import mime
from .layer_editors import make_activation_combo, make_rate_spin, make_units_spin, set_combo_value, show_units_cost
from .layer_names import ALIASES, kind_name


# -- the card ---------------------------------------------------------------


class _Grip(QWidget):
    """Six dots to drag a card by."""

    def __init__(self, card: "LayerCard"):
        super().__init__(card)
        self.card = card
        self.setFixedSize(12, 26)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setToolTip(self.tr("Drag to move this layer"))

    def paintEvent(self, event):
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(dim_color(self))
        for row in range(3):
            for col in range(2):
                p.drawEllipse(QPointF(3.5 + col * 5.0, 8.0 + row * 5.0), 1.3, 1.3)


class LayerCard(QFrame):
    """A card for layer ``index`` of the spec, or for the inputs (``kind == "input"``, index -1)."""

    # Editors sit under the title, past grip and icon; in a narrow dock, under the icon.
    WIDE_INDENT = 12 + 6 + 22 + 6
    NARROW_INDENT = 12 + 6
    NARROW_BELOW = 300

    clicked = Signal(int)  # index; -1 for the input card
    edited = Signal(int, object)  # index, the new layer spec
    inputs_edited = Signal(int)  # new input width (input card only)
    menu_requested = Signal(int, QPoint)  # index, global position

    def __init__(self, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self.index = -1
        self.layer = None
        self.fan_in = 0
        self.selected = False
        self._press_pos: QPoint | None = None
        self._dragging = False
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)

        outer = QVBoxLayout(self)
        # No minimum from the layout: minimumSizeHint() below says how narrow the card can go,
        # switching the editors to the narrow indent on the way.
        outer.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        outer.setContentsMargins(9, 7, 10, 8)
        outer.setSpacing(5)

        header = QHBoxLayout()
        header.setSpacing(6)
        self.header = header
        self.grip = _Grip(self) if kind != "input" else None
        if self.grip:
            header.addWidget(self.grip)
        else:
            header.addSpacing(12)
        self.icon_label = QLabel(self)
        self.icon_label.setFixedSize(22, 22)
        icon = icons.kind_icon(kind) if kind != "dense" else icons.activation_icon("relu")
        self.icon_label.setPixmap(icon.pixmap(22, 22))
        header.addWidget(self.icon_label)
        self.title_label = QLabel(self)
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        header.addWidget(self.title_label)
        self.badge = QLabel(self.tr("output"), self)
        self.badge.setObjectName("outputBadge")
        self.badge.setToolTip(self.tr("The output layer: its activation is the network's answer."))
        self._style_badge()
        self.badge.hide()
        header.addWidget(self.badge)
        # The design warnings that concern this layer: a sign on the card, the words in its tooltip.
        self.warning_badge = QLabel("⚠", self)
        self.warning_badge.setObjectName("warningBadge")
        self.warning_badge.setStyleSheet("color: #b26a00; font-weight: bold;")
        self.warning_badge.hide()
        header.addWidget(self.warning_badge)
        # The whole count, never "2,001 p…": the card (and the stack's narrowest width) makes room.
        self.info_label = make_dim(QLabel(self))
        self.info_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.info_label, 1)
        outer.addLayout(header)

        self.editors = QHBoxLayout()
        self.editors.setContentsMargins(self.WIDE_INDENT, 0, 0, 0)
        self.editors.setSpacing(6)
        outer.addLayout(self.editors)

        self.units_spin = self.rate_spin = self.activation_combo = self.inputs_spin = None
        if kind == "dense":
            self.units_spin = make_units_spin(self)
            self.units_spin.set_noun(self.tr("unit"), self.tr("units"))
            self.units_spin.valueChanged.connect(self._units_changed)
            self._add_editor(None, self.units_spin, 104)
            self.activation_combo = make_activation_combo(self)
            self.activation_combo.activated.connect(self._activation_chosen)
            self._add_editor(None, self.activation_combo, 0)
            self.editors.addStretch(0)
        elif kind == "dropout":
            self.rate_spin = make_rate_spin(self)
            self.rate_spin.valueChanged.connect(self._rate_changed)
            self._add_editor(self.tr("Rate"), self.rate_spin, 66)
            self.editors.addStretch(1)
            # On a line of its own under the rate: beside it, a narrow card cut it to "drops 50% in tr…".
            self.rate_note = make_dim(QLabel(self))
            self.notes = QHBoxLayout()
            self.notes.setContentsMargins(self.WIDE_INDENT, 0, 0, 0)
            self.notes.addWidget(self.rate_note, 1)
            outer.addLayout(self.notes)
        elif kind == "batchnorm":
            self.activation_combo = make_activation_combo(self)
            self.activation_combo.activated.connect(self._activation_chosen)
            self._add_editor(self.tr("then"), self.activation_combo, 0)
            self.editors.addStretch(0)
        else:
            self.inputs_spin = make_units_spin(self)
            self.inputs_spin.setToolTip(self.tr("How many numbers go into the network: one per input feature."))
            self.inputs_spin.setProperty("counts_features", True)  # its range message speaks of features
            self.inputs_spin.set_noun(self.tr("feature"), self.tr("features"))
            self.inputs_spin.setAccessibleName(self.tr("Input features"))
            self.inputs_spin.valueChanged.connect(self.inputs_edited)
            self._add_editor(None, self.inputs_spin, 120)
            self.editors.addStretch(1)
        for editor in (self.units_spin, self.rate_spin, self.activation_combo, self.inputs_spin):
            if editor is not None:
                editor.installEventFilter(self)
                for child in editor.findChildren(QWidget):
                    child.installEventFilter(self)
        if kind == "input":
            self.set_inputs(1)

    def _add_editor(self, caption: str | None, editor: QWidget, width: int) -> None:
        if caption:
            label = make_dim(QLabel(caption, self))
            label.setBuddy(editor)
            self.editors.addWidget(label)
        if width:
            editor.setFixedWidth(width)
            self.editors.addWidget(editor)
            self.editors.addSpacing(4)
        else:
            editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            editor.setMaximumWidth(220)
            fit_widest_item(editor)  # "sigmoid", not "sigmoic", whatever the card's width
            self.editors.addWidget(editor, 1)

    def _style_badge(self) -> None:
        color = icons.kind_color("dense")
        self.badge.setStyleSheet(
            f"QLabel#outputBadge {{ color: {color.name()}; border: 1px solid {color.name()};"
            " border-radius: 7px; padding: 0px 5px; font-size: 8pt; }"
        )

    # -- showing values ------------------------------------------------------

    def set_layer(self, index: int, layer, fan_in: int, params: int, is_output: bool) -> None:
        """Show ``layer`` (of the same kind as this card) as layer ``index``; only changed fields are touched."""
        if layer.kind != self.kind:
            raise ValueError(f"a {self.kind} card cannot show a {layer.kind} layer")
        old = self.layer
        self.index, self.layer, self.fan_in = index, layer, fan_in
        units = layer.units if isinstance(layer, DenseSpec) else fan_in
        name = kind_name(layer.kind)
        self.title_label.setText(f"<span style='color:{dim_color(self).name()}'>{index + 1}</span>&nbsp;&nbsp;<b>{name}</b>")
        self.title_label.setToolTip(
            self.tr("Layer {0}: {1} numbers in, {2} out").format(index + 1, f"{fan_in:,}", f"{units:,}"))
        self.badge.setVisible(is_output)
        self.info_label.setText(self._params_text(params))
        self.info_label.setToolTip(
            self.tr("{0} numbers in, {1} out; {2} trainable parameters ({3} as float32).").format(
                f"{fan_in:,}", f"{units:,}", f"{params:,}", human_bytes(params * 4))
        )
        number = index + 1
        for editor, name in ((self.units_spin, self.tr("Units of layer {0}")),
                             (self.rate_spin, self.tr("Dropout rate of layer {0}")),
                             (self.activation_combo, self.tr("Activation of layer {0}"))):
            if editor is not None:
                editor.setAccessibleName(name.format(number))
        if self.kind == "dense":
            if old is None or old.activation != layer.activation:
                self.icon_label.setPixmap(icons.activation_icon(layer.activation).pixmap(22, 22))
            set_spin_value(self.units_spin, layer.units)
            set_combo_value(self.activation_combo, layer.activation)
            show_units_cost(self.units_spin, layer.units, fan_in)
        elif self.kind == "dropout":
            set_spin_value(self.rate_spin, layer.rate)
            self.rate_note.setText(self.tr("drops {0} in training").format(percent(layer.rate, 0)))
            self.rate_note.setToolTip(self.tr("While training, each value is zeroed with probability {0}.").format(
                f"{layer.rate:g}"))
        elif self.kind == "batchnorm":
            set_combo_value(self.activation_combo, layer.activation)
        self.setToolTip("")

    def _params_text(self, n: int) -> str:
        """"24 params", "100,480 params", then "10.0 M params" (as :func:`nnviz.core.numbers.params_text`)."""
        if n >= 1_000_000:
            return self.tr("{0} M params").format(f"{n / 1e6:.1f}")
        return (self.tr("{0} param") if n == 1 else self.tr("{0} params")).format(f"{n:,}")

    def set_warnings(self, messages: list[str]) -> None:
        """Show the design warnings about this layer (none: no sign)."""
        self.warning_badge.setVisible(bool(messages))
        # No warnings, no tooltip (an empty "<qt></qt>" is no text for a person).
        shown = "<br><br>".join(self.tr("<b>Design warning</b>: {0}").format(html.escape(m)) for m in messages)
        self.warning_badge.setToolTip(f"<qt>{shown}</qt>" if messages else "")

    def set_inputs(self, inputs: int) -> None:
        """Input card: show ``inputs`` features."""
        self.fan_in = inputs
        self.title_label.setText(self.tr("<b>Input</b>"))
        self.info_label.setText("")
        self.info_label.setToolTip(self.tr("The numbers that go into the network, one per input feature."))
        set_spin_value(self.inputs_spin, inputs)

    def resizeEvent(self, event):
        indent = self.NARROW_INDENT if event.size().width() < self.NARROW_BELOW else self.WIDE_INDENT
        if self.editors.contentsMargins().left() != indent:
            self.editors.setContentsMargins(indent, 0, 0, 0)
            if self.kind == "dropout":
                self.notes.setContentsMargins(indent, 0, 0, 0)
        super().resizeEvent(event)

    def minimumSizeHint(self):
        # As narrow as the narrow layout allows, whichever layout is showing now.
        hint = super().minimumSizeHint()
        extra = self.editors.contentsMargins().left() - self.NARROW_INDENT
        margins = self.layout().contentsMargins()
        width = max(self.header.minimumSize().width(), self.editors.minimumSize().width() - extra)
        if self.kind == "dropout":
            width = max(width, self.notes.minimumSize().width() - extra)
        return QSize(width + margins.left() + margins.right(), hint.height())

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self.update()

    # -- edits -----------------------------------------------------------------

    def _units_changed(self, units: int) -> None:
        if self.layer is not None and units != self.layer.units:
            self.edited.emit(self.index, replace(self.layer, units=units))

    def _rate_changed(self, rate: float) -> None:
        rate = round(rate, 4)
        if self.layer is not None and rate != self.layer.rate:
            self.edited.emit(self.index, replace(self.layer, rate=rate))

    def _activation_chosen(self, row: int) -> None:
        name = self.activation_combo.itemData(row)
        if self.layer is not None and name != ALIASES.get(self.layer.activation, self.layer.activation):
            self.edited.emit(self.index, replace(self.layer, activation=name))

    # -- selection, context menu and dragging ------------------------------------

    _USER_FOCUS = (
        Qt.FocusReason.MouseFocusReason,
        Qt.FocusReason.TabFocusReason,
        Qt.FocusReason.BacktabFocusReason,
        Qt.FocusReason.ShortcutFocusReason,
    )

    def eventFilter(self, obj, event):
        # Clicking or tabbing into an editor selects the card; focus that merely lands here
        # (because another card was deleted) does not.
        if event.type() == QEvent.Type.FocusIn and event.reason() in self._USER_FOCUS:
            self.clicked.emit(self.index)
        return False

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
            self.clicked.emit(self.index)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):
        if (
            self._press_pos is not None
            and self.kind != "input"
            and (event.position().toPoint() - self._press_pos).manhattanLength() >= QApplication.startDragDistance()
        ):
            self._press_pos = None
            self.start_drag()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event):
        self._press_pos = None
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event):
        self.clicked.emit(self.index)
        self.menu_requested.emit(self.index, event.globalPos())
        event.accept()

    def start_drag(self) -> None:
        """Drag this card to another place in the stack (a move, one undo step)."""
        drag = QDrag(self)
        drag.setMimeData(mime.move_mime(self.index))
        pixmap = self.grab()
        faded = pixmap.copy()
        faded.fill(Qt.GlobalColor.transparent)
        p = QPainter(faded)
        p.setOpacity(0.8)
        p.drawPixmap(0, 0, pixmap)
        p.end()
        drag.setPixmap(faded)
        drag.setHotSpot(QPoint(20, 14))
        self._dragging = True
        self.update()
        try:
            drag.exec(Qt.DropAction.MoveAction)
        finally:
            self._dragging = False
            self.update()

    # -- painting ----------------------------------------------------------------

    def paintEvent(self, event):
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        base = pal.color(QPalette.ColorRole.Base)
        border = mix_colors(pal.color(QPalette.ColorRole.Mid), base, 0.35)
        accent = pal.color(QPalette.ColorRole.Highlight)
        if self.selected:
            fill = mix_colors(base, accent, 0.10)
            pen = QPen(accent, 1.6)
        else:
            fill = base
            pen = QPen(border.darker(112) if self.underMouse() else border, 1.0)
        if self._dragging:
            p.setOpacity(0.45)
        path = QPainterPath()
        path.addRoundedRect(rect, 7, 7)
        p.fillPath(path, fill)
        # The kind's colour as a stripe down the left edge.
        p.save()
        p.setClipPath(path)
        p.fillRect(QRectF(rect.left(), rect.top(), 4, rect.height()), icons.kind_color(self.kind))
        p.restore()
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(rect.adjusted(0.3, 0.3, -0.3, -0.3), 7, 7)
