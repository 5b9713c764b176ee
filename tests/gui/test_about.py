"""Help ▸ About nnviz: the version, the libraries' versions, the licence and where to report a problem;
Help ▸ About Qt."""

import platform

import numpy
import pyqtgraph
import threadpoolctl
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

import nnviz
from nnviz.ui import about


def open_about(window, qtbot):
    window.findChild(QAction, "actionAbout").trigger()
    dialog = window.findChild(about.AboutDialog, "aboutDialog")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_about_shows_the_version_and_the_libraries(window, qtbot):
    dialog = open_about(window, qtbot)
    text = dialog.findChild(QLabel, "aboutText").text()
    for expected in (f"nnviz {nnviz.__version__}", platform.python_version(), qVersion(), numpy.__version__,
                     pyqtgraph.__version__, threadpoolctl.__version__, "MIT licence", about.issues_url()):
        assert expected in text, expected
    assert about.issues_url().startswith("https://") and about.issues_url().endswith("/issues")
    dialog.close()


def test_copy_details_puts_the_versions_on_the_clipboard(window, qtbot):
    dialog = open_about(window, qtbot)
    dialog.findChild(QLabel, "aboutText")
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert copied.splitlines()[0] == f"nnviz {nnviz.__version__}"
    for expected in (f"Python {platform.python_version()}", f"Qt {qVersion()}", f"NumPy {numpy.__version__}",
                     f"pyqtgraph {pyqtgraph.__version__}", f"threadpoolctl {threadpoolctl.__version__}"):
        assert expected in copied, expected
    assert dialog.copy_button.text() == "Copied"
    dialog.close()


def test_the_licence_text_shows_where_it_is_installed(window, qtbot):
    dialog = open_about(window, qtbot)
    text = about.licence_text()
    assert dialog.licence_button.isVisibleTo(dialog) == bool(text)
    if text:
        dialog.licence_button.click()
        assert dialog.licence.isVisible() and "MIT" in dialog.licence.toPlainText()
    dialog.close()


def test_the_issues_address_falls_back_when_there_is_no_metadata(monkeypatch):
    monkeypatch.setattr(about, "_distribution", lambda: None)
    assert about.issues_url() == about.ISSUES_URL
    assert about.licence_text() is None


def test_the_issues_address_comes_from_the_project_urls(monkeypatch):
    class Metadata:
        def get_all(self, name):
            return ["Homepage, https://example.org", "Issues, https://example.org/tracker"]

    class Dist:
        metadata = Metadata()

    monkeypatch.setattr(about, "_distribution", lambda: Dist())
    assert about.issues_url() == "https://example.org/tracker"


def test_about_qt_asks_qt_for_its_box(window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "aboutQt", lambda parent, title="": shown.append(parent))
    action = window.findChild(QAction, "actionAboutQt")
    assert action.toolTip() and action.menuRole() == QAction.MenuRole.AboutQtRole
    action.trigger()
    assert shown == [window]


def test_the_licence_text_is_read_from_pep_639_metadata(monkeypatch):
    class Metadata:
        def get_all(self, name):
            return ["LICENSE"] if name == "License-File" else None

    class Dist:
        metadata = Metadata()
        files = []

        def read_text(self, path):
            return "MIT License\n\nCopyright (c) 2026 The nnviz authors\n" if path == "licenses/LICENSE" else None

    monkeypatch.setattr(about, "_distribution", lambda: Dist())
    assert about.licence_text().startswith("MIT License")
