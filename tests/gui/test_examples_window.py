"""Every example opens in the window on its own data, with nothing saying the data does not fit, and trains."""

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QApplication

from nnviz.ui.main_window import example_files
from nnviz.ui.model import commands

T = 30000  # ms; generous for a slow, loaded machine
EXAMPLES = sorted(example_files(), key=lambda p: p.stem)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_opens_on_data_that_fits(window, path):
    assert window.open_file(path, ask=False)
    section = window.training.dataset_section
    data = window.doc.data
    assert data is not None, section.dataset_error.text()
    assert data.n_features == window.doc.spec.inputs
    assert section.dataset_combo.currentData() in (f"toy:{data.name}", f"real:{data.name}")
    summary = section.summary_label.text()
    assert summary.startswith(f"{data.n_samples:,} samples")
    assert "The network takes" not in summary and "set its inputs" not in summary
    assert not section.dataset_error.isVisibleTo(window)
    assert section.can_train()
    assert not window.doc.dirty


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_trains_in_the_window(window, qtbot, path):
    assert window.open_file(path, ask=False)
    done = window.doc.project.epochs_done  # some examples ship trained
    panel = window.training
    panel.settings_section.limit_check.setChecked(True)
    commands.set_training(window.doc, replace(window.doc.training, epochs=2))
    panel.actionTrain.trigger()
    qtbot.waitUntil(lambda: window.doc.project.epochs_done == done + 2 and window.controller.run.state != "running",
                    timeout=T)
    assert "could not run" not in panel.notice.text()
    QApplication.processEvents()
    assert panel.readout["epoch"].text() == str(done + 2)
