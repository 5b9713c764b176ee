"""Colours taken from the widget palette, so that they follow the light or dark theme.

The diagram's own colours (weights, neurons) are in :mod:`.colors`, which stays
free of Qt for the command line; these are for widgets, and the bridge between
the two: the ink the canvas, plots and boundary draw with, made from the
application's palette (:func:`follow_palette`). The theme a person picks in
Preferences (:func:`apply_theme`) sets that palette: the views follow it as
they follow the desktop's.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
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


# -- the theme a person picks: follow the system, or force light or dark ------------------------

R, G = QPalette.ColorRole, QPalette.ColorGroup
# Each role's colour in the light theme (Fusion's own) and in the dark one (a Base close to the dark
# canvases of code editors, the selection in the canvas's accent blue).
THEME_COLORS = {
    R.Window: ("#efefef", "#2b2d30"), R.WindowText: ("#000000", "#dfe1e5"),
    R.Base: ("#ffffff", "#1e1f22"), R.AlternateBase: ("#f7f7f7", "#26282b"),
    R.ToolTipBase: ("#ffffdc", "#3c3f41"), R.ToolTipText: ("#000000", "#dfe1e5"),
    R.PlaceholderText: ("#7f7f7f", "#8c8f94"), R.Text: ("#000000", "#dfe1e5"),
    R.Button: ("#efefef", "#35373b"), R.ButtonText: ("#000000", "#dfe1e5"),
    R.BrightText: ("#ffffff", "#ff6b6b"), R.Light: ("#ffffff", "#4e5157"),
    R.Midlight: ("#cacaca", "#404348"), R.Mid: ("#b8b8b8", "#2a2c2f"),
    R.Dark: ("#9f9f9f", "#18191b"), R.Shadow: ("#767676", "#0b0b0c"),
    R.Highlight: ("#308cc6", "#2f81f7"), R.HighlightedText: ("#ffffff", "#ffffff"),
    R.Link: ("#0000ff", "#58a6ff"), R.LinkVisited: ("#ff00ff", "#bc8cff"),
}
# Disabled text: the text colour halfway to the background.
_DISABLED = (R.WindowText, R.Text, R.ButtonText, R.PlaceholderText)


def make_palette(dark: bool) -> QPalette:
    """The whole palette of the light or the dark theme, disabled widgets included."""
    chosen = {role: pair[1 if dark else 0] for role, pair in THEME_COLORS.items()}
    pal = QPalette()
    for role, color in chosen.items():
        pal.setColor(role, QColor(color))
    for role in _DISABLED:
        pal.setColor(G.Disabled, role, mix_colors(QColor(chosen[role]), QColor(chosen[R.Window]), 0.5))
    pal.setColor(G.Disabled, R.Highlight, QColor(chosen[R.Mid]))
    return pal


_native_style: str | None = None  # the style to go back to when the theme follows the system again
_applied = "system"


def apply_theme(name: str) -> None:
    """Use the theme ``name`` now: "light" or "dark" for every window, or "system" (the desktop's, as at start).

    Forcing a theme sets the application's palette, so the widgets, the
    canvas, the plots and the boundary all change at once (they follow palette
    changes). Where Qt can (6.8 and later) the colour scheme is asked for too,
    so that what the palette does not reach (title bars) matches. Native styles
    draw many controls in the desktop's own colours whatever the palette says,
    so a forced theme draws with Fusion. "system" at start-up changes nothing.
    """
    global _native_style, _applied
    app = QApplication.instance()
    if app is None or name == _applied:
        return
    hints = app.styleHints()
    if name == "system":
        if hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
        if _native_style is not None and app.style().name() != _native_style:
            app.setStyle(_native_style)
        app.setPalette(QPalette())  # an empty palette: back to the platform's own
    else:
        dark = name == "dark"
        if hasattr(hints, "setColorScheme"):
            hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
        if _native_style is None:
            _native_style = app.style().name()
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setPalette(make_palette(dark))
    _applied = name
    follow_palette()


def applied_theme() -> str:
    """The theme :func:`apply_theme` last used ("system" until it is called)."""
    return _applied
