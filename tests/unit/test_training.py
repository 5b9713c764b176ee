"""The training loop as a user drives it: reproducible, stoppable, learns, and fails clearly."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from nnviz.core import (
    BatchNormSpec,
    DenseSpec,
    DropoutSpec,
    Network,
    NetworkSpec,
    SpecError,
    TrainConfig,
    Trainer,
    TrainingError,
    count,
    train,
)
from nnviz.core.numbers import human_bytes
from nnviz.core.training import History, fit_targets

XOR_SPEC = NetworkSpec(2, (DenseSpec(8, "tanh", "xavier_uniform"), DenseSpec(1, "sigmoid", "xavier_uniform")))
REGRESSION_SPEC = NetworkSpec(1, (DenseSpec(16, "tanh", "xavier_uniform"), DenseSpec(1, "linear", "xavier_uniform")))
# Every kind of layer, so that reproducibility covers dropout's masks and batch norm's statistics.
MIXED_SPEC = NetworkSpec(
    2,
    (DenseSpec(8, "relu"), BatchNormSpec(), DropoutSpec(0.25), DenseSpec(6, "tanh", "xavier_uniform"), DenseSpec(1, "sigmoid")),
)


def xor_data(n: int = 200, seed: int = 0):
    """Points in the square, labelled 1 where x·y > 0: not linearly separable."""
    x = np.random.default_rng(seed).uniform(-1.0, 1.0, (n, 2))
    return x, (x[:, 0] * x[:, 1] > 0).astype(np.float64)


def regression_data(n: int = 128, seed: int = 0):
    x = np.random.default_rng(seed).uniform(-2.0, 2.0, (n, 1))
    return x, np.sin(2.0 * x[:, 0])


def run(spec, data, seed: int = 0, dtype=np.float32, **settings):
    """Train a fresh network to the end; return it and its trainer."""
    net = Network(spec, seed=seed, dtype=dtype)
    trainer = Trainer(net, *data, TrainConfig(seed=seed, **settings))
    for _ in trainer.steps():
        pass
    return net, trainer


# -- dtype and reproducibility ------------------------------------------------------


@pytest.mark.parametrize(
    "requested, expected", [({}, np.float32), ({"dtype": np.float64}, np.float64)], ids=["default", "float64"]
)
def test_parameters_use_float32_unless_float64_is_asked_for(requested, expected):
    net = Network(MIXED_SPEC, **requested)
    assert net.params.dtype == expected and net.grads.dtype == expected
    trainer = Trainer(net, *xor_data(), TrainConfig(epochs=1))
    for _ in trainer.steps():
        pass
    assert all(a.dtype == expected for i in range(len(net.layers)) for a in net.layer_params(i).values())
    assert trainer.snapshot(arrays=True).weights[0]["weights"].dtype == expected
    assert net.predict(xor_data()[0]).dtype == np.float64


def test_the_same_seed_gives_identical_runs_and_another_seed_differs():
    def outcome(seed):
        net, trainer = run(MIXED_SPEC, xor_data(), seed=seed, epochs=3, batch_size=16)
        return net.params.copy(), trainer.history.to_dict()

    params, history = outcome(1)
    again_params, again_history = outcome(1)
    np.testing.assert_array_equal(params, again_params)
    assert history == again_history
    other_params, other_history = outcome(2)
    assert not np.array_equal(params, other_params)
    assert history != other_history


# -- the loop -----------------------------------------------------------------------


def test_train_yields_one_snapshot_per_epoch_and_finishes():
    x, y = xor_data()
    snapshots = list(train(Network(XOR_SPEC), x, y, TrainConfig(epochs=4, batch_size=50), validation=xor_data(50, seed=1)))
    assert [s.epoch for s in snapshots] == [1, 2, 3, 4]
    assert [s.step for s in snapshots] == [4, 8, 12, 16]
    assert [s.status for s in snapshots] == ["running"] * 3 + ["finished"]
    for s in snapshots:
        assert math.isfinite(s.train_loss) and math.isfinite(s.val_loss)
        assert 0.0 <= s.train_accuracy <= 1.0 and 0.0 <= s.val_accuracy <= 1.0


def test_steps_can_stop_after_any_step_and_continue_where_they_left_off():
    x, y = xor_data(100)
    config = TrainConfig(epochs=3, batch_size=32, seed=4)  # 4 steps per epoch, the last one short
    net = Network(XOR_SPEC, seed=4)
    trainer = Trainer(net, x, y, config)

    first = list(itertools.islice(trainer.steps(), 3))
    assert [r.step for r in first] == [1, 2, 3]
    assert trainer.step_count == 3 and trainer.epoch == 0 and trainer.status == "running"
    paused = net.params.copy()
    assert trainer.step_count == 3 and np.array_equal(net.params, paused), "a stopped run must stay stopped"

    rest = list(trainer.steps())
    assert [r.step for r in rest] == list(range(4, 13))
    assert [r.epoch for r in first + rest if r.epoch_done] == [1, 2, 3]
    assert trainer.status == "finished" and len(trainer.history) == 3

    # Pausing changes nothing: the result is bit-identical to an uninterrupted run.
    uninterrupted, _ = run(XOR_SPEC, (x, y), seed=4, epochs=3, batch_size=32)
    np.testing.assert_array_equal(net.params, uninterrupted.params)


def test_snapshot_arrays_are_copies():
    net = Network(XOR_SPEC)
    trainer = Trainer(net, *xor_data(), TrainConfig(epochs=2))
    trainer.step()
    snap = trainer.snapshot(arrays=True)
    kept = [{k: v.copy() for k, v in layer.items()} for layer in snap.weights + snap.gradients]

    trainer.step()  # training goes on: the snapshot must not follow it
    for layer, before in zip(snap.weights + snap.gradients, kept):
        for name, array in layer.items():
            np.testing.assert_array_equal(array, before[name], err_msg=f"training changed the snapshot's {name}")

    params, grads = net.params.copy(), net.grads.copy()
    for layer in snap.weights + snap.gradients:  # a viewer scribbling on its copy
        for array in layer.values():
            array += 1.0
    np.testing.assert_array_equal(net.params, params)
    np.testing.assert_array_equal(net.grads, grads)


# -- divergence -----------------------------------------------------------------------


DIVERGING = {
    "tanh": (DenseSpec(8, "tanh"), DenseSpec(1, "linear")),
    # Overflows inside the forward pass on its way to NaN.
    "deep-relu": (DenseSpec(16, "relu"), DenseSpec(16, "relu"), DenseSpec(1, "linear")),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layers", DIVERGING)
def test_a_huge_learning_rate_diverges_cleanly(layers, dtype):
    rng = np.random.default_rng(0)
    x = rng.normal(0.0, 5.0, (64, 3))
    y = x @ np.array([100.0, -200.0, 50.0]) + 3.0  # unscaled targets: a classic way to blow up
    net = Network(NetworkSpec(3, DIVERGING[layers]), dtype=dtype)
    trainer = Trainer(net, x, y, TrainConfig(optimizer="sgd", learning_rate=10.0, epochs=200, batch_size=16))

    before = net.params.copy()
    for result in trainer.steps():
        if result.diverged:
            break
        before = net.params.copy()
    assert result.diverged and trainer.status == "diverged"
    assert trainer.step_count >= 1, "the run should get a good step in before it blows up"
    assert "diverged" in trainer.message and "lower learning rate" in trainer.message, trainer.message
    assert np.isfinite(net.params).all()
    np.testing.assert_array_equal(net.params, before, err_msg="the last good weights must be kept")
    steps = trainer.step_count
    assert trainer.step().diverged and trainer.step_count == steps and np.array_equal(net.params, before)
    snap = trainer.snapshot(arrays=True)
    assert snap.status == "diverged" and snap.message == trainer.message
    assert all(np.isfinite(a).all() for layer in snap.weights for a in layer.values())


def test_train_ends_with_a_diverged_snapshot():
    x, y = regression_data()
    snapshots = list(train(Network(REGRESSION_SPEC), x, y * 1e6, TrainConfig(optimizer="sgd", learning_rate=10.0)))
    assert snapshots[-1].status == "diverged" and "diverged" in snapshots[-1].message
    assert all(s.status == "running" for s in snapshots[:-1])


# -- learning -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "output", [DenseSpec(1, "sigmoid", "xavier_uniform"), DenseSpec(2, "softmax", "xavier_uniform")], ids=["sigmoid", "softmax"]
)
def test_a_small_network_learns_xor(output):
    spec = NetworkSpec(2, (DenseSpec(8, "tanh", "xavier_uniform"), output))
    train_set, test_set = xor_data(300, seed=0), xor_data(200, seed=1)
    net, trainer = run(spec, train_set, epochs=150, learning_rate=0.05)
    assert trainer.loss == ("bce" if output.units == 1 else "cce")
    loss, accuracy = trainer.evaluate(*test_set)
    assert accuracy > 0.9, f"test accuracy {accuracy:.2f}, loss {loss:.3f}"
    assert trainer.history.train_accuracy[-1] > 0.9


def test_regression_loss_drops():
    net, trainer = run(REGRESSION_SPEC, regression_data(), epochs=100, learning_rate=0.02)
    losses = trainer.history.train_loss
    assert trainer.classification is False and trainer.history.train_accuracy[-1] is None
    assert losses[-1] < 0.1 * losses[0], losses[:: len(losses) // 5]


# -- targets and settings ---------------------------------------------------------------


def test_binary_targets_feed_a_two_unit_softmax_as_one_hot():
    np.testing.assert_array_equal(fit_targets([0, 1, 1], 2), [[1, 0], [0, 1], [0, 1]])
    np.testing.assert_array_equal(fit_targets([0, 1, 1], 1), [[0], [1], [1]])
    with pytest.raises(TrainingError, match="1 target column.*2 output unit"):
        fit_targets([0.0, 0.5, 1.0], 2)  # not labels: cannot be one-hot


@pytest.mark.parametrize(
    "x_shape, y_shape, message",
    [
        ((10, 2), (10, 3), r"3 target column.*2 output unit.*set the last layer to 3"),
        ((10, 5), (10, 2), r"5 feature.*2 input.*set the input size to 5"),
        ((10, 2), (9, 2), r"got 10 and 9"),
    ],
)
def test_mismatched_data_names_both_sizes(x_shape, y_shape, message):
    net = Network(NetworkSpec(2, (DenseSpec(2, "linear"),)))
    with pytest.raises(TrainingError, match=message):
        Trainer(net, np.zeros(x_shape), np.zeros(y_shape), TrainConfig())


@pytest.mark.parametrize(
    "field, value",
    [
        ("learning_rate", 0.0),
        ("learning_rate", -0.1),
        ("learning_rate", math.nan),
        ("learning_rate", "0.1"),
        ("batch_size", 0),
        ("batch_size", 2.5),
        ("epochs", 0),
        ("optimizer", "adagrad"),
        ("loss", "hinge"),
        ("l1", -1.0),
        ("l2", math.inf),
        ("clip_norm", -1.0),
        ("momentum", 1.0),
        ("val_split", 0.95),
        ("seed", -1),
        ("dtype", "float16"),
    ],
)
def test_bad_settings_name_the_field(field, value):
    config = TrainConfig(**{field: value})
    with pytest.raises(SpecError, match=rf"^training\.{field}: ") as err:
        config.validate()
    assert err.value.where == f"training.{field}"
    with pytest.raises(SpecError, match=rf"^training\.{field}: "):
        Trainer(Network(XOR_SPEC), *xor_data(), config)


def test_unknown_setting_in_a_file_is_named():
    TrainConfig().validate()
    assert TrainConfig.from_dict(TrainConfig(learning_rate=0.5).to_dict()) == TrainConfig(learning_rate=0.5)
    with pytest.raises(SpecError, match=r"^training\.learning_rte: unknown setting"):
        TrainConfig.from_dict({"learning_rte": 0.1})


# -- layers that behave differently in training and inference ------------------------------


def test_batchnorm_running_statistics_follow_the_data_and_serve_inference():
    net = Network(NetworkSpec(3, (BatchNormSpec(momentum=0.1),)), dtype=np.float64)
    bn = net.layers[0]
    x = np.random.default_rng(0).normal([5.0, -2.0, 0.5], [3.0, 0.5, 1.0], (256, 3))
    mean, var = x.mean(axis=0), x.var(axis=0, ddof=1)  # PyTorch keeps the unbiased variance

    net.forward(x, training=True)
    np.testing.assert_allclose(bn.running_mean, 0.1 * mean)
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * var)
    for _ in range(200):
        net.forward(x, training=True)
    np.testing.assert_allclose(bn.running_mean, mean, rtol=1e-6)
    np.testing.assert_allclose(bn.running_var, var, rtol=1e-6)

    out = net.predict(x)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-5), rtol=1e-6, atol=1e-7)
    # Inference does not depend on the rest of the batch: one row alone gives the same answer.
    np.testing.assert_allclose(net.predict(x[:1]), out[:1], rtol=1e-12)


def test_batchnorm_statistics_follow_the_hidden_activity_while_training():
    x, y = regression_data()
    x = x + 3.0  # off-centre inputs, so the statistics have somewhere to go from (0, 1)
    spec = NetworkSpec(1, (DenseSpec(8, "linear"), BatchNormSpec(activation="relu"), DenseSpec(1, "linear")))
    net, _ = run(spec, (x, y), epochs=20)
    dense, bn = net.layers[0], net.layers[1]
    hidden = x @ dense.weights.astype(np.float64) + dense.bias
    np.testing.assert_allclose(bn.running_mean, hidden.mean(axis=0), rtol=0.05)
    np.testing.assert_allclose(bn.running_var, hidden.var(axis=0, ddof=1), rtol=0.05)


def test_dropout_is_identity_at_inference_and_drops_while_training():
    net = Network(NetworkSpec(4, (DropoutSpec(0.5),)))
    x = np.random.default_rng(0).uniform(1.0, 2.0, (500, 4)).astype(np.float32)
    np.testing.assert_array_equal(net.predict(x), x)
    out = net.forward(x, training=True)
    dropped = out == 0
    assert 0.4 < dropped.mean() < 0.6
    np.testing.assert_allclose(out[~dropped], 2.0 * x[~dropped], rtol=1e-6)  # inverted dropout keeps the mean


# -- counting -----------------------------------------------------------------------------


def dense_stack(*widths, activation="relu"):
    return NetworkSpec(widths[0], tuple(DenseSpec(w, activation) for w in widths[1:]))


@pytest.mark.parametrize(
    "spec, params, macs",
    [
        (dense_stack(2, 4, 4, 1), 37, 2 * 4 + 4 * 4 + 4 * 1),
        (dense_stack(784, 128, 64, 10), 109386, 109184),
        (MIXED_SPEC, 2 * 8 + 8 + 2 * 8 + 8 * 6 + 6 + 6 * 1 + 1, 2 * 8 + 8 + 8 * 6 + 6 * 1),
    ],
)
def test_counts(spec, params, macs):
    counted = count(spec)
    assert (counted.params, counted.macs) == (params, macs)
    assert counted.params == Network(spec).params.size, "the count must match what is trained"


def test_memory_of_the_parameters():
    counted = count(dense_stack(784, 128, 64, 10))
    assert counted.memory_bytes() == counted.memory_bytes(4) == 437544  # float32
    assert counted.memory_bytes(2) == 218772  # float16
    assert human_bytes(counted.memory_bytes()) == "427.3 KB"


def test_history_grows_by_what_was_added_since_a_reader_looked():
    h = History()
    for e in range(1, 6):
        h.append(e, 1.0 / e, None, 0.5, None)
    new = h.since(3)
    assert new.epoch == [4, 5] and new.train_loss == [0.25, 0.2] and new.val_loss == [None, None]
    new.train_loss[0] = 99.0
    assert h.train_loss[3] == 0.25  # a copy
    merged = History()
    merged.append(1, 2.0, None, None, None)
    merged.extend(new, epoch_offset=10)
    assert merged.epoch == [1, 14, 15] and merged.train_loss == [2.0, 99.0, 0.2]


def test_each_epoch_records_every_layers_gradient_norm_at_its_last_step():
    x, y = xor_data(64)
    trainer = Trainer(Network(MIXED_SPEC, seed=0), x, y, TrainConfig(batch_size=16, epochs=3, seed=0))
    for step in trainer.steps():
        if step.epoch_done:
            row = trainer.history.grad_norms[-1]
            stats = trainer.snapshot().layer_stats  # the same gradients, measured independently
            assert [s is None for s in stats] == [v is None for v in row] == [False, False, True, False, False]
            for value, s in zip(row, stats):
                if s is not None:
                    assert value == pytest.approx(s.grad_norm, rel=1e-6) and value > 0
    assert len(trainer.history.grad_norms) == len(trainer.history) == 3
    later = trainer.history.since(1)
    assert later.grad_norms == trainer.history.grad_norms[1:]
    merged = History()
    merged.extend(later, epoch_offset=5)
    assert merged.epoch == [7, 8] and merged.grad_norms == later.grad_norms
    assert History.from_dict(trainer.history.to_dict()) == trainer.history


# -- settings changed in a running run ------------------------------------------------


def test_reconfiguring_with_the_same_settings_changes_nothing():
    x, y = xor_data(100)
    config = TrainConfig(epochs=3, batch_size=32, seed=4)  # Adam: its moments must survive
    net = Network(XOR_SPEC, seed=4)
    trainer = Trainer(net, x, y, config)
    steps = trainer.steps()
    list(itertools.islice(steps, 5))
    trainer.reconfigure(TrainConfig(epochs=3, batch_size=32, seed=4))
    list(steps)
    uninterrupted, _ = run(XOR_SPEC, (x, y), seed=4, epochs=3, batch_size=32)
    np.testing.assert_array_equal(net.params, uninterrupted.params)


def test_a_new_learning_rate_applies_from_the_next_step():
    x, y = xor_data(100)
    config = TrainConfig(optimizer="sgd", learning_rate=0.1, batch_size=32, seed=1, dtype="float64")
    pair = [Trainer(Network(XOR_SPEC, seed=1, dtype=np.float64), x, y, config) for _ in range(2)]
    for trainer in pair:
        for _ in range(3):
            trainer.step()
    changed, kept = pair
    changed.reconfigure(TrainConfig(optimizer="sgd", learning_rate=0.2, batch_size=32, seed=1, dtype="float64"))
    before = changed.net.params.copy()
    changed.step(), kept.step()
    assert changed.step_count == kept.step_count == 4  # the run goes on, not a new one
    np.testing.assert_allclose(before - changed.net.params, 2 * (before - kept.net.params), rtol=1e-9)
    assert changed.config.learning_rate == 0.2


def test_another_optimizer_starts_from_a_fresh_state():
    x, y = xor_data(100)
    config = TrainConfig(optimizer="adam", batch_size=25, seed=2, dtype="float64")
    trainer = Trainer(Network(XOR_SPEC, seed=2, dtype=np.float64), x, y, config)
    for _ in range(6):
        trainer.step()
    trainer.reconfigure(TrainConfig(optimizer="momentum", learning_rate=0.05, batch_size=25, seed=2, dtype="float64"))
    before = trainer.net.params.copy()
    trainer.step()
    # A fresh velocity is the gradient itself: the first step is lr x gradient.
    np.testing.assert_allclose(before - trainer.net.params, 0.05 * trainer.net.grads, rtol=1e-9)


def test_a_new_batch_size_applies_within_the_epoch():
    x, y = xor_data(100)
    trainer = Trainer(Network(XOR_SPEC), x, y, TrainConfig(batch_size=32))
    assert not trainer.step().epoch_done  # samples 0-31
    trainer.reconfigure(TrainConfig(batch_size=50))
    assert not trainer.step().epoch_done  # 32-81
    assert trainer.step().epoch_done  # 82-99: the epoch's order of samples is kept
    assert [trainer.step().epoch_done for _ in range(2)] == [False, True]  # then 50 + 50


def test_settings_of_a_new_run_are_kept_and_bad_ones_change_nothing():
    x, y = xor_data(100)
    trainer = Trainer(Network(XOR_SPEC), x, y, TrainConfig(epochs=5, seed=3, val_split=0.2))
    trainer.step()
    trainer.reconfigure(TrainConfig(epochs=9, seed=8, val_split=0.5, learning_rate=0.02))
    assert (trainer.config.epochs, trainer.config.seed, trainer.config.val_split) == (5, 3, 0.2)
    assert trainer.config.learning_rate == 0.02
    with pytest.raises(TrainingError, match="number type"):
        trainer.reconfigure(TrainConfig(dtype="float64"))
    with pytest.raises(SpecError, match="learning_rate"):
        trainer.reconfigure(TrainConfig(learning_rate=-1.0))
    assert trainer.config.learning_rate == 0.02 and trainer.config.dtype == "float32"
    trainer.step()
    assert trainer.step_count == 2


def test_a_new_loss_applies_from_the_next_step():
    x, y = xor_data(64)
    trainer = Trainer(Network(XOR_SPEC), x, y, TrainConfig(loss="bce", batch_size=64))
    trainer.step()
    trainer.reconfigure(TrainConfig(loss="mse", batch_size=64))
    out = trainer.net.forward(x)[:, 0]
    assert trainer.step().loss == pytest.approx(float(np.mean((out - y) ** 2)), rel=1e-5)
