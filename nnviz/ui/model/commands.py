"""Every edit a user makes, as an undoable command on the document.

Each edit computes the parts of the document it changes (a layer edit: the
spec and the parameters, keeping the weights that still fit:
:func:`nnviz.core.editing.carry_params`; a setting: the training settings) and
pushes one :class:`Change` holding those parts before and after. Undo and redo
just swap them, so every edit undoes exactly, including the weights.
"""

from __future__ import annotations

import bisect

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from ...core import Network, TrainConfig
from ...core import memory
from ...core.datasets import Dataset
from ...core.project import DatasetRecord
from ...core.editing import carry_params
from ...core.figure.style import FigureStyle
from ...core.training import History
from .document import Document, HistoryRows
from ...core.spec import LayerSpec, NetworkSpec


class Change(QUndoCommand):
    """Swap parts of the document between two states. Changes with the same ``merge_key`` in a row merge into one step."""

    def __init__(self, doc: Document, before: dict, after: dict, text: str, merge_key=None):
        super().__init__(text)
        self.doc = doc
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def redo(self):
        self.doc.restore(self.after)

    def undo(self):
        self.doc.restore(self.before)

    def id(self):
        return 1 if self.merge_key is not None else -1

    def mergeWith(self, other):
        if not isinstance(other, Change) or other.merge_key != self.merge_key:
            return False
        # Parts either step changed: the earliest "before" and the latest "after" of each.
        self.before = other.before | self.before
        self.after = self.after | other.after
        return True


def _push(doc: Document, after: dict, text: str, merge_key=None) -> None:
    doc.undo_stack.push(Change(doc, doc.state(*after), after, text, merge_key))


# Copies of the parameters an edit keeps besides the network: its undo step's before and after.
EDIT_COPIES = 2


def fits_in_memory(doc: Document, spec: NetworkSpec) -> bool:
    """Whether the network ``spec`` describes fits in nnviz's memory budget (with its undo step's copies).

    When it does not, nothing is allocated: the document emits
    :attr:`~Document.edit_refused` with a message naming the size and the
    layer, and the views show the network as it still is.
    """
    try:
        memory.check(memory.estimate(spec, dtype=doc.project.network.dtype, copies=EDIT_COPIES), "The new network")
    except memory.MemoryBudgetError as exc:
        doc.edit_refused.emit(QCoreApplication.translate("commands", "{0}. The network is unchanged.").format(exc))
        return False
    return True


def _push_structure(doc: Document, spec: NetworkSpec, origin: list[int | None], text: str, merge_key=None) -> bool:
    spec.validate()  # a programmer error if an edit builds an invalid spec: the views validate input first
    if not fits_in_memory(doc, spec):
        return False
    params = carry_params(doc.network, spec, origin, seed=doc.training.seed)
    _push(doc, {"spec": spec, "params": params}, text, merge_key)
    return True


def insert_layer(doc: Document, index: int, layer: LayerSpec) -> bool:
    """Insert ``layer`` so that it becomes ``doc.spec.layers[index]``; False if refused (see :func:`fits_in_memory`)."""
    layers = list(doc.spec.layers)
    index = max(0, min(index, len(layers)))
    layers.insert(index, layer)
    origin: list[int | None] = list(range(len(doc.spec.layers)))
    origin.insert(index, None)
    return _push_structure(doc, replace(doc.spec, layers=tuple(layers)), origin,
                           QCoreApplication.translate("commands", "Add {0}").format(describe(layer)))


def remove_layer(doc: Document, index: int) -> None:
    if len(doc.spec.layers) <= 1:
        return  # a network keeps at least its output layer
    layers = list(doc.spec.layers)
    removed = layers.pop(index)
    origin = [i for i in range(len(doc.spec.layers)) if i != index]
    _push_structure(doc, replace(doc.spec, layers=tuple(layers)), origin,
                    QCoreApplication.translate("commands", "Delete {0}").format(describe(removed)))


def duplicate_layer(doc: Document, index: int) -> bool:
    """Insert a copy of layer ``index`` (with its weights where they fit) right after it; False if refused."""
    layers = list(doc.spec.layers)
    layers.insert(index + 1, layers[index])
    origin: list[int | None] = list(range(len(doc.spec.layers)))
    origin.insert(index + 1, index)
    return _push_structure(doc, replace(doc.spec, layers=tuple(layers)), origin,
                           QCoreApplication.translate("commands", "Duplicate {0}").format(describe(layers[index])))


def move_layer(doc: Document, src: int, dst: int) -> None:
    """Move layer ``src`` so that it ends at index ``dst`` (one undo step)."""
    n = len(doc.spec.layers)
    dst = max(0, min(dst, n - 1))
    if src == dst:
        return
    origin = list(range(n))
    origin.insert(dst, origin.pop(src))
    layers = [doc.spec.layers[i] for i in origin]
    _push_structure(doc, replace(doc.spec, layers=tuple(layers)), origin,
                     QCoreApplication.translate("commands", "Move {0}").format(describe(doc.spec.layers[src])))


def update_layer(doc: Document, index: int, layer: LayerSpec, merge: bool = True) -> None:
    """Replace layer ``index``'s settings (units, activation, …), keeping the weights that fit.

    Consecutive changes of the same layer's same setting (spin-box clicks)
    merge into one undo step.
    """
    old = doc.spec.layers[index]
    if layer == old:
        return
    changed = [f for f in vars(layer) if getattr(layer, f) != getattr(old, f, None)]
    key = ("layer", index, tuple(changed)) if merge else None
    # The fields' own names (units, activation): the spec's words, as the file has them.
    text = QCoreApplication.translate("commands", "Change {0} of layer {1}").format(", ".join(changed), index + 1)
    _push_structure(doc, doc.spec.with_layer(index, layer), list(range(len(doc.spec.layers))), text, key)


def reinitialize_layer(doc: Document, index: int, layer: LayerSpec | None = None, seed: int | None = None) -> None:
    """Draw layer ``index``'s parameters afresh from its initialiser (with new settings ``layer`` if given).

    One undo step; every other layer keeps its parameters. ``seed`` defaults to
    a new random one, so that each call gives different weights.
    """
    spec = doc.spec if layer is None else doc.spec.with_layer(index, layer)
    spec.validate()
    if not fits_in_memory(doc, spec):
        return
    origin: list[int | None] = list(range(len(spec.layers)))
    origin[index] = None
    if seed is None:
        seed = int(np.random.default_rng().integers(2**32))
    params = carry_params(doc.network, spec, origin, seed=seed)
    _push(doc, {"spec": spec, "params": params},
          QCoreApplication.translate("commands", "Re-initialise layer {0}").format(index + 1))


def set_inputs(doc: Document, inputs: int) -> None:
    """Change the input width, keeping the first layer's weights that still fit."""
    if inputs == doc.spec.inputs:
        return
    spec = replace(doc.spec, inputs=inputs)
    _push_structure(doc, spec, list(range(len(spec.layers))), QCoreApplication.translate("commands", "Change inputs"),
                    ("inputs",))


def set_parameter(doc: Document, layer: int, name: str, index: tuple[int, ...], value: float) -> None:
    """Set one parameter (a weight, a bias, …) of layer ``layer``."""
    params = doc.network.copy_params()
    params[layer][name][index] = value
    # Another parameter is named as the network names it ("bias", "gamma").
    text = (QCoreApplication.translate("commands", "Edit weight of layer {0}").format(layer + 1) if name == "weights"
            else QCoreApplication.translate("commands", "Edit {0} of layer {1}").format(name, layer + 1))
    _push(doc, {"params": params}, text, ("param", layer, name, index))


def describe(layer: LayerSpec) -> str:
    """Short human name of a layer: "Dense 8 relu", "Dropout 0.5", "BatchNorm"."""
    if layer.kind == "dense":
        return QCoreApplication.translate("commands", "Dense {0} {1}").format(layer.units, layer.activation)
    if layer.kind == "dropout":
        return QCoreApplication.translate("commands", "Dropout {0}").format(f"{layer.rate:g}")
    if layer.activation != "linear":
        return QCoreApplication.translate("commands", "BatchNorm {0}").format(layer.activation)
    return QCoreApplication.translate("commands", "BatchNorm")


def reset_training(doc: Document, seed: int | None = None) -> None:
    """Re-initialise every weight and clear the training history: one undo step."""
    seed = doc.training.seed if seed is None else seed
    fresh = Network(doc.spec, seed=seed, dtype=doc.network.dtype).copy_params()
    _push(doc, {"params": fresh, "history": History()}, QCoreApplication.translate("commands", "Reset training"))


def set_probe(doc: Document, values) -> None:
    """Set the probe input (raw values, one per input); typing in a row merges into one step."""
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (doc.spec.inputs,):
        raise ValueError(f"the probe needs {doc.spec.inputs} values, got {values.shape}")
    if not np.array_equal(values, doc.probe):
        _push(doc, {"probe": values}, QCoreApplication.translate("commands", "Change probe input"), ("probe",))


def set_training(doc: Document, config: TrainConfig) -> None:
    """New training settings; changes of the same setting in a row (spin-box clicks) merge into one step."""
    if config == doc.training:
        return
    config.validate()
    changed = tuple(f for f in vars(config) if getattr(config, f) != getattr(doc.training, f))
    names = ", ".join(f.replace("_", " ") for f in changed)  # the settings' own field names
    _push(doc, {"training": config}, QCoreApplication.translate("commands", "Change {0}").format(names),
          ("training", changed))


def set_figure_style(doc: Document, style: FigureStyle) -> None:
    """How the document's figures look (File ▸ Export Image…'s choices): one undo step, saved with the file."""
    if style != doc.project.figure_style:
        _push(doc, {"figure_style": style}, QCoreApplication.translate("commands", "Change figure style"))


def set_dataset(doc: Document, record: DatasetRecord | None, data: Dataset | None) -> None:
    """Train on another dataset: its record and loaded data, and what training on it records in the file
    (its standardisation and names, as ``nnviz train`` records them)."""
    if record == doc.dataset_record and data is doc.data:
        return
    after = {"dataset": record, "data": data}
    if record is not None and data is not None:
        after |= doc.project.adoption(data, record)
    text = (QCoreApplication.translate("commands", "Use {0} data").format(record.name) if record is not None
            else QCoreApplication.translate("commands", "Use no data"))
    _push(doc, after, text)


def adopt_data(doc: Document, data: Dataset, run: int) -> None:
    """Before run ``run`` trains on ``data``: record its standardisation and names, as ``nnviz train`` does
    (nothing when the document already has them). Part of the run's undo step."""
    after = doc.project.adoption(data, doc.dataset_record)
    before = doc.state(*after)
    if after["standardization"] is not before["standardization"] or any(
            after[k] != before[k] for k in after if k != "standardization"):
        doc.undo_stack.push(Change(doc, before, after, QCoreApplication.translate("commands", "Train"), ("run", run)))


def apply_run(doc: Document, params, epochs: History, offset: int, run: int) -> None:
    """A run's newest weights (None: unchanged) and its epochs completed since the last call (numbered
    from 1 within the run, appended after ``offset``, the epochs done when the run started).

    The parts of one run merge into one undo step: Undo takes the network
    back to before the run.
    """
    before = doc.state("history") if params is None else doc.state("params", "history")
    # The history grows in place: "before" still means its first rows (see HistoryRows), and
    # no update copies a long history.
    doc.history.extend(epochs, offset)
    after = doc.state("history") if params is None else {"params": params, "history": doc.state("history")["history"]}
    doc.undo_stack.push(Change(doc, before, after, QCoreApplication.translate("commands", "Train"), ("run", run)))


def continue_from(doc: Document, epoch: int, params, run: int) -> None:
    """Go back to the weights kept at ``epoch`` and cut the history there, as the first part of run ``run``
    (which merges into the same undo step: Undo returns to the history and weights before)."""
    rows = bisect.bisect_right(doc.history.epoch, epoch)
    before = doc.state("params", "history")
    after = {"params": params, "history": HistoryRows(doc.history, rows)}
    text = QCoreApplication.translate("commands", "Continue from epoch {0}").format(f"{epoch:,}")
    doc.undo_stack.push(Change(doc, before, after, text, ("run", run)))
