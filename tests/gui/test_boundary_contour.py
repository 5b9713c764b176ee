"""The 0.5 line on the decision boundary: drawn where a binary classifier is undecided, moved as the
weights change, and not drawn for regression or for more than two classes."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from nnviz.core import NetworkSpec
from nnviz.core.datasets import CLASSIFICATION, Dataset, make_toy
from nnviz.core.fileformat import NetworkFile
from nnviz.core.project import DatasetRecord, Project
from nnviz.core.spec import DenseSpec
from nnviz.ui.model import commands
from nnviz.ui.model.document import Document
from nnviz.ui.training.boundary import GRID, BoundaryView
from nnviz.ui.widgets import colors


def make_doc(*layers):
    spec = NetworkSpec(2, layers)
    return Document(Project.from_file(NetworkFile(spec=spec, params=[None] * len(layers))))


@pytest.fixture
def make_view(qtbot):
    views = []  # held until teardown: a view freed while Qt paints it crashes the interpreter

    def make(doc, data, record="xor"):
        commands.set_dataset(doc, DatasetRecord.from_dict({"name": record}), data)
        view = BoundaryView(doc)
        qtbot.addWidget(view)
        views.append(view)
        view.resize(360, 360)
        view.show()
        qtbot.waitExposed(view)
        return view

    return make


def set_neuron(doc, layer, weights, bias):
    params = doc.network.copy_params()
    params[layer]["weights"][:] = np.asarray(weights, dtype=float).reshape(params[layer]["weights"].shape)
    params[layer]["bias"][:] = bias
    doc.restore({"params": params})


def line_points(view):
    x, y = view.contour_item.getData()
    return np.column_stack([x, y]) if x is not None else np.zeros((0, 2))


def test_one_sigmoid_output_gets_its_half_line(make_view):
    doc = make_doc(DenseSpec(1, "sigmoid"))
    view = make_view(doc, make_toy("xor", 200, seed=1))
    set_neuron(doc, 0, [[2.0], [0.0]], 1.0)  # P = 0.5 where 2·x1 + 1 = 0: the line x1 = -0.5
    view.redraw()
    pts = line_points(view)
    assert view.contour_item.isVisible() and len(pts) > 20
    spacing = np.diff(view.grid_points()[:2, 0])[0]
    assert np.abs(pts[:, 0] + 0.5).max() < spacing / 4
    lo, hi = view.grid_points().min(axis=0), view.grid_points().max(axis=0)
    assert pts[:, 1].min() == pytest.approx(lo[1]) and pts[:, 1].max() == pytest.approx(hi[1])

    # the weights change (as a training frame lands): the line moves with them
    set_neuron(doc, 0, [[0.0], [1.0]], -2.0)  # now along x2 = 2
    view.redraw()
    pts = line_points(view)
    assert np.abs(pts[:, 1] - 2.0).max() < spacing / 4


def test_the_line_is_drawn_in_the_picture(make_view):
    doc = make_doc(DenseSpec(1, "sigmoid"))
    view = make_view(doc, make_toy("xor", 20, seed=1))
    set_neuron(doc, 0, [[3.0], [0.0]], 0.0)  # undecided along x1 = 0, the middle of the plane
    view.redraw()
    vb = view.plot_item.vb
    widget = view.plot_widget

    def pixel_of(x, y):
        return widget.mapFromScene(vb.mapViewToScene(QPointF(x, y)))

    def darkest_in_row(image, y):
        """(x pixel, lightness) of the darkest pixel across the plot at data height ``y``."""
        row = pixel_of(0.0, y).y()
        xs = range(pixel_of(-4.5, y).x(), pixel_of(4.5, y).x())
        values = [QColor(image.pixel(x, row)).lightness() for x in xs]
        return xs[int(np.argmin(values))], min(values)

    x_line = pixel_of(0.0, 0.0).x()
    ink = QColor(colors.TEXT).lightness()
    image = widget.grab().toImage()
    for y in (-3.0, 1.0, 4.0):
        x, lightness = darkest_in_row(image, y)
        assert abs(x - x_line) <= 2 and lightness < ink + 80
    view.contour_item.hide()
    image = widget.grab().toImage()
    assert all(abs(darkest_in_row(image, y)[0] - x_line) > 2 or darkest_in_row(image, y)[1] > ink + 80
               for y in (-3.0, 1.0, 4.0))  # without the line nothing dark runs down the middle


def test_a_softmax_pair_gets_the_line_where_both_are_equal(make_view):
    doc = make_doc(DenseSpec(2, "softmax"))
    view = make_view(doc, make_toy("xor", 100, seed=1))
    set_neuron(doc, 0, [[0.0, 1.0], [0.0, 0.0]], [0.0, -1.0])  # z1 - z0 = x1 - 1: equal at x1 = 1
    view.redraw()
    pts = line_points(view)
    assert len(pts) and np.abs(pts[:, 0] - 1.0).max() < np.diff(view.grid_points()[:2, 0])[0] / 4


def test_no_line_for_regression_or_three_classes(make_view):
    doc = make_doc(DenseSpec(4, "tanh"), DenseSpec(1, "linear"))
    view = make_view(doc, make_toy("plane", 100, seed=1), record="plane")
    assert view.grid_output() is not None
    assert not view.contour_item.isVisible() and len(line_points(view)) == 0

    rng = np.random.default_rng(0)
    x = rng.normal(size=(90, 2))
    y = np.repeat(np.arange(3), 30)
    three = Dataset("three", x, y, CLASSIFICATION, ["x1", "x2"], ["a", "b", "c"])
    doc = make_doc(DenseSpec(3, "softmax"))
    view = make_view(doc, three)
    assert view.grid_output().shape == (GRID, GRID, 3)
    assert not view.contour_item.isVisible()
