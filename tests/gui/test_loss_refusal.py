"""The training panel and losses that do not fit the data: the settings say so, Train refuses before a
run starts, and a running run is stopped rather than driven towards minus infinity."""

from dataclasses import replace

import pytest

from nnviz.core import DenseSpec, NetworkSpec
from nnviz.core.fileformat import NetworkFile
from nnviz.core.project import Project
from nnviz.ui.model import commands
from nnviz.ui.model.document import Document
from nnviz.ui.training.controller import TrainingController
from nnviz.ui.training.panel import TrainingPanel

from helpers import choose

T = 30000  # ms; generous for a slow, loaded machine


@pytest.fixture
def doc(qapp):
    spec = NetworkSpec(2, (DenseSpec(4, "relu"), DenseSpec(1, "sigmoid")))  # the sigmoid output
    return Document(Project.from_file(NetworkFile(spec=spec, params=[None] * len(spec.layers))))


@pytest.fixture
def panel(qtbot, doc, session):
    p = TrainingPanel(doc, TrainingController(doc, session))
    qtbot.addWidget(p)
    p.resize(300, 700)
    p.show()
    yield p
    p.controller.shutdown()


def set_loss(panel, loss):
    combo = panel.settings_section.loss_combo
    combo.setCurrentIndex(combo.findData(loss))


def test_auto_says_it_picks_mean_squared_error_for_regression_data(panel, doc):
    note = panel.settings_section.loss_note
    choose(panel, "circle")
    assert note.isVisibleTo(panel) and note.text() == "Auto picks binary cross-entropy for these targets."
    choose(panel, "plane")
    assert note.isVisibleTo(panel) and note.text() == "Auto picks mean squared error for these targets."


@pytest.mark.parametrize("loss", ["bce", "cce"])
def test_train_refuses_a_cross_entropy_of_regression_targets(qtbot, panel, doc, session, loss):
    choose(panel, "plane")
    set_loss(panel, loss)
    assert doc.training.loss == loss
    note = panel.settings_section.loss_note
    assert note.isVisibleTo(panel) and "choose mean squared error" in note.text()  # said before Train is pressed
    panel.actionTrain.trigger()
    assert panel.notice.isVisibleTo(panel)
    assert "Cannot train with this loss" in panel.notice.text() and "choose mean squared error" in panel.notice.text()
    assert session.run_number == 0 and not session.is_running  # no run started
    assert panel.actionTrain.text() == "Train"
    assert len(doc.project.history) == 0
    set_loss(panel, "mse")
    assert not note.isVisibleTo(panel)
    with qtbot.waitSignal(panel.controller.run.updated, timeout=T):
        panel.actionTrain.trigger()
    assert session.run_number == 1


def test_switching_a_running_run_to_a_loss_that_does_not_fit_stops_it(qtbot, panel, doc, session):
    choose(panel, "plane")
    with qtbot.waitSignal(panel.controller.run.updated, timeout=T):
        panel.actionTrain.trigger()
    assert session.is_running
    statuses = []
    panel.controller.sig_status.connect(statuses.append)
    commands.set_training(doc, replace(doc.training, loss="bce"))
    qtbot.waitUntil(lambda: not session.is_running, timeout=T)
    assert "Cannot train with this loss" in panel.notice.text()
    assert any("the loss does not fit the data" in s for s in statuses)
    assert all(v >= 0 for v in doc.project.history.train_loss)
