"""Every action is made in nnviz.ui.actions: named, explained, and no two share a shortcut."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from nnviz.ui.actions import SPECS


def test_every_window_action_is_named_and_explained(window):
    actions = [a for a in window.findChildren(QAction) if a.objectName().startswith("action") and a.text()]
    names = {spec.name for spec in SPECS}
    made_here = [a for a in actions if a.objectName().removeprefix("action") in names]
    assert len(made_here) == len(SPECS)
    for action in made_here:
        assert action.toolTip() and action.statusTip(), action.objectName()


def test_no_two_actions_share_a_shortcut(window):
    seen = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            assert text not in seen, f"{text} is bound to {seen[text]} and {action.objectName()}"
            seen[text] = action.objectName()
    assert seen["Ctrl+D"] == "actionDuplicateLayer"


def test_ctrl_d_duplicates_the_selected_layer(window, qtbot):
    from nnviz.ui.model.document import Selection

    doc = window.doc
    n = len(doc.spec.layers)
    doc.select(Selection(layer=0))
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window.view, "d", modifier=Qt.KeyboardModifier.ControlModifier)
    assert len(doc.spec.layers) == n + 1


def test_undo_button_keeps_its_text_and_explains_in_its_tooltip(window):
    from nnviz.ui.model import commands
    from nnviz.core.spec import DenseSpec

    undo = window.actions_["Undo"]
    assert not undo.isEnabled()
    commands.insert_layer(window.doc, 0, DenseSpec(8, "tanh"))
    assert undo.isEnabled() and undo.text() == "&Undo"
    assert "add dense 8 tanh" in undo.toolTip().lower()
