"""What a screen reader hears: the main window's canvas, palette, readouts, plots and boundary have names,
and a live readout's accessible text follows its value."""

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from helpers import T
from nnviz.core.shipped import example_path

READOUTS = {"epoch": "Epoch", "step": "Step", "loss": "Training loss", "val_loss": "Validation loss",
            "acc": "Training accuracy", "val_acc": "Validation accuracy", "speed": "Measured training speed"}


def spoken(widget, what=QAccessible.Text.Name) -> str:
    """What assistive technology reads from ``widget`` through Qt's accessibility interface."""
    return QAccessible.queryAccessibleInterface(widget).text(what)


@pytest.fixture
def shown(window, qtbot):
    qtbot.waitUntil(lambda: window.plots is not None and window.boundary is not None and window.timeline is not None,
                    timeout=T)
    return window


def named_widgets(window) -> dict:
    """Every widget that must be named, by what it is."""
    plots = window.plots
    widgets = {
        "canvas": window.view,
        "palette": window.palette.list,
        "loss plot": plots.history_pages.loss_plot,
        "accuracy plot": plots.history_pages.accuracy_plot,
        "gradients plot": plots.gradient_page.plot,
        "weights plot": plots.weights_page.plot,
        "loss figures": plots.history_pages.loss_readout,
        "accuracy figures": plots.history_pages.accuracy_readout,
        "boundary": window.boundary,
        "boundary plot": window.boundary.plot_widget,
        "status line": window.live_label,
        "speed slider": window.training.pace_slider,
        "speed setting": window.training.pace_label,
        "timeline": window.timeline.slider,
        "timeline epoch": window.timeline.label,
    }
    widgets |= {f"{key} readout": label for key, label in window.training.readout.items()}
    return widgets


def test_every_view_and_readout_has_its_own_name(shown):
    names = {what: spoken(widget) for what, widget in named_widgets(shown).items()}
    assert all(names.values()), [what for what, name in names.items() if not name]
    assert len(set(names.values())) == len(names), names  # each name tells its widget from the others
    assert names["canvas"] == "Network canvas"
    assert names["loss plot"] == "Training loss plot"
    assert {key: names[f"{key} readout"] for key in READOUTS} == READOUTS


def test_the_canvas_describes_the_network_it_shows(shown, qtbot):
    assert "2-" in spoken(shown.view, QAccessible.Text.Description)  # the default network's shape
    assert shown.open_file(example_path("relu_2-4-4-1_circle"), ask=False)
    qtbot.waitUntil(lambda: "2-4-4-1" in spoken(shown.view, QAccessible.Text.Description), timeout=T)


def test_palette_tiles_say_their_layer_and_how_to_add_it(shown):
    palette = shown.palette
    interface = QAccessible.queryAccessibleInterface(palette.list)
    texts = [interface.child(i).text(QAccessible.Text.Name) for i in range(interface.childCount())]
    assert "Dense ReLU" in texts and "Dropout" in texts
    description = interface.child(texts.index("Dense ReLU")).text(QAccessible.Text.Description)
    assert "8 units" in description and "Double-click" in description and "<" not in description


def test_a_readout_is_heard_with_its_new_value_after_a_training_step(shown, qtbot):
    epoch = shown.training.readout["epoch"]
    loss = shown.training.readout["loss"]
    assert spoken(loss, QAccessible.Text.Description) == "—"  # nothing trained yet
    shown.actions_["StepEpoch"].trigger()
    # The epoch can read 1 a moment before the loss arrives with the epoch's history row.
    qtbot.waitUntil(lambda: epoch.text() == "1" and loss.text() != "—", timeout=T)
    QApplication.processEvents()
    assert spoken(epoch, QAccessible.Text.Description) == "1"
    assert spoken(loss, QAccessible.Text.Description) == loss.text() != "—"
    status = shown.live_label
    assert spoken(status, QAccessible.Text.Description) == status.text()
    assert status.text().startswith("Epoch 1")
