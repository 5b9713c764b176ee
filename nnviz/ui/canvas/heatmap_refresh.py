"""The neuron heatmaps the scene shows, kept current (:mod:`.heatmaps` computes them).

When the network has 2 inputs and the data 2 features, every drawn hidden
neuron shows its activation over the input plane, from one trace of a small
grid. The pictures follow the weights (while training, once per frame, or less
often when tracing takes long: a :class:`~nnviz.ui.widgets.redraw.Redraw`) and
at once after an edit of the structure or the data. When
heatmaps come or go (data, the switch), the scene is laid out again: pictured
neurons are bigger.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from ..widgets.redraw import Redraw
from . import heatmaps as heat


class HeatmapRefresh(QObject):
    """The heatmaps of ``scene``'s hidden neurons, when ``enabled`` and the document has an input plane.

    ``maps`` is the latest (:class:`~.heatmaps.NeuronHeatmaps`), ``None`` when
    none are shown; ``laid_out`` whether the scene's layout has the bigger
    neurons of heatmaps (the scene's :meth:`rebuild <.scene.NetworkScene.rebuild>`
    sets it from :meth:`wanted`).
    """

    def __init__(self, scene, enabled: bool):
        super().__init__(scene)
        self.scene = scene
        self.enabled = enabled
        self.maps: heat.NeuronHeatmaps | None = None
        self.laid_out = False
        self.redraw = None
        if scene.interactive:
            self.redraw = Redraw(None, self.refresh, self)
            scene.doc.params_changed.connect(self.request)
            scene.doc.dataset_changed.connect(self.refresh)  # at once: not caused by training

    def wanted(self) -> bool:
        """Whether hidden neurons show heatmaps: switched on, and a plane to draw them over."""
        return self.enabled and heat.applies(self.scene.doc)

    def refresh(self) -> None:
        """Trace the input plane through the network now and repaint the hidden neurons' heatmaps.

        While training, :attr:`doc.params_changed <nnviz.ui.model.document.Document.params_changed>`
        gets here through :meth:`request`.
        """
        if self.wanted() != self.laid_out:
            self.scene.rebuild()  # which comes back here
            return
        self.maps = heat.compute(self.scene.doc) if self.laid_out else None
        self.show()
        self.scene.hover.refresh_popup()

    def request(self) -> None:
        """Refresh now, or soon if tracing is slow for the frame rate (the weights changed)."""
        if self.laid_out:
            self.redraw.request()

    def show(self) -> None:
        """Give each hidden column the pictures of its drawn neurons (the others plain fills)."""
        maps = self.maps
        columns = self.scene.columns
        pictured = [item for item in columns if maps is not None and 0 <= item.layer < len(maps.activations)]
        for item in columns:
            if item not in pictured:
                item.set_heatmaps(None)
        if pictured:
            pictures = maps.rgb([(item.layer, item.column.neurons) for item in pictured], self.scene.scheme)
            for item, rgb in zip(pictured, pictures):
                item.set_heatmaps(rgb)

    def set_enabled(self, enabled: bool) -> None:
        """Fill hidden neurons with their heatmaps when there is an input plane (``True``, default), or never."""
        enabled = bool(enabled)
        if enabled != self.enabled:
            self.enabled = enabled
            self.refresh()
