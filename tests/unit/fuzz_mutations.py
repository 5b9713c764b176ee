"""Seeded mutations of the shipped example files, and the check of what a loaded file holds.

Shared by the fuzz test (``test_fuzz_files.py``, a few hundred cases) and the
script that runs thousands (``tests/benchmarks/fuzz_files.py``).
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import numpy as np

from nnviz.core.counting import count
from nnviz.core.fileformat import FileFormatError, loads
from nnviz.core.project import Project

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
# Build the network of an opened file (the window and `nnviz predict` do) only up to this size.
BUILD_LIMIT = 2_000_000

_RAW = "\u0001raw\u0001"  # stands in a JSON tree for raw text spliced into the dump
RAW_VALUES = [
    "1e39", "-1e39", "3.5e38", "3.4028235e38", "-3.4028235e38", "1e308", "-1e308", "1e309", "-1e400", "1e-400",
    "NaN", "Infinity", "-Infinity", "1" + "0" * 5000, "1" + "0" * 40, "-0", "0.0", "5e-324", "2.2250738585072014e-308",
]
WRONG_TYPES = [None, True, False, 0, -1, 1, 2, 1.5, -7, 10**6, 10**20, "", "x", "relu", "dense", [], [1], [[1]],
               {}, {"a": 1}, "\ud800", "\x00"]


def examples() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.nnviz"))]


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _get(doc, path):
    for key in path:
        doc = doc[key]
    return doc


def _set(doc, path, value):
    if not path:
        return value
    _get(doc, path[:-1])[path[-1]] = value
    return doc


def _nested(rng, depth):
    if rng.random() < 0.5:
        return "[" * depth + "1" + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One mutation of a file's bytes: (kind, new bytes)."""
    kind = rng.choice(["flip", "flip", "truncate", "value", "value", "value", "raw", "raw", "shape", "shape",
                       "delete", "unknown", "nest", "units", "splice"])
    if kind == "flip":
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return kind, bytes(b)
    if kind == "truncate":
        return kind, data[: rng.randrange(len(data))]
    if kind == "splice":  # a piece of the file repeated or moved
        a, b = sorted(rng.randrange(len(data)) for _ in range(2))
        at = rng.randrange(len(data))
        return kind, data[:at] + data[a:b] + data[at:]
    doc = json.loads(data)
    paths = list(_paths(doc))
    path = rng.choice(paths)
    raw = None
    if kind == "value":
        doc = _set(doc, path, rng.choice(WRONG_TYPES))
    elif kind == "raw":  # huge, tiny and non-finite numbers in place of numbers
        numeric = [p for p in paths if isinstance(_get(doc, p), int | float) and not isinstance(_get(doc, p), bool)]
        path = rng.choice(numeric or paths)
        raw = rng.choice(RAW_VALUES)
        doc = _set(doc, path, _RAW)
    elif kind == "nest":
        raw = _nested(rng, rng.choice([2, 10, 100, 1000, 5000, 100_000]))
        doc = _set(doc, path, _RAW)
    elif kind == "shape":  # a list one longer or shorter, a matrix transposed or flattened
        lists = [p for p in paths if isinstance(_get(doc, p), list)] or [()]
        path = rng.choice(lists)
        value = _get(doc, path)
        if isinstance(value, list):
            how = rng.choice(["drop", "add", "transpose", "flatten", "wrap", "empty"])
            if how == "drop" and value:
                value.pop(rng.randrange(len(value)))
            elif how == "add":
                value.append(value[-1] if value else 0)
            elif how == "transpose" and value and all(isinstance(r, list) for r in value):
                try:
                    value = [list(r) for r in zip(*value)]
                except TypeError:
                    pass
            elif how == "flatten" and value and all(isinstance(r, list) for r in value):
                value = [x for r in value for x in r]
            elif how == "wrap":
                value = [value]
            elif how == "empty":
                value = []
            doc = _set(doc, path, value)
    elif kind == "delete":
        parents = [p for p in paths if p and isinstance(_get(doc, p[:-1]), dict | list)]
        if parents:
            path = rng.choice(parents)
            del _get(doc, path[:-1])[path[-1]]
    elif kind == "unknown":
        dicts = [p for p in paths if isinstance(_get(doc, p), dict)]
        _get(doc, rng.choice(dicts))["surprise"] = rng.choice(WRONG_TYPES)
    elif kind == "units":
        layers = [p for p in paths if len(p) == 3 and p[0] == "layers" and p[2] in ("units", "rate", "momentum", "eps")]
        if layers:
            path = rng.choice(layers)
            doc = _set(doc, path, rng.choice([0, 1, 2, 3, 64, 100_000, -1, 10**9, 0.5, 1.0, 1e-300]))
        else:
            doc = _set(doc, ("inputs",), rng.choice([0, 1, 3, 100_000]))
    text = json.dumps(doc, ensure_ascii=rng.random() < 0.5)
    if raw is not None:
        text = text.replace(json.dumps(_RAW), raw, 1)
    return kind, text.encode("utf-8", "surrogatepass")


def _finite(v) -> bool:
    try:
        return math.isfinite(v)
    except (OverflowError, TypeError):
        return False


def problems(nf) -> list[str]:
    """What is wrong with what a file opened as: non-finite numbers, or arrays that disagree with the spec."""
    out = []
    spec = nf.spec
    widths = spec.widths()
    if len(nf.params) != len(spec.layers):
        out.append(f"{len(nf.params)} parameter entries for {len(spec.layers)} layers")
    for i, (state, fan_in, units) in enumerate(zip(nf.params, widths, widths[1:])):
        shapes = {"weights": (fan_in, units), "bias": (units,), "gamma": (fan_in,), "beta": (fan_in,),
                  "running_mean": (fan_in,), "running_var": (fan_in,)}
        for name, arr in (state or {}).items():
            if arr is None:
                continue
            if arr.shape != shapes.get(name):
                out.append(f"layers[{i}].{name}: shape {arr.shape}, expected {shapes.get(name)}")
            if not np.isfinite(arr).all():
                out.append(f"layers[{i}].{name}: non-finite ({arr.dtype})")
    s = nf.standardization
    if s is not None:
        for name, arr in (("mean", s.mean), ("std", s.std)):
            arr = np.asarray(arr)
            if arr.shape != (spec.inputs,) or not np.isfinite(arr).all():
                out.append(f"standardization.{name}: shape {arr.shape} or non-finite")
        if not (np.asarray(s.std) > 0).all():
            out.append("standardization.std: not positive")
    if nf.probe is not None and (np.shape(nf.probe) != (spec.inputs,) or not np.isfinite(nf.probe).all()):
        out.append("probe: wrong shape or non-finite")
    h = nf.history
    lengths = {len(h.epoch), len(h.train_loss), len(h.val_loss), len(h.train_accuracy), len(h.val_accuracy)}
    if len(lengths) != 1:
        out.append(f"history: lists of different lengths {sorted(lengths)}")
    for key in ("train_loss", "val_loss", "train_accuracy", "val_accuracy"):
        if any(v is not None and not _finite(v) for v in getattr(h, key)):
            out.append(f"history.{key}: non-finite")
    if nf.timeline is not None:
        for e in nf.timeline.epochs:
            if not np.isfinite(nf.timeline.state(e)).all():
                out.append(f"timeline epoch {e}: non-finite")
    for name in ("learning_rate", "l1", "l2", "clip_norm", "momentum", "val_split"):
        v = getattr(nf.training, name, None)
        if isinstance(v, float) and not np.isfinite(v):
            out.append(f"training.{name}: non-finite")
    return out


def open_case(data: bytes) -> tuple[str, str]:
    """("refused", message) | ("opened", "") | ("bad", problems) after loading ``data`` as the window would."""
    try:
        nf = loads(data)
    except FileFormatError as exc:
        return "refused", str(exc)
    found = problems(nf)
    if not found and count(nf.spec).params <= BUILD_LIMIT:
        try:
            project = Project.from_file(nf)
        except FileFormatError as exc:
            return "refused", str(exc)
        for i, state in enumerate(project.network.copy_params()):
            for name, arr in state.items():
                if not np.isfinite(arr).all():
                    found.append(f"network layer {i} {name}: non-finite")
    return ("bad", "; ".join(found)) if found else ("opened", "")
