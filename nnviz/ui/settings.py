"""Preferences and recent files, kept in QSettings.

The organisation and application names are set once at start-up
(:func:`nnviz.ui.app.make_app`), so ``QSettings()`` finds the same store
everywhere.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

from .widgets import colors

MAX_RECENT = 10
ORGANIZATION = "nnviz"
APPLICATION = "nnviz"


def recent_files() -> list[Path]:
    """Recently opened or saved files that still exist, newest first."""
    values = QSettings().value("recentFiles", [], list) or []
    return [Path(v) for v in values if Path(v).is_file()]


def add_recent_file(path) -> None:
    path = str(Path(path).resolve())
    values = [v for v in (QSettings().value("recentFiles", [], list) or []) if v != path]
    QSettings().setValue("recentFiles", [path, *values][:MAX_RECENT])


def remember_folder(path) -> None:
    """Keep the folder of ``path`` (made absolute: a relative path would store ".") for the next file dialog."""
    set_value("lastFolder", str(Path(path).resolve().parent))


def clear_recent_files() -> None:
    QSettings().setValue("recentFiles", [])


def value(key: str, default, kind=None):
    """A stored preference, ``default`` when unset."""
    settings = QSettings()
    if kind is None:
        kind = type(default)
    return settings.value(key, default, kind)


def set_value(key: str, value) -> None:
    """Store ``value`` under ``key`` and tell every listener of :func:`changes` (the open windows apply it at once)."""
    QSettings().setValue(key, value)
    changes().changed.emit(key)


class PreferenceChanges(QObject):
    """``changed(key)``: a preference was written through this module (the window, the Preferences dialog)."""

    changed = Signal(str)


_changes: PreferenceChanges | None = None


def changes() -> PreferenceChanges:
    """The one object that announces preference changes: a window and the Preferences dialog both listen."""
    global _changes
    if _changes is None:
        _changes = PreferenceChanges()
    return _changes


NEURON_HEATMAPS = "canvas/neuronHeatmaps"


def neuron_heatmaps() -> bool:
    """View ▸ Neuron Heatmaps: whether the canvas (and so an exported picture) shows them; on by default."""
    return bool(value(NEURON_HEATMAPS, True))


def set_neuron_heatmaps(on: bool) -> None:
    set_value(NEURON_HEATMAPS, bool(on))


# -- the Preferences dialog's settings ------------------------------------------------------------
# Each key is named once here; the export dialog reads the EXPORT_* ones as its remembered choices.

THEME = "appearance/theme"
THEMES = ("system", "light", "dark")
COLOR_SCHEME = "colorScheme"  # View ▸ Colour-blind-safe Colours is the same setting
COLOR_SCHEMES = tuple(colors.SCHEMES)
GRADIENT_PULSE = "canvas/gradientPulse"  # View ▸ Animate Gradient Flow is the same setting
PULSE_SPEED = "canvas/pulseSpeed"
PULSE_SPEEDS = ("slow", "normal", "fast")
# Steps a second, 0 for as fast as possible: the Training panel's Speed slider, remembered. The panel
# reads it (training.panel.stored_pace), with the controller's default when unset.
TRAINING_PACE = "training/pace"
EXPORT_FORMAT = "export/format"  # a key of io.export.FORMAT_NAMES: "png", "svg", "pdf", "tex"
EXPORT_SCALE = "export/scale"  # pixels per point of a PNG
EXPORT_TRANSPARENT = "export/transparent"  # a figure's background: transparent (True) or white

DEFAULTS = {
    THEME: "system",
    COLOR_SCHEME: colors.DEFAULT_SCHEME,
    GRADIENT_PULSE: True,
    PULSE_SPEED: "normal",
    EXPORT_FORMAT: "png",
    EXPORT_SCALE: 2.0,
    EXPORT_TRANSPARENT: False,
}


def _choice(key: str, choices: tuple[str, ...]) -> str:
    stored = value(key, DEFAULTS[key], str)
    return stored if stored in choices else DEFAULTS[key]


def theme() -> str:
    """"system" (follow the desktop's light or dark scheme), "light" or "dark"."""
    return _choice(THEME, THEMES)


def color_scheme() -> str:
    """The weights' colours: "classic" (cyan and red) or "colorblind" (blue and orange)."""
    return _choice(COLOR_SCHEME, COLOR_SCHEMES)


def gradient_pulse() -> bool:
    """Whether a pulse runs backwards through the connections after each update (on by default)."""
    return bool(value(GRADIENT_PULSE, DEFAULTS[GRADIENT_PULSE], bool))


def pulse_speed() -> str:
    """How fast the pulse crosses the network: "slow", "normal" or "fast"."""
    return _choice(PULSE_SPEED, PULSE_SPEEDS)


def export_format() -> str:
    """The format Export Image… starts with (its dialog checks it is one it offers)."""
    return str(value(EXPORT_FORMAT, DEFAULTS[EXPORT_FORMAT], str))


def export_scale() -> float:
    """Pixels per point of an exported PNG."""
    return float(value(EXPORT_SCALE, DEFAULTS[EXPORT_SCALE], float))


def export_transparent() -> bool:
    """Whether an exported figure starts on a transparent background rather than white."""
    return bool(value(EXPORT_TRANSPARENT, DEFAULTS[EXPORT_TRANSPARENT], bool))


PREFERENCES = (*DEFAULTS, TRAINING_PACE)


def restore_defaults() -> None:
    """Every preference of the Preferences dialog back to its default (forgotten), announced like any change."""
    store = QSettings()
    for key in PREFERENCES:
        store.remove(key)
    for key in PREFERENCES:
        changes().changed.emit(key)
