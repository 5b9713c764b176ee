"""One column of neurons (the input or a layer) as one item, and its label as another.

The two are apart because they change at different rates: neuron fills follow
every weight update during training, the label only an edit. Each keeps its
own cached picture.

A neuron is filled with one colour (the probe's activation, or white) or, when
the scene gives the column heatmaps (:mod:`.heatmaps`), with a picture of its
activation over the input plane inside the same outline (rasterised by
:mod:`.heat_discs`).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPaintEngine, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ..widgets import colors
from . import style
from .heat_discs import heat_discs
from .layout import ColumnLayout

TINY_RADIUS = 2.5  # below this a neuron is a solid dot (and has no room for a heatmap): an outline would swallow it
OUTLINE = 1.3
MAX_SPRITES = 4000
# Pixels across of a heatmap disc drawn as vectors (pictures, SVG): enough for
# an SVG to stay smooth when zoomed, resampled down by a PNG at its scale.
VECTOR_HEATMAP_PX = 64

# Pictures of one neuron at one device size and fill, shared by every column:
# blitting a small image is far cheaper than antialiasing two discs, and the
# canvas redraws every neuron at each training update.
_sprites: dict[tuple, QImage] = {}


def _sprite(kind: str, radius: float, outline: float, fill: int, edge: int, dpr: float) -> QImage:
    key = (kind, radius, outline, fill, edge, dpr)
    image = _sprites.get(key)
    if image is None:
        if len(_sprites) >= MAX_SPRITES:
            _sprites.clear()
        size = math.ceil(2 * (radius + outline) + 2)
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        p = QPainter(image)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            _outlined(p, kind, QPointF(size / 2, size / 2), radius, outline, QColor.fromRgb(edge), QColor.fromRgb(fill))
        finally:
            p.end()
        image.setDevicePixelRatio(dpr)
        _sprites[key] = image
    return image


def _images(pixels: np.ndarray, dpr: float = 1.0) -> list[QImage]:
    """QImages of ``pixels`` (k, h, w) uint32 0xAARRGGBB, premultiplied."""
    _, h, w = pixels.shape
    images = []
    for p in pixels:
        image = QImage(p.data, w, h, 4 * w, QImage.Format.Format_ARGB32_Premultiplied).copy()  # copy: own the pixels
        image.setDevicePixelRatio(dpr)
        images.append(image)
    return images


def _outlined(
    painter: QPainter, kind: str, c: QPointF, r: float, w: float, edge: QColor, fill: QColor | None, inside: QImage | None = None
) -> None:
    """An outlined disc (or rounded square) as two filled shapes: Qt fills far faster than it strokes.

    ``inside``, a picture of the inner shape (transparent around it), replaces the fill.
    """
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(edge)
    x, y = c.x(), c.y()
    inner = QRectF(x - r + w / 2, y - r + w / 2, 2 * r - w, 2 * r - w)
    if kind == "batchnorm":
        painter.drawRoundedRect(QRectF(x - r - w / 2, y - r - w / 2, 2 * r + w, 2 * r + w), r * 0.35, r * 0.35)
    else:
        painter.drawEllipse(c, r + w / 2, r + w / 2)
    if inside is not None:
        painter.drawImage(inner, inside)
        return
    painter.setBrush(fill)
    if kind == "batchnorm":
        painter.drawRoundedRect(inner, r * 0.25, r * 0.25)
    else:
        painter.drawEllipse(inner)


class LayerColumnItem(QGraphicsItem):
    """Paints every drawn neuron of a column and the "⋮" of an elided one."""

    def __init__(self, column: ColumnLayout, *, sprites: bool = False):
        super().__init__()
        self.column = column
        self.sprites = sprites
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the scene hit-tests by geometry
        self._fills: list[QColor] | None = None
        self._heatmaps: np.ndarray | None = None  # (n_drawn, n, n, 3) RGB pictures, or None: plain fills
        self._heat_images: dict[tuple, list[QImage]] = {}  # the neurons drawn with them, per device size
        self._bounds = column.body.adjusted(-2, -2, 2, 2)
        self._outline = QColor(colors.NEURON_OUTLINE)
        self._dashed = QPen(style.qcolor(colors.NEURON_OUTLINE, 0.8), min(1.1, column.radius * 0.3))
        self._dashed.setStyle(Qt.PenStyle.CustomDashLine)
        self._dashed.setDashPattern([2.2, 1.8])

    @property
    def layer(self) -> int:
        return self.column.layer

    def set_fills(self, rgb: np.ndarray | None) -> None:
        """Fill colours (n_drawn, 3) uint8 of the drawn neurons; ``None`` for plain white."""
        self._fills = None if rgb is None else [QColor(r, g, b) for r, g, b in rgb.tolist()]
        if self._heatmaps is None or self.column.radius < TINY_RADIUS:  # else the heatmaps hide the fills
            self.update()

    def fill_of(self, slot: int) -> QColor:
        return self._fills[slot] if self._fills is not None else QColor(colors.NEURON_FILL)

    def set_heatmaps(self, rgb: np.ndarray | None) -> None:
        """Pictures (n_drawn, n, n, 3) uint8, top row first, to fill the drawn neurons with instead of colours; ``None`` for fills."""
        if rgb is None and self._heatmaps is None:
            return
        self._heatmaps = rgb
        self._heat_images.clear()
        self.update()

    @property
    def heatmaps(self) -> np.ndarray | None:
        """The pictures the neurons show (see :meth:`set_heatmaps`)."""
        return self._heatmaps

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        c = self.column
        exposed = option.exposedRect
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        r = c.radius + OUTLINE
        slots = np.nonzero((c.ys + r >= exposed.top()) & (c.ys - r <= exposed.bottom()))[0]
        if len(slots):
            self._paint_neurons(painter, slots)
        if c.elided:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colors.ELISION))
            for dy in (-5.0, 0.0, 5.0):
                painter.drawEllipse(QPointF(c.x, c.gap_y - 9 + dy), 1.6, 1.6)

    def _paint_neurons(self, painter: QPainter, slots: np.ndarray) -> None:
        c = self.column
        r = c.radius
        x = c.x
        ys = c.ys[slots].tolist()
        if self._heatmaps is not None and r >= TINY_RADIUS:
            self._paint_heatmaps(painter, slots.tolist(), ys)
            return
        fills = [self.fill_of(s) for s in slots.tolist()]
        if r < TINY_RADIUS:
            painter.setPen(Qt.PenStyle.NoPen)
            for y, fill in zip(ys, fills):
                painter.setBrush(self._outline if self._fills is None else fill)
                painter.drawEllipse(QPointF(x, y), r, r)
            return
        if c.kind == "dropout":
            # Dashed: these units are sometimes dropped while training.
            painter.setPen(self._dashed)
            for y, fill in zip(ys, fills):
                painter.setBrush(fill)
                painter.drawEllipse(QPointF(x, y), r, r)
            return
        w = min(OUTLINE, r * 0.35)
        if self.sprites:
            local: dict[int, QImage] = {}
            kind, edge = c.kind, self._outline.rgb()

            def sprite(i: int, radius: float, outline: float, dpr: float) -> QImage:
                rgb = fills[i].rgb()
                image = local.get(rgb)
                if image is None:
                    image = local[rgb] = _sprite(kind, radius, outline, rgb, edge, dpr)
                return image

            if self._paint_sprites(painter, ys, w, sprite):
                return
        for y, fill in zip(ys, fills):
            _outlined(painter, c.kind, QPointF(x, y), r, w, self._outline, fill)

    def _heat_sprites(self, radius: float, outline: float, dpr: float) -> list[QImage]:
        """Every drawn neuron with its picture and outline at one device size, as :func:`_sprite` draws a plain one."""
        key = ("sprites", radius, outline, dpr)
        if key not in self._heat_images:
            size = math.ceil(2 * (radius + outline) + 2)
            pixels = heat_discs(self._heatmaps, self.column.kind, size, radius, outline, self._outline.getRgb()[:3])
            self._remember(key, _images(pixels, dpr))
        return self._heat_images[key]

    def _insides(self, size: int, w: float) -> list[QImage]:
        """Every drawn neuron's picture cut to the inside of its outline (``w`` wide), ``size`` pixels across."""
        key = ("insides", size, w)
        if key not in self._heat_images:
            k = size / max(2 * self.column.radius - w, 1e-6)  # the scene's shape, scaled to the image
            self._remember(key, _images(heat_discs(self._heatmaps, self.column.kind, size, k * self.column.radius, k * w)))
        return self._heat_images[key]

    def _remember(self, key: tuple, images: list[QImage]) -> None:
        if len(self._heat_images) >= 64:  # many zoom levels since the last refresh
            self._heat_images.clear()
        self._heat_images[key] = images

    def _paint_heatmaps(self, painter: QPainter, slots: list[int], ys: list[float]) -> None:
        c = self.column
        r, x = c.radius, c.x
        scale = max(abs(painter.deviceTransform().m11()), 1e-6)
        if c.kind == "dropout":
            # No solid outline to draw on: the picture fills the disc, the dashes go over it.
            insides = self._insides(max(VECTOR_HEATMAP_PX, math.ceil(2 * r * scale)), 0.0)
            for slot, y in zip(slots, ys):
                painter.drawImage(QRectF(x - r, y - r, 2 * r, 2 * r), insides[slot])
            painter.setPen(self._dashed)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for y in ys:
                painter.drawEllipse(QPointF(x, y), r, r)
            return
        w = min(OUTLINE, r * 0.35)
        if self.sprites and self._paint_sprites(painter, ys, w, lambda i, *size: self._heat_sprites(*size)[slots[i]]):
            return
        # Pictures and SVG: the outline as vectors, the picture inside as an image.
        insides = self._insides(max(VECTOR_HEATMAP_PX, math.ceil((2 * r - w) * scale)), w)
        for slot, y in zip(slots, ys):
            _outlined(painter, c.kind, QPointF(x, y), r, w, self._outline, None, insides[slot])

    def _paint_sprites(self, painter: QPainter, ys: list[float], w: float, sprite) -> bool:
        """Blit ``sprite(i, radius, outline, dpr)`` (device pixels) for each neuron ``i`` at ``ys[i]``; ``False`` if the painter cannot take sprites."""
        t = painter.deviceTransform()
        s = t.m11()
        engine = painter.paintEngine()
        if t.isRotating() or abs(s - t.m22()) > 1e-9 or s <= 0 or engine is None or engine.type() != QPaintEngine.Type.Raster:
            return False
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        # Device sizes on a quarter-pixel grid: zooming reuses pictures.
        radius = round(self.column.radius * s * 4) / 4
        outline = round(w * s * 4) / 4
        cx = self.column.x * s + t.dx()
        cys = np.asarray(ys) * s + t.dy()
        origin = style.device_point(painter, 0, 0)
        painter.save()
        try:
            painter.resetTransform()
            ox, oy = origin.x(), origin.y()
            for i, cy in enumerate(cys.tolist()):
                image = sprite(i, radius, outline, dpr)
                half = image.width() / 2
                painter.drawImage(QPointF(ox + round(cx - half) / dpr, oy + round(cy - half) / dpr), image)
        finally:
            painter.restore()
        return True


class ColumnLabelItem(QGraphicsItem):
    """A column's label ("Hidden 1" / "64 · relu" / "4,160 params"), its neuron names and the count an elision hides."""

    def __init__(self, column: ColumnLayout):
        super().__init__()
        self.column = column
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._title_font = style.title_font()
        self._subtitle_font = style.subtitle_font()
        self._small_font = style.small_font()
        bounds = column.label
        if column.names_rect is not None:
            bounds = bounds.united(column.names_rect)
        if column.elided:
            bounds = bounds.united(self._count_box())
        self._bounds = bounds.adjusted(-2, -2, 2, 2)

    @property
    def layer(self) -> int:
        return self.column.layer

    def _count_text(self) -> str:
        return f"+{self.column.units - len(self.column.neurons):,}"

    def _count_box(self) -> QRectF:
        fm = QFontMetricsF(self._small_font)
        w = fm.horizontalAdvance(self._count_text()) + 8
        h = fm.height() + 2
        return QRectF(self.column.x - w / 2, self.column.gap_y + 3, w, h)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        c = self.column
        exposed = option.exposedRect
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        if c.label.intersects(exposed):
            self._paint_label(painter)
        if c.names and c.names_rect is not None and c.names_rect.intersects(exposed):
            self._paint_names(painter)
        if c.elided:
            box = self._count_box()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(style.qcolor(colors.BACKGROUND, 0.92))  # the theme's background, light or dark
            painter.drawRoundedRect(box, box.height() / 2, box.height() / 2)
            painter.setFont(self._small_font)
            painter.setPen(QColor(colors.ELISION))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self._count_text())

    def _paint_label(self, painter: QPainter) -> None:
        c = self.column
        left, width, y = c.label.left(), c.label.width(), c.label.top()
        centred = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        lines = ((c.caption or c.title, self._title_font, colors.TEXT), (c.detail, self._subtitle_font, colors.TEXT),
                 (c.subtitle, self._subtitle_font, colors.SUBTEXT))
        for text, font, color in lines:
            if not text:
                continue
            painter.setFont(font)
            painter.setPen(QColor(color))
            h = painter.fontMetrics().height()
            painter.drawText(QRectF(left, y, width, h), centred, text)
            y += h + 2

    def _paint_names(self, painter: QPainter) -> None:
        c = self.column
        painter.setPen(QColor(colors.SUBTEXT))
        painter.setFont(self._small_font)
        h = painter.fontMetrics().height()
        rect = c.names_rect
        side = Qt.AlignmentFlag.AlignRight if c.layer == -1 else Qt.AlignmentFlag.AlignLeft
        for name, y in zip(c.names, c.ys.tolist()):
            painter.drawText(QRectF(rect.left(), y - h / 2, rect.width(), h), side | Qt.AlignmentFlag.AlignVCenter, name)
