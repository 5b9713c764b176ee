"""One column of neurons (the input or a layer) with its label, as one item."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from .. import colors
from . import style
from .layout import ColumnLayout


TINY_RADIUS = 2.5


class LayerColumnItem(QGraphicsItem):
    """Paints every drawn neuron of a column, the "⋮" of an elided one, its label and names."""

    def __init__(self, column: ColumnLayout):
        super().__init__()
        self.column = column
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the scene hit-tests by geometry
        self._fills: list[QColor] | None = None
        self._bounds = column.rect.adjusted(-2, -2, 2, 2)
        self._title_font = style.title_font()
        self._subtitle_font = style.subtitle_font()
        self._small_font = style.small_font()
        self._outline = QPen(style.qcolor(colors.NEURON_OUTLINE), min(1.3, column.radius * 0.35))
        self._pass_outline = QPen(style.qcolor(colors.NEURON_OUTLINE, 0.75), min(1.1, column.radius * 0.3))
        if column.kind == "dropout":
            self._pass_outline.setStyle(Qt.PenStyle.CustomDashLine)
            self._pass_outline.setDashPattern([2.2, 1.8])

    @property
    def layer(self) -> int:
        return self.column.layer

    def set_fills(self, rgb: np.ndarray | None) -> None:
        """Fill colours (n_drawn, 3) uint8 of the drawn neurons; ``None`` for plain white."""
        self._fills = None if rgb is None else [QColor(int(r), int(g), int(b)) for r, g, b in rgb]
        self.update()

    def fill_of(self, slot: int) -> QColor:
        return self._fills[slot] if self._fills is not None else QColor(colors.NEURON_FILL)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        c = self.column
        exposed = option.exposedRect
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        r = c.radius
        visible = np.nonzero((c.ys + r >= exposed.top()) & (c.ys - r <= exposed.bottom()))[0]
        if len(visible) and c.x + r >= exposed.left() and c.x - r <= exposed.right():
            self._paint_neurons(painter, visible)
        if c.elided:
            self._paint_elision(painter)
        if c.label.intersects(exposed):
            self._paint_label(painter)
        if c.names and c.names_rect is not None and c.names_rect.intersects(exposed):
            self._paint_names(painter)

    def _paint_neurons(self, painter: QPainter, slots: np.ndarray) -> None:
        c = self.column
        r = c.radius
        painter.setPen(self._pass_outline if c.passes_through else self._outline)
        white = QBrush(QColor(colors.NEURON_FILL))
        fills = self._fills
        if r < TINY_RADIUS:
            # Every neuron of a very wide column: an outline would swallow the
            # fill, so draw solid dots (dark, or the activation's colour).
            painter.setPen(Qt.PenStyle.NoPen)
            white = QBrush(QColor(colors.NEURON_OUTLINE))
        x = c.x
        square = c.kind == "batchnorm"
        for slot, y in zip(slots.tolist(), c.ys[slots].tolist()):
            painter.setBrush(QBrush(fills[slot]) if fills is not None else white)
            if square:
                painter.drawRoundedRect(QRectF(x - r, y - r, 2 * r, 2 * r), r * 0.3, r * 0.3)
            else:
                painter.drawEllipse(QPointF(x, y), r, r)

    def _paint_elision(self, painter: QPainter) -> None:
        c = self.column
        hidden = c.units - len(c.neurons)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colors.ELISION))
        y = c.gap_y - 9
        for dy in (-5.0, 0.0, 5.0):
            painter.drawEllipse(QPointF(c.x, y + dy), 1.6, 1.6)
        painter.setFont(self._small_font)
        text = f"+{hidden:,}"
        fm = painter.fontMetrics()
        w = fm.horizontalAdvance(text) + 8
        h = fm.height() + 2
        box = QRectF(c.x - w / 2, c.gap_y + 3, w, h)
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(box, h / 2, h / 2)
        painter.setPen(QColor(colors.ELISION))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_label(self, painter: QPainter) -> None:
        c = self.column
        painter.setPen(QColor(colors.TEXT))
        painter.setFont(self._title_font)
        fm = painter.fontMetrics()
        title_h = fm.height()
        top = QRectF(c.label.left(), c.label.top(), c.label.width(), title_h)
        painter.drawText(top, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, c.title)
        if c.subtitle:
            painter.setPen(QColor(colors.SUBTEXT))
            painter.setFont(self._subtitle_font)
            sub = QRectF(c.label.left(), c.label.top() + title_h + 2, c.label.width(), c.label.height() - title_h - 2)
            painter.drawText(sub, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, c.subtitle)

    def _paint_names(self, painter: QPainter) -> None:
        c = self.column
        painter.setPen(QColor(colors.SUBTEXT))
        painter.setFont(self._small_font)
        h = painter.fontMetrics().height()
        rect = c.names_rect
        align = (Qt.AlignmentFlag.AlignRight if c.layer == -1 else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter
        for name, y in zip(c.names, c.ys.tolist()):
            painter.drawText(QRectF(rect.left(), y - h / 2, rect.width(), h), align, name)
