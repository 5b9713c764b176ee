"""One main window kept in step with the preferences: applied when it opens, and at once on every change.

A preference has one home, QSettings through :mod:`.settings`; whoever changes
it (the Preferences dialog, a View toggle, the Speed slider) writes it there,
and :func:`settings.changes` tells every open window, which applies it here.
So a View toggle and its preference can never disagree.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from . import settings
from .actions import recolor_drawn_icons
from .widgets import theme


def apply_saved_theme() -> None:
    """Use the stored theme (nothing to do for "system", the default)."""
    theme.apply_theme(settings.theme())


class WindowPreferences(QObject):
    """Applies the theme, the weights' colours, the gradient pulse and the training speed to ``window``
    (and redraws its drawn toolbar icons in the colours of a new theme)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        acts = window.actions_
        acts["ColorBlindColors"].triggered.connect(
            lambda on: settings.set_value(settings.COLOR_SCHEME, "colorblind" if on else "classic"))
        acts["AnimateGradientFlow"].triggered.connect(lambda on: settings.set_value(settings.GRADIENT_PULSE, bool(on)))
        self._appliers = {
            settings.THEME: apply_saved_theme,
            settings.COLOR_SCHEME: self._apply_color_scheme,
            settings.GRADIENT_PULSE: self._apply_gradient_pulse,
            settings.PULSE_SPEED: lambda: window.view.scene().pulse.set_speed(settings.pulse_speed()),
            settings.TRAINING_PACE: window.training.follow_stored_pace,
        }
        for apply in self._appliers.values():
            apply()
        settings.changes().changed.connect(self._changed)
        self._following = True
        window.installEventFilter(self)  # palette changes: the drawn toolbar icons are redrawn to match

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() in theme.PALETTE_EVENTS:
            recolor_drawn_icons(self.window.actions_)
        return False

    def stop(self) -> None:
        """Follow no more changes (the window closed: its training process has ended)."""
        if self._following:
            self._following = False
            settings.changes().changed.disconnect(self._changed)

    def _changed(self, key: str) -> None:
        apply = self._appliers.get(key)
        if apply is not None:
            apply()

    def _apply_color_scheme(self) -> None:
        colorblind = settings.color_scheme() == "colorblind"
        self.window.actions_["ColorBlindColors"].setChecked(colorblind)
        self.window._set_color_scheme(colorblind)

    def _apply_gradient_pulse(self) -> None:
        on = settings.gradient_pulse()
        self.window.actions_["AnimateGradientFlow"].setChecked(on)
        self.window.view.scene().pulse.set_enabled(on)
