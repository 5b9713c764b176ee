"""Writing a ``.nnviz`` file: the text layout, the shortest float32 decimals, and the atomic save."""

from __future__ import annotations

import json
from dataclasses import fields

import numpy as np

from ..atomic import write_atomic
from ..figure.style import DEFAULT_PRESET, PRESETS
from .network_file import FLOAT64_ARRAYS, FORMAT_VERSION, HISTORY_KEYS, LAYER_ARRAYS, NetworkFile
from .reading import from_dict


def dumps(nf: NetworkFile) -> str:
    """The text of a ``.nnviz`` file; raise :class:`FileFormatError` if ``nf`` breaks a rule of the format."""
    doc = _to_dict(nf)
    from_dict(doc)  # never write what could not be read back
    return _write(doc)


def save(nf: NetworkFile, path) -> None:
    """Write ``nf`` to ``path`` atomically (see :func:`nnviz.core.atomic.write_atomic`).

    A bad ``nf`` raises :class:`FileFormatError` before anything is written;
    an OS problem (no space, no permission, …) raises the :class:`OSError`
    itself, whose ``strerror`` says what happened. Either way ``path`` is untouched.
    """
    write_atomic(path, dumps(nf).encode("utf-8"))


def _to_dict(nf: NetworkFile) -> dict:
    """The file's content in file order; arrays stay NumPy (float64 holding the values to write)."""
    spec = nf.spec
    params = list(nf.params or [])
    if params and len(params) != len(spec.layers):
        raise ValueError(f"params has {len(params)} entries for {len(spec.layers)} layers")
    doc = {"format": "nnviz", "version": FORMAT_VERSION, "name": spec.name, "inputs": _plain(spec.inputs)}
    if nf.input_names is not None:
        doc["input_names"] = [_plain(n) for n in nf.input_names]
    if nf.output_names is not None:
        doc["output_names"] = [_plain(n) for n in nf.output_names]
    if nf.standardization is not None:
        s = nf.standardization
        doc["standardization"] = {"mean": _exact(np.asarray(s.mean)), "std": _exact(np.asarray(s.std))}
    if nf.probe is not None:
        doc["probe"] = _exact(np.asarray(nf.probe))
    layers = []
    for i, layer in enumerate(spec.layers):
        entry = {"type": layer.kind}
        entry |= {f.name: _plain(getattr(layer, f.name)) for f in fields(layer) if f.init}
        state = params[i] if params else None
        for name in LAYER_ARRAYS.get(layer.kind, ()):
            value = (state or {}).get(name)
            if value is not None:
                value = np.asarray(value)
                short = value.dtype == np.float32 and nf.training.dtype == "float32" and name not in FLOAT64_ARRAYS
                entry[name] = shortest_float32(value) if short else _exact(value)
        for name in state or {}:  # a key this layer cannot hold is refused by the checks, by name
            if name not in entry:
                entry[name] = np.asarray(state[name])
        layers.append(entry)
    doc["layers"] = layers
    doc["training"] = {k: _plain(v) for k, v in nf.training.to_dict().items()}
    if nf.dataset is not None:
        doc["dataset"] = {k: _plain(v) for k, v in nf.dataset.items()} if isinstance(nf.dataset, dict) else nf.dataset
    if len(nf.history) or any(getattr(nf.history, k) for k in HISTORY_KEYS):
        doc["history"] = {k: [_plain(v) for v in getattr(nf.history, k)] for k in HISTORY_KEYS if k != "grad_norms"}
        doc["history"]["grad_norms"] = _grad_norm_rows(nf.history, len(spec.layers))
    if nf.timeline is not None and len(nf.timeline):
        short = nf.training.dtype == "float32"
        doc["timeline"] = {
            "every": nf.timeline.every,
            "epochs": nf.timeline.epochs,
            "states": [shortest_float32(s) if short and s.dtype == np.float32 else _exact(s)
                       for s in map(nf.timeline.state, nf.timeline.epochs)],
        }
    if nf.figure_style is not None and nf.figure_style != PRESETS[DEFAULT_PRESET]:
        doc["figure_style"] = nf.figure_style.to_dict()
    return doc


def _grad_norm_rows(history, n_layers: int) -> list[list]:
    """One row per layer for every epoch; epochs whose norms were not recorded get a row of nulls."""
    rows = [[_plain(v) for v in row] if row else [None] * n_layers for row in history.grad_norms]
    return rows + [[None] * n_layers for _ in range(len(history.epoch) - len(rows))]


def _plain(value):
    """NumPy scalars as the Python values JSON can hold."""
    return value.item() if isinstance(value, np.generic) else value


def _exact(arr: np.ndarray) -> np.ndarray:
    return arr.astype(np.float64) if arr.dtype.kind in "fiu" else arr


def shortest_float32(arr: np.ndarray) -> np.ndarray:
    """float64 values whose repr is the shortest decimal that reads back to the same float32.

    For each value, tries 1 to 9 significant digits: the decimal m·10^-k is
    rounded to a double exactly (one correctly rounded IEEE operation on exact
    operands, since m < 2^53 and |k| <= 22), so checking that this double casts
    back to the float32 proves the decimal reads back. Magnitudes outside about
    1e-14..1e22, rare in weights, take NumPy's shortest float32 repr one by one.
    Every result is checked; one that would not read back keeps the float32's
    exact float64 value, whose repr reads back exactly.
    """
    shape = np.shape(arr)
    v = np.ascontiguousarray(arr, dtype=np.float32).ravel()
    x = v.astype(np.float64)
    out = x.copy()
    nonzero = np.isfinite(x) & (x != 0)
    with np.errstate(divide="ignore"):
        e = np.floor(np.log10(np.abs(x), where=nonzero, out=np.zeros_like(x))).astype(np.int64)
    # For these exponents every k = p - 1 - e (p = 1..9) stays within 10^±22.
    fast = nonzero & (e >= -14) & (e <= 22)
    todo = np.flatnonzero(fast)
    a = np.abs(x[todo])
    a32 = a.astype(np.float32)
    e = e[todo]
    with np.errstate(over="ignore", under="ignore"):
        for p in range(1, 10):
            if not todo.size:
                break
            k = p - 1 - e
            pow10 = 10.0 ** np.abs(k)
            up = k >= 0
            m = np.rint(np.where(up, a * pow10, a / pow10))
            cand = np.where(up, m / pow10, m * pow10)
            good = cand.astype(np.float32) == a32
            if good.any():
                out[todo[good]] = np.copysign(cand[good], x[todo[good]])
                keep = ~good
                todo, a, a32, e = todo[keep], a[keep], a32[keep], e[keep]
    slow = np.flatnonzero(nonzero & ~fast)
    if slow.size:
        out[slow] = [float(s) for s in v[slow].astype(str).tolist()]
    # The guarantee, checked: every value reads back to the same float32 bits.
    bad = (out.astype(np.float32).view(np.uint32) != v.view(np.uint32)) & np.isfinite(v)
    out[bad] = x[bad]
    return out.reshape(shape)


def _j(value) -> str:
    """Compact JSON for a small value; non-ASCII text is kept readable where UTF-8 can hold it."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: write them as \\u escapes, which read back the same
        text = json.dumps(value, allow_nan=False)
    return text


def _j_array(arr: np.ndarray) -> str:
    return json.dumps(arr.tolist(), allow_nan=False)


def _write(doc: dict) -> str:
    entries = []
    for key, value in doc.items():
        if key == "layers":
            entries.append('  "layers": [\n' + ",\n".join(_layer_text(layer) for layer in value) + "\n  ]")
        elif key == "timeline":
            states = ",\n".join("      " + _j_array(state) for state in value["states"])
            entries.append(f'  "timeline": {{\n    "every": {value["every"]},\n    "epochs": {_j(value["epochs"])},\n'
                           f'    "states": [\n{states}\n    ]\n  }}')
        elif key in ("standardization", "history"):
            lines = [f"    {_j(k)}: {_nested_text(k, v)}" for k, v in value.items()]
            entries.append(f"  {_j(key)}: {{\n" + ",\n".join(lines) + "\n  }")
        elif isinstance(value, np.ndarray):
            entries.append(f"  {_j(key)}: {_j_array(value)}")
        else:
            entries.append(f"  {_j(key)}: {_j(value)}")
    return "{\n" + ",\n".join(entries) + "\n}\n"


def _nested_text(key: str, value) -> str:
    """A list inside standardization or history: one line, but the gradient norms one line per epoch."""
    if isinstance(value, np.ndarray):
        return _j_array(value)
    if key == "grad_norms" and value:
        return "[\n" + ",\n".join("      " + _j(row) for row in value) + "\n    ]"
    return _j(value)


def _layer_text(layer: dict) -> str:
    head = "    {" + ", ".join(f"{_j(k)}: {_j(v)}" for k, v in layer.items() if not isinstance(v, np.ndarray))
    parts = [head]
    for k, v in layer.items():
        if not isinstance(v, np.ndarray):
            continue
        if v.ndim == 2:
            rows = ",\n".join("        " + json.dumps(row, allow_nan=False) for row in v.tolist())
            parts.append(f"     {_j(k)}: [\n{rows}\n     ]")
        else:
            parts.append(f"     {_j(k)}: {_j_array(v)}")
    return ",\n".join(parts) + "}"
