"""The bridge to the training process: a session the window controls, and the thread that listens.

:class:`TrainingSession` lives in the GUI thread. It keeps one training
process warm (started when the session is made), sends it each run and every
control, and re-emits what the process reports as Qt signals in the GUI
thread. Sending happens on a small thread of its own, so a run's data never
blocks the window however large it is; a :class:`Listener` thread (the
``QThread`` worker) receives the process's events.

The newest weights, gradients and statistics are not reported: the frame
clock asks :meth:`TrainingSession.read` for them when it draws.

Every run has a number. Reports of an older run that are still on their way
when a new run starts are dropped, so a view never sees a stale "stopped"
after it started a new run. A process that dies is reported
(``sig_crashed``) and replaced; the window's network is never touched by it.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing import resource_tracker
import os
import queue
import threading
from multiprocessing.connection import wait

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from threadpoolctl import threadpool_limits

from ...core.datasets import CLASSIFICATION, Dataset
from ...core.network import Network
from ...core.training import TrainConfig
from . import process
from ...core.keyframes import state_vector
from .process import DIVERGED, FINISHED, PAUSED, RUNNING, STOPPED, Frame, Layout, RunOrder, SharedState

IDLE = "idle"
ACTIVE_STATES = (RUNNING, PAUSED)
QUIT_SECONDS = 1.0  # how long a closing window waits for the process to quit before ending it

__all__ = ["ACTIVE_STATES", "DIVERGED", "FINISHED", "IDLE", "PAUSED", "RUNNING", "STOPPED", "TrainingSession"]

# NumPy's BLAS to one thread in both processes. With its default threads, the
# window's NumPy work (its drawing) slows training markedly; and in the window,
# BLAS threads spin against the busy training process for the cores (the
# decision boundary's grid took 11 ms a frame instead of 0.5 on two cores).
_ONE_THREAD = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS", "BLIS_NUM_THREADS")


class Listener(QThread):
    """Receives the training process's events and emits them in order; ends when the process does."""

    sig_event = Signal(object)  # one event tuple (see nnviz.ui.training.process)
    sig_ended = Signal(object)  # the process's exit code (None if unknown)

    def __init__(self, proc, events, parent: QObject | None = None):
        super().__init__(parent)
        self.setObjectName("nnviz-training-listener")
        self.proc = proc
        self.events = events

    def run(self) -> None:
        while True:
            ready = wait([self.events, self.proc.sentinel])
            if self.events in ready:
                try:
                    self.sig_event.emit(self.events.recv())
                    continue
                except (EOFError, OSError):
                    pass  # the process closed its end: it has ended or is ending
            self.proc.join()
            self.sig_ended.emit(self.proc.exitcode)
            return


class _Process:
    """One training process with its pipes, its sender thread and its listener."""

    def __init__(self, parent: QObject):
        for var in _ONE_THREAD:
            os.environ.setdefault(var, "1")  # the training process's (its NumPy is not loaded yet)
        threadpool_limits(1, user_api="blas")  # the window's (already loaded)
        ctx = multiprocessing.get_context("spawn")
        # The shared memory of later runs is registered with a resource tracker. Started now,
        # the process inherits this one instead of starting its own, which would remove the
        # window's blocks when the process ends (and warn of "leaked" memory).
        resource_tracker.ensure_running()
        commands_in, self.commands = ctx.Pipe(duplex=False)
        events, events_out = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=process.serve, args=(commands_in, events_out), name="nnviz-training", daemon=True)
        self.proc.start()
        # Our copies of the process's ends: closed, so that either side sees the other go.
        commands_in.close()
        events_out.close()
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()
        self.sender = threading.Thread(target=self._send_all, name="nnviz-training-sender", daemon=True)
        self.sender.start()
        self.listener = Listener(self.proc, events, parent)
        self.listener.start()

    def send(self, *message) -> None:
        self.outbox.put(message)

    def _send_all(self) -> None:
        while True:
            message = self.outbox.get()
            if message is None:
                return
            try:
                self.commands.send(message)
            except (OSError, ValueError):
                return  # the process is gone; the listener reports it

    def close(self, timeout: float = QUIT_SECONDS) -> None:
        """Ask the process to quit, end it if it does not, and wait for the listener."""
        self.send("quit")
        self.outbox.put(None)
        self.sender.join(timeout)
        self.proc.join(timeout)
        if self.proc.exitcode is None:
            self.proc.terminate()
            self.proc.join(timeout)
        if self.proc.exitcode is None:
            self.proc.kill()
            self.proc.join()
        # The process is gone, so a send in progress fails at once. Only then is the pipe
        # closed: closed under a sending thread, its file descriptor could be reused by the
        # next process's pipe, and that process would get this one's "quit" (seen on 3.13).
        self.sender.join()
        self.commands.close()
        self.listener.wait()


class TrainingSession(QObject):
    """Starts, controls and stops training in the training process; lives in the GUI thread.

    Every control is safe at any moment (also when nothing runs) and
    idempotent. ``sig_state`` carries ``"running"``, ``"paused"``,
    ``"finished"``, ``"diverged"`` or ``"stopped"``; a problem with the data
    or settings emits ``sig_error`` with a message for the user, then
    ``sig_state("stopped")``. ``sig_rows`` carries the current run's newly
    completed epochs (a History numbered from 1 within the run) and its
    keyframes since the last ones (``(epoch within the run, state vector)``).
    """

    sig_state = Signal(str)
    sig_error = Signal(str)
    sig_rows = Signal(object, object)
    sig_crashed = Signal(str)  # the training process ended unexpectedly; a new one is starting

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._run = 0
        self._state = IDLE
        self._message = ""
        self._shared: SharedState | None = None
        self._read_version = 0
        self._process: _Process | None = None
        self._closing = False
        self.ready = False  # the training process has started and waits for runs
        self._start_process()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- state ---------------------------------------------------------------

    @property
    def state(self) -> str:
        """``"idle"`` before the first run, else the last state of the current run.

        It changes when the process reports, except that :meth:`start` sets
        ``"running"`` (or ``"paused"``) at once.
        """
        return self._state

    @property
    def message(self) -> str:
        """What the process said with the last state (why a run diverged)."""
        return self._message

    @property
    def is_running(self) -> bool:
        """Whether a run is in progress (running or paused), i.e. has not ended."""
        return self._state in ACTIVE_STATES

    @property
    def run_number(self) -> int:
        """The number of the newest run; 0 before the first."""
        return self._run

    @property
    def pid(self) -> int | None:
        """The training process's id."""
        return None if self._process is None else self._process.proc.pid

    @property
    def layout(self) -> Layout | None:
        return None if self._shared is None else self._shared.layout

    def read(self) -> Frame | None:
        """The current run's newest state, if newer than the last read; else None."""
        if self._shared is None:
            return None
        frame = self._shared.read(self._read_version)
        if frame is None or frame.run != self._run:
            return None
        self._read_version = frame.version
        return frame

    # -- controls ------------------------------------------------------------

    def start(self, network: Network, train: Dataset, validation: Dataset | None, config: TrainConfig, *,
              epochs: int | None = None, paused: bool = False, pace: float | None = None,
              keep_every: int = 1) -> None:
        """Train ``network``'s weights (a copy) on ``train``: ``epochs`` epochs, or until stopped if None.

        A run in progress is stopped first. With ``paused``, the run is set up,
        shows its step-0 state and waits for :meth:`step`, :meth:`step_epoch` or
        :meth:`resume`. ``pace`` is steps per second (None: as fast as possible);
        a keyframe of the weights is kept every ``keep_every`` epochs.
        """
        if self._closing:
            return
        self._run += 1
        layout = Layout.of(network)
        if self._shared is None or self._shared.layout != layout:
            self._release_shared()
            self._shared = SharedState.create(layout)
        self._read_version = self._shared.version  # what an older run wrote is not this run's
        state = state_vector(network).astype(layout.dtype)
        val = None
        if validation is not None and validation.n_samples:
            val = (validation.x, validation.y)
        order = RunOrder(self._run, network.spec, state, train.x, train.y, val, config, epochs,
                         train.task == CLASSIFICATION, paused, pace, self._shared.name, layout, keep_every)
        self._set_state(PAUSED if paused else RUNNING)
        self._process.send("run", order)

    def pause(self) -> None:
        if self.is_running:
            self._process.send("pause")

    def resume(self) -> None:
        if self.is_running:
            self._process.send("resume")

    def stop(self) -> None:
        if self.is_running:
            self._process.send("stop")

    def step(self, n_steps: int = 1) -> None:
        """Run exactly ``n_steps`` more steps, then pause. Does nothing when no run is in progress."""
        if isinstance(n_steps, bool) or not isinstance(n_steps, int) or n_steps < 1:
            raise ValueError(f"n_steps must be a positive int, got {n_steps!r}")
        if self.is_running:
            self._process.send("step", n_steps)

    def step_epoch(self) -> None:
        """Run up to the end of the current epoch (a whole one from a boundary), then pause."""
        if self.is_running:
            self._process.send("step_epoch")

    def set_pace(self, steps_per_second: float | None) -> None:
        """Train at about this many steps a second from now on (None: as fast as possible)."""
        self._process.send("pace", steps_per_second)

    def set_keep_every(self, epochs: int) -> None:
        """Keep a keyframe every ``epochs`` epochs from now on (the window thins its timeline)."""
        self._process.send("keep", epochs)

    def reconfigure(self, config: TrainConfig, epochs: int | None) -> None:
        """Settings that keep the network's shape and the data's split, and the run's epoch limit
        (None: until stopped), applied to the running run."""
        if self.is_running:
            self._process.send("settings", config, epochs)

    def shutdown(self) -> None:
        """End the run and the training process (the window closes); idempotent."""
        if self._closing:
            return
        self._closing = True
        was_running = self.is_running
        proc, self._process = self._process, None
        if proc is not None:
            proc.close()
        self._release_shared()
        if was_running:
            self._set_state(STOPPED)

    # -- the process -----------------------------------------------------------

    def _start_process(self) -> None:
        self.ready = False
        self._process = _Process(self)
        self._process.listener.sig_event.connect(self._on_event)
        self._process.listener.sig_ended.connect(self._on_ended)

    def _release_shared(self) -> None:
        if self._shared is not None:
            self._shared.close(unlink=True)
            self._shared = None

    @Slot(object)
    def _on_event(self, event: tuple) -> None:
        if self._process is None or self.sender() is not self._process.listener:
            return  # from a process that has been replaced
        kind = event[0]
        if kind == "ready":
            self.ready = True
            return
        if event[1] != self._run:
            return  # an older run's
        if kind == "state":
            self._message = event[3]
            self._set_state(event[2])
        elif kind == "rows":
            self.sig_rows.emit(event[2], event[3])
        elif kind == "error":
            self.sig_error.emit(event[2])

    @Slot(object)
    def _on_ended(self, exitcode) -> None:
        if self._closing or self._process is None or self.sender() is not self._process.listener:
            return
        old, self._process = self._process, None
        old.close(timeout=0.0)
        self._start_process()
        self.sig_crashed.emit(self.tr("The training process ended unexpectedly (exit code {0}); a new one has started.")
                              .format(exitcode))
        if self.is_running:
            self._set_state(STOPPED)

    def _set_state(self, state: str) -> None:
        if state != self._state or state == PAUSED:
            self._state = state
            self.sig_state.emit(state)
