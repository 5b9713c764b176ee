"""The training controller: starts, pauses, steps and stops runs, sets their pace, and applies their results.

It has no widgets. The training controls call it; it drives a
:class:`~nnviz.ui.training.worker.TrainingSession` (the training process).
While a run goes, the window's frame clock ticks: on each tick the controller
reads the run's newest state once, puts it into the
:class:`~nnviz.ui.training.run_model.RunModel` and the run's weights and
completed epochs into the document, and the views redraw from them in the
same frame.

Any undoable edit of the network while a run exists stops the run: the
process's weights would no longer fit, and an edit is a person taking over.
A change of the training settings applies to the running run; one that
changes the data's split or the number type carries on from the current
weights in a new run.
"""

from __future__ import annotations

import bisect
import math
import time
from contextlib import contextmanager
from dataclasses import fields

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal

from ...core.datasets import CLASSIFICATION, DatasetError
from ...core.memory import MemoryBudgetError
from ...core.network import Network
from ...core.training import History, TrainConfig, TrainingError, loss_for_targets
from ..model import commands
from ..model.document import Document
from ..widgets.frame_clock import FrameClock
from ..widgets.labels import sentence
from ...core.keyframes import load_state, state_vector

from .run_model import RunModel
from .worker import DIVERGED, FINISHED, PAUSED, RUNNING, TrainingSession

# Parameter-sized arrays a run adds to the document's network (its parameters and gradients): the
# training process's network, the shared memory between the processes, and the window's mirror,
# each with parameters and gradients.
RUN_COPIES = 6

# Steps per second a learner can choose, slowest first; None is as fast as possible.
PACES = (2, 5, 10, 20, 50, 100, 200, 500, 1000, None)
DEFAULT_PACE = 200
REPLAY_EPOCHS_PER_SECOND = 30  # a replay at the fastest pace
# Settings a running run takes over as they are; the others (the split, the number type) need a new run.
_RESTART_SETTINGS = ("seed", "val_split", "dtype")
# How the status bar names a setting a running run took over ("Training goes on with the new learning rate.").
_SETTING_NAMES = {
    "optimizer": QT_TRANSLATE_NOOP("TrainingController", "optimizer"),
    "learning_rate": QT_TRANSLATE_NOOP("TrainingController", "learning rate"),
    "batch_size": QT_TRANSLATE_NOOP("TrainingController", "batch size"),
    "epochs": QT_TRANSLATE_NOOP("TrainingController", "epochs"),
    "loss": QT_TRANSLATE_NOOP("TrainingController", "loss"),
    "l1": QT_TRANSLATE_NOOP("TrainingController", "l1"),
    "l2": QT_TRANSLATE_NOOP("TrainingController", "l2"),
    "clip_norm": QT_TRANSLATE_NOOP("TrainingController", "clip norm"),
    "momentum": QT_TRANSLATE_NOOP("TrainingController", "momentum"),
}


def pace_text(pace: float | None) -> str:
    """How a pace reads in the controls: "2 steps/s" … "fastest"."""
    if pace is None:
        return QCoreApplication.translate("TrainingController", "fastest")
    return QCoreApplication.translate("TrainingController", "{0} steps/s").format(f"{pace:,}")


def _setting_name(field: str) -> str:
    """A training setting's name in a sentence, in the window's language."""
    if field in _SETTING_NAMES:
        return QCoreApplication.translate("TrainingController", _SETTING_NAMES[field])
    return field.replace("_", " ")


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
    sig_timeline = Signal()  # keyframes kept or dropped, or a replay began or ended

    def __init__(self, doc: Document, session: TrainingSession, parent: QObject | None = None):
        super().__init__(parent)
        self.doc = doc
        self.session = session
        self.clock = FrameClock(self)
        self.run = RunModel(self.clock, self)
        self.pace: float | None = DEFAULT_PACE
        self.limit_epochs = False  # a run stops after the settings' epochs; else it trains until paused
        self._accepting = False  # the current run's state goes into the document
        self._applying = False  # the document changes because of the run, not because of a person
        self._epoch_offset = 0  # epochs in the document's history when the run started
        self._config: TrainConfig | None = None  # the settings the running run trains with
        self._targets = (None, None, None)  # the running run's training and validation targets, and its task
        self._new_epochs = History()  # received, not yet applied to the document (numbered within the run)
        self._mirror: Network | None = None  # the run's newest weights and gradients, by layer
        self._replay: float | None = None  # the epoch a replay has reached (fractional), while one plays
        self._replay_clock = 0.0
        self.clock.tick.connect(self.show_newest)
        self.clock.tick.connect(self._replay_frame)
        for signal in (doc.spec_changed, doc.params_changed, doc.history_changed):
            signal.connect(self._on_edit)
        self._seen = (doc.project, doc.spec)  # whose layers the keyframes were kept for
        doc.spec_changed.connect(self._forget_keyframes)
        doc.history_changed.connect(self._trim_keyframes)
        doc.replaced.connect(self._on_replaced)
        doc.training_changed.connect(self._on_settings_changed)
        doc.dataset_changed.connect(self._on_dataset_changed)
        session.sig_rows.connect(self._on_rows)
        session.sig_state.connect(self._on_state)
        session.sig_error.connect(self._on_error)
        session.sig_crashed.connect(self._on_crashed)

    # -- what the controls ask -------------------------------------------------

    @property
    def live(self) -> bool:
        """A run of ours is in progress (running or paused) and not already told to stop."""
        return self._accepting and self.session.is_running

    @property
    def keyframes(self):
        """The weights at kept epochs of the document's history (the project's timeline)."""
        return self.doc.project.keyframes

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
        self.show_epoch(None)  # training goes on from the current weights
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

    def set_pace(self, pace: float | None) -> None:
        """Train at about ``pace`` steps a second (None: as fast as possible), the running run too."""
        self.pace = pace
        self.session.set_pace(pace)

    def set_limit_epochs(self, on: bool) -> None:
        """Whether runs stop after the settings' epochs (the running run too) or train until paused."""
        self.limit_epochs = bool(on)
        if self.live:
            self.session.reconfigure(self._config, self._epochs(self._config))

    def _epochs(self, config: TrainConfig) -> int | None:
        return config.epochs if self.limit_epochs else None

    def start(self, paused: bool) -> bool:
        """Start a run on the document's data from the current weights; False (and a problem said) if it cannot."""
        data = self.doc.data
        if data is None:
            self.sig_problem.emit(self.tr("No data to train on"), self.tr("Choose a dataset above."), True)
            return False
        self.show_epoch(None)  # a run trains the current weights, not a moment looked at
        cfg = self.doc.training
        try:
            train, val = self.doc.project.split(data)
        except DatasetError as exc:
            self.sig_problem.emit(self.tr("Cannot split the data"), sentence(str(exc)), True)
            return False
        targets = (train.y, val.y if val.n_samples else None, data.task == CLASSIFICATION)
        if not self._loss_fits(cfg.loss, targets):
            return False
        self._targets = targets
        self.show_newest()  # what the previous run last sent belongs to it
        net = self.doc.project.network
        try:
            self.doc.project.check_training_memory(train.n_samples, val.n_samples, copies=RUN_COPIES)
        except MemoryBudgetError as exc:
            self.sig_problem.emit(self.tr("Not enough memory to train"), sentence(str(exc)), True)
            return False
        self._epoch_offset = self.doc.project.epochs_done
        self._new_epochs = History()
        self._config = cfg
        self._mirror = Network(net.spec, seed=cfg.seed, dtype=net.dtype)
        self._accepting = True
        if self.keyframes.newest != self._epoch_offset:  # where the run starts from
            self.keyframes.add(self._epoch_offset, state_vector(net), self._row_tag(self._epoch_offset))
        self.session.start(net, train, val if val.n_samples else None, cfg, epochs=self._epochs(cfg),
                           paused=paused, pace=self.pace, keep_every=self.keyframes.every)
        with self._own_changes():
            commands.adopt_data(self.doc, data, self.session.run_number)
        self._follow(self.session.state)
        self.sig_changed.emit()
        return True

    def stop(self, status: str | None = None) -> None:
        """Stop the run and ignore whatever it still sends (its weights may no longer fit)."""
        live = self.live
        self._accepting = False
        self.session.stop()
        self.clock.release("run")
        if live and status:
            self.sig_status.emit(status)
        self.sig_changed.emit()

    def reset(self) -> None:
        """Fresh weights and an empty history (one undo step): a run in progress stops, and the run
        model forgets the last run (its gradients, step and state would describe weights that are gone)."""
        self.replay(False)
        self.stop()
        commands.reset_training(self.doc)
        self.run.clear()

    def shutdown(self) -> None:
        """End training and its process (for the main window's closeEvent)."""
        self._accepting = False
        self.clock.release("run")
        self.session.shutdown()

    # -- the timeline ------------------------------------------------------------

    def params_at(self, epoch: int) -> list:
        """The weights kept at ``epoch``, by layer (as :meth:`Network.copy_params` gives them)."""
        net = self.doc.project.network
        copy = Network(net.spec, seed=self.doc.training.seed, dtype=net.dtype)
        load_state(copy, self.keyframes.state(epoch))
        return copy.copy_params()

    def show_epoch(self, epoch: int | None) -> None:
        """Show the network as it was at the kept epoch nearest ``epoch``, pausing a running run;
        None, or the newest epoch, shows it as it is."""
        if epoch is None or not len(self.keyframes) or epoch >= self.doc.project.epochs_done:
            with self._own_changes():
                self.doc.show_moment(None)
            return
        kept = self.keyframes.nearest(epoch)
        if self.live and self.session.state == RUNNING:
            self.session.pause()  # looking back stops the run where it is
        with self._own_changes():
            self.doc.show_moment(kept, self.params_at(kept))

    @property
    def replaying(self) -> bool:
        return self._replay is not None

    def replay(self, on: bool) -> None:
        """Play the run back from the epoch shown (or the start) to the newest, at the chosen pace."""
        if not on or not len(self.keyframes):
            self._replay = None
            self.clock.release("replay")
            self.sig_timeline.emit()
            return
        start = self.doc.moment
        if start is None or start >= self.keyframes.newest:
            start = self.keyframes.first
        self._replay = float(start)
        self._replay_clock = time.monotonic()
        self.show_epoch(start)
        self.clock.hold("replay")
        self.sig_timeline.emit()

    def _replay_frame(self) -> None:
        if self._replay is None:
            return
        now = time.monotonic()
        self._replay += (now - self._replay_clock) * self._replay_rate()
        self._replay_clock = now
        last = self.keyframes.newest or 0
        if self._replay >= last:
            self.replay(False)
            self.show_epoch(None)
            return
        target = max((e for e in self.keyframes.epochs if e <= self._replay), default=None)
        if target is not None and target != self.doc.moment:
            self.show_epoch(target)

    def _replay_rate(self) -> float:
        """Epochs a second: the pace's steps a second over the steps an epoch takes."""
        if self.pace is None or self.doc.data is None:
            return REPLAY_EPOCHS_PER_SECOND
        train = self.doc.data.n_samples * (1 - self.doc.training.val_split)
        steps_per_epoch = max(1, math.ceil(train / self.doc.training.batch_size))
        return min(REPLAY_EPOCHS_PER_SECOND, self.pace / steps_per_epoch)

    def continue_from_here(self) -> bool:
        """Train on from the epoch shown: its weights, the history cut there, a new run (one undo step)."""
        epoch = self.doc.moment
        if epoch is None:
            return False
        self.replay(False)
        params = self.params_at(epoch)
        self.stop()
        with self._own_changes():
            commands.continue_from(self.doc, epoch, params, self.session.run_number + 1)
        self.keyframes.truncate(epoch)
        self.sig_timeline.emit()
        if self.start(paused=False):
            self.sig_status.emit(self.tr("Training goes on from epoch {0}.").format(f"{epoch:,}"))
            return True
        return False

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
            self.stop(self.tr("Training stopped: the network was edited."))

    def _on_replaced(self) -> None:
        self.stop(self.tr("Training stopped: another network was opened."))
        self.run.clear()
        self.sig_timeline.emit()  # the opened file's timeline (empty unless it kept one)

    def _forget_keyframes(self) -> None:
        # Other layers in the same document: the kept weights no longer fit. (An opened
        # file brings its own timeline, made for its own layers.)
        if self.doc.project is self._seen[0] and self.doc.spec != self._seen[1]:
            self.keyframes.clear()
            self.sig_timeline.emit()
        self._seen = (self.doc.project, self.doc.spec)

    def _trim_keyframes(self) -> None:
        if self._applying:
            return
        # An undo, a redo, a reset: keep the keyframes of the history as it is now.
        if not self.doc.project.epochs_done:
            self.keyframes.clear()
        else:
            self.keyframes.keep_matching(lambda epoch, tag: epoch == 0 or self._row_tag(epoch) == tag)
        self.sig_timeline.emit()

    def _row_tag(self, epoch: int):
        """What identifies the history's row of ``epoch`` (its training loss), None without one."""
        h = self.doc.history
        i = bisect.bisect_left(h.epoch, epoch)
        return h.train_loss[i] if i < len(h) and h.epoch[i] == epoch else None

    def _on_dataset_changed(self) -> None:
        if self.live and not self._applying:
            self.stop(self.tr("Training stopped: the dataset changed."))

    def _on_settings_changed(self) -> None:
        if not self.live:
            return
        new, old = self.doc.training, self._config
        if any(getattr(new, f) != getattr(old, f) for f in _RESTART_SETTINGS):
            # Another split or number type is another run: carry on from the current weights.
            self.show_newest()
            self.start(paused=self.session.state == PAUSED)
            self.sig_status.emit(self.tr("Training continues with the new settings in a new run."))
            return
        if new.loss != old.loss and not self._loss_fits(new.loss, self._targets):
            self.stop(self.tr("Training stopped: the loss does not fit the data."))
            return
        changed = [_setting_name(f.name) for f in fields(TrainConfig) if getattr(new, f.name) != getattr(old, f.name)]
        self._config = new
        self.session.reconfigure(new, self._epochs(new))
        if changed:
            self.sig_status.emit(self.tr("Training goes on with the new {0}.").format(", ".join(changed)))

    def _loss_fits(self, loss: str, targets) -> bool:
        """Whether ``loss`` can be taken of the run's targets; if not, the problem is said (no run may
        drive a cross-entropy of regression targets towards minus infinity)."""
        train_y, val_y, classification = targets
        try:
            loss_for_targets(loss, self.doc.spec, train_y, val_y, classification=classification)
        except TrainingError as exc:
            self.sig_problem.emit(self.tr("Cannot train with this loss"), sentence(str(exc)), True)
            return False
        return True

    # -- the run's reports ---------------------------------------------------------

    def _on_rows(self, rows: History, keyframes) -> None:
        if not self._accepting:
            return
        self._new_epochs.extend(rows)  # into the document on the next frame
        grew = False
        losses = dict(zip(rows.epoch, rows.train_loss))  # the keyframes' epochs come with their rows
        for epoch, state in keyframes:
            grew |= self.keyframes.add(self._epoch_offset + epoch, state, losses.get(epoch))
        if grew:
            self.session.set_keep_every(self.keyframes.every)
        if keyframes:
            self.sig_timeline.emit()

    def show_newest(self) -> None:
        """Read the run's newest state once; put it into the run model and the document (one frame's work)."""
        if not self._accepting:
            return
        frame = self.session.read()
        if frame is None and not len(self._new_epochs):
            return
        weights = None
        if frame is not None:
            frame.load_into(self._mirror)
            weights = self._mirror.copy_params()
            if not _finite(weights):
                weights = None  # a diverged run keeps its last good weights
        new, self._new_epochs = self._new_epochs, History()
        moment = self.doc.moment  # a paused run's last state lands while someone looks back: they keep looking
        with self._own_changes():
            commands.apply_run(self.doc, weights, new, self._epoch_offset, self.session.run_number)
            if moment is not None:
                self.doc.show_moment(moment, self.params_at(moment))
        if frame is not None:
            self.run.take(frame, self._mirror)

    def _follow(self, state: str) -> None:
        """The frame clock ticks while the run runs."""
        if state == RUNNING and self._accepting:
            self.clock.hold("run")
        else:
            self.clock.release("run")

    def _on_state(self, state: str) -> None:
        self.show_newest()  # the run's last state lands before its state is shown
        self._follow(state)
        self.run.set_state(state, self.session.message)
        if self._accepting:
            if state == DIVERGED:
                message = self.session.message or self.tr(
                    "The loss became infinite or NaN. Try a lower learning rate or standardised inputs.")
                self.sig_problem.emit(self.tr("Training diverged"), message, False)
                self.sig_status.emit(message)
            elif state == FINISHED:
                self.sig_status.emit(self.tr("Training finished: {0} epochs.").format(self.doc.project.epochs_done))
        self.sig_changed.emit()

    def _on_error(self, message: str) -> None:
        self.sig_problem.emit(self.tr("Training could not run"), sentence(message), True)
        self.sig_status.emit(sentence(message))

    def _on_crashed(self, message: str) -> None:
        self.sig_problem.emit(self.tr("Training stopped"), self.tr("{0} Your network and its last weights are kept; "
                                                                   "press Train to go on.").format(message), True)
        self.sig_status.emit(message)
