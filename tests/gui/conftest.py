"""Qt tests run offscreen (no X server, no window on anyone's screen) and with
their own QSettings store, so they neither read nor write a user's preferences."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_settings(qapp, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    qapp.setOrganizationName("nnviz-tests")
    qapp.setApplicationName("nnviz-tests")
    yield
    QSettings().clear()
