"""Rate limits for work the GUI thread does in answer to training.

Training can report dozens of times a second; every repaint it causes takes
GUI time and the GIL the worker needs. A :class:`Throttle` runs its action at
most ``hz`` times a second: at once when the last run is long enough ago
(unless ``always_defer``), otherwise once, when the wait is over, however
many requests came in between. While training runs, a due run also waits
for the GUI's drawing budget (see :mod:`.gui_priority`).
"""

from __future__ import annotations

import math
import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer

from .gui_priority import gui_priority

BUDGET_RETRY_MS = 25


class Throttle(QObject):
    def __init__(self, hz: float, action: Callable[[], None], parent: QObject, *, always_defer: bool = False):
        super().__init__(parent)
        self.interval = 1.0 / hz
        self.action = action
        self.always_defer = always_defer
        self.last = -math.inf
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
            self.timer.start(math.ceil(max(0.0, wait) * 1000))

    def _due(self) -> None:
        if gui_priority().has_budget():
            self.run()
        else:  # training's share of the time comes first: try again a little later
            self.timer.start(BUDGET_RETRY_MS)

    def run(self) -> None:
        """Run the action now (a pending delayed run is dropped)."""
        self.timer.stop()
        self.last = time.monotonic()
        gui_priority().claim()  # training waits until this drawing (and its repaint) is done
        self.action()
