"""The memory guard: what a network will cost before it is built or trained, and a refusal above a budget.

A layer of 100,000 units after another of 100,000 holds ten billion weights
(37 GB as float32). Building it would end in a ``MemoryError`` somewhere
(inside a Qt callback, half-way through an edit), or in the operating system
killing nnviz. So the window and the command line estimate first, from the
spec alone, and refuse what does not fit in :func:`budget` with a message
that names the size and the layer to make smaller.

The estimate counts what nnviz itself allocates: the flat parameter vector
and its gradients (:class:`~nnviz.core.network.Network`), the optimiser's
buffers, a batch's activations while training, extra copies of the
parameters (the window's undo steps and the training process's mirror) and
the input-plane grids of the decision boundary and the neuron heatmaps.

The budget is a share of the machine's memory (:data:`SHARE` of the
physical memory, no more than :data:`AVAILABLE_SHARE` of what is available
now, and within a process memory limit or a container's limit when there is
one). ``NNVIZ_MEMORY_BUDGET`` (bytes, or with a K/M/G suffix) overrides it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from .counting import count
from .numbers import human_bytes
from .spec import NetworkSpec

SHARE = 0.5  # of the physical memory
AVAILABLE_SHARE = 0.8  # of the memory available now
FALLBACK_BUDGET = 2 * 1024**3  # when the machine's memory cannot be read
ENV_BUDGET = "NNVIZ_MEMORY_BUDGET"

# Buffers an optimiser keeps, in units of the parameter vector (see nnviz.core.optimizers).
OPTIMIZER_BUFFERS = {"sgd": 1, "momentum": 2, "nesterov": 2, "rmsprop": 2, "adam": 3}
# Arrays a layer keeps per sample while training: its input, weighted sums, activations and their gradient.
TRAINING_ARRAYS = 4
# Arrays a layer keeps per sample in an inference pass (weighted sums and activations).
INFERENCE_ARRAYS = 2


class MemoryBudgetError(Exception):
    """What was asked for needs more memory than nnviz allows itself; ``str()`` says what and what to do.

    ``needed`` and ``budget`` are in bytes; ``layer`` is the index of the
    layer that holds the most (None when no layer stands out).
    """

    def __init__(self, message: str, needed: int, budget: int, layer: int | None):
        super().__init__(message)
        self.needed = needed
        self.budget = budget
        self.layer = layer


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes by part (``"parameters"``, ``"gradients"``, …) and the layer that costs the most."""

    parts: dict[str, int] = field(default_factory=dict)
    layer: int | None = None  # index of the layer holding the most parameters
    layer_bytes: int = 0  # what that layer's parameters cost in all the parts that scale with them
    layer_units: int = 0

    @property
    def total(self) -> int:
        return sum(self.parts.values())

    def describe(self) -> str:
        """``"parameters 1.2 GB, gradients 1.2 GB, …"``: the parts that are not empty, largest first."""
        parts = sorted(((v, k) for k, v in self.parts.items() if v), reverse=True)
        return ", ".join(f"{k} {human_bytes(v)}" for v, k in parts)


def estimate(
    spec: NetworkSpec,
    *,
    dtype="float32",
    copies: int = 0,
    optimizer: str | None = None,
    batch_size: int = 0,
    eval_samples: int = 0,
    grid_points: int = 0,
) -> MemoryEstimate:
    """The bytes building (and, with ``optimizer``, training) ``spec`` needs; nothing is allocated.

    ``copies``: extra copies of the parameters kept besides the network's own
    (undo steps, a mirror). ``optimizer`` and ``batch_size``: a training run's
    buffers and one batch's activations; ``eval_samples``: the rows evaluated
    at once (validation). ``grid_points``: an input-plane grid traced through
    the network at once (its activations of every layer).
    """
    itemsize = _itemsize(dtype)
    counts = count(spec)
    params = counts.params * itemsize
    per_param = 2 + copies + (OPTIMIZER_BUFFERS.get(optimizer, 3) if optimizer is not None else 0)
    widths = spec.widths()
    activations = sum(widths) * itemsize
    parts = {"parameters": params, "gradients": params}
    if copies:
        parts["copies of the parameters"] = copies * params
    if optimizer is not None:
        parts["optimiser state"] = (per_param - 2 - copies) * params
    if batch_size:
        parts["a batch's activations"] = TRAINING_ARRAYS * batch_size * activations
    if eval_samples:
        parts["evaluation"] = INFERENCE_ARRAYS * eval_samples * activations
    if grid_points:
        parts["input-plane grids"] = INFERENCE_ARRAYS * grid_points * activations
    layer = max(counts.layers, key=lambda c: c.params, default=None)
    if layer is None or layer.params == 0:
        return MemoryEstimate(parts)
    return MemoryEstimate(parts, layer.index, layer.params * itemsize * per_param, layer.units)


def _itemsize(dtype) -> int:
    return np.dtype(dtype).itemsize


# -- the budget ------------------------------------------------------------------


def budget() -> int:
    """How many bytes nnviz allows itself for one network (see the module docstring)."""
    override = os.environ.get(ENV_BUDGET)
    if override:
        parsed = parse_bytes(override)
        if parsed is not None:
            return parsed
    total, available = _meminfo()
    if total is None:
        total = _sysconf_total()
    if total is None:
        return FALLBACK_BUDGET
    limit = int(total * SHARE)
    if available is not None:
        limit = min(limit, int(available * AVAILABLE_SHARE))
    for cap in (_cgroup_limit(), _address_space_limit()):
        if cap is not None:
            limit = min(limit, int(cap * SHARE))
    return max(limit, 0)


def parse_bytes(text: str) -> int | None:
    """``"512M"`` → 536870912; a plain number is bytes; None when ``text`` is not a size."""
    text = text.strip().upper().removesuffix("B")
    scale = 1
    if text and text[-1] in "KMGT":
        scale = 1024 ** ("KMGT".index(text[-1]) + 1)
        text = text[:-1]
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value * scale) if value >= 0 else None


def _meminfo() -> tuple[int | None, int | None]:
    values = {}
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("MemTotal", "MemAvailable"):
                    values[key] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        return None, None
    return values.get("MemTotal"), values.get("MemAvailable")


def _sysconf_total() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def _cgroup_limit() -> int | None:
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path, encoding="ascii") as f:
                text = f.read().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2**60:
            return int(text)
    return None


def _address_space_limit() -> int | None:
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


# -- the check ------------------------------------------------------------------------


def check(est: MemoryEstimate, what: str = "this network", limit: int | None = None) -> MemoryEstimate:
    """``est`` when it fits in ``limit`` (default: :func:`budget`); else :class:`MemoryBudgetError`.

    The message says how much ``what`` needs, against how much, which layer
    holds the most and what to do.
    """
    limit = budget() if limit is None else limit
    needed = est.total
    if needed <= limit:
        return est
    message = f"{what} needs about {human_bytes(needed)} of memory ({est.describe()}), more than the {human_bytes(limit)} nnviz allows itself on this machine"
    if est.layer is not None and est.layer_bytes * 2 >= needed:
        message += (
            f"; layer {est.layer + 1} ({est.layer_units:,} units) alone takes {human_bytes(est.layer_bytes)}: "
            "make it or the layer before it smaller"
        )
    else:
        message += "; make the network's widest layers smaller"
    raise MemoryBudgetError(message, needed, limit, est.layer)


# -- input-plane grids -------------------------------------------------------------------

GRID_CHUNK_BYTES = 32 * 1024**2  # activations one chunk of a grid may hold while it is traced


def grid_cost(spec: NetworkSpec, points: int, dtype="float32") -> tuple[int, int]:
    """(bytes, multiply-adds) of tracing ``points`` inputs through ``spec`` at once, keeping every layer's arrays."""
    per_point = INFERENCE_ARRAYS * sum(spec.widths()) * _itemsize(dtype)
    return points * per_point, points * count(spec).macs


def rows_per_chunk(spec: NetworkSpec, dtype="float32", max_bytes: int = GRID_CHUNK_BYTES) -> int:
    """How many inputs one forward pass may take so that its activations stay within ``max_bytes``."""
    per_point, _ = grid_cost(spec, 1, dtype)
    return max(1, max_bytes // max(per_point, 1))


def predict_in_chunks(network, x, max_bytes: int = GRID_CHUNK_BYTES) -> np.ndarray:
    """``network.predict(x)`` (float64) a chunk of rows at a time, so a wide layer never holds gigabytes at once."""
    x = np.asarray(x)
    rows = rows_per_chunk(network.spec, network.dtype, max_bytes)
    if len(x) <= rows:
        return network.predict(x)
    return np.concatenate([network.predict(x[start : start + rows]) for start in range(0, len(x), rows)])
