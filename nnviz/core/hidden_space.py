"""The hidden space: where a hidden layer puts its inputs, seen in two dimensions.

A hidden layer of ``k`` units maps every input point to a point of a
``k``-dimensional space. Training bends and folds the input plane there until
a straight line (the next layers) can separate the classes. To draw it, the
layer's activations are projected onto two axes: either two of its neurons
(their activations as they are), or the first two principal components of
the data's activations (the plane in which the data spread most).

The principal components are fitted again at every frame of a run, so they
stay the data's two main directions as the network learns; their signs and
their order follow the previous frame's (:func:`principal_axes`), so the
picture moves with the weights rather than flipping or swapping axes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network
from .spec import NetworkSpec


def hidden_layers(spec: NetworkSpec) -> range:
    """Indices into ``spec.layers`` of the hidden layers: every layer but the last (the canvas's "Hidden N" is index N - 1)."""
    return range(len(spec.layers) - 1)


def layer_activations(network: Network, x: np.ndarray, layer: int) -> np.ndarray:
    """Outputs of ``network.layers[layer]`` for inputs ``x`` (n, inputs), as at inference.

    Only the layers up to ``layer`` run: the cheap part of a forward pass.
    """
    a = np.asarray(x, dtype=network.dtype)
    if a.ndim == 1:
        a = a[None, :]
    for step in network.layers[: layer + 1]:
        a = step.forward(a, False)
    return a


@dataclass(frozen=True)
class Axes:
    """Two directions in a layer's activation space and the point they start from.

    ``project(points)`` is ``(points - origin) @ directions``. ``share`` is the
    fraction of the data's variance along each direction (principal components),
    or ``None`` (two neurons).
    """

    origin: np.ndarray  # (units,)
    directions: np.ndarray  # (units, 2), unit columns; a zero column when the layer has one unit
    share: tuple[float, float] | None = None

    def project(self, points: np.ndarray) -> np.ndarray:
        """``points`` (n, units) in these axes' coordinates: (n, 2)."""
        return (np.asarray(points, dtype=np.float64) - self.origin) @ self.directions


def neuron_axes(units: int, i: int, j: int) -> Axes:
    """Axes along neurons ``i`` and ``j`` (0-based) of a ``units``-wide layer: their activations, unchanged."""
    directions = np.zeros((units, 2))
    directions[i, 0] = 1.0
    directions[j, 1] = 1.0
    return Axes(np.zeros(units), directions)


def principal_axes(points: np.ndarray, previous: Axes | None = None) -> Axes:
    """The first two principal components of ``points`` (n, units), centred on their mean.

    With ``previous`` axes of the same width (the last frame's), each component
    keeps the sign, and the pair the order, that agree best with them: the
    picture does not mirror or turn over from one frame to the next. Without,
    each component points so that its largest loading is positive. A
    one-unit layer has a single component; the second direction is then zero.
    """
    points = np.asarray(points, dtype=np.float64)
    units = points.shape[1]
    mean = points.mean(axis=0) if len(points) else np.zeros(units)
    centred = points - mean
    if not np.isfinite(centred).all():
        centred = np.nan_to_num(centred, nan=0.0, posinf=0.0, neginf=0.0)
    variance, vectors = np.linalg.eigh(centred.T @ centred)  # ascending
    variance = np.clip(variance[::-1], 0.0, None)
    vectors = vectors[:, ::-1]
    directions = np.zeros((units, 2))
    kept = min(units, 2)
    directions[:, :kept] = vectors[:, :kept]
    total = float(variance.sum())
    share = tuple(float(v / total) if total > 0 else 0.0 for v in (*variance[:kept], 0.0)[:2])
    if previous is not None and previous.directions.shape == directions.shape:
        old = previous.directions
        if kept == 2:
            straight = abs(directions[:, 0] @ old[:, 0]) + abs(directions[:, 1] @ old[:, 1])
            crossed = abs(directions[:, 0] @ old[:, 1]) + abs(directions[:, 1] @ old[:, 0])
            if crossed > straight:  # two components of nearly equal variance traded places
                directions = directions[:, ::-1].copy()
                share = share[::-1]
        signs = np.where(np.einsum("ij,ij->j", directions, old) < 0, -1.0, 1.0)
    else:
        largest = np.abs(directions).argmax(axis=0)
        signs = np.where(directions[largest, [0, 1]] < 0, -1.0, 1.0)
    return Axes(mean, directions * signs, share)
