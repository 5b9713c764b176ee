"""What the translation tests share: a translator that marks what reached tr(), and a walk over
the words a person reads on a widget (tests/gui is on sys.path through its conftest)."""

import re

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import (QAbstractButton, QComboBox, QDockWidget, QGroupBox, QLabel, QLineEdit, QMenu, QTabBar,
                               QWidget)

# Words, not data: at least two letters in a row (numbers, units and sizes are not translated).
WORDS = re.compile(r"[A-Za-z]{2,}")


class MarkingTranslator(QTranslator):
    """Translates every string to itself in «guillemets», so what reached tr() is visible."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return f"«{source}»"

    def isEmpty(self):
        return False


@pytest.fixture
def marking(qapp):
    """Every tr() marks its text while the test runs."""
    translator = MarkingTranslator()
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


def texts_of(widget: QWidget):
    """(where, text) for the words a person reads on ``widget`` and everything in it."""
    for child in [widget, *widget.findChildren(QWidget)]:
        name = f"{type(child).__name__} {child.objectName()!r}"
        yield name + " tooltip", child.toolTip()
        yield name + " accessible name", child.accessibleName()
        yield name + " accessible description", child.accessibleDescription()
        if child.isWindow():
            yield name + " window title", child.windowTitle()
        if isinstance(child, (QLabel, QAbstractButton)):
            yield name + " text", child.text()
        if isinstance(child, QGroupBox):
            yield name + " title", child.title()
        if isinstance(child, QDockWidget):
            yield name + " title", child.windowTitle()
        if isinstance(child, QLineEdit):
            yield name + " placeholder", child.placeholderText()
        if isinstance(child, QTabBar):
            for i in range(child.count()):
                yield f"{name} tab {i}", child.tabText(i)
                yield f"{name} tab {i} tooltip", child.tabToolTip(i)
        if isinstance(child, QComboBox):
            for i in range(child.count()):
                yield f"{name} item {i}", child.itemText(i)
        if isinstance(child, QMenu):
            yield name + " title", child.title()
        for action in child.actions():
            label = f"{name} action {action.objectName() or action.text()!r}"
            yield label + " text", action.text()
            yield label + " tooltip", action.toolTip()
            yield label + " status tip", action.statusTip()


def untranslated(widget: QWidget, data: set[str] = frozenset()) -> list[str]:
    """The words on ``widget`` that did not pass through tr(), but for ``data`` (a file's or network's
    own name, which is the person's, not nnviz's)."""
    found = []
    for where, text in texts_of(widget):
        if text and WORDS.search(text) and "«" not in text and text not in data:
            found.append(f"{where}: {text!r}")
    return sorted(set(found))
