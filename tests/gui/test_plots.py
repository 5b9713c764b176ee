"""The training plots: loss, accuracy, gradient norms and weight histograms."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from nnviz.core import Network, NetworkSpec, TrainConfig
from nnviz.core.spec import DenseSpec, DropoutSpec
from nnviz.core.training import History, Trainer
from nnviz.core.project import Project
from nnviz.ui.model.document import Document
from nnviz.ui.training.plots import TrainingPlots

SPEC = NetworkSpec(2, (DenseSpec(4, "tanh"), DropoutSpec(0.1), DenseSpec(3, "tanh"), DenseSpec(1, "sigmoid")))


def history(n, val=True, accuracy=True):
    h = History()
    for e in range(1, n + 1):
        h.append(e, 1.0 / e, 1.5 / e if val else None, 0.5 + 0.4 * e / n if accuracy else None, 0.5 if val and accuracy else None)
    return h


@pytest.fixture
def doc():
    d = Document()
    d.restore({"spec": SPEC, "params": Network(SPEC, seed=0).copy_params()})
    return d


@pytest.fixture
def plots(qtbot, doc):
    w = TrainingPlots(doc)
    qtbot.addWidget(w)
    w.resize(900, 260)
    w.show()  # pages draw only while on screen
    qtbot.waitExposed(w)
    return w


def set_history(doc, h):
    doc.restore({"spec": doc.spec, "params": doc.network.copy_params(), "history": h})


def trained_history(epochs, seed=0) -> History:
    """The history of a real run of ``epochs`` epochs (with each layer's gradient norms)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(16, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(float)
    trainer = Trainer(Network(SPEC, seed=seed), x, y, TrainConfig(batch_size=4, epochs=epochs))
    for _ in trainer.steps():
        pass
    return trainer.history


def curve_data(curve):
    x, y = curve.getOriginalDataset()  # getData() is log-transformed in log mode
    return (np.array([]), np.array([])) if x is None else (np.asarray(x), np.asarray(y))


def test_loss_curves_follow_history(plots, doc):
    set_history(doc, history(25))
    x, y = curve_data(plots.history_pages.loss_curves["train"])
    assert len(x) == 25
    np.testing.assert_allclose(y, 1.0 / np.arange(1, 26))
    vx, vy = curve_data(plots.history_pages.loss_curves["validation"])
    np.testing.assert_allclose(vy, 1.5 / np.arange(1, 26))
    assert plots.history_pages.loss_plot.legend_item.getLabel(plots.history_pages.loss_curves["validation"]) is not None


def test_no_validation_leaves_curve_empty_and_out_of_legend(plots, doc, qtbot):
    set_history(doc, history(10))
    set_history(doc, history(10, val=False))  # a second change this soon is drawn a moment later
    qtbot.waitUntil(lambda: len(curve_data(plots.history_pages.loss_curves["validation"])[0]) == 0)
    assert len(curve_data(plots.history_pages.loss_curves["validation"])[0]) == 0
    assert plots.history_pages.loss_plot.legend_item.getLabel(plots.history_pages.loss_curves["validation"]) is None
    assert len(curve_data(plots.history_pages.loss_curves["train"])[0]) == 10
    assert plots.readout_at(4) == "epoch 4: train 0.25"


def test_log_scale_toggle(plots, doc):
    set_history(doc, history(10))
    item = plots.history_pages.loss_plot.getPlotItem()
    assert not item.getAxis("left").logMode
    plots.history_pages.loss_log.setChecked(True)
    assert item.getAxis("left").logMode
    assert plots.history_pages.loss_curves["train"].opts["logMode"][1]
    plots.grab()
    plots.history_pages.loss_log.setChecked(False)
    assert not item.getAxis("left").logMode


def test_readout(plots, doc):
    assert plots.readout_at(3) == ""
    set_history(doc, history(50))
    assert plots.readout_at(37) == "epoch 37: train 0.02703, val 0.04054"
    assert plots.readout_at(36.8).startswith("epoch 37:")  # nearest epoch
    assert plots.readout_at(1000).startswith("epoch 50:")
    assert plots.history_pages.loss_readout.text().startswith("epoch 50:")  # the latest epoch when not hovering
    assert plots.accuracy_readout_at(50) == "epoch 50: train 90.0%, val 50.0%"


def test_hover_shows_crosshair_and_readout(plots, doc, qtbot):
    set_history(doc, history(50))
    plots.show()
    qtbot.waitExposed(plots)
    vb = plots.history_pages.loss_plot.getPlotItem().vb

    def hover():  # mapped anew each time: the view settles its range once laid out
        plots.history_pages.loss_plot.scene().sigMouseMoved.emit(vb.mapViewToScene(QPointF(20.2, 0.5)))
        return plots.history_pages.loss_readout.text().startswith("epoch 20:")

    qtbot.waitUntil(hover)
    assert plots.history_pages.loss_line.isVisible()
    assert plots.history_pages.loss_line.value() == 20


def test_accuracy_regression_shows_note(plots, doc, qtbot):
    plots.tabs.setCurrentIndex(1)  # the Accuracy tab (a hidden page draws when shown)
    set_history(doc, history(10))
    assert plots.history_pages.accuracy_stack.currentWidget() is plots.history_pages.accuracy_plot
    assert len(curve_data(plots.history_pages.accuracy_curves["train"])[0]) == 10
    set_history(doc, history(10, accuracy=False))
    qtbot.waitUntil(lambda: plots.history_pages.accuracy_stack.currentWidget() is plots.history_pages.accuracy_note)
    assert plots.history_pages.accuracy_stack.currentWidget() is plots.history_pages.accuracy_note
    assert "regression" in plots.history_pages.accuracy_note.text()
    assert len(curve_data(plots.history_pages.accuracy_curves["train"])[0]) == 0
    assert plots.accuracy_readout_at(3) == ""
    plots.grab()
    # The y axis shows the whole 0..1 range.
    lo, hi = plots.history_pages.accuracy_plot.getPlotItem().vb.viewRange()[1]
    assert lo <= 0.0 and hi >= 1.0


def test_gradient_norms_per_layer_with_parameters(plots, doc):
    h = trained_history(30)
    set_history(doc, h)
    plots.refresh()
    assert sorted(plots.gradient_page.curves) == [0, 2, 3]  # the dropout layer has no parameters
    names = [plots.gradient_page.plot.legend_item.getLabel(c).text for c in plots.gradient_page.curves.values()]
    assert names == ["layer 1", "layer 3", "layer 4"]  # all dense: the kind goes without saying
    for i, curve in plots.gradient_page.curves.items():
        x, y = curve_data(curve)
        np.testing.assert_array_equal(x, h.epoch)
        np.testing.assert_allclose(y, [row[i] for row in h.grad_norms])
    assert plots.gradient_page.plot.getPlotItem().getAxis("left").logMode  # log by default


def test_a_hidden_page_is_drawn_when_shown_and_then_follows_live(plots, doc, qtbot):
    h = trained_history(5)
    set_history(doc, History.from_dict({k: v[:3] for k, v in h.to_dict().items()}))
    curve = plots.gradient_page.curves.get(0)
    qtbot.wait(400)
    assert curve is None or len(curve_data(curve)[0]) == 0  # the Loss tab is on top: no time spent on gradients
    plots.tabs.setCurrentIndex(plots.tabs.pages.indexOf(plots.gradient_page.plot))
    curve = plots.gradient_page.curves[0]
    assert len(curve_data(curve)[0]) == 3  # shown: drawn at once
    set_history(doc, h)  # a run appends epochs
    qtbot.waitUntil(lambda: len(curve_data(plots.gradient_page.curves[0])[0]) == 5)  # and redrawn as they come


def test_gradients_of_a_reopened_file_are_drawn(plots, doc, tmp_path):
    set_history(doc, trained_history(8))
    doc.save(tmp_path / "g.nnviz")
    again = Document(Project.load(tmp_path / "g.nnviz"))
    reopened = TrainingPlots(again)
    reopened.refresh()
    plots.refresh()
    assert len(curve_data(reopened.gradient_page.curves[2])[1]) == 8
    np.testing.assert_allclose(curve_data(reopened.gradient_page.curves[2])[1], curve_data(plots.gradient_page.curves[2])[1])
    reopened.deleteLater()


def test_a_structural_change_leaves_gaps_not_wrong_curves(plots, doc):
    set_history(doc, trained_history(5))
    plots.refresh()
    spec = NetworkSpec(2, (DenseSpec(4, "tanh"), DenseSpec(1, "sigmoid")))
    doc.restore({"spec": spec, "params": Network(spec, seed=0).copy_params()})
    plots.refresh()
    assert sorted(plots.gradient_page.curves) == [0, 1]
    assert not np.isfinite(curve_data(plots.gradient_page.curves[0])[1]).any()  # norms of another network: not drawn
    assert sorted(plots.weights_page.curves) == [0, 1]


def test_histogram_per_dense_layer(plots, doc, qtbot):
    plots.tabs.setCurrentIndex(plots.tabs.pages.indexOf(plots.weights_page.plot))
    assert sorted(plots.weights_page.curves) == [0, 2, 3]  # from the document's network when idle
    w = doc.network.layer_params(0)["weights"]
    x, y = curve_data(plots.weights_page.curves[0])
    assert len(x) == len(y) + 1 == 41  # stepped: bin edges and shares
    assert y.sum() == pytest.approx(1.0)
    assert x[0] <= w.min() and x[-1] >= w.max()
    assert plots.weights_page.curves[0].opts["stepMode"] == "center"
    # A run's weights land in the document: the histograms follow (throttled, through the event loop).
    params = Network(SPEC, seed=5).copy_params()
    params[2]["weights"] *= 3
    doc.restore({"params": params, "history": history(4)})
    target = params[2]["weights"]
    qtbot.waitUntil(lambda: curve_data(plots.weights_page.curves[2])[0][0] <= target.min() + 1e-12 and "epoch 4" in plots.weights_page.caption.text())
    counts, _ = np.histogram(target, bins=curve_data(plots.weights_page.curves[2])[0])
    np.testing.assert_allclose(curve_data(plots.weights_page.curves[2])[1], counts / target.size)


def test_long_history_renders(plots, doc):
    n = 10_000
    h = History()
    e = np.arange(1, n + 1)
    loss = 1.0 / np.sqrt(e) + 0.01 * np.sin(e)
    for i in range(n):
        h.append(int(e[i]), float(loss[i]), float(loss[i] * 1.1), 0.9, 0.85)
    set_history(doc, h)
    item = plots.history_pages.loss_plot.getPlotItem()
    assert item.ctrl.downsampleCheck.isChecked() and item.ctrl.clipToViewCheck.isChecked()
    for i in range(plots.tabs.count()):
        plots.tabs.setCurrentIndex(i)
        image = plots.grab().toImage()
        assert not image.isNull() and image.width() == 900
    plots.history_pages.loss_log.setChecked(True)
    plots.tabs.setCurrentIndex(0)
    assert not plots.grab().toImage().isNull()
    assert len(curve_data(plots.history_pages.loss_curves["train"])[0]) == n
    assert plots.readout_at(9999).startswith("epoch 9999:")


def test_tabs(plots):
    assert [plots.tabs.tabText(i) for i in range(plots.tabs.count())] == ["Loss", "Accuracy", "Gradients", "Weights"]
    plots.tabs.setCurrentIndex(2)
    assert plots.tabs.pages.currentWidget() is plots.gradient_page.plot
    assert plots.tabs.controls.currentIndex() == 2


def test_history_redraws_are_throttled_during_training(plots, doc, qtbot):
    # Dozens of epochs a second must not repaint the plots dozens of times a second.
    set_history(doc, history(5))
    for n in range(6, 40):
        set_history(doc, history(n))
    assert len(curve_data(plots.history_pages.loss_curves["train"])[0]) < 39  # not every change drawn at once…
    qtbot.waitUntil(lambda: len(curve_data(plots.history_pages.loss_curves["train"])[0]) == 39)  # …but the last one is


def test_a_growing_history_is_drawn_in_full_and_framed_steadily(plots, doc, qtbot):
    h = history(300)
    for n in range(30, 301, 30):  # training appends epochs as it goes
        doc.restore({"params": doc.network.copy_params(), "history": history(n)})
    qtbot.waitUntil(lambda: len(curve_data(plots.history_pages.loss_curves["train"])[0]) == 300)
    x, y = curve_data(plots.history_pages.loss_curves["train"])
    np.testing.assert_allclose(x, h.epoch)
    np.testing.assert_allclose(y, h.train_loss)
    vb = plots.history_pages.loss_plot.getPlotItem().vb
    (x0, x1), (y0, y1) = vb.viewRange()
    assert (x0, x1) == (0.0, 300.0)  # epochs 1…300 on a round ceiling: the axis does not creep
    assert y0 < min(h.train_loss) and y1 > max(h.val_loss)  # every value in view


def test_panning_takes_the_view_over_until_auto_range(plots, doc, qtbot):
    set_history(doc, history(50))
    vb = plots.history_pages.loss_plot.getPlotItem().vb
    vb.setXRange(10, 20, padding=0)
    vb.sigRangeChangedManually.emit([True, False])  # what a drag or wheel reports
    set_history(doc, history(60))
    qtbot.wait(400)
    assert vb.viewRange()[0] == [10.0, 20.0]  # the person's view stays
    vb.enableAutoRange()  # pyqtgraph's "A" button
    set_history(doc, history(70))
    qtbot.waitUntil(lambda: vb.viewRange()[0] == [0.0, 80.0])


def test_an_empty_plot_says_what_will_appear_there(plots, doc, qtbot):
    pages = {"loss": plots.history_pages.loss_plot, "accuracy": plots.history_pages.accuracy_plot,
             "gradients": plots.gradient_page.plot}
    for index, (name, plot) in enumerate(pages.items()):
        plots.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: plot.empty_hint.isVisible())
        assert plot.empty_hint.text().startswith("Train to see")
        # Centred over the plot, not a crammed row of ticks ("8 7 6 5 4 3 2") and an empty legend box.
        assert plot.empty_hint.geometry().center() == plot.rect().center() or \
            abs(plot.empty_hint.geometry().center().x() - plot.rect().center().x()) <= 1
        assert not plot.plot_item.getAxis("left").style["showValues"]
        assert not plot.legend_item.isVisible()
    assert pages["gradients"].empty_hint.text() == "Train to see each layer's gradient size here."
    assert not plots.weights_page.plot.empty  # the weights exist before any training

    set_history(doc, trained_history(4))
    for index, (name, plot) in enumerate(pages.items()):
        plots.tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: not plot.empty_hint.isVisible())
        assert plot.plot_item.getAxis("left").style["showValues"]
        assert plot.legend_item.isVisible()

    set_history(doc, History())  # Reset: empty again, hint back
    qtbot.waitUntil(lambda: pages["gradients"].empty_hint.isVisible())
    assert all(len(curve_data(c)[0]) == 0 for c in plots.gradient_page.curves.values())


def test_a_view_panned_over_the_last_run_is_handed_back_when_the_history_empties(plots, doc, qtbot):
    set_history(doc, history(50))
    vb = plots.history_pages.loss_plot.getPlotItem().vb
    vb.setXRange(10, 20, padding=0)
    vb.sigRangeChangedManually.emit([True, False])
    set_history(doc, History())  # Reset
    qtbot.waitUntil(lambda: plots.history_pages.loss_plot.empty_hint.isVisible())
    set_history(doc, history(5))  # the next run is framed, not left outside a view of epochs 10 to 20
    qtbot.waitUntil(lambda: vb.viewRange()[0] == [0.0, 10.0])


def test_a_deep_network_s_gradient_legend_leaves_the_plot_room(qtbot):
    # 7 hidden sigmoid layers, as the vanishing-gradients lesson has, in a dock 400 pixels wide.
    spec = NetworkSpec(2, tuple(DenseSpec(8, "sigmoid") for _ in range(7)) + (DenseSpec(1, "sigmoid"),))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 2))
    trainer = Trainer(Network(spec, seed=0), x, (x[:, 0] > 0).astype(float), TrainConfig(batch_size=4, epochs=5))
    for _ in trainer.steps():
        pass
    doc = Document()
    doc.restore({"spec": spec, "params": trainer.net.copy_params(), "history": trainer.history})
    plots = TrainingPlots(doc)
    qtbot.addWidget(plots)
    plots.resize(400, 200)
    plots.tabs.setCurrentIndex(2)
    plots.show()
    qtbot.waitExposed(plots)
    page = plots.gradient_page
    qtbot.waitUntil(lambda: len(page.curves) == 8)
    legend_width = page.plot.legend_item.boundingRect().width()
    assert legend_width < 0.3 * page.plot.width()  # was two columns of "layer N (dense)": 60 %
