"""The training panel: choosing data, training into the document, pausing, stepping, resetting, errors."""

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtWidgets import QWidget

from nnviz.core import DenseSpec, NetworkSpec
from nnviz.core.fileformat import NetworkFile
from nnviz.core.training import History
from nnviz.ui.model import commands
from nnviz.ui.io.csv_dialog import CsvImportDialog
from nnviz.ui.model.document import Document
from nnviz.ui.training.controller import TrainingController
from nnviz.ui.training.panel import TrainingPanel

from helpers import choose
from nnviz.core.project import Project

T = 30000  # ms; generous for a slow, loaded machine


def make_doc(spec=None):
    spec = spec or NetworkSpec(2, (DenseSpec(6, "tanh"), DenseSpec(1, "sigmoid")))
    return Document(Project.from_file(NetworkFile(spec=spec, params=[None] * len(spec.layers))))


@pytest.fixture
def doc(qapp):
    return make_doc()


@pytest.fixture
def panel(qtbot, doc, session):
    p = TrainingPanel(doc, TrainingController(doc, session))
    qtbot.addWidget(p)
    p.resize(300, 700)
    yield p
    p.controller.shutdown()


def params(doc):
    return [{k: v.copy() for k, v in layer.items()} for layer in doc.network.copy_params()]


def same(a, b):
    return all(np.array_equal(x[k], y[k]) for x, y in zip(a, b) for k in x)


def limit_epochs(panel, doc, epochs):
    """Runs stop after ``epochs`` (the window's runs go on until paused unless the limit is on)."""
    panel.settings_section.limit_check.setChecked(True)
    commands.set_training(doc, replace(doc.training, epochs=epochs))


def wait_state(qtbot, session, state):
    return qtbot.waitSignal(session.sig_state, timeout=T, check_params_cb=lambda s: s == state)


def start_long_run(qtbot, panel, doc, session):
    choose(panel, "xor")
    with qtbot.waitSignal(panel.controller.run.updated, timeout=T):
        panel.actionTrain.trigger()
    assert session.is_running


def test_choosing_a_dataset_sets_the_document(panel, doc):
    section = panel.dataset_section
    assert not doc.dirty
    choose(panel, "spiral")
    assert doc.dataset_record.to_dict() == {"name": "spiral", "n_samples": 500, "noise": 0.0, "seed": 0}
    assert doc.data is not None and doc.data.n_samples == 500
    assert section.summary_label.text().startswith("500 samples · 2 features · 2 classes · 400 train / 100 validation")
    section.noise_spin.setValue(20)
    assert doc.dataset_record.noise == pytest.approx(0.2)
    choose(panel, "xor")
    assert doc.dataset_record.name == "xor" and doc.data.name == "xor"
    assert doc.dirty
    choose(panel, "iris")
    assert doc.data.n_features == 4 and not section.noise_spin.isVisibleTo(panel)


def test_a_files_dataset_record_is_loaded_without_making_it_dirty(qtbot, session, tmp_path):
    nf = NetworkFile(spec=NetworkSpec(2, (DenseSpec(1, "sigmoid"),)), params=[None],
                     dataset={"name": "moons", "n_samples": 200, "noise": 0.1, "seed": 3})
    doc = Document(Project.from_file(nf))
    panel = TrainingPanel(doc, TrainingController(doc, session))
    qtbot.addWidget(panel)
    section = panel.dataset_section
    assert doc.data is not None and doc.data.n_samples == 200 and doc.data.name == "moons"
    assert not doc.dirty
    assert section.dataset_combo.currentData() == "toy:moons" and section.samples_spin.value() == 200

    # A CSV file that has gone: the panel says so, no dialog.
    doc.new(Project.from_file(NetworkFile(spec=nf.spec, params=[None], dataset={"path": str(tmp_path / "gone.csv"), "name": "gone"})))
    assert doc.data is None
    assert section.dataset_error.isVisibleTo(panel) and "gone.csv" in section.dataset_error.text()


def test_train_updates_the_document(qtbot, panel, doc, session):
    choose(panel, "xor")
    before = params(doc)
    limit_epochs(panel, doc, 3)
    updates = []
    panel.controller.run.updated.connect(lambda: updates.append(1))
    with wait_state(qtbot, session, "finished"):
        panel.actionTrain.trigger()
    assert updates
    assert not same(before, params(doc))
    assert doc.history.epoch == [1, 2, 3]
    assert doc.dirty
    assert panel.readout["epoch"].text() == "3"

    # A second run continues the history.
    with wait_state(qtbot, session, "finished"):
        panel.actionTrain.trigger()
    assert doc.history.epoch == [1, 2, 3, 4, 5, 6]


def test_pause_and_resume(qtbot, panel, doc, session):
    start_long_run(qtbot, panel, doc, session)
    assert panel.actionTrain.text() == "Pause"
    with wait_state(qtbot, session, "paused"):
        panel.actionTrain.trigger()
    assert session.state == "paused" and panel.actionTrain.text() == "Resume"
    with wait_state(qtbot, session, "running"):
        panel.actionTrain.trigger()
    assert panel.actionTrain.text() == "Pause"


def test_step_from_idle_advances_one_step(qtbot, panel, doc, session):
    choose(panel, "xor")
    before = params(doc)
    run = panel.controller.run
    panel.actionStep.trigger()
    qtbot.waitUntil(lambda: run.step == 1 and run.state == "paused", timeout=T)
    assert session.state == "paused"
    assert not same(before, params(doc))
    panel.actionStep.trigger()
    qtbot.waitUntil(lambda: run.step == 2, timeout=T)


def test_an_epochs_row_that_lands_after_the_runs_last_state_shows_in_the_readout(qtbot, panel, doc, session):
    # The epoch's row comes by the pipe, the weights by shared memory: a frame can read the end of
    # the epoch before its row lands, and a paused run sends no frame after it (the loss stayed "—").
    choose(panel, "xor")
    run, loss = panel.controller.run, panel.readout["loss"]
    panel.actionStep.trigger()
    qtbot.waitUntil(lambda: run.step == 1 and run.state == "paused", timeout=T)
    assert loss.text() == "—" and panel.controller.show_newest() is None  # nothing newer to read
    row = History()
    row.append(1, 0.123, None, 0.5, None)
    session.sig_rows.emit(row, [])  # as the training process sends it
    panel.controller.show_newest()  # the next frame: no newer weights, one new row
    assert loss.text() == "0.1230"


def test_reset_restores_fresh_weights_and_is_undoable(qtbot, panel, doc, session):
    choose(panel, "xor")
    fresh = params(doc)  # the document's weights come from the training seed, like Reset's
    limit_epochs(panel, doc, 2)
    with wait_state(qtbot, session, "finished"):
        panel.actionTrain.trigger()
    trained = params(doc)
    assert len(doc.history) == 2
    panel.actionResetTraining.trigger()
    assert same(fresh, params(doc))
    assert len(doc.history) == 0
    doc.undo_stack.undo()
    assert same(trained, params(doc))
    assert len(doc.history) == 2


def test_an_edit_while_running_stops_the_run(qtbot, panel, doc, session):
    start_long_run(qtbot, panel, doc, session)
    statuses = []
    panel.controller.sig_status.connect(statuses.append)
    with wait_state(qtbot, session, "stopped"):
        commands.insert_layer(doc, 1, DenseSpec(3, "relu"))
    assert statuses == ["Training stopped: the network was edited."]
    assert [layer.units for layer in doc.spec.layers] == [6, 3, 1]
    # The stopped run's last update does not overwrite the edited network.
    assert doc.network.copy_params()[1]["weights"].shape == (6, 3)
    assert panel.actionTrain.text() == "Train"


def test_divergence_is_shown_and_the_weights_stay_finite(qtbot, session):
    doc = make_doc(NetworkSpec(2, (DenseSpec(8, "linear"), DenseSpec(1, "linear"))))
    panel = TrainingPanel(doc, TrainingController(doc, session))
    qtbot.addWidget(panel)
    choose(panel, "plane")
    commands.set_training(doc, replace(doc.training, optimizer="sgd", learning_rate=10.0, epochs=50))
    statuses = []
    panel.controller.sig_status.connect(statuses.append)
    with wait_state(qtbot, session, "diverged"):
        panel.actionTrain.trigger()
    assert panel.notice.isVisibleTo(panel)
    assert "diverged" in panel.notice.text() and "learning rate" in panel.notice.text()
    assert any("diverged" in s for s in statuses)
    assert all(np.isfinite(a).all() for layer in doc.network.copy_params() for a in layer.values())
    panel.controller.shutdown()


def test_a_width_mismatch_is_shown_in_the_panel(qtbot, panel, doc, session):
    choose(panel, "iris")  # 4 features, 3 classes; the network takes 2 inputs
    assert "set its inputs to 4" in panel.dataset_section.summary_label.text()
    with qtbot.waitSignal(session.sig_error, timeout=T):
        panel.actionTrain.trigger()
    assert panel.notice.isVisibleTo(panel) and "could not run" in panel.notice.text()


def test_settings_change_the_documents_training(panel, doc):
    settings = panel.settings_section
    settings.lr_spin.setValue(0.3)
    assert doc.training.learning_rate == pytest.approx(0.3)
    settings.lr_spin.stepBy(1)
    assert doc.training.learning_rate == pytest.approx(1.0)
    settings.optimizer_combo.setCurrentIndex(settings.optimizer_combo.findData("sgd"))
    assert doc.training.optimizer == "sgd"
    settings.batch_spin.setValue(8)
    settings.epochs_spin.setValue(7)
    panel.dataset_section.val_spin.setValue(30)  # shown beside the data it splits
    settings.l2_spin.setValue(0.01)
    assert (doc.training.batch_size, doc.training.epochs, doc.training.val_split, doc.training.l2) == (8, 7, 0.3, 0.01)
    assert settings.loss_combo.itemText(0) == "Auto"
    assert settings.loss_note.isVisibleTo(panel) and settings.loss_note.text() == "Auto picks binary cross-entropy for these targets."
    # and back: the document's settings show in the panel
    commands.set_training(doc, replace(doc.training, batch_size=64, optimizer="rmsprop"))
    assert settings.batch_spin.value() == 64 and settings.optimizer_combo.currentData() == "rmsprop"


def test_csv_errors_show_in_the_dialog(qtbot, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,label\n1,2,x\n3,4,y\n5,oops,x\n7,8,y\n", encoding="utf-8")
    dialog = CsvImportDialog()
    qtbot.addWidget(dialog)
    assert not dialog.load(bad)
    assert 'Line 4, column "b"' in dialog.error and '"oops"' in dialog.error
    assert not dialog.ok_button.isEnabled()
    assert dialog.table.rowCount() == 4  # the preview still shows the broken file


def test_a_good_csv_imports_with_the_chosen_target(qtbot, panel, doc, tmp_path, monkeypatch):
    good = tmp_path / "good.csv"
    good.write_text("kind,x1,x2\n" + "".join(f"{'ab'[i % 2]},{i},{i * i % 7}\n" for i in range(12)), encoding="utf-8")
    dialog = CsvImportDialog()
    qtbot.addWidget(dialog)
    assert not dialog.load(good)  # with the default target (x2), "kind" is a feature of letters
    dialog.target_combo.setCurrentText("kind")
    assert dialog.dataset is not None and dialog.ok_button.isEnabled() and not dialog.error
    assert dialog.dataset.feature_names == ["x1", "x2"] and dialog.dataset.n_classes == 2
    record = dialog.record()
    assert record.target == "kind" and record.path == str(good)

    monkeypatch.setattr(CsvImportDialog, "run", classmethod(lambda cls, parent=None: (dialog.dataset, record)))
    combo = panel.dataset_section.dataset_combo
    combo.setCurrentIndex(combo.findData("import:"))
    combo.activated.emit(combo.currentIndex())
    assert doc.dataset_record == record and doc.data is dialog.dataset
    assert combo.currentText() == "good (CSV)"


def test_the_offered_dataset_is_shown_before_training_without_an_edit(qtbot, session):
    doc = make_doc()
    panel = TrainingPanel(doc, TrainingController(doc, session))
    qtbot.addWidget(panel)
    assert doc.data is not None and doc.data.n_features == 2  # the decision boundary can draw it
    assert doc.dataset_record is None and not doc.dirty


def test_training_on_standardised_data_makes_the_probe_take_raw_inputs(qtbot, session):
    spec = NetworkSpec(4, (DenseSpec(5, "relu"), DenseSpec(3, "softmax")))
    doc = make_doc(spec)
    panel = TrainingPanel(doc, TrainingController(doc, session))
    qtbot.addWidget(panel)
    choose(panel, "iris")  # a shipped table: standardised for training
    with qtbot.waitSignal(panel.controller.run.updated, timeout=T):
        panel.actionStep.trigger()
    std = doc.data.standardization
    assert std is not None and doc.standardization is std  # saved with the file, used by `nnviz predict`
    raw = std.mean + 2.0 * std.std  # a flower in centimetres
    commands.set_probe(doc, raw)
    expected = doc.network.predict(((raw - std.mean) / std.std)[None, :])[0]
    np.testing.assert_allclose(doc.trace()[-1]["a"][0], expected, rtol=1e-5)
    panel.controller.shutdown()


def test_the_live_readout_never_moves_the_panel(qtbot, panel):
    panel.show()
    qtbot.waitExposed(panel)
    before = {w: w.geometry() for w in panel.findChildren(QWidget) if w.isVisible()}
    for text in ("1", "123,456,789", "—", "0.000001234", "x" * 80):
        panel.readout["epoch"].setText(text)
        panel.readout["loss"].setText(text)
        qtbot.wait(10)
    assert {w: w.geometry() for w in before} == before  # nothing was laid out again
    long = "a readout far longer than the room it was given: " * 3
    panel.readout["speed"].setText(long)
    assert panel.readout["speed"].text() == long
    panel.readout["speed"].grab()  # paints: the text is elided and the full text is the tooltip
    assert long.strip() in panel.readout["speed"].toolTip()
