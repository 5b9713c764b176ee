"""The decision boundary: the network's output over the input plane, with the data on top.

:class:`BoundaryView` draws, for a network with 2 inputs trained on a 2-feature
dataset, a heatmap of the output over a 100×100 grid of the input plane (the
data's range plus a 10 % margin, :mod:`nnviz.ui.model.input_plane`) and the training
(filled) and validation (hollow) points:

- one sigmoid-style output: the probability of class 1, white at 0.5 and the
  class colours towards 0 and 1 (TensorFlow Playground's picture);
- several outputs (softmax): the colour of the winning class, paler where the
  network is less sure;
- regression: the predicted surface, white at the targets' mean.

For a binary classifier (one output, or two on two classes) a thin line marks
where the output is 0.5 (two outputs: where they are equal): the decision
boundary itself, found by marching squares on the same grid
(:func:`nnviz.core.contour.level_segments`, about 0.3 ms a frame).

Coordinates. The plot shows *raw* units (what a person reads in the data
file); the grid goes through the data's (or the file's) standardisation before
the forward pass (see :mod:`nnviz.ui.model.input_plane`).

Live updates: the document's weights change as a run goes (``params_changed``,
once per display frame); the view redraws then, while shown, evaluating the
grid on the document's network (less often if that is slow: a
:class:`~nnviz.ui.widgets.redraw.Redraw`). Items are made once and fed with
``setImage`` / ``setData``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it

from ...core.contour import level_segments
from ...core.datasets import CLASSIFICATION
from ...core import memory
from ...core.numbers import human_count, percent, significant
from ..widgets import colors, theme
from ..model import input_plane
from ..model.document import Document
from . import point_colors
from .plots import style_axes
from ..widgets.redraw import Redraw

GRID = 100  # grid points per axis
BACKGROUND_STRENGTH = 0.55  # the heatmap's most saturated colour, mixed with the background (points stay readable)
NOT_APPLICABLE = QT_TRANSLATE_NOOP("BoundaryView", "The decision boundary is drawn for networks with 2 inputs "
                                                  "trained on a 2-D dataset.")
# A picture costs GRID² forward passes, a chunk of the grid at a time (memory.predict_in_chunks: a
# 2-20000-1 network's picture would hold 1.5 GB in one pass, 48 MB in chunks). Beyond these many
# multiply-adds, or activations (one per unit and grid point), a picture would hold up the window
# for seconds at every redraw, so the view says so instead: 2-4096-4096-1 has 1.7·10¹¹ multiply-adds,
# 2-100000-1 10⁹ activations (tests/benchmarks/wide_layers.py prints the times).
MAX_MACS = 50_000_000_000
MAX_ACTIVATIONS = 500_000_000
TOO_LARGE = QT_TRANSLATE_NOOP("BoundaryView",
                              "This network is too large to draw its decision boundary live: one picture takes "
                              "{macs} multiply-adds and {activations} activations. Make its widest layers smaller "
                              "to see it.")
HOVER_HINT = QT_TRANSLATE_NOOP("BoundaryView", "Point at the plot to read the network's output.")



class BoundaryView(QWidget):
    """Decision-boundary heatmap of ``doc``'s network over ``doc.data`` (see the module docstring)."""

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self._scheme = colors.color_scheme(colors.DEFAULT_SCHEME)
        self._output: np.ndarray | None = None
        self._plane: input_plane.InputPlane | None = None
        self._y_mean, self._y_scale = 0.0, 1.0  # regression colour map
        theme.ink_changed_for(self)
        self.setAccessibleName(self.tr("Decision boundary"))
        self._build()

        self.redraws = Redraw(self, self._draw)

        doc.spec_changed.connect(self._on_dataset_changed)  # the plane applies to 2-input networks only
        doc.params_changed.connect(self.redraws.request)
        doc.dataset_changed.connect(self._on_dataset_changed)
        doc.training_changed.connect(self._on_dataset_changed)  # the validation split may have changed
        self._on_dataset_changed()

    # -- construction ----------------------------------------------------------

    def _build(self) -> None:
        self.note = QLabel(QCoreApplication.translate("BoundaryView", NOT_APPLICABLE))
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.note.setMargin(24)
        self.note.setStyleSheet(f"color: {colors.SUBTEXT};")

        self.plot_widget = pg.GraphicsLayoutWidget(border=None)
        self.plot_widget.setAccessibleName(self.tr("Decision boundary plot"))
        self.plot_widget.setAccessibleDescription(self.tr(
            "The input plane shaded by the network's output, with a line where a yes/no classifier is undecided "
            "(0.5); training points filled, validation points hollow. "
            "The line under it reads the output at the pointer."
        ))
        self.plot_widget.setBackground(colors.BACKGROUND)
        self.plot_widget.ci.layout.setContentsMargins(2, 4, 8, 2)
        self.plot_item = item = self.plot_widget.addPlot(row=0, col=0)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.vb.setMouseEnabled(x=False, y=False)  # a fixed frame: the data's range is the picture
        style_axes(item)
        item.getAxis("left").setWidth(36)

        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setZValue(-10)
        item.addItem(self.image_item)
        # Above the shading, under the points: the line where a binary classifier is undecided.
        self.contour_item = pg.PlotCurveItem(connect="pairs", antialias=True, pen=self._contour_pen())
        self.contour_item.setZValue(-5)
        item.addItem(self.contour_item)
        self.train_scatter = pg.ScatterPlotItem(size=6, pxMode=True, antialias=True)
        self.val_scatter = pg.ScatterPlotItem(size=6, pxMode=True, antialias=True)
        item.addItem(self.train_scatter)
        item.addItem(self.val_scatter)

        # A label is read by its text: no name of its own.
        self.hover_label = QLabel(QCoreApplication.translate("BoundaryView", HOVER_HINT))
        self.hover_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hover_label.setStyleSheet(f"color: {colors.SUBTEXT}; background: {colors.BACKGROUND}; font-size: 8pt;")
        self.hover_label.setContentsMargins(6, 0, 6, 2)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_mouse_moved)

        plot_page = QWidget()
        plot_layout = QVBoxLayout(plot_page)
        plot_layout.setContentsMargins(0, 0, 0, 0)
        plot_layout.setSpacing(0)
        plot_layout.addWidget(self.plot_widget, 1)
        plot_layout.addWidget(self.hover_label)

        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.note)
        self._stack.addWidget(plot_page)
        self.resize(320, 320)

    def _style(self) -> None:
        """Colours of the frame, the note and the hover line in the current ink."""
        self.note.setStyleSheet(f"color: {colors.SUBTEXT};")
        self.plot_widget.setBackground(colors.BACKGROUND)
        style_axes(self.plot_item)
        self.hover_label.setStyleSheet(f"color: {colors.SUBTEXT}; background: {colors.BACKGROUND}; font-size: 8pt;")
        self.contour_item.setPen(self._contour_pen())

    @staticmethod
    def _contour_pen():
        return pg.mkPen(colors.TEXT, width=1.5)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in theme.PALETTE_EVENTS and hasattr(self, "hover_label") and theme.ink_changed_for(self):
            self._style()
            self._on_dataset_changed()  # the axis labels, the points and the picture, whose undecided middle is the background

    # -- public API ----------------------------------------------------------------

    def is_applicable(self) -> bool:
        """A 2-input network and a 2-feature dataset: there is a plane to draw."""
        return input_plane.applies(self.doc)

    def grid_output(self) -> np.ndarray | None:
        """The last computed network output on the grid: (100, 100), or (100, 100, k) for k outputs.

        Row ``i``, column ``j`` is the point (``grid_points()[i * 100 + j]``): rows go up in x2,
        columns right in x1. ``None`` before the first draw or when not applicable.
        """
        return self._output

    def grid_points(self) -> np.ndarray | None:
        """The grid in display (raw) coordinates, (10000, 2), in the order of :meth:`grid_output`."""
        return None if self._plane is None else self._plane.points

    def set_color_scheme(self, name: str) -> None:
        """``"classic"`` (red / cyan) or ``"colorblind"`` (orange / blue)."""
        self._scheme = colors.color_scheme(name)
        self._update_points()
        self.redraw()

    def redraw(self) -> None:
        """Evaluate the grid now and redraw the heatmap."""
        self.redraws.run()

    def _draw(self) -> None:
        if not self.is_applicable() or self._plane is None:
            self._output = None
            return
        # A chunk of the grid at a time: a very wide layer never holds gigabytes of activations.
        out = memory.predict_in_chunks(self.doc.network, self._plane.inputs)
        self._output = out.reshape(GRID, GRID, -1)
        if self._output.shape[2] == 1:
            self._output = self._output[:, :, 0]
        self.image_item.setImage(self._colorize(out).reshape(GRID, GRID, 3), autoLevels=False, levels=(0, 255))
        self.image_item.setRect(self._plane.rect)
        self._draw_contour(out)

    def _undecided(self, out: np.ndarray) -> np.ndarray | None:
        """A binary classifier's grid outputs (n, k) as a field that is 0 where it is undecided; else None."""
        data = self.doc.data
        if data is None or data.task != CLASSIFICATION or (data.n_classes or 2) > 2:
            return None
        if out.shape[1] == 1:
            return out[:, 0] - 0.5
        if out.shape[1] == 2:
            return out[:, 1] - out[:, 0]  # a softmax pair: where P(class 1) = 0.5
        return None

    def _draw_contour(self, out: np.ndarray) -> None:
        field = self._undecided(out)
        if field is None:
            self.contour_item.setData([], [])
            self.contour_item.hide()
            return
        points = self._plane.points
        segments = level_segments(field.reshape(GRID, GRID), points[:GRID, 0], points[::GRID, 1])
        self.contour_item.setData(segments[:, 0], segments[:, 1], connect="pairs")
        self.contour_item.show()

    def hover_text(self, x1: float, x2: float) -> str:
        """The readout for the point (x1, x2) in display coordinates."""
        data = self.doc.data
        names = list(data.feature_names) if data is not None else ["x1", "x2"]
        where = f"{names[0]} = {significant(x1, 3)}, {names[1]} = {significant(x2, 3)}"
        if not self.is_applicable():
            return where
        out = self.doc.network.predict(input_plane.network_inputs(self.doc, np.array([[x1, x2]])))[0]
        return f"{where}  →  {self._describe(out)}"

    # -- document signals ------------------------------------------------------------

    def _on_dataset_changed(self) -> None:
        self._plane = plane = input_plane.input_plane(self.doc, GRID)
        _bytes, macs = memory.grid_cost(self.doc.spec, GRID * GRID, self.doc.network.dtype)
        activations = GRID * GRID * sum(self.doc.spec.widths())
        if plane is not None and (macs > MAX_MACS or activations > MAX_ACTIVATIONS):
            self._plane = plane = None
            self.note.setText(QCoreApplication.translate("BoundaryView", TOO_LARGE).format(
                macs=human_count(macs), activations=human_count(activations)))
        else:
            self.note.setText(QCoreApplication.translate("BoundaryView", NOT_APPLICABLE))
        self._stack.setCurrentIndex(0 if plane is None else 1)
        if plane is None:
            self._output = None
            self.image_item.clear()
            self.contour_item.setData([], [])
            self.train_scatter.setData([])
            self.val_scatter.setData([])
            return
        data = self.doc.data
        lo, hi = plane.lo, plane.hi

        if data.task != CLASSIFICATION:
            self._y_mean, self._y_scale = point_colors.target_scale(data.y[:, 0])

        item = self.plot_item
        names = list(data.feature_names)
        item.setLabel("bottom", names[0], color=colors.SUBTEXT, size="8pt")
        item.setLabel("left", names[1], color=colors.SUBTEXT, size="8pt")
        vb = item.vb
        # Square frame whatever the units: lock the pixel ratio so that both spans get the same length.
        vb.setAspectLocked(True, ratio=float((hi[1] - lo[1]) / (hi[0] - lo[0])))
        vb.setRange(xRange=(lo[0], hi[0]), yRange=(lo[1], hi[1]), padding=0)
        self._update_points()
        self.redraw()

    # -- drawing -----------------------------------------------------------------------

    def _class_colors(self, k: int) -> np.ndarray:
        return point_colors.class_colors(self._scheme, k)

    def _regression(self) -> bool:
        return self.doc.data is not None and self.doc.data.task != CLASSIFICATION

    def _colorize(self, out: np.ndarray) -> np.ndarray:
        """(n, 3) uint8 RGB for network outputs ``out`` (n, k)."""
        white = colors.hex_rgb(colors.BACKGROUND)  # undecided: the background, white or the dark theme's
        strength = BACKGROUND_STRENGTH
        if self._regression():
            t = np.clip((out[:, 0] - self._y_mean) / self._y_scale, -1.0, 1.0)
            target = np.where((t < 0)[:, None], colors.hex_rgb(self._scheme.negative), colors.hex_rgb(self._scheme.positive))
            depth = np.abs(t)
        elif out.shape[1] == 1:
            t = np.clip(out[:, 0], 0.0, 1.0) * 2.0 - 1.0  # -1 sure of class 0, +1 sure of class 1
            target = np.where((t < 0)[:, None], colors.hex_rgb(self._scheme.negative), colors.hex_rgb(self._scheme.positive))
            depth = np.abs(t)
        else:
            k = out.shape[1]
            winner = out.argmax(axis=1)
            conf = out.max(axis=1)
            # Confidence from "a coin toss among k" (white) to certain (full colour).
            depth = np.clip((conf - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
            target = self._class_colors(k)[winner]
        depth = np.nan_to_num(depth, nan=0.0)[:, None] * strength
        return np.rint(white + (target - white) * depth).astype(np.uint8)

    def _update_points(self) -> None:
        if not self.is_applicable():
            return
        raw = input_plane.display_x(self.doc, self.doc.data.x)
        train, filled, val, hollow = point_colors.scatter_styles(self.doc, self._scheme)
        self.train_scatter.setData(pos=raw[train], **filled)
        self.val_scatter.setData(pos=raw[val], **hollow)

    # -- hover ---------------------------------------------------------------------------

    def _describe(self, out: np.ndarray) -> str:
        data = self.doc.data
        if self._regression():
            name = data.target_names[0] if data.target_names else "y"
            return f"{name} = {significant(float(out[0]), 3)}"
        names = list(data.target_names) if data is not None else []
        if out.shape[0] == 1:
            cls = names[1] if len(names) == 2 else self.tr("class {0}").format(1)
            return f"P({cls}) = {float(out[0]):.3f}"
        k = int(out.argmax())
        cls = names[k] if k < len(names) else self.tr("class {0}").format(k)
        return f"{cls} ({percent(out[k], 0)})"

    def _on_mouse_moved(self, pos) -> None:
        vb = self.plot_item.vb
        if not self.is_applicable() or not vb.sceneBoundingRect().contains(pos):
            self.hover_label.setText(QCoreApplication.translate("BoundaryView", HOVER_HINT))
            return
        p = vb.mapSceneToView(pos)
        self.hover_label.setText(self.hover_text(p.x(), p.y()))
