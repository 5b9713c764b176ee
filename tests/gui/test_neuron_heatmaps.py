"""Neuron heatmaps: each hidden neuron of a 2-input network shows what it responds to over the input plane."""

import time

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF
from PySide6.QtGui import QAction, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip

from nnviz.core import Network, count
from nnviz.core.datasets import make_toy
from nnviz.core.spec import BatchNormSpec, DenseSpec, DropoutSpec
from nnviz.ui import settings
from nnviz.ui.widgets import colors
from nnviz.ui.canvas import heatmaps as heat
from nnviz.ui.canvas import style
from nnviz.ui.canvas.heat_discs import heat_discs
from nnviz.ui.canvas.heatmap_popup import IMAGE, HeatmapPopup
from nnviz.ui.canvas.layer_item import LayerColumnItem
from nnviz.core.figure import FigureStyle
from nnviz.ui.io.export import export_image, make_figure
from nnviz.ui.model import commands
from nnviz.ui.model.input_plane import input_plane

from helpers import make_doc, shown_view
from nnviz.core.project import DatasetRecord

LAYERS = (DenseSpec(5, "tanh"), DenseSpec(3, "relu"), DenseSpec(1, "sigmoid"))


def circle_doc(*layers, inputs=2):
    doc = make_doc(inputs, *(layers or LAYERS))
    commands.set_dataset(doc, DatasetRecord.from_dict({"name": "circle"}), make_toy("circle", 80, seed=1))
    return doc


@pytest.fixture
def canvas(qtbot):
    """``canvas(doc)``: a shown canvas held until the test's teardown. qtbot keeps only a weak
    reference, and a view the garbage collector frees while Qt paints it crashes the interpreter."""
    views = []

    def make(doc):
        views.append(shown_view(qtbot, doc))
        return views[-1]

    yield make


@pytest.fixture
def view(canvas):
    return canvas(circle_doc())


def expected(doc, layer, neuron):
    """The neuron's activation over the plane, straight from the network."""
    plane = input_plane(doc, heat.GRID)
    return doc.network.trace(plane.inputs)[layer]["a"][:, neuron].reshape(heat.GRID, heat.GRID)


def new_weights(doc, seed):
    return {"spec": doc.spec, "params": Network(doc.spec, seed=seed).copy_params()}


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return raw.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(image.height(), image.width(), 3)


def hover(qtbot, view, layer, neuron):
    qtbot.mouseMove(view.viewport(), view.mapFromScene(view.scene().neuron_pos(layer, neuron)))


# -- what the neurons show ----------------------------------------------------------------------------


def test_a_hidden_neurons_heatmap_is_its_activation_over_the_plane(view):
    scene, doc = view.scene(), view.doc
    for layer, units in ((0, 5), (1, 3)):
        for neuron in range(units):
            np.testing.assert_array_equal(scene.heatmap_values(layer, neuron), expected(doc, layer, neuron))
    # The input and output columns keep their fills.
    assert scene.heatmap_values(2, 0) is None and scene.heatmap_values(-1, 0) is None
    assert scene.column_item(-1).heatmaps is None and scene.column_item(2).heatmaps is None
    # The picture a neuron is painted with shows those values: x2 up, white at 0, the scheme's hues at ± max |a|.
    values = expected(doc, 0, 1)
    picture = scene.column_item(0).heatmaps[1]
    assert picture.shape == (heat.GRID, heat.GRID, 3)
    shown = picture[::-1].reshape(-1, 3)  # back to the plane's order, rows up in x2
    want = colors.signed_fill(values.ravel(), float(np.abs(values).max()), scene.scheme, heat.LEVELS)
    np.testing.assert_array_equal(shown, want)


def test_neurons_are_painted_with_their_heatmaps_inside_the_outline(view, qtbot):
    scene = view.scene()
    center = view.mapFromScene(scene.neuron_pos(0, 0))
    r = round(scene.column_item(0).column.radius * view.zoom) - 2
    disc = view.viewport().grab().toImage().copy(center.x() - r // 2, center.y() - r // 2, r, r)
    rgb = pixels(disc).reshape(-1, 3).astype(int)
    values = scene.heatmap_values(0, 0)
    assert values.min() < 0 < values.max()  # this neuron changes sign over the plane…
    pos, neg = (colors.hex_rgb(getattr(scene.scheme, k)) for k in ("positive", "negative"))
    # …so its disc holds both hues (deep ones, not the pale shades of a probe fill).
    assert (np.abs(rgb - pos).max(axis=1) < 60).any() and (np.abs(rgb - neg).max(axis=1) < 60).any()


def test_a_neuron_sprite_is_its_picture_inside_its_outline():
    rgb = np.zeros((2, 2, 2, 3), np.uint8)
    rgb[0] = (200, 0, 0)  # all red
    rgb[1, :, 0], rgb[1, :, 1] = (0, 0, 200), (0, 200, 0)  # blue left, green right
    edge = np.array([10, 20, 30])

    def argb(pixels):
        return np.stack([(pixels >> shift) & 255 for shift in (24, 16, 8, 0)], axis=-1).astype(int)

    px = argb(heat_discs(rgb, "dense", 40, 15, 2, edge))
    assert px.shape == (2, 40, 40, 4)
    assert (px[:, 0, 0] == 0).all()  # outside: transparent
    assert px[0, 20, 20].tolist() == [255, 200, 0, 0]  # inside: the picture
    assert px[0, 20, 34].tolist() == [255, 10, 20, 30]  # on the outline (radius 15 ± 1): its colour
    assert px[1, 20, 10].tolist() == [255, 0, 0, 200] and px[1, 20, 29].tolist() == [255, 0, 200, 0]
    # Batch norm: a rounded square, so a point near the corner is inside.
    assert px[0, 32, 32, 0] == 0 and argb(heat_discs(rgb, "batchnorm", 40, 15, 2, edge))[0, 32, 32, 0] == 255
    # Without an outline colour: the inner shape only, for drawing over a vector outline.
    inside = argb(heat_discs(rgb, "dense", 40, 15, 2))
    assert inside[0, 20, 34, 0] == 0 and inside[0, 20, 20].tolist() == [255, 200, 0, 0]


def test_batch_norm_and_dropout_columns_show_heatmaps_too(canvas):
    doc = circle_doc(DenseSpec(4, "relu"), BatchNormSpec(), DropoutSpec(0.3), DenseSpec(1, "sigmoid"))
    view = canvas(doc)
    scene = view.scene()
    for layer in (0, 1, 2):
        assert len(scene.column_item(layer).heatmaps) == 4
        np.testing.assert_array_equal(scene.heatmap_values(layer, 2), expected(doc, layer, 2))
    # Dropout passes its input on at inference: the same picture as the batch norm before it.
    np.testing.assert_array_equal(scene.heatmap_values(2, 1), scene.heatmap_values(1, 1))
    assert not view.viewport().grab().isNull()  # every kind of column paints its pictures


def test_only_drawn_neurons_of_a_wide_layer_get_pictures(canvas):
    doc = circle_doc(DenseSpec(40, "relu"), DenseSpec(1, "sigmoid"))
    view = canvas(doc)
    scene = view.scene()
    column = scene.column_item(0)
    assert column.column.elided and len(column.heatmaps) == len(column.column.neurons) < 40
    np.testing.assert_array_equal(scene.heatmap_values(0, 39), expected(doc, 0, 39))


def test_heatmaps_follow_the_weights(view, qtbot):
    scene, doc = view.scene(), view.doc
    before = scene.heatmap_values(0, 0).copy()
    doc.restore(new_weights(doc, 11))
    qtbot.waitUntil(lambda: not np.array_equal(scene.heatmap_values(0, 0), before), timeout=3000)
    np.testing.assert_array_equal(scene.heatmap_values(0, 0), expected(doc, 0, 0))


def test_slow_heatmaps_drop_to_a_lower_rate_of_their_own(view, qtbot, monkeypatch):
    scene, doc = view.scene(), view.doc
    calls = []
    original = heat.compute

    def slow_compute(*a, **k):  # a network whose tracing takes 30 ms
        calls.append(1)
        time.sleep(0.03)
        return original(*a, **k)

    monkeypatch.setattr(heat, "compute", slow_compute)
    states = [new_weights(doc, seed) for seed in range(30)]
    t0 = time.monotonic()
    for state in states:  # a frame's worth apart, as while training
        doc.restore(state)
        qtbot.wait(16)
    elapsed = time.monotonic() - t0
    qtbot.waitUntil(lambda: np.array_equal(scene.heatmap_values(1, 2), expected(doc, 1, 2)), timeout=3000)  # the last weights win
    # At most half of the time goes into tracing: each 30 ms draw is followed by 60 ms without.
    assert 1 <= len(calls) <= 2 + elapsed / 0.09
    assert len(calls) < len(states)


def test_structure_and_data_changes_redraw_at_once(view):
    scene, doc = view.scene(), view.doc
    from nnviz.ui.model import commands

    commands.insert_layer(doc, 1, DenseSpec(6, "tanh"))  # no waiting: a structural edit draws now
    assert len(scene.column_item(1).heatmaps) == 6
    np.testing.assert_array_equal(scene.heatmap_values(1, 4), expected(doc, 1, 4))
    commands.set_dataset(doc, DatasetRecord.from_dict({"name": "xor"}), make_toy("xor", 50, seed=2))
    np.testing.assert_array_equal(scene.heatmap_values(0, 0), expected(doc, 0, 0))


def test_no_heatmaps_for_three_inputs_or_without_data(canvas):
    three = circle_doc(inputs=3)  # 3 inputs, 2-feature data: no plane
    no_data = make_doc(2, *LAYERS)
    for doc in (three, no_data):
        view = canvas(doc)
        scene = view.scene()
        assert scene.heatmap_refresh.maps is None and scene.heatmap_values(0, 0) is None
        assert all(item.heatmaps is None for item in scene.columns)
    # Neurons look exactly as without the feature.
    plain = canvas(no_data)
    plain.scene().heatmap_refresh.set_enabled(False)
    with_feature = canvas(no_data)
    assert plain.viewport().grab().toImage() == with_feature.viewport().grab().toImage()


def test_data_arriving_later_brings_the_heatmaps_on_bigger_neurons(canvas):
    doc = make_doc(2, *LAYERS)
    view = canvas(doc)
    scene = view.scene()
    plain = [(c.column.radius, c.column.ys.tolist()) for c in scene.columns]
    assert scene.heatmap_refresh.maps is None
    commands.set_dataset(doc, DatasetRecord.from_dict({"name": "circle"}), make_toy("circle", 40))
    assert scene.heatmap_refresh.maps is not None and len(scene.column_item(0).heatmaps) == 5
    # Hidden neurons grow to hold their pictures; the input and output stay as they were.
    # (All of them scaled alike by the room the window gives the drawing.)
    radii = [scene.column_item(i).column.radius for i in (-1, 0, 1, 2)]
    grow = radii[0] / style.RADIUS
    assert radii == pytest.approx([r * grow for r in (style.RADIUS, style.HEATMAP_RADIUS, style.HEATMAP_RADIUS, style.RADIUS)])
    assert scene.column_item(0).column.pitch / scene.column_item(-1).column.pitch == pytest.approx(
        style.HEATMAP_PITCH / style.PITCH)
    commands.set_dataset(doc, None, None)
    assert scene.heatmap_refresh.maps is None and scene.column_item(0).heatmaps is None
    assert [(c.column.radius, c.column.ys.tolist()) for c in scene.columns] == plain


# -- hover: the large view ----------------------------------------------------------------------------


def test_hovering_a_neuron_shows_it_large_beside_it_and_leaving_hides_it(view, qtbot):
    scene = view.scene()
    hover(qtbot, view, 0, 1)
    assert scene.popup_visible
    popup = scene.heatmap_popup
    assert popup.title == "Layer 1 (Dense · 5 · tanh), neuron 2"
    assert popup.caption.startswith("activation over the plane: ")
    assert popup.image.width() >= heat.GRID and popup.image.width() == popup.image.height()
    # Everything the tooltip said is on the card.
    assert popup.details + popup.probe == scene.neuron_tooltip(0, 1).splitlines()[1:]
    # Beside the neuron (and its hover ring), not over it.
    center = view.mapFromScene(scene.neuron_pos(0, 1))
    card = popup.card.translated(center.x(), center.y())
    ring = scene.hover_ring.radius * view.zoom
    assert not card.intersects(QRectF(center.x() - ring, center.y() - ring, 2 * ring, 2 * ring))
    assert card.width() >= IMAGE and QRectF(view.viewport().rect()).contains(card)
    # Zooming in keeps it beside the (now bigger) neuron.
    view.set_zoom(view.zoom * 2, QPointF(center))
    center = view.mapFromScene(scene.neuron_pos(0, 1))
    ring = scene.hover_ring.radius * view.zoom
    card = popup.card.translated(center.x(), center.y())
    assert not card.intersects(QRectF(center.x() - ring, center.y() - ring, 2 * ring, 2 * ring))
    # The tooltip does not pile on top of the card.
    QToolTip.hideText()
    pos = view.mapFromScene(scene.neuron_pos(0, 1))
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    assert not QToolTip.isVisible()

    qtbot.mouseMove(view.viewport(), QPoint(3, 3))  # the background
    assert not scene.popup_visible
    hover(qtbot, view, 1, 0)
    assert scene.popup_visible and "Layer 2" in scene.heatmap_popup.title
    view.leaveEvent(QEvent(QEvent.Type.Leave))  # the pointer leaves the canvas
    assert not scene.popup_visible


def test_the_large_view_is_the_neurons_activation_on_a_finer_grid(view, qtbot):
    scene, doc = view.scene(), view.doc
    hover(qtbot, view, 1, 2)
    n = heat.large_grid(doc)
    plane = input_plane(doc, n)
    values = doc.network.trace(plane.inputs)[1]["a"][:, 2]
    want = heat.heatmap_image(values.reshape(n, n), scene.scheme)
    assert scene.heatmap_popup.image == want
    assert f"{values.min():.4g} to {values.max():.4g}" in scene.heatmap_popup.caption
    # It follows training while it shows.
    doc.restore(new_weights(doc, 5))
    values = doc.network.trace(plane.inputs)[1]["a"][:, 2]
    qtbot.waitUntil(lambda: scene.heatmap_popup.image == heat.heatmap_image(values.reshape(n, n), scene.scheme), timeout=3000)


def test_while_training_the_large_view_uses_a_coarser_grid(view, qtbot, monkeypatch):
    scene, doc = view.scene(), view.doc
    monkeypatch.setattr(heat, "LARGE_BUDGET", 100_000_000)  # so that only the live budget limits
    monkeypatch.setattr(heat, "LIVE_LARGE_BUDGET", 40 * 40 * count(doc.spec).macs)
    assert heat.large_grid(doc) == heat.LARGE_GRID and heat.large_grid(doc, live=True) == 40
    hover(qtbot, view, 1, 1)
    assert scene.popup_visible and scene.heatmap_popup.image.width() == heat.LARGE_GRID
    scene.run.set_state("running")
    doc.restore(new_weights(doc, 6))  # a training update, as far as the scene can tell
    qtbot.waitUntil(lambda: scene.heatmap_popup.image.width() == 40, timeout=3000)
    scene.run.set_state("paused")  # the run stopped (the session's signal): sharp again at once
    assert scene.heatmap_popup.image.width() == heat.LARGE_GRID


def test_output_and_input_neurons_keep_the_tooltip(view, qtbot):
    scene = view.scene()
    for layer in (-1, 2):
        hover(qtbot, view, layer, 0)
        assert not scene.popup_visible
    pos = view.mapFromScene(scene.neuron_pos(2, 0))
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    assert QToolTip.isVisible() and QToolTip.text() == scene.neuron_tooltip(2, 0)
    QToolTip.hideText()


def test_the_card_goes_left_when_there_is_no_room_on_the_right(canvas, qtbot):
    doc = circle_doc()
    view = canvas(doc)
    view.resize(520, 420)  # the last hidden column sits near the right edge
    qtbot.wait(20)
    hover(qtbot, view, 1, 0)
    center = view.mapFromScene(view.scene().neuron_pos(1, 0))
    card = view.scene().heatmap_popup.card
    assert card.right() < 0  # left of the neuron
    assert QRectF(view.viewport().rect()).contains(card.translated(center.x(), center.y()))


# -- the View action ------------------------------------------------------------------------------------


def test_the_view_action_hides_and_shows_the_heatmaps_and_is_remembered(window, qtbot):
    from nnviz.ui.main_window import MainWindow

    act = window.findChild(QAction, "actionNeuronHeatmaps")
    assert act is not None and act.isCheckable() and act.isChecked() and act.text() == "Neuron Heatmaps"
    assert act.toolTip() and act in window.view_menu.actions()
    commands.set_dataset(window.doc, DatasetRecord.from_dict({"name": "circle"}), make_toy("circle", 40))
    scene = window.view.scene()
    assert scene.heatmap_refresh.maps is not None and scene.column_item(0).heatmaps is not None

    act.trigger()
    assert not act.isChecked() and scene.heatmap_refresh.maps is None
    assert all(item.heatmaps is None for item in scene.columns)
    assert settings.neuron_heatmaps() is False
    again = MainWindow()  # the next window starts as this one was left
    try:
        assert not again.findChild(QAction, "actionNeuronHeatmaps").isChecked()
        assert again.view.scene().heatmap_refresh.enabled is False
    finally:
        again.close()
        again.deleteLater()

    act.trigger()
    assert act.isChecked() and scene.heatmap_refresh.maps is not None and len(scene.column_item(0).heatmaps) == 4
    assert settings.neuron_heatmaps() is True


# -- export -----------------------------------------------------------------------------------------------


def test_exports_show_heatmaps_when_asked_and_never_the_popup(view, qtbot, tmp_path):
    doc, scene = view.doc, view.scene()
    export_image(doc, tmp_path / "before.png", heatmaps=True, scale=1)
    hover(qtbot, view, 0, 2)
    assert scene.popup_visible
    export_image(doc, tmp_path / "hovered.png", heatmaps=True, scale=1)
    export_image(doc, tmp_path / "plain.png", heatmaps=False, scale=1)
    before, hovered, plain = (QImage(str(tmp_path / f"{n}.png")) for n in ("before", "hovered", "plain"))
    assert hovered == before  # the card on the canvas is not in the picture
    assert hovered != plain  # the heatmaps are
    still = make_figure(doc, FigureStyle(heatmaps=True))
    assert still.images and not still.notes
    assert any("input plane" in t.text for t in still.texts_of("legend"))
    # SVG: the pictures go in as images.
    export_image(doc, tmp_path / "net.svg", heatmaps=True)
    assert (tmp_path / "net.svg").read_text().count("<image") >= 8


def test_the_export_dialog_follows_the_canvas(qtbot, tmp_path):
    """A document never styled opens the export with the canvas's heatmaps (View ▸ Neuron Heatmaps)."""
    from nnviz.ui.io.export_dialog import ExportDialog

    doc = circle_doc()
    sizes = []
    for on in (True, False):
        settings.set_neuron_heatmaps(on)
        dialog = ExportDialog(doc)
        qtbot.addWidget(dialog)
        assert dialog.style().heatmaps is on
        qtbot.waitUntil(lambda: not dialog.preview.pending and dialog.picture_size() is not None)
        sizes.append(dialog.picture_size())
        assert sizes[-1] == export_image(doc, tmp_path / f"{on}.png", scale=dialog.scale.value(), heatmaps=on)
    assert sizes[1][1] < sizes[0][1]  # the bigger neurons of heatmaps make a taller picture


def test_colour_scheme_recolours_the_heatmaps(view):
    scene = view.scene()
    before = scene.column_item(0).heatmaps[0].copy()
    scene.set_color_scheme("colorblind")
    after = scene.column_item(0).heatmaps[0]
    assert not np.array_equal(after, before)
    blue = colors.hex_rgb(colors.color_scheme("colorblind").positive)
    assert (after.reshape(-1, 3) == blue).all(axis=1).any()


def test_items_stay_one_per_column(view, qtbot):
    hover(qtbot, view, 0, 0)
    kinds = {type(item) for item in view.scene().items()}
    assert LayerColumnItem in kinds and sum(isinstance(i, HeatmapPopup) for i in view.scene().items()) == 1
