"""Hover on the canvas: what marks the neuron or connection under the pointer.

A hovered neuron gets a ring; a hovered connection is drawn again on top,
wider (:class:`~.overlays.HoverLine`). A hovered hidden neuron that shows a
heatmap (:mod:`.heatmaps`) also shows its picture large beside it
(:class:`~.heatmap_popup.HeatmapPopup`, made on first use), instead of the
tooltip: the card holds everything the tooltip says (:mod:`.tooltips`).

The scene builds the ring and the line (its overlays) and tells this when
what they show changes: the probe, the heatmaps, the colours.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPointF

from ...core.numbers import significant
from . import heatmaps as heat
from . import hit_tests, tooltips
from .heatmap_popup import HeatmapPopup
from .overlays import HoverLine, NeuronRing

if TYPE_CHECKING:
    from .scene import NetworkScene

POPUP_GAP = 8.0  # pixels between the hover ring and the large heatmap
POPUP_MARGIN = 6.0  # pixels the large heatmap keeps from the view's edges


class Hover:
    """The hover marks of ``scene``: ``ring`` and ``line`` (in the scene already), the large heatmap at depth ``popup_z``."""

    def __init__(self, scene: NetworkScene, ring: NeuronRing, line: HoverLine, popup_z: float):
        self.scene = scene
        self.ring = ring
        self.line = line
        self.popup: HeatmapPopup | None = None  # made on the first hover of a heatmap
        self.popup_live = False  # the popup was drawn on the coarser grid of a running session
        self._popup_z = popup_z
        self.key: tuple | None = None  # ("neuron", layer, neuron) | ("line", pair, line) | None

    def move(self, pos: QPointF, tolerance: float = 3.0) -> None:
        """Mark what is under ``pos`` (a neuron ring, with its large heatmap if it has one, or a highlighted connection)."""
        scene = self.scene
        hit = hit_tests.neuron_at(scene, pos)
        if hit is not None:
            self.mark_neuron(*hit)
            return
        line = None if hit_tests.column_at(scene, pos) is not None else hit_tests.connection_at(scene, pos, tolerance)
        if line is not None:
            key = ("line", *line)
            if key != self.key:
                self.clear()
                item = scene.connections[line[0]]
                self.line.place(item.line(line[1]), item.line_color(line[1]), item.line_width(line[1]))
                self.key = key
            return
        self.clear()

    def mark_neuron(self, layer: int, neuron: int) -> None:
        """Ring a drawn neuron and show its large heatmap if it has one (a hover, or "Show Heatmap" from its menu)."""
        key = ("neuron", layer, neuron)
        if key != self.key:
            self.clear()
            self.ring.place(self.scene.neuron_pos(layer, neuron), self.scene.column_item(layer).column.radius + 2.5)
            self.key = key
            self.refresh_popup()

    def clear(self) -> None:
        self.key = None
        self.ring.setVisible(False)
        self.line.setVisible(False)
        if self.popup is not None:
            self.popup.setVisible(False)

    def clear_line(self) -> None:
        """Unmark a hovered connection: its colour is stale (new weights, another colour mode)."""
        if self.key is not None and self.key[0] == "line":
            self.clear()

    @property
    def popup_visible(self) -> bool:
        """Whether the hovered neuron's large heatmap is showing."""
        return self.popup is not None and self.popup.isVisible()

    def refresh_popup(self) -> None:
        """Show (or redraw, or hide) the large heatmap of the hovered neuron."""
        scene = self.scene
        key = self.key
        if key is None or key[0] != "neuron" or not scene.interactive or not scene.has_heatmap(key[1], key[2]):
            if self.popup is not None:
                self.popup.setVisible(False)
            return
        _, layer, neuron = key
        # Sharper than the canvas's pictures: a grid of its own, traced only while one shows
        # (a coarser one while a run goes; see NetworkScene.show_state).
        self.popup_live = getattr(scene.run, "state", None) == "running"
        large = heat.compute(scene.doc, heat.large_grid(scene.doc, live=self.popup_live))
        lo, hi = large.value_range(layer, neuron)
        scale = max(abs(lo), abs(hi)) if math.isfinite(lo) else 0.0
        lines = tooltips.neuron_text(scene, layer, neuron).splitlines()
        if self.popup is None:
            self.popup = HeatmapPopup()
            self.popup.setZValue(self._popup_z)
            scene.addItem(self.popup)
        self.popup.set_content(
            lines[0],
            large.image(layer, neuron, scene.scheme),
            QCoreApplication.translate("HeatmapPopup", "activation over the plane: {0} to {1}").format(
                significant(lo), significant(hi)),
            lines[1:2],  # the neuron's parameters (see tooltips.neuron_text)
            lines[2:],  # its values for the probe input
            scene.plane_axes(),
            scene.scheme,
            significant(scale if scale >= heat.SILENT else 0.0),
        )
        self._place_popup(layer, neuron)

    def follow_zoom(self) -> None:
        """Keep the large heatmap beside its neuron after the view zooms (its distance is in pixels)."""
        if self.popup_visible:
            self._place_popup(*self.key[1:])

    def _place_popup(self, layer: int, neuron: int) -> None:
        """Beside the neuron, on the side with room in the view, within the view's height."""
        scene = self.scene
        center = scene.neuron_pos(layer, neuron)
        view = scene.views()[0] if scene.views() else None
        zoom = view.transform().m11() if view is not None else 1.0
        # Clear of the neuron and its hover ring (radius + 2.5, 1.6 wide) at any zoom.
        offset = (scene.column_item(layer).column.radius + 3.5) * zoom + POPUP_GAP
        w, h = self.popup.size()
        side, dy = 1, 0.0
        if view is not None:
            at = view.mapFromScene(center)
            vp = view.viewport().rect()
            if at.x() + offset + w > vp.width() - POPUP_MARGIN and at.x() - offset - w >= POPUP_MARGIN:
                side = -1
            top = at.y() - h / 2
            dy = max(POPUP_MARGIN, min(top, vp.height() - POPUP_MARGIN - h)) - top  # a card taller than the view keeps its top
        self.popup.place(center, offset, side, dy)
