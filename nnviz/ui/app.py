"""Start-up: the QApplication, its identity for QSettings, and the first window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from . import settings


def make_app(argv: list[str] | None = None) -> QApplication:
    """The application object, created once, with the names QSettings keys on."""
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0], *(argv or [])])
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName("nnviz")
    return app


def run(argv: list[str]) -> int:
    """Open the window (on ``argv[0]`` if it names a file) and run the event loop."""
    app = make_app()
    from .main_window import MainWindow  # after the QApplication: widgets need it

    window = MainWindow()
    if argv:
        path = Path(argv[0])
        if not path.is_file():
            print(f"nnviz: {path}: no such file", file=sys.stderr)
            return 2
        window.open_file(path, ask=False)
    window.show()
    return app.exec()
