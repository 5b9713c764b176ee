"""Where the main window's docks go: the default arrangement, and bringing it back.

After TensorFlow Playground's: what to build with (and the inspector) on the
left, the network in the middle, the training controls, data and settings on
the right (all of them in sight without scrolling at 1366×768), and under the
network what it learns: the curves and the decision boundary. The hidden space
waits behind View ▸ Show Hidden Space as a tab beside the boundary: a second
picture of the plane would crowd a 1366×768 window by default. The design
warnings open as a tab beside the curves, under the canvas: as wide as the
canvas, with the layer cards they talk about still in sight.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

DEFAULT_AREAS = {
    "Palette": Qt.LeftDockWidgetArea,
    "Layers": Qt.LeftDockWidgetArea,
    "Training": Qt.RightDockWidgetArea,
    "Inspector": Qt.LeftDockWidgetArea,  # a tab beside the layers it inspects
    "Boundary": Qt.BottomDockWidgetArea,
    "HiddenSpace": Qt.BottomDockWidgetArea,  # a tab beside the boundary, wherever that is
    "Plots": Qt.BottomDockWidgetArea,
    "Warnings": Qt.BottomDockWidgetArea,  # on demand (the status bar counts them): a tab beside the plots
}
ON_DEMAND = ("Warnings", "HiddenSpace")  # hidden at first: the status bar and the View menu bring them
PARTNERS = {"Warnings": ("Plots", "Boundary"), "HiddenSpace": ("Boundary",)}  # the tab groups they open in
BOUNDARY_BESIDE_PLOTS_WIDTH = 1280  # narrower, the plots and the boundary do not fit side by side under the canvas


def arrange(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """The default arrangement of new docks, each already added to its area."""
    window.splitDockWidget(docks["Palette"], docks["Layers"], Qt.Vertical)
    window.splitDockWidget(docks["Plots"], docks["Boundary"], Qt.Horizontal)
    window.tabifyDockWidget(docks["Layers"], docks["Inspector"])
    docks["Layers"].raise_()
    for name in ON_DEMAND:
        docks[name].hide()


def show_as_tab(window: QMainWindow, dock: QDockWidget, beside: QDockWidget | None) -> None:
    """Show ``dock`` in front, as a tab beside ``beside`` where both are docked in the same area
    (``None``: nothing to be beside, the dock shows where it is).

    Tabbed just before it shows: shown first, it would take room of its own beside ``beside`` and
    widen the window (or squeeze its row into columns too narrow to read); tabbed while it stays
    hidden, the group's tab bar would stay drawn. A dock the person moved to another area, or
    floated, shows where they put it.
    """
    if (beside is not None and beside.isVisible() and not beside.isFloating()
            and not dock.isVisible() and not dock.isFloating()
            and window.dockWidgetArea(dock) == window.dockWidgetArea(beside)):
        window.tabifyDockWidget(beside, dock)
    dock.show()
    dock.raise_()


def show_on_demand(window: QMainWindow, docks: dict[str, QDockWidget], name: str, on: bool = True) -> None:
    """Show one of the :data:`ON_DEMAND` docks in front, as a tab beside the first of its partners
    in sight (the warnings beside the curves, else the boundary); or hide it."""
    dock = docks[name]
    if not on:
        dock.hide()
        return
    beside = next((docks[p] for p in PARTNERS[name] if docks[p].isVisible() and not docks[p].isFloating()), None)
    show_as_tab(window, dock, beside)


def home_area(name: str, beside_plots: bool) -> Qt.DockWidgetArea:
    """Where Reset Layout puts dock ``name``: the boundary, and the hidden space that is its tab, go
    under the training settings when the window is too narrow for them beside the plots."""
    if name in ("Boundary", "HiddenSpace") and not beside_plots:
        return Qt.RightDockWidgetArea
    return DEFAULT_AREAS[name]


def reset(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """Every dock back in its place, shown as at the first launch and sized for the window.

    Only what differs is changed, and tabbed docks are not arranged again: re-tabifying
    docks, or splitting tabbed ones, leaves Qt's old tab bar drawn over the other docks.
    """
    width, height = window.width(), window.height()
    # Under the canvas beside the plots; in a narrow window, under the training settings.
    beside_plots = width >= BOUNDARY_BESIDE_PLOTS_WIDTH
    for name, dock in docks.items():
        dock.setFloating(False)
        area = home_area(name, beside_plots)
        if name in ON_DEMAND:  # out of the tab group it was shown in: a hidden tab would leave its tab bar drawn
            window.removeDockWidget(dock)
            window.addDockWidget(area, dock)
        elif window.dockWidgetArea(dock) != area:
            window.addDockWidget(area, dock)  # at the end of its area: where it belongs
            if name == "Boundary":
                window.splitDockWidget(*((docks["Plots"], dock, Qt.Horizontal) if beside_plots
                                         else (docks["Training"], dock, Qt.Vertical)))
        dock.setVisible(name not in ON_DEMAND)
    if docks["Inspector"] not in window.tabifiedDockWidgets(docks["Layers"]):
        window.tabifyDockWidget(docks["Layers"], docks["Inspector"])
    docks["Layers"].raise_()
    # The canvas is the largest area; the side columns as narrow as their contents allow.
    side = max(230, min(300, width // 5))
    window.resizeDocks([docks["Palette"], docks["Training"]], [side, side + 40], Qt.Horizontal)
    window.resizeDocks([docks["Palette"], docks["Layers"]], [height * 2 // 5, height * 3 // 5], Qt.Vertical)
    bottom = max(200, height * 3 // 10)
    window.resizeDocks([docks["Plots"]], [bottom], Qt.Vertical)
    if beside_plots:
        window.resizeDocks([docks["Plots"], docks["Boundary"]], [width, bottom + 30], Qt.Horizontal)
    else:
        window.resizeDocks([docks["Training"], docks["Boundary"]], [height - side - 40, side + 40], Qt.Vertical)
