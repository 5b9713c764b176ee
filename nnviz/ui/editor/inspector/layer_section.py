"""The inspector's top: what is selected (the network, the inputs or a layer) and its settings, editable.

Every edit is a command on the document (:mod:`nnviz.ui.model.commands`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import QSize, Qt
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
from ..layer_names import activation_label, activation_tip, kind_name, lower_first
from .selection import selected


def _unbroken(text: str) -> str:
    """``text`` kept on one line in a rich-text label (a formula reads badly split at its "=")."""
    return text.replace(" ", "&nbsp;")


class _TitleLabel(QLabel):
    """The header's title: wrapped at spaces, a word too long for a line shortened with "…" (the whole title
    then in the tooltip). A network's name as one line set the dock's minimum width (over 500 px for a
    shipped example) and widened the window past a 1366-px screen."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a name is shown as typed, never as markup
        self._full = ""

    def text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self._fit()

    def minimumSizeHint(self):
        return QSize(60, self.fontMetrics().height())  # as narrow as the dock needs; height-for-width does the rest

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        fm = self.fontMetrics()
        room = max(self.contentsRect().width(), fm.horizontalAdvance("M…"))
        words = [word if fm.horizontalAdvance(word) <= room else fm.elidedText(word, Qt.TextElideMode.ElideRight, room)
                 for word in self._full.split(" ")]
        shown = " ".join(words)
        self.setToolTip("" if shown == self._full else self._full)
        if shown != super().text():
            super().setText(shown)


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
        self.title_label = _TitleLabel(self)
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
        self.settings = Section(self.tr("Settings"), self)
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
        self.inputs_spin.setToolTip(self.tr("How many numbers go into the network: one per input feature."))
        self.inputs_spin.setProperty("counts_features", True)  # its range message speaks of features
        self.inputs_spin.valueChanged.connect(lambda n: commands.set_inputs(self.doc, n))
        form.addRow(self.tr("Features"), self.inputs_spin)
        pages.addWidget(self.page_input)

        # dense
        self.page_dense = QWidget(pages)
        form = form_layout(self.page_dense)
        self.page_dense.setLayout(form)
        self.units_spin = make_units_spin(self.page_dense)
        self.units_spin.valueChanged.connect(lambda v: self._edit(units=v))
        form.addRow(self.tr("Units"), self.units_spin)
        self.activation_combo = make_activation_combo(self.page_dense)
        self.activation_combo.activated.connect(
            lambda row: self._edit(activation=self.activation_combo.itemData(row)))
        form.addRow(self.tr("Activation"), self.activation_combo)
        self.init_combo = make_initializer_combo(self.page_dense)
        self.init_combo.setMinimumWidth(90)
        self.init_combo.activated.connect(self._initializer_chosen)
        form.addRow(self.tr("Initialiser"), self.init_combo)
        self.redraw_button = small_button(self.tr("Re-draw weights"), self.page_dense)
        self.redraw_button.setMaximumWidth(16777215)
        self.redraw_button.setToolTip(self.tr("Draw this layer's weights afresh from its initialiser (undoable)."))
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
        form.addRow(self.tr("Rate"), self.rate_spin)
        pages.addWidget(self.page_dropout)

        # batch norm
        self.page_batchnorm = QWidget(pages)
        form = form_layout(self.page_batchnorm)
        self.page_batchnorm.setLayout(form)
        self.momentum_spin = NumberSpinBox(0.001, 1.0, 0.05, self.page_batchnorm)
        self.momentum_spin.setToolTip(
            self.tr("How fast the running mean and variance (used when predicting) follow each batch."))
        self.momentum_spin.valueChanged.connect(lambda v: self._edit(momentum=float(v)))
        form.addRow(self.tr("Momentum"), self.momentum_spin)
        self.eps_spin = NumberSpinBox(1e-12, 1.0, 0.0, self.page_batchnorm, log_steps=True)
        self.eps_spin.setToolTip(
            self.tr("Added to the variance before dividing, so a constant feature cannot divide by zero."))
        self.eps_spin.valueChanged.connect(lambda v: self._edit(eps=float(v)))
        form.addRow(self.tr("Epsilon"), self.eps_spin)
        self.bn_activation_combo = make_activation_combo(self.page_batchnorm)
        self.bn_activation_combo.activated.connect(
            lambda row: self._edit(activation=self.bn_activation_combo.itemData(row)))
        form.addRow(self.tr("Then"), self.bn_activation_combo)
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
            self.title_label.setText(spec.name if named else self.tr("Network"))
            self.subtitle_label.setText(self.tr("{0} · {1} parameters").format(shape, f"{counts.params:,}"))
            n = len(spec.layers)
            self.about_label.setText("")
            self.about_label.hide()
            self.count_label.hide()
            layers = (self.tr("{0} layer") if n == 1 else self.tr("{0} layers")).format(n)
            self.summary_label.setText(
                self.tr("{0}, {1} trainable parameters, a sum over the layers of inputs×units weights + units "
                        "biases:<br><b>{2}</b><br>Memory: {3} as float32 (32-bit), {4} as float16 (16-bit). "
                        "One sample takes {5} multiply-adds and makes {6} activations ({7} as float32).").format(
                    layers, f"{counts.params:,}", counts.formula(), human_bytes(counts.memory_bytes(FLOAT32_BYTES)),
                    human_bytes(counts.memory_bytes(FLOAT16_BYTES)), f"{counts.macs:,}", f"{counts.activations:,}",
                    human_bytes(counts.activation_bytes(FLOAT32_BYTES)))
                + f"<br><span style='color:{dim}'>"
                + self.tr("Select a layer or a neuron, here or in the diagram, to see and edit it.") + "</span>")
            self.pages.setCurrentWidget(self.page_none)
        elif layer == -1:
            self.icon_label.setPixmap(icons.kind_icon("input").pixmap(32, 32))
            self.title_label.setText(self.tr("Input"))
            features = self.tr("{0} feature") if spec.inputs == 1 else self.tr("{0} features")
            self.subtitle_label.setText(features.format(f"{spec.inputs:,}"))
            if self.doc.standardization is not None:
                self.about_label.setText(self.tr("The numbers that go into the network, one per feature, standardised "
                                                 "with the training data's mean and spread before the first layer."))
            else:
                self.about_label.setText(self.tr("The numbers that go into the network, one per feature."))
            self.about_label.show()
            self.count_label.hide()
            set_unless_editing(self.inputs_spin, spec.inputs)
            self.pages.setCurrentWidget(self.page_input)
        else:
            self._show_layer(layer, spec.layers[layer], widths[layer], counts.layers[layer].params, layer == output_index(spec))
            self._show_count(counts.layers[layer])
        self.settings.title.setText(self.tr("Network") if layer is None else self.tr("Settings"))

    def _show_count(self, c) -> None:
        """How layer count ``c``'s parameters are made (``m×n + n``), their memory at 32 and 16 bits, its work."""
        if c.kind == "dense":
            made = self.tr("{0}×{1} weights + {2} biases: <b>{3}</b>").format(
                f"{c.fan_in:,}", f"{c.units:,}", f"{c.units:,}", _unbroken(c.formula()))
        elif c.kind == "batchnorm":
            made = self.tr("a scale and a shift per feature: <b>{0}</b>").format(_unbroken(c.formula()))
        else:
            made = self.tr("none: dropout has nothing to learn")
        text = self.tr("Parameters: {0}").format(made)
        if c.params:
            text += "<br>" + self.tr("Memory: {0} as float32, {1} as float16 · {2} multiply-adds per sample").format(
                human_bytes(c.params * FLOAT32_BYTES), human_bytes(c.params * FLOAT16_BYTES), f"{c.macs:,}")
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
        if is_output:
            self.title_label.setText(self.tr("{0} · output layer").format(kind_name(layer.kind)))
        else:
            self.title_label.setText(self.tr("{0} · layer {1}").format(kind_name(layer.kind), index + 1))
        parameters = self.tr("{0} parameter") if params == 1 else self.tr("{0} parameters")
        shape = self.tr("{0} → {1} · {2} ({3})").format(
            f"{fan_in:,}", f"{units:,}", parameters.format(f"{params:,}"), human_bytes(params * 4))
        self.subtitle_label.setText(self.tr("Layer {0} · {1}").format(index + 1, shape) if is_output else shape)
        if isinstance(layer, DenseSpec):
            self.about_label.setText(
                self.tr("Each of its {0} units weighs all {1} inputs, adds a bias and applies <b>{2}</b>: {3}").format(
                    f"{units:,}", f"{fan_in:,}", activation_label(layer.activation),
                    lower_first(activation_tip(layer.activation))))
            set_unless_editing(self.units_spin, layer.units)
            show_units_cost(self.units_spin, layer.units, fan_in)
            set_combo_value(self.activation_combo, layer.activation)
            set_combo_value(self.init_combo, layer.initializer)
            self.init_combo.setToolTip(self.init_combo.toolTip() + "\n" + self.tr(
                "Choosing another initialiser draws this layer's weights afresh (undoable)."))
            self.pages.setCurrentWidget(self.page_dense)
        elif isinstance(layer, DropoutSpec):
            self.about_label.setText(
                self.tr("While training, each of its {0} values is set to zero with probability {1} and the rest are "
                        "scaled by 1/(1 − {1}); when predicting it passes values through.").format(
                    f"{units:,}", f"{layer.rate:g}"))
            set_unless_editing(self.rate_spin, layer.rate)
            self.pages.setCurrentWidget(self.page_dropout)
        else:
            if layer.activation != "linear":
                self.about_label.setText(
                    self.tr("Normalises each of its features with the batch's mean and variance (running averages when "
                            "predicting), scales by γ and shifts by β, then applies <b>{0}</b>.").format(
                        activation_label(layer.activation)))
            else:
                self.about_label.setText(
                    self.tr("Normalises each of its features with the batch's mean and variance (running averages when "
                            "predicting), scales by γ and shifts by β."))
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
