"""Edit ▸ Preferences…: the theme, the weights' colours, the gradient pulse, the training speed and export defaults.

Every choice is written to QSettings (:mod:`.settings`) the moment it is made,
and the open windows apply it at once (:mod:`.window_preferences`): there is
nothing to confirm, and Close only closes. The dialog shows what is stored and
follows it, so a View toggle or the Speed slider moved while it is open shows
here too. Restore Defaults forgets every choice on this page.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QVBoxLayout,
    QWidget,
)

from . import settings
from .io.export import FORMAT_NAMES, MAX_SCALE, MIN_SCALE, format_name
from .training.controller import DEFAULT_PACE, PACES, pace_text
from .training.panel import remember_pace, stored_pace
from .widgets import colors
from .translation import core_text
from .widgets.sections import same_label_width

THEME_CHOICES = (("system", QT_TRANSLATE_NOOP("PreferencesDialog", "Follow the system")),
                 ("light", QT_TRANSLATE_NOOP("PreferencesDialog", "Light")),
                 ("dark", QT_TRANSLATE_NOOP("PreferencesDialog", "Dark")))
SPEED_CHOICES = (("slow", QT_TRANSLATE_NOOP("PreferencesDialog", "Slow")),
                 ("normal", QT_TRANSLATE_NOOP("PreferencesDialog", "Normal")),
                 ("fast", QT_TRANSLATE_NOOP("PreferencesDialog", "Fast")))
BACKGROUND_CHOICES = ((False, QT_TRANSLATE_NOOP("PreferencesDialog", "White")),
                      (True, QT_TRANSLATE_NOOP("PreferencesDialog", "Transparent")))


def _translated(choices):
    """``choices`` (data, text marked in the "PreferencesDialog" context) with the text in the window's language."""
    return [(data, QCoreApplication.translate("PreferencesDialog", text)) for data, text in choices]


def _combo(name: str, choices, tip: str) -> QComboBox:
    combo = QComboBox(objectName=name)
    for data, text in choices:
        combo.addItem(text, data)
    combo.setToolTip(tip)
    return combo


def _show(combo: QComboBox, data) -> None:
    with QSignalBlocker(combo):
        combo.setCurrentIndex(max(0, combo.findData(data)))


class PreferencesDialog(QDialog):
    """The preferences, in four sections; each field writes its setting as it changes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(self.tr("Preferences"))

        self.theme = _combo("prefTheme", _translated(THEME_CHOICES),
                            self.tr("Light or dark for the window, the canvas, the plots and the boundary; "
                                    "exported pictures stay on white"))
        self.color_scheme = _combo("prefColorScheme", [(s.name, core_text(s.label)) for s in colors.SCHEMES.values()],
                                   self.tr("The colours of positive and negative weights; the same setting as "
                                           "View ▸ Colour-blind-safe Colours"))
        self.pulse = QCheckBox(self.tr("Animate the gradient flow"), objectName="prefGradientPulse")
        self.pulse.setToolTip(self.tr("After each update a pulse runs backwards through the connections, each layer "
                                      "lit by the size of its gradient; the same setting as View ▸ Animate Gradient Flow"))
        self.pulse_speed = _combo("prefPulseSpeed", _translated(SPEED_CHOICES),
                                  self.tr("How fast the pulse crosses the network: slow is easier to follow layer by "
                                          "layer"))
        # 0 stands for "as fast as possible" (None): a combo finds no item by None.
        self.pace = _combo("prefTrainingPace", [(p or 0, pace_text(p)) for p in PACES],
                           self.tr("The steps a second training runs at. This is the Training panel's Speed slider, "
                                   "which nnviz remembers: a new window starts at it, and changing it here moves "
                                   "the slider now. The default is {0}.").format(pace_text(DEFAULT_PACE)))
        self.export_format = _combo("prefExportFormat", [(fmt, format_name(fmt)) for fmt in FORMAT_NAMES],
                                    self.tr("The format Export Image… starts with"))
        self.export_scale = QDoubleSpinBox(objectName="prefExportScale")
        self.export_scale.setRange(MIN_SCALE, MAX_SCALE)
        self.export_scale.setSingleStep(0.5)
        self.export_scale.setDecimals(1)
        self.export_scale.setSuffix(" ×")
        self.export_scale.setToolTip(self.tr("Pixels per point of an exported PNG: 2× is sharp on high-resolution "
                                             "screens and in print"))
        self.export_background = _combo("prefExportBackground", _translated(BACKGROUND_CHOICES),
                                        self.tr("The background an exported figure starts with, for a network whose "
                                                "figure style was never changed"))

        layout = QVBoxLayout(self)
        sections = (
            self._section(self.tr("Appearance"), (self.tr("Theme:"), self.theme),
                          (self.tr("Connections:"), self.color_scheme)),
            self._section(self.tr("Animation"), ("", self.pulse), (self.tr("Pulse speed:"), self.pulse_speed)),
            self._section(self.tr("Training"), (self.tr("Speed:"), self.pace)),
            self._section(self.tr("Export defaults"), (self.tr("Format:"), self.export_format),
                          (self.tr("Scale:"), self.export_scale), (self.tr("Background:"), self.export_background)),
        )
        for section in sections:
            layout.addWidget(section)
        same_label_width(*(section.layout() for section in sections))
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.RestoreDefaults
                                   | QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.restore_button.setToolTip(self.tr("Put every choice on this page back as nnviz first started"))
        self.restore_button.clicked.connect(settings.restore_defaults)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        writers = (
            (self.theme.currentIndexChanged, lambda: settings.set_value(settings.THEME, self.theme.currentData())),
            (self.color_scheme.currentIndexChanged,
             lambda: settings.set_value(settings.COLOR_SCHEME, self.color_scheme.currentData())),
            (self.pulse.toggled, lambda on: settings.set_value(settings.GRADIENT_PULSE, on)),
            (self.pulse_speed.currentIndexChanged,
             lambda: settings.set_value(settings.PULSE_SPEED, self.pulse_speed.currentData())),
            (self.pace.currentIndexChanged, lambda: remember_pace(self.pace.currentData() or None)),
            (self.export_format.currentIndexChanged,
             lambda: settings.set_value(settings.EXPORT_FORMAT, self.export_format.currentData())),
            (self.export_scale.valueChanged, lambda value: settings.set_value(settings.EXPORT_SCALE, value)),
            (self.export_background.currentIndexChanged,
             lambda: settings.set_value(settings.EXPORT_TRANSPARENT, self.export_background.currentData())),
        )
        for signal, write in writers:
            signal.connect(write)
        self.show_stored()
        settings.changes().changed.connect(self._stored_changed)

    def _section(self, title: str, *rows) -> QGroupBox:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for label, field in rows:
            form.addRow(label, field)
        return box

    def _stored_changed(self, key: str) -> None:
        if key in settings.PREFERENCES:
            self.show_stored()

    def show_stored(self) -> None:
        """Show what QSettings holds now (without writing it back)."""
        _show(self.theme, settings.theme())
        _show(self.color_scheme, settings.color_scheme())
        with QSignalBlocker(self.pulse):
            self.pulse.setChecked(settings.gradient_pulse())
        _show(self.pulse_speed, settings.pulse_speed())
        self.pulse_speed.setEnabled(self.pulse.isChecked())
        _show(self.pace, stored_pace() or 0)
        _show(self.export_format, settings.export_format())
        with QSignalBlocker(self.export_scale):
            self.export_scale.setValue(settings.export_scale())
        self.export_scale.setEnabled(self.export_format.currentData() == "png")  # the others are not pixels
        _show(self.export_background, settings.export_transparent())


def show_preferences(parent: QWidget) -> PreferencesDialog:
    """Bring up ``parent``'s Preferences dialog (one a window; non-modal: the window shows each change as it is made)."""
    dialog = getattr(parent, "preferences_dialog", None)
    if dialog is None:
        dialog = parent.preferences_dialog = PreferencesDialog(parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
