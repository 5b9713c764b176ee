"""The Gradients page: the gradient norm of each layer with parameters over training steps.

Vanishing and exploding gradients differ by orders of magnitude, so the axis is
logarithmic by default. The points come in through :meth:`GradientPage.add_update`,
one per layer and :class:`~nnviz.ui.training.worker.TrainingUpdate`, into a
:class:`~.base.Buffer`; a new run continues the step axis of the last.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it

from ...model.document import Document
from .base import Buffer, Plot, corner_row, layer_colors, readout_label

_KIND_NAMES = {"dense": "dense", "batchnorm": "batch norm", "dropout": "dropout"}


class GradientPage:
    """Gradient norms per layer: the page ``plot``, its ``controls``, ``curves`` by layer index, the ``log`` box."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._buffer = Buffer(0)
        self._layers: tuple[int, ...] = ()  # layer indices with parameters, in buffer row order
        self._run: int | None = None
        self._step_offset = 0.0  # steps of earlier runs, so that a new run continues the x axis

        self.plot = Plot("step", "gradient norm")
        self._legend = self.plot.legend(outside=True)
        item = self.plot.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.setLogMode(y=True)  # vanishing and exploding gradients differ by orders of magnitude
        self.curves: dict[int, pg.PlotDataItem] = {}
        self.log = QCheckBox("log scale")
        self.log.setChecked(True)
        self.log.toggled.connect(lambda on: (self.plot.getPlotItem().setLogMode(y=on), self.draw()))
        hint = readout_label("per layer, while training")
        hint.setText("per layer, while training")
        self.controls = corner_row(hint, self.log)

    def add_update(self, update) -> None:
        """Record a :class:`TrainingUpdate`: one gradient-norm point per layer with parameters.

        Cheap: a few array writes. Nothing is drawn until :meth:`draw`.
        """
        stats = update.snapshot.layer_stats
        layers = tuple(i for i, s in enumerate(stats) if s is not None)
        if layers != self._layers:
            self._reset(layers)
        run = getattr(update, "run", None)
        b = self._buffer
        if run != self._run:
            if b.n:
                self._step_offset = b.x[b.n - 1]
            self._run = run
        b.append(self._step_offset + update.step, [stats[i].grad_norm for i in layers])

    def clear(self) -> None:
        """Forget every recorded point, curve and run (drawn empty at the next :meth:`draw`)."""
        self._reset(())
        self._run = None
        self._step_offset = 0.0

    def _reset(self, layers: tuple[int, ...]) -> None:
        item = self.plot.getPlotItem()
        for curve in self.curves.values():
            item.removeItem(curve)
        self.curves = {}
        self._layers = layers
        self._buffer = Buffer(len(layers))
        self._legend.setColumnCount(1 if len(layers) <= 6 else 2)
        kinds = self.doc.spec.layers
        for i, color in zip(layers, layer_colors(len(layers))):
            kind = _KIND_NAMES.get(kinds[i].kind, kinds[i].kind) if i < len(kinds) else "layer"
            self.curves[i] = self.plot.curve(f"layer {i + 1} ({kind})", color)

    def draw(self) -> None:
        b = self._buffer
        for row, i in enumerate(self._layers):
            self.curves[i].setData(b.x[: b.n], b.y[row, : b.n])
        self.plot.follow(float(b.x[b.n - 1]) if b.n else 1.0, [b.y[:, : b.n]])
