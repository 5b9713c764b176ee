"""How the editor names layers, activations and initialisers to a person ("ReLU", "He uniform", "Batch norm").

Plain Python: the palette, the layer cards and the inspector show the same
words. (The file format's names are in :mod:`nnviz.core`; these are labels.)
"""

from __future__ import annotations

from ...core.activations import ACTIVATIONS

ACTIVATION_LABELS = {
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "elu": "ELU",
    "gelu": "GELU",
    "swish": "Swish (SiLU)",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "softmax": "softmax",
    "linear": "linear",
}
# Aliases the file format accepts but the menus show under one name.
ALIASES = {"silu": "swish", "glorot_uniform": "xavier_uniform", "glorot_normal": "xavier_normal"}

INITIALIZER_LABELS = {
    "he_uniform": "He uniform",
    "he_normal": "He normal",
    "xavier_uniform": "Xavier uniform",
    "xavier_normal": "Xavier normal",
    "uniform": "Uniform ±0.5",
    "normal": "Normal σ 0.05",
    "zeros": "Zeros",
}
INITIALIZER_TIPS = {
    "he_uniform": "He et al. (2015): sized for ReLU-like activations, so signals keep their scale through many layers.",
    "he_normal": "He et al. (2015), drawn from a normal distribution; made for ReLU-like activations.",
    "xavier_uniform": "Glorot and Bengio (2010): sized for tanh and sigmoid layers.",
    "xavier_normal": "Glorot and Bengio (2010), drawn from a normal distribution; for tanh and sigmoid layers.",
    "uniform": "Every weight drawn between −0.5 and 0.5, the classic textbook start.",
    "normal": "Small normal weights (standard deviation 0.05), Keras' old default.",
    "zeros": "Every weight starts at 0: the units start as copies of each other (try it and watch).",
}
KIND_NAMES = {"dense": "Dense", "dropout": "Dropout", "batchnorm": "Batch norm", "input": "Input"}


def activation_label(name: str) -> str:
    """How menus show an activation: "ReLU", "tanh", "Leaky ReLU"…"""
    name = ALIASES.get(name, name)
    return ACTIVATION_LABELS.get(name, name)


def activation_tip(name: str) -> str:
    """What an activation does, in a sentence ("" for a name nnviz does not know)."""
    name = ALIASES.get(name, name)
    return ACTIVATIONS[name].description if name in ACTIVATIONS else ""


def lower_first(text: str) -> str:
    """"Squashes to…" → "squashes to…" to follow a colon; names ("Gaussian", "ReLU") stay."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower() and first not in ("Gaussian",):
        return text[0].lower() + text[1:]
    return text
