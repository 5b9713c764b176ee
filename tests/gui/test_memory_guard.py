"""A network too big for memory: the edit is refused with its size, and the units boxes, the inspector and
the document keep agreeing; the decision boundary and the neuron heatmaps of a very wide layer never
hold gigabytes."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from nnviz.core.datasets import make_toy
from nnviz.core.fileformat import NetworkFile
from nnviz.core.project import DatasetRecord, Project
from nnviz.core.spec import DenseSpec, NetworkSpec
from nnviz.ui.canvas import heatmaps
from nnviz.ui.editor.inspector.inspector import Inspector
from nnviz.ui.editor.layer_stack import LayerStack
from nnviz.ui.model import commands
from nnviz.ui.model.document import Document, Selection
from nnviz.ui.training.boundary import BoundaryView

SPEC = NetworkSpec(2, (DenseSpec(8, "relu"), DenseSpec(8, "relu"), DenseSpec(1, "sigmoid")))


def make_doc(spec=SPEC):
    return Document(Project.from_file(NetworkFile(spec=spec, params=[None] * len(spec.layers))))


def type_units(qtbot, spin, text):
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


@pytest.fixture
def stack(qtbot):
    widget = LayerStack(make_doc())
    qtbot.addWidget(widget)
    widget.resize(320, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_typing_100000_into_two_layers_refuses_the_second_and_the_boxes_agree(stack, qtbot):
    doc = stack.doc
    refused = []
    doc.edit_refused.connect(refused.append)
    type_units(qtbot, stack.card(0).units_spin, "100000")
    assert refused == [] and doc.spec.layers[0].units == 100_000  # 2·10^5 + 8·10^5 weights: fine
    params_before = doc.network.copy_params()

    type_units(qtbot, stack.card(1).units_spin, "100000")  # 10^10 weights: 37 GB
    assert len(refused) == 1
    assert "GB" in refused[0] and "layer 2 (100,000 units)" in refused[0] and "unchanged" in refused[0]
    assert [layer.units for layer in doc.spec.layers] == [100_000, 8, 1]  # the document kept its network
    assert doc.network.params.size == params_before[0]["weights"].size + 100_000 + 100_000 * 8 + 8 + 9
    assert stack.card(0).units_spin.value() == 100_000
    assert stack.card(1).units_spin.value() == 8  # the box says what the document holds
    assert doc.undo_stack.count() == 1  # only the edit that was made


def test_the_window_says_why_in_a_box_and_the_status_bar(window, qtbot):
    stack = window.findChild(LayerStack)
    commands.update_layer(window.doc, 0, DenseSpec(100_000, "relu"))
    spin = stack.card(1).units_spin
    type_units(qtbot, spin, "100000")
    box = window.memory_box
    assert box is not None and box.isVisible()
    assert box.icon() == QMessageBox.Icon.Warning and "GB" in box.text() and "layer 2" in box.text()
    assert "GB" in window.statusBar().currentMessage()
    assert spin.value() == window.doc.spec.layers[1].units
    box.accept()


def test_the_inspector_puts_back_the_value_typed_into_it(qtbot):
    doc = make_doc(NetworkSpec(2, (DenseSpec(100_000, "relu"), DenseSpec(8, "relu"), DenseSpec(1, "sigmoid"))))
    inspector = Inspector(doc)
    qtbot.addWidget(inspector)
    inspector.show()
    inspector.activateWindow()
    qtbot.waitActive(inspector)
    doc.select(Selection(layer=1))
    spin = inspector.layer_section.units_spin
    refused = []
    doc.edit_refused.connect(refused.append)
    type_units(qtbot, spin, "100000")
    assert refused and doc.spec.layers[1].units == 8
    assert spin.value() == 8


def test_a_budget_set_low_refuses_a_duplicate_and_keeps_the_selection(stack, monkeypatch):
    doc = stack.doc
    doc.select(Selection(layer=2))
    monkeypatch.setenv("NNVIZ_MEMORY_BUDGET", "600")  # bytes: the 3-layer network fits, a fourth layer does not
    refused = []
    doc.edit_refused.connect(refused.append)
    stack.duplicate_selected()
    assert refused and len(doc.spec.layers) == 3
    assert doc.selection == Selection(layer=2)


def wide_doc(units):
    spec = NetworkSpec(2, (DenseSpec(units, "relu"), DenseSpec(1, "sigmoid")))
    doc = make_doc(spec)
    data = make_toy("circle", 200, 0.0, 0)
    commands.set_dataset(doc, DatasetRecord("circle"), data)
    return doc


def test_the_boundary_of_a_network_too_costly_to_draw_live_is_a_note(qtbot):
    doc = wide_doc(8)
    commands.update_layer(doc, 0, DenseSpec(5000, "relu"))
    commands.insert_layer(doc, 1, DenseSpec(5000, "relu"))  # one picture: 2.5·10^11 multiply-adds
    view = BoundaryView(doc)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.grid_output() is None
    assert view.note.isVisible() and "too large" in view.note.text() and "multiply-adds" in view.note.text()


def test_a_layer_too_wide_to_draw_live_is_a_note(qtbot):
    doc = wide_doc(100_000)  # 10^9 activations a picture (7.5 GB in one pass: the 7.9 GB and 9 s)
    view = BoundaryView(doc)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.grid_output() is None and view.note.isVisible() and "too large" in view.note.text()


def test_a_wide_layer_is_drawn_a_chunk_at_a_time(qtbot):
    import tracemalloc

    doc = wide_doc(20_000)  # 10^4 grid points: 1.5 GB of activations in one pass; chunks hold 32 MB
    view = BoundaryView(doc)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    tracemalloc.start()
    try:
        view.redraw()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert view.grid_output() is not None and view.grid_output().shape == (100, 100)
    assert not view.note.isVisible()
    assert peak < 256 * 1024**2


def test_neuron_heatmaps_of_a_very_wide_layer_are_left_out():
    assert heatmaps.applies(wide_doc(8))
    doc = wide_doc(100_000)  # 576 points × 10^5 units, twice: 460 MB per refresh
    assert not heatmaps.applies(doc)
    assert heatmaps.compute(doc) is None


def open_new_dialog(window, qtbot):
    from nnviz.ui.io.new_dialog import NewNetworkDialog

    window.actions_["New"].trigger()
    qtbot.waitUntil(lambda: isinstance(getattr(window, "new_dialog", None), NewNetworkDialog)
                    and window.new_dialog.isVisible())
    return window.new_dialog


def test_the_new_dialog_says_why_999999999_outputs_is_not_taken(window, qtbot):
    dialog = open_new_dialog(window, qtbot)
    said = []
    dialog.outputs_spin.range_refused.connect(said.append)
    type_units(qtbot, dialog.outputs_spin, "999999999")
    assert said == ["The network takes 1 to 100,000 outputs."]
    assert dialog.outputs_spin.value() == 1  # kept, not silently 100,000
    dialog.reject()


def test_a_new_network_too_big_is_refused_and_the_open_one_kept(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QDialogButtonBox

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    spec_before = window.doc.spec
    dialog = open_new_dialog(window, qtbot)
    dialog.inputs_spin.setValue(100_000)
    dialog.outputs_spin.setValue(100_000)  # 10^10 weights
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown))
    assert "GB" in shown[0] and "layer 1 (100,000 units)" in shown[0]
    assert window.doc.spec == spec_before


def test_a_run_too_big_for_memory_is_refused_before_it_starts(qtbot, session, monkeypatch):
    from nnviz.core import memory
    from nnviz.ui.training.controller import TrainingController
    from nnviz.ui.training.panel import TrainingPanel

    spec = NetworkSpec(2, (DenseSpec(1000, "relu"), DenseSpec(1000, "relu"), DenseSpec(1, "sigmoid")))
    doc = wide_doc(8)
    commands.update_layer(doc, 0, DenseSpec(1000, "relu"))
    commands.insert_layer(doc, 1, DenseSpec(1000, "relu"))
    assert doc.spec == spec
    panel = TrainingPanel(doc, TrainingController(doc, session))
    qtbot.addWidget(panel)
    panel.show()
    said = []
    panel.controller.sig_problem.connect(lambda title, message, error: said.append((title, message)))
    # Room for the network the document already holds, not for a run's copies and Adam's buffers.
    monkeypatch.setenv(memory.ENV_BUDGET, str(memory.estimate(spec, copies=commands.EDIT_COPIES).total))
    history = len(doc.history)
    panel.actionTrain.trigger()
    assert said and said[0][0] == "Not enough memory to train" and "MB" in said[0][1]
    assert not session.is_running and len(doc.history) == history
    assert panel.notice.isVisibleTo(panel) and "memory" in panel.notice.text()
    panel.controller.shutdown()


def test_the_large_heatmap_stays_within_the_trace_budget():
    from nnviz.core.spec import DropoutSpec

    # Cheap in multiply-adds (dropout columns cost none), wide in activations: the multiply-add budget
    # alone would give the hover's large picture an 89 x 89 grid, whose trace compute() leaves out.
    spec = NetworkSpec(2, (DenseSpec(500, "relu"),) + (DropoutSpec(0.1),) * 10 + (DenseSpec(1, "sigmoid"),))
    doc = make_doc(spec)
    commands.set_dataset(doc, DatasetRecord("circle"), make_toy("circle", 200, 0.0, 0))
    assert heatmaps.applies(doc)
    n = heatmaps.large_grid(doc)
    assert heatmaps.GRID < n < 89
    assert heatmaps.compute(doc, n) is not None  # the popup has its picture


def test_a_figure_says_why_a_very_wide_network_has_no_pictures():
    from nnviz.core.figure import FigureStyle
    from nnviz.ui.io.export import make_figure

    figure = make_figure(wide_doc(100_000), FigureStyle(heatmaps=True))
    assert not figure.images
    assert not any("its activation over the input plane" in t.text for t in figure.texts_of("legend"))
    assert any("too wide to trace" in note for note in figure.notes)
    figure = make_figure(wide_doc(8), FigureStyle(heatmaps=True))
    assert figure.images and not figure.notes
