"""Every action is made in nnviz.ui.actions: named, explained, no two share a shortcut;
the shortcut list speaks of real keys; the toolbar has icons and stays put."""

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QToolBar

from nnviz.core.spec import DenseSpec
from nnviz.ui.actions import SPECS, TRAINING, on_a_pc_keyboard
from nnviz.ui.model import commands
from nnviz.ui.model.document import Selection


def test_every_window_action_is_named_and_explained(window):
    actions = [a for a in window.findChildren(QAction) if a.objectName().startswith("action") and a.text()]
    names = {spec.name for spec in SPECS}
    made_here = [a for a in actions if a.objectName().removeprefix("action") in names]
    assert len(made_here) == len(SPECS)
    for action in made_here:
        assert action.toolTip() and action.statusTip(), action.objectName()


def test_no_two_actions_share_a_shortcut(window):
    window.build_training_views()  # the plots and the timeline bring their own actions
    seen = {}
    # shortcuts(), not shortcut(): a standard key expands to every binding of the platform.
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            assert text not in seen, f"{text} is bound to {seen[text]} and {action.objectName()}"
            seen[text] = action.objectName()
    assert seen["Ctrl+D"] == "actionDuplicateLayer"
    assert seen["Del"] == "actionDelete"


def test_ctrl_d_duplicates_the_selected_layer(window, qtbot, qtlog):
    doc = window.doc
    before = doc.spec.layers
    doc.select(Selection(layer=1))
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_D, modifier=Qt.KeyboardModifier.ControlModifier)
    assert len(doc.spec.layers) == len(before) + 1
    assert doc.spec.layers[2] == before[1]  # a copy of the selected layer, right after it
    assert len(window.view.scene().columns) == len(before) + 2  # the canvas shows it (inputs + layers)
    assert not [r for r in qtlog.records if "Ambiguous shortcut" in r.message]


@pytest.mark.parametrize("key, real", [
    ("Ctrl+Z", True), ("Alt+Backspace", True), ("Ctrl++", True), ("F10", True), ("Ctrl+Shift+S", True),
    ("Del", True), ("Ctrl+[", True), ("F14", False), ("Shift+Save", False), ("Undo", False), ("Help", False),
])
def test_platform_oddities_are_not_keys_of_a_pc_keyboard(key, real):
    assert on_a_pc_keyboard(QKeySequence(key)) is real


def _dialog_rows(qtbot, window) -> dict[str, str]:
    window.actions_["Shortcuts"].trigger()
    qtbot.waitUntil(lambda: isinstance(getattr(window, "shortcuts_dialog", None), QMessageBox)
                    and window.shortcuts_dialog.isVisible())
    text = window.shortcuts_dialog.text()
    window.shortcuts_dialog.close()
    return dict(re.findall(r"<tr><td>([^<]*)</td><td><b>([^<]*)</b></td></tr>", text))


def test_shortcuts_dialog_names_real_keys(window, qtbot):
    undo = window.actions_["Undo"]
    # X11 binds Undo to F14 as well (Sun keyboards): the list must not offer it.
    undo.setShortcuts(undo.shortcuts() + [QKeySequence("F14")])
    rows = _dialog_rows(qtbot, window)
    assert rows["Undo"].split(", ")[0] == "Ctrl+Z"
    assert rows["New"] == "Ctrl+N"  # not "Ctrl+N, New"
    assert rows["Duplicate Layer"] == "Ctrl+D" and rows["Train"] == "Ctrl+Return"
    assert "Ctrl+Shift+S" in rows["Save As"].split(", ")
    for name, keys in rows.items():
        assert "&" not in name
        for key in keys.split(", "):
            assert "F14" not in key and "Save" not in key and key not in ("New", "Open", "Undo", "Help"), (name, key)


def _button_x(bar, action) -> int:
    return bar.widgetForAction(action).geometry().x()


def _settle(bar):
    # A tool bar lays out on a posted request: deliver it before looking.
    QApplication.sendPostedEvents()
    bar.layout().activate()


def test_toolbar_buttons_have_icons_and_stay_put_after_an_edit(window):
    bar = window.findChild(QToolBar, "toolbarMain")
    actions = [a for a in bar.actions() if not a.isSeparator()]
    assert len(actions) >= 10
    for action in actions:
        assert not action.icon().isNull(), action.objectName()
    acts = window.actions_
    _settle(bar)
    watched = [acts[name] for name in ("Train", "Step", "ResetTraining", "Faster")]
    before = [_button_x(bar, a) for a in watched]

    commands.insert_layer(window.doc, 0, DenseSpec(8, "tanh"))
    _settle(bar)
    assert [_button_x(bar, a) for a in watched] == before
    undo = bar.widgetForAction(acts["Undo"])
    assert "add dense 8 tanh" in undo.toolTip().lower()
    assert acts["Undo"].text() == "&Undo"

    # Train becomes Pause and Resume while a run goes: the buttons after it stay put too.
    for text in ("Pause", "Resume"):
        acts["Train"].setText(text)
        _settle(bar)
        assert [_button_x(bar, a) for a in watched[1:]] == before[1:], text


def test_training_controls_in_the_toolbar_keep_their_words(window):
    bar = window.findChild(QToolBar, "toolbarMain")
    for name in TRAINING[:4]:
        assert bar.widgetForAction(window.actions_[name]).toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
