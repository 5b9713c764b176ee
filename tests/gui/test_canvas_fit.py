"""The canvas in the window: it uses the room it gets, its text stays readable, its legend says what it shows."""

from __future__ import annotations

import pytest

from nnviz.ui.canvas import style
from nnviz.ui.main_window import example_files

DEEP = ("spiral_deep_tanh", "vanishing_gradients_8_sigmoid")  # 8 and 9 columns
SIZES = ((1024, 768), (1366, 768), (1920, 1080))


def open_example(window, qtbot, stem, size):
    window.resize(*size)
    assert window.open_file(next(p for p in example_files() if p.stem == stem), ask=False, remember=False)
    view = window.view
    qtbot.waitUntil(lambda: view.scene().frame is not None)
    return view


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("stem", DEEP)
def test_no_label_is_drawn_smaller_than_9_pixels(window, qtbot, stem, size):
    view = open_example(window, qtbot, stem, size)
    smallest = min(style.SMALLEST_TEXT_PX, style.subtitle_font().pixelSize(), style.title_font().pixelSize())
    assert smallest * view.zoom >= style.READABLE_PX - 1e-9
    labels = [c.column for c in view.scene().labels]
    assert [c.caption for c in labels] == ["Input", *(f"Hidden {i}" for i in range(1, len(labels) - 1)), "Output"]
    # Too wide to show whole at that size, it starts at the inputs (the rest is a pan away).
    assert view.viewport().rect().contains(view.mapFromScene(labels[0].label).boundingRect())


@pytest.mark.parametrize("size", SIZES[1:], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_deep_network_fills_the_canvas(window, qtbot, size):
    view = open_example(window, qtbot, "spiral_deep_tanh", size)
    drawn = view.mapFromScene(view.scene().content_rect()).boundingRect()
    room = view.viewport().rect()
    # Fit to width, the old layout left ~60 % of the height empty: now both directions are used.
    assert drawn.width() >= 0.8 * room.width() or drawn.height() >= 0.8 * room.height()
    assert drawn.height() >= 0.55 * room.height()
    assert room.contains(drawn.adjusted(2, 2, -2, -2))  # and all of it is in sight


def test_figures_keep_the_standard_spacing(window, qtbot):
    """The window's layout adapts; an exported figure does not depend on the window's size."""
    from nnviz.ui.canvas.layout import compute_layout

    spec = window.doc.spec
    plain = compute_layout(spec)
    assert [c.pitch for c in plain.columns] == [style.PITCH] * len(plain.columns)
    xs = [c.x for c in plain.columns]
    assert min(b - a for a, b in zip(xs, xs[1:])) >= style.DENSE_GAP or any(c.passes_through for c in plain.columns)


def test_a_legend_under_the_network_says_what_the_colours_mean_and_follows_the_colouring(window, qtbot):
    view = open_example(window, qtbot, "spiral_deep_tanh", (1366, 768))
    legend = view.scene().legend
    assert legend is not None and {"positive weight", "negative weight"} <= set(legend.texts())
    assert any(text.startswith("hidden neuron: its activation over the input plane") for text in legend.texts())
    drawn = view.mapFromScene(legend.sceneBoundingRect()).boundingRect()
    assert view.viewport().rect().contains(drawn)  # in sight with the network
    window.actions_["ColorByGradients"].trigger()  # Ctrl+G: the lines now mean something else, and say so
    assert {"positive gradient", "negative gradient"} <= set(view.scene().legend.texts())
    window.actions_["ColorByGradients"].trigger()
    assert "positive weight" in view.scene().legend.texts()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_2000_unit_layer_keeps_its_labels_readable(window, qtbot, size):
    from nnviz.core import DenseSpec, NetworkSpec
    from nnviz.core.fileformat import NetworkFile
    from nnviz.core.project import Project

    spec = NetworkSpec(784, (DenseSpec(2000, "relu"), DenseSpec(10, "softmax")))
    window.resize(*size)
    window.doc.new(Project.from_file(NetworkFile(spec=spec, params=[None] * len(spec.layers))))
    view = window.view
    qtbot.waitUntil(lambda: len(view.scene().labels) == 3)
    assert min(style.SMALLEST_TEXT_PX, style.subtitle_font().pixelSize()) * view.zoom >= style.READABLE_PX - 1e-9
    wide = view.scene().labels[1].column
    assert wide.elided and wide.detail == "2,000 · relu"  # drawn elided, the true count on its label
    room = view.viewport().rect()
    assert all(room.contains(view.mapFromScene(label.column.label).boundingRect()) for label in view.scene().labels)
