"""Every shipped example opens on data that fits it and trains as shipped (no Qt)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnviz.core.datasets import CLASSIFICATION
from nnviz.core.project import Project

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.nnviz"))


def test_there_are_examples():
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_recorded_dataset_fits_the_network(path):
    project = Project.load(path)
    assert project.dataset is not None, f"{path.name} records no dataset: a newcomer cannot train it"
    data = project.load_dataset()
    assert data.n_features == project.spec.inputs
    if data.task == CLASSIFICATION and data.n_classes > 2:
        assert project.spec.outputs == data.n_classes  # one softmax output per class
        assert project.output_names == list(data.target_names)
    else:
        assert project.spec.outputs == data.n_outputs
    assert project.input_names == list(data.feature_names)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_example_trains_a_few_epochs(path):
    project = Project.load(path)
    done = project.epochs_done
    data = project.load_dataset()
    trainer = project.trainer(data)
    for _ in trainer.steps(3):
        pass
    project.apply_run(trainer.net.copy_params(), trainer.history, done)
    assert project.epochs_done == done + 3
    assert np.isfinite(project.history.train_loss[-3:]).all()


def test_the_iris_classifier_learns():
    project = Project.load(next(p for p in EXAMPLES if p.stem.startswith("iris")))
    assert project.epochs_done == 0  # shipped untrained, to be trained in front of a class
    trainer = project.trainer(project.load_dataset())
    for _ in trainer.steps(60):
        pass
    assert trainer.history.val_accuracy[-1] >= 0.8
