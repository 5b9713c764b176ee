"""The inspector's compact tables: an editor for any real number, and sizing."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QStyledItemDelegate, QTableView

from ....core.numbers import significant


def edited_number(index, value, role) -> float | None:
    """The finite number typed into a table's value column (column 1), else ``None``."""
    if role != Qt.ItemDataRole.EditRole or index.column() != 1:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


class NumberDelegate(QStyledItemDelegate):
    """Edits a cell as text, so any real number can be typed (the default editor rounds to 2 decimals)."""

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        validator = QDoubleValidator(editor)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        editor.setValidator(validator)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        return editor

    def setEditorData(self, editor, index):
        editor.setText(significant(index.data(Qt.ItemDataRole.EditRole), 6))
        editor.selectAll()

    def setModelData(self, editor, model, index):
        try:
            model.setData(index, float(editor.text().replace(",", ".")))
        except ValueError:
            pass  # left unchanged: nothing sensible was typed


def compact_table(model, parent) -> QTableView:
    """A table showing ``model``: no grid or row numbers, its numbers edited by :class:`NumberDelegate`."""
    table = QTableView(parent)
    table.setModel(model)
    table.setItemDelegate(NumberDelegate(table))
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def fit_name_column(table: QTableView, names: list[str]) -> None:
    """Make the first column as wide as its longest name (within reason); the numbers share the rest."""
    fm = table.fontMetrics()
    longest = max((fm.horizontalAdvance(n) for n in names[:200]), default=0)
    header = table.horizontalHeader()
    title = fm.horizontalAdvance(str(table.model().headerData(0, Qt.Orientation.Horizontal)))
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
    header.resizeSection(0, min(max(longest, title) + 18, 120))


def fit_rows(table: QTableView, rows: int, max_rows: int) -> None:
    """Size ``table`` to show ``rows`` rows, at most ``max_rows`` (it scrolls past that)."""
    shown = max(1, min(rows, max_rows))
    height = table.horizontalHeader().sizeHint().height() + shown * table.verticalHeader().defaultSectionSize() + 2 * table.frameWidth() + 1
    table.setFixedHeight(height)
