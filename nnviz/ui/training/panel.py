"""The training panel: the data to learn from, the settings, the controls and a live readout.

It edits the document (dataset, training settings) and drives a
:class:`~nnviz.ui.training.worker.TrainingSession`. Each update from the
worker goes into the document (weights and history) so that every view
follows the run; the panel itself only refreshes a few labels per update.

Any undoable edit of the network while a run exists stops the run: the
worker's weights would no longer fit, and an edit is a person taking over.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPainter, QPalette, QPen
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

from ...core.datasets import (
    CLASSIFICATION,
    MAX_VAL_FRACTION,
    MIN_SAMPLES,
    REAL_DATASETS,
    TOY_DATASETS,
    Dataset,
    DatasetError,
)
from ...core.project import DatasetRecord
from ...core.losses import LOSS_LABELS, resolve_loss
from ...core.numbers import loss_text, percent
from ...core.optimizers import OPTIMIZER_NAMES
from ...core.training import TrainConfig
from ..actions import TRAINING, make_actions, set_tip
from ..model import commands
from ..widgets import icons
from ..io.csv_dialog import CsvImportDialog, make_error_label, sentence, show_error
from ..model.document import Document
from ..widgets.live_text import LiveText
from ..widgets.inputs import ComboBox, NumberSpinBox, SpinBox, set_spin_value, set_unless_editing
from ..widgets.labels import make_dim, mono, wrap_label
from ..widgets.sections import Section, align_labels, column_width, form_layout, scroll_column
from ..widgets.theme import mix_colors
from .controller import TrainingController
from .worker import FINISHED, PAUSED, RUNNING

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

    def __init__(self, doc: Document, controller: TrainingController, actions: dict | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.controller = controller
        self._pending: tuple[DatasetRecord, Dataset] | None = None  # what Train uses while no dataset is chosen

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
        controller.sig_changed.connect(self._sync_controls)
        controller.sig_problem.connect(self.notice.show_message)
        controller.run.updated.connect(self._on_run_update)

        self._refresh_settings()
        self._on_dataset_changed()
        self._refresh_loss_label()
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
        commands.set_training(self.doc, config)

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

    def _choice_record(self) -> DatasetRecord:
        """The record the dataset controls describe (a toy with its settings, or a shipped table)."""
        kind, name = self._combo_key()
        if kind == "toy":
            return DatasetRecord(name, n_samples=self.samples_spin.value(), noise=self.noise_spin.value() / 100,
                                 seed=self.data_seed_spin.value())
        return DatasetRecord(name)

    def _apply_choice(self) -> None:
        try:
            record = self._choice_record()
            data = record.load()
        except DatasetError as exc:
            show_error(self.dataset_error, str(exc))
            return
        commands.set_dataset(self.doc, record, data)

    def import_csv(self) -> None:
        """Ask for a CSV file (the import dialog) and train on it; the selection reverts when cancelled."""
        result = CsvImportDialog.run(self)
        if result is None:
            self._show_record()
            return
        data, record = result
        commands.set_dataset(self.doc, record, data)

    def _on_dataset_changed(self) -> None:
        doc = self.doc
        show_error(self.dataset_error, None)
        if doc.dataset_record is not None and doc.data is None:
            try:
                data = doc.project.load_dataset()
            except DatasetError as exc:
                show_error(self.dataset_error, str(exc))
            else:
                doc.show_data(data)  # emits dataset_changed again, which lands here with the data loaded
                return
        self._show_record()
        if doc.dataset_record is None and doc.data is None:
            # Nothing chosen yet: let the views (decision boundary) show the data the
            # controls offer. The document takes it as its own only when training starts.
            preview = self._data_for_summary()
            if preview is not None:
                doc.show_data(preview)
                return
        self._sync_controls()

    def _show_record(self) -> None:
        """Point the dataset controls at the document's dataset."""
        record = self.doc.dataset_record
        combo = self.dataset_combo
        blocked = [w.blockSignals(True) for w in (combo, self.noise_spin, self.samples_spin, self.data_seed_spin)]
        try:
            csv_index = next((i for i in range(combo.count()) if self._combo_key(i)[0] == "csv"), -1)
            if record is not None and record.kind == "csv":
                label = f"{record.name} (CSV)"
                if csv_index < 0:
                    csv_index = combo.count() - 1  # just above "Import CSV…"
                    combo.insertItem(csv_index, label, f"csv:{record.path}")
                else:
                    combo.setItemText(csv_index, label)
                    combo.setItemData(csv_index, f"csv:{record.path}")
                combo.setItemData(csv_index, record.path, Qt.ItemDataRole.ToolTipRole)
                combo.setCurrentIndex(csv_index)
            elif record is not None:
                kind = "real" if record.kind == "table" else "toy"
                index = combo.findData(f"{kind}:{record.name}")
                if index >= 0:
                    combo.setCurrentIndex(index)
                if kind == "toy":
                    self.noise_spin.setValue(round(record.noise * 100))
                    self.samples_spin.setValue(record.n_samples)
                    self.data_seed_spin.setValue(min(record.seed, MAX_SEED))
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
        record = self._choice_record()
        if self._pending is None or self._pending[0] != record:
            try:
                self._pending = record, record.load()
            except DatasetError:
                self._pending = None
        return self._pending[1] if self._pending else None

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
            data = self._data_for_summary()
            if data is not None:
                commands.set_dataset(self.doc, self._choice_record(), data)
        return self.doc.data

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
        """Fresh weights and an empty history, as one undo step; a run in progress stops."""
        self.controller.stop()
        commands.reset_training(self.doc)
        self.notice.hide()
        self.sig_status.emit("Training reset: fresh weights, empty history.")

    def _ready_data(self) -> None:
        """Before a run starts: the dataset the controls offer becomes the document's."""
        if not self.controller.live:
            self.notice.hide()
            self._training_data()

    # -- the run's reports ---------------------------------------------------

    def _on_run_update(self) -> None:
        update = self.controller.run.update
        if update is None or not self.controller.live:
            return
        snap = update.snapshot
        self._show_readout(update.epoch + self.controller.epoch_offset, update.step, snap.train_loss, snap.val_loss,
                           snap.train_accuracy, snap.val_accuracy, update.steps_per_second)

    def _on_spec_changed(self) -> None:
        self._refresh_loss_label()
        self._refresh_summary()

    def _show_error(self, title: str, message: str) -> None:
        self.notice.show_message(title, message, error=True)

    def _on_history_changed(self) -> None:
        if not self.controller.live:
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
        r["loss"].setText(loss_text(loss))
        r["val_loss"].setText(loss_text(val_loss))
        classification = acc is not None or (self.doc.data is not None and self.doc.data.task == CLASSIFICATION)
        for w in (r["acc"], r["val_acc"], *self._acc_names):
            w.setVisible(classification)
        r["acc"].setText(percent(acc, space=True))
        r["val_acc"].setText(percent(val_acc, space=True))
        r["speed"].setText(_DASH if sps is None else f"{sps:,.0f} steps/s")
        if emit:
            parts = [f"Epoch {epoch:,}", f"loss {loss_text(loss)}" + (f" / {loss_text(val_loss)}" if val_loss is not None else "")]
            if acc is not None:
                parts.append(f"accuracy {percent(acc, space=True)}" + (f" / {percent(val_acc, space=True)}" if val_acc is not None else ""))
            if sps:
                parts.append(f"{sps:,.0f} steps/s")
            self.sig_live.emit(" · ".join(parts))

    def _sync_controls(self) -> None:
        live = self.controller.live
        state = self.controller.state
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
        elif self.controller.session.state == FINISHED and self.state_label.text() in labels.values():
            self.state_label.setText("Finished.")
        elif self.state_label.text() in labels.values():
            self.state_label.setText("")
        self.state_label.setVisible(bool(self.state_label.text()))
