"""The document: every edit is an undo step, and the undo stack's clean state is the only "unsaved" flag."""

from dataclasses import replace

import numpy as np

from nnviz.core import DenseSpec, NetworkSpec
from nnviz.core.datasets import make_toy
from nnviz.core.fileformat import NetworkFile, load
from nnviz.core.project import DatasetRecord, Project
from nnviz.core.training import History
from nnviz.ui.model import commands
from nnviz.ui.model.document import Document


def make_doc():
    spec = NetworkSpec(2, (DenseSpec(3, "tanh"), DenseSpec(1, "sigmoid")))
    return Document(Project.from_file(NetworkFile(spec=spec, params=[None] * 2)))


def epochs(*losses) -> History:
    history = History()
    for i, loss in enumerate(losses, 1):
        history.append(i, loss, None, None, None)
    return history


def trained(doc, run=1):
    """What the training controller does with a run's updates: apply them through the command."""
    data = make_toy("xor", 40, seed=0)
    commands.set_dataset(doc, DatasetRecord("xor", n_samples=40), data)
    params = doc.network.copy_params()
    params[0]["weights"] += 1.0
    commands.apply_run(doc, params, epochs(0.5), doc.project.epochs_done, run)
    params[0]["weights"] += 1.0
    commands.apply_run(doc, params, epochs(0.5, 0.4).since(1), 0, run)
    return params


def test_training_marks_the_document_unsaved_and_saving_clears_it(tmp_path, qtbot):
    doc = make_doc()
    with qtbot.waitSignal(doc.dirty_changed):
        params = trained(doc)
    assert doc.dirty
    np.testing.assert_array_equal(doc.network.layer_params(0)["weights"], params[0]["weights"])
    doc.save(tmp_path / "t.nnviz")
    assert not doc.dirty
    assert load(tmp_path / "t.nnviz").history.train_loss == [0.5, 0.4]


def test_a_run_is_one_undo_step_back_to_before_it():
    doc = make_doc()
    before = doc.network.copy_params()
    trained(doc)
    assert doc.undo_stack.undoText() == "Train"
    assert doc.history.epoch == [1, 2]
    doc.undo_stack.undo()
    assert len(doc.history) == 0
    np.testing.assert_array_equal(doc.network.layer_params(0)["weights"], before[0]["weights"])
    doc.undo_stack.redo()
    assert doc.history.train_loss == [0.5, 0.4]


def test_reset_clears_weights_and_history_in_one_undo_step():
    doc = make_doc()
    params = trained(doc)
    commands.reset_training(doc)
    assert len(doc.history) == 0
    assert not np.array_equal(doc.network.layer_params(0)["weights"], params[0]["weights"])
    doc.undo_stack.undo()
    assert doc.history.train_loss == [0.5, 0.4]
    np.testing.assert_array_equal(doc.network.layer_params(0)["weights"], params[0]["weights"])


def test_training_settings_are_kept_and_saved(tmp_path):
    doc = make_doc()
    commands.set_training(doc, replace(doc.training, learning_rate=0.123, optimizer="sgd"))
    record = DatasetRecord("xor", n_samples=200)
    commands.set_dataset(doc, record, record.load())
    doc.save(tmp_path / "s.nnviz")
    saved = load(tmp_path / "s.nnviz")
    assert saved.training.learning_rate == 0.123 and saved.training.optimizer == "sgd"
    assert saved.dataset == {"name": "xor", "n_samples": 200, "noise": 0.0, "seed": 0}


def test_a_training_setting_undoes_and_redoes(qtbot):
    doc = make_doc()
    with qtbot.waitSignal(doc.training_changed):
        commands.set_training(doc, replace(doc.training, learning_rate=0.3))
    commands.set_training(doc, replace(doc.training, learning_rate=0.1))  # the same setting again: one step
    assert doc.dirty and doc.undo_stack.count() == 1
    with qtbot.waitSignal(doc.training_changed):
        doc.undo_stack.undo()
    assert doc.training.learning_rate == 0.01 and not doc.dirty
    doc.undo_stack.redo()
    assert doc.training.learning_rate == 0.1


def test_a_dataset_change_undoes_and_redoes(qtbot):
    doc = make_doc()
    first, second = DatasetRecord("xor"), DatasetRecord("spiral", noise=0.1)
    commands.set_dataset(doc, first, first.load())
    commands.set_dataset(doc, second, second.load())
    assert doc.dataset_record == second and doc.data.name == "spiral"
    with qtbot.waitSignal(doc.dataset_changed):
        doc.undo_stack.undo()
    assert doc.dataset_record == first and doc.data.name == "xor"
    doc.undo_stack.redo()
    assert doc.dataset_record == second and doc.data.name == "spiral"


def test_a_probe_change_undoes_and_redoes_and_is_saved(tmp_path, qtbot):
    doc = make_doc()
    with qtbot.waitSignal(doc.probe_changed):
        commands.set_probe(doc, [0.25, -1.0])
    commands.set_probe(doc, [0.5, -1.0])  # typing on: one step
    assert doc.undo_stack.count() == 1 and doc.dirty
    first = doc.trace()[-1]["a"].copy()
    doc.undo_stack.undo()
    np.testing.assert_array_equal(doc.probe, [1.0, 1.0])
    assert not np.array_equal(doc.trace()[-1]["a"], first)
    doc.undo_stack.redo()
    doc.save(tmp_path / "p.nnviz")
    assert Document(Project.load(tmp_path / "p.nnviz")).probe.tolist() == [0.5, -1.0]


def test_opening_another_file_stops_a_run_and_forgets_its_gradients(window, qtbot, tmp_path):
    from nnviz.core.spec import DenseSpec as Dense

    doc = window.doc
    record = DatasetRecord("xor")
    commands.set_dataset(doc, record, record.load())
    run = window.controller.run
    with qtbot.waitSignal(run.updated, timeout=10000):
        window.actions_["Train"].trigger()
    assert run.gradients is not None
    other = Project.from_file(NetworkFile(spec=NetworkSpec(2, (Dense(4, "relu"), Dense(4, "relu"), Dense(1, "sigmoid"))),
                                          params=[None] * 3))
    other.save(tmp_path / "other.nnviz")
    window.doc.undo_stack.setClean()
    assert window.open_file(tmp_path / "other.nnviz")
    assert not window.controller.live and run.gradients is None and run.state == "idle"
    assert window.view.scene().grad_norms is None  # the canvas shows no gradients of the other network
