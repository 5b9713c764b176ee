"""PyTorch code for a network: a readable ``torch.nn.Module`` with the trained weights.

nnviz never imports torch; it writes Python source that does. Small networks
carry their weights inline as Python lists; larger ones in a ``.npz`` file
beside the ``.py``, loaded with NumPy.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from .atomic import write_atomic
from .spec import BatchNormSpec, DenseSpec, DropoutSpec

INLINE_LIMIT = 10_000  # numbers (weights, biases, running statistics) written into the .py itself

# Every activation nnviz has, as the torch.nn module computing the same function;
# None: no module at all (the identity).
TORCH_ACTIVATIONS: dict[str, str | None] = {
    "linear": None,
    "relu": "nn.ReLU()",
    "leaky_relu": "nn.LeakyReLU(negative_slope=0.01)",
    "elu": "nn.ELU(alpha=1.0)",
    "sigmoid": "nn.Sigmoid()",
    "tanh": "nn.Tanh()",
    "softmax": "nn.Softmax(dim=1)",
    "gelu": 'nn.GELU(approximate="tanh")',
    "swish": "nn.SiLU()",
    "silu": "nn.SiLU()",
}


class TorchCodeError(ValueError):
    """The network holds something the generated PyTorch code cannot express."""


def _activation(name: str, where: str) -> list[str]:
    try:
        module = TORCH_ACTIVATIONS[name]
    except KeyError:
        raise TorchCodeError(f"{where}: the activation {name!r} has no PyTorch equivalent here") from None
    return [] if module is None else [module]


def torch_layers(project) -> tuple[list[str], dict[str, np.ndarray]]:
    """The ``nn.Sequential``'s module calls, in order, and its state dict as NumPy arrays.

    Keys are the Sequential's (``<index>.weight``); Dense weights are
    transposed from nnviz's (inputs, units) to torch's (out, in). Raises
    :class:`TorchCodeError` for a layer or activation torch cannot express.
    """
    net = project.network
    dtype = net.dtype
    calls: list[str] = []
    state: dict[str, np.ndarray] = {}
    for i, (spec, layer) in enumerate(zip(project.spec.layers, net.layers)):
        where = f"layer {i + 1}"
        key = str(len(calls))
        if isinstance(spec, DenseSpec):
            fan_in = layer.shapes["weights"][0]
            calls.append(f"nn.Linear({fan_in}, {spec.units})")
            state[f"{key}.weight"] = np.ascontiguousarray(layer.weights.T, dtype=dtype)
            state[f"{key}.bias"] = np.array(layer.bias, dtype=dtype)
            calls += _activation(spec.activation, where)
        elif isinstance(spec, DropoutSpec):
            calls.append(f"nn.Dropout(p={float(spec.rate)!r})")
        elif isinstance(spec, BatchNormSpec):
            width = layer.shapes["gamma"][0]
            calls.append(f"nn.BatchNorm1d({width}, eps={float(spec.eps)!r}, momentum={float(spec.momentum)!r})")
            state[f"{key}.weight"] = np.array(layer.gamma, dtype=dtype)
            state[f"{key}.bias"] = np.array(layer.beta, dtype=dtype)
            state[f"{key}.running_mean"] = np.asarray(layer.running_mean, dtype=dtype)
            state[f"{key}.running_var"] = np.asarray(layer.running_var, dtype=dtype)
            calls += _activation(spec.activation, where)
        else:
            raise TorchCodeError(f"{where}: a {type(spec).__name__} layer has no PyTorch equivalent here")
    return calls, state


def _numbers(array: np.ndarray) -> str:
    # float32 values print as the shortest float64 that rounds back to them exactly.
    return repr(np.asarray(array, dtype=np.float64).tolist())


_OPTIMIZERS = {
    "sgd": "torch.optim.SGD(model.parameters(), lr={lr!r}",
    "momentum": "torch.optim.SGD(model.parameters(), lr={lr!r}, momentum={m!r}",
    "nesterov": "torch.optim.SGD(model.parameters(), lr={lr!r}, momentum={m!r}, nesterov=True",
    "rmsprop": "torch.optim.RMSprop(model.parameters(), lr={lr!r}",
    "adam": "torch.optim.Adam(model.parameters(), lr={lr!r}",
}


def _training_note(project) -> list[str]:
    t = project.training
    last = project.spec.output_activation()
    lines = [
        "# Training it further in PyTorch: the module computes what nnviz computed, so",
        "#     model = Net(); model.train()",
        f"#     optimizer = {_OPTIMIZERS.get(t.optimizer, 'torch.optim.SGD(model.parameters(), lr={lr!r}').format(lr=t.learning_rate, m=t.momentum)})",
        "# then the usual loop (zero_grad, loss.backward(), optimizer.step()); call",
        "# model.eval() before predicting, so Dropout and BatchNorm1d behave as in nnviz.",
        "# Inputs are raw: forward() standardises them as nnviz did.",
    ]
    if last == "softmax":
        lines.append("# The output is already a softmax: use nn.NLLLoss() on torch.log(output).")
    elif last == "sigmoid":
        lines.append("# The output is already a sigmoid: use nn.BCELoss().")
    return lines


def torch_source(project, *, weights_file: str | None = None) -> str:
    """The Python source of a ``torch.nn.Module`` (class ``Net``) computing ``project``'s network.

    With ``weights_file`` (a file name beside the ``.py``) the code loads the
    state dict from that ``.npz`` with NumPy; without, the weights are inline
    Python lists. The input standardisation, when the project has one, is
    applied in ``forward()``. Raises :class:`TorchCodeError` when the network
    cannot be expressed.
    """
    calls, state = torch_layers(project)
    torch_dtype = "torch.float64" if project.network.dtype == np.float64 else "torch.float32"
    source = project.path.name if project.path is not None else "an unsaved network"
    widths = project.spec.widths()
    out = [
        f'"""A PyTorch module written by nnviz from {source}: {" → ".join(map(str, widths))}."""',
        "",
    ]
    if weights_file is not None:
        out += ["from pathlib import Path", "", "import numpy as np"]
    out += ["import torch", "from torch import nn", "", ""]
    out += _training_note(project) + ["", ""]
    out += [
        "class Net(nn.Module):",
        f'    """{" → ".join(map(str, widths))}, with nnviz\'s trained weights."""',
        "",
        "    def __init__(self):",
        "        super().__init__()",
        "        self.layers = nn.Sequential(",
    ]
    out += [f"            {call}," for call in calls]
    out += ["        )"]
    std = project.standardization
    if std is not None:
        out += [
            "        # nnviz standardised each input with the training data's mean and standard deviation.",
            f'        self.register_buffer("mean", torch.tensor({_numbers(std.mean)}, dtype={torch_dtype}))',
            f'        self.register_buffer("scale", torch.tensor({_numbers(std.std)}, dtype={torch_dtype}))',
        ]
    out += ["        self.layers.load_state_dict(_state_dict())", "", "    def forward(self, x):"]
    if std is not None:
        out += ["        x = (x - self.mean) / self.scale"]
    out += ["        return self.layers(x)", "", ""]

    bn_counts = [k.rsplit(".", 1)[0] + ".num_batches_tracked" for k in state if k.endswith(".running_mean")]
    out += ["def _state_dict():"]
    if weights_file is not None:
        out += [
            f'    arrays = np.load(Path(__file__).with_name({weights_file!r}))',
            f"    state = {{name: torch.tensor(arrays[name], dtype={torch_dtype}) for name in arrays.files}}",
        ]
    else:
        out += [f"    state = {{name: torch.tensor(value, dtype={torch_dtype}) for name, value in WEIGHTS.items()}}"]
    for name in bn_counts:
        out += [f"    state[{name!r}] = torch.tensor(0)"]
    out += ["    return state", ""]
    if weights_file is None:
        out += ["", "# The trained parameters and running statistics, as nnviz saved them.", "WEIGHTS = {"]
        for name, value in state.items():
            if value.ndim == 2:  # one line per output unit
                out += [f"    {name!r}: ["] + [f"        {_numbers(row)}," for row in value] + ["    ],"]
            else:
                out += [f"    {name!r}: {_numbers(value)},"]
        out += ["}", ""]
    out += [
        "",
        'if __name__ == "__main__":',
        "    model = Net().eval()",
        f"    print(model(torch.ones(1, {widths[0]}, dtype={torch_dtype})))",
        "",
    ]
    return "\n".join(out)


def parameter_count(project) -> int:
    """How many numbers the generated module's state holds (what decides inline vs ``.npz``)."""
    _, state = torch_layers(project)
    return sum(a.size for a in state.values())


def write_torch_module(project, path) -> list[Path]:
    """Write ``project``'s network as PyTorch code to ``path`` (a ``.py``), atomically.

    Networks with more than :data:`INLINE_LIMIT` numbers get their weights in
    ``<path stem>.npz`` beside it. Returns the files written. Raises
    :class:`TorchCodeError` for a network it cannot express (nothing written)
    and :class:`OSError` when a file cannot be written.
    """
    path = Path(path)
    calls, state = torch_layers(project)
    if sum(a.size for a in state.values()) <= INLINE_LIMIT:
        write_atomic(path, torch_source(project).encode("utf-8"))
        return [path]
    npz = path.with_suffix(".npz")
    buffer = io.BytesIO()
    np.savez(buffer, **state)
    code = torch_source(project, weights_file=npz.name)
    write_atomic(npz, buffer.getvalue())
    write_atomic(path, code.encode("utf-8"))
    return [path, npz]
