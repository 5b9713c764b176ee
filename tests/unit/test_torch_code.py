"""PyTorch code export: the module nnviz writes compiles, has nnviz's layers in order,
carries the weights inline or in a .npz by size, and (where torch is installed)
computes what nnviz computes."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz import cli
from nnviz.core import DenseSpec, Network, NetworkSpec
from nnviz.core.activations import ACTIVATIONS
from nnviz.core.datasets import Standardization
from nnviz.core.project import Project
from nnviz.core.spec import BatchNormSpec, DropoutSpec
from nnviz.core import torch_code
from nnviz.core.torch_code import INLINE_LIMIT, torch_source, write_torch_module

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
ALL_ACTIVATIONS = sorted(ACTIVATIONS)


def _project(layers, inputs=3, seed=0) -> Project:
    net = Network(NetworkSpec(inputs, tuple(layers)), seed=seed)
    rng = np.random.default_rng(seed)
    net.params[:] = rng.normal(0, 0.7, net.params.size)
    for layer in net.layers:
        if layer.kind == "batchnorm":
            layer.running_mean[:] = rng.normal(0, 1, layer.running_mean.size)
            layer.running_var[:] = rng.uniform(0.5, 2, layer.running_var.size)
    std = Standardization(mean=rng.normal(5, 2, inputs), std=rng.uniform(0.5, 3, inputs))
    return Project(network=net, standardization=std)


def _every_kind() -> Project:
    """Every activation on a Dense layer, plus dropout and batch norm (with an activation)."""
    layers = [DenseSpec(5, act) for act in ALL_ACTIVATIONS if act != "softmax"]
    layers += [DropoutSpec(0.3), BatchNormSpec(activation="tanh", eps=1e-3, momentum=0.2), DenseSpec(4, "softmax")]
    return _project(layers)


def _sequential_calls(code: str) -> list[str]:
    tree = ast.parse(code)
    seq = next(
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "nn.Sequential"
    )
    return [ast.unparse(arg) for arg in seq.args]


def test_the_code_compiles_and_the_sequential_holds_every_layer_in_order():
    project = _every_kind()
    code = torch_source(project)
    compile(code, "net.py", "exec")
    modules = {  # what each nnviz activation is in torch; linear needs no module
        "elu": ["nn.ELU(alpha=1.0)"], "gelu": ["nn.GELU(approximate='tanh')"],
        "leaky_relu": ["nn.LeakyReLU(negative_slope=0.01)"], "linear": [], "relu": ["nn.ReLU()"],
        "sigmoid": ["nn.Sigmoid()"], "silu": ["nn.SiLU()"], "swish": ["nn.SiLU()"], "tanh": ["nn.Tanh()"],
    }
    expected = []
    for act in ALL_ACTIVATIONS:
        if act != "softmax":
            expected += ["nn.Linear(3, 5)" if not expected else "nn.Linear(5, 5)", *modules[act]]
    expected += ["nn.Dropout(p=0.3)", "nn.BatchNorm1d(5, eps=0.001, momentum=0.2)", "nn.Tanh()",
                 "nn.Linear(5, 4)", "nn.Softmax(dim=1)"]
    assert _sequential_calls(code) == expected
    assert "import nnviz" not in code


def test_weights_are_inline_and_transposed_for_a_small_network(tmp_path):
    project = _project([DenseSpec(2, "relu")])
    written = write_torch_module(project, tmp_path / "net.py")
    assert written == [tmp_path / "net.py"]
    assert not (tmp_path / "net.npz").exists()
    tree = ast.parse((tmp_path / "net.py").read_text())
    weights = next(n.value for n in tree.body if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "WEIGHTS")
    inline = ast.literal_eval(weights)
    layer = project.network.layers[0]
    np.testing.assert_array_equal(np.float32(inline["0.weight"]), layer.weights.T)  # torch wants (out, in)
    np.testing.assert_array_equal(np.float32(inline["0.bias"]), layer.bias)
    # The standardisation is applied in forward().
    assert "x = (x - self.mean) / self.scale" in (tmp_path / "net.py").read_text()


def test_a_large_network_gets_its_weights_in_an_npz_beside_the_code(tmp_path):
    project = _project([DenseSpec(120, "relu"), BatchNormSpec(), DenseSpec(90, "relu"), DenseSpec(2, "softmax")])
    assert project.network.params.size > INLINE_LIMIT
    written = write_torch_module(project, tmp_path / "big.py")
    assert written == [tmp_path / "big.py", tmp_path / "big.npz"]
    code = (tmp_path / "big.py").read_text()
    compile(code, "big.py", "exec")
    assert "WEIGHTS" not in code and "'big.npz'" in code
    assert len(code) < 5000  # readable: no numbers inline
    arrays = np.load(tmp_path / "big.npz")
    np.testing.assert_array_equal(arrays["0.weight"], project.network.layers[0].weights.T)
    np.testing.assert_array_equal(arrays["2.running_var"], np.float32(project.network.layers[1].running_var))


def test_a_network_without_standardisation_feeds_the_input_as_it_is():
    project = _project([DenseSpec(2, "sigmoid")])
    project.standardization = None
    code = torch_source(project)
    assert "self.mean" not in code
    compile(code, "net.py", "exec")


# -- the command line ----------------------------------------------------------------


def _run(*args, cwd=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    code = (
        "import sys; from nnviz.__main__ import main; code = main(); "
        "assert not any(m.startswith(('PySide6', 'torch')) for m in sys.modules), 'Qt or torch loaded'; sys.exit(code)"
    )
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def test_cli_export_to_py_writes_compilable_code_without_qt(tmp_path):
    out = tmp_path / "out.py"
    proc = _run("export", str(EXAMPLES / "iris_4-8-3_softmax.nnviz"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out}" in proc.stdout
    code = out.read_text()
    compile(code, "out.py", "exec")
    assert _sequential_calls(code) == ["nn.Linear(4, 8)", "nn.ReLU()", "nn.Linear(8, 3)", "nn.Softmax(dim=1)"]


def test_cli_refuses_a_network_it_cannot_express_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.delitem(torch_code.TORCH_ACTIVATIONS, "tanh")
    out = tmp_path / "out.py"
    status = cli.main(["export", str(EXAMPLES / "spiral_deep_tanh.nnviz"), "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "tanh" in err and "PyTorch" in err
    assert not out.exists()


def test_cli_names_py_among_the_formats(tmp_path):
    proc = _run("export", str(EXAMPLES / "iris_4-8-3_softmax.nnviz"), "-o", str(tmp_path / "out.txt"))
    assert proc.returncode == 2 and ".py" in proc.stderr


# -- the module itself, where PyTorch is installed -------------------------------------


@pytest.mark.parametrize("inline", [True, False], ids=["inline", "npz"])
def test_the_torch_module_in_eval_mode_matches_the_network(tmp_path, inline, monkeypatch):
    torch = pytest.importorskip("torch")
    project = _every_kind()
    if not inline:
        monkeypatch.setattr(torch_code, "INLINE_LIMIT", 0)
    write_torch_module(project, tmp_path / "net.py")
    namespace = {"__file__": str(tmp_path / "net.py"), "__name__": "net"}
    exec(compile((tmp_path / "net.py").read_text(), str(tmp_path / "net.py"), "exec"), namespace)
    model = namespace["Net"]().eval()
    raw = np.random.default_rng(1).normal(5, 3, (16, 3))
    expected = project.network.forward(project.standardize(raw))
    with torch.no_grad():
        got = model(torch.tensor(raw, dtype=torch.float32)).numpy()
    np.testing.assert_allclose(got, expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("activation", ALL_ACTIVATIONS)
def test_each_activation_matches_in_torch(tmp_path, activation):
    torch = pytest.importorskip("torch")
    project = _project([DenseSpec(4, activation), BatchNormSpec(activation=activation), DenseSpec(3, activation)])
    namespace = {"__name__": "net"}
    exec(compile(torch_source(project), "net.py", "exec"), namespace)
    model = namespace["Net"]().eval()
    raw = np.random.default_rng(2).normal(5, 3, (8, 3))
    with torch.no_grad():
        got = model(torch.tensor(raw, dtype=torch.float32)).numpy()
    np.testing.assert_allclose(got, project.network.forward(project.standardize(raw)), atol=1e-5, rtol=1e-5)
