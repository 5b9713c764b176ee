"""The training process's loop and shared state, driven through real pipes (no Qt, no child process).

The loop runs in a thread of the test's own process here; the window runs the
very same loop in a spawned process (tests/gui/test_training_session.py).
"""

from __future__ import annotations

import math
import subprocess
import sys
import threading
import time
from dataclasses import replace
from multiprocessing import Pipe

import numpy as np
import pytest

from nnviz.core import DenseSpec, Network, NetworkSpec, TrainConfig
from nnviz.core.datasets import make_toy
from nnviz.ui.training import process
from nnviz.ui.training.process import Frame, Layout, RunOrder, SharedState

TIMEOUT = 30.0
SPEC = NetworkSpec(2, (DenseSpec(6, "tanh"), DenseSpec(1, "sigmoid")))


class Loop:
    """A runner serving in a thread; ``events`` collects what it says."""

    def __init__(self):
        commands_in, self.commands = Pipe(duplex=False)
        self.incoming, events_out = Pipe(duplex=False)
        self.runner = process._Runner(commands_in, events_out)
        self.thread = threading.Thread(target=process.serve, args=(commands_in, events_out), daemon=True)
        self.thread.start()
        self.events: list[tuple] = []
        self.shared: SharedState | None = None

    def send(self, *message):
        self.commands.send(message)

    def wait_for(self, predicate, timeout=TIMEOUT):
        """Collect events until ``predicate(events)`` holds."""
        deadline = time.monotonic() + timeout
        while not predicate(self.events):
            left = deadline - time.monotonic()
            assert left > 0, f"timed out; events: {[e[:3] for e in self.events]}"
            if self.incoming.poll(min(left, 0.05)):
                self.events.append(self.incoming.recv())

    def wait_state(self, state):
        self.wait_for(lambda ev: any(e[0] == "state" and e[2] == state for e in ev))

    def states(self):
        return [e[2] for e in self.events if e[0] == "state"]

    def rows(self):
        return sum(len(e[2]) for e in self.events if e[0] == "rows")

    def start(self, net=None, config=None, epochs=None, paused=False, pace=None, run=1, data=None):
        net = net or Network(SPEC, seed=0)
        config = config or TrainConfig(optimizer="sgd", learning_rate=0.1, batch_size=10, seed=0)
        data = data or make_toy("xor", 100, seed=1)
        layout = Layout.of(net)
        if self.shared is None:
            self.shared = SharedState.create(layout)
        order = RunOrder(run, net.spec, process.state_vector(net), data.x, data.y, None,
                         config, epochs, True, paused, pace, self.shared.name, layout)
        self.send("run", order)

    def close(self):
        self.send("quit")
        self.thread.join(TIMEOUT)
        if self.shared is not None:
            self.shared.close(unlink=True)


@pytest.fixture
def loop():
    lp = Loop()
    yield lp
    lp.close()


def test_shared_state_round_trip_and_versions():
    net = Network(NetworkSpec(3, (DenseSpec(4, "relu"),)), seed=1)
    net.grads[:] = np.arange(net.grads.size)
    shared = SharedState.create(Layout.of(net))
    try:
        assert shared.read() is None  # nothing written yet
        assert shared.wanted  # and the reader has seen all there is

        class FakeTrainer:
            step_count, epoch = 12, 3

        FakeTrainer.net = net
        shared.write(7, FakeTrainer, [], 123.5)
        assert not shared.wanted  # written, not read yet
        frame = shared.read()
        assert (frame.run, frame.step, frame.epoch, frame.steps_per_second) == (7, 12, 3, 123.5)
        np.testing.assert_array_equal(frame.state, net.params)
        np.testing.assert_array_equal(frame.grads, net.grads)
        stats = frame.layer_stats()[0]
        w = net.layer_params(0)["weights"]
        assert stats.weight_max == pytest.approx(float(w.max()))
        assert stats.grad_norm == pytest.approx(float(np.linalg.norm(net.grads)))
        assert shared.wanted  # read: a new state would be seen
        assert shared.read(frame.version) is None  # nothing newer
        copy = Network(net.spec, seed=5)
        frame.load_into(copy)
        np.testing.assert_array_equal(copy.params, net.params)
    finally:
        shared.close(unlink=True)


def test_a_run_reports_running_rows_and_finished(loop):
    loop.start(epochs=3)
    loop.wait_state("finished")
    assert loop.events[0][0] == "ready"
    assert loop.states() == ["running", "finished"]
    assert loop.rows() == 3
    frame = loop.shared.read()
    assert frame.epoch == 3 and frame.step == 30  # 100 samples, batch 10: the last state is published


def test_pause_resume_step_and_step_epoch(loop):
    loop.start(paused=True)
    loop.wait_state("paused")
    assert loop.shared.read().step == 0  # a paused start shows its step-0 state
    loop.send("step", 3)
    loop.wait_for(lambda ev: ev.count(("state", 1, "paused", "")) == 2)
    assert loop.shared.read().step == 3  # exactly three steps, then paused again
    loop.send("step_epoch")
    loop.wait_for(lambda ev: ev.count(("state", 1, "paused", "")) == 3)
    assert loop.shared.read().step == 10  # to the end of the first epoch (10 steps)
    loop.send("resume")
    loop.wait_state("running")
    loop.send("stop")
    loop.wait_state("stopped")
    assert "finished" not in loop.states()


def test_a_pace_keeps_the_steps_a_second(loop):
    loop.start(pace=20)
    loop.wait_state("running")
    start = time.monotonic()
    time.sleep(0.5)
    steps = loop.shared.read().step
    elapsed = time.monotonic() - start
    assert 1 <= steps <= 20 * elapsed + 2  # about 20 a second, never a burst
    loop.send("pace", None)  # as fast as possible, in the running run
    deadline = time.monotonic() + TIMEOUT
    while loop.shared.read(-1).step < steps + 200:
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_settings_and_the_epoch_limit_apply_to_the_running_run(loop):
    config = TrainConfig(optimizer="sgd", learning_rate=0.1, batch_size=10, seed=0)
    loop.start(config=config)
    loop.wait_state("running")
    loop.send("settings", replace(config, learning_rate=0.5), 2)
    loop.wait_state("finished")  # the new limit ends the run: it was not restarted
    assert loop.states() == ["running", "finished"]
    assert not any(e[0] == "error" for e in loop.events)


def test_divergence_keeps_the_last_good_weights(loop):
    spec = NetworkSpec(2, (DenseSpec(8, "linear"), DenseSpec(1, "linear")))
    data = make_toy("plane", 100, seed=0)
    config = TrainConfig(optimizer="sgd", learning_rate=10.0, batch_size=10, seed=0, loss="mse")
    loop.start(net=Network(spec), config=config, data=data)
    loop.wait_state("diverged")
    message = next(e[3] for e in loop.events if e[0] == "state" and e[2] == "diverged")
    assert "learning rate" in message
    assert np.isfinite(loop.shared.read(-1).state).all()


def test_a_width_mismatch_is_an_error_then_stopped(loop):
    loop.start(data=make_toy("xor", 100, seed=1).subset(np.arange(50)), net=Network(
        NetworkSpec(3, (DenseSpec(1, "sigmoid"),))))
    loop.wait_state("stopped")
    errors = [e[2] for e in loop.events if e[0] == "error"]
    assert errors and "input" in errors[0]


def test_a_new_run_ends_the_old_one(loop):
    loop.start()
    loop.wait_state("running")
    loop.start(run=2, epochs=1)
    loop.wait_for(lambda ev: ("state", 2, "finished", "") in ev)
    assert ("state", 1, "stopped", "") in loop.events  # the first run ended before the second began


def test_the_loop_ends_when_the_window_closes_its_pipe():
    lp = Loop()
    lp.start()
    lp.wait_state("running")
    lp.commands.close()  # what a killed window leaves behind
    lp.thread.join(TIMEOUT)
    assert not lp.thread.is_alive()
    lp.shared.close(unlink=True)


def test_the_process_module_imports_no_qt():
    code = ("import sys, nnviz.ui.training.process\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_layer_statistics_of_a_layer_without_parameters_are_none():
    from nnviz.core.spec import DropoutSpec

    net = Network(NetworkSpec(2, (DenseSpec(3, "relu"), DropoutSpec(0.5), DenseSpec(1, "sigmoid"))))
    frame = Frame(2, 1, 0, 0, 0.0, net.params.copy(), net.grads.copy(), np.full((3, process.N_STATS), math.nan))
    process._layer_stats(net, frame.stats)
    stats = frame.layer_stats()
    assert stats[1] is None and stats[0] is not None and stats[2] is not None
