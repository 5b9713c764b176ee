"""Small items drawn over or under the network: selection, hover, drop marker, legend.

They are separate items so that showing one never invalidates the cached
pictures of the (much bigger) connection and column items.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from .. import colors
from . import style
from .connections_item import bin_style


class SelectionHighlight(QGraphicsItem):
    """A soft rounded rectangle behind the selected column."""

    def __init__(self):
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.rect = QRectF()
        self.setVisible(False)

    def set_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self.rect = QRectF(rect)
        self.update()

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(style.qcolor(colors.ACCENT, 0.35), 1.0))
        painter.setBrush(style.qcolor(colors.ACCENT, 0.09))
        painter.drawRoundedRect(self.rect, 12, 12)


class NeuronRing(QGraphicsItem):
    """A ring around one neuron: the selected one (solid) or the hovered one (lighter)."""

    def __init__(self, alpha: float, width: float):
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.radius = 10.0
        self.pen = QPen(style.qcolor(colors.ACCENT, alpha), width)
        self.setVisible(False)

    def place(self, center: QPointF, radius: float) -> None:
        self.prepareGeometryChange()
        self.radius = radius
        self.setPos(center)
        self.setVisible(True)

    def boundingRect(self) -> QRectF:
        r = self.radius + self.pen.widthF()
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self.pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)


class HoverLine(QGraphicsItem):
    """The hovered connection, redrawn opaque and a little wider over the others."""

    def __init__(self):
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.line = QLineF()
        self.pen = QPen()
        self.setVisible(False)

    def place(self, line: QLineF, color: QColor, width: float) -> None:
        self.prepareGeometryChange()
        self.line = QLineF(line)
        self.pen = QPen(color, width + 1.6)
        self.pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setVisible(True)

    def boundingRect(self) -> QRectF:
        w = self.pen.widthF()
        return QRectF(self.line.p1(), self.line.p2()).normalized().adjusted(-w, -w, w, w)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        halo = QPen(QColor(255, 255, 255, 200), self.pen.widthF() + 2.5)
        halo.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(halo)
        painter.drawLine(self.line)
        painter.setPen(self.pen)
        painter.drawLine(self.line)


class DropMarker(QGraphicsItem):
    """Where a layer dragged from the palette will land: a vertical line with a "+"."""

    RADIUS = 11.0

    def __init__(self):
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.top = 0.0
        self.bottom = 0.0
        self.index = -1
        self.setVisible(False)

    def place(self, x: float, top: float, bottom: float, index: int) -> None:
        self.prepareGeometryChange()
        self.setPos(x, 0)
        self.top, self.bottom, self.index = top, bottom, index
        self.setVisible(True)

    def boundingRect(self) -> QRectF:
        r = self.RADIUS + 2
        return QRectF(-r, self.top - 2 * r - 6, 2 * r, self.bottom - self.top + 2 * r + 8)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        accent = QColor(colors.ACCENT)
        pen = QPen(accent, 2.0)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(0, self.top), QPointF(0, self.bottom))
        r = self.RADIUS
        c = QPointF(0, self.top - r - 4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawEllipse(c, r, r)
        plus = QPen(QColor("white"), 2.2)
        plus.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(plus)
        painter.drawLine(QPointF(c.x() - r / 2, c.y()), QPointF(c.x() + r / 2, c.y()))
        painter.drawLine(QPointF(c.x(), c.y() - r / 2), QPointF(c.x(), c.y() + r / 2))


class LegendItem(QGraphicsItem):
    """What the colours and widths mean, for exported pictures."""

    SWATCH = 30.0
    SPACING = 22.0

    def __init__(self, scheme: colors.ColorScheme, activations: bool = False):
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.scheme = scheme
        self.activations = activations
        self.font = style.subtitle_font()
        self._entries = self._make_entries()
        fm = QFontMetricsF(self.font)
        self._height = max(fm.height(), 14.0)
        self._width = sum(self.SWATCH + 8 + fm.horizontalAdvance(text) for _, text in self._entries)
        self._width += self.SPACING * (len(self._entries) - 1)

    def _make_entries(self):
        entries = [("positive", "positive weight"), ("negative", "negative weight"), ("width", "thicker, darker: larger |w| (relative to each layer pair's largest)")]
        if self.activations:
            entries.append(("activation", "neuron fill: activation for the probe input"))
        return entries

    def set_scheme(self, scheme: colors.ColorScheme) -> None:
        self.scheme = scheme
        self.update()

    def size(self) -> tuple[float, float]:
        return self._width, self._height

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._width, self._height)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self.font)
        fm = QFontMetricsF(self.font)
        mid = self._height / 2
        x = 0.0
        for kind, text in self._entries:
            self._swatch(painter, kind, x, mid)
            x += self.SWATCH + 8
            painter.setPen(QColor(colors.SUBTEXT))
            painter.drawText(QRectF(x, 0, fm.horizontalAdvance(text) + 2, self._height), Qt.AlignmentFlag.AlignVCenter, text)
            x += fm.horizontalAdvance(text) + self.SPACING

    def _swatch(self, painter: QPainter, kind: str, x: float, mid: float) -> None:
        s = self.SWATCH
        if kind in ("positive", "negative"):
            width, alpha = bin_style(style.BINS - 2)
            pen = QPen(style.qcolor(getattr(self.scheme, kind), alpha), width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, mid), QPointF(x + s, mid))
        elif kind == "width":
            # Three strokes, thin and faint to thick and strong, fanning out.
            for i, b in enumerate((0, 3, style.BINS - 1)):
                width, alpha = bin_style(b)
                pen = QPen(QColor(90, 98, 108, round(alpha * 255)), width)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                painter.setPen(pen)
                painter.drawLine(QPointF(x, mid + 4), QPointF(x + s, mid - 5 + i * 4.5))
        else:
            steps = 5
            w = s / steps
            for i in range(steps):
                t = i / (steps - 1)
                c = colors.signed_fill(np.array([2 * t - 1]), 1.0, self.scheme)[0]
                painter.setPen(QPen(QColor(colors.NEURON_OUTLINE), 0.8))
                painter.setBrush(QColor(int(c[0]), int(c[1]), int(c[2])))
                painter.drawEllipse(QPointF(x + w * (i + 0.5), mid), w / 2 - 0.6, w / 2 - 0.6)
