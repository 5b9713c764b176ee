"""The Loss and Accuracy pages: curves of ``doc.history``, with a crosshair readout of the nearest epoch."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QStackedWidget

import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it

from ....core.numbers import percent, significant
from ...model.document import Document
from ...widgets import colors
from ...widgets.live_text import LiveText
from .base import HistoryReader, Plot, corner_row, readout_label

TRAIN_COLOR = "#1f77b4"
VALIDATION_COLOR = "#ff7f0e"
CROSSHAIR_COLOR = "#8b949e"
MOMENT_COLOR = "#6e40c9"  # the epoch the timeline shows
LOSS_HINT = QT_TRANSLATE_NOOP("HistoryPages", "Train to see the loss fall here, epoch by epoch.")
ACCURACY_HINT = QT_TRANSLATE_NOOP("HistoryPages", "Train to see the share of samples classified correctly here.")

_HISTORY_COLUMNS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")


def _figure(key: str, value: str) -> str:
    """One figure of a readout: "train 0.213" (key "train") or "val 0.250" (key "val")."""
    if key == "train":
        return QCoreApplication.translate("HistoryPages", "train {0}").format(value)
    return QCoreApplication.translate("HistoryPages", "val {0}").format(value)


def _readout(epoch: int, figures: list[str]) -> str:
    """A readout line: "epoch 12: train 0.213, val 0.250"."""
    return QCoreApplication.translate("HistoryPages", "epoch {0}: {1}").format(epoch, ", ".join(figures))


def _readout_template() -> str:
    """The usual longest readout: its room, kept while the value changes."""
    return _readout(10000, [_figure("train", "0.0000"), _figure("val", "0.0000")])


def _floats(values) -> np.ndarray:
    """A history column as floats, ``None`` as NaN."""
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


def _columns(h, start: int) -> dict[str, np.ndarray]:
    columns = {"epoch": np.asarray(h.epoch[start:], dtype=np.float64)}
    return columns | {name: _floats(getattr(h, name)[start:]) for name in _HISTORY_COLUMNS}


class HistoryPages:
    """Loss and accuracy over epochs, both from ``doc.history`` (converted to arrays once, for both).

    The tab pages are ``loss_plot`` and ``accuracy_stack`` (the accuracy plot, or
    ``accuracy_note`` for regression); ``loss_controls`` and ``accuracy_controls``
    stand right of their tabs, ``loss_readout`` and ``accuracy_readout`` under them. :meth:`draw` redraws both from the document.
    """

    def __init__(self, doc: Document):
        self.doc = doc
        # The curves' names in the legends (their keys are what the history's columns are called).
        self._names = {"train": QCoreApplication.translate("HistoryPages", "train"),
                       "validation": QCoreApplication.translate("HistoryPages", "validation")}
        self._epochs = np.empty(0)
        self._reader = HistoryReader(doc, _columns)
        self._build_loss()
        self._build_accuracy()
        self.moment_lines = []
        for plot in (self.loss_plot, self.accuracy_plot):
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(MOMENT_COLOR, width=2))
            line.setVisible(False)
            plot.getPlotItem().addItem(line, ignoreBounds=True)
            self.moment_lines.append(line)
        doc.moment_changed.connect(self.show_moment)

    def show_moment(self) -> None:
        """A line at the epoch the views show (the timeline looks back), none while they show the current weights."""
        epoch = self.doc.moment
        for line in self.moment_lines:
            line.setVisible(epoch is not None)
            if epoch is not None:
                line.setValue(epoch)
        self.loss_readout.setText(self._loss_text(epoch))  # that epoch's figures, or the newest
        self.accuracy_readout.setText(self._accuracy_text(epoch))

    # -- construction ---------------------------------------------------------

    def _build_loss(self):
        self.loss_plot = Plot(
            QCoreApplication.translate("HistoryPages", "epoch"), QCoreApplication.translate("HistoryPages", "loss"),
            name=QCoreApplication.translate("HistoryPages", "Training loss plot"),
            description=QCoreApplication.translate("HistoryPages", "Loss by epoch: the training data's and the validation "
                                                               "data's curves."))
        self.loss_plot.legend()
        item = self.loss_plot.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        self.loss_curves = {
            "train": self.loss_plot.curve(self._names["train"], TRAIN_COLOR),
            "validation": self.loss_plot.curve(self._names["validation"], VALIDATION_COLOR),
        }
        self.loss_readout = readout_label(QCoreApplication.translate("HistoryPages", "Loss figures"),
                                          _readout_template())
        self.loss_log = QCheckBox(QCoreApplication.translate("HistoryPages", "log scale"))
        self.loss_log.setToolTip(QCoreApplication.translate("HistoryPages", "Logarithmic loss axis: late, small "
                                                                       "improvements stay visible"))
        self.loss_log.toggled.connect(lambda on: (self.loss_plot.getPlotItem().setLogMode(y=on), self.draw()))
        self.loss_controls = corner_row(self.loss_log)
        self.loss_line, self._loss_proxy = self._hover(self.loss_plot, self._loss_text, self.loss_readout)

    def _build_accuracy(self):
        self.accuracy_plot = Plot(
            QCoreApplication.translate("HistoryPages", "epoch"), QCoreApplication.translate("HistoryPages", "accuracy"),
            name=QCoreApplication.translate("HistoryPages", "Accuracy plot"),
            description=QCoreApplication.translate("HistoryPages", "Share classified correctly by epoch: training and "
                                                               "validation curves."))
        self.accuracy_plot.legend(offset=(-6, -6))  # bottom right: accuracy climbs to the top
        item = self.accuracy_plot.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.enableAutoRange(y=False)
        item.setYRange(0.0, 1.0, padding=0.02)
        self.accuracy_curves = {
            "train": self.accuracy_plot.curve(self._names["train"], TRAIN_COLOR),
            "validation": self.accuracy_plot.curve(self._names["validation"], VALIDATION_COLOR),
        }
        self.accuracy_note = QLabel(
            QCoreApplication.translate("HistoryPages", "No accuracy for regression: accuracy is measured for "
                                                   "classification only. See the Loss tab.")
        )
        self.accuracy_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.accuracy_note.setWordWrap(True)
        self.accuracy_note.setStyleSheet(f"color: {colors.SUBTEXT}; background: {colors.BACKGROUND};")
        self.accuracy_stack = QStackedWidget()
        self.accuracy_stack.addWidget(self.accuracy_plot)
        self.accuracy_stack.addWidget(self.accuracy_note)
        self.accuracy_readout = readout_label(QCoreApplication.translate("HistoryPages", "Accuracy figures"),
                                              _readout_template())
        self.accuracy_controls = corner_row()
        self.accuracy_line, self._acc_proxy = self._hover(self.accuracy_plot, self._accuracy_text, self.accuracy_readout)

    def _hover(self, plot: Plot, readout, label: LiveText):
        """A vertical crosshair following the mouse and a readout of the nearest epoch."""
        line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(CROSSHAIR_COLOR, style=Qt.PenStyle.DotLine))
        line.setVisible(False)
        plot.plot_item.addItem(line, ignoreBounds=True)
        item = plot.getPlotItem()

        def moved(args):
            pos = args[0]
            if not len(self._epochs) or not item.vb.sceneBoundingRect().contains(pos):
                line.setVisible(False)
                label.setText(readout(None))
                return
            epoch = self._nearest_epoch(item.vb.mapSceneToView(pos).x())
            line.setPos(epoch)
            line.setVisible(True)
            label.setText(readout(epoch))

        # Kept on self: the proxy stops working once garbage collected.
        proxy = pg.SignalProxy(plot.scene().sigMouseMoved, rateLimit=60, slot=moved)
        return line, proxy

    # -- readouts -------------------------------------------------------------

    def readout_at(self, epoch: float) -> str:
        """The loss readout of the history epoch nearest ``epoch`` ("" with no history)."""
        e = self._nearest_epoch(epoch)
        return "" if e is None else self._loss_text(e)

    def accuracy_readout_at(self, epoch: float) -> str:
        e = self._nearest_epoch(epoch)
        return "" if e is None else self._accuracy_text(e)

    # -- drawing --------------------------------------------------------------

    def draw(self) -> None:
        """Redraw loss and accuracy from ``doc.history``."""
        self.draw_loss()
        self.draw_accuracy()

    def _read(self) -> dict[str, np.ndarray]:
        cols = self._reader.read()
        self._epochs = cols["epoch"]
        return cols

    def _last_epoch(self) -> float:
        return float(self._epochs[-1]) if len(self._epochs) else 1.0

    def draw_loss(self) -> None:
        """Redraw the Loss page from ``doc.history``."""
        cols = self._read()
        for key, col in (("train", "train_loss"), ("validation", "val_loss")):
            self._set_finite(self.loss_plot.legend_item, self._names[key], self.loss_curves[key], self._epochs,
                             cols[col])
        self.loss_plot.set_empty(not (np.isfinite(cols["train_loss"]).any() or np.isfinite(cols["val_loss"]).any()),
                                 QCoreApplication.translate("HistoryPages", LOSS_HINT))
        self.loss_plot.follow(self._last_epoch(), [cols["train_loss"], cols["val_loss"]])
        self.loss_readout.setText(self._loss_text(self.doc.moment))

    def draw_accuracy(self) -> None:
        """Redraw the Accuracy page (or its note, for regression) from ``doc.history``."""
        cols = self._read()
        for key, col in (("train", "train_accuracy"), ("validation", "val_accuracy")):
            self._set_finite(self.accuracy_plot.legend_item, self._names[key], self.accuracy_curves[key],
                             self._epochs, cols[col])
        self.accuracy_plot.set_empty(
            not (np.isfinite(cols["train_accuracy"]).any() or np.isfinite(cols["val_accuracy"]).any()),
            QCoreApplication.translate("HistoryPages", ACCURACY_HINT))
        self.accuracy_plot.follow(self._last_epoch())
        regression = len(self.doc.history) > 0 and not np.isfinite(cols["train_accuracy"]).any() and not np.isfinite(
            cols["val_accuracy"]
        ).any()
        self.accuracy_stack.setCurrentIndex(1 if regression else 0)
        self.accuracy_readout.setText(self._accuracy_text(self.doc.moment))

    @staticmethod
    def _set_finite(legend: pg.LegendItem, name: str, curve: pg.PlotDataItem, x: np.ndarray, y: np.ndarray) -> None:
        ok = np.isfinite(y)
        if ok.all():
            curve.setData(x, y)
        else:  # unmeasured epochs (None) are skipped; a column of None leaves the curve empty
            curve.setData(x[ok], y[ok])
        # No legend entry for a curve without data (no validation set): it would claim one.
        listed = legend.getLabel(curve) is not None
        if ok.any() and not listed:
            legend.addItem(curve, name)
        elif listed and not ok.any():
            legend.removeItem(curve)

    def _nearest_epoch(self, x: float) -> int | None:
        e = self._epochs
        if not len(e):
            return None
        i = int(np.clip(np.searchsorted(e, x), 1, len(e) - 1)) if len(e) > 1 else 0
        if len(e) > 1 and abs(e[i - 1] - x) <= abs(e[i] - x):
            i -= 1
        return int(e[i])

    def _row(self, epoch: int | None) -> int | None:
        if not len(self._epochs):
            return None
        if epoch is None:
            return len(self._epochs) - 1
        i = int(np.searchsorted(self._epochs, epoch))
        return min(i, len(self._epochs) - 1)

    def _text(self, epoch, train: str, val: str, fmt) -> str:
        i = self._row(epoch)
        if i is None:
            return ""
        parts = []
        # "val", as the panel's readout says it: "validation" cut the line to "validation 0.00…" in a narrow dock.
        for key, col in (("train", train), ("val", val)):
            value = self._reader.columns[col][i]
            if not math.isnan(value):
                parts.append(_figure(key, fmt(value)))
        return _readout(int(self._epochs[i]), parts) if parts else ""

    def _loss_text(self, epoch) -> str:
        return self._text(epoch, "train_loss", "val_loss", significant)

    def _accuracy_text(self, epoch) -> str:
        return self._text(epoch, "train_accuracy", "val_accuracy", percent)
