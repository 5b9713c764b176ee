"""Project and DatasetRecord: what an open file holds, how its data is found again, and how it is saved."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from nnviz.core import DenseSpec, Network, NetworkSpec, TrainConfig
from nnviz.core.datasets import DatasetError, Standardization, dataset_names, load_real, make_toy
from nnviz.core.fileformat import FileFormatError, NetworkFile, load, save
from nnviz.core.project import DatasetRecord, Project

TINY_CSV = "a,b,label\n1,2,x\n2,3,y\n3,4,x\n4,5,y\n"


@pytest.fixture
def tiny_csv(tmp_path) -> Path:
    path = tmp_path / "tiny.csv"
    path.write_text(TINY_CSV, encoding="utf-8")
    return path


# -- DatasetRecord ------------------------------------------------------------


def test_a_toy_record_makes_the_toy_it_names():
    record = DatasetRecord("spiral", n_samples=60, noise=0.1, seed=2)
    assert record.kind == "toy"
    np.testing.assert_array_equal(record.load().x, make_toy("spiral", 60, 0.1, 2).x)


def test_the_argument_names_a_toy_with_the_training_seed_or_a_table():
    assert DatasetRecord.from_argument("xor", seed=7) == DatasetRecord("xor", seed=7)
    record = DatasetRecord.from_argument("wine", standardize=False)
    assert record.kind == "table"
    data = record.load()
    assert data.name == "wine" and data.standardization is None
    np.testing.assert_array_equal(data.x, load_real("wine", standardize=False).x)


def test_the_argument_names_a_csv_file_by_its_absolute_path(tiny_csv, monkeypatch):
    monkeypatch.chdir(tiny_csv.parent)
    record = DatasetRecord.from_argument("tiny.csv", target="label", standardize=False)
    assert record.kind == "csv"
    assert record == DatasetRecord("tiny", path=str(tiny_csv.resolve()), target="label", standardize=False)
    data = record.load()
    assert data.name == "tiny" and data.x.shape == (4, 2) and data.standardization is None


def test_an_unknown_argument_lists_the_names(tmp_path):
    with pytest.raises(DatasetError) as info:
        DatasetRecord.from_argument(str(tmp_path / "nope.csv"))
    for name in dataset_names():
        assert name in str(info.value)


@pytest.mark.parametrize("name", ["xor", "iris"])
def test_the_argument_refuses_a_target_for_named_datasets(name):
    with pytest.raises(DatasetError, match="only for CSV"):
        DatasetRecord.from_argument(name, target="y")


@pytest.mark.parametrize(
    "record, entry",
    [
        (DatasetRecord("circle", n_samples=200, noise=0.25, seed=3), {"name": "circle", "n_samples": 200, "noise": 0.25, "seed": 3}),
        (DatasetRecord("iris", standardize=False), {"name": "iris", "standardize": False}),
        (DatasetRecord("m", path="/data/m.csv"), {"name": "m", "path": "/data/m.csv", "standardize": True}),
        (
            DatasetRecord("m", path="data/m.csv", target="kind", standardize=False),
            {"name": "m", "path": "data/m.csv", "target": "kind", "standardize": False},
        ),
    ],
    ids=["toy", "table", "csv", "csv-target"],
)
def test_a_record_saves_only_the_keys_of_its_kind_and_reads_back(record, entry):
    assert record.to_dict() == entry
    assert json.loads(json.dumps(entry)) == entry  # JSON scalars only
    assert DatasetRecord.from_dict(entry) == record


@pytest.mark.parametrize(
    "entry, record",
    [
        # What the command line used to write for every named dataset.
        ({"name": "xor", "standardize": True, "seed": 3}, DatasetRecord("xor", seed=3)),
        ({"name": "wine", "standardize": False, "seed": 0}, DatasetRecord("wine", standardize=False)),
        # What the CSV import dialog writes (a null target: the last column).
        ({"path": "/d/x.csv", "target": None, "name": "x", "standardize": True}, DatasetRecord("x", path="/d/x.csv")),
        ({"path": "/d/scores.csv"}, DatasetRecord("scores", path="/d/scores.csv")),
        ({"name": "spiral", "colour": "blue"}, DatasetRecord("spiral")),
    ],
)
def test_older_and_partial_entries_read(entry, record):
    assert DatasetRecord.from_dict(entry) == record


@pytest.mark.parametrize(
    "entry, fragments",
    [
        ({"name": "titanic"}, ['"titanic"', "spiral", "choose the data again"]),
        ({}, ["no dataset", "choose the data again"]),
        ({"name": "spiral", "n_samples": "many"}, ['"n_samples" must be a whole number', "'many'"]),
        ({"name": "spiral", "noise": True}, ['"noise" must be a number']),
        ({"name": "spiral", "seed": -1}, ['"seed" must be a whole number from 0']),
        ({"name": "iris", "standardize": "yes"}, ['"standardize" must be true or false']),
        ({"name": 5}, ['"name" must be a string']),
        ({"path": 5, "name": "x"}, ['"path" must be a file path']),
        (["spiral"], ["must be an object"]),
    ],
)
def test_an_unusable_entry_says_what_is_wrong_and_what_to_do(entry, fragments):
    with pytest.raises(DatasetError) as info:
        DatasetRecord.from_dict(entry)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_a_missing_csv_says_which_file_and_what_to_do(tmp_path):
    with pytest.raises(DatasetError) as info:
        DatasetRecord("gone", path="gone.csv").load(tmp_path)
    assert str(tmp_path / "gone.csv") in str(info.value) and "choose the data again" in str(info.value)


def test_a_relative_csv_path_is_taken_from_the_base_folder(tiny_csv):
    record = DatasetRecord("tiny", path="tiny.csv", target="label")
    assert record.load(tiny_csv.parent).n_samples == 4


# -- Project ------------------------------------------------------------------


def test_the_default_project_is_the_first_launch_network():
    project = Project.default()
    assert project.spec.widths() == [2, 4, 4, 1] and project.spec.name == "2-4-4-1"
    assert project.dataset is None and len(project.history) == 0 and project.path is None
    assert project.probe.tolist() == [1.0, 1.0] and project.probe.dtype == np.float64
    assert project.epochs_done == 0


def trained_project() -> tuple[Project, object]:
    """A small network trained for a few epochs on iris (a standardised table with named classes)."""
    spec = NetworkSpec(4, (DenseSpec(6, "tanh"), DenseSpec(3, "softmax")), name="iris")
    project = Project(Network(spec, seed=1), training=TrainConfig(epochs=3, batch_size=16, seed=1))
    project.dataset = DatasetRecord("iris")
    data = project.load_dataset()
    trainer = project.trainer(data)
    for _ in trainer.steps():
        pass
    project.apply_run(trainer.net.copy_params(), trainer.history, project.epochs_done)
    project.adopt_data(data, project.dataset)
    project.probe = np.array([5.1, 3.5, 1.4, 0.2])
    return project, data


def test_a_project_survives_save_and_reopen(tmp_path):
    project, data = trained_project()
    path = tmp_path / "iris.nnviz"
    project.save(path)
    assert project.path == path

    back = Project.load(path)
    assert back.path == path
    assert back.spec == project.spec and back.training == project.training
    assert back.dataset == DatasetRecord("iris")
    assert back.input_names == data.feature_names and back.output_names == data.target_names
    np.testing.assert_array_equal(back.standardization.mean, data.standardization.mean)
    np.testing.assert_array_equal(back.standardization.std, data.standardization.std)
    np.testing.assert_array_equal(back.probe, [5.1, 3.5, 1.4, 0.2])
    for i in range(len(project.spec.layers)):
        for name, array in project.network.layer_state(i).items():
            np.testing.assert_array_equal(back.network.layer_state(i)[name], array)
    # The gradient norms survive with the rest of the history: one row per epoch, one number per layer.
    assert back.history == project.history
    assert len(back.history.grad_norms) == 3 and all(len(row) == 2 and all(v > 0 for v in row) for row in back.history.grad_norms)
    # Reopened, it predicts exactly as before, from raw inputs.
    np.testing.assert_array_equal(back.trace()[-1]["a"], project.trace()[-1]["a"])


def test_standardize_and_trace_take_raw_inputs():
    project, data = trained_project()
    raw = data.x[0] * data.standardization.std + data.standardization.mean  # a raw row of the table
    np.testing.assert_allclose(project.standardize(raw), data.x[0])
    expected = project.network.trace(project.standardize(raw)[None, :])
    np.testing.assert_array_equal(project.trace(raw)[-1]["a"], expected[-1]["a"])
    project.standardization = None
    assert project.standardize([1, 2, 3, 4]).dtype == np.float64


def test_runs_continue_the_epoch_numbers():
    project, data = trained_project()
    assert project.epochs_done == 3
    trainer = project.trainer(data, network=Network(project.spec, seed=9))  # the window trains a copy
    for _ in trainer.steps(2):
        pass
    project.apply_run(trainer.net.copy_params(), trainer.history, project.epochs_done)
    assert project.history.epoch == [1, 2, 3, 4, 5] and len(project.history.grad_norms) == 5
    np.testing.assert_array_equal(project.network.params, trainer.net.params)


def test_adopted_class_names_must_match_the_outputs():
    project = Project(Network(NetworkSpec(2, (DenseSpec(1, "sigmoid"),))), output_names=["kept"])
    data = make_toy("xor", 40)
    project.adopt_data(data, DatasetRecord("xor"))
    assert project.output_names == ["kept"] and project.input_names == ["x1", "x2"]
    assert project.dataset == DatasetRecord("xor") and project.standardization is None


def test_an_unusable_dataset_entry_is_a_file_format_error(tmp_path):
    path = tmp_path / "odd.nnviz"
    net = Network(NetworkSpec(2, (DenseSpec(1, "sigmoid"),)))
    save(NetworkFile.from_network(net, dataset={"name": "titanic"}), path)
    with pytest.raises(FileFormatError) as info:
        Project.load(path)
    assert info.value.where == "dataset" and "titanic" in str(info.value)
    with pytest.raises(FileFormatError, match="cannot read"):
        Project.load(tmp_path / "missing.nnviz")


def test_the_dataset_is_found_beside_the_file(tmp_path, tiny_csv):
    project = Project(Network(NetworkSpec(2, (DenseSpec(1, "sigmoid"),))))
    with pytest.raises(DatasetError, match="no dataset"):
        project.load_dataset()
    project.dataset = DatasetRecord("tiny", path="tiny.csv", target="label")
    project.save(tmp_path / "net.nnviz")
    assert Project.load(tmp_path / "net.nnviz").load_dataset().n_samples == 4
    # Saved into another folder, the record still finds the data.
    other = tmp_path / "elsewhere"
    other.mkdir()
    project.save(other / "net.nnviz")
    assert Path(project.dataset.path) == tiny_csv.resolve()
    assert load(other / "net.nnviz").dataset["path"] == str(tiny_csv.resolve())
    assert Project.load(other / "net.nnviz").load_dataset().n_samples == 4


def test_to_file_holds_what_the_project_holds():
    project, _ = trained_project()
    project.training = replace(project.training, dtype="float64")  # the network's own dtype wins
    nf = project.to_file()
    assert nf.training.dtype == "float32"
    assert nf.dataset == {"name": "iris", "standardize": True}
    assert isinstance(nf.standardization, Standardization) and nf.probe is not project.probe


def test_a_network_too_big_for_memory_is_a_file_format_error(tmp_path, monkeypatch):
    path = tmp_path / "big.nnviz"
    save(NetworkFile.from_network(Network(NetworkSpec(2, (DenseSpec(3, "relu"),)))), path)

    def out_of_memory(self):
        raise MemoryError

    monkeypatch.setattr(NetworkFile, "build_network", out_of_memory)
    with pytest.raises(FileFormatError, match=r"parameters need 36 B, more memory than is free"):
        Project.load(path)
