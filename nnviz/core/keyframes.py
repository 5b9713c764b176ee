"""The timeline's keyframes: the network's weights at kept epochs, within a memory cap.

Every epoch is kept while the keyframes fit in :data:`MEMORY_CAP`; when they
would not, every other one goes (the first and the newest stay) and from then
on only every second epoch is kept, then every fourth, and so on. So a long
run of a big network is spaced out evenly, and a short run of a small one
keeps every epoch. A :class:`~nnviz.core.project.Project` holds them; a
``.nnviz`` file keeps them on request.

A keyframe is a *state vector*: the network's flat parameter buffer (every
dense layer's weights, then every bias and batch-norm scale and shift, in
layer order) followed by each batch-norm layer's running mean and variance.
"""

from __future__ import annotations

import numpy as np

from .network import Network
from .spec import NetworkSpec

MEMORY_CAP = 64 * 2**20  # bytes of keyframes per timeline


def running_statistics(net: Network) -> list[np.ndarray]:
    """The parts of a network's state outside its flat parameters (batch norm's running statistics)."""
    return [arr for layer in net.layers if layer.kind == "batchnorm" for arr in (layer.running_mean, layer.running_var)]


def state_size(net: Network) -> int:
    """The length of ``net``'s state vector."""
    return net.params.size + sum(a.size for a in running_statistics(net))


def spec_state_size(spec: NetworkSpec) -> int:
    """The length of the state vector of a network of ``spec`` (without building one)."""
    size = 0
    for layer, fan_in in zip(spec.layers, spec.widths()):
        if layer.kind == "dense":
            size += (fan_in + 1) * layer.units
        elif layer.kind == "batchnorm":
            size += 4 * fan_in  # scale, shift, running mean and variance
    return size


def state_vector(net: Network) -> np.ndarray:
    """A copy of ``net``'s parameters and running statistics as one vector (see the module docstring)."""
    return np.concatenate([net.params, *running_statistics(net)])


def load_state(net: Network, state: np.ndarray) -> None:
    """Put a state vector (from :func:`state_vector` of a network of the same spec) into ``net``."""
    n = net.params.size
    net.params[:] = state[:n]
    offset = n
    for arr in running_statistics(net):
        arr[:] = state[offset : offset + arr.size]
        offset += arr.size


class Keyframes:
    """Weights (state vectors, see :mod:`.process`) by epoch of the document's history."""

    def __init__(self, cap: int = MEMORY_CAP):
        self.cap = cap
        self.every = 1  # an epoch is kept when it is a multiple of this
        self._states: dict[int, np.ndarray] = {}
        self._tags: dict[int, object] = {}  # what identifies the epoch's row of the history it belongs to
        self._nbytes = 0

    def __len__(self) -> int:
        return len(self._states)

    @property
    def epochs(self) -> list[int]:
        """The kept epochs, oldest first (they are added in order)."""
        return list(self._states)

    @property
    def first(self) -> int | None:
        return next(iter(self._states), None)

    @property
    def newest(self) -> int | None:
        return next(reversed(self._states), None)

    @property
    def nbytes(self) -> int:
        return self._nbytes

    def state(self, epoch: int) -> np.ndarray:
        return self._states[epoch]

    def tag(self, epoch: int):
        return self._tags.get(epoch)

    def nearest(self, epoch: float) -> int | None:
        """The kept epoch closest to ``epoch`` (None when nothing is kept)."""
        if not self._states:
            return None
        return min(self._states, key=lambda e: (abs(e - epoch), e))

    def add(self, epoch: int, state: np.ndarray, tag=None) -> bool:
        """Keep ``state`` as the weights at the end of ``epoch``; True if the spacing grew (tell the process).

        The newest epoch is always kept; an older one off the spacing goes when a newer one comes.
        ``tag`` identifies the history row of that epoch (see :meth:`keep_matching`)."""
        # Epochs come in order (a run appends them), so the newest is the last added.
        newest = next(reversed(self._states), None)
        if len(self._states) >= 2 and newest < epoch and newest % self.every:
            self._nbytes -= self._states.pop(newest).nbytes
        if epoch in self._states:
            self._nbytes -= self._states[epoch].nbytes
        self._states[epoch] = state
        self._tags[epoch] = tag
        self._nbytes += state.nbytes
        grew = False
        while self.nbytes > self.cap and len(self._states) > 2:
            self.every *= 2
            grew = True
            epochs = self.epochs
            keep = {epochs[0], epochs[-1]}
            self._states = {e: a for e, a in self._states.items() if e in keep or e % self.every == 0}
            if len(self._states) == len(epochs):  # nothing fell on the new spacing: drop every other one
                self._states = {e: self._states[e] for i, e in enumerate(epochs) if i % 2 == 0 or e in keep}
            self._tags = {e: self._tags.get(e) for e in self._states}
            self._recount()
        return grew

    def truncate(self, epochs_done: int) -> None:
        """Forget keyframes after ``epochs_done`` (a continue from an earlier epoch)."""
        self._states = {e: a for e, a in self._states.items() if e <= epochs_done}
        self._recount()

    def keep_matching(self, matches) -> None:
        """Keep the keyframes for which ``matches(epoch, tag)`` holds: those of the history as it is now
        (an undo or redo may have put another branch of it in place)."""
        self._states = {e: a for e, a in self._states.items() if matches(e, self._tags.get(e))}
        self._tags = {e: self._tags.get(e) for e in self._states}
        self._recount()

    def copy(self) -> Keyframes:
        """Another Keyframes keeping the same epochs; later changes to either leave the other alone
        (the state arrays are shared: a kept state is never changed in place)."""
        new = Keyframes(self.cap)
        new.every, new._nbytes = self.every, self._nbytes
        new._states, new._tags = dict(self._states), dict(self._tags)
        return new

    def clear(self) -> None:
        self._states.clear()
        self._tags.clear()
        self._nbytes = 0
        self.every = 1

    def _recount(self) -> None:
        self._nbytes = sum(a.nbytes for a in self._states.values())
