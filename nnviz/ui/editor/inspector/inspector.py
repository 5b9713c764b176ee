"""The inspector widget: the layer, neuron, probe and cost sections in one scrolling column, kept up to date."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ...model.document import Document
from ...widgets.sections import column_width, scroll_column
from .cost_section import CostSection
from .layer_section import LayerSection
from .neuron_section import NeuronSection
from .probe_section import ProbeSection


class Inspector(QWidget):
    """Settings of the selected layer, numbers of the selected neuron, and the probe input of ``doc``."""

    refreshed = Signal()  # after every update (tests and the main window's status may listen)

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        scroll, col = scroll_column(self, (12, 10, 12, 10))
        self.scroll = scroll
        body = scroll.widget()
        self.layer_section = LayerSection(doc, body, spacing=col.spacing())
        col.addWidget(self.layer_section)
        self.neuron_section = NeuronSection(doc, body)
        col.addWidget(self.neuron_section)
        self.probe_section = ProbeSection(doc, body)
        col.addWidget(self.probe_section)
        self.cost_section = CostSection(doc, body)
        col.addWidget(self.cost_section)
        col.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)  # minimumSizeHint() rules
        layout.addWidget(scroll)

        doc.spec_changed.connect(self.refresh)
        doc.selection_changed.connect(self.refresh)
        doc.names_changed.connect(self.refresh)
        doc.params_changed.connect(self._params_changed)
        doc.probe_changed.connect(self._probe_changed)
        doc.edit_refused.connect(self.layer_section.put_back)
        self.refresh()

    def sizeHint(self):
        return QSize(320, 560)

    def minimumSizeHint(self):
        # Never narrower than the fields can be: a dock squeezed further would clip them.
        return QSize(column_width(self.scroll), 200)

    def set_color_scheme(self, name: str) -> None:
        """Colour weights like the diagram: ``name`` is a :data:`nnviz.ui.widgets.colors.SCHEMES` key."""
        self.neuron_section.set_color_scheme(name)

    def refresh(self, *_args) -> None:
        """Show the current selection, settings, neuron and probe."""
        self.layer_section.refresh()
        self._show_response()
        self.updateGeometry()  # the narrowest the content can go may have changed
        self.refreshed.emit()

    def _show_response(self, probe_fields: bool = True) -> None:
        # The neuron's arithmetic and the probe's output are read from one trace of the
        # probe (the document's, standardised once), and both are redrawn on every change,
        # shown or not: a section skipped while its tab was hidden (a new standardisation
        # when training starts on standardised data) showed an activation the output
        # beside it no longer had.
        trace = self.doc.trace()
        self.neuron_section.refresh(trace)
        if probe_fields:
            self.probe_section.refresh(trace)
        else:
            self.probe_section.refresh_output(trace)

    def _params_changed(self) -> None:
        self._show_response(probe_fields=False)  # the probe is the same, the network's answer to it is not
        self.refreshed.emit()

    def _probe_changed(self) -> None:
        self._show_response()
        self.refreshed.emit()
