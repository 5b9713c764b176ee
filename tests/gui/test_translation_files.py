"""A translator's route, end to end: packaging/update_translations.py extracts nnviz's strings into a
.ts file, a translated .ts compiles to a .qm, and the app loads it for the person's language; Qt's
own words (Cancel) follow the language too."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDialogButtonBox

from nnviz.ui.translation import install_translators

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import update_translations  # noqa: E402


@pytest.fixture
def installed(qapp):
    """install_translators, with what it installed removed after the test."""
    translators = []

    def install(*args, **kwargs):
        translators.extend(install_translators(qapp, *args, **kwargs))
        return translators

    yield install
    for translator in translators:
        qapp.removeTranslator(translator)


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    tree = ET.parse(ts)
    return {(context.findtext("name"), message.findtext("source")): message
            for context in tree.getroot().iter("context") for message in context.iter("message")}


def test_the_strings_of_window_and_core_are_extracted(tmp_path):
    ts = tmp_path / "nnviz_de.ts"
    update_translations.update([ts])
    sources = {source for _, source in messages(ts)}
    assert {"&File", "&Edit", "&Help"} <= sources  # the menus
    assert {"Leaky ReLU", "Adam", "Spiral"} <= sources  # words of nnviz.core, shown in the window
    assert len(sources) > 400


def test_a_translated_file_changes_the_window(qtbot, tmp_path, installed):
    from nnviz.ui.main_window import MainWindow

    ts = tmp_path / "nnviz_de.ts"
    update_translations.update([ts])
    tree = ET.parse(ts)
    for message in tree.getroot().iter("message"):
        if message.findtext("source") == "&File":
            translation = message.find("translation")
            translation.text = "&Datei"
            translation.attrib.pop("type", None)  # "unfinished" translations are not compiled
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    update_translations.release([ts])
    assert (tmp_path / "nnviz_de.qm").is_file()

    installed(QLocale(QLocale.Language.German, QLocale.Country.Germany), folder=tmp_path)
    window = MainWindow()
    qtbot.addWidget(window)
    titles = [action.text() for action in window.menuBar().actions()]
    assert "&Datei" in titles and "&File" not in titles
    assert "&Edit" in titles  # not translated in this file: stays English


def test_qt_own_words_follow_the_language(qtbot, installed):
    installed(QLocale(QLocale.Language.German, QLocale.Country.Germany), folder=Path("/nonexistent"))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Abbrechen"


def test_a_language_without_a_translation_stays_english(qtbot, installed):
    translators = installed(QLocale(QLocale.Language.Welsh), folder=Path("/nonexistent"))
    assert translators == []
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
