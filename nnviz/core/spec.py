"""The description of a network: its input size and an ordered list of layers.

A spec says *what* the network is; :mod:`nnviz.core.network` holds the numbers.
Specs are plain frozen dataclasses so that the editor can keep them in undo
history and compare them cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .activations import ACTIVATIONS
from .initializers import INITIALIZERS

MAX_UNITS = 100_000
MAX_LAYERS = 1_000


class SpecError(ValueError):
    """A network description breaks a rule; ``str()`` names the place and the rule."""

    def __init__(self, where: str, rule: str):
        super().__init__(f"{where}: {rule}" if where else rule)
        self.where = where
        self.rule = rule


@dataclass(frozen=True)
class DenseSpec:
    """A fully connected layer: ``activation(x @ W + b)`` with ``W`` of shape (inputs, units)."""

    units: int
    activation: str = "relu"
    initializer: str = "he_uniform"
    kind: str = field(default="dense", init=False)


@dataclass(frozen=True)
class DropoutSpec:
    """Zeroes a fraction ``rate`` of its inputs while training (inverted dropout)."""

    rate: float = 0.5
    kind: str = field(default="dropout", init=False)


@dataclass(frozen=True)
class BatchNormSpec:
    """Normalises each feature over the batch, then scales and shifts it.

    Keeps running statistics for inference, as PyTorch's ``BatchNorm1d``
    (momentum 0.1, unbiased running variance). An optional activation follows,
    so that "batch norm then ReLU" is one layer.
    """

    momentum: float = 0.1
    eps: float = 1e-5
    activation: str = "linear"
    kind: str = field(default="batchnorm", init=False)


LayerSpec = DenseSpec | DropoutSpec | BatchNormSpec
LAYER_KINDS = {"dense": DenseSpec, "dropout": DropoutSpec, "batchnorm": BatchNormSpec}


@dataclass(frozen=True)
class NetworkSpec:
    """A network: ``inputs`` features in, then ``layers`` in order."""

    inputs: int
    layers: tuple[LayerSpec, ...] = ()
    name: str = ""

    def __post_init__(self):
        object.__setattr__(self, "layers", tuple(self.layers))

    def widths(self) -> list[int]:
        """The number of units of the input and of every layer, in order."""
        out = [self.inputs]
        for layer in self.layers:
            out.append(layer.units if isinstance(layer, DenseSpec) else out[-1])
        return out

    @property
    def outputs(self) -> int:
        """Width of the last layer (the network's output)."""
        return self.widths()[-1]

    def output_activation(self) -> str:
        """Activation of the last layer that has one ("linear" if none does)."""
        for layer in reversed(self.layers):
            act = getattr(layer, "activation", None)
            if act is not None:
                return act
        return "linear"

    def with_layer(self, index: int, layer: LayerSpec) -> "NetworkSpec":
        """A copy with layer ``index`` replaced."""
        layers = list(self.layers)
        layers[index] = layer
        return replace(self, layers=tuple(layers))

    def validate(self) -> None:
        """Raise :class:`SpecError` naming the first broken rule."""
        check_int("inputs", self.inputs, 1, MAX_UNITS)
        if not self.layers:
            raise SpecError("layers", "a network needs at least one layer")
        if len(self.layers) > MAX_LAYERS:
            raise SpecError("layers", f"at most {MAX_LAYERS} layers, got {len(self.layers)}")
        for i, layer in enumerate(self.layers):
            where = f"layers[{i}]"
            if isinstance(layer, DenseSpec):
                check_int(f"{where}.units", layer.units, 1, MAX_UNITS)
                check_choice(f"{where}.activation", layer.activation, ACTIVATIONS)
                check_choice(f"{where}.initializer", layer.initializer, INITIALIZERS)
            elif isinstance(layer, DropoutSpec):
                if not _is_number(layer.rate) or not 0.0 <= layer.rate < 1.0:
                    raise SpecError(f"{where}.rate", f"must be a number from 0 up to (not including) 1, got {layer.rate!r}")
            elif isinstance(layer, BatchNormSpec):
                if not _is_number(layer.momentum) or not 0.0 < layer.momentum <= 1.0:
                    raise SpecError(f"{where}.momentum", f"must be a number above 0 and at most 1, got {layer.momentum!r}")
                if not _is_number(layer.eps) or not layer.eps > 0:
                    raise SpecError(f"{where}.eps", f"must be a positive number, got {layer.eps!r}")
                check_choice(f"{where}.activation", layer.activation, ACTIVATIONS)
            else:
                raise SpecError(f"{where}.type", f"unknown layer kind {type(layer).__name__}")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def check_int(where: str, value, low: int, high: int) -> int:
    """Raise :class:`SpecError` unless ``value`` is an integer in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SpecError(where, f"must be an integer from {low} to {high}, got {value!r}")
    return value


def check_choice(where: str, value, choices) -> str:
    """Raise :class:`SpecError` unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise SpecError(where, f"must be one of {', '.join(sorted(choices))}; got {value!r}")
    return value
