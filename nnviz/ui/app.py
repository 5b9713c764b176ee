"""Start-up: the QApplication, its identity for QSettings, and the first window."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from .. import desktop
from . import settings
from .translation import install_translators


def make_app(argv: list[str] | None = None) -> QApplication:
    """The application object, created once, with the names QSettings keys on."""
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0], *(argv or [])])
        install_translators(app)
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName("nnviz")
    # The desktop matches the window to its launcher (and so to its icon) by this name.
    app.setDesktopFileName(desktop.APP_ID)
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    """nnviz's icon at every size it is drawn in, read from the installed package data."""
    icon = QIcon()
    for size in desktop.ICON_SIZES:
        pixmap = QPixmap()
        # Bytes, not a path: package data need not be a file on disk (a zipped install).
        if pixmap.loadFromData(desktop.icon_png(size).read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon


def route_numeric_warnings(show: Callable[[str], None]) -> None:
    """Say NumPy's warnings (a number out of range: inf or NaN ahead) with ``show``, not on the terminal.

    The places where a person's numbers can overflow check for it and say so;
    this catches the rest, so that a wrong number is never shown without a word.
    Other warnings go where they went.
    """
    previous = warnings.showwarning

    def showwarning(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, RuntimeWarning):
            show(QCoreApplication.translate("app", "A number went out of range ({0}): a value in the data, the file or "
                                            "an input is too large, and what is shown may be wrong. Use smaller values.")
                 .format(message))
        else:
            previous(message, category, filename, lineno, file, line)

    warnings.showwarning = showwarning


def run(argv: list[str], *, as_copy: bool = False) -> int:
    """Open the window (on ``argv[0]`` if it names a file; ``as_copy``: unsaved, as an example opens) and run the event loop."""
    app = make_app()
    from .main_window import MainWindow  # after the QApplication: widgets need it

    window = MainWindow()
    route_numeric_warnings(lambda message: window.statusBar().showMessage(message, 15000))
    if argv:
        path = Path(argv[0])
        if not path.is_file():
            print(f"nnviz: {path}: no such file", file=sys.stderr)
            return 2
        window.open_file(path, ask=False, remember=not as_copy)
    window.show()
    guard = _DestroyedWindowGuard(window)
    app.installNativeEventFilter(guard)
    return app.exec()


class _DestroyedWindowGuard(QAbstractNativeEventFilter):
    """When something outside destroys the main window's X window (``xdotool windowclose``, a
    misbehaving window manager), close as if asked: otherwise nnviz would run on, invisible and
    perhaps training. Should closing be cancelled (the unsaved-changes question), the window comes
    back in a new native window. Qt tells us nothing of this, so the X event itself is read."""

    DESTROY_NOTIFY = 17

    def __init__(self, window):
        super().__init__()
        self.window = window

    def nativeEventFilter(self, kind, message):
        if kind == b"xcb_generic_event_t":
            import ctypes

            head = bytes((ctypes.c_char * 12).from_address(int(message)))
            if head[0] & 0x7F == self.DESTROY_NOTIFY:
                destroyed = int.from_bytes(head[8:12], sys.byteorder)
                if self.window.isVisible() and destroyed == int(self.window.winId()):
                    QTimer.singleShot(0, self._close)
        return False, 0

    def _close(self):
        if not self.window.close():  # cancelled: show the window again, in a new native window
            self.window.destroy(True, True)
            self.window.show()
