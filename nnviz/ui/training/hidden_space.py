"""The hidden-space view: the input plane and the data as a chosen hidden layer sees them.

For a network with 2 inputs trained on a 2-feature dataset, the view takes
the lines of a grid over the input plane (:mod:`nnviz.ui.model.input_plane`,
the plane the decision boundary shades) and the data points, runs them
through the network up to the chosen hidden layer, and plots where they land:
along two of the layer's neurons, or along the first two principal components
of the data's activations (:mod:`nnviz.core.hidden_space`). As the network
trains, the grid bends and folds and the classes pull apart until the next
layers can cut them with a straight line: the "folding" the lessons describe.

It redraws with the weights (``params_changed``: once per display frame while
training, and when the timeline is scrubbed) through a
:class:`~nnviz.ui.widgets.redraw.Redraw`, so a hidden or tabbed-away view does
no work. One picture is a forward pass of about 2,000 points through the
first layers only, and everything about the data and the plane is prepared
once per change of network or data, not per frame.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QStackedLayout, QVBoxLayout, QWidget

import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it

from ...core import hidden_space
from ...core.counting import count
from ..canvas.layout import layer_detail
from ...core.numbers import percent
from ..model import input_plane
from ..model.document import Document
from ..widgets import colors, theme
from ..widgets.redraw import Redraw
from . import point_colors
from .plots import style_axes

SAMPLES = 61  # points along each grid line: enough for a bent line to look smooth
LINES = 13  # grid lines each way (every fifth sample of the plane's SAMPLES × SAMPLES grid)
PCA, NEURONS = "pca", "neurons"
# A picture runs the grid and the data through the first layers, and (principal components) forms
# the layer's covariance: beyond this many multiply-adds it would hold up the window at every frame.
MAX_MACS = 100_000_000
SHRINK = 0.6  # the frame follows the picture when it outgrows it, or shrinks below this share of it
PAD = 0.06

NO_DATA = QT_TRANSLATE_NOOP("HiddenSpaceView",
                            "The hidden space shows the input plane and the data as a hidden layer sees them. "
                            "Choose a dataset with 2 features (spiral, xor, circle…) in the Training panel to "
                            "see it.")
NOT_PLANE = QT_TRANSLATE_NOOP("HiddenSpaceView",
                              "The hidden space shows how a hidden layer bends the plane of 2 inputs, and this network "
                              "has {inputs} and its data {features}. Open a 2-input network on 2-D data "
                              "(File ▸ Examples ▸ spiral deep tanh) to see it.")
NO_HIDDEN = QT_TRANSLATE_NOOP("HiddenSpaceView",
                              "This network has no hidden layer, so there is no hidden space to see. Add a layer "
                              "before the output (drag Dense from the palette) to see how it folds the input plane.")
TOO_WIDE = QT_TRANSLATE_NOOP("HiddenSpaceView", "Hidden {layer} is too wide to follow live ({units:,} neurons): "
                                                "choose a narrower layer above to see its space.")



def _inputs_text(n: int) -> str:
    return (QCoreApplication.translate("HiddenSpaceView", "1 input") if n == 1
            else QCoreApplication.translate("HiddenSpaceView", "{0} inputs").format(f"{n:,}"))


def _features_text(n: int) -> str:
    return (QCoreApplication.translate("HiddenSpaceView", "1 feature") if n == 1
            else QCoreApplication.translate("HiddenSpaceView", "{0} features").format(f"{n:,}"))


class HiddenSpaceView(QWidget):
    """The grid and the data in a hidden layer's space (see the module docstring)."""

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self._scheme = colors.color_scheme(colors.DEFAULT_SCHEME)
        self._stale = True  # the plane, the data and the styles must be prepared again
        self._inputs: np.ndarray | None = None  # grid-line points, then the data rows, as the network sees them
        self._line_order = np.zeros(0, dtype=np.intp)  # grid-line points in drawing order, -1 between lines
        self._n_lines = 0  # how many of ``_inputs`` are grid-line points
        self._train = self._val = np.zeros(0, dtype=np.intp)
        self._styles: tuple[dict, dict] = ({}, {})
        self._restyle = True  # the points' styles must be given again (else only their positions change)
        self._axes: hidden_space.Axes | None = None  # the last picture's (principal components follow them)
        self._frame: tuple[np.ndarray, np.ndarray] | None = None  # the shown range (lo, hi)
        self.projected: np.ndarray | None = None  # the last picture: (grid-line points + rows, 2)
        theme.ink_changed_for(self)
        self.setAccessibleName(self.tr("Hidden space"))
        self._build()
        self.redraws = Redraw(self, self._draw)

        doc.spec_changed.connect(self._on_spec_changed)
        doc.dataset_changed.connect(self._invalidate)
        doc.training_changed.connect(self._invalidate)  # the validation split may have changed
        doc.params_changed.connect(self.redraws.request)
        self._on_spec_changed()

    # -- construction ----------------------------------------------------------

    def _build(self) -> None:
        self.layer_combo = QComboBox()
        self.layer_combo.setAccessibleName(self.tr("Hidden layer"))
        self.layer_combo.setToolTip(self.tr("The hidden layer whose space is drawn"))
        self.axes_combo = QComboBox()
        self.axes_combo.setAccessibleName(self.tr("Axes"))
        self.axes_combo.addItem(self.tr("Principal components"), PCA)
        self.axes_combo.addItem(self.tr("Two neurons"), NEURONS)
        self.axes_combo.setToolTip(self.tr("Principal components: the two directions in which the data spread most "
                                           "in this layer. Two neurons: their activations, as they are."))
        for combo in (self.layer_combo, self.axes_combo):
            # As narrow as the dock beside the boundary needs (their texts elide), never widening the window.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.x_spin, self.y_spin = QSpinBox(), QSpinBox()
        for spin, axis in ((self.x_spin, "x"), (self.y_spin, "y")):
            spin.setPrefix(f"{axis} ")
            spin.setAccessibleName(self.tr("Neuron on the {0} axis").format(axis))
            spin.setToolTip(self.tr("The neuron whose activation is the {0} axis").format(axis))
            spin.setKeyboardTracking(False)
        self.layer_combo.currentIndexChanged.connect(self._on_layer_changed)
        self.axes_combo.currentIndexChanged.connect(self._on_axes_changed)
        self.x_spin.valueChanged.connect(self._on_axes_changed)
        self.y_spin.valueChanged.connect(self._on_axes_changed)

        controls = QHBoxLayout()
        controls.setContentsMargins(4, 2, 4, 2)
        controls.setSpacing(4)
        controls.addWidget(self.layer_combo, 1)
        controls.addWidget(self.axes_combo, 1)
        controls.addWidget(self.x_spin)
        controls.addWidget(self.y_spin)

        self.note = QLabel(QCoreApplication.translate("HiddenSpaceView", NO_DATA))
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.note.setMargin(24)

        self.plot_widget = pg.GraphicsLayoutWidget(border=None)
        self.plot_widget.setAccessibleName(self.tr("Hidden space plot"))
        self.plot_widget.setAccessibleDescription(self.tr(
            "The lines of a grid over the input plane and the data points, placed where the chosen hidden layer "
            "puts them; training points filled, validation points hollow."))
        self.plot_widget.ci.layout.setContentsMargins(2, 4, 8, 2)
        self.plot_item = item = self.plot_widget.addPlot(row=0, col=0)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.vb.setMouseEnabled(x=False, y=False)  # the frame follows the picture
        item.getAxis("left").setWidth(36)
        self.grid_curve = pg.PlotCurveItem(connect="finite", antialias=True)
        self.grid_curve.setZValue(-10)
        item.addItem(self.grid_curve)
        self.train_scatter = pg.ScatterPlotItem(size=point_colors.POINT_SIZE, pxMode=True, antialias=True)
        self.val_scatter = pg.ScatterPlotItem(size=point_colors.POINT_SIZE, pxMode=True, antialias=True)
        item.addItem(self.train_scatter)
        item.addItem(self.val_scatter)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setContentsMargins(6, 0, 6, 2)

        plot_page = QWidget()
        column = QVBoxLayout(plot_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(controls)
        column.addWidget(self.plot_widget, 1)
        column.addWidget(self.caption)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.note)
        self._stack.addWidget(plot_page)
        self._style()
        self.resize(320, 340)

    def _style(self) -> None:
        """Colours of the frame, the grid, the note and the caption in the current ink."""
        self.note.setStyleSheet(f"color: {colors.SUBTEXT};")
        self.caption.setStyleSheet(f"color: {colors.SUBTEXT}; background: {colors.BACKGROUND}; font-size: 8pt;")
        self.plot_widget.setBackground(colors.BACKGROUND)
        style_axes(self.plot_item)
        self.grid_curve.setPen(pg.mkPen(*colors.hex_rgb(colors.SUBTEXT).astype(int), 120, width=1))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in theme.PALETTE_EVENTS and hasattr(self, "caption") and theme.ink_changed_for(self):
            self._style()
            self._invalidate()  # the points' hollow fill is the background

    # -- public API ----------------------------------------------------------------

    def reason_empty(self) -> str | None:
        """Why there is nothing to draw, and what would make it work; ``None`` when there is a picture."""
        doc = self.doc
        if doc.data is None:
            return QCoreApplication.translate("HiddenSpaceView", NO_DATA)
        if not input_plane.applies(doc):
            return QCoreApplication.translate("HiddenSpaceView", NOT_PLANE).format(inputs=_inputs_text(doc.spec.inputs),
                                           features=_features_text(doc.data.n_features))
        if not len(hidden_space.hidden_layers(doc.spec)):
            return QCoreApplication.translate("HiddenSpaceView", NO_HIDDEN)
        layer = self.layer()
        points = self._n_lines_planned() + doc.data.n_samples
        units = doc.spec.widths()[layer + 1]
        macs = points * (sum(c.macs for c in count(doc.spec).layers[: layer + 1]) + units * units)
        if macs > MAX_MACS:
            return QCoreApplication.translate("HiddenSpaceView", TOO_WIDE).format(layer=layer + 1, units=units)
        return None

    def layer(self) -> int:
        """The chosen hidden layer: an index into ``doc.spec.layers``."""
        return max(self.layer_combo.currentIndex(), 0)

    def axes_mode(self) -> str:
        """:data:`PCA` or :data:`NEURONS`."""
        return self.axes_combo.currentData()

    def set_color_scheme(self, name: str) -> None:
        """``"classic"`` (red / cyan) or ``"colorblind"`` (orange / blue), as the decision boundary."""
        self._scheme = colors.color_scheme(name)
        self._invalidate()

    def redraw(self) -> None:
        """Draw now (hidden or not)."""
        self.redraws.run()

    # -- document and control changes -----------------------------------------------------

    def _on_spec_changed(self) -> None:
        """Offer the network's hidden layers, keeping the chosen one where it still exists."""
        spec = self.doc.spec
        names = [self.tr("Hidden {0} · {1}").format(i + 1, layer_detail(spec.layers[i].kind, spec.layers[i]))
                 for i in hidden_space.hidden_layers(spec)]
        keep = self.layer_combo.currentIndex()
        blocked = self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        self.layer_combo.addItems(names)
        self.layer_combo.setCurrentIndex(min(max(keep, 0), len(names) - 1))
        self.layer_combo.blockSignals(blocked)
        self._on_layer_changed()

    def _on_layer_changed(self) -> None:
        units = self.doc.spec.widths()[self.layer() + 1] if len(hidden_space.hidden_layers(self.doc.spec)) else 1
        blocked = [spin.blockSignals(True) for spin in (self.x_spin, self.y_spin)]
        for spin in (self.x_spin, self.y_spin):
            spin.setRange(1, units)  # a choice beyond the new layer's width comes down to its last neuron
        if self.x_spin.value() == self.y_spin.value() and units > 1:  # two axes, two neurons (1 and 2 at first)
            self.y_spin.setValue(self.x_spin.value() % units + 1)
        for spin, was in zip((self.x_spin, self.y_spin), blocked):
            spin.blockSignals(was)
        self._axes = None  # another layer: its own principal components
        self._invalidate()

    def _on_axes_changed(self) -> None:
        self._axes = None
        self._frame = None
        self._show_controls()
        self.redraws.request()

    def _invalidate(self) -> None:
        self._stale = True
        self._frame = None
        self.redraws.request()

    def _show_controls(self) -> None:
        neurons = self.axes_mode() == NEURONS
        units = self.x_spin.maximum()
        self.x_spin.setVisible(neurons)
        self.y_spin.setVisible(neurons)
        self.y_spin.setEnabled(units > 1)

    # -- preparing (once per change of network or data) ----------------------------------

    def _n_lines_planned(self) -> int:
        return 2 * LINES * SAMPLES

    def _prepare(self) -> bool:
        """The grid lines' and the data's inputs, the split and the points' styles; False when nothing is drawn."""
        self._stale = False
        reason = self.reason_empty()
        self.note.setText(reason or "")
        self._stack.setCurrentIndex(0 if reason else 1)
        if reason:
            self._inputs = None
            self.projected = None
            return False
        doc = self.doc
        plane = input_plane.input_plane(doc, SAMPLES)
        picks = np.rint(np.linspace(0, SAMPLES - 1, LINES)).astype(np.intp)
        along = np.arange(SAMPLES)
        # Lines of constant x2 (rows of the plane), then of constant x1 (columns).
        lines = np.concatenate([(picks[:, None] * SAMPLES + along).ravel(), (along[:, None] + picks * SAMPLES).T.ravel()])
        self._n_lines = len(lines)
        breaks = np.full((2 * LINES, SAMPLES + 1), -1, dtype=np.intp)
        breaks[:, :SAMPLES] = np.arange(self._n_lines).reshape(2 * LINES, SAMPLES)
        self._line_order = breaks.ravel()
        data_inputs = input_plane.network_inputs(doc, input_plane.display_x(doc, doc.data.x))
        self._inputs = np.concatenate([plane.inputs[lines], data_inputs]).astype(doc.network.dtype)
        train, filled, val, hollow = point_colors.scatter_styles(doc, self._scheme)
        self._train, self._val = train + self._n_lines, val + self._n_lines
        self._styles = (filled, hollow)
        self._restyle = True
        self._show_controls()
        return True

    # -- drawing -------------------------------------------------------------------------

    def _draw(self) -> None:
        if self._stale and not self._prepare():
            return
        if self._inputs is None:
            return
        doc = self.doc
        layer = self.layer()
        acts = hidden_space.layer_activations(doc.network, self._inputs, layer)
        if self.axes_mode() == PCA:
            self._axes = hidden_space.principal_axes(acts[self._n_lines:], self._axes)
        else:
            self._axes = hidden_space.neuron_axes(acts.shape[1], self.x_spin.value() - 1, self.y_spin.value() - 1)
        xy = self._axes.project(acts)
        xy[~np.isfinite(xy)] = np.nan
        self.projected = xy
        line_xy = xy[self._line_order]
        line_xy[self._line_order < 0] = np.nan
        self.grid_curve.setData(line_xy[:, 0], line_xy[:, 1])
        filled, hollow = self._styles
        _place(self.train_scatter, xy[self._train], filled if self._restyle else None)
        _place(self.val_scatter, xy[self._val], hollow if self._restyle else None)
        self._restyle = False
        self._label_axes(layer)
        self._follow(xy)

    def _label_axes(self, layer: int) -> None:
        share = self._axes.share
        name = self.tr("Hidden {0}").format(layer + 1)
        if share is not None:
            x_text, y_text = (self.tr("PC {0} ({1})").format(k + 1, percent(s, 0)) for k, s in enumerate(share))
            caption = self.tr("{0} seen along its principal components (PC), the two directions in which its data "
                              "spread most ({1} of their spread). Grid: the input plane.").format(
                name, percent(share[0] + share[1], 0))
        else:
            x_text, y_text = (self.tr("neuron {0}").format(spin.value()) for spin in (self.x_spin, self.y_spin))
            caption = self.tr("{0}'s neurons {1} (→) and {2} (↑). Grid: the input plane.").format(
                name, self.x_spin.value(), self.y_spin.value())
        if self.x_spin.maximum() == 1:
            y_text = self.tr("(one neuron: a line)")
        for side, text in (("bottom", x_text), ("left", y_text)):
            if self.plot_item.getAxis(side).labelText != text:
                self.plot_item.setLabel(side, text, color=colors.SUBTEXT, size="8pt")
        if self.caption.text() != caption:
            self.caption.setText(caption)

    def _follow(self, xy: np.ndarray) -> None:
        """Keep the picture in the frame: grow at once, shrink only when it fills little of it (no jitter)."""
        finite = xy[np.isfinite(xy).all(axis=1)]
        if not len(finite):
            return
        lo, hi = finite.min(axis=0), finite.max(axis=0)
        span = np.maximum(hi - lo, 1e-6)
        lo, hi = lo - PAD * span, hi + PAD * span
        frame = self._frame
        if frame is not None:
            f_lo, f_hi = frame
            inside = (lo >= f_lo).all() and (hi <= f_hi).all()
            if inside and ((hi - lo) >= SHRINK * (f_hi - f_lo)).all():
                return
        self._frame = (lo, hi)
        self.plot_item.vb.setRange(xRange=(lo[0], hi[0]), yRange=(lo[1], hi[1]), padding=0)


def _place(scatter: pg.ScatterPlotItem, pos: np.ndarray, style: dict | None) -> None:
    """Put ``scatter``'s points at ``pos``: with ``style`` anew (``setData``), or, ``None``, moving the points as they are.

    Moving them in place skips pyqtgraph's per-point style look-ups, most of a frame's cost otherwise.
    """
    if style is not None or len(scatter.data) != len(pos):
        scatter.setData(pos=pos, **(style or {}))
        return
    scatter.data["x"] = pos[:, 0]
    scatter.data["y"] = pos[:, 1]
    scatter.prepareGeometryChange()
    scatter.informViewBoundsChanged()
    scatter.bounds = [None, None]  # pyqtgraph's cache of the data's range
    scatter.invalidate()
