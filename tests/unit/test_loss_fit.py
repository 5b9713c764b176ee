"""Losses that fit the data: "auto" picks from the output layer *and* the targets, and a cross-entropy
the targets cannot take is refused before training, saying what to choose (core and command line)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz.core import DenseSpec, Network, NetworkSpec, TrainConfig, TrainingError
from nnviz.core.losses import auto_loss, loss_misfit
from nnviz.core.project import DatasetRecord, Project
from nnviz.core.training import Trainer

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
ACTIVATIONS = ("sigmoid", "softmax", "tanh", "linear", "relu")
KINDS = ("binary", "one-hot", "regression")
LOSSES = ("auto", "mse", "bce", "cce")


def targets(kind, n=60, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "binary":  # one 0/1 column
        return rng.integers(0, 2, n).astype(float)
    if kind == "one-hot":  # three classes
        return np.eye(3)[rng.integers(0, 3, n)]
    return rng.normal(2.0, 3.0, n)  # measured values, well outside [0, 1]


def outputs(kind, activation):
    if kind == "one-hot":
        return 3
    return 2 if kind == "binary" and activation == "softmax" else 1  # a 0/1 column feeds two softmax units


def trainer(loss, activation, kind, classification=None):
    y = targets(kind)
    x = np.random.default_rng(1).normal(size=(len(y), 2))
    spec = NetworkSpec(2, (DenseSpec(4, "tanh"), DenseSpec(outputs(kind, activation), activation)))
    config = TrainConfig(loss=loss, epochs=3, batch_size=16, learning_rate=0.05)
    return Trainer(Network(spec, seed=0), x, y, config, validation=(x[:10], y[:10]), classification=classification)


def expected(loss, activation, kind):
    """The loss a run uses, or None where it must be refused."""
    if loss == "auto":
        if kind == "regression":
            return "mse"
        if activation == "sigmoid":
            return "bce"
        return "cce" if activation == "softmax" else "mse"
    if loss == "bce" and kind == "regression":
        return None
    if loss == "cce" and kind != "one-hot" and not (kind == "binary" and activation == "softmax"):
        return None  # one 0/1 column is not one class per row; regression values are no classes
    return loss


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", LOSSES)
def test_every_loss_output_and_target_kind(loss, activation, kind):
    want = expected(loss, activation, kind)
    if want is None:
        with pytest.raises(TrainingError) as caught:
            trainer(loss, activation, kind)
        message = str(caught.value)
        assert "choose" in message and "auto" in message
        assert ("mean squared error" if kind == "regression" else "binary cross-entropy") in message.split("choose")[1]
        return
    t = trainer(loss, activation, kind)
    assert t.loss == want
    for _ in t.steps():
        pass
    # A loss that fits its targets is never below zero: a negative one is the wrong number the issue saw.
    assert t.status in ("finished", "diverged")
    assert all(v >= 0 for v in t.history.train_loss + t.history.val_loss)


@pytest.mark.parametrize("activation", ("sigmoid", "softmax"))
def test_auto_picks_mean_squared_error_for_a_regression_task(activation):
    # Targets inside [0, 1] a cross-entropy could take, but the data says they are measured values.
    kind = "one-hot" if activation == "softmax" else "binary"
    assert trainer("auto", activation, kind, classification=False).loss == "mse"
    assert trainer("auto", activation, kind, classification=True).loss != "mse"


def test_auto_without_targets_follows_the_output_layer():
    assert auto_loss("sigmoid", 1) == "bce" and auto_loss("softmax", 3) == "cce" and auto_loss("tanh", 1) == "mse"
    assert auto_loss("sigmoid", 1, np.array([[0.0], [1.0]])) == "bce"
    assert auto_loss("sigmoid", 1, np.array([[-1.0], [1.0]])) == "mse"


def test_soft_targets_inside_0_1_are_taken():
    assert loss_misfit("bce", np.array([[0.2], [0.9]])) is None
    assert loss_misfit("cce", np.array([[0.3, 0.7], [1.0, 0.0]])) is None
    assert "1 of 2 rows" in loss_misfit("cce", np.array([[0.3, 0.3], [1.0, 0.0]]))
    assert "from -0.5 to 2" in loss_misfit("bce", np.array([[-0.5], [2.0]]))


def test_a_validation_row_out_of_range_is_refused_too():
    y = np.zeros(20)
    y[::2] = 1
    x = np.random.default_rng(0).normal(size=(20, 2))
    spec = NetworkSpec(2, (DenseSpec(1, "sigmoid"),))
    with pytest.raises(TrainingError, match="mean squared error"):
        Trainer(Network(spec), x, y, TrainConfig(loss="bce"), validation=(x[:2], np.array([0.0, 3.0])))
    # auto takes one loss both sets can take
    assert Trainer(Network(spec), x, y, TrainConfig(), validation=(x[:2], np.array([0.0, 3.0]))).loss == "mse"


def test_a_run_cannot_switch_to_a_loss_its_targets_cannot_take():
    t = trainer("auto", "sigmoid", "regression")
    with pytest.raises(TrainingError, match="choose mean squared error"):
        t.reconfigure(TrainConfig(loss="bce", epochs=3, batch_size=16, learning_rate=0.05))
    assert t.loss == "mse" and t.config.loss == "auto"  # nothing changed


def test_the_issue_case_trains_a_sigmoid_network_on_plane_with_mean_squared_error():
    project = Project.load(EXAMPLES / "relu_2-4-4-1_circle.nnviz")
    assert project.spec.output_activation() == "sigmoid" and project.training.loss == "auto"
    project.dataset = DatasetRecord.from_argument("plane")
    project.training.epochs = 5
    t = project.trainer(project.load_dataset())
    assert t.loss == "mse"
    for _ in t.steps():
        pass
    assert t.status == "finished" and 0 <= t.history.train_loss[-1] < 1


# -- the command line ------------------------------------------------------------------


def nnviz(*args):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    code = "import sys; from nnviz.__main__ import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def circle_file(tmp_path):
    path = tmp_path / "circle.nnviz"
    shutil.copy(EXAMPLES / "relu_2-4-4-1_circle.nnviz", path)
    return path


@pytest.mark.parametrize("loss, dataset, fragment", [
    ("bce", "plane", "choose mean squared error"),
    ("cce", "plane", "choose mean squared error"),
    ("cce", "circle", "choose binary cross-entropy"),
])
def test_cli_refuses_a_cross_entropy_the_targets_cannot_take(circle_file, tmp_path, loss, dataset, fragment):
    out = tmp_path / "out.nnviz"
    proc = nnviz("train", str(circle_file), "--dataset", dataset, "--loss", loss, "--epochs", "2", "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[0].startswith("nnviz: ") and fragment in lines[0]
    assert "epoch" not in proc.stderr  # refused before the first epoch
    assert not out.exists()


def test_cli_auto_trains_plane_with_mean_squared_error(circle_file, tmp_path):
    out = tmp_path / "out.nnviz"
    proc = nnviz("train", str(circle_file), "--dataset", "plane", "--epochs", "3", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    loss = float(proc.stdout.split("loss ")[1].split(",")[0])
    assert 0 <= loss < 1  # not -7.2e5
    assert Project.load(out).training.loss == "auto"


def test_cli_loss_flag_is_saved(circle_file, tmp_path):
    out = tmp_path / "out.nnviz"
    proc = nnviz("train", str(circle_file), "--dataset", "circle", "--loss", "mse", "--epochs", "2", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert Project.load(out).training.loss == "mse"
