"""The Settings section of the training panel: optimiser, learning rate, batch, epochs, loss, penalties,
gradient clipping, seed.

It mirrors the document's training settings and changes them only through
:func:`nnviz.ui.model.commands.set_training`, one undo step per edit.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from .. import settings
from ...core.datasets import CLASSIFICATION
from ...core.losses import LOSS_LABELS, resolve_loss
from ...core.optimizers import OPTIMIZER_NAMES
from ...core.training import TrainConfig, TrainingError, loss_for_targets
from ..model import commands
from ..model.document import Document
from ..translation import core_text
from ..widgets.inputs import ComboBox, NumberSpinBox, SpinBox, narrow_combo, set_spin_value, set_unless_editing
from ..widgets.labels import fit_current_text, fit_to_text, make_dim, sentence, wrap_label
from ..widgets.sections import Section, align_labels, form_layout

OPTIMIZER_LABELS = {"sgd": QT_TRANSLATE_NOOP("SettingsSection", "SGD"),
                    "momentum": QT_TRANSLATE_NOOP("SettingsSection", "Momentum"),
                    "nesterov": QT_TRANSLATE_NOOP("SettingsSection", "Nesterov"),
                    "rmsprop": QT_TRANSLATE_NOOP("SettingsSection", "RMSprop"),
                    "adam": QT_TRANSLATE_NOOP("SettingsSection", "Adam")}
OPTIMIZER_TIPS = {
    "sgd": QT_TRANSLATE_NOOP("SettingsSection", "Plain gradient descent: each step moves against the gradient."),
    "momentum": QT_TRANSLATE_NOOP("SettingsSection", "Gradient descent that keeps a running direction (momentum 0.9)."),
    "nesterov": QT_TRANSLATE_NOOP("SettingsSection", "Momentum that looks ahead before it steps (momentum 0.9)."),
    "rmsprop": QT_TRANSLATE_NOOP("SettingsSection", "Scales each weight's step by its recent gradient size."),
    "adam": QT_TRANSLATE_NOOP("SettingsSection", "Momentum plus per-weight step sizes; a good default."),
}
# The arrows of the learning-rate field walk this ladder (Playground's choices).
LR_LADDER = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
# Gradient clipping's longest gradient (0: off); any value up to the engine's limit can be typed.
CLIP_LADDER = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0)
MAX_CLIP = 1e6
MAX_SEED = 2**31 - 1  # a QSpinBox holds an int32
LIMIT_KEY = "training/epochLimit"


def _settings_text(text: str) -> str:
    """One of this module's marked constants (an optimiser's name or tip) in the window's language."""
    return QCoreApplication.translate("SettingsSection", text) if text else ""


class LadderSpinBox(NumberSpinBox):
    """A number field whose arrows step along ``ladder`` (its ends are the range unless ``high`` is given);
    any value in range can be typed."""

    def __init__(self, ladder, parent=None, high=None):
        super().__init__(ladder[0], ladder[-1] if high is None else high, parent=parent)
        self.ladder = ladder

    def stepBy(self, steps):
        value, ladder = self.value(), self.ladder
        if steps > 0:
            higher = [v for v in ladder if v > value * (1 + 1e-9)]
            target = higher[min(steps, len(higher)) - 1] if higher else max(value, ladder[-1])
        else:
            lower = [v for v in ladder if v < value * (1 - 1e-9)]
            target = lower[-min(-steps, len(lower))] if lower else ladder[0]
        self.setValue(target)


class LearningRateSpinBox(LadderSpinBox):
    """A learning-rate field: type any value, or step along 0.00001, 0.00003, 0.0001, … 10."""

    def __init__(self, parent=None):
        super().__init__(LR_LADDER, parent)


class ClipSpinBox(LadderSpinBox):
    """Gradient clipping's longest gradient: "Off" at 0; the arrows step 0.1, 0.25, 0.5, 1, 2, 5, 10, 100."""

    def __init__(self, parent=None):
        super().__init__(CLIP_LADDER, parent, high=MAX_CLIP)
        self.setSpecialValueText(self.tr("Off"))

    def _off(self, typed: str) -> bool:
        """Whether ``typed`` (stripped, lower case) reads "off", in English or in the window's language."""
        return typed in ("off", self.specialValueText().strip().lower())

    def validate(self, text, pos):
        typed = text.strip().lower()
        if self._off(typed):
            return QValidator.State.Acceptable, text, pos
        if typed and any(word.startswith(typed) for word in ("off", self.specialValueText().strip().lower())):
            return QValidator.State.Intermediate, text, pos
        return super().validate(text, pos)

    def valueFromText(self, text):
        return 0.0 if self._off(text.strip().lower()) else super().valueFromText(text)


def edit_training(doc: Document, **changes) -> str | None:
    """Change the document's training settings as one undo step; the reason, as a sentence, if they are invalid."""
    try:
        config = replace(doc.training, **changes)
        config.validate()
    except Exception as exc:  # the widgets' ranges should prevent this; show it rather than crash
        return sentence(str(exc))
    if config != doc.training:
        commands.set_training(doc, config)
    return None


class SettingsSection(Section):
    """The training settings of ``doc``; ``sig_error`` (title, message) says when an edit was refused."""

    sig_error = Signal(str, str)
    limit_toggled = Signal(bool)

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(self.tr("Settings"), parent)
        self.doc = doc
        self._loss_refused = False  # the note says why the chosen loss cannot take the data
        self._build()
        doc.training_changed.connect(self.refresh)
        for signal in (doc.spec_changed, doc.dataset_changed, doc.training_changed):
            signal.connect(self._refresh_loss_label)
        self.refresh()
        self._refresh_loss_label()

    def _build(self) -> None:
        form = form_layout(self)
        self.form = form
        self.optimizer_combo = ComboBox(self)
        for name in OPTIMIZER_NAMES:
            self.optimizer_combo.addItem(_settings_text(OPTIMIZER_LABELS[name]) if name in OPTIMIZER_LABELS else name,
                                         name)
            self.optimizer_combo.setItemData(self.optimizer_combo.count() - 1,
                                             _settings_text(OPTIMIZER_TIPS.get(name, "")),
                                             Qt.ItemDataRole.ToolTipRole)
        self.optimizer_combo.currentIndexChanged.connect(
            lambda i: self._edit_training(optimizer=self.optimizer_combo.itemData(i)))
        narrow_combo(self.optimizer_combo)
        fit_current_text(self.optimizer_combo)
        form.addRow(self.tr("Optimiser"), self.optimizer_combo)

        self.lr_spin = LearningRateSpinBox(self)
        self.lr_spin.setToolTip(self.tr("How far each step moves the weights. Too high diverges, too low crawls. "
                                        "The arrows step 0.001 → 0.003 → 0.01 …"))
        self.lr_spin.valueChanged.connect(lambda v: self._edit_training(learning_rate=float(v)))
        # Clipping beside the learning rate: both bound how far a step goes (and a row of its own
        # would push the settings out of sight at 1366x768).
        self.clip_spin = ClipSpinBox(self)
        self.clip_spin.setAccessibleName(self.tr("Gradient clipping"))
        self.clip_spin.setToolTip(self.tr(
            "Gradient clipping: a step's gradient longer than this is shortened to this length (its direction "
            "kept), so one bad batch cannot throw the weights far. Off: no clipping. "
            "`nnviz train --clip-norm` sets it too."))
        self.clip_spin.valueChanged.connect(lambda v: self._edit_training(clip_norm=float(v)))
        clip_label = make_dim(QLabel(self.tr("Clip"), self))
        clip_label.setBuddy(self.clip_spin)
        clip_label.setToolTip(self.clip_spin.toolTip())
        step = QHBoxLayout()
        step.setContentsMargins(0, 0, 0, 0)
        step.setSpacing(6)
        step.addWidget(self.lr_spin, 1)
        step.addSpacing(4)
        step.addWidget(clip_label)
        step.addWidget(self.clip_spin, 1)
        step_row = QWidget(self)
        step_row.setLayout(step)
        form.addRow(self.tr("Learning rate"), step_row)

        self.batch_spin = SpinBox(self)
        self.batch_spin.setRange(1, 1_000_000)
        self.batch_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.batch_spin.setToolTip(self.tr("Samples per step. Larger batches give smoother, slower steps."))
        self.batch_spin.valueChanged.connect(lambda v: self._edit_training(batch_size=v))
        form.addRow(self.tr("Batch size"), self.batch_spin)

        # The window trains until paused, unless the limit is on (the command line always stops at it).
        self.limit_check = QCheckBox(self.tr("Stop after"), self)
        self.limit_check.setToolTip(self.tr("Off: Train goes on until you pause it. On: each run stops by itself "
                                            "after this many epochs (passes over the data); `nnviz train` always "
                                            "does."))
        self.limit_check.setChecked(settings.value(LIMIT_KEY, False, bool))
        self.limit_check.toggled.connect(self._limit_toggled)
        self.epochs_spin = SpinBox(self)
        self.epochs_spin.setRange(1, 1_000_000)
        self.epochs_spin.setAccelerated(True)
        self.epochs_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.epochs_spin.setToolTip(self.tr("Epochs a run trains when the limit is on; also what `nnviz train` "
                                            "trains."))
        self.epochs_spin.valueChanged.connect(lambda v: self._edit_training(epochs=v))
        limit = QHBoxLayout()
        limit.setContentsMargins(0, 0, 0, 0)
        limit.setSpacing(6)
        limit.addWidget(self.limit_check)
        limit.addWidget(self.epochs_spin, 1)
        limit_row = QWidget(self)
        limit_row.setLayout(limit)
        form.addRow(self.tr("Epoch limit"), limit_row)

        self.loss_combo = ComboBox(self)
        self.loss_combo.addItem(self.tr("Auto"), "auto")
        for name, label in LOSS_LABELS.items():
            label = core_text(label)
            self.loss_combo.addItem(label[:1].upper() + label[1:], name)
        self.loss_combo.setToolTip(self.tr("What training minimises; Auto picks it from the output layer's "
                                           "activation and the data's targets."))
        self.loss_combo.currentIndexChanged.connect(
            lambda i: self._edit_training(loss=self.loss_combo.itemData(i)))
        narrow_combo(self.loss_combo)
        fit_current_text(self.loss_combo)
        # What Auto picks, on a line under the combo: in the combo ("auto (binary cross-entropy)")
        # it needed more room than the panel has.
        form.addRow(self.tr("Loss"), self.loss_combo)
        self.loss_note = wrap_label("", self, dim=True)
        form.addRow("", self.loss_note)

        reg = QHBoxLayout()
        reg.setSpacing(6)
        self.l1_spin = NumberSpinBox(0.0, 10.0, 0.001, self)
        self.l1_spin.setToolTip(self.tr("L1 penalty: pushes weights to exactly zero (sparse weights)."))
        self.l1_spin.valueChanged.connect(lambda v: self._edit_training(l1=float(v)))
        self.l2_spin = NumberSpinBox(0.0, 10.0, 0.001, self)
        self.l2_spin.setToolTip(self.tr("L2 penalty (weight decay): keeps weights small."))
        self.l2_spin.valueChanged.connect(lambda v: self._edit_training(l2=float(v)))
        l1_label, l2_label = make_dim(QLabel("L1", self)), make_dim(QLabel("L2", self))
        reg.addWidget(l1_label)
        reg.addWidget(self.l1_spin, 1)
        reg.addSpacing(4)
        reg.addWidget(l2_label)
        reg.addWidget(self.l2_spin, 1)
        reg_row = QWidget(self)
        reg.setContentsMargins(0, 0, 0, 0)
        reg_row.setLayout(reg)
        form.addRow(self.tr("Penalty"), reg_row)

        self.seed_spin = SpinBox(self)
        self.seed_spin.setRange(0, MAX_SEED)
        self.seed_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.seed_spin.setMinimumWidth(64)
        self.seed_spin.setToolTip(self.tr("Seeds the shuffling, the validation split and Reset's fresh weights."))
        self.seed_spin.valueChanged.connect(lambda v: self._edit_training(seed=v))
        form.addRow(self.tr("Seed"), self.seed_spin)
        align_labels(form)
        self.body.addLayout(form)

    @property
    def epoch_limit(self) -> bool:
        """Whether a run stops by itself after the settings' epochs (else it trains until paused)."""
        return self.limit_check.isChecked()

    def _limit_toggled(self, on: bool) -> None:
        settings.set_value(LIMIT_KEY, on)
        self.limit_toggled.emit(on)

    def _edit_training(self, **changes) -> None:
        error = edit_training(self.doc, **changes)
        if error is not None:
            self.sig_error.emit(self.tr("Setting not applied"), error)
            self.refresh()

    def refresh(self) -> None:
        """Show the document's training settings (a field being typed in keeps its text)."""
        self._show_loss_note()
        cfg: TrainConfig = self.doc.training
        for combo, value in ((self.optimizer_combo, cfg.optimizer), (self.loss_combo, cfg.loss)):
            index = combo.findData(value)
            if index >= 0 and index != combo.currentIndex():
                blocked = combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(blocked)
                fit_to_text(combo)
        self.optimizer_combo.setToolTip(_settings_text(OPTIMIZER_TIPS.get(cfg.optimizer, "")))
        set_unless_editing(self.lr_spin, cfg.learning_rate)
        set_unless_editing(self.l1_spin, cfg.l1)
        set_unless_editing(self.l2_spin, cfg.l2)
        set_unless_editing(self.clip_spin, min(cfg.clip_norm, MAX_CLIP))
        set_spin_value(self.batch_spin, cfg.batch_size)
        set_spin_value(self.epochs_spin, cfg.epochs)
        set_spin_value(self.seed_spin, min(cfg.seed, MAX_SEED))

    def _refresh_loss_label(self) -> None:
        """Say what Auto picks for this output layer (and the data, once chosen), or why the chosen loss
        cannot take the data's targets (Train would refuse it)."""
        spec, data, loss = self.doc.spec, self.doc.data, self.doc.training.loss
        self._loss_refused = False
        try:
            if data is None:
                picked = LOSS_LABELS.get(resolve_loss("auto", spec.output_activation(), spec.outputs), "")
                text = self.tr("Auto picks {0} for this output layer.").format(core_text(picked)) if picked else ""
            else:
                classification = data.task == CLASSIFICATION
                picked = LOSS_LABELS[loss_for_targets("auto", spec, data.y, classification=classification)]
                text = self.tr("Auto picks {0} for these targets.").format(core_text(picked))
                loss_for_targets(loss, spec, data.y, classification=classification)
        except TrainingError as exc:
            text, self._loss_refused = sentence(str(exc)), True
        except Exception:  # an unusual output layer: auto decides at training time
            text = ""
        if self.loss_note.text() != text:
            self.loss_note.setText(text)
        self._show_loss_note()

    def _show_loss_note(self) -> None:
        shown = self.doc.training.loss == "auto" or self._loss_refused
        self.loss_note.setVisible(shown and bool(self.loss_note.text()))
