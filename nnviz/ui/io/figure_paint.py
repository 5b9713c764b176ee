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
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QLineF, QMarginsF, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintEngine,
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
from ..canvas.raster import rasterize_bundle

MAX_PIXELS = 400_000_000 // 4  # 400 MB of RGBA: beyond any slide, short of exhausting memory
MAX_SIDE = 32_767  # QImage and most viewers stop here
DOT = 1.7  # radius of a dot of the "⋮"
RASTER_ABOVE = 3000  # a layer pair with more lines than this is rasterised with NumPy in a PNG…
EXACT_RASTER_WORK = 4_000_000  # …with exact run ends while lines × pixel columns stay below this
_RENDER = QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing | QPainter.RenderHint.SmoothPixmapTransform


def png_size(figure: Figure, scale: float) -> tuple[int, int]:
    """Pixels of a PNG of ``figure`` at ``scale``; :class:`FigureError` saying what helps when it is too large."""
    w, h = max(1, round(figure.width * scale)), max(1, round(figure.height * scale))
    if w > MAX_SIDE or h > MAX_SIDE or w * h > MAX_PIXELS:
        fw, fh = max(figure.width, 1.0), max(figure.height, 1.0)
        fits = min(MAX_SIDE / fw, MAX_SIDE / fh, (MAX_PIXELS / (fw * fh)) ** 0.5)
        if fits >= 1.0:
            raise FigureError(QCoreApplication.translate(
                "figure_paint", "a {0} × {1} pixel picture is too large; lower the scale to {2} or less")
                .format(w, h, f"{math.floor(fits * 10) / 10:g}"))
        raise FigureError(QCoreApplication.translate(
            "figure_paint", "a {0} × {1} pixel picture is too large; it would be too large even at scale 1; "
            "save it as SVG or PDF, which have no pixel limit").format(w, h))
    return w, h


def figure_png(figure: Figure, scale: float = 2.0) -> QImage:
    """``figure`` as an ARGB image at ``scale`` pixels per unit (clear where the figure's background is transparent)."""
    w, h = png_size(figure, scale)
    image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise FigureError(QCoreApplication.translate(
            "figure_paint", "not enough memory for a {0} × {1} pixel picture; lower the scale").format(w, h))
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


def _raster_pairs(painter: QPainter, figure: Figure) -> np.ndarray:
    """Rasterise, with NumPy, the crowded layer pairs of a picture drawn to pixels; the edges left to draw as vectors.

    QPainter takes tens of seconds for the 10^5 translucent lines of a fully
    drawn 784-wide layer; the canvas's bundle rasteriser (nnviz.ui.canvas.raster)
    draws them in a fraction of that, from centre to centre (the neurons cover
    the ends). Dashed lines and arrowheads stay vectors.
    """
    e = figure.edges
    todo = np.ones(len(e), bool)
    engine = painter.paintEngine()
    t = painter.deviceTransform()
    if engine is None or engine.type() != QPaintEngine.Type.Raster or t.isRotating() or e.arrow != "none":
        return todo
    columns = np.array([n.column for n in figure.nodes])
    xs = np.array([n.x for n in figure.nodes])
    ys = np.array([n.y for n in figure.nodes])
    pair = columns[e.src]
    for c in np.unique(pair):
        idx = np.flatnonzero(pair == c)
        if len(idx) <= RASTER_ABOVE or e.dashed[idx].any():
            continue
        a, b = e.src[idx], e.dst[idx]
        if np.ptp(xs[a]) == 0 and np.ptp(xs[b]) == 0:  # a bundle running right
            along = (xs[a[0]] * t.m11() + t.dx(), xs[b[0]] * t.m11() + t.dx())
            start, end, scale, transpose = ys[a] * t.m22() + t.dy(), ys[b] * t.m22() + t.dy(), t.m11(), False
        elif np.ptp(ys[a]) == 0 and np.ptp(ys[b]) == 0:  # a bundle running up: drawn on its side, then turned
            along = (-(ys[a[0]] * t.m22() + t.dy()), -(ys[b[0]] * t.m22() + t.dy()))
            start, end, scale, transpose = xs[a] * t.m11() + t.dx(), xs[b] * t.m11() + t.dx(), t.m22(), True
        else:
            continue
        rgb = np.rint(e.rgba[idx, :3] * 255)
        palette, group = np.unique(rgb, axis=0, return_inverse=True)
        tau = -np.log1p(-np.minimum(e.rgba[idx, 3], 0.999))
        c0, c1 = math.floor(along[0]), math.ceil(along[1])
        # Rows enough for every line's run in its first and last pixel column (a steep line's run is |slope| long).
        slope = float(np.abs(end - start).max()) / max(along[1] - along[0], 1e-9)
        pad = slope + float(e.width[idx].max() * scale) * math.sqrt(1 + slope * slope) + 2
        r0 = math.floor(min(start.min(), end.min()) - pad)
        r1 = math.ceil(max(start.max(), end.max()) + pad)
        pixels = rasterize_bundle(start, end, along[0], along[1], tau, group.ravel(), e.width[idx] * scale,
                                  palette, (c0, c1), (r0, r1), len(idx) * (c1 - c0) <= EXACT_RASTER_WORK)
        if transpose:  # rows were the figure's columns, columns its rows counted upwards
            pixels = np.ascontiguousarray(pixels.transpose(1, 0, 2)[::-1])
            left, top = r0, -c1
        else:
            left, top = c0, r0
        h, w = pixels.shape[:2]
        image = QImage(pixels.data, w, h, w * 4, QImage.Format.Format_ARGB32_Premultiplied)
        painter.save()
        painter.resetTransform()
        painter.drawImage(QPointF(left, top), image)
        painter.restore()
        todo[idx] = False
    return todo


def _paint_edges(painter: QPainter, figure: Figure) -> None:
    e = figure.edges
    if not len(e):
        return
    todo = _raster_pairs(painter, figure)
    dx, dy = e.x2 - e.x1, e.y2 - e.y1
    length = np.hypot(dx, dy)
    length[length == 0] = 1.0
    ux, uy = dx / length, dy / length
    head = e.arrow != "none"
    # A filled head covers the line's end; an open one needs it up to the tip.
    back = e.arrow_size * 0.8 if e.arrow == "filled" else 0.0
    x2, y2 = e.x2 - ux * back, e.y2 - uy * back
    for _group, idx in e.groups():
        idx = idx[todo[idx]]
        if not len(idx):
            continue
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
