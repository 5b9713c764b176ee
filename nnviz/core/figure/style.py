"""How a network figure looks: one frozen :class:`FigureStyle`, named presets, and JSON style files.

Units: one figure unit is one CSS pixel (0.75 pt); PNG multiplies by its
scale, SVG keeps them as user units, PDF and TikZ turn them into points.

Colours (``colors``): a weight scheme ("classic" cyan/red, "colorblind"
blue/orange) colours each connection by the sign of its weight; "mono" is for
print in black and white: every connection black, a negative weight *dashed*
(a grey tone alone would read as a faint positive weight once opacity shows
|w|); "plain" draws every connection in one grey and leaves the sign out
(NN-SVG's look, a diagram of the architecture only).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..colors import ALIASES, SCHEMES

DIRECTIONS = ("right", "up")
EDGE_WIDTHS = ("weight", "uniform")
EDGE_OPACITIES = ("weight", "uniform")
COLORS = (*SCHEMES, "mono", "plain")
ARROWHEADS = ("none", "open", "filled")
LABELS = ("none", "captions", "math", "names")
NODE_COLORS = ("role", "layer", "plain")
BACKGROUNDS = ("white", "transparent")  # or "#rrggbb"

# Allowed ranges of the sizes, in figure units.
NODE_SIZE_RANGE = (4.0, 120.0)
LAYER_SPACING_RANGE = (20.0, 1000.0)
NEURON_SPACING_RANGE = (4.0, 300.0)


class StyleError(ValueError):
    """A style that cannot be used; ``str()`` names the field and what is allowed."""


@dataclass(frozen=True)
class FigureStyle:
    """Every choice of a network figure. Build one from a preset: ``PRESETS["paper"].replace(legend=True)``."""

    direction: str = "right"  # "right": input left, output right; "up": input at the bottom, output on top
    node_size: float = 19.0  # neuron diameter
    layer_spacing: float = 200.0  # between the centres of two layers joined by weights
    neuron_spacing: float = 28.0  # between neuron centres in a layer
    edge_width: str = "weight"  # "weight": thin→thick by |w| | "uniform"
    edge_opacity: str = "weight"  # "weight": faint→strong by |w| | "uniform"
    colors: str = "classic"  # a weight scheme, "mono" (black, negative dashed) or "plain" (one grey, no sign)
    bias_units: bool = False  # a "+1" neuron per layer feeding the next layer's biases
    arrowheads: str = "none"  # "none" | "open" | "filled"
    labels: str = "captions"  # "none" | "captions" | "math" | "names"
    node_colors: str = "plain"  # "role": input, hidden, output each a colour | "layer" | "plain" (white)
    legend: bool = True
    heatmaps: bool = False  # hidden neurons as pictures over the 2-D input plane, when there is one
    activations: bool = False  # neurons filled by the probe's activations
    full: bool = False  # every neuron of wide layers instead of eliding them with ⋮
    background: str = "white"  # "white" | "transparent" | "#rrggbb"

    def __post_init__(self):
        _validate(self)

    def to_dict(self) -> dict:
        """Every field, as JSON-ready values."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> FigureStyle:
        """A style from ``d``'s fields (missing fields keep their defaults).

        Raises :class:`StyleError` (a ``ValueError``) naming an unknown field, or a
        field whose value is not allowed, and what is.
        """
        if not isinstance(d, dict):
            raise StyleError(f"a figure style must be a JSON object of fields, got {type(d).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise StyleError(f"unknown figure style field {unknown[0]!r}; the fields are {', '.join(sorted(known))}")
        values = {}
        for f in fields(cls):
            if f.name in d:
                values[f.name] = _coerce(f.name, d[f.name], getattr(cls, f.name))
        return cls(**values)

    def replace(self, **changes) -> FigureStyle:
        """A copy with ``changes`` (validated like :meth:`from_dict`)."""
        return FigureStyle.from_dict(self.to_dict() | changes)

    @property
    def transparent(self) -> bool:
        """Whether the background is left clear."""
        return self.background == "transparent"

    @property
    def background_color(self) -> str | None:
        """The background as ``"#rrggbb"``, ``None`` when transparent."""
        if self.background == "transparent":
            return None
        return "#ffffff" if self.background == "white" else self.background.lower()


def _coerce(name: str, value, default):
    """``value`` for field ``name`` as the field's type, or :class:`StyleError`."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise StyleError(f"figure style {name}: must be true or false, got {value!r}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise StyleError(f"figure style {name}: must be a number, got {value!r}")
        return float(value)
    if not isinstance(value, str):
        raise StyleError(f"figure style {name}: must be a string, got {value!r}")
    return value


def _choice(name: str, value, allowed) -> None:
    if value not in allowed:
        raise StyleError(f"figure style {name}: must be one of {', '.join(allowed)}; got {value!r}")


def _number(name: str, value, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
        raise StyleError(f"figure style {name}: must be a number from {low:g} to {high:g}, got {value!r}")


def _is_hex(value: str) -> bool:
    return isinstance(value, str) and len(value) == 7 and value[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in value[1:])


def _validate(style: FigureStyle) -> None:
    _choice("direction", style.direction, DIRECTIONS)
    _number("node_size", style.node_size, *NODE_SIZE_RANGE)
    _number("layer_spacing", style.layer_spacing, *LAYER_SPACING_RANGE)
    _number("neuron_spacing", style.neuron_spacing, *NEURON_SPACING_RANGE)
    _choice("edge_width", style.edge_width, EDGE_WIDTHS)
    _choice("edge_opacity", style.edge_opacity, EDGE_OPACITIES)
    if style.colors not in ALIASES:
        _choice("colors", style.colors, COLORS)
    _choice("arrowheads", style.arrowheads, ARROWHEADS)
    _choice("labels", style.labels, LABELS)
    _choice("node_colors", style.node_colors, NODE_COLORS)
    for name in ("bias_units", "legend", "heatmaps", "activations", "full"):
        if not isinstance(getattr(style, name), bool):
            raise StyleError(f"figure style {name}: must be true or false, got {getattr(style, name)!r}")
    if style.background not in BACKGROUNDS and not _is_hex(style.background):
        raise StyleError(f"figure style background: must be white, transparent or a colour #rrggbb; got {style.background!r}")
    if style.node_size > style.neuron_spacing:
        raise StyleError(
            f"figure style node_size ({style.node_size:g}) is larger than neuron_spacing ({style.neuron_spacing:g}): "
            "neighbouring neurons would overlap; make neuron_spacing at least node_size"
        )


PRESETS: dict[str, FigureStyle] = {
    # What File ▸ Export Image… has always drawn: the canvas's look (white neurons, weight colours, captions, legend).
    "default": FigureStyle(),
    # A journal figure: black and white, role-tinted neurons, $x_i$ … $\hat y_k$, small arrows.
    "paper": FigureStyle(
        node_size=22.0, layer_spacing=150.0, neuron_spacing=30.0, colors="mono", arrowheads="filled", labels="math",
        node_colors="role", legend=False,
    ),
    # Seen from the back of a room: big neurons, thick lines, captions and the legend.
    "slide": FigureStyle(
        node_size=30.0, layer_spacing=240.0, neuron_spacing=44.0, labels="captions", node_colors="role", legend=True,
    ),
    # NN-SVG's default fully connected figure: uniform 0.5 px #505050 edges,
    # white 20 px neurons with a #333333 ring, 160 px between layers (plus a
    # node), 20 px between neurons (plus a node), captions under the layers.
    "nn-svg": FigureStyle(
        node_size=20.0, layer_spacing=180.0, neuron_spacing=40.0, edge_width="uniform", edge_opacity="uniform",
        colors="plain", node_colors="plain", labels="captions", legend=False,
    ),
}
DEFAULT_PRESET = "default"


def preset(name: str) -> FigureStyle:
    """The preset called ``name``; :class:`StyleError` names the presets."""
    if name not in PRESETS:
        raise StyleError(f"unknown figure preset {name!r}; choose from {', '.join(PRESETS)}")
    return PRESETS[name]


def style_from_json(data) -> FigureStyle:
    """A style from parsed JSON: ``{"preset": "paper", ...overrides}`` or the fields alone (over "default")."""
    if not isinstance(data, dict):
        raise StyleError(f"a figure style must be a JSON object, got {type(data).__name__}")
    data = dict(data)
    base = preset(data.pop("preset", DEFAULT_PRESET))
    return base.replace(**data) if data else base


def load_style(path) -> FigureStyle:
    """Read a figure style from a JSON file (see :func:`style_from_json`).

    Raises :class:`StyleError` for a file that is not JSON or holds a bad
    style, saying which, and :class:`OSError` when it cannot be read.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StyleError(f"{path.name}: not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})") from None
    try:
        return style_from_json(data)
    except StyleError as exc:
        raise StyleError(f"{path.name}: {exc}") from None


def save_style(style: FigureStyle, path) -> None:
    """Write ``style`` as a JSON file :func:`load_style` reads back."""
    from ..atomic import write_atomic

    write_atomic(path, (json.dumps(style.to_dict(), indent=2) + "\n").encode("utf-8"))
