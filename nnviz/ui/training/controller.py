"""The training controller: starts, pauses, steps and stops runs, and applies their results.

It has no widgets. The training controls call it; it drives a
:class:`~nnviz.ui.training.worker.TrainingSession`, puts each run's newest
state into the :class:`~nnviz.ui.training.run_model.RunModel` and the run's
weights and completed epochs into the document (at most ``APPLY_HZ`` times a
second: every apply repaints the views that follow the document).

Any undoable edit of the network while a run exists stops the run: the
worker's weights would no longer fit, and an edit is a person taking over.
A change of the training settings carries the run on with the new settings.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QObject, Signal

from ...core.datasets import DatasetError
from ...core.training import History
from ..model import commands
from ..model.document import Document
from ..widgets.labels import sentence
from ..widgets.throttle import Throttle
from .run_model import RunModel
from .worker import DIVERGED, FINISHED, PAUSED, TrainingSession, TrainingUpdate

APPLY_HZ = 8  # training updates applied to the document per second at most (the worker sends up to 20)


def _finite(params) -> bool:
    return all(np.isfinite(a).all() for layer in params for a in layer.values())


class TrainingController(QObject):
    """Runs training on ``doc``'s network and data.

    ``sig_status`` carries one-off messages for the status bar; ``sig_problem``
    a title and message a person must read (a run diverged, failed or cannot
    start), with ``error`` False for a diverged run (a warning, not a failure).
    """

    sig_status = Signal(str)
    sig_problem = Signal(str, str, bool)  # title, message, error
    sig_changed = Signal()  # live or not, running or paused: the controls follow

    def __init__(self, doc: Document, session: TrainingSession, parent: QObject | None = None):
        super().__init__(parent)
        self.doc = doc
        self.session = session
        self.run = RunModel(self)
        self._accepting = False  # updates of the current run go into the document
        self._applying = False  # the document changes because of the run, not because of a person
        self._epoch_offset = 0  # epochs in the document's history when the run started
        self._new_epochs = History()  # received, not yet applied to the document (numbered within the run)
        self._pending_update: TrainingUpdate | None = None  # the newest update not yet applied
        self._apply = Throttle(APPLY_HZ, self._apply_pending, self)
        for signal in (doc.spec_changed, doc.params_changed, doc.history_changed):
            signal.connect(self._on_edit)
        doc.replaced.connect(self._on_replaced)
        doc.training_changed.connect(self._on_settings_changed)
        doc.dataset_changed.connect(self._on_dataset_changed)
        session.sig_update.connect(self._on_update)
        session.sig_state.connect(self._on_state)
        session.sig_error.connect(self._on_error)

    # -- what the controls ask -------------------------------------------------

    @property
    def live(self) -> bool:
        """A run of ours is in progress (running or paused) and not already told to stop."""
        return self._accepting and self.session.is_running

    @property
    def epoch_offset(self) -> int:
        """Epochs in the document's history when the current run started (a run counts its own from 1)."""
        return self._epoch_offset

    @property
    def state(self) -> str | None:
        """The live run's state (running or paused), else None."""
        return self.session.state if self.live else None

    def toggle(self) -> None:
        """Train: start a run, pause it, or resume it."""
        if not self.live:
            self.start(paused=False)
        elif self.session.state == PAUSED:
            self.session.resume()
        else:
            self.session.pause()

    def step(self) -> None:
        """Train on one batch, then pause (starting a paused run first if needed)."""
        if self.live or self.start(paused=True):
            self.session.step()

    def step_epoch(self) -> None:
        """Train to the end of the current epoch, then pause."""
        if self.live or self.start(paused=True):
            self.session.step_epoch()

    def start(self, paused: bool) -> bool:
        """Start a run on the document's data from the current weights; False (and a problem said) if it cannot."""
        data = self.doc.data
        if data is None:
            self.sig_problem.emit("No data to train on", "Choose a dataset above.", True)
            return False
        cfg = self.doc.training
        try:
            train, val = self.doc.project.split(data)
        except DatasetError as exc:
            self.sig_problem.emit("Cannot split the data", sentence(str(exc)), True)
            return False
        self._epoch_offset = self.doc.project.epochs_done
        self._new_epochs = History()
        self._pending_update = None
        self._accepting = True
        self.session.start(self.doc.network, train, val if val.n_samples else None, cfg, paused=paused)
        with self._own_changes():
            commands.adopt_data(self.doc, data, self.session.run_number)
        self.sig_changed.emit()
        return True

    def stop(self, status: str | None = None) -> None:
        """Stop the run and ignore whatever it still sends (its weights may no longer fit)."""
        live = self.live
        self._accepting = False
        self.session.stop()
        if live and status:
            self.sig_status.emit(status)
        self.sig_changed.emit()

    def shutdown(self) -> None:
        """End training and its thread (for the main window's closeEvent)."""
        self._accepting = False
        self.session.shutdown()

    # -- the document changes ----------------------------------------------------

    @contextmanager
    def _own_changes(self):
        """The document changes because of the run, not because a person edits it: the run goes on."""
        self._applying = True
        try:
            yield
        finally:
            self._applying = False

    def _on_edit(self) -> None:
        if self.live and not self._applying:
            self.stop("Training stopped: the network was edited.")

    def _on_replaced(self) -> None:
        self.stop("Training stopped: another network was opened.")
        self.run.clear()

    def _on_dataset_changed(self) -> None:
        if self.live and not self._applying:
            self.stop("Training stopped: the dataset changed.")

    def _on_settings_changed(self) -> None:
        if self.live:
            # Settings belong to a run: carry on from the current weights with the new ones.
            self._apply_pending()
            self.start(paused=self.session.state == PAUSED)
            self.sig_status.emit("Training continues with the new settings.")

    # -- the run's reports ---------------------------------------------------------

    def _on_update(self, update: TrainingUpdate) -> None:
        if not self._accepting:
            return
        self._pending_update = update
        self._new_epochs.extend(update.new_epochs)  # every update's, not only the applied ones
        self._apply.request()

    def _apply_pending(self) -> None:
        update, self._pending_update = self._pending_update, None
        if update is None or not self._accepting:
            return
        snap = update.snapshot
        new, self._new_epochs = self._new_epochs, History()
        weights = snap.weights
        if weights is not None and (snap.status != DIVERGED or _finite(weights)):
            with self._own_changes():
                commands.apply_run(self.doc, weights, new, self._epoch_offset, update.run)
        self.run.take(update)

    def _on_state(self, state: str) -> None:
        self._apply_pending()  # the run's last update lands before its state is shown
        self.run.set_state(state)
        if self._accepting:
            snap = self.run.snapshot
            if state == DIVERGED:
                message = (snap.message if snap and snap.message else
                           "The loss became infinite or NaN. Try a lower learning rate or standardised inputs.")
                self.sig_problem.emit("Training diverged", message, False)
                self.sig_status.emit(message)
            elif state == FINISHED:
                self.sig_status.emit(f"Training finished: {self.doc.project.epochs_done} epochs.")
        self.sig_changed.emit()

    def _on_error(self, message: str) -> None:
        self.sig_problem.emit("Training could not run", sentence(message), True)
        self.sig_status.emit(sentence(message))

