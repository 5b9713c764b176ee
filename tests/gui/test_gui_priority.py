"""While the GUI thread draws what training caused, training waits; never for long."""

import threading
import time

from PySide6.QtCore import QObject

from nnviz.ui.widgets.gui_priority import BUDGET, BUDGET_WINDOW, MAX_HOLD, gui_priority
from nnviz.ui.widgets.throttle import Throttle, redraws_waiting


def waiter(prio, log):
    def run():
        prio.wait()
        log.append(time.monotonic())

    t = threading.Thread(target=run)
    t.start()
    return t


def test_training_waits_until_the_event_loop_is_idle(qtbot):
    prio = gui_priority()
    prio.claim()
    assert prio.claimed
    log = []
    t = waiter(prio, log)
    time.sleep(0.1)  # the GUI thread is busy (drawing): the worker must not go on
    busy_end = time.monotonic()
    assert log == []
    qtbot.waitUntil(lambda: not prio.claimed, timeout=2000)  # the loop ran dry: claim over
    t.join(2)
    assert log and log[0] >= busy_end
    assert not prio.claimed


def test_a_claim_never_holds_training_longer_than_max_hold(qtbot):
    prio = gui_priority()
    prio.claim()
    log = []
    start = time.monotonic()
    t = waiter(prio, log)
    time.sleep(MAX_HOLD + 0.5)  # a GUI stuck without an event loop
    t.join(2)
    assert log and log[0] - start < MAX_HOLD + 0.4
    qtbot.waitUntil(lambda: not prio.claimed, timeout=2000)


def test_stopping_wakes_a_waiting_worker(qtbot):
    prio = gui_priority()
    prio.claim()
    stop = threading.Event()
    log = []
    t = threading.Thread(target=lambda: (prio.wait(stop.is_set), log.append(time.monotonic())))
    t.start()
    time.sleep(0.05)
    stopped = time.monotonic()
    stop.set()
    prio.wake()
    t.join(2)
    assert log and log[0] - stopped < MAX_HOLD / 2  # at once, not when the claim ran out
    qtbot.waitUntil(lambda: not prio.claimed, timeout=2000)


def test_while_training_live_drawing_waits_once_its_share_of_the_second_is_spent(qtbot):
    prio = gui_priority()
    qtbot.wait(int(BUDGET_WINDOW * 1000) + 50)  # earlier tests' claims are history
    prio.training = True
    try:
        assert prio.has_budget()
        prio.claim()
        time.sleep(BUDGET * BUDGET_WINDOW * 1.5)  # a long drawing
        qtbot.waitUntil(lambda: not prio.claimed, timeout=2000)
        assert not prio.has_budget()
        calls = []
        owner = QObject()
        throttle = Throttle(50, lambda: calls.append(time.monotonic()), owner)
        asked = time.monotonic()
        throttle.request()
        assert calls == []  # not now: training's turn
        qtbot.waitUntil(redraws_waiting, timeout=1000)  # due, and waiting for the budget
        qtbot.waitUntil(lambda: len(calls) == 1, timeout=3000)  # but once the second has moved on
        assert calls[0] - asked > 0.5 * BUDGET_WINDOW
        assert not redraws_waiting()
        prio.training = False
        assert prio.has_budget()  # no training, no budget
    finally:
        prio.training = False


def test_a_claim_paints_the_windows_and_survives_one_deleted(qtbot):
    from PySide6.QtWidgets import QWidget

    painted = []

    class Window(QWidget):
        def paintEvent(self, event):
            painted.append(self)

    prio = gui_priority()
    first = Window()
    first.show()
    qtbot.waitExposed(first)
    prio.claim()
    qtbot.waitUntil(lambda: not prio.claimed, timeout=2000)  # lists the visible windows
    painted.clear()
    first.update()
    first.deleteLater()  # still on the list: it must be skipped, not crash
    second = Window()
    second.show()
    qtbot.waitExposed(second)
    prio.claim()
    second.update()
    qtbot.waitUntil(lambda: not prio.claimed, timeout=2000)
    assert second in painted  # repainted inside the claim (or by Qt, if listed later)
    second.close()


def test_a_pulse_lets_a_waiting_redraw_go_first(qtbot, monkeypatch):
    from nnviz.ui.canvas import pulse

    driver = pulse.PulseDriver(lambda pair: 1.0)
    assert driver.may_start()
    monkeypatch.setattr(pulse, "redraws_waiting", lambda: True)
    assert not driver.may_start()
