"""The layer palette: tooltips, drag payloads, double-click to add."""

import json

import pytest
from PySide6.QtCore import Qt

from nnviz.core.spec import DenseSpec, DropoutSpec
from nnviz.ui.editor import mime
from nnviz.ui.model.document import Document
from nnviz.ui.editor.palette import ENTRIES, LayerPalette, insertion_index


@pytest.fixture
def palette(qtbot):
    doc = Document()  # 2-4-4-1, sigmoid output
    widget = LayerPalette(doc)
    qtbot.addWidget(widget)
    widget.resize(220, 480)
    widget.show()
    return widget


def test_every_item_has_an_icon_and_a_tooltip(palette):
    for entry in ENTRIES:
        item = palette.item_for(entry.title)
        assert not item.icon().isNull()
        tip = item.toolTip()
        assert entry.title in tip and "Double-click" in tip
    relu = palette.item_for("Dense ReLU").toolTip()
    assert "max(0, z)" in relu  # the activation's own description
    assert "before the output layer" in relu


def test_icons_differ_per_activation(palette):
    images = {e.title: palette.item_for(e.title).icon().pixmap(32, 32).toImage() for e in ENTRIES}
    assert images["Dense tanh"] != images["Dense sigmoid"]
    assert images["Dense ReLU"] != images["Dense softmax"]
    assert images["Dropout"] != images["Batch norm"]


def test_drag_carries_the_layer_under_the_vendor_mime_type(palette):
    item = palette.item_for("Dense tanh")
    data = palette.list.mimeData([item])
    assert palette.list.mimeTypes() == [mime.LAYER_MIME]
    assert data.hasFormat(mime.LAYER_MIME)
    assert mime.layer_from_mime(data) == DenseSpec(8, "tanh", "xavier_uniform")
    # the path QAbstractItemView.startDrag takes: the model asks the view
    row = palette.list.row(item)
    via_model = palette.list.model().mimeData([palette.list.model().index(row, 0)])
    assert mime.layer_from_mime(via_model) == DenseSpec(8, "tanh", "xavier_uniform")
    assert palette.list.model().supportedDragActions() & Qt.DropAction.CopyAction
    dropout = palette.list.mimeData([palette.item_for("Dropout")])
    assert json.loads(bytes(dropout.data(mime.LAYER_MIME)).decode())["type"] == "dropout"
    assert mime.layer_from_mime(dropout) == DropoutSpec(0.5)


def test_section_headers_cannot_be_dragged(palette):
    header = palette.list.item(0)
    assert not header.flags() & Qt.ItemFlag.ItemIsDragEnabled
    assert palette.list.mimeData([header]) is None


def test_double_click_adds_before_the_output_layer_in_one_undo_step(palette, qtbot):
    doc = palette.doc
    before = doc.spec
    item = palette.item_for("Dense ReLU")
    rect = palette.list.visualItemRect(item)
    qtbot.mouseClick(palette.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(palette.layer_added, timeout=1000) as added:
        qtbot.mouseDClick(palette.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert added.args == [2]
    assert len(doc.spec.layers) == 4
    assert doc.spec.layers[2] == DenseSpec(8, "relu")
    assert doc.spec.layers[3] == before.layers[2]  # the sigmoid output stays last
    assert doc.selection.layer == 2
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.spec == before


def test_enter_adds_the_current_item(palette, qtbot):
    doc = palette.doc
    palette.list.setCurrentItem(palette.item_for("Dropout"))
    palette.list.setFocus()
    with qtbot.waitSignal(palette.sig_status) as status:
        qtbot.keyClick(palette.list, Qt.Key.Key_Return)
    assert doc.spec.layers[2] == DropoutSpec(0.5)
    assert "before the output layer" in status.args[0]


def test_output_kinds_are_appended_at_the_end(palette):
    doc = palette.doc
    softmax = next(e for e in ENTRIES if e.title == "Dense softmax")
    assert insertion_index(doc.spec, softmax) == 3
    assert "at the end" in palette.item_for("Dense softmax").toolTip()
    index = palette.add_entry(softmax)
    assert index == 3 and doc.spec.layers[-1].activation == "softmax"
