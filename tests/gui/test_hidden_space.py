"""The hidden-space view: the input plane's grid and the data as a hidden layer sees them."""

import numpy as np
import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTabBar

from nnviz.core.datasets import make_toy
from nnviz.core.project import DatasetRecord
from nnviz.core.spec import DenseSpec
from nnviz.ui.main_window import example_files
from nnviz.ui.model import commands
from nnviz.ui.training.hidden_space import LINES, NEURONS, NO_HIDDEN, PCA, SAMPLES, HiddenSpaceView

from helpers import T, make_doc

SPIRAL_NET = (DenseSpec(6, "tanh"), DenseSpec(5, "relu"), DenseSpec(1, "sigmoid"))


def spiral_doc(*layers):
    doc = make_doc(2, *(layers or SPIRAL_NET))
    commands.set_dataset(doc, DatasetRecord.from_dict({"name": "spiral"}), make_toy("spiral", 120, seed=1))
    return doc


@pytest.fixture
def make_view(qtbot):
    """``make_view(doc)``: a shown HiddenSpaceView, held until teardown (qtbot keeps a weak reference only)."""
    views = []

    def make(doc):
        view = HiddenSpaceView(doc)
        qtbot.addWidget(view)
        views.append(view)
        view.resize(360, 380)
        view.show()
        qtbot.waitExposed(view)
        view.redraw()
        return view

    yield make


def drawn_colours(view) -> set:
    """The distinct colours in the plot's pixels."""
    image = view.plot_widget.grab().toImage()
    return {image.pixel(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}


def hidden_activations(doc, layer):
    """The layer's activations for every data row, from the network's own full trace."""
    return doc.network.trace(doc.data.x)[layer]["a"].astype(np.float64)


def test_the_grid_and_the_data_are_drawn_where_the_layer_puts_them(make_view):
    view = make_view(spiral_doc())
    assert view.reason_empty() is None and view.plot_widget.isVisible() and not view.note.isVisible()
    # Every grid line drawn, unbroken: LINES each way, SAMPLES points each.
    x, _y = view.grid_curve.getData()
    assert np.isfinite(x).sum() == 2 * LINES * SAMPLES
    assert len(view.train_scatter.data) + len(view.val_scatter.data) == 120
    # Two neurons: the points sit at the activations of those neurons, exactly.
    view.axes_combo.setCurrentIndex(view.axes_combo.findData(NEURONS))
    view.x_spin.setValue(3)
    view.y_spin.setValue(5)
    view.redraw()
    a = hidden_activations(view.doc, 0)
    data_xy = view.projected[-120:]
    np.testing.assert_allclose(data_xy, a[:, [2, 4]], atol=1e-5)
    train = np.column_stack(view.train_scatter.getData())
    assert len(train) and all(any(np.allclose(p, q, atol=1e-5) for q in data_xy) for p in train[:5])
    assert view.plot_item.getAxis("bottom").labelText == "neuron 3"
    # A picture of points and lines in the class colours, not an empty frame.
    red, cyan = QColor(view._scheme.negative).rgb(), QColor(view._scheme.positive).rgb()
    assert {red, cyan} <= drawn_colours(view)


def test_principal_components_show_the_datas_main_spread(make_view):
    view = make_view(spiral_doc())
    assert view.axes_mode() == PCA
    a = hidden_activations(view.doc, 0)
    centred = a - a.mean(axis=0)
    xy = view.projected[-120:]
    # The two coordinates are uncorrelated and carry as much of the spread as any two directions can.
    assert abs(np.corrcoef(xy.T)[0, 1]) < 1e-3
    top_two = np.sort(np.linalg.eigvalsh(centred.T @ centred))[-2:].sum()
    np.testing.assert_allclose((xy ** 2).sum(), top_two, rtol=1e-3)
    assert view.plot_item.getAxis("bottom").labelText.startswith("PC 1 (")
    assert view.caption.text().startswith("Hidden 1 seen along its principal components")


def test_choosing_another_layer_or_other_axes_changes_the_picture(make_view, qtbot):
    view = make_view(spiral_doc())
    assert [view.layer_combo.itemText(i) for i in range(view.layer_combo.count())] == ["Hidden 1 · 6 · tanh", "Hidden 2 · 5 · relu"]
    first, first_pixels = view.projected.copy(), view.plot_widget.grab().toImage()
    view.layer_combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.caption.text().startswith("Hidden 2"))
    assert not np.allclose(view.projected, first)
    assert view.plot_widget.grab().toImage() != first_pixels
    pca = view.projected.copy()
    view.axes_combo.setCurrentIndex(view.axes_combo.findData(NEURONS))
    assert view.x_spin.isVisible() and view.y_spin.isVisible()  # the neurons to choose appear
    qtbot.waitUntil(lambda: not np.allclose(view.projected, pca))
    np.testing.assert_allclose(view.projected[-120:], hidden_activations(view.doc, 1)[:, [0, 1]], atol=1e-5)
    view.y_spin.setValue(4)
    a = hidden_activations(view.doc, 1)
    qtbot.waitUntil(lambda: np.allclose(view.projected[-120:, 1], a[:, 3], atol=1e-5))
    assert view.plot_item.getAxis("left").labelText == "neuron 4"
    # The spin boxes never offer a neuron the layer lacks.
    view.layer_combo.setCurrentIndex(0)
    assert view.x_spin.maximum() == 6


def test_the_picture_keeps_its_orientation_when_the_weights_change_a_little(make_view):
    view = make_view(spiral_doc())
    before = view.projected.copy()
    weights = view.doc.network.copy_params()
    weights[0]["weights"] *= 1.02
    view.doc.restore({"params": weights})  # as a run's update lands in the document
    view.redraw()
    # It moved, but no axis flipped or swapped: each point stays close to where it was.
    assert not np.allclose(view.projected, before)
    assert np.abs(view.projected - before).max() < 0.2 * np.abs(before).max()


@pytest.mark.parametrize("inputs, layers, data, words", [
    (4, (DenseSpec(8, "relu"), DenseSpec(3, "softmax")), "iris", ["4 inputs", "4 features", "2-input network"]),
    (2, (DenseSpec(1, "sigmoid"),), "xor", [NO_HIDDEN]),
    (2, SPIRAL_NET, None, ["dataset with 2 features"]),
], ids=["four inputs", "no hidden layer", "no data"])
def test_without_a_plane_or_a_hidden_layer_the_view_says_why_and_what_to_do(make_view, inputs, layers, data, words):
    doc = make_doc(inputs, *layers)
    if data is not None:
        record = DatasetRecord.from_dict({"name": data})
        commands.set_dataset(doc, record, record.load())
    view = make_view(doc)
    assert view.note.isVisible() and not view.plot_widget.isVisible()
    for word in words:
        assert word in view.note.text()
    assert view.projected is None
    # Made to work, the picture comes.
    if data == "xor":
        commands.insert_layer(doc, 0, DenseSpec(3, "tanh"))  # a hidden layer, as a drop from the palette adds it
        view.redraw()
        assert view.plot_widget.isVisible() and view.projected is not None
        assert view.layer_combo.currentText() == "Hidden 1 · 3 · tanh"


def open_spiral_example(window, qtbot):
    path = next(p for p in example_files() if p.stem == "spiral_deep_tanh")
    assert window.open_file(path, ask=False, remember=False)
    qtbot.waitUntil(lambda: window.hidden_space is not None and window.doc.data is not None)


def step(window, qtbot, action="Step"):
    """Train one batch (or, ``"StepEpoch"``, one epoch) and wait until the window has the new weights."""
    run = window.controller.run
    done = run.step or 0  # None before the first run
    window.actions_[action].trigger()
    qtbot.waitUntil(lambda: (run.step or 0) > done and run.state == "paused", timeout=T)


def test_it_waits_in_the_view_menu_and_moves_as_the_network_trains(window, qtbot):
    window.resize(1366, 768)
    window.reset_layout()
    open_spiral_example(window, qtbot)
    dock, view = window.docks["HiddenSpace"], window.hidden_space
    show = window.actions_["ShowHiddenSpace"]
    assert not dock.isVisible() and show in window.view_menu.actions() and not show.isChecked()
    # Hidden: training steps change the weights, and the view does no work.
    step(window, qtbot)
    step(window, qtbot)
    assert view.redraws.count == 0
    width = window.width()
    show.trigger()
    assert dock.isVisible() and window.docks["Boundary"] in window.tabifiedDockWidgets(dock) and show.isChecked()
    assert window.width() == width  # a tab: no room of its own that would widen the window
    qtbot.waitUntil(lambda: view.projected is not None and not view.redraws.hidden, timeout=T)
    assert "Hidden 1" in view.caption.text()
    before, pixels, drawn = view.projected.copy(), view.plot_widget.grab().toImage(), view.redraws.count
    step(window, qtbot, "StepEpoch")
    qtbot.waitUntil(lambda: view.redraws.count > drawn and not np.allclose(view.projected, before), timeout=T)
    qtbot.waitUntil(lambda: view.plot_widget.grab().toImage() != pixels, timeout=T)
    # Behind the boundary's tab: no work again.
    window.docks["Boundary"].raise_()
    qtbot.waitUntil(lambda: view.redraws.hidden)
    drawn, boundary_drawn = view.redraws.count, window.boundary.redraws.count
    step(window, qtbot)
    qtbot.waitUntil(lambda: window.boundary.redraws.count > boundary_drawn, timeout=T)
    assert view.redraws.count == drawn
    # Closed by its tab's button, and shown again from the View menu: in its place.
    dock.close()
    assert not show.isChecked()
    show.trigger()
    assert dock.isVisible() and window.docks["Boundary"] in window.tabifiedDockWidgets(dock) and window.width() == width
    # Reset Layout puts it away again.
    window.reset_layout()
    assert not show.isChecked()
    assert not dock.isVisible() and window.docks["Boundary"].isVisible()

    def bars():  # no tab bar left behind for the put-away tab (Qt keeps unused ones, empty or out of sight)
        return [[bar.tabText(i) for i in range(bar.count())] for bar in window.findChildren(QTabBar)
                if bar.isVisible() and bar.parent() is window and bar.count()]

    qtbot.waitUntil(lambda: not any("Hidden space" in bar or bar == ["Decision boundary"] for bar in bars()), timeout=3000)
