"""The words of a figure: layer captions, neuron labels (names or math), bias "+1"s, and the "⋮" of elided layers.

Captions sit under the layers when the network runs to the right, beside them
when it runs up. Neuron labels sit outside the input and output layers (left
and right, or below and above) and, in "math", inside hidden neurons when they
fit. A label that would not fit its neuron's pitch is left out rather than
drawn over its neighbour.
"""

from __future__ import annotations

from ..colors import LIGHT_INK
from ..spec import NetworkSpec
from .layout import ELIDE_SLOTS, Column, caption, detail
from .model import Elision, Text, text_width
from .style import FigureStyle

CAPTION_SIZE = 13.0
DETAIL_SIZE = 11.0
NAME_SIZE = 10.5
MIN_NAME_SIZE = 7.0
LABEL_GAP = 20.0  # from the lowest neuron to the captions
NAME_GAP = 6.0  # from a neuron's rim to its label
NAME_MAX_CHARS = 24


def text_scale(style: FigureStyle) -> float:
    """How much larger the words are drawn for the style's node size than for the default (slides: larger)."""
    return min(1.6, max(0.85, (style.node_size / 19.0) ** 0.5))


_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def heading_widths(spec: NetworkSpec, style: FigureStyle) -> list[float] | None:
    """Per column, the width of its caption lines when they sit under the layers (else None: no constraint)."""
    if style.labels == "none" or style.direction != "right":
        return None
    n = len(spec.layers) + 1
    k = text_scale(style)
    details = [f"{spec.inputs:,} features"] + [detail(layer) for layer in spec.layers]
    return [
        max(text_width(caption(i, n), CAPTION_SIZE * k, True), text_width(details[i], DETAIL_SIZE * k)) for i in range(n)
    ]


def math_label(column: Column, neuron: int, n_hidden: int) -> tuple[str, str]:
    """(picture text, TeX) of a neuron's symbol: x_i, h^(l)_j or ŷ_k, 1-based."""
    k = str(neuron + 1)
    if column.role == "input":
        return "x" + k.translate(_SUB), f"x_{{{k}}}"
    if column.role == "output":
        return "ŷ" + k.translate(_SUB), f"\\hat{{y}}_{{{k}}}"
    layer = str(column.index)
    return "h" + f"({layer})".translate(_SUP) + k.translate(_SUB), f"h^{{({layer})}}_{{{k}}}"


def tex_escape(text: str) -> str:
    """``text`` safe inside a TikZ node (TeX's special characters escaped): captions and names."""
    out = []
    for ch in text:
        if ch in "#$%&_{}":
            out.append("\\" + ch)
        elif ch == "\\":
            out.append("\\textbackslash{}")
        elif ch == "~":
            out.append("\\textasciitilde{}")
        elif ch == "^":
            out.append("\\textasciicircum{}")
        else:
            out.append(ch)
    return "".join(out)


def neuron_texts(columns: list[Column], xy: list, style: FigureStyle, input_names, output_names) -> list[Text]:
    """Labels of the input and output neurons (and, for "math", the hidden ones that fit)."""
    if style.labels == "none":
        return []
    texts: list[Text] = []
    n_hidden = len(columns) - 2
    for c, column in enumerate(columns):
        xs, ys = xy[c]
        outer = c == 0 or c == len(columns) - 1
        names = input_names if c == 0 else output_names if c == len(columns) - 1 else None
        use_names = style.labels in ("captions", "names") and names is not None and len(names) == column.units
        if not outer and style.labels == "math" or (not outer and style.labels == "names" and column.role == "hidden"):
            if column.role == "hidden":
                texts += _inside(column, xs, ys, n_hidden)
            continue
        if not outer or (style.labels == "captions" and not use_names):
            continue
        labels = []
        for k in column.neurons:
            if use_names:
                name = str(names[k])
                name = name if len(name) <= NAME_MAX_CHARS else name[: NAME_MAX_CHARS - 1] + "…"
                labels.append((name, None))
            else:
                labels.append(math_label(column, int(k), n_hidden))
        texts += _outside(column, xs, ys, labels, style, first=c == 0)
    return texts


def _outside(column: Column, xs, ys, labels, style: FigureStyle, first: bool) -> list[Text]:
    """Labels beside the input (``first``) or output neurons, at a size that fits their pitch, or none."""
    size = min(NAME_SIZE * text_scale(style), column.pitch * 0.72)
    if style.direction == "up":
        widest = max(text_width(t, size) for t, _ in labels)
        if widest > column.pitch - 3:
            size *= (column.pitch - 3) / widest
    if size < MIN_NAME_SIZE:
        return []
    out = []
    r = column.radius + NAME_GAP
    for (text, tex), x, y in zip(labels, xs, ys):
        if style.direction == "up":
            anchor, x, y = ("north", x, y + r) if first else ("south", x, y - r)
        else:
            anchor, x, y = ("east", x - r, y) if first else ("west", x + r, y)
        out.append(Text(float(x), float(y), text, size, anchor, LIGHT_INK.text, math=tex, role="label" if tex else "name"))
    return out


def _inside(column: Column, xs, ys, n_hidden: int) -> list[Text]:
    """h^(l)_j inside each hidden neuron, shrunk to fit, or none when the neurons are too small."""
    out = []
    for k, x, y in zip(column.neurons, xs, ys):
        text, tex = math_label(column, int(k), n_hidden)
        size = min(NAME_SIZE, column.radius * 0.8)
        width = text_width(text, size)
        room = 2 * column.radius - 4
        if width > room:
            size *= room / width
        if size < MIN_NAME_SIZE:
            return []
        out.append(Text(float(x), float(y), text, size, "center", LIGHT_INK.text, math=tex, role="label"))
    return out


def bias_text(x: float, y: float, r: float) -> Text:
    """The "+1" inside a bias unit."""
    return Text(x, y, "+1", max(MIN_NAME_SIZE, min(NAME_SIZE, r * 0.95)), "center", LIGHT_INK.subtext, math="+1", role="bias")


def caption_texts(columns: list[Column], style: FigureStyle, extent: tuple[float, float]) -> list[Text]:
    """Caption and detail of every layer. ``extent``: the (low, high) v every neuron and label stays within."""
    if style.labels == "none":
        return []
    out = []
    k = text_scale(style)
    big, small = CAPTION_SIZE * k, DETAIL_SIZE * k
    for column in columns:
        if style.direction == "right":
            top = extent[1] + LABEL_GAP
            out.append(Text(column.u, top, column.caption, big, "north", LIGHT_INK.text, bold=True))
            out.append(Text(column.u, top + big * 1.3, column.detail, small, "north", LIGHT_INK.subtext, role="detail"))
        else:
            left = extent[1] + LABEL_GAP
            y = -column.u
            out.append(Text(left, y - 1, column.caption, big, "south west", LIGHT_INK.text, bold=True))
            out.append(Text(left, y + 1, column.detail, small, "north west", LIGHT_INK.subtext, role="detail"))
    return out


def elisions(columns: list[Column], style: FigureStyle) -> list[Elision]:
    """The "⋮" of every elided layer."""
    out = []
    for column in columns:
        if not column.elided:
            continue
        spread = min(column.pitch * ELIDE_SLOTS * 0.55, 16.0)
        x, y = (column.gap_v, -column.u) if style.direction == "up" else (column.u, column.gap_v)
        out.append(Elision(float(x), float(y), style.direction != "up", LIGHT_INK.elision, spread))
    return out
