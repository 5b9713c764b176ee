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

Live training (:meth:`NetworkScene.show_update`): the connections can be
coloured by weights (default) or by the latest gradients
(:meth:`NetworkScene.set_color_mode`).

Beside the scene, not in it: the gradient pulse of each update
(:class:`~.pulse.GradientPulse`, ``scene.pulse``), the neuron heatmaps kept
current (:class:`~.heatmap_refresh.HeatmapRefresh`, ``scene.heatmap_refresh``),
what is under a point (:mod:`.hit_tests`), the tooltip texts
(:mod:`.tooltips`) and the hover marks with the large heatmap of a hovered
neuron (:mod:`.hover`). The scene builds their items and tells them when the
document changes; its event handlers hand the pointer to them.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSceneHelpEvent, QGraphicsSceneMouseEvent

from ..widgets import colors
from ..model.document import Document, Selection
from . import hit_tests, tooltips
from .connections_item import ConnectionsItem
from .heatmap_popup import HeatmapPopup
from . import heatmaps as heat
from .heatmap_refresh import HeatmapRefresh
from .hover import Hover
from .layer_item import ColumnLabelItem, LayerColumnItem
from .layout import SceneLayout, compute_layout
from .overlays import DropMarker, HoverLine, LegendItem, NeuronRing, SelectionHighlight
from .pulse import GradientPulse

FILL_LEVELS = 48  # shades of activation on the canvas (pictures get exact ones)
LEGEND_GAP = 26.0
LEGEND_MIN_WIDTH = 560.0  # a legend under a narrow network may be wider than it, up to this
LEGEND_ROOM = LEGEND_GAP + 48.0  # the window's layout leaves this much height for the legend (two rows)
EXPORT_MARGIN = 24.0

# The highlight lies over the connections: on the canvas they paint an opaque
# white picture (see ConnectionsItem._paint_cached).
Z_CONNECTIONS, Z_PULSE, Z_HIGHLIGHT, Z_HOVER_LINE, Z_COLUMNS, Z_RINGS, Z_MARKER, Z_POPUP = 0, 0.25, 0.5, 1, 2, 3, 4, 5
COLOR_MODES = ("weights", "gradients")


def _in_picture_ink(method):
    """A still scene (an exported picture) is made and drawn in the light ink, whatever the window's theme."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self.interactive:
            return method(self, *args, **kwargs)
        with colors.ink_as(colors.LIGHT_INK):
            return method(self, *args, **kwargs)

    return wrapper


class NetworkScene(QGraphicsScene):
    """The network of ``doc``.

    ``full`` draws every neuron of wide columns (for export); otherwise columns
    wider than ``ELIDE_ABOVE`` (24) show their first and last ``ELIDE_KEEP``
    (6) neurons with "⋮" between. ``interactive=False`` makes a still
    picture for export: no signal connections, no hover, no selection, no
    item caches (an SVG must get vectors). ``activations`` fills neurons by the
    probe's activations; ``legend`` adds the legend under the labels;
    ``heatmaps`` fills hidden neurons with their activation over the input
    plane where there is one (``heatmap_refresh.set_enabled``).
    """

    layout_changed = Signal()  # items rebuilt: the content rectangle may differ
    pulse_stepped = Signal(str, int)  # ("backward" | "forward", pair): an animation's front entered that pair
    pulse_finished = Signal()

    def __init__(
        self,
        doc: Document,
        *,
        full: bool = False,
        interactive: bool = True,
        legend: bool = False,
        activations: bool = True,
        heatmaps: bool = True,
        color_scheme: str = colors.DEFAULT_SCHEME,
        run=None,
        parent=None,
    ):
        super().__init__(parent)
        self.doc = doc
        self.run = run  # the training run model (gradients, per-layer statistics), or None
        self.full = full
        self.interactive = interactive
        self.show_legend = legend
        self.show_activations = activations
        self.scheme = colors.color_scheme(color_scheme)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)  # few items, often moved
        self.layout: SceneLayout | None = None
        self.frame: tuple[float, float] | None = None  # the window's room for the drawing (see set_frame)
        self.columns: list[LayerColumnItem] = []
        self.labels: list[ColumnLabelItem] = []
        self.connections: list[ConnectionsItem] = []
        self.legend: LegendItem | None = None

        self.highlight = self._overlay(SelectionHighlight(), Z_HIGHLIGHT)
        self.selected_ring = self._overlay(NeuronRing(1.0, 2.2), Z_RINGS)
        self.hover_ring = self._overlay(NeuronRing(0.55, 1.6), Z_RINGS)
        self.hover_line = self._overlay(HoverLine(), Z_HOVER_LINE)
        self.drop_marker = self._overlay(DropMarker(), Z_MARKER)
        self.hover = Hover(self, self.hover_ring, self.hover_line, Z_POPUP)

        self.color_mode = "weights"
        self.pulse = GradientPulse(self, Z_PULSE)
        self.heatmap_refresh = HeatmapRefresh(self, heatmaps)

        self.rebuild()
        if interactive:
            doc.spec_changed.connect(self.rebuild)
            doc.names_changed.connect(self.rebuild)
            doc.params_changed.connect(self.refresh_params)
            if run is not None:
                run.updated.connect(self.show_update)
                run.state_changed.connect(self.show_state)
            doc.probe_changed.connect(self.refresh_activations)
            doc.probe_changed.connect(self._refresh_popup)  # its text tells the probe's values
            doc.selection_changed.connect(self._show_selection)

    def _overlay(self, item: QGraphicsItem, z: float) -> QGraphicsItem:
        item.setZValue(z)
        self.addItem(item)
        return item

    # -- building ---------------------------------------------------------------------

    def set_frame(self, width: float, height: float) -> None:
        """The room the window has for the drawing at 100 % zoom: the layout adapts to it (see compute_layout)."""
        frame = (float(round(width, -1)), float(round(height, -1)))  # a few pixels' change is no reason to rebuild
        if frame != self.frame:
            self.frame = frame
            self.rebuild()

    @_in_picture_ink
    def rebuild(self) -> None:
        """Lay out the document's network again and rebuild the column and connection items."""
        for item in [*self.columns, *self.labels, *self.connections, *([self.legend] if self.legend else [])]:
            self.removeItem(item)
        self.hover.clear()
        project = self.doc.project
        pictured = self.heatmap_refresh.wanted()
        self.layout = compute_layout(
            self.doc.spec,
            full=self.full,
            input_names=project.input_names,
            output_names=project.output_names,
            heatmaps=pictured,
            # The legend goes under the drawing: the layout leaves it room.
            frame=None if self.frame is None else (self.frame[0], self.frame[1] - (LEGEND_ROOM if self.show_legend else 0)),
        )
        self.heatmap_refresh.laid_out = pictured
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
        self.heatmap_refresh.refresh()  # before the legend, which says whether there are any
        self.connections = []
        for src, dst in zip(self.layout.columns, self.layout.columns[1:]):
            item = ConnectionsItem(src, dst, self.scheme, identity=dst.passes_through, on_white=self.interactive)
            item.setZValue(Z_CONNECTIONS)  # caches its own (opaque) picture
            self.addItem(item)
            self.connections.append(item)
        self.pulse.set_pairs(self.connections)  # stops a pulse under way
        self.legend = None
        if self.show_legend:
            content = self.layout.content
            self.legend = LegendItem(
                self.scheme,
                activations=self.show_activations,
                heatmaps=None if self.heatmap_refresh.maps is None else self.plane_axes(),
                pass_through=any(c.passes_through for c in self.layout.columns),
                elided=any(c.elided for c in self.layout.columns),
                gradients=self.color_mode == "gradients",
                no_heatmaps=heat.left_out(self.doc) if self.heatmap_refresh.enabled else None,
                # Under a narrow network it may be wider, but never wider than the window's room.
                max_width=min(max(content.width(), LEGEND_MIN_WIDTH), self.frame[0] if self.frame else float("inf")),
            )
            w, _ = self.legend.size()
            self.legend.setPos(round(content.center().x() - w / 2), round(content.bottom() + LEGEND_GAP))
            self.addItem(self.legend)
        self._recolor_connections()
        self.refresh_activations()
        self._show_selection(self.doc.selection)
        self.setSceneRect(self.content_rect().adjusted(-EXPORT_MARGIN, -EXPORT_MARGIN, EXPORT_MARGIN, EXPORT_MARGIN))
        self.layout_changed.emit()

    @_in_picture_ink
    def refresh_params(self) -> None:
        """Recolour the connections for the current weights (in weights mode), then the neurons."""
        if self.color_mode == "weights":
            self._recolor_connections()
        self.refresh_activations()
        self.hover.clear_line()

    def _recolor_connections(self) -> None:
        net = self.doc.network
        if self.color_mode == "weights":
            for i, item in enumerate(self.connections):
                if not item.identity:
                    item.set_weights(net.layer_params(i)["weights"])
            return
        # Gradients share ONE scale, the largest |g| of the whole network, not
        # one per pair: vanishing gradients must show as faint early layers. A
        # per-pair scale would draw a layer whose gradients are a millionth of
        # the output's exactly like the output.
        grads = [None if item.identity else self.pair_gradient(i) for i, item in enumerate(self.connections)]
        scale = max((_finite_abs_max(g) for g in grads if g is not None), default=0.0)
        for i, (item, g) in enumerate(zip(self.connections, grads)):
            if item.identity:
                continue
            if g is None:  # no gradient yet: every line as faint as a zero gradient
                g = np.zeros_like(net.layer_params(i)["weights"])
            item.set_weights(g, scale=scale)

    def pair_gradient(self, pair: int) -> np.ndarray | None:
        """The latest update's gradient of the weights into layer ``pair``, ``None`` if there is none that fits."""
        if self.gradients is None or pair >= len(self.gradients) or self.connections[pair].identity:
            return None
        g = self.gradients[pair].get("weights") if self.gradients[pair] else None
        if g is None or g.shape != self.doc.network.layer_params(pair)["weights"].shape:
            return None  # an update from before the network changed shape
        return g

    # -- live training ------------------------------------------------------------------

    def set_color_mode(self, mode: str) -> None:
        """Colour the connections by their ``"weights"`` (default) or by the latest ``"gradients"``.

        In gradient mode a line's hue is the sign of dL/dw and its width and
        depth |dL/dw| relative to the largest in the whole network (see
        :meth:`_recolor_connections`); lines are faint until an update brings gradients.
        """
        if mode not in COLOR_MODES:
            raise ValueError(f"unknown colour mode {mode!r}; choose from {', '.join(COLOR_MODES)}")
        if mode != self.color_mode:
            self.color_mode = mode
            if self.legend is not None:
                self.rebuild()  # the legend says what the colours now mean
            else:
                self._recolor_connections()
            self.hover.clear_line()

    @property
    def gradients(self) -> list[dict[str, np.ndarray]] | None:
        """The run's newest gradients, per layer (None before a run reports)."""
        return None if self.run is None else self.run.gradients

    @property
    def grad_norms(self) -> list[float | None] | None:
        """The run's newest gradient norm per layer (None for a layer without parameters)."""
        stats = None if self.run is None else self.run.layer_stats
        return None if not stats else [None if s is None else float(s.grad_norm) for s in stats]

    def show_update(self) -> None:
        """The run model took a newer update: recolour by its gradients (in gradient mode) and send a pulse.

        In weights mode the document's ``params_changed`` recolours. The pulse
        may drop the update (:meth:`.GradientPulse.take_update`).
        """
        if self.color_mode == "gradients" and self.gradients is not None:
            self._recolor_connections()
        self.pulse.take_update()

    def show_state(self, state: str) -> None:
        """Take the run's state: once a run stops, a large heatmap drawn on the live grid sharpens."""
        if state != "running" and self._popup_live:
            self._refresh_popup()

    @_in_picture_ink
    def refresh_activations(self) -> None:
        """Fill the neurons by the probe's activations (or plain white)."""
        if not self.show_activations:
            for item in self.columns:
                item.set_fills(None)
            return
        values = [self.doc.standardize(self.doc.probe), *(step["a"][0] for step in self.doc.trace())]
        for item, a in zip(self.columns, values):
            a = np.asarray(a, dtype=np.float64)
            scale = _finite_abs_max(a)
            item.set_fills(colors.signed_fill(a[item.column.neurons], scale, self.scheme, FILL_LEVELS if self.interactive else None))

    # -- neuron heatmaps ------------------------------------------------------------------

    def heatmap_values(self, layer: int, neuron: int) -> np.ndarray | None:
        """What neuron ``neuron`` of ``layer`` shows: its activation over the plane, (n, n) rows up in x2; ``None`` without one."""
        maps = self.heatmap_refresh.maps
        if maps is None or not 0 <= layer < len(maps.activations):
            return None
        return maps.values(layer, neuron)

    def has_heatmap(self, layer: int, neuron: int) -> bool:
        """Whether the neuron is drawn with a heatmap (hidden, drawn, heatmaps on and applicable)."""
        maps = self.heatmap_refresh.maps
        return maps is not None and 0 <= layer < len(maps.activations) and self.neuron_pos(layer, neuron) is not None

    def plane_axes(self) -> tuple[str, str]:
        """The names of the input plane's axes: the data's two features."""
        names = list(self.doc.data.feature_names) if self.doc.data is not None else []
        return (str(names[0]), str(names[1])) if len(names) >= 2 else ("x1", "x2")

    @_in_picture_ink
    def set_color_scheme(self, name: str) -> None:
        """Draw weights (and activations) with the scheme ``name`` ("classic", "colorblind")."""
        self.scheme = colors.color_scheme(name)
        for item in self.connections:
            item.set_scheme(self.scheme)
        if self.legend is not None:
            self.legend.set_scheme(self.scheme)
        self.refresh_activations()
        self.heatmap_refresh.show()
        self._refresh_popup()

    @property
    def color_scheme(self) -> str:
        return self.scheme.name

    def apply_ink(self) -> None:
        """Draw again in the current ink (the window's theme changed): items keep the colours they were made with."""
        self.rebuild()
        self.heatmap_refresh.show()
        self._refresh_popup()

    @_in_picture_ink
    def render(self, *args, **kwargs) -> None:  # noqa: D102 - a picture in the light ink
        super().render(*args, **kwargs)

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

    def _refresh_popup(self) -> None:
        # The slot of the document's signals and the scene's own changes (a QObject's: it goes with the scene).
        self.hover.refresh_popup()

    @property
    def _popup_live(self) -> bool:  # show_state reads it
        return self.hover.popup_live

    # The hover's state as tests/gui/test_neuron_heatmaps.py reads it.

    @property
    def popup_visible(self) -> bool:
        """Whether the hovered neuron's large heatmap is showing."""
        return self.hover.popup_visible

    @property
    def heatmap_popup(self) -> HeatmapPopup | None:
        """The hovered neuron's large heatmap, ``None`` until the first hover of a heatmap."""
        return self.hover.popup

    def neuron_tooltip(self, layer: int, neuron: int) -> str:
        """What hovering a neuron says (:func:`.tooltips.neuron_text`)."""
        return tooltips.neuron_text(self, layer, neuron)

    # -- drop marker ---------------------------------------------------------------------

    def show_drop_marker(self, index: int) -> None:
        """Show where a new layer would go if it became ``spec.layers[index]``."""
        x = self.layout.marker_x(index)
        content = self.layout.content
        self.drop_marker.place(x, content.top() + DropMarker.RADIUS * 2 + 6, content.bottom(), index)

    def hide_drop_marker(self) -> None:
        self.drop_marker.setVisible(False)

    # -- events ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        selection = None
        if self.interactive and event.button() == Qt.MouseButton.LeftButton:
            selection = hit_tests.selection_at(self, event.scenePos())
        if selection is None:
            event.ignore()  # the background (or another button): the view pans
            return
        self.doc.select(selection)
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if self.interactive and event.buttons() == Qt.MouseButton.NoButton:
            self.hover.move(event.scenePos(), hit_tests.tolerance(event.widget()))

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        tooltips.show(self, event)


def _finite_abs_max(a: np.ndarray) -> float:
    if not a.size:
        return 0.0
    m = float(np.abs(a).max())
    if math.isfinite(m):
        return m
    finite = np.abs(a[np.isfinite(a)])
    return float(finite.max()) if finite.size else 0.0

