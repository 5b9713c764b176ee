"""Edit ▸ Preferences…: every choice applies to the open window at once, stays in QSettings, and agrees
with the View toggles and the Speed slider that change the same settings."""

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QImage, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from nnviz.ui import settings
from nnviz.ui.main_window import MainWindow
from nnviz.ui.training.controller import DEFAULT_PACE, PACES
from nnviz.ui.widgets import colors, theme


@pytest.fixture(autouse=True)
def back_to_the_system_theme(qapp):
    """A forced theme is the application's: the next test gets the system's again."""
    yield
    theme.apply_theme("system")
    QApplication.processEvents()
    assert colors.current_ink() == colors.LIGHT_INK


def open_preferences(window):
    window.findChild(QAction, "actionPreferences").trigger()
    dialog = window.preferences_dialog
    assert dialog.isVisible()
    return dialog


def choose(combo, data) -> None:
    """Pick the item carrying ``data``, as a click in the list does."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def rgb_pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    raw = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return raw.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(
        image.height(), image.width(), 3).copy()


def count_near(image: QImage, hex_color: str, tolerance: int = 20) -> int:
    return int((np.abs(rgb_pixels(image).astype(int) - colors.hex_rgb(hex_color)).max(axis=2) <= tolerance).sum())


def canvas_shot(window) -> QImage:
    return window.view.viewport().grab().toImage()


def icon_ink(window, name: str) -> float:
    """The lightness of an action icon's lines (its opaque pixels)."""
    image = window.findChild(QAction, name).icon().pixmap(32).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    argb = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes()).reshape(-1, 4)  # B, G, R, A
    lines = argb[argb[:, 3] > 200, :3]
    return float(lines.mean()) / 255


def settled_canvas(window, qtbot) -> QImage:
    """The canvas once the window has built its plots and stopped re-laying it out (which cancels a pulse)."""
    qtbot.waitUntil(lambda: window.plots is not None)
    shots = [canvas_shot(window)]

    def same_twice() -> bool:
        shots.append(canvas_shot(window))
        return shots[-1] == shots[-2]

    qtbot.waitUntil(same_twice)
    return shots[-1]


def test_the_action_is_in_the_edit_menu_with_its_shortcut_and_role(window):
    action = window.findChild(QAction, "actionPreferences")
    assert action.toolTip() and action.menuRole() == QAction.MenuRole.PreferencesRole
    assert action.shortcut() == (QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences) or [QKeySequence("Ctrl+,")])[0]
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert action in edit_menu.actions()


def test_dark_and_light_apply_to_the_open_window_at_once(window, qtbot):
    dialog = open_preferences(window)
    assert canvas_shot(window).pixelColor(3, 3).name() == "#ffffff"
    choose(dialog.theme, "dark")
    # No OK, no restart: the canvas, the widgets and the dialog itself are dark now.
    qtbot.waitUntil(lambda: canvas_shot(window).pixelColor(3, 3).lightnessF() < 0.2)
    assert canvas_shot(window).pixelColor(3, 3).name() == theme.THEME_COLORS[QPalette.ColorRole.Base][1]
    assert QWidget.palette(window).color(QPalette.ColorRole.Window).lightnessF() < 0.3
    assert dialog.palette().color(QPalette.ColorRole.WindowText).lightnessF() > 0.7
    assert colors.current_ink().text != colors.LIGHT_INK.text  # the labels are drawn light
    assert icon_ink(window, "actionZoomIn") > 0.7  # the toolbar's drawn icons too, not black on dark
    assert QSettings().value(settings.THEME) == "dark"

    choose(dialog.theme, "light")
    qtbot.waitUntil(lambda: canvas_shot(window).pixelColor(3, 3).name() == "#ffffff")
    assert QWidget.palette(window).color(QPalette.ColorRole.Window).lightnessF() > 0.8
    assert colors.current_ink() == colors.LIGHT_INK
    assert icon_ink(window, "actionZoomIn") < 0.3

    choose(dialog.theme, "system")
    assert QSettings().value(settings.THEME) == "system"
    assert canvas_shot(window).pixelColor(3, 3).name() == "#ffffff"


def test_the_colour_scheme_recolours_the_connections_and_agrees_with_the_view_toggle(window, qtbot):
    classic, safe = colors.SCHEMES["classic"], colors.SCHEMES["colorblind"]
    assert count_near(canvas_shot(window), classic.positive) > 100  # the example has positive weights
    dialog = open_preferences(window)
    choose(dialog.color_scheme, "colorblind")
    qtbot.waitUntil(lambda: count_near(canvas_shot(window), safe.positive) > 100)
    assert count_near(canvas_shot(window), classic.positive) < 5
    toggle = window.findChild(QAction, "actionColorBlindColors")
    assert toggle.isChecked()
    assert QSettings().value(settings.COLOR_SCHEME) == "colorblind"

    toggle.trigger()  # View ▸ Colour-blind-safe Colours off: the dialog follows
    assert dialog.color_scheme.currentData() == "classic"
    assert QSettings().value(settings.COLOR_SCHEME) == "classic"
    qtbot.waitUntil(lambda: count_near(canvas_shot(window), classic.positive) > 100)


def test_the_pulse_off_draws_nothing_and_leaves_the_frame_clock_alone(window, qtbot):
    scene = window.view.scene()
    still = settled_canvas(window, qtbot)
    with qtbot.waitSignal(scene.pulse_finished, timeout=5000):
        scene.pulse.animate_step()  # on by default: a step's forward sweep shows
        qtbot.waitUntil(lambda: canvas_shot(window) != still, timeout=3000)

    dialog = open_preferences(window)
    dialog.pulse.click()
    assert not dialog.pulse.isChecked() and not dialog.pulse_speed.isEnabled()
    toggle = window.findChild(QAction, "actionAnimateGradientFlow")
    assert not toggle.isChecked()
    scene.pulse.animate_step()
    scene.pulse.start()
    assert not scene.pulse.running
    assert not scene.run.clock.running  # no frame-clock work for a pulse that is off
    assert canvas_shot(window) == still
    assert settings.value(settings.GRADIENT_PULSE, True, bool) is False

    toggle.trigger()  # View ▸ Animate Gradient Flow on again: the dialog follows
    assert dialog.pulse.isChecked() and dialog.pulse_speed.isEnabled()


def test_the_pulse_speed_sets_how_long_the_wave_takes_per_layer_pair(window, qtbot):
    scene = window.view.scene()
    settled_canvas(window, qtbot)
    dialog = open_preferences(window)
    normal = scene.pulse.driver.pair_ms
    choose(dialog.pulse_speed, "slow")
    assert QSettings().value(settings.PULSE_SPEED) == "slow"
    assert scene.pulse.driver.pair_ms == 2 * normal
    choose(dialog.pulse_speed, "fast")
    assert scene.pulse.driver.pair_ms * 2 == normal
    entered = []
    scene.pulse_stepped.connect(lambda direction, pair: entered.append(pair))
    with qtbot.waitSignal(scene.pulse_finished, timeout=10000):
        scene.pulse.start()
    assert entered == list(reversed(range(len(scene.connections))))  # every pair, output to input


def test_the_training_speed_is_the_speed_slider(window, qtbot):
    dialog = open_preferences(window)
    slider = window.training.pace_slider
    assert PACES[slider.value()] == DEFAULT_PACE == dialog.pace.currentData()
    choose(dialog.pace, 20)
    assert PACES[slider.value()] == 20 and window.controller.pace == 20
    slider.setValue(PACES.index(1000))  # moved in the Training panel: the dialog shows it
    assert dialog.pace.currentData() == 1000
    choose(dialog.pace, 0)  # as fast as possible
    assert PACES[slider.value()] is None
    assert settings.value(settings.TRAINING_PACE, -1.0, float) == 0.0


def test_export_defaults_write_the_keys_the_export_dialog_reads(window):
    dialog = open_preferences(window)
    choose(dialog.export_format, "svg")
    assert not dialog.export_scale.isEnabled()  # an SVG has no pixels
    choose(dialog.export_format, "png")
    dialog.export_scale.setValue(3.5)
    choose(dialog.export_background, True)
    store = QSettings()
    # The export dialog's own keys, spelled out: the preference must edit its remembered choices.
    assert store.value("export/format") == "png"
    assert float(store.value("export/scale")) == 3.5
    assert store.value("export/transparent") in (True, "true")
    assert (settings.EXPORT_FORMAT, settings.EXPORT_SCALE, settings.EXPORT_TRANSPARENT) == (
        "export/format", "export/scale", "export/transparent")


def test_choices_persist_into_a_new_window_and_restore_defaults_undoes_them(window, qtbot):
    dialog = open_preferences(window)
    choose(dialog.color_scheme, "colorblind")
    dialog.pulse.click()
    choose(dialog.pace, 50)
    choose(dialog.pulse_speed, "fast")
    dialog.close()

    second = MainWindow()
    qtbot.addWidget(second)
    try:
        assert second.findChild(QAction, "actionColorBlindColors").isChecked()
        assert not second.findChild(QAction, "actionAnimateGradientFlow").isChecked()
        assert not second.view.scene().pulse.enabled
        assert PACES[second.training.pace_slider.value()] == 50
        assert second.view.scene().color_scheme == "colorblind"
    finally:
        second.close()

    dialog = open_preferences(window)
    dialog.restore_button.click()
    assert dialog.color_scheme.currentData() == "classic" and dialog.pulse.isChecked()
    assert dialog.theme.currentData() == "system" and dialog.pulse_speed.currentData() == "normal"
    assert not window.findChild(QAction, "actionColorBlindColors").isChecked()
    assert window.view.scene().pulse.enabled
    assert PACES[window.training.pace_slider.value()] == DEFAULT_PACE
    assert dialog.export_format.currentData() == "png" and dialog.export_scale.value() == 2.0


def test_close_closes_and_the_window_keeps_one_dialog(window):
    dialog = open_preferences(window)
    assert open_preferences(window) is dialog
    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Close).click()
    assert not dialog.isVisible()
