"""The decision-boundary view: the network's output over the input plane."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from nnviz.core import Network, NetworkSpec
from nnviz.core.datasets import Dataset, Standardization, make_toy
from nnviz.core.fileformat import NetworkFile
from nnviz.core.spec import DenseSpec
from nnviz.ui.training.boundary import GRID, NOT_APPLICABLE, BoundaryView
from nnviz.ui.model.document import Document
from nnviz.ui.model import commands
from nnviz.core.project import Project
from nnviz.core.project import DatasetRecord

SPEC = NetworkSpec(2, (DenseSpec(4, "tanh"), DenseSpec(1, "sigmoid")))


def make_doc(spec=SPEC):
    return Document(Project.from_file(NetworkFile(spec=spec, params=[None] * len(spec.layers))))


@pytest.fixture
def make_view(qtbot):
    """``make_view(doc)``: a BoundaryView held until the test's teardown. qtbot keeps only a weak
    reference, and a view the garbage collector frees while Qt paints it crashes the interpreter."""
    views = []

    def make(doc):
        w = BoundaryView(doc)
        qtbot.addWidget(w)
        views.append(w)
        return w

    yield make


@pytest.fixture
def view(make_view):
    doc = make_doc()
    commands.set_dataset(doc, DatasetRecord.from_dict({"name": "xor"}), make_toy("xor", 50, seed=3))
    w = make_view(doc)
    w.resize(320, 320)
    w.show()
    return w


def test_grid_output_is_the_networks_prediction_over_the_data_range(view):
    out, pts = view.grid_output(), view.grid_points()
    assert out.shape == (GRID, GRID) and pts.shape == (GRID * GRID, 2)
    np.testing.assert_allclose(out.ravel(), view.doc.network.predict(pts)[:, 0], atol=1e-6)
    # The grid covers the data plus a margin.
    x = view.doc.data.x
    assert (pts.min(axis=0) < x.min(axis=0)).all() and (pts.max(axis=0) > x.max(axis=0)).all()
    # Rows go up in x2, columns right in x1.
    grid = pts.reshape(GRID, GRID, 2)
    assert grid[0, 1, 0] > grid[0, 0, 0] and grid[1, 0, 1] > grid[0, 0, 1]
    assert view.image_item.image.shape == (GRID, GRID, 3)
    assert view.is_applicable() and view.plot_item.getAxis("bottom").labelText == "x1"


def test_training_points_filled_and_validation_points_hollow(view):
    n_val = round(50 * view.doc.training.val_split)
    assert len(view.train_scatter.data) == 50 - n_val
    assert len(view.val_scatter.data) == n_val
    # No validation split: every point is a training point.
    commands.set_training(view.doc, view.doc.training.__class__(**{**view.doc.training.to_dict(), "val_split": 0.0}))
    assert len(view.train_scatter.data) == 50 and len(view.val_scatter.data) == 0


def test_other_weights_change_the_picture(view):
    before_out = view.grid_output().copy()
    before_img = view.image_item.image.copy()
    weights = Network(SPEC, seed=42).copy_params()
    weights[-1]["weights"] *= 5  # a much more confident network
    view.doc.restore({"params": weights})  # as a run's update lands in the document
    view.redraw()
    assert not np.allclose(view.grid_output(), before_out)
    assert not np.array_equal(view.image_item.image, before_img)
    net = Network(SPEC)
    net.load_params(weights)
    np.testing.assert_allclose(view.grid_output().ravel(), net.predict(view.grid_points())[:, 0], atol=1e-6)


def test_new_weights_in_the_document_are_drawn_by_the_timer(view, qtbot):
    """A run's update or a person's edit: the document's weights change, the picture follows."""
    before = view.grid_output().copy()
    view.doc.restore({"params": Network(SPEC, seed=9).copy_params()})
    qtbot.waitUntil(lambda: not np.allclose(view.grid_output(), before))


def test_three_inputs_show_a_note_instead_of_a_plot(make_view):
    spec = NetworkSpec(3, (DenseSpec(4, "relu"), DenseSpec(1, "sigmoid")))
    doc = make_doc(spec)
    commands.set_dataset(doc, DatasetRecord.from_dict({"name": "circle"}), make_toy("circle", 40))
    w = make_view(doc)
    w.show()
    assert not w.is_applicable()
    assert w.grid_output() is None
    assert w.note.isVisible() and w.note.text() == NOT_APPLICABLE
    assert not w.plot_widget.isVisible()


def test_no_data_shows_the_note_until_a_dataset_arrives(make_view):
    doc = make_doc()
    w = make_view(doc)
    w.show()
    assert not w.is_applicable() and w.note.isVisible()
    commands.set_dataset(doc, DatasetRecord.from_dict({"name": "circle"}), make_toy("circle", 40))
    assert w.is_applicable() and w.plot_widget.isVisible() and not w.note.isVisible()
    assert w.grid_output().shape == (GRID, GRID)


def test_regression_draws_the_predicted_surface(make_view):
    spec = NetworkSpec(2, (DenseSpec(4, "tanh"), DenseSpec(1, "linear")))
    doc = make_doc(spec)
    commands.set_dataset(doc, DatasetRecord.from_dict({"name": "plane"}), make_toy("plane", 60))
    w = make_view(doc)
    out = w.grid_output()
    np.testing.assert_allclose(out.ravel(), doc.network.predict(w.grid_points())[:, 0], atol=1e-6)
    img = w.image_item.image.astype(int)
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 20  # a graded surface, not two flat colours
    assert "y = " in w.hover_text(0.0, 0.0)


def test_softmax_colours_the_winning_class(make_view):
    spec = NetworkSpec(2, (DenseSpec(4, "tanh"), DenseSpec(3, "softmax")))
    doc = make_doc(spec)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 2))
    y = np.eye(3)[rng.integers(0, 3, 30)]
    commands.set_dataset(doc, None, Dataset("three", x, y, "classification", ["a", "b"], ["p", "q", "r"]))
    w = make_view(doc)
    assert w.grid_output().shape == (GRID, GRID, 3)
    text = w.hover_text(0.0, 0.0)
    assert any(f"{name} (" in text for name in "pqr")


def test_a_spec_change_draws_the_new_network(view):

    spec = NetworkSpec(2, (DenseSpec(6, "relu"), DenseSpec(1, "sigmoid")))
    params = Network(spec, seed=3).copy_params()
    view.doc.restore({"spec": spec, "params": params})
    np.testing.assert_allclose(
        view.grid_output().ravel(), view.doc.network.predict(view.grid_points())[:, 0], atol=1e-6)
    assert view.grid_output().shape == (GRID, GRID)


def test_standardised_data_is_shown_in_raw_units_and_fed_standardised(make_view):
    rng = np.random.default_rng(1)
    raw = rng.normal([100.0, -5.0], [20.0, 2.0], size=(40, 2))
    std = Standardization.fit(raw)
    data = Dataset("t", std.apply(raw), (raw[:, 0] > 100).astype(float), "classification", ["mass", "temp"],
                   ["0", "1"], std)
    doc = make_doc()
    commands.set_dataset(doc, None, data)
    w = make_view(doc)
    pts = w.grid_points()
    assert pts[:, 0].min() < raw[:, 0].min() and pts[:, 0].max() > raw[:, 0].max()  # raw units on the axes
    np.testing.assert_allclose(w.grid_output().ravel(), doc.network.predict(std.apply(pts))[:, 0], atol=1e-6)
    shown = np.concatenate([w.train_scatter.getData()[0], w.val_scatter.getData()[0]])
    assert np.isclose(np.sort(shown), np.sort(raw[:, 0])).all()
    assert w.plot_item.getAxis("left").labelText == "temp"


def test_hovering_shows_the_input_and_the_output(view, qtbot):
    vb = view.plot_item.vb
    pos = vb.mapViewToScene(QPointF(1.0, -2.0))
    view.plot_widget.scene().sigMouseMoved.emit(pos)
    text = view.hover_label.text()
    p = vb.mapSceneToView(pos)
    expected = view.doc.network.predict(np.array([[p.x(), p.y()]]))[0, 0]
    assert text.startswith("x1 = 1")
    assert "x2 = -2" in text
    assert f"P(1) = {expected:.3f}" in text
    # Leaving the plot brings back the hint.
    view.plot_widget.scene().sigMouseMoved.emit(QPointF(-500, -500))
    assert "P(1)" not in view.hover_label.text()
