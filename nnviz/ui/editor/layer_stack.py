"""The network as a vertical stack of cards: the inputs first, then every layer in order.

Drop a palette item between two cards to insert it there; drag a card by its
grip to move it. An accent line shows where a drop will land. Every edit is a
command on the document (:mod:`nnviz.ui.model.commands`); the stack only mirrors
``doc.spec`` and updates its cards in place when the structure allows, so a
card being typed into keeps its editor and the scroll position stays put.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPainter, QPalette, QPen
from PySide6.QtWidgets import QFrame, QMenu, QScrollArea, QVBoxLayout, QWidget

from ...core.counting import count
from ..actions import LAYER, make_actions
from ..model import commands
from . import mime
from ..model.document import Document, Selection
from ...core.lint import output_index
from ..widgets.labels import WrapLabel, make_dim
from ..widgets.sections import column_width
from .layer_card import LayerCard

_EDGE = 28  # pixels from the top or bottom where a drag scrolls the stack
_LINE_HEIGHT = 10


class _InsertionLine(QWidget):
    """The accent line that shows where a dragged layer will land."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFixedHeight(_LINE_HEIGHT)
        self.hide()

    def paintEvent(self, event):
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = self.palette().color(QPalette.ColorRole.Highlight)
        mid = self.height() / 2
        pen = QPen(color, 3)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawLine(QPointF(10, mid), QPointF(self.width() - 4, mid))
        p.setPen(QPen(color, 2))
        p.setBrush(self.palette().color(QPalette.ColorRole.Base))
        p.drawEllipse(QRectF(2, mid - 3.5, 7, 7))


class _StackBody(QWidget):
    """The scrolled widget holding the cards; it takes the drops."""

    def __init__(self, stack: "LayerStack"):
        super().__init__()
        self.stack = stack
        self.setAcceptDrops(True)
        self.setAutoFillBackground(False)

    def dragEnterEvent(self, event):
        self.stack._drag_enter(event)

    def dragMoveEvent(self, event):
        self.stack._drag_move(event)

    def dragLeaveEvent(self, event):
        self.stack._drag_leave()

    def dropEvent(self, event):
        self.stack._drop(event)

    def mousePressEvent(self, event):
        self.stack.setFocus(Qt.FocusReason.MouseFocusReason)  # so Delete and arrows reach the stack
        super().mousePressEvent(event)

    def keyPressEvent(self, event):
        # Keys a focused card leaves alone come here before the scroll area, which would eat the arrows.
        self.stack.keyPressEvent(event)


class LayerStack(QWidget):
    """The layer stack of ``doc``: ordered cards, drag and drop, in-place editing."""

    insertion_changed = Signal(object)  # the insertion index shown during a drag, or None

    def __init__(self, doc: Document, actions: dict | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._cards: list[LayerCard] = []
        self._warnings = []  # the design warnings shown on the cards
        self._insert_at: int | None = None
        self._drag_src: int | None = None

        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = _StackBody(self)
        self.scroll.setWidget(self.body)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(8, 8, 8, 8)
        self.body_layout.setSpacing(10)

        self.input_card = LayerCard("input", self.body)
        self.input_card.clicked.connect(self._card_clicked)
        self.input_card.inputs_edited.connect(lambda n: commands.set_inputs(self.doc, n))
        self.body_layout.addWidget(self.input_card)
        self.hint = make_dim(WrapLabel(
            self.tr("Drag layers here from the palette, or drag a card by its grip to move it."),
            self.body))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setContentsMargins(8, 6, 8, 6)
        self.body_layout.addWidget(self.hint)
        self.body_layout.addStretch(1)
        self.line = _InsertionLine(self.body)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)  # minimumSizeHint() rules
        layout.addWidget(self.scroll)

        self._autoscroll = QTimer(self)
        self._autoscroll.setInterval(30)
        self._autoscroll.timeout.connect(self._autoscroll_step)
        self._autoscroll_delta = 0

        # The layer actions (the window's Edit menu shows the same ones); standalone, the stack makes its own.
        self.actions_ = actions or make_actions(self, LAYER)
        for name, slot in (("DuplicateLayer", self.duplicate_selected), ("Delete", self.delete_selected),
                           ("MoveLayerUp", lambda: self.move_selected(-1)),
                           ("MoveLayerDown", lambda: self.move_selected(1))):
            self.actions_[name].triggered.connect(slot)

        doc.spec_changed.connect(self._sync)
        doc.edit_refused.connect(self._sync)  # a refused edit: the cards show the network as it is
        doc.selection_changed.connect(self._show_selection)
        doc.spec_changed.connect(self.enable_actions)
        doc.selection_changed.connect(self.enable_actions)
        self._sync()
        self.enable_actions()

    def minimumSizeHint(self):
        # Never narrower than the cards can be: a dock squeezed further would clip them.
        return QSize(max(240, column_width(self.scroll)), 160)

    # -- public API ------------------------------------------------------------

    def cards(self) -> list[LayerCard]:
        """The layer cards, in order (the input card is :attr:`input_card`)."""
        return list(self._cards)

    def card(self, index: int) -> LayerCard:
        """The card of layer ``index``; ``-1`` is the input card."""
        return self.input_card if index == -1 else self._cards[index]

    def selected_layer(self) -> int | None:
        layer = self.doc.selection.layer
        return layer if layer is not None and 0 <= layer < len(self.doc.spec.layers) else None

    def insertion_index(self) -> int | None:
        """Where a drop would insert during a drag (an index into ``spec.layers``), else ``None``."""
        return self._insert_at

    def delete_selected(self) -> None:
        """Delete the selected layer (not the inputs, not the last layer); a no-op with nothing selected."""
        i = self.selected_layer()
        if i is None or len(self.doc.spec.layers) <= 1:
            return
        commands.remove_layer(self.doc, i)
        n = len(self.doc.spec.layers)
        self.doc.select(Selection(layer=min(i, n - 1)) if n else Selection())

    def duplicate_selected(self) -> None:
        """Put a copy of the selected layer right after it, and select the copy."""
        i = self.selected_layer()
        if i is None:
            return
        if commands.duplicate_layer(self.doc, i):
            self.doc.select(Selection(layer=i + 1))

    def move_selected(self, delta: int) -> None:
        """Move the selected layer ``delta`` places down (negative: up)."""
        i = self.selected_layer()
        if i is None:
            return
        dst = max(0, min(i + delta, len(self.doc.spec.layers) - 1))
        if dst != i:
            commands.move_layer(self.doc, i, dst)
            self.doc.select(Selection(layer=dst))

    # -- mirroring the document ---------------------------------------------------

    def _sync(self) -> None:
        spec = self.doc.spec
        widths = spec.widths()
        counts = count(spec).layers
        out = output_index(spec)
        self.input_card.set_inputs(spec.inputs)
        for i, layer in enumerate(spec.layers):
            card = self._cards[i] if i < len(self._cards) else None
            if card is None or card.kind != layer.kind:
                new = self._make_card(layer.kind)
                if card is None:
                    self._cards.append(new)
                    self.body_layout.insertWidget(self.body_layout.indexOf(self.hint), new)
                else:
                    self.body_layout.replaceWidget(card, new)
                    self._discard(card)
                    self._cards[i] = new
                card = new
            card.set_layer(i, layer, widths[i], counts[i].params, i == out)
        for card in self._cards[len(spec.layers):]:
            self.body_layout.removeWidget(card)
            self._discard(card)
        del self._cards[len(spec.layers):]
        self._show_selection(self.doc.selection)
        self._show_warnings()
        self.updateGeometry()  # the narrowest the cards can go may have changed

    def show_warnings(self, warnings) -> None:
        """Mark the cards of the layers that ``warnings`` (design warnings) concern."""
        self._warnings = list(warnings)
        self._show_warnings()

    def _show_warnings(self) -> None:
        # Also after the cards change: the warnings may have come before the cards did.
        for i, card in enumerate(self._cards):
            card.set_warnings([w.message for w in self._warnings if w.layer == i])

    @staticmethod
    def _discard(card: LayerCard) -> None:
        # Later, not now: the card may be inside its own QDrag.exec().
        card.hide()
        card.setParent(None)
        card.deleteLater()

    def _make_card(self, kind: str) -> LayerCard:
        card = LayerCard(kind, self.body)
        card.clicked.connect(self._card_clicked)
        card.edited.connect(self._card_edited)
        card.menu_requested.connect(self._show_menu)
        return card

    def _card_edited(self, index: int, layer) -> None:
        commands.update_layer(self.doc, index, layer)

    def _card_clicked(self, index: int) -> None:
        if self.doc.selection.layer != index:
            self.doc.select(Selection(layer=index))

    def _show_selection(self, selection: Selection) -> None:
        layer = selection.layer
        self.input_card.set_selected(layer == -1)
        for i, card in enumerate(self._cards):
            card.set_selected(i == layer)
        if layer is not None and -1 <= layer < len(self._cards):
            card = self.card(layer)
            QTimer.singleShot(0, self, lambda: self._ensure_visible(card))

    def _ensure_visible(self, card: LayerCard) -> None:
        if card in self._cards or card is self.input_card:
            self.scroll.ensureWidgetVisible(card, 0, 8)

    # -- keys and menu -------------------------------------------------------------

    def keyPressEvent(self, event):
        key = event.key()
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if event.matches(QKeySequence.StandardKey.Delete) or key == Qt.Key.Key_Backspace:
            self.delete_selected()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and alt:
            self.move_selected(-1 if key == Qt.Key.Key_Up else 1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            layer = self.doc.selection.layer
            step = -1 if key == Qt.Key.Key_Up else 1
            target = (-1 if step < 0 else 0) if layer is None else layer + step
            if -1 <= target < len(self._cards):
                self.doc.select(Selection(layer=target))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _show_menu(self, index: int, global_pos: QPoint) -> None:
        menu = self.context_menu(index)
        if menu is not None:
            menu.exec(global_pos)
            menu.deleteLater()

    def enable_actions(self, *_) -> None:
        """The layer actions apply to the selected layer, where they can."""
        index = self.doc.selection.layer
        n = len(self.doc.spec.layers)
        selected = index is not None and 0 <= index < n
        acts = self.actions_
        acts["DuplicateLayer"].setEnabled(selected)
        acts["Delete"].setEnabled(selected and n > 1)  # a network keeps at least one layer
        acts["MoveLayerUp"].setEnabled(selected and index > 0)
        acts["MoveLayerDown"].setEnabled(selected and index < n - 1)

    def context_menu(self, index: int) -> QMenu | None:
        """The menu a card shows on a right click: select layer ``index`` and act on it (None for the inputs)."""
        if index < 0:
            return None
        self.doc.select(Selection(index))  # the menu's actions act on the selected layer
        self.enable_actions()
        acts = self.actions_
        menu = QMenu(self)
        menu.addActions([acts["DuplicateLayer"], acts["Delete"]])
        menu.addSeparator()
        menu.addActions([acts["MoveLayerUp"], acts["MoveLayerDown"]])
        return menu

    # -- drag and drop ---------------------------------------------------------------

    def _payload(self, event):
        """("insert", layer) or ("move", index) for a drag this stack takes, else None."""
        data = event.mimeData()
        layer = mime.layer_from_mime(data)
        if layer is not None:
            return "insert", layer
        src = mime.move_from_mime(data)
        source = event.source()
        ours = source is None or source is self or self.isAncestorOf(source)
        if src is not None and ours and 0 <= src < len(self.doc.spec.layers):
            return "move", src
        return None

    def _gap_index(self, y: float) -> int:
        """The insertion index for a drop at body height ``y``: layer cards whose middle is above it."""
        self.body_layout.activate()  # cards added since the last event loop pass have their geometry now
        index = 0
        for card in self._cards:
            if y > card.geometry().center().y():
                index += 1
            else:
                break
        return index

    def _drag_enter(self, event) -> None:
        payload = self._payload(event)
        if payload is None:
            event.ignore()
            return
        self._drag_src = payload[1] if payload[0] == "move" else None
        event.setDropAction(Qt.DropAction.MoveAction if payload[0] == "move" else Qt.DropAction.CopyAction)
        event.accept()
        self._update_insertion(event.position().y())

    def _drag_move(self, event) -> None:
        payload = self._payload(event)
        if payload is None:
            event.ignore()
            self._set_insertion(None)
            return
        self._drag_src = payload[1] if payload[0] == "move" else None
        event.setDropAction(Qt.DropAction.MoveAction if payload[0] == "move" else Qt.DropAction.CopyAction)
        event.accept()
        y = event.position().y()
        self._update_insertion(y)
        self._update_autoscroll(y)

    def _drag_leave(self) -> None:
        self._set_insertion(None)
        self._autoscroll.stop()
        self._drag_src = None

    def _drop(self, event) -> None:
        payload = self._payload(event)
        index = self._gap_index(event.position().y())
        self._set_insertion(None)
        self._autoscroll.stop()
        self._drag_src = None
        if payload is None:
            event.ignore()
            return
        kind, value = payload
        if kind == "insert":
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            if commands.insert_layer(self.doc, index, value):
                self.doc.select(Selection(layer=index))
        else:
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            dst = self._move_destination(value, index)
            if dst is not None:
                commands.move_layer(self.doc, value, dst)
                self.doc.select(Selection(layer=dst))

    @staticmethod
    def _move_destination(src: int, gap: int) -> int | None:
        """Where layer ``src`` ends when dropped into gap ``gap``; None when it would not move."""
        dst = gap if gap <= src else gap - 1
        return None if dst == src else dst

    def _update_insertion(self, y: float) -> None:
        gap = self._gap_index(y)
        if self._drag_src is not None and self._move_destination(self._drag_src, gap) is None:
            self._set_insertion(None)  # dropping here would not move the card: no line
        else:
            self._set_insertion(gap)

    def _set_insertion(self, index: int | None) -> None:
        if index == self._insert_at:
            return
        self._insert_at = index
        if index is None:
            self.line.hide()
        else:
            above = self._cards[index - 1] if index > 0 else self.input_card
            below = self._cards[index] if index < len(self._cards) else None
            top = above.geometry().bottom() + 1
            bottom = below.geometry().top() if below is not None else top + self.body_layout.spacing()
            y = round((top + bottom) / 2 - _LINE_HEIGHT / 2)
            margins = self.body_layout.contentsMargins()
            self.line.setGeometry(margins.left() - 4, y, self.body.width() - margins.left() - margins.right() + 6, _LINE_HEIGHT)
            self.line.raise_()
            self.line.show()
        self.insertion_changed.emit(index)

    def _update_autoscroll(self, y: float) -> None:
        viewport_y = self.body.mapTo(self.scroll.viewport(), QPoint(0, int(y))).y()
        height = self.scroll.viewport().height()
        if viewport_y < _EDGE:
            self._autoscroll_delta = -max(4, (_EDGE - viewport_y) // 2)
        elif viewport_y > height - _EDGE:
            self._autoscroll_delta = max(4, (viewport_y - (height - _EDGE)) // 2)
        else:
            self._autoscroll_delta = 0
        if self._autoscroll_delta:
            self._autoscroll.start()
        else:
            self._autoscroll.stop()

    def _autoscroll_step(self) -> None:
        bar = self.scroll.verticalScrollBar()
        before = bar.value()
        bar.setValue(before + self._autoscroll_delta)
        if bar.value() == before:
            self._autoscroll.stop()
