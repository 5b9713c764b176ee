"""The training process's life in the window: started warm, controlled, restarted after a crash, gone with the window."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

from threadpoolctl import threadpool_info

from nnviz.core import DenseSpec, Network, NetworkSpec, TrainConfig
from nnviz.core.datasets import make_toy
from nnviz.core.project import DatasetRecord
from nnviz.ui.model import commands

T = 30000  # ms; generous for a slow, loaded machine
SPEC = NetworkSpec(2, (DenseSpec(6, "tanh"), DenseSpec(1, "sigmoid")))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that ended but was not reaped yet is a zombie: gone, for our purpose.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_state(qtbot, session, state):
    return qtbot.waitSignal(session.sig_state, timeout=T, check_params_cb=lambda s: s == state)


def start(session, epochs=None, paused=False, config=None):
    data = make_toy("xor", 100, seed=1)
    session.start(Network(SPEC, seed=0), data, None, config or TrainConfig(batch_size=10), epochs=epochs, paused=paused)


def test_the_process_starts_warm_and_ends_with_the_session(qtbot, session):
    qtbot.waitUntil(lambda: session.ready, timeout=T)  # ready before anyone pressed Train
    pid = session.pid
    assert alive(pid) and pid != os.getpid()
    started = time.monotonic()
    session.shutdown()
    assert time.monotonic() - started < 1.5
    qtbot.waitUntil(lambda: not alive(pid), timeout=2000)


def test_the_windows_numpy_leaves_the_cores_to_training(session):
    # BLAS threads of the window's own would spin against the training process (see worker.py).
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_controls_at_any_moment(qtbot, session):
    for control in (session.pause, session.resume, session.stop, session.step, session.step_epoch):
        control()  # nothing runs: nothing happens, nothing breaks
    assert session.state == "idle"
    frames = []

    def step_shown(n):
        frame = session.read()
        if frame is not None:
            frames.append(frame)
        return bool(frames) and frames[-1].step == n

    start(session, paused=True)
    qtbot.waitUntil(lambda: step_shown(0), timeout=T)  # a paused start shows its step-0 state
    session.step(2)
    qtbot.waitUntil(lambda: step_shown(2), timeout=T)
    with wait_state(qtbot, session, "running"):
        session.resume()
    with wait_state(qtbot, session, "paused"):
        session.pause()
    with wait_state(qtbot, session, "stopped"):
        session.stop()
    session.stop()  # again: nothing
    assert session.state == "stopped"


def test_rows_arrive_for_every_epoch_of_a_finished_run(qtbot, session):
    rows = []
    session.sig_rows.connect(lambda h: rows.extend(h.epoch))
    with wait_state(qtbot, session, "finished"):
        start(session, epochs=5)
    assert rows == [1, 2, 3, 4, 5]
    assert session.read().epoch == 5


def test_a_new_run_drops_the_old_runs_reports(qtbot, session):
    states = []
    session.sig_state.connect(states.append)
    start(session)
    with wait_state(qtbot, session, "finished"):
        start(session, epochs=1)  # the first run's "stopped" is never reported
    assert "stopped" not in states


def test_a_crashed_process_is_reported_and_the_next_run_works(qtbot, session):
    qtbot.waitUntil(lambda: session.ready, timeout=T)
    with wait_state(qtbot, session, "running"):
        start(session)
    old = session.pid
    with qtbot.waitSignal(session.sig_crashed, timeout=T) as crashed:
        os.kill(old, signal.SIGKILL)
    assert "ended unexpectedly" in crashed.args[0]
    assert session.state == "stopped"
    qtbot.waitUntil(lambda: session.ready and session.pid != old, timeout=T)
    with wait_state(qtbot, session, "finished"):
        start(session, epochs=2)


KILLED_PARENT = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication
from nnviz.ui.training.worker import TrainingSession

if __name__ == "__main__":
    app = QCoreApplication([])
    session = TrainingSession()
    while not session.ready:
        app.processEvents()
        time.sleep(0.01)
    print(session.pid, flush=True)
    time.sleep(60)  # killed long before
"""


def test_a_parent_killed_with_sigkill_leaves_no_training_process(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(KILLED_PARENT)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert alive(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not alive(child)
    finally:
        parent.kill()
        parent.wait()
        parent.stdout.close()


# -- in the window ----------------------------------------------------------------------


def xor_window(window):
    record = DatasetRecord("xor", n_samples=200)
    commands.set_dataset(window.doc, record, record.load())
    return window


def test_hidden_views_do_no_work(window, qtbot):
    xor_window(window)
    qtbot.waitUntil(lambda: window.plots is not None)
    frames = []
    window.controller.run.updated.connect(lambda: frames.append(1))
    window.actions_["Train"].trigger()
    qtbot.waitUntil(lambda: len(frames) >= 2, timeout=T)
    window.docks["Boundary"].hide()
    window.tabifyDockWidget(window.docks["Plots"], window.docks["Warnings"])
    window.show_warnings()  # the plots' dock behind another tab
    boundary, plots = window.boundary.redraws, window.plots.redraws
    before = boundary.count, {name: r.count for name, r in plots.items()}
    shown = len(frames)
    qtbot.waitUntil(lambda: len(frames) >= shown + 10, timeout=T)  # ten frames of a running run
    assert (boundary.count, {name: r.count for name, r in plots.items()}) == before
    window.docks["Plots"].raise_()  # shown again: drawn at once, and it follows
    qtbot.waitUntil(lambda: plots["loss"].count > before[1]["loss"] + 1, timeout=T)
    window.actions_["Train"].trigger()  # pause


def test_a_settings_change_applies_to_the_running_run(window, qtbot):
    xor_window(window)
    controller = window.controller
    statuses = []
    controller.sig_status.connect(statuses.append)
    with qtbot.waitSignal(controller.run.state_changed, check_params_cb=lambda s: s == "running", timeout=T):
        window.actions_["Train"].trigger()
    run = controller.session.run_number
    qtbot.waitUntil(lambda: controller.run.step is not None and controller.run.step > 0, timeout=T)
    window.training.settings_section.lr_spin.setValue(0.1)
    assert controller.session.run_number == run  # the same run goes on: no reset
    assert controller.session.state == "running"
    assert statuses[-1] == "Training goes on with the new learning rate."
    step = controller.run.step
    qtbot.waitUntil(lambda: controller.run.step > step + 5, timeout=T)  # and it keeps training
    assert not any("error" in s.lower() for s in statuses)
    window.actions_["Train"].trigger()  # pause


def test_a_split_change_carries_on_in_a_new_run(window, qtbot):
    xor_window(window)
    controller = window.controller
    with qtbot.waitSignal(controller.run.state_changed, check_params_cb=lambda s: s == "running", timeout=T):
        window.actions_["Train"].trigger()
    run = controller.session.run_number
    commands.set_training(window.doc, replace(window.doc.training, seed=5))
    assert controller.session.run_number == run + 1 and controller.live
    window.actions_["Train"].trigger()  # pause


def test_the_pace_slows_a_run_to_watchable_steps(window, qtbot):
    xor_window(window)
    window.training.pace_slider.setValue(0)  # the slowest
    assert window.training.pace_label.text() == "2 steps/s"
    controller = window.controller
    window.actions_["Train"].trigger()
    qtbot.waitUntil(lambda: controller.run.step is not None and controller.run.step >= 1, timeout=T)
    started, first = time.monotonic(), controller.run.step
    qtbot.waitUntil(lambda: controller.run.step >= first + 4, timeout=T)
    # Four steps at 2 a second take two seconds; half of that leaves room for a loaded machine
    # showing the first step late (at full speed they take a millisecond).
    assert time.monotonic() - started >= 1.0
    window.actions_["Faster"].trigger()
    assert window.training.pace_label.text() == "5 steps/s"
    window.actions_["Train"].trigger()  # pause


def test_resume_right_after_a_step_is_reported_running(qtbot, session):
    # A quick learner: Step, then Train at once, before the step has come back as "paused".
    qtbot.waitUntil(lambda: session.ready, timeout=T)
    with wait_state(qtbot, session, "paused"):
        start(session, paused=True)
    for _ in range(20):  # the race is won or lost in the process's loop: try it many times
        with wait_state(qtbot, session, "running"):
            session.step(1)
            session.resume()
        with wait_state(qtbot, session, "paused"):
            session.pause()
