"""The layer palette: the kinds of layer a network can have, ready to drag in.

Each item carries a complete layer spec (a dense layer with a sensible size and
activation, dropout, batch norm). Dragging one starts a QDrag with
:func:`nnviz.ui.editor.mime.layer_mime`; double-clicking it (or pressing Enter) adds
it to the network: hidden kinds go just before the output layer, where a new
hidden layer belongs, and output kinds (softmax, linear) go at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ...core.activations import ACTIVATION_LABELS
from ...core.spec import BatchNormSpec, DenseSpec, DropoutSpec, LayerSpec, NetworkSpec
from ..model import commands
from ..widgets import icons
from . import mime
from ..model.document import Document, Selection
from ...core.lint import output_index
from ..widgets.labels import make_dim
from ..widgets.theme import dim_color, mix_colors
from .layer_names import activation_label, activation_tip, lower_first

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
HEADER_ROLE = Qt.ItemDataRole.UserRole + 2

_DENSE_SENTENCE = QT_TRANSLATE_NOOP(
    "LayerPalette",
    "A fully connected layer: each unit weighs every one of its inputs, adds a bias and passes the sum "
    "through its activation."
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("LayerPalette", text)


@dataclass(frozen=True)
class PaletteEntry:
    """One draggable item: its name, the layer it adds, and a one-line summary.

    ``title``, ``detail`` and ``about`` are nnviz's English (the title names the entry,
    :meth:`LayerPalette.item_for`); the ``shown_*`` methods give them in the window's language.
    """

    title: str
    layer: LayerSpec
    detail: str  # marked for translation; "{0}" stands for the units of a dense layer
    about: str  # what the layer does, for the tooltip (marked; a dense layer's is made by shown_about)

    @property
    def dense(self) -> bool:
        return isinstance(self.layer, DenseSpec)

    def shown_title(self) -> str:
        if self.dense:
            return QCoreApplication.translate("LayerPalette", "Dense {0}").format(activation_label(self.layer.activation))
        return _tr(self.title)

    def short_title(self) -> str:
        """The title under its section's header ("ReLU" under "Dense layers")."""
        return activation_label(self.layer.activation) if self.dense else _tr(self.title)

    def shown_detail(self) -> str:
        return _tr(self.detail).format(self.layer.units) if self.dense else _tr(self.detail)

    def shown_about(self) -> str:
        if self.dense:
            act = self.layer.activation
            return f"{_tr(_DENSE_SENTENCE)}<br><b>{activation_label(act)}</b> — {lower_first(activation_tip(act))}"
        return _tr(self.about)

    @property
    def hidden_kind(self) -> bool:
        """Whether the layer belongs inside the network rather than at its end."""
        return not (isinstance(self.layer, DenseSpec) and self.layer.activation in ("softmax", "linear"))

    def where_text(self) -> str:
        if self.hidden_kind:
            return QCoreApplication.translate(
                "LayerPalette", "Double-click to add it just before the output layer, or drag it anywhere into the stack.")
        return QCoreApplication.translate(
            "LayerPalette", "Double-click to add it at the end, as the new output layer, or drag it anywhere into the stack.")

    def spoken(self) -> str:
        """What a screen reader says of the tile: its title, summary, what it does and how to add it, no markup."""
        about = re.sub(r"<[^>]+>", "", re.sub(r"<br>", " ", self.shown_about()))
        return f"{self.shown_title()}, {self.shown_detail()}. {about} {self.where_text()}"

    def tooltip(self) -> str:
        return (
            f"<qt><b>{self.shown_title()}</b>&nbsp;&nbsp;<span style='color:gray'>{self.shown_detail()}</span>"
            f"<p style='margin-top:4px'>{self.shown_about()}</p>"
            f"<p style='margin-top:4px'><i>{self.where_text()}</i></p></qt>"
        )


def _dense(activation: str, units: int, detail: str = QT_TRANSLATE_NOOP("LayerPalette", "{0} units")) -> PaletteEntry:
    return PaletteEntry(
        f"Dense {ACTIVATION_LABELS.get(activation, activation)}",
        DenseSpec(units, activation, "he_uniform" if activation in ("relu", "leaky_relu", "gelu") else "xavier_uniform"),
        detail,
        "",
    )


SECTIONS: tuple[tuple[str, tuple[PaletteEntry, ...]], ...] = (
    (
        QT_TRANSLATE_NOOP("LayerPalette", "Dense layers"),
        (
            _dense("relu", 8),
            _dense("tanh", 8),
            _dense("sigmoid", 8),
            _dense("leaky_relu", 8),
            _dense("gelu", 8),
            _dense("softmax", 3, QT_TRANSLATE_NOOP("LayerPalette", "{0} units · output")),
            _dense("linear", 1, QT_TRANSLATE_NOOP("LayerPalette", "{0} unit · output")),
        ),
    ),
    (
        QT_TRANSLATE_NOOP("LayerPalette", "Regularise & normalise"),
        (
            PaletteEntry(
                QT_TRANSLATE_NOOP("LayerPalette", "Dropout"),
                DropoutSpec(0.5),
                QT_TRANSLATE_NOOP("LayerPalette", "rate 0.5"),
                QT_TRANSLATE_NOOP(
                    "LayerPalette",
                    "Sets a random half of its inputs to zero at each training step (and scales the rest up), "
                    "so that no unit can lean on any single other one; it does nothing when the network predicts."),
            ),
            PaletteEntry(
                QT_TRANSLATE_NOOP("LayerPalette", "Batch norm"),
                BatchNormSpec(),
                QT_TRANSLATE_NOOP("LayerPalette", "per feature"),
                QT_TRANSLATE_NOOP(
                    "LayerPalette",
                    "Rescales each feature to mean 0 and spread 1 over the batch, then learns its own scale and "
                    "shift, which often lets deeper networks train faster and more steadily."),
            ),
        ),
    ),
)
ENTRIES: tuple[PaletteEntry, ...] = tuple(e for _, entries in SECTIONS for e in entries)


def insertion_index(spec: NetworkSpec, entry: PaletteEntry) -> int:
    """Where double-clicking ``entry`` adds its layer: before the output layer for hidden kinds, else last."""
    n = len(spec.layers)
    out = output_index(spec)
    if n >= 1 and entry.hidden_kind and out is not None:
        return out
    return n


class _Delegate(QStyledItemDelegate):
    """Tiles two to a row, each an icon, a title and a dim detail line; section headers in small capitals.

    Two to a row, every kind of layer is in sight at once in a short dock.
    """

    ROW = 36
    HEADER = 24

    def sizeHint(self, option, index):
        view = self.parent()
        # Room kept for a scroll bar: were it to appear, two tiles would no longer fit in a row.
        width = max(view.width() - 2 * view.frameWidth() - view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) - 1, 120)
        if index.data(HEADER_ROLE):
            return QSize(width, self.HEADER)
        return QSize(width // 2, self.ROW)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex):
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        widget = option.widget
        pal = option.palette
        rect = option.rect
        if index.data(HEADER_ROLE):
            font = QFont(option.font)
            font.setPointSizeF(font.pointSizeF() * 0.85)
            font.setBold(True)
            font.setCapitalization(QFont.Capitalization.AllUppercase)
            font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
            painter.setFont(font)
            painter.setPen(dim_color(widget))
            painter.drawText(rect.adjusted(10, 0, -6, -3), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, index.data())
            painter.restore()
            return
        selected = option.state & QStyle.StateFlag.State_Selected
        hover = option.state & QStyle.StateFlag.State_MouseOver
        if selected or hover:
            accent = pal.color(QPalette.ColorRole.Highlight)
            base = pal.color(QPalette.ColorRole.Base)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(mix_colors(base, accent, 0.16 if selected else 0.07))
            painter.drawRoundedRect(QRectF(rect.adjusted(4, 1, -4, -1)), 6, 6)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        size = 24
        icon_rect = QRect(rect.left() + 8, rect.top() + (rect.height() - size) // 2, size, size)
        icon.paint(painter, icon_rect)
        text_left = icon_rect.right() + 7
        text_rect = QRect(text_left, rect.top() + 3, rect.right() - text_left - 6, rect.height() - 6)
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(pal.color(QPalette.ColorRole.Text))
        half = text_rect.height() // 2
        title_rect = QRect(text_rect.left(), text_rect.top(), text_rect.width(), half + 1)
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         painter.fontMetrics().elidedText(index.data(ENTRY_ROLE).short_title(), Qt.TextElideMode.ElideRight,
                                                          title_rect.width()))
        detail_font = QFont(option.font)
        detail_font.setPointSizeF(detail_font.pointSizeF() * 0.88)
        painter.setFont(detail_font)
        painter.setPen(dim_color(widget))
        detail_rect = QRect(text_rect.left(), text_rect.top() + half + 1, text_rect.width(), text_rect.height() - half - 1)
        detail = index.data(Qt.ItemDataRole.UserRole)
        painter.drawText(detail_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         painter.fontMetrics().elidedText(detail, Qt.TextElideMode.ElideRight, detail_rect.width()))
        painter.restore()


class PaletteList(QListWidget):
    """The list of palette items; a drag carries the item's layer as :data:`mime.LAYER_MIME`."""

    activated_entry = Signal(object)  # PaletteEntry: double-click or Enter

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setMouseTracking(True)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setIconSize(QSize(24, 24))
        self.setItemDelegate(_Delegate(self))
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)  # the tiles' widths follow the list's
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.itemDoubleClicked.connect(self._item_activated)

    def entry(self, item: QListWidgetItem | None) -> PaletteEntry | None:
        return None if item is None else item.data(ENTRY_ROLE)

    def mimeTypes(self):
        return [mime.LAYER_MIME]

    def mimeData(self, items):
        entries = [self.entry(item) for item in items if self.entry(item) is not None]
        return mime.layer_mime(entries[0].layer) if entries else None

    def supportedDropActions(self):
        return Qt.DropAction.CopyAction

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.entry(self.currentItem()) is not None:
            self.activated_entry.emit(self.entry(self.currentItem()))
            event.accept()
            return
        super().keyPressEvent(event)

    def _item_activated(self, item: QListWidgetItem) -> None:
        entry = self.entry(item)
        if entry is not None:
            self.activated_entry.emit(entry)


class LayerPalette(QWidget):
    """The palette for ``doc``: drag a layer into the stack, or double-click to add it."""

    layer_added = Signal(int)  # index of the layer a double-click or Enter added
    sig_status = Signal(str)  # a sentence for the status bar: what was just added, and where

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.list = PaletteList(self)
        for title, entries in SECTIONS:
            header = QListWidgetItem(_tr(title))
            header.setData(HEADER_ROLE, True)
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header.setData(Qt.ItemDataRole.AccessibleTextRole, self.tr("{0} section").format(_tr(title)))
            self.list.addItem(header)
            for entry in entries:
                item = QListWidgetItem(icons.layer_icon(entry.layer), entry.shown_title())
                item.setData(ENTRY_ROLE, entry)
                item.setData(Qt.ItemDataRole.UserRole, entry.shown_detail())
                item.setToolTip(entry.tooltip())
                item.setData(Qt.ItemDataRole.AccessibleTextRole, entry.shown_title())
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, entry.spoken())
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
                self.list.addItem(item)
        self.list.activated_entry.connect(self.add_entry)
        self.list.setAccessibleName(self.tr("Layer palette"))
        self.list.setAccessibleDescription(self.tr("Layer kinds to add: drag one into the network, or press Enter or "
                                                   "double-click to add it."))
        # Tall enough for every tile: the layer kinds are never scrolled out of sight.
        tiles = sum((len(entries) + 1) // 2 for _, entries in SECTIONS)
        self.list.setMinimumHeight(_Delegate.HEADER * len(SECTIONS) + _Delegate.ROW * tiles + 2 * self.list.frameWidth() + 6)
        self.hint = make_dim(QLabel(self.tr("Drag a layer into the network, or double-click it to add it."), self))
        self.hint.setWordWrap(True)
        self.hint.setContentsMargins(10, 4, 10, 6)
        font = self.hint.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.hint.setFont(font)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.setMinimumWidth(170)

    # -- public API --------------------------------------------------------------

    def entries(self) -> tuple[PaletteEntry, ...]:
        return ENTRIES

    def item_for(self, title: str) -> QListWidgetItem:
        """The list item of the entry titled ``title`` (in English: "Dense ReLU", "Dropout"…); ``KeyError`` if none."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ENTRY_ROLE) is not None and item.data(ENTRY_ROLE).title == title:
                return item
        raise KeyError(title)

    def add_entry(self, entry: PaletteEntry) -> int:
        """Add ``entry``'s layer where a double-click puts it (one undo step); select it; return its index."""
        index = insertion_index(self.doc.spec, entry)
        commands.insert_layer(self.doc, index, entry.layer)
        self.doc.select(Selection(layer=index))
        if index == len(self.doc.spec.layers) - 1:
            message = self.tr("Added {0} as layer {1}, the new output layer.").format(entry.shown_title(), index + 1)
        else:
            message = self.tr("Added {0} as layer {1}, just before the output layer.").format(entry.shown_title(), index + 1)
        self.sig_status.emit(message)
        self.layer_added.emit(index)
        return index

    def sizeHint(self):
        return QSize(200, 260)
