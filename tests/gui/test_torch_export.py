"""File ▸ Export PyTorch Module…: the menu entry writes the window's network as PyTorch code."""

import ast

import numpy as np
from PySide6.QtWidgets import QFileDialog, QMessageBox


def _file_menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "File")


def test_the_file_menu_exports_the_network_as_a_torch_module(window, tmp_path, monkeypatch):
    action = next(a for a in _file_menu(window).actions() if a.objectName() == "actionExportTorch")
    assert action.text().replace("&", "") == "Export PyTorch Module…" and action.toolTip()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "net"), ""))
    action.trigger()
    code = (tmp_path / "net.py").read_text()  # the extension is added
    compile(code, "net.py", "exec")
    tree = ast.parse(code)
    weights = ast.literal_eval(next(n.value for n in tree.body if isinstance(n, ast.Assign)
                                    and ast.unparse(n.targets[0]) == "WEIGHTS"))
    first = window.doc.project.network.layers[0]
    np.testing.assert_array_equal(np.float32(weights["0.weight"]), first.weights.T)
    assert "net.py" in window.statusBar().currentMessage()


def test_cancelling_writes_nothing_and_a_failure_says_why(window, tmp_path, monkeypatch):
    action = window.actions_["ExportTorch"]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    action.trigger()
    assert list(tmp_path.glob("*.py")) == []
    shown = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "no" / "net.py"), ""))
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    action.trigger()
    assert shown and "No such file or directory" in shown[0]
