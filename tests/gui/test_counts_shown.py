"""Counts shown where they are made: a layer's m×n + n on hover and in the inspector, the network's
total as the sum of its layers, 32- and 16-bit memory, and the cost view's what-if comparison."""

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from helpers import make_doc, shown_view
from nnviz.core.spec import DenseSpec, DropoutSpec
from nnviz.ui.canvas import tooltips
from nnviz.ui.editor.inspector import Inspector
from nnviz.ui.editor.inspector.cost_section import NO_HIDDEN
from nnviz.ui.model import commands
from nnviz.ui.model.document import Selection

LAYERS_2441 = (DenseSpec(4, "relu"), DenseSpec(4, "relu"), DenseSpec(1, "sigmoid"))


def plain(label) -> str:
    return label.text().replace("&nbsp;", " ")


@pytest.fixture
def inspector(qtbot):
    widget = Inspector(make_doc(2, *LAYERS_2441))
    qtbot.addWidget(widget)
    widget.resize(340, 1200)
    widget.show()
    return widget


def test_hovering_a_layer_shows_how_its_parameters_are_counted(qtbot):
    view = shown_view(qtbot, make_doc(2, *LAYERS_2441))
    scene = view.scene()
    label = scene.column_item(0).column.label.center()
    text = tooltips.text_at(scene, label)
    assert text.splitlines() == [
        "Layer 1 (Dense · 4 · relu), hidden layer 1 of 2 (more than one makes the network deep): "
        "between the input and the output",
        "parameters: 2×4 weights + 4 biases = 2×4 + 4 = 12",
        "memory: 48 B as float32, 24 B as float16",
        "multiply-adds per sample: 8",
    ]
    out = tooltips.text_at(scene, scene.column_item(2).column.label.center())
    assert "the output layer" in out and "4×1 + 1 = 5" in out
    assert "no parameters" in tooltips.text_at(scene, scene.column_item(-1).column.label.center())

    # the real tooltip event, as hovering the label sends it
    pos = view.mapFromScene(scene.column_item(1).column.label.center())
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    assert QToolTip.isVisible() and "4×4 + 4 = 20" in QToolTip.text()
    QToolTip.hideText()


def test_a_dropout_layer_counts_nothing_on_hover(qtbot):
    view = shown_view(qtbot, make_doc(2, DenseSpec(3, "tanh"), DropoutSpec(0.3), DenseSpec(1, "sigmoid")))
    scene = view.scene()
    text = tooltips.text_at(scene, scene.column_item(1).column.label.center())
    assert "parameters: none" in text and "memory" not in text


def test_the_inspector_shows_the_sum_and_each_layers_formula(inspector):
    section = inspector.layer_section
    summary = plain(section.summary_label)
    assert "2×4+4 + 4×4+4 + 4×1+1 = 37" in summary
    assert "148 B as float32 (32-bit)" in summary and "74 B as float16 (16-bit)" in summary
    assert "28 multiply-adds" in summary
    assert not section.count_label.isVisible()
    inspector.doc.select(Selection(layer=1))
    text = plain(section.count_label)
    assert section.count_label.isVisible()
    assert "4×4 weights + 4 biases: <b>4×4 + 4 = 20</b>" in text
    assert "80 B as float32, 40 B as float16" in text and "16 multiply-adds per sample" in text
    commands.update_layer(inspector.doc, 1, DenseSpec(6, "relu"))
    assert "4×6 + 6 = 30" in plain(section.count_label)


def cost_row(section, name):
    return [label.text() for label in section.cells[name]]


def test_the_cost_view_compares_a_doubled_or_repeated_hidden_layer(inspector):
    cost = inspector.cost_section
    assert cost.isVisible() and not cost.note.isVisible()
    assert cost.layer_combo.currentText() == "Hidden 1 (4 · relu)" and cost.layer_combo.count() == 2
    assert cost_row(cost, "Parameters") == ["37", "65", "+28"]
    assert cost_row(cost, "Memory, 32-bit") == ["148 B", "260 B", "+112 B"]
    assert cost_row(cost, "Memory, 16-bit") == ["74 B", "130 B", "+56 B"]
    assert cost_row(cost, "Multiply-adds") == ["28", "52", "+24"]
    assert cost.formulas.text().splitlines()[:2] == [
        "Parameters now: 2×4+4 + 4×4+4 + 4×1+1 = 37",
        "With Hidden 1 twice as wide: 2×8+8 + 8×4+4 + 4×1+1 = 65",
    ]
    cost.choose(1, "repeat")
    assert cost_row(cost, "Parameters") == ["37", "57", "+20"]
    assert "With Hidden 2 repeated: 2×4+4 + 4×4+4 + 4×4+4 + 4×1+1 = 57" in cost.formulas.text()
    # selecting a hidden layer in the diagram chooses it here
    inspector.doc.select(Selection(layer=0))
    assert cost.chosen_layer() == 0 and cost_row(cost, "Parameters")[1] == "57"  # 2-4-4-4-1 again: same count
    # an edit refreshes the counts at once
    commands.update_layer(inspector.doc, 0, DenseSpec(8, "relu"))
    assert cost_row(cost, "Parameters")[0] == f"{2 * 8 + 8 + 8 * 4 + 4 + 4 * 1 + 1}"


def test_without_a_hidden_layer_the_cost_view_says_what_to_do(qtbot):
    widget = Inspector(make_doc(2, DenseSpec(1, "sigmoid")))
    qtbot.addWidget(widget)
    widget.show()
    cost = widget.cost_section
    assert cost.note.isVisible() and cost.note.text() == NO_HIDDEN
    assert not cost.choice.isVisible()
    assert cost_row(cost, "Parameters") == ["3", "", ""]
    commands.insert_layer(widget.doc, 0, DenseSpec(2, "tanh"))
    assert not cost.note.isVisible() and cost_row(cost, "Parameters") == ["9", "17", "+8"]


def test_a_single_hidden_layer_is_named_as_such(qtbot):
    view = shown_view(qtbot, make_doc(2, DenseSpec(2, "sigmoid"), DenseSpec(1, "sigmoid")))
    text = tooltips.text_at(view.scene(), view.scene().column_item(0).column.label.center())
    assert text.startswith("Layer 1 (Dense · 2 · sigmoid), the only hidden layer: between the input and the output")
    assert "deep" not in text and "2×2 + 2 = 6" in text
