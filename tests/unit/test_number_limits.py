"""Numbers too large to hold: weights beyond float32 are refused at load naming their place, and CSV
values that would overflow are refused at import with what to do (the core and the command line)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from nnviz.core import DenseSpec, Network, NetworkSpec
from nnviz.core.csv_import import read_csv
from nnviz.core.datasets import DatasetError
from nnviz.core.fileformat import FileFormatError, NetworkFile, dumps, loads


def nnviz(*args):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    code = "import sys; from nnviz.__main__ import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300)


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def network_json(dtype="float32"):
    spec = NetworkSpec(2, (DenseSpec(3, "tanh"), DenseSpec(1, "sigmoid")))
    nf = NetworkFile.from_network(Network(spec, seed=1))
    nf.training.dtype = dtype
    return json.loads(dumps(nf))


# -- item 5: weights beyond float32 ------------------------------------------------------


@pytest.mark.parametrize("value", [1e39, -1e39, 1e308])
def test_a_weight_beyond_float32_is_refused_naming_its_place(value):
    data = network_json()
    data["layers"][1]["weights"][2][0] = value
    with pytest.raises(FileFormatError) as caught:
        loads(json.dumps(data))
    assert caught.value.where == "layers[1].weights[2][0]"
    assert "too large" in caught.value.rule and "float64" in caught.value.rule


def test_a_bias_beyond_float32_is_refused():
    data = network_json()
    data["layers"][0]["bias"][1] = 3.5e38
    with pytest.raises(FileFormatError, match=r"^layers\[0\]\.bias\[1\]: 3\.5e\+38 is too large"):
        loads(json.dumps(data))


def test_float32_edge_and_float64_files_still_open():
    data = network_json()
    data["layers"][0]["bias"][0] = 3.4e38  # just inside float32
    nf = loads(json.dumps(data))
    assert np.isfinite(nf.params[0]["bias"]).all() and nf.params[0]["bias"].dtype == np.float32
    data = network_json("float64")
    data["layers"][0]["bias"][0] = 1e308  # a float64 file holds it
    assert loads(json.dumps(data)).params[0]["bias"][0] == 1e308


def test_cli_refuses_such_a_file_before_training(tmp_path):
    data = network_json()
    data["layers"][0]["weights"][0][1] = 1e39
    path = tmp_path / "big.nnviz"
    path.write_text(json.dumps(data), encoding="utf-8")
    for args in (["info", str(path)], ["train", str(path), "--dataset", "xor", "--epochs", "1"]):
        assert_one_line_error(nnviz(*args), "layers[0].weights[0][1]", "too large")
    assert json.loads(path.read_text(encoding="utf-8")) == data  # nothing written


# -- item 6: CSV extremes ----------------------------------------------------------------


def csv_text(feature=None, target=None, line=4):
    """Twelve rows of a regression table; ``feature`` (column a) and ``target`` (y) on ``line``."""
    rows = ["a,b,y"]
    for n in range(2, 14):
        a = feature if n == line and feature is not None else str(n * 0.5)
        y = target if n == line and target is not None else str(n * 0.25 + 0.1)
        rows.append(f"{a},{n % 5},{y}")
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("value, power", [("1e200", "1e200"), ("1e308", "1e308"), ("-1.7e308", "1e308")])
def test_a_feature_that_would_overflow_is_refused_naming_line_and_column(value, power):
    with pytest.raises(DatasetError) as caught:
        read_csv(csv_text(feature=value, line=6))
    message = str(caught.value)
    assert message.startswith('line 6, column "a": ') and f"divide the column by {power}" in message


@pytest.mark.parametrize("value", ["1e200", "-3e16"])
def test_a_regression_target_that_would_overflow_is_refused(value):
    with pytest.raises(DatasetError) as caught:
        read_csv(csv_text(target=value, line=9))
    message = str(caught.value)
    assert message.startswith('line 9, column "y": ') and "too large a target" in message and "divide the column" in message


def test_large_features_are_standardised_to_finite_numbers_and_refused_raw():
    text = csv_text(feature="4e20", line=5)
    data = read_csv(text)
    assert np.isfinite(data.x).all() and np.isfinite(data.standardization.std).all()
    assert abs(data.x[:, 0]).max() < 10
    with pytest.raises(DatasetError, match='line 5, column "a".*turn standardisation on, or divide the column by 1e20'):
        read_csv(text, standardize=False)
    assert read_csv(csv_text(feature="4e14"), standardize=False).x.max() == 4e14  # within reach: read as it is


def test_cli_refuses_extreme_csvs_in_one_line_and_writes_nothing(tmp_path):
    network = tmp_path / "net.nnviz"
    network.write_text(json.dumps(network_json()), encoding="utf-8")
    before = network.read_bytes()
    for i, (feature, target) in enumerate([("1e200", None), ("1e308", None), (None, "1e200"), (None, "1e308")]):
        path = tmp_path / f"extreme{i}.csv"
        path.write_text(csv_text(feature=feature, target=target), encoding="utf-8")
        proc = nnviz("train", str(network), "--dataset", str(path), "--epochs", "2")
        assert_one_line_error(proc, 'line 4, column "', "divide the column by 1e")
        assert "learning rate" not in proc.stderr
    assert network.read_bytes() == before


def test_cli_turns_a_numpy_warning_into_one_line(tmp_path):
    network = tmp_path / "net.nnviz"
    network.write_text(json.dumps(network_json()), encoding="utf-8")
    proc = nnviz("predict", str(network), "--input", "1e308,-1e308")
    assert_one_line_error(proc, "out of range", "use smaller values")
    assert "nan" not in proc.stdout


def test_a_timeline_state_beyond_float32_is_refused():
    from nnviz.core.keyframes import spec_state_size

    data = network_json()
    spec = NetworkSpec(2, (DenseSpec(3, "tanh"), DenseSpec(1, "sigmoid")))
    state = [0.5] * spec_state_size(spec)
    state[4] = 2e39
    data["history"] = {"epoch": [1], "train_loss": [0.5]}
    data["timeline"] = {"every": 1, "epochs": [1], "states": [state]}
    with pytest.raises(FileFormatError) as caught:
        loads(json.dumps(data))
    assert caught.value.where == "timeline.states[0][4]" and "too large" in caught.value.rule
