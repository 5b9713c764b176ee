"""The network as a QGraphicsScene: a mirror of the document.

The scene reads the document and listens to it; it never edits it except by
selecting (``doc.select``). Structure changes rebuild the items (a few per
column); weight and probe changes only recolour them.

Items, back to front: one :class:`ConnectionsItem` per pair of adjacent
columns, the selection highlight, the hovered connection, one
:class:`LayerColumnItem` (neurons) and one :class:`ColumnLabelItem` (label)
per column, input first, the selected and hovered neuron rings, the drop
marker and, for exported pictures, the legend. That is a handful of items
whatever the number of neurons and connections.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSceneHelpEvent, QGraphicsSceneMouseEvent, QToolTip

from .. import colors
from ..document import Document, Selection
from .connections_item import ConnectionsItem
from .layer_item import ColumnLabelItem, LayerColumnItem
from .layout import SceneLayout, compute_layout
from .overlays import DropMarker, HoverLine, LegendItem, NeuronRing, SelectionHighlight

FILL_LEVELS = 48  # shades of activation on the canvas (pictures get exact ones)
HIT_SLACK = 3.0  # scene units around a neuron that still count as on it
LEGEND_GAP = 26.0
LEGEND_MIN_WIDTH = 560.0  # a legend under a narrow network may be wider than it, up to this
EXPORT_MARGIN = 24.0

# The highlight lies over the connections: on the canvas they paint an opaque
# white picture (see ConnectionsItem._paint_cached).
Z_CONNECTIONS, Z_HIGHLIGHT, Z_HOVER_LINE, Z_COLUMNS, Z_RINGS, Z_MARKER = 0, 0.5, 1, 2, 3, 4


class NetworkScene(QGraphicsScene):
    """The network of ``doc``.

    ``full`` draws every neuron of wide columns (for export); otherwise columns
    wider than ``ELIDE_ABOVE`` (24) show their first and last ``ELIDE_KEEP``
    (6) neurons with "⋮" between. ``interactive=False`` makes a still
    picture for export: no signal connections, no hover, no selection, no
    item caches (an SVG must get vectors). ``activations`` fills neurons by the
    probe's activations; ``legend`` adds the legend under the labels.
    """

    layout_changed = Signal()  # items rebuilt: the content rectangle may differ

    def __init__(
        self,
        doc: Document,
        *,
        full: bool = False,
        interactive: bool = True,
        legend: bool = False,
        activations: bool = True,
        color_scheme: str = colors.DEFAULT_SCHEME,
        parent=None,
    ):
        super().__init__(parent)
        self.doc = doc
        self.full = full
        self.interactive = interactive
        self.show_legend = legend
        self.show_activations = activations
        self.scheme = colors.color_scheme(color_scheme)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)  # few items, often moved
        self.layout: SceneLayout | None = None
        self.columns: list[LayerColumnItem] = []
        self.labels: list[ColumnLabelItem] = []
        self.connections: list[ConnectionsItem] = []
        self.legend: LegendItem | None = None

        self.highlight = self._overlay(SelectionHighlight(), Z_HIGHLIGHT)
        self.selected_ring = self._overlay(NeuronRing(1.0, 2.2), Z_RINGS)
        self.hover_ring = self._overlay(NeuronRing(0.55, 1.6), Z_RINGS)
        self.hover_line = self._overlay(HoverLine(), Z_HOVER_LINE)
        self.drop_marker = self._overlay(DropMarker(), Z_MARKER)
        self._hover_key = None

        self.rebuild()
        if interactive:
            doc.spec_changed.connect(self.rebuild)
            doc.params_changed.connect(self.refresh_params)
            doc.probe_changed.connect(self.refresh_activations)
            doc.selection_changed.connect(self._show_selection)

    def _overlay(self, item: QGraphicsItem, z: float) -> QGraphicsItem:
        item.setZValue(z)
        self.addItem(item)
        return item

    # -- building ---------------------------------------------------------------------

    def rebuild(self) -> None:
        """Lay out the document's network again and rebuild the column and connection items."""
        for item in [*self.columns, *self.labels, *self.connections, *([self.legend] if self.legend else [])]:
            self.removeItem(item)
        self.clear_hover()
        nf = self.doc.file
        self.layout = compute_layout(
            self.doc.spec,
            full=self.full,
            input_names=nf.input_names,
            output_names=nf.output_names,
        )
        cache = QGraphicsItem.CacheMode.DeviceCoordinateCache if self.interactive else QGraphicsItem.CacheMode.NoCache
        self.columns = []
        self.labels = []
        for column in self.layout.columns:
            neurons = LayerColumnItem(column, sprites=self.interactive)
            label = ColumnLabelItem(column)
            for item, items in ((neurons, self.columns), (label, self.labels)):
                item.setZValue(Z_COLUMNS)
                item.setCacheMode(cache)
                self.addItem(item)
                items.append(item)
        self.connections = []
        for src, dst in zip(self.layout.columns, self.layout.columns[1:]):
            item = ConnectionsItem(src, dst, self.scheme, identity=dst.passes_through, on_white=self.interactive)
            item.setZValue(Z_CONNECTIONS)  # caches its own (opaque) picture
            self.addItem(item)
            self.connections.append(item)
        self.legend = None
        if self.show_legend:
            content = self.layout.content
            self.legend = LegendItem(
                self.scheme,
                activations=self.show_activations,
                pass_through=any(c.passes_through for c in self.layout.columns),
                elided=any(c.elided for c in self.layout.columns),
                max_width=max(content.width(), LEGEND_MIN_WIDTH),
            )
            w, _ = self.legend.size()
            self.legend.setPos(round(content.center().x() - w / 2), round(content.bottom() + LEGEND_GAP))
            self.addItem(self.legend)
        self.refresh_params()
        self._show_selection(self.doc.selection)
        self.setSceneRect(self.content_rect().adjusted(-EXPORT_MARGIN, -EXPORT_MARGIN, EXPORT_MARGIN, EXPORT_MARGIN))
        self.layout_changed.emit()

    def refresh_params(self) -> None:
        """Recolour the connections for the current weights, then the neurons."""
        net = self.doc.network
        for i, item in enumerate(self.connections):
            if not item.identity:
                item.set_weights(net.layer_params(i)["weights"])
        self.refresh_activations()
        if self._hover_key is not None and self._hover_key[0] == "line":
            self.clear_hover()

    def refresh_activations(self) -> None:
        """Fill the neurons by the probe's activations (or plain white)."""
        if not self.show_activations:
            for item in self.columns:
                item.set_fills(None)
            return
        values = [self.input_values(), *(step["a"][0] for step in self.doc.trace())]
        for item, a in zip(self.columns, values):
            a = np.asarray(a, dtype=np.float64)
            scale = float(np.abs(a).max()) if a.size else 0.0
            if not np.isfinite(scale):
                finite = np.abs(a[np.isfinite(a)])
                scale = float(finite.max()) if finite.size else 0.0
            item.set_fills(colors.signed_fill(a[item.column.neurons], scale, self.scheme, FILL_LEVELS if self.interactive else None))

    def input_values(self) -> np.ndarray:
        """What the input column feeds the first layer: the probe, standardised if the file says so."""
        x = np.asarray(self.doc.probe, dtype=np.float64)
        std = self.doc.file.standardization
        return std.apply(x) if std is not None else x

    def set_color_scheme(self, name: str) -> None:
        """Draw weights (and activations) with the scheme ``name`` ("classic", "colorblind")."""
        self.scheme = colors.color_scheme(name)
        for item in self.connections:
            item.set_scheme(self.scheme)
        if self.legend is not None:
            self.legend.set_scheme(self.scheme)
        self.refresh_activations()

    @property
    def color_scheme(self) -> str:
        return self.scheme.name

    def set_full(self, full: bool) -> None:
        """Draw every neuron of wide columns (``True``) or elide them."""
        if full != self.full:
            self.full = full
            self.rebuild()

    # -- geometry ---------------------------------------------------------------------

    def column_item(self, layer: int) -> LayerColumnItem:
        """The column of ``layer`` (``-1`` is the input)."""
        return self.columns[layer + 1]

    def content_rect(self) -> QRectF:
        """Everything the network draws, legend included."""
        r = self.layout.content
        if self.legend is not None:
            r = r.united(self.legend.sceneBoundingRect())
        return r

    def export_rect(self) -> QRectF:
        """The content with a margin, on whole units: what an exported picture shows."""
        r = self.content_rect().adjusted(-EXPORT_MARGIN, -EXPORT_MARGIN, EXPORT_MARGIN, EXPORT_MARGIN)
        return QRectF(r.toAlignedRect())

    def neuron_pos(self, layer: int, neuron: int) -> QPointF | None:
        """Centre of a drawn neuron, ``None`` if it is elided."""
        column = self.column_item(layer).column
        slot = column.slot_of(neuron)
        return None if slot is None else QPointF(column.x, float(column.ys[slot]))

    def column_rect(self, layer: int) -> QRectF:
        """Around a column's neurons and its label: the selection highlight."""
        c = self.column_item(layer).column
        half = max(c.label.width() / 2, c.radius) + 10
        return QRectF(c.x - half, c.body.top() - 12, 2 * half, c.label.bottom() + 8 - (c.body.top() - 12))

    def _column_hit(self, layer: int, pos: QPointF) -> bool:
        # The neurons' strip and the label, not the whole highlight: beside a
        # column run its connections, which hover and pan instead.
        c = self.column_item(layer).column
        strip = QRectF(c.x - c.radius - 8, c.body.top() - 10, 2 * (c.radius + 8), c.body.height() + 20)
        return strip.contains(pos) or c.label.adjusted(-8, -6, 8, 6).contains(pos)

    def neuron_at(self, pos: QPointF) -> tuple[int, int] | None:
        """``(layer, neuron)`` of the drawn neuron under ``pos``."""
        for item in self.columns:
            c = item.column
            reach = c.radius + HIT_SLACK
            if abs(pos.x() - c.x) > reach:
                continue
            i = int(np.argmin(np.abs(c.ys - pos.y())))
            if np.hypot(pos.x() - c.x, pos.y() - c.ys[i]) <= reach:
                return c.layer, int(c.neurons[i])
        return None

    def column_at(self, pos: QPointF) -> int | None:
        """The layer (``-1`` input) whose column or label is under ``pos``."""
        for item in self.columns:
            if self._column_hit(item.layer, pos):
                return item.layer
        return None

    def connection_at(self, pos: QPointF, tolerance: float = 3.0) -> tuple[int, int] | None:
        """``(pair, line)``: the drawn connection nearest ``pos``; pair ``i`` feeds layer ``i``."""
        for pair, item in enumerate(self.connections):
            if item.x0 < pos.x() < item.x1:
                line = item.line_at(pos, tolerance)
                return None if line is None else (pair, line)
        return None

    # -- text -------------------------------------------------------------------------

    def tooltip_at(self, pos: QPointF, tolerance: float = 3.0) -> str:
        """What hovering ``pos`` shows: a neuron, a connection, or nothing."""
        hit = self.neuron_at(pos)
        if hit is not None:
            return self.neuron_tooltip(*hit)
        if self.column_at(pos) is not None:
            return ""
        hit = self.connection_at(pos, tolerance)
        if hit is not None:
            return self.connection_tooltip(*hit)
        return ""

    def neuron_tooltip(self, layer: int, neuron: int) -> str:
        n = neuron + 1
        if layer < 0:
            name = self._name(self.doc.file.input_names, neuron)
            raw = float(self.doc.probe[neuron])
            lines = [f"Input neuron {n}{name}", f"probe value x = {_num(raw)}"]
            if self.doc.file.standardization is not None:
                lines.append(f"standardised = {_num(float(self.input_values()[neuron]))}")
            return "\n".join(lines)
        spec = self.doc.spec.layers[layer]
        title = self.column_item(layer).column.title
        name = self._name(self.doc.file.output_names, neuron) if layer == len(self.doc.spec.layers) - 1 else ""
        lines = [f"Layer {layer + 1} ({title}), neuron {n}{name}"]
        params = self.doc.network.layer_params(layer)
        if spec.kind == "dense":
            lines.append(f"bias b = {_num(float(params['bias'][neuron]))}")
        elif spec.kind == "batchnorm":
            lines.append(f"scale γ = {_num(float(params['gamma'][neuron]))}, shift β = {_num(float(params['beta'][neuron]))}")
        else:
            lines.append(f"passes its input on (drops it with probability {spec.rate:g} while training)")
        step = self.doc.trace()[layer]
        if spec.kind != "dropout":
            lines.append(f"weighted sum z = {_num(float(step['z'][0, neuron]))}")
        lines.append(f"activation a = {_num(float(step['a'][0, neuron]))}")
        return "\n".join(lines)

    def connection_tooltip(self, pair: int, line: int) -> str:
        item = self.connections[pair]
        j = int(item.src_idx[line])
        k = int(item.dst_idx[line])
        source = f"input neuron {j + 1}" if pair == 0 else f"layer {pair} neuron {j + 1}"
        target = f"layer {pair + 1} neuron {k + 1}"
        if item.identity:
            kind = self.doc.spec.layers[pair].kind
            what = "passed on (dropout)" if kind == "dropout" else "normalised (batch norm)"
            return f"{source} → {target}: {what}"
        w = float(item.values[line])
        text = f"{source} → {target}: w = {_num(w)}"
        a = self.input_values()[j] if pair == 0 else self.doc.trace()[pair - 1]["a"][0, j]
        return text + f"\nw · a = {_num(w * float(a))} for the probe input"

    @staticmethod
    def _name(names, i: int) -> str:
        return f" “{names[i]}”" if names and i < len(names) else ""

    # -- selection and hover ---------------------------------------------------------------

    def _show_selection(self, selection: Selection) -> None:
        if not self.interactive or selection.layer is None or not -1 <= selection.layer < len(self.columns) - 1:
            self.highlight.setVisible(False)
            self.selected_ring.setVisible(False)
            return
        self.highlight.set_rect(self.column_rect(selection.layer))
        self.highlight.setVisible(True)
        pos = None if selection.neuron is None else self.neuron_pos(selection.layer, selection.neuron)
        if pos is None:
            self.selected_ring.setVisible(False)
        else:
            self.selected_ring.place(pos, self.column_item(selection.layer).column.radius + 3.5)

    def hover(self, pos: QPointF, tolerance: float = 3.0) -> None:
        """Mark what is under ``pos`` (a neuron ring or a highlighted connection)."""
        hit = self.neuron_at(pos)
        if hit is not None:
            key = ("neuron", *hit)
            if key != self._hover_key:
                self.clear_hover()
                self.hover_ring.place(self.neuron_pos(*hit), self.column_item(hit[0]).column.radius + 2.5)
                self._hover_key = key
            return
        line = None if self.column_at(pos) is not None else self.connection_at(pos, tolerance)
        if line is not None:
            key = ("line", *line)
            if key != self._hover_key:
                self.clear_hover()
                item = self.connections[line[0]]
                self.hover_line.place(item.line(line[1]), item.line_color(line[1]), item.line_width(line[1]))
                self._hover_key = key
            return
        self.clear_hover()

    def clear_hover(self) -> None:
        self._hover_key = None
        self.hover_ring.setVisible(False)
        self.hover_line.setVisible(False)

    # -- drop marker ---------------------------------------------------------------------

    def show_drop_marker(self, index: int) -> None:
        """Show where a new layer would go if it became ``spec.layers[index]``."""
        x = self.layout.marker_x(index)
        content = self.layout.content
        self.drop_marker.place(x, content.top() + DropMarker.RADIUS * 2 + 6, content.bottom(), index)

    def hide_drop_marker(self) -> None:
        self.drop_marker.setVisible(False)

    # -- events ----------------------------------------------------------------------------

    def _tolerance(self, widget) -> float:
        view = widget.parent() if widget is not None else None
        scale = view.transform().m11() if view is not None and hasattr(view, "transform") else 1.0
        return 4.0 / max(scale, 1e-6)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.interactive or event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        pos = event.scenePos()
        hit = self.neuron_at(pos)
        if hit is not None:
            self.doc.select(Selection(layer=hit[0], neuron=hit[1]))
            event.accept()
            return
        layer = self.column_at(pos)
        if layer is not None:
            self.doc.select(Selection(layer=layer))
            event.accept()
            return
        event.ignore()  # the background: the view pans

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if self.interactive and event.buttons() == Qt.MouseButton.NoButton:
            self.hover(event.scenePos(), self._tolerance(event.widget()))

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        text = self.tooltip_at(event.scenePos(), self._tolerance(event.widget())) if self.interactive else ""
        if text:
            QToolTip.showText(event.screenPos(), text, event.widget())
            event.accept()
        else:
            QToolTip.hideText()
            event.ignore()


def _num(v: float) -> str:
    """A number for a tooltip: four significant digits, no "-0"."""
    text = f"{v:.4g}"
    return "0" if text == "-0" else text
