"""The warnings panel: live lint results, click to select the layer."""

from PySide6.QtCore import QPoint, Qt

from nnviz.core.fileformat import NetworkFile
from nnviz.core.spec import DenseSpec, NetworkSpec
from nnviz.ui.model import commands
from nnviz.ui.model.document import Document, Selection
from nnviz.ui.editor.warnings_panel import WarningsPanel
from nnviz.core.project import Project

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
