"""The timeline: scrub back to a kept epoch, see it everywhere, play it again, continue from there, undo."""

from __future__ import annotations

import numpy as np

from nnviz.core.project import DatasetRecord
from nnviz.ui.model import commands
from nnviz.core.keyframes import state_vector

import helpers

T = 30000


def trained(window, qtbot, epochs=20):
    return helpers.trained(window, qtbot, epochs, n_samples=200)


def params_equal(a, b):
    return all(np.array_equal(x[k], y[k]) for x, y in zip(a, b) for k in x)


def test_every_epoch_of_a_small_run_is_kept(window, qtbot):
    trained(window, qtbot)
    keyframes = window.controller.keyframes
    assert keyframes.epochs == list(range(21))  # the start and each of the 20 epochs
    np.testing.assert_array_equal(keyframes.state(20), state_vector(window.doc.network))  # the last is the network now


def test_a_scrubbed_epoch_shows_exactly_the_kept_weights(window, qtbot):
    trained(window, qtbot)
    doc, controller, bar = window.doc, window.controller, window.timeline
    now = doc.network.copy_params()
    bar.slider.setValue(10)  # as a drag would
    assert doc.moment == 10 and bar.label.text() == "epoch 10 of 20"
    assert window.training.readout["epoch"].text() == "10"  # the readout tells that epoch's loss
    np.testing.assert_array_equal(state_vector(doc.network), controller.keyframes.state(10))
    assert params_equal(doc.project.network.copy_params(), now)  # looking is not an edit: the file keeps its weights
    assert not doc.dirty or doc.undo_stack.count() > 0
    # The views show that moment: the boundary evaluates that network, the loss plot marks the epoch.
    plane = window.boundary.grid_points()
    expected = doc.network.predict(doc.standardize(plane))
    np.testing.assert_allclose(window.boundary.grid_output().reshape(expected.shape[0], -1),
                               expected.reshape(expected.shape[0], -1), rtol=1e-5)
    line = window.plots.history_pages.moment_lines[0]
    assert line.isVisible() and line.value() == 10
    assert window.plots.history_pages.loss_readout.text().startswith("epoch 10:")
    scene = window.view.scene()
    np.testing.assert_array_equal(scene.heatmap_values(0, 0), scene.heatmap_values(0, 0))  # drawn without error
    bar.now_button.click()
    assert doc.moment is None and not line.isVisible()
    assert params_equal(doc.network.copy_params(), now)


def test_continue_from_here_and_undo(window, qtbot):
    trained(window, qtbot)
    doc, controller, bar = window.doc, window.controller, window.timeline
    first_run = doc.history.to_dict()
    end_of_first_run = doc.network.copy_params()
    bar.slider.setValue(10)
    window.training.settings_section.lr_spin.setValue(0.1)  # another learning rate for the branch
    assert doc.moment is None  # an edit returns to the current weights
    bar.slider.setValue(10)
    with qtbot.waitSignal(controller.run.state_changed, check_params_cb=lambda s: s == "finished", timeout=T):
        bar.continue_button.click()
    assert doc.history.epoch == list(range(1, 31))  # epochs 1-10 of the first run, then 20 new ones
    assert doc.history.train_loss[:10] == first_run["train_loss"][:10]
    assert doc.history.train_loss[10:20] != first_run["train_loss"][10:20]
    assert controller.keyframes.epochs[:11] == list(range(11)) and controller.keyframes.epochs[-1] == 30
    assert doc.undo_stack.undoText().startswith("Continue from epoch 10")
    doc.undo_stack.undo()  # the branch, run and all, in one step
    assert doc.history.to_dict() == first_run
    assert params_equal(doc.network.copy_params(), end_of_first_run)
    # The branch's keyframes went with it: what is kept belongs to the history shown.
    assert controller.keyframes.epochs == list(range(11))


def test_play_replays_the_run_and_returns_to_now(window, qtbot):
    trained(window, qtbot)
    doc, bar = window.doc, window.timeline
    seen = []
    doc.moment_changed.connect(lambda: seen.append(doc.moment))
    bar.slider.setValue(0)
    bar.play_button.click()
    qtbot.waitUntil(lambda: seen and seen[-1] is None, timeout=T)  # played to the end: the network as it is
    shown = [e for e in seen if e is not None]
    assert shown == sorted(shown) and len(set(shown)) >= 3  # forwards, through the kept epochs
    assert not window.controller.replaying and not bar.play_button.isChecked()


def test_scrubbing_pauses_a_running_run(window, qtbot):
    record = DatasetRecord("xor", n_samples=200)
    commands.set_dataset(window.doc, record, record.load())
    qtbot.waitUntil(lambda: window.timeline is not None)
    controller = window.controller
    window.actions_["Train"].trigger()
    qtbot.waitUntil(lambda: window.timeline.slider.maximum() >= 3, timeout=T)  # the bar shows the kept epochs
    window.timeline.slider.setValue(1)
    qtbot.waitUntil(lambda: controller.session.state == "paused", timeout=T)
    assert window.doc.moment == 1
    window.actions_["Train"].trigger()  # resume: from the current weights, the moment left
    assert window.doc.moment is None
    qtbot.waitUntil(lambda: controller.session.state == "running", timeout=T)
    window.actions_["Train"].trigger()


def test_the_timeline_goes_into_the_file_on_request(window, qtbot, tmp_path):
    trained(window, qtbot, epochs=5)
    act = window.actions_["SaveTimeline"]
    window.menuBar().actions()[0].menu().aboutToShow.emit()  # the File menu opens: the option states the size
    assert "6 epochs, about" in act.text()
    act.trigger()
    assert window.doc.project.save_timeline
    window.doc.save(tmp_path / "kept.nnviz")
    kept = window.controller.keyframes.state(3).copy()
    assert window.open_file(tmp_path / "kept.nnviz", ask=False)
    qtbot.waitUntil(lambda: window.timeline.slider.isEnabled())
    assert act.isChecked()  # the reopened file keeps its timeline when saved again
    window.timeline.slider.setValue(3)
    assert window.doc.moment == 3
    np.testing.assert_array_equal(state_vector(window.doc.network), kept)


def test_other_layers_forget_the_timeline(window, qtbot):
    trained(window, qtbot, epochs=3)
    from nnviz.core import DenseSpec

    commands.insert_layer(window.doc, 1, DenseSpec(3, "relu"))
    assert len(window.controller.keyframes) == 0 and not window.timeline.slider.isEnabled()


def test_the_epoch_shown_is_never_cut_short_in_a_narrow_dock(window, qtbot):
    trained(window, qtbot, epochs=12)
    bar = window.timeline
    label = bar.label
    bar.resize(600, bar.height())
    bar.layout().activate()
    assert label.text() == label.shown() == "epoch 12 of 12"
    bar.resize(bar.minimumSizeHint().width(), bar.height())  # as narrow as its dock can be
    bar.layout().activate()
    assert label.shown() == "12 / 12"  # its short form, not "epoch 1…"
    label.repaint()  # the tooltip follows what was painted
    assert "epoch 12 of 12" in label.toolTip()
    assert bar.slider.width() >= 60  # and the slider can still be dragged


def test_epoch_0_reads_as_before_training(window, qtbot):
    trained(window, qtbot, epochs=5)
    window.timeline.slider.setValue(0)  # the start of the run: the weights before any training
    assert window.doc.moment == 0 and window.timeline.label.text() == "epoch 0 of 5"
    assert window.training.readout["epoch"].text() == "0"
    assert window.training.readout["loss"].text() == window.training.readout["step"].text()  # dashes: no loss yet
    window.timeline.slider.setValue(1)
    assert window.training.readout["epoch"].text() == "1"
