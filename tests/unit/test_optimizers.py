"""Each optimiser against the textbook (PyTorch) formulas, written out plainly here."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.optimizers import OPTIMIZER_NAMES, OptimizerSettings, make_optimizer

# Not the defaults, so that a swapped or ignored hyper-parameter shows; eps is
# large enough against the smallest gradients that where it is added matters.
SETTINGS = OptimizerSettings(lr=0.05, momentum=0.8, rho=0.95, beta1=0.85, beta2=0.99, eps=1e-4)
SIZE = 12
STEPS = 6


def reference_updates(name: str, grads: list[np.ndarray], s: OptimizerSettings) -> list[np.ndarray]:
    """The step to subtract from the parameters for each gradient in turn."""
    v = np.zeros(SIZE)  # momentum buffer / Adam's second moment
    m = np.zeros(SIZE)  # Adam's first moment / RMSprop's mean square
    updates = []
    for t, g in enumerate(grads, start=1):
        if name == "sgd":
            u = s.lr * g
        elif name == "momentum":  # PyTorch: v = μv + g; p -= lr v
            v = s.momentum * v + g
            u = s.lr * v
        elif name == "nesterov":  # PyTorch: v = μv + g; p -= lr (g + μv)
            v = s.momentum * v + g
            u = s.lr * (g + s.momentum * v)
        elif name == "rmsprop":  # PyTorch: m = ρm + (1-ρ)g²; p -= lr g / (√m + eps)
            m = s.rho * m + (1 - s.rho) * g * g
            u = s.lr * g / (np.sqrt(m) + s.eps)
        elif name == "adam":  # Kingma & Ba, eps added after the bias correction as PyTorch does
            m = s.beta1 * m + (1 - s.beta1) * g
            v = s.beta2 * v + (1 - s.beta2) * g * g
            m_hat = m / (1 - s.beta1**t)
            v_hat = v / (1 - s.beta2**t)
            u = s.lr * m_hat / (np.sqrt(v_hat) + s.eps)
        else:
            raise AssertionError(f"no reference for {name}")
        updates.append(u)
    return updates


def gradients(seed: int = 0) -> list[np.ndarray]:
    """Gradients of mixed sign and of magnitudes from 1e-5 to 10, as a network produces."""
    rng = np.random.default_rng(seed)
    scale = np.logspace(-5, 1, SIZE)
    return [rng.normal(size=SIZE) * scale for _ in range(STEPS)]


def engine_updates(name, grads, dtype):
    opt = make_optimizer(name, SIZE, dtype, SETTINGS)
    updates = []
    for g in grads:
        g = g.astype(dtype)
        seen = g.copy()
        u = opt.update(g)
        assert u.dtype == dtype
        np.testing.assert_array_equal(g, seen, err_msg="update must not change the gradient (the gradient view shows it)")
        updates.append(u.copy())  # the optimiser reuses its buffer
    return updates


def test_every_optimizer_has_a_reference():
    assert set(OPTIMIZER_NAMES) == {"sgd", "momentum", "nesterov", "rmsprop", "adam"}


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 2e-5)])
@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_updates_match_the_reference(name, dtype, rtol):
    grads = gradients()
    expected = reference_updates(name, grads, SETTINGS)
    for step, (got, want) in enumerate(zip(engine_updates(name, grads, dtype), expected), start=1):
        np.testing.assert_allclose(got, want, rtol=rtol, atol=0, err_msg=f"{name}, step {step}")


def quadratic(seed: int = 1):
    """f(p) = ½ pᵀAp − bᵀp with A symmetric positive definite; returns f, ∇f and the minimiser."""
    rng = np.random.default_rng(seed)
    q = rng.normal(size=(SIZE, SIZE))
    a = q.T @ q / SIZE + np.eye(SIZE)
    b = rng.normal(size=SIZE)
    return (lambda p: 0.5 * p @ a @ p - b @ p), (lambda p: a @ p - b), np.linalg.solve(a, b)


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_a_step_goes_downhill_and_many_reach_the_minimum(name):
    f, grad, best = quadratic()
    opt = make_optimizer(name, SIZE, np.float64, OptimizerSettings(lr=0.01))
    start = np.random.default_rng(2).normal(0.0, 3.0, SIZE)
    p = start - opt.update(grad(start))
    assert f(p) < f(start)
    for _ in range(3000):
        p -= opt.update(grad(p))
    assert np.linalg.norm(p - best) < 0.05 * np.linalg.norm(start - best)


def test_unknown_optimizer_names_the_known_ones():
    with pytest.raises(KeyError, match="adagrad.*known: sgd, momentum, nesterov, rmsprop, adam"):
        make_optimizer("adagrad", SIZE, np.float32, SETTINGS)
