"""The training panel: the data to learn from, the settings, the controls and a live readout.

It edits the document (dataset, training settings) and drives a
:class:`~nnviz.ui.training.worker.TrainingSession`. Each update from the
worker goes into the document (weights and history) so that every view
follows the run; the panel itself only refreshes a few labels per update.

Any undoable edit of the network while a run exists stops the run: the
worker's weights would no longer fit, and an edit is a person taking over.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.csv_import import read_csv
from ...core.datasets import (
    CLASSIFICATION,
    MAX_VAL_FRACTION,
    MIN_SAMPLES,
    REAL_DATASETS,
    TOY_DATASETS,
    Dataset,
    DatasetError,
    load_real,
    make_toy,
)
from ...core.losses import LOSS_LABELS, resolve_loss
from ...core.optimizers import OPTIMIZER_NAMES
from ...core.training import History, TrainConfig
from ..actions import TRAINING, make_actions, set_tip
from ..model import commands
from ..widgets import icons
from ..io.csv_dialog import CsvImportDialog, make_error_label, sentence, show_error
from ..model.document import Document
from ..widgets.live_text import LiveText
from ..widgets.panel_widgets import (
    NumberSpinBox,
    Section,
    align_labels,
    form_layout,
    mono,
    scroll_column,
    set_unless_editing,
    wrap_label,
)
from ..editor.layer_card import ComboBox, SpinBox, make_dim, mix_colors, set_spin_value
from ..widgets.throttle import Throttle
from .worker import DIVERGED, FINISHED, PAUSED, RUNNING, TrainingSession, TrainingUpdate

APPLY_HZ = 8  # training updates shown per second at most (the worker sends up to 30)

TOY_LABELS = {
    "circle": "Circle",
    "xor": "XOR",
    "gaussian": "Gaussian",
    "spiral": "Spiral",
    "moons": "Moons",
    "plane": "Plane (regression)",
    "multi_gaussian": "Multi-Gaussian (regression)",
}
REAL_LABELS = {"iris": "Iris (table)", "wine": "Wine (table)", "digits": "Digits 8×8 (table)"}
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "rmsprop": "RMSprop", "adam": "Adam"}
OPTIMIZER_TIPS = {
    "sgd": "Plain gradient descent: each step moves against the gradient.",
    "momentum": "Gradient descent that keeps a running direction (momentum 0.9).",
    "nesterov": "Momentum that looks ahead before it steps (momentum 0.9).",
    "rmsprop": "Scales each weight's step by its recent gradient size.",
    "adam": "Momentum plus per-weight step sizes; a good default.",
}
# The arrows of the learning-rate field walk this ladder (Playground's choices).
LR_LADDER = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
MAX_TOY_SAMPLES = 100_000  # more makes every boundary plot slow; the core allows more from a script
MAX_SEED = 2**31 - 1  # a QSpinBox holds an int32

ERROR_COLOR = QColor("#cf222e")
_DASH = "—"
# The usual longest text of each readout value: its room, kept while the value changes.
_READOUT_TEMPLATES = {"epoch": "100,000", "step": "1,000,000", "acc": "100.0 %", "val_acc": "100.0 %",
                      "speed": "100,000 steps/s"}


class LearningRateSpinBox(NumberSpinBox):
    """A learning-rate field: type any value, or step along 0.00001, 0.00003, 0.0001, … 10."""

    def __init__(self, parent=None):
        super().__init__(LR_LADDER[0], LR_LADDER[-1], parent=parent)

    def stepBy(self, steps):
        value = self.value()
        if steps > 0:
            higher = [v for v in LR_LADDER if v > value * (1 + 1e-9)]
            target = higher[min(steps, len(higher)) - 1] if higher else LR_LADDER[-1]
        else:
            lower = [v for v in LR_LADDER if v < value * (1 - 1e-9)]
            target = lower[-min(-steps, len(lower))] if lower else LR_LADDER[0]
        self.setValue(target)


class Notice(QFrame):
    """A tinted, rounded box with a bold title and a message: a diverged run (amber) or an error (red)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.color = icons.WARNING_COLOR
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 7, 10, 8)
        layout.setSpacing(9)
        self.mark = QLabel(self)
        self.mark.setFixedSize(18, 18)
        self.mark.setPixmap(icons.severity_icon("warning").pixmap(18, 18))
        layout.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        self.title = wrap_label("", self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.message = wrap_label("", self)
        text.addWidget(self.title)
        text.addWidget(self.message)
        layout.addLayout(text, 1)
        self.hide()

    def show_message(self, title: str, message: str, error: bool = False) -> None:
        self.color = ERROR_COLOR if error else icons.WARNING_COLOR
        self.mark.setVisible(not error)
        pal = self.title.palette()
        pal.setColor(QPalette.ColorRole.WindowText, self.color.darker(115) if error else self.palette().color(QPalette.ColorRole.WindowText))
        self.title.setPalette(pal)
        self.title.setText(title)
        self.message.setText(message)
        self.show()
        self.update()

    def text(self) -> str:
        return f"{self.title.text()}\n{self.message.text()}" if self.isVisibleTo(self.parentWidget()) else ""

    def paintEvent(self, event):
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = self.palette().color(QPalette.ColorRole.Base)
        p.setPen(QPen(mix_colors(base, self.color, 0.45), 1.0))
        p.setBrush(mix_colors(base, self.color, 0.08))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)


def _narrow(combo) -> None:
    """Let a combo box shrink below its longest item (it elides) instead of widening the dock."""
    combo.setSizeAdjustPolicy(ComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)


def _same_label_width(*forms) -> None:
    """One label column for every form, so the fields of all sections line up."""
    labels = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and item.widget() is not None:
                labels.append(item.widget())
    width = max(label.sizeHint().width() for label in labels)
    for label in labels:
        label.setMinimumWidth(width)


def _fmt_loss(value) -> str:
    if value is None:
        return _DASH
    value = float(value)
    if not math.isfinite(value):
        return "NaN" if value != value else "∞"
    return f"{value:.4f}" if 1e-3 <= abs(value) < 1e4 else f"{value:.3g}"


def _fmt_acc(value) -> str:
    return _DASH if value is None else f"{100 * float(value):.1f} %"


def _finite(params) -> bool:
    return all(np.isfinite(a).all() for layer in params for a in layer.values())


class TrainingPanel(QWidget):
    """Dataset, training settings, Train / Pause / Step / Reset, and a live readout for ``doc``.

    ``sig_status`` carries one-off messages for the status bar (a run stopped,
    diverged, failed, finished); ``sig_live`` the running readout ("Epoch 12 ·
    loss 0.213 / 0.250 · …"), at most once per update.
    """

    sig_status = Signal(str)
    sig_live = Signal(str)

    def __init__(self, doc: Document, session: TrainingSession, actions: dict | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.session = session
        self._accepting = False  # updates of the current run go into the document
        self._epoch_offset = 0  # epochs in the document's history when the run started
        self._new_epochs = History()  # received, not yet applied to the document
        self._last_update: TrainingUpdate | None = None
        self._pending: tuple[dict, Dataset] | None = None  # what Train uses while no dataset is chosen
        self._pending_update: TrainingUpdate | None = None  # the newest update not yet shown
        self._apply = Throttle(APPLY_HZ, self._apply_pending, self)
        self._loading = False

        self.actions_ = actions or make_actions(self, TRAINING)
        self._connect_actions()

        scroll, col = scroll_column(self)
        self.scroll = scroll
        body = scroll.widget()

        self._build_controls(body, col)
        self._build_dataset(body, col)
        self._build_settings(body, col)
        _same_label_width(self.dataset_form, self.settings_form)
        col.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(scroll)

        doc.training_changed.connect(self._refresh_settings)
        doc.dataset_changed.connect(self._on_dataset_changed)
        doc.spec_changed.connect(self._on_spec_changed)
        doc.history_changed.connect(self._on_history_changed)
        doc.undo_stack.indexChanged.connect(self._on_edit)
        session.sig_update.connect(self._on_update)
        session.sig_state.connect(self._on_state)
        session.sig_error.connect(self._on_error)

        self._refresh_settings()
        self._on_dataset_changed()
        self._refresh_loss_label()
        self._show_history_readout()
        self._sync_controls()

    def sizeHint(self):
        return QSize(300, 640)

    def minimumSizeHint(self):
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        return QSize(self.scroll.widget().minimumSizeHint().width() + bar + 2, 200)

    # -- building ------------------------------------------------------------

    def _connect_actions(self) -> None:
        acts = self.actions_
        self.actionTrain, self.actionStep = acts["Train"], acts["Step"]
        self.actionStepEpoch, self.actionResetTraining = acts["StepEpoch"], acts["ResetTraining"]
        for action, slot in ((self.actionTrain, self.toggle_training), (self.actionStep, self.step),
                             (self.actionStepEpoch, self.step_epoch), (self.actionResetTraining, self.reset)):
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
        self.train_button.setMinimumWidth(self.train_button.fontMetrics().horizontalAdvance("Resume") + 40)
        row.addWidget(self.train_button, 5)
        self.step_button = self._tool_button(self.actionStep, body)
        self.step_epoch_button = self._tool_button(self.actionStepEpoch, body)
        self.reset_button = self._tool_button(self.actionResetTraining, body)
        for b in (self.step_button, self.step_epoch_button, self.reset_button):
            b.setMinimumWidth(b.fontMetrics().horizontalAdvance(b.text()) + 14)
            row.addWidget(b, 3)
        col.addLayout(row)

        # the live readout: two columns of label / value pairs
        grid = QGridLayout()
        grid.setContentsMargins(2, 2, 2, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        self.readout: dict[str, LiveText] = {}
        cells = (("epoch", "Epoch", 0, 0), ("step", "Step", 0, 2), ("loss", "Loss", 1, 0), ("val_loss", "Val loss", 1, 2),
                 ("acc", "Accuracy", 2, 0), ("val_acc", "Val acc.", 2, 2), ("speed", "Speed", 3, 0))
        for key, text, r, c in cells:
            name = make_dim(QLabel(text, body))
            value = mono(LiveText(_READOUT_TEMPLATES.get(key, "0.0000"), _DASH, body))
            grid.addWidget(name, r, c)
            grid.addWidget(value, r, c + 1, 1, 3 if key == "speed" else 1)
            self.readout[key] = value
            if key in ("acc", "val_acc"):
                value.setToolTip("Share of samples classified correctly (classification only).")
        self._acc_names = [grid.itemAtPosition(2, 0).widget(), grid.itemAtPosition(2, 2).widget()]
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        col.addLayout(grid)

        self.state_label = make_dim(wrap_label("", body))
        col.addWidget(self.state_label)
        self.notice = Notice(body)
        col.addWidget(self.notice)

    def _build_dataset(self, body, col) -> None:
        section = Section("Dataset", body)
        form = form_layout(section)
        self.dataset_form = form
        self.dataset_combo = ComboBox(section)
        for name in TOY_DATASETS:
            self.dataset_combo.addItem(TOY_LABELS.get(name, name), f"toy:{name}")
            self.dataset_combo.setItemData(self.dataset_combo.count() - 1, TOY_DATASETS[name].description,
                                           Qt.ItemDataRole.ToolTipRole)
        self.dataset_combo.insertSeparator(self.dataset_combo.count())
        for name in REAL_DATASETS:
            self.dataset_combo.addItem(REAL_LABELS.get(name, name.title()), f"real:{name}")
        self.dataset_combo.insertSeparator(self.dataset_combo.count())
        self.dataset_combo.addItem("Import CSV…", "import:")
        self.dataset_combo.setToolTip("The data the network learns from.")
        _narrow(self.dataset_combo)
        self.dataset_combo.activated.connect(self._on_dataset_chosen)
        form.addRow("Data", self.dataset_combo)

        self.noise_spin = SpinBox(section)
        self.noise_spin.setRange(0, 50)
        self.noise_spin.setSuffix(" %")
        self.noise_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.noise_spin.setToolTip("How much the classes overlap (Playground's noise, 0 – 50 %).")
        self.noise_spin.valueChanged.connect(self._rebuild_toy)
        form.addRow("Noise", self.noise_spin)

        self.samples_spin = SpinBox(section)
        self.samples_spin.setRange(MIN_SAMPLES, MAX_TOY_SAMPLES)
        self.samples_spin.setSingleStep(100)
        self.samples_spin.setAccelerated(True)
        self.samples_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.samples_spin.setValue(500)
        self.samples_spin.setToolTip("How many points to generate.")
        self.samples_spin.valueChanged.connect(self._rebuild_toy)
        form.addRow("Samples", self.samples_spin)

        seed_row = QHBoxLayout()
        seed_row.setSpacing(6)
        self.data_seed_spin = SpinBox(section)
        self.data_seed_spin.setRange(0, MAX_SEED)
        self.data_seed_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.data_seed_spin.setToolTip("The same seed draws the same points.")
        self.data_seed_spin.setMinimumWidth(64)  # its hint fits 2147483647, far wider than any seed typed
        self.data_seed_spin.valueChanged.connect(self._rebuild_toy)
        seed_row.addWidget(self.data_seed_spin, 1)
        self.regenerate_button = QToolButton(section)
        self.regenerate_button.setText("Regenerate")
        self.regenerate_button.setObjectName("regenerateButton")
        self.regenerate_button.setToolTip("Draw new points (a new data seed).")
        self.regenerate_button.clicked.connect(self.regenerate)
        seed_row.addWidget(self.regenerate_button)
        self._seed_row = QWidget(section)
        self._seed_row.setLayout(seed_row)
        seed_row.setContentsMargins(0, 0, 0, 0)
        form.addRow("Data seed", self._seed_row)

        self.val_spin = SpinBox(section)
        self.val_spin.setRange(0, round(100 * MAX_VAL_FRACTION))
        self.val_spin.setSuffix(" %")
        self.val_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.val_spin.setToolTip("Share of the samples held out to measure validation loss; never trained on.")
        self.val_spin.valueChanged.connect(lambda v: self._edit_training(val_split=v / 100))
        form.addRow("Validation", self.val_spin)
        align_labels(form)
        section.body.addLayout(form)

        self.summary_label = make_dim(wrap_label("", section))
        section.body.addWidget(self.summary_label)
        self.dataset_error = make_error_label(section)
        section.body.addWidget(self.dataset_error)
        col.addWidget(section)

    def _build_settings(self, body, col) -> None:
        section = Section("Settings", body)
        form = form_layout(section)
        self.settings_form = form
        self.optimizer_combo = ComboBox(section)
        for name in OPTIMIZER_NAMES:
            self.optimizer_combo.addItem(OPTIMIZER_LABELS.get(name, name), name)
            self.optimizer_combo.setItemData(self.optimizer_combo.count() - 1, OPTIMIZER_TIPS.get(name, ""),
                                             Qt.ItemDataRole.ToolTipRole)
        self.optimizer_combo.currentIndexChanged.connect(
            lambda i: self._edit_training(optimizer=self.optimizer_combo.itemData(i)))
        _narrow(self.optimizer_combo)
        form.addRow("Optimiser", self.optimizer_combo)

        self.lr_spin = LearningRateSpinBox(section)
        self.lr_spin.setToolTip("How far each step moves the weights. Too high diverges, too low crawls. "
                                "The arrows step 0.001 → 0.003 → 0.01 …")
        self.lr_spin.valueChanged.connect(lambda v: self._edit_training(learning_rate=float(v)))
        form.addRow("Learning rate", self.lr_spin)

        self.batch_spin = SpinBox(section)
        self.batch_spin.setRange(1, 1_000_000)
        self.batch_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.batch_spin.setToolTip("Samples per step. Larger batches give smoother, slower steps.")
        self.batch_spin.valueChanged.connect(lambda v: self._edit_training(batch_size=v))
        form.addRow("Batch size", self.batch_spin)

        self.epochs_spin = SpinBox(section)
        self.epochs_spin.setRange(1, 1_000_000)
        self.epochs_spin.setAccelerated(True)
        self.epochs_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.epochs_spin.setToolTip("Train stops by itself after this many epochs (passes over the data).")
        self.epochs_spin.valueChanged.connect(lambda v: self._edit_training(epochs=v))
        form.addRow("Epoch limit", self.epochs_spin)

        self.loss_combo = ComboBox(section)
        self.loss_combo.addItem("auto", "auto")
        for name, label in LOSS_LABELS.items():
            self.loss_combo.addItem(label[:1].upper() + label[1:], name)
        self.loss_combo.setToolTip("What training minimises; auto picks it from the output layer's activation.")
        self.loss_combo.currentIndexChanged.connect(
            lambda i: self._edit_training(loss=self.loss_combo.itemData(i)))
        _narrow(self.loss_combo)
        form.addRow("Loss", self.loss_combo)

        reg = QHBoxLayout()
        reg.setSpacing(6)
        self.l1_spin = NumberSpinBox(0.0, 10.0, 0.001, section)
        self.l1_spin.setToolTip("L1 penalty: pushes weights to exactly zero (sparse weights).")
        self.l1_spin.valueChanged.connect(lambda v: self._edit_training(l1=float(v)))
        self.l2_spin = NumberSpinBox(0.0, 10.0, 0.001, section)
        self.l2_spin.setToolTip("L2 penalty (weight decay): keeps weights small.")
        self.l2_spin.valueChanged.connect(lambda v: self._edit_training(l2=float(v)))
        l1_label, l2_label = make_dim(QLabel("L1", section)), make_dim(QLabel("L2", section))
        reg.addWidget(l1_label)
        reg.addWidget(self.l1_spin, 1)
        reg.addSpacing(4)
        reg.addWidget(l2_label)
        reg.addWidget(self.l2_spin, 1)
        reg_row = QWidget(section)
        reg.setContentsMargins(0, 0, 0, 0)
        reg_row.setLayout(reg)
        form.addRow("Penalty", reg_row)

        self.seed_spin = SpinBox(section)
        self.seed_spin.setRange(0, MAX_SEED)
        self.seed_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.seed_spin.setMinimumWidth(64)
        self.seed_spin.setToolTip("Seeds the shuffling, the validation split and Reset's fresh weights.")
        self.seed_spin.valueChanged.connect(lambda v: self._edit_training(seed=v))
        form.addRow("Seed", self.seed_spin)
        align_labels(form)
        section.body.addLayout(form)
        col.addWidget(section)

    # -- settings ------------------------------------------------------------

    def _edit_training(self, **changes) -> None:
        try:
            config = replace(self.doc.training, **changes)
            config.validate()
        except Exception as exc:  # the widgets' ranges should prevent this; show it rather than crash
            self._show_error("Setting not applied", sentence(str(exc)))
            self._refresh_settings()
            return
        if config == self.doc.training:
            return
        self.doc.set_training(config)
        if self._run_live():
            # Settings belong to a run: carry on from the current weights with the new ones.
            self._begin(paused=self.session.state == PAUSED)
            self.sig_status.emit("Training continues with the new settings.")

    def _refresh_settings(self) -> None:
        cfg: TrainConfig = self.doc.training
        for combo, value in ((self.optimizer_combo, cfg.optimizer), (self.loss_combo, cfg.loss)):
            index = combo.findData(value)
            if index >= 0 and index != combo.currentIndex():
                blocked = combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(blocked)
        self.optimizer_combo.setToolTip(OPTIMIZER_TIPS.get(cfg.optimizer, ""))
        set_unless_editing(self.lr_spin, cfg.learning_rate)
        set_unless_editing(self.l1_spin, cfg.l1)
        set_unless_editing(self.l2_spin, cfg.l2)
        set_spin_value(self.batch_spin, cfg.batch_size)
        set_spin_value(self.epochs_spin, cfg.epochs)
        set_spin_value(self.seed_spin, min(cfg.seed, MAX_SEED))
        set_spin_value(self.val_spin, round(cfg.val_split * 100))
        self._refresh_summary()

    def _refresh_loss_label(self) -> None:
        spec = self.doc.spec
        try:
            picked = LOSS_LABELS.get(resolve_loss("auto", spec.output_activation(), spec.outputs), "")
        except Exception:  # an unusual output layer: auto decides at training time
            picked = ""
        self.loss_combo.setItemText(0, f"auto ({picked})" if picked else "auto")

    # -- dataset -------------------------------------------------------------

    def _combo_key(self, index: int | None = None) -> tuple[str, str]:
        """(kind, name) of a dataset combo item: kind is toy, real, csv (name = path) or import."""
        data = self.dataset_combo.itemData(self.dataset_combo.currentIndex() if index is None else index)
        kind, _, name = (data or "toy:circle").partition(":")
        return kind, name

    def _on_dataset_chosen(self, index: int) -> None:
        kind, name = self._combo_key(index)
        if kind == "import":
            self.import_csv()
        elif kind == "csv":
            pass  # already the document's dataset
        else:
            self._apply_choice()

    def _rebuild_toy(self, *_args) -> None:
        if self._combo_key()[0] == "toy":
            self._apply_choice()

    def regenerate(self) -> None:
        """Draw new points: a new data seed (which rebuilds the dataset)."""
        seed = int(np.random.default_rng().integers(0, 10_000))
        if seed == self.data_seed_spin.value():
            seed += 1
        self.data_seed_spin.setValue(seed)

    def _build_choice(self) -> tuple[dict, Dataset]:
        """The record and data the dataset controls describe; raises DatasetError."""
        kind, name = self._combo_key()
        if kind == "toy":
            record = {"name": name, "n_samples": self.samples_spin.value(),
                      "noise": self.noise_spin.value() / 100, "seed": self.data_seed_spin.value()}
        else:
            record = {"name": name}
        return record, self._load_record(record)

    def _apply_choice(self) -> None:
        try:
            record, data = self._build_choice()
        except DatasetError as exc:
            show_error(self.dataset_error, str(exc))
            return
        self.doc.set_dataset(record, data)

    def _load_record(self, record: dict) -> Dataset:
        """Build the data a record describes (a toy, a shipped table, a CSV file); raises DatasetError."""
        try:
            if "path" in record:
                path = Path(str(record["path"]))
                if not path.is_absolute() and self.doc.path is not None:
                    path = self.doc.path.parent / path
                if not path.is_file():
                    raise DatasetError(f'the CSV file "{path}" is missing; choose Import CSV… to pick it again.')
                target = record.get("target")
                return read_csv(path, target=None if target is None else str(target),
                                standardize=bool(record.get("standardize", True)), name=record.get("name"))
            name = str(record.get("name", ""))
            if name in REAL_DATASETS:
                return load_real(name, bool(record.get("standardize", True)))
            return make_toy(name, int(record.get("n_samples", 500)), float(record.get("noise", 0.0)),
                            int(record.get("seed", 0)))
        except (TypeError, ValueError) as exc:
            if isinstance(exc, DatasetError):
                raise
            raise DatasetError(f"the file's dataset description {record!r} cannot be used ({exc}); "
                               "choose a dataset again.") from exc

    def import_csv(self) -> None:
        """Ask for a CSV file (the import dialog) and train on it; the selection reverts when cancelled."""
        result = CsvImportDialog.run(self)
        if result is None:
            self._show_record()
            return
        data, record = result
        self.doc.set_dataset(record, data)

    def _on_dataset_changed(self) -> None:
        doc = self.doc
        if self._loading:
            return
        if self._run_live():
            self._stop_run("Training stopped: the dataset changed.")
        show_error(self.dataset_error, None)
        if doc.dataset_record is not None and doc.data is None:
            try:
                data = self._load_record(doc.dataset_record)
            except DatasetError as exc:
                show_error(self.dataset_error, str(exc))
            else:
                self._show_data(data)
        self._show_record()
        if doc.dataset_record is None and doc.data is None:
            # Nothing chosen yet: let the views (decision boundary) show the data the
            # controls offer. The document takes it as its own only when training starts.
            preview = self._data_for_summary()
            if preview is not None:
                self._show_data(preview)
        self._sync_controls()

    def _show_data(self, data: Dataset) -> None:
        """Give the document data to show without marking it changed (loading is not an edit)."""
        self.doc.data = data
        self._loading = True
        try:
            self.doc.dataset_changed.emit()
        finally:
            self._loading = False

    def _show_record(self) -> None:
        """Point the dataset controls at the document's dataset."""
        record = self.doc.dataset_record or {}
        combo = self.dataset_combo
        blocked = [w.blockSignals(True) for w in (combo, self.noise_spin, self.samples_spin, self.data_seed_spin)]
        try:
            csv_index = next((i for i in range(combo.count()) if self._combo_key(i)[0] == "csv"), -1)
            if "path" in record:
                label = f"{record.get('name') or Path(str(record['path'])).stem} (CSV)"
                if csv_index < 0:
                    csv_index = combo.count() - 1  # just above "Import CSV…"
                    combo.insertItem(csv_index, label, f"csv:{record['path']}")
                else:
                    combo.setItemText(csv_index, label)
                    combo.setItemData(csv_index, f"csv:{record['path']}")
                combo.setItemData(csv_index, str(record["path"]), Qt.ItemDataRole.ToolTipRole)
                combo.setCurrentIndex(csv_index)
            elif record:
                name = record.get("name")
                kind = "real" if name in REAL_DATASETS else "toy"
                index = combo.findData(f"{kind}:{name}")
                if index >= 0:
                    combo.setCurrentIndex(index)
                if kind == "toy":
                    try:
                        self.noise_spin.setValue(round(float(record.get("noise", 0.0)) * 100))
                        self.samples_spin.setValue(int(record.get("n_samples", 500)))
                        self.data_seed_spin.setValue(min(int(record.get("seed", 0)), MAX_SEED))
                    except (TypeError, ValueError):
                        pass  # the error label already says the record is unusable
            elif combo.currentIndex() < 0 or self._combo_key()[0] not in ("toy", "real"):
                combo.setCurrentIndex(0)
        finally:
            for w, b in zip((combo, self.noise_spin, self.samples_spin, self.data_seed_spin), blocked):
                w.blockSignals(b)
        toy = self._combo_key()[0] == "toy"
        for widget in (self.noise_spin, self.samples_spin, self._seed_row):
            self.dataset_form.setRowVisible(widget, toy)
        index = combo.currentIndex()
        combo.setToolTip(combo.itemData(index, Qt.ItemDataRole.ToolTipRole) or "The data the network learns from.")
        self._refresh_summary()

    def _data_for_summary(self) -> Dataset | None:
        if self.doc.data is not None:
            return self.doc.data
        if self.doc.dataset_record is not None:
            return None  # it failed to load: the error says why
        if self._pending is None or self._pending[0] != self._safe_choice_record():
            try:
                self._pending = self._build_choice()
            except DatasetError:
                self._pending = None
        return self._pending[1] if self._pending else None

    def _safe_choice_record(self):
        kind, name = self._combo_key()
        if kind == "toy":
            return {"name": name, "n_samples": self.samples_spin.value(),
                    "noise": self.noise_spin.value() / 100, "seed": self.data_seed_spin.value()}
        return {"name": name}

    def _refresh_summary(self) -> None:
        data = self._data_for_summary()
        if data is None:
            self.summary_label.setText("No data loaded.")
            return
        n_val = round(data.n_samples * self.doc.training.val_split)
        kind = f"{data.n_classes} classes" if data.task == CLASSIFICATION else "regression"
        features = f"{data.n_features} feature" + ("" if data.n_features == 1 else "s")
        text = (f"{data.n_samples:,} samples · {features} · {kind} · "
                f"{data.n_samples - n_val:,} train / {n_val:,} validation")
        if data.n_features != self.doc.spec.inputs:
            text += (f"\nThe network takes {self.doc.spec.inputs} input(s): set its inputs to "
                     f"{data.n_features} to train on this data.")
        self.summary_label.setText(text)

    def _training_data(self) -> Dataset | None:
        """The document's data; the chosen-but-not-yet-set dataset goes into the document first."""
        if self.doc.dataset_record is None:  # doc.data may hold the controls' preview
            self.doc.data = None
            data = self._data_for_summary()
            if data is not None:
                self.doc.set_dataset(self._pending[0], data)
        return self.doc.data

    # -- controls ------------------------------------------------------------

    def _run_live(self) -> bool:
        """A run of ours is in progress (running or paused) and not already told to stop."""
        return self._accepting and self.session.is_running

    def toggle_training(self) -> None:
        """Train: start a run, pause it, or resume it."""
        if not self._run_live():
            self._begin(paused=False)
        elif self.session.state == PAUSED:
            self.session.resume()
            self.state_label.setText("Running…")
        else:
            self.session.pause()

    def step(self) -> None:
        """Train on one batch, then pause (starting a paused run first if needed)."""
        if self._run_live() or self._begin(paused=True):
            self.session.step()

    def step_epoch(self) -> None:
        """Train to the end of the current epoch, then pause."""
        if self._run_live() or self._begin(paused=True):
            self.session.step_epoch()

    def reset(self) -> None:
        """Fresh weights and an empty history, as one undo step; a run in progress stops."""
        self._stop_run(None)
        commands.reset_training(self.doc)
        self.notice.hide()
        self.sig_status.emit("Training reset: fresh weights, empty history.")

    def _begin(self, paused: bool) -> bool:
        data = self._training_data()
        if data is None:
            self._show_error("No data to train on", "Choose a dataset above.")
            return False
        cfg = self.doc.training
        try:
            train, val = data.split(cfg.val_split, cfg.seed)
        except DatasetError as exc:
            self._show_error("Cannot split the data", sentence(str(exc)))
            return False
        # The network learns on the data's scale: raw inputs (the probe, `nnviz predict`) go through it too.
        self.doc.set_standardization(data.standardization)
        self._epoch_offset = self.doc.history.epoch[-1] if self.doc.history.epoch else 0
        self._new_epochs = History()
        self._last_update = None
        self.notice.hide()
        self._accepting = True
        self.session.start(self.doc.network, train, val if val.n_samples else None, cfg, paused=paused)
        self._sync_controls()
        return True

    def _stop_run(self, status: str | None) -> None:
        """Stop the run and ignore whatever it still sends (its weights may no longer fit)."""
        live = self._run_live()
        self._accepting = False
        self.session.stop()
        if live and status:
            self.state_label.setText(status)
            self.sig_status.emit(status)
        self._sync_controls()

    def _on_edit(self, _index: int) -> None:
        if self._run_live():
            self._stop_run("Training stopped: the network was edited.")

    def _on_spec_changed(self) -> None:
        if self._run_live():
            self._stop_run("Training stopped: the network was edited.")
        self._refresh_loss_label()
        self._refresh_summary()

    def shutdown(self) -> None:
        """End training and its thread (for the main window's closeEvent)."""
        self._accepting = False
        self.session.shutdown()

    # -- the run's reports ---------------------------------------------------

    def _on_update(self, update: TrainingUpdate) -> None:
        if not self._accepting:
            return
        # The worker sends up to 30 updates a second; every one applied repaints the
        # canvas, plots and boundary on the GUI thread, whose time (and GIL) comes out
        # of training. So the newest update lands at most APPLY_HZ times a second.
        self._last_update = update
        self._pending_update = update
        self._new_epochs.extend(update.new_epochs, self._epoch_offset)  # every update's, not only the applied ones
        self._apply.request()

    def _apply_pending(self) -> None:
        update, self._pending_update = self._pending_update, None
        if update is None or not self._accepting:
            return
        snap = update.snapshot
        new, self._new_epochs = self._new_epochs, History()
        weights = snap.weights
        if weights is not None and (snap.status != DIVERGED or _finite(weights)):
            self.doc.apply_training(weights, new)
        self._show_readout(update.epoch + self._epoch_offset, update.step, snap.train_loss, snap.val_loss,
                           snap.train_accuracy, snap.val_accuracy, update.steps_per_second)

    def _on_state(self, state: str) -> None:
        self._apply_pending()  # the run's last update lands before its state is shown
        if not self._accepting:
            self._sync_controls()
            return
        snap = self._last_update.snapshot if self._last_update else None
        if state == DIVERGED:
            message = (snap.message if snap and snap.message else
                       "The loss became infinite or NaN. Try a lower learning rate or standardised inputs.")
            self.notice.show_message("Training diverged", message)
            self.sig_status.emit(message)
        elif state == FINISHED:
            epochs = self.doc.history.epoch[-1] if self.doc.history.epoch else 0
            self.sig_status.emit(f"Training finished: {epochs} epochs.")
        self._sync_controls()

    def _on_error(self, message: str) -> None:
        self._show_error("Training could not run", sentence(message))
        self.sig_status.emit(sentence(message))

    def _show_error(self, title: str, message: str) -> None:
        self.notice.show_message(title, message, error=True)

    def _on_history_changed(self) -> None:
        if not self._run_live():
            self._show_history_readout()

    def _show_history_readout(self) -> None:
        h = self.doc.history
        if len(h):
            self._show_readout(h.epoch[-1], None, h.train_loss[-1], h.val_loss[-1], h.train_accuracy[-1],
                               h.val_accuracy[-1], None, emit=False)
        else:
            self._show_readout(0, None, None, None, None, None, None, emit=False)

    def _show_readout(self, epoch, step, loss, val_loss, acc, val_acc, sps, emit: bool = True) -> None:
        r = self.readout
        r["epoch"].setText(f"{epoch:,}")
        r["step"].setText(_DASH if step is None else f"{step:,}")
        r["loss"].setText(_fmt_loss(loss))
        r["val_loss"].setText(_fmt_loss(val_loss))
        classification = acc is not None or (self.doc.data is not None and self.doc.data.task == CLASSIFICATION)
        for w in (r["acc"], r["val_acc"], *self._acc_names):
            w.setVisible(classification)
        r["acc"].setText(_fmt_acc(acc))
        r["val_acc"].setText(_fmt_acc(val_acc))
        r["speed"].setText(_DASH if sps is None else f"{sps:,.0f} steps/s")
        if emit:
            parts = [f"Epoch {epoch:,}", f"loss {_fmt_loss(loss)}" + (f" / {_fmt_loss(val_loss)}" if val_loss is not None else "")]
            if acc is not None:
                parts.append(f"accuracy {_fmt_acc(acc)}" + (f" / {_fmt_acc(val_acc)}" if val_acc is not None else ""))
            if sps:
                parts.append(f"{sps:,.0f} steps/s")
            self.sig_live.emit(" · ".join(parts))

    def _sync_controls(self) -> None:
        live = self._run_live()
        state = self.session.state if live else None
        style = self.style()
        if state == RUNNING:
            text, tip, icon = "Pause", "Pause training", QStyle.StandardPixmap.SP_MediaPause
        elif state == PAUSED:
            text, tip, icon = "Resume", "Resume training", QStyle.StandardPixmap.SP_MediaPlay
        else:
            text, tip, icon = "Train", "Start training", QStyle.StandardPixmap.SP_MediaPlay
        self.actionTrain.setText(text)
        self.actionTrain.setIcon(style.standardIcon(icon))
        set_tip(self.actionTrain, tip)
        can_train = self.doc.data is not None or (self.doc.dataset_record is None and self._pending is not None)
        for act in (self.actionTrain, self.actionStep, self.actionStepEpoch):
            act.setEnabled(live or can_train)
        labels = {RUNNING: "Running…", PAUSED: "Paused."}
        if live:
            self.state_label.setText(labels.get(state, ""))
        elif self.session.state == FINISHED and self.state_label.text() in labels.values():
            self.state_label.setText("Finished.")
        elif self.state_label.text() in labels.values():
            self.state_label.setText("")
        self.state_label.setVisible(bool(self.state_label.text()))
