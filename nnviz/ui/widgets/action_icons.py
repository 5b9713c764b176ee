"""Drawn icons for the toolbar's actions that QStyle has no standard icon for.

Undo and redo, zoom, fit, export and the training pace. They are line drawings
in the palette's button-text colour (so they read on light and dark themes),
painted at several sizes like the layer icons in :mod:`.icons`.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QApplication

from .icons import _icon


def _pen(color: QColor, width: float = 2.4) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _undo(p: QPainter, color: QColor, mirror: bool) -> None:
    if mirror:
        p.translate(32, 0)
        p.scale(-1, 1)
    # A hook-shaped arrow turning back to the left.
    path = QPainterPath(QPointF(9.0, 13.0))
    path.lineTo(19.0, 13.0)
    path.cubicTo(QPointF(29.0, 13.0), QPointF(29.0, 26.0), QPointF(19.0, 26.0))
    path.lineTo(13.0, 26.0)
    p.setPen(_pen(color))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.setPen(_pen(color, 1.5))
    p.setBrush(color)
    p.drawPolygon(QPolygonF([QPointF(3.5, 13.0), QPointF(11.0, 7.0), QPointF(11.0, 19.0)]))


def _magnifier(p: QPainter, color: QColor, sign: str) -> None:
    p.setPen(_pen(color))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(13.5, 13.5), 9.0, 9.0)
    p.setPen(_pen(color, 3.6))
    p.drawLine(QPointF(20.5, 20.5), QPointF(28.0, 28.0))
    p.setPen(_pen(color, 2.2))
    p.drawLine(QPointF(9.5, 13.5), QPointF(17.5, 13.5))
    if sign == "+":
        p.drawLine(QPointF(13.5, 9.5), QPointF(13.5, 17.5))


def _fit(p: QPainter, color: QColor) -> None:
    # Four corners of a frame around the whole picture.
    p.setPen(_pen(color))
    for x, y, dx, dy in ((4, 4, 1, 1), (28, 4, -1, 1), (4, 28, 1, -1), (28, 28, -1, -1)):
        p.drawPolyline(QPolygonF([QPointF(x, y + 7 * dy), QPointF(x, y), QPointF(x + 7 * dx, y)]))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    for x, y in ((11.5, 13.0), (11.5, 19.0), (20.5, 16.0)):
        p.drawEllipse(QPointF(x, y), 2.3, 2.3)


def _picture(p: QPainter, color: QColor) -> None:
    # A framed picture with a hill and a sun, and an arrow leaving it.
    p.setPen(_pen(color, 2.0))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(QRectF(3.5, 7.5, 20.0, 17.0), 2.0, 2.0)
    p.drawPolyline(QPolygonF([QPointF(6.0, 22.0), QPointF(11.5, 15.0), QPointF(15.0, 19.0), QPointF(17.5, 16.5),
                              QPointF(21.0, 22.0)]))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawEllipse(QPointF(17.5, 11.5), 1.8, 1.8)
    p.setPen(_pen(color, 2.4))
    p.drawLine(QPointF(21.0, 5.0), QPointF(28.5, 5.0))
    p.drawPolyline(QPolygonF([QPointF(25.0, 1.5), QPointF(28.5, 5.0), QPointF(25.0, 8.5)]))


def _gauge(p: QPainter, color: QColor, fast: bool) -> None:
    # A speedometer whose needle leans left (slower) or right (faster).
    p.setPen(_pen(color))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawArc(QRectF(3.0, 6.0, 26.0, 26.0), 0 * 16, 180 * 16)
    p.drawLine(QPointF(3.0, 19.0), QPointF(29.0, 19.0))
    tip = QPointF(24.5, 10.0) if fast else QPointF(7.5, 10.0)
    p.setPen(_pen(color, 2.8))
    p.drawLine(QPointF(16.0, 19.0), tip)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawEllipse(QPointF(16.0, 19.0), 2.6, 2.6)


_DRAW = {
    "undo": lambda p, c: _undo(p, c, False),
    "redo": lambda p, c: _undo(p, c, True),
    "zoom_in": lambda p, c: _magnifier(p, c, "+"),
    "zoom_out": lambda p, c: _magnifier(p, c, "-"),
    "fit": _fit,
    "export_image": _picture,
    "slower": lambda p, c: _gauge(p, c, False),
    "faster": lambda p, c: _gauge(p, c, True),
}
NAMES = tuple(_DRAW)


def action_icon(name: str) -> QIcon:
    """The drawn icon ``name`` (one of :data:`NAMES`) in the application's button-text colour."""
    color = QApplication.palette().color(QPalette.ColorRole.ButtonText)
    return _cached(name, color.name())


@lru_cache(maxsize=None)
def _cached(name: str, color_name: str) -> QIcon:
    draw, color = _DRAW[name], QColor(color_name)
    return _icon(lambda p: draw(p, color))
