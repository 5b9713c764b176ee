"""The connections of a figure: one set of NumPy arrays for every edge, styled by weight as the canvas draws them.

|w| relative to the layer pair's largest falls into one of :data:`BINS` bins;
a bin sets the width and the opacity (when the style says "weight"), the
sign sets the colour (or, in "mono", the dash). Crowded bundles get thinner
and fainter lines so that they do not paint a solid block, as on the canvas
(nnviz.ui.canvas.connections_item).
"""

from __future__ import annotations

import math

import numpy as np

from ..colors import LIGHT_INK, color_scheme, hex_rgb
from .layout import Column
from .model import Edges
from .style import FigureStyle

BINS = 8
MIN_WIDTH, MAX_WIDTH = 0.5, 3.4
MIN_ALPHA, MAX_ALPHA = 0.16, 0.95
UNIFORM_WIDTH = 0.6  # at the default node size
UNIFORM_ALPHA = 1.0
PASS_WIDTH = 1.0
MEAN_DEPTH = 0.9  # crowded bundles fade down to this mean optical depth (≈ 60 % cover)
REFERENCE_NODE = 19.0  # the default node size: widths grow with the nodes
MONO = "#1a1a1a"
PLAIN = "#505050"  # NN-SVG's default edge colour
# Group numbers: 0 for pass-through links, then 1 + 2·bin + negative.
PASS_GROUP = 0


def pen_scale(style: FigureStyle) -> float:
    """How much thicker lines are drawn for the style's node size than for the default."""
    return min(2.2, max(0.6, style.node_size / REFERENCE_NODE))


def bin_style(b: int, density: float, style: FigureStyle) -> tuple[float, float]:
    """Width and alpha of magnitude bin ``b`` (0 = smallest |w|) in a bundle of ``density`` (1 = sparse)."""
    t = (b + 1) / BINS
    if style.edge_width == "weight":
        width = (MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * t * t) * density
    else:
        width = UNIFORM_WIDTH * max(density, 0.5)
    if style.edge_opacity == "weight":
        alpha = MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) * t
    else:
        alpha = UNIFORM_ALPHA
    return width * pen_scale(style), alpha * min(1.0, 0.55 + 0.45 * density)


def bundle_density(src: Column, dst: Column) -> float:
    """1 for a sparse bundle (a few neurons a side), less the more lines crowd in."""
    crowd = max(len(src.neurons), len(dst.neurons))
    busy = min(1.0, max(0.3, (4.0 / crowd) ** 0.75))
    tight = min(1.0, max(0.12, min(src.pitch, dst.pitch) / 28.0))
    return busy * tight


def edge_colors(style: FigureStyle) -> tuple[str, str]:
    """(positive, negative) edge colours of the style."""
    if style.colors == "mono":
        return MONO, MONO
    if style.colors == "plain":
        return PLAIN, PLAIN
    scheme = color_scheme(style.colors)
    return scheme.positive, scheme.negative


def _pair(src: Column, dst: Column, src_nodes: np.ndarray, dst_nodes: np.ndarray, weights, bias_node, bias):
    """Index arrays and values of one layer pair (``weights`` None: 1-to-1 links)."""
    if weights is None:
        return src_nodes, dst_nodes, None
    ns, nd = len(src.neurons), len(dst.neurons)
    a = np.repeat(src_nodes, nd)
    b = np.tile(dst_nodes, ns)
    values = np.asarray(weights)[np.repeat(src.neurons, nd), np.tile(dst.neurons, ns)].astype(np.float64)  # drawn ones only
    if bias_node is not None:
        a = np.concatenate([np.full(nd, bias_node), a])
        b = np.concatenate([dst_nodes, b])
        values = np.concatenate([np.asarray(bias)[dst.neurons].astype(np.float64), values])
    return a, b, values


def build_edges(columns: list[Column], node_index: list[np.ndarray], bias_index: list[int | None], xs, ys, rs,
                weights: list, biases: list, style: FigureStyle) -> Edges:
    """Every edge between neighbouring columns.

    ``node_index[c]`` are the figure nodes of column ``c``'s drawn neurons,
    ``bias_index[c]`` its bias unit's (or None); ``xs``, ``ys``, ``rs`` every
    node's centre and radius; ``weights[c]`` the matrix into column ``c + 1``
    (None for a pass-through layer) and ``biases[c]`` its bias vector.
    """
    positive, negative = edge_colors(style)
    pos_rgb, neg_rgb, pass_rgb = (hex_rgb(c) / 255 for c in (positive, negative, LIGHT_INK.pass_through))
    parts = []
    for c, (src, dst) in enumerate(zip(columns, columns[1:])):
        a, b, values = _pair(src, dst, node_index[c], node_index[c + 1], weights[c], bias_index[c], biases[c])
        n = len(a)
        if values is None:
            rgba = np.tile([*pass_rgb, 1.0], (n, 1))
            parts.append((a, b, rgba, np.full(n, PASS_WIDTH * pen_scale(style)), np.zeros(n, bool), np.zeros(n, np.intp)))
            continue
        finite = np.isfinite(values)
        scale = float(np.abs(values[finite]).max()) if finite.any() else 0.0
        values = np.where(finite, values, np.sign(np.nan_to_num(values)) * scale)
        mag = np.abs(values) / scale if scale > 0 else np.zeros(n)
        bins = np.minimum((mag * BINS).astype(np.intp), BINS - 1)
        negative_sign = values < 0
        density = bundle_density(src, dst)
        table = np.array([bin_style(k, density, style) for k in range(BINS)])
        width, alpha = table[bins, 0], table[bins, 1]
        alpha = alpha * _fade(a, b, width, alpha, xs, ys)
        rgba = np.empty((n, 4))
        rgba[:, :3] = np.where(negative_sign[:, None], neg_rgb, pos_rgb)
        rgba[:, 3] = alpha
        dashed = negative_sign & (style.colors == "mono")
        # One pen per (bin, sign) and layer pair: a pair's crowding fades it as a whole.
        group = 1 + (c * BINS + bins) * 2 + negative_sign
        parts.append((a, b, rgba, width, dashed, group))
    if not parts:
        return Edges.empty()
    a, b, rgba, width, dashed, group = (np.concatenate(p) for p in zip(*parts))
    x1, y1, x2, y2 = xs[a], ys[a], xs[b], ys[b]
    dx, dy = x2 - x1, y2 - y1
    length = np.hypot(dx, dy)
    length[length == 0] = 1.0
    ux, uy = dx / length, dy / length
    ra, rb = rs[a], rs[b]
    arrow = style.arrowheads
    return Edges(x1 + ux * ra, y1 + uy * ra, x2 - ux * rb, y2 - uy * rb, rgba, width, dashed, a, b, group,
                 arrow=arrow, arrow_size=arrow_size(style))


def arrow_size(style: FigureStyle) -> float:
    """Length of an arrowhead: small, in proportion to the neurons."""
    return max(3.0, min(8.0, style.node_size * 0.22))


def _fade(a, b, width, alpha, xs, ys) -> float:
    """The factor that brings a bundle's mean optical depth down to :data:`MEAN_DEPTH` (1 when sparse)."""
    if not len(a):
        return 1.0
    dx = xs[b] - xs[a]
    dy = ys[b] - ys[a]
    along = np.where(np.abs(dx) >= np.abs(dy), dx, dy)  # the distance between the layers
    across = np.where(np.abs(dx) >= np.abs(dy), dy, dx)
    along[along == 0] = 1.0
    ends = np.concatenate([ys[a], ys[b]]) if np.abs(dx).mean() >= np.abs(dy).mean() else np.concatenate([xs[a], xs[b]])
    height = max(float(ends.max() - ends.min()), 1.0)
    stretch = np.sqrt(1 + (across / along) ** 2) / height
    depth = float(np.dot(-np.log1p(-np.minimum(alpha, 0.999)) * width, stretch))
    if depth <= MEAN_DEPTH or not math.isfinite(depth):
        return 1.0
    scale = MEAN_DEPTH / depth
    # Opacity through optical depth: a line's depth scales, its alpha follows.
    return (-np.expm1(np.log1p(-np.minimum(alpha, 0.999)) * scale)) / np.maximum(alpha, 1e-9)
