"""Colours taken from the widget palette, so that they follow the light or dark theme.

The diagram's own colours (weights, neurons) are in :mod:`.colors`, which stays
free of Qt for the command line; these are for widgets.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget


def mix_colors(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` of the way towards ``b`` (0: ``a``, 1: ``b``)."""
    return QColor.fromRgbF(
        a.redF() * (1 - t) + b.redF() * t,
        a.greenF() * (1 - t) + b.greenF() * t,
        a.blueF() * (1 - t) + b.blueF() * t,
    )


def dim_color(widget: QWidget) -> QColor:
    """Secondary text: the text colour pulled towards the background."""
    pal = widget.palette()
    text, base = pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window)
    return mix_colors(text, base, 0.45)
