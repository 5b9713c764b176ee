"""The run model: the newest state of a training run, for the views that draw it.

The document holds what a file holds (weights, history, settings); a run adds
what only exists while it goes: the newest gradients and per-layer statistics,
the step count, the speed and the run's state. The training controller fills
this model; the canvas, the plots and the readouts draw from it, and keep no
copies of a run's state of their own.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from .worker import IDLE, TrainingUpdate


class RunModel(QObject):
    """What the current (or last) run has reported; ``updated`` after each newer update, ``state_changed`` on a new state."""

    updated = Signal()
    state_changed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.state = IDLE
        self.update: TrainingUpdate | None = None

    @property
    def snapshot(self):
        return None if self.update is None else self.update.snapshot

    @property
    def gradients(self):
        """The newest gradients, one dict of arrays per layer, or None before the first update."""
        return None if self.update is None else self.update.snapshot.gradients

    @property
    def layer_stats(self):
        return None if self.update is None else self.update.snapshot.layer_stats

    def take(self, update: TrainingUpdate) -> None:
        self.update = update
        self.updated.emit()

    def set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def clear(self) -> None:
        """Forget the last run (another network was opened)."""
        self.update = None
        self.set_state(IDLE)
        self.updated.emit()
