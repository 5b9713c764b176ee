"""Colours of the canvas and of exported pictures.

Weights are drawn by sign, as TensorFlow Playground draws them: positive cyan,
negative red. The colour-blind-safe scheme swaps them for the Okabe–Ito blue
and orange, which stay apart for every common colour-vision deficiency.

This module is plain Python and NumPy (no Qt), so the command line can list
the schemes without loading Qt; the canvas turns the hex strings into QColors.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ColorScheme:
    name: str
    label: str
    positive: str  # "#rrggbb"
    negative: str

    def rgb(self, which: str) -> np.ndarray:
        """``which`` ("positive" / "negative") as a float array of 0–255 RGB."""
        return hex_rgb(getattr(self, which))


SCHEMES: dict[str, ColorScheme] = {
    "classic": ColorScheme("classic", "Cyan and red", positive="#0aa3c2", negative="#e03c3c"),
    "colorblind": ColorScheme("colorblind", "Blue and orange (colour-blind safe)", positive="#0072b2", negative="#e08a00"),
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


# Pictures (exports, the command line) always use this one.
LIGHT_INK = Ink(
    background="#ffffff",
    text="#1f2328",
    subtext="#656d76",
    neuron_outline="#3d4650",
    neuron_fill="#ffffff",
    pass_through="#b3bbc4",
    elision="#8b949e",
)

# The current ink, as module attributes read at drawing time: the window sets
# them from the application's palette (widgets.theme.follow_palette), so the
# canvas, plots and boundary follow a dark theme; nothing else changes them.
TEXT = LIGHT_INK.text
SUBTEXT = LIGHT_INK.subtext
NEURON_OUTLINE = LIGHT_INK.neuron_outline
NEURON_FILL = LIGHT_INK.neuron_fill
PASS_THROUGH = LIGHT_INK.pass_through
ELISION = LIGHT_INK.elision
BACKGROUND = LIGHT_INK.background
ACCENT = "#2f81f7"  # selection, hover, drop marker
ERROR = "#cf222e"  # a message the person must act on
# The canvas's animations: the gradient flowing backwards (violet: apart from
# both schemes' weight colours and from the selection blue) and, for a step,
# the forward pass before it.
PULSE = "#8250df"
FORWARD = "#2da44e"


def current_ink() -> Ink:
    """The ink drawing uses now."""
    return Ink(BACKGROUND, TEXT, SUBTEXT, NEURON_OUTLINE, NEURON_FILL, PASS_THROUGH, ELISION)


def set_ink(ink: Ink) -> None:
    """Draw from now on with ``ink`` (the window's theme; see :func:`ink_as` for a picture)."""
    global BACKGROUND, TEXT, SUBTEXT, NEURON_OUTLINE, NEURON_FILL, PASS_THROUGH, ELISION
    BACKGROUND, TEXT, SUBTEXT = ink.background, ink.text, ink.subtext
    NEURON_OUTLINE, NEURON_FILL, PASS_THROUGH, ELISION = ink.neuron_outline, ink.neuron_fill, ink.pass_through, ink.elision


@contextmanager
def ink_as(ink: Ink):
    """Draw with ``ink`` inside the block (an exported picture stays light under a dark theme)."""
    before = current_ink()
    set_ink(ink)
    try:
        yield
    finally:
        set_ink(before)


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


def signed_fill(values: np.ndarray, scale: float, scheme: ColorScheme, levels: int | None = None) -> np.ndarray:
    """RGB (n, 3) uint8 fills for ``values``: the ink's neuron fill (white) at 0, the scheme's colour at ±``scale``.

    Used for neuron activations, so that a neuron reads like the weights: its
    hue is the sign, its depth the size relative to the largest in its layer.
    ``levels`` rounds the depth to that many steps (finer than the eye tells
    apart), so that a renderer can reuse pictures of each shade.
    """
    values = np.asarray(values, dtype=np.float64)
    t = np.clip(np.abs(values) / scale, 0.0, 1.0) if scale > 0 else np.zeros_like(values)
    t[np.isnan(t)] = 0.0
    if levels:
        t = np.round(t * levels) / levels
    t = t[:, None]
    target = np.where(values[:, None] < 0, _rgb(scheme.negative), _rgb(scheme.positive))
    base = _rgb(NEURON_FILL)
    return np.rint(base + (target - base) * t).astype(np.uint8)


_RGB_CACHE: dict[str, np.ndarray] = {}


def _rgb(hex_color: str) -> np.ndarray:
    if hex_color not in _RGB_CACHE:
        _RGB_CACHE[hex_color] = hex_rgb(hex_color)
    return _RGB_CACHE[hex_color]
