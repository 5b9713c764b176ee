"""The command line, run as a user would: a subprocess, no display, no Qt."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz import cli
from nnviz.core import DenseSpec, Network, NetworkSpec
from nnviz.core.fileformat import NetworkFile, load, save

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def nnviz(*args, cwd=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    code = "import sys; from nnviz.__main__ import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


@pytest.fixture
def xor_file(tmp_path):
    spec = NetworkSpec(2, (DenseSpec(4, "tanh"), DenseSpec(1, "sigmoid")), name="xor")
    path = tmp_path / "xor.nnviz"
    save(NetworkFile.from_network(Network(spec, seed=3)), path)
    return path


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_info_table_and_totals(xor_file):
    proc = nnviz("info", str(xor_file))
    assert proc.returncode == 0, proc.stderr
    # 2*4+4 + 4*1+1 = 17 parameters
    assert "17" in proc.stdout and "parameters" in proc.stdout
    assert "tanh" in proc.stdout and "sigmoid" in proc.stdout


def test_info_json_counts_match_the_core(xor_file):
    info = json.loads(nnviz("info", str(xor_file), "--json").stdout)
    assert info["params"] == 17
    assert info["macs"] == 12
    assert info["bytes_float32"] == 68 and info["bytes_float16"] == 34
    assert [layer["params"] for layer in info["layers"]] == [12, 5]


def test_predict_matches_the_engine(xor_file):
    out = json.loads(nnviz("predict", str(xor_file), "--input", "0.5,0.8", "--json").stdout)
    net = load(xor_file).build_network()
    expected = net.predict(np.array([[0.5, 0.8]]))[0, 0]
    assert out["output"]["y1"] == pytest.approx(expected, rel=1e-6)


def test_predict_trace_shows_each_layer(xor_file):
    proc = nnviz("predict", str(xor_file), "--input", "0.5,0.8", "--trace")
    assert proc.returncode == 0, proc.stderr
    assert "layer 1 (dense tanh)" in proc.stdout and "layer 2 (dense sigmoid)" in proc.stdout
    assert proc.stdout.count("z = [") == 2 and proc.stdout.count("a = [") == 2


def test_train_writes_a_trained_network_with_history(xor_file, tmp_path):
    out = tmp_path / "trained.nnviz"
    proc = nnviz(
        "train", str(xor_file), "--dataset", "xor", "--epochs", "40", "--lr", "0.05",
        "--batch-size", "16", "--seed", "1", "--out", str(out), "--json",
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["epochs"] == 40
    trained = load(out)
    assert len(trained.history) == 40
    assert trained.history.train_loss[-1] < trained.history.train_loss[0]
    assert trained.dataset["name"] == "xor"
    assert result["val_accuracy"] > 0.8
    # the input file is untouched
    assert len(load(xor_file).history) == 0


def test_train_on_csv_keeps_standardisation_for_predict(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(100.0, 20.0, size=(120, 2))
    label = np.where(x[:, 0] > 100, "big", "small")
    csv = tmp_path / "data.csv"
    csv.write_text("a,b,size\n" + "".join(f"{a:.3f},{b:.3f},{c}\n" for (a, b), c in zip(x, label)))
    net = tmp_path / "net.nnviz"
    save(NetworkFile.from_network(Network(NetworkSpec(2, (DenseSpec(4, "relu"), DenseSpec(1, "sigmoid"))))), net)
    proc = nnviz("train", str(net), "--dataset", str(csv), "--target", "size", "--epochs", "60", "--lr", "0.05")
    assert proc.returncode == 0, proc.stderr
    trained = load(net)
    assert trained.standardization is not None
    assert trained.output_names is None or len(trained.output_names) == 1
    # raw inputs go in; the file's statistics standardise them
    big = json.loads(nnviz("predict", str(net), "--input", "160,100", "--json").stdout)
    small = json.loads(nnviz("predict", str(net), "--input", "40,100", "--json").stdout)
    assert big["standardized_input"][0] > 2
    assert list(big["output"].values())[0] != list(small["output"].values())[0]


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["info", "missing.nnviz"], ["missing.nnviz"]),
        (["predict", "{file}", "--input", "0.5"], ["2 inputs", "1 values"]),
        (["predict", "{file}", "--input", "0.5,abc"], ["'abc' is not a number"]),
        (["train", "{file}", "--dataset", "nosuchset"], ["nosuchset"]),
        (["train", "{file}", "--dataset", "xor", "--lr", "-1"], ["--lr"]),
        (["train", "{file}", "--dataset", "xor", "--epochs", "0"], ["--epochs"]),
        (["train", "{file}", "--dataset", "iris"], ["4", "input"]),
        (["train", "{file}", "--dataset", "xor", "--optimizer", "nope"], ["--optimizer"]),
        (["train", "{file}"], ["records no dataset", "--dataset"]),
        (["train", "{file}", "--target", "y"], ["--target", "only with --dataset"]),
        (["frobnicate"], ["frobnicate"]),
    ],
)
def test_bad_input_is_one_line_and_exit_2(xor_file, args, fragments):
    args = [a.replace("{file}", str(xor_file)) for a in args]
    before = xor_file.read_bytes()
    proc = nnviz(*args)
    assert_one_line_error(proc, *fragments)
    assert xor_file.read_bytes() == before


def test_broken_file_names_the_place(tmp_path):
    bad = tmp_path / "bad.nnviz"
    bad.write_text(json.dumps({"format": "nnviz", "version": 1, "inputs": 2, "layers": [{"type": "dense", "units": 0, "activation": "relu"}]}))
    assert_one_line_error(nnviz("info", str(bad)), "layers[0].units", "got 0")


def test_diverging_training_writes_nothing(tmp_path):
    net = tmp_path / "regressor.nnviz"
    save(NetworkFile.from_network(Network(NetworkSpec(2, (DenseSpec(8, "relu"), DenseSpec(1, "linear"))))), net)
    before = net.read_bytes()
    proc = nnviz("train", str(net), "--dataset", "plane", "--optimizer", "sgd", "--lr", "10", "--epochs", "50")
    assert_one_line_error(proc, "diverged", "lower learning rate")
    assert net.read_bytes() == before


def test_cli_never_imports_qt(xor_file):
    code = (
        "import sys; from nnviz import cli; cli.main(['info', %r]); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]; "
        "print('QT', bad)" % str(xor_file)
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip().endswith("QT []"), proc.stdout + proc.stderr


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.nnviz")), ids=lambda p: p.stem)
def test_examples_load_and_run(example):
    nf = load(example)
    net = nf.build_network()
    out = net.predict(np.ones((1, nf.spec.inputs)))
    assert np.isfinite(out).all()


RECORDED = [p for p in sorted(EXAMPLES.glob("*.nnviz")) if load(p).dataset is not None]


@pytest.mark.parametrize("example", RECORDED, ids=lambda p: p.stem)
def test_train_without_dataset_uses_the_examples_own(example, tmp_path):
    before = load(example)
    out = tmp_path / "trained.nnviz"
    proc = nnviz("train", str(example), "--epochs", "2", "--out", str(out), "--json")
    assert proc.returncode == 0, proc.stderr
    trained = load(out)
    assert len(trained.history) == len(before.history) + 2
    assert trained.history.epoch[-2:] == [len(before.history) + 1, len(before.history) + 2]
    assert all(len(row) == len(trained.spec.layers) and row[0] is not None for row in trained.history.grad_norms[-2:])
    assert trained.dataset == before.dataset
    assert load(example).history == before.history  # the example itself is untouched


def test_info_on_a_weightless_file_builds_no_network(tmp_path, monkeypatch, capsys):
    wide = {"type": "dense", "units": 100_000, "activation": "relu"}
    path = tmp_path / "wide.nnviz"
    path.write_text(json.dumps({"format": "nnviz", "version": 1, "inputs": 2, "layers": [wide, wide]}))

    def refuse(*args, **kwargs):
        raise AssertionError("info built a network for a file without weights")

    monkeypatch.setattr(Network, "__init__", refuse)
    assert cli.main(["info", str(path)]) == 0
    assert "10,000,400,000" in capsys.readouterr().out  # (2 + 1)·10^5 + (10^5 + 1)·10^5 parameters, counted


def test_a_reader_that_goes_away_ends_the_command_quietly():
    """``nnviz info FILE | head -1``: the pipe closes before nnviz writes; no traceback, exit 0."""
    proc = subprocess.Popen([sys.executable, "-m", "nnviz", "info", str(EXAMPLES / "spiral_deep_tanh.nnviz")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # long before the interpreter has started and printed
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err


def test_info_with_data_of_another_width_says_training_would_refuse_it(capsys):
    # The Iris network has 4 inputs; Wine has 13 features.
    assert cli.main(["info", "example:iris_4-8-3_softmax", "--dataset", "wine"]) == 0
    out = capsys.readouterr().out
    assert "data: the data has 13 feature(s) but the network has 4 input(s)" in out
    assert "set the input size to 13" in out
    assert cli.main(["info", "example:iris_4-8-3_softmax", "--dataset", "iris", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["data_error"] is None
