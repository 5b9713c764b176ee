"""One clock for everything that moves: a timer at the display's rate, running only while something moves.

While training runs or an animation plays, the frame clock ticks once per
display frame; the training controller reads the run's newest state on each
tick and the visible views redraw from it in the same frame. Whatever moves
holds the clock (:meth:`FrameClock.hold`) and lets go when it stops; with
no holder the clock is still, and an idle window does no work.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

DEFAULT_HZ = 60.0


def display_hz() -> float:
    """The primary screen's refresh rate (60 where it cannot be known)."""
    screen = QGuiApplication.primaryScreen()
    hz = screen.refreshRate() if screen is not None else 0.0
    return hz if 20.0 <= hz <= 240.0 else DEFAULT_HZ


class FrameClock(QObject):
    """Emits ``tick`` once per display frame while held by anyone."""

    tick = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._holders: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(round(1000.0 / display_hz()))
        self._timer.timeout.connect(self.tick)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def hold(self, holder: str) -> None:
        """Keep the clock ticking until ``release(holder)``."""
        self._holders.add(holder)
        if not self._timer.isActive():
            self._timer.start()

    def release(self, holder: str) -> None:
        self._holders.discard(holder)
        if not self._holders:
            self._timer.stop()
