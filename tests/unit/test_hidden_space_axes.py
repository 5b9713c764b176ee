"""nnviz.core.hidden_space: a hidden layer's activations and steady 2-D axes for them."""

import numpy as np

from nnviz.core import DenseSpec, DropoutSpec, Network, NetworkSpec
from nnviz.core.hidden_space import hidden_layers, layer_activations, neuron_axes, principal_axes

SPEC = NetworkSpec(2, (DenseSpec(5, "tanh"), DropoutSpec(0.5), DenseSpec(3, "relu"), DenseSpec(1, "sigmoid")))


def test_hidden_layers_are_every_layer_but_the_output():
    assert list(hidden_layers(SPEC)) == [0, 1, 2]
    assert list(hidden_layers(NetworkSpec(2, (DenseSpec(1, "sigmoid"),)))) == []


def test_activations_are_the_inference_trace_of_that_layer():
    net = Network(SPEC, seed=3)
    x = np.random.default_rng(0).normal(size=(40, 2))
    trace = net.trace(x)
    for layer in hidden_layers(SPEC):
        np.testing.assert_allclose(layer_activations(net, x, layer), trace[layer]["a"], atol=1e-6)


def test_neuron_axes_read_the_two_neurons_as_they_are():
    points = np.arange(12.0).reshape(4, 3)
    np.testing.assert_array_equal(neuron_axes(3, 2, 0).project(points), points[:, [2, 0]])


def test_principal_axes_hold_the_largest_spread_in_order():
    rng = np.random.default_rng(1)
    points = rng.normal(size=(500, 4)) * [0.1, 5.0, 1.0, 0.2] + 7.0
    axes = principal_axes(points)
    xy = axes.project(points)
    assert abs(xy[:, 0].var() / 25.0 - 1) < 0.15 and abs(xy[:, 1].var() - 1) < 0.15
    assert abs(np.corrcoef(xy.T)[0, 1]) < 1e-9
    assert axes.share[0] > axes.share[1] > 0 and sum(axes.share) < 1
    np.testing.assert_allclose(np.linalg.norm(axes.directions, axis=0), 1.0)


def test_principal_axes_keep_their_signs_and_order_from_the_previous_frame():
    t = np.linspace(0, 2 * np.pi, 360, endpoint=False)
    # An ellipse (uncorrelated columns: the components are the coordinate axes), a little depth.
    points = np.column_stack([3.0 * np.cos(t), 2.9 * np.sin(t), 0.5 * np.cos(3 * t)])
    first = principal_axes(points)
    # The same data mirrored: without a previous frame the picture could flip; with it, it does not.
    flipped = principal_axes(-points, first)
    np.testing.assert_allclose(flipped.project(-points), -first.project(points), atol=1e-9)
    assert (np.einsum("ij,ij->j", flipped.directions, first.directions) > 0).all()
    # Two nearly equal spreads trade places: the axes keep following the same directions.
    swapped = points * [2.9 / 3.0, 3.0 / 2.9, 1.0]
    follow = principal_axes(swapped, first)
    assert (np.einsum("ij,ij->j", follow.directions, first.directions) > 0.9).all()
    assert follow.share[0] < follow.share[1]  # the shares follow their axes


def test_a_one_unit_layer_is_a_line_and_silent_data_a_point():
    line = principal_axes(np.arange(5.0)[:, None])
    assert line.project(np.arange(5.0)[:, None])[:, 1].tolist() == [0.0] * 5 and line.share[1] == 0.0
    still = principal_axes(np.ones((10, 3)))
    assert np.isfinite(still.project(np.ones((10, 3)))).all() and still.share == (0.0, 0.0)
