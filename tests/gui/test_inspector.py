"""The inspector: layer settings, a neuron's bias and weights, and the probe input."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from nnviz.core.fileformat import NetworkFile
from nnviz.core.numbers import fixed
from nnviz.core.spec import BatchNormSpec, DenseSpec, DropoutSpec, NetworkSpec
from nnviz.core.datasets import Standardization
from nnviz.ui.model import commands
from nnviz.ui.model.document import Document, Selection
from nnviz.ui.editor.inspector import PROBE_TABLE_ABOVE, Inspector
from nnviz.core.project import Project
from nnviz.core.shipped import example_path

SPEC = NetworkSpec(2, (DenseSpec(8, "relu"), DenseSpec(8, "tanh"), DenseSpec(1, "sigmoid")), name="2-8-8-1")


def _doc(spec=SPEC):
    return Document(Project.from_file(NetworkFile(spec=spec, params=[None] * len(spec.layers))))


@pytest.fixture
def inspector(qtbot):
    widget = Inspector(_doc())
    qtbot.addWidget(widget)
    widget.resize(340, 800)
    widget.show()
    return widget


def test_nothing_selected_shows_the_network_summary(inspector):
    assert inspector.layer_section.pages.currentWidget() is inspector.layer_section.page_none
    assert "105 trainable parameters" in inspector.layer_section.summary_label.text()  # 24 + 72 + 9
    assert not inspector.neuron_section.isVisible()


def test_layer_settings_are_shown_and_edited_through_commands(inspector):
    doc = inspector.doc
    doc.select(Selection(layer=1))
    assert inspector.layer_section.pages.currentWidget() is inspector.layer_section.page_dense
    assert inspector.layer_section.units_spin.value() == 8
    assert inspector.layer_section.activation_combo.currentData() == "tanh"
    assert "72 parameters" in inspector.layer_section.subtitle_label.text()
    inspector.layer_section.units_spin.setValue(5)
    assert doc.spec.layers[1].units == 5
    inspector.layer_section.activation_combo.activated.emit(inspector.layer_section.activation_combo.findData("gelu"))
    assert doc.spec.layers[1].activation == "gelu"
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.spec == SPEC
    assert inspector.layer_section.units_spin.value() == 8


def test_choosing_an_initialiser_redraws_the_weights_undoably(inspector):
    doc = inspector.doc
    doc.select(Selection(layer=0))
    before = doc.network.layer_params(0)["weights"].copy()
    other = doc.network.layer_params(1)["weights"].copy()
    inspector.layer_section.init_combo.activated.emit(inspector.layer_section.init_combo.findData("zeros"))
    assert doc.spec.layers[0].initializer == "zeros"
    assert not doc.network.layer_params(0)["weights"].any()
    np.testing.assert_array_equal(doc.network.layer_params(1)["weights"], other)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    np.testing.assert_array_equal(doc.network.layer_params(0)["weights"], before)


def test_dropout_and_batchnorm_settings(qtbot):
    doc = _doc(NetworkSpec(3, (DenseSpec(4), DropoutSpec(0.5), BatchNormSpec(), DenseSpec(1, "sigmoid"))))
    widget = Inspector(doc)
    qtbot.addWidget(widget)
    doc.select(Selection(layer=1))
    assert widget.layer_section.pages.currentWidget() is widget.layer_section.page_dropout
    widget.layer_section.rate_spin.setValue(0.3)
    assert doc.spec.layers[1].rate == pytest.approx(0.3)
    doc.select(Selection(layer=2))
    assert widget.layer_section.pages.currentWidget() is widget.layer_section.page_batchnorm
    assert widget.layer_section.eps_spin.text() == "1e-05"
    widget.layer_section.momentum_spin.setValue(0.2)
    assert doc.spec.layers[2].momentum == pytest.approx(0.2)
    doc.select(Selection(layer=2, neuron=1))
    widget.neuron_section.gamma_spin.setValue(2.0)
    assert doc.network.layer_params(2)["gamma"][1] == 2.0


def test_neuron_shows_bias_weights_and_arithmetic(inspector):
    doc = inspector.doc
    doc.select(Selection(layer=1, neuron=3))
    assert inspector.neuron_section.isVisible()
    params = doc.network.layer_params(1)
    model = inspector.neuron_section.weights_model
    assert model.rowCount() == 8
    for r in range(8):
        assert model.data(model.index(r, 1), Qt.ItemDataRole.EditRole) == pytest.approx(float(params["weights"][r, 3]))
    assert inspector.neuron_section.bias_spin.value() == pytest.approx(float(params["bias"][3]))
    z = float(doc.trace()[1]["z"][0, 3])
    a = float(doc.trace()[1]["a"][0, 3])
    assert f"{z:.4f}" in inspector.neuron_section.sum_label.text()
    act_text = inspector.neuron_section.activation_label.text()
    assert f"{a:.4f}" in act_text and "tanh" in act_text
    # the input column is what arrives from layer 1 for the probe
    x = doc.trace()[0]["a"][0]
    assert [model.data(model.index(r, 2)) for r in range(8)] == [fixed(v) for v in x]


def test_editing_a_weight_cell_changes_the_network_and_is_undoable(inspector, qtbot):
    doc = inspector.doc
    doc.select(Selection(layer=1, neuron=3))
    old = float(doc.network.layer_params(1)["weights"][2, 3])
    table = inspector.neuron_section.weights_table
    index = inspector.neuron_section.weights_model.index(2, 1)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == f"{old:.6g}"
    editor.setText("0.625")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event-loop pass
    qtbot.waitUntil(lambda: doc.undo_stack.count() == 1, timeout=1000)
    assert doc.network.layer_params(1)["weights"][2, 3] == pytest.approx(0.625)
    assert inspector.neuron_section.weights_model.data(index) == "0.6250"
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.network.layer_params(1)["weights"][2, 3] == pytest.approx(old)
    assert inspector.neuron_section.weights_model.data(index, Qt.ItemDataRole.EditRole) == pytest.approx(old)


def test_editing_the_bias(inspector):
    doc = inspector.doc
    doc.select(Selection(layer=2, neuron=0))
    inspector.neuron_section.bias_spin.setValue(1.5)
    assert doc.network.layer_params(2)["bias"][0] == pytest.approx(1.5)
    doc.undo_stack.undo()
    assert doc.network.layer_params(2)["bias"][0] == 0


def test_probe_fields_set_the_probe(inspector):
    doc = inspector.doc
    assert len(inspector.probe_section.probe_spins) == 2
    inspector.probe_section.probe_spins[1].setValue(-0.5)
    np.testing.assert_array_equal(doc.probe, [1.0, -0.5])
    inspector.probe_section.all_zeros_button.click()
    np.testing.assert_array_equal(doc.probe, [0.0, 0.0])
    assert inspector.probe_section.probe_spins[1].value() == 0
    inspector.probe_section.all_ones_button.click()
    np.testing.assert_array_equal(doc.probe, [1.0, 1.0])
    inspector.probe_section.random_button.click()
    assert doc.probe.shape == (2,) and not np.array_equal(doc.probe, [1.0, 1.0])
    assert "Output" in inspector.probe_section.output_label.text()


def test_probe_change_updates_the_neuron(inspector):
    doc = inspector.doc
    doc.select(Selection(layer=0, neuron=0))
    commands.set_probe(doc, np.array([0.0, 0.0]))
    b = float(doc.network.layer_params(0)["bias"][0])
    assert inspector.neuron_section.weights_model.data(inspector.neuron_section.weights_model.index(0, 2)) == "0.0000"
    assert f"= {b:.4f}" in inspector.neuron_section.sum_label.text().replace("0.0000 + ", "")


def test_many_inputs_use_a_compact_table(qtbot):
    doc = _doc(NetworkSpec(PROBE_TABLE_ABOVE + 4, (DenseSpec(3), DenseSpec(2, "softmax"))))
    widget = Inspector(doc)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.probe_section.probe_table.isVisible() and not widget.probe_section.probe_spins
    model = widget.probe_section.probe_model
    assert model.rowCount() == PROBE_TABLE_ABOVE + 4
    model.setData(model.index(5, 1), 2.5)
    assert doc.probe[5] == 2.5
    assert "class" in widget.probe_section.output_label.text()


def test_selection_beyond_the_layer_is_ignored(inspector):
    doc = inspector.doc
    doc.select(Selection(layer=2, neuron=7))  # the output layer has one unit
    assert not inspector.neuron_section.isVisible()


def test_redraw_button_draws_new_weights_for_that_layer_only(inspector):
    doc = inspector.doc
    doc.select(Selection(layer=1))
    before = [doc.network.layer_params(i)["weights"].copy() for i in range(3)]
    inspector.layer_section.redraw_button.click()
    after = [doc.network.layer_params(i)["weights"] for i in range(3)]
    assert not np.array_equal(after[1], before[1])
    np.testing.assert_array_equal(after[0], before[0])
    np.testing.assert_array_equal(after[2], before[2])
    assert doc.spec == SPEC and doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    np.testing.assert_array_equal(doc.network.layer_params(1)["weights"], before[1])


def test_every_probe_edit_goes_through_the_command(qtbot, monkeypatch):
    calls = []
    set_probe = commands.set_probe
    monkeypatch.setattr(commands, "set_probe", lambda doc, values: (calls.append(list(values)), set_probe(doc, values)))
    for n in (2, PROBE_TABLE_ABOVE + 1):  # one field per input, then the compact table
        doc = _doc(NetworkSpec(n, (DenseSpec(3), DenseSpec(1, "sigmoid"))))
        widget = Inspector(doc)
        qtbot.addWidget(widget)
        probe = widget.probe_section
        calls.clear()
        if probe.probe_spins:
            probe.probe_spins[1].setValue(-0.5)
        else:
            probe.probe_model.setData(probe.probe_model.index(1, 1), -0.5)
        assert doc.probe[1] == -0.5
        probe.all_zeros_button.click()
        probe.all_ones_button.click()
        probe.random_button.click()
        assert len(calls) == 4 and calls[1] == [0.0] * n and calls[2] == [1.0] * n


def test_the_neuron_shows_the_probe_as_the_network_sees_it(inspector):
    doc = inspector.doc
    doc.restore({"standardization": Standardization(mean=np.array([1.0, -2.0]), std=np.array([2.0, 4.0]))})
    commands.set_probe(doc, np.array([3.0, 2.0]))  # standardised: (1, 1)
    doc.select(Selection(layer=-1, neuron=1))
    neuron = inspector.neuron_section
    assert "value   = 2.0000" in neuron.sum_label.text()
    assert neuron.activation_label.text() == "standardised = 1.0000"
    assert "standardised" in inspector.layer_section.about_label.text()
    doc.select(Selection(layer=0, neuron=0))
    model = neuron.weights_model
    assert [model.data(model.index(r, 2)) for r in range(2)] == ["1.0000", "1.0000"]


def test_the_output_follows_new_weights(inspector):
    doc = inspector.doc
    before = inspector.probe_section.output_label.text()
    commands.set_parameter(doc, 2, "bias", (0,), 5.0)  # the output unit: sigmoid(z + 5)
    a = float(doc.trace()[-1]["a"][0, 0])
    assert inspector.probe_section.output_label.text() != before and fixed(a) in inspector.probe_section.output_label.text()


def test_renamed_inputs_show_in_the_probe_and_the_weights(inspector):
    doc = inspector.doc
    doc.select(Selection(layer=0, neuron=0))
    doc.restore({"input_names": ["height", "weight"]})
    probe = inspector.probe_section
    assert [probe.probe_grid.itemAtPosition(k, 0).widget().text() for k in range(2)] == ["height", "weight"]
    model = inspector.neuron_section.weights_model
    assert [model.data(model.index(r, 0)) for r in range(2)] == ["height", "weight"]


def _shown_output(inspector) -> float:
    """The number after "Output" in the probe section (one output unit)."""
    import re

    text = re.sub(r"<[^>]+>|&nbsp;", " ", inspector.probe_section.output_label.text())
    return float(re.search(r"Output\s+(-?\d+\.\d+)", text).group(1))


def _shown_activation(inspector) -> float:
    """The number the neuron section gives as the selected unit's activation ("a = sigmoid(z) = 0.6289")."""
    return float(inspector.neuron_section.activation_label.text().rsplit("=", 1)[1])


def test_the_probe_and_the_output_neuron_agree_after_a_weight_edit(inspector, qtbot):
    doc = inspector.doc
    doc.restore({"standardization": Standardization(mean=np.array([1.0, -2.0]), std=np.array([2.0, 4.0]))})
    commands.set_probe(doc, np.array([3.0, 6.0]))
    doc.select(Selection(layer=2, neuron=0))  # the output unit
    before = _shown_output(inspector)
    assert _shown_activation(inspector) == before
    table = inspector.neuron_section.weights_table
    index = inspector.neuron_section.weights_model.index(0, 1)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.viewport().findChild(QLineEdit)
    editor.setText("4.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: doc.undo_stack.count() == 2, timeout=1000)
    after = _shown_output(inspector)
    assert after != before  # the edit changed the answer, and both show the new one
    assert _shown_activation(inspector) == after
    assert fixed(float(doc.trace()[-1]["a"][0, 0])) == f"{after:.4f}"


def test_a_new_standardisation_while_the_inspector_is_hidden_reaches_both_sections(qtbot):
    from PySide6.QtWidgets import QLabel, QTabWidget

    doc = _doc()
    tabs = QTabWidget()  # the window tabs the inspector with the training panel
    qtbot.addWidget(tabs)
    inspector = Inspector(doc)
    tabs.addTab(QLabel("training"), "Training")
    tabs.addTab(inspector, "Inspector")
    tabs.resize(360, 800)
    tabs.show()
    tabs.setCurrentIndex(1)
    doc.select(Selection(layer=2, neuron=0))
    start = _shown_output(inspector)
    assert _shown_activation(inspector) == start
    tabs.setCurrentIndex(0)  # training starts on standardised data while the training tab is on top
    doc.restore({"standardization": Standardization(mean=np.array([3.0, -2.0]), std=np.array([0.5, 2.0]))})
    tabs.setCurrentIndex(1)
    assert _shown_output(inspector) != start
    assert _shown_activation(inspector) == _shown_output(inspector)


def _settle(qapp):
    """Let every pending layout request reach the window (a dock's new minimum width resizes it then)."""
    for _ in range(3):
        qapp.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        qapp.processEvents()


@pytest.mark.parametrize("name", ["tutorial_2-2-1_sigmoid_xor", "iris_4-8-3_softmax", "spiral_deep_tanh",
                                  "vanishing_gradients_8_sigmoid"])
def test_no_selection_widens_the_inspector_or_the_window(window, qtbot, qapp, name):
    # A network's long name in the inspector's title did not wrap: showing the network (nothing selected)
    # raised the dock's minimum width past 500 px, and the window grew wider than a 1366×768 screen.
    window.resize(1366, 768)
    window.reset_layout()
    dock = window.docks["Inspector"]
    dock.raise_()
    assert window.open_file(example_path(name), ask=False, remember=False)
    doc, spec = window.doc, window.doc.spec
    selections = [Selection(), Selection(layer=-1)]
    for layer in range(-1, len(spec.layers)):
        selections += [Selection(layer=layer), Selection(layer=layer, neuron=spec.widths()[layer + 1] - 1),
                       Selection()]
    for selection in selections:
        doc.select(selection)
        _settle(qapp)
        assert window.width() == 1366, selection
        assert dock.minimumSizeHint().width() <= 320, selection
    # Nothing was cut: the whole name is in the title (or its tooltip).
    doc.select(Selection())
    title = window.inspector.layer_section.title_label
    assert doc.spec.name in (title.text(), title.toolTip())


def test_a_name_too_long_for_a_line_is_shortened_with_the_whole_of_it_in_the_tooltip(qtbot):
    name = "a_network_name_with_no_space_in_it_to_wrap_at and <b>more</b>"
    widget = Inspector(_doc(NetworkSpec(2, (DenseSpec(1, "sigmoid"),), name=name)))
    qtbot.addWidget(widget)
    widget.resize(300, 600)
    widget.show()
    title = widget.layer_section.title_label
    qtbot.waitUntil(lambda: title.toolTip() == name)
    assert widget.minimumSizeHint().width() <= 320
    assert title.text() == name and "…" in QLabel.text(title)
    widget.resize(900, 600)
    qtbot.waitUntil(lambda: QLabel.text(title) == name and title.toolTip() == "")
