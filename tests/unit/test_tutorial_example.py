"""The tutorial example computes what the from-scratch NumPy tutorial's code computes, and
``nnviz predict --trace`` / ``nnviz info`` show the arithmetic."""

import json

import numpy as np
import pytest

from nnviz import cli
from nnviz.core.project import Project
from nnviz.core.shipped import resolve_network

TUTORIAL = "example:tutorial_2-2-1_sigmoid_xor"


def tutorial_code():
    """The tutorial's forward pass, as its code is written (float64 NumPy, legacy global seed)."""
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    np.random.seed(42)
    W1 = np.random.randn(2, 2)
    W2 = np.random.randn(2, 1)
    b1, b2 = np.zeros((1, 2)), np.zeros((1, 1))
    x = np.array([[0.5, 0.8]])
    z1 = x @ W1 + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + b2
    return {"W1": W1, "W2": W2, "z1": z1[0], "a1": a1[0], "z2": z2[0], "output": sigmoid(z2)[0]}


def run(capsys, *args):
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def test_the_example_holds_the_tutorials_weights():
    project = Project.load(resolve_network(TUTORIAL))
    code = tutorial_code()
    assert project.network.dtype == np.float64
    assert project.standardization is None  # the tutorial feeds its input as it is
    np.testing.assert_array_equal(project.network.layer_params(0)["weights"], code["W1"])
    np.testing.assert_array_equal(project.network.layer_params(1)["weights"], code["W2"])
    assert not project.network.layer_params(0)["bias"].any() and not project.network.layer_params(1)["bias"].any()
    np.testing.assert_array_equal(project.probe, [0.5, 0.8])


def test_predict_trace_reproduces_the_tutorial_to_1e_12(capsys):
    result = json.loads(run(capsys, "predict", TUTORIAL, "--input", "0.5,0.8", "--trace", "--json"))
    code = tutorial_code()
    hidden, output = result["trace"]
    np.testing.assert_allclose(hidden["z"], code["z1"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(hidden["a"], code["a1"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(output["x"], code["a1"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(output["z"], code["z2"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(output["a"], code["output"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(hidden["weights"], code["W1"], rtol=0, atol=0)
    assert result["output"]["y1"] == pytest.approx(code["output"][0], abs=1e-12)


def test_predict_trace_prints_each_layers_arithmetic(capsys):
    out = run(capsys, "predict", TUTORIAL, "--input", "0.5,0.8", "--trace")
    code = tutorial_code()
    lines = out.splitlines()
    assert "layer 1 (dense sigmoid), 2 → 2" in lines
    assert "  x = [0.5, 0.8]  (the input)" in lines
    assert "  W = [[0.49671415, -0.1382643]," in lines and "       [0.64768854, 1.5230299]]  (2×2: row i holds input i's weights)" in lines
    assert "  b = [0, 0]" in lines
    z1 = ", ".join(f"{v:.8g}" for v in code["z1"])
    a1 = ", ".join(f"{v:.8g}" for v in code["a1"])
    assert f"  z = [{z1}]  (x·W + b)" in lines
    assert f"  a = [{a1}]  (sigmoid(z))" in lines
    assert f"  x = [{a1}]  (layer 1's a)" in lines
    assert f"  z = [{code['z2'][0]:.8g}]  (x·W + b)" in lines
    assert f"  a = [{code['output'][0]:.8g}]  (sigmoid(z))" in lines


def test_a_wide_layer_is_traced_without_listing_its_weights(capsys):
    out = run(capsys, "predict", "example:spiral_deep_tanh", "--input", "1,2", "--trace")
    # 2×8+8 and 8×1+1 numbers are listed; 8×8+8 = 72 are too many for a readable line each
    assert out.count("  W = [[") == 2
    assert out.count("  W, b: 8×8 weights and 8 biases (too many to list)") == 5
    out = run(capsys, "predict", "example:relu_2-4-4-1_circle", "--input", "1,2", "--trace")
    assert out.count("  z = [") == 3 and out.count("  a = [") == 3


def test_predict_trace_names_the_standardised_input(capsys):
    out = run(capsys, "predict", "example:iris_4-8-3_softmax", "--input", "5.1,3.5,1.4,0.2", "--trace")
    assert "(the standardised input)" in out
    assert "  W, b:" not in out  # 4×8+8 = 40 numbers are few enough to list


def test_info_shows_how_the_parameters_add_up(capsys):
    out = run(capsys, "info", "example:relu_2-4-4-1_circle")
    assert "parameters: 2×4+4 + 4×4+4 + 4×1+1 = 37 (148 B as float32, 74 B as float16)" in out
    info = json.loads(run(capsys, "info", "example:relu_2-4-4-1_circle", "--json"))
    assert info["params_formula"] == "2×4+4 + 4×4+4 + 4×1+1 = 37"
