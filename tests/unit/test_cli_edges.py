"""The command line's smaller cases of issue 12: unprintable names, and a two-class sigmoid's labels."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from nnviz.core import DenseSpec, Network, NetworkSpec
from nnviz.core.fileformat import NetworkFile, save
from nnviz.core.outputs import output_labels, predicted_class


def nnviz(*args, encoding="utf-8"):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONIOENCODING"] = encoding
    code = "import sys; from nnviz.__main__ import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, env=env, timeout=300)


def sigmoid_file(tmp_path, bias: float, names, name="xor"):
    spec = NetworkSpec(2, (DenseSpec(1, "sigmoid"),), name=name)
    net = Network(spec, seed=0)
    net.set_layer_state(0, weights=np.zeros((2, 1)), bias=np.array([bias]))
    path = tmp_path / "net.nnviz"
    save(NetworkFile.from_network(net, output_names=names), path)
    return path


@pytest.mark.parametrize("command", [["info"], ["info", "--json"], ["predict", "--input", "1,2"],
                                     ["predict", "--input", "1,2", "--json"]])
def test_a_lone_surrogate_in_a_name_prints_escaped_not_a_traceback(tmp_path, command):
    path = sigmoid_file(tmp_path, 2.0, ["no\udc80", "ye\ud800s"], name="bad\ud800name")
    proc = nnviz(command[0], str(path), *command[1:])
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    out = proc.stdout.decode("utf-8")
    assert "\\ud800" in out  # shown as an escape, the rest of the line intact


def test_a_name_the_terminal_cannot_encode_prints_escaped(tmp_path):
    path = sigmoid_file(tmp_path, 2.0, ["нет", "да"], name="сеть")
    proc = nnviz("predict", str(path), "--input", "1,2", encoding="ascii")
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"predicted: \\u0434\\u0430" in proc.stdout


@pytest.mark.parametrize("bias, shown, predicted", [(2.0, "dog", "dog"), (-2.0, "dog", "cat")])
def test_predict_names_a_single_sigmoid_output_by_the_positive_class(tmp_path, bias, shown, predicted):
    path = sigmoid_file(tmp_path, bias, ["cat", "dog"])
    proc = nnviz("predict", str(path), "--input", "0,0", "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)
    p = 1 / (1 + np.exp(-bias))
    assert list(result["output"]) == [shown]
    assert result["output"][shown] == pytest.approx(p)
    assert result["predicted"] == predicted
    text = nnviz("predict", str(path), "--input", "0,0").stdout.decode()
    assert f"{shown} = " in text and f"predicted: {predicted}" in text


def test_output_labels_and_predicted_class():
    assert output_labels(["cat", "dog"], 1) == ["dog"]
    assert output_labels(["a", "b", "c"], 3) == ["a", "b", "c"]
    assert output_labels(None, 2) == ["y1", "y2"]
    assert predicted_class([0.2], "sigmoid", ["cat", "dog"]) == "cat"
    assert predicted_class([0.5], "sigmoid", ["cat", "dog"]) == "dog"
    assert predicted_class([0.7], "sigmoid", None) == "class 1"
    assert predicted_class([0.1, 0.7, 0.2], "softmax", ["a", "b", "c"]) == "b"
    assert predicted_class([0.1, 0.7, 0.2], "softmax", None) == "class 2"
    assert predicted_class([3.0], "linear", ["cat", "dog"]) is None


def test_exporting_a_network_too_long_for_a_png_advises_svg(tmp_path):
    spec = NetworkSpec(2, tuple(DenseSpec(2, "tanh") for _ in range(999)) + (DenseSpec(1, "sigmoid"),))
    path = tmp_path / "deep.nnviz"
    save(NetworkFile(spec=spec, params=[None] * len(spec.layers)), path)
    proc = nnviz("export", str(path), "-o", str(tmp_path / "deep.png"), "--scale", "1")
    assert proc.returncode == 2
    message = proc.stderr.decode().strip()
    assert len(message.splitlines()) == 1
    assert "save it as SVG" in message
    assert "lower the scale" not in message and "elided" not in message  # neither would help
    assert not (tmp_path / "deep.png").exists()
    proc = nnviz("export", str(path), "-o", str(tmp_path / "deep.svg"))
    assert proc.returncode == 0, proc.stderr.decode()
    assert (tmp_path / "deep.svg").stat().st_size > 0
