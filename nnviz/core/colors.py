"""The weight colour schemes and the picture ink: one source for the canvas, the figures and the command line.

Weights are drawn by sign, as TensorFlow Playground draws them: positive cyan,
negative red. The colour-blind-safe scheme swaps them for the Okabe–Ito blue
and orange, which stay apart for every common colour-vision deficiency.
Plain Python and NumPy, so that :mod:`nnviz.core.figure` and the command line
use them without Qt; :mod:`nnviz.ui.widgets.colors` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class ColorScheme:
    """A pair of weight colours, ``"#rrggbb"`` each."""

    name: str
    label: str
    positive: str
    negative: str

    def rgb(self, which: str) -> np.ndarray:
        """``which`` ("positive" / "negative") as a float array of 0–255 RGB."""
        return hex_rgb(getattr(self, which))


SCHEMES: dict[str, ColorScheme] = {
    "classic": ColorScheme("classic", QT_TRANSLATE_NOOP("nnviz.core", "Cyan and red"),
                           positive="#0aa3c2", negative="#e03c3c"),
    "colorblind": ColorScheme("colorblind", QT_TRANSLATE_NOOP("nnviz.core", "Blue and orange (colour-blind safe)"),
                              positive="#0072b2", negative="#e08a00"),
}
DEFAULT_SCHEME = "classic"
# Other names people reach for.
ALIASES = {"playground": "classic", "okabe-ito": "colorblind", "colourblind": "colorblind"}


@dataclass(frozen=True)
class Ink:
    """The colours of everything that is not a weight, for one background (light or dark)."""

    background: str
    text: str
    subtext: str
    neuron_outline: str
    neuron_fill: str  # a neuron whose activation is 0; activations deepen towards the weight colours
    pass_through: str  # the 1-to-1 links of dropout and batch norm: not weights
    elision: str


# Pictures (exports, figures, the command line) always use this one.
LIGHT_INK = Ink(
    background="#ffffff",
    text="#1f2328",
    subtext="#656d76",
    neuron_outline="#3d4650",
    neuron_fill="#ffffff",
    pass_through="#b3bbc4",
    elision="#8b949e",
)


def color_scheme(name: str) -> ColorScheme:
    """The scheme called ``name`` (or one of its aliases); ``KeyError`` names the choices."""
    key = ALIASES.get(name, name)
    if key not in SCHEMES:
        raise KeyError(f"unknown colour scheme {name!r}; choose from {', '.join(SCHEMES)}")
    return SCHEMES[key]


def hex_rgb(color: str) -> np.ndarray:
    """``"#0aa3c2"`` → ``array([10., 163., 194.])``."""
    c = color.lstrip("#")
    return np.array([int(c[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.float64)


def mix(color: str, toward: str, t: float) -> str:
    """``color`` moved a fraction ``t`` of the way to ``toward``, as ``"#rrggbb"``."""
    rgb = hex_rgb(color) * (1 - t) + hex_rgb(toward) * t
    return "#" + "".join(f"{int(round(c)):02x}" for c in rgb)


def signed_rgb(values: np.ndarray, scale: float, scheme: ColorScheme, base: str, levels: int | None = None) -> np.ndarray:
    """RGB (n, 3) uint8 for ``values``: ``base`` at 0, the scheme's colour at ±``scale`` (NaN counts as 0).

    ``levels`` rounds the depth to that many steps, so that a renderer can
    reuse pictures of each shade.
    """
    values = np.asarray(values, dtype=np.float64)
    t = np.clip(np.abs(values) / scale, 0.0, 1.0) if scale > 0 else np.zeros_like(values)
    t[np.isnan(t)] = 0.0
    if levels:
        t = np.round(t * levels) / levels
    t = t[:, None]
    target = np.where(values[:, None] < 0, hex_rgb(scheme.negative), hex_rgb(scheme.positive))
    start = hex_rgb(base)
    return np.rint(start + (target - start) * t).astype(np.uint8)
