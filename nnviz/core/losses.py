"""Loss functions. Reductions are means, as PyTorch's defaults.

- ``mse``: mean over all elements of (a - y)².
- ``bce`` (binary cross-entropy): mean over all elements.
- ``cce`` (categorical cross-entropy): sum over classes, mean over samples.

When the output activation is the loss's natural partner (sigmoid with bce,
softmax with cce) the engine uses the *fused* form, computed from the
weighted sums ``z``: exact for any ``z`` and the gradient is simply
``(a - y) / n``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .i18n import QT_TRANSLATE_NOOP

# Display names, marked for the window's translations (the command line and lint messages print them as they are).
LOSS_LABELS = {"mse": QT_TRANSLATE_NOOP("nnviz.core", "mean squared error"),
               "bce": QT_TRANSLATE_NOOP("nnviz.core", "binary cross-entropy"),
               "cce": QT_TRANSLATE_NOOP("nnviz.core", "categorical cross-entropy")}
# Probabilities are kept this far from 0 and 1 when a cross-entropy has to be
# taken of an activation that is not its partner (e.g. bce after tanh).
_CLIP = 1e-7


@dataclass(frozen=True)
class Loss:
    """``value(a, y)`` and ``grad(a, y)`` = dL/da; ``fused`` works from ``z`` of its ``partner``.

    ``both(a, y)``, when given, returns ``(value, grad)`` sharing their common
    work; :meth:`value_and_grad` falls back to the two calls.
    """

    name: str
    value: Callable[[np.ndarray, np.ndarray], float]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]
    partner: str | None = None
    fused_value: Callable[[np.ndarray, np.ndarray], float] | None = None
    both: Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]] | None = None

    def value_and_grad(self, a: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """``(value(a, y), grad(a, y))``, the same numbers as the two calls."""
        if self.both is not None:
            return self.both(a, y)
        return self.value(a, y), self.grad(a, y)


def _mse_value(a, y):
    d = a - y
    return float(np.vdot(d, d)) / d.size


def _mse_grad(a, y):
    d = a - y
    d *= 2.0 / d.size
    return d


def _mse_both(a, y):
    d = a - y
    value = float(np.vdot(d, d)) / d.size
    d *= 2.0 / d.size
    return value, d


def _clip(a):
    return np.clip(a, _CLIP, 1 - _CLIP)


def _bce_value(a, y):
    a = _clip(a)
    return -float(np.sum(y * np.log(a) + (1 - y) * np.log1p(-a))) / a.size


def _bce_grad(a, y):
    a = _clip(a)
    return (a - y) / (a * (1 - a) * a.size)


def _bce_fused_value(z, y):
    # log(1 + exp(-|z|)) form: no overflow for any z.
    return float(np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))) / z.size


def _cce_value(a, y):
    return -float(np.vdot(y, np.log(_clip(a)))) / len(a)


def _cce_grad(a, y):
    return -y / (_clip(a) * len(a))


def _cce_fused_value(z, y):
    # -sum(y * log_softmax(z)) with log_softmax = z - logsumexp(z); rows of y sum to 1.
    m = z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(z - m).sum(axis=1, keepdims=True)) + m
    return float(np.vdot(y.sum(axis=1, keepdims=True), lse) - np.vdot(y, z)) / len(z)


LOSSES: dict[str, Loss] = {
    "mse": Loss("mse", _mse_value, _mse_grad, both=_mse_both),
    "bce": Loss("bce", _bce_value, _bce_grad, "sigmoid", _bce_fused_value),
    "cce": Loss("cce", _cce_value, _cce_grad, "softmax", _cce_fused_value),
}


class LossError(ValueError):
    """A loss that cannot be taken of the targets; ``str()`` says which loss to choose instead."""


def _range(y: np.ndarray) -> str:
    return f"{float(y.min()):.4g} to {float(y.max()):.4g}"


def loss_misfit(loss: str, y) -> str | None:
    """Why ``loss`` cannot be taken of the targets ``y`` (rows × outputs), or ``None`` when it can.

    Mean squared error takes any finite targets. Binary cross-entropy takes
    targets from 0 to 1 (0/1 labels, or probabilities); categorical
    cross-entropy takes rows of such values that sum to 1 (one class per row,
    one-hot). Outside that, a cross-entropy is not a loss at all: it goes below
    zero and training drives it towards minus infinity.
    """
    if loss == "mse":
        return None
    y = np.asarray(y)
    if y.ndim == 1:
        y = y[:, None]
    if not y.size:
        return None
    label = LOSS_LABELS[loss]
    in_01 = bool(y.min() >= 0 and y.max() <= 1)
    if not in_01:
        return (f"{label} takes targets from 0 to 1 (class labels), and this data's targets run from {_range(y)}; "
                "choose mean squared error, or auto, which picks it for such targets")
    if loss == "cce":
        bad = int(np.count_nonzero(np.abs(y.sum(axis=1) - 1) > 1e-6))
        if bad:
            other = ("binary cross-entropy with a sigmoid output" if y.shape[1] == 1
                     else "binary cross-entropy (yes/no per output) or mean squared error")
            return (f"{label} takes one class per row (one-hot targets that sum to 1), and {bad} of {len(y)} "
                    f"rows here do not; choose {other}, or auto")
    return None


def auto_loss(output_activation: str, outputs: int, y=None, task: str | None = None) -> str:
    """The loss that fits an output activation and the targets.

    softmax (2+ outputs) → cce and sigmoid → bce, but mean squared error for a
    regression task or for targets ``y`` that cross-entropy cannot take (see
    :func:`loss_misfit`); any other output → mse. Without ``y`` and ``task``
    the pick follows the output activation alone.
    """
    if task == "regression":
        return "mse"
    if output_activation == "softmax" and outputs > 1:
        pick = "cce"
    elif output_activation == "sigmoid":
        pick = "bce"
    else:
        return "mse"
    return pick if y is None or loss_misfit(pick, y) is None else "mse"


def resolve_loss(name: str, output_activation: str, outputs: int, y=None, task: str | None = None) -> str:
    """``name`` itself, or the :func:`auto_loss` pick when ``name`` is "auto".

    Given targets ``y``, an explicit loss that cannot take them raises
    :class:`LossError` saying what to choose.
    """
    if name == "auto":
        return auto_loss(output_activation, outputs, y, task)
    if name not in LOSSES:
        raise KeyError(f"unknown loss {name!r}; known: auto, {', '.join(LOSSES)}")
    if y is not None:
        why = loss_misfit(name, y)
        if why is not None:
            raise LossError(why)
    return name
