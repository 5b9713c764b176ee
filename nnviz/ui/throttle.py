"""Rate limits for work the GUI thread does in answer to training.

Training can report dozens of times a second; every repaint it causes takes
GUI time and the GIL the worker needs. A :class:`Throttle` runs its action at
most ``hz`` times a second: at once when the last run is long enough ago
(unless ``always_defer``), otherwise once, when the wait is over, however
many requests came in between. While training runs, a due run also waits
for the GUI's drawing budget (see :mod:`.gui_priority`).

Throttles share their frames: when one runs from its timer, every other one
due within :data:`COALESCE` runs with it, so their drawing lands in one repaint
of the window instead of several (each repaint pass has a fixed cost).
"""

from __future__ import annotations

import math
import time
import weakref
from typing import Callable

import shiboken6
from PySide6.QtCore import QObject, QTimer

from .gui_priority import gui_priority

BUDGET_RETRY_MS = 25
COALESCE = 0.05  # seconds: a throttle due this soon runs in the frame of one that is due now

_waiting: "weakref.WeakSet[Throttle]" = weakref.WeakSet()  # throttles with a delayed run pending


class Throttle(QObject):
    def __init__(self, hz: float, action: Callable[[], None], parent: QObject, *, always_defer: bool = False):
        super().__init__(parent)
        self.interval = 1.0 / hz
        self.action = action
        self.always_defer = always_defer
        self.last = -math.inf
        self.due = math.inf  # when the pending delayed run is due
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._due)

    def request(self) -> None:
        """Run the action now, or once the interval since the last run has passed."""
        if self.timer.isActive():
            return
        wait = self.last + self.interval - time.monotonic()
        if wait <= 0 and not self.always_defer and gui_priority().has_budget():
            self.run()
        else:
            self.due = time.monotonic() + max(0.0, wait)
            self.timer.start(math.ceil(max(0.0, wait) * 1000))
            _waiting.add(self)

    def _due(self) -> None:
        if not gui_priority().has_budget():  # training's share of the time comes first: a little later
            self.timer.start(BUDGET_RETRY_MS)
            return
        soon = time.monotonic() + COALESCE
        others = [t for t in _waiting if t is not self and shiboken6.isValid(t) and t.timer.isActive() and t.due <= soon]
        self.run()
        for other in others:
            other.run()

    def run(self) -> None:
        """Run the action now (a pending delayed run is dropped)."""
        self.timer.stop()
        _waiting.discard(self)
        self.last = time.monotonic()
        gui_priority().claim()  # training waits until this drawing (and its repaint) is done
        self.action()
