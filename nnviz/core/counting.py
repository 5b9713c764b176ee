"""What a network costs: parameters, their memory, multiply-adds per forward pass.

Every count can show how it is made (a dense layer's ``m×n + n``), and a
network's cost can be compared with a variant of it: one hidden layer twice as
wide, or repeated (a copy added right after itself).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .spec import BatchNormSpec, DenseSpec, NetworkSpec

FLOAT32_BYTES = 4
FLOAT16_BYTES = 2
CHANGES = ("double", "repeat")  # the variants :func:`variant` makes


@dataclass(frozen=True)
class LayerCount:
    index: int
    kind: str
    units: int
    activation: str | None
    params: int
    macs: int  # multiply-adds for one sample
    fan_in: int = 0  # the values coming in (the previous layer's units, or the inputs)

    def terms(self) -> str:
        """How :attr:`params` is made, compactly: ``"2×4+4"`` (dense), ``"2×4"`` (batch norm), ``"0"``."""
        if self.kind == "dense":
            return f"{self.fan_in:,}×{self.units:,}+{self.units:,}"
        if self.kind == "batchnorm":
            return f"2×{self.units:,}"
        return "0"

    def formula(self) -> str:
        """:attr:`params` with its making spelled out: ``"2×4 + 4 = 12"``.

        A dense layer has a weight from each of its ``fan_in`` inputs to each
        of its units, plus a bias per unit; batch norm a scale and a shift per
        feature; dropout nothing to learn.
        """
        if self.kind == "dense":
            return f"{self.fan_in:,}×{self.units:,} + {self.units:,} = {self.params:,}"
        if self.kind == "batchnorm":
            return f"2×{self.units:,} = {self.params:,}"
        return "0"


@dataclass(frozen=True)
class NetworkCount:
    layers: tuple[LayerCount, ...]

    @property
    def params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def activations(self) -> int:
        """Values one sample's forward pass produces (every layer's outputs)."""
        return sum(layer.units for layer in self.layers)

    def memory_bytes(self, bytes_per_param: int = FLOAT32_BYTES) -> int:
        """Memory of the parameters (4 bytes for float32, 2 for float16)."""
        return self.params * bytes_per_param

    def activation_bytes(self, bytes_per_value: int = FLOAT32_BYTES) -> int:
        """Memory of one sample's :attr:`activations` (4 bytes for float32, 2 for float16)."""
        return self.activations * bytes_per_value

    def formula(self) -> str:
        """The total as the sum of its layers: ``"2×4+4 + 4×4+4 + 4×1+1 = 37"`` (dropout adds nothing)."""
        terms = [layer.terms() for layer in self.layers if layer.params]
        return f"{' + '.join(terms) or '0'} = {self.params:,}"


def count(spec: NetworkSpec) -> NetworkCount:
    """Per-layer parameter and multiply-add counts of ``spec``.

    A dense layer has inputs×units weights plus units biases and costs
    inputs×units multiply-adds per sample; batch norm has a scale and a shift per
    feature and, with its statistics folded in at inference, one multiply-add per
    feature; dropout has neither.
    """
    widths = spec.widths()
    rows = []
    for i, layer in enumerate(spec.layers):
        fan_in, units = widths[i], widths[i + 1]
        if isinstance(layer, DenseSpec):
            params, macs = fan_in * units + units, fan_in * units
        elif isinstance(layer, BatchNormSpec):
            params, macs = 2 * units, units
        else:
            params, macs = 0, 0
        rows.append(LayerCount(i, layer.kind, units, getattr(layer, "activation", None), params, macs, fan_in))
    return NetworkCount(tuple(rows))


def hidden_dense_layers(spec: NetworkSpec) -> list[int]:
    """Indices of the dense layers before the last dense layer (the output): the ones a variant may change."""
    dense = [i for i, layer in enumerate(spec.layers) if isinstance(layer, DenseSpec)]
    return dense[:-1]


def variant(spec: NetworkSpec, index: int, change: str) -> NetworkSpec:
    """``spec`` with hidden dense layer ``index`` twice as wide (``"double"``) or repeated (``"repeat"``).

    Repeating adds a copy of the layer right after itself, so the copy takes
    the layer's own units as its inputs. Raises ``ValueError`` for a layer that
    is not a hidden dense layer, or an unknown change.
    """
    if index not in hidden_dense_layers(spec):
        raise ValueError(f"layer {index} is not a hidden dense layer of this network")
    layer = spec.layers[index]
    layers = list(spec.layers)
    if change == "double":
        layers[index] = replace(layer, units=2 * layer.units)
    elif change == "repeat":
        layers.insert(index + 1, layer)
    else:
        raise ValueError(f"unknown change {change!r}; choose one of {', '.join(CHANGES)}")
    return replace(spec, layers=tuple(layers))
