"""A burst of requests runs the action once now and once more at the end, never more."""

from PySide6.QtCore import QObject

from nnviz.ui.widgets.throttle import Throttle


def test_a_burst_runs_now_and_once_more_later(qtbot):
    calls = []
    owner = QObject()
    throttle = Throttle(5, lambda: calls.append(1), owner)
    for _ in range(50):
        throttle.request()
    assert len(calls) == 1  # the first request runs at once
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=5000)  # the rest collapse into one later run
    qtbot.wait(400)
    assert len(calls) == 2


def test_always_defer_never_runs_inside_the_request(qtbot):
    calls = []
    owner = QObject()
    throttle = Throttle(50, lambda: calls.append(1), owner, always_defer=True)
    throttle.request()
    assert calls == []
    qtbot.waitUntil(lambda: calls == [1], timeout=5000)
