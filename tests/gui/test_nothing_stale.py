"""Nothing of a run stays on show once it no longer applies: after Reset, and after the network is edited."""

from __future__ import annotations

import numpy as np

from nnviz.core import DenseSpec
from nnviz.core.project import DatasetRecord
from nnviz.ui.model import commands
from nnviz.ui.training.panel import STALE_TEXT

import helpers

T = 30000


def trained(window, qtbot, epochs=3):
    return helpers.trained(window, qtbot, epochs, n_samples=100)


def points(curve) -> int:
    x, _ = curve.getOriginalDataset()
    return 0 if x is None else int(np.isfinite(np.asarray(x, dtype=float)).sum())


def plot_curves(plots):
    """Every curve of the pages that show a run (loss, accuracy, gradient norms), by page."""
    h = plots.history_pages
    return {0: list(h.loss_curves.values()), 1: list(h.accuracy_curves.values()),
            2: list(plots.gradient_page.curves.values())}


def shown_plots(window, qtbot, check):
    """Show each plot page in turn (a hidden page draws once shown) and wait until ``check(index)`` holds."""
    window.docks["Plots"].show()
    window.docks["Plots"].raise_()
    for index in range(3):
        window.plots.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: check(index), timeout=T)


def test_reset_leaves_no_readout_of_the_last_run(window, qtbot):
    trained(window, qtbot)
    panel = window.training
    assert panel.state_label.text() == "Finished."
    assert window.live_label.text().startswith("Epoch 3 ·")
    assert panel.readout["epoch"].text() == "3" and panel.readout["loss"].text() != "—"
    curves = plot_curves(window.plots)
    shown_plots(window, qtbot, lambda i: all(points(c) == 3 for c in curves[i]))
    assert window.plots.gradient_page.plot.legend_item.isVisible()

    window.actions_["ResetTraining"].trigger()

    assert not panel.state_label.isVisibleTo(panel) and panel.state_label.text() == ""
    assert window.live_label.text() == ""
    assert [panel.readout[k].text() for k in ("epoch", "step", "loss", "val_loss", "acc", "val_acc", "speed")] == \
        ["0", "—", "—", "—", "—", "—", "—"]
    assert window.controller.run.frame is None  # the canvas's gradient colours have nothing to draw from
    curves = plot_curves(window.plots)
    shown_plots(window, qtbot, lambda i: all(points(c) == 0 for c in curves[i]))
    for plot in (window.plots.history_pages.loss_plot, window.plots.history_pages.accuracy_plot,
                 window.plots.gradient_page.plot):
        assert plot.empty and plot.empty_hint.text()
        assert not plot.legend_item.isVisible()
    assert window.plots.history_pages.loss_readout.text() == ""
    # The histograms show the fresh weights, captioned as such.
    window.plots.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: window.plots.weights_page.caption.text() == "current weights", timeout=T)


def test_editing_the_layers_ends_the_last_runs_readouts(window, qtbot):
    trained(window, qtbot)
    panel = window.training
    before = {k: v.text() for k, v in panel.readout.items()}
    assert before["epoch"] == "3"

    commands.insert_layer(window.doc, 1, DenseSpec(3, "relu"))

    assert panel.readout["epoch"].text() == "—" and panel.readout["loss"].text() == "—"
    assert panel.readout["acc"].text() == "—"
    assert panel.state_label.isVisibleTo(panel) and panel.state_label.text() == STALE_TEXT
    assert window.live_label.text() == ""

    window.doc.undo_stack.undo()  # the network the figures were measured on: they apply again
    figures = ("epoch", "loss", "val_loss", "acc", "val_acc")  # (the step and speed are a live run's)
    assert {k: panel.readout[k].text() for k in figures} == {k: before[k] for k in figures}
    assert panel.state_label.text() != STALE_TEXT
    assert window.live_label.text().startswith("Epoch 3 ·")

    # Training the edited network measures it: its figures are shown, marked as nothing stale.
    commands.insert_layer(window.doc, 1, DenseSpec(3, "relu"))
    with qtbot.waitSignal(window.controller.run.state_changed, check_params_cb=lambda s: s == "finished", timeout=T):
        window.actions_["Train"].trigger()
    assert panel.readout["epoch"].text() == "6" and panel.state_label.text() == "Finished."
    assert window.live_label.text().startswith("Epoch 6 ·")


def test_reset_during_a_run_leaves_nothing_of_it_either(window, qtbot):
    record = DatasetRecord("xor", n_samples=100)
    commands.set_dataset(window.doc, record, record.load())
    window.training.settings_section.limit_check.setChecked(False)  # a run that goes on until stopped
    qtbot.waitUntil(lambda: window.plots is not None)
    with qtbot.waitSignal(window.controller.run.updated, timeout=T):
        window.actions_["Train"].trigger()
    qtbot.waitUntil(lambda: len(window.doc.history) >= 2, timeout=T)
    panel = window.training
    assert panel.state_label.text() == "Running…"
    with qtbot.waitSignal(window.controller.session.sig_state, timeout=T, check_params_cb=lambda s: s == "stopped"):
        window.actions_["ResetTraining"].trigger()
    assert len(window.doc.history) == 0
    assert panel.state_label.text() == "" and window.live_label.text() == ""
    assert panel.readout["epoch"].text() == "0" and panel.readout["step"].text() == "—"
    assert panel.readout["speed"].text() == "—"
    assert window.controller.run.frame is None
