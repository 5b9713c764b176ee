"""Rate limits for work the GUI thread does in answer to training.

Training can report dozens of times a second; every repaint it causes takes
GUI time and the GIL the worker needs. A :class:`Throttle` runs its action at
most ``hz`` times a second: at once when the last run is long enough ago
(unless ``always_defer``), otherwise once, when the wait is over, however
many requests came in between. While training runs, a due run also waits
for the GUI's drawing budget (see :mod:`.gui_priority`).

Throttles share their frames: when one runs from its timer, others due within
:data:`COALESCE` run with it, so their drawing lands in one repaint of the
window instead of several (each repaint pass has a fixed cost). But a frame's
expected cost (each throttle's measured drawing and repaint time) stays under
:data:`FRAME_BUDGET`: a due throttle that would overrun it waits for the next
frame, since one long frame stalls the window.
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
FRAME_RETRY_MS = 8
COALESCE = 0.05  # seconds: a throttle due this soon runs in the frame of one that is due now
FRAME_BUDGET = 0.012  # seconds of drawing and repaint that one shared frame may take

_waiting: "weakref.WeakSet[Throttle]" = weakref.WeakSet()  # throttles with a delayed run pending
_starved: "weakref.WeakSet[Throttle]" = weakref.WeakSet()  # due, but waiting for the drawing budget


def redraws_waiting() -> bool:
    """Whether a due redraw waits for the drawing budget (decoration, such as the pulse, should let it go first)."""
    return any(shiboken6.isValid(t) and t.timer.isActive() for t in _starved)


class Throttle(QObject):
    def __init__(self, hz: float, action: Callable[[], None], parent: QObject, *, always_defer: bool = False):
        super().__init__(parent)
        self.interval = 1.0 / hz
        self.action = action
        self.always_defer = always_defer
        self.last = -math.inf
        self.due = math.inf  # when the pending delayed run is due
        self.cost = 0.0  # seconds a run takes, with the repaint it causes (a running average)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._due)

    def request(self) -> None:
        """Run the action now, or once the interval since the last run has passed."""
        if self.timer.isActive():
            return
        wait = self.last + self.interval - time.monotonic()
        if wait <= 0 and not self.always_defer and gui_priority().has_budget():
            if self._fits():
                self.run()
                return
            wait = FRAME_RETRY_MS / 1000  # the frame is full: the next one
        self.due = time.monotonic() + max(0.0, wait)
        self.timer.start(math.ceil(max(0.0, wait) * 1000))
        _waiting.add(self)

    def _due(self) -> None:
        priority = gui_priority()
        if not priority.has_budget():  # training's share of the time comes first: a little later
            _starved.add(self)
            self.timer.start(BUDGET_RETRY_MS)
            return
        if priority.frame_cost and not self._fits():  # this frame is full: the next one
            self.timer.start(FRAME_RETRY_MS)
            return
        soon = time.monotonic() + COALESCE
        others = sorted(
            (t for t in _waiting if t is not self and shiboken6.isValid(t) and t.timer.isActive() and t.due <= soon),
            key=lambda t: t.due,
        )
        self.run()
        for other in others:
            if other._fits():
                other.run()

    def _fits(self) -> bool:
        """Whether this run fits in the current frame (no limit but while training runs)."""
        priority = gui_priority()
        return not priority.training or priority.frame_cost + self.cost <= FRAME_BUDGET

    def run(self) -> None:
        """Run the action now (a pending delayed run is dropped)."""
        self.timer.stop()
        _waiting.discard(self)
        _starved.discard(self)
        self.last = time.monotonic()
        priority = gui_priority()
        priority.claim(self._measured)  # training waits until this drawing (and its repaint) is done
        priority.frame_cost += self.cost
        self.action()

    def _measured(self, seconds: float) -> None:
        # The frame may have held others' drawing too: an overestimate, on the safe side.
        self.cost = seconds if self.cost == 0.0 else 0.7 * self.cost + 0.3 * seconds
