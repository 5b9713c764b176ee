"""The ``.nnviz`` file: a network, its parameters and how it was trained, as JSON.

A file is one JSON object (UTF-8), written with the top-level keys one per line
and every weight row on one line, so that it is readable and diffs well::

    {
      "format": "nnviz",
      "version": 1,
      "name": "xor",
      "inputs": 2,
      "input_names": ["x1", "x2"],                       (optional)
      "output_names": ["no", "yes"],                     (optional)
      "standardization": {"mean": [...], "std": [...]},  (optional)
      "layers": [
        {"type": "dense", "units": 4, "activation": "relu", "initializer": "he_uniform",
         "weights": [[...], [...]], "bias": [...]},      (arrays optional)
        {"type": "dropout", "rate": 0.2},
        {"type": "batchnorm", "momentum": 0.1, "eps": 1e-05, "activation": "linear",
         "gamma": [...], "beta": [...], "running_mean": [...], "running_var": [...]}
      ],
      "training": {...},                                 (optional, TrainConfig.to_dict())
      "dataset": {...},                                  (optional, JSON scalars only)
      "history": {...}                                   (optional, History.to_dict())
    }

Reading checks everything and names the first broken rule with its place
(``layers[0].weights[2][1]: must be a finite number, got "abc"``); writing runs
the same checks first, so nnviz never writes a file it would refuse to read.

Numbers round-trip exactly. float64 arrays are written with Python's float
repr. float32 arrays are written as the shortest decimal that reads back (as a
double, then cast to float32) to the same float32, so ``0.1`` rather than
``0.10000000149011612``; every such value is checked and falls back to the
float32's exact float64 repr should the short form ever not read back.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import stat
from dataclasses import MISSING, dataclass, field, fields, replace

import numpy as np

from .datasets import Standardization
from .network import Network
from .spec import LAYER_KINDS, NetworkSpec, SpecError
from .training import History, TrainConfig

FORMAT_VERSION = 1

# Arrays a layer may carry, in file order, with the shape they must have for a
# layer of width ``units`` fed ``fan_in`` features.
_LAYER_ARRAYS = {
    "dense": ("weights", "bias"),
    "dropout": (),
    "batchnorm": ("gamma", "beta", "running_mean", "running_var"),
}
# Keys a layer must have (fixed by the format, even where the spec has a default).
_REQUIRED = {"dense": ("units", "activation"), "dropout": (), "batchnorm": ()}
# Running statistics are float64 in every network; everything else takes the training dtype.
_FLOAT64_ARRAYS = ("running_mean", "running_var")
_TOP_KEYS = (
    "format",
    "version",
    "name",
    "inputs",
    "input_names",
    "output_names",
    "standardization",
    "layers",
    "training",
    "dataset",
    "history",
)
_HISTORY_KEYS = tuple(f.name for f in fields(History))
_NUMBER_TYPES = frozenset({int, float})


class FileFormatError(ValueError):
    """A ``.nnviz`` file (or a save) breaks a rule; ``str()`` is ``"<where>: <rule>"``.

    ``where`` names the place in the file (``layers[2].units``), or is empty
    when the problem is the file as a whole (not JSON, not an nnviz file, …).
    """

    def __init__(self, where: str, rule: str):
        super().__init__(f"{where}: {rule}" if where else rule)
        self.where = where
        self.rule = rule


@dataclass
class NetworkFile:
    """Everything a ``.nnviz`` file holds.

    ``params`` has one entry per layer, shaped like :meth:`Network.layer_state`
    (``weights``/``bias``, or ``gamma``/``beta``/``running_mean``/``running_var``);
    an entry is ``None``, or lacks keys, where the file had no arrays. Loaded
    parameter arrays have the training dtype; running statistics are float64.
    """

    spec: NetworkSpec
    params: list[dict[str, np.ndarray] | None]
    training: TrainConfig = field(default_factory=TrainConfig)
    dataset: dict | None = None
    history: History = field(default_factory=History)
    standardization: Standardization | None = None
    input_names: list[str] | None = None
    output_names: list[str] | None = None

    def build_network(self) -> Network:
        """A :class:`Network` with the spec, the training seed and dtype, and every saved array.

        Layers without saved arrays keep their fresh initialisation; a dense
        layer saved with weights but no bias gets a zero bias.
        """
        net = Network(self.spec, seed=self.training.seed, dtype=self.training.dtype)
        for i, state in enumerate(self.params):
            arrays = {k: v for k, v in (state or {}).items() if v is not None}
            if self.spec.layers[i].kind == "dense" and "weights" in arrays and "bias" not in arrays:
                arrays["bias"] = np.zeros(self.spec.layers[i].units)
            if arrays:
                net.set_layer_state(i, **arrays)
        return net

    @classmethod
    def from_network(cls, network: Network, **rest) -> "NetworkFile":
        """A file for ``network`` (its spec and a copy of its parameters) plus ``rest``.

        The training dtype is set to the network's, so that loading the file
        rebuilds the same network bit for bit.
        """
        training = rest.pop("training", None) or TrainConfig()
        if training.dtype != network.dtype.name:
            training = replace(training, dtype=network.dtype.name)
        return cls(spec=network.spec, params=network.copy_params(), training=training, **rest)


# -- reading ----------------------------------------------------------------


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
    return _from_dict(data)


def load(path) -> NetworkFile:
    """Read a ``.nnviz`` file; any problem (unreadable, not UTF-8, bad content) is a :class:`FileFormatError`."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise FileFormatError("", f"cannot read {os.fspath(path)}: {e.strerror or e}") from e
    return loads(_decode(raw, os.fspath(path)))


def _decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FileFormatError(
            "",
            f"cannot read {what}: it is not UTF-8 text (byte 0x{raw[e.start]:02x} at position {e.start}); "
            f"an nnviz file is JSON in UTF-8",
        ) from None


def _from_dict(data) -> NetworkFile:
    """Check a parsed file (or one about to be written) and build its :class:`NetworkFile`."""
    if not isinstance(data, dict):
        raise FileFormatError("", f"this is not an nnviz file (it holds {_show(data)}, not a JSON object)")
    if "format" not in data:
        raise FileFormatError("", 'this is not an nnviz file (it has no "format": "nnviz" entry)')
    if data["format"] != "nnviz":
        raise FileFormatError("", f'this is not an nnviz file ("format" is {_show(data["format"])}, not "nnviz")')
    _check_version(data)
    for key in data:
        if key not in _TOP_KEYS:
            raise FileFormatError(key, f"unknown key; known: {', '.join(_TOP_KEYS)}")

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
    return NetworkFile(
        spec=spec,
        params=params,
        training=training,
        dataset=_dataset(data.get("dataset")),
        history=_history(data.get("history")),
        standardization=_standardization(data.get("standardization"), spec.inputs),
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
    known = {"type", *(f.name for f in settings), *_LAYER_ARRAYS[kind]}
    for key in raw:
        if key not in known:
            raise FileFormatError(f"{where}.{key}", f"unknown key for a {kind} layer; known: {', '.join(sorted(known))}")
    required = [f.name for f in settings if f.default is MISSING or f.name in _REQUIRED[kind]]
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
    for name in _LAYER_ARRAYS[raw["type"]]:
        if name not in raw:
            continue
        shape, rows_rule, per = shapes[name]
        arr = _array(f"{where}.{name}", raw[name], shape, rows_rule, per)
        if name == "running_var":
            _check_positive(f"{where}.{name}", arr, "must not be negative (it is a variance)", strict=False)
        state[name] = arr.astype(np.float64 if name in _FLOAT64_ARRAYS else dtype)
    return state or None


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


def _history(raw) -> History:
    if raw is None:
        return History()
    if not isinstance(raw, dict):
        raise FileFormatError("history", f"must be an object of per-epoch lists, got {_show(raw)}")
    for key in raw:
        if key not in _HISTORY_KEYS:
            raise FileFormatError(f"history.{key}", f"unknown key; known: {', '.join(_HISTORY_KEYS)}")
    lists = {}
    first = None
    for key in _HISTORY_KEYS:
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
        for i, v in enumerate(values):
            if key == "epoch":
                ok = isinstance(v, int | np.integer) and not isinstance(v, bool) and v >= 0
                rule = "must be a whole number of epochs"
            else:
                ok = (v is None and key != "train_loss") or _is_finite_number(v)
                rule = "must be a finite number" + (" or null" if key != "train_loss" else "")
            if not ok:
                raise FileFormatError(f"{where}[{i}]", f"{rule}, got {_show(v)}")
        lists[key] = [v.item() if isinstance(v, np.generic) else v for v in values]
    n = len(lists[first]) if first else 0
    # Missing lists: epochs count from 1, anything not measured is null.
    defaults = {"epoch": list(range(1, n + 1))}
    return History(**{key: lists.get(key, defaults.get(key, [None] * n)) for key in _HISTORY_KEYS})


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


# -- writing ----------------------------------------------------------------


def dumps(nf: NetworkFile) -> str:
    """The text of a ``.nnviz`` file; raise :class:`FileFormatError` if ``nf`` breaks a rule of the format."""
    doc = _to_dict(nf)
    _from_dict(doc)  # never write what could not be read back
    return _write(doc)


def save(nf: NetworkFile, path) -> None:
    """Write ``nf`` to ``path`` atomically.

    The text goes to a temporary file next to ``path``, is flushed to disk and
    then renamed over ``path``; on any failure ``path`` is untouched and the
    temporary file removed. A bad ``nf`` raises :class:`FileFormatError`
    before anything is written; an OS problem (no space, no permission, …)
    raises the :class:`OSError` itself, whose ``strerror`` says what happened.
    """
    data = dumps(nf).encode("utf-8")
    path = os.fspath(path)
    if os.path.islink(path):  # replace the file the link points to, not the link
        path = os.path.realpath(path)
    directory = os.path.dirname(os.path.abspath(path))
    tmp = None
    try:
        fd, tmp = _create_temp(directory, os.path.basename(path))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            try:  # keep the permissions of the file being replaced
                os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
            except OSError:
                pass
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
        _sync_directory(directory)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _create_temp(directory: str, base: str) -> tuple[int, str]:
    # os.open with mode 0o666 lets the umask decide permissions, as for any new
    # file (tempfile.mkstemp would make it private to the user).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(directory, f".{base}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file in {directory}")  # pragma: no cover


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX); not possible or needed everywhere."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
    layers = []
    for i, layer in enumerate(spec.layers):
        entry = {"type": layer.kind}
        entry |= {f.name: _plain(getattr(layer, f.name)) for f in fields(layer) if f.init}
        state = params[i] if params else None
        for name in _LAYER_ARRAYS.get(layer.kind, ()):
            value = (state or {}).get(name)
            if value is not None:
                value = np.asarray(value)
                short = value.dtype == np.float32 and nf.training.dtype == "float32" and name not in _FLOAT64_ARRAYS
                entry[name] = _shortest_float32(value) if short else _exact(value)
        for name in state or {}:  # a key this layer cannot hold is refused by the checks, by name
            if name not in entry:
                entry[name] = np.asarray(state[name])
        layers.append(entry)
    doc["layers"] = layers
    doc["training"] = {k: _plain(v) for k, v in nf.training.to_dict().items()}
    if nf.dataset is not None:
        doc["dataset"] = {k: _plain(v) for k, v in nf.dataset.items()} if isinstance(nf.dataset, dict) else nf.dataset
    if len(nf.history) or any(getattr(nf.history, k) for k in _HISTORY_KEYS):
        doc["history"] = {k: [_plain(v) for v in getattr(nf.history, k)] for k in _HISTORY_KEYS}
    return doc


def _plain(value):
    """NumPy scalars as the Python values JSON can hold."""
    return value.item() if isinstance(value, np.generic) else value


def _exact(arr: np.ndarray) -> np.ndarray:
    return arr.astype(np.float64) if arr.dtype.kind in "fiu" else arr


def _shortest_float32(arr: np.ndarray) -> np.ndarray:
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
        elif key in ("standardization", "history"):
            lines = [
                f"    {_j(k)}: {_j_array(v) if isinstance(v, np.ndarray) else _j(v)}" for k, v in value.items()
            ]
            entries.append(f"  {_j(key)}: {{\n" + ",\n".join(lines) + "\n  }")
        else:
            entries.append(f"  {_j(key)}: {_j(value)}")
    return "{\n" + ",\n".join(entries) + "\n}\n"


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
