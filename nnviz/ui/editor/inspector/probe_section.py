"""The inspector's bottom, always shown: the probe input, one number per input feature, and the output for it.

The probe is the input the diagram and the neuron section show the network's
response to. It is not part of the network; every change goes through
:func:`nnviz.ui.model.commands.set_probe`, in raw units (the document standardises it).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from ....core.numbers import fixed
from ....core.outputs import predicted_class
from ...model import commands
from ...model.document import Document
from ...widgets.inputs import NumberSpinBox, set_unless_editing
from ...widgets.labels import make_dim, wrap_label
from ...widgets.sections import Section, small_button
from .selection import input_names, output_names
from .tables import compact_table, edited_number, fit_name_column, fit_rows

PROBE_TABLE_ABOVE = 16  # more inputs than this: a compact table instead of one field each


class _ProbeModel(QAbstractTableModel):
    """The probe as a table (for many inputs): one row per feature, the value editable."""

    def __init__(self, section: ProbeSection):
        super().__init__(section)
        self.section = section
        self.values = np.zeros(0)
        self.names: list[str] = []

    def set_values(self, values: np.ndarray, names: list[str]) -> None:
        if len(values) == len(self.values):
            self.values, self.names = values, names
            if len(values):
                self.dataChanged.emit(self.index(0, 0), self.index(len(values) - 1, 1))
        else:
            self.beginResetModel()
            self.values, self.names = values, names
            self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.values)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (self.tr("Input"), self.tr("Value"))[section]
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 1 else base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.names[r] if c == 0 else fixed(self.values[r])
        if role == Qt.ItemDataRole.EditRole and c == 1:
            return float(self.values[r])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        value = edited_number(index, value, role)
        if value is None:
            return False
        self.section.set_probe_value(index.row(), value)
        return True


class ProbeSection(Section):
    """The probe input of ``doc``, editable (a field per input, or a table past :data:`PROBE_TABLE_ABOVE`), and its output."""

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(self.tr("Probe input"), parent)
        self.doc = doc
        self.probe_spins: list[NumberSpinBox] = []
        self._probe_mode: tuple[str, int] | None = None
        self.probe_intro = wrap_label(
            self.tr("The input the diagram and the numbers above show the network's response to."), self, dim=True)
        self.body.addWidget(self.probe_intro)
        self.probe_host = QWidget(self)
        self.probe_grid = QGridLayout(self.probe_host)
        self.probe_grid.setContentsMargins(0, 0, 0, 0)
        self.probe_grid.setHorizontalSpacing(8)
        self.probe_grid.setVerticalSpacing(5)
        self.body.addWidget(self.probe_host)
        self.probe_model = _ProbeModel(self)
        self.probe_table = compact_table(self.probe_model, self)
        self.probe_table.hide()
        self.body.addWidget(self.probe_table)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.all_ones_button = small_button(self.tr("All 1"), self)
        self.all_ones_button.setToolTip(self.tr("Set every input to 1"))
        self.all_ones_button.clicked.connect(lambda: commands.set_probe(self.doc, np.ones(self.doc.spec.inputs)))
        self.all_zeros_button = small_button(self.tr("All 0"), self)
        self.all_zeros_button.setToolTip(self.tr("Set every input to 0"))
        self.all_zeros_button.clicked.connect(lambda: commands.set_probe(self.doc, np.zeros(self.doc.spec.inputs)))
        self.random_button = small_button(self.tr("Random"), self)
        self.random_button.setToolTip(self.tr("Draw every input from a standard normal distribution"))
        self.random_button.clicked.connect(self._random_probe)
        for b in (self.all_ones_button, self.all_zeros_button, self.random_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.output_label = wrap_label("", self)
        self.body.addWidget(self.output_label)

    def refresh(self, trace: list[dict] | None = None) -> None:
        """Show the probe's values (rebuilding the fields if the number of inputs changed) and its output
        (from ``trace``, the document's trace of the probe, by default)."""
        n = self.doc.spec.inputs
        names = input_names(self.doc)
        mode = ("table" if n > PROBE_TABLE_ABOVE else "fields", n)
        if mode != self._probe_mode:
            self._rebuild_probe_fields(mode[0], n)
            self._probe_mode = mode
        values = np.asarray(self.doc.probe, dtype=np.float64)
        if mode[0] == "table":
            self.probe_model.set_values(values.copy(), names)
            fit_name_column(self.probe_table, names)
        else:
            for k, spin in enumerate(self.probe_spins):
                set_unless_editing(spin, float(values[k]))
                label = self.probe_grid.itemAtPosition(*self._probe_cell(k, n)).widget()
                label.setText(names[k])
        self.refresh_output(trace)

    @staticmethod
    def _probe_cell(k: int, n: int) -> tuple[int, int]:
        """(row, column of the label) of probe field ``k``: two pairs per row past four inputs."""
        if n <= 4:
            return k, 0
        return k // 2, (k % 2) * 2

    def _rebuild_probe_fields(self, mode: str, n: int) -> None:
        while self.probe_grid.count():
            item = self.probe_grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.probe_spins = []
        if mode == "table":
            self.probe_host.hide()
            self.probe_table.show()
            fit_rows(self.probe_table, n, 8)
            return
        self.probe_table.hide()
        self.probe_host.show()
        for k in range(n):
            row, col = self._probe_cell(k, n)
            label = make_dim(QLabel(self.probe_host))
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            spin = NumberSpinBox(-1e6, 1e6, 0.1, self.probe_host)
            spin.setFixedWidth(104)
            spin.setToolTip(self.tr("Probe value of input {0}").format(k + 1))
            spin.valueChanged.connect(lambda v, k=k: self.set_probe_value(k, v))
            label.setBuddy(spin)
            self.probe_grid.addWidget(label, row, col)
            self.probe_grid.addWidget(spin, row, col + 1)
            self.probe_spins.append(spin)
        for c in range(5):
            self.probe_grid.setColumnStretch(c, 0)
        self.probe_grid.setColumnStretch(4 if n > 4 else 2, 1)

    def refresh_output(self, trace: list[dict] | None = None) -> None:
        """Show the network's output for the probe (after the weights changed, the probe did not), from
        ``trace`` (the document's trace of the probe by default)."""
        out = (self.doc.trace() if trace is None else trace)[-1]["a"][0].astype(np.float64)
        names = output_names(self.doc)
        act = self.doc.spec.output_activation()
        shown = out[:10]
        if names:
            parts = [f"{names[k]} {fixed(v)}" for k, v in enumerate(shown)]
        else:
            parts = [fixed(v) for v in shown]
        text = ", ".join(parts)
        if len(out) > 10:
            text = self.tr("{0}, … ({1} in all)").format(text, f"{len(out):,}")
        predicted = predicted_class(out, act, self.doc.project.output_names)
        if predicted is not None and predicted == predicted_class(out, act, None):
            # No class names in the file: the core's "class N" is nnviz's word, shown in the window's language.
            predicted = self.tr("class {0}").format(predicted.removeprefix("class "))
        verdict = f" → {predicted}" if predicted else ""
        self.output_label.setText(self.tr("<b>Output</b>&nbsp; {0}").format(text + verdict))

    # -- edits -----------------------------------------------------------------------

    def set_probe_value(self, k: int, value: float) -> None:
        """Set probe input ``k`` to ``value`` (raw, through ``commands.set_probe``)."""
        values = np.array(self.doc.probe, dtype=np.float64)
        if values[k] == value:
            return
        values[k] = value
        commands.set_probe(self.doc, values)

    def _random_probe(self) -> None:
        rng = np.random.default_rng()
        commands.set_probe(self.doc, np.round(rng.standard_normal(self.doc.spec.inputs), 3))
