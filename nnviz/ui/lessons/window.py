"""The Lessons dock in the main window: made, placed, and reached from Help ▸ Lessons and the View menu.

The dock waits hidden until asked for (a first launch looks as before); it
opens as a tab beside the Training dock, on the right, so the network, the
boundary and the plots the lessons talk about stay in sight. Train, Step,
Epoch and Reset are on the toolbar, so a lesson rarely needs the Training tab.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from ...core.shipped import example_path
from ..dock_layout import show_as_tab
from .detector import Detector
from .panel import LessonsPanel


def add_lessons(window: QMainWindow) -> LessonsPanel:
    """Give ``window`` (a :class:`~nnviz.ui.main_window.MainWindow`) its Lessons dock and the actions that show it."""
    detector = Detector(window.doc, window.actions_, window.docks, window.warnings, window)
    panel = LessonsPanel(window.doc, detector,
                         lambda name: window.open_file(example_path(name), remember=False), parent=window)
    dock = QDockWidget(QCoreApplication.translate("Lessons", "Lessons"), window)
    dock.setObjectName("dockLessons")
    dock.setWidget(panel)
    window.addDockWidget(Qt.RightDockWidgetArea, dock)
    dock.hide()  # tabbed only when shown: a hidden tab beside Training squeezed the boundary under it out of sight at 1024x768
    # An action of its own, not the dock's toggle: that would show the dock before it is
    # tabbed, in a column of its own that squeezes the canvas.
    show = window.actions_["ShowLessons"]
    show.triggered.connect(lambda on: show_lessons(window, dock, panel) if on else dock.hide())
    dock.toggleViewAction().toggled.connect(show.setChecked)  # its close button too
    window.view_menu.insertAction(window.actions_["ResetLayout"], show)
    window.actions_["Lessons"].triggered.connect(lambda: show_lessons(window, dock, panel))
    # The Help menu is the one with About in it (its title is in the person's language).
    help_menu = next(a.menu() for a in window.menuBar().actions()
                     if a.menu() is not None and window.actions_["About"] in a.menu().actions())
    help_menu.insertAction(help_menu.actions()[0], window.actions_["Lessons"])
    window.lessons_dock = dock
    return panel


def show_lessons(window: QMainWindow, dock: QDockWidget, panel: LessonsPanel) -> None:
    """Help ▸ Lessons: the dock in front, beside the Training dock unless it was moved away."""
    if window.dockWidgetArea(dock) == Qt.NoDockWidgetArea and not dock.isFloating():
        window.addDockWidget(Qt.RightDockWidgetArea, dock)
    show_as_tab(window, dock, window.docks["Training"])
    (panel.list if panel.current is None else panel).setFocus()
