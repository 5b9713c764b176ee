"""`nnviz train` and the window's Train write the same file: one model, one code path."""

import numpy as np

from nnviz import cli
from nnviz.core import DenseSpec, NetworkSpec, TrainConfig
from nnviz.core.fileformat import NetworkFile, load
from nnviz.core.project import DatasetRecord, Project
from nnviz.ui.model import commands


def test_cli_and_window_training_write_the_same_file(window, qtbot, tmp_path):
    spec = NetworkSpec(4, (DenseSpec(8, "tanh"), DenseSpec(3, "softmax")), name="iris")
    start = Project.from_file(NetworkFile(spec=spec, params=[None] * 2,
                                          training=TrainConfig(epochs=15, batch_size=16, seed=7)))
    start.dataset = DatasetRecord("iris")
    start.save(tmp_path / "start.nnviz")

    assert cli.main(["train", str(tmp_path / "start.nnviz"), "--out", str(tmp_path / "cli.nnviz")]) == 0

    assert window.open_file(tmp_path / "start.nnviz", ask=False)
    doc = window.doc
    qtbot.waitUntil(lambda: doc.data is not None)
    run = window.controller.run
    window.training.settings_section.limit_check.setChecked(True)  # the window stops where `nnviz train` does
    window.training.pace_slider.setValue(window.training.pace_slider.maximum())
    with qtbot.waitSignal(run.state_changed, check_params_cb=lambda state: state == "finished", timeout=30000):
        window.actions_["Train"].trigger()
    doc.save(tmp_path / "window.nnviz")

    by_cli, by_window = load(tmp_path / "cli.nnviz"), load(tmp_path / "window.nnviz")
    assert len(by_window.history) == 15
    assert by_window.history == by_cli.history  # losses, accuracies and gradient norms, epoch by epoch
    assert by_window.dataset == by_cli.dataset == {"name": "iris", "standardize": True}
    np.testing.assert_array_equal(by_window.standardization.mean, by_cli.standardization.mean)
    np.testing.assert_array_equal(by_window.standardization.std, by_cli.standardization.std)
    assert by_window.input_names == by_cli.input_names and by_window.output_names == by_cli.output_names
    assert by_window.training == by_cli.training
    for a, b in zip(by_window.params, by_cli.params):
        for name in a:
            np.testing.assert_array_equal(a[name], b[name])  # bit for bit: the same seed, the same steps
    commands.reset_training(doc)  # and the run is undoable as one step
    doc.undo_stack.undo()
    assert doc.history.to_dict() == by_window.history.to_dict()
