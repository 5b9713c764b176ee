"""The inspector's middle, when a neuron is selected: its parameters and the probe's arithmetic through it.

For a dense unit: its bias and its incoming weights in an editable table, with the
probe's value on each connection, the weighted sum and the activation, so a learner
can follow one neuron's arithmetic by hand. For batch norm: γ, β and the
normalisation; for dropout: what passes through; for an input: its raw and
standardised value. Every edit is a command on the document.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from ....core.numbers import fixed
from ....core.spec import BatchNormSpec, DenseSpec
from ...model import commands
from ...model.document import Document
from ...widgets.colors import DEFAULT_SCHEME, color_scheme
from ...widgets.inputs import NumberSpinBox, set_unless_editing
from ...widgets.labels import mono, wrap_label
from ...widgets.sections import Section, align_labels, form_layout
from ..layer_names import activation_label
from .selection import input_names, selected
from .tables import compact_table, edited_number, fit_name_column, fit_rows


def _text_colors(scheme_name: str, dark: bool = False) -> tuple[QColor, QColor]:
    """The diagram's positive and negative colours, adjusted to read as text on a light or dark base."""
    scheme = color_scheme(scheme_name)
    if dark:
        return QColor(scheme.positive).lighter(125), QColor(scheme.negative).lighter(125)
    return QColor(scheme.positive).darker(135), QColor(scheme.negative).darker(112)


def _dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Base).lightness() < 128


class _WeightsModel(QAbstractTableModel):
    """Rows: the neuron's inputs. Columns: from, weight (editable), input value, weight × input."""

    HEADERS = (QT_TRANSLATE_NOOP("_WeightsModel", "From"), QT_TRANSLATE_NOOP("_WeightsModel", "Weight"),
               QT_TRANSLATE_NOOP("_WeightsModel", "Input"), QT_TRANSLATE_NOOP("_WeightsModel", "w × x"))

    def __init__(self, section: NeuronSection):
        super().__init__(section)
        self.section = section
        self.layer = 0
        self.neuron = 0
        self.weights = np.zeros(0)
        self.inputs = np.zeros(0)
        self.names: list[str] = []
        self.positive, self.negative = _text_colors(DEFAULT_SCHEME, _dark(section))

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
            return QCoreApplication.translate("_WeightsModel", self.HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return (
                self.tr("Where the connection comes from"),
                self.tr("The connection's weight (double-click to edit)"),
                self.tr("The value arriving on this connection for the probe input"),
                self.tr("Weight times input: this connection's share of the weighted sum"),
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
            return fixed(value)
        if role == Qt.ItemDataRole.EditRole and c == 1:
            return float(self.weights[r])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and c in (1, 3):
            value = self.weights[r] if c == 1 else self.weights[r] * self.inputs[r]
            return self.positive if value > 0 else self.negative if value < 0 else None
        if role == Qt.ItemDataRole.ToolTipRole and c == 1:
            return self.tr("Weight from {0} into neuron {1}: {2}").format(
                self.data(self.index(r, 0)), self.neuron + 1, repr(float(self.weights[r])))
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        value = edited_number(index, value, role)
        if value is None:
            return False
        commands.set_parameter(self.section.doc, self.layer, "weights", (index.row(), self.neuron), value)
        return True


class NeuronSection(Section):
    """The selected neuron of ``doc``: its parameters, editable, and its arithmetic for the probe input."""

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(self.tr("Neuron"), parent)
        self.doc = doc
        self.neuron_intro = wrap_label("", self, dim=True)
        self.body.addWidget(self.neuron_intro)
        self.neuron_form_host = QWidget(self)
        form = form_layout(self.neuron_form_host)
        self.neuron_form_host.setLayout(form)
        self.neuron_form = form
        self.bias_spin = NumberSpinBox(-1e6, 1e6, 0.1, self.neuron_form_host)
        self.bias_spin.setToolTip(self.tr("Added to the weighted sum before the activation."))
        self.bias_spin.valueChanged.connect(lambda v: self._set_neuron_param("bias", v))
        self.bias_spin.setMaximumWidth(130)
        form.addRow(self.tr("Bias"), self.bias_spin)
        self.gamma_spin = NumberSpinBox(-1e6, 1e6, 0.1, self.neuron_form_host)
        self.gamma_spin.setToolTip(self.tr("Scale γ: multiplies the normalised value."))
        self.gamma_spin.valueChanged.connect(lambda v: self._set_neuron_param("gamma", v))
        self.gamma_spin.setMaximumWidth(130)
        form.addRow(self.tr("Scale γ"), self.gamma_spin)
        self.beta_spin = NumberSpinBox(-1e6, 1e6, 0.1, self.neuron_form_host)
        self.beta_spin.setToolTip(self.tr("Shift β: added after scaling."))
        self.beta_spin.valueChanged.connect(lambda v: self._set_neuron_param("beta", v))
        self.beta_spin.setMaximumWidth(130)
        form.addRow(self.tr("Shift β"), self.beta_spin)
        align_labels(form)
        self.body.addWidget(self.neuron_form_host)

        self.weights_caption = wrap_label("", self, dim=True)
        self.body.addWidget(self.weights_caption)
        self.weights_model = _WeightsModel(self)
        self.weights_table = compact_table(self.weights_model, self)
        self.weights_table.setToolTip(self.tr("Double-click a weight to edit it."))
        number = self.weights_table.fontMetrics().horizontalAdvance("-0.0000") + 14
        self.weights_table.setMinimumWidth(48 + 3 * number + self.weights_table.verticalScrollBar().sizeHint().width() + 4)
        self.body.addWidget(self.weights_table)
        self.sum_label = mono(wrap_label("", self))
        self.body.addWidget(self.sum_label)
        self.activation_label = mono(wrap_label("", self))
        self.body.addWidget(self.activation_label)

    def set_color_scheme(self, name: str) -> None:
        """Colour weights like the diagram: ``name`` is a :data:`nnviz.ui.widgets.colors.SCHEMES` key."""
        model = self.weights_model
        model.positive, model.negative = _text_colors(name, _dark(self))
        if model.rowCount():
            model.dataChanged.emit(model.index(0, 1), model.index(model.rowCount() - 1, 3))

    def refresh(self, trace: list[dict] | None = None) -> None:
        """Show the selected neuron's parameters and the probe's arithmetic through it (hidden if none),
        from ``trace`` (the document's trace of the probe by default)."""
        layer, neuron = selected(self.doc)
        spec = self.doc.spec
        if layer is None or neuron is None:
            self.hide()
            return
        self.show()
        self.title.setText(self.tr("Neuron {0}").format(neuron + 1))
        trace = self.doc.trace() if trace is None else trace
        probe_in = self.doc.standardize(self.doc.probe)
        show = {"bias": False, "gamma": False, "beta": False}
        table = False
        sum_text = act_text = ""
        if layer == -1:
            names = input_names(self.doc)
            raw = self.doc.probe[neuron]
            self.neuron_intro.setText(
                self.tr("Input feature <b>{0}</b>. Change its value in the probe below.").format(names[neuron]))
            sum_text = self.tr("value   = {0}").format(fixed(raw))
            if self.doc.standardization is not None:
                act_text = self.tr("standardised = {0}").format(fixed(probe_in[neuron]))
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
                    self.tr("Unit {0} of {1} in layer {2}: a = {3}(Σ w·x + b), over its {4} incoming connections.").format(
                        neuron + 1, f"{spec_layer.units:,}", layer + 1, act, f"{fan_in:,}"))
                show["bias"] = True
                set_unless_editing(self.bias_spin, float(params["bias"][neuron]))
                table = True
                unit = self.tr("unit {0}")
                names = input_names(self.doc) if layer == 0 else [unit.format(k + 1) for k in range(fan_in)]
                self.weights_caption.setText(self.tr("Incoming weights, from inputs:") if layer == 0
                                             else self.tr("Incoming weights, from layer {0}:").format(layer))
                self.weights_model.set_column(layer, neuron, params["weights"][:, neuron].astype(np.float64),
                                              x, names)
                fit_name_column(self.weights_table, names)
                fit_rows(self.weights_table, fan_in, 8)
                b = float(params["bias"][neuron])
                sign = "−" if b < 0 else "+"
                sum_text = f"z = Σ w·x + b = {fixed(z - b)} {sign} {fixed(abs(b))} = {fixed(z)}"
                if spec_layer.activation == "softmax":
                    act_text = f"a = {act}(z)[{neuron + 1}] = {fixed(a)}"
                else:
                    act_text = f"a = {act}(z) = {fixed(a)}"
            elif isinstance(spec_layer, BatchNormSpec):
                self.neuron_intro.setText(
                    self.tr("Feature {0} of layer {1}, normalised then scaled and shifted.").format(neuron + 1, layer + 1))
                show["gamma"] = show["beta"] = True
                set_unless_editing(self.gamma_spin, float(params["gamma"][neuron]))
                set_unless_editing(self.beta_spin, float(params["beta"][neuron]))
                bn = self.doc.network.layers[layer]
                mean, var = float(bn.running_mean[neuron]), float(bn.running_var[neuron])
                sum_text = (f"x = {fixed(x[neuron])}, μ = {fixed(mean)}, σ² = {fixed(var)}\n"
                            f"z = γ·(x − μ)/√(σ² + ε) + β = {fixed(z)}")
                act_text = f"a = {activation_label(spec_layer.activation)}(z) = {fixed(a)}"
            else:
                self.neuron_intro.setText(
                    self.tr("Value {0} of layer {1}. Dropout has no parameters.").format(neuron + 1, layer + 1))
                sum_text = self.tr("in  = {0}").format(fixed(x[neuron]))
                act_text = self.tr("out = {0} (passed through when predicting)").format(fixed(a))
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

    def _set_neuron_param(self, name: str, value: float) -> None:
        layer, neuron = selected(self.doc)
        if layer is None or layer < 0 or neuron is None:
            return
        current = float(self.doc.network.layer_params(layer)[name][neuron])
        if float(np.float32(value)) != current and value != current:
            commands.set_parameter(self.doc, layer, name, (neuron,), float(value))
