"""The document: the one source of truth for the network that is open.

It holds the spec, the parameters (a :class:`~nnviz.core.network.Network`), the
training settings and history, the probe input, the file path and the undo
stack (whose clean state is the "saved" state). Views read it and listen to
its signals; every user edit goes through :mod:`nnviz.ui.model.commands`, never by
writing the document directly, so that it can be undone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ...core import Network, NetworkSpec, TrainConfig
from ...core.fileformat import NetworkFile, load, save
from ...core.training import History


@dataclass(frozen=True)
class Selection:
    """What is selected: a layer (``-1`` = the input column), optionally one neuron of it."""

    layer: int | None = None
    neuron: int | None = None


@dataclass
class NetworkState:
    """Everything an undoable edit may change: the spec and the parameters."""

    spec: NetworkSpec
    params: list[dict[str, np.ndarray]] = field(default_factory=list)
    history: History | None = None  # set by edits that also change the history (Reset)


class Document(QObject):
    spec_changed = Signal()  # layers added, removed, moved or edited (params changed too)
    params_changed = Signal()  # weights changed, structure unchanged
    selection_changed = Signal(object)  # Selection
    probe_changed = Signal()
    dirty_changed = Signal(bool)
    path_changed = Signal(object)  # Path | None
    training_changed = Signal()  # the training settings
    history_changed = Signal()
    dataset_changed = Signal()  # the dataset description or the loaded data

    def __init__(self, nf: NetworkFile | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.path: Path | None = None
        self._modified = False  # changed outside the undo stack (training)
        self.selection = Selection()
        self._trace = None
        self._reset(nf or default_network_file())

    def _clean_changed(self, clean: bool) -> None:
        # A method, not a lambda: Qt drops the connection when the document dies, before the
        # undo stack (its child) is cleared on destruction, which would emit into a dead object.
        self.dirty_changed.emit(self.dirty)

    # -- whole-document changes (not undoable: they start a new history) -------

    def _reset(self, nf: NetworkFile) -> None:
        self.file = nf
        self.network = nf.build_network()
        self.training: TrainConfig = nf.training
        self.history: History = nf.history
        self.dataset_record: dict | None = nf.dataset
        self.data = None  # the loaded Dataset (training panel), or None
        self._modified = False
        self.probe = np.ones(nf.spec.inputs)
        self.selection = Selection()
        self._trace = None
        self.undo_stack.clear()
        self.spec_changed.emit()
        self.probe_changed.emit()
        self.selection_changed.emit(self.selection)
        self.training_changed.emit()
        self.history_changed.emit()
        self.dataset_changed.emit()
        self.dirty_changed.emit(False)

    def open(self, path) -> None:
        """Load ``path``; raises :class:`~nnviz.core.fileformat.FileFormatError` and changes nothing on failure."""
        nf = load(path)
        self._reset(nf)
        self.path = Path(path)
        self.path_changed.emit(self.path)

    def new(self, nf: NetworkFile | None = None) -> None:
        self._reset(nf or default_network_file())
        self.path = None
        self.path_changed.emit(None)

    def save(self, path=None) -> None:
        """Write the document (atomically) to ``path`` or its own path; marks it clean."""
        path = Path(path or self.path)
        save(self.to_file(), path)
        self.path = path
        self._modified = False
        self.undo_stack.setClean()
        self.dirty_changed.emit(False)
        self.path_changed.emit(path)

    def to_file(self) -> NetworkFile:
        return replace(
            self.file,
            spec=self.spec,
            params=self.network.copy_params(),
            training=self.training,
            history=self.history,
            dataset=self.dataset_record,
        )

    # -- state ---------------------------------------------------------------

    @property
    def spec(self) -> NetworkSpec:
        return self.network.spec

    @property
    def dirty(self) -> bool:
        return self._modified or not self.undo_stack.isClean()

    def mark_modified(self) -> None:
        """Record a change made outside the undo stack (training) as unsaved."""
        if not self._modified:
            self._modified = True
            self.dirty_changed.emit(True)

    def set_training(self, config: TrainConfig) -> None:
        """New training settings (validated by the caller's widgets)."""
        if config != self.training:
            config.validate()
            self.training = config
            self.mark_modified()
            self.training_changed.emit()

    def set_dataset(self, record: dict | None, data=None) -> None:
        """The dataset to train on: its description (saved in the file) and, once loaded, the data."""
        self.dataset_record = record
        self.data = data
        self.mark_modified()
        self.dataset_changed.emit()

    def set_standardization(self, standardization) -> None:
        """How raw inputs map to what the network was trained on (saved with the file, used by the probe)."""
        if standardization is not self.file.standardization:
            self.file.standardization = standardization
            self._trace = None
            self.mark_modified()
            self.probe_changed.emit()

    def apply_training(self, params, new_epochs: History | None = None) -> None:
        """Weights and newly completed epochs from a training run (not an undoable edit, but unsaved).

        The history grows in place: views that follow it read only the new rows.
        """
        self.network.load_params(params)
        self._trace = None
        self.mark_modified()
        self.params_changed.emit()
        if new_epochs is not None and len(new_epochs):  # most updates fall within an epoch
            self.history.extend(new_epochs)
            self.history_changed.emit()

    @property
    def title(self) -> str:
        return self.path.name if self.path else (self.spec.name or "Untitled")

    def state(self, with_history: bool = False) -> NetworkState:
        history = History.from_dict(self.history.to_dict()) if with_history else None
        return NetworkState(self.spec, self.network.copy_params(), history)

    def set_state(self, state: NetworkState) -> None:
        """Replace spec and parameters (used by undo commands)."""
        structural = state.spec != self.spec
        if structural:
            self.network = Network(state.spec, seed=self.training.seed, dtype=self.network.dtype)
        self.network.load_params(state.params)
        self._trace = None
        if state.history is not None:
            self.history = History.from_dict(state.history.to_dict())
            self.history_changed.emit()
        if structural:
            if len(self.probe) != state.spec.inputs:
                self.probe = np.resize(self.probe, state.spec.inputs) if len(self.probe) else np.ones(state.spec.inputs)
                self.probe_changed.emit()
            self._clamp_selection()
            self.spec_changed.emit()
        else:
            self.params_changed.emit()

    def _clamp_selection(self) -> None:
        sel = self.selection
        if sel.layer is not None and sel.layer >= len(self.spec.layers):
            self.select(Selection())

    def select(self, selection: Selection) -> None:
        if selection != self.selection:
            self.selection = selection
            self.selection_changed.emit(selection)

    def set_probe(self, values) -> None:
        values = np.asarray(values, dtype=np.float64)
        if values.shape != (self.spec.inputs,):
            raise ValueError(f"the probe needs {self.spec.inputs} values, got {values.shape}")
        self.probe = values
        self._trace = None
        self.probe_changed.emit()

    @property
    def standardization(self):
        """How raw inputs map to what the network was trained on (None: fed as they are)."""
        return self.file.standardization

    def standardize(self, raw) -> np.ndarray:
        """Raw input values (the probe, a point of the input plane) as the network sees them."""
        x = np.asarray(raw, dtype=np.float64)
        return x if self.standardization is None else np.asarray(self.standardization.apply(x), dtype=np.float64)

    def trace(self) -> list[dict[str, np.ndarray]]:
        """Weighted sums and activations of every layer for the probe input (cached)."""
        if self._trace is None:
            self._trace = self.network.trace(self.standardize(self.probe)[None, :])
        return self._trace


def default_network_file() -> NetworkFile:
    """The network a first launch shows: a small 2-4-4-1 classifier."""
    from ...core.spec import DenseSpec

    spec = NetworkSpec(2, (DenseSpec(4, "relu"), DenseSpec(4, "relu"), DenseSpec(1, "sigmoid")), name="2-4-4-1")
    return NetworkFile(spec=spec, params=[None] * len(spec.layers))
