"""The default arrangement of the window: the canvas largest, the curves in sight, warnings on demand."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar

from nnviz.ui.main_window import example_files


def open_example(window, stem):
    assert window.open_file(next(p for p in example_files() if p.stem == stem), ask=False, remember=False)


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_canvas_is_the_largest_area_and_the_curves_are_in_sight(window, qtbot, size):
    window.resize(*size)
    window.reset_layout()
    qtbot.waitUntil(lambda: window.plots is not None)
    canvas = window.view.size()
    for name, dock in window.docks.items():
        if dock.isVisible():
            assert dock.width() * dock.height() < canvas.width() * canvas.height(), name
    plots, boundary = window.docks["Plots"], window.docks["Boundary"]
    assert plots.isVisible()
    assert not plots.visibleRegion().isEmpty() and not boundary.visibleRegion().isEmpty()
    # One tab bar, the Training / Inspector pair's, also after the layout was reset again: the plots
    # share their place with nothing, and no stray bar is left over the other docks.
    window.reset_layout()
    window.reset_layout()

    def bars():  # (Qt keeps a bar it no longer uses, empty and moved out of sight)
        return [[bar.tabText(i) for i in range(bar.count())] for bar in window.findChildren(QTabBar)
                if bar.isVisible() and bar.parent() is window and bar.count()]

    qtbot.waitUntil(lambda: bool(bars()))
    assert bars() == [["Training", "Inspector"]]


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_palette_shows_every_kind_of_layer_at_once(window, qtbot, size):
    window.resize(*size)
    window.reset_layout()
    palette = window.palette.list
    qtbot.waitUntil(lambda: palette.viewport().height() > 0)
    room = palette.viewport().rect()
    for row in range(palette.count()):
        item = palette.item(row)
        assert room.contains(palette.visualItemRect(item)), item.text()


def test_design_warnings_are_counted_in_the_status_bar_and_listed_on_demand(window, qtbot):
    open_example(window, "spiral_deep_tanh")  # six tanh layers: one warning
    dock, button = window.docks["Warnings"], window.warnings_button
    assert not dock.isVisible()
    assert button.isVisible() and button.text() == "⚠ 1 design warning"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dock.isVisible()
    open_example(window, "relu_2-4-4-1_circle")
    assert window.warnings.count() == 0 and not button.isVisible()


def test_reset_layout_brings_back_the_default(window, qtbot):
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.plots is not None)
    window.docks["Boundary"].close()
    window.docks["Plots"].setFloating(True)
    window.addDockWidget(Qt.LeftDockWidgetArea, window.docks["Training"])
    window.actions_["ResetLayout"].trigger()
    assert window.docks["Boundary"].isVisible() and not window.docks["Plots"].isFloating()
    assert window.dockWidgetArea(window.docks["Training"]) == Qt.RightDockWidgetArea
    assert window.dockWidgetArea(window.docks["Plots"]) == Qt.BottomDockWidgetArea
    assert window.actions_["ResetLayout"] in window.view_menu.actions()
