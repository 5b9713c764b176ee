"""build_figure: every style option changes the figure data as it says."""

import colorsys

import numpy as np
import pytest

from nnviz.core.figure import PRESETS, FigureError, build_figure
from nnviz.core.figure.model import text_box
from nnviz.core.network import Network
from nnviz.core.project import Project
from nnviz.core.shipped import example_path
from nnviz.core.spec import DenseSpec, DropoutSpec, NetworkSpec

PLAIN = PRESETS["default"]


def project(*widths, inputs=2, **kw) -> Project:
    layers = [DenseSpec(w, "tanh") if isinstance(w, int) else w for w in widths]
    return Project(network=Network(NetworkSpec(inputs, tuple(layers), name="test")), **kw)


def example(name: str) -> Project:
    return Project.load(example_path(name))


def column_nodes(fig, column: int):
    return [n for n in fig.nodes if n.column == column and n.role != "bias"]


def weight_edges(fig):
    """Indices of the edges that carry weights (not the grey 1-to-1 links)."""
    return np.flatnonzero(fig.edges.group > 0)


def test_a_plain_network_has_its_neurons_edges_and_captions():
    fig = build_figure(project(4, 3), PLAIN)
    assert [len(column_nodes(fig, c)) for c in range(3)] == [2, 4, 3]
    assert len(fig.edges) == 2 * 4 + 4 * 3
    assert [t.text for t in fig.texts_of("caption")] == ["Input", "Hidden 1", "Output"]
    assert [t.text for t in fig.texts_of("detail")] == ["2 features", "4 · tanh", "3 · tanh"]
    assert len({n.name for n in fig.nodes}) == len(fig.nodes)


def test_everything_lies_inside_the_figure():
    for name in ("iris_4-8-3_softmax", "relu_2-4-4-1_circle"):
        for style in (*PRESETS.values(), PLAIN.replace(direction="up", bias_units=True, labels="math")):
            fig = build_figure(example(name), style)
            for n in fig.nodes:
                assert 0 <= n.x - n.r and n.x + n.r <= fig.width and 0 <= n.y - n.r and n.y + n.r <= fig.height
            for t in fig.texts:
                left, top, right, bottom = text_box(t)
                assert left >= 0 and top >= 0 and right <= fig.width and bottom <= fig.height, t


def test_texts_do_not_overlap():
    fig = build_figure(example("iris_4-8-3_softmax"), PRESETS["slide"].replace(labels="names"))
    boxes = [text_box(t) for t in fig.texts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_direction_up_puts_the_input_at_the_bottom():
    right = build_figure(project(4, 1), PLAIN)
    up = build_figure(project(4, 1), PLAIN.replace(direction="up"))
    assert column_nodes(right, 0)[0].x < column_nodes(right, 2)[0].x
    assert column_nodes(up, 0)[0].y > column_nodes(up, 1)[0].y > column_nodes(up, 2)[0].y
    assert len({round(n.y, 6) for n in column_nodes(up, 1)}) == 1  # a layer is a row


def test_node_size_and_spacings_scale_the_figure():
    small = build_figure(project(4, 1), PLAIN.replace(labels="none", legend=False))
    big = build_figure(project(4, 1), PLAIN.replace(labels="none", legend=False, node_size=28.0, neuron_spacing=40.0))
    assert column_nodes(big, 1)[0].r == pytest.approx(14.0) and column_nodes(small, 1)[0].r == pytest.approx(9.5)
    ys = [n.y for n in column_nodes(big, 1)]
    assert np.diff(ys) == pytest.approx([40.0] * 3)
    wide = build_figure(project(4, 1), PLAIN.replace(labels="none", legend=False, layer_spacing=300.0))
    assert column_nodes(wide, 1)[0].x - column_nodes(wide, 0)[0].x == pytest.approx(300.0)


def test_edge_width_and_opacity_follow_the_weight_or_are_uniform():
    p = example("relu_2-4-4-1_circle")
    fig = build_figure(p, PLAIN)
    w = np.abs(p.network.layer_params(0)["weights"]).ravel()  # input → hidden 1, in drawing order
    first = np.flatnonzero(fig.edges.src < 2)
    order = np.argsort(w)
    assert fig.edges.width[first][order[-1]] > 2 * fig.edges.width[first][order[0]]
    assert fig.edges.rgba[first][order[-1], 3] > fig.edges.rgba[first][order[0], 3]
    assert np.all(np.diff(fig.edges.width[first][order]) >= 0)
    uniform = build_figure(p, PLAIN.replace(edge_width="uniform", edge_opacity="uniform"))
    assert len(set(uniform.edges.width.tolist())) == 1
    assert len(set(uniform.edges.rgba[:, 3].tolist())) == 1


def _saturation(hex_color: str) -> float:
    r, g, b = (int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hsv(r, g, b)[1]


def test_mono_has_no_saturated_colours_and_dashes_negative_weights():
    p = example("relu_2-4-4-1_circle")
    fig = build_figure(p, PRESETS["paper"].replace(legend=True))
    rgb = fig.edges.rgba[:, :3]
    assert np.all(rgb.max(axis=1) - rgb.min(axis=1) < 0.05)
    assert all(_saturation(n.fill) < 0.3 for n in fig.nodes if n.fill != "none")
    assert all(_saturation(line.color) < 0.3 for line in fig.lines)
    w = p.network.layer_params(0)["weights"].ravel()
    first = np.flatnonzero(fig.edges.src < 2)
    assert np.array_equal(fig.edges.dashed[first], w < 0)
    classic = build_figure(p, PLAIN)
    assert not classic.edges.dashed.any() and _saturation("#%02x%02x%02x" % tuple((classic.edges.rgba[0, :3] * 255).astype(int))) > 0.5


def test_bias_units_feed_the_next_layers_units():
    p = project(4, 3)
    fig = build_figure(p, PLAIN.replace(bias_units=True))
    biases = [n for n in fig.nodes if n.role == "bias"]
    assert [b.column for b in biases] == [0, 1]  # every layer but the output
    for b in biases:
        i = fig.nodes.index(b)
        targets = {fig.nodes[d].name for d in fig.edges.dst[fig.edges.src == i]}
        assert targets == {n.name for n in column_nodes(fig, b.column + 1)}
    assert len(fig.edges) == (2 + 1) * 4 + (4 + 1) * 3
    assert [t.text for t in fig.texts_of("bias")] == ["+1", "+1"]
    assert not [n for n in build_figure(p, PLAIN).nodes if n.role == "bias"]


def test_arrowheads_are_recorded_for_the_renderers():
    assert build_figure(project(2), PLAIN).edges.arrow == "none"
    assert build_figure(project(2), PLAIN.replace(arrowheads="open")).edges.arrow == "open"


def test_math_labels_name_inputs_hidden_units_and_outputs():
    fig = build_figure(project(3, 2, inputs=2), PLAIN.replace(labels="math", node_size=26.0))
    labels = {t.text: t.math for t in fig.texts_of("label")}
    assert labels["x₁"] == "x_{1}" and labels["x₂"] == "x_{2}"
    assert labels["h⁽¹⁾₃"] == "h^{(1)}_{3}"
    assert labels["ŷ₂"] == "\\hat{y}_{2}"


def test_names_labels_use_the_files_names_else_math():
    iris = build_figure(example("iris_4-8-3_softmax"), PLAIN.replace(labels="names"))
    assert {t.text for t in iris.texts_of("name")} >= {"sepal_length", "petal_width", "setosa", "virginica"}
    unnamed = build_figure(project(2), PLAIN.replace(labels="names"))
    assert {t.text for t in unnamed.texts_of("label")} >= {"x₁", "ŷ₁"}
    bare = build_figure(example("iris_4-8-3_softmax"), PLAIN.replace(labels="none", legend=False))
    assert bare.texts == []


def test_node_colours_by_role_by_layer_or_plain():
    p = project(4, 4, 4, 1)
    by_layer = build_figure(p, PLAIN.replace(node_colors="layer"))
    fills = [column_nodes(by_layer, c)[0].fill for c in range(5)]
    assert len(set(fills)) == 5
    by_role = build_figure(p, PLAIN.replace(node_colors="role"))
    fills = [column_nodes(by_role, c)[0].fill for c in range(5)]
    assert fills[1] == fills[2] == fills[3] and len({fills[0], fills[1], fills[4]}) == 3
    plain = build_figure(p, PLAIN)
    assert {n.fill for n in plain.nodes} == {"#ffffff"}


def test_the_legend_comes_and_goes():
    on = build_figure(project(30, 1), PLAIN.replace(legend=True))
    off = build_figure(project(30, 1), PLAIN.replace(legend=False))
    texts = [t.text for t in on.texts_of("legend")]
    assert "positive weight" in texts and "neurons not drawn" in texts
    assert off.texts_of("legend") == [] and off.height < on.height
    nn_svg = build_figure(project(3), PRESETS["nn-svg"].replace(legend=True))
    assert "positive weight" not in [t.text for t in nn_svg.texts_of("legend")]  # one grey: no sign to explain


def test_heatmaps_picture_the_hidden_neurons_when_there_is_a_plane():
    p = example("relu_2-4-4-1_circle")
    on = build_figure(p, PLAIN.replace(heatmaps=True))
    hidden = [n for n in on.nodes if n.role == "hidden"]
    centres = {(round(n.x, 3), round(n.y, 3)) for n in hidden}
    pictured = [im for im in on.images if (round(im.x + im.w / 2, 3), round(im.y + im.h / 2, 3)) in centres]
    assert len(pictured) == len(hidden) == 8
    assert all(n.fill == "none" for n in hidden)
    assert any(len(np.unique(im.rgba.reshape(-1, 4), axis=0)) > 20 for im in on.images)
    assert any("input plane" in t.text for t in on.texts_of("legend"))
    assert build_figure(p, PLAIN).images == []
    no_plane = build_figure(example("iris_4-8-3_softmax"), PLAIN.replace(heatmaps=True))
    assert no_plane.images == [] and no_plane.notes


def test_activations_fill_the_neurons_for_the_probe():
    p = example("spiral_deep_tanh")
    fig = build_figure(p, PLAIN.replace(activations=True))
    assert len({n.fill for n in fig.nodes if n.role != "legend"}) > 20
    assert {n.fill for n in build_figure(p, PLAIN).nodes if n.role != "legend"} == {"#ffffff"}
    assert any("probe" in t.text for t in fig.texts_of("legend"))


def test_wide_layers_are_elided_unless_full_and_huge_full_figures_refused():
    p = project(1000, 10, inputs=784)
    fig = build_figure(p, PLAIN)
    assert len(column_nodes(fig, 0)) == len(column_nodes(fig, 1)) == 10
    assert [n.index for n in column_nodes(fig, 1)][-1] == 999
    assert len(fig.elisions) == 3 - 1 + 1  # the input, the hidden layer and the legend's swatch
    assert [t.text for t in fig.texts_of("detail")][:2] == ["784 features", "1,000 · tanh"]
    full = build_figure(project(30, 2), PLAIN.replace(full=True))
    assert len(column_nodes(full, 1)) == 30 and not [e for e in full.elisions if e.x > 0 and e.size > 10]
    with pytest.raises(FigureError, match="turn off 'every neuron'"):
        build_figure(project(20000, 100, inputs=784), PLAIN.replace(full=True))


def test_pass_through_layers_link_one_to_one_in_grey():
    fig = build_figure(project(4, DropoutSpec(0.5), 2), PLAIN)
    grey = np.flatnonzero(fig.edges.group == 0)
    assert len(grey) == 4
    assert all(fig.nodes[s].index == fig.nodes[d].index for s, d in zip(fig.edges.src[grey], fig.edges.dst[grey]))
    assert len(weight_edges(fig)) == 2 * 4 + 4 * 2


def test_background():
    assert build_figure(project(2), PLAIN).background == "#ffffff"
    assert build_figure(project(2), PLAIN.replace(background="transparent")).background is None
    assert build_figure(project(2), PLAIN.replace(background="#102030")).background == "#102030"
