"""Weight initialisers: ``init(rng, fan_in, fan_out) -> array (fan_in, fan_out)`` in float64.

Biases start at zero; the engine casts to the training dtype.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .i18n import QT_TRANSLATE_NOOP

Initializer = Callable[[np.random.Generator, int, int], np.ndarray]


def zeros(rng, fan_in, fan_out):
    return np.zeros((fan_in, fan_out))


def uniform(rng, fan_in, fan_out):
    """U(-0.5, 0.5), the classic textbook start."""
    return rng.uniform(-0.5, 0.5, (fan_in, fan_out))


def normal(rng, fan_in, fan_out):
    """N(0, 0.05²), Keras' RandomNormal default."""
    return rng.normal(0.0, 0.05, (fan_in, fan_out))


def xavier_uniform(rng, fan_in, fan_out):
    """Glorot & Bengio (2010): U(-l, l) with l = sqrt(6 / (fan_in + fan_out))."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out))


def xavier_normal(rng, fan_in, fan_out):
    """Glorot & Bengio (2010): N(0, 2 / (fan_in + fan_out))."""
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), (fan_in, fan_out))


def he_uniform(rng, fan_in, fan_out):
    """He et al. (2015), for ReLU: U(-l, l) with l = sqrt(6 / fan_in)."""
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, (fan_in, fan_out))


def he_normal(rng, fan_in, fan_out):
    """He et al. (2015), for ReLU: N(0, 2 / fan_in)."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, fan_out))


INITIALIZERS: dict[str, Initializer] = {
    "zeros": zeros,
    "uniform": uniform,
    "normal": normal,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "glorot_uniform": xavier_uniform,
    "glorot_normal": xavier_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
}

# How the window names each initialiser, and what it says of it (the glorot_* aliases are shown as xavier_*).
INITIALIZER_LABELS = {
    "he_uniform": QT_TRANSLATE_NOOP("nnviz.core", "He uniform"),
    "he_normal": QT_TRANSLATE_NOOP("nnviz.core", "He normal"),
    "xavier_uniform": QT_TRANSLATE_NOOP("nnviz.core", "Xavier uniform"),
    "xavier_normal": QT_TRANSLATE_NOOP("nnviz.core", "Xavier normal"),
    "uniform": QT_TRANSLATE_NOOP("nnviz.core", "Uniform ±0.5"),
    "normal": QT_TRANSLATE_NOOP("nnviz.core", "Normal σ 0.05"),
    "zeros": QT_TRANSLATE_NOOP("nnviz.core", "Zeros"),
}
INITIALIZER_TIPS = {
    "he_uniform": QT_TRANSLATE_NOOP(
        "nnviz.core", "He et al. (2015): sized for ReLU-like activations, so signals keep their scale through many layers."),
    "he_normal": QT_TRANSLATE_NOOP(
        "nnviz.core", "He et al. (2015), drawn from a normal distribution; made for ReLU-like activations."),
    "xavier_uniform": QT_TRANSLATE_NOOP("nnviz.core", "Glorot and Bengio (2010): sized for tanh and sigmoid layers."),
    "xavier_normal": QT_TRANSLATE_NOOP(
        "nnviz.core", "Glorot and Bengio (2010), drawn from a normal distribution; for tanh and sigmoid layers."),
    "uniform": QT_TRANSLATE_NOOP("nnviz.core", "Every weight drawn between −0.5 and 0.5, the classic textbook start."),
    "normal": QT_TRANSLATE_NOOP("nnviz.core", "Small normal weights (standard deviation 0.05), Keras' old default."),
    "zeros": QT_TRANSLATE_NOOP(
        "nnviz.core", "Every weight starts at 0: the units start as copies of each other (try it and watch)."),
}
