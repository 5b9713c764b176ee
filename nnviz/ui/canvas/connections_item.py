"""All the connections between two adjacent columns, as one item.

One item per layer pair paints every line with a few ``drawLines`` calls, one
per colour bin (|w| relative to the pair's largest, times the sign), so a
recolour is a NumPy rebinning and a redraw costs a handful of calls however
many lines there are. Line endpoints are arrays built once per layout; the
``QLineF`` list is built lazily the first time lines are painted as vectors.

Very dense bundles on a raster device (every neuron of a 784-wide input)
are rasterised with NumPy instead (:mod:`.raster`): QPainter would take tens of
seconds for 100 000 long translucent lines. SVG always gets vector lines.
"""

from __future__ import annotations

import math
import weakref
from collections import OrderedDict

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPaintEngine, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ...core.figure import edges as figure_edges
from ...core.figure.style import FigureStyle
from ..widgets import colors
from . import style
from .layout import ColumnLayout
from .raster import rasterize_bundle

# A raster device gets NumPy rasterisation above this many lines…
RASTER_ABOVE = 3000
# …with exact (fractional) run ends while lines × device columns stay below this.
EXACT_RASTER_WORK = 4_000_000
# The canvas keeps each pair's picture unless it would take more pixels than
# this, and all pairs' pictures together within CACHE_BUDGET (the least
# recently drawn go first).
MAX_CACHE_PIXELS = 6_000_000
CACHE_BUDGET = 30_000_000
PASS_WIDTH = 1.0  # the grey 1-to-1 links into dropout / batch norm
# Crowded bundles get fainter lines, down to this mean optical depth (0.9 ≈ 60 % cover).
MEAN_DEPTH = 0.9
_VECTOR_ENGINES = {QPaintEngine.Type.SVG, QPaintEngine.Type.Pdf, QPaintEngine.Type.Picture}


class _CacheBudget:
    """Least-recently-drawn eviction of the pairs' pictures, across every scene."""

    def __init__(self, budget: int):
        self.budget = budget
        self.items: OrderedDict[int, tuple[weakref.ref, int]] = OrderedDict()

    def add(self, item: ConnectionsItem, pixels: int) -> None:
        self.items.pop(id(item), None)
        for key in [k for k, (ref, _) in self.items.items() if ref() is None]:  # items since rebuilt away
            del self.items[key]
        self.items[id(item)] = (weakref.ref(item), pixels)
        total = sum(p for _, p in self.items.values())
        while total > self.budget and len(self.items) > 1:
            _, (ref, p) = self.items.popitem(last=False)
            total -= p
            old = ref()
            if old is not None:
                old._cache = None
                old._cache_key = None


_cache_budget = _CacheBudget(CACHE_BUDGET)


_CANVAS_LOOK = FigureStyle()  # the figures' default lines are the canvas's


def bin_style(b: int, density: float = 1.0) -> tuple[float, float]:
    """Width and alpha of magnitude bin ``b`` (0 = smallest |w|) in a bundle of ``density`` (1 = sparse)."""
    return figure_edges.bin_style(b, density, _CANVAS_LOOK)


def bundle_density(src: ColumnLayout, dst: ColumnLayout) -> float:
    """1 for a sparse bundle (a few neurons a side), less the more lines crowd in."""
    return figure_edges.bundle_density(src, dst)


class ConnectionsItem(QGraphicsItem):
    """The lines from column ``src`` to column ``dst``.

    ``identity`` pairs (into a dropout or batch-norm column) link unit j to
    unit j in neutral grey: they pass values on, they hold no weights.
    """

    def __init__(
        self,
        src: ColumnLayout,
        dst: ColumnLayout,
        scheme: colors.ColorScheme,
        *,
        identity: bool = False,
        on_white: bool = False,
    ):
        super().__init__()
        # On the canvas the background is opaque (white, or the dark theme's): a line's opacity can
        # be mixed into its colour, and Qt draws opaque antialiased lines two
        # to five times faster than translucent ones. Pictures (transparent
        # backgrounds, SVG) keep true alpha.
        self.on_white = on_white
        self.src = src
        self.dst = dst
        self.identity = identity
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        if identity:
            self.src_idx = src.neurons
            self.dst_idx = dst.neurons
            self.y0 = src.ys.astype(np.float64)
            self.y1 = dst.ys.astype(np.float64)
        else:
            nd = len(dst.neurons)
            ns = len(src.neurons)
            self.src_idx = np.repeat(src.neurons, nd)
            self.dst_idx = np.tile(dst.neurons, ns)
            self.y0 = np.repeat(src.ys, nd).astype(np.float64)
            self.y1 = np.tile(dst.ys, ns).astype(np.float64)
        self.x0 = float(src.x)
        self.x1 = float(dst.x)
        self.density = bundle_density(src, dst)
        self.values = np.zeros(len(self.y0))  # weight of each drawn line
        self.scale = 0.0  # largest |w| of the whole pair
        self._groups: list[tuple[int, bool, int, int]] = []  # (bin, negative, start, stop) into _order
        self._order = np.arange(len(self.y0))
        self._key = np.zeros(len(self.y0), np.intp)
        self._lines: list[QLineF] | None = None
        self._sorted: list[QLineF] | None = None
        self._pens: dict[tuple[int, bool], QPen] = {}
        self._cache: QImage | None = None
        self._cache_key = None
        self._stretch: np.ndarray | None = None
        self.opacity_scale = 1.0
        pad = style.MAX_WIDTH
        top = min(float(self.y0.min()), float(self.y1.min())) if len(self.y0) else 0.0
        bottom = max(float(self.y0.max()), float(self.y1.max())) if len(self.y0) else 0.0
        self._bounds = QRectF(self.x0, top - pad, self.x1 - self.x0, bottom - top + 2 * pad)
        self.set_scheme(scheme)
        if identity:
            self._groups = [(0, False, 0, len(self.y0))]

    # -- state -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.y0)

    def set_scheme(self, scheme: colors.ColorScheme) -> None:
        self.scheme = scheme
        self._pens = {}
        if self.identity:
            pen = QPen(style.qcolor(colors.PASS_THROUGH), PASS_WIDTH)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            self._pens[(0, False)] = pen
        else:
            for b in range(style.BINS):
                width, alpha = bin_style(b, self.density)
                alpha = -np.expm1(np.log1p(-alpha) * self.opacity_scale)
                for negative in (False, True):
                    hex_color = scheme.negative if negative else scheme.positive
                    if self.on_white:
                        # Mixed into the canvas's background, light or dark (the theme's ink).
                        rgb = colors.hex_rgb(hex_color) * alpha + colors.hex_rgb(colors.BACKGROUND) * (1 - alpha)
                        color = QColor(*(int(round(c)) for c in rgb))
                    else:
                        color = style.qcolor(hex_color, alpha)
                    pen = QPen(color, width)
                    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                    self._pens[(b, negative)] = pen
        self.update()

    def set_weights(self, weights: np.ndarray | None, scale: float | None = None) -> None:
        """Rebin the lines for the pair's weight matrix (fan_in × units); ``None`` for identity pairs.

        Also takes a gradient matrix of the same shape (the scene's gradient
        mode). ``scale`` is the |value| that gets the widest, darkest bin; by
        default the largest of this matrix. Values above it share the top bin.
        """
        if self.identity or weights is None:
            return
        w = np.asarray(weights)
        values = w[self.src_idx, self.dst_idx].astype(np.float64)
        own = float(np.abs(w).max()) if w.size else 0.0
        if not math.isfinite(own):  # a diverged run: draw what is finite
            finite = np.abs(w[np.isfinite(w)])
            own = float(finite.max()) if finite.size else 0.0
            values = np.nan_to_num(values, nan=0.0, posinf=own, neginf=-own)
        if scale is None or not math.isfinite(scale):
            scale = own
        self.values = values
        self.scale = scale
        mag = np.abs(values) / scale if scale > 0 else np.zeros_like(values)
        b = np.minimum((mag * style.BINS).astype(np.intp), style.BINS - 1)
        key = b * 2 + (values < 0)
        if self._groups and np.array_equal(key, self._key):
            return  # every line keeps its width and colour: no repaint (most training updates, late on)
        order = np.argsort(key, kind="stable")
        counts = np.bincount(key, minlength=2 * style.BINS)
        starts = np.concatenate([[0], np.cumsum(counts)])
        self._groups = [
            (k // 2, bool(k % 2), int(starts[k]), int(starts[k + 1])) for k in range(2 * style.BINS) if counts[k]
        ]
        self._order = order
        self._key = key
        self._sorted = None
        self._update_opacity()
        self.update()

    def _update_opacity(self) -> None:
        """Thin out the opacity of bundles so crowded that they would paint a solid block.

        The mean optical depth over the bundle's height is the sum, over lines, of
        each line's depth times its vertical thickness (``w·sqrt(1 + s²)``),
        divided by that height; it is the same at any zoom, so the picture does
        not change with the zoom or with which part is exposed.
        """
        if self.identity or not len(self.y0):
            return
        # Per bin: depth × width; per line: its vertical stretch (geometry only, kept).
        styles = np.array([bin_style(b, self.density) for b in range(style.BINS)])
        per_bin = -np.log1p(-styles[:, 1]) * styles[:, 0]
        if self._stretch is None:
            slope = (self.y1 - self.y0) / (self.x1 - self.x0)
            height = max(float(max(self.y0.max(), self.y1.max()) - min(self.y0.min(), self.y1.min())), 1.0)
            self._stretch = np.sqrt(1 + slope * slope) / height
        depth = float(np.dot(per_bin[self._key // 2], self._stretch))
        scale = min(1.0, MEAN_DEPTH / depth) if depth > 0 else 1.0
        if abs(scale - self.opacity_scale) > 1e-3:
            self.opacity_scale = scale
            self.set_scheme(self.scheme)

    def line_bins(self) -> np.ndarray:
        """Per line, the width bin it is drawn in (0 = thinnest, ``style.BINS - 1`` = thickest)."""
        return self._key // 2

    def line_negative(self) -> np.ndarray:
        """Per line, whether it is drawn in the negative colour."""
        return (self._key % 2).astype(bool)

    def line_width(self, i: int) -> float:
        if self.identity:
            return PASS_WIDTH
        return bin_style(int(self._key[i]) // 2, self.density)[0]

    def line_color(self, i: int) -> QColor:
        if self.identity:
            return style.qcolor(colors.PASS_THROUGH)
        return QColor(self.scheme.negative if self.values[i] < 0 else self.scheme.positive)

    def line(self, i: int) -> QLineF:
        return QLineF(self.x0, float(self.y0[i]), self.x1, float(self.y1[i]))

    def line_at(self, pos: QPointF, tolerance: float) -> int | None:
        """Index of the drawn line nearest to ``pos`` within ``tolerance`` (plus half its width)."""
        px, py = pos.x(), pos.y()
        if not len(self.y0) or not self.x0 <= px <= self.x1:
            return None
        dx = self.x1 - self.x0
        dy = self.y1 - self.y0
        t = np.clip(((px - self.x0) * dx + (py - self.y0) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
        dist = np.hypot(self.x0 + t * dx - px, self.y0 + t * dy - py)
        widths = np.array([bin_style(b, self.density)[0] for b in range(style.BINS)])
        half = 0.6 if self.identity else widths[self._key // 2] / 2
        slack = dist - half
        i = int(np.argmin(slack))
        return i if slack[i] <= tolerance else None

    # -- painting --------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _sorted_lines(self) -> list[QLineF]:
        if self._lines is None:
            # From rim to rim: the neurons cover the rest, and every pixel of a
            # line costs (Qt antialiases each one on its own).
            dx = self.x1 - self.x0
            dy = self.y1 - self.y0
            length = np.hypot(dx, dy)
            ux, uy = dx / length, dy / length
            a = max(self.src.radius - 1.0, 0.0)
            b = max(self.dst.radius - 1.0, 0.0)
            xs0, ys0 = (self.x0 + a * ux).tolist(), (self.y0 + a * uy).tolist()
            xs1, ys1 = (self.x1 - b * ux).tolist(), (self.y1 - b * uy).tolist()
            self._lines = [QLineF(*p) for p in zip(xs0, ys0, xs1, ys1)]
        if self._sorted is None:
            lines = self._lines
            self._sorted = [lines[i] for i in self._order.tolist()]
        return self._sorted

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        if not self._groups:
            return
        exposed = option.exposedRect.intersected(self._bounds)
        if exposed.isEmpty():
            return
        engine = painter.paintEngine()
        vector = engine is None or engine.type() in _VECTOR_ENGINES
        if not vector and self.on_white and self._paint_cached(painter):
            return
        painter.save()
        try:
            painter.setClipRect(exposed)
            self._draw(painter, exposed, raster=not vector)
        finally:
            painter.restore()

    def _draw(self, painter: QPainter, exposed: QRectF, raster: bool) -> None:
        if raster and not self.identity and len(self) > RASTER_ABOVE and self._paint_raster(painter, exposed):
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        lines = self._sorted_lines()
        for b, negative, start, stop in self._groups:
            painter.setPen(self._pens[(b, negative)])
            painter.drawLines(lines[start:stop])

    def update(self, *args) -> None:  # noqa: D102 - also drops the cached picture
        self._cache_key = None
        super().update(*args)

    def _paint_cached(self, painter: QPainter) -> bool:
        """Blit the pair from an opaque picture kept at the device's resolution.

        Redrawn only when the weights, colours or zoom change: a frame where
        nothing changed costs one image copy. The picture is opaque (on the
        canvas's white), which Qt both draws into and copies fastest; items
        that must show through sit above the connections.
        """
        t = painter.deviceTransform()
        if t.isRotating() or t.m11() <= 0 or t.m22() <= 0:
            return False
        dev = t.mapRect(self._bounds)
        left, top = math.floor(dev.left()), math.floor(dev.top())
        w, h = math.ceil(dev.right()) - left, math.ceil(dev.bottom()) - top
        if w <= 0 or h <= 0 or w * h > MAX_CACHE_PIXELS:
            return False
        key = (t.m11(), t.m22(), t.dx() - math.floor(t.dx()), t.dy() - math.floor(t.dy()), w, h)
        if key != self._cache_key or self._cache is None:
            image = self._cache
            if image is None or image.width() != w or image.height() != h:
                image = QImage(w, h, QImage.Format.Format_RGB32)
            image.setDevicePixelRatio(1.0)  # painted in device pixels; the blit below sets the ratio
            image.fill(QColor(colors.BACKGROUND))
            p = QPainter(image)
            try:  # an active painter left behind by an exception would crash Qt later
                p.setTransform(t * QTransform.fromTranslate(-left, -top))
                self._draw(p, self._bounds, raster=True)
            finally:
                p.end()
            self._cache = image
            self._cache_key = key
            _cache_budget.add(self, w * h)
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        self._cache.setDevicePixelRatio(dpr)
        origin = style.device_point(painter, left, top)
        painter.save()
        try:
            painter.resetTransform()
            painter.drawImage(origin, self._cache)
        finally:
            painter.restore()
        return True

    def _paint_raster(self, painter: QPainter, exposed: QRectF) -> bool:
        t = painter.deviceTransform()
        if t.isRotating() or t.m11() <= 0 or t.m22() <= 0:
            return False
        dpr = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        sx, sy = t.m11(), t.m22()
        xa, xb = self.x0 * sx + t.dx(), self.x1 * sx + t.dx()
        dev = t.mapRect(exposed)
        c0 = max(math.floor(dev.left()), math.floor(xa))
        c1 = min(math.ceil(dev.right()), math.ceil(xb))
        r0 = math.floor(dev.top())
        r1 = math.ceil(dev.bottom())
        if c1 <= c0 or r1 <= r0:
            return True
        widths_alphas = [bin_style(b, self.density) for b in range(style.BINS)]
        width = np.array([w for w, _ in widths_alphas])[self._key // 2] * sx
        alpha = np.array([a for _, a in widths_alphas])[self._key // 2]
        tau = -np.log1p(-alpha) * self.opacity_scale
        cols = np.array([colors.hex_rgb(self.scheme.positive), colors.hex_rgb(self.scheme.negative)])
        exact = len(self) * (c1 - c0) <= EXACT_RASTER_WORK
        pixels = rasterize_bundle(
            self.y0 * sy + t.dy(), self.y1 * sy + t.dy(), xa, xb, tau, self._key % 2, width, cols,
            (c0, c1), (r0, r1), exact,
        )
        h, w = pixels.shape[:2]
        image = QImage(pixels.data, w, h, w * 4, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(dpr)
        origin = style.device_point(painter, c0, r0)
        painter.resetTransform()  # the caller restores it
        painter.drawImage(origin, image)
        return True
