"""The export dialog's styles: presets, the live preview, every format, the style kept in the document (undo,
save), and a figure that the window opens again as its network."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from helpers import drag_event
from nnviz.core.figure.style import PRESETS
from nnviz.core.project import Project
from nnviz.ui.io.export import export_image
from nnviz.ui.io.export_dialog import ExportDialog
from nnviz.ui.model.document import Document


def trained_doc() -> Document:
    project = Project.default()
    project.network.params[:] = np.random.default_rng(5).normal(size=project.network.params.shape)
    return Document(project)


def settled(qtbot, dialog: ExportDialog) -> QImage:
    """The preview's picture once it shows the newest style (it draws off the GUI thread)."""
    qtbot.waitUntil(lambda: not dialog.preview.pending and dialog.preview.image is not None)
    return dialog.preview.image.copy()


@pytest.fixture
def dialog(qtbot):
    dialog = ExportDialog(trained_doc())
    qtbot.addWidget(dialog)
    dialog.show()  # the preview draws at its shown size
    qtbot.waitExposed(dialog)
    return dialog


def choose_preset(dialog: ExportDialog, name: str) -> None:
    combo = dialog.controls.preset
    combo.setCurrentIndex(combo.findData(name))
    combo.activated.emit(combo.currentIndex())  # as a click on the entry does


def test_a_preset_sets_every_control_and_the_preview_follows(qtbot, dialog):
    before = settled(qtbot, dialog)
    assert dialog.controls.preset.currentText() == "Default"
    choose_preset(dialog, "paper")
    assert dialog.style() == PRESETS["paper"]
    assert dialog.controls.combos["colors"].currentData() == "mono"
    assert dialog.controls.combos["arrowheads"].currentData() == "filled"
    assert not dialog.controls.checks["legend"].isChecked()
    after = settled(qtbot, dialog)
    assert after != before, "the preview did not redraw in the new style"


def test_changing_a_control_makes_the_style_custom_and_redraws(qtbot, dialog):
    choose_preset(dialog, "slide")
    slide = settled(qtbot, dialog)
    direction = dialog.controls.combos["direction"]
    direction.setCurrentIndex(direction.findData("up"))
    assert dialog.style() == PRESETS["slide"].replace(direction="up")
    assert dialog.controls.preset.currentText() == "Custom"
    upright = settled(qtbot, dialog)
    assert upright.height() / upright.width() > slide.height() / slide.width(), "the preview did not turn upright"


def test_the_neuron_spacing_never_goes_below_the_neuron_size(dialog):
    dialog.controls.spins["node_size"].setValue(60)
    assert dialog.style().node_size == 60 and dialog.style().neuron_spacing >= 60
    assert dialog.controls.spins["neuron_spacing"].value() >= 60


def test_a_transparent_background_is_shown_on_a_checkerboard(qtbot, dialog):
    background = dialog.controls.background
    background.setCurrentIndex(background.findData("transparent"))
    background.activated.emit(background.currentIndex())
    image = settled(qtbot, dialog)
    assert dialog.preview.figure.background is None and image.pixelColor(1, 1).alpha() == 0


def test_a_style_too_large_to_draw_says_why_in_the_preview(qtbot):
    from nnviz.core.spec import DenseSpec, NetworkSpec
    from nnviz.core.fileformat import NetworkFile

    spec = NetworkSpec(2000, (DenseSpec(1000, "relu"), DenseSpec(1, "sigmoid")))
    dialog = ExportDialog(Document(Project.from_file(NetworkFile(spec=spec, params=[None] * 2))))
    qtbot.addWidget(dialog)
    settled(qtbot, dialog)
    dialog.controls.checks["full"].setChecked(True)  # two million connections
    qtbot.waitUntil(lambda: not dialog.preview.pending and dialog.preview.image is None)
    assert dialog.preview.reason and dialog.note.isVisibleTo(dialog) and "connections" in dialog.note.text()


@pytest.mark.parametrize("fmt, check", [
    ("png", lambda data: data.startswith(b"\x89PNG")),
    ("svg", lambda data: b"<svg" in data),
    ("pdf", lambda data: data.startswith(b"%PDF")),
    ("tex", lambda data: b"\\begin{tikzpicture}" in data),
])
def test_every_format_from_the_window(qtbot, tmp_path, monkeypatch, fmt, check):
    doc = trained_doc()
    target = tmp_path / "figure"  # no extension: the format's is added

    def accept(self):
        self.format.setCurrentIndex(self.format.findData(fmt))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", accept)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    path = ExportDialog.run(doc)
    assert path == tmp_path / f"figure.{fmt}" and check(path.read_bytes())


def test_the_style_is_kept_in_the_document_undone_and_saved(qtbot, tmp_path, monkeypatch):
    doc = trained_doc()

    def accept_paper(self):
        choose_preset(self, "paper")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", accept_paper)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "fig.svg"), ""))
    assert ExportDialog.run(doc) == tmp_path / "fig.svg"
    assert doc.project.figure_style == PRESETS["paper"] and doc.dirty
    assert doc.undo_stack.undoText() == "Change figure style"

    again = ExportDialog(doc)
    qtbot.addWidget(again)
    assert again.style() == PRESETS["paper"] and again.controls.preset.currentText() == "Paper"

    doc.undo_stack.undo()
    assert doc.project.figure_style == PRESETS["default"] and not doc.dirty
    doc.undo_stack.redo()
    doc.save(tmp_path / "net.nnviz")
    assert Project.load(tmp_path / "net.nnviz").figure_style == PRESETS["paper"]


def test_an_untouched_dialog_leaves_the_document_alone(qtbot, tmp_path, monkeypatch):
    doc = trained_doc()
    monkeypatch.setattr(ExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "fig.png"), ""))
    assert ExportDialog.run(doc) is not None
    assert not doc.dirty and doc.undo_stack.count() == 0


# -- a figure that remembers its network -------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_the_window_opens_a_figure_as_its_network_unsaved(window, tmp_path, monkeypatch, suffix):
    source = trained_doc()
    figure = tmp_path / f"fig{suffix}"
    export_image(source, figure, style=PRESETS["slide"])
    picture = figure.read_bytes()
    assert window.open_file(figure, ask=False)
    assert np.array_equal(window.doc.network.params, source.network.params)
    assert window.doc.project.figure_style == PRESETS["slide"], "restyling starts from how it was drawn"
    assert window.doc.path is None and window.doc.title == "Untitled"
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a) or ("", ""))
    assert not window.save()
    assert asked, "Save must ask for a .nnviz name, not write over the picture"
    assert figure.read_bytes() == picture


def test_dropping_a_figure_on_the_window_opens_its_network(window, tmp_path):
    source = trained_doc()
    figure = tmp_path / "fig.png"
    export_image(source, figure)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(figure))])
    enter = drag_event(QDragEnterEvent, QPoint(10, 10), mime)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))
    assert np.array_equal(window.doc.network.params, source.network.params)


def test_a_picture_without_a_network_is_refused_and_the_open_network_stays(window, tmp_path, monkeypatch):
    photo = tmp_path / "photo.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(0xFF336699)
    image.save(str(photo))
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    spec = window.doc.spec
    assert not window.open_file(photo, ask=False)
    assert shown and "photo.png was not made by nnviz" in shown[0] and "it holds no network" in shown[0]
    assert window.doc.spec == spec


def test_a_figure_shows_the_moment_of_training_the_window_shows(tmp_path):
    doc = trained_doc()
    earlier = doc.network.copy_params()
    for state in earlier:
        state["weights"] = -state["weights"]
    doc.show_moment(3, earlier)
    export_image(doc, tmp_path / "moment.svg")
    again = Project.load(tmp_path / "moment.svg")
    assert np.array_equal(again.network.params, doc.network.params)
    assert not np.array_equal(again.network.params, doc.project.network.params)
    assert doc.moment == 3 and not doc.dirty
