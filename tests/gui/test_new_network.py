"""File ▸ New…: an empty network or a copy of an example, always "Untitled"; and the names the
window gives a network (title, Save As, Export) follow its file, never a shape it has left behind."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from nnviz.core.fileformat import load
from nnviz.core.spec import DenseSpec
from nnviz.ui.io.export_dialog import ExportDialog
from nnviz.ui.io.new_dialog import NewNetworkDialog, example_files
from nnviz.ui.model import commands


def open_new_dialog(window, qtbot) -> NewNetworkDialog:
    window.actions_["New"].trigger()
    qtbot.waitUntil(lambda: isinstance(getattr(window, "new_dialog", None), NewNetworkDialog)
                    and window.new_dialog.isVisible())
    return window.new_dialog


def click(qtbot, dialog, which):
    button = dialog.findChild(QDialogButtonBox).button(which)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def save_as_suggestion(window, monkeypatch) -> str:
    """The file name Save As would offer (the dialog is answered with Cancel)."""
    offered = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda parent, caption, start, *a, **k: offered.append(start) or ("", ""))
    assert window.save_as() is False
    return Path(offered[0]).name


def test_new_empty_network_has_the_chosen_inputs_and_outputs(window, qtbot):
    dialog = open_new_dialog(window, qtbot)
    assert dialog.empty_radio.isChecked()
    dialog.inputs_spin.setValue(3)
    dialog.outputs_spin.setValue(2)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    doc = window.doc
    assert doc.spec.widths() == [3, 2]
    assert doc.spec.layers[0].activation == "softmax"  # several outputs: one class of several
    assert doc.path is None and not doc.dirty
    assert window.windowTitle().startswith("Untitled")
    assert len(window.view.scene().columns) == 2  # the canvas shows inputs and outputs


def test_new_from_an_example_is_an_untitled_copy(window, qtbot, monkeypatch):
    example = next(p for p in example_files() if "circle" in p.name)
    original = example.read_bytes()
    dialog = open_new_dialog(window, qtbot)
    dialog.choose_example(example)
    assert dialog.example_radio.isChecked() and not dialog.inputs_spin.isEnabled()
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    doc = window.doc
    assert doc.spec == load(example).spec
    assert doc.path is None and doc.title == "Untitled"
    assert window.windowTitle().startswith("Untitled") and example.stem not in window.windowTitle()
    assert save_as_suggestion(window, monkeypatch) == "Untitled.nnviz"
    assert example.read_bytes() == original


def test_cancelling_new_keeps_the_network(window, qtbot):
    commands.insert_layer(window.doc, 0, DenseSpec(5, "relu"))
    spec = window.doc.spec
    dialog = open_new_dialog(window, qtbot)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.doc.spec == spec and window.doc.dirty and window.doc.undo_stack.canUndo()


def test_new_asks_about_unsaved_changes_after_the_choice(window, qtbot, monkeypatch):
    commands.insert_layer(window.doc, 0, DenseSpec(5, "relu"))
    spec = window.doc.spec
    answers = [QMessageBox.Cancel, QMessageBox.Discard]
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: answers.pop(0))
    dialog = open_new_dialog(window, qtbot)
    dialog.outputs_spin.setValue(4)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert window.doc.spec == spec and len(answers) == 1  # Cancel: nothing lost
    dialog = open_new_dialog(window, qtbot)
    dialog.outputs_spin.setValue(4)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert window.doc.spec.widths() == [2, 4] and not window.doc.dirty


def test_names_follow_the_file_not_the_shape_it_started_with(window, qtbot, monkeypatch, tmp_path):
    doc = window.doc
    assert doc.spec.widths() == [2, 4, 4, 1]  # the first-launch network
    commands.update_layer(doc, 1, DenseSpec(8, doc.spec.layers[1].activation))
    assert doc.spec.widths() == [2, 4, 8, 1]
    export = ExportDialog(doc, window)
    for name in (window.windowTitle(), save_as_suggestion(window, monkeypatch), export.suggested_path().name):
        assert "2-4-4-1" not in name and "Untitled" in name, name
    inspector = window.inspector.layer_section  # with nothing selected it describes the network
    assert "2-4-4-1" not in inspector.title_label.text() and "2–4–8–1" in inspector.subtitle_label.text()

    doc.save(tmp_path / "mine.nnviz")
    qtbot.waitUntil(lambda: "mine.nnviz" in window.windowTitle())
    assert "Untitled" not in window.windowTitle()
    assert save_as_suggestion(window, monkeypatch) == "mine.nnviz"
    assert export.suggested_path().name == "mine.png"
    export.deleteLater()
