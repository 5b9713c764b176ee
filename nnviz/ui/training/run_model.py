"""The run model: the newest state of a training run, for the views that draw it.

The document holds what a file holds (weights, history, settings); a run adds
what only exists while it goes: the newest gradients and per-layer statistics,
the step count, the speed and the run's state. Once per display frame the
training controller puts the newest state read from the training process
here; the canvas, the plots and the readouts draw from it, and keep no copies
of a run's state of their own.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ...core.network import Network
from ..widgets.frame_clock import FrameClock
from .process import Frame
from .worker import IDLE


class RunModel(QObject):
    """What the current (or last) run has shown; ``updated`` after each newer state, ``state_changed`` on a new state.

    ``clock`` is the window's frame clock (views that animate hold it too); a new one if not given.
    """

    updated = Signal()
    state_changed = Signal(str)

    def __init__(self, clock: FrameClock | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.clock = clock or FrameClock(self)
        self.state = IDLE
        self.message = ""  # why the run diverged
        self.frame: Frame | None = None
        self.network: Network | None = None  # the newest weights and gradients, arranged by layer

    @property
    def step(self) -> int | None:
        return None if self.frame is None else self.frame.step

    @property
    def epoch(self) -> int | None:
        """Epochs completed in this run (a run counts its own from 1)."""
        return None if self.frame is None else self.frame.epoch

    @property
    def steps_per_second(self) -> float:
        return 0.0 if self.frame is None or self.state != "running" else self.frame.steps_per_second

    @property
    def gradients(self):
        """The newest gradients, one dict of arrays per layer (valid until the next update), or None."""
        net = self.network
        return None if net is None or self.frame is None else [net.layer_grads(i) for i in range(len(net.layers))]

    @property
    def layer_stats(self):
        return None if self.frame is None else self._stats

    def take(self, frame: Frame, network: Network) -> None:
        """A newer state of the run; ``network`` holds its weights and gradients."""
        self.frame = frame
        self.network = network
        self._stats = frame.layer_stats()
        self.updated.emit()

    def set_state(self, state: str, message: str = "") -> None:
        self.message = message
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def clear(self) -> None:
        """Forget the last run (another network was opened, or training was reset)."""
        self.frame = None
        self.network = None
        self.set_state(IDLE)
        self.updated.emit()
