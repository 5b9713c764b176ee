"""How the editor names layers, activations and initialisers to a person ("ReLU", "He uniform", "Batch norm").

Plain Python: the palette, the layer cards and the inspector show the same
words. The labels of activations and initialisers are words of :mod:`nnviz.core`
(marked there for translators); the functions here give them in the window's language.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ...core.activations import ACTIVATION_LABELS, ACTIVATIONS
from ...core.initializers import INITIALIZER_LABELS, INITIALIZER_TIPS
from ..translation import core_text

__all__ = ["ACTIVATION_LABELS", "ALIASES", "INITIALIZER_LABELS", "INITIALIZER_TIPS", "KIND_NAMES", "activation_label",
           "activation_tip", "initializer_label", "initializer_tip", "kind_name", "lower_first"]

# Aliases the file format accepts but the menus show under one name.
ALIASES = {"silu": "swish", "glorot_uniform": "xavier_uniform", "glorot_normal": "xavier_normal"}
# Marked for translators; shown through kind_name().
KIND_NAMES = {"dense": QT_TRANSLATE_NOOP("LayerNames", "Dense"), "dropout": QT_TRANSLATE_NOOP("LayerNames", "Dropout"),
              "batchnorm": QT_TRANSLATE_NOOP("LayerNames", "Batch norm"), "input": QT_TRANSLATE_NOOP("LayerNames", "Input")}


def activation_label(name: str) -> str:
    """How menus show an activation: "ReLU", "tanh", "Leaky ReLU"…"""
    name = ALIASES.get(name, name)
    return core_text(ACTIVATION_LABELS[name]) if name in ACTIVATION_LABELS else name


def activation_tip(name: str) -> str:
    """What an activation does, in a sentence ("" for a name nnviz does not know)."""
    name = ALIASES.get(name, name)
    return core_text(ACTIVATIONS[name].description) if name in ACTIVATIONS else ""


def initializer_label(name: str) -> str:
    """How menus show an initialiser: "He uniform", "Zeros"…"""
    name = ALIASES.get(name, name)
    return core_text(INITIALIZER_LABELS[name]) if name in INITIALIZER_LABELS else name


def initializer_tip(name: str) -> str:
    """What an initialiser is for, in a sentence ("" for a name nnviz does not know)."""
    name = ALIASES.get(name, name)
    return core_text(INITIALIZER_TIPS[name]) if name in INITIALIZER_TIPS else ""


def kind_name(kind: str) -> str:
    """How a layer kind is named: "Dense", "Batch norm"… (the kind itself for one nnviz does not know)."""
    return QCoreApplication.translate("LayerNames", KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def lower_first(text: str) -> str:
    """"Squashes to…" → "squashes to…" to follow a colon; names ("Gaussian", "ReLU") stay."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower() and first not in ("Gaussian",):
        return text[0].lower() + text[1:]
    return text
