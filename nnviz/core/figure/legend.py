"""The figure's legend: what its colours, widths, dashes and neuron pictures mean, in rows under the network.

Only what the figure shows gets an entry (no sign entries when every edge is
one grey, no "⋮" entry without an elided layer). Entries wrap into centred
rows no wider than the network (but at least :data:`MIN_WIDTH`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..colors import LIGHT_INK, signed_rgb
from .edges import BINS, bin_style, edge_colors
from .labels import text_scale
from .model import Elision, Image, Line, Node, Text, text_width
from .style import FigureStyle

SWATCH = 28.0
GAP = 7.0  # swatch to text
SPACING = 24.0  # between entries
ROW = 16.0
ROW_GAP = 6.0
SIZE = 11.0
MIN_WIDTH = 420.0


@dataclass
class Shown:
    """What the figure has that a legend should explain."""

    pass_through: bool = False
    elided: bool = False
    bias: bool = False
    activations: bool = False
    heatmap_axes: tuple[str, str] | None = None
    role_fills: tuple[str, str, str] | None = None  # input, hidden, output fills when neurons are coloured by role
    fill_scheme: object = None  # the ColorScheme of activation and heatmap fills


def entries(style: FigureStyle, shown: Shown) -> list[tuple[str, str]]:
    """(swatch kind, text) of every entry, in order."""
    out = []
    if style.colors == "mono":
        out += [("positive", "positive weight"), ("negative", "negative weight (dashed)")]
    elif style.colors != "plain":
        out += [("positive", "positive weight"), ("negative", "negative weight")]
    by = [word for word, on in (("thicker", style.edge_width == "weight"), ("darker", style.edge_opacity == "weight")) if on]
    if by:
        out.append(("width", f"{', '.join(by)}: larger |w| (relative within each layer pair)"))
    if shown.role_fills and not shown.activations:
        out.append(("roles", "neurons: input, hidden, output"))
    if shown.bias:
        out.append(("bias", "bias unit (its weights are the biases)"))
    if shown.pass_through:
        out.append(("identity", "passed on 1-to-1 (dropout, batch norm)"))
    if shown.elided:
        out.append(("elided", "neurons not drawn"))
    if shown.activations:
        out.append(("activation", "neuron: activation for the probe input"))
    if shown.heatmap_axes:
        a, b = shown.heatmap_axes
        out.append(("heatmap", f"hidden neuron: its activation over the input plane ({a} →, {b} ↑)"))
    return out


def wrap_rows(items: list[tuple], limit: float, spacing: float) -> tuple[list[list[tuple]], list[float]]:
    """``items`` (each ending in its width) in rows no wider than ``limit``, ``spacing`` apart: (rows, row widths).

    The canvas's legend (nnviz.ui.canvas.overlays) wraps its entries the same way.
    """
    rows: list[list[tuple]] = [[]]
    widths = [0.0]
    for item in items:
        w = item[-1]
        extra = w + (spacing if rows[-1] else 0.0)
        if rows[-1] and widths[-1] + extra > limit:
            rows.append([])
            widths.append(0.0)
            extra = w
        rows[-1].append(item)
        widths[-1] += extra
    return rows, widths


def build_legend(style: FigureStyle, shown: Shown, top: float, center: float, width: float) -> tuple[list, float]:
    """The legend's drawing items (nodes, lines, elisions, images, texts) from ``top``, centred on ``center``.

    Returns (items, bottom).
    """
    size = SIZE * text_scale(style)
    row_h = max(ROW, size * 1.35)
    sized = [(kind, text, SWATCH + GAP + text_width(text, size)) for kind, text in entries(style, shown)]
    rows, row_w = wrap_rows(sized, max(width, MIN_WIDTH), SPACING)
    if not rows[0]:
        return [], top
    items: list = []
    for r, (row, w_row) in enumerate(zip(rows, row_w)):
        x = center - w_row / 2
        mid = top + r * (row_h + ROW_GAP) + row_h / 2
        for kind, text, w in row:
            items += _swatch(kind, x, mid, style, shown)
            items.append(Text(x + SWATCH + GAP, mid, text, size, "west", LIGHT_INK.subtext, role="legend"))
            x += w + SPACING
    return items, top + len(rows) * (row_h + ROW_GAP) - ROW_GAP


def _swatch(kind: str, x: float, mid: float, style: FigureStyle, shown: Shown) -> list:
    positive, negative = edge_colors(style)
    if kind in ("positive", "negative"):
        width, alpha = bin_style(BINS - 2, 1.0, style)
        color = positive if kind == "positive" else negative
        return [Line(x, mid, x + SWATCH, mid, color, alpha, width, dashed=kind == "negative" and style.colors == "mono")]
    if kind == "width":
        seg = (SWATCH - 6) / 3
        out = []
        for i, b in enumerate((1, 4, BINS - 1)):
            width, alpha = bin_style(b, 1.0, style)
            out.append(Line(x + i * (seg + 3), mid, x + i * (seg + 3) + seg, mid, LIGHT_INK.neuron_outline, alpha, width))
        return out
    if kind == "identity":
        return [Line(x, mid, x + SWATCH, mid, LIGHT_INK.pass_through, 1.0, 1.0)]
    if kind == "elided":
        return [Elision(x + SWATCH / 2, mid, True, LIGHT_INK.elision, 10.0)]
    r = ROW / 2 - 1.5
    if kind == "bias":
        return [_disc(x + SWATCH / 2, mid, r, "#ffffff", "bias", dashed=True),
                Text(x + SWATCH / 2, mid, "+1", 8.0, "center", LIGHT_INK.subtext, math="+1", role="legend")]
    if kind == "roles":
        return [_disc(x + 4 + i * 10, mid, 4.5, fill, f"role{i}") for i, fill in enumerate(shown.role_fills)]
    if kind == "activation":
        fills = signed_rgb(np.linspace(-1, 1, 5), 1.0, shown.fill_scheme, LIGHT_INK.neuron_fill)
        w = SWATCH / 5
        return [_disc(x + w * (i + 0.5), mid, w / 2 - 0.6, _hex(c), f"act{i}") for i, c in enumerate(fills)]
    # "heatmap": a neuron shaded from negative through white to positive, left to right.
    ramp = signed_rgb(np.linspace(-1, 1, 32), 1.0, shown.fill_scheme, LIGHT_INK.neuron_fill)
    rgba = np.concatenate([ramp, np.full((32, 1), 255, np.uint8)], axis=1)[None, :, :].repeat(32, axis=0)
    cx = x + SWATCH / 2
    return [Image(cx - r, mid - r, 2 * r, 2 * r, np.ascontiguousarray(rgba)), _disc(cx, mid, r, None, "heat")]


def _hex(rgb) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in rgb)


def _disc(x: float, y: float, r: float, fill: str | None, name: str, dashed: bool = False) -> Node:
    # fill None: a ring over an image ("none" is drawn as no fill)
    return Node(x, y, r, fill or "none", LIGHT_INK.neuron_outline, 1.0, f"legend-{name}", -1, -1, "legend", dashed)

