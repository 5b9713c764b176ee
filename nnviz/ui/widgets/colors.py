"""Colours of the canvas and of exported pictures.

Weights are drawn by sign, as TensorFlow Playground draws them: positive cyan,
negative red. The colour-blind-safe scheme swaps them for the Okabe–Ito blue
and orange, which stay apart for every common colour-vision deficiency.

This module is plain Python and NumPy (no Qt), so the command line can list
the schemes without loading Qt; the canvas turns the hex strings into QColors.
"""

from __future__ import annotations

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

# Ink of everything that is not a weight.
TEXT = "#1f2328"
SUBTEXT = "#656d76"
NEURON_OUTLINE = "#3d4650"
NEURON_FILL = "#ffffff"
PASS_THROUGH = "#b3bbc4"  # the 1-to-1 links of dropout and batch norm: not weights
ELISION = "#8b949e"
ACCENT = "#2f81f7"  # selection, hover, drop marker
ERROR = "#cf222e"  # a message the person must act on
BACKGROUND = "#ffffff"
# The canvas's animations: the gradient flowing backwards (violet: apart from
# both schemes' weight colours and from the selection blue) and, for a step,
# the forward pass before it.
PULSE = "#8250df"
FORWARD = "#2da44e"


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
    """RGB (n, 3) uint8 fills for ``values``: white at 0, the scheme's colour at ±``scale``.

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
    return np.rint(255.0 + (target - 255.0) * t).astype(np.uint8)


_RGB_CACHE: dict[str, np.ndarray] = {}


def _rgb(hex_color: str) -> np.ndarray:
    if hex_color not in _RGB_CACHE:
        _RGB_CACHE[hex_color] = hex_rgb(hex_color)
    return _RGB_CACHE[hex_color]
