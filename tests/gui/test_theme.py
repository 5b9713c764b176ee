"""Light and dark: the canvas, the plots and the decision boundary follow the application's palette, at run time too."""

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from nnviz.core.datasets import make_toy
from nnviz.core.project import DatasetRecord
from nnviz.core.spec import DenseSpec
from nnviz.ui.io.export import make_figure
from nnviz.ui.io.figure_paint import figure_png
from nnviz.ui.model import commands
from nnviz.ui.widgets import colors

from helpers import make_doc, shown_view

DARK_BASE = "#1e1f22"


def dark_palette() -> QPalette:
    pal = QPalette(QApplication.palette())
    for role, color in ((QPalette.ColorRole.Window, "#2b2d30"), (QPalette.ColorRole.Base, DARK_BASE),
                        (QPalette.ColorRole.Text, "#dfe1e5"), (QPalette.ColorRole.WindowText, "#dfe1e5"),
                        (QPalette.ColorRole.Button, "#2b2d30"), (QPalette.ColorRole.ButtonText, "#dfe1e5")):
        pal.setColor(role, QColor(color))
    return pal


@pytest.fixture
def palettes(qapp):
    """Switch the application between its own (light) palette and a dark one; the light one comes back after the test."""
    light = QPalette(qapp.palette())

    def use(which: str) -> None:
        qapp.setPalette(dark_palette() if which == "dark" else light)
        QApplication.processEvents()

    yield use
    qapp.setPalette(light)
    QApplication.processEvents()
    assert colors.current_ink() == colors.LIGHT_INK


def lightness(image: QImage, x: int, y: int) -> float:
    return image.pixelColor(x, y).lightnessF()


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    raw = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    # A copy: the view into the image's bits would outlive the converted image.
    return raw.reshape(image.height(), -1)[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].copy()


def circle_doc():
    doc = make_doc(2, DenseSpec(4, "tanh"), DenseSpec(1, "sigmoid"))
    commands.set_dataset(doc, DatasetRecord.from_dict({"name": "circle"}), make_toy("circle", 80, seed=1))
    return doc


def test_the_canvas_turns_dark_and_back(qtbot, palettes):
    view = shown_view(qtbot, circle_doc())
    light_shot = view.grab().toImage()
    assert lightness(light_shot, 3, 3) > 0.9  # the background
    palettes("dark")
    qtbot.waitUntil(lambda: lightness(view.grab().toImage(), 3, 3) < 0.2)
    dark_shot = view.grab().toImage()
    assert dark_shot.pixelColor(3, 3).name() == DARK_BASE
    # Labels are drawn light on the dark background, and the weights still show in their colours.
    label = view.scene().column_item(0).column.label
    box = view.mapFromScene(label).boundingRect()
    text = pixels(dark_shot.copy(box))
    assert text.max() > 180, "the layer labels are not readable on the dark canvas"
    canvas = pixels(dark_shot)
    cyan = np.abs(canvas.astype(int) - [0xc2, 0xa3, 0x0a]).max(axis=2) <= 60  # BGR of #0aa3c2, the positive weight
    red = np.abs(canvas.astype(int) - [0x3c, 0x3c, 0xe0]).max(axis=2) <= 60
    assert cyan.sum() > 20 and red.sum() > 20
    # The silent parts of the neuron heatmaps are the dark background too, not white discs.
    assert (canvas.min(axis=2) > 240).sum() < 40

    palettes("light")
    qtbot.waitUntil(lambda: lightness(view.grab().toImage(), 3, 3) > 0.9)
    assert view.grab().toImage().pixelColor(3, 3).name() == "#ffffff"


def test_a_canvas_made_under_a_dark_palette_is_dark_from_the_start(qtbot, palettes):
    palettes("dark")
    view = shown_view(qtbot, circle_doc())
    assert lightness(view.grab().toImage(), 3, 3) < 0.2


def test_exported_pictures_stay_light_under_a_dark_theme(qtbot, palettes):
    doc = circle_doc()
    shown_view(qtbot, doc)  # a window's canvas sets the theme's ink
    light = pixels(figure_png(make_figure(doc), scale=1.0))
    palettes("dark")
    assert colors.BACKGROUND == DARK_BASE
    image = figure_png(make_figure(doc), scale=1.0)
    assert image.pixelColor(2, 2).name() == "#ffffff"
    assert np.array_equal(pixels(image), light)  # the same figure as under the light theme
    assert colors.BACKGROUND == DARK_BASE  # and the window stays dark


def test_plots_and_the_boundary_follow_the_palette(qtbot, palettes):
    from nnviz.ui.training.boundary import BoundaryView
    from nnviz.ui.training.plots.base import Plot

    plot = Plot("epoch", "loss")
    qtbot.addWidget(plot)
    plot.resize(300, 200)
    plot.show()
    qtbot.waitExposed(plot)
    boundary = BoundaryView(circle_doc())
    qtbot.addWidget(boundary)
    boundary.resize(320, 320)
    boundary.show()
    qtbot.waitExposed(boundary)
    assert lightness(plot.grab().toImage(), 2, 2) > 0.9
    assert lightness(boundary.plot_widget.grab().toImage(), 2, 2) > 0.9

    palettes("dark")
    qtbot.waitUntil(lambda: lightness(plot.grab().toImage(), 2, 2) < 0.2)
    qtbot.waitUntil(lambda: lightness(boundary.plot_widget.grab().toImage(), 2, 2) < 0.2)
    # The tick labels are light on dark, and the boundary's undecided middle is no white sheet.
    assert pixels(plot.grab().toImage()).max() > 150
    grid = boundary.grid_output()
    assert grid is not None
    middle = pixels(boundary.plot_widget.grab().toImage())
    assert (middle.min(axis=2) > 240).mean() < 0.05

    palettes("light")
    qtbot.waitUntil(lambda: lightness(plot.grab().toImage(), 2, 2) > 0.9)
    qtbot.waitUntil(lambda: lightness(boundary.plot_widget.grab().toImage(), 2, 2) > 0.9)
