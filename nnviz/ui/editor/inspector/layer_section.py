"""The inspector's top: what is selected (the network, the inputs or a layer) and its settings, editable.

Every edit is a command on the document (:mod:`nnviz.ui.model.commands`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ....core.counting import FLOAT16_BYTES, FLOAT32_BYTES, count
from ....core.lint import output_index
from ....core.numbers import human_bytes
from ....core.spec import DenseSpec, DropoutSpec
from ...model import commands
from ...model.document import Document
from ...widgets import icons
from ...widgets.inputs import NumberSpinBox, set_spin_value, set_unless_editing
from ...widgets.labels import wrap_label
from ...widgets.sections import Section, align_labels, form_layout, small_button
from ...widgets.theme import dim_color
from ..layer_editors import (
    make_activation_combo,
    make_initializer_combo,
    make_rate_spin,
    make_units_spin,
    set_combo_value,
    show_units_cost,
)
from ..layer_names import KIND_NAMES, activation_label, activation_tip, lower_first
from .selection import selected


def _unbroken(text: str) -> str:
    """``text`` kept on one line in a rich-text label (a formula reads badly split at its "=")."""
    return text.replace(" ", "&nbsp;")


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


class LayerSection(QWidget):
    """A header (icon, title, shape, what it does) and a settings page for the kind of thing selected."""

    def __init__(self, doc: Document, parent: QWidget | None = None, spacing: int = 8):
        super().__init__(parent)
        self.doc = doc
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(spacing)

        # header: icon, title, shape and parameter count, what it does
        head = QHBoxLayout()
        head.setSpacing(10)
        self.icon_label = QLabel(self)
        self.icon_label.setFixedSize(32, 32)
        head.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(1)
        self.title_label = QLabel(self)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.18)
        font.setBold(True)
        self.title_label.setFont(font)
        self.subtitle_label = wrap_label("", self, dim=True)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        head.addLayout(titles, 1)
        col.addLayout(head)
        self.about_label = wrap_label("", self)
        col.addWidget(self.about_label)
        self.count_label = wrap_label("", self)  # how the selected layer's parameters are counted
        col.addWidget(self.count_label)

        # settings, one page per kind
        self.settings = Section("Settings", self)
        self.pages = _Pages(self.settings)
        self.settings.body.addWidget(self.pages)
        col.addWidget(self.settings)
        self._build_pages()

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

    # -- refreshing ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the current selection and its settings."""
        spec = self.doc.spec
        layer, _neuron = selected(self.doc)
        widths = spec.widths()
        counts = count(spec)
        dim = dim_color(self).name()
        if layer is None:
            self.icon_label.setPixmap(icons.network_icon().pixmap(32, 32))
            shape = "–".join(f"{w:,}" for w in widths)
            # A name that is only a shape ("2-4-4-1") goes stale with the first edit: the subtitle says the shape.
            named = spec.name and not re.fullmatch(r"[\d,\s\-–]+", spec.name)
            self.title_label.setText(spec.name if named else "Network")
            self.subtitle_label.setText(f"{shape} · {counts.params:,} parameters")
            n = len(spec.layers)
            self.about_label.setText("")
            self.about_label.hide()
            self.count_label.hide()
            self.summary_label.setText(
                f"{n} layer{'s' if n != 1 else ''}, {counts.params:,} trainable parameters, a sum over the layers "
                f"of inputs×units weights + units biases:<br><b>{counts.formula()}</b><br>"
                f"Memory: {human_bytes(counts.memory_bytes(FLOAT32_BYTES))} as float32 (32-bit), "
                f"{human_bytes(counts.memory_bytes(FLOAT16_BYTES))} as float16 (16-bit). "
                f"One sample takes {counts.macs:,} multiply-adds and makes {counts.activations:,} activations "
                f"({human_bytes(counts.activation_bytes(FLOAT32_BYTES))} as float32)."
                f"<br><span style='color:{dim}'>Select a layer or a neuron, here or in the diagram, "
                "to see and edit it.</span>")
            self.pages.setCurrentWidget(self.page_none)
        elif layer == -1:
            self.icon_label.setPixmap(icons.kind_icon("input").pixmap(32, 32))
            self.title_label.setText("Input")
            self.subtitle_label.setText(f"{spec.inputs:,} feature{'s' if spec.inputs != 1 else ''}")
            std = self.doc.standardization is not None
            self.about_label.setText(
                "The numbers that go into the network, one per feature"
                + (", standardised with the training data's mean and spread before the first layer." if std else "."))
            self.about_label.show()
            self.count_label.hide()
            set_unless_editing(self.inputs_spin, spec.inputs)
            self.pages.setCurrentWidget(self.page_input)
        else:
            self._show_layer(layer, spec.layers[layer], widths[layer], counts.layers[layer].params, layer == output_index(spec))
            self._show_count(counts.layers[layer])
        self.settings.title.setText("Network" if layer is None else "Settings")

    def _show_count(self, c) -> None:
        """How layer count ``c``'s parameters are made (``m×n + n``), their memory at 32 and 16 bits, its work."""
        if c.kind == "dense":
            made = f"{c.fan_in:,}×{c.units:,} weights + {c.units:,} biases: <b>{_unbroken(c.formula())}</b>"
        elif c.kind == "batchnorm":
            made = f"a scale and a shift per feature: <b>{_unbroken(c.formula())}</b>"
        else:
            made = "none: dropout has nothing to learn"
        text = f"Parameters: {made}"
        if c.params:
            text += (f"<br>Memory: {human_bytes(c.params * FLOAT32_BYTES)} as float32, "
                     f"{human_bytes(c.params * FLOAT16_BYTES)} as float16 · {c.macs:,} multiply-adds per sample")
        self.count_label.setText(text)
        self.count_label.show()

    def put_back(self) -> None:
        """After a refused edit: the size fields show the document's values again, even the one typed in."""
        spec = self.doc.spec
        set_spin_value(self.inputs_spin, spec.inputs)
        layer = self.doc.selection.layer
        if layer is not None and 0 <= layer < len(spec.layers) and isinstance(spec.layers[layer], DenseSpec):
            set_spin_value(self.units_spin, spec.layers[layer].units)

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

    # -- edits -----------------------------------------------------------------------

    def _edit(self, **changes) -> None:
        layer, _ = selected(self.doc)
        if layer is None or layer < 0:
            return
        old = self.doc.spec.layers[layer]
        new = replace(old, **changes)
        if new != old:
            commands.update_layer(self.doc, layer, new)

    def _initializer_chosen(self, row: int) -> None:
        layer, _ = selected(self.doc)
        if layer is None or layer < 0:
            return
        name = self.init_combo.itemData(row)
        old = self.doc.spec.layers[layer]
        if name != old.initializer:
            # A new initialiser is only visible if the weights are drawn from it, so draw them (undoable).
            commands.reinitialize_layer(self.doc, layer, replace(old, initializer=name))

    def _redraw(self) -> None:
        layer, _ = selected(self.doc)
        if layer is not None and layer >= 0:
            commands.reinitialize_layer(self.doc, layer)
