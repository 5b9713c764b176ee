"""What a network costs: parameters, their memory, multiply-adds per forward pass."""

from __future__ import annotations

from dataclasses import dataclass

from .spec import BatchNormSpec, DenseSpec, NetworkSpec


@dataclass(frozen=True)
class LayerCount:
    index: int
    kind: str
    units: int
    activation: str | None
    params: int
    macs: int  # multiply-adds for one sample


@dataclass(frozen=True)
class NetworkCount:
    layers: tuple[LayerCount, ...]

    @property
    def params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    def memory_bytes(self, bytes_per_param: int = 4) -> int:
        """Memory of the parameters (4 bytes for float32, 2 for float16)."""
        return self.params * bytes_per_param


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
        rows.append(LayerCount(i, layer.kind, units, getattr(layer, "activation", None), params, macs))
    return NetworkCount(tuple(rows))

