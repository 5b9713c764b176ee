"""The inspector's cost view: what the network costs now, and with one hidden layer doubled or repeated.

Parameters, their memory at 32 and 16 bits, multiply-adds and activations per
sample, side by side with a variant and the difference, and both totals as
the sum of their layers (``2×4+4 + 4×4+4 + 4×1+1 = 37``). The layer follows
the selection when a hidden dense layer is selected; the learner can also
choose it. The counts come from :mod:`nnviz.core.counting`; nothing here edits
the document.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from ....core.counting import FLOAT16_BYTES, FLOAT32_BYTES, NetworkCount, count, hidden_dense_layers, variant
from ....core.numbers import human_bytes
from ...model.document import Document
from ...widgets.labels import make_dim, wrap_label
from ...widgets.sections import Section, align_labels, form_layout
from .selection import selected

# Marked for translation, shown through _tr().
CHANGE_LABELS = {"double": QT_TRANSLATE_NOOP("CostSection", "twice as wide"),
                 "repeat": QT_TRANSLATE_NOOP("CostSection", "repeated")}
NO_HIDDEN = QT_TRANSLATE_NOOP("CostSection",
                              "Add a hidden layer to see what making it wider, or adding another like it, would cost.")

# (row label, what it counts, how a count reads); memory rows show bytes, the others plain numbers
_ROWS = (
    (QT_TRANSLATE_NOOP("CostSection", "Parameters"), lambda c: c.params, "count"),
    (QT_TRANSLATE_NOOP("CostSection", "Memory, 32-bit"), lambda c: c.memory_bytes(FLOAT32_BYTES), "bytes"),
    (QT_TRANSLATE_NOOP("CostSection", "Memory, 16-bit"), lambda c: c.memory_bytes(FLOAT16_BYTES), "bytes"),
    (QT_TRANSLATE_NOOP("CostSection", "Multiply-adds"), lambda c: c.macs, "count"),
    (QT_TRANSLATE_NOOP("CostSection", "Activations"), lambda c: c.activations, "count"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("CostSection", text)


def _show(value: int, unit: str) -> str:
    return human_bytes(value) if unit == "bytes" else f"{value:,}"


def _difference(now: int, then: int, unit: str) -> str:
    delta = then - now
    return f"{'+' if delta >= 0 else '−'}{_show(abs(delta), unit)}"


def _times(now: int, then: int) -> str:
    return f"{then / now:.2f}×" if now else "—"


class CostSection(Section):
    """The cost of ``doc``'s network now and with a chosen hidden layer doubled in width or repeated."""

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(self.tr("Cost"), parent)
        self.doc = doc
        self.setAccessibleName(self.tr("Cost of the network"))

        self.choice = QWidget(self)
        form = form_layout(self.choice)
        self.choice.setLayout(form)
        self.layer_combo = QComboBox(self.choice)
        self.layer_combo.setToolTip(self.tr("The hidden layer to change (selecting one in the diagram chooses it too)."))
        self.change_combo = QComboBox(self.choice)
        for change, label in CHANGE_LABELS.items():
            self.change_combo.addItem(_tr(label), change)
        self.change_combo.setItemData(0, self.tr("Twice as many units in this layer."), Qt.ItemDataRole.ToolTipRole)
        self.change_combo.setItemData(1, self.tr("Another layer like this one, added right after it."),
                                      Qt.ItemDataRole.ToolTipRole)
        self.change_combo.setToolTip(
            self.tr("How the layer changes: twice as many units, or another layer like it after it."))
        form.addRow(self.tr("What if"), self.layer_combo)
        form.addRow(self.tr("were"), self.change_combo)
        align_labels(form)
        for combo in (self.layer_combo, self.change_combo):
            combo.setMaximumWidth(260)
        self.body.addWidget(self.choice)

        self.table = QWidget(self)
        grid = QGridLayout(self.table)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        self.headers = [QLabel(text, self.table)
                        for text in ("", self.tr("Now"), self.tr("Then"), self.tr("Difference"))]
        for col, header in enumerate(self.headers):
            make_dim(header)
            grid.addWidget(header, 0, col, Qt.AlignmentFlag.AlignRight if col else Qt.AlignmentFlag.AlignLeft)
        self.cells: dict[str, list[QLabel]] = {}
        for row, (name, _value, _unit) in enumerate(_ROWS, start=1):
            grid.addWidget(QLabel(_tr(name), self.table), row, 0)
            labels = [QLabel(self.table) for _ in range(3)]
            for col, label in enumerate(labels, start=1):
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(label, row, col)
            self.cells[name] = labels
        grid.setColumnStretch(0, 1)
        self.body.addWidget(self.table)
        self.per_sample = wrap_label(self.tr("Multiply-adds and activations are for one sample's forward pass."), self,
                                     dim=True)
        self.body.addWidget(self.per_sample)
        self.formulas = wrap_label("", self)
        self.body.addWidget(self.formulas)
        self.note = wrap_label(_tr(NO_HIDDEN), self, dim=True)
        self.body.addWidget(self.note)

        self.layer_combo.activated.connect(lambda _row: self.refresh())
        self.change_combo.activated.connect(lambda _row: self.refresh())
        doc.spec_changed.connect(self._spec_changed)
        doc.selection_changed.connect(self._follow_selection)
        self._spec_changed()

    # -- what is compared ------------------------------------------------------------

    def chosen_layer(self) -> int | None:
        """The hidden layer the variant changes (``None`` when the network has none)."""
        return self.layer_combo.currentData()

    def choose(self, layer: int, change: str) -> None:
        """Compare with hidden layer ``layer`` changed by ``change`` (``"double"`` or ``"repeat"``)."""
        self.layer_combo.setCurrentIndex(self.layer_combo.findData(layer))
        self.change_combo.setCurrentIndex(self.change_combo.findData(change))
        self.refresh()

    def _spec_changed(self) -> None:
        spec = self.doc.spec
        keep = self.chosen_layer()
        self.layer_combo.clear()
        for i in hidden_dense_layers(spec):
            layer = spec.layers[i]
            self.layer_combo.addItem(self.tr("{0} ({1} · {2})").format(self._caption(i), f"{layer.units:,}",
                                                                       layer.activation), i)
        index = self.layer_combo.findData(keep) if keep is not None else -1
        self.layer_combo.setCurrentIndex(max(index, 0) if self.layer_combo.count() else -1)
        self._follow_selection()

    def _caption(self, layer: int) -> str:
        """How the comparison names hidden layer ``layer`` (as the diagram's columns: "Hidden 1")."""
        return self.tr("Hidden {0}").format(layer + 1)

    def _follow_selection(self) -> None:
        layer, _neuron = selected(self.doc)
        index = self.layer_combo.findData(layer) if layer is not None else -1
        if index >= 0:
            self.layer_combo.setCurrentIndex(index)
        self.refresh()

    # -- showing ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the counts now, with the chosen change, and the difference."""
        spec = self.doc.spec
        now = count(spec)
        layer = self.chosen_layer()
        has_variant = layer is not None
        then: NetworkCount | None = count(variant(spec, layer, self.change_combo.currentData())) if has_variant else None
        for name, value, unit in _ROWS:
            cells = self.cells[name]
            cells[0].setText(_show(value(now), unit))
            cells[1].setText(_show(value(then), unit) if then else "")
            cells[2].setText(_difference(value(now), value(then), unit) if then else "")
        for widget in (self.choice, self.headers[2], self.headers[3]):
            widget.setVisible(has_variant)
        self.note.setVisible(not has_variant)
        lines = [self.tr("Parameters now: {0}").format(now.formula())]
        if then is not None:
            lines.append(self.tr("With {0} {1}: {2}").format(self._caption(layer), self.change_combo.currentText(),
                                                            then.formula()))
            lines.append(self.tr("That is {0} the parameters and memory, {1} the multiply-adds.").format(
                _times(now.params, then.params), _times(now.macs, then.macs)))
        self.formulas.setText("\n".join(lines))
