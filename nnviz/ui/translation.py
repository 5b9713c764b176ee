"""The window in the person's language: Qt's own words (OK, Cancel) and nnviz's, where a
translation is installed.

nnviz's strings go through ``tr()`` (or ``QCoreApplication.translate`` outside a
QObject); a translation is a ``nnviz_<language>.qm`` file in ``resources/translations``,
made from the ``.ts`` file that ``packaging/update_translations.py`` writes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..core.i18n import CONTEXT
from ..core.shipped import resources_root


def translations_dir() -> Path:
    """Where nnviz's own translation files (``nnviz_<language>.qm``) are shipped."""
    return resources_root() / "translations"


def install_translators(app: QCoreApplication, locale: QLocale | None = None,
                        folder: Path | None = None) -> list[QTranslator]:
    """Install Qt's and nnviz's translations for ``locale`` (the system's by default) into ``app``.

    A language with no translation keeps the English the strings are written in.
    Returns the installed translators (the application does not own them: keep them alive).
    """
    locale = locale or QLocale()
    installed = []
    places = [("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
              ("nnviz", str(folder or translations_dir()))]
    for name, directory in places:
        translator = QTranslator(app)
        if translator.load(locale, name, "_", directory) and app.installTranslator(translator):
            installed.append(translator)
    return installed


def core_text(text: str) -> str:
    """A word of ``nnviz.core`` (marked there with ``QT_TRANSLATE_NOOP``) in the window's language."""
    return QCoreApplication.translate(CONTEXT, text)
