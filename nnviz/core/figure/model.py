"""What a network figure is made of: plain data (floats, strings, NumPy arrays) that every renderer reads.

Coordinates are figure units (one CSS pixel, 0.75 pt), x to the right and y
*down*, with the figure's top-left corner at (0, 0). A renderer draws, in
order: the background, the edges, the extra lines, the images (heatmaps,
clipped to their disc), the nodes (a node over an image has the fill
"none"), the elision marks, the texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Node:
    """One neuron (or a bias unit, or a swatch of the legend) drawn as a disc."""

    x: float
    y: float
    r: float
    fill: str  # "#rrggbb", or "none" over an image
    stroke: str
    stroke_width: float
    name: str  # unique, TikZ-safe: "L0-1" is neuron 1 (1-based) of column 0 (the input); "L0-b" a bias unit
    column: int  # 0 is the input, -1 the legend
    index: int  # 0-based neuron index in its layer; -1 for a bias unit or a legend swatch
    role: str  # "input", "hidden", "output", "pass" (dropout / batch norm), "bias" or "legend"
    dashed: bool = False  # the ring (bias units)


@dataclass
class Edges:
    """Every connection, as parallel arrays (no Python object per edge).

    Endpoints run rim to rim. ``group`` numbers the distinct pens (colour,
    alpha, width, dash): renderers draw one batch per group, TikZ one style.
    """

    x1: np.ndarray
    y1: np.ndarray
    x2: np.ndarray
    y2: np.ndarray
    rgba: np.ndarray  # (n, 4) float, 0–1, straight alpha
    width: np.ndarray
    dashed: np.ndarray  # bool
    src: np.ndarray  # int: index into Figure.nodes
    dst: np.ndarray
    group: np.ndarray  # int
    arrow: str = "none"  # "none" | "open" | "filled": a head at every edge's end
    arrow_size: float = 5.0  # length of a head, figure units

    def __len__(self) -> int:
        return len(self.x1)

    @classmethod
    def empty(cls) -> Edges:
        z = np.zeros(0)
        i = np.zeros(0, np.intp)
        return cls(z, z, z, z, np.zeros((0, 4)), z, np.zeros(0, bool), i, i, i)

    def groups(self) -> list[tuple[int, np.ndarray]]:
        """(group, indices) for every group present, in drawing order (thin and faint first)."""
        order = np.argsort(self.group, kind="stable")
        keys, starts = np.unique(self.group[order], return_index=True)
        bounds = [*starts[1:], len(order)]
        return [(int(k), order[a:b]) for k, a, b in zip(keys, starts, bounds)]


@dataclass
class Text:
    """A line of text. (x, y) is the point ``anchor`` names on its box, as TikZ anchors do."""

    x: float
    y: float
    text: str  # as drawn in a picture ("x₁", "ŷ₂")
    size: float  # font pixel size
    anchor: str = "center"  # "center", "north", "south", "east", "west", "north west", …
    color: str = "#1f2328"
    bold: bool = False
    math: str | None = None  # the same in TeX math for TikZ ("x_{1}"), None for plain text
    role: str = "caption"  # "caption", "detail", "label", "name", "bias", "legend"


@dataclass
class Elision:
    """The "⋮" of an elided layer: three dots centred at (x, y) along the layer (vertical when ``vertical``)."""

    x: float
    y: float
    vertical: bool
    color: str
    size: float  # the spread of the dots, centre to centre of the outer two


@dataclass
class Image:
    """A picture (a heatmap, a colour ramp) in the rectangle (x, y, w, h), clipped to the ellipse inside when ``round``."""

    x: float
    y: float
    w: float
    h: float
    rgba: np.ndarray  # (rows, columns, 4) uint8, top row first
    round: bool = True


@dataclass
class Line:
    """A single stroke (the legend's swatches)."""

    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    alpha: float
    width: float
    dashed: bool = False


@dataclass
class Figure:
    """A finished figure of a network, in figure units; see :func:`nnviz.core.figure.build_figure`."""

    width: float
    height: float
    background: str | None  # "#rrggbb"; None: transparent
    nodes: list[Node]
    edges: Edges
    texts: list[Text] = field(default_factory=list)
    elisions: list[Elision] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    title: str = ""
    notes: list[str] = field(default_factory=list)  # what the figure left out and why (no heatmaps: no data)

    def texts_of(self, role: str) -> list[Text]:
        """The texts of one role, in drawing order."""
        return [t for t in self.texts if t.role == role]

    def translate(self, dx: float, dy: float) -> None:
        """Move everything by (dx, dy) (the layout builds around the origin, then moves into the page)."""
        for n in self.nodes:
            n.x += dx
            n.y += dy
        e = self.edges
        e.x1, e.x2, e.y1, e.y2 = e.x1 + dx, e.x2 + dx, e.y1 + dy, e.y2 + dy
        for item in (*self.texts, *self.elisions, *self.images):
            item.x += dx
            item.y += dy
        for line in self.lines:
            line.x1 += dx
            line.x2 += dx
            line.y1 += dy
            line.y2 += dy


# Rough advance widths of a sans-serif face (DejaVu Sans, the widest common one), in ems: core has
# no font metrics, so the layout leaves room by these and renderers draw the text anchored.
_NARROW = set("iIjl.,:;|!'`()[]{}fr t/")
_WIDE = set("mwMW@%")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An estimate (slightly generous) of how wide ``text`` is drawn at ``size`` pixels."""
    ems = 0.0
    for ch in text:
        if ch in _NARROW:
            ems += 0.36
        elif ch in _WIDE:
            ems += 0.92
        elif ch in "₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾":  # before isdigit(), which counts "¹" as a digit
            ems += 0.42
        elif ch.isupper() or ch.isdigit():
            ems += 0.68
        else:
            ems += 0.62
    return ems * size * (1.08 if bold else 1.0)


def anchored(x: float, y: float, w: float, h: float, anchor: str) -> tuple[float, float]:
    """Top-left corner of a ``w`` × ``h`` box whose point ``anchor`` ("north west", "east", …) is at (x, y)."""
    left = x if "west" in anchor else x - w if "east" in anchor else x - w / 2
    top = y if "north" in anchor else y - h if "south" in anchor else y - h / 2
    return left, top


def text_box(t: Text) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of ``t`` by :func:`text_width` and a line height of 1.25 × size."""
    w = text_width(t.text, t.size, t.bold)
    h = 1.25 * t.size
    left, top = anchored(t.x, t.y, w, h, t.anchor)
    return left, top, left + w, top + h
