"""The document: a thin Qt adapter over the open :class:`~nnviz.core.project.Project`.

The project (Qt-free, shared with the command line) holds everything a file
holds. The document adds what a window needs around it: signals that tell the
views what changed, the undo stack (whose clean state is the "saved" state),
the selection, and the loaded data of the project's dataset record.

Every user edit is a command (:mod:`nnviz.ui.model.commands`) that swaps
*parts* of the document's state: :meth:`Document.state` takes the named parts,
:meth:`Document.restore` puts them back and emits the signals of what changed.
No view writes the document's fields or emits its signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ...core.datasets import Dataset
from ...core.network import Network
from ...core.project import Project
from ...core.training import History

# The parts of the document an edit may change, in the order they are restored
# (the spec before the parameters that must fit it).
PARTS = ("spec", "params", "training", "dataset", "data", "history", "standardization", "input_names",
         "output_names", "probe", "figure_style")


@dataclass(frozen=True)
class HistoryRows:
    """The first ``rows`` epochs of ``history``: a history as an edit saw it, kept without a copy.

    A history only ever grows in place (a run appends epochs); anything else
    (Reset, Undo) puts another History object in its place. So the first rows
    of an object never change, and a run's many updates need no copies.
    """

    history: History
    rows: int

    def current(self) -> History:
        """The history to show: the object itself while it still has just these rows, else a copy of them."""
        h = self.history
        return h if len(h) == self.rows else h.rows(0, self.rows)


@dataclass(frozen=True)
class Selection:
    """What is selected: a layer (``-1`` = the input column), optionally one neuron of it."""

    layer: int | None = None
    neuron: int | None = None


class Document(QObject):
    spec_changed = Signal()  # layers added, removed, moved or edited (params changed too)
    params_changed = Signal()  # weights changed, structure unchanged
    selection_changed = Signal(object)  # Selection
    probe_changed = Signal()  # the probe input or how raw inputs are standardised
    names_changed = Signal()  # input or output names
    dirty_changed = Signal(bool)
    path_changed = Signal(object)  # Path | None
    training_changed = Signal()  # the training settings
    history_changed = Signal()
    dataset_changed = Signal()  # the dataset record or its loaded data
    replaced = Signal()  # a new or opened file: everything changed, and the undo history is gone
    moment_changed = Signal()  # the views show a kept moment of training, or the current weights again
    edit_refused = Signal(str)  # an edit was refused (too big for memory): why; the views show the document as it is
    figure_style_changed = Signal()  # how exported figures look (File ▸ Export Image…)

    def __init__(self, project: Project | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.selection = Selection()
        self._trace = None
        self._moment: tuple[int, Network] | None = None
        self._reset(project or Project.default())

    def _clean_changed(self, clean: bool) -> None:
        # A method, not a lambda: Qt drops the connection when the document dies, before the
        # undo stack (its child) is cleared on destruction, which would emit into a dead object.
        self.dirty_changed.emit(not clean)

    # -- whole-document changes (not undoable: they start a new history) -------

    def _reset(self, project: Project) -> None:
        self.project = project
        self._moment = None
        self.data: Dataset | None = None  # the loaded data of the dataset record (or the controls' preview)
        self.selection = Selection()
        self._trace = None
        self.undo_stack.clear()
        self.replaced.emit()
        for signal in (self.spec_changed, self.probe_changed, self.names_changed, self.training_changed,
                       self.history_changed, self.dataset_changed):
            signal.emit()
        self.selection_changed.emit(self.selection)
        self.dirty_changed.emit(False)
        self.path_changed.emit(project.path)

    def new(self, project: Project | None = None, *, unsaved: bool = False) -> None:
        """Start afresh with ``project`` (default: the first-launch network) and no undo history.

        ``project`` is built whole before this swap, so a file that cannot be read never touches
        the document. ``unsaved``: its content is not what its file holds (a restored autosave),
        so the document starts dirty.
        """
        self._reset(project or Project.default())
        if unsaved:
            self.undo_stack.resetClean()

    def save(self, path=None) -> None:
        """Write the document (atomically) to ``path`` or its own path; marks it clean.

        Raises :class:`OSError` or :class:`~nnviz.core.fileformat.FileFormatError`; nothing changes then.
        """
        self.project.save(path)
        self.undo_stack.setClean()
        self.path_changed.emit(self.project.path)

    # -- what views read ---------------------------------------------------------

    @property
    def spec(self):
        return self.project.spec

    @property
    def network(self) -> Network:
        """The network the views draw: the document's, or the one of a moment being looked at."""
        return self.project.network if self._moment is None else self._moment[1]

    @property
    def moment(self) -> int | None:
        """The epoch whose kept weights the views show instead of the current ones (None: the current)."""
        return None if self._moment is None else self._moment[0]

    def show_moment(self, epoch: int | None, params=None) -> None:
        """Show the weights ``params`` kept at ``epoch`` (not an edit: the file keeps its weights), or None
        to show the current weights again. Any edit returns to the current weights."""
        if epoch is None and self._moment is None:
            return
        if epoch is None:
            self._moment = None
        else:
            net = Network(self.spec, seed=self.training.seed, dtype=self.project.network.dtype)
            net.load_params(params)
            self._moment = (epoch, net)
        self._trace = None
        self.moment_changed.emit()
        self.params_changed.emit()

    @property
    def training(self):
        return self.project.training

    @property
    def history(self) -> History:
        return self.project.history

    @property
    def dataset_record(self):
        """The :class:`~nnviz.core.project.DatasetRecord` of the data to train on, or None."""
        return self.project.dataset

    @property
    def standardization(self):
        """How raw inputs map to what the network was trained on (None: fed as they are)."""
        return self.project.standardization

    @property
    def probe(self) -> np.ndarray:
        return self.project.probe

    @property
    def path(self) -> Path | None:
        return self.project.path

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def title(self) -> str:
        """The file's name once saved, else "Untitled". Not the network's name or shape: an edit
        would leave those behind ("2-4-4-1" on a 2-4-8-1 network)."""
        return self.path.name if self.path else self.tr("Untitled")

    def standardize(self, raw) -> np.ndarray:
        """Raw input values (the probe, a point of the input plane) as the network sees them."""
        return self.project.standardize(raw)

    def trace(self) -> list[dict[str, np.ndarray]]:
        """Weighted sums and activations of every layer for the probe input (cached)."""
        if self._trace is None:
            self._trace = self.network.trace(self.standardize(self.project.probe)[None, :])
        return self._trace

    # -- loaded data (not an edit: it follows the record) ---------------------------

    def show_data(self, data: Dataset | None) -> None:
        """The data the dataset record names, once loaded (or the controls' preview while there is no record)."""
        if data is not self.data:
            self.data = data
            self.dataset_changed.emit()

    # -- parts of the state, for commands --------------------------------------------

    def state(self, *parts: str) -> dict:
        """Copies of the named :data:`PARTS`, for :meth:`restore`."""
        p = self.project
        values = {
            "spec": lambda: p.spec,
            "params": lambda: p.network.copy_params(),
            "training": lambda: p.training,
            "dataset": lambda: p.dataset,
            "data": lambda: self.data,
            "history": lambda: HistoryRows(p.history, len(p.history)),
            "standardization": lambda: p.standardization,
            "input_names": lambda: None if p.input_names is None else list(p.input_names),
            "output_names": lambda: None if p.output_names is None else list(p.output_names),
            "probe": lambda: p.probe.copy(),
            "figure_style": lambda: p.figure_style,  # frozen: no copy needed
        }
        return {part: values[part]() for part in parts}

    def restore(self, state: dict) -> None:
        """Put back the parts in ``state`` (from :meth:`state`) and tell the views what changed."""
        p = self.project
        emits = []
        if self._moment is not None:  # an edit: back to the current weights
            self._moment = None
            emits += [self.moment_changed, self.params_changed]
        structural = "spec" in state and state["spec"] != p.spec
        if structural:
            p.network = Network(state["spec"], seed=p.training.seed, dtype=p.network.dtype)
            if len(p.probe) != state["spec"].inputs:
                p.probe = np.resize(p.probe, state["spec"].inputs) if len(p.probe) else np.ones(state["spec"].inputs)
                emits.append(self.probe_changed)
            emits.append(self.spec_changed)
        if "params" in state:
            p.network.load_params(state["params"])
            if not structural:
                emits.append(self.params_changed)
        if "training" in state and state["training"] != p.training:
            p.training = state["training"]
            emits.append(self.training_changed)
        if ("dataset" in state and state["dataset"] != p.dataset) or ("data" in state and state["data"] is not self.data):
            p.dataset = state.get("dataset", p.dataset)
            self.data = state.get("data", self.data)
            emits.append(self.dataset_changed)
        if "history" in state:
            self._restore_history(state["history"])
            emits.append(self.history_changed)
        if "standardization" in state and state["standardization"] is not p.standardization:
            p.standardization = state["standardization"]
            emits.append(self.probe_changed)
        for part in ("input_names", "output_names"):
            if part in state and state[part] != getattr(p, part):
                setattr(p, part, None if state[part] is None else list(state[part]))
                emits.append(self.names_changed)
        if "probe" in state and not np.array_equal(state["probe"], p.probe):
            p.probe = np.array(state["probe"], dtype=np.float64)
            emits.append(self.probe_changed)
        if "figure_style" in state and state["figure_style"] != p.figure_style:
            p.figure_style = state["figure_style"]
            emits.append(self.figure_style_changed)
        self._trace = None
        if structural:
            self._clamp_selection()
        for signal in dict.fromkeys(emits):  # each once, in order
            signal.emit()

    def _restore_history(self, history: History | HistoryRows) -> None:
        if isinstance(history, History):
            history = HistoryRows(history, len(history))
        if history.history is not self.project.history or history.rows != len(history.history):
            self.project.history = history.current()

    def _clamp_selection(self) -> None:
        sel = self.selection
        if sel.layer is not None and sel.layer >= len(self.spec.layers):
            self.select(Selection())

    def select(self, selection: Selection) -> None:
        if selection != self.selection:
            self.selection = selection
            self.selection_changed.emit(selection)
