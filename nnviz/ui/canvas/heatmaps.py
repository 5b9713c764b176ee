"""Per-neuron heatmaps: what each hidden unit responds to over the input plane.

When the network has 2 inputs and the data 2 features (see
:mod:`nnviz.ui.model.input_plane`), every hidden unit — dense layers but the output
layer, and the batch-norm and dropout columns between them — can be drawn as a
small picture of its activation over the plane, as TensorFlow Playground draws
its neurons. One :meth:`~nnviz.core.network.Network.trace` of a ``GRID`` ×
``GRID`` grid gives every unit's picture at once.

Colours: white at 0, the colour scheme's positive / negative hue towards
± the unit's *own* largest |activation| over the plane. A per-unit scale
shows the *shape* of what a unit detects whatever its size and whatever the
activation: ReLU has no natural range, sigmoid's (0, 1) would be one hue
only, and a layer-wide scale would leave the weaker units of a layer a blank
white. The size is not lost: the large view on hover prints the range. A unit
that is (almost) 0 everywhere stays white rather than showing its round-off
noise at full strength.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from ...core import memory
from ...core.counting import count
from ...core.numbers import human_bytes
from ..widgets import colors
from ..model.document import Document
from ..model.input_plane import InputPlane, input_plane
from ..model.input_plane import applies as plane_applies

GRID = 24  # samples per axis of a neuron's picture on the canvas
# The large view on hover: as many samples per axis as its pixels (heatmap_popup.IMAGE), unless one
# trace of that many points would cost more than LARGE_BUDGET multiply-adds
# (a 2-512-512-1 network gets fewer, never fewer than GRID).
LARGE_GRID = 160
LARGE_BUDGET = 12_000_000
# While a run goes, the large view follows the weights with a trace that fits
# the drawing budget: at LARGE_BUDGET the spiral network's added ~17 ms to a
# refresh (160 × 160 points), at this one ~4.5 ms (76 × 76). It sharpens when
# the run stops.
LIVE_LARGE_BUDGET = 2_000_000
# One trace keeps every hidden unit's activations over the whole grid; a layer of 100,000 units would
# hold hundreds of megabytes per picture refresh, so networks whose trace would hold more than this go
# without pictures (their neurons are plain fills, as when heatmaps are switched off).
MAX_TRACE_BYTES = 64 * 1024**2
SILENT = 1e-6  # a unit whose |activation| stays below this everywhere is drawn white
# Shades per sign: as colors.signed_fill(…, levels=LEVELS), finer than 8-bit
# colour tells apart, and a table look-up is far cheaper than computing each
# pixel's colour (48 pictures of 24 × 24: ~1 ms instead of ~4 ms).
LEVELS = 255


def heatmap_layers(doc: Document) -> range:
    """The layers whose units get pictures: every layer but the output layer."""
    return range(len(doc.spec.layers) - 1)


def applies(doc: Document) -> bool:
    """Whether ``doc`` has heatmaps to show: an input plane and at least one hidden layer."""
    return plane_applies(doc) and len(heatmap_layers(doc)) > 0 and affordable(doc, GRID)


def left_out(doc: Document) -> str | None:
    """Why hidden neurons go without pictures although there is a plane (too wide to trace), or None."""
    if not plane_applies(doc) or not len(heatmap_layers(doc)) or affordable(doc, GRID):
        return None
    size, _macs = memory.grid_cost(doc.spec, GRID * GRID, doc.network.dtype)
    return QCoreApplication.translate(
        "NeuronHeatmaps", "hidden neurons: no pictures over the plane (too wide: one trace would hold {0})").format(
        human_bytes(size))


def affordable(doc: Document, n: int) -> bool:
    """Whether one trace of an ``n`` × ``n`` grid stays within :data:`MAX_TRACE_BYTES`."""
    size, _macs = memory.grid_cost(doc.spec, n * n, doc.network.dtype)
    return size <= MAX_TRACE_BYTES


@dataclass(frozen=True)
class NeuronHeatmaps:
    """Every hidden unit's activation over one input plane (one forward pass of its grid)."""

    plane: InputPlane
    activations: list[np.ndarray]  # per hidden layer, (n², units), in the plane's point order

    def values(self, layer: int, neuron: int) -> np.ndarray:
        """Unit ``neuron`` of ``layer`` over the plane: (n, n), rows up in x2, columns right in x1."""
        n = self.plane.n
        return self.activations[layer][:, neuron].reshape(n, n)

    def value_range(self, layer: int, neuron: int) -> tuple[float, float]:
        """Smallest and largest finite activation over the plane (``nan``, ``nan`` if none is finite)."""
        v = self.activations[layer][:, neuron]
        v = v[np.isfinite(v)]
        return (float(v.min()), float(v.max())) if v.size else (math.nan, math.nan)

    def image(self, layer: int, neuron: int, scheme: colors.ColorScheme) -> QImage:
        """The unit's picture, x2 up (the top row is the largest x2), one pixel per sample."""
        return heatmap_image(self.values(layer, neuron), scheme)

    def rgb(self, selection: list[tuple[int, np.ndarray]], scheme: colors.ColorScheme) -> list[np.ndarray]:
        """The pictures of the units ``neurons`` of ``layer`` for each ``(layer, neurons)``: (k, n, n, 3) uint8 each,
        top row first. All are coloured in one NumPy pass (a few times a second while training)."""
        n = self.plane.n
        values = np.concatenate([self.activations[layer][:, neurons] for layer, neurons in selection], axis=1)
        pictures = heatmap_rgb(values.reshape(n, n, -1), scheme)
        return np.split(pictures, np.cumsum([len(neurons) for _, neurons in selection])[:-1])


def compute(doc: Document, n: int = GRID) -> NeuronHeatmaps | None:
    """The hidden units of ``doc``'s network over an ``n`` × ``n`` plane; ``None`` when there is no plane or no hidden layer."""
    layers = heatmap_layers(doc)
    plane = input_plane(doc, n)
    if plane is None or not len(layers) or not affordable(doc, n):
        return None
    steps = doc.network.trace(plane.inputs)
    return NeuronHeatmaps(plane, [steps[i]["a"] for i in layers])


def large_grid(doc: Document, live: bool = False) -> int:
    """Samples per axis of the large view: :data:`LARGE_GRID`, fewer for costly networks or while training (``live``)."""
    macs = max(1, count(doc.spec).macs)
    budget = LIVE_LARGE_BUDGET if live else LARGE_BUDGET
    per_point, _ = memory.grid_cost(doc.spec, 1, doc.network.dtype)
    within_memory = math.isqrt(MAX_TRACE_BYTES // max(per_point, 1))  # never a grid compute() leaves out
    return max(GRID, min(LARGE_GRID, math.isqrt(budget // macs), within_memory))


def heatmap_image(values: np.ndarray, scheme: colors.ColorScheme) -> QImage:
    """An RGB image of ``values`` (n, m), rows up in x2: white at 0, the scheme's hues at ± max |value|."""
    rgb = heatmap_rgb(values[:, :, None], scheme)[0]
    h, w = values.shape
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()  # copy: own the pixels


def heatmap_rgb(values: np.ndarray, scheme: colors.ColorScheme) -> np.ndarray:
    """The colours of each ``values[:, :, k]`` (rows up in x2), each on its own scale: (k, h, w, 3) uint8, top row first."""
    values = np.asarray(values, dtype=np.float64)
    h, w, k = values.shape
    size = np.abs(values)
    size[~np.isfinite(size)] = 0.0
    scale = size.reshape(-1, k).max(axis=0) if size.size else np.zeros(k)
    scale[scale < SILENT] = 0.0  # all white
    # Relative to each unit's own scale, then one colouring for all of them.
    relative = np.divide(values, scale, out=np.zeros_like(values), where=scale > 0)
    np.nan_to_num(relative, copy=False, nan=0.0)
    np.clip(relative, -1.0, 1.0, out=relative)
    shade = np.rint(relative * LEVELS).astype(np.intp) + LEVELS
    # Images run top-down, the plane bottom-up. The ink's fill is part of the key: 0 is the theme's background.
    return _palette(scheme, colors.NEURON_FILL)[shade[::-1].transpose(2, 0, 1)]


@lru_cache(maxsize=8)
def _palette(scheme: colors.ColorScheme, fill: str) -> np.ndarray:
    """The 2 · LEVELS + 1 colours from -1 (negative hue) through 0 (``fill``, white) to 1 (positive hue)."""
    return colors.signed_fill(np.arange(-LEVELS, LEVELS + 1) / LEVELS, 1.0, scheme, LEVELS)
