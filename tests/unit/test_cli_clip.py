"""nnviz train --clip-norm: saved in the file, honoured by the run, bad values refused with one clear line."""

import numpy as np
import pytest

from nnviz import cli
from nnviz.core import DenseSpec, NetworkSpec, TrainConfig
from nnviz.core.fileformat import NetworkFile
from nnviz.core.project import Project


def start_file(tmp_path):
    spec = NetworkSpec(2, (DenseSpec(8, "tanh"), DenseSpec(1, "sigmoid")))
    # Plain SGD, one step over all 400 training rows: the weights move by learning rate × gradient.
    config = TrainConfig(optimizer="sgd", learning_rate=1.0, batch_size=400, epochs=1)
    path = tmp_path / "start.nnviz"
    Project.from_file(NetworkFile(spec=spec, params=[None] * 2, training=config)).save(path)
    return path


def moved(tmp_path, *flags):
    start = start_file(tmp_path)
    out = tmp_path / "out.nnviz"
    assert cli.main(["train", str(start), "--dataset", "xor", "--out", str(out), *flags]) == 0
    before, after = Project.load(start), Project.load(out)
    return after, float(np.linalg.norm(after.network.params - before.network.params))


def test_clip_norm_bounds_the_step_and_is_saved(tmp_path):
    _, free = moved(tmp_path)
    trained, clipped = moved(tmp_path, "--clip-norm", "0.001")
    assert trained.training.clip_norm == 0.001
    assert clipped <= 0.001 * (1 + 1e-4) < free


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "2e6"])
def test_bad_clip_norm_is_refused(value, tmp_path, capsys):
    assert cli.main(["train", str(start_file(tmp_path)), "--dataset", "xor", "--out", str(tmp_path / "o.nnviz"),
                     f"--clip-norm={value}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--clip-norm" in err and "0 (no clipping)" in err
    assert not (tmp_path / "o.nnviz").exists()
