"""A network figure from a project and a style: :func:`build_figure`, the one geometry every format draws.

The layers are laid out along the style's direction (:mod:`.layout`), the
neurons get their fills (:mod:`.fills`), the connections their widths and
colours (:mod:`.edges`), the layers their captions and the neurons their
labels (:mod:`.labels`), and the legend goes under it all (:mod:`.legend`).
Finally everything moves so that the figure starts at (0, 0) with a margin.
"""

from __future__ import annotations

import numpy as np

from ..colors import LIGHT_INK
from .edges import build_edges, pen_scale
from .fills import ROLE_FILLS, activation_fills, base_fill, fill_scheme, heatmaps
from .labels import bias_text, caption_texts, elisions, heading_widths, neuron_texts
from .layout import layout_columns, place
from .legend import Shown, build_legend
from .model import Elision, Figure, Image, Line, Node, Text, text_box
from .style import FigureStyle

MARGIN = 16.0
LEGEND_GAP = 22.0
OUTLINE = 1.2  # a neuron's ring at the default node size


def build_figure(project, style: FigureStyle) -> Figure:
    """The figure of ``project``'s network drawn in ``style``.

    Raises :class:`~nnviz.core.figure.layout.FigureError` when a figure of
    every neuron (``style.full``) would be too large to hold.
    """
    spec = project.spec
    pictured = style.heatmaps and spec.inputs == 2 and project.dataset is not None
    columns = layout_columns(spec, style, heading_widths(spec, style), pictured)
    scheme = fill_scheme(style)
    outline = OUTLINE * pen_scale(style)

    nodes: list[Node] = []
    texts = []
    node_index: list[np.ndarray] = []
    bias_index: list[int | None] = []
    xy = []
    for column in columns:
        bias_index.append(None)
        if column.bias:
            bx, by = place(style, column.u, column.bias_v)
            r = column.radius * 0.8
            bias_index[-1] = len(nodes)
            nodes.append(Node(float(bx), float(by), r, "#ffffff", LIGHT_INK.subtext, outline * 0.8, f"L{column.index}-b",
                              column.index, -1, "bias", dashed=True))
            texts.append(bias_text(float(bx), float(by), r))
        xs, ys = place(style, np.full(len(column.v), column.u), column.v)
        xy.append((xs, ys))
        start = len(nodes)
        fill = base_fill(column, style)
        for k, x, y in zip(column.neurons.tolist(), xs.tolist(), ys.tolist()):
            nodes.append(Node(x, y, column.radius, fill, LIGHT_INK.neuron_outline, outline, f"L{column.index}-{k + 1}",
                              column.index, k, column.role))
        node_index.append(np.arange(start, len(nodes)))

    shown = Shown(
        pass_through=any(c.passes_through for c in columns),
        elided=any(c.elided for c in columns),
        bias=any(c.bias for c in columns),
        activations=style.activations,
        role_fills=(ROLE_FILLS["input"], ROLE_FILLS["hidden"], ROLE_FILLS["output"]) if style.node_colors == "role" else None,
        fill_scheme=scheme,
    )
    notes: list[str] = []
    if style.activations:
        for column, fills in zip(columns, activation_fills(project, columns, scheme)):
            for i, f in zip(node_index[column.index], fills):
                nodes[i].fill = f
    images: list[Image] = []
    if style.heatmaps:
        maps = heatmaps(project, columns, scheme)
        if isinstance(maps, str):
            notes.append(maps)
        else:
            pictures, shown.heatmap_axes = maps
            for c, rgba in pictures.items():
                for i, picture in zip(node_index[c], rgba):
                    n = nodes[i]
                    images.append(Image(n.x - n.r, n.y - n.r, 2 * n.r, 2 * n.r, picture))
                    n.fill = "none"

    xs_all = np.array([n.x for n in nodes])
    ys_all = np.array([n.y for n in nodes])
    rs_all = np.array([n.r for n in nodes])
    weights, biases = [], []
    for i, layer in enumerate(spec.layers):
        params = project.network.layer_params(i) if layer.kind == "dense" else None
        weights.append(None if params is None else params["weights"])
        biases.append(None if params is None else params["bias"])
    # The bias unit of column c feeds layer c's biases (the layer after it).
    edges = build_edges(columns, node_index, bias_index, xs_all, ys_all, rs_all, weights, biases, style)

    texts += neuron_texts(columns, xy, style, project.input_names, project.output_names)
    # Captions clear every neuron and every label of the layers.
    across = [n.y if style.direction == "right" else n.x for n in nodes]
    reach = [n.r for n in nodes]
    ends = [a + r for a, r in zip(across, reach)]
    for t in texts:
        left, top, right, bottom = text_box(t)
        ends.append(bottom if style.direction == "right" else right)
    texts += caption_texts(columns, style, (min(across), max(ends)))

    figure = Figure(0.0, 0.0, style.background_color, nodes, edges, texts, elisions(columns, style), images,
                    title=spec.name or "", notes=notes)
    if style.legend:
        _add_legend(figure, style, shown)
    _fit(figure)
    return figure


def _bounds(figure: Figure) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) around everything drawn."""
    lefts, tops, rights, bottoms = [], [], [], []
    for n in figure.nodes:
        lefts.append(n.x - n.r)
        rights.append(n.x + n.r)
        tops.append(n.y - n.r)
        bottoms.append(n.y + n.r)
    for t in figure.texts:
        left, top, right, bottom = text_box(t)
        lefts.append(left)
        tops.append(top)
        rights.append(right)
        bottoms.append(bottom)
    for line in figure.lines:
        lefts.append(min(line.x1, line.x2))
        rights.append(max(line.x1, line.x2))
        tops.append(min(line.y1, line.y2) - line.width)
        bottoms.append(max(line.y1, line.y2) + line.width)
    return min(lefts), min(tops), max(rights), max(bottoms)


def _add_legend(figure: Figure, style: FigureStyle, shown: Shown) -> None:
    left, _top, right, bottom = _bounds(figure)
    items, _ = build_legend(style, shown, bottom + LEGEND_GAP, (left + right) / 2, right - left)
    for item in items:
        if isinstance(item, Node):
            figure.nodes.append(item)
        elif isinstance(item, Line):
            figure.lines.append(item)
        elif isinstance(item, Elision):
            figure.elisions.append(item)
        elif isinstance(item, Image):
            figure.images.append(item)
        elif isinstance(item, Text):
            figure.texts.append(item)


def _fit(figure: Figure) -> None:
    """Move the figure to start at (MARGIN, MARGIN) and size it to its content plus the margin, in whole units."""
    left, top, right, bottom = _bounds(figure)
    figure.translate(MARGIN - left, MARGIN - top)
    figure.width = float(np.ceil(right - left + 2 * MARGIN))
    figure.height = float(np.ceil(bottom - top + 2 * MARGIN))
