"""Colours taken from the widget palette, so that they follow the light or dark theme.

The diagram's own colours (weights, neurons) are in :mod:`.colors`, which stays
free of Qt for the command line; these are for widgets, and the bridge between
the two: the ink the canvas, plots and boundary draw with, made from the
application's palette (:func:`follow_palette`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from . import colors


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


# -- the drawing's ink: light or dark, from the application's palette ---------------------------

PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def _hex(color: QColor) -> str:
    return color.name(QColor.NameFormat.HexRgb)


def ink_from_palette(pal: QPalette) -> colors.Ink:
    """The drawing's ink for ``pal``: the light ink on a light Base; on a dark one, colours made from Base and Text."""
    base, text = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
    if base.lightnessF() >= 0.5:
        # Exactly the pictures' ink: the light canvas looks as it always has.
        return colors.LIGHT_INK
    return colors.Ink(
        background=_hex(base),
        text=_hex(text),
        subtext=_hex(mix_colors(text, base, 0.35)),
        neuron_outline=_hex(mix_colors(text, base, 0.3)),
        neuron_fill=_hex(base),  # as in light: a silent neuron is the background inside its outline
        pass_through=_hex(mix_colors(text, base, 0.6)),
        elision=_hex(mix_colors(text, base, 0.45)),
    )


def follow_palette() -> bool:
    """Set the drawing's ink from the application's palette; True if it changed.

    Every themed view calls this on a palette change (whichever hears of it
    first changes the ink), then restyles itself if the ink differs from the
    one it last drew with (:func:`ink_changed_for`).
    """
    app = QApplication.instance()
    if app is None:
        return False
    ink = ink_from_palette(app.palette())
    if ink == colors.current_ink():
        return False
    colors.set_ink(ink)
    return True


def ink_changed_for(widget: QWidget) -> bool:
    """Whether ``widget`` last styled itself with another ink than the current one (and remember this one)."""
    follow_palette()
    ink = colors.current_ink()
    if getattr(widget, "_nnviz_ink", None) == ink:
        return False
    widget._nnviz_ink = ink
    return True
