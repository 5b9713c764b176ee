"""The Gradients page: each layer's gradient norm over the epochs, from the document's history.

The history records, per epoch, the gradient norm of every layer at the epoch's
last step (saved with the file, so a reopened run shows its gradients too).
Vanishing and exploding gradients differ by orders of magnitude, so the axis is
logarithmic by default.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QCheckBox

import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it

from ...model.document import Document
from .base import HistoryReader, Plot, corner_row, layer_colors, readout_label

EMPTY_HINT = QT_TRANSLATE_NOOP("GradientPage", "Train to see each layer's gradient size here.")
_KIND_NAMES = {"dense": QT_TRANSLATE_NOOP("GradientPage", "dense"),
               "batchnorm": QT_TRANSLATE_NOOP("GradientPage", "batch norm"),
               "dropout": QT_TRANSLATE_NOOP("GradientPage", "dropout")}


def _kind_name(kind: str) -> str:
    return QCoreApplication.translate("GradientPage", _KIND_NAMES[kind]) if kind in _KIND_NAMES else kind


class GradientPage:
    """Gradient norms per layer: the page ``plot``, its ``controls`` and ``caption``, ``curves`` by layer index, the ``log`` box."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._layers: tuple[int, ...] = ()  # the layers with parameters, one curve each
        self._reader = HistoryReader(doc, self._columns)

        self.plot = Plot(
            QCoreApplication.translate("GradientPage", "epoch"), QCoreApplication.translate("GradientPage", "gradient norm"),
            name=QCoreApplication.translate("GradientPage", "Gradient norms plot"),
            description=QCoreApplication.translate("GradientPage", "Each layer's gradient norm by epoch, one curve per layer, "
                                                               "on a log scale."))
        self._legend = self.plot.legend(outside=True)
        item = self.plot.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.setLogMode(y=True)  # vanishing and exploding gradients differ by orders of magnitude
        self.curves: dict[int, pg.PlotDataItem] = {}
        self.log = QCheckBox(QCoreApplication.translate("GradientPage", "log scale"))
        self.log.setChecked(True)
        self.log.toggled.connect(lambda on: (self.plot.getPlotItem().setLogMode(y=on), self.draw()))
        caption = QCoreApplication.translate("GradientPage", "per layer, at each epoch's last step")
        self.caption = readout_label(QCoreApplication.translate("GradientPage", "Gradient norms caption"), caption)
        self.caption.setText(caption)
        self.controls = corner_row(self.log)

    def _columns(self, h, start: int) -> dict[str, np.ndarray]:
        """Epochs and one row of norms per layer; epochs recorded for another structure are gaps (NaN)."""
        n_layers = len(self.doc.spec.layers)
        rows = h.grad_norms[start:]
        norms = np.full((len(self._layers), len(rows)), math.nan)
        for r, row in enumerate(rows):
            if row is not None and len(row) == n_layers:
                for k, i in enumerate(self._layers):
                    if row[i] is not None:
                        norms[k, r] = row[i]
        return {"epoch": np.asarray(h.epoch[start:], dtype=np.float64), "norms": norms}

    def _set_layers(self) -> None:
        layers = tuple(i for i, layer in enumerate(self.doc.spec.layers) if layer.kind != "dropout")
        if layers == self._layers and self.curves:
            return
        item = self.plot.getPlotItem()
        for curve in self.curves.values():
            item.removeItem(curve)
        self._layers = layers
        self._reader.forget()
        # A narrow legend, so the plot keeps most of the width: one column up to 8 layers, and
        # the layer's kind named only when the kinds differ.
        self._legend.setColumnCount(1 if len(layers) <= 8 else 2)
        kinds = self.doc.spec.layers
        mixed = len({kinds[i].kind for i in layers}) > 1

        def name(i: int) -> str:
            if mixed:
                return QCoreApplication.translate("GradientPage", "layer {0} ({1})").format(i + 1, _kind_name(kinds[i].kind))
            return QCoreApplication.translate("GradientPage", "layer {0}").format(i + 1)

        self.curves = {i: self.plot.curve(name(i), color) for i, color in zip(layers, layer_colors(len(layers)))}

    def draw(self) -> None:
        """Redraw from ``doc.history`` (the curves follow the network's current layers)."""
        self._set_layers()
        columns = self._reader.read()
        epochs, norms = columns["epoch"], columns["norms"]
        for k, i in enumerate(self._layers):
            self.curves[i].setData(epochs, norms[k], connect="finite")
        self.plot.set_empty(not np.isfinite(norms).any(), QCoreApplication.translate("GradientPage", EMPTY_HINT))
        self.plot.follow(float(epochs[-1]) if len(epochs) else 1.0, [norms])
