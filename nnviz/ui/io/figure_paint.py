"""Paint a :class:`~nnviz.core.figure.Figure` with QPainter: PNG (QImage), SVG and PDF from one function.

:func:`paint_figure` draws the figure's primitives in figure units (one unit
is one CSS pixel); :func:`figure_png` scales them to pixels, :func:`figure_svg`
keeps them as SVG user units, :func:`figure_pdf` writes them at 96 units an
inch (0.75 pt a unit) on a page the size of the figure, as vectors.
"""

from __future__ import annotations

import math
import re

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLineF, QMarginsF, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPolygonF,
)
from PySide6.QtSvg import QSvgGenerator

from ...core.figure import Figure, FigureError, Text
from ...core.figure.model import anchored
from ..canvas import style as canvas_style

MAX_PIXELS = 400_000_000 // 4  # 400 MB of RGBA: beyond any slide, short of exhausting memory
MAX_SIDE = 32_767  # QImage and most viewers stop here
DOT = 1.7  # radius of a dot of the "⋮"
_RENDER = QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing | QPainter.RenderHint.SmoothPixmapTransform


def png_size(figure: Figure, scale: float) -> tuple[int, int]:
    """Pixels of a PNG of ``figure`` at ``scale``; :class:`FigureError` saying what helps when it is too large."""
    w, h = max(1, round(figure.width * scale)), max(1, round(figure.height * scale))
    if w > MAX_SIDE or h > MAX_SIDE or w * h > MAX_PIXELS:
        fw, fh = max(figure.width, 1.0), max(figure.height, 1.0)
        fits = min(MAX_SIDE / fw, MAX_SIDE / fh, (MAX_PIXELS / (fw * fh)) ** 0.5)
        if fits >= 1.0:
            hint = f"lower the scale to {math.floor(fits * 10) / 10:g} or less"
        else:
            hint = "it would be too large even at scale 1; save it as SVG or PDF, which have no pixel limit"
        raise FigureError(f"a {w} × {h} pixel picture is too large; {hint}")
    return w, h


def figure_png(figure: Figure, scale: float = 2.0) -> QImage:
    """``figure`` as an ARGB image at ``scale`` pixels per unit (clear where the figure's background is transparent)."""
    w, h = png_size(figure, scale)
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise FigureError(f"not enough memory for a {w} × {h} pixel picture; lower the scale")
    image.fill(QColor(0, 0, 0, 0))
    _paint_on(image, figure, (w / figure.width, h / figure.height))
    return image


def figure_svg(figure: Figure, title: str = "") -> bytes:
    """``figure`` as an SVG document, one user unit per figure unit."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(round(figure.width), round(figure.height)))
    generator.setViewBox(QRectF(0, 0, figure.width, figure.height))
    generator.setResolution(96)
    generator.setTitle(title or figure.title or "Neural network")
    generator.setDescription("Drawn by nnviz")
    _paint_on(generator, figure)
    return font_fallbacks(bytes(buffer.data()))


def figure_pdf(figure: Figure, title: str = "") -> bytes:
    """``figure`` as a one-page vector PDF, the page exactly the figure (0.75 pt a unit), no margins."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(96)  # one device unit per figure unit
    size = QPageSize(QSizeF(figure.width * 0.75, figure.height * 0.75), QPageSize.Unit.Point, "figure",
                     QPageSize.SizeMatchPolicy.ExactMatch)
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point))
    writer.setTitle(title or figure.title or "Neural network")
    writer.setCreator("nnviz")
    _paint_on(writer, figure)
    buffer.close()
    return bytes(data)


def _paint_on(device, figure: Figure, scale: tuple[float, float] = (1.0, 1.0)) -> None:
    painter = QPainter(device)
    try:  # an active painter left behind by an exception would crash Qt later
        painter.setRenderHints(_RENDER)
        painter.scale(*scale)
        paint_figure(painter, figure)
    finally:
        painter.end()


def font_fallbacks(svg: bytes) -> bytes:
    """Give every text of an SVG a CSS fallback list, so a viewer without our font still draws sans-serif."""

    def widen(match: re.Match) -> bytes:
        family = match.group(1).decode()
        return f"font-family=\"'{family}', 'Helvetica Neue', Arial, sans-serif\"".encode()

    return re.sub(rb'font-family="([^"\',]*)"', widen, svg)


def qcolor(hex_color: str, alpha: float = 1.0) -> QColor:
    c = QColor(hex_color)
    c.setAlphaF(max(0.0, min(1.0, float(alpha))))
    return c


def paint_figure(painter: QPainter, figure: Figure) -> None:
    """Draw ``figure`` with ``painter`` in figure units (the caller sets any scale)."""
    painter.save()
    try:
        if figure.background is not None:
            painter.fillRect(QRectF(0, 0, figure.width, figure.height), QColor(figure.background))
        _paint_edges(painter, figure)
        for line in figure.lines:
            painter.setPen(_pen(qcolor(line.color, line.alpha), line.width, line.dashed))
            painter.drawLine(QLineF(line.x1, line.y1, line.x2, line.y2))
        _paint_images(painter, figure)
        _paint_nodes(painter, figure)
        _paint_elisions(painter, figure)
        _paint_texts(painter, figure)
    finally:
        painter.restore()


def _pen(color: QColor, width: float, dashed: bool = False) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    if dashed:
        pen.setDashPattern([4.0, 2.5])  # in widths: long enough to read as a dash at any width
    return pen


def _paint_edges(painter: QPainter, figure: Figure) -> None:
    e = figure.edges
    if not len(e):
        return
    dx, dy = e.x2 - e.x1, e.y2 - e.y1
    length = np.hypot(dx, dy)
    length[length == 0] = 1.0
    ux, uy = dx / length, dy / length
    head = e.arrow != "none"
    # A filled head covers the line's end; an open one needs it up to the tip.
    back = e.arrow_size * 0.8 if e.arrow == "filled" else 0.0
    x2, y2 = e.x2 - ux * back, e.y2 - uy * back
    for _group, idx in e.groups():
        i0 = int(idx[0])
        r, g, b, a = e.rgba[i0]
        color = QColor.fromRgbF(float(r), float(g), float(b), float(a))
        painter.setPen(_pen(color, float(e.width[i0]), bool(e.dashed[i0])))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        lines = [QLineF(*p) for p in zip(e.x1[idx].tolist(), e.y1[idx].tolist(), x2[idx].tolist(), y2[idx].tolist())]
        painter.drawLines(lines)
        if head:
            _paint_heads(painter, e, idx, ux, uy, color)


def _paint_heads(painter: QPainter, e, idx: np.ndarray, ux: np.ndarray, uy: np.ndarray, color: QColor) -> None:
    s = e.arrow_size
    tip_x, tip_y = e.x2[idx], e.y2[idx]
    bx, by = tip_x - ux[idx] * s, tip_y - uy[idx] * s
    half = s * 0.45
    lx, ly = bx - uy[idx] * half, by + ux[idx] * half
    rx, ry = bx + uy[idx] * half, by - ux[idx] * half
    pen = QPen(color, max(0.6, min(float(e.width[idx[0]]), 1.2)))
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    filled = e.arrow == "filled"
    painter.setBrush(QBrush(color) if filled else Qt.BrushStyle.NoBrush)
    for pts in zip(lx.tolist(), ly.tolist(), tip_x.tolist(), tip_y.tolist(), rx.tolist(), ry.tolist()):
        polygon = QPolygonF([QPointF(pts[0], pts[1]), QPointF(pts[2], pts[3]), QPointF(pts[4], pts[5])])
        if filled:
            painter.drawPolygon(polygon)
        else:
            painter.drawPolyline(polygon)


def _paint_images(painter: QPainter, figure: Figure) -> None:
    for im in figure.images:
        rows, cols = im.rgba.shape[:2]
        pixels = np.ascontiguousarray(im.rgba, dtype=np.uint8)
        image = QImage(pixels.data, cols, rows, cols * 4, QImage.Format.Format_RGBA8888).copy()
        rect = QRectF(im.x, im.y, im.w, im.h)
        painter.save()
        if im.round:
            clip = QPainterPath()
            clip.addEllipse(rect)
            painter.setClipPath(clip)
        # Each sample a crisp square, as on the canvas: a heatmap's cells are data, not a photo.
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(rect, image)
        painter.restore()


def _paint_nodes(painter: QPainter, figure: Figure) -> None:
    for n in figure.nodes:
        pen = QPen(QColor(n.stroke), n.stroke_width)
        if n.dashed:
            pen.setDashPattern([2.5, 2.0])
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush if n.fill == "none" else QBrush(QColor(n.fill)))
        painter.drawEllipse(QPointF(n.x, n.y), n.r, n.r)


def _paint_elisions(painter: QPainter, figure: Figure) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    for el in figure.elisions:
        painter.setBrush(QColor(el.color))
        for k in (-1, 0, 1):
            d = k * el.size / 2
            x, y = (el.x, el.y + d) if el.vertical else (el.x + d, el.y)
            painter.drawEllipse(QPointF(x, y), DOT, DOT)


def text_font(t: Text) -> QFont:
    """The font of ``t``: the canvas's family at ``t.size`` pixels."""
    f = QFont(canvas_style.font(13).family())
    f.setPointSizeF(t.size * 0.75)  # every device here is 96 dpi: points keep a fitted label's fractional size
    f.setWeight(QFont.Weight.DemiBold if t.bold else QFont.Weight.Normal)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f


def text_rect(t: Text, fm: QFontMetricsF) -> QRectF:
    """Where ``t`` is drawn: its box placed so that the anchor point is ``(t.x, t.y)``."""
    w, h = fm.horizontalAdvance(t.text), fm.ascent() + fm.descent()
    left, top = anchored(t.x, t.y, w, h, t.anchor)
    return QRectF(left, top, w, h)


def _paint_texts(painter: QPainter, figure: Figure) -> None:
    for t in figure.texts:
        font = text_font(t)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        rect = text_rect(t, fm)
        painter.setPen(QColor(t.color))
        painter.drawText(QPointF(rect.left(), rect.top() + fm.ascent()), t.text)
