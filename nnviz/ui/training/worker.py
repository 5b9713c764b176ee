"""Training in a background thread: a thin Qt worker around the core's step generator.

:class:`TrainingSession` is the only thing the GUI uses. It lives in the GUI
thread, owns a :class:`~PySide6.QtCore.QThread` and a :class:`TrainingWorker`
moved into it, and re-emits the worker's signals in the GUI thread.

The worker trains its *own copy* of the network, so the GUI's network is never
touched from another thread; the GUI receives :class:`TrainingUpdate` objects
that hold only copies. Updates are throttled at the source (at most 20 per
second) because a snapshot with arrays costs copies of every weight.

While the worker is busy in its loop it does not process queued slots, so the
controls (pause, resume, step, stop) do not go through its event loop: they set
a small lock-protected state that the loop reads between two steps, and a
condition variable wakes the loop when it is paused (no busy waiting).

Every run has a number. Signals of an older run that are still queued when a
new run starts are dropped by the session, so a view never sees a stale
"stopped" or update after it started a new run.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from ...core.datasets import CLASSIFICATION, Dataset, DatasetError
from ...core.network import Network
from ...core.spec import SpecError
from ...core.training import History, Snapshot, TrainConfig, Trainer, TrainingError
from ..widgets.gui_priority import GuiPriority, gui_priority

GUI_SWITCH_INTERVAL = 0.001  # seconds; see TrainingSession.__init__
YIELD_EVERY = 0.002  # seconds of training between two offers of the GIL to the GUI thread (see _run)

MAX_UPDATES_PER_SECOND = 20  # the issue allows 30; each costs a snapshot here and handling in the GUI
_MIN_INTERVAL = 1.0 / MAX_UPDATES_PER_SECOND
_RATE_WINDOW = 1.0  # seconds over which steps_per_second is measured

IDLE = "idle"
RUNNING = "running"
PAUSED = "paused"
FINISHED = "finished"
DIVERGED = "diverged"
STOPPED = "stopped"
ACTIVE_STATES = (RUNNING, PAUSED)


@dataclass(frozen=True)
class TrainingUpdate:
    """What the GUI receives; every part is a copy and safe to keep."""

    snapshot: Snapshot  # with weights and gradients (copies)
    epoch: int  # completed epochs (== snapshot.epoch)
    step: int  # steps done in total (== snapshot.step)
    steps_per_second: float  # measured over about the last second; 0 when paused
    new_epochs: History  # epochs this run completed since its previous update (a copy; numbered from 1 per run)
    run: int = 0  # which run of the session this belongs to
    sent: float = 0.0  # time.monotonic() when the worker sent it


@dataclass
class _Job:
    run: int
    network: Network  # the worker's own copy
    x: np.ndarray
    y: np.ndarray
    validation: tuple[np.ndarray, np.ndarray] | None
    config: TrainConfig
    epochs: int | None
    classification: bool
    paused: bool


class _Control:
    """The state shared by the GUI thread (writes requests) and the worker (reads them between steps).

    ``mode`` is ``"run"``, ``"pause"`` or ``"stop"``; ``budget`` is the number of
    steps left before pausing (``None`` = no limit) and ``to_epoch_end`` pauses
    after the step that completes an epoch. Only ``run``'s requests count: a
    worker still busy with an older run sees a different ``run`` and stops.
    """

    def __init__(self):
        self.cond = threading.Condition()
        self.run = 0
        self.alive = False  # the current run has not ended yet
        self.mode = "stop"
        self.budget: int | None = None
        self.to_epoch_end = False

    def _clear_budget(self):
        self.budget = None
        self.to_epoch_end = False


class TrainingWorker(QObject):
    """Runs one training loop at a time; lives in the session's worker thread.

    Signals carry the run number so that the session can drop stale ones.
    """

    sig_update = Signal(object)  # TrainingUpdate
    sig_state = Signal(int, str)  # run, state
    sig_error = Signal(int, str)  # run, message

    def __init__(self, control: _Control, priority: GuiPriority):
        super().__init__()
        self._control = control
        self._priority = priority

    @Slot(object)
    def run(self, job: _Job) -> None:
        """Train ``job`` until it finishes, diverges or is stopped. Never raises."""
        try:
            self._run(job)
        except Exception as exc:  # a programmer error: show it, and keep the thread (and the app) alive
            traceback.print_exc()
            self.sig_error.emit(job.run, f"Training failed with an internal error: {exc!r}")
            self._end(job.run, STOPPED)

    def _end(self, run: int, state: str) -> None:
        c = self._control
        with c.cond:
            if c.run == run:
                c.alive = False
                c.mode = "stop"
                c._clear_budget()
        self.sig_state.emit(run, state)

    def _run(self, job: _Job) -> None:
        c = self._control
        try:
            trainer = Trainer(
                job.network, job.x, job.y, job.config, validation=job.validation, classification=job.classification
            )
        except (TrainingError, DatasetError, SpecError) as exc:
            self.sig_error.emit(job.run, str(exc))
            self._end(job.run, STOPPED)
            return

        target = trainer.epoch + (job.config.epochs if job.epochs is None else job.epochs)
        steps = trainer.steps(target - trainer.epoch)
        rate: deque[tuple[float, int]] = deque()
        last_emit = -np.inf
        sent_epochs = 0  # rows of the run's history already sent
        reported = None
        paused_at = -1  # the step at which "paused" was last announced
        offered = time.monotonic()  # when the GIL was last offered to the GUI thread

        def emit(paused: bool = False) -> None:
            nonlocal last_emit, sent_epochs
            now = time.monotonic()
            if paused:
                rate.clear()
                sps = 0.0
            else:
                rate.append((now, trainer.step_count))
                while len(rate) > 2 and now - rate[1][0] >= _RATE_WINDOW:
                    rate.popleft()
                t0, s0 = rate[0]
                sps = (trainer.step_count - s0) / (now - t0) if now > t0 else 0.0
            snap = trainer.snapshot(arrays=True)
            # Only the new epochs: copying the whole history every time grows with the run.
            new = trainer.history.since(sent_epochs)
            sent_epochs = len(trainer.history)
            self.sig_update.emit(TrainingUpdate(snap, snap.epoch, snap.step, sps, new, job.run, time.monotonic()))
            last_emit = time.monotonic()
            # Let the GUI thread take the GIL to handle what was just sent.
            time.sleep(0)

        def announce(state: str) -> None:
            nonlocal reported
            reported = state
            self.sig_state.emit(job.run, state)

        while True:
            with c.cond:
                if c.run != job.run or c.mode == "stop":
                    action = "stop"
                elif c.mode == "pause":
                    action = "pause"
                else:
                    action = "run"
                    stepping = c.budget is not None or c.to_epoch_end
            if action == "stop":
                emit(paused=True)
                self._end(job.run, STOPPED)
                return
            if action == "pause":
                # Announced again after a step request, so the view shows where it stopped.
                if reported != PAUSED or paused_at != trainer.step_count:
                    paused_at = trainer.step_count
                    emit(paused=True)
                    announce(PAUSED)
                with c.cond:
                    c.cond.wait_for(lambda: c.run != job.run or c.mode != "pause")
                continue
            # A step request from paused keeps the state "paused": only an
            # unlimited run is announced as running.
            if not stepping and reported != RUNNING:
                rate.clear()
                announce(RUNNING)

            if self._priority.claimed:  # the GUI is drawing: let it have the GIL
                self._priority.wait(lambda: c.run != job.run or c.mode != "run")
            elif time.monotonic() - offered >= YIELD_EVERY:
                # NumPy lets go of the GIL inside bigger operations (an epoch's
                # evaluation, a wide batch) and takes it straight back, faster than
                # a waiting GUI thread wakes; CPython's switch interval never fires
                # then, and the window could wait 10-20 ms for a timer. A sleep
                # hands it over. Measured with the spiral trainer in a thread and a
                # 5 ms timer in the GUI: p99 lateness 2 ms, worst 3 (6-8 and 8-11
                # without), at no measurable cost in steps.
                time.sleep(0)
                offered = time.monotonic()
            result = next(steps, None)
            if result is not None and result.epoch_done and trainer.epoch >= target:
                # The last epoch is done: let the generator mark the run finished.
                next(steps, None)
            if result is None or trainer.status == "finished":
                emit()
                self._end(job.run, FINISHED)
                return
            if result.diverged:
                emit()
                self._end(job.run, DIVERGED)
                return

            exhausted = False
            with c.cond:
                if c.run == job.run and c.mode == "run":
                    if c.budget is not None:
                        c.budget -= 1
                        exhausted = c.budget <= 0
                    if c.to_epoch_end and result.epoch_done:
                        exhausted = True
                    if exhausted:
                        c.mode = "pause"
                        c._clear_budget()
            if exhausted:
                continue  # the pause branch sends the update and the state
            if time.monotonic() - last_emit >= _MIN_INTERVAL:
                emit()


class TrainingSession(QObject):
    """Starts, controls and stops background training; lives in the GUI thread.

    All control methods are safe at any moment (also when nothing runs) and
    idempotent. ``sig_state`` carries one of ``"running"``, ``"paused"``,
    ``"finished"``, ``"diverged"``, ``"stopped"``; an error (bad widths, bad
    settings) emits ``sig_error`` with a message for the user, then
    ``sig_state("stopped")``.
    """

    sig_update = Signal(object)  # TrainingUpdate
    sig_state = Signal(str)
    sig_error = Signal(str)
    _sig_run = Signal(object)  # _Job, queued to the worker's thread

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        # The worker's Python between NumPy calls holds the GIL; by default a thread
        # waiting for it (the GUI) gets it only every 5 ms, so each GUI Python step
        # could wait that long. A 1 ms switch interval keeps the window responsive.
        sys.setswitchinterval(min(sys.getswitchinterval(), GUI_SWITCH_INTERVAL))
        self._control = _Control()
        self._priority = gui_priority()
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._run = 0
        self._state = IDLE
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- state ---------------------------------------------------------------

    @property
    def state(self) -> str:
        """``"idle"`` before the first run, else the last state of the current run.

        It changes when the worker reports (in the GUI thread), except that
        :meth:`start` sets ``"running"`` (or ``"paused"``) at once.
        """
        return self._state

    @property
    def is_running(self) -> bool:
        """Whether a run is in progress (running or paused), i.e. has not ended."""
        return self._state in ACTIVE_STATES

    # -- controls ------------------------------------------------------------

    @property
    def run_number(self) -> int:
        """The number of the newest run (its updates carry it); 0 before the first."""
        return self._run

    def start(
        self,
        network: Network,
        train: Dataset,
        validation: Dataset | None,
        config: TrainConfig,
        *,
        epochs: int | None = None,
        paused: bool = False,
    ) -> None:
        """Train a copy of ``network`` on ``train`` for ``epochs`` (default: ``config.epochs``).

        A run in progress is stopped first. With ``paused``, the run is set up,
        sends one update (step 0) and waits for :meth:`step`, :meth:`step_epoch`
        or :meth:`resume`. Problems with the data or settings arrive as
        ``sig_error``, never as an exception.
        """
        # Copies made here, in the GUI thread: the worker never sees the GUI's objects.
        own = Network(network.spec, seed=config.seed, dtype=network.dtype)
        own.load_params(network.copy_params())
        x = np.array(train.x, dtype=own.dtype)
        y = np.array(train.y)
        val = None
        if validation is not None and validation.n_samples:
            val = (np.array(validation.x, dtype=own.dtype), np.array(validation.y))
        c = self._control
        with c.cond:
            c.run += 1
            self._run = c.run
            c.alive = True
            c.mode = "pause" if paused else "run"
            c._clear_budget()
            c.cond.notify_all()  # an older run waiting in pause sees it is over
        job = _Job(self._run, own, x, y, val, config, epochs, train.task == CLASSIFICATION, paused)
        self._ensure_thread()
        self._state = PAUSED if paused else RUNNING
        self._priority.training = not paused
        self._sig_run.emit(job)

    def pause(self) -> None:
        c = self._control
        with c.cond:
            if c.alive and c.mode == "run":
                c.mode = "pause"
                c._clear_budget()
        self._priority.wake()

    def resume(self) -> None:
        c = self._control
        with c.cond:
            if c.alive and c.mode != "stop":
                c.mode = "run"
                c._clear_budget()
                c.cond.notify_all()

    def stop(self) -> None:
        c = self._control
        with c.cond:
            if c.alive:
                c.mode = "stop"
                c._clear_budget()
                c.cond.notify_all()
        self._priority.wake()

    def step(self, n_steps: int = 1) -> None:
        """Run exactly ``n_steps`` more steps, then pause and send an update.

        From a running state this pauses after ``n_steps``. Does nothing when no
        run is in progress (start one with ``start(..., paused=True)``).
        """
        if isinstance(n_steps, bool) or not isinstance(n_steps, int) or n_steps < 1:
            raise ValueError(f"n_steps must be a positive int, got {n_steps!r}")
        self._request(budget=n_steps)

    def step_epoch(self) -> None:
        """Run up to the end of the current epoch (a whole one from a boundary), then pause."""
        self._request(to_epoch_end=True)

    def _request(self, *, budget: int | None = None, to_epoch_end: bool = False) -> None:
        c = self._control
        with c.cond:
            if not c.alive or c.mode == "stop":
                return
            c.mode = "run"
            c.budget = budget
            c.to_epoch_end = to_epoch_end
            c.cond.notify_all()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop the run and end the worker thread. Call it from ``closeEvent``; idempotent.

        The loop ends after the step in progress. Should that take longer than
        ``timeout_ms``, this keeps waiting: destroying a running QThread would
        abort the process.
        """
        self.stop()
        # Keep the worker referenced until its thread has ended: dropping the last
        # Python reference deletes it, which must not happen while it runs.
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if thread is not None:
            thread.quit()
            if not thread.wait(timeout_ms):
                thread.wait()
            thread.deleteLater()
            del worker
        c = self._control
        with c.cond:
            # A run whose job the thread never picked up has nobody left to end it.
            orphaned = c.alive and c.run == self._run
            if orphaned:
                c.alive = False
                c.mode = "stop"
        if orphaned and self._state in ACTIVE_STATES:
            self._state = STOPPED
            self._priority.training = False
            self.sig_state.emit(STOPPED)

    # -- thread --------------------------------------------------------------

    def _ensure_thread(self) -> None:
        if self._thread is not None:
            return
        thread = QThread(self)
        thread.setObjectName("nnviz-training")
        worker = TrainingWorker(self._control, self._priority)
        worker.moveToThread(thread)
        self._sig_run.connect(worker.run)
        worker.sig_update.connect(self._on_update)
        worker.sig_state.connect(self._on_state)
        worker.sig_error.connect(self._on_error)
        self._thread, self._worker = thread, worker
        thread.start()

    @Slot(object)
    def _on_update(self, update: TrainingUpdate) -> None:
        if update.run == self._run:
            self.sig_update.emit(update)

    @Slot(int, str)
    def _on_state(self, run: int, state: str) -> None:
        if run == self._run:
            self._state = state
            self._priority.training = state == RUNNING
            self.sig_state.emit(state)

    @Slot(int, str)
    def _on_error(self, run: int, message: str) -> None:
        if run == self._run:
            self.sig_error.emit(message)
