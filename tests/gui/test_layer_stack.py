"""The layer stack: cards mirror the spec; drops insert and move; edits are undoable commands."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from helpers import drag_event
from nnviz.core.fileformat import NetworkFile
from nnviz.core.spec import DenseSpec, DropoutSpec, NetworkSpec
from nnviz.ui.editor import mime
from nnviz.ui.model.document import Document, Selection
from nnviz.ui.editor.layer_editors import LARGE_UNITS
from nnviz.ui.editor.layer_stack import LayerStack
from nnviz.core.project import Project

SPEC = NetworkSpec(2, (DenseSpec(8, "relu"), DenseSpec(8, "tanh"), DenseSpec(1, "sigmoid")), name="2-8-8-1")


@pytest.fixture
def stack(qtbot):
    doc = Document(Project.from_file(NetworkFile(spec=SPEC, params=[None] * 3)))
    widget = LayerStack(doc)
    qtbot.addWidget(widget)
    widget.resize(320, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _between(stack, upper_card, lower_card) -> QPoint:
    """A point in the body, in the gap between two cards."""
    y = (upper_card.geometry().bottom() + lower_card.geometry().top()) // 2
    return QPoint(60, y)


def _drag(stack, data, pos, action=Qt.DropAction.CopyAction):
    enter = drag_event(QDragEnterEvent, pos, data, action)
    QApplication.sendEvent(stack.body, enter)
    move = drag_event(QDragMoveEvent, pos, data, action)
    QApplication.sendEvent(stack.body, move)
    return enter, move


def _drop(stack, data, pos, action=Qt.DropAction.CopyAction):
    drop = QDropEvent(pos, action, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(stack.body, drop)
    return drop


def test_cards_mirror_the_spec(stack):
    cards = stack.cards()
    assert [c.kind for c in cards] == ["dense", "dense", "dense"]
    assert stack.input_card.inputs_spin.value() == 2
    assert [c.units_spin.value() for c in cards] == [8, 8, 1]
    assert cards[1].activation_combo.currentData() == "tanh"
    assert cards[0].info_label.text() == "24 params"
    assert cards[2].badge.isVisibleTo(cards[2]) and not cards[0].badge.isVisibleTo(cards[0])


def test_palette_drop_between_cards_inserts_there_with_a_line(stack):
    doc = stack.doc
    data = mime.layer_mime(DropoutSpec(0.25))
    pos = _between(stack, stack.card(0), stack.card(1))
    enter, move = _drag(stack, data, pos)
    assert enter.isAccepted() and move.isAccepted()
    assert stack.insertion_index() == 1
    assert stack.line.isVisible()
    line = stack.line.geometry()
    assert stack.card(0).geometry().bottom() <= line.center().y() <= stack.card(1).geometry().top()
    drop = _drop(stack, data, pos)
    assert drop.isAccepted()
    assert doc.spec.layers[1] == DropoutSpec(0.25)
    assert len(doc.spec.layers) == 4
    assert stack.insertion_index() is None and not stack.line.isVisible()
    assert [c.kind for c in stack.cards()] == ["dense", "dropout", "dense", "dense"]
    assert doc.selection == Selection(layer=1)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.spec == SPEC and len(stack.cards()) == 3


def test_drop_above_first_card_and_below_last(stack):
    doc = stack.doc
    data = mime.layer_mime(DenseSpec(5, "gelu"))
    top = QPoint(60, stack.card(0).geometry().top() - 2)
    _drag(stack, data, top)
    assert stack.insertion_index() == 0
    _drop(stack, data, top)
    assert doc.spec.layers[0] == DenseSpec(5, "gelu")
    QApplication.processEvents()  # lay out the new card
    bottom = QPoint(60, stack.cards()[-1].geometry().bottom() + 30)
    _drag(stack, data, bottom)
    assert stack.insertion_index() == len(doc.spec.layers)
    _drop(stack, data, bottom)
    assert doc.spec.layers[-1] == DenseSpec(5, "gelu")


def test_drag_leave_hides_the_line(stack):
    data = mime.layer_mime(DenseSpec(8))
    _drag(stack, data, _between(stack, stack.card(1), stack.card(2)))
    assert stack.line.isVisible() and stack.insertion_index() == 2
    QApplication.sendEvent(stack.body, QDragLeaveEvent())
    assert not stack.line.isVisible() and stack.insertion_index() is None


def test_foreign_drags_are_refused(stack):
    from PySide6.QtCore import QMimeData

    data = QMimeData()
    data.setText("hello")
    enter, _ = _drag(stack, data, QPoint(60, 40))
    assert not enter.isAccepted()
    assert stack.insertion_index() is None


def test_moving_a_card_is_one_undo_step(stack):
    doc = stack.doc
    weights0 = doc.network.layer_params(0)["weights"].copy()
    data = mime.move_mime(0)
    pos = _between(stack, stack.card(1), stack.card(2))  # gap 2: layer 0 ends at index 1
    _drag(stack, data, pos, Qt.DropAction.MoveAction)
    assert stack.insertion_index() == 2 and stack.line.isVisible()
    _drop(stack, data, pos, Qt.DropAction.MoveAction)
    assert [l.activation for l in doc.spec.layers] == ["tanh", "relu", "sigmoid"]
    assert doc.selection == Selection(layer=1)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.spec == SPEC
    np.testing.assert_array_equal(doc.network.layer_params(0)["weights"], weights0)


def test_moving_a_card_next_to_itself_does_nothing(stack):
    doc = stack.doc
    data = mime.move_mime(1)
    pos = _between(stack, stack.card(0), stack.card(1))  # the gap just above card 1
    _drag(stack, data, pos, Qt.DropAction.MoveAction)
    assert stack.insertion_index() is None and not stack.line.isVisible()
    _drop(stack, data, pos, Qt.DropAction.MoveAction)
    assert doc.spec == SPEC and doc.undo_stack.count() == 0


def test_editing_units_keeps_the_weights_that_fit(stack, qtbot):
    doc = stack.doc
    old_w0 = doc.network.layer_params(0)["weights"].copy()
    old_w1 = doc.network.layer_params(1)["weights"].copy()
    spin = stack.card(0).units_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "12")
    assert doc.spec.layers[0].units == 8  # no change while typing
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert doc.spec.layers[0].units == 12
    assert doc.undo_stack.count() == 1
    w0 = doc.network.layer_params(0)["weights"]
    w1 = doc.network.layer_params(1)["weights"]
    assert w0.shape == (2, 12) and w1.shape == (12, 8)
    np.testing.assert_array_equal(w0[:, :8], old_w0)
    np.testing.assert_array_equal(w1[:8, :], old_w1)
    assert stack.card(0) is stack.cards()[0] and stack.card(0).units_spin is spin  # updated in place
    assert spin.text() == "12 units"
    doc.undo_stack.undo()
    assert doc.spec.layers[0].units == 8 and spin.value() == 8


def test_wide_layers_get_a_warning_tint(stack):
    spin = stack.card(1).units_spin
    assert not spin.property("large")
    spin.setValue(LARGE_UNITS + 1)
    assert stack.doc.spec.layers[1].units == LARGE_UNITS + 1
    assert spin.property("large") and "memory" in spin.toolTip()
    assert spin.maximum() == 100_000


def test_activation_and_inputs_edit_through_commands(stack):
    doc = stack.doc
    combo = stack.card(2).activation_combo
    combo.activated.emit(combo.findData("linear"))
    assert doc.spec.layers[2].activation == "linear"
    stack.input_card.inputs_spin.setValue(5)
    assert doc.spec.inputs == 5
    assert doc.network.layer_params(0)["weights"].shape == (5, 8)
    assert doc.undo_stack.count() == 2


def test_delete_key_removes_the_selected_layer(stack, qtbot):
    doc = stack.doc
    doc.select(Selection(layer=1))
    stack.setFocus()
    qtbot.keyClick(stack, Qt.Key.Key_Delete)
    assert [l.activation for l in doc.spec.layers] == ["relu", "sigmoid"]
    assert len(stack.cards()) == 2
    assert doc.selection.layer == 1  # the next layer is selected
    doc.undo_stack.undo()
    assert doc.spec == SPEC


def test_delete_and_duplicate_are_no_ops_without_a_selection(stack):
    stack.delete_selected()
    stack.duplicate_selected()
    assert stack.doc.undo_stack.count() == 0


def test_duplicate_selected(stack):
    doc = stack.doc
    doc.select(Selection(layer=0))
    stack.duplicate_selected()
    assert len(doc.spec.layers) == 4 and doc.spec.layers[1] == doc.spec.layers[0]
    assert doc.selection.layer == 1


def test_context_menu_offers_duplicate_and_delete(stack):
    stack.doc.select(Selection(layer=2))
    menu = stack.context_menu(2)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert [t.replace("&", "") for t in texts] == ["Duplicate Layer", "Delete Layer", "Move Layer Up", "Move Layer Down"]
    assert not stack.actions_["MoveLayerDown"].isEnabled()  # the last layer cannot go further down
    stack.actions_["Delete"].trigger()
    assert len(stack.doc.spec.layers) == 2


def test_selection_goes_both_ways(stack, qtbot):
    doc = stack.doc
    card = stack.card(1)
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(card.width() - 20, 10))
    assert doc.selection == Selection(layer=1)
    assert card.selected and not stack.card(0).selected
    doc.select(Selection(layer=2, neuron=0))  # as the canvas would
    assert stack.card(2).selected and not card.selected
    doc.select(Selection(layer=-1))
    assert stack.input_card.selected


def test_rebuild_keeps_scroll_position(stack, qtbot):
    doc = stack.doc
    from nnviz.ui.model import commands

    for _ in range(12):
        commands.insert_layer(doc, 0, DenseSpec(4))
    stack.resize(320, 300)
    QApplication.processEvents()
    bar = stack.scroll.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    value = bar.value()
    commands.update_layer(doc, 5, DenseSpec(6))
    QApplication.processEvents()
    assert bar.value() == value


def test_dragging_the_grip_starts_a_move_drag(stack, qtbot, monkeypatch):
    from PySide6.QtGui import QDrag

    started = []

    def fake_exec(drag, *args):
        started.append(mime.move_from_mime(drag.mimeData()))
        return Qt.DropAction.IgnoreAction

    monkeypatch.setattr(QDrag, "exec", fake_exec)
    grip = stack.card(2).grip
    qtbot.mousePress(grip, Qt.MouseButton.LeftButton, pos=QPoint(5, 10))
    qtbot.mouseMove(grip, QPoint(5, 40))
    qtbot.mouseRelease(grip, Qt.MouseButton.LeftButton, pos=QPoint(5, 40))
    assert started == [2]
    assert stack.doc.selection.layer == 2


def test_other_edits_do_not_disturb_a_field_being_typed_into(stack, qtbot):
    from nnviz.ui.model import commands

    doc = stack.doc
    spin = stack.card(0).units_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "32")
    commands.update_layer(doc, 2, DenseSpec(1, "linear"))  # e.g. from the inspector
    assert stack.card(0).units_spin is spin
    assert spin.text().startswith("32")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert doc.spec.layers[0].units == 32 and doc.spec.layers[2].activation == "linear"


def test_move_up_and_down_from_the_menu(stack):
    doc = stack.doc
    doc.select(Selection(layer=0))
    menu = stack.context_menu(0)
    assert not stack.actions_["MoveLayerUp"].isEnabled() and stack.actions_["MoveLayerDown"].isEnabled()
    assert stack.actions_["MoveLayerDown"].objectName() == "actionMoveLayerDown"
    stack.actions_["MoveLayerDown"].trigger()
    assert [l.activation for l in doc.spec.layers] == ["tanh", "relu", "sigmoid"]
    assert doc.selection.layer == 1
    menu.deleteLater()


def test_clicking_into_a_cards_field_selects_the_card(stack, qtbot):
    from PySide6.QtWidgets import QLineEdit

    stack.activateWindow()
    qtbot.waitActive(stack)
    edit = stack.card(2).units_spin.findChild(QLineEdit)
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=edit.rect().center())
    assert edit.hasFocus()
    assert stack.doc.selection == Selection(layer=2)
