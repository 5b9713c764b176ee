"""The canvas as a user meets it: what is drawn, recolouring, elision, selection, hover, drops, zoom."""

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QImage, QPainter, QWheelEvent
from PySide6.QtWidgets import QApplication

from nnviz.core.datasets import Standardization
from nnviz.core.spec import BatchNormSpec, DenseSpec, DropoutSpec
from nnviz.ui.model import commands
from nnviz.ui.canvas import ELIDE_ABOVE, ELIDE_KEEP, NetworkScene, NetworkView
from nnviz.ui.canvas import hit_tests, tooltips
from nnviz.ui.canvas.connections_item import ConnectionsItem
from nnviz.ui.canvas.layer_item import ColumnLabelItem, LayerColumnItem
from nnviz.ui.model.document import Document, Selection
from nnviz.ui.editor.mime import layer_mime

from helpers import drag_event, make_doc, shown_view


def small_doc() -> Document:
    return make_doc(2, DenseSpec(4, "relu"), DenseSpec(4, "relu"), DenseSpec(1, "sigmoid"))


@pytest.fixture
def view(qtbot):
    return shown_view(qtbot, small_doc())


def items_of(scene, kind):
    return [item for item in scene.items() if isinstance(item, kind)]


def view_point(view, scene_pos: QPointF) -> QPoint:
    return view.mapFromScene(scene_pos)


def render(scene) -> QImage:
    rect = scene.export_rect()
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def count_colour(image: QImage, hex_color: str, tolerance: int = 40) -> int:
    ptr = image.constBits()
    pixels = np.frombuffer(ptr, np.uint8, count=image.sizeInBytes()).reshape(image.height(), -1)[:, : image.width() * 4]
    bgra = pixels.reshape(image.height(), image.width(), 4).astype(int)
    target = [int(hex_color[i : i + 2], 16) for i in (5, 3, 1)]  # BGR
    return int((np.abs(bgra[..., :3] - target).max(axis=2) <= tolerance).sum())


# -- what is drawn ----------------------------------------------------------------------------


def test_one_item_per_column_and_one_per_layer_pair_not_per_neuron(view):
    scene = view.scene()
    columns = items_of(scene, LayerColumnItem)
    pairs = items_of(scene, ConnectionsItem)
    assert len(columns) == 4  # input + 3 layers
    assert len(pairs) == 3
    assert sorted(len(p) for p in pairs) == [4, 8, 16]  # every connection, drawn by its pair's item
    per_neuron = [i for i in scene.items() if type(i) not in (LayerColumnItem, ColumnLabelItem, ConnectionsItem)]
    assert len(per_neuron) <= 6, "items per neuron or per connection"  # only the overlays (selection, hover, drop, legend)
    assert [c.column.title for c in scene.columns] == ["Input · 2", "Dense · 4 · relu", "Dense · 4 · relu", "Dense · 1 · sigmoid"]
    assert [c.column.subtitle for c in scene.columns][1:] == ["12 params", "20 params", "5 params"]


def test_input_is_left_and_output_right(view):
    xs = [c.column.x for c in view.scene().columns]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)


def test_connections_carry_every_weight_with_its_sign(view):
    doc = view.doc
    for i, pair in enumerate(view.scene().connections):
        w = doc.network.layer_params(i)["weights"]
        assert np.allclose(pair.values, w[pair.src_idx, pair.dst_idx])
        assert pair.scale == pytest.approx(np.abs(w).max())


def test_params_changed_recolours_without_rebuilding(view):
    scene = view.scene()
    doc = view.doc
    pair = scene.connections[0]
    columns = list(scene.columns)
    line = int(np.nonzero((pair.src_idx == 1) & (pair.dst_idx == 2))[0][0])
    before = np.array(pair.values)
    commands.set_parameter(doc, 0, "weights", (1, 2), -7.5)  # the largest |w| by far, negative
    assert scene.connections[0] is pair and scene.columns == columns, "a weight change rebuilt the items"
    assert pair.values[line] == pytest.approx(-7.5)
    assert pair.scale == pytest.approx(7.5)
    assert pair.line_bins()[line] == 7 and pair.line_negative()[line], "the largest weight is not in the top negative bin"
    assert not np.allclose(before, pair.values)
    doc.undo_stack.undo()
    assert np.allclose(pair.values, before)


def test_probe_fills_neurons_by_activation(view):
    scene = view.scene()
    doc = view.doc
    commands.set_probe(doc, [0.0, 0.0])
    blank = [scene.columns[0].fill_of(i).name() for i in range(2)]
    assert blank == ["#ffffff", "#ffffff"]
    commands.set_probe(doc, [3.0, -3.0])
    pos, neg = (scene.columns[0].fill_of(i) for i in range(2))
    assert pos.blue() > pos.red() and neg.red() > neg.blue(), "input fills do not follow the sign"


def test_structure_change_rebuilds_the_columns(view):
    commands.insert_layer(view.doc, 1, DenseSpec(6, "tanh"))
    scene = view.scene()
    assert len(scene.columns) == 5 and len(scene.connections) == 4
    assert scene.columns[2].column.title == "Dense · 6 · tanh"


def test_dropout_and_batch_norm_pass_values_on_one_to_one(qtbot):
    doc = make_doc(3, DenseSpec(5, "relu"), BatchNormSpec(activation="relu"), DropoutSpec(0.25), DenseSpec(2, "softmax"))
    scene = NetworkScene(doc)
    pairs = scene.connections
    assert [p.identity for p in pairs] == [False, True, True, False]
    assert len(pairs[1]) == 5 and list(pairs[1].src_idx) == list(pairs[1].dst_idx)
    assert scene.columns[2].column.title == "BatchNorm · relu"
    assert scene.columns[3].column.title == "Dropout · 0.25" and scene.columns[3].column.subtitle == "no params"
    # Narrower than a weight gap: no weights live there.
    xs = [c.column.x for c in scene.columns]
    assert xs[3] - xs[2] < xs[1] - xs[0]
    mid = QPointF((xs[2] + xs[3]) / 2, float(scene.columns[2].column.ys[0]))
    assert "passed on (dropout)" in tooltips.text_at(scene, mid)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the engine's own, on NaN arithmetic
def test_a_diverged_network_still_draws(qtbot, tmp_path):
    from nnviz.ui.io.export import export_image

    doc = small_doc()
    state = doc.state("spec", "params")
    state["params"][0]["weights"][0, 0] = np.nan
    state["params"][1]["weights"][1, 1] = np.inf
    doc.restore(state)
    scene = NetworkScene(doc)
    assert np.isfinite(scene.connections[0].values).all() and scene.connections[1].scale > 0
    render(scene)
    export_image(doc, tmp_path / "diverged.png")
    assert QImage(str(tmp_path / "diverged.png")).width() > 0


# -- wide layers ---------------------------------------------------------------------------------


def test_a_784_wide_input_is_elided_with_its_true_count():
    doc = make_doc(784, DenseSpec(16, "relu"), DenseSpec(10, "softmax"))
    scene = NetworkScene(doc)
    column = scene.column_item(-1).column
    assert column.elided and len(column.neurons) == 2 * ELIDE_KEEP
    assert column.title == "Input · 784"
    assert list(column.neurons[:2]) == [0, 1] and column.neurons[-1] == 783
    assert len(scene.connections[0]) == 2 * ELIDE_KEEP * 16, "connections to hidden neurons are drawn"
    assert scene.neuron_pos(-1, 400) is None and scene.neuron_pos(-1, 783) is not None
    assert "neuron 784" in tooltips.text_at(scene, scene.neuron_pos(-1, 783))
    assert len(scene.items()) < 15
    # A 16-wide layer is under the limit and drawn whole.
    assert not scene.column_item(0).column.elided and ELIDE_ABOVE >= 16


def test_full_scene_draws_every_neuron():
    doc = make_doc(784, DenseSpec(16, "relu"), DenseSpec(10, "softmax"))
    scene = NetworkScene(doc, full=True, interactive=False)
    assert len(scene.column_item(-1).column.neurons) == 784
    assert len(scene.connections[0]) == 784 * 16
    assert scene.export_rect().height() < 1600, "every neuron drawn, but the column still fits a page"


# -- selection -------------------------------------------------------------------------------------


def test_selection_in_the_document_highlights_the_column(view):
    scene = view.scene()
    assert not scene.highlight.isVisible()
    view.doc.select(Selection(layer=1))
    assert scene.highlight.isVisible()
    assert scene.highlight.rect.contains(QPointF(scene.column_item(1).column.x, 0))
    assert not scene.selected_ring.isVisible()
    view.doc.select(Selection(layer=0, neuron=2))
    assert scene.highlight.rect.contains(scene.neuron_pos(0, 2))
    assert scene.selected_ring.isVisible() and scene.selected_ring.pos() == scene.neuron_pos(0, 2)
    view.doc.select(Selection())
    assert not scene.highlight.isVisible() and not scene.selected_ring.isVisible()


def test_clicks_select_neurons_columns_and_nothing(view, qtbot):
    scene = view.scene()
    doc = view.doc
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view_point(view, scene.neuron_pos(0, 2)))
    assert doc.selection == Selection(layer=0, neuron=2)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view_point(view, scene.neuron_pos(-1, 1)))
    assert doc.selection == Selection(layer=-1, neuron=1)
    label = scene.column_item(1).column.label.center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view_point(view, label))
    assert doc.selection == Selection(layer=1)
    assert scene.highlight.isVisible()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert doc.selection == Selection()


# -- hover ------------------------------------------------------------------------------------------


def test_neuron_tooltip_shows_bias_sum_and_activation(view):
    doc = view.doc
    commands.set_probe(doc, [0.5, -1.0])
    commands.set_parameter(doc, 0, "bias", (2,), 0.25)
    text = tooltips.text_at(view.scene(), view.scene().neuron_pos(0, 2))
    step = doc.trace()[0]
    assert text.startswith("Layer 1 (Dense · 4 · relu), neuron 3")
    assert "bias b = 0.25" in text
    assert f"weighted sum z = {float(step['z'][0, 2]):.4g}" in text
    assert f"activation a = {float(step['a'][0, 2]):.4g}" in text
    assert "Input neuron 2" in tooltips.text_at(view.scene(), view.scene().neuron_pos(-1, 1))


def test_connection_tooltip_names_both_ends_and_the_weight(view):
    scene = view.scene()
    doc = view.doc
    pair = scene.connections[1]  # layer 1 → layer 2
    line = int(np.nonzero((pair.src_idx == 3) & (pair.dst_idx == 0))[0][0])
    a, b = scene.neuron_pos(0, 3), scene.neuron_pos(1, 0)
    point = a + (b - a) * 0.3
    w = float(doc.network.layer_params(1)["weights"][3, 0])
    text = tooltips.text_at(scene, point)
    assert text.splitlines()[0] == f"layer 1 neuron 4 → layer 2 neuron 1: w = {w:.4g}"
    assert hit_tests.connection_at(scene, point) == (1, line)
    assert tooltips.text_at(scene, QPointF(-500, -500)) == ""


def test_the_input_column_shows_the_probe_as_the_network_sees_it(view):
    """With standardised data the input neurons are filled, and their lines weighed, by the standardised probe."""
    scene, doc = view.scene(), view.doc
    doc.restore({"standardization": Standardization(mean=np.array([1.0, -2.0]), std=np.array([2.0, 4.0]))})
    commands.set_probe(doc, [0.5, -4.0])  # standardised: (-0.25, -0.5)
    assert tooltips.text_at(scene, scene.neuron_pos(-1, 0)).splitlines()[1:] == ["probe value x = 0.5", "standardised = -0.25"]
    fill = scene.columns[0].fill_of(0)
    assert fill.red() > fill.blue(), "the input fill follows the raw probe, not the standardised one"
    pair = scene.connections[0]
    line = int(np.nonzero((pair.src_idx == 1) & (pair.dst_idx == 0))[0][0])
    w = float(doc.network.layer_params(0)["weights"][1, 0])
    assert tooltips.connection_text(scene, 0, line).splitlines()[1] == f"w · a = {w * -0.5:.4g} for the probe input"


def test_tooltip_event_shows_the_scene_text(view):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    pos = view_point(view, view.scene().neuron_pos(1, 2))
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    assert QToolTip.isVisible()
    assert QToolTip.text() == tooltips.neuron_text(view.scene(), 1, 2)
    QToolTip.hideText()


def test_hover_marks_the_neuron_or_connection_under_the_cursor(view, qtbot):
    scene = view.scene()
    qtbot.mouseMove(view.viewport(), view_point(view, scene.neuron_pos(1, 1)))
    assert scene.hover_ring.isVisible() and scene.hover_ring.pos() == scene.neuron_pos(1, 1)
    a, b = scene.neuron_pos(2, 0), scene.neuron_pos(1, 0)  # the lone output's first incoming line
    qtbot.mouseMove(view.viewport(), view_point(view, b + (a - b) * 0.5))
    assert scene.hover_line.isVisible() and not scene.hover_ring.isVisible()


# -- drops from the palette ------------------------------------------------------------------------------


def _drag_events(view, mime, scene_pos: QPointF):
    pos = view_point(view, scene_pos)
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = drag_event(QDragEnterEvent, pos, mime)
    QApplication.sendEvent(view.viewport(), enter)
    move = drag_event(QDragMoveEvent, pos, mime)
    QApplication.sendEvent(view.viewport(), move)
    drop = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, buttons, mods)
    return enter, move, drop


def test_dropping_a_palette_layer_inserts_it_between_the_columns(view):
    scene = view.scene()
    doc = view.doc
    before = doc.spec
    steps = doc.undo_stack.count()
    x = (scene.column_item(0).column.x + scene.column_item(1).column.x) / 2  # between layers 1 and 2
    new = DenseSpec(7, "tanh")
    mime = layer_mime(new)  # the events only point at it: keep it alive
    enter, move, drop = _drag_events(view, mime, QPointF(x + 10, 0))
    assert enter.isAccepted() and move.isAccepted()
    assert scene.drop_marker.isVisible() and scene.drop_marker.index == 1
    assert abs(scene.drop_marker.pos().x() - x) < 1
    QApplication.sendEvent(view.viewport(), drop)
    assert drop.isAccepted()
    assert doc.spec.layers[1] == new and len(doc.spec.layers) == 4
    assert not view.scene().drop_marker.isVisible()
    assert doc.undo_stack.count() == steps + 1, "a drop is one undo step"
    doc.undo_stack.undo()
    assert doc.spec == before


@pytest.mark.parametrize("where, index", [("left", 0), ("right", 3)])
def test_drops_at_the_ends(view, where, index):
    scene = view.scene()
    x = scene.column_item(-1).column.x - 40 if where == "left" else scene.column_item(2).column.x + 60
    mime = layer_mime(DropoutSpec(0.2))
    _, _, drop = _drag_events(view, mime, QPointF(x, 0))
    QApplication.sendEvent(view.viewport(), drop)
    assert view.doc.spec.layers[index] == DropoutSpec(0.2)


def test_a_file_drop_is_left_to_the_main_window(view, tmp_path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "net.nnviz"))])
    spec = view.doc.spec
    enter, move, drop = _drag_events(view, mime, QPointF(0, 0))
    assert not enter.isAccepted() and not move.isAccepted()
    QApplication.sendEvent(view.viewport(), drop)
    assert not drop.isAccepted()
    assert view.doc.spec == spec and not view.scene().drop_marker.isVisible()


def test_plain_text_is_not_a_layer(view):
    mime = QMimeData()
    mime.setText('{"type": "dense", "units": 3}')
    enter, _, _ = _drag_events(view, mime, QPointF(0, 0))
    assert not enter.isAccepted()


# -- zoom and colours --------------------------------------------------------------------------------------


def test_fit_shows_the_whole_network(view):
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.scene().content_rect())


def test_zoom_buttons_and_fit(view):
    fitted = view.zoom
    view.zoom_in()
    assert view.zoom == pytest.approx(fitted * 1.25)
    view.zoom_out()
    view.zoom_out()
    assert view.zoom == pytest.approx(fitted / 1.25)
    view.resize(700, 500)  # no refit once the user has zoomed
    assert view.zoom == pytest.approx(fitted / 1.25)
    view.fit()
    assert view.zoom != pytest.approx(fitted / 1.25)


def test_ctrl_wheel_zooms_around_the_cursor(view):
    cursor = view_point(view, view.scene().neuron_pos(0, 0))
    under = view.mapToScene(cursor)
    zoom = view.zoom
    wheel = QWheelEvent(
        QPointF(cursor), QPointF(view.viewport().mapToGlobal(cursor)), QPoint(0, 0), QPoint(0, 120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom > zoom
    after = view.mapToScene(cursor)
    assert abs(after.x() - under.x()) < 2 / view.zoom + 1 and abs(after.y() - under.y()) < 2 / view.zoom + 1


def test_canvas_draws_the_same_inside_a_window(qtbot):
    """Cached pictures land where they belong when the canvas is not at the window's corner."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    window = QWidget()
    layout = QVBoxLayout(window)
    layout.setContentsMargins(57, 31, 0, 0)
    view = NetworkView(small_doc())
    layout.addWidget(view)
    qtbot.addWidget(window)
    window.resize(900, 560)
    window.show()
    qtbot.waitExposed(window)
    alone = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    corner = view.viewport().mapTo(window, QPoint(0, 0))
    whole = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    inside = whole.copy(corner.x(), corner.y(), alone.width(), alone.height())

    def pixels(image):
        raw = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
        return raw.reshape(image.height(), -1)[:, : image.width() * 4].astype(int)

    difference = np.abs(pixels(alone) - pixels(inside))
    assert (difference > 40).mean() < 0.001, "the canvas draws differently inside a window"


HIDPI = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from nnviz.core.fileformat import NetworkFile
from nnviz.core.spec import DenseSpec, NetworkSpec
from nnviz.core.project import Project
from nnviz.ui.model.document import Document
from nnviz.ui.canvas import NetworkView
spec = NetworkSpec(2, (DenseSpec(4, "relu"), DenseSpec(4, "relu"), DenseSpec(1, "sigmoid")))
view = NetworkView(Document(Project.from_file(NetworkFile(spec=spec, params=[None] * 3))))
view.resize(600, 360)
view.show()
app.processEvents()
view.viewport().grab()
view.doc.params_changed.emit()  # redraw the cached pictures once more
view.viewport().grab().toImage().save(sys.argv[1])
"""


def test_canvas_draws_the_same_at_every_pixel_ratio(tmp_path):
    import os
    import subprocess
    import sys

    images = {}
    for scale in ("1", "2"):
        env = {k: v for k, v in os.environ.items() if k != "QT_SCALE_FACTOR"} | {"QT_SCALE_FACTOR": scale}
        path = tmp_path / f"x{scale}.png"
        done = subprocess.run([sys.executable, "-c", HIDPI, str(path)], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        images[scale] = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    one, two = images["1"], images["2"]
    assert two.width() == 2 * one.width()
    half = two.scaled(one.size(), Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)

    def pixels(image):
        raw = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
        return raw.reshape(image.height(), -1)[:, : image.width() * 4].astype(int)

    assert np.abs(pixels(one) - pixels(half)).mean() < 3, "a high-DPI screen draws the network elsewhere"


def test_colour_blind_scheme_changes_the_weight_colours(qtbot):
    doc = small_doc()
    scene = NetworkScene(doc, activations=False)
    image = render(scene)
    assert count_colour(image, "#0aa3c2") > 20 and count_colour(image, "#e03c3c") > 20
    scene.set_color_scheme("colorblind")
    assert scene.color_scheme == "colorblind"
    image = render(scene)
    assert count_colour(image, "#0072b2") > 20 and count_colour(image, "#e08a00") > 20
    assert count_colour(image, "#0aa3c2", 10) == 0
    with pytest.raises(KeyError):
        scene.set_color_scheme("rainbow")


# -- context menus ------------------------------------------------------------------------------


def menu_names(menu):
    return [a.objectName() if not a.isSeparator() else "-" for a in menu.actions()]


def test_a_layers_context_menu_offers_the_layer_actions_and_the_inspector(window):
    view, doc = window.view, window.doc
    n = len(doc.spec.layers)
    label = view.scene().column_item(0).column.label.center()
    menu = view.menus.menu_at(label)
    assert menu_names(menu) == ["actionDuplicateLayer", "actionDelete", "-", "actionMoveLayerUp",
                                "actionMoveLayerDown", "-", "actionEditInInspector"]
    assert doc.selection == Selection(layer=0)  # the actions act on the layer clicked
    acts = {a.objectName(): a for a in menu.actions()}
    assert acts["actionDuplicateLayer"] is window.actions_["DuplicateLayer"]  # the window's own, not copies
    assert not acts["actionMoveLayerUp"].isEnabled() and acts["actionMoveLayerDown"].isEnabled()
    acts["actionDuplicateLayer"].trigger()
    assert len(doc.spec.layers) == n + 1 and doc.spec.layers[1] == doc.spec.layers[0]

    window.docks["Inspector"].hide()  # closed, or a tab behind another
    assert not window.inspector.isVisible()
    menu = view.menus.menu_at(view.scene().column_item(1).column.label.center())
    next(a for a in menu.actions() if a.objectName() == "actionEditInInspector").trigger()
    assert doc.selection == Selection(layer=1) and window.inspector.isVisible()


def test_the_inputs_context_menu_only_edits_them(window):
    menu = window.view.menus.menu_at(window.view.scene().column_item(-1).column.label.center())
    assert menu_names(menu) == ["actionEditInInspector"]
    assert window.doc.selection == Selection(layer=-1)


def test_a_neurons_context_menu_inspects_it_shows_its_heatmap_and_selects_its_layer(qtbot):
    from test_neuron_heatmaps import circle_doc

    view = shown_view(qtbot, circle_doc())
    scene, doc = view.scene(), view.doc
    menu = view.menus.menu_at(scene.neuron_pos(0, 2))
    assert menu_names(menu) == ["actionInspectNeuron", "actionShowNeuronHeatmap", "-", "actionSelectNeuronLayer"]
    assert doc.selection == Selection()  # nothing happens until an entry is chosen
    acts = {a.objectName(): a for a in menu.actions()}
    acts["actionShowNeuronHeatmap"].trigger()
    assert scene.popup_visible and scene.hover.key == ("neuron", 0, 2)
    acts["actionInspectNeuron"].trigger()
    assert doc.selection == Selection(layer=0, neuron=2)
    acts["actionSelectNeuronLayer"].trigger()
    assert doc.selection == Selection(layer=0)
    # An output neuron shows no heatmap: its menu does not offer one.
    assert "actionShowNeuronHeatmap" not in menu_names(view.menus.menu_at(scene.neuron_pos(2, 0)))


def menu_reader(read):
    """A callback for QTimer.singleShot: once a menu pops up (exec() runs its own loop), ``read`` it and close it."""
    from PySide6.QtCore import QTimer

    def read_and_close_the_menu():
        popup = QApplication.activePopupWidget()
        if popup is None:
            QTimer.singleShot(10, read_and_close_the_menu)
            return
        read(popup)
        popup.close()

    return read_and_close_the_menu


def test_a_right_click_opens_the_menu_of_what_is_under_it(view, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent

    shown = []
    read_and_close_the_menu = menu_reader(lambda popup: shown.append(menu_names(popup)))

    def right_click(scene_pos):
        at = view_point(view, scene_pos)
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, view.viewport().mapToGlobal(at))
        QApplication.sendEvent(view.viewport(), event)

    scene = view.scene()
    QTimer.singleShot(0, read_and_close_the_menu)
    right_click(scene.neuron_pos(1, 0))  # returns once the menu has closed
    assert shown == [["actionInspectNeuron", "-", "actionSelectNeuronLayer"]]
    right_click(QPointF(-10_000, -10_000))  # the background: no menu
    assert QApplication.activePopupWidget() is None and len(shown) == 1


def test_the_menu_key_opens_the_selections_menu_beside_it(view):
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent

    shown = []
    read_and_close_the_menu = menu_reader(lambda popup: shown.append((menu_names(popup), popup.geometry())))

    def menu_key():
        event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(2, 2), view.viewport().mapToGlobal(QPoint(2, 2)))
        QApplication.sendEvent(view.viewport(), event)

    scene = view.scene()
    menu_key()  # nothing selected: no menu
    assert QApplication.activePopupWidget() is None
    view.doc.select(Selection(layer=1, neuron=3))
    QTimer.singleShot(0, read_and_close_the_menu)
    menu_key()
    assert shown[0][0] == ["actionInspectNeuron", "-", "actionSelectNeuronLayer"]
    neuron = view.viewport().mapToGlobal(view_point(view, scene.neuron_pos(1, 3)))
    assert (shown[0][1].topLeft() - neuron).manhattanLength() < 30  # beside the neuron, not at the corner
    view.doc.select(Selection(layer=2))
    QTimer.singleShot(0, read_and_close_the_menu)
    menu_key()
    assert shown[1][0] == ["actionEditInInspector"]  # a standalone canvas has no layer actions of its own
