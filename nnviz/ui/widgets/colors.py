"""Colours of the canvas and of exported pictures.

Weights are drawn by sign, as TensorFlow Playground draws them: positive cyan,
negative red. The colour-blind-safe scheme swaps them for the Okabe–Ito blue
and orange, which stay apart for every common colour-vision deficiency.

This module is plain Python and NumPy (no Qt), so the command line can list
the schemes without loading Qt; the canvas turns the hex strings into QColors.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from ...core.colors import (  # re-exported: the one source is in core
    ALIASES,
    DEFAULT_SCHEME,
    LIGHT_INK,
    SCHEMES,
    ColorScheme,
    Ink,
    color_scheme,
    hex_rgb,
    signed_rgb,
)

__all__ = [
    "ALIASES", "DEFAULT_SCHEME", "LIGHT_INK", "SCHEMES", "ColorScheme", "Ink", "color_scheme", "hex_rgb",
    "TEXT", "SUBTEXT", "NEURON_OUTLINE", "NEURON_FILL", "PASS_THROUGH", "ELISION", "BACKGROUND",
    "ACCENT", "ERROR", "PULSE", "FORWARD", "current_ink", "set_ink", "ink_as", "signed_fill",
]

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


def signed_fill(values: np.ndarray, scale: float, scheme: ColorScheme, levels: int | None = None) -> np.ndarray:
    """RGB (n, 3) uint8 fills for ``values``: the ink's neuron fill (white) at 0, the scheme's colour at ±``scale``.

    Used for neuron activations, so that a neuron reads like the weights: its
    hue is the sign, its depth the size relative to the largest in its layer.
    ``levels`` rounds the depth to that many steps (finer than the eye tells
    apart), so that a renderer can reuse pictures of each shade.
    """
    return signed_rgb(values, scale, scheme, NEURON_FILL, levels)
