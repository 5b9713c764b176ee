"""The .nnviz file format: round trips, exact numbers, every refusal names its place, atomic saves."""

from __future__ import annotations

import copy
import errno
import json
import os
import re

import numpy as np
import pytest

from nnviz.core.datasets import Standardization
from nnviz.core.fileformat import FORMAT_VERSION, FileFormatError, NetworkFile, dumps, load, loads, save
from nnviz.core.fileformat.writing import shortest_float32
from nnviz.core.network import Network
from nnviz.core.spec import BatchNormSpec, DenseSpec, DropoutSpec, NetworkSpec
from nnviz.core.training import History, TrainConfig, Trainer

JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def bits(a: np.ndarray) -> np.ndarray:
    """The raw bytes of an array, so that -0.0 != 0.0 and equality means bit-identical."""
    return np.ascontiguousarray(a).view(np.uint8)


def assert_same_arrays(a: dict, b: dict):
    assert a.keys() == b.keys()
    for key in a:
        assert a[key].dtype == b[key].dtype, key
        assert a[key].shape == b[key].shape, key
        assert np.array_equal(bits(a[key]), bits(b[key])), key


# -- round trips ------------------------------------------------------------


def trained_file(dtype: str) -> tuple[NetworkFile, Network, np.ndarray]:
    spec = NetworkSpec(
        3,
        (
            DenseSpec(6, "relu", "xavier_normal"),
            BatchNormSpec(momentum=0.2, eps=1e-4, activation="tanh"),
            DropoutSpec(0.25),
            DenseSpec(3, "softmax"),
        ),
        "round-trip",
    )
    rng = np.random.default_rng(5)
    x = rng.normal(size=(80, 3)) * [1.0, 10.0, 0.1] + [0.0, 5.0, -1.0]
    y = np.eye(3)[rng.integers(0, 3, 80)]
    std = Standardization.fit(x)
    config = TrainConfig(optimizer="momentum", learning_rate=0.05, batch_size=16, epochs=4, seed=11, dtype=dtype)
    net = Network(spec, seed=config.seed, dtype=dtype)
    trainer = Trainer(net, std.apply(x[:64]), y[:64], config, validation=(std.apply(x[64:]), y[64:]))
    for _ in trainer.steps():
        pass
    nf = NetworkFile.from_network(
        net,
        training=config,
        dataset={"name": "blobs", "n_samples": 80, "noise": 0.25, "seed": 5, "shuffle": True, "note": None},
        history=trainer.history,
        standardization=std,
        input_names=["width", "höhe", "depth"],
        output_names=["small", "medium", "large"],
        probe=np.array([0.1, 12.5, -1.0]),
    )
    return nf, net, std.apply(x)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_round_trip_keeps_everything_bit_for_bit(tmp_path, dtype):
    nf, net, x = trained_file(dtype)
    assert len(nf.history) == 4 and not np.all(net.layer_state(1)["running_var"] == 1)
    path = tmp_path / "net.nnviz"
    save(nf, path)
    back = load(path)

    assert back.spec == nf.spec
    assert back.training == nf.training
    assert back.training.dtype == dtype
    assert back.history == nf.history
    assert len(back.history.grad_norms) == 4 and back.history.grad_norms[0][2] is None  # dropout has no gradient
    assert back.dataset == nf.dataset
    assert np.array_equal(bits(back.probe), bits(nf.probe))
    assert back.input_names == ["width", "höhe", "depth"]
    assert back.output_names == ["small", "medium", "large"]
    assert np.array_equal(bits(back.standardization.mean), bits(nf.standardization.mean))
    assert np.array_equal(bits(back.standardization.std), bits(nf.standardization.std))
    assert back.params[2] is None  # dropout has nothing to save
    for i in (0, 1, 3):
        assert_same_arrays(back.params[i], nf.params[i])
    assert back.params[1]["running_mean"].dtype == np.float64

    rebuilt = back.build_network()
    assert rebuilt.dtype == net.dtype
    for i in range(len(net.layers)):
        assert_same_arrays(rebuilt.layer_state(i), net.layer_state(i))
    assert np.array_equal(rebuilt.predict(x), net.predict(x))

    # Writing what was read gives the same text: nothing drifts over save cycles.
    assert dumps(back) == path.read_text(encoding="utf-8")


def test_float32_weights_are_written_short():
    spec = NetworkSpec(2, (DenseSpec(3, "linear"),))
    net = Network(spec)
    net.set_layer_state(0, weights=[[0.1, -0.2, 0.3], [1e-7, 3.4e38, 0.0]], bias=[-0.0, 1.0, 2.5])
    text = dumps(NetworkFile.from_network(net))
    assert "[0.1, -0.2, 0.3]" in text
    assert "[1e-07, 3.4e+38, 0.0]" in text
    assert '"bias": [-0.0, 1.0, 2.5]' in text
    assert "0.10000000149011612" not in text
    assert_same_arrays(loads(text).params[0], net.layer_state(0))


def test_float32_shortest_repr_reads_back_over_many_values():
    rng = np.random.default_rng(2024)
    # Every finite bit pattern is equally likely, so all exponents show up:
    # subnormals, tiny, huge; plus the edges by hand.
    patterns = rng.integers(0, 2**32, 150_000, dtype=np.uint64).astype(np.uint32)
    specials = np.array(
        [0.0, -0.0, 1.0, -1.0, 0.1, 1 / 3, np.finfo(np.float32).max, -np.finfo(np.float32).max,
         np.finfo(np.float32).tiny, np.finfo(np.float32).smallest_subnormal, 16777217.0, 1e-14, 1e22, 1e23, 1e-15],
        dtype=np.float32,
    )
    subnormals = np.arange(1, 2000, dtype=np.uint32).view(np.float32)
    normal_weights = (rng.standard_normal(50_000) * 0.05).astype(np.float32)
    values = np.concatenate([patterns.view(np.float32), specials, subnormals, normal_weights])
    values = values[np.isfinite(values)]
    assert values.size >= 100_000

    written = [repr(v) for v in shortest_float32(values).tolist()]
    back = np.array([float(s) for s in written]).astype(np.float32)
    assert np.array_equal(back.view(np.uint32), values.view(np.uint32))
    assert all(JSON_NUMBER.fullmatch(s) for s in written)
    # Never longer than NumPy's shortest float32 repr (significant digits).
    digits = lambda s: len(s.lstrip("-").split("e")[0].replace(".", "").strip("0"))  # noqa: E731
    assert all(digits(ours) <= digits(theirs) for ours, theirs in zip(written, values.astype(str).tolist()))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_arbitrary_bit_patterns_survive_a_file(dtype):
    rng = np.random.default_rng(7)
    uint = np.uint32 if dtype == np.float32 else np.uint64
    spec = NetworkSpec(784, (DenseSpec(128, "relu"), BatchNormSpec()))
    net = Network(spec, dtype=dtype)
    raw = rng.integers(0, np.iinfo(uint).max, net.params.size, dtype=uint, endpoint=True).view(dtype)
    raw[~np.isfinite(raw)] = -0.0
    net.params[:] = raw
    net.layer_state(1)["running_mean"][:] = rng.standard_normal(128) * 1e-300
    text = dumps(NetworkFile.from_network(net))
    back = loads(text)
    for i in range(2):
        assert_same_arrays(back.params[i], net.layer_state(i))


def test_minimal_hand_written_file_loads_and_builds():
    text = """
    {"format": "nnviz", "version": 1, "inputs": 2,
     "layers": [{"type": "dense", "units": 4, "activation": "relu"},
                {"type": "dropout"},
                {"type": "batchnorm"},
                {"type": "dense", "units": 1, "activation": "sigmoid"}]}
    """
    nf = loads(text)
    assert nf.spec == NetworkSpec(2, (DenseSpec(4, "relu"), DropoutSpec(), BatchNormSpec(), DenseSpec(1, "sigmoid")))
    assert nf.spec.layers[0].initializer == "he_uniform"
    assert nf.params == [None, None, None, None]
    assert nf.training == TrainConfig()
    assert nf.history == History()
    assert nf.dataset is nf.standardization is nf.input_names is nf.output_names is None

    net = nf.build_network()
    fresh = Network(nf.spec, seed=0)
    assert np.array_equal(net.params, fresh.params)
    assert net.predict([[0.5, -0.5], [1.0, 2.0]]).shape == (2, 1)


def test_missing_arrays_keep_fresh_initialisation_and_missing_bias_is_zero():
    doc = {
        "format": "nnviz",
        "version": 1,
        "inputs": 2,
        "layers": [
            {"type": "dense", "units": 3, "activation": "tanh", "weights": [[1, 2, 3], [4, 5, 6]]},
            {"type": "batchnorm", "running_mean": [1.5, 2.5, 3.5]},
            {"type": "dense", "units": 2, "activation": "linear"},
        ],
        "training": {"seed": 9, "dtype": "float64"},
    }
    nf = loads(json.dumps(doc))
    assert nf.params[0]["weights"].dtype == np.float64 and "bias" not in nf.params[0]
    net = nf.build_network()
    fresh = Network(nf.spec, seed=9, dtype=np.float64)
    assert np.array_equal(net.layer_state(0)["weights"], [[1, 2, 3], [4, 5, 6]])
    assert np.array_equal(net.layer_state(0)["bias"], np.zeros(3))
    assert np.array_equal(net.layer_state(1)["running_mean"], [1.5, 2.5, 3.5])
    assert np.array_equal(net.layer_state(1)["running_var"], np.ones(3))
    assert np.array_equal(net.layer_state(1)["gamma"], np.ones(3))
    assert np.array_equal(net.layer_state(2)["weights"], fresh.layer_state(2)["weights"])


def test_single_output_may_name_its_two_classes():
    doc = minimal_doc(outputs=1)
    doc["output_names"] = ["no", "yes"]
    assert loads(json.dumps(doc)).output_names == ["no", "yes"]
    doc["output_names"] = ["p"]
    assert loads(json.dumps(doc)).output_names == ["p"]


def test_history_lists_left_out_are_filled_in():
    doc = minimal_doc()
    doc["history"] = {"train_loss": [0.5, 0.25, 0.125]}
    history = loads(json.dumps(doc)).history
    assert history.epoch == [1, 2, 3]
    assert history.val_loss == history.train_accuracy == history.val_accuracy == [None, None, None]
    assert history.grad_norms == [[None, None]] * 3  # files from before the norms: one null per layer


def test_full_document_reads_probe_and_gradient_norms():
    nf = loads(json.dumps(full_doc()))
    assert nf.probe.dtype == np.float64 and nf.probe.tolist() == [0.5, -1.0, 2.0]
    assert nf.history.grad_norms[1] == [0.4, 0.2, 0.9, 0.1, None, 1.5]
    assert loads(dumps(nf)).history == nf.history
    assert loads(json.dumps(minimal_doc())).probe is None


def test_gradient_norms_not_recorded_are_written_as_nulls():
    net = Network(NetworkSpec(2, (DenseSpec(3, "relu"), DropoutSpec(0.5), DenseSpec(1, "sigmoid"))))
    history = History()
    history.append(1, 0.5, None, None, None)  # a row without norms, as a caller may add it
    history.append(2, 0.4, None, None, None, [0.5, None, 0.25])
    back = loads(dumps(NetworkFile.from_network(net, history=history)))
    assert back.history.grad_norms == [[None, None, None], [0.5, None, 0.25]]


def test_from_network_records_the_network_dtype():
    net = Network(NetworkSpec(2, (DenseSpec(2, "linear"),)), dtype=np.float64)
    assert NetworkFile.from_network(net).training.dtype == "float64"
    nf = NetworkFile.from_network(net, training=TrainConfig(epochs=7))
    assert nf.training.dtype == "float64" and nf.training.epochs == 7
    spec = NetworkSpec(1, (DenseSpec(1, "linear"),))
    assert NetworkFile(spec, []).training is not NetworkFile(spec, []).training


def test_layout_is_readable_and_in_order():
    nf, net, _ = trained_file("float32")
    text = dumps(nf)
    keys = json.loads(text, object_pairs_hook=lambda pairs: [k for k, _ in pairs])
    assert keys == [
        "format", "version", "name", "inputs", "input_names", "output_names",
        "standardization", "probe", "layers", "training", "dataset", "history",
    ]
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1] == '  "format": "nnviz",' and lines[2] == f'  "version": {FORMAT_VERSION},'
    assert sum(1 for line in lines if line.startswith('  "')) == len(keys)  # one top-level key per line
    rows = [line.strip().rstrip(",") for line in lines if line.startswith("        [")]
    # One line per weight row: 3 rows of 6, then 6 rows of 3.
    assert [len(json.loads(row)) for row in rows] == [6] * 3 + [3] * 6
    # The gradient norms: one line per epoch, one number per layer (null for dropout).
    norm_rows = [json.loads(line.strip().rstrip(",")) for line in lines if line.startswith("      [")]
    assert len(norm_rows) == len(nf.history) and all(len(row) == 4 and row[2] is None for row in norm_rows)
    assert len(lines) < 70
    assert "höhe" in text  # names stay readable


# -- refusals ---------------------------------------------------------------


def minimal_doc(outputs: int = 2) -> dict:
    return {
        "format": "nnviz",
        "version": 1,
        "inputs": 2,
        "layers": [{"type": "dense", "units": 3, "activation": "relu"}, {"type": "dense", "units": outputs, "activation": "linear"}],
    }


def full_doc() -> dict:
    def grid(rows, cols):
        return [[0.01 * (r * cols + c) for c in range(cols)] for r in range(rows)]

    return {
        "format": "nnviz",
        "version": 1,
        "name": "bad-cases",
        "inputs": 3,
        "input_names": ["a", "b", "c"],
        "output_names": ["left", "right"],
        "standardization": {"mean": [0.0, 1.0, 2.0], "std": [1.0, 2.0, 3.0]},
        "probe": [0.5, -1.0, 2.0],
        "layers": [
            {"type": "dense", "units": 4, "activation": "relu", "weights": grid(3, 4), "bias": [0.0] * 4},
            {"type": "dense", "units": 8, "activation": "tanh", "initializer": "xavier_uniform", "weights": grid(4, 8), "bias": [0.1] * 8},
            {"type": "dense", "units": 5, "activation": "relu"},
            {"type": "batchnorm", "gamma": [1.0] * 5, "beta": [0.0] * 5, "running_mean": [0.0] * 5, "running_var": [1.0] * 5},
            {"type": "dropout", "rate": 0.2},
            {"type": "dense", "units": 2, "activation": "softmax"},
        ],
        "training": {"epochs": 5, "learning_rate": 0.1},
        "dataset": {"name": "spiral", "n_samples": 500, "noise": 0.1, "seed": 0},
        "history": {
            "epoch": [1, 2], "train_loss": [0.9, 0.7], "val_loss": [1.0, 0.8], "train_accuracy": [0.5, 0.6], "val_accuracy": [None, None],
            "grad_norms": [[0.5, 0.25, 1.0, 0.125, None, 2.0], [0.4, 0.2, 0.9, 0.1, None, 1.5]],
        },
    }


def setter(path: str, value):
    """A change to full_doc(): set (or with value DELETE, remove) the entry at ``path`` ("layers.0.units")."""

    def change(doc):
        *parents, last = path.split(".")
        node = doc
        for p in parents:
            node = node[int(p)] if isinstance(node, list) else node[p]
        if isinstance(node, list):
            last = int(last)
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
        return doc

    return change


DELETE = object()

BAD_FILES = [
    # (change, where, expected message: exact when it starts with the place, else contained)
    (setter("layers.2.units", 0), "layers[2].units", "layers[2].units: must be an integer from 1 to 100000, got 0"),
    (setter("layers.2.units", "5"), "layers[2].units", "layers[2].units: must be an integer from 1 to 100000, got '5'"),
    (setter("layers.2.units", 4.0), "layers[2].units", "layers[2].units: must be an integer from 1 to 100000, got 4.0"),
    (setter("layers.1.weights", [[0.0] * 8] * 3), "layers[1].weights",
     "layers[1].weights: must be 4 rows (one per input) of 8 numbers, got 3 rows"),
    (setter("layers.1.weights", "abc"), "layers[1].weights",
     'layers[1].weights: must be 4 rows (one per input) of 8 numbers, got "abc"'),
    (setter("layers.1.weights.3", [0.0] * 7), "layers[1].weights[3]",
     "layers[1].weights[3]: must be a list of 8 numbers (one per unit), got 7 numbers"),
    (setter("layers.1.weights.3", 0.5), "layers[1].weights[3]",
     "layers[1].weights[3]: must be a list of 8 numbers (one per unit), got 0.5"),
    (setter("layers.0.weights.2.1", "abc"), "layers[0].weights[2][1]", 'layers[0].weights[2][1]: must be a finite number, got "abc"'),
    (setter("layers.0.weights.2.1", "0.5"), "layers[0].weights[2][1]", 'layers[0].weights[2][1]: must be a finite number, got "0.5"'),
    (setter("layers.0.weights.0.3", True), "layers[0].weights[0][3]", "layers[0].weights[0][3]: must be a finite number, got true"),
    (setter("layers.0.weights.1.0", None), "layers[0].weights[1][0]", "layers[0].weights[1][0]: must be a finite number, got null"),
    (setter("layers.0.weights.1.0", [1.0]), "layers[0].weights[1][0]", "layers[0].weights[1][0]: must be a finite number, got a list"),
    (setter("layers.0.weights.0.0", float("nan")), "layers[0].weights[0][0]", "layers[0].weights[0][0]: must be a finite number, got NaN"),
    (setter("layers.0.weights.2.3", float("inf")), "layers[0].weights[2][3]",
     "layers[0].weights[2][3]: must be a finite number, got Infinity"),
    (setter("layers.1.bias.7", -float("inf")), "layers[1].bias[7]", "layers[1].bias[7]: must be a finite number, got -Infinity"),
    (setter("layers.1.bias.0", 10**400), "layers[1].bias[0]", "layers[1].bias[0]: must be a finite number, got 1000000000000000000000000000000000000..."),
    (setter("layers.0.bias", [0.0] * 3), "layers[0].bias", "layers[0].bias: must be a list of 4 numbers (one per unit), got 3 numbers"),
    (setter("layers.3.gamma", [1.0] * 6), "layers[3].gamma", "layers[3].gamma: must be a list of 5 numbers (one per feature), got 6 numbers"),
    (setter("layers.3.running_var.1", -0.5), "layers[3].running_var[1]",
     "layers[3].running_var[1]: must not be negative (it is a variance), got -0.5"),
    (setter("layers.3.eps", 0), "layers[3].eps", "layers[3].eps: must be a positive number, got 0"),
    (setter("layers.4.rate", 1.5), "layers[4].rate", "layers[4].rate: must be a number from 0 up to (not including) 1, got 1.5"),
    (setter("layers.4.type", "conv"), "layers[4].type", 'layers[4].type: unknown layer type "conv"; known: batchnorm, dense, dropout'),
    (setter("layers.4.type", 3), "layers[4].type", "layers[4].type: unknown layer type 3; known: batchnorm, dense, dropout"),
    (setter("layers.4.type", DELETE), "layers[4].type", "layers[4].type: missing; every layer needs a type, one of batchnorm, dense, dropout"),
    (setter("layers.4", "dropout"), "layers[4]", 'layers[4]: must be an object such as {"type": "dense", "units": 4, "activation": "relu"}, got "dropout"'),
    (setter("layers.0.unit", 4), "layers[0].unit",
     "layers[0].unit: unknown key for a dense layer; known: activation, bias, initializer, type, units, weights"),
    (setter("layers.4.units", 4), "layers[4].units", "layers[4].units: unknown key for a dropout layer; known: rate, type"),
    (setter("layers.3.weights", [[1.0]]), "layers[3].weights", "layers[3].weights: unknown key for a batchnorm layer"),
    (setter("layers.2.units", DELETE), "layers[2].units", "layers[2].units: missing; a dense layer needs units and activation"),
    (setter("layers.2.activation", DELETE), "layers[2].activation", "layers[2].activation: missing; a dense layer needs units and activation"),
    (setter("layers.2.activation", "relux"), "layers[2].activation", "layers[2].activation: must be one of "),
    (setter("layers.2.activation", ["relu"]), "layers[2].activation", 'layers[2].activation: must be a name (a string), got a list'),
    (setter("layers.3.activation", {"name": "relu"}), "layers[3].activation", "layers[3].activation: must be a name (a string), got an object"),
    (setter("layers.1.initializer", "glorot"), "layers[1].initializer", "layers[1].initializer: must be one of "),
    (setter("inputs", 0), "inputs", "inputs: must be an integer from 1 to 100000, got 0"),
    (setter("inputs", DELETE), "inputs", "inputs: missing"),
    (setter("layers", DELETE), "layers", "layers: missing"),
    (setter("layers", {"type": "dense"}), "layers", "layers: must be a list of layers, got an object"),
    (setter("layers", []), "layers", "layers: a network needs at least one layer"),
    (setter("name", 5), "name", "name: must be a string, got 5"),
    (setter("weigths", []), "weigths", "weigths: unknown key; known: format, version, name, inputs"),
    (lambda doc: [doc], "", "this is not an nnviz file (it holds a list, not a JSON object)"),
    (lambda doc: "nnviz", "", 'this is not an nnviz file (it holds "nnviz", not a JSON object)'),
    (setter("format", DELETE), "", 'this is not an nnviz file (it has no "format": "nnviz" entry)'),
    (setter("format", "keras"), "", 'this is not an nnviz file ("format" is "keras", not "nnviz")'),
    (setter("version", 2), "",
     "this file was written by a newer nnviz (format version 2; this nnviz reads up to 1). Update nnviz to open it."),
    (setter("version", 0), "version", "version: must be a positive integer, got 0"),
    (setter("version", -1), "version", "version: must be a positive integer, got -1"),
    (setter("version", "1"), "version", 'version: must be a positive integer, got "1"'),
    (setter("version", 1.0), "version", "version: must be a positive integer, got 1.0"),
    (setter("version", True), "version", "version: must be a positive integer, got true"),
    (setter("version", DELETE), "version", 'version: missing; an nnviz file says its format version, e.g. "version": 1'),
    (setter("standardization.mean", [0.0, 1.0]), "standardization.mean",
     "standardization.mean: must be a list of 3 numbers (one per input), got 2 numbers"),
    (setter("standardization.std.1", 0), "standardization.std[1]", "standardization.std[1]: must be a positive number, got 0.0"),
    (setter("standardization.std.2", -2.0), "standardization.std[2]", "standardization.std[2]: must be a positive number, got -2.0"),
    (setter("standardization.mean.0", float("nan")), "standardization.mean[0]", "standardization.mean[0]: must be a finite number, got NaN"),
    (setter("standardization.std", DELETE), "standardization.std", "standardization.std: missing; standardization needs mean and std"),
    (setter("standardization.scale", [1.0]), "standardization.scale", "standardization.scale: unknown key; known: mean, std"),
    (setter("standardization", [0.0, 1.0]), "standardization", "standardization: must be an object"),
    (setter("input_names", ["a", "b"]), "input_names", "input_names: must be a list of 3 names (one per input), got 2 names"),
    (setter("input_names.1", 7), "input_names[1]", "input_names[1]: must be a string, got 7"),
    (setter("input_names", "abc"), "input_names", 'input_names: must be a list of 3 names (one per input), got "abc"'),
    (setter("output_names", ["a", "b", "c"]), "output_names", "output_names: must be a list of 2 names (one per output), got 3 names"),
    (setter("history.val_loss", [1.0]), "history.val_loss",
     "history.val_loss: must have one entry per epoch, as many as history.epoch (2), got 1"),
    (setter("history.train_loss", [0.9, 0.7, 0.5]), "history.train_loss",
     "history.train_loss: must have one entry per epoch, as many as history.epoch (2), got 3"),
    (setter("history.train_loss.1", None), "history.train_loss[1]", "history.train_loss[1]: must be a finite number, got null"),
    (setter("history.val_loss.0", float("nan")), "history.val_loss[0]", "history.val_loss[0]: must be a finite number or null, got NaN"),
    (setter("history.epoch.1", "2"), "history.epoch[1]", 'history.epoch[1]: must be a whole number of epochs, got "2"'),
    (setter("history.val_accuracy", 0.5), "history.val_accuracy", "history.val_accuracy: must be a list with one entry per epoch, got 0.5"),
    (setter("history.lr", [0.1, 0.1]), "history.lr", "history.lr: unknown key; known: epoch, train_loss"),
    (setter("history", [1, 2]), "history", "history: must be an object of per-epoch lists, got a list"),
    (setter("history.grad_norms", [[0.5] * 6]), "history.grad_norms",
     "history.grad_norms: must have one entry per epoch, as many as history.epoch (2), got 1"),
    (setter("history.grad_norms.1", [0.5] * 5), "history.grad_norms[1]",
     "history.grad_norms[1]: must be a list of 6 numbers (one per layer, null for a layer without parameters), got 5 values"),
    (setter("history.grad_norms.0", 0.5), "history.grad_norms[0]", "history.grad_norms[0]: must be a list of 6 numbers"),
    (setter("history.grad_norms.0.2", "big"), "history.grad_norms[0][2]", 'history.grad_norms[0][2]: must be a finite number or null, got "big"'),
    (setter("history.grad_norms.1.0", float("inf")), "history.grad_norms[1][0]",
     "history.grad_norms[1][0]: must be a finite number or null, got Infinity"),
    (setter("probe", [1.0, 2.0]), "probe", "probe: must be a list of 3 numbers (one per input), got 2 numbers"),
    (setter("probe.1", "x"), "probe[1]", 'probe[1]: must be a finite number, got "x"'),
    (setter("probe", 1.0), "probe", "probe: must be a list of 3 numbers (one per input), got 1.0"),
    (setter("training.lr", 0.1), "training.lr", "training.lr: unknown setting; known: "),
    (setter("training.learning_rate", 0), "training.learning_rate", "training.learning_rate: must be a number above 0 to 10, got 0"),
    (setter("training.dtype", "float16"), "training.dtype", "training.dtype: must be one of float32, float64; got 'float16'"),
    (setter("training.optimizer", ["adam"]), "training.optimizer", "training.optimizer: must be one of "),
    (setter("training", "adam"), "training", 'training: must be an object of settings, got "adam"'),
    (setter("dataset.options", {"a": 1}), "dataset.options", "dataset.options: must be a string, a finite number, true, false or null; got an object"),
    (setter("dataset.noise", float("inf")), "dataset.noise", "dataset.noise: must be a string, a finite number, true, false or null; got Infinity"),
    (setter("dataset", ["spiral"]), "dataset", "dataset: must be an object"),
]


@pytest.mark.parametrize("change, where, message", BAD_FILES, ids=[f"{i}:{case[1] or case[2][:30]}" for i, case in enumerate(BAD_FILES)])
def test_bad_files_are_refused_naming_the_place(change, where, message):
    doc = full_doc()
    loads(json.dumps(doc))  # the unchanged document is fine
    text = json.dumps(change(copy.deepcopy(doc)), ensure_ascii=False)
    with pytest.raises(FileFormatError) as caught:
        loads(text)
    err = caught.value
    assert err.where == where
    if where:
        assert str(err) == f"{err.where}: {err.rule}"
    assert str(err).startswith(message)


def test_refusal_messages_list_the_choices():
    doc = full_doc()
    doc["layers"][2]["activation"] = "relux"
    with pytest.raises(FileFormatError, match=r"layers\[2\]\.activation: must be one of .*relu.*sigmoid.*; got 'relux'"):
        loads(json.dumps(doc))


@pytest.mark.parametrize(
    "text, message",
    [
        ('{\n  "format": "nnviz",\n  "version" 1\n}', "not valid JSON: line 3 column 13: Expecting ':' delimiter"),
        (
            '{"format": "nnviz",}',
            (  # Python 3.13 names a trailing comma, where the comma is
                "not valid JSON: line 1 column 20: Expecting property name enclosed in double quotes",
                "not valid JSON: line 1 column 19: Illegal trailing comma before end of object",
            ),
        ),
        ("", "not valid JSON: line 1 column 1: Expecting value"),
        ('{"format": "nnviz"} x', "not valid JSON: line 1 column 21: Extra data"),
    ],
)
def test_json_syntax_errors_say_where(text, message):
    with pytest.raises(FileFormatError) as caught:
        loads(text)
    accepted = message if isinstance(message, tuple) else (message,)
    assert str(caught.value) in accepted and caught.value.where == ""


def test_absurd_json_is_a_format_error():
    text = json.dumps(minimal_doc()).replace('"inputs": 2', '"inputs": ' + "9" * 5000)
    with pytest.raises(FileFormatError, match="^not valid JSON: a number has too many digits$"):
        loads(text)
    with pytest.raises(FileFormatError, match="^not valid JSON: nested too deeply$"):
        loads("[" * 100_000 + "]" * 100_000)


def test_literal_nan_in_text_is_refused_with_its_place():
    good = json.dumps(full_doc())
    for literal in ("NaN", "Infinity", "-Infinity", "1e999"):
        text = good.replace('"bias": [0.0, 0.0, 0.0, 0.0]', f'"bias": [0.0, 0.0, {literal}, 0.0]')
        with pytest.raises(FileFormatError) as caught:
            loads(text)
        assert caught.value.where == "layers[0].bias[2]"
        assert caught.value.rule.startswith("must be a finite number, got ")


def test_a_byte_order_mark_is_accepted():
    assert loads("\ufeff" + json.dumps(minimal_doc())).spec.inputs == 2
    assert loads(("\ufeff" + json.dumps(minimal_doc())).encode("utf-8")).spec.inputs == 2


def test_dumps_refuses_what_it_could_not_read_back():
    net = Network(NetworkSpec(2, (DenseSpec(3, "relu"), DenseSpec(1, "sigmoid"))))
    net.layer_state(0)["weights"][1, 2] = np.nan
    with pytest.raises(FileFormatError, match=r"^layers\[0\]\.weights\[1\]\[2\]: must be a finite number, got NaN$"):
        dumps(NetworkFile.from_network(net))
    net.layer_state(0)["weights"][1, 2] = 0.5
    with pytest.raises(FileFormatError, match=r"^output_names: must be a list of 1 name \(one per output, or two class labels for a single output\), got 3 names$"):
        dumps(NetworkFile.from_network(net, output_names=["a", "b", "c"]))
    with pytest.raises(FileFormatError, match=r"^standardization\.std\[0\]: must be a positive number"):
        dumps(NetworkFile.from_network(net, standardization=Standardization(np.zeros(2), np.array([0.0, 1.0]))))
    with pytest.raises(FileFormatError, match=r"^dataset\.rows: must be a string"):
        dumps(NetworkFile.from_network(net, dataset={"rows": [1, 2]}))
    history = History(epoch=[1, 2], train_loss=[0.5], val_loss=[None, None], train_accuracy=[None, None], val_accuracy=[None, None])
    with pytest.raises(FileFormatError, match=r"^history\.train_loss: must have one entry per epoch"):
        dumps(NetworkFile.from_network(net, history=history))
    with pytest.raises(FileFormatError, match=r"^training\.epochs: must be an integer"):
        dumps(NetworkFile.from_network(net, training=TrainConfig(epochs=0)))


def test_numpy_scalars_are_written_as_plain_json():
    net = Network(NetworkSpec(2, (DenseSpec(1, "linear"),)))
    history = History()
    history.append(np.int64(1), np.float32(0.5), None, np.float64(0.25), None)
    nf = NetworkFile.from_network(net, history=history, dataset={"n_samples": np.int64(100), "noise": np.float32(0.5)})
    back = loads(dumps(nf))
    assert back.dataset == {"n_samples": 100, "noise": 0.5}
    assert back.history.epoch == [1] and back.history.train_loss == [0.5] and back.history.train_accuracy == [0.25]


def test_odd_text_survives():
    net = Network(NetworkSpec(2, (DenseSpec(1, "linear"),), name="Σ-net \"quoted\" \ud800"))
    nf = NetworkFile.from_network(net, input_names=["äpfel", "\u2028line"], dataset={"path": "C:\\data\\x.csv"})
    back = loads(dumps(nf).encode("utf-8"))
    assert back.spec.name == net.spec.name
    assert back.input_names == ["äpfel", "\u2028line"]
    assert back.dataset == {"path": "C:\\data\\x.csv"}


# -- files ------------------------------------------------------------------


def test_load_reports_unreadable_files(tmp_path):
    missing = tmp_path / "nope.nnviz"
    with pytest.raises(FileFormatError) as caught:
        load(missing)
    assert str(caught.value) == f"cannot read {missing}: No such file or directory"
    with pytest.raises(FileFormatError, match="^cannot read "):
        load(tmp_path)
    binary = tmp_path / "picture.nnviz"
    binary.write_bytes(b'{"format": "nnviz", "name": "\xff\xfe"}')
    with pytest.raises(FileFormatError, match=r"is not UTF-8 text \(byte 0xff at position 29\)"):
        load(binary)


def test_load_names_the_first_problem(tmp_path):
    path = tmp_path / "new.nnviz"
    doc = minimal_doc()
    doc["version"] = 3
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"newer nnviz \(format version 3; this nnviz reads up to 1\)"):
        load(path)


@pytest.fixture
def saved(tmp_path):
    """A file already on disk, and a different network to save over it."""
    path = tmp_path / "model.nnviz"
    old = NetworkFile.from_network(Network(NetworkSpec(2, (DenseSpec(3, "relu"),)), seed=1))
    save(old, path)
    new = NetworkFile.from_network(Network(NetworkSpec(2, (DenseSpec(5, "tanh"),)), seed=2))
    return path, path.read_bytes(), new


def assert_untouched(path, before):
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left


def test_save_writes_a_file_that_loads(saved):
    path, _, new = saved
    save(new, str(path))
    assert load(path).spec == new.spec
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_failed_save_leaves_the_old_file(saved, monkeypatch):
    """save writes through the atomic writer (whose own tests cover every failure)."""
    path, before, new = saved

    def full_disk(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        save(new, path)
    monkeypatch.undo()
    assert_untouched(path, before)


def test_save_of_a_bad_file_touches_nothing(saved):
    path, before, new = saved
    new.params[0]["bias"][0] = np.inf
    with pytest.raises(FileFormatError, match=r"^layers\[0\]\.bias\[0\]: must be a finite number, got Infinity$"):
        save(new, path)
    assert_untouched(path, before)
