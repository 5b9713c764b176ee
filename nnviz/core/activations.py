"""Activation functions and their exact derivatives.

Each activation maps the weighted sums ``z`` of a layer to its outputs ``a``;
``backward(grad_a, z, a)`` returns dL/dz given dL/da. Both ``z`` and ``a`` are
passed so that each derivative uses whichever is cheaper (tanh from ``a``,
ReLU from ``z``). ``backward`` may overwrite ``grad_a``: the engine never reuses it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .i18n import QT_TRANSLATE_NOOP

LEAKY_SLOPE = 0.01  # PyTorch's default negative slope
ELU_ALPHA = 1.0
_GELU_C = math.sqrt(2.0 / math.pi)


@dataclass(frozen=True)
class Activation:
    """An activation function: ``forward(z)`` and ``backward(grad_a, z, a)``."""

    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    backward: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    elementwise: bool = True
    description: str = ""


def _linear_fwd(z):
    return z


def _linear_bwd(g, z, a):
    return g


def _relu_fwd(z):
    return np.maximum(z, 0, dtype=z.dtype)


def _relu_bwd(g, z, a):
    return np.multiply(g, z > 0, out=g)


def _leaky_fwd(z):
    return np.where(z > 0, z, z * z.dtype.type(LEAKY_SLOPE))


def _leaky_bwd(g, z, a):
    return np.multiply(g, np.where(z > 0, z.dtype.type(1), z.dtype.type(LEAKY_SLOPE)), out=g)


def _elu_fwd(z):
    # expm1 of the clipped value: no overflow warning for large positive z.
    return np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0)))


def _elu_bwd(g, z, a):
    return np.multiply(g, np.where(z > 0, z.dtype.type(1), a + z.dtype.type(ELU_ALPHA)), out=g)


def _sigmoid_fwd(z):
    # The tanh form is exact and cannot overflow, unlike 1 / (1 + exp(-z)).
    a = np.multiply(z, 0.5, dtype=z.dtype)
    np.tanh(a, out=a)
    a += 1
    a *= 0.5
    return a


def _sigmoid_bwd(g, z, a):
    g *= a
    g *= 1 - a
    return g


def _tanh_fwd(z):
    return np.tanh(z)


def _tanh_bwd(g, z, a):
    s = a * a
    np.subtract(1, s, out=s)
    return np.multiply(g, s, out=g)


def _softmax_fwd(z):
    e = z - z.max(axis=-1, keepdims=True)
    np.exp(e, out=e)
    e /= e.sum(axis=-1, keepdims=True)
    return e


def _softmax_bwd(g, z, a):
    # Jacobian-vector product of softmax: a * (g - <g, a>).
    dot = np.einsum("ij,ij->i", g, a)[:, None]
    g -= dot
    g *= a
    return g


def _gelu_inner(z):
    return _GELU_C * (z + 0.044715 * z**3)


def _gelu_fwd(z):
    return 0.5 * z * (1.0 + np.tanh(_gelu_inner(z)))


def _gelu_bwd(g, z, a):
    t = np.tanh(_gelu_inner(z))
    d = 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * _GELU_C * (1.0 + 3 * 0.044715 * z * z)
    return np.multiply(g, d.astype(z.dtype, copy=False), out=g)


def _swish_fwd(z):
    return z * _sigmoid_fwd(z)


def _swish_bwd(g, z, a):
    s = _sigmoid_fwd(z)
    # d/dz z*s(z) = s + z*s*(1-s) = s + a*(1-s)
    return np.multiply(g, s + a * (1 - s), out=g)


ACTIVATIONS: dict[str, Activation] = {
    act.name: act
    for act in (
        Activation("linear", _linear_fwd, _linear_bwd,
                   description=QT_TRANSLATE_NOOP("nnviz.core", "Passes the weighted sum through unchanged.")),
        Activation("relu", _relu_fwd, _relu_bwd,
                   description=QT_TRANSLATE_NOOP("nnviz.core", "max(0, z): fast and the usual default for hidden layers.")),
        Activation(
            "leaky_relu",
            _leaky_fwd,
            _leaky_bwd,
            # The slope written out (LEAKY_SLOPE): a marked text is a literal, and a test keeps the two equal.
            description=QT_TRANSLATE_NOOP(
                "nnviz.core", "Like ReLU but lets 0.01·z through for z < 0, so units cannot die."),
        ),
        Activation("elu", _elu_fwd, _elu_bwd,
                   description=QT_TRANSLATE_NOOP(
                       "nnviz.core", "z for z > 0, exp(z) − 1 below: smooth, with negative outputs.")),
        Activation("sigmoid", _sigmoid_fwd, _sigmoid_bwd,
                   description=QT_TRANSLATE_NOOP("nnviz.core", "Squashes to (0, 1); the output of a yes/no classifier.")),
        Activation("tanh", _tanh_fwd, _tanh_bwd,
                   description=QT_TRANSLATE_NOOP("nnviz.core", "Squashes to (−1, 1), centred on zero.")),
        Activation(
            "softmax",
            _softmax_fwd,
            _softmax_bwd,
            elementwise=False,
            description=QT_TRANSLATE_NOOP(
                "nnviz.core", "Turns a layer into probabilities that sum to 1; the output of a multi-class classifier."),
        ),
        Activation("gelu", _gelu_fwd, _gelu_bwd,
                   description=QT_TRANSLATE_NOOP(
                       "nnviz.core", "Gaussian error linear unit (tanh approximation), as in transformers.")),
        Activation("swish", _swish_fwd, _swish_bwd,
                   description=QT_TRANSLATE_NOOP("nnviz.core", "z·sigmoid(z) (also called SiLU): smooth, ReLU-like.")),
    )
}
ACTIVATIONS["silu"] = ACTIVATIONS["swish"]

# How the window names each activation ("silu" is shown as "swish").
ACTIVATION_LABELS = {
    "relu": QT_TRANSLATE_NOOP("nnviz.core", "ReLU"),
    "leaky_relu": QT_TRANSLATE_NOOP("nnviz.core", "Leaky ReLU"),
    "elu": QT_TRANSLATE_NOOP("nnviz.core", "ELU"),
    "gelu": QT_TRANSLATE_NOOP("nnviz.core", "GELU"),
    "swish": QT_TRANSLATE_NOOP("nnviz.core", "Swish (SiLU)"),
    "tanh": QT_TRANSLATE_NOOP("nnviz.core", "tanh"),
    "sigmoid": QT_TRANSLATE_NOOP("nnviz.core", "sigmoid"),
    "softmax": QT_TRANSLATE_NOOP("nnviz.core", "softmax"),
    "linear": QT_TRANSLATE_NOOP("nnviz.core", "linear"),
}


def get_activation(name: str) -> Activation:
    """The activation called ``name``; ``KeyError`` lists the known names."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise KeyError(f"unknown activation {name!r}; known: {', '.join(ACTIVATIONS)}") from None
