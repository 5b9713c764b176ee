"""The Dataset section of the training panel: a toy, a shipped table or a CSV file, its settings and a summary.

It changes the document's dataset only through
:func:`nnviz.ui.model.commands.set_dataset`. While the document names no
dataset, it offers the one its controls describe (the "pending" preview): the
views show it at once, and :meth:`DatasetSection.ready_data` makes it the
document's when a run starts.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

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
from ..io.csv_dialog import CsvImportDialog
from ..model import commands
from ..model.document import Document
from ..translation import core_text
from ..widgets.inputs import ComboBox, SpinBox, set_spin_value
from ..widgets.inputs import narrow_combo
from ..widgets.labels import fit_current_text, fit_to_text, make_dim, make_error_label, show_error, wrap_label
from ..widgets.sections import Section, align_labels, form_layout
from .settings_section import MAX_SEED, edit_training

TOY_LABELS = {
    "circle": QT_TRANSLATE_NOOP("DatasetSection", "Circle"),
    "xor": QT_TRANSLATE_NOOP("DatasetSection", "XOR"),
    "gaussian": QT_TRANSLATE_NOOP("DatasetSection", "Gaussian"),
    "spiral": QT_TRANSLATE_NOOP("DatasetSection", "Spiral"),
    "moons": QT_TRANSLATE_NOOP("DatasetSection", "Moons"),
    "plane": QT_TRANSLATE_NOOP("DatasetSection", "Plane (regression)"),
    "multi_gaussian": QT_TRANSLATE_NOOP("DatasetSection", "Multi-Gaussian (regression)"),
}
REAL_LABELS = {"iris": QT_TRANSLATE_NOOP("DatasetSection", "Iris (table)"),
               "wine": QT_TRANSLATE_NOOP("DatasetSection", "Wine (table)"),
               "digits": QT_TRANSLATE_NOOP("DatasetSection", "Digits 8×8 (table)")}
MAX_TOY_SAMPLES = 100_000  # more makes every boundary plot slow; the core allows more from a script


def _label(labels: dict[str, str], name: str, default: str) -> str:
    """A dataset's name in the combo, in the window's language (a name without a label is shown as it is)."""
    return QCoreApplication.translate("DatasetSection", labels[name]) if name in labels else default


class DatasetSection(Section):
    """The dataset of ``doc`` and its validation split; ``sig_error`` (title, message) says when an edit was refused."""

    sig_error = Signal(str, str)

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(self.tr("Dataset"), parent)
        self.doc = doc
        self._pending: tuple[DatasetRecord, Dataset] | None = None  # what Train uses while no dataset is chosen
        self._build()
        doc.training_changed.connect(self._refresh_split)
        doc.dataset_changed.connect(self._on_dataset_changed)
        doc.spec_changed.connect(self._refresh_summary)
        self._refresh_split()
        self._on_dataset_changed()

    def _build(self) -> None:
        form = form_layout(self)
        self.form = form
        self.dataset_combo = ComboBox(self)
        for name in TOY_DATASETS:
            self.dataset_combo.addItem(_label(TOY_LABELS, name, name), f"toy:{name}")
            self.dataset_combo.setItemData(self.dataset_combo.count() - 1, core_text(TOY_DATASETS[name].description),
                                           Qt.ItemDataRole.ToolTipRole)
        self.dataset_combo.insertSeparator(self.dataset_combo.count())
        for name in REAL_DATASETS:
            self.dataset_combo.addItem(_label(REAL_LABELS, name, name.title()), f"real:{name}")
        self.dataset_combo.insertSeparator(self.dataset_combo.count())
        self.dataset_combo.addItem(self.tr("Import CSV…"), "import:")
        self.dataset_combo.setToolTip(self.tr("The data the network learns from."))
        narrow_combo(self.dataset_combo)
        fit_current_text(self.dataset_combo, most=260)  # a CSV file's long name is cut; its tooltip has the path
        self.dataset_combo.activated.connect(self._on_dataset_chosen)
        form.addRow(self.tr("Data"), self.dataset_combo)

        self.noise_spin = SpinBox(self)
        self.noise_spin.setRange(0, 50)
        self.noise_spin.setSuffix(" %")
        self.noise_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.noise_spin.setToolTip(self.tr("How much the classes overlap (Playground's noise, 0 – 50 %)."))
        self.noise_spin.valueChanged.connect(self._rebuild_toy)
        form.addRow(self.tr("Noise"), self.noise_spin)

        self.samples_spin = SpinBox(self)
        self.samples_spin.setRange(MIN_SAMPLES, MAX_TOY_SAMPLES)
        self.samples_spin.setSingleStep(100)
        self.samples_spin.setAccelerated(True)
        self.samples_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.samples_spin.setValue(500)
        self.samples_spin.setToolTip(self.tr("How many points to generate."))
        self.samples_spin.valueChanged.connect(self._rebuild_toy)
        form.addRow(self.tr("Samples"), self.samples_spin)

        seed_row = QHBoxLayout()
        seed_row.setSpacing(6)
        self.data_seed_spin = SpinBox(self)
        self.data_seed_spin.setRange(0, MAX_SEED)
        self.data_seed_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.data_seed_spin.setToolTip(self.tr("The same seed draws the same points."))
        self.data_seed_spin.setMinimumWidth(64)  # its hint fits 2147483647, far wider than any seed typed
        self.data_seed_spin.valueChanged.connect(self._rebuild_toy)
        seed_row.addWidget(self.data_seed_spin, 1)
        self.regenerate_button = QToolButton(self)
        self.regenerate_button.setText(self.tr("Regenerate"))
        self.regenerate_button.setObjectName("regenerateButton")
        self.regenerate_button.setToolTip(self.tr("Draw new points (a new data seed)."))
        self.regenerate_button.clicked.connect(self.regenerate)
        seed_row.addWidget(self.regenerate_button)
        self._seed_row = QWidget(self)
        self._seed_row.setLayout(seed_row)
        seed_row.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Data seed"), self._seed_row)

        self.val_spin = SpinBox(self)
        self.val_spin.setRange(0, round(100 * MAX_VAL_FRACTION))
        self.val_spin.setSuffix(" %")
        self.val_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.val_spin.setToolTip(self.tr("Share of the samples held out to measure validation loss; never trained on."))
        self.val_spin.valueChanged.connect(self._edit_split)
        form.addRow(self.tr("Validation"), self.val_spin)
        align_labels(form)
        self.body.addLayout(form)

        self.summary_label = make_dim(wrap_label("", self))
        self.body.addWidget(self.summary_label)
        self.dataset_error = make_error_label(self)
        self.body.addWidget(self.dataset_error)

    # -- the validation split (a training setting, shown beside the data it splits) --

    def _edit_split(self, percent: int) -> None:
        error = edit_training(self.doc, val_split=percent / 100)
        if error is not None:
            self.sig_error.emit(self.tr("Setting not applied"), error)
            self._refresh_split()

    def _refresh_split(self) -> None:
        set_spin_value(self.val_spin, round(self.doc.training.val_split * 100))
        self._refresh_summary()

    # -- the dataset -----------------------------------------------------------

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

    def _show_record(self) -> None:
        """Point the dataset controls at the document's dataset."""
        record = self.doc.dataset_record
        combo = self.dataset_combo
        blocked = [w.blockSignals(True) for w in (combo, self.noise_spin, self.samples_spin, self.data_seed_spin)]
        try:
            csv_index = next((i for i in range(combo.count()) if self._combo_key(i)[0] == "csv"), -1)
            if record is not None and record.kind == "csv":
                label = self.tr("{0} (CSV)").format(record.name)
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
            self.form.setRowVisible(widget, toy)
        index = combo.currentIndex()
        combo.setToolTip(combo.itemData(index, Qt.ItemDataRole.ToolTipRole)
                         or self.tr("The data the network learns from."))
        fit_to_text(combo, most=260)  # (chosen with its signals blocked)
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
            self.summary_label.setText(self.tr("No data loaded."))
            return
        n_val = round(data.n_samples * self.doc.training.val_split)
        kind = self.tr("{0} classes").format(data.n_classes) if data.task == CLASSIFICATION else self.tr("regression")
        features = (self.tr("1 feature") if data.n_features == 1
                    else self.tr("{0} features").format(data.n_features))
        text = self.tr("{0} samples · {1} · {2} · {3} train / {4} validation").format(
            f"{data.n_samples:,}", features, kind, f"{data.n_samples - n_val:,}", f"{n_val:,}")
        if data.n_features != self.doc.spec.inputs:
            text += "\n" + self.tr("The network takes %n input(s): set its inputs to {0} to train on this data.", "",
                                   self.doc.spec.inputs).format(data.n_features)
        self.summary_label.setText(text)

    # -- for the panel's controls ----------------------------------------------

    def can_train(self) -> bool:
        """Whether there is data to train on: the document's, or the one offered while none is chosen."""
        return self.doc.data is not None or (self.doc.dataset_record is None and self._pending is not None)

    def ready_data(self) -> Dataset | None:
        """The document's data; the offered (chosen but not yet set) dataset goes into the document first."""
        if self.doc.dataset_record is None:  # doc.data may hold the controls' preview
            data = self._data_for_summary()
            if data is not None:
                commands.set_dataset(self.doc, self._choice_record(), data)
        return self.doc.data
