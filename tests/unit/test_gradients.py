"""Gradient checks of the engine against central finite differences, in float64.

If a derivative is wrong the network still "trains", just badly, and nobody
can see why; these tests are the only place such a mistake shows.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core import BatchNormSpec, DenseSpec, DropoutSpec, Network, NetworkSpec, TrainConfig, Trainer
from nnviz.core.activations import ACTIVATIONS
from nnviz.core.losses import LOSSES

TOLERANCE = 1e-6  # relative error allowed between analytic and numeric gradients
# Below this norm a gradient counts as zero (a bias before batch norm has none):
# the error is then measured against it, not against rounding noise.
ZERO_NORM = 1e-3
STEP = 1e-6  # finite-difference step


def numeric_grad(f, x: np.ndarray, h: float = STEP) -> np.ndarray:
    """d f() / d x by central differences, perturbing ``x`` in place (it is restored)."""
    grad = np.zeros(x.size)
    flat = x.reshape(-1)
    assert np.shares_memory(flat, x), "x must be contiguous so that perturbing it changes f"
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = f()
        flat[i] = old - h
        down = f()
        flat[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad.reshape(x.shape)


def assert_grad_close(analytic, numeric, what: str) -> None:
    analytic, numeric = np.asarray(analytic, np.float64), np.asarray(numeric, np.float64)
    assert analytic.shape == numeric.shape, what
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    error = np.linalg.norm(analytic - numeric) / max(scale, ZERO_NORM)
    worst = np.unravel_index(np.argmax(np.abs(analytic - numeric)), analytic.shape)
    assert error < TOLERANCE, (
        f"{what}: relative error {error:.2e}; worst at {worst}: analytic {analytic[worst]!r} vs numeric {numeric[worst]!r}"
    )


def away_from_kinks(z: np.ndarray, margin: float = 0.05) -> np.ndarray:
    """``z`` with entries near 0 (where ReLU-like functions bend) pushed out to ``margin``."""
    return np.where(np.abs(z) < margin, np.copysign(margin, z) + z, z)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def targets(loss: str, rng, shape) -> np.ndarray:
    """Targets a user would give ``loss``: any numbers, 0/1 labels, or one-hot rows."""
    if loss == "mse":
        return rng.normal(size=shape)
    if loss == "bce":
        return rng.integers(0, 2, shape).astype(np.float64)
    return np.eye(shape[1])[rng.integers(0, shape[1], shape[0])]


# -- activations ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradient_matches_finite_differences(name):
    act = ACTIVATIONS[name]
    rng = np.random.default_rng(1)
    z = away_from_kinks(rng.normal(0.0, 1.5, (4, 5)))
    g = rng.normal(size=z.shape)  # an upstream gradient dL/da
    # backward may overwrite its arguments, so it gets copies.
    analytic = act.backward(g.copy(), z.copy(), act.forward(z.copy()).copy())
    numeric = numeric_grad(lambda: float(np.sum(g * act.forward(z))), z)
    assert_grad_close(analytic, numeric, f"{name} backward")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_is_finite_for_huge_inputs(name, dtype):
    act = ACTIVATIONS[name]
    z = np.array([[-1000.0, -30.0, 0.5, 30.0, 1000.0]], dtype)
    a = act.forward(z.copy())
    grad = act.backward(np.ones_like(z), z, a.copy())
    assert a.dtype == dtype and grad.dtype == dtype, "an activation must not silently change the training dtype"
    assert np.isfinite(a).all() and np.isfinite(grad).all(), (a, grad)


# -- losses ---------------------------------------------------------------------


def plain_inputs(loss: str, rng, shape=(6, 3)) -> np.ndarray:
    """Outputs ``a`` in the range the loss expects: anything, probabilities, or probability rows."""
    if loss == "mse":
        return rng.normal(size=shape)
    if loss == "bce":
        return rng.uniform(0.05, 0.95, shape)
    return softmax(rng.normal(size=shape))


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradient_matches_finite_differences(name):
    loss = LOSSES[name]
    rng = np.random.default_rng(2)
    a = plain_inputs(name, rng)
    y = targets(name, rng, a.shape)
    analytic = loss.grad(a.copy(), y)
    numeric = numeric_grad(lambda: loss.value(a, y), a)
    assert_grad_close(analytic, numeric, f"{name} grad")


FUSED = sorted(name for name, loss in LOSSES.items() if loss.partner)


def test_the_cross_entropies_have_fused_forms():
    assert FUSED == ["bce", "cce"]
    assert {name: LOSSES[name].partner for name in FUSED} == {"bce": "sigmoid", "cce": "softmax"}


def fused_gradient(name, z, y):
    """What the engine back-propagates for a fused loss: (a - y) / n, n = the count averaged over."""
    a = ACTIVATIONS[LOSSES[name].partner].forward(z.copy())
    return (a - y) / (y.size if name == "bce" else len(y))


@pytest.mark.parametrize("name", FUSED)
def test_fused_loss_gradient_matches_finite_differences(name):
    rng = np.random.default_rng(3)
    z = rng.normal(0.0, 2.0, (6, 3))
    y = targets(name, rng, z.shape)
    numeric = numeric_grad(lambda: LOSSES[name].fused_value(z, y), z)
    assert_grad_close(fused_gradient(name, z, y), numeric, f"fused {name} gradient")


@pytest.mark.parametrize("name", FUSED)
def test_fused_loss_equals_plain_loss(name):
    loss = LOSSES[name]
    rng = np.random.default_rng(4)
    z = rng.normal(0.0, 2.0, (6, 3))
    y = targets(name, rng, z.shape)
    a = ACTIVATIONS[loss.partner].forward(z.copy())
    assert loss.fused_value(z, y) == pytest.approx(loss.value(a, y), rel=1e-12)


@pytest.mark.parametrize(
    "name, y, expected",
    [
        # Element losses 1000 and 1000 (both confidently wrong), averaged over elements.
        ("bce", [[0.0, 1.0]], 1000.0),
        ("bce", [[1.0, 0.0]], 0.0),
        # One sample, confidently wrong by a logit gap of 2000.
        ("cce", [[0.0, 1.0]], 2000.0),
        ("cce", [[1.0, 0.0]], 0.0),
    ],
)
def test_fused_loss_is_exact_for_huge_logits(name, y, expected):
    z = np.array([[1000.0, -1000.0]])
    y = np.array(y)
    # The clipped plain form would say about 16 here, hiding how wrong the network is.
    assert LOSSES[name].fused_value(z, y) == pytest.approx(expected, abs=1e-9)
    assert np.isfinite(fused_gradient(name, z, y)).all()


# -- whole networks ---------------------------------------------------------------

INIT = "xavier_normal"  # keeps tanh / sigmoid out of saturation so the check is meaningful

HIDDEN = {
    **{f"dense-{name}": (DenseSpec(5, name, INIT),) for name in sorted(ACTIVATIONS)},
    "dropout": (DenseSpec(5, "tanh", INIT), DropoutSpec(0.4)),
    "batchnorm": (DenseSpec(5, "linear", INIT), BatchNormSpec()),
    "batchnorm-relu": (DenseSpec(5, "linear", INIT), BatchNormSpec(activation="relu")),
    "batchnorm-first": (BatchNormSpec(), DenseSpec(5, "tanh", INIT)),
    "dropout-first": (DropoutSpec(0.3), DenseSpec(5, "elu", INIT)),
}

# name: (output layers, loss, whether the engine takes the fused (a - y) / n path)
HEADS = {
    "linear-mse": ((DenseSpec(3, "linear", INIT),), "mse", False),
    "tanh-mse": ((DenseSpec(3, "tanh", INIT),), "mse", False),
    "sigmoid-bce": ((DenseSpec(3, "sigmoid", INIT),), "bce", True),
    "softmax-cce": ((DenseSpec(3, "softmax", INIT),), "cce", True),
    "softmax-bce": ((DenseSpec(3, "softmax", INIT),), "bce", False),
    "sigmoid-cce": ((DenseSpec(3, "sigmoid", INIT),), "cce", False),
    "batchnorm-softmax-cce": ((DenseSpec(3, "linear", INIT), BatchNormSpec(activation="softmax")), "cce", True),
    "dropout-last-mse": ((DenseSpec(3, "linear", INIT), DropoutSpec(0.3)), "mse", False),
}


def fix_dropout_masks(net: Network) -> None:
    """Reseed every dropout layer so each forward pass draws the same mask."""
    for layer in net.layers:
        if layer.kind == "dropout":
            layer.rng = np.random.default_rng(123)


def training_loss(net: Network, x, y, loss: str) -> float:
    fix_dropout_masks(net)
    return net.loss_value(net.forward(x, training=True), y, loss)


def random_network(layers, inputs: int = 4, seed: int = 5) -> Network:
    net = Network(NetworkSpec(inputs, layers), seed=seed, dtype=np.float64)
    # Non-zero biases and batch-norm shifts, scales away from 1: every parameter matters.
    net.params[:] += np.random.default_rng(seed).normal(0.0, 0.3, net.params.size)
    return net


@pytest.mark.parametrize("head", HEADS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_network_gradients_match_finite_differences(hidden, head):
    out_layers, loss, fused = HEADS[head]
    net = random_network(HIDDEN[hidden] + out_layers)
    assert net.fused_loss(loss) is fused
    rng = np.random.default_rng(6)
    x = rng.normal(size=(8, 4))
    y = targets(loss, rng, (8, 3))

    fix_dropout_masks(net)
    out = net.forward(x, training=True)
    net.backward(out, y, loss)
    for layer in net.layers:
        if layer.kind == "dropout":
            assert 0 < np.count_nonzero(layer.mask) < layer.mask.size, "the check needs a mask that drops some units"

    analytic = [{k: v.copy() for k, v in net.layer_grads(i).items()} for i in range(len(net.layers))]
    for i, layer in enumerate(net.layers):
        for name, param in net.layer_params(i).items():
            numeric = numeric_grad(lambda: training_loss(net, x, y, loss), param)
            assert_grad_close(analytic[i][name], numeric, f"layers[{i}] ({layer.kind}).{name}")


# -- penalties and clipping, through one plain SGD step -------------------------------

LR = 0.1


def penalty(net: Network, l1: float, l2: float) -> float:
    """L1/L2 on the weights only; biases are not penalised."""
    weights = [net.layer_params(i)["weights"] for i, layer in enumerate(net.layers) if layer.kind == "dense"]
    return sum(l1 * np.abs(w).sum() + l2 * np.sum(w * w) for w in weights)


def one_sgd_step(l1=0.0, l2=0.0, clip_norm=0.0):
    """One full-batch SGD step: the gradient it applied, the numeric one, the loss it reported and the true one."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(16, 3))
    y = (x[:, 0] * x[:, 1] > 0).astype(np.float64)
    net = random_network((DenseSpec(4, "tanh", INIT), DenseSpec(1, "sigmoid", INIT)), inputs=3)
    config = TrainConfig(optimizer="sgd", learning_rate=LR, batch_size=len(x), l1=l1, l2=l2, clip_norm=clip_norm)
    trainer = Trainer(net, x, y, config)

    def total_loss():
        return net.loss_value(net.forward(x, training=True), y[:, None], trainer.loss) + penalty(net, l1, l2)

    expected_loss = total_loss()
    numeric = numeric_grad(total_loss, net.params)
    before = net.params.copy()
    result = trainer.step()
    applied = (before - net.params) / LR
    return applied, numeric, result.loss, expected_loss


@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.0, 0.05), (0.02, 0.0), (0.01, 0.03)])
def test_penalties_add_their_gradient_and_their_value(l1, l2):
    applied, numeric, loss, expected_loss = one_sgd_step(l1=l1, l2=l2)
    assert_grad_close(applied, numeric, f"step with l1={l1}, l2={l2}")
    assert loss == pytest.approx(expected_loss, rel=1e-12), "the reported loss includes the penalty"


def test_clipping_scales_the_whole_gradient_to_the_norm():
    applied, numeric, _, _ = one_sgd_step(l2=0.05, clip_norm=1e-3)
    assert np.linalg.norm(numeric) > 1e-2, "the test needs a gradient longer than the clip norm"
    assert np.linalg.norm(applied) == pytest.approx(1e-3, rel=1e-9)
    assert_grad_close(applied / np.linalg.norm(applied), numeric / np.linalg.norm(numeric), "clipped direction")


def test_clipping_leaves_short_gradients_alone():
    applied, numeric, _, _ = one_sgd_step(l2=0.05, clip_norm=1e3)
    assert_grad_close(applied, numeric, "gradient shorter than the clip norm")
