"""The GUI thread's right of way over training while it draws what training caused.

Training runs in a worker thread, but the worker's Python and NumPy's calls on
small arrays hold the GIL. Whenever the GUI thread lets go of the GIL (a NumPy
call on a big array, a Qt call that releases it, a Python paint method called
back from C++), getting it back waits up to the interpreter's switch interval
while the worker keeps it. A repaint that lets go a few hundred times takes ten
times longer than alone, and the window stalls (measured: a pyqtgraph plot
repaint went from a few ms to ~36 ms; a 5 ms timer in the GUI ticked 12 times
in 6 s instead of 1,200).

So the GUI thread *claims* priority before such work (:class:`Throttle` does it
for every rate-limited redraw). The worker, which looks between two steps,
then waits without the GIL until the GUI's event loop is about to sleep again,
that is, until the drawing and the repaints it queued are done. The drawing runs
at full speed and training loses only that time. A claim never holds training
up for longer than :data:`MAX_HOLD` (a GUI busy elsewhere must not stop it).

And while training runs, the time claimed is a budget: :meth:`GuiPriority.has_budget`
says whether the claims of the last second stayed under :data:`BUDGET`. The
rate-limited redraws and the gradient pulse wait while it is spent, so however
slow the machine or big the network, drawing takes at most about that share of
the time from training (the redraws just come less often).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable

import shiboken6
from PySide6.QtCore import QAbstractEventDispatcher, QCoreApplication, QEvent, QObject, QThread, Slot
from PySide6.QtWidgets import QApplication, QWidget

MAX_HOLD = 0.25  # seconds
FLUSH_PASSES = 2  # a scene's update, and the view update it posts
# The share of the time that live drawing may claim from training. Each redraw
# costs training more than its claim (waking the GUI, handing the GIL over), so
# the share is below the 30% the live benchmark allows: at 0.10 the spiral network
# trained at a median 72% of headless (4 runs), at 0.06 at 78.5%, with 40% fewer
# redraws. At 0.08 the canvas recoloured 1.6 (spiral) and 2.5 (digits) times a
# second while the benchmark trained flat out, the loss plot 1.0 and 1.5 times.
BUDGET = 0.08
BUDGET_WINDOW = 1.0  # seconds over which the share is measured
WINDOWS_TTL = 1.0  # seconds the list of windows to repaint is kept (listing them costs ~0.5 ms)


class GuiPriority(QObject):
    def __init__(self):
        super().__init__()
        self._cond = threading.Condition(threading.Lock())
        self._claimed_at: float | None = None
        self._dispatcher: QAbstractEventDispatcher | None = None
        self._claims: deque[tuple[float, float]] = deque()  # (end, duration) of the recent claims
        self._on_done: list[Callable[[float], None]] = []
        self._windows: list[QWidget] = []  # the visible top-level widgets, as of _windows_at
        self._windows_at = -float("inf")
        self.frame_cost = 0.0  # expected seconds of the drawing claimed so far in this frame (see Throttle)
        self.training = False  # a run is in progress: the budget applies (set by the training session)

    def has_budget(self) -> bool:
        """Whether live drawing may run now: no training, or claims under ``BUDGET`` of the last second."""
        if not self.training:
            return True
        horizon = time.monotonic() - BUDGET_WINDOW
        claims = self._claims
        while claims and claims[0][0] < horizon:
            claims.popleft()
        return sum(d for _, d in claims) < BUDGET * BUDGET_WINDOW

    @property
    def claimed(self) -> bool:
        """Whether a claim holds; a plain read, cheap enough for the worker to check every step."""
        return self._claimed_at is not None

    def claim(self, on_done: Callable[[float], None] | None = None) -> None:
        """Hold training back until the GUI thread's event loop is next idle (GUI thread only).

        ``on_done`` is called with the claim's duration in seconds (the drawing and
        the repaint that followed) when it ends.
        """
        if QThread.currentThread() is not self.thread():
            raise RuntimeError("GuiPriority.claim() belongs to the GUI thread")
        if on_done is not None:
            self._on_done.append(on_done)
        with self._cond:
            now = time.monotonic()
            # A claim older than MAX_HOLD no longer holds anyone (an event loop that ended
            # before it went idle, as when a window closes): this one starts afresh.
            if self._claimed_at is None or now - self._claimed_at > MAX_HOLD:
                self._claimed_at = now
        if self._dispatcher is None:
            dispatcher = QAbstractEventDispatcher.instance(self.thread())
            if dispatcher is None:  # no event loop yet: nothing would release the claim
                self.release()
                return
            dispatcher.aboutToBlock.connect(self._idle)
            self._dispatcher = dispatcher

    @Slot()
    def _idle(self) -> None:
        # Qt's glib event dispatcher (the usual one on Linux) says "about to block"
        # at the start of every pass, even with events still queued: the scene
        # updates that the drawing posted. And the window repaints itself a few ms
        # later, from a timer. Do both now, as the coming passes would, so that
        # they run before training takes the GIL back.
        for _ in range(FLUSH_PASSES):
            QCoreApplication.sendPostedEvents()
        for window in self._visible_windows():
            QCoreApplication.sendEvent(window, QEvent(QEvent.Type.UpdateRequest))  # paints what is dirty
        self.release()

    def _visible_windows(self) -> list[QWidget]:
        # QApplication.topLevelWidgets() wraps every menu and hidden dialog (~70 in
        # the main window): a fifth of a small frame's cost. A window shown since the
        # last listing repaints on its own, as Qt would have it, a moment later.
        now = time.monotonic()
        if now - self._windows_at > WINDOWS_TTL:
            self._windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
            self._windows_at = now
        return [w for w in self._windows if shiboken6.isValid(w) and w.isVisible()]

    def release(self) -> None:
        """End the claim and let training go on (also safe when nothing is claimed)."""
        if self._dispatcher is not None:
            self._dispatcher.aboutToBlock.disconnect(self._idle)
            self._dispatcher = None
        duration = None
        with self._cond:
            if self._claimed_at is not None:
                now = time.monotonic()
                duration = now - self._claimed_at
                self._claims.append((now, duration))
            self._claimed_at = None
            self._cond.notify_all()
        callbacks, self._on_done = self._on_done, []
        self.frame_cost = 0.0
        if duration is not None:
            for done in callbacks:
                done(duration)

    def wait(self, stopping=lambda: False) -> None:
        """Block (without the GIL) while a claim holds, at most until it is ``MAX_HOLD`` old (worker thread).

        ``stopping`` is checked when woken; :meth:`wake` wakes the wait early
        so that a stop request need not wait for the GUI.
        """
        with self._cond:
            while self._claimed_at is not None and not stopping():
                left = self._claimed_at + MAX_HOLD - time.monotonic()
                if left <= 0:
                    return
                self._cond.wait(left)

    def wake(self) -> None:
        """Wake a waiting worker so that it re-checks ``stopping`` (any thread)."""
        with self._cond:
            self._cond.notify_all()


_instance: GuiPriority | None = None


def gui_priority() -> GuiPriority:
    """The application's one :class:`GuiPriority` (created in, and belonging to, the GUI thread)."""
    global _instance
    if _instance is None:
        _instance = GuiPriority()
        app = QCoreApplication.instance()
        if app is not None:  # whichever thread asked first, it belongs to the GUI thread
            _instance.moveToThread(app.thread())
    return _instance
