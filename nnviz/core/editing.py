"""Structural edits that keep what they can of a network's parameters.

When a layer is inserted, removed, moved or resized, every weight whose row
and column still exist keeps its value; only new rows and columns are drawn
from the layer's initialiser. This is how the editor changes a layer's width
without throwing away training.
"""

from __future__ import annotations

import numpy as np

from .network import Network
from .spec import NetworkSpec

Params = list[dict[str, np.ndarray]]


def carry_params(
    old: Network, new_spec: NetworkSpec, origin: list[int | None], *, seed: int = 0
) -> Params:
    """Parameters for ``new_spec``, taking each layer's from ``old`` where it came from.

    ``origin[i]`` is the index in ``old.spec.layers`` that new layer ``i`` came
    from, or ``None`` for a new layer. Overlapping blocks of weights (and the
    leading entries of biases and batch-norm arrays) are kept; the rest is the
    fresh initialisation of ``Network(new_spec, seed=seed)``.
    """
    fresh = Network(new_spec, seed=seed, dtype=old.dtype)
    result = fresh.copy_params()
    for i, src in enumerate(origin):
        if src is None or old.spec.layers[src].kind != new_spec.layers[i].kind:
            continue
        for name, old_array in old.layer_state(src).items():
            target = result[i].get(name)
            if target is not None:
                block = tuple(slice(0, min(a, b)) for a, b in zip(old_array.shape, target.shape))
                target[block] = old_array[block]
    return result
