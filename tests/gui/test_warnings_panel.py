"""The warnings panel: live lint results, click to select the layer."""

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTabBar

from nnviz.core.fileformat import NetworkFile
from nnviz.core.spec import DenseSpec, NetworkSpec
from nnviz.ui.model import commands
from nnviz.ui.model.document import Document, Selection
from nnviz.ui.editor.warnings_panel import WarningsPanel
from nnviz.ui.main_window import example_files
from nnviz.core.project import DatasetRecord, Project

HIDDEN_SOFTMAX = NetworkSpec(2, (DenseSpec(8, "relu"), DenseSpec(6, "softmax"), DenseSpec(1, "sigmoid")))
CLEAN = NetworkSpec(2, (DenseSpec(8, "relu"), DenseSpec(8, "relu"), DenseSpec(1, "sigmoid")))


def _panel(qtbot, spec):
    doc = Document(Project.from_file(NetworkFile(spec=spec, params=[None] * len(spec.layers))))
    panel = WarningsPanel(doc)
    qtbot.addWidget(panel)
    panel.resize(320, 300)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_hidden_softmax_is_listed_and_clicking_selects_the_layer(qtbot):
    panel = _panel(qtbot, HIDDEN_SOFTMAX)
    assert [w.code for w in panel.warnings()] == ["softmax-hidden"]
    row = panel.rows()[0]
    assert row.isVisible()
    assert "Layer 2" in row.heading.text()
    assert "Softmax on a hidden layer" in row.message.text()
    assert row.message.wordWrap()
    assert not panel.empty.isVisible()
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton, pos=QPoint(20, 10))
    assert panel.doc.selection == Selection(layer=1)
    assert row.highlighted


def test_clean_network_says_so(qtbot):
    panel = _panel(qtbot, CLEAN)
    assert panel.count() == 0 and panel.rows() == []
    assert panel.empty.isVisible()
    assert panel.empty_label.text() == "No design warnings"


def test_warnings_follow_edits_and_count_is_signalled(qtbot):
    panel = _panel(qtbot, CLEAN)
    doc = panel.doc
    with qtbot.waitSignal(panel.count_changed) as changed:
        commands.update_layer(doc, 0, DenseSpec(8, "softmax"))
    assert changed.args == [1]
    assert panel.rows()[0].warning.layer == 0 and not panel.empty.isVisible()
    with qtbot.waitSignal(panel.count_changed) as changed:
        doc.undo_stack.undo()
    assert changed.args == [0]
    assert panel.empty.isVisible()


def test_rows_are_rebuilt_only_when_warnings_change(qtbot):
    panel = _panel(qtbot, HIDDEN_SOFTMAX)
    row = panel.rows()[0]
    commands.set_parameter(panel.doc, 0, "bias", (0,), 0.5)  # params_changed: same warnings
    assert panel.rows()[0] is row


def test_message_wraps_to_the_panel_width(qtbot):
    panel = _panel(qtbot, HIDDEN_SOFTMAX)
    row = panel.rows()[0]
    assert row.geometry().right() <= panel.scroll.viewport().width()
    tall = row.height()
    panel.resize(700, 300)
    qtbot.wait(10)
    assert row.height() < tall  # fewer lines when wider, and no stray gap


def test_count_is_announced_after_construction(qtbot):
    doc = Document(Project.from_file(NetworkFile(spec=HIDDEN_SOFTMAX, params=[None] * 3)))
    panel = WarningsPanel(doc)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.count_changed, timeout=1000) as changed:
        pass  # connected after construction, as the main window does
    assert changed.args == [1]


# -- live: the loss, the data and the weights ----------------------------------------------


def _panel_on(qtbot, spec, dataset=None, standardize=True):
    """A panel on a document whose network is ``spec``, training on the named dataset (if any)."""
    panel = _panel(qtbot, spec)
    if dataset is not None:
        record = DatasetRecord.from_argument(dataset, standardize=standardize)
        commands.set_dataset(panel.doc, record, record.load())
    return panel


def codes(panel):
    return [w.code for w in panel.warnings()]


def test_switching_the_loss_to_categorical_cross_entropy_and_back(qtbot):
    # The reported bug: the warning came only with the next layer edit, and stayed after switching back.
    panel = _panel_on(qtbot, CLEAN, "circle")
    doc = panel.doc
    assert codes(panel) == []
    with qtbot.waitSignal(panel.count_changed) as changed:
        commands.set_training(doc, replace(doc.training, loss="cce"))
    assert changed.args == [1] and codes(panel) == ["output-mismatch"]
    assert "Categorical cross-entropy needs a softmax output" in panel.rows()[0].message.text()
    with qtbot.waitSignal(panel.count_changed) as changed:
        commands.set_training(doc, replace(doc.training, loss="auto"))
    assert changed.args == [0] and panel.empty.isVisible()


def test_choosing_other_data_lints_again(qtbot):
    iris_net = NetworkSpec(4, (DenseSpec(8, "tanh"), DenseSpec(3, "softmax")))
    panel = _panel_on(qtbot, iris_net, "iris")
    assert codes(panel) == []
    raw = DatasetRecord.from_argument("iris", standardize=False)
    with qtbot.waitSignal(panel.count_changed) as changed:
        commands.set_dataset(panel.doc, raw, raw.load())  # the same table, not standardised
    assert changed.args == [1] and codes(panel) == ["unscaled-inputs"]
    assert panel.rows()[0].heading.text().startswith("<b>Inputs</b>")
    panel.doc.undo_stack.undo()
    assert codes(panel) == []


def test_the_validation_split_changes_the_rows_counted(qtbot):
    # 2×30+30 + 30×1+1 = 121 parameters: more than 10 per row once only 12 of 500 rows train.
    panel = _panel_on(qtbot, NetworkSpec(2, (DenseSpec(30, "tanh"), DenseSpec(1, "sigmoid"))), "xor")
    doc = panel.doc
    commands.set_training(doc, replace(doc.training, val_split=0.9))
    assert codes(panel) == []  # 50 rows
    panel.doc.show_data(panel.doc.data.subset(np.arange(120)))  # fewer rows loaded: 12 train
    assert codes(panel) == ["too-many-params"]
    assert "12 training rows" in panel.rows()[0].message.text()


def test_weights_that_kill_relu_units_are_reported_soon_after(qtbot):
    panel = _panel_on(qtbot, CLEAN, "circle")
    doc = panel.doc
    for unit in range(3):  # three edits in a row: one lint after them
        commands.set_parameter(doc, 0, "bias", (unit,), -100.0)
    qtbot.waitUntil(lambda: codes(panel) == ["dead-relu"], timeout=3000)
    assert panel.rows()[0].message.text().startswith("3 of 8 ReLU units never fire")
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: panel.warnings() and panel.rows()[0].message.text().startswith("2 of 8"), timeout=3000)


# -- in the window: opened wide enough to read -------------------------------------------------


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_warnings_open_wide_enough_to_read_and_the_window_keeps_its_width(window, qtbot, size):
    # The reported bug: a column of its own beside the boundary, 60-120 px wide, one word a line.
    window.resize(*size)
    window.reset_layout()
    qtbot.waitUntil(lambda: window.plots is not None)
    example = next(p for p in example_files() if p.stem == "vanishing_gradients_8_sigmoid")
    assert window.open_file(example, ask=False, remember=False)
    dock, button, show = window.docks["Warnings"], window.warnings_button, window.actions_["ShowWarnings"]
    assert not dock.isVisible() and button.isVisible() and show in window.view_menu.actions()
    assert show.text() == "Show Design warnings"  # not the dock's title, "Design warnings (1)"
    width = window.width()

    def readable():  # in front, as wide as a row of the panel's text needs, the layer cards still in sight
        return (dock.isVisible() and not dock.visibleRegion().isEmpty() and dock.width() >= 250
                and window.warnings.rows()[0].message.width() >= 220
                and not window.docks["Layers"].visibleRegion().isEmpty())

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the status bar's count
    qtbot.waitUntil(readable, timeout=3000)
    assert window.width() == width
    dock.close()
    assert not show.isChecked()
    show.trigger()  # View ▸ Show Design warnings
    assert show.isChecked()
    qtbot.waitUntil(readable, timeout=3000)
    assert window.width() == width
    # Put away again by Reset Layout, leaving no tab bar of its own behind.
    window.reset_layout()
    assert not dock.isVisible()

    def bars():  # (Qt keeps a bar it no longer uses, empty and moved out of sight)
        return [[bar.tabText(i) for i in range(bar.count())] for bar in window.findChildren(QTabBar)
                if bar.isVisible() and bar.parent() is window and bar.count()]

    qtbot.waitUntil(lambda: bars() == [["Network layers", "Inspector"]], timeout=3000)
