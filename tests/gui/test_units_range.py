"""A units value outside what a layer allows explains itself instead of silently reverting."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolTip

from nnviz.core.fileformat import NetworkFile
from nnviz.core.project import Project
from nnviz.core.spec import MAX_UNITS, DenseSpec, NetworkSpec
from nnviz.ui.editor.layer_stack import LayerStack
from nnviz.ui.model.document import Document

SPEC = NetworkSpec(2, (DenseSpec(8, "relu"), DenseSpec(1, "sigmoid")))
MESSAGE = f"A layer needs 1 to {MAX_UNITS:,} units."


@pytest.fixture
def stack(qtbot):
    doc = Document(Project.from_file(NetworkFile(spec=SPEC, params=[None] * 2)))
    widget = LayerStack(doc)
    qtbot.addWidget(widget)
    widget.resize(320, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_units(qtbot, spin, text):
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


@pytest.mark.parametrize("typed", ["0", "1000000000"])
def test_out_of_range_units_say_the_allowed_range(stack, qtbot, typed):
    spin = stack.card(0).units_spin
    said = []
    spin.range_refused.connect(said.append)
    type_units(qtbot, spin, typed)
    assert said == [MESSAGE]
    assert QToolTip.isVisible() and QToolTip.text() == MESSAGE  # beside the field
    assert stack.doc.spec.layers[0].units == 8 and spin.value() == 8  # the layer kept its width
    assert stack.doc.undo_stack.count() == 0


def test_a_good_value_says_nothing(stack, qtbot):
    spin = stack.card(0).units_spin
    said = []
    spin.range_refused.connect(said.append)
    type_units(qtbot, spin, "12")
    assert said == [] and stack.doc.spec.layers[0].units == 12


def test_the_inputs_field_speaks_of_features(stack, qtbot):
    spin = stack.input_card.inputs_spin
    said = []
    spin.range_refused.connect(said.append)
    type_units(qtbot, spin, "0")
    assert said == [f"The network takes 1 to {MAX_UNITS:,} input features."]
    assert stack.doc.spec.inputs == 2


def test_the_main_windows_status_bar_says_it_too(window, qtbot):
    spin = window.findChild(LayerStack).card(0).units_spin
    type_units(qtbot, spin, "0")
    assert window.statusBar().currentMessage() == MESSAGE
