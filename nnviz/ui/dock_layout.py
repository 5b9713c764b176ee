"""Where the main window's docks go: the default arrangement, and bringing it back.

After TensorFlow Playground's: what to build with (and the inspector) on the
left, the network in the middle, the training controls, data and settings on
the right (all of them in sight without scrolling at 1366×768), and under the
network what it learns: the curves and the decision boundary.
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
    "Plots": Qt.BottomDockWidgetArea,
    "Warnings": Qt.BottomDockWidgetArea,  # on demand: the status bar counts them
}
BOUNDARY_BESIDE_PLOTS_WIDTH = 1280  # narrower, the plots and the boundary do not fit side by side under the canvas


def arrange(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """The default arrangement of new docks, each already added to its area."""
    window.splitDockWidget(docks["Palette"], docks["Layers"], Qt.Vertical)
    window.splitDockWidget(docks["Plots"], docks["Boundary"], Qt.Horizontal)
    window.tabifyDockWidget(docks["Layers"], docks["Inspector"])
    docks["Layers"].raise_()
    docks["Warnings"].hide()


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
        area = DEFAULT_AREAS[name] if name != "Boundary" or beside_plots else Qt.RightDockWidgetArea
        if window.dockWidgetArea(dock) != area:
            window.addDockWidget(area, dock)  # at the end of its area: where it belongs
            if name == "Boundary":
                window.splitDockWidget(*((docks["Plots"], dock, Qt.Horizontal) if beside_plots
                                         else (docks["Training"], dock, Qt.Vertical)))
        dock.setVisible(name != "Warnings")
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
