"""Sizes and fonts of the canvas, in scene units (one unit is one pixel at 100 % zoom or 1× export)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontInfo, QPainter
from PySide6.QtWidgets import QApplication

from ...core.figure import layout as figure_layout
from ..widgets import colors

# A column with more neurons than this is drawn elided: the first and last
# ELIDE_KEEP neurons with "⋮" between them; the label keeps the true count.
# ELIDE_SLOTS is the neuron pitches the "⋮" takes. The figures' layout's numbers: one source.
ELIDE_ABOVE, ELIDE_KEEP, ELIDE_SLOTS = figure_layout.ELIDE_ABOVE, figure_layout.ELIDE_KEEP, figure_layout.ELIDE_SLOTS

PITCH = 28.0  # vertical distance between neuron centres
RADIUS = 9.5
PASS_RADIUS = 7.0  # dropout / batch-norm units: smaller, they hold no weights
# Hidden columns whose neurons show heatmaps: bigger neurons, so that a picture
# still reads when a deep network is zoomed out to fit the window.
HEATMAP_PITCH = 40.0
HEATMAP_RADIUS = 14.0
HEATMAP_PASS_RADIUS = 11.0
DENSE_GAP = 200.0  # distance between columns joined by weights
PASS_GAP = 96.0  # distance to a dropout / batch-norm column (1-to-1 links)
LABEL_SPACING = 22.0  # least horizontal room between two column labels
LABEL_GAP = 26.0  # from the lowest neuron to the labels
NAME_GAP = 8.0  # from a neuron to its input / output name
NAME_MAX_WIDTH = 120.0
NAME_MIN_PITCH = 14.0  # below this the names would collide: leave them out
# In the window the neurons of a short network spread out to use the canvas's
# height, by at most this factor; they grow by at most MAX_GROWTH.
MAX_STRETCH = 1.8
MAX_GROWTH = 1.3
# No text on the canvas is drawn smaller than this many screen pixels: fitting a
# network to the window stops at the zoom that keeps its smallest text this big,
# and scrolls beyond.
READABLE_PX = 9.0
# With every neuron drawn (export), no column gets taller than this; its
# neurons shrink to fit.
FULL_MAX_HEIGHT = figure_layout.FULL_MAX_EXTENT

# Connections: |w| relative to the layer pair's largest falls in one of BINS
# bins; each bin is one pen, one drawLines call per sign.
BINS = 8
MIN_WIDTH, MAX_WIDTH = 0.5, 3.4
MIN_ALPHA, MAX_ALPHA = 0.16, 0.95


def qcolor(hex_color: str, alpha: float = 1.0) -> QColor:
    c = QColor(hex_color)
    c.setAlphaF(alpha)
    return c


@lru_cache(maxsize=None)
def _family() -> str:
    # The family the platform really uses ("DejaVu Sans", "Segoe UI"…), not an
    # alias like "Sans Serif" that an SVG viewer would not know.
    app = QApplication.instance()
    return QFontInfo(app.font() if app is not None else QFont()).family()


def font(pixel_size: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    f = QFont(_family())
    f.setPixelSize(round(pixel_size))
    f.setWeight(weight)
    # Hinting would snap glyphs to the screen's pixels and make text widths
    # change with zoom; the canvas scales, so keep the outlines exact.
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f


def title_font() -> QFont:
    return font(13, QFont.Weight.DemiBold)


def subtitle_font() -> QFont:
    return font(11)


SMALLEST_TEXT_PX = 10.5  # the small font's: neuron names, elision counts


def small_font() -> QFont:
    return font(SMALLEST_TEXT_PX)


TEXT = colors.TEXT
SUBTEXT = colors.SUBTEXT


def device_point(painter: QPainter, x: float, y: float) -> QPointF:
    """Where device pixel (x, y) is once the painter's world transform is reset.

    Not simply (x, y) / dpr: a widget painting into its window's backing store
    (or a grab of the window) has its offset in the device transform too.
    """
    painter.save()
    try:
        painter.resetTransform()
        base = painter.deviceTransform()
    finally:
        painter.restore()
    inverse, _ = base.inverted()
    return inverse.map(QPointF(x, y))
