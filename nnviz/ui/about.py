"""Help ▸ About nnviz: the version, the licence, the libraries it runs on, and where to report a problem.

What the box says comes from the installed package's metadata where there is
some (the Issues address, the licence text), so it never goes stale; a source
checkout without metadata falls back to the project's own address and "MIT
licence". "Copy details" puts the versions on the clipboard for a bug report.
"""

from __future__ import annotations

import html
import importlib
import importlib.metadata as metadata
import platform
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import nnviz

# The distribution's name: nnviz-studio from 0.2 on; older installs are called nnviz.
DISTRIBUTIONS = ("nnviz-studio", "nnviz")
ISSUES_URL = "https://github.com/nnviz-studio/nnviz-studio/issues"
# Project-URL labels that mean "report problems here", lower-cased.
ISSUE_LABELS = ("issues", "bug tracker", "bugs", "issue tracker", "tracker")
LIBRARIES = (("PySide6", "PySide6"), ("pyqtgraph", "pyqtgraph"), ("NumPy", "numpy"), ("threadpoolctl", "threadpoolctl"))


def _distribution() -> metadata.Distribution | None:
    for name in DISTRIBUTIONS:
        try:
            return metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def issues_url() -> str:
    """Where to report a problem: the package metadata's Issues (or Bug Tracker) address, else the project's."""
    dist = _distribution()
    for entry in (dist.metadata.get_all("Project-URL") or []) if dist is not None else []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ISSUE_LABELS and url.strip():
            return url.strip()
    return ISSUES_URL


def licence_text() -> str | None:
    """The licence's full text as installed with the package (a LICENSE file in its metadata), or None."""
    dist = _distribution()
    if dist is None:
        return None
    # PEP 639 metadata names its licence files (a wheel installs them under licenses/, beside METADATA);
    # older installs may only list them among the package's files.
    names = dist.metadata.get_all("License-File") or []
    readers = [lambda name=name: dist.read_text(f"licenses/{name}") for name in names]
    readers += [lambda name=name: Path(dist.locate_file(name)).read_text(encoding="utf-8") for name in names]
    readers += [lambda f=f: f.read_text(encoding="utf-8") for f in dist.files or []
                if f.name.upper().startswith(("LICENSE", "LICENCE", "COPYING"))]
    for read in readers:
        try:
            text = read()
        except (OSError, UnicodeDecodeError):
            continue
        if text and text.strip():
            return text
    return None


def _module_version(module: str) -> str:
    try:
        version = getattr(importlib.import_module(module), "__version__", None)
    except ImportError:
        return QCoreApplication.translate("AboutDialog", "not installed")
    return str(version) if version is not None else QCoreApplication.translate("AboutDialog", "unknown")


def library_versions() -> list[tuple[str, str]]:
    """(name, version) of Python, Qt and the libraries nnviz runs on, as this process runs them."""
    rows = [("Python", platform.python_version())]
    for label, module in LIBRARIES:
        version = _module_version(module)
        if module == "PySide6":
            # The Qt libraries actually loaded: a system Qt can differ from the one PySide6 was built with.
            version = f"{version} (Qt {qVersion()})"
        rows.append((label, version))
    return rows


def details() -> str:
    """The plain-text lines a bug report needs: nnviz's version, the libraries', the system."""
    app = QGuiApplication.instance()
    where = f"{platform.system()} {platform.release()} ({platform.machine()})"
    if app is not None:
        where += f", Qt platform {app.platformName()}"
    lines = [f"nnviz {nnviz.__version__}", *(f"{name} {version}" for name, version in library_versions()), where]
    return "\n".join(lines)


class AboutDialog(QDialog):
    """The About box; ``details`` on the clipboard with "Copy details"."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About nnviz"))
        url = issues_url()
        libraries = "".join(f"<tr><td style='padding-right: 12px'>{html.escape(name)}</td>"
                            f"<td>{html.escape(version)}</td></tr>" for name, version in library_versions())
        link = f"<a href=\"{html.escape(url)}\">{html.escape(url)}</a>"
        self.text = QLabel(
            f"<h2>nnviz {html.escape(nnviz.__version__)}</h2>"
            + "<p>" + self.tr("Build a neural network by dragging layers, train it with NumPy and watch it learn.") + "</p>"
            + "<p>" + self.tr("Free software under the MIT licence.") + "</p>"
            + "<p><b>" + self.tr("Running on") + f"</b></p><table cellspacing=0 cellpadding=2>{libraries}</table>"
            + "<p>" + self.tr("<b>Found a problem?</b> Report it at<br>{0}<br>"
                            "with the details that <i>Copy details</i> puts on the clipboard.").format(link) + "</p>",
            self,
        )
        self.text.setObjectName("aboutText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setOpenExternalLinks(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)

        self.licence = QPlainTextEdit(self)
        self.licence.setObjectName("aboutLicence")
        self.licence.setReadOnly(True)
        self.licence.setPlainText(licence_text() or "")
        self.licence.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.copy_button = QPushButton(self.tr("Copy details"), self)
        self.copy_button.setObjectName("aboutCopyDetails")
        self.copy_button.setToolTip(self.tr("Copy nnviz's version, the libraries' and the system's, to paste into a bug report"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.licence_button = QPushButton(self.tr("Licence…"), self)
        self.licence_button.setObjectName("aboutShowLicence")
        self.licence_button.setCheckable(True)
        self.licence_button.setToolTip(self.tr("Show the licence's full text"))
        self.licence_button.toggled.connect(self._show_licence)
        buttons.addButton(self.licence_button, QDialogButtonBox.ButtonRole.ActionRole)
        # Without the text installed there is nothing more to show than the line above.
        self.licence_button.setVisible(bool(self.licence.toPlainText()))

        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.licence, 1)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        """Put :func:`details` on the clipboard."""
        QApplication.clipboard().setText(details())
        self.copy_button.setText(self.tr("Copied"))

    def _show_licence(self, shown: bool) -> None:
        self.licence.setVisible(shown)
        self.adjustSize()


def show_about(parent: QWidget) -> AboutDialog:
    """Open the About box over ``parent`` (window-modal, without a nested event loop); returns it."""
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
