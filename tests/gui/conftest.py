"""Qt tests run offscreen (no X server, no window on anyone's screen) and with
their own QSettings store and application-data folder, so they neither read nor write a user's
preferences or autosaves."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_settings(qapp, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    qapp.setOrganizationName("nnviz-tests")
    qapp.setApplicationName("nnviz-tests")
    yield
    QSettings().clear()


@pytest.fixture(autouse=True)
def isolated_app_data(monkeypatch, tmp_path):
    """The application's data (autosaves) in the test's own folder: QStandardPaths reads XDG_DATA_HOME
    on every call, and a child process the test starts inherits it."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "app-data"))


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch):
    """A modal message box would hang an offscreen test: fail instead. Tests that
    expect one patch it themselves (their patch replaces this one)."""

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("warning", "critical", "question", "information"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


@pytest.fixture
def session(qapp):
    """A training session, shut down (thread ended) after the test."""
    from nnviz.ui.training.worker import TrainingSession

    s = TrainingSession()
    yield s
    s.shutdown()


@pytest.fixture
def window(qtbot):
    """The main window, shown; closed without an unsaved-changes prompt after the test."""
    from nnviz.ui.main_window import MainWindow

    win = MainWindow()
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.doc.undo_stack.setClean()  # no unsaved-changes prompt when the test tears the window down
    win.close()
    win.deleteLater()
