"""A view's redraws: none while it is off screen, even one spaced out before it went away."""

from PySide6.QtWidgets import QWidget

from nnviz.ui.widgets.redraw import Redraw


def slow_view(qtbot):
    """A shown widget whose redraw has drawn once and, being slow, spaces the next one out."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    redraws = Redraw(widget, lambda: None)
    redraws.request()
    redraws.cost = 0.5  # as if a draw took 500 ms: the next one waits about a second
    return widget, redraws


def test_a_spaced_out_draw_waits_while_the_view_is_hidden_and_comes_when_it_shows(qtbot):
    widget, redraws = slow_view(qtbot)
    assert redraws.count == 1
    redraws.request()
    assert redraws.count == 1 and redraws._timer.isActive()  # spaced out
    widget.hide()  # e.g. another dock's tab was chosen before the draw came due
    qtbot.waitUntil(lambda: not redraws._timer.isActive(), timeout=5000)
    assert redraws.count == 1 and redraws.stale
    widget.show()
    qtbot.waitUntil(lambda: redraws.count == 2, timeout=5000)
    assert not redraws.stale


def test_a_spaced_out_draw_comes_when_the_view_stays_on_screen(qtbot):
    widget, redraws = slow_view(qtbot)
    redraws.request()
    redraws.request()  # a second request while one is waiting: still one draw
    qtbot.waitUntil(lambda: redraws.count == 2, timeout=5000)
    assert not redraws._timer.isActive() and redraws.count == 2
