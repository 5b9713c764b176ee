"""What a lesson's steps wait for: the window's signals turned into :class:`~nnviz.core.lessons.AppEvent` values.

The detector watches the document (edits, selection, probe, settings, data,
history, the timeline), the actions (Step, the View toggles) and the docks,
and says what happened in the lessons' vocabulary
(:data:`nnviz.core.lessons.EVENTS`); the lessons panel decides which step
that completes. It remembers what the document was, so that an edit is
described by what changed ("layer 2's activation became linear"), and
forgets it when another network is opened.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from ...core.lessons import ACTION_NAMES, AppEvent
from ...core.spec import NetworkSpec
from ..model.document import Document, Selection

STEP_ACTIONS = ("Step", "StepEpoch")
_LAYER_FIELDS = (("activation", "activation_changed"), ("units", "units_changed"),
                 ("initializer", "initializer_changed"))


class Detector(QObject):
    """Emits ``noticed(AppEvent)`` for everything a lesson's step may wait for.

    ``actions`` and ``docks`` are the window's, by name; ``warnings`` is the
    design-warnings panel (its list, and its dock being in sight, make a
    warning "shown").
    """

    noticed = Signal(object)

    def __init__(self, doc: Document, actions: dict[str, QAction], docks: dict[str, QDockWidget], warnings,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.doc = doc
        self.docks = docks
        self.toggles = {name: actions[name] for name in ACTION_NAMES if name in actions and actions[name].isCheckable()}
        self.warnings = warnings
        self._remember()
        doc.replaced.connect(self._remember)
        doc.spec_changed.connect(self._spec_changed)
        doc.training_changed.connect(self._training_changed)
        doc.dataset_changed.connect(self._dataset_changed)
        doc.history_changed.connect(self._history_changed)
        doc.selection_changed.connect(self._selected)
        doc.probe_changed.connect(self._probe_changed)
        doc.moment_changed.connect(self._moment_changed)
        for name in STEP_ACTIONS:
            actions[name].triggered.connect(lambda *_: self._emit("step"))
        for name in ACTION_NAMES:
            if name in actions:
                act = actions[name]
                act.triggered.connect(lambda checked=False, a=act, n=name: self._action(a, n, checked))
        for name, dock in docks.items():
            dock.visibilityChanged.connect(lambda visible, n=name: visible and self._emit("view_opened", view=n))
        warnings.warnings_changed.connect(lambda *_: self._warnings_shown())
        if "Warnings" in docks:
            docks["Warnings"].visibilityChanged.connect(lambda visible: visible and self._warnings_shown())

    def restart(self) -> None:
        """Count epochs from now (a lesson was opened on the current network)."""
        self._remember()

    def standing(self) -> list[AppEvent]:
        """What is true now and a step may ask for: the views in sight, the View toggles on, the warnings being read."""
        events = [AppEvent("view_opened", {"view": name}) for name, dock in self.docks.items() if dock.isVisible()]
        events += [AppEvent("action", {"name": name}) for name, act in self.toggles.items() if act.isChecked()]
        return events + self._warning_events()

    # -- the document ------------------------------------------------------------

    def _remember(self) -> None:
        doc = self.doc
        self._spec: NetworkSpec = doc.spec
        self._training = doc.training
        self._dataset = _dataset_name(doc)
        self._probe = doc.probe.copy()
        self._epochs_start = self._epochs_seen = doc.project.epochs_done

    def _emit(self, event: str, /, **facts) -> None:
        self.noticed.emit(AppEvent(event, facts))

    def _spec_changed(self) -> None:
        old, new = self._spec, self.doc.spec
        self._spec = new
        if old == new:
            return
        if len(new.layers) != len(old.layers):
            before, after = Counter(layer.kind for layer in old.layers), Counter(layer.kind for layer in new.layers)
            name = "layer_added" if len(new.layers) > len(old.layers) else "layer_removed"
            for kind in sorted(set(before) | set(after)):
                if before[kind] != after[kind]:
                    self._emit(name, kind=kind)
            return
        for i, (a, b) in enumerate(zip(old.layers, new.layers)):
            if a.kind != b.kind:
                continue
            for field, event in _LAYER_FIELDS:
                if getattr(a, field, None) != getattr(b, field, None):
                    self._emit(event, layer=i + 1, to=getattr(b, field))

    def _training_changed(self) -> None:
        old, new = self._training, self.doc.training
        self._training = new
        for field in vars(new):
            if getattr(old, field) != getattr(new, field):
                self._emit("setting_changed", setting=field, to=getattr(new, field))

    def _dataset_changed(self) -> None:
        name = _dataset_name(self.doc)
        if name != self._dataset and name is not None:
            self._emit("dataset_changed", to=name)
        self._dataset = name

    def _history_changed(self) -> None:
        done = self.doc.project.epochs_done
        if done < self._epochs_start:  # Reset or Undo: count again from here
            self._epochs_start = done
        new_rows = done - self._epochs_seen
        self._epochs_seen = done
        if new_rows <= 0:
            return
        self._emit("trained", epochs=done - self._epochs_start)
        h = self.doc.history
        rows = range(max(0, len(h) - new_rows), len(h))
        for event, column, best in (("val_accuracy", h.val_accuracy, max), ("train_accuracy", h.train_accuracy, max),
                                    ("loss", h.train_loss, min)):
            values = [column[i] for i in rows if column[i] is not None]
            if values:
                self._emit(event, value=float(best(values)), epochs=done)

    def _selected(self, selection: Selection) -> None:
        if selection.layer is None:
            return
        layer = selection.layer + 1  # layers count from 1 as the cards number them; the input column is 0
        self._emit("layer_selected", layer=layer)
        if selection.neuron is not None:
            self._emit("neuron_selected", layer=layer)

    def _probe_changed(self) -> None:
        probe = self.doc.probe
        if probe.shape == self._probe.shape and not np.array_equal(probe, self._probe):
            self._emit("probe_changed")
        self._probe = probe.copy()

    def _moment_changed(self) -> None:
        if self.doc.moment is not None:
            self._emit("timeline_scrubbed")

    # -- the window ----------------------------------------------------------------

    def _action(self, action: QAction, name: str, checked: bool) -> None:
        if not action.isCheckable() or checked:
            self._emit("action", name=name)

    def _warning_events(self) -> list[AppEvent]:
        dock = self.docks.get("Warnings")
        if dock is None or not dock.isVisible():
            return []
        codes = dict.fromkeys(w.code for w in self.warnings.warnings())
        return [AppEvent("warning_shown", {"code": code}) for code in codes]

    def _warnings_shown(self) -> None:
        for event in self._warning_events():
            self.noticed.emit(event)


def _dataset_name(doc: Document) -> str | None:
    record = doc.dataset_record
    return None if record is None else record.name
