"""The document's training-related state: unsaved changes, reset as one undo step."""

import numpy as np

from nnviz.core import DenseSpec, NetworkSpec
from nnviz.core.fileformat import NetworkFile, load
from nnviz.core.training import History
from nnviz.ui.model import commands
from nnviz.ui.model.document import Document


def make_doc():
    spec = NetworkSpec(2, (DenseSpec(3, "tanh"), DenseSpec(1, "sigmoid")))
    return Document(NetworkFile(spec=spec, params=[None] * 2))


def trained(doc):
    params = doc.network.copy_params()
    params[0]["weights"] += 1.0
    history = History()
    history.append(1, 0.5, 0.6, 0.7, 0.8)
    doc.apply_training(params, history)
    return params


def test_training_marks_the_document_unsaved_and_saving_clears_it(tmp_path, qtbot):
    doc = make_doc()
    with qtbot.waitSignal(doc.dirty_changed):
        params = trained(doc)
    assert doc.dirty
    np.testing.assert_array_equal(doc.network.layer_params(0)["weights"], params[0]["weights"])
    doc.save(tmp_path / "t.nnviz")
    assert not doc.dirty
    assert load(tmp_path / "t.nnviz").history.train_loss == [0.5]


def test_reset_clears_weights_and_history_in_one_undo_step():
    doc = make_doc()
    params = trained(doc)
    commands.reset_training(doc)
    assert len(doc.history) == 0
    assert not np.array_equal(doc.network.layer_params(0)["weights"], params[0]["weights"])
    doc.undo_stack.undo()
    assert doc.history.train_loss == [0.5]
    np.testing.assert_array_equal(doc.network.layer_params(0)["weights"], params[0]["weights"])


def test_training_settings_are_kept_and_saved(tmp_path):
    from dataclasses import replace

    doc = make_doc()
    doc.set_training(replace(doc.training, learning_rate=0.123, optimizer="sgd"))
    doc.set_dataset({"name": "xor", "n_samples": 200, "noise": 0.0, "seed": 0})
    doc.save(tmp_path / "s.nnviz")
    saved = load(tmp_path / "s.nnviz")
    assert saved.training.learning_rate == 0.123 and saved.training.optimizer == "sgd"
    assert saved.dataset["name"] == "xor"
