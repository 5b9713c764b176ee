"""Preferences and recent files, kept in QSettings.

The organisation and application names are set once at start-up
(:func:`nnviz.ui.app.make_app`), so ``QSettings()`` finds the same store
everywhere.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

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
    QSettings().setValue(key, value)


NEURON_HEATMAPS = "canvas/neuronHeatmaps"


def neuron_heatmaps() -> bool:
    """View ▸ Neuron Heatmaps: whether the canvas (and so an exported picture) shows them; on by default."""
    return bool(value(NEURON_HEATMAPS, True))


def set_neuron_heatmaps(on: bool) -> None:
    set_value(NEURON_HEATMAPS, bool(on))
