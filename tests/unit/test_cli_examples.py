"""Shipped examples and datasets by name: ``nnviz examples``, ``example:NAME`` wherever a file goes, ``--version``."""

import json
import sys
import types

import pytest

import nnviz
from nnviz import __main__ as entry
from nnviz import cli
from nnviz.core.fileformat import load
from nnviz.core.project import Project
from nnviz.core.shipped import example_files, example_path

EXAMPLES = example_files()


def run(capsys, *args):
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_examples_lists_every_network_with_its_shape_and_title(capsys):
    status, out, _ = run(capsys, "examples")
    assert status == 0
    for path in EXAMPLES:
        line = next(line for line in out.splitlines() if line.split()[:1] == [path.stem])
        assert load(path).spec.name in line
    assert "2-4-4-1" in next(line for line in out.splitlines() if "relu_2-4-4-1_circle" in line)
    assert "example:NAME" in out  # how to use a name


def test_examples_lists_the_datasets_with_rows_features_and_task(capsys):
    status, out, _ = run(capsys, "examples")
    assert status == 0
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert "150 × 4" in rows["iris"] and "3 classes" in rows["iris"]
    assert "500 × 2" in rows["spiral"] and "classification" in rows["spiral"]
    assert "regression" in rows["plane"]
    assert "--dataset NAME" in out


def test_examples_json(capsys):
    status, out, _ = run(capsys, "examples", "--json")
    data = json.loads(out)
    assert status == 0
    assert [e["name"] for e in data["examples"]] == [p.stem for p in EXAMPLES]
    iris = next(d for d in data["datasets"] if d["name"] == "iris")
    assert (iris["rows"], iris["features"], iris["classes"]) == (150, 4, 3)


def test_info_on_an_example_name_matches_its_file(capsys):
    path = example_path("spiral_deep_tanh")
    by_name = run(capsys, "info", "example:spiral_deep_tanh")
    by_path = run(capsys, "info", str(path))
    assert by_name[0] == 0 and by_name == by_path
    assert "Deep tanh network for the spiral" in by_name[1]


def test_predict_and_export_take_an_example_name(capsys, tmp_path):
    status, out, _ = run(capsys, "predict", "example:iris_4-8-3_softmax", "--input", "5.1,3.5,1.4,0.2")
    assert status == 0 and "predicted:" in out
    status, out, err = run(capsys, "export", "example:iris_4-8-3_softmax", "-o", str(tmp_path / "iris.py"))
    assert status == 0, err
    assert "class " in (tmp_path / "iris.py").read_text()


def test_train_refuses_to_write_over_a_shipped_example(capsys):
    before = {path: path.read_bytes() for path in EXAMPLES}
    for source in ("example:single_neuron_xor", str(example_path("single_neuron_xor"))):
        status, out, err = run(capsys, "train", source, "--epochs", "1")
        assert status == 2
        assert "shipped example" in err and "--out" in err
    assert {path: path.read_bytes() for path in EXAMPLES} == before


def test_train_an_example_name_into_out(capsys, tmp_path):
    out_file = tmp_path / "trained.nnviz"
    status, out, err = run(capsys, "train", "example:single_neuron_xor", "--epochs", "2", "--out", str(out_file))
    assert status == 0, err
    shipped = Project.load(example_path("single_neuron_xor")).epochs_done
    assert Project.load(out_file).epochs_done == shipped + 2


@pytest.mark.parametrize("command", [("info",), ("predict", "--input", "1,2"), ("export", "-o", "x.svg")])
def test_an_unknown_example_name_suggests_close_ones(capsys, command):
    status, out, err = run(capsys, command[0], "example:spiral_deep", *command[1:])
    assert status == 2 and out == ""
    assert '"spiral_deep_tanh"' in err and "nnviz examples" in err
    assert len(err.strip().splitlines()) == 1


def test_an_unknown_example_name_without_close_ones_still_says_where_to_look(capsys):
    status, _, err = run(capsys, "info", "example:zzzz")
    assert status == 2
    assert "did you mean" not in err and "nnviz examples" in err


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"nnviz {nnviz.__version__}"


def test_the_window_opens_an_example_name_as_an_unsaved_copy(monkeypatch):
    opened = []
    fake_app = types.ModuleType("nnviz.ui.app")  # the window's entry point, without starting Qt
    fake_app.run = lambda argv, as_copy=False: opened.append((argv, as_copy)) or 0
    monkeypatch.setitem(sys.modules, "nnviz.ui.app", fake_app)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert entry.main(["example:spiral_deep_tanh"]) == 0
    assert opened == [([str(example_path("spiral_deep_tanh"))], True)]


def test_the_window_refuses_an_unknown_example_name_before_starting(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "nnviz.ui.app", None)  # importing it would fail the test
    assert entry.main(["example:spirl_deep_tanh"]) == 2
    assert '"spiral_deep_tanh"' in capsys.readouterr().err


def test_an_unknown_dataset_name_suggests_close_ones(capsys, tmp_path):
    status, _, err = run(capsys, "train", "example:single_neuron_xor", "--dataset", "irsi",
                         "--out", str(tmp_path / "out.nnviz"))
    assert status == 2
    assert '(did you mean "iris"?)' in err and "nnviz examples" in err
    assert not (tmp_path / "out.nnviz").exists()
