"""The inspector: the selected layer's settings, the selected neuron's numbers, and the probe input.

Top: what is selected (a layer, the inputs, or nothing: a summary of the
network) and its settings, editable. Middle, when a neuron is selected: its
bias and incoming weights in an editable table, with the probe's value on each
connection, the weighted sum and the activation, so a learner can follow one
neuron's arithmetic by hand. Bottom, always: the probe input, one number per
input feature, and the network's output for it. Every edit is a command on the
document (or ``doc.set_probe`` for the probe, which is not part of the model).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDoubleValidator, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.counting import count, human_bytes
from ..widgets.colors import DEFAULT_SCHEME, color_scheme
from ...core.spec import BatchNormSpec, DenseSpec, DropoutSpec
from ..model import commands
from ..widgets import icons
from ..model.document import Document
from ..widgets.panel_widgets import NumberSpinBox, Section, align_labels, form_layout, mono, scroll_column, set_unless_editing, small_button, wrap_label
from .layer_card import (
    KIND_NAMES,
    activation_label,
    activation_tip,
    dim_color,
    make_activation_combo,
    make_dim,
    make_initializer_combo,
    make_rate_spin,
    lower_first,
    make_units_spin,
    output_index,
    set_combo_value,
    show_units_cost,
)

PROBE_TABLE_ABOVE = 16  # more inputs than this: a compact table instead of one field each


def _text_colors(scheme_name: str, dark: bool = False) -> tuple[QColor, QColor]:
    """The diagram's positive and negative colours, adjusted to read as text on a light or dark base."""
    scheme = color_scheme(scheme_name)
    if dark:
        return QColor(scheme.positive).lighter(125), QColor(scheme.negative).lighter(125)
    return QColor(scheme.positive).darker(135), QColor(scheme.negative).darker(112)


def fmt(value: float) -> str:
    """A number for a cell: 4 decimals, or scientific when tiny or huge."""
    value = float(value)
    if value != value:
        return "NaN"
    if value == 0:
        return "0.0000"
    if abs(value) >= 1e5 or abs(value) < 1e-4:
        return f"{value:.3e}"
    return f"{value:.4f}"


def _dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Base).lightness() < 128


# -- the neuron's incoming weights -------------------------------------------


class _WeightsModel(QAbstractTableModel):
    """Rows: the neuron's inputs. Columns: from, weight (editable), input value, weight × input."""

    HEADERS = ("From", "Weight", "Input", "w × x")

    def __init__(self, inspector: "Inspector"):
        super().__init__(inspector)
        self.inspector = inspector
        self.layer = 0
        self.neuron = 0
        self.weights = np.zeros(0)
        self.inputs = np.zeros(0)
        self.names: list[str] = []
        self.positive, self.negative = _text_colors(DEFAULT_SCHEME, _dark(inspector))

    def set_column(self, layer: int, neuron: int, weights: np.ndarray, inputs: np.ndarray, names: list[str]) -> None:
        same_shape = len(weights) == len(self.weights) and (layer, neuron) == (self.layer, self.neuron)
        self.layer, self.neuron = layer, neuron
        if same_shape:
            self.weights, self.inputs, self.names = weights, inputs, names
            if len(weights):
                self.dataChanged.emit(self.index(0, 0), self.index(len(weights) - 1, 3))
        else:
            self.beginResetModel()
            self.weights, self.inputs, self.names = weights, inputs, names
            self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.weights)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return (
                "Where the connection comes from",
                "The connection's weight (double-click to edit)",
                "The value arriving on this connection for the probe input",
                "Weight times input: this connection's share of the weighted sum",
            )[section]
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 1 else base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if c == 0:
                return self.names[r] if r < len(self.names) else str(r + 1)
            value = (self.weights[r], self.inputs[r], self.weights[r] * self.inputs[r])[c - 1]
            return fmt(value)
        if role == Qt.ItemDataRole.EditRole and c == 1:
            return float(self.weights[r])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and c in (1, 3):
            value = self.weights[r] if c == 1 else self.weights[r] * self.inputs[r]
            return self.positive if value > 0 else self.negative if value < 0 else None
        if role == Qt.ItemDataRole.ToolTipRole and c == 1:
            return f"Weight from {self.data(self.index(r, 0))} into neuron {self.neuron + 1}: {float(self.weights[r])!r}"
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        value = _edited_number(index, value, role)
        if value is None:
            return False
        commands.set_parameter(self.inspector.doc, self.layer, "weights", (index.row(), self.neuron), value)
        return True


class _NumberDelegate(QStyledItemDelegate):
    """Edits a cell as text, so any real number can be typed (the default editor rounds to 2 decimals)."""

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        validator = QDoubleValidator(editor)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        editor.setValidator(validator)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        return editor

    def setEditorData(self, editor, index):
        editor.setText(f"{index.data(Qt.ItemDataRole.EditRole):.6g}")
        editor.selectAll()

    def setModelData(self, editor, model, index):
        try:
            model.setData(index, float(editor.text().replace(",", ".")))
        except ValueError:
            pass  # left unchanged: nothing sensible was typed


class _ProbeModel(QAbstractTableModel):
    """The probe as a table (for many inputs): one row per feature, the value editable."""

    def __init__(self, inspector: "Inspector"):
        super().__init__(inspector)
        self.inspector = inspector
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
            return ("Input", "Value")[section]
        return None

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 1 else base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.names[r] if c == 0 else fmt(self.values[r])
        if role == Qt.ItemDataRole.EditRole and c == 1:
            return float(self.values[r])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        value = _edited_number(index, value, role)
        if value is None:
            return False
        self.inspector.set_probe_value(index.row(), value)
        return True


def _compact_table(model, parent) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setItemDelegate(_NumberDelegate(table))
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


def _fit_name_column(table: QTableView, names: list[str]) -> None:
    """Make the first column as wide as its longest name (within reason); the numbers share the rest."""
    fm = table.fontMetrics()
    longest = max((fm.horizontalAdvance(n) for n in names[:200]), default=0)
    header = table.horizontalHeader()
    title = fm.horizontalAdvance(str(table.model().headerData(0, Qt.Orientation.Horizontal)))
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
    header.resizeSection(0, min(max(longest, title) + 18, 120))


def _fit_rows(table: QTableView, rows: int, max_rows: int) -> None:
    """Size ``table`` to show ``rows`` rows, at most ``max_rows`` (it scrolls past that)."""
    shown = max(1, min(rows, max_rows))
    height = table.horizontalHeader().sizeHint().height() + shown * table.verticalHeader().defaultSectionSize() + 2 * table.frameWidth() + 1
    table.setFixedHeight(height)


# -- small layout helpers ---------------------------------------------------------


class _Pages(QWidget):
    """Like QStackedWidget, but only the shown page counts for the height (so wrapped text fits)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._current: QWidget | None = None

    def addWidget(self, page: QWidget) -> None:
        self._layout.addWidget(page)
        page.setVisible(self._current is None)
        if self._current is None:
            self._current = page

    def setCurrentWidget(self, page: QWidget) -> None:
        if page is not self._current:
            self._current.hide()
            page.show()
            self._current = page

    def currentWidget(self) -> QWidget | None:
        return self._current


# -- the inspector -------------------------------------------------------------------


class Inspector(QWidget):
    """Settings of the selected layer, numbers of the selected neuron, and the probe input of ``doc``."""

    refreshed = Signal()  # after every update (tests and the main window's status may listen)

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self._probe_spins: list[NumberSpinBox] = []
        self._probe_mode: tuple[str, int] | None = None

        scroll, col = scroll_column(self, (12, 10, 12, 10))
        self.scroll = scroll
        body = scroll.widget()

        # header: icon, title, shape and parameter count, what it does
        head = QHBoxLayout()
        head.setSpacing(10)
        self.icon_label = QLabel(body)
        self.icon_label.setFixedSize(32, 32)
        head.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(1)
        self.title_label = QLabel(body)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.18)
        font.setBold(True)
        self.title_label.setFont(font)
        self.subtitle_label = wrap_label("", body, dim=True)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        head.addLayout(titles, 1)
        col.addLayout(head)
        self.about_label = wrap_label("", body)
        col.addWidget(self.about_label)

        # settings, one page per kind
        self.settings = Section("Settings", body)
        self.pages = _Pages(self.settings)
        self.settings.body.addWidget(self.pages)
        col.addWidget(self.settings)
        self._build_pages()

        # the selected neuron
        self.neuron_section = Section("Neuron", body)
        self._build_neuron(self.neuron_section)
        col.addWidget(self.neuron_section)

        # the probe
        self.probe_section = Section("Probe input", body)
        self._build_probe(self.probe_section)
        col.addWidget(self.probe_section)
        col.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)  # minimumSizeHint() rules
        layout.addWidget(scroll)

        doc.spec_changed.connect(self.refresh)
        doc.selection_changed.connect(self.refresh)
        doc.params_changed.connect(self._refresh_numbers)
        doc.probe_changed.connect(self._refresh_probe)
        self.refresh()

    def sizeHint(self):
        return QSize(320, 560)

    def minimumSizeHint(self):
        # Never narrower than the fields can be: a dock squeezed further would clip them.
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        return QSize(self.scroll.widget().minimumSizeHint().width() + bar + 2, 200)

    def set_color_scheme(self, name: str) -> None:
        """Colour weights like the diagram: ``name`` is a :data:`nnviz.ui.widgets.colors.SCHEMES` key."""
        model = self.weights_model
        model.positive, model.negative = _text_colors(name, _dark(self))
        if model.rowCount():
            model.dataChanged.emit(model.index(0, 1), model.index(model.rowCount() - 1, 3))

    # -- building ----------------------------------------------------------------

    def _build_pages(self) -> None:
        pages = self.pages
        # nothing selected: the network as a whole
        self.page_none = QWidget(pages)
        lay = QVBoxLayout(self.page_none)
        lay.setContentsMargins(0, 0, 0, 0)
        self.summary_label = wrap_label("", self.page_none)
        lay.addWidget(self.summary_label)
        pages.addWidget(self.page_none)

        # inputs
        self.page_input = QWidget(pages)
        form = form_layout(self.page_input)
        self.page_input.setLayout(form)
        self.inputs_spin = make_units_spin(self.page_input)
        self.inputs_spin.setToolTip("How many numbers go into the network: one per input feature.")
        self.inputs_spin.valueChanged.connect(lambda n: commands.set_inputs(self.doc, n))
        form.addRow("Features", self.inputs_spin)
        pages.addWidget(self.page_input)

        # dense
        self.page_dense = QWidget(pages)
        form = form_layout(self.page_dense)
        self.page_dense.setLayout(form)
        self.units_spin = make_units_spin(self.page_dense)
        self.units_spin.valueChanged.connect(lambda v: self._edit(units=v))
        form.addRow("Units", self.units_spin)
        self.activation_combo = make_activation_combo(self.page_dense)
        self.activation_combo.activated.connect(
            lambda row: self._edit(activation=self.activation_combo.itemData(row)))
        form.addRow("Activation", self.activation_combo)
        self.init_combo = make_initializer_combo(self.page_dense)
        self.init_combo.setMinimumWidth(90)
        self.init_combo.activated.connect(self._initializer_chosen)
        form.addRow("Initialiser", self.init_combo)
        self.redraw_button = small_button("Re-draw weights", self.page_dense)
        self.redraw_button.setMaximumWidth(16777215)
        self.redraw_button.setToolTip("Draw this layer's weights afresh from its initialiser (undoable).")
        self.redraw_button.clicked.connect(self._redraw)
        redraw_row = QHBoxLayout()
        redraw_row.addWidget(self.redraw_button)
        redraw_row.addStretch(1)
        form.addRow("", redraw_row)
        pages.addWidget(self.page_dense)

        # dropout
        self.page_dropout = QWidget(pages)
        form = form_layout(self.page_dropout)
        self.page_dropout.setLayout(form)
        self.rate_spin = make_rate_spin(self.page_dropout)
        self.rate_spin.valueChanged.connect(lambda v: self._edit(rate=round(v, 4)))
        form.addRow("Rate", self.rate_spin)
        pages.addWidget(self.page_dropout)

        # batch norm
        self.page_batchnorm = QWidget(pages)
        form = form_layout(self.page_batchnorm)
        self.page_batchnorm.setLayout(form)
        self.momentum_spin = NumberSpinBox(0.001, 1.0, 0.05, self.page_batchnorm)
        self.momentum_spin.setToolTip("How fast the running mean and variance (used when predicting) follow each batch.")
        self.momentum_spin.valueChanged.connect(lambda v: self._edit(momentum=float(v)))
        form.addRow("Momentum", self.momentum_spin)
        self.eps_spin = NumberSpinBox(1e-12, 1.0, 0.0, self.page_batchnorm, log_steps=True)
        self.eps_spin.setToolTip("Added to the variance before dividing, so a constant feature cannot divide by zero.")
        self.eps_spin.valueChanged.connect(lambda v: self._edit(eps=float(v)))
        form.addRow("Epsilon", self.eps_spin)
        self.bn_activation_combo = make_activation_combo(self.page_batchnorm)
        self.bn_activation_combo.activated.connect(
            lambda row: self._edit(activation=self.bn_activation_combo.itemData(row)))
        form.addRow("Then", self.bn_activation_combo)
        pages.addWidget(self.page_batchnorm)

        for page in (self.page_input, self.page_dense, self.page_dropout, self.page_batchnorm):
            align_labels(page.layout())
        for combo in (self.activation_combo, self.init_combo, self.bn_activation_combo):
            combo.setMaximumWidth(260)
        for spin in (self.inputs_spin, self.units_spin):
            spin.setMaximumWidth(110)
        for spin in (self.rate_spin, self.momentum_spin, self.eps_spin):
            spin.setMaximumWidth(110)

    def _build_neuron(self, section: Section) -> None:
        self.neuron_intro = wrap_label("", section, dim=True)
        section.body.addWidget(self.neuron_intro)
        self.neuron_form_host = QWidget(section)
        form = form_layout(self.neuron_form_host)
        self.neuron_form_host.setLayout(form)
        self.neuron_form = form
        self.bias_spin = NumberSpinBox(-1e6, 1e6, 0.1, self.neuron_form_host)
        self.bias_spin.setToolTip("Added to the weighted sum before the activation.")
        self.bias_spin.valueChanged.connect(lambda v: self._set_neuron_param("bias", v))
        self.bias_spin.setMaximumWidth(130)
        form.addRow("Bias", self.bias_spin)
        self.gamma_spin = NumberSpinBox(-1e6, 1e6, 0.1, self.neuron_form_host)
        self.gamma_spin.setToolTip("Scale γ: multiplies the normalised value.")
        self.gamma_spin.valueChanged.connect(lambda v: self._set_neuron_param("gamma", v))
        self.gamma_spin.setMaximumWidth(130)
        form.addRow("Scale γ", self.gamma_spin)
        self.beta_spin = NumberSpinBox(-1e6, 1e6, 0.1, self.neuron_form_host)
        self.beta_spin.setToolTip("Shift β: added after scaling.")
        self.beta_spin.valueChanged.connect(lambda v: self._set_neuron_param("beta", v))
        self.beta_spin.setMaximumWidth(130)
        form.addRow("Shift β", self.beta_spin)
        align_labels(form)
        section.body.addWidget(self.neuron_form_host)

        self.weights_caption = wrap_label("", section, dim=True)
        section.body.addWidget(self.weights_caption)
        self.weights_model = _WeightsModel(self)
        self.weights_table = _compact_table(self.weights_model, section)
        self.weights_table.setToolTip("Double-click a weight to edit it.")
        number = self.weights_table.fontMetrics().horizontalAdvance("-0.0000") + 14
        self.weights_table.setMinimumWidth(48 + 3 * number + self.weights_table.verticalScrollBar().sizeHint().width() + 4)
        section.body.addWidget(self.weights_table)
        self.sum_label = mono(wrap_label("", section))
        section.body.addWidget(self.sum_label)
        self.activation_label = mono(wrap_label("", section))
        section.body.addWidget(self.activation_label)

    def _build_probe(self, section: Section) -> None:
        self.probe_intro = wrap_label(
            "The input the diagram and the numbers above show the network's response to.", section, dim=True)
        section.body.addWidget(self.probe_intro)
        self.probe_host = QWidget(section)
        self.probe_grid = QGridLayout(self.probe_host)
        self.probe_grid.setContentsMargins(0, 0, 0, 0)
        self.probe_grid.setHorizontalSpacing(8)
        self.probe_grid.setVerticalSpacing(5)
        section.body.addWidget(self.probe_host)
        self.probe_model = _ProbeModel(self)
        self.probe_table = _compact_table(self.probe_model, section)
        self.probe_table.hide()
        section.body.addWidget(self.probe_table)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.all_ones_button = small_button("All 1", section)
        self.all_ones_button.setToolTip("Set every input to 1")
        self.all_ones_button.clicked.connect(lambda: self.doc.set_probe(np.ones(self.doc.spec.inputs)))
        self.all_zeros_button = small_button("All 0", section)
        self.all_zeros_button.setToolTip("Set every input to 0")
        self.all_zeros_button.clicked.connect(lambda: self.doc.set_probe(np.zeros(self.doc.spec.inputs)))
        self.random_button = small_button("Random", section)
        self.random_button.setToolTip("Draw every input from a standard normal distribution")
        self.random_button.clicked.connect(self._random_probe)
        for b in (self.all_ones_button, self.all_zeros_button, self.random_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        section.body.addLayout(buttons)
        self.output_label = wrap_label("", section)
        section.body.addWidget(self.output_label)

    # -- what is selected ------------------------------------------------------------

    def _selected(self) -> tuple[int | None, int | None]:
        """(layer, neuron) of the selection, clamped to what exists now."""
        sel = self.doc.selection
        layer, neuron = sel.layer, sel.neuron
        spec = self.doc.spec
        if layer is None or not -1 <= layer < len(spec.layers):
            return None, None
        width = spec.widths()[layer + 1]
        if neuron is not None and not 0 <= neuron < width:
            neuron = None
        return layer, neuron

    def _input_names(self) -> list[str]:
        names = self.doc.file.input_names
        n = self.doc.spec.inputs
        if names and len(names) == n:
            return list(names)
        return [f"x{k + 1}" for k in range(n)]

    def _output_names(self) -> list[str] | None:
        names = self.doc.file.output_names
        return list(names) if names and len(names) == self.doc.spec.outputs else None

    # -- refreshing ----------------------------------------------------------------------

    def refresh(self, *_args) -> None:
        """Show the current selection, settings, neuron and probe."""
        spec = self.doc.spec
        layer, _neuron = self._selected()
        widths = spec.widths()
        counts = count(spec)
        dim = dim_color(self).name()
        if layer is None:
            self.icon_label.setPixmap(icons.network_icon().pixmap(32, 32))
            shape = "–".join(f"{w:,}" for w in widths)
            named = spec.name and spec.name.replace("-", "–") != shape
            self.title_label.setText(spec.name if named else "Network")
            self.subtitle_label.setText(f"{shape} · {counts.params:,} parameters")
            n = len(spec.layers)
            self.about_label.setText("")
            self.about_label.hide()
            self.summary_label.setText(
                f"{n} layer{'s' if n != 1 else ''}, {counts.params:,} trainable parameters "
                f"({human_bytes(counts.memory_bytes())} as float32), {counts.macs:,} multiply-adds per sample."
                f"<br><span style='color:{dim}'>Select a layer or a neuron, here or in the diagram, "
                "to see and edit it.</span>")
            self.pages.setCurrentWidget(self.page_none)
        elif layer == -1:
            self.icon_label.setPixmap(icons.kind_icon("input").pixmap(32, 32))
            self.title_label.setText("Input")
            self.subtitle_label.setText(f"{spec.inputs:,} feature{'s' if spec.inputs != 1 else ''}")
            std = self.doc.file.standardization is not None
            self.about_label.setText(
                "The numbers that go into the network, one per feature"
                + (", standardised with the training data's mean and spread before the first layer." if std else "."))
            self.about_label.show()
            set_unless_editing(self.inputs_spin, spec.inputs)
            self.pages.setCurrentWidget(self.page_input)
        else:
            self._show_layer(layer, spec.layers[layer], widths[layer], counts.layers[layer].params, layer == output_index(spec))
        self.settings.title.setText("Network" if layer is None else "Settings")
        self._refresh_numbers()
        self._refresh_probe()
        self.updateGeometry()  # the narrowest the content can go may have changed

    def _show_layer(self, index: int, layer, fan_in: int, params: int, is_output: bool) -> None:
        units = layer.units if isinstance(layer, DenseSpec) else fan_in
        self.icon_label.setPixmap(icons.layer_icon(layer).pixmap(32, 32))
        role = "output layer" if is_output else f"layer {index + 1}"
        self.title_label.setText(f"{KIND_NAMES[layer.kind]} · {role}")
        self.subtitle_label.setText(
            f"{'Layer ' + str(index + 1) + ' · ' if is_output else ''}{fan_in:,} → {units:,} · "
            f"{params:,} parameter{'s' if params != 1 else ''} ({human_bytes(params * 4)})")
        if isinstance(layer, DenseSpec):
            self.about_label.setText(
                f"Each of its {units:,} units weighs all {fan_in:,} inputs, adds a bias and applies "
                f"<b>{activation_label(layer.activation)}</b>: {lower_first(activation_tip(layer.activation))}")
            set_unless_editing(self.units_spin, layer.units)
            show_units_cost(self.units_spin, layer.units, fan_in)
            set_combo_value(self.activation_combo, layer.activation)
            set_combo_value(self.init_combo, layer.initializer)
            self.init_combo.setToolTip(
                f"{self.init_combo.toolTip()}\nChoosing another initialiser draws this layer's weights afresh (undoable).")
            self.pages.setCurrentWidget(self.page_dense)
        elif isinstance(layer, DropoutSpec):
            self.about_label.setText(
                f"While training, each of its {units:,} values is set to zero with probability {layer.rate:g} "
                f"and the rest are scaled by 1/(1 − {layer.rate:g}); when predicting it passes values through.")
            set_unless_editing(self.rate_spin, layer.rate)
            self.pages.setCurrentWidget(self.page_dropout)
        else:
            act = activation_label(layer.activation)
            then = f", then applies <b>{act}</b>" if layer.activation != "linear" else ""
            self.about_label.setText(
                "Normalises each of its features with the batch's mean and variance (running averages when "
                f"predicting), scales by γ and shifts by β{then}.")
            set_unless_editing(self.momentum_spin, layer.momentum)
            set_unless_editing(self.eps_spin, layer.eps)
            set_combo_value(self.bn_activation_combo, layer.activation)
            self.pages.setCurrentWidget(self.page_batchnorm)
        self.about_label.show()

    def _refresh_numbers(self, *_args) -> None:
        """The neuron section: parameters and the probe's arithmetic through the neuron."""
        layer, neuron = self._selected()
        spec = self.doc.spec
        if layer is None or neuron is None:
            self.neuron_section.hide()
            self.refreshed.emit()
            return
        self.neuron_section.show()
        self.neuron_section.title.setText(f"Neuron {neuron + 1}")
        trace = self.doc.trace()
        probe_in = self._standardised_probe()
        show = {"bias": False, "gamma": False, "beta": False}
        table = False
        sum_text = act_text = ""
        if layer == -1:
            names = self._input_names()
            raw = self.doc.probe[neuron]
            self.neuron_intro.setText(f"Input feature <b>{names[neuron]}</b>. Change its value in the probe below.")
            sum_text = f"value   = {fmt(raw)}"
            if self.doc.file.standardization is not None:
                act_text = f"standardised = {fmt(probe_in[neuron])}"
        else:
            spec_layer = spec.layers[layer]
            params = self.doc.network.layer_params(layer)
            z = float(trace[layer]["z"][0, neuron])
            a = float(trace[layer]["a"][0, neuron])
            x = probe_in if layer == 0 else trace[layer - 1]["a"][0].astype(np.float64)
            if isinstance(spec_layer, DenseSpec):
                act = activation_label(spec_layer.activation)
                fan_in = spec.widths()[layer]
                self.neuron_intro.setText(
                    f"Unit {neuron + 1} of {spec_layer.units:,} in layer {layer + 1}: "
                    f"a = {act}(Σ w·x + b), over its {fan_in:,} incoming connections.")
                show["bias"] = True
                set_unless_editing(self.bias_spin, float(params["bias"][neuron]))
                table = True
                source = "inputs" if layer == 0 else f"layer {layer}"
                names = self._input_names() if layer == 0 else [f"unit {k + 1}" for k in range(fan_in)]
                self.weights_caption.setText(f"Incoming weights, from {source}:")
                self.weights_model.set_column(layer, neuron, params["weights"][:, neuron].astype(np.float64),
                                              x, names)
                _fit_name_column(self.weights_table, names)
                _fit_rows(self.weights_table, fan_in, 8)
                b = float(params["bias"][neuron])
                sign = "−" if b < 0 else "+"
                sum_text = f"z = Σ w·x + b = {fmt(z - b)} {sign} {fmt(abs(b))} = {fmt(z)}"
                if spec_layer.activation == "softmax":
                    act_text = f"a = softmax(z)[{neuron + 1}] = {fmt(a)}"
                else:
                    act_text = f"a = {act}(z) = {fmt(a)}"
            elif isinstance(spec_layer, BatchNormSpec):
                self.neuron_intro.setText(f"Feature {neuron + 1} of layer {layer + 1}, normalised then scaled and shifted.")
                show["gamma"] = show["beta"] = True
                set_unless_editing(self.gamma_spin, float(params["gamma"][neuron]))
                set_unless_editing(self.beta_spin, float(params["beta"][neuron]))
                bn = self.doc.network.layers[layer]
                mean, var = float(bn.running_mean[neuron]), float(bn.running_var[neuron])
                sum_text = (f"x = {fmt(x[neuron])}, μ = {fmt(mean)}, σ² = {fmt(var)}\n"
                            f"z = γ·(x − μ)/√(σ² + ε) + β = {fmt(z)}")
                act_text = f"a = {activation_label(spec_layer.activation)}(z) = {fmt(a)}"
            else:
                self.neuron_intro.setText(f"Value {neuron + 1} of layer {layer + 1}. Dropout has no parameters.")
                sum_text = f"in  = {fmt(x[neuron])}"
                act_text = f"out = {fmt(a)} (passed through when predicting)"
        for name, spin in (("bias", self.bias_spin), ("gamma", self.gamma_spin), ("beta", self.beta_spin)):
            spin.setVisible(show[name])
            self.neuron_form.labelForField(spin).setVisible(show[name])
        self.neuron_form_host.setVisible(any(show.values()))
        self.weights_caption.setVisible(table)
        self.weights_table.setVisible(table)
        self.sum_label.setText(sum_text)
        self.sum_label.setVisible(bool(sum_text))
        self.activation_label.setText(act_text)
        self.activation_label.setVisible(bool(act_text))
        self.refreshed.emit()

    def _standardised_probe(self) -> np.ndarray:
        x = np.asarray(self.doc.probe, dtype=np.float64)
        if self.doc.file.standardization is not None:
            x = np.asarray(self.doc.file.standardization.apply(x), dtype=np.float64)
        return x

    def _refresh_probe(self, *_args) -> None:
        n = self.doc.spec.inputs
        names = self._input_names()
        mode = ("table" if n > PROBE_TABLE_ABOVE else "fields", n)
        if mode != self._probe_mode:
            self._rebuild_probe_fields(mode[0], n)
            self._probe_mode = mode
        values = np.asarray(self.doc.probe, dtype=np.float64)
        if mode[0] == "table":
            self.probe_model.set_values(values.copy(), names)
            _fit_name_column(self.probe_table, names)
        else:
            for k, spin in enumerate(self._probe_spins):
                set_unless_editing(spin, float(values[k]))
                label = self.probe_grid.itemAtPosition(*self._probe_cell(k, n)).widget()
                label.setText(names[k])
        self._refresh_output()
        if self.neuron_section.isVisible():
            self._refresh_numbers()

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
        self._probe_spins = []
        if mode == "table":
            self.probe_host.hide()
            self.probe_table.show()
            _fit_rows(self.probe_table, n, 8)
            return
        self.probe_table.hide()
        self.probe_host.show()
        for k in range(n):
            row, col = self._probe_cell(k, n)
            label = make_dim(QLabel(self.probe_host))
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            spin = NumberSpinBox(-1e6, 1e6, 0.1, self.probe_host)
            spin.setFixedWidth(104)
            spin.setToolTip(f"Probe value of input {k + 1}")
            spin.valueChanged.connect(lambda v, k=k: self.set_probe_value(k, v))
            label.setBuddy(spin)
            self.probe_grid.addWidget(label, row, col)
            self.probe_grid.addWidget(spin, row, col + 1)
            self._probe_spins.append(spin)
        for c in range(5):
            self.probe_grid.setColumnStretch(c, 0)
        self.probe_grid.setColumnStretch(4 if n > 4 else 2, 1)

    def _refresh_output(self) -> None:
        out = self.doc.trace()[-1]["a"][0].astype(np.float64)
        names = self._output_names()
        act = self.doc.spec.output_activation()
        shown = out[:10]
        if names:
            parts = [f"{names[k]} {fmt(v)}" for k, v in enumerate(shown)]
        else:
            parts = [fmt(v) for v in shown]
        text = ", ".join(parts) + (f", … ({len(out):,} in all)" if len(out) > 10 else "")
        verdict = ""
        if act == "softmax" and len(out) > 1:
            k = int(np.argmax(out))
            verdict = f" → class {names[k] if names else k + 1}"
        elif act == "sigmoid" and len(out) == 1:
            k = int(out[0] >= 0.5)
            verdict = f" → {names[k] if names and len(names) == 2 else f'class {k}'}"
        self.output_label.setText(f"<b>Output</b>&nbsp; {text}{verdict}")

    # -- edits -----------------------------------------------------------------------

    def _edit(self, **changes) -> None:
        layer, _ = self._selected()
        if layer is None or layer < 0:
            return
        old = self.doc.spec.layers[layer]
        new = replace(old, **changes)
        if new != old:
            commands.update_layer(self.doc, layer, new)

    def _initializer_chosen(self, row: int) -> None:
        layer, _ = self._selected()
        if layer is None or layer < 0:
            return
        name = self.init_combo.itemData(row)
        old = self.doc.spec.layers[layer]
        if name != old.initializer:
            # A new initialiser is only visible if the weights are drawn from it, so draw them (undoable).
            commands.reinitialize_layer(self.doc, layer, replace(old, initializer=name))

    def _redraw(self) -> None:
        layer, _ = self._selected()
        if layer is not None and layer >= 0:
            commands.reinitialize_layer(self.doc, layer)

    def _set_neuron_param(self, name: str, value: float) -> None:
        layer, neuron = self._selected()
        if layer is None or layer < 0 or neuron is None:
            return
        current = float(self.doc.network.layer_params(layer)[name][neuron])
        if float(np.float32(value)) != current and value != current:
            commands.set_parameter(self.doc, layer, name, (neuron,), float(value))

    def set_probe_value(self, k: int, value: float) -> None:
        """Set probe input ``k`` to ``value`` (through ``doc.set_probe``)."""
        values = np.array(self.doc.probe, dtype=np.float64)
        if values[k] == value:
            return
        values[k] = value
        self.doc.set_probe(values)

    def _random_probe(self) -> None:
        rng = np.random.default_rng()
        self.doc.set_probe(np.round(rng.standard_normal(self.doc.spec.inputs), 3))


def _edited_number(index, value, role) -> float | None:
    """The finite number typed into a table's value column (column 1), else ``None``."""
    if role != Qt.ItemDataRole.EditRole or index.column() != 1:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None
