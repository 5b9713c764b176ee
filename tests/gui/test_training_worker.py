"""The background training session: copies only, throttled updates, controls that work at any moment."""

import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from nnviz.core import DenseSpec, Network, NetworkSpec, TrainConfig
from nnviz.core.datasets import make_toy
from nnviz.core.training import History, Trainer, TrainingError
from nnviz.ui.training.worker import TrainingUpdate

T = 20000  # ms; generous for a slow, loaded machine
MAX_RATE = 30  # updates per second
HUGE = 1_000_000  # epochs: a run that only ends when told to


def classifier(inputs=2, outputs=1):
    return Network(NetworkSpec(inputs, (DenseSpec(4, "tanh"), DenseSpec(outputs, "sigmoid"))), seed=1)


@pytest.fixture
def data():
    train, val = make_toy("circle", 250, seed=0).split(0.2, 0)
    assert train.n_samples == 200
    return train, val


class Recorder:
    def __init__(self, session):
        self.updates: list[TrainingUpdate] = []
        self.states: list[str] = []
        self.errors: list[str] = []
        session.sig_update.connect(self.updates.append)
        session.sig_state.connect(self.states.append)
        session.sig_error.connect(self.errors.append)


@pytest.fixture
def rec(session):
    return Recorder(session)


def wait_state(qtbot, session, state):
    return qtbot.waitSignal(session.sig_state, timeout=T, check_params_cb=lambda s: s == state)


def start_paused(qtbot, session, net, data, config):
    with wait_state(qtbot, session, "paused"):
        session.start(net, *data, config, paused=True)


def run_history(updates) -> History:
    h = History()
    for u in updates:
        h.extend(u.new_epochs)
    return h


def params_equal(a, b):
    return all(x.keys() == y.keys() and all(np.array_equal(x[k], y[k]) for k in x) for x, y in zip(a, b, strict=True))


def test_idle_controls_do_nothing(session, rec, qtbot):
    assert session.state == "idle" and not session.is_running
    for _ in range(2):
        session.pause()
        session.resume()
        session.step()
        session.step_epoch()
        session.stop()
        session.shutdown()
    qtbot.wait(50)
    assert session.state == "idle"
    assert rec.updates == rec.states == rec.errors == []


def test_updates_are_copies_and_gui_network_untouched(session, rec, qtbot, data):
    net = classifier()
    before = net.copy_params()
    start_paused(qtbot, session, net, data, TrainConfig(batch_size=8))
    first = rec.updates[-1]
    assert first.step == 0 and first.epoch == 0 and first.steps_per_second == 0
    assert session.state == "paused" and session.is_running
    # The first step is the network as it was: the worker started from the GUI's weights.
    assert params_equal(first.snapshot.weights, before)

    # Vandalise everything the update holds; the next update must not see it.
    first.snapshot.weights[0]["weights"][:] = 999.0
    first.snapshot.gradients[0]["weights"][:] = 999.0
    first.new_epochs.train_loss.append(123.0)
    with wait_state(qtbot, session, "paused"):
        session.step(30)
    second = rec.updates[-1]
    assert second.step == 30
    assert not np.any(second.snapshot.weights[0]["weights"] == 999.0)
    assert not np.any(second.snapshot.gradients[0]["weights"] == 999.0)
    assert 123.0 not in second.new_epochs.train_loss
    assert len(second.new_epochs) == 1  # 200 rows in batches of 8: one epoch is 25 steps
    assert not params_equal(second.snapshot.weights, before)  # it did learn something...

    with wait_state(qtbot, session, "finished"):
        session.resume()
    assert params_equal(net.copy_params(), before)  # ...but only in its own copy
    assert rec.errors == []


def test_updates_are_rate_limited(session, rec, qtbot, data):
    t0 = time.monotonic()
    with wait_state(qtbot, session, "finished"):
        session.start(classifier(), *data, TrainConfig(batch_size=1), epochs=40)
    elapsed = time.monotonic() - t0
    last = rec.updates[-1]
    assert last.step == 40 * 200 and last.epoch == 40
    assert len(rec.updates) <= MAX_RATE * elapsed + 3
    assert len(rec.updates) < last.step  # far fewer updates than steps
    assert rec.states == ["running", "finished"]


def test_the_worker_offers_the_gil_between_steps(session, rec, qtbot, data, monkeypatch):
    # NumPy's own releases of the GIL do not let a waiting GUI thread in (see
    # YIELD_EVERY); the worker's sleeps do. A run of many steps sleeps regularly.
    import threading

    from nnviz.ui.training import worker as training_worker

    gui = threading.get_ident()
    offers = []  # the worker thread's CPU time at each of its sleeps
    real_sleep = time.sleep

    def sleep(seconds):
        if threading.get_ident() != gui:
            offers.append(time.thread_time())
        real_sleep(seconds)

    monkeypatch.setattr(training_worker.time, "sleep", sleep)
    with wait_state(qtbot, session, "finished"):
        session.start(classifier(), *data, TrainConfig(batch_size=1), epochs=40)
    assert rec.updates[-1].step == 40 * 200
    assert len(offers) > 3 * len(rec.updates)  # not only after updates
    # At least one offer per YIELD_EVERY of the worker's own time (CPU time: a
    # loaded machine that keeps the thread waiting does not count).
    assert (offers[-1] - offers[0]) / (len(offers) - 1) <= 2 * training_worker.YIELD_EVERY


def test_pause_stops_updates_and_resume_continues(session, rec, qtbot, data):
    with qtbot.waitSignal(session.sig_update, timeout=T):
        session.start(classifier(), *data, TrainConfig(batch_size=4), epochs=HUGE)
    with wait_state(qtbot, session, "paused"):
        session.pause()
    session.pause()  # idempotent
    count, paused_at = len(rec.updates), rec.updates[-1].step
    qtbot.wait(300)
    assert len(rec.updates) == count
    assert session.state == "paused"

    with qtbot.waitSignal(session.sig_update, timeout=T, check_params_cb=lambda u: u.step > paused_at):
        session.resume()
    assert rec.states[-1] == "running"
    with wait_state(qtbot, session, "stopped"):
        session.stop()
    assert not session.is_running


def test_step_runs_exactly_n_steps(session, rec, qtbot, data):
    start_paused(qtbot, session, classifier(), data, TrainConfig(batch_size=32))
    for n, expected in ((1, 1), (1, 2), (3, 5)):
        with wait_state(qtbot, session, "paused"):
            session.step(n)
        assert rec.updates[-1].step == expected
        assert session.state == "paused"
    assert "running" not in rec.states  # stepping does not flicker the state
    with pytest.raises(ValueError):
        session.step(0)


def test_step_epoch_stops_at_the_epoch_boundary(session, rec, qtbot, data):
    start_paused(qtbot, session, classifier(), data, TrainConfig(batch_size=32))  # 7 steps per epoch
    with wait_state(qtbot, session, "paused"):
        session.step(2)
    with wait_state(qtbot, session, "paused"):
        session.step_epoch()
    update = rec.updates[-1]
    assert (update.step, update.epoch, len(run_history(rec.updates))) == (7, 1, 1)
    with wait_state(qtbot, session, "paused"):
        session.step_epoch()  # from a boundary: one whole epoch
    update = rec.updates[-1]
    assert (update.step, update.epoch, len(run_history(rec.updates))) == (14, 2, 2)
    assert run_history(rec.updates).epoch == [1, 2]


def test_stop_ends_with_stopped_and_a_final_update(session, rec, qtbot, data):
    with qtbot.waitSignal(session.sig_update, timeout=T):
        session.start(classifier(), *data, TrainConfig(batch_size=4), epochs=HUGE)
    with wait_state(qtbot, session, "stopped"):
        session.stop()
        session.stop()
    assert rec.states[-1] == "stopped" and not session.is_running
    final = rec.updates[-1]
    qtbot.wait(100)
    assert rec.updates[-1] is final  # nothing after the end
    # Controls after the end do nothing.
    session.resume()
    session.step()
    qtbot.wait(100)
    assert rec.states[-1] == "stopped" and rec.updates[-1] is final


def test_finished_run(session, rec, qtbot, data):
    with wait_state(qtbot, session, "finished"):
        session.start(classifier(), *data, TrainConfig(batch_size=16, epochs=3, optimizer="adam", learning_rate=0.05))
    final = rec.updates[-1]
    assert final.snapshot.status == "finished"
    history = run_history(rec.updates)  # each update carries only the epochs new since the one before
    assert final.epoch == 3 and history.epoch == [1, 2, 3]
    assert all(v is not None for v in history.val_loss)
    assert all(0 <= a <= 1 for a in history.train_accuracy)
    assert rec.states == ["running", "finished"] and session.state == "finished"


def test_diverging_run_keeps_last_good_weights(session, rec, qtbot):
    plane = make_toy("plane", 200, seed=0)
    net = Network(NetworkSpec(2, (DenseSpec(8, "linear"), DenseSpec(1, "linear"))), seed=0)
    config = TrainConfig(optimizer="sgd", learning_rate=10, batch_size=16, loss="mse")
    with wait_state(qtbot, session, "diverged"):
        session.start(net, plane, None, config, epochs=50)
    final = rec.updates[-1]
    assert final.snapshot.status == "diverged"
    assert "diverged" in final.snapshot.message and "learning rate" in final.snapshot.message
    assert all(np.isfinite(a).all() for layer in final.snapshot.weights for a in layer.values())
    assert rec.errors == [] and session.state == "diverged"


@pytest.mark.parametrize("widths", [{"inputs": 3}, {"outputs": 3}], ids=["inputs", "outputs"])
def test_width_mismatch_is_an_error_message(session, rec, qtbot, data, widths):
    net = classifier(**widths)
    config = TrainConfig()
    with pytest.raises(TrainingError) as expected:
        Trainer(net, data[0].x, data[0].y, config)
    with qtbot.waitSignal(session.sig_error, timeout=T) as blocker:
        with wait_state(qtbot, session, "stopped"):
            session.start(net, *data, config)
    assert blocker.args == [str(expected.value)]
    assert rec.updates == [] and not session.is_running

    # The session still works afterwards.
    with wait_state(qtbot, session, "finished"):
        session.start(classifier(), *data, config, epochs=1)


def test_restart_drops_the_old_runs_signals(session, rec, qtbot, data):
    with qtbot.waitSignal(session.sig_update, timeout=T):
        session.start(classifier(), *data, TrainConfig(batch_size=4), epochs=HUGE)
    n = len(rec.states)
    with wait_state(qtbot, session, "finished"):
        session.start(classifier(), *data, TrainConfig(batch_size=50), epochs=2)
    qtbot.wait(100)
    assert rec.states[n:] == ["running", "finished"]  # no stale "stopped" of the first run
    assert rec.updates[-1].step == 8 and rec.updates[-1].run > rec.updates[0].run


def test_shutdown_mid_run_then_start_again(session, rec, qtbot, data):
    with qtbot.waitSignal(session.sig_update, timeout=T):
        session.start(classifier(), *data, TrainConfig(batch_size=4), epochs=HUGE)
    session.shutdown()
    session.shutdown()
    with wait_state(qtbot, session, "finished"):
        session.start(classifier(), *data, TrainConfig(batch_size=50), epochs=1)


CLOSE_SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QWidget
    from nnviz.core import DenseSpec, Network, NetworkSpec, TrainConfig
    from nnviz.core.datasets import make_toy
    from nnviz.ui.training.worker import TrainingSession

    how = sys.argv[1]

    class Window(QWidget):
        def __init__(self):
            super().__init__()
            self.session = TrainingSession(self)

        def closeEvent(self, event):
            if how == "close":
                self.session.shutdown()
            event.accept()

    app = QApplication([])
    window = Window()
    window.show()
    net = Network(NetworkSpec(2, (DenseSpec(64, "tanh"), DenseSpec(64, "tanh"), DenseSpec(1, "sigmoid"))))
    seen = []

    def first_update(update):
        if not seen:
            seen.append(update)
            print("update", update.step, flush=True)
            window.close()
            app.quit()

    window.session.sig_update.connect(first_update)
    window.session.start(net, make_toy("spiral", 2000), None, TrainConfig(batch_size=8), epochs=1_000_000)
    app.exec()
    del window
    print("clean exit", flush=True)
    """
)


@pytest.mark.parametrize("how", ["close", "about_to_quit"])
def test_closing_mid_training_ends_cleanly(how):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", CLOSE_SCRIPT, how], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert "update" in proc.stdout and "clean exit" in proc.stdout
    assert "QThread: Destroyed" not in proc.stderr
    assert "Traceback" not in proc.stderr
