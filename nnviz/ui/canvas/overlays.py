"""Small items drawn over or under the network: selection, hover, drop marker, legend.

They are separate items so that showing one never invalidates the cached
pictures of the (much bigger) connection and column items.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ...core.figure.legend import wrap_rows
from ..widgets import colors
from . import style
from .connections_item import PASS_WIDTH, bin_style


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
        w = self.pen.widthF() + 3.0  # the white halo is wider than the line
        return QRectF(self.line.p1(), self.line.p2()).normalized().adjusted(-w, -w, w, w)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        halo = QPen(style.qcolor(colors.BACKGROUND, 0.78), self.pen.widthF() + 2.5)  # the background's, light or dark
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
    """What the colours, widths and neuron pictures mean: under the network in the window and in figures.

    Entries: the two weight colours and what width means always; the grey
    1-to-1 links, the "⋮" of elided columns, the neuron fill and the neuron
    heatmaps (``heatmaps`` names the plane's two axes) only when the picture
    has them. Entries wrap onto more rows past ``max_width``.
    """

    SWATCH = 28.0
    GAP = 7.0  # swatch to text
    SPACING = 24.0  # between entries
    ROW_GAP = 8.0

    def __init__(
        self,
        scheme: colors.ColorScheme,
        *,
        activations: bool = False,
        heatmaps: tuple[str, str] | None = None,
        pass_through: bool = False,
        elided: bool = False,
        gradients: bool = False,
        max_width: float = 800.0,
        no_heatmaps: str | None = None,
    ):
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.scheme = scheme
        self.font = style.subtitle_font()
        if gradients:  # the connections coloured by the latest gradient, not the weight
            entries = [
                ("positive", QCoreApplication.translate("LegendItem", "positive gradient")),
                ("negative", QCoreApplication.translate("LegendItem", "negative gradient")),
                ("width", QCoreApplication.translate(
                    "LegendItem", "thicker, darker: larger |dL/dw| (relative to the whole network)")),
            ]
        else:
            entries = [
                ("positive", QCoreApplication.translate("LegendItem", "positive weight")),
                ("negative", QCoreApplication.translate("LegendItem", "negative weight")),
                ("width", QCoreApplication.translate(
                    "LegendItem", "thicker, darker: larger |w| (relative within each layer pair)")),
            ]
        if pass_through:
            entries.append(("identity", QCoreApplication.translate("LegendItem", "passed on 1-to-1 (dropout, batch norm)")))
        if elided:
            entries.append(("elided", QCoreApplication.translate("LegendItem", "neurons not drawn")))
        if activations:
            entries.append(("activation", QCoreApplication.translate("LegendItem", "neuron: activation for the probe input")))
        if heatmaps:
            entries.append(("heatmap", QCoreApplication.translate(
                "LegendItem", "hidden neuron: its activation over the input plane ({0} →, {1} ↑)").format(*heatmaps)))
        elif no_heatmaps:  # why there are none where a reader would expect them
            entries.append(("plain", no_heatmaps))
        fm = QFontMetricsF(self.font)
        self.row_height = max(fm.height(), 14.0)
        # Lay the entries out in rows, each row centred.
        self._placed: list[tuple[str, str, float, int]] = []  # kind, text, x, row
        sized = [(kind, text, self.SWATCH + self.GAP + fm.horizontalAdvance(text)) for kind, text in entries]
        rows, widths = wrap_rows(sized, max_width, self.SPACING)
        self._width = max(widths)
        for r, (row, row_w) in enumerate(zip(rows, widths)):
            x = (self._width - row_w) / 2
            for kind, text, w in row:
                self._placed.append((kind, text, x, r))
                x += w + self.SPACING
        self._height = len(rows) * self.row_height + (len(rows) - 1) * self.ROW_GAP

    def set_scheme(self, scheme: colors.ColorScheme) -> None:
        self.scheme = scheme
        self.update()

    def texts(self) -> list[str]:
        """The legend's entries as written, in order."""
        return [text for _, text, _, _ in self._placed]

    def size(self) -> tuple[float, float]:
        return self._width, self._height

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._width, self._height)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self.font)
        fm = QFontMetricsF(self.font)
        for kind, text, x, row in self._placed:
            top = row * (self.row_height + self.ROW_GAP)
            self._swatch(painter, kind, x, top + self.row_height / 2)
            tx = x + self.SWATCH + self.GAP
            painter.setPen(QColor(colors.SUBTEXT))
            painter.drawText(
                QRectF(tx, top, fm.horizontalAdvance(text) + 2, self.row_height), Qt.AlignmentFlag.AlignVCenter, text
            )

    def _swatch(self, painter: QPainter, kind: str, x: float, mid: float) -> None:
        s = self.SWATCH
        flat = Qt.PenCapStyle.FlatCap
        if kind in ("positive", "negative"):
            width, alpha = bin_style(style.BINS - 2)
            pen = QPen(style.qcolor(getattr(self.scheme, kind), alpha), width)
            pen.setCapStyle(flat)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, mid), QPointF(x + s, mid))
        elif kind == "width":
            # Three strokes side by side, thin and faint to thick and strong.
            seg = (s - 6) / 3
            for i, b in enumerate((1, 4, style.BINS - 1)):
                width, alpha = bin_style(b)
                pen = QPen(style.qcolor(colors.NEURON_OUTLINE, alpha), width)  # the ink's, readable on light and dark
                pen.setCapStyle(flat)
                painter.setPen(pen)
                left = x + i * (seg + 3)
                painter.drawLine(QPointF(left, mid), QPointF(left + seg, mid))
        elif kind == "identity":
            pen = QPen(style.qcolor(colors.PASS_THROUGH), PASS_WIDTH)
            pen.setCapStyle(flat)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, mid), QPointF(x + s, mid))
        elif kind == "heatmap":
            # A neuron shaded from negative through white to positive, left to right.
            r = min(s / 2, self.row_height / 2) - 0.8
            c = QPointF(x + s / 2, mid)
            ramp = QLinearGradient(c.x() - r, mid, c.x() + r, mid)
            ramp.setColorAt(0.0, QColor(self.scheme.negative))
            ramp.setColorAt(0.5, QColor(colors.NEURON_FILL))
            ramp.setColorAt(1.0, QColor(self.scheme.positive))
            painter.setPen(QPen(QColor(colors.NEURON_OUTLINE), 1.1))
            painter.setBrush(ramp)
            painter.drawEllipse(c, r, r)
        elif kind == "plain":
            r = min(s / 2, self.row_height / 2) - 0.8
            painter.setPen(QPen(QColor(colors.NEURON_OUTLINE), 1.1))
            painter.setBrush(QColor(colors.NEURON_FILL))
            painter.drawEllipse(QPointF(x + s / 2, mid), r, r)
        elif kind == "elided":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colors.ELISION))
            for dy in (-5.0, 0.0, 5.0):
                painter.drawEllipse(QPointF(x + s / 2, mid + dy), 1.6, 1.6)
        else:
            steps = 5
            w = s / steps
            for i in range(steps):
                t = i / (steps - 1)
                c = colors.signed_fill(np.array([2 * t - 1]), 1.0, self.scheme)[0]
                painter.setPen(QPen(QColor(colors.NEURON_OUTLINE), 0.8))
                painter.setBrush(QColor(int(c[0]), int(c[1]), int(c[2])))
                painter.drawEllipse(QPointF(x + w * (i + 0.5), mid), w / 2 - 0.6, w / 2 - 0.6)
