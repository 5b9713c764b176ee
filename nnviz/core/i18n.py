"""Words of the core that the window shows (names and descriptions of activations, losses,
datasets, ...), marked for translation without importing Qt.

``pyside6-lupdate`` finds ``QT_TRANSLATE_NOOP("nnviz.core", "...")`` calls by name and
puts their text in the translators' files; here the call only returns its text, and the
command line prints it as it is. The window shows such a word through
``nnviz.ui.translation.core_text``, which looks it up under ``CONTEXT``.
"""

from __future__ import annotations

CONTEXT = "nnviz.core"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    """``text``, unchanged: the call marks it for translators (``context`` is always ``CONTEXT``)."""
    return text
