"""Every design-warning rule fires in the window, in `nnviz info --dataset` and in `nnviz train`, on the
same network and data, and all three stay quiet on a well-made network on that data."""

import json
from dataclasses import dataclass, field

import numpy as np
import pytest

from nnviz import cli
from nnviz.core import DenseSpec, NetworkSpec, TrainConfig
from nnviz.core.fileformat import NetworkFile
from nnviz.core.lint import RULES, format_warning
from nnviz.core.project import DatasetRecord, Project

D = DenseSpec


@dataclass(frozen=True)
class Case:
    spec: NetworkSpec
    dataset: str
    standardize: bool = True
    loss: str = "auto"
    dead_units: tuple = ()  # units of the first layer given a bias of -100: they never fire
    settings: dict = field(default_factory=dict)


FIRING = {
    "softmax-hidden": Case(NetworkSpec(2, (D(8, "softmax"), D(1, "sigmoid"))), "circle"),
    "linear-collapse": Case(NetworkSpec(2, (D(8, "linear"), D(8, "tanh"), D(1, "sigmoid"))), "circle"),
    "output-mismatch": Case(NetworkSpec(2, (D(8, "tanh"), D(1, "tanh"))), "circle", loss="mse"),
    "vanishing-gradients": Case(NetworkSpec(2, (*[D(4, "tanh")] * 5, D(1, "sigmoid"))), "circle"),
    "zero-init": Case(NetworkSpec(2, (D(8, "relu", "zeros"), D(1, "sigmoid"))), "circle"),
    "unscaled-inputs": Case(NetworkSpec(4, (D(8, "tanh"), D(3, "softmax"))), "iris", standardize=False),
    # 2×200+200 + 200×200+200 + 200×1+1 = 41,001 parameters for 400 training rows.
    "too-many-params": Case(NetworkSpec(2, (D(200, "tanh"), D(200, "tanh"), D(1, "sigmoid"))), "xor"),
    "dead-relu": Case(NetworkSpec(2, (D(8, "relu"), D(1, "sigmoid"))), "circle", dead_units=(0, 1, 2)),
}
# Well-made networks on the same data (standardised where the data has a scale).
QUIET = {
    "circle": Case(NetworkSpec(2, (D(8, "tanh"), D(8, "tanh"), D(1, "sigmoid"))), "circle"),
    "iris": Case(NetworkSpec(4, (D(8, "tanh"), D(3, "softmax"))), "iris"),
    "xor": Case(NetworkSpec(2, (D(8, "tanh"), D(1, "sigmoid"))), "xor"),
}


def test_every_rule_has_a_case():
    assert set(FIRING) == set(RULES)
    assert {case.dataset for case in FIRING.values()} == set(QUIET)


def saved(case: Case, tmp_path):
    """The case as a .nnviz file that records its dataset, and the --dataset flags that name the same data."""
    config = TrainConfig(loss=case.loss, epochs=1, **case.settings)
    project = Project.from_file(NetworkFile(spec=case.spec, params=[None] * len(case.spec.layers), training=config))
    if case.dead_units:
        bias = project.network.layer_params(0)["bias"].copy()
        bias[list(case.dead_units)] = -100.0
        project.network.set_layer_state(0, bias=bias)
    project.dataset = DatasetRecord.from_argument(case.dataset, seed=config.seed, standardize=case.standardize)
    path = tmp_path / "case.nnviz"
    project.save(path)
    flags = ["--dataset", case.dataset] + ([] if case.standardize else ["--no-standardize"])
    return path, flags


def window_warnings(window, qtbot, path):
    assert window.open_file(path, ask=False, remember=False)
    qtbot.waitUntil(lambda: window.doc.data is not None)
    return window.warnings.warnings()


def info_warnings(capsys, path, flags):
    capsys.readouterr()
    assert cli.main(["info", str(path), *flags, "--json"]) == 0
    return json.loads(capsys.readouterr().out)["warnings"]


def train_report(capsys, path, flags, tmp_path):
    """What `nnviz train` says on stderr (the warnings before and after training), and its JSON summary."""
    capsys.readouterr()
    assert cli.main(["train", str(path), *flags, "--out", str(tmp_path / "trained.nnviz"), "--json"]) == 0
    out = capsys.readouterr()
    return out.err, json.loads(out.out)


@pytest.mark.parametrize("rule", list(FIRING))
def test_rule_fires_in_the_window_and_on_the_command_line(rule, window, qtbot, capsys, tmp_path):
    path, flags = saved(FIRING[rule], tmp_path)

    shown = [w for w in window_warnings(window, qtbot, path) if w.code == rule]
    assert shown, f"the window does not show {rule}"
    rows = [row for row in window.warnings.rows() if row.warning.code == rule]
    assert rows and RULES[rule] in rows[0].heading.text() and rows[0].message.text() == shown[0].message
    count = len(window.warnings.warnings())
    assert window.warnings_button.text().startswith(f"⚠ {count} design warning")

    listed = [w for w in info_warnings(capsys, path, flags) if w["code"] == rule]
    assert [w["message"] for w in listed] == [w.message for w in shown]  # the same words as the window's

    err, summary = train_report(capsys, path, flags, tmp_path)
    before = err.split("design warnings after training:")[0]
    assert "design warnings:" in before
    for w in shown:
        assert f"  - {format_warning(w)}" in before
    assert rule in {w["code"] for w in summary["warnings"]}  # still there once trained (one epoch)


@pytest.mark.parametrize("dataset", list(QUIET))
def test_a_well_made_network_gets_no_warning_anywhere(dataset, window, qtbot, capsys, tmp_path):
    path, flags = saved(QUIET[dataset], tmp_path)
    assert window_warnings(window, qtbot, path) == [] and window.warnings.rows() == []
    assert not window.warnings_button.isVisible()
    assert info_warnings(capsys, path, flags) == []
    err, summary = train_report(capsys, path, flags, tmp_path)
    assert "design warning" not in err and summary["warnings"] == []


def test_a_unit_that_fires_on_a_few_training_rows_is_alive(window, qtbot, tmp_path):
    # Unit 0 fires only where x1 > 4.5, on a few training rows of the circle: it is not reported.
    case = FIRING["dead-relu"]
    path, _ = saved(case, tmp_path)
    project = Project.load(path)
    data = project.load_dataset()
    train_rows, _ = data.split_rows(project.training.val_split, project.training.seed)
    assert np.any(data.x[train_rows, 0] > 4.5)
    weights = project.network.layer_params(0)["weights"].copy()
    weights[:, 0] = [1.0, 0.0]
    bias = project.network.layer_params(0)["bias"].copy()
    bias[0] = -4.5
    project.network.set_layer_state(0, weights=weights, bias=bias)
    project.save(path)
    [dead] = [w for w in window_warnings(window, qtbot, path) if w.code == "dead-relu"]
    assert dead.message.startswith("2 of 8 ReLU units never fire")  # units 1 and 2, not unit 0
