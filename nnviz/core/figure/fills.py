"""What fills a figure's neurons: a colour by role or by layer, the probe's activations, or heatmaps over the input plane.

Heatmaps follow the canvas (nnviz.ui.canvas.heatmaps): one trace of a
:data:`GRID` × :data:`GRID` grid over the data's range (plus a margin) gives
every hidden unit's picture; each unit is coloured on its own scale, white at
0. They need a 2-input network and the 2-feature data its file names; where
there is none the neurons stay plain and the figure's notes say why.
"""

from __future__ import annotations

import numpy as np

from ..colors import LIGHT_INK, ColorScheme, color_scheme, signed_rgb
from ..datasets import DatasetError
from ..memory import grid_cost
from .layout import Column
from .style import FigureStyle

# Light tints, so that lines and labels stay readable over them and they print as light greys.
ROLE_FILLS = {"input": "#d4edd0", "hidden": "#d6e4f7", "output": "#fde3b6", "pass": "#ffffff"}
LAYER_FILLS = ("#d4edd0", "#d6e4f7", "#e7dcf5", "#fde3b6", "#f8d3cf", "#cfeeee", "#efe6c8", "#e4e4e4")
# Activations and heatmaps under "mono": dark for positive, light grey for negative.
MONO_FILLS = ColorScheme("mono", "Greys", positive="#262626", negative="#a6a6a6")
GRID = 24
SILENT = 1e-6  # a unit whose |activation| stays below this over the plane is drawn white
MAX_TRACE_BYTES = 64 * 1024**2
PLANE_MARGIN = 0.10  # of the data's span, on each side


def fill_scheme(style: FigureStyle) -> ColorScheme:
    """The colours of activations and heatmaps: the weight scheme, greys for "mono", classic for "plain"."""
    if style.colors == "mono":
        return MONO_FILLS
    return color_scheme("classic" if style.colors == "plain" else style.colors)


def base_fill(column: Column, style: FigureStyle) -> str:
    """The fill of a column's neurons without activations."""
    if style.node_colors == "role":
        return ROLE_FILLS[column.role]
    if style.node_colors == "layer":
        return LAYER_FILLS[column.index % len(LAYER_FILLS)]
    return LIGHT_INK.neuron_fill


def activation_fills(project, columns: list[Column], scheme: ColorScheme) -> list[list[str]]:
    """Per column, the fill of each drawn neuron for the probe input: its sign's hue, as deep as |a| / the layer's largest."""
    values = [project.standardize(project.probe), *(step["a"][0] for step in project.trace())]
    out = []
    for column, a in zip(columns, values):
        a = np.asarray(a, dtype=np.float64)
        finite = np.abs(a[np.isfinite(a)])
        scale = float(finite.max()) if finite.size else 0.0
        rgb = signed_rgb(a[column.neurons], scale, scheme, LIGHT_INK.neuron_fill)
        out.append(["#%02x%02x%02x" % tuple(int(c) for c in row) for row in rgb])
    return out


def heatmaps(project, columns: list[Column], scheme: ColorScheme) -> tuple[dict[int, np.ndarray], tuple[str, str]] | str:
    """Pictures of the hidden units over the input plane: ({column: (k, GRID, GRID, 4) uint8}, axis names).

    Returns a sentence saying why there are none instead (no 2-D data, too wide to trace).
    """
    spec = project.spec
    if spec.inputs != 2 or len(spec.layers) < 2:
        return "heatmaps need a network with 2 inputs and a hidden layer"
    try:
        data = project.load_dataset()
    except (DatasetError, OSError) as exc:
        return f"no heatmaps: {exc}"
    if data.n_features != 2:
        return "heatmaps need 2-feature data"
    if grid_cost(spec, GRID * GRID, project.network.dtype)[0] > MAX_TRACE_BYTES:
        return "no heatmaps: the hidden layers are too wide to trace over the plane"
    points, inputs = _plane(data, project.standardization)
    steps = project.network.trace(inputs)
    pictures = {}
    for column in columns[1:-1]:
        a = np.asarray(steps[column.index - 1]["a"], dtype=np.float64)[:, column.neurons]
        pictures[column.index] = _colour(a, scheme)
    names = list(data.feature_names)
    return pictures, (str(names[0]), str(names[1]))


def _plane(data, standardization):
    """Grid points in display units and as the network sees them, rows up in x2 (see nnviz.ui.model.input_plane)."""
    std = data.standardization
    raw = data.x * std.std + std.mean if std is not None else data.x
    lo, hi = raw.min(axis=0), raw.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    lo, hi = lo - PLANE_MARGIN * span, hi + PLANE_MARGIN * span
    step = (hi - lo) / GRID
    gx, gy = np.meshgrid(lo[0] + (np.arange(GRID) + 0.5) * step[0], lo[1] + (np.arange(GRID) + 0.5) * step[1])
    points = np.column_stack([gx.ravel(), gy.ravel()])
    mapping = std if std is not None else standardization
    return points, (mapping.apply(points) if mapping is not None else points)


def _colour(values: np.ndarray, scheme: ColorScheme) -> np.ndarray:
    """(GRID², k) activations → (k, GRID, GRID, 4) RGBA, each unit on its own scale, top row the largest x2."""
    k = values.shape[1]
    size = np.abs(values)
    size[~np.isfinite(size)] = 0.0
    scale = size.max(axis=0) if size.size else np.zeros(k)
    scale[scale < SILENT] = 0.0
    relative = np.divide(values, scale, out=np.zeros_like(values), where=scale > 0)
    rgb = signed_rgb(np.nan_to_num(relative).ravel(), 1.0, scheme, LIGHT_INK.neuron_fill).reshape(GRID, GRID, k, 3)
    rgba = np.concatenate([rgb, np.full((GRID, GRID, k, 1), 255, np.uint8)], axis=3)
    return np.ascontiguousarray(rgba[::-1].transpose(2, 0, 1, 3))
