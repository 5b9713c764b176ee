"""Counts that show how they are made, and what doubling or repeating a hidden layer costs."""

import pytest

from nnviz.core import DenseSpec, Network, NetworkSpec
from nnviz.core.counting import count, hidden_dense_layers, variant
from nnviz.core.spec import BatchNormSpec, DropoutSpec

NET_2441 = NetworkSpec(2, (DenseSpec(4, "relu"), DenseSpec(4, "relu"), DenseSpec(1, "sigmoid")))


def test_a_2_4_4_1_network_is_the_sum_of_its_layers():
    c = count(NET_2441)
    assert [layer.formula() for layer in c.layers] == ["2×4 + 4 = 12", "4×4 + 4 = 20", "4×1 + 1 = 5"]
    assert c.formula() == "2×4+4 + 4×4+4 + 4×1+1 = 37"
    assert c.params == 37 == Network(NET_2441).params.size
    assert c.macs == 2 * 4 + 4 * 4 + 4 * 1 == 28
    assert c.memory_bytes(4) == 148 and c.memory_bytes(2) == 74
    assert c.activations == 9 and c.activation_bytes(2) == 18


def test_doubling_the_first_hidden_layer():
    wide = count(variant(NET_2441, 0, "double"))
    assert wide.formula() == "2×8+8 + 8×4+4 + 4×1+1 = 65"
    assert wide.macs == 2 * 8 + 8 * 4 + 4 * 1 == 52


def test_repeating_a_hidden_layer_adds_a_copy_that_reads_its_own_units():
    deep = variant(NET_2441, 1, "repeat")
    assert deep.widths() == [2, 4, 4, 4, 1]
    c = count(deep)
    assert c.formula() == "2×4+4 + 4×4+4 + 4×4+4 + 4×1+1 = 57"
    assert c.params == Network(deep).params.size


def test_batch_norm_and_dropout_in_the_formula():
    spec = NetworkSpec(3, (DenseSpec(5, "relu"), BatchNormSpec(), DropoutSpec(0.2), DenseSpec(2, "softmax")))
    c = count(spec)
    assert [layer.formula() for layer in c.layers] == ["3×5 + 5 = 20", "2×5 = 10", "0", "5×2 + 2 = 12"]
    assert c.formula() == "3×5+5 + 2×5 + 5×2+2 = 42"
    assert c.params == Network(spec).params.size
    assert hidden_dense_layers(spec) == [0]


def test_large_counts_have_thousands_separators():
    c = count(NetworkSpec(784, (DenseSpec(100, "relu"), DenseSpec(10, "softmax"))))
    assert c.layers[0].formula() == "784×100 + 100 = 78,500"


def test_only_hidden_dense_layers_have_variants():
    single = NetworkSpec(2, (DenseSpec(1, "sigmoid"),))
    assert hidden_dense_layers(single) == []
    with pytest.raises(ValueError):
        variant(single, 0, "double")
    with pytest.raises(ValueError):
        variant(NET_2441, 2, "repeat")  # the output layer
    with pytest.raises(ValueError):
        variant(NET_2441, 0, "triple")
