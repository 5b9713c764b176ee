"""Where the layers and neurons of a figure go, as the canvas places them (nnviz.ui.canvas.layout).

The layout works in two axes: ``u`` runs along the network (input first) and
``v`` across a layer (first neuron first); :func:`place` turns (u, v) into
figure x, y for the style's direction. Wide layers keep their first and last
:data:`ELIDE_KEEP` neurons with a "⋮" between, unless the style is ``full``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..spec import DenseSpec, NetworkSpec
from .style import FigureStyle

ELIDE_ABOVE = 24  # a layer with more units than this is elided…
ELIDE_KEEP = 5  # …to its first and last ELIDE_KEEP units…
ELIDE_SLOTS = 2  # …with the "⋮" taking this many neuron pitches
FULL_MAX_EXTENT = 1200.0  # with every neuron drawn, no layer grows longer than this; its neurons shrink
PASS_SIZE = 0.74  # dropout / batch-norm units against a dense layer's: they hold no weights
PASS_SPACING = 0.48  # the distance to a dropout / batch-norm layer against the style's layer_spacing
PICTURE_GROWTH = 1.45  # hidden neurons showing heatmaps, against plain ones (the canvas: 14 / 9.5)
MAX_NODES = 200_000
MAX_EDGES = 1_000_000  # about 100 MB of edge arrays


class FigureError(ValueError):
    """A figure that cannot be drawn as asked; ``str()`` says what to change."""


@dataclass
class Column:
    """One layer of the figure (column 0 is the input)."""

    index: int
    kind: str  # "input", "dense", "dropout", "batchnorm"
    units: int
    role: str  # "input", "hidden", "output", "pass"
    neurons: np.ndarray  # the indices drawn
    v: np.ndarray  # their centres across the layer, centred on 0
    radius: float
    pitch: float
    elided: bool
    gap_v: float  # the centre of the "⋮"
    caption: str  # "Input", "Hidden 2", "Output"
    detail: str  # "2 features", "8 · tanh"
    u: float = 0.0
    bias: bool = False  # draws a "+1" unit feeding the next layer's biases

    @property
    def passes_through(self) -> bool:
        return self.kind in ("dropout", "batchnorm")

    @property
    def bias_v(self) -> float:
        """Where the bias unit sits: one pitch before the first neuron."""
        return float(self.v[0]) - max(self.pitch, 2 * self.radius + 4)

    @property
    def start_v(self) -> float:
        """The lowest v anything of the column reaches (its bias unit's rim, or its first neuron's)."""
        return (self.bias_v if self.bias else float(self.v[0])) - self.radius

    @property
    def end_v(self) -> float:
        return float(self.v[-1]) + self.radius


def caption(index: int, n_columns: int) -> str:
    """The role of column ``index``, in words: "Input", "Hidden N" or "Output"."""
    if index == 0:
        return "Input"
    return "Output" if index == n_columns - 1 else f"Hidden {index}"


def detail(layer) -> str:
    """What a layer is, in a few words ("8 · tanh", "dropout 0.5", "batch norm · relu")."""
    if layer.kind == "dense":
        return f"{layer.units:,} · {layer.activation}"
    if layer.kind == "dropout":
        return f"dropout {layer.rate:g}"
    return "batch norm" + (f" · {layer.activation}" if layer.activation != "linear" else "")


def rows(units: int, full: bool, pitch: float) -> tuple[np.ndarray, np.ndarray, float, bool, float]:
    """Drawn neuron indices, their v, the pitch, whether elided, and the v of the "⋮" (the canvas's too)."""
    if units > ELIDE_ABOVE and not full:
        k = ELIDE_KEEP
        neurons = np.concatenate([np.arange(k), np.arange(units - k, units)])
        slots = np.concatenate([np.arange(k), np.arange(k + ELIDE_SLOTS, 2 * k + ELIDE_SLOTS)]).astype(float)
        n_slots = 2 * k + ELIDE_SLOTS
        gap = (k - 1 + (ELIDE_SLOTS + 1) / 2 - (n_slots - 1) / 2) * pitch
        return neurons, (slots - (n_slots - 1) / 2) * pitch, pitch, True, gap
    if full and units > 1:
        pitch = min(pitch, FULL_MAX_EXTENT / (units - 1))
    neurons = np.arange(units)
    return neurons, (neurons - (units - 1) / 2) * pitch, pitch, False, float("nan")


def check_size(spec: NetworkSpec, style: FigureStyle) -> None:
    """Refuse a figure with more neurons or connections than fit in memory, saying what helps."""
    drawn = [min(w, 2 * ELIDE_KEEP) if w > ELIDE_ABOVE and not style.full else w for w in spec.widths()]
    nodes = sum(drawn)
    edges = sum(a * b for a, b in zip(drawn, drawn[1:]))
    if nodes > MAX_NODES or edges > MAX_EDGES:
        what = f"{nodes:,} neurons and {edges:,} connections"
        raise FigureError(
            f"a figure of every neuron would draw {what} (at most {MAX_NODES:,} and {MAX_EDGES:,}); "
            "turn off 'every neuron' (full) so that wide layers are elided"
        )


def layout_columns(spec: NetworkSpec, style: FigureStyle, heading_room: list[float] | None = None,
                   pictured: bool = False) -> list[Column]:
    """The columns of ``spec`` with their neurons' (u, v), for ``style``.

    ``heading_room`` is, per column, the room its heading needs along ``u``
    (the caption's width when captions sit under the layers): neighbouring
    layers move apart until their headings clear each other. ``pictured``:
    hidden neurons show heatmaps, and grow by :data:`PICTURE_GROWTH` so that
    a picture reads (as on the canvas).
    """
    check_size(spec, style)
    widths = spec.widths()
    kinds = ["input", *(layer.kind for layer in spec.layers)]
    n = len(kinds)
    details = [f"{spec.inputs:,} feature" + ("s" if spec.inputs != 1 else "")] + [detail(layer) for layer in spec.layers]
    columns = []
    for i, (kind, units) in enumerate(zip(kinds, widths)):
        passes = kind in ("dropout", "batchnorm")
        role = "input" if i == 0 else "output" if i == n - 1 else "pass" if passes else "hidden"
        grow = PICTURE_GROWTH if pictured and 0 < i < n - 1 else 1.0
        neurons, v, pitch, elided, gap = rows(units, style.full, style.neuron_spacing * grow)
        radius = style.node_size / 2 * (PASS_SIZE if passes else 1.0) * grow
        radius = min(radius, pitch * 0.42) if len(neurons) > 1 else radius
        bias = style.bias_units and i < n - 1 and isinstance(spec.layers[i], DenseSpec)
        columns.append(Column(i, kind, units, role, neurons, v, radius, pitch, elided, gap, caption(i, n), details[i], bias=bias))
    u = 0.0
    for i, column in enumerate(columns):
        if i:
            base = style.layer_spacing * (PASS_SPACING if column.passes_through or columns[i - 1].passes_through else 1.0)
            base = max(base, columns[i - 1].radius + column.radius + 8)
            if heading_room:
                base = max(base, (heading_room[i - 1] + heading_room[i]) / 2 + 16)
            u += base
        column.u = u
    return columns


def place(style: FigureStyle, u, v):
    """Figure (x, y) of layout (u, v): "right" puts u along x; "up" puts u upwards and v along x."""
    if style.direction == "up":
        return v, -u
    return u, v
