"""Autosave and recovery: unsaved changes are kept where a crash cannot take them, and offered back.

The window autosaves a dirty document a short while after an edit (30 s; the
tests make it 50 ms), removes the copy on save, discard and clean close, and
on the next launch after a crash offers Restore, Later (File ▸ Recover…) or
Discard. The last test kills a real window with SIGKILL.
"""

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from nnviz import cli
from nnviz.core.fileformat import load
from nnviz.core.project import Project
from nnviz.core.spec import DenseSpec
from nnviz.ui.io import autosave
from nnviz.ui.main_window import MainWindow
from nnviz.ui.model import commands
from nnviz.ui.model.document import Document

T = 10_000  # ms: generous, for a loaded machine; the waits end as soon as the condition holds


def fast(window, ms=50):
    window.autosave.set_interval(ms)
    return window


def autosaves(window) -> list:
    return sorted(window.autosave.folder.glob("*.nnviz")) if window.autosave.folder.exists() else []


def wait_for_autosave(qtbot, window):
    qtbot.waitUntil(lambda: window.autosave.file is not None and window.autosave.file.exists(), timeout=T)
    window.autosave.wait()
    return window.autosave.file


def other_window(qtbot) -> MainWindow:
    """A second launch in this process (same settings and data folder)."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_interval_is_half_a_minute_by_default(window):
    assert window.autosave.interval_ms == 30_000


def test_an_edit_is_autosaved_as_a_normal_nnviz_file(window, qtbot, capsys):
    fast(window)
    assert autosaves(window) == []  # nothing while nothing changed
    commands.insert_layer(window.doc, 1, DenseSpec(9, "tanh"))
    file = wait_for_autosave(qtbot, window)
    assert file.parent == autosave.autosave_folder()
    assert file.parent.parent.name == QCoreApplication.applicationName()  # under AppDataLocation
    assert load(file).spec == window.doc.spec
    assert cli.main(["info", str(file)]) == 0  # the command line reads it
    assert "9" in capsys.readouterr().out
    # Later edits reach it too.
    commands.update_layer(window.doc, 0, DenseSpec(6, "relu"))
    qtbot.waitUntil(lambda: load(window.autosave.file).spec == window.doc.spec, timeout=T)


def test_nothing_is_written_until_the_interval_has_passed(window, qtbot):
    fast(window, 400)
    commands.insert_layer(window.doc, 1, DenseSpec(9, "tanh"))
    assert window.autosave.file is None  # not at once: a burst of edits costs one write
    wait_for_autosave(qtbot, window)


def test_a_run_starting_is_autosaved_at_once(window, qtbot):
    from nnviz.core.project import DatasetRecord

    record = DatasetRecord("xor", n_samples=200)
    commands.set_dataset(window.doc, record, record.load())  # an unsaved change
    assert window.autosave.interval_ms == 30_000 and window.autosave.file is None
    with qtbot.waitSignal(window.controller.run.state_changed, check_params_cb=lambda s: s == "running", timeout=T):
        window.actions_["Train"].trigger()
    window.actions_["Train"].trigger()  # pause
    file = wait_for_autosave(qtbot, window)  # long before the half minute
    assert load(file).dataset["name"] == "xor"


def test_an_autosave_that_cannot_be_written_says_so_once(window, qtbot):
    fast(window)
    folder = window.autosave.folder
    folder.parent.mkdir(parents=True)
    folder.write_text("a file where the folder should be")
    commands.insert_layer(window.doc, 1, DenseSpec(9, "tanh"))
    qtbot.waitUntil(lambda: "Autosave failed" in window.statusBar().currentMessage(), timeout=T)
    assert "Save the network" in window.statusBar().currentMessage()
    assert window.doc.dirty and window.autosave.file is None


def test_a_save_removes_the_autosave(window, qtbot, tmp_path, monkeypatch):
    fast(window)
    commands.insert_layer(window.doc, 1, DenseSpec(9, "tanh"))
    file = wait_for_autosave(qtbot, window)
    monkeypatch.setattr("nnviz.ui.main_window.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "kept.nnviz"), ""))
    assert window.save()
    assert not file.exists() and autosaves(window) == []
    assert window.recovery.kept() == []


def test_discarding_the_changes_removes_the_autosave(window, qtbot, monkeypatch):
    fast(window)
    commands.insert_layer(window.doc, 1, DenseSpec(9, "tanh"))
    file = wait_for_autosave(qtbot, window)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.Discard)  # "Unsaved changes"
    window.actions_["New"].trigger()
    window.new_dialog.accept()
    assert not window.doc.dirty
    assert not file.exists() and autosaves(window) == []


def test_undoing_back_to_the_saved_state_removes_the_autosave(window, qtbot):
    fast(window)
    commands.insert_layer(window.doc, 1, DenseSpec(9, "tanh"))
    file = wait_for_autosave(qtbot, window)
    window.doc.undo_stack.undo()
    assert not file.exists()


def test_a_clean_close_removes_the_autosave(qtbot, monkeypatch):
    win = fast(other_window(qtbot))
    commands.insert_layer(win.doc, 1, DenseSpec(9, "tanh"))
    file = wait_for_autosave(qtbot, win)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.Discard)
    assert win.close()
    assert not file.exists() and not list(file.parent.glob("*.lock"))


def test_a_running_windows_autosave_is_not_offered_to_another(window, qtbot):
    fast(window)
    commands.insert_layer(window.doc, 1, DenseSpec(9, "tanh"))
    wait_for_autosave(qtbot, window)
    other = other_window(qtbot)
    qtbot.waitUntil(lambda: other.plots is not None)  # the launch offer comes with the first paint
    assert other.recovery.box is None and other.recovery.kept() == []


def leave_behind(qtbot, window, layer=DenseSpec(9, "tanh")):
    """What a crash leaves: the autosave of another session's document, its lock gone as a dead process's is."""
    doc = Document(window.doc.project.default())
    if window.doc.path is not None:  # the same file, edited in the session that "crashed"
        doc.new(Project.load(window.doc.path))
    saver = autosave.Autosaver(doc, interval_ms=50)
    commands.insert_layer(doc, 1, layer)
    qtbot.waitUntil(lambda: saver.file is not None and saver.file.exists(), timeout=T)
    saver.wait()
    file = saver.file
    saver._lock.unlock()  # the process died: its lock is stale, its files stay
    saver._lock = saver._file = None
    doc.undo_stack.setClean()
    return file, doc.spec


def test_recover_lists_what_is_kept_and_restores_it(window, qtbot):
    file, spec = leave_behind(qtbot, window)
    window.doc.new()
    window.actions_["Recover"].trigger()
    dialog = window.recovery.dialog
    assert dialog.list.count() == 1 and "Untitled" in dialog.list.item(0).text()
    dialog.restore_button.click()
    assert window.doc.spec == spec and window.doc.dirty  # back, and still unsaved
    assert window.windowTitle().startswith("•")
    assert not file.exists()  # the window's own autosave took over
    wait_for_autosave(qtbot, window)
    assert load(window.autosave.file).spec == spec


def test_recover_discards_what_is_kept(window, qtbot):
    file, _ = leave_behind(qtbot, window)
    cut_short = file.with_name(f".{file.name}.0123abcd.tmp")  # a write the crash interrupted
    cut_short.write_text("{")
    window.actions_["Recover"].trigger()
    dialog = window.recovery.dialog
    dialog.discard_button.click()
    assert not file.exists() and not cut_short.exists() and dialog.list.count() == 0
    assert "Nothing to recover" in dialog.label.text()


def test_a_restored_file_keeps_its_name_and_saves_over_it(window, qtbot, tmp_path):
    path = tmp_path / "mine.nnviz"
    window.doc.save(path)
    file, spec = leave_behind(qtbot, window)
    assert file.name.startswith("mine.")
    window.doc.new()
    assert window.recovery.restore(window.recovery.kept()[0])
    assert window.doc.path == path and window.doc.dirty and "mine.nnviz" in window.windowTitle()
    assert window.save()
    assert load(path).spec == spec


def test_a_damaged_autosave_says_why_and_changes_nothing(window, qtbot, monkeypatch):
    file, _ = leave_behind(qtbot, window)
    file.write_text("{ not json")
    window.doc.new()
    commands.insert_layer(window.doc, 0, DenseSpec(3, "relu"))
    spec, depth = window.doc.spec, window.doc.undo_stack.count()
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    assert not window.recovery.restore(window.recovery.kept()[0])
    assert shown and "not valid JSON" in shown[0]
    assert window.doc.spec == spec and window.doc.undo_stack.count() == depth and window.doc.dirty
    assert file.exists()  # kept: maybe it can be mended


@pytest.mark.parametrize("answer", ["Later", "Discard", "Restore"])
def test_the_next_launch_offers_what_a_crash_left(window, qtbot, answer):
    file, spec = leave_behind(qtbot, window)
    other = other_window(qtbot)
    qtbot.waitUntil(lambda: other.recovery.box is not None and other.recovery.box.isVisible(), timeout=T)
    box = other.recovery.box
    assert "Untitled" in box.text()
    box.findChild(type(box.defaultButton()), f"recovery{answer}").click()
    assert other.recovery.box is None
    if answer == "Later":
        assert file.exists() and len(other.recovery.kept()) == 1
    elif answer == "Discard":
        assert not file.exists() and other.recovery.kept() == []
    else:
        assert other.doc.spec == spec and other.doc.dirty
    other.doc.undo_stack.setClean()


# -- a real crash ----------------------------------------------------------------------

CRASHING_WINDOW = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def main():  # under a main guard: the training process is spawned and imports this file
        app = QApplication([])
        app.setOrganizationName(sys.argv[1])  # the test's names, so both find the same data folder
        app.setApplicationName(sys.argv[1])
        from nnviz.core.spec import DenseSpec
        from nnviz.ui.main_window import MainWindow
        from nnviz.ui.model import commands

        window = MainWindow()
        window.autosave.set_interval(100)
        window.show()
        commands.insert_layer(window.doc, 1, DenseSpec(17, "tanh"))
        tries = [500]

        def written():
            window.autosave.wait()
            if window.autosave.file is not None and window.autosave.file.exists():
                print(window.autosave.file, flush=True)  # the test kills this process now
            elif tries[0]:
                tries[0] -= 1
                QTimer.singleShot(20, written)
            else:
                print("no autosave after 10 s", flush=True)
                app.exit(1)

        QTimer.singleShot(20, written)
        sys.exit(app.exec())

    if __name__ == "__main__":
        main()
""")


def test_a_window_killed_with_sigkill_gets_its_edit_back_at_the_next_launch(qtbot, tmp_path):
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_WINDOW)
    name = QCoreApplication.applicationName()
    child = subprocess.Popen([sys.executable, str(script), name], stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    try:
        file = child.stdout.readline().strip()
        assert file.endswith(".nnviz"), f"the child window wrote no autosave: {file!r}"
        child.send_signal(signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    assert os.path.exists(file) and load(file).spec.layers[1] == DenseSpec(17, "tanh")

    win = other_window(qtbot)  # the next launch
    qtbot.waitUntil(lambda: win.recovery.box is not None and win.recovery.box.isVisible(), timeout=T)
    assert "Untitled" in win.recovery.box.text()
    win.recovery.box.findChild(type(win.recovery.box.defaultButton()), "recoveryRestore").click()
    assert win.doc.spec.layers[1] == DenseSpec(17, "tanh")  # the edit is back
    assert win.doc.dirty and win.windowTitle().startswith("•")
    assert not os.path.exists(file)
    win.doc.undo_stack.setClean()
