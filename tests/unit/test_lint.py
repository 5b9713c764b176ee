"""Design warnings: every rule fires on a network with the problem and stays quiet on a close one without."""

import re
from pathlib import Path

import numpy as np
import pytest

from nnviz.core import BatchNormSpec, DenseSpec, DropoutSpec, Network, NetworkSpec, TrainConfig, train
from nnviz.core.datasets import TOY_DATASETS, load_real, make_toy
from nnviz.core.lint import (
    DEAD_RELU_ROWS, RULES, VANISHING_LAYERS, DesignWarning, format_warning, lint,
)

D = DenseSpec


def net_spec(*layers, inputs=2):
    return NetworkSpec(inputs, layers)


def standard_x(n=200, features=2, seed=0):
    x = np.random.default_rng(seed).normal(size=(n, features))
    return (x - x.mean(axis=0)) / x.std(axis=0)


def codes(warnings):
    return [(w.code, w.layer, w.severity) for w in warnings]


def only(warnings, code):
    return [w for w in warnings if w.code == code]


def copied_units_network():
    """A 2-3-1 tanh network whose hidden units are exact copies (set by hand, spec says random)."""
    net = Network(net_spec(D(3, "tanh"), D(1, "sigmoid")), seed=0)
    net.set_layer_state(0, weights=[[0.5] * 3, [-0.2] * 3], bias=[0.1] * 3)
    net.set_layer_state(1, weights=[[0.3]] * 3)
    return net


def dead_network(biases=(-100, 0, 0, -100), activation="relu"):
    """A 2-4-1 network whose hidden units with a bias of -100 never fire on standardised inputs."""
    net = Network(net_spec(D(4, activation), D(1, "sigmoid")), seed=0)
    net.set_layer_state(0, bias=biases)
    return net


# Each case: (lint keyword arguments, the (code, layer, severity) expected for that rule).
FIRING = {
    "softmax-hidden": dict(spec=net_spec(D(4, "softmax"), D(1, "sigmoid"))),
    "softmax-hidden/before-batchnorm-output": dict(spec=net_spec(D(4, "softmax"), BatchNormSpec(activation="sigmoid"))),
    "linear-collapse": dict(spec=net_spec(D(4, "linear"), D(1, "sigmoid"))),
    "linear-collapse/through-dropout": dict(spec=net_spec(D(4, "linear"), DropoutSpec(0.3), D(1, "sigmoid"))),
    "output-mismatch/bce-tanh": dict(spec=net_spec(D(4), D(1, "tanh")), loss="bce"),
    "output-mismatch/bce-softmax": dict(spec=net_spec(D(4), D(3, "softmax")), loss="bce"),
    "output-mismatch/cce-sigmoid": dict(spec=net_spec(D(4), D(3, "sigmoid")), loss="cce"),
    "output-mismatch/softmax-one-unit": dict(spec=net_spec(D(4), D(1, "softmax"))),
    "output-mismatch/regression-softmax": dict(spec=net_spec(D(4), D(3, "softmax")), loss="mse", task="regression"),
    "output-mismatch/regression-bce": dict(spec=net_spec(D(4), D(1, "sigmoid")), loss="bce", task="regression"),
    "output-mismatch/regression-auto-sigmoid": dict(spec=net_spec(D(4), D(1, "sigmoid")), task="regression"),
    "output-mismatch/regression-sigmoid-mse": dict(spec=net_spec(D(4), D(1, "sigmoid")), loss="mse", task="regression"),
    "output-mismatch/classification-linear-mse": dict(spec=net_spec(D(4), D(1, "linear")), task="classification"),
    "vanishing-gradients": dict(spec=net_spec(
        D(4, "tanh"), D(4, "relu"), D(4, "sigmoid"), D(4, "tanh"), DropoutSpec(0.1), D(4, "tanh"),
        D(4, "relu"), D(4, "sigmoid"), D(1, "sigmoid"))),
    "zero-init/relu": dict(spec=net_spec(D(4, "relu", "zeros"), D(1, "sigmoid"))),
    "zero-init/zeros-into-zeros": dict(spec=net_spec(D(4, "sigmoid", "zeros"), D(1, "sigmoid", "zeros"))),
    "zero-init/zeros-into-zeros-through-batchnorm": dict(spec=net_spec(
        D(4, "tanh", "zeros"), BatchNormSpec(), D(1, "sigmoid", "zeros"))),
    "zero-init/zeros-into-random": dict(spec=net_spec(D(4, "tanh", "zeros"), D(1, "sigmoid"))),
    "zero-init/copied-units": dict(spec=copied_units_network().spec, network=copied_units_network()),
    "unscaled-inputs/mean": dict(spec=net_spec(D(1, "sigmoid")), x=standard_x() + [0, 50]),
    "unscaled-inputs/std": dict(spec=net_spec(D(1, "sigmoid")), x=standard_x() * [20, 1]),
    "unscaled-inputs/constant-offset": dict(spec=net_spec(D(1, "sigmoid")),
                                            x=np.column_stack([standard_x()[:, 0], np.full(200, 7.0)])),
    "unscaled-inputs/tiny-std": dict(spec=net_spec(D(1, "sigmoid")), x=standard_x() * [1, 0.001]),
    "unscaled-inputs/iris-raw": dict(spec=net_spec(D(3, "softmax"), inputs=4), x=load_real("iris", standardize=False).x),
    # 2*100 + 100 + 100*1 + 1 = 401 parameters.
    "too-many-params": dict(spec=net_spec(D(100), D(1, "sigmoid")), n_train=40),
    "dead-relu": dict(spec=dead_network().spec, network=dead_network(), x=standard_x()),
    "dead-relu/all": dict(spec=dead_network().spec, network=dead_network([-100] * 4), x=standard_x()),
}
EXPECTED = {
    "softmax-hidden": ("softmax-hidden", 0, "warning"),
    "softmax-hidden/before-batchnorm-output": ("softmax-hidden", 0, "warning"),
    "linear-collapse": ("linear-collapse", 0, "warning"),
    "linear-collapse/through-dropout": ("linear-collapse", 0, "warning"),
    "output-mismatch/bce-tanh": ("output-mismatch", 1, "warning"),
    "output-mismatch/bce-softmax": ("output-mismatch", 1, "warning"),
    "output-mismatch/cce-sigmoid": ("output-mismatch", 1, "warning"),
    "output-mismatch/softmax-one-unit": ("output-mismatch", 1, "warning"),
    "output-mismatch/regression-softmax": ("output-mismatch", 1, "warning"),
    "output-mismatch/regression-bce": ("output-mismatch", 1, "warning"),
    "output-mismatch/regression-auto-sigmoid": ("output-mismatch", 1, "info"),
    "output-mismatch/regression-sigmoid-mse": ("output-mismatch", 1, "info"),
    "output-mismatch/classification-linear-mse": ("output-mismatch", 1, "info"),
    "vanishing-gradients": ("vanishing-gradients", 0, "warning"),
    "zero-init/relu": ("zero-init", 0, "warning"),
    "zero-init/zeros-into-zeros": ("zero-init", 0, "warning"),
    "zero-init/zeros-into-zeros-through-batchnorm": ("zero-init", 0, "warning"),
    "zero-init/zeros-into-random": ("zero-init", 0, "info"),
    "zero-init/copied-units": ("zero-init", 0, "warning"),
    "unscaled-inputs/mean": ("unscaled-inputs", None, "warning"),
    "unscaled-inputs/std": ("unscaled-inputs", None, "warning"),
    "unscaled-inputs/constant-offset": ("unscaled-inputs", None, "warning"),
    "unscaled-inputs/tiny-std": ("unscaled-inputs", None, "info"),
    "unscaled-inputs/iris-raw": ("unscaled-inputs", None, "warning"),
    "too-many-params": ("too-many-params", None, "warning"),
    "dead-relu": ("dead-relu", 0, "warning"),
    "dead-relu/all": ("dead-relu", 0, "warning"),
}

# Close cases that must stay quiet for the named rule.
QUIET = {
    "softmax-hidden/softmax-output": ("softmax-hidden", dict(spec=net_spec(D(4), D(3, "softmax")))),
    "softmax-hidden/softmax-output-then-dropout": ("softmax-hidden", dict(spec=net_spec(D(4), D(3, "softmax"), DropoutSpec(0.2)))),
    "linear-collapse/batchnorm-between": ("linear-collapse", dict(spec=net_spec(D(4, "linear"), BatchNormSpec(), D(1, "sigmoid")))),
    "linear-collapse/relu-then-linear-output": ("linear-collapse", dict(spec=net_spec(D(4, "relu"), D(1, "linear")))),
    "output-mismatch/bce-sigmoid": ("output-mismatch", dict(spec=net_spec(D(4), D(1, "sigmoid")), loss="bce", task="classification")),
    "output-mismatch/cce-softmax": ("output-mismatch", dict(spec=net_spec(D(4), D(3, "softmax")), task="classification")),
    "output-mismatch/mse-linear-regression": ("output-mismatch", dict(spec=net_spec(D(4), D(1, "linear")), task="regression")),
    "output-mismatch/mse-relu-regression": ("output-mismatch", dict(spec=net_spec(D(4), D(1, "relu")), task="regression")),
    "output-mismatch/sigmoid-mse-classification": ("output-mismatch", dict(spec=net_spec(D(4), D(1, "sigmoid")), loss="mse", task="classification")),
    "output-mismatch/tanh-no-task": ("output-mismatch", dict(spec=net_spec(D(4), D(1, "tanh")))),
    "vanishing-gradients/four": ("vanishing-gradients", dict(spec=net_spec(
        D(4, "tanh"), D(4, "sigmoid"), D(4, "tanh"), D(4, "sigmoid"), D(1, "sigmoid")))),
    "vanishing-gradients/five-relu": ("vanishing-gradients", dict(spec=net_spec(*[D(4, "relu")] * 5, D(1, "sigmoid")))),
    "zero-init/output-layer": ("zero-init", dict(spec=net_spec(D(4), D(1, "sigmoid", "zeros")))),
    "zero-init/logistic-regression": ("zero-init", dict(spec=net_spec(D(1, "sigmoid", "zeros")))),
    "zero-init/random-network": ("zero-init", dict(spec=net_spec(D(3, "tanh"), D(1, "sigmoid")),
                                                   network=Network(net_spec(D(3, "tanh"), D(1, "sigmoid")), seed=0))),
    "zero-init/copied-units-dropout-between": ("zero-init", dict(
        spec=net_spec(D(3, "tanh"), DropoutSpec(0.5), D(1, "sigmoid")),
        network=(lambda n: (n.set_layer_state(0, weights=np.ones((2, 3))), n.set_layer_state(2, weights=np.ones((3, 1))), n)[-1])(
            Network(net_spec(D(3, "tanh"), DropoutSpec(0.5), D(1, "sigmoid")), seed=0)))),
    "zero-init/copies-in-but-not-out": ("zero-init", dict(
        spec=net_spec(D(3, "tanh"), D(1, "sigmoid")),
        network=(lambda n: (n.set_layer_state(0, weights=np.ones((2, 3))), n)[-1])(Network(net_spec(D(3, "tanh"), D(1, "sigmoid")), seed=0)))),
    "unscaled-inputs/standardised": ("unscaled-inputs", dict(spec=net_spec(D(1, "sigmoid")), x=standard_x())),
    "unscaled-inputs/playground-range": ("unscaled-inputs", dict(spec=net_spec(D(1, "sigmoid")), x=standard_x() * 3.4 + 2.5)),
    "unscaled-inputs/constant-zero": ("unscaled-inputs", dict(spec=net_spec(D(1, "sigmoid")),
                                                              x=np.column_stack([standard_x()[:, 0], np.zeros(200)]))),
    "unscaled-inputs/iris-standardised": ("unscaled-inputs", dict(spec=net_spec(D(3, "softmax"), inputs=4), x=load_real("iris").x)),
    "too-many-params/just-enough-rows": ("too-many-params", dict(spec=net_spec(D(100), D(1, "sigmoid")), n_train=41)),
    "dead-relu/alive": ("dead-relu", dict(spec=dead_network([0] * 4).spec, network=dead_network([0] * 4), x=standard_x())),
    "dead-relu/leaky": ("dead-relu", dict(spec=dead_network(activation="leaky_relu").spec,
                                          network=dead_network(activation="leaky_relu"), x=standard_x())),
    "dead-relu/no-x": ("dead-relu", dict(spec=dead_network().spec, network=dead_network())),
}


@pytest.mark.parametrize("case", list(FIRING))
def test_rule_fires(case):
    kwargs = dict(FIRING[case])
    warnings = lint(kwargs.pop("spec"), **kwargs)
    code = EXPECTED[case][0]
    assert codes(only(warnings, code)) == [EXPECTED[case]]


@pytest.mark.parametrize("case", list(QUIET))
def test_rule_stays_quiet(case):
    code, kwargs = QUIET[case]
    kwargs = dict(kwargs)
    assert only(lint(kwargs.pop("spec"), **kwargs), code) == []


def test_every_rule_has_a_firing_case():
    assert {EXPECTED[case][0] for case in FIRING} == set(RULES)
    assert all(code.split("/")[0] in RULES for code in QUIET)


def all_firing_warnings():
    out = []
    for case, kwargs in FIRING.items():
        kwargs = dict(kwargs)
        out += lint(kwargs.pop("spec"), **kwargs)
    return out


def test_messages_read_well_in_a_status_strip():
    for w in all_firing_warnings():
        m = w.message
        assert m == m.strip() and "  " not in m and "\n" not in m, m
        assert m.endswith(".") and (m[0].isupper() or m[0].isdigit()), m
        assert not re.search(r"\.\s+[A-Z]", m), f"more than one sentence: {m}"
        # A message never names its own layer; format_warning does.
        if w.layer is not None:
            assert f"layer {w.layer + 1} " not in m + " " and f"layer {w.layer + 1})" not in m, m


def test_layer_numbers_in_text_count_from_one():
    spec = net_spec(D(4, "relu"), DropoutSpec(0.2), D(4, "linear"), DropoutSpec(0.2), D(1, "sigmoid"))
    [w] = lint(spec)
    assert (w.code, w.layer) == ("linear-collapse", 2)
    assert "(layer 5)" in w.message  # spec.layers[4]: dropout layers are counted too
    assert format_warning(w) == f"layer 3: {w.message}"


def test_format_warning_without_a_layer_is_the_message():
    [w] = lint(net_spec(D(1, "sigmoid")), x=standard_x() + [0, 50])
    assert w.layer is None and format_warning(w) == w.message
    assert "feature 2" in w.message.lower() and "feature 1" not in w.message.lower()


def test_messages_carry_the_numbers():
    [w] = only(lint(**FIRING["vanishing-gradients"]), "vanishing-gradients")
    assert "5 hidden layers" in w.message
    [w] = lint(**FIRING["too-many-params"])
    assert "401 trainable parameters" in w.message and "40 training rows" in w.message
    [w] = only(lint(**FIRING["dead-relu"]), "dead-relu")
    assert w.message.startswith("2 of 4 ReLU units never fire")
    [w] = only(lint(**FIRING["dead-relu/all"]), "dead-relu")
    assert w.message.startswith("All 4 ReLU units never fire")
    [w] = lint(**FIRING["output-mismatch/regression-bce"])
    assert "for regression use mean squared error" in w.message
    # "auto" picks mean squared error for regression, as training does: only the sigmoid's range is left to say.
    [w] = lint(**FIRING["output-mismatch/regression-auto-sigmoid"])
    assert "between 0 and 1" in w.message and "cross-entropy" not in w.message
    [w] = only(lint(**FIRING["linear-collapse/through-dropout"]), "linear-collapse")
    assert "layer 3" in w.message
    [w] = lint(**FIRING["unscaled-inputs/std"])
    assert "(mean 0, standard deviation 20)" in w.message  # not "mean -9.6e-16"
    [w] = lint(**FIRING["unscaled-inputs/tiny-std"])
    assert "(standard deviation 0.001)" in w.message


def test_only_one_output_mismatch_per_network():
    # softmax with one unit, cce and a regression task: three problems, one warning, the root one.
    [w] = lint(net_spec(D(4), D(1, "softmax")), loss="cce", task="regression")
    assert w.code == "output-mismatch" and "single unit" in w.message


def test_unscaled_inputs_names_every_far_feature_and_the_worst():
    x = standard_x(features=4) * [1, 20, 1, 1] + [0, 0, 0, -400]
    [w] = lint(net_spec(D(1, "sigmoid"), inputs=4), x=x)
    assert "features 2 and 4" in w.message and "feature 4 has mean -400" in w.message


def test_unscaled_inputs_far_and_flat_are_two_warnings():
    x = standard_x(features=3) * [1, 0.001, 1] + [0, 0, 100]
    ws = lint(net_spec(D(1, "sigmoid"), inputs=3), x=x)
    assert codes(ws) == [("unscaled-inputs", None, "warning"), ("unscaled-inputs", None, "info")]
    assert "feature 3" in ws[0].message and "feature 2" in ws[1].message


@pytest.mark.parametrize("name", list(TOY_DATASETS))
def test_playground_toy_inputs_are_not_flagged(name):
    d = make_toy(name, 500, noise=0.5, seed=1)
    assert lint(net_spec(D(4), D(1, "sigmoid")), x=d.x) == []


def test_raw_wine_is_flagged():
    wine = load_real("wine", standardize=False)
    [w] = lint(NetworkSpec(wine.n_features, (D(3, "softmax"),)), x=wine.x)
    assert w.code == "unscaled-inputs"


def test_dead_relu_samples_rows_across_the_whole_input():
    # Sorted data where one unit fires only on the last tenth of the rows: the
    # rows are thinned evenly, so that unit is not reported dead.
    n = DEAD_RELU_ROWS * 5
    x = np.column_stack([np.linspace(-1, 1, n), np.zeros(n)])
    net = Network(net_spec(D(1, "relu"), D(1, "sigmoid")), seed=0)
    net.set_layer_state(0, weights=[[1.0], [0.0]], bias=[-0.8])
    assert only(lint(net.spec, network=net, x=x), "dead-relu") == []
    net.set_layer_state(0, bias=[-1.5])
    [w] = only(lint(net.spec, network=net, x=x), "dead-relu")
    assert w.message.startswith("Its only ReLU unit never fires")


def test_dead_relu_is_per_layer():
    spec = net_spec(D(4), D(4), D(1, "sigmoid"))
    net = Network(spec, seed=0)
    net.set_layer_state(0, bias=[-100, 0, 0, 0])
    net.set_layer_state(1, bias=[-100, -100, -100, 0])
    ws = only(lint(spec, network=net, x=standard_x()), "dead-relu")
    assert [w.layer for w in ws] == [0, 1]
    assert ws[0].message.startswith("1 of 4 ReLU units never fires")
    assert ws[1].message.startswith("3 of 4 ReLU units")


def test_zero_init_rule_matches_what_training_does():
    """The three zero-init verdicts describe what actually happens when the network trains."""
    d = make_toy("circle", 200, seed=1)
    x = (d.x - d.x.mean(axis=0)) / d.x.std(axis=0)

    def trained_first_layer(spec):
        net = Network(spec, seed=0, dtype=np.float64)
        list(train(net, x, d.y, TrainConfig(epochs=5, val_split=0)))
        return net.layer_params(0)["weights"]

    dead = trained_first_layer(FIRING["zero-init/relu"]["spec"])
    assert np.all(dead == 0)  # warning: never learns
    copies = trained_first_layer(FIRING["zero-init/zeros-into-zeros"]["spec"])
    assert np.any(copies != 0) and np.all(copies == copies[:, :1])  # warning: learns, but as copies
    apart = trained_first_layer(FIRING["zero-init/zeros-into-random"]["spec"])
    assert len(np.unique(apart[0])) == apart.shape[1]  # info: the units do come apart


def test_zero_init_is_reported_once_per_layer():
    spec = net_spec(D(4, "sigmoid", "zeros"), D(1, "sigmoid", "zeros"))
    ws = lint(spec, network=Network(spec, seed=0))
    assert codes(ws) == [("zero-init", 0, "warning")]


def test_ordering_by_layer_with_none_first_then_rule():
    spec = net_spec(
        D(8, "tanh", "zeros"), D(8, "softmax"), D(8, "sigmoid"), D(8, "tanh"), D(8, "linear"),
        D(8, "sigmoid"), D(8, "tanh"), D(2, "tanh"))
    x = standard_x() + [0, 50]
    ws = lint(spec, loss="bce", n_train=10, x=x)
    assert [(w.layer, w.code) for w in ws] == [
        (None, "unscaled-inputs"),
        (None, "too-many-params"),
        (0, "vanishing-gradients"),
        (0, "zero-init"),
        (1, "softmax-hidden"),
        (4, "linear-collapse"),
        (7, "output-mismatch"),
    ]
    [vanish] = only(ws, "vanishing-gradients")
    assert f"{VANISHING_LAYERS} hidden layers" in vanish.message


def good_network_case(seed=0):
    spec = net_spec(D(4, "relu"), D(4, "relu"), D(1, "sigmoid"))
    d = make_toy("circle", 300, noise=0.1, seed=seed)
    x = (d.x - d.x.mean(axis=0)) / d.x.std(axis=0)
    return spec, x, d.y


def test_a_good_network_gets_no_warnings_before_and_after_training():
    spec, x, y = good_network_case()
    net = Network(spec, seed=0)
    kwargs = dict(loss="bce", task="classification", n_train=len(x), x=x, network=net)
    assert lint(spec, **kwargs) == []
    assert lint(spec, loss="auto", task="classification", n_train=len(x), x=x) == []
    list(train(net, x, y, TrainConfig(epochs=20, val_split=0)))
    # Small ReLU layers can lose a unit while training; that, and only that, may be reported, and truly.
    after = lint(spec, **kwargs)
    assert [w for w in after if w.code != "dead-relu"] == []
    steps = net.trace(x)
    for w in after:
        dead = int(np.sum(np.all(steps[w.layer]["a"] == 0, axis=0)))
        assert w.message.startswith(f"{dead} of 4 ReLU units")


def test_bad_arguments_raise():
    spec = net_spec(D(4), D(1, "sigmoid"))
    with pytest.raises(ValueError, match="task"):
        lint(spec, task="clustering")
    with pytest.raises(ValueError, match="shape"):
        lint(spec, x=np.zeros((5, 3)))
    with pytest.raises(ValueError, match="different spec"):
        lint(spec, network=Network(net_spec(D(5), D(1, "sigmoid")), seed=0))
    with pytest.raises(ValueError, match="n_train"):
        lint(spec, n_train=-1)
    with pytest.raises(KeyError):
        lint(spec, loss="hinge")
    with pytest.raises(ValueError, match="code"):
        DesignWarning("no-such-rule", None, "Text.")
    with pytest.raises(ValueError, match="severity"):
        DesignWarning("zero-init", 0, "Text.", "error")


def test_optional_inputs_skip_their_rules():
    spec = net_spec(D(100), D(1, "sigmoid"))
    assert lint(spec) == []
    assert lint(spec, n_train=0) == []
    assert lint(spec, x=np.zeros((0, 2))) == []
    # One row given as a 1-D array is accepted.
    assert codes(lint(spec, x=[0.0, 50.0])) == [("unscaled-inputs", None, "warning")]


def test_core_lint_imports_no_gui():
    import nnviz.core.lint as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "PySide6" not in source and "pyqtgraph" not in source
