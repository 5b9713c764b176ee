"""Training plots: loss, accuracy, gradient norms and weight histograms, in one dock.

:class:`TrainingPlots` mirrors the document: loss and accuracy come from
``doc.history`` (redrawn on ``history_changed``); gradient norms and weight
histograms come from the worker's :class:`~nnviz.ui.training.worker.TrainingUpdate`
objects, handed to :meth:`TrainingPlots.add_update`.

Every curve is made once and then fed with ``setData`` (pyqtgraph redraws an
item cheaply; recreating items leaks legend entries and costs far more).
Gradient norms go into preallocated NumPy buffers that grow by doubling, so an
update costs a few array writes; each page redraws at most a few times a second
however many updates came, and only while it is on screen.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QLabel, QSizePolicy, QStackedWidget, QTabBar, QVBoxLayout, QWidget

import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it

from ..widgets import colors
from ..model.document import Document
from ..widgets.live_text import LiveText
from ..widgets.throttle import Throttle

TRAIN_COLOR = "#1f77b4"
VALIDATION_COLOR = "#ff7f0e"
CROSSHAIR_COLOR = "#8b949e"
HISTOGRAM_BINS = 40
HISTOGRAM_HZ = 4
HISTORY_HZ = 4
GRADIENT_HZ = 4
INITIAL_CAPACITY = 1024  # gradient-norm points per layer before the first growth
MAX_POINTS = 1 << 20  # beyond this, every other stored point is dropped (memory stays bounded)

_HISTORY_COLUMNS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")
_KIND_NAMES = {"dense": "dense", "batchnorm": "batch norm", "dropout": "dropout"}


def layer_colors(n: int) -> list[QColor]:
    """``n`` colours from early (dark blue-violet) to late (green) layers: depth reads as hue."""
    cmap = pg.colormap.get("viridis")
    if n <= 1:
        return [cmap.map(0.35, mode="qcolor")]
    return [cmap.map(0.05 + 0.75 * i / (n - 1), mode="qcolor") for i in range(n)]


def nice_ceiling(x: float) -> float:
    """The smallest of 10, 15, 20, 30, 40, 50, 60, 80, 100, 150, … that is at least ``x``.

    Steps of at most a third: a growing curve always fills three quarters of
    the width or more, and the axis still changes only a dozen times a decade.
    """
    step = 10.0
    while True:
        for m in (1, 1.5, 2, 3, 4, 5, 6, 8):
            if m * step >= x:
                return m * step
        step *= 10


def _floats(values) -> np.ndarray:
    """A history column as floats, ``None`` as NaN."""
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


def _fmt(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else str(value)


def _pct(value: float) -> str:
    return f"{value:.1%}" if math.isfinite(value) else str(value)


def style_axes(item) -> None:
    """Our look for a plot's axes: quiet lines, small ticks, plain numbers."""
    font = QFont()
    font.setPointSize(8)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(colors.SUBTEXT))
        axis.setTextPen(pg.mkPen(colors.TEXT))
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)  # "loss (x0.001)" reads worse than plain 0.5
        # Replaying an axis's picture (text, grid) costs milliseconds a repaint; a
        # pixmap of it is blitted, and redrawn only when the axis itself changes.
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


class _Sample(pg.ItemSample):
    """Legend sample: a filled box for histograms (pyqtgraph draws a stray triangle), else the default."""

    def paint(self, p, *args):
        opts = self.item.opts
        if opts.get("stepMode") and opts.get("fillBrush") is not None and self.item.isVisible():
            p.setRenderHint(p.RenderHint.Antialiasing)
            p.setPen(pg.mkPen(opts["pen"]))
            p.setBrush(pg.mkBrush(opts["fillBrush"]))
            p.drawRect(QRectF(3, 4, 14, 12))
        else:
            super().paint(p, *args)


class _Plot(pg.GraphicsLayoutWidget):
    """A white plot with our axes and grid; its legend inside (top right) or in a column to its right."""

    def __init__(self, x_label: str, y_label: str, parent=None):
        super().__init__(parent, border=None)
        self.setBackground(colors.BACKGROUND)
        self.setAntialiasing(True)
        self.ci.layout.setContentsMargins(2, 4, 4, 2)
        self.plot_item = item = self.addPlot(row=0, col=0)
        item.showGrid(x=True, y=True, alpha=0.15)
        style_axes(item)
        item.setLabel("bottom", x_label, color=colors.SUBTEXT, size="8pt")
        item.setLabel("left", y_label, color=colors.SUBTEXT, size="8pt")
        item.getAxis("left").setWidth(52)
        item.setMenuEnabled(False)
        self.setMinimumHeight(120)
        self._manual = False  # the person panned or zoomed: the view is theirs
        item.vb.sigRangeChangedManually.connect(self._taken_over)

    def _taken_over(self, *_):
        self._manual = True

    def follow(self, x_max: float, ys: list[np.ndarray] | None = None) -> None:
        """Frame growing curves without redrawing the axes at every update.

        pyqtgraph's auto-range moves both axes whenever a curve grows, and
        redrawing an axis (ticks, labels, grid) costs more than the curves. Here
        x runs from 0 to a round ceiling of ``x_max`` (:func:`nice_ceiling`); y
        (from the finite values in ``ys``, if given) changes only when the data
        leaves its range or fills less than 60% of it. Panning or zooming takes the view over until
        pyqtgraph's "A" button hands it back.
        """
        vb = self.plot_item.vb
        if any(vb.autoRangeEnabled()):
            self._manual = False
            vb.disableAutoRange()
        if self._manual:
            return
        (x0, x1), (y0, y1) = vb.viewRange()
        right = nice_ceiling(x_max)
        if (x0, x1) != (0.0, right):
            vb.setXRange(0.0, right, padding=0)
        if ys is None:
            return
        values = np.concatenate([np.ravel(y) for y in ys]) if ys else np.empty(0)
        values = values[np.isfinite(values)]
        if self.plot_item.getAxis("left").logMode:
            values = np.log10(values[values > 0])
        if not values.size:
            return
        lo, hi = float(values.min()), float(values.max())
        span = hi - lo
        if lo >= y0 and hi <= y1 and span >= 0.6 * (y1 - y0):
            return
        pad = 0.06 * span if span > 0 else max(abs(hi) * 0.1, 0.5)
        vb.setYRange(lo - pad, hi + pad, padding=0)

    def getPlotItem(self) -> pg.PlotItem:  # as pg.PlotWidget has it
        return self.plot_item

    def legend(self, offset=(-6, 6), outside: bool = False) -> pg.LegendItem:
        opts = dict(
            labelTextColor=colors.TEXT,
            labelTextSize="8pt",
            brush=pg.mkBrush(255, 255, 255, 210),
            pen=pg.mkPen("#d0d7de"),
            verSpacing=-6,
            sampleType=_Sample,
        )
        if outside:
            # Many layers: a column beside the plot never hides a curve.
            legend = pg.LegendItem(**opts)
            legend.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.ci.addItem(legend, row=0, col=1)
            self.ci.layout.setAlignment(legend, Qt.AlignmentFlag.AlignTop)
            self.plot_item.legend = legend  # so that plot(name=...) and removeItem keep it in step
        else:
            legend = self.plot_item.addLegend(offset=offset, **opts)
        self.legend_item = legend
        return legend

    def curve(self, name: str, color, **opts) -> pg.PlotDataItem:
        item = self.plot_item.plot(name=name, pen=pg.mkPen(color, width=2), antialias=True, **opts)
        # A 2 px antialiased line drawn as separate segments costs a fraction of one
        # stroked path (measured on a 920×220 image: 0.57 against 3.6 ms for 300
        # noisy points, 1.8 against 15.6 ms for 2,000; a dashed path 4.1 and 19.8 ms).
        # So every curve is solid, told apart by colour and legend: a dashed
        # validation loss made each repaint of a long run cost tens of milliseconds.
        item.curve.setSegmentedLineMode("on")
        return item


class _Buffer:
    """Gradient norms of several layers over steps: one shared x row, one y row per layer.

    Preallocated and grown by doubling (amortised O(1) appends, no Python lists
    of points); rows are contiguous, so each curve gets a view, not a copy.
    """

    def __init__(self, layers: int, capacity: int = INITIAL_CAPACITY):
        self.x = np.empty(capacity, dtype=np.float64)
        self.y = np.empty((layers, capacity), dtype=np.float64)
        self.n = 0

    @property
    def capacity(self) -> int:
        return self.x.shape[0]

    def append(self, x: float, ys) -> None:
        n = self.n
        if n == self.capacity:
            if n >= MAX_POINTS:
                # A very long run: keep every other point; the curve's shape survives.
                half = (n + 1) // 2
                self.x[:half] = self.x[:n:2]
                self.y[:, :half] = self.y[:, :n:2]
                n = self.n = half
            else:
                grown_x = np.empty(2 * n, dtype=np.float64)
                grown_x[:n] = self.x
                grown_y = np.empty((self.y.shape[0], 2 * n), dtype=np.float64)
                grown_y[:, :n] = self.y
                self.x, self.y = grown_x, grown_y
        self.x[n] = x
        self.y[:, n] = ys
        self.n = n + 1


class _Tabs(QWidget):
    """Like QTabWidget (``addTab``, ``setCurrentIndex``, ``currentIndex``, ``currentChanged``) with a
    row of per-tab controls right of the tabs."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bar = QTabBar()
        self.bar.setDrawBase(False)
        self.bar.setExpanding(False)
        self.controls = QStackedWidget()
        self.pages = QStackedWidget()
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.bar)
        header.addStretch(1)
        header.addWidget(self.controls)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        self.currentChanged = self.bar.currentChanged
        self.bar.currentChanged.connect(self.pages.setCurrentIndex)
        self.bar.currentChanged.connect(self.controls.setCurrentIndex)

    def addTab(self, page: QWidget, title: str) -> int:
        self.pages.addWidget(page)
        return self.bar.addTab(title)

    def setCurrentIndex(self, index: int) -> None:
        self.bar.setCurrentIndex(index)

    def currentIndex(self) -> int:
        return self.bar.currentIndex()

    def count(self) -> int:
        return self.bar.count()

    def tabText(self, index: int) -> str:
        return self.bar.tabText(index)


class TrainingPlots(QWidget):
    """Loss, accuracy, gradient-norm and weight-histogram plots of a document's training.

    For tests and scripts: ``loss_curves`` / ``accuracy_curves`` (``"train"``,
    ``"validation"``), ``gradient_curves`` and ``histogram_curves`` (by layer
    index), the plot widgets ``loss_plot`` … ``weights_plot``, the check boxes
    ``loss_log`` and ``gradient_log``.
    """

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.setObjectName("trainingPlots")
        self._epochs = np.empty(0)
        self._hist_cols: dict[str, np.ndarray] = {}
        self._hist_source = None  # the History object the arrays were made from
        self._hist_rows = 0
        self._buffer = _Buffer(0)
        self._grad_layers: tuple[int, ...] = ()  # layer indices with parameters, in buffer row order
        self._run: int | None = None
        self._step_offset = 0.0  # steps of earlier runs, so that a new run continues the x axis
        self._weights_source: list[dict[str, np.ndarray]] | None = None  # latest snapshot weights
        self._weights_caption = ""
        self._structure = self._param_layers()

        # A tab bar with each tab's controls on its right, in one row: the plots keep the height.
        self.tabs = _Tabs(self)
        self._corner = self.tabs.controls
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs)

        self._build_loss()
        self._build_accuracy()
        self._build_gradients()
        self._build_weights()

        # Training reports dozens of times a second and can finish as many epochs;
        # each page redraws at most a few times a second, and only while it is on
        # screen (a hidden page is marked stale and drawn when it is shown).
        self._gradients = Throttle(GRADIENT_HZ, self._draw_gradients, self, always_defer=True)
        self._histograms = Throttle(HISTOGRAM_HZ, self._draw_histograms, self, always_defer=True)
        self._history = Throttle(HISTORY_HZ, self._draw_history, self)
        self._pages = {
            self._history: (self.loss_plot, self.accuracy_stack),
            self._gradients: (self.gradient_plot,),
            self._histograms: (self.weights_plot,),
        }
        self._stale: set[Throttle] = set()
        self.tabs.currentChanged.connect(self._draw_stale)

        doc.history_changed.connect(self._on_history_changed)
        doc.spec_changed.connect(self._on_spec_changed)
        doc.params_changed.connect(self._on_params_changed)
        self.refresh()

    # -- construction ---------------------------------------------------------

    def _corner_row(self, *widgets) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(4, 0, 6, 0)
        row.setSpacing(10)
        for w in widgets:
            row.addWidget(w)
        self._corner.addWidget(box)
        return box

    def _readout_label(self, template: str = "epoch 10,000: train 0.0000, validation 0.0000") -> LiveText:
        label = LiveText(template)
        pal = label.palette()
        pal.setColor(QPalette.ColorRole.WindowText, QColor(colors.SUBTEXT))
        label.setPalette(pal)
        return label

    def _hover(self, plot: _Plot, readout, label: LiveText):
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

    def _build_loss(self):
        self.loss_plot = _Plot("epoch", "loss")
        self.loss_plot.legend()
        item = self.loss_plot.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        self.loss_curves = {
            "train": self.loss_plot.curve("train", TRAIN_COLOR),
            "validation": self.loss_plot.curve("validation", VALIDATION_COLOR),
        }
        self.loss_readout = self._readout_label()
        self.loss_log = QCheckBox("log scale")
        self.loss_log.setToolTip("Logarithmic loss axis: late, small improvements stay visible")
        self.loss_log.toggled.connect(lambda on: (self.loss_plot.getPlotItem().setLogMode(y=on), self._draw_history()))
        self._corner_row(self.loss_readout, self.loss_log)
        self._loss_line, self._loss_proxy = self._hover(self.loss_plot, self._loss_text, self.loss_readout)
        self.tabs.addTab(self.loss_plot, "Loss")

    def _build_accuracy(self):
        self.accuracy_plot = _Plot("epoch", "accuracy")
        self.accuracy_plot.legend(offset=(-6, -6))  # bottom right: accuracy climbs to the top
        item = self.accuracy_plot.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.enableAutoRange(y=False)
        item.setYRange(0.0, 1.0, padding=0.02)
        self.accuracy_curves = {
            "train": self.accuracy_plot.curve("train", TRAIN_COLOR),
            "validation": self.accuracy_plot.curve("validation", VALIDATION_COLOR),
        }
        self.accuracy_note = QLabel(
            "No accuracy for regression: accuracy is measured for classification only. See the Loss tab."
        )
        self.accuracy_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.accuracy_note.setWordWrap(True)
        self.accuracy_note.setStyleSheet(f"color: {colors.SUBTEXT}; background: {colors.BACKGROUND};")
        self.accuracy_stack = QStackedWidget()
        self.accuracy_stack.addWidget(self.accuracy_plot)
        self.accuracy_stack.addWidget(self.accuracy_note)
        self.accuracy_readout = self._readout_label()
        self._corner_row(self.accuracy_readout)
        self._acc_line, self._acc_proxy = self._hover(self.accuracy_plot, self._accuracy_text, self.accuracy_readout)
        self.tabs.addTab(self.accuracy_stack, "Accuracy")

    def _build_gradients(self):
        self.gradient_plot = _Plot("step", "gradient norm")
        self._gradient_legend = self.gradient_plot.legend(outside=True)
        item = self.gradient_plot.getPlotItem()
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.setLogMode(y=True)  # vanishing and exploding gradients differ by orders of magnitude
        self.gradient_curves: dict[int, pg.PlotDataItem] = {}
        self.gradient_log = QCheckBox("log scale")
        self.gradient_log.setChecked(True)
        self.gradient_log.toggled.connect(
            lambda on: (self.gradient_plot.getPlotItem().setLogMode(y=on), self._draw_gradients())
        )
        hint = self._readout_label("per layer, while training")
        hint.setText("per layer, while training")
        self._corner_row(hint, self.gradient_log)
        self.tabs.addTab(self.gradient_plot, "Gradients")

    def _build_weights(self):
        self.weights_plot = _Plot("weight", "share of weights")
        self.weights_plot.legend(outside=True)
        self.histogram_curves: dict[int, pg.PlotDataItem] = {}
        self.weights_caption = self._readout_label("weights at epoch 10,000, step 1,000,000")
        self._corner_row(self.weights_caption)
        self.tabs.addTab(self.weights_plot, "Weights")

    # -- public API -----------------------------------------------------------

    def add_update(self, update) -> None:
        """Record a :class:`TrainingUpdate`: one gradient-norm point per layer with parameters.

        Cheap: a few array writes; the redraw happens once the event loop
        turns, and the weight histogram at most ``HISTOGRAM_HZ`` times a second.
        """
        snap = update.snapshot
        stats = snap.layer_stats
        layers = tuple(i for i, s in enumerate(stats) if s is not None)
        if layers != self._grad_layers:
            self._reset_gradients(layers)
        run = getattr(update, "run", None)
        b = self._buffer
        if run != self._run:
            if b.n:
                self._step_offset = b.x[b.n - 1]
            self._run = run
        b.append(self._step_offset + update.step, [stats[i].grad_norm for i in layers])
        self._request(self._gradients)
        if snap.weights is not None:
            self._weights_source = snap.weights
            self._weights_caption = f"epoch {update.epoch}, step {update.step}"
            self._request(self._histograms)

    def clear(self) -> None:
        """Forget everything from training updates: gradient norms and snapshot weights.

        Loss and accuracy mirror ``doc.history`` and stay; histograms fall back to
        the document's weights.
        """
        self._reset_gradients(())
        self._run = None
        self._step_offset = 0.0
        self._weights_source = None
        self._draw_gradients()
        self._draw_histograms()

    def refresh(self) -> None:
        """Redraw everything now from the document and the recorded updates."""
        self._draw_history()
        self._draw_gradients()
        self._draw_histograms()

    def _request(self, draw: Throttle) -> None:
        """Redraw a page soon if it is on screen, else when it is shown."""
        if any(page.isVisible() for page in self._pages[draw]):
            draw.request()
        else:
            self._stale.add(draw)

    def _draw_stale(self) -> None:
        for draw in [d for d in self._stale if any(page.isVisible() for page in self._pages[d])]:
            self._stale.discard(draw)
            draw.run()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._draw_stale()

    def readout_at(self, epoch: float) -> str:
        """The loss readout of the history epoch nearest ``epoch`` ("" with no history)."""
        e = self._nearest_epoch(epoch)
        return "" if e is None else self._loss_text(e)

    def accuracy_readout_at(self, epoch: float) -> str:
        e = self._nearest_epoch(epoch)
        return "" if e is None else self._accuracy_text(e)

    # -- document -------------------------------------------------------------

    def _param_layers(self) -> tuple[tuple[int, str], ...]:
        return tuple((i, layer.kind) for i, layer in enumerate(self.doc.spec.layers) if layer.kind != "dropout")

    def _on_history_changed(self) -> None:
        self._request(self._history)

    def _on_spec_changed(self) -> None:
        structure = self._param_layers()
        if structure != self._structure:
            # Old norms belong to layers that no longer exist (or moved): they would mislead.
            self._structure = structure
            self.clear()
        else:
            self._on_params_changed()

    def _on_params_changed(self) -> None:
        self._weights_source = None  # the document's weights are now the news
        self._request(self._histograms)

    # -- loss and accuracy ----------------------------------------------------

    def _history_arrays(self) -> dict[str, np.ndarray]:
        """The document's history as arrays; while it only grows, only the new rows are converted."""
        h = self.doc.history
        start = self._hist_rows if h is self._hist_source and len(h) >= self._hist_rows else 0
        new = {"epoch": np.asarray(h.epoch[start:], dtype=np.float64)}
        new |= {name: _floats(getattr(h, name)[start:]) for name in _HISTORY_COLUMNS}
        if start:
            new = {name: np.concatenate([self._hist_cols[name], col]) for name, col in new.items()}
        self._hist_source, self._hist_rows = h, len(h)
        return new

    def _draw_history(self) -> None:
        cols = self._hist_cols = self._history_arrays()
        self._epochs = cols["epoch"]
        h = self.doc.history
        for plot, curves, train, val in (
            (self.loss_plot, self.loss_curves, "train_loss", "val_loss"),
            (self.accuracy_plot, self.accuracy_curves, "train_accuracy", "val_accuracy"),
        ):
            for key, col in (("train", train), ("validation", val)):
                self._set_finite(plot.legend_item, key, curves[key], self._epochs, cols[col])
        last = float(self._epochs[-1]) if len(self._epochs) else 1.0
        self.loss_plot.follow(last, [cols["train_loss"], cols["val_loss"]])
        self.accuracy_plot.follow(last)
        regression = len(h) > 0 and not np.isfinite(cols["train_accuracy"]).any() and not np.isfinite(
            cols["val_accuracy"]
        ).any()
        self.accuracy_stack.setCurrentIndex(1 if regression else 0)
        self.loss_readout.setText(self._loss_text(None))
        self.accuracy_readout.setText(self._accuracy_text(None))

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
        for name, col in (("train", train), ("validation", val)):
            value = self._hist_cols[col][i]
            if not math.isnan(value):
                parts.append(f"{name} {fmt(value)}")
        return f"epoch {int(self._epochs[i])}: " + ", ".join(parts) if parts else ""

    def _loss_text(self, epoch) -> str:
        return self._text(epoch, "train_loss", "val_loss", _fmt)

    def _accuracy_text(self, epoch) -> str:
        return self._text(epoch, "train_accuracy", "val_accuracy", _pct)

    # -- gradient norms -------------------------------------------------------

    def _reset_gradients(self, layers: tuple[int, ...]) -> None:
        item = self.gradient_plot.getPlotItem()
        for curve in self.gradient_curves.values():
            item.removeItem(curve)
        self.gradient_curves = {}
        self._grad_layers = layers
        self._buffer = _Buffer(len(layers))
        self._gradient_legend.setColumnCount(1 if len(layers) <= 6 else 2)
        kinds = self.doc.spec.layers
        for i, color in zip(layers, layer_colors(len(layers))):
            kind = _KIND_NAMES.get(kinds[i].kind, kinds[i].kind) if i < len(kinds) else "layer"
            self.gradient_curves[i] = self.gradient_plot.curve(f"layer {i + 1} ({kind})", color)

    def _draw_gradients(self) -> None:
        b = self._buffer
        for row, i in enumerate(self._grad_layers):
            self.gradient_curves[i].setData(b.x[: b.n], b.y[row, : b.n])
        self.gradient_plot.follow(float(b.x[b.n - 1]) if b.n else 1.0, [b.y[:, : b.n]])

    # -- weight histograms ----------------------------------------------------

    def _dense_weights(self) -> dict[int, np.ndarray]:
        if self._weights_source is not None:
            return {i: p["weights"] for i, p in enumerate(self._weights_source) if "weights" in p}
        net = self.doc.network
        return {i: net.layer_params(i)["weights"] for i, layer in enumerate(net.layers) if layer.kind == "dense"}

    def _draw_histograms(self) -> None:
        weights = self._dense_weights()
        self.weights_caption.setText(
            f"weights at {self._weights_caption}" if self._weights_source is not None else "current weights"
        )
        item = self.weights_plot.getPlotItem()
        if set(weights) != set(self.histogram_curves):
            for curve in self.histogram_curves.values():
                item.removeItem(curve)
            self.histogram_curves = {}
            for i, color in zip(weights, layer_colors(len(weights))):
                fill = QColor(color)
                fill.setAlpha(40)
                self.histogram_curves[i] = self.weights_plot.curve(
                    f"layer {i + 1}", color, stepMode="center", fillLevel=0, brush=pg.mkBrush(fill)
                )
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
            self.histogram_curves[i].setData(edges, counts / max(w.size, 1))
