"""Qt with no screen: for ``nnviz export`` on a server, in CI or over SSH."""

from __future__ import annotations

import os
import sys

_app = None  # the application made here, kept alive for the life of the process


def has_display() -> bool:
    """Whether a window system is reachable (always on Windows and macOS)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def ensure_app():
    """The QApplication, created if need be; offscreen when there is no display.

    Drawing a QGraphicsScene needs a QApplication (a QGuiApplication is not
    enough), and a QApplication needs a platform: with no display and no
    ``QT_QPA_PLATFORM`` of the user's own, use the offscreen one.
    """
    if not has_display() and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    global _app
    app = QApplication.instance()
    if app is None:
        app = _app = QApplication([sys.argv[0] if sys.argv else "nnviz"])
    return app


def quiet_qt_messages() -> None:
    """Send Qt's debug and warning chatter (font and platform notes) nowhere; keep real errors."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind, context, message):
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            print(f"nnviz: Qt: {message}", file=sys.stderr)

    qInstallMessageHandler(handler)
