"""The default arrangement of the window: the canvas largest, the curves in sight, warnings on demand."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar

from nnviz.ui import dock_layout
from nnviz.ui.main_window import example_files


def open_example(window, stem):
    assert window.open_file(next(p for p in example_files() if p.stem == stem), ask=False, remember=False)


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_canvas_is_the_largest_area_and_the_curves_are_in_sight(window, qtbot, size):
    window.resize(*size)
    window.reset_layout()
    qtbot.waitUntil(lambda: window.plots is not None)
    canvas = window.view.size()
    side_by_side = size[0] >= 1280
    if side_by_side:
        for name, dock in window.docks.items():
            if dock.isVisible():
                assert dock.width() * dock.height() < canvas.width() * canvas.height(), name
    else:  # 1024×768: the side columns need most of their width; the canvas keeps a usable square
        assert canvas.width() >= 380 and canvas.height() >= 380
    assert window.width() <= size[0] and window.minimumSizeHint().width() <= size[0]  # it was wider at 1024
    plots, boundary = window.docks["Plots"], window.docks["Boundary"]
    assert not plots.visibleRegion().isEmpty() and not boundary.visibleRegion().isEmpty()
    assert window.dockWidgetArea(boundary) == (Qt.BottomDockWidgetArea if side_by_side else Qt.RightDockWidgetArea)
    # One tab bar, the layers and the inspector's; also after the layout was reset again
    # (re-tabifying used to leave a stray bar drawn over the other docks).
    window.reset_layout()
    window.reset_layout()

    def bars():  # (Qt keeps a bar it no longer uses, empty and moved out of sight)
        return [[bar.tabText(i) for i in range(bar.count())] for bar in window.findChildren(QTabBar)
                if bar.isVisible() and bar.parent() is window and bar.count()]

    qtbot.waitUntil(lambda: bars() == [["Network layers", "Inspector"]], timeout=3000)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_training_control_and_setting_is_in_sight_without_scrolling(window, qtbot, size):
    window.resize(*size)
    window.reset_layout()
    panel = window.training
    scroll = panel.scroll

    def all_in_sight():  # once the docks have settled
        return not scroll.verticalScrollBar().isVisible() and scroll.widget().height() <= scroll.viewport().height()

    qtbot.waitUntil(all_in_sight, timeout=3000)


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
    # And on the card of the layer it is about: a sign, the words in its tooltip.
    (warning,) = window.warnings.warnings()
    cards = window.layer_stack.cards()
    badges = [card.warning_badge.isVisibleTo(card) for card in cards]
    assert badges == [i == warning.layer for i in range(len(cards))]
    assert warning.message in cards[warning.layer].warning_badge.toolTip()
    open_example(window, "relu_2-4-4-1_circle")
    assert window.warnings.count() == 0 and not button.isVisible()
    assert not any(card.warning_badge.isVisibleTo(card) for card in window.layer_stack.cards())


def test_reset_layout_brings_back_the_default(window, qtbot):
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.plots is not None)
    window.docks["Boundary"].close()
    window.docks["Plots"].setFloating(True)
    window.addDockWidget(Qt.LeftDockWidgetArea, window.docks["Training"])
    window.addDockWidget(Qt.RightDockWidgetArea, window.docks["Inspector"])  # out of its tab group
    window.actions_["ResetLayout"].trigger()
    assert window.docks["Boundary"].isVisible() and not window.docks["Plots"].isFloating()
    assert window.dockWidgetArea(window.docks["Training"]) == Qt.RightDockWidgetArea
    assert window.dockWidgetArea(window.docks["Plots"]) == Qt.BottomDockWidgetArea
    assert window.docks["Inspector"] in window.tabifiedDockWidgets(window.docks["Layers"])
    assert window.actions_["ResetLayout"] in window.view_menu.actions()


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name, partner", [("Warnings", "Plots"), ("HiddenSpace", "Boundary")])
def test_a_panel_shown_on_demand_opens_as_a_tab_of_its_partner_and_stays_where_the_person_moved_it(
        window, qtbot, size, name, partner):
    window.resize(*size)
    window.reset_layout()
    qtbot.waitUntil(lambda: window.plots is not None)
    dock, show, width = window.docks[name], window.actions_[f"Show{name}"], window.width()
    assert not dock.isVisible() and not show.isChecked()
    show.trigger()
    assert dock.isVisible() and show.isChecked() and window.width() == width
    assert window.docks[partner] in window.tabifiedDockWidgets(dock)
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())  # in front
    # Moved by the person to the left of the canvas, closed, and shown again: on the left, on its own.
    window.addDockWidget(Qt.LeftDockWidgetArea, dock)
    dock.close()
    assert not show.isChecked()
    show.trigger()
    assert dock.isVisible() and window.dockWidgetArea(dock) == Qt.LeftDockWidgetArea
    assert window.docks[partner] not in window.tabifiedDockWidgets(dock)
    # Reset Layout: hidden again, and the next time beside its partner.
    window.reset_layout()
    assert not dock.isVisible() and not show.isChecked()
    show.trigger()
    assert window.docks[partner] in window.tabifiedDockWidgets(dock) and window.width() == width
    # With its partners closed: on its own, where it is.
    dock.close()
    for other in dock_layout.PARTNERS[name]:
        window.docks[other].close()
    show.trigger()
    assert dock.isVisible() and not window.tabifiedDockWidgets(dock)
