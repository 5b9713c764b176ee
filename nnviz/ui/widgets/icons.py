"""Small drawn icons: one per layer kind and activation, and the warning/info marks.

Everything is painted with QPainter at several pixel sizes, so the icons stay
crisp on high-DPI screens and need no image files. Dense layers show a tiny
plot of their activation, so "Dense tanh" and "Dense sigmoid" differ at a glance
(sigmoid sits above its zero line, tanh crosses it).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from ...core.activations import ACTIVATIONS

# One accent per layer kind, readable on light and dark backgrounds.
KIND_COLORS = {
    "input": QColor("#64748b"),  # slate
    "dense": QColor("#2f74d0"),  # blue
    "dropout": QColor("#8b5cf6"),  # violet
    "batchnorm": QColor("#0f9f7a"),  # teal green
}
WARNING_COLOR = QColor("#d97706")  # amber
INFO_COLOR = QColor("#2f74d0")

_SIZES = (16, 20, 24, 32, 40, 48, 64, 96)


def kind_color(kind: str) -> QColor:
    """The accent colour of a layer kind ("dense", "dropout", "batchnorm", "input")."""
    return QColor(KIND_COLORS.get(kind, KIND_COLORS["input"]))


def _icon(draw) -> QIcon:
    icon = QIcon()
    for size in _SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(size / 32.0, size / 32.0)  # draw on a 32×32 grid
        draw(painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def _tile(painter: QPainter, color: QColor) -> None:
    """The rounded square every layer icon sits on: a light tint with an accent border."""
    fill = QColor(color)
    fill.setAlpha(38)
    painter.setPen(QPen(color, 1.4))
    painter.setBrush(fill)
    painter.drawRoundedRect(QRectF(2.2, 2.2, 27.6, 27.6), 6.5, 6.5)


# Shapes for the icon only: leaky ReLU's real slope (0.01) would look like ReLU.
_ICON_FUNCS = {
    "leaky_relu": lambda z: np.where(z > 0, z, 0.15 * z),
}


def _curve_points(name: str) -> tuple[list[QPointF], float]:
    """The activation plotted into the box (7..25, 8..24), and the y of its zero line."""
    z = np.linspace(-2.6, 2.6, 60)
    func = _ICON_FUNCS.get(name)
    y = func(z) if func else ACTIVATIONS[name].forward(z.astype(np.float64))
    lo, hi = min(float(y.min()), 0.0), max(float(y.max()), 0.0)
    span = hi - lo or 1.0
    left, right, top, bottom = 7.0, 25.0, 8.0, 24.0

    def to_y(v):
        return bottom - (v - lo) / span * (bottom - top)

    xs = left + (z - z[0]) / (z[-1] - z[0]) * (right - left)
    return [QPointF(float(px), float(to_y(py))) for px, py in zip(xs, y)], float(to_y(0.0))


def _draw_activation(painter: QPainter, name: str, color: QColor) -> None:
    axis = QColor(color)
    axis.setAlpha(90)
    if name == "softmax":
        # Probabilities that sum to one: a few bars, one of them winning.
        painter.setPen(QPen(axis, 1.0))
        painter.drawLine(QPointF(6.5, 24.5), QPointF(25.5, 24.5))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        for i, h in enumerate((0.22, 0.58, 1.0, 0.36)):
            x = 7.5 + i * 4.6
            painter.drawRoundedRect(QRectF(x, 24.0 - 15.0 * h, 3.4, 15.0 * h), 0.8, 0.8)
        return
    points, zero_y = _curve_points(name)
    painter.setPen(QPen(axis, 1.0))
    painter.drawLine(QPointF(6.0, zero_y), QPointF(26.0, zero_y))
    painter.drawLine(QPointF(16.0, 7.0), QPointF(16.0, 25.0))
    pen = QPen(color, 2.3)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPolyline(QPolygonF(points))


def _draw_dropout(painter: QPainter, color: QColor) -> None:
    # A 3×3 grid of units, some of them switched off for this step.
    dropped = {(0, 1), (1, 2), (2, 0), (2, 2)}
    for r in range(3):
        for c in range(3):
            centre = QPointF(9.0 + c * 7.0, 9.0 + r * 7.0)
            if (r, c) in dropped:
                painter.setPen(QPen(color, 1.3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(centre, 2.1, 2.1)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(color)
                painter.drawEllipse(centre, 2.5, 2.5)


def _draw_batchnorm(painter: QPainter, color: QColor) -> None:
    # A bell curve centred on its mean line: "mean 0, spread 1".
    z = np.linspace(-2.8, 2.8, 50)
    y = np.exp(-0.5 * z * z)
    xs = 6.5 + (z + 2.8) / 5.6 * 19.0
    ys = 24.0 - y * 14.5
    path = QPainterPath(QPointF(float(xs[0]), 24.0))
    for px, py in zip(xs, ys):
        path.lineTo(float(px), float(py))
    path.lineTo(float(xs[-1]), 24.0)
    path.closeSubpath()
    fill = QColor(color)
    fill.setAlpha(70)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawPath(path)
    pen = QPen(color, 2.1)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPolyline(QPolygonF([QPointF(float(px), float(py)) for px, py in zip(xs, ys)]))
    painter.setPen(QPen(color, 1.2, Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(16.0, 8.0), QPointF(16.0, 24.0))
    painter.setPen(QPen(color, 1.2))
    painter.drawLine(QPointF(6.0, 24.5), QPointF(26.0, 24.5))


def _draw_input(painter: QPainter, color: QColor) -> None:
    # Features flowing in: an arrow into a column of input units.
    pen = QPen(color, 2.0)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawLine(QPointF(6.5, 16.0), QPointF(15.0, 16.0))
    painter.setBrush(color)
    painter.drawPolygon(QPolygonF([QPointF(17.5, 16.0), QPointF(13.0, 12.5), QPointF(13.0, 19.5)]))
    painter.setPen(Qt.PenStyle.NoPen)
    for y in (9.0, 16.0, 23.0):
        painter.drawEllipse(QPointF(22.5, y), 2.6, 2.6)


@lru_cache(maxsize=None)
def activation_icon(name: str) -> QIcon:
    """A tile with a small plot of activation ``name`` (bars for softmax)."""
    color = kind_color("dense")

    def draw(p):
        _tile(p, color)
        _draw_activation(p, name, color.darker(115))

    return _icon(draw)


@lru_cache(maxsize=None)
def kind_icon(kind: str) -> QIcon:
    """The icon of a layer kind without an activation: "dropout", "batchnorm", "input", "dense"."""
    color = kind_color(kind)

    def draw(p):
        _tile(p, color)
        if kind == "dropout":
            _draw_dropout(p, color)
        elif kind == "batchnorm":
            _draw_batchnorm(p, color)
        elif kind == "dense":
            _draw_activation(p, "relu", color.darker(115))
        else:
            _draw_input(p, color)

    return _icon(draw)


def layer_icon(layer) -> QIcon:
    """The icon of a layer spec: dense layers by activation, the others by kind."""
    if layer.kind == "dense":
        return activation_icon(layer.activation)
    return kind_icon(layer.kind)


@lru_cache(maxsize=None)
def network_icon() -> QIcon:
    """A whole network: three columns of units joined by connections."""
    color = kind_color("dense")

    def draw(p):
        _tile(p, color)
        columns = ((8.5, (11.0, 21.0)), (16.0, (8.5, 16.0, 23.5)), (23.5, (16.0,)))
        line = QColor(color)
        line.setAlpha(150)
        p.setPen(QPen(line, 0.9))
        for (x0, ys0), (x1, ys1) in zip(columns, columns[1:]):
            for y0 in ys0:
                for y1 in ys1:
                    p.drawLine(QPointF(x0, y0), QPointF(x1, y1))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        for x, ys in columns:
            for y in ys:
                p.drawEllipse(QPointF(x, y), 2.4, 2.4)

    return _icon(draw)


@lru_cache(maxsize=None)
def severity_icon(severity: str) -> QIcon:
    """An amber triangle with "!" for "warning", a blue circle with "i" for "info"."""
    warning = severity == "warning"
    color = WARNING_COLOR if warning else INFO_COLOR

    def draw(p):
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        if warning:
            path = QPainterPath()
            path.moveTo(16.0, 3.5)
            path.lineTo(29.5, 27.5)
            path.lineTo(2.5, 27.5)
            path.closeSubpath()
            p.setPen(QPen(color, 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            p.drawPath(path)
            mark_top, mark_bottom, dot = 11.0, 19.5, 23.6
        else:
            p.drawEllipse(QPointF(16.0, 16.0), 13.5, 13.5)
            mark_top, mark_bottom, dot = 14.0, 23.5, 9.3
        pen = QPen(QColor("white"), 3.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawLine(QPointF(16.0, mark_top), QPointF(16.0, mark_bottom))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("white"))
        p.drawEllipse(QPointF(16.0, dot), 1.8, 1.8)

    return _icon(draw)


@lru_cache(maxsize=None)
def check_icon() -> QIcon:
    """A quiet green tick for "nothing to report"."""
    color = QColor("#16a34a")

    def draw(p):
        fill = QColor(color)
        fill.setAlpha(40)
        p.setPen(QPen(color, 1.5))
        p.setBrush(fill)
        p.drawEllipse(QPointF(16.0, 16.0), 13.0, 13.0)
        pen = QPen(color, 2.8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPolyline(QPolygonF([QPointF(10.0, 16.5), QPointF(14.5, 21.0), QPointF(22.5, 11.5)]))

    return _icon(draw)
