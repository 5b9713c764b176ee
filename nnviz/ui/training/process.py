"""The training process: trains one run at a time, away from the window's GIL.

The window starts it with the ``spawn`` method and keeps it warm; it imports
``nnviz.core``, NumPy and the standard library only (an import contract keeps
it so), so it never competes with drawing for the window's interpreter.

The conversation is two one-way pipes of small tuples:

- commands, window to process: ``("run", RunOrder)``, ``("pause",)``,
  ``("resume",)``, ``("step", n)``, ``("step_epoch",)``, ``("stop",)``,
  ``("pace", steps_per_second or None)``, ``("settings", TrainConfig, epochs
  or None)``, ``("keep", k)`` (a keyframe every k epochs),
  ``("quit",)``;
- events, process to window: ``("ready", pid)``, ``("state", run, state,
  message)``, ``("rows", run, History, keyframes)`` (completed epochs,
  numbered from 1 within the run, and ``(epoch, state)`` pairs: the
  parameters and running statistics at the end of every k-th epoch), ``("error",
  run, message)``.

The newest parameters, gradients and per-layer statistics do not travel
through the pipe: the process writes them into a :class:`SharedState` that
the window reads when it draws. It writes a new state once the window has
read the previous one (so it never copies for nobody), and at once when a
run pauses or ends.

The process ends on ``quit``, and when the window's end of either pipe
closes: a window killed with -9 leaves no training process behind.
"""

from __future__ import annotations

import math
import os
import time
import traceback
from collections import deque
from dataclasses import dataclass
from multiprocessing import shared_memory
from multiprocessing.connection import Connection

import numpy as np

from ...core.keyframes import running_statistics, load_state, state_size, state_vector
from ...core.network import Network
from ...core.spec import NetworkSpec, SpecError
from ...core.training import LayerStats, TrainConfig, Trainer, TrainingError

RUNNING = "running"
PAUSED = "paused"
FINISHED = "finished"
DIVERGED = "diverged"
STOPPED = "stopped"

POLL_SECONDS = 0.002  # how often a running loop looks for commands: a click is answered within this
RATE_WINDOW = 1.0  # seconds over which steps per second are measured
N_STATS = 7  # the fields of LayerStats

# The header of a shared state, int64 slots.
_VERSION, _READ, _RUN, _STEP, _EPOCH, _SPEED = range(6)  # _SPEED holds a float64's bits
_HEADER = 8


@dataclass(frozen=True)
class Layout:
    """The shapes a shared state holds for one network: its state vector, gradients and statistics."""

    n_params: int  # the flat parameter (and gradient) buffer
    n_extra: int  # running statistics (batch norm) after the parameters
    n_layers: int
    dtype: str

    @classmethod
    def of(cls, net: Network) -> "Layout":
        return cls(net.params.size, state_size(net) - net.params.size, len(net.layers), net.dtype.name)

    @property
    def nbytes(self) -> int:
        item = np.dtype(self.dtype).itemsize
        return 8 * _HEADER + item * (2 * self.n_params + self.n_extra) + 8 * self.n_layers * N_STATS


@dataclass
class Frame:
    """One consistent read of a shared state: copies the reader may keep."""

    version: int
    run: int
    step: int
    epoch: int  # epochs completed in this run
    steps_per_second: float
    state: np.ndarray  # parameters, then running statistics
    grads: np.ndarray
    stats: np.ndarray  # (layers, N_STATS) float64, NaN rows for layers without parameters

    def load_into(self, net: Network) -> None:
        """Put this frame's parameters, running statistics and gradients into ``net`` (of the same layout)."""
        load_state(net, self.state)
        net.grads[:] = self.grads

    def layer_stats(self) -> list[LayerStats | None]:
        return [None if np.isnan(row[0]) else LayerStats(*map(float, row)) for row in self.stats]


class SharedState:
    """The newest state of a run in shared memory, guarded by a version counter.

    The writer makes the version odd while it writes and even when done; a
    reader copies, and keeps the copy only if the version was even and did not
    change meanwhile. The reader marks what it read, so the writer knows a new
    state is wanted.
    """

    def __init__(self, memory: shared_memory.SharedMemory, layout: Layout):
        self.memory = memory
        self.layout = layout
        buf = memory.buf
        item = np.dtype(layout.dtype).itemsize
        self.header = np.ndarray((_HEADER,), np.int64, buf, 0)
        offset = 8 * _HEADER
        n_state = layout.n_params + layout.n_extra
        self.state = np.ndarray((n_state,), layout.dtype, buf, offset)
        offset += item * n_state
        self.grads = np.ndarray((layout.n_params,), layout.dtype, buf, offset)
        offset += item * layout.n_params
        self.stats = np.ndarray((layout.n_layers, N_STATS), np.float64, buf, offset)

    @classmethod
    def create(cls, layout: Layout) -> "SharedState":
        state = cls(shared_memory.SharedMemory(create=True, size=max(layout.nbytes, 1)), layout)
        state.header[:] = 0
        return state

    @classmethod
    def attach(cls, name: str, layout: Layout) -> "SharedState":
        return cls(shared_memory.SharedMemory(name=name), layout)

    @property
    def name(self) -> str:
        return self.memory.name

    def close(self, unlink: bool = False) -> None:
        # The arrays point into the buffer: they must go before it can close.
        self.header = self.state = self.grads = self.stats = None
        self.memory.close()
        if unlink:
            try:
                self.memory.unlink()
            except FileNotFoundError:
                pass

    @property
    def version(self) -> int:
        """How many times a state was written, times two (odd while one is being written)."""
        return int(self.header[_VERSION])

    # -- the writer (the training process) -------------------------------------------

    @property
    def wanted(self) -> bool:
        """Whether the reader has read the newest state (a new one would be seen)."""
        return self.header[_READ] == self.header[_VERSION]

    def write(self, run: int, trainer: Trainer, extras: list[np.ndarray], steps_per_second: float) -> None:
        h = self.header
        h[_VERSION] += 1  # odd: writing
        net = trainer.net
        n = net.params.size
        self.state[:n] = net.params
        offset = n
        for arr in extras:
            self.state[offset : offset + arr.size] = arr
            offset += arr.size
        self.grads[:] = net.grads
        _layer_stats(net, self.stats)
        h[_RUN], h[_STEP], h[_EPOCH] = run, trainer.step_count, trainer.epoch
        h[_SPEED : _SPEED + 1].view(np.float64)[0] = steps_per_second
        h[_VERSION] += 1  # even: done

    # -- the reader (the window) -------------------------------------------------------

    def read(self, newer_than: int = 0) -> Frame | None:
        """A consistent copy of the newest state if its version is above ``newer_than``; else None."""
        h = self.header
        for _ in range(8):
            version = int(h[_VERSION])
            if version <= newer_than:
                return None
            if version % 2:
                time.sleep(0)
                continue
            frame = Frame(version, int(h[_RUN]), int(h[_STEP]), int(h[_EPOCH]),
                          float(h[_SPEED : _SPEED + 1].view(np.float64)[0]),
                          self.state.copy(), self.grads.copy(), self.stats.copy())
            if int(h[_VERSION]) == version:
                h[_READ] = version
                return frame
        return None


def _layer_stats(net: Network, out: np.ndarray) -> None:
    """Each layer's weight and gradient statistics into ``out`` (NaN rows for layers without parameters)."""
    out[:] = np.nan
    with np.errstate(over="ignore", invalid="ignore"):
        for i, layer in enumerate(net.layers):
            if not layer.shapes:
                continue
            w = layer.weights if layer.kind == "dense" else layer.gamma
            grads = net.layer_grads(i).values()
            g_sq = sum(float(np.dot(g.ravel(), g.ravel())) for g in grads)
            g_abs = sum(float(np.abs(g).sum()) for g in grads)
            g_n = sum(g.size for g in grads)
            out[i] = (w.mean(), w.std(), w.min(), w.max(), math.sqrt(float(np.dot(w.ravel(), w.ravel()))),
                      math.sqrt(g_sq) if math.isfinite(g_sq) else math.inf, g_abs / g_n)


@dataclass
class RunOrder:
    """Everything a run needs, sent once when it starts."""

    run: int
    spec: NetworkSpec
    state: np.ndarray  # parameters, then running statistics (see Layout)
    x: np.ndarray
    y: np.ndarray
    validation: tuple[np.ndarray, np.ndarray] | None
    config: TrainConfig
    epochs: int | None  # stop after this many epochs; None: until stopped
    classification: bool
    paused: bool
    pace: float | None  # steps per second; None: as fast as possible
    memory: str  # the SharedState's name
    layout: Layout
    keep_every: int = 1  # a keyframe every this many epochs


class _Runner:
    """The process's loop: one run at a time, controlled between any two steps."""

    def __init__(self, commands: Connection, events: Connection):
        self.commands = commands
        self.events = events
        self.run = 0
        self.trainer: Trainer | None = None
        self.shared: SharedState | None = None
        self.extras: list[np.ndarray] = []
        self.mode = STOPPED  # running, paused or stopped
        self.budget: int | None = None  # steps left before pausing
        self.to_epoch_end = False
        self.pace: float | None = None
        self.target: int | None = None  # the epoch at which the run finishes
        self.sent_rows = 0
        self.rate: deque[tuple[float, int]] = deque()
        self.next_step = 0.0  # when a paced run may take its next step
        self.next_poll = 0.0  # when a running loop looks for commands next
        self.keep_every = 1
        self.keyframes: list[tuple[int, np.ndarray]] = []  # not sent yet

    # -- the loop ----------------------------------------------------------------------

    def serve(self) -> None:
        self.events.send(("ready", os.getpid()))
        while True:
            try:
                if not self.turn():
                    return
            except (EOFError, OSError):
                raise  # the window went away
            except Exception as exc:  # a programmer error: say so, and stay ready for the next run
                traceback.print_exc()
                self.events.send(("error", self.run, f"Training failed with an internal error: {exc!r}"))
                self.end_run(STOPPED)

    def turn(self) -> bool:
        """Answer a command or take a step; False to end the process."""
        if self.mode != RUNNING:
            return self.handle(self.commands.recv())
        now = time.monotonic()
        wait = self.next_step - now if self.pace else 0.0
        if wait > 0 or now >= self.next_poll:
            # A paced run waits for its next step here, and answers a command at once.
            if self.commands.poll(max(wait, 0.0)):
                return self.handle(self.commands.recv())
            self.next_poll = time.monotonic() + POLL_SECONDS
            if wait > 0:
                return True
        self.step()
        return True

    def handle(self, message: tuple) -> bool:
        """Act on one command; False to end the process."""
        kind = message[0]
        if kind == "quit":
            self.end_run(STOPPED)
            return False
        if kind == "run":
            self.start(message[1])
        elif kind == "keep":
            self.keep_every = message[1]
        elif kind == "pace":
            self.pace = message[1]
            self.next_step = time.monotonic()
        elif self.trainer is None:
            return True  # a control for a run that has ended
        elif kind == "pause":
            self.pause()
        elif kind == "resume":
            self.budget, self.to_epoch_end = None, False
            # Said even when a Step is still running (its mode is RUNNING but the window was told
            # "paused"): else the window would wait for "running" while the run goes on unseen.
            self.set_mode(RUNNING, force=True)
        elif kind == "step":
            self.budget, self.to_epoch_end = message[1], False
            self.mode = RUNNING  # stepping from paused stays "paused" to the window
        elif kind == "step_epoch":
            self.budget, self.to_epoch_end = None, True
            self.mode = RUNNING
        elif kind == "stop":
            self.end_run(STOPPED)
        elif kind == "settings":
            self.target = message[2]
            try:
                self.trainer.reconfigure(message[1])
            except (TrainingError, SpecError) as exc:
                self.events.send(("error", self.run, str(exc)))
        return True

    # -- a run -------------------------------------------------------------------------

    def start(self, order: RunOrder) -> None:
        if self.trainer is not None:
            self.end_run(STOPPED)
        self.run = order.run
        try:
            net = Network(order.spec, seed=order.config.seed, dtype=order.config.dtype)
            layout = Layout.of(net)
            if layout != order.layout:
                raise TrainingError("the network's layout does not match its parameters")
            self.extras = running_statistics(net)
            load_state(net, order.state)
            self.trainer = Trainer(net, order.x, order.y, order.config, validation=order.validation,
                                   classification=order.classification)
        except (TrainingError, SpecError, ValueError) as exc:
            self.trainer = None
            self.events.send(("error", order.run, str(exc)))
            self.events.send(("state", order.run, STOPPED, ""))
            return
        self.shared = SharedState.attach(order.memory, order.layout)
        self.target = None if order.epochs is None else order.epochs
        self.pace = order.pace
        self.next_step = time.monotonic()
        self.sent_rows = 0
        self.keep_every = order.keep_every
        self.keyframes = []
        self.rate.clear()
        self.budget, self.to_epoch_end = None, False
        self.mode = STOPPED
        self.publish()
        self.set_mode(PAUSED if order.paused else RUNNING)

    def step(self) -> None:
        trainer = self.trainer
        result = trainer.step()
        if result.epoch_done and trainer.epoch % self.keep_every == 0:
            self.keyframes.append((trainer.epoch, state_vector(trainer.net)))
        if self.pace:
            self.next_step = max(self.next_step + 1.0 / self.pace, time.monotonic() - 0.25)
        if result.diverged:
            self.publish()
            self.end_run(DIVERGED, trainer.message)
            return
        if self.target is not None and trainer.epoch >= self.target:
            trainer.status = FINISHED
            self.publish()
            self.end_run(FINISHED)
            return
        if self.budget is not None:
            self.budget -= 1
            if self.budget <= 0:
                self.pause()
                return
        if self.to_epoch_end and result.epoch_done:
            self.pause()
            return
        if self.shared.wanted or (self.pace and self.pace <= 60):
            self.publish()

    def pause(self) -> None:
        self.budget, self.to_epoch_end = None, False
        self.rate.clear()
        self.publish()
        self.set_mode(PAUSED, force=True)

    def set_mode(self, mode: str, force: bool = False) -> None:
        if mode != self.mode or force:
            self.mode = mode
            self.events.send(("state", self.run, mode, ""))

    def end_run(self, state: str, message: str = "") -> None:
        if self.trainer is None:
            return
        self.send_rows()
        self.trainer = None
        self.mode = STOPPED
        self.events.send(("state", self.run, state, message))
        if self.shared is not None:
            self.shared.close()
            self.shared = None

    def publish(self) -> None:
        """Write the newest state for the window, and send the epochs completed since the last time."""
        trainer = self.trainer
        now = time.monotonic()
        if self.mode == RUNNING:
            self.rate.append((now, trainer.step_count))
            while len(self.rate) > 2 and now - self.rate[1][0] >= RATE_WINDOW:
                self.rate.popleft()
        t0, s0 = self.rate[0] if self.rate else (now, trainer.step_count)
        speed = (trainer.step_count - s0) / (now - t0) if now > t0 else 0.0
        self.shared.write(self.run, trainer, self.extras, speed)
        self.send_rows()

    def send_rows(self) -> None:
        history = self.trainer.history
        if len(history) > self.sent_rows:
            self.events.send(("rows", self.run, history.since(self.sent_rows), self.keyframes))
            self.sent_rows = len(history)
            self.keyframes = []

def serve(commands: Connection, events: Connection) -> None:
    """The training process's entry point: serve commands until told to quit or the window goes."""
    try:
        _Runner(commands, events).serve()
    except (EOFError, BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        pass  # the window went away (or closed the pipes): nothing is left to train for
