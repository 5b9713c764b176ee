"""Import a CSV file as the training data: preview, target column, standardisation.

Every problem the core finds (a word in a number column, too few rows, …) is
shown in the dialog itself, naming the line and column, and the Import button
stays disabled until the file reads cleanly; nothing is imported half-way.
"""

from __future__ import annotations

from pathlib import Path


from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.csv_import import preview_csv, read_csv
from ...core.datasets import CLASSIFICATION, Dataset, DatasetError
from ...core.project import DatasetRecord
from ..widgets.inputs import ComboBox
from ..widgets.labels import WrapLabel, make_dim, make_error_label, show_error
from ..widgets.sections import form_layout

PREVIEW_ROWS = 20
_LAST_DIR_KEY = "csv_import/last_dir"


def describe_dataset(data: Dataset) -> str:
    """"150 rows · 4 features · 3 classes" (or "· regression")."""
    kind = (QCoreApplication.translate("CsvImportDialog", "{0} classes").format(data.n_classes)
            if data.task == CLASSIFICATION else QCoreApplication.translate("CsvImportDialog", "regression"))
    features = (QCoreApplication.translate("CsvImportDialog", "1 feature") if data.n_features == 1
                else QCoreApplication.translate("CsvImportDialog", "{0} features").format(data.n_features))
    return QCoreApplication.translate("CsvImportDialog", "{0} rows · {1} · {2}").format(
        f"{data.n_samples:,}", features, kind)


class CsvImportDialog(QDialog):
    """Choose a CSV file, look at its first rows, pick the target column, import.

    ``dataset`` holds the imported data once the file reads cleanly (else None)
    and :meth:`record` the description saved in the ``.nnviz`` file.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import CSV"))
        self.path: Path | None = None
        self.dataset: Dataset | None = None

        layout = QVBoxLayout(self)
        layout.setSpacing(8)

        row = QHBoxLayout()
        row.setSpacing(6)
        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("No file chosen"))
        row.addWidget(self.path_edit, 1)
        self.browse_button = QPushButton(self.tr("Browse…"), self)
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        row.addWidget(self.browse_button)
        layout.addLayout(row)

        self.preview_label = make_dim(QLabel(self.tr("First {0} rows").format(PREVIEW_ROWS), self))
        layout.addWidget(self.preview_label)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setMinimumHeight(160)
        layout.addWidget(self.table, 1)

        form = form_layout(self)
        self.target_combo = ComboBox(self)
        self.target_combo.setToolTip(self.tr("The column the network learns to predict; every other column is an input."))
        self.target_combo.currentIndexChanged.connect(self._reimport)
        form.addRow(self.tr("Target column"), self.target_combo)
        self.standardize_check = QCheckBox(self.tr("Standardise features (mean 0, std 1)"), self)
        self.standardize_check.setChecked(True)
        self.standardize_check.setToolTip(self.tr("Shift and scale every input column; most networks train much better so."))
        self.standardize_check.toggled.connect(self._reimport)
        form.addRow("", self.standardize_check)
        layout.addLayout(form)

        self.summary_label = make_dim(WrapLabel("", self))
        layout.addWidget(self.summary_label)
        self.error_label = make_error_label(self)
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Import"))
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(560, 480)

    # -- loading -------------------------------------------------------------

    @property
    def target(self) -> str | None:
        return self.target_combo.currentText() if self.target_combo.count() else None

    @property
    def error(self) -> str:
        """The message shown (empty when the file imports)."""
        return self.error_label.text() if self.error_label.isVisibleTo(self) else ""

    def browse(self) -> bool:
        """Ask for a file and load it; False when the person cancels."""
        settings = QSettings()
        start = str(self.path.parent) if self.path else str(settings.value(_LAST_DIR_KEY, ""))
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import CSV"), start, self.tr("CSV files (*.csv *.tsv *.txt);;All files (*)")
        )
        if not path:
            return False
        settings.setValue(_LAST_DIR_KEY, str(Path(path).parent))
        self.load(path)
        return True

    def load(self, path) -> bool:
        """Preview ``path`` and import it with the last column as target; True when it imports."""
        self.path = Path(path)
        self.path_edit.setText(str(self.path))
        self.path_edit.setToolTip(str(self.path))
        try:
            header, rows = preview_csv(self.path, PREVIEW_ROWS)
        except DatasetError as exc:
            self._fill_preview([], [])
            self._set_targets([])
            self._failed(str(exc))
            return False
        self._fill_preview(header, rows)
        self._set_targets(header)
        return self._reimport()

    def _fill_preview(self, header: list[str], rows: list[list[str]]) -> None:
        width = max([len(header), *(len(r) for r in rows)]) if header else 0
        self.table.clear()
        self.table.setColumnCount(width)
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels([*header, *[""] * (width - len(header))])
        for i, cells in enumerate(rows):
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        self.table.setVerticalHeaderLabels([str(i + 2) for i in range(len(rows))])  # as an editor numbers lines
        self.table.resizeColumnsToContents()

    def _set_targets(self, header: list[str]) -> None:
        blocked = self.target_combo.blockSignals(True)
        self.target_combo.clear()
        self.target_combo.addItems(header)
        self.target_combo.setCurrentIndex(len(header) - 1)
        self.target_combo.blockSignals(blocked)
        self.target_combo.setEnabled(bool(header))

    def _reimport(self, *_args) -> bool:
        if self.path is None or self.target is None:
            return False
        try:
            data = read_csv(self.path, target=self.target, standardize=self.standardize_check.isChecked())
        except DatasetError as exc:
            self._failed(str(exc))
            return False
        self.dataset = data
        show_error(self.error_label, None)
        self.summary_label.setText(describe_dataset(data))
        self.summary_label.show()
        self.ok_button.setEnabled(True)
        return True

    def _failed(self, message: str) -> None:
        self.dataset = None
        self.summary_label.setText("")
        self.summary_label.hide()
        show_error(self.error_label, message)
        self.ok_button.setEnabled(False)

    # -- result --------------------------------------------------------------

    def record(self) -> DatasetRecord | None:
        """The dataset record saved in the file (None until the file imports)."""
        if self.dataset is None or self.path is None:
            return None
        return DatasetRecord(self.dataset.name, path=str(self.path), target=self.target,
                             standardize=self.standardize_check.isChecked())

    @classmethod
    def run(cls, parent: QWidget | None = None) -> tuple[Dataset, DatasetRecord] | None:
        """Ask for a file, show the dialog; ``(dataset, record)`` when imported, else None."""
        dialog = cls(parent)
        try:
            if not dialog.browse():
                return None
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.dataset is None:
                return None
            return dialog.dataset, dialog.record()
        finally:
            dialog.deleteLater()
