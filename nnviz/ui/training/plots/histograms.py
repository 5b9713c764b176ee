"""The Weights page: a histogram of each dense layer's weights in the document.

While a run goes, its newest weights land in the document, so the page follows it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it

from ...model.document import Document
from .base import Plot, corner_row, layer_colors, readout_label

HISTOGRAM_BINS = 40
EMPTY_HINT = QT_TRANSLATE_NOOP("WeightsPage", "Add a dense layer to see how its weights spread here.")



class WeightsPage:
    """Weight histograms: the page ``plot``, its ``controls``, ``curves`` by layer index, the ``caption``."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.plot = Plot(
            QCoreApplication.translate("WeightsPage", "weight"), QCoreApplication.translate("WeightsPage", "share of weights"),
            name=QCoreApplication.translate("WeightsPage", "Weight histograms plot"),
            description=QCoreApplication.translate("WeightsPage", "How each dense layer's weights are spread: one histogram "
                                                              "per layer."))
        self.plot.legend(outside=True)
        self.curves: dict[int, pg.PlotDataItem] = {}
        # (the template only sizes the caption: an English line longer than any caption)
        self.caption = readout_label(QCoreApplication.translate("WeightsPage", "Weight histograms caption"),
                                     "weights at epoch 10,000, step 1,000,000")
        self.controls = corner_row()

    def _dense_weights(self) -> dict[int, np.ndarray]:
        net = self.doc.network
        return {i: net.layer_params(i)["weights"] for i, layer in enumerate(net.layers) if layer.kind == "dense"}

    def draw(self) -> None:
        weights = self._dense_weights()
        epochs = self.doc.project.epochs_done
        self.caption.setText(
            QCoreApplication.translate("WeightsPage", "weights after epoch {0}").format(f"{epochs:,}") if epochs
            else QCoreApplication.translate("WeightsPage", "current weights"))
        item = self.plot.getPlotItem()
        if set(weights) != set(self.curves):
            for curve in self.curves.values():
                item.removeItem(curve)
            self.curves = {}
            for i, color in zip(weights, layer_colors(len(weights))):
                fill = QColor(color)
                fill.setAlpha(40)
                self.curves[i] = self.plot.curve(
                    QCoreApplication.translate("WeightsPage", "layer {0}").format(i + 1), color, stepMode="center",
                    fillLevel=0, brush=pg.mkBrush(fill)
                )
        self.plot.set_empty(not weights, QCoreApplication.translate("WeightsPage", EMPTY_HINT))
        if not weights:
            return
        finite = [w[np.isfinite(w)] for w in weights.values()]
        lo = min((float(w.min()) for w in finite if w.size), default=0.0)
        hi = max((float(w.max()) for w in finite if w.size), default=0.0)
        if not hi > lo:
            lo, hi = lo - 0.5, hi + 0.5
        # Shared bins, so that layers compare; shares, so that a small layer is not flattened by a big one.
        edges = np.linspace(lo, hi, HISTOGRAM_BINS + 1)
        for (i, _), w in zip(weights.items(), finite):
            counts, _ = np.histogram(w, bins=edges)
            self.curves[i].setData(edges, counts / max(w.size, 1))
