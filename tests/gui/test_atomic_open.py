"""Opening is all or nothing: a file that cannot be opened says why in a dialog, and the network that was
open stays exactly as it was (spec, weights, names, standardisation, probe, path, undo history, unsaved
state), so a later Save writes it and nothing of the file that failed."""

import json

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from nnviz.core.fileformat import NetworkFile, load
from nnviz.core.spec import DenseSpec
from nnviz.ui import settings
from nnviz.ui.main_window import example_files
from nnviz.ui.model import commands

IRIS = next(p for p in example_files() if p.stem.startswith("iris"))


@pytest.fixture
def opened(window, tmp_path):
    """The window with a file open (names, standardisation, a path) and an unsaved edit on it."""
    path = tmp_path / "old.nnviz"
    path.write_bytes(IRIS.read_bytes())
    assert window.open_file(path, ask=False)
    commands.update_layer(window.doc, 0, DenseSpec(5, "tanh"))
    assert window.doc.dirty
    return window


def picture(win) -> dict:
    """Everything of the open document a person could notice, or a Save would write."""
    doc = win.doc
    return {
        "spec": doc.spec,
        "params": doc.network.copy_params(),
        "input_names": doc.project.input_names,
        "output_names": doc.project.output_names,
        "standardization": None if doc.standardization is None
        else (doc.standardization.mean.tolist(), doc.standardization.std.tolist()),
        "probe": doc.probe.tolist(),
        "training": doc.training,
        "dataset": doc.dataset_record,
        "history": len(doc.history),
        "path": doc.path,
        "undo": (doc.undo_stack.count(), doc.undo_stack.index(), doc.undo_stack.undoText()),
        "dirty": doc.dirty,
        "title": win.windowTitle(),
        "recent": settings.recent_files(),
        "lastFolder": settings.value("lastFolder", ""),
    }


def same(a: dict, b: dict) -> bool:
    for key in a:
        if key == "params":
            assert len(a[key]) == len(b[key])
            for x, y in zip(a[key], b[key]):
                assert x.keys() == y.keys() and all(np.array_equal(x[k], y[k]) for k in x), "weights changed"
        else:
            assert a[key] == b[key], key
    return True


def dialogs(monkeypatch) -> list[tuple[str, str]]:
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append((title, text)))
    return shown


def iris_with(**changes) -> str:
    """The iris example with other names and standardisation, and the changes given (what breaks it)."""
    data = json.loads(IRIS.read_text())
    data["input_names"] = ["a", "b", "c", "d"]
    data["output_names"] = ["x", "y", "z"]
    data["standardization"] = {"mean": [100.0] * 4, "std": [7.0] * 4}
    for key, value in changes.items():
        if callable(value):
            value(data)
        else:
            data[key] = value
    return json.dumps(data)


def wrong_weights(data):
    data["layers"][1]["weights"] = data["layers"][1]["weights"][:-1]  # a row short: built last, after the names


def bad_dataset(data):
    data["dataset"] = {"name": "no-such-dataset"}


BROKEN = {
    "not JSON": ("{ this is not json", "not valid JSON"),
    "not UTF-8": (b"\xff\xfe\x00garbage", "not UTF-8"),
    "a layer of 0 units": (iris_with(layers=[{"type": "dense", "units": 0, "activation": "relu"}]), "layers[0].units"),
    "weights of the wrong shape": (iris_with(layers=wrong_weights), "layers[1]"),
    "an unknown dataset": (iris_with(dataset=bad_dataset), "no-such-dataset"),
    "not an nnviz file": ("[1, 2, 3]", "not an nnviz file"),
    "empty": ("", "not valid JSON"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_file_says_why_and_leaves_the_open_network_as_it_was(opened, tmp_path, monkeypatch, case):
    content, problem = BROKEN[case]
    bad = tmp_path / "bad.nnviz"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = picture(opened)
    shown = dialogs(monkeypatch)
    assert not opened.open_file(bad, ask=False)
    assert len(shown) == 1, "one dialog"
    title, text = shown[0]
    assert "bad.nnviz" in text and problem in text and "unchanged" in text
    assert same(before, picture(opened))


def test_after_a_failed_open_save_writes_the_open_network_and_nothing_of_the_other(opened, tmp_path, monkeypatch):
    bad = tmp_path / "bad.nnviz"
    bad.write_text(iris_with(layers=wrong_weights))
    dialogs(monkeypatch)
    assert not opened.open_file(bad, ask=False)
    assert opened.save()
    saved = load(opened.doc.path)
    assert opened.doc.path.name == "old.nnviz"
    assert saved.input_names == ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    assert saved.output_names == ["setosa", "versicolor", "virginica"]
    assert saved.standardization.mean[0] == pytest.approx(5.8433, abs=1e-3)
    assert saved.spec.layers[0] == DenseSpec(5, "tanh")


def test_a_network_too_big_to_build_says_so_and_changes_nothing(opened, tmp_path, monkeypatch):
    good = tmp_path / "other.nnviz"
    good.write_text(iris_with())
    before = picture(opened)

    def no_memory(self):
        raise MemoryError

    monkeypatch.setattr(NetworkFile, "build_network", no_memory)
    shown = dialogs(monkeypatch)
    assert not opened.open_file(good, ask=False)
    assert len(shown) == 1 and "memory" in shown[0][1]
    assert same(before, picture(opened))


def test_running_out_of_memory_while_reading_says_so_and_changes_nothing(opened, tmp_path, monkeypatch):
    good = tmp_path / "other.nnviz"
    good.write_text(iris_with())
    before = picture(opened)

    def no_memory(path):
        raise MemoryError

    monkeypatch.setattr("nnviz.core.project.load", no_memory)
    shown = dialogs(monkeypatch)
    assert not opened.open_file(good, ask=False)
    assert len(shown) == 1 and "not enough memory" in shown[0][1]
    assert same(before, picture(opened))


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_a_file_that_cannot_be_read_says_why(opened, tmp_path, monkeypatch, where):
    path = tmp_path / "gone.nnviz"
    if where == "folder":
        path.mkdir()
    before = picture(opened)
    shown = dialogs(monkeypatch)
    assert not opened.open_file(path, ask=False)
    assert len(shown) == 1 and "cannot read" in shown[0][1]
    assert same(before, picture(opened))


def test_choosing_discard_then_failing_to_open_keeps_the_changes(opened, tmp_path, monkeypatch):
    """"Discard" answers "may the changes go to open the other file?": when it cannot be opened, they stay."""
    bad = tmp_path / "bad.nnviz"
    bad.write_text("{")
    before = picture(opened)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.Discard)
    shown = dialogs(monkeypatch)
    assert not opened.open_file(bad)
    assert len(shown) == 1
    assert same(before, picture(opened))
    opened.doc.undo_stack.undo()  # the undo history still works
    assert opened.doc.spec.layers[0] == DenseSpec(8, "relu")


def test_a_broken_file_dropped_on_the_window_says_why(opened, tmp_path, monkeypatch, qtbot):
    bad = tmp_path / "dropped.nnviz"
    bad.write_text(iris_with(layers=wrong_weights))
    before = picture(opened)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.Discard)
    shown = dialogs(monkeypatch)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bad))])
    drop = QDropEvent(QPoint(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    opened.dropEvent(drop)
    assert len(shown) == 1 and "dropped.nnviz" in shown[0][1]
    assert same(before, picture(opened))


def test_a_recent_file_broken_since_says_why(opened, tmp_path, monkeypatch):
    path = opened.doc.path
    opened.doc.undo_stack.setClean()
    before = picture(opened)
    path.write_text(iris_with(layers=wrong_weights))  # changed on disk by someone else
    shown = dialogs(monkeypatch)
    opened._fill_recent_menu()
    recent = next(a for a in opened.recent_menu.actions() if a.objectName() == "actionRecentFile1")
    recent.trigger()
    assert len(shown) == 1 and "old.nnviz" in shown[0][1]
    assert same(before, picture(opened))
