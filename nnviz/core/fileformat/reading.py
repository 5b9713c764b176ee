"""Reading a ``.nnviz`` file: parse it and check every rule, naming the first broken one with its place."""

from __future__ import annotations

import json
import math
import os
from dataclasses import MISSING, fields

import numpy as np

from ..datasets import Standardization
from ..figure.style import FigureStyle, StyleError
from ..keyframes import Keyframes, spec_state_size
from ..spec import LAYER_KINDS, NetworkSpec, SpecError
from ..training import History, TrainConfig
from .embedded import embedded_text, is_figure
from .network_file import (
    FLOAT64_ARRAYS,
    FORMAT_VERSION,
    HISTORY_KEYS,
    LAYER_ARRAYS,
    REQUIRED_LAYER_KEYS,
    TOP_KEYS,
    FileFormatError,
    NetworkFile,
)

_NUMBER_TYPES = frozenset({int, float})


def loads(text: str | bytes) -> NetworkFile:
    """Parse the text of a ``.nnviz`` file; raise :class:`FileFormatError` naming the first problem."""
    if isinstance(text, bytes | bytearray):
        text = _decode(bytes(text), "the text")
    if text.startswith("\ufeff"):  # a byte-order mark some editors add
        text = text[1:]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise FileFormatError("", f"not valid JSON: line {e.lineno} column {e.colno}: {e.msg}") from None
    except ValueError:  # the only other ValueError: an integer longer than Python converts (4300 digits)
        raise FileFormatError("", "not valid JSON: a number has too many digits") from None
    except RecursionError:
        raise FileFormatError("", "not valid JSON: nested too deeply") from None
    return from_dict(data)


def load(path) -> NetworkFile:
    """Read a ``.nnviz`` file, or the network inside a PNG or SVG figure nnviz exported.

    Any problem (unreadable, not UTF-8, bad content, a figure holding no
    network) is a :class:`FileFormatError`.
    """
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise FileFormatError("", f"cannot read {os.fspath(path)}: {e.strerror or e}") from e
    if is_figure(raw):
        return loads(embedded_text(raw, os.path.basename(os.fspath(path))))
    return loads(_decode(raw, os.fspath(path)))


def _decode(raw: bytes, what: str) -> str:
    head = raw[:4096]
    # ASCII in UTF-16 is valid UTF-8 with a NUL beside every character: say so, not "not valid JSON".
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or max(head[0::2].count(0), head[1::2].count(0)) > len(head) // 4:
        raise FileFormatError(
            "", f"cannot read {what}: it is UTF-16 text, not UTF-8; save it as UTF-8 (an nnviz file is JSON in UTF-8)"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FileFormatError(
            "",
            f"cannot read {what}: it is not UTF-8 text (byte 0x{raw[e.start]:02x} at position {e.start}); "
            f"an nnviz file is JSON in UTF-8",
        ) from None


def from_dict(data) -> NetworkFile:
    """Check a parsed file (or one about to be written) and build its :class:`NetworkFile`.

    Raises :class:`FileFormatError` naming the first broken rule.
    """
    if not isinstance(data, dict):
        raise FileFormatError("", f"this is not an nnviz file (it holds {_show(data)}, not a JSON object)")
    if "format" not in data:
        raise FileFormatError("", 'this is not an nnviz file (it has no "format": "nnviz" entry)')
    if data["format"] != "nnviz":
        raise FileFormatError("", f'this is not an nnviz file ("format" is {_show(data["format"])}, not "nnviz")')
    _check_version(data)
    for key in data:
        if key not in TOP_KEYS:
            raise FileFormatError(key, f"unknown key; known: {', '.join(TOP_KEYS)}")

    name = data.get("name", "")
    if not isinstance(name, str):
        raise FileFormatError("name", f"must be a string, got {_show(name)}")
    for key in ("inputs", "layers"):
        if key not in data:
            raise FileFormatError(key, "missing; every nnviz file says its number of inputs and its layers")
    raw_layers = data["layers"]
    if not isinstance(raw_layers, list):
        raise FileFormatError("layers", f"must be a list of layers, got {_show(raw_layers)}")
    specs = [_layer_spec(f"layers[{i}]", raw) for i, raw in enumerate(raw_layers)]
    spec = NetworkSpec(data["inputs"], tuple(specs), name)
    try:
        spec.validate()
    except SpecError as e:
        raise FileFormatError(e.where, e.rule) from None

    training = _training(data.get("training"))
    widths = spec.widths()
    params = [
        _layer_arrays(f"layers[{i}]", raw, fan_in, out, training.dtype)
        for i, (raw, fan_in, out) in enumerate(zip(raw_layers, widths, widths[1:]))
    ]
    history = _history(data.get("history"), len(spec.layers))
    return NetworkFile(
        spec=spec,
        params=params,
        training=training,
        dataset=_dataset(data.get("dataset")),
        history=history,
        timeline=_timeline(data.get("timeline"), spec, training.dtype, history),
        figure_style=_figure_style(data.get("figure_style")),
        standardization=_standardization(data.get("standardization"), spec.inputs),
        probe=_probe(data.get("probe"), spec.inputs),
        input_names=_names("input_names", data.get("input_names"), (spec.inputs,), "one per input"),
        output_names=_names(
            "output_names",
            data.get("output_names"),
            # A single sigmoid output is a two-class classifier: its names are the two class labels.
            (spec.outputs, 2) if spec.outputs == 1 else (spec.outputs,),
            "one per output" + (", or two class labels for a single output" if spec.outputs == 1 else ""),
        ),
    )


def _check_version(data: dict) -> None:
    if "version" not in data:
        raise FileFormatError("version", f'missing; an nnviz file says its format version, e.g. "version": {FORMAT_VERSION}')
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FileFormatError("version", f"must be a positive integer, got {_show(version)}")
    if version > FORMAT_VERSION:
        raise FileFormatError(
            "",
            f"this file was written by a newer nnviz (format version {version}; this nnviz reads up to "
            f"{FORMAT_VERSION}). Update nnviz to open it.",
        )


def _layer_spec(where: str, raw):
    if not isinstance(raw, dict):
        example = '{"type": "dense", "units": 4, "activation": "relu"}'
        raise FileFormatError(where, f"must be an object such as {example}, got {_show(raw)}")
    kinds = ", ".join(sorted(LAYER_KINDS))
    if "type" not in raw:
        raise FileFormatError(f"{where}.type", f"missing; every layer needs a type, one of {kinds}")
    kind = raw["type"]
    if not isinstance(kind, str) or kind not in LAYER_KINDS:
        raise FileFormatError(f"{where}.type", f"unknown layer type {_show(kind)}; known: {kinds}")
    cls = LAYER_KINDS[kind]
    settings = [f for f in fields(cls) if f.init]
    known = {"type", *(f.name for f in settings), *LAYER_ARRAYS[kind]}
    for key in raw:
        if key not in known:
            raise FileFormatError(f"{where}.{key}", f"unknown key for a {kind} layer; known: {', '.join(sorted(known))}")
    required = [f.name for f in settings if f.default is MISSING or f.name in REQUIRED_LAYER_KEYS[kind]]
    for key in required:
        if key not in raw:
            raise FileFormatError(f"{where}.{key}", f"missing; a {kind} layer needs {' and '.join(required)}")
    for f in settings:
        # Names (activation, initializer) are checked against their choices by
        # NetworkSpec.validate(); a list or object there would not even compare.
        if isinstance(f.default, str) and f.name in raw and not isinstance(raw[f.name], str):
            raise FileFormatError(f"{where}.{f.name}", f"must be a name (a string), got {_show(raw[f.name])}")
    return cls(**{f.name: raw[f.name] for f in settings if f.name in raw})


def _layer_arrays(where: str, raw: dict, fan_in: int, units: int, dtype: str) -> dict | None:
    shapes = {
        "weights": ((fan_in, units), f"{_n(fan_in, 'row')} (one per input) of {_n(units, 'number')}", "one per unit"),
        "bias": ((units,), None, "one per unit"),
        "gamma": ((fan_in,), None, "one per feature"),
        "beta": ((fan_in,), None, "one per feature"),
        "running_mean": ((fan_in,), None, "one per feature"),
        "running_var": ((fan_in,), None, "one per feature"),
    }
    state = {}
    for name in LAYER_ARRAYS[raw["type"]]:
        if name not in raw:
            continue
        shape, rows_rule, per = shapes[name]
        arr = _array(f"{where}.{name}", raw[name], shape, rows_rule, per)
        if name == "running_var":
            _check_positive(f"{where}.{name}", arr, "must not be negative (it is a variance)", strict=False)
        state[name] = _cast(f"{where}.{name}", arr, np.float64 if name in FLOAT64_ARRAYS else dtype)
    return state or None


def _cast(where: str, arr: np.ndarray, dtype) -> np.ndarray:
    """``arr`` (finite float64) in ``dtype``, or a :class:`FileFormatError` at the first number it cannot hold.

    Beyond float32's range (about ±3.4e38) a number becomes infinite: the file
    would open and then fail to save, or train and then fail to write.
    """
    with np.errstate(over="ignore"):  # the overflow is found below and named
        out = arr.astype(dtype)
    if out.dtype == arr.dtype:
        return out
    bad = np.flatnonzero(~np.isfinite(out))
    if bad.size:
        index = np.unravel_index(bad[0], arr.shape)
        limit = float(np.finfo(out.dtype).max)
        raise FileFormatError(
            where + "".join(f"[{i}]" for i in index),
            f"{_show(float(arr[index]))} is too large for this file's {out.dtype} numbers (they reach about "
            f"{limit:.2g} either way); make it smaller, or set training.dtype to \"float64\"",
        )
    return out


def _array(where: str, value, shape: tuple, rows_rule: str | None, per: str) -> np.ndarray:
    """``value`` as a float64 array of ``shape``, or a :class:`FileFormatError` at the first bad element.

    The common case (a well-formed file) is checked with a few NumPy calls; the
    element-by-element walk only runs to say *where* a broken array breaks.
    """
    if isinstance(value, np.ndarray):
        ok = value.dtype.kind in "fiu"
    elif len(shape) == 2:
        ok = type(value) is list and all(type(row) is list and _NUMBER_TYPES.issuperset(map(type, row)) for row in value)
    else:
        ok = type(value) is list and _NUMBER_TYPES.issuperset(map(type, value))
    if ok:
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (ValueError, TypeError, OverflowError):
            pass
        else:
            if arr.shape == shape and np.isfinite(arr).all():
                return arr
    _locate(where, value, shape, rows_rule, per)
    raise FileFormatError(where, f"must be {rows_rule or _list_rule(shape[0], per)} (finite numbers)")  # pragma: no cover


def _list_rule(n: int, per: str) -> str:
    return f"a list of {_n(n, 'number')} ({per})"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _locate(where, value, shape, rows_rule, per):
    """Raise at the first element of ``value`` that does not fit ``shape`` of finite numbers."""
    if len(shape) == 2:
        if not isinstance(value, list | np.ndarray) or len(value) != shape[0]:
            got = _n(len(value), "row") if isinstance(value, list | np.ndarray) else _show(value)
            raise FileFormatError(where, f"must be {rows_rule}, got {got}")
        for r, row in enumerate(value):
            _locate(f"{where}[{r}]", row, shape[1:], None, per)
        return
    if not isinstance(value, list | np.ndarray) or len(value) != shape[0]:
        got = _n(len(value), "number") if isinstance(value, list | np.ndarray) else _show(value)
        raise FileFormatError(where, f"must be {_list_rule(shape[0], per)}, got {got}")
    for c, v in enumerate(value):
        if not _is_finite_number(v):
            raise FileFormatError(f"{where}[{c}]", f"must be a finite number, got {_show(v)}")


def _is_finite_number(v) -> bool:
    if isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.integer | np.floating):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:  # an integer too large for a float
        return False


def _check_positive(where: str, arr: np.ndarray, rule: str, *, strict: bool) -> None:
    bad = np.flatnonzero(arr <= 0 if strict else arr < 0)
    if bad.size:
        raise FileFormatError(f"{where}[{bad[0]}]", f"{rule}, got {_show(float(arr[bad[0]]))}")


def _training(raw) -> TrainConfig:
    if raw is None:
        return TrainConfig()
    if not isinstance(raw, dict):
        raise FileFormatError("training", f"must be an object of settings, got {_show(raw)}")
    try:
        return TrainConfig.from_dict(raw)
    except SpecError as e:
        raise FileFormatError(e.where, e.rule) from None
    except (TypeError, ValueError, OverflowError) as e:  # e.g. an integer too large for a float
        raise FileFormatError("training", f"a setting is out of range: {e}") from None


def _standardization(raw, inputs: int) -> Standardization | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise FileFormatError("standardization", f'must be an object {{"mean": [...], "std": [...]}}, got {_show(raw)}')
    for key in raw:
        if key not in ("mean", "std"):
            raise FileFormatError(f"standardization.{key}", "unknown key; known: mean, std")
    for key in ("mean", "std"):
        if key not in raw:
            raise FileFormatError(f"standardization.{key}", "missing; standardization needs mean and std")
    mean = _array("standardization.mean", raw["mean"], (inputs,), None, "one per input")
    std = _array("standardization.std", raw["std"], (inputs,), None, "one per input")
    _check_positive("standardization.std", std, "must be a positive number", strict=True)
    return Standardization(mean=mean, std=std)


def _names(where: str, raw, lengths: tuple[int, ...], per: str) -> list[str] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) not in lengths:
        got = _n(len(raw), "name") if isinstance(raw, list) else _show(raw)
        raise FileFormatError(where, f"must be a list of {_n(lengths[0], 'name')} ({per}), got {got}")
    for i, name in enumerate(raw):
        if not isinstance(name, str):
            raise FileFormatError(f"{where}[{i}]", f"must be a string, got {_show(name)}")
    return list(raw)


def _dataset(raw) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise FileFormatError("dataset", f"must be an object such as {{\"name\": \"spiral\"}}, got {_show(raw)}")
    for key, value in raw.items():
        if not isinstance(key, str):
            raise FileFormatError("dataset", f"keys must be strings, got {_show(key)}")
        if not (value is None or isinstance(value, str | bool) or _is_finite_number(value)):
            raise FileFormatError(f"dataset.{key}", f"must be a string, a finite number, true, false or null; got {_show(value)}")
    return dict(raw)


def _probe(raw, inputs: int) -> np.ndarray | None:
    if raw is None:
        return None
    return _array("probe", raw, (inputs,), None, "one per input")


def _history(raw, n_layers: int) -> History:
    if raw is None:
        return History()
    if not isinstance(raw, dict):
        raise FileFormatError("history", f"must be an object of per-epoch lists, got {_show(raw)}")
    for key in raw:
        if key not in HISTORY_KEYS:
            raise FileFormatError(f"history.{key}", f"unknown key; known: {', '.join(HISTORY_KEYS)}")
    lists = {}
    first = None
    for key in HISTORY_KEYS:
        if key not in raw:
            continue
        values = raw[key]
        where = f"history.{key}"
        if not isinstance(values, list):
            raise FileFormatError(where, f"must be a list with one entry per epoch, got {_show(values)}")
        if first is None:
            first = key
        elif len(values) != len(lists[first]):
            raise FileFormatError(
                where, f"must have one entry per epoch, as many as history.{first} ({len(lists[first])}), got {len(values)}"
            )
        if key == "grad_norms":
            lists[key] = [_grad_norm_row(f"{where}[{i}]", row, n_layers) for i, row in enumerate(values)]
            continue
        for i, v in enumerate(values):
            if key == "epoch":
                ok = isinstance(v, int | np.integer) and not isinstance(v, bool) and v >= 0
                rule = "must be a whole number of epochs"
            else:
                ok = (v is None and key != "train_loss") or _is_finite_number(v)
                rule = "must be a finite number" + (" or null" if key != "train_loss" else "")
            if not ok:
                raise FileFormatError(f"{where}[{i}]", f"{rule}, got {_show(v)}")
        lists[key] = [_scalar(v) for v in values]
    n = len(lists[first]) if first else 0
    # Missing lists: epochs count from 1, anything not measured is null.
    defaults = {"epoch": list(range(1, n + 1)), "grad_norms": [[None] * n_layers for _ in range(n)]}
    return History(**{key: lists.get(key, defaults.get(key, [None] * n)) for key in HISTORY_KEYS})


def _timeline(raw, spec: NetworkSpec, dtype: str, history: History) -> Keyframes | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"every", "epochs", "states"}:
        raise FileFormatError("timeline", 'must be an object with "every", "epochs" and "states"')
    every, epochs, states = raw["every"], raw["epochs"], raw["states"]
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise FileFormatError("timeline.every", f"must be a whole number from 1, got {_show(every)}")
    if not isinstance(epochs, list) or not all(isinstance(e, int) and not isinstance(e, bool) and e >= 0 for e in epochs):
        raise FileFormatError("timeline.epochs", "must be a list of whole numbers of epochs")
    if any(b <= a for a, b in zip(epochs, epochs[1:])):
        raise FileFormatError("timeline.epochs", "must go up, each epoch once")
    if not isinstance(states, list) or len(states) != len(epochs):
        raise FileFormatError("timeline.states", f"must be a list with one state per epoch ({len(epochs)})")
    size = spec_state_size(spec)
    tags = dict(zip(history.epoch, history.train_loss))
    keyframes = Keyframes()
    keyframes.every = every
    for i, (epoch, raw_state) in enumerate(zip(epochs, states)):
        state = _array(f"timeline.states[{i}]", raw_state, (size,), None, "the network's parameters, then its "
                       "running statistics")
        keyframes.add(epoch, _cast(f"timeline.states[{i}]", state, dtype), tags.get(epoch))
    return keyframes


def _figure_style(raw) -> FigureStyle | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise FileFormatError("figure_style", f'must be an object of style fields such as {{"direction": "up"}}, got {_show(raw)}')
    try:
        return FigureStyle.from_dict(raw)
    except StyleError as e:
        # "figure style node_size: must be …" names the field: say it as a place in the file.
        field, sep, rule = str(e).removeprefix("figure style ").partition(": ")
        if sep and field.isidentifier() and field in raw:
            raise FileFormatError(f"figure_style.{field}", rule) from None
        raise FileFormatError("figure_style", str(e)) from None


def _grad_norm_row(where: str, row, n_layers: int) -> list[float | None]:
    if not isinstance(row, list) or len(row) != n_layers:
        got = _n(len(row), "value") if isinstance(row, list) else _show(row)
        raise FileFormatError(where, f"must be a list of {_n(n_layers, 'number')} (one per layer, null for a layer "
                                     f"without parameters), got {got}")
    for i, v in enumerate(row):
        if not (v is None or _is_finite_number(v)):
            raise FileFormatError(f"{where}[{i}]", f"must be a finite number or null, got {_show(v)}")
    return [_scalar(v) for v in row]


def _scalar(value):
    return value.item() if isinstance(value, np.generic) else value


def _show(value) -> str:
    """A value as it would look in the file, shortened for a message."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, list | tuple | np.ndarray):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        try:
            text = repr(value)
        except ValueError:  # an integer with more digits than Python prints
            text = f"a {type(value).__name__}"
    return text if len(text) <= 40 else text[:37] + "..."
