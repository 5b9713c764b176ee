"""The training panel: the data to learn from, the settings, the controls and a live readout.

It assembles the Dataset and Settings sections (each edits its part of the
document) under the Train / Step / Epoch / Reset buttons and the speed
control, and drives the :class:`~nnviz.ui.training.controller.TrainingController`;
the panel itself only refreshes a few labels per frame.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.datasets import CLASSIFICATION
from ...core.numbers import loss_text, percent
from .. import settings
from ..actions import TRAINING, make_actions, set_tip
from ..model.document import Document
from ..widgets.labels import make_dim, mono, wrap_label
from ..widgets.sections import same_label_width
from ..widgets.live_text import LiveText
from ..widgets.notice import Notice
from ..widgets.sections import column_width, scroll_column
from .controller import DEFAULT_PACE, PACES, TrainingController, pace_text
from .dataset_section import DatasetSection
from .settings_section import SettingsSection
from .worker import FINISHED, PAUSED, RUNNING

_DASH = "—"
STALE_TEXT = QT_TRANSLATE_NOOP("TrainingPanel", "The network was edited: the last run's figures belong to the previous "
                                                "one. Train to measure this one.")
PACE_KEY = settings.TRAINING_PACE
# The usual longest text of each readout value: its room, kept while the value changes.
_READOUT_TEMPLATES = {"epoch": "100,000", "step": "1,000,000", "acc": "100.0 %", "val_acc": "100.0 %"}


def stored_pace() -> float | None:
    """The remembered training speed (one of ``PACES``; None: as fast as possible), the default when unset."""
    stored = settings.value(PACE_KEY, -1.0, float)  # steps/s, 0 for as fast as possible
    return None if stored == 0 else (PACES[PACES.index(stored)] if stored in PACES else DEFAULT_PACE)


def remember_pace(pace: float | None) -> None:
    """Keep ``pace`` (one of ``PACES``) for the next window: the Speed slider and Preferences share it."""
    settings.set_value(PACE_KEY, 0.0 if pace is None else float(pace))


class TrainingPanel(QWidget):
    """Dataset, training settings, Train / Pause / Step / Reset, and a live readout for ``doc``.

    ``sig_status`` carries one-off messages for the status bar (a run stopped,
    diverged, failed, finished); ``sig_live`` the running readout ("Epoch 12 ·
    loss 0.213 / 0.250 · …"), at most once per update.
    """

    sig_status = Signal(str)
    sig_live = Signal(str)

    def __init__(self, doc: Document, controller: TrainingController, actions: dict | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.controller = controller

        self.actions_ = actions or make_actions(self, TRAINING)
        self._connect_actions()

        scroll, col = scroll_column(self)
        self.scroll = scroll
        body = scroll.widget()

        self._build_controls(body, col)
        self.dataset_section = DatasetSection(doc, body)
        col.addWidget(self.dataset_section)
        self.settings_section = SettingsSection(doc, body)
        col.addWidget(self.settings_section)
        controller.set_limit_epochs(self.settings_section.epoch_limit)
        self.settings_section.limit_toggled.connect(controller.set_limit_epochs)
        same_label_width(self.dataset_section.form, self.settings_section.form)
        col.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(scroll)

        # The network the history's last figures were measured on: after an edit of the
        # layers they describe another network, and the readouts say so instead of showing them.
        self._figures_spec = doc.spec
        self._finished = False  # the last run ended by itself ("Finished.")

        for section in (self.dataset_section, self.settings_section):
            section.sig_error.connect(self._show_error)
        doc.dataset_changed.connect(self._sync_controls)
        doc.replaced.connect(self._on_replaced)
        doc.spec_changed.connect(self._on_spec_changed)
        doc.history_changed.connect(self._on_history_changed)
        doc.moment_changed.connect(self._on_moment_changed)
        controller.sig_changed.connect(self._sync_controls)
        controller.sig_problem.connect(self.notice.show_message)
        controller.run.updated.connect(self._on_run_update)

        self._show_history_readout()
        self._sync_controls()

    def sizeHint(self):
        return QSize(300, 640)

    def minimumSizeHint(self):
        return QSize(column_width(self.scroll), 200)

    # -- building ------------------------------------------------------------

    def _connect_actions(self) -> None:
        acts = self.actions_
        self.actionTrain, self.actionStep = acts["Train"], acts["Step"]
        self.actionStepEpoch, self.actionResetTraining = acts["StepEpoch"], acts["ResetTraining"]
        for action, slot in ((self.actionTrain, self.toggle_training), (self.actionStep, self.step),
                             (self.actionStepEpoch, self.step_epoch), (self.actionResetTraining, self.reset),
                             (acts["Slower"], lambda: self.pace_slider.setValue(self.pace_slider.value() - 1)),
                             (acts["Faster"], lambda: self.pace_slider.setValue(self.pace_slider.value() + 1))):
            action.triggered.connect(slot)

    def _tool_button(self, action: QAction, parent, icon: bool = False) -> QToolButton:
        button = QToolButton(parent)
        button.setDefaultAction(action)
        button.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon if icon else Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setMinimumHeight(28)
        return button

    def _build_controls(self, body, col) -> None:
        row = QHBoxLayout()
        row.setSpacing(4)
        self.train_button = self._tool_button(self.actionTrain, body, icon=True)
        font = self.train_button.font()
        font.setBold(True)
        self.train_button.setFont(font)
        # Wide enough for its longest text, so the row does not jump between Train / Pause / Resume.
        self.train_button.setMinimumWidth(self.train_button.fontMetrics().horizontalAdvance(self.tr("Resume")) + 40)
        row.addWidget(self.train_button, 5)
        self.step_button = self._tool_button(self.actionStep, body)
        self.step_epoch_button = self._tool_button(self.actionStepEpoch, body)
        self.reset_button = self._tool_button(self.actionResetTraining, body)
        for b in (self.step_button, self.step_epoch_button, self.reset_button):
            b.setMinimumWidth(b.fontMetrics().horizontalAdvance(b.text()) + 14)
            row.addWidget(b, 3)
        col.addLayout(row)
        self._build_pace(body, col)

        # the live readout: two columns of label / value pairs
        grid = QGridLayout()
        grid.setContentsMargins(2, 2, 2, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        self.readout: dict[str, LiveText] = {}
        # Each cell: its key, its short label, the name a screen reader says, its place.
        cells = (("epoch", self.tr("Epoch"), self.tr("Epoch"), 0, 0), ("step", self.tr("Step"), self.tr("Step"), 0, 2),
                 ("loss", self.tr("Loss"), self.tr("Training loss"), 1, 0),
                 ("val_loss", self.tr("Val loss"), self.tr("Validation loss"), 1, 2),
                 ("acc", self.tr("Accuracy"), self.tr("Training accuracy"), 2, 0),
                 ("val_acc", self.tr("Val acc."), self.tr("Validation accuracy"), 2, 2),
                 ("speed", self.tr("Speed"), self.tr("Measured training speed"), 3, 0))
        templates = dict(_READOUT_TEMPLATES, speed=self._speed_text(100_000))
        for key, text, spoken, r, c in cells:
            name = make_dim(QLabel(text, body))
            value = mono(LiveText(templates.get(key, "0.0000"), _DASH, body, name=spoken))
            grid.addWidget(name, r, c)
            grid.addWidget(value, r, c + 1, 1, 3 if key == "speed" else 1)
            self.readout[key] = value
            if key in ("acc", "val_acc"):
                value.setToolTip(self.tr("Share of samples classified correctly (classification only)."))
        self._acc_names = [grid.itemAtPosition(2, 0).widget(), grid.itemAtPosition(2, 2).widget()]
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        col.addLayout(grid)

        self.state_label = make_dim(wrap_label("", body))
        col.addWidget(self.state_label)
        self.notice = Notice(body)
        col.addWidget(self.notice)

    def _build_pace(self, body, col) -> None:
        """The speed control: from a couple of steps a second (each one visible) to as fast as possible."""
        row = QHBoxLayout()
        row.setContentsMargins(2, 0, 2, 0)
        row.setSpacing(8)
        self.pace_slider = QSlider(Qt.Orientation.Horizontal, body)
        self.pace_slider.setRange(0, len(PACES) - 1)
        self.pace_slider.setPageStep(1)
        self.pace_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.pace_slider.setToolTip(self.tr("Training speed: slow enough to watch every update, up to as fast as "
                                            "possible. Applies to the running run too (Ctrl+[ / Ctrl+])."))
        self.pace_slider.setAccessibleName(self.tr("Training speed"))
        self.pace_label = mono(LiveText(pace_text(1000), "", body, name=self.tr("Chosen training speed")))
        self.pace_slider.setValue(PACES.index(stored_pace()))
        self.pace_slider.valueChanged.connect(self._pace_changed)
        self._pace_changed(self.pace_slider.value(), remember=False)
        row.addWidget(make_dim(QLabel(self.tr("Speed"), body)))
        row.addWidget(self.pace_slider, 1)
        row.addWidget(self.pace_label)
        col.addLayout(row)

    def _pace_changed(self, index: int, remember: bool = True) -> None:
        pace = PACES[index]
        self.pace_label.setText(pace_text(pace))
        self.controller.set_pace(pace)
        if remember:
            remember_pace(pace)

    def follow_stored_pace(self) -> None:
        """Show (and train at) the remembered speed: Preferences changed it, or restored the default."""
        self.pace_slider.setValue(PACES.index(stored_pace()))

    # -- controls ------------------------------------------------------------

    def toggle_training(self) -> None:
        """Train: start a run, pause it, or resume it."""
        self._ready_data()
        self.controller.toggle()

    def step(self) -> None:
        """Train on one batch, then pause (starting a paused run first if needed)."""
        self._ready_data()
        self.controller.step()

    def step_epoch(self) -> None:
        """Train to the end of the current epoch, then pause."""
        self._ready_data()
        self.controller.step_epoch()

    def reset(self) -> None:
        """Fresh weights and an empty history, as one undo step; a run in progress stops, and nothing
        of it stays on show (state, readouts, status bar)."""
        self._finished = False
        self.controller.reset()
        self.notice.hide()
        self._show_history_readout()
        self._sync_controls()
        self.sig_status.emit(self.tr("Training reset: fresh weights, empty history."))

    def _ready_data(self) -> None:
        """Before a run starts: the dataset the controls offer becomes the document's."""
        if not self.controller.live:
            self.notice.hide()
            self.dataset_section.ready_data()

    # -- the run's reports ---------------------------------------------------

    def _on_run_update(self) -> None:
        run = self.controller.run  # the current run, up to and including its last state
        if run.frame is None or self.doc.moment is not None:
            return
        h = self.doc.history
        last = (lambda name: getattr(h, name)[-1]) if len(h) > self.controller.epoch_offset else (lambda name: None)
        self._show_readout(run.epoch + self.controller.epoch_offset, run.step, last("train_loss"), last("val_loss"),
                           last("train_accuracy"), last("val_accuracy"), run.steps_per_second)

    def _show_error(self, title: str, message: str) -> None:
        self.notice.show_message(title, message, error=True)

    def _on_history_changed(self) -> None:
        if self.controller.live:
            self._figures_spec = self.doc.spec  # the run's epochs: measured on the network as it is
            # The epoch's row can land after the run's last state was read (a paused run sends no more).
            self._on_run_update()
        else:
            if not len(self.doc.history):
                self._finished = False  # undone or reset: no run to have finished
            self._show_history_readout()
            self._sync_controls()

    def _on_replaced(self) -> None:
        self._figures_spec = self.doc.spec  # an opened file's history belongs to its network
        self._finished = False

    def _on_spec_changed(self) -> None:
        if not self.controller.live:  # (an edit stops a live run first: the controller hears it first)
            self._show_history_readout()
            self._sync_controls()

    @property
    def stale(self) -> bool:
        """Whether the history's figures were measured on another network than the one shown (edited since)."""
        return len(self.doc.history) > 0 and self.doc.spec != self._figures_spec

    def _on_moment_changed(self) -> None:
        if self.doc.moment is not None:
            self._show_history_readout(self.doc.moment)  # the epoch the timeline looks back at
        elif self.controller.live:
            self._on_run_update()
        else:
            self._show_history_readout()

    def _show_history_readout(self, epoch: int | None = None) -> None:
        """The readout of the history's row of ``epoch`` (default: the last)."""
        h = self.doc.history
        i = len(h) - 1 if epoch is None else bisect.bisect_left(h.epoch, epoch)
        if self.stale:
            self._show_readout(None, None, None, None, None, None, None)
        elif 0 <= i < len(h) and (epoch is None or h.epoch[i] == epoch):  # epoch 0, before training: no row
            self._show_readout(h.epoch[i], None, h.train_loss[i], h.val_loss[i], h.train_accuracy[i],
                               h.val_accuracy[i], None)
        else:
            self._show_readout(epoch or 0, None, None, None, None, None, None)

    def _show_readout(self, epoch, step, loss, val_loss, acc, val_acc, sps) -> None:
        """The panel's readout, and the status bar's line (``sig_live``; empty before any epoch)."""
        r = self.readout
        r["epoch"].setText(_DASH if epoch is None else f"{epoch:,}")
        r["step"].setText(_DASH if step is None else f"{step:,}")
        r["loss"].setText(loss_text(loss))
        r["val_loss"].setText(loss_text(val_loss))
        classification = acc is not None or (self.doc.data is not None and self.doc.data.task == CLASSIFICATION)
        for w in (r["acc"], r["val_acc"], *self._acc_names):
            w.setVisible(classification)
        r["acc"].setText(percent(acc, space=True))
        r["val_acc"].setText(percent(val_acc, space=True))
        r["speed"].setText(_DASH if sps is None else self._speed_text(sps))
        if loss is None:
            self.sig_live.emit("")
            return
        losses = loss_text(loss) + (f" / {loss_text(val_loss)}" if val_loss is not None else "")
        parts = [self.tr("Epoch {0}").format(f"{epoch:,}"), self.tr("loss {0}").format(losses)]
        if acc is not None:
            accuracies = percent(acc, space=True) + (
                f" / {percent(val_acc, space=True)}" if val_acc is not None else "")
            parts.append(self.tr("accuracy {0}").format(accuracies))
        if sps:
            parts.append(self._speed_text(sps))
        self.sig_live.emit(" · ".join(parts))

    def _speed_text(self, sps: float) -> str:
        """A measured training speed: "1,234 steps/s"."""
        return self.tr("{0} steps/s").format(f"{sps:,.0f}")

    def _sync_controls(self) -> None:
        live = self.controller.live
        state = self.controller.state
        style = self.style()
        if state == RUNNING:
            text, tip, icon = self.tr("Pause"), self.tr("Pause training"), QStyle.StandardPixmap.SP_MediaPause
        elif state == PAUSED:
            text, tip, icon = self.tr("Resume"), self.tr("Resume training"), QStyle.StandardPixmap.SP_MediaPlay
        else:
            text, tip, icon = self.tr("Train"), self.tr("Start training"), QStyle.StandardPixmap.SP_MediaPlay
        self.actionTrain.setText(text)
        self.actionTrain.setIcon(style.standardIcon(icon))
        set_tip(self.actionTrain, tip)
        can_train = self.dataset_section.can_train()
        for act in (self.actionTrain, self.actionStep, self.actionStepEpoch):
            act.setEnabled(live or can_train)
        labels = {RUNNING: self.tr("Running…"), PAUSED: self.tr("Paused.")}
        if live:
            self._figures_spec = self.doc.spec
            self._finished = False
            text = labels.get(state, "")
        else:
            if self.controller.session.state == FINISHED and self.state_label.text() in labels.values():
                self._finished = True  # the run just ended by itself
            text = (QCoreApplication.translate("TrainingPanel", STALE_TEXT) if self.stale
                    else self.tr("Finished.") if self._finished else "")
        self.state_label.setText(text)
        self.state_label.setVisible(bool(text))
