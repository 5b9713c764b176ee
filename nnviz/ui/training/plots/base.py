"""What every page of the training plots shares: the plot widget, its look, layer colours, a growing buffer.

:class:`Plot` is a white pyqtgraph plot with our axes (:func:`style_axes`) and a
:meth:`~Plot.follow` that frames growing curves without redrawing the axes at
every update. :class:`Buffer` holds series over steps in preallocated NumPy
arrays that grow by doubling, so an update costs a few array writes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QLabel, QSizePolicy, QWidget

import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it

from ...widgets import colors, theme
from ...widgets.live_text import LiveText



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


def readout_label(name: str, template: str = "epoch 10000: train 0.0000, val 0.0000") -> LiveText:
    """A quiet line of live text for a tab's caption, as wide as ``template``; ``name`` is its accessible name."""
    label = LiveText(template, name=name)
    font = label.font()
    font.setPointSize(8)  # as the axes and the legend: a caption, not a heading
    label.setFont(font)
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, QColor(colors.SUBTEXT))
    label.setPalette(pal)
    return label


def corner_row(*widgets) -> QWidget:
    """A page's controls in a row, to stand right of the tabs while that page is shown."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(4, 0, 6, 0)
    row.setSpacing(10)
    for w in widgets:
        row.addWidget(w)
    return box


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


def legend_style() -> dict:
    """The legend box's colours in the current ink: its background a little see-through over the curves."""
    fill = QColor(colors.BACKGROUND)
    fill.setAlpha(210)
    return dict(labelTextColor=colors.TEXT, brush=pg.mkBrush(fill),
                pen=pg.mkPen("#d0d7de" if colors.current_ink() == colors.LIGHT_INK
                             else theme.mix_colors(QColor(colors.SUBTEXT), QColor(colors.BACKGROUND), 0.7)))


class Plot(pg.GraphicsLayoutWidget):
    """A plot on the theme's background with our axes and grid; its legend inside (top right) or in a column to its right."""

    def __init__(self, x_label: str, y_label: str, parent=None, *, name: str = "", description: str = ""):
        super().__init__(parent, border=None)
        # A screen reader sees a graphics view, not curves: say which plot it is and what it shows.
        self.setAccessibleName(name or self.tr("{0} plot").format(y_label))
        self.setAccessibleDescription(description or self.tr("{0} by {1}").format(y_label, x_label))
        theme.ink_changed_for(self)
        self._labels = (x_label, y_label)
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
        self.legend_item: pg.LegendItem | None = None
        # Until there is data, a sentence says what will appear: an empty frame with ticks
        # ("8 7 6 5 4 3 2" on a log axis) and an empty legend box says nothing to a newcomer.
        self.empty_hint = QLabel(self)
        self.empty_hint.setObjectName("emptyPlotHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty_hint.setStyleSheet(f"color: {colors.SUBTEXT}; background: transparent;")
        self.empty_hint.hide()
        self.empty = False

    def set_empty(self, empty: bool, hint: str | None = None) -> None:
        """Show ``hint`` centred instead of tick values and the legend while there is no data."""
        if hint is not None:
            self.empty_hint.setText(hint)
        if empty == self.empty:
            return
        self.empty = empty
        if empty:
            self._manual = False  # a view panned over the last run's curves has nothing left to show
        self.empty_hint.setVisible(empty)
        self._place_hint()
        for name in ("left", "bottom"):
            self.plot_item.getAxis(name).setStyle(showValues=not empty)
        if self.legend_item is not None:
            self.legend_item.setVisible(not empty)

    def _place_hint(self) -> None:
        margin = 12
        self.empty_hint.setGeometry(margin, margin, max(0, self.width() - 2 * margin),
                                    max(0, self.height() - 2 * margin))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if getattr(self, "empty", False):  # pyqtgraph resizes during __init__, before the hint exists
            self._place_hint()

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() in theme.PALETTE_EVENTS and hasattr(self, "empty_hint") and theme.ink_changed_for(self):
            self.apply_ink()

    def apply_ink(self) -> None:
        """Restyle in the current ink (the theme changed): background, axes, labels, hint and legend."""
        self.setBackground(colors.BACKGROUND)
        item = self.plot_item
        style_axes(item)
        item.setLabel("bottom", self._labels[0], color=colors.SUBTEXT, size="8pt")
        item.setLabel("left", self._labels[1], color=colors.SUBTEXT, size="8pt")
        self.empty_hint.setStyleSheet(f"color: {colors.SUBTEXT}; background: transparent;")
        if self.legend_item is not None:
            look = legend_style()
            self.legend_item.setBrush(look["brush"])
            self.legend_item.setPen(look["pen"])
            self.legend_item.setLabelTextColor(look["labelTextColor"])

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
        opts = dict(legend_style(), labelTextSize="8pt", verSpacing=-6, sampleType=_Sample)
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


class HistoryReader:
    """The document's history as arrays, made by ``convert(history, start)`` from row ``start`` on.

    While the history only grows (a run appends epochs in place), each read
    converts just the rows new since the last one; any other change (a new
    file, Reset, Undo) converts it all again.
    """

    def __init__(self, doc, convert):
        self.doc = doc
        self._convert = convert
        self._source = None  # the History object the arrays were made from
        self._rows = 0
        self.columns: dict[str, np.ndarray] = {}

    def forget(self) -> None:
        """Convert everything at the next read (what the columns mean has changed)."""
        self._source = None

    def read(self) -> dict[str, np.ndarray]:
        h = self.doc.history
        start = self._rows if h is self._source and len(h) >= self._rows else 0
        new = self._convert(h, start)
        if start:
            new = {name: np.concatenate([self.columns[name], col], axis=-1) for name, col in new.items()}
        self._source, self._rows, self.columns = h, len(h), new
        return new
