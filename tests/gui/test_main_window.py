"""The main window as a user meets it: launch, edit, undo, save, reopen, bad files, drops."""

import json

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from helpers import drag_event
from nnviz.core.fileformat import load
from nnviz.core.spec import DenseSpec
from nnviz.ui.model import commands
from nnviz.ui.main_window import MainWindow, example_files


def action(win, name) -> QAction:
    found = win.findChild(QAction, f"action{name}")
    assert found is not None, f"no action{name}"
    return found


def answer_prompt(monkeypatch, button):
    asked = []

    def fake_warning(*args, **kwargs):
        asked.append(args)
        return button

    monkeypatch.setattr(QMessageBox, "warning", fake_warning)
    return asked


def test_first_launch_shows_a_small_example_network(window):
    assert len(window.doc.spec.layers) >= 2
    assert window.view.scene().items(), "the canvas is empty"
    assert "parameters" in window.counts_label.text()
    assert "•" not in window.windowTitle()


def menu_actions(menu):
    for act in menu.actions():
        if act.menu() is not None:
            yield from menu_actions(act.menu())
        elif act.text() and not act.isSeparator():
            yield act


def test_every_action_has_an_action_object_name(window):
    from PySide6.QtWidgets import QToolBar

    found = list(menu_actions(window.menuBar()))
    for bar in window.findChildren(QToolBar):
        found += [a for a in bar.actions() if a.text() and not a.isSeparator()]
    assert len(found) > 25
    for act in found:
        assert act.objectName().startswith("action"), act.text()


def test_menus_hold_the_promised_entries(window):
    titles = {m.title().replace("&", "") for m in window.menuBar().findChildren(type(window.recent_menu)) if m.title()}
    assert {"File", "Edit", "View", "Help", "Open Recent", "Examples"} <= titles
    for name in ("New", "Open", "Save", "SaveAs", "ExportImage", "Quit", "Undo", "Redo", "Delete", "DuplicateLayer",
                 "ZoomIn", "ZoomOut", "Fit", "About", "Shortcuts", "ShowPalette", "ShowLayers", "ShowInspector", "ShowWarnings"):
        action(window, name)


def test_status_bar_follows_edits(window):
    before = window.counts_label.text()
    commands.insert_layer(window.doc, 1, DenseSpec(32, "relu"))
    assert window.counts_label.text() != before
    assert "•" in window.windowTitle()
    action(window, "Undo").trigger()
    assert window.counts_label.text() == before
    assert "•" not in window.windowTitle()
    action(window, "Redo").trigger()
    assert window.doc.spec.layers[1] == DenseSpec(32, "relu")


def test_save_and_reopen_round_trip(window, tmp_path, monkeypatch, qtbot):
    commands.update_layer(window.doc, 0, DenseSpec(7, "tanh"))
    path = tmp_path / "mine.nnviz"
    monkeypatch.setattr("nnviz.ui.main_window.QFileDialog.getSaveFileName", lambda *a, **k: (str(path), ""))
    assert window.save()
    assert "•" not in window.windowTitle() and "mine.nnviz" in window.windowTitle()
    saved = load(path)
    assert saved.spec == window.doc.spec
    other = MainWindow()
    qtbot.addWidget(other)
    assert other.open_file(path)
    assert other.doc.spec.layers[0] == DenseSpec(7, "tanh")
    assert (other.doc.network.params == window.doc.network.params).all()
    assert str(path.resolve()) in [str(p) for p in __import__("nnviz.ui.settings", fromlist=["x"]).recent_files()]


def test_broken_file_says_why_and_keeps_the_open_network(window, tmp_path, monkeypatch):
    commands.insert_layer(window.doc, 0, DenseSpec(5, "relu"))
    spec_before = window.doc.spec
    bad = tmp_path / "broken.nnviz"
    bad.write_text(json.dumps({"format": "nnviz", "version": 1, "inputs": 2, "layers": [{"type": "dense", "units": 0, "activation": "relu"}]}))
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    assert not window.open_file(bad, ask=False)
    assert shown and "layers[0].units" in shown[0]
    assert window.doc.spec == spec_before
    assert window.doc.dirty


@pytest.mark.parametrize("button, closes", [(QMessageBox.Cancel, False), (QMessageBox.Discard, True)])
def test_unsaved_changes_prompt_on_close(window, monkeypatch, button, closes):
    commands.insert_layer(window.doc, 0, DenseSpec(5, "relu"))
    asked = answer_prompt(monkeypatch, button)
    assert window.close() is closes
    assert asked, "no Save / Discard / Cancel prompt"


def test_new_with_unsaved_changes_can_be_cancelled(window, monkeypatch):
    commands.insert_layer(window.doc, 0, DenseSpec(5, "relu"))
    spec = window.doc.spec
    # New first asks what to start from (its dialog: tests/gui/test_new_network.py), then about the changes.
    answer_prompt(monkeypatch, QMessageBox.Cancel)
    action(window, "New").trigger()
    window.new_dialog.accept()
    assert window.doc.spec == spec
    answer_prompt(monkeypatch, QMessageBox.Discard)
    action(window, "New").trigger()
    window.new_dialog.accept()
    assert window.doc.spec != spec and not window.doc.dirty


def test_dropping_an_nnviz_file_on_the_window_opens_it(window, qtbot):
    example = example_files()[0]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(example))])
    enter = drag_event(QDragEnterEvent, QPoint(10, 10), mime)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(window, drop)
    assert window.doc.spec == load(example).spec
    assert example.name in window.windowTitle()


def test_examples_menu_opens_every_example(window):
    names = [p.stem for p in example_files()]
    assert len(names) >= 6
    for name in names:
        action(window, f"Example_{name}").trigger()
        assert window.doc.spec == load(next(p for p in example_files() if p.stem == name)).spec


def test_layout_is_remembered(qtbot, window):
    window.resize(701, 590)  # the offscreen screen is 800 x 600; the docks may need more
    size = window.size()
    window.docks["Warnings"].hide()
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.size().height() == size.height()  # widths are clamped to the small offscreen screen
    assert again.docks["Warnings"].isHidden()


CLOSE_MID_TRAINING = """
import sys
from nnviz.ui.app import make_app
app = make_app()
from nnviz.ui.main_window import MainWindow
window = MainWindow()
window.open_file(sys.argv[1], ask=False)
window.show()
def first_update():
    print(window.controller.session.pid, flush=True)
    window.doc.undo_stack.setClean()
    window.close()
    app.quit()
window.controller.run.updated.connect(first_update)
window.findChild(type(window.actions_["New"]), "actionTrain").trigger()
sys.exit(app.exec())
"""


def test_closing_the_window_mid_training_ends_the_process_cleanly(tmp_path):
    import os
    import subprocess
    import sys

    example = next(p for p in example_files() if p.stem == "spiral_deep_tanh")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", CLOSE_MID_TRAINING, str(example)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "QThread" not in proc.stderr
    training_pid = int(proc.stdout.split()[0])
    with pytest.raises(ProcessLookupError):  # the training process went with the window
        os.kill(training_pid, 0)


def test_plots_and_boundary_arrive_just_after_the_window_shows(window, qtbot):
    qtbot.waitUntil(lambda: window.plots is not None)
    assert window.plots.isAncestorOf(window.timeline) is False and window.docks["Plots"].isAncestorOf(window.plots)
    assert window.docks["Plots"].isAncestorOf(window.timeline)  # the timeline under the plots
    assert window.docks["Boundary"].widget() is window.boundary


def test_step_animates_a_forward_then_backward_pass(window, qtbot):
    # Once the window has settled: the plots arriving resize the canvas, whose new layout starts afresh.
    qtbot.waitUntil(lambda: window.plots is not None)
    scene = window.view.scene()
    directions = []
    scene.pulse_stepped.connect(lambda direction, pair: directions.append(direction))
    window.training.actionStep.trigger()
    qtbot.waitUntil(lambda: "backward" in directions, timeout=10000)
    assert directions[0] == "forward"


def test_the_status_bar_shows_the_finished_runs_last_epoch(window, qtbot):
    from dataclasses import replace

    from nnviz.core.project import DatasetRecord
    from nnviz.ui.model import commands

    record = DatasetRecord("xor", n_samples=100)
    commands.set_dataset(window.doc, record, record.load())
    window.training.settings_section.limit_check.setChecked(True)  # else a run goes on until paused
    commands.set_training(window.doc, replace(window.doc.training, epochs=40))
    with qtbot.waitSignal(window.controller.run.state_changed, check_params_cb=lambda s: s == "finished", timeout=20000):
        window.actions_["Train"].trigger()
    assert window.live_label.text().startswith("Epoch 40 ·")
    assert window.training.readout["epoch"].text() == "40"
    window.actions_["Undo"].trigger()  # the run, undone: nothing trained, nothing to report
    assert window.live_label.text() == "" and window.training.readout["epoch"].text() == "0"
