"""The canvas's context menus: a right click on a layer's column or on a neuron.

A layer's menu holds the window's own layer actions (Duplicate, Delete, Move
Up / Down: the Edit menu's and the layer stack's, found by name in the view's
window, so a shortcut and an enabled state exist once) and "Edit in
Inspector". A right click on a layer selects it first, as in the layer stack,
because those actions act on the selected layer. A neuron's menu inspects it,
shows its heatmap large (when it has one) or selects its layer.

The canvas's own actions come from :mod:`..actions` too: the window makes
every action, and this module connects the window's ones; a view outside a
window (a test, a tool) makes its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu

from ..actions import CANVAS, LAYER, make_actions
from ..model.document import Selection
from . import hit_tests

if TYPE_CHECKING:
    from .view import NetworkView

INSPECTOR_DOCK = "dockInspector"  # the main window's dock's objectName


class CanvasMenus:
    """Builds the context menus of ``view`` and carries out the canvas's own actions on the clicked item."""

    def __init__(self, view: NetworkView):
        self.view = view
        self._actions: dict[str, QAction] | None = None
        self._target: tuple[int, int | None] | None = None  # (layer, neuron or None) the open menu is about

    @property
    def actions(self) -> dict[str, QAction]:
        """The layer and canvas actions by name (found when first needed: the window makes them after the view)."""
        if self._actions is None:
            window = self.view.window()
            found = {}
            if window is not self.view:
                for name in (*LAYER, *CANVAS):
                    action = window.findChild(QAction, f"action{name}")
                    if action is not None:
                        found[name] = action
            missing = [name for name in CANVAS if name not in found]
            if missing:
                found |= make_actions(self.view, missing)
            for name, slot in (("EditInInspector", self._edit_in_inspector), ("InspectNeuron", self._inspect_neuron),
                               ("ShowNeuronHeatmap", self._show_heatmap), ("SelectNeuronLayer", self._select_layer)):
                found[name].triggered.connect(slot)
            self._actions = found
        return self._actions

    def menu_at(self, pos: QPointF) -> QMenu | None:
        """The menu for scene point ``pos``: a neuron's, else a column's; ``None`` on the background."""
        scene = self.view.scene()
        hit = hit_tests.neuron_at(scene, pos)
        if hit is not None:
            return self.neuron_menu(*hit)
        layer = hit_tests.column_at(scene, pos)
        return None if layer is None else self.layer_menu(layer)

    def menu_for_selection(self) -> tuple[QMenu, QPointF] | None:
        """The menu of the selected neuron or layer and the scene point to show it at (the Menu key, Shift+F10)."""
        selection = self.view.doc.selection
        scene = self.view.scene()
        if selection.layer is None or not -1 <= selection.layer < len(scene.columns) - 1:
            return None
        if selection.neuron is not None:
            pos = scene.neuron_pos(selection.layer, selection.neuron)
            if pos is not None:
                return self.neuron_menu(selection.layer, selection.neuron), pos
        return self.layer_menu(selection.layer), scene.column_item(selection.layer).column.label.center()

    def layer_menu(self, layer: int) -> QMenu:
        """Select ``layer`` (``-1``: the inputs) and return its menu."""
        acts = self.actions
        self._target = (layer, None)
        self.view.doc.select(Selection(layer=layer))  # the layer actions act on the selection
        groups = [("DuplicateLayer", "Delete"), ("MoveLayerUp", "MoveLayerDown")] if layer >= 0 else []
        groups.append(("EditInInspector",))
        menu = QMenu(self.view)
        for group in groups:
            # Standalone (no window), the view has no layer actions: the menu offers what it has.
            found = [acts[name] for name in group if name in acts]
            if found and menu.actions():
                menu.addSeparator()
            menu.addActions(found)
        return menu

    def neuron_menu(self, layer: int, neuron: int) -> QMenu:
        """The menu of neuron ``neuron`` of ``layer``; nothing changes until an entry is chosen."""
        acts = self.actions
        self._target = (layer, neuron)
        menu = QMenu(self.view)
        menu.addAction(acts["InspectNeuron"])
        if self.view.scene().has_heatmap(layer, neuron):
            menu.addAction(acts["ShowNeuronHeatmap"])
        menu.addSeparator()
        menu.addAction(acts["SelectNeuronLayer"])
        return menu

    # -- the canvas's actions --------------------------------------------------------------

    def _raise_inspector(self) -> None:
        dock = self.view.window().findChild(QDockWidget, INSPECTOR_DOCK)
        if dock is not None:
            dock.show()
            dock.raise_()  # it may be a tab behind the training panel

    def _edit_in_inspector(self) -> None:
        if self._target is not None:
            self.view.doc.select(Selection(layer=self._target[0]))
            self._raise_inspector()

    def _inspect_neuron(self) -> None:
        if self._target is not None and self._target[1] is not None:
            self.view.doc.select(Selection(layer=self._target[0], neuron=self._target[1]))
            self._raise_inspector()

    def _show_heatmap(self) -> None:
        if self._target is not None and self._target[1] is not None:
            self.view.scene().hover.mark_neuron(*self._target)

    def _select_layer(self) -> None:
        if self._target is not None:
            self.view.doc.select(Selection(layer=self._target[0]))
