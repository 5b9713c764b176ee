"""Every choice of a :class:`~nnviz.core.figure.style.FigureStyle` as a control, with the named presets.

:class:`StyleControls` shows a style (:meth:`~StyleControls.set_style`) and
emits :attr:`~StyleControls.style_changed` with the new one whenever a
control changes. The preset combo names the preset the style equals, or
"Custom" once a control has moved away from every preset (``presets``:
the window's, whose default follows the canvas); choosing a preset
sets every control at once (one signal). The background is not part of a
preset: it is what the figure is printed on, so it stays as chosen.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.figure.layout import ELIDE_ABOVE
from ...core.figure.style import (
    LAYER_SPACING_RANGE,
    NEURON_SPACING_RANGE,
    NODE_SIZE_RANGE,
    PRESETS,
    FigureStyle,
)

# The words below are marked for translation here and translated where the controls are made (_t).
PRESET_LABELS = {"default": QT_TRANSLATE_NOOP("StyleControls", "Default"),
                 "paper": QT_TRANSLATE_NOOP("StyleControls", "Paper"),
                 "slide": QT_TRANSLATE_NOOP("StyleControls", "Slide"),
                 "nn-svg": "NN-SVG"}  # a name: the tool the style looks like
CUSTOM = "custom"

# (field, label, [(value, shown), …]) for the fields chosen from a list.
CHOICES = {
    "direction": (QT_TRANSLATE_NOOP("StyleControls", "Direction:"),
                  [("right", QT_TRANSLATE_NOOP("StyleControls", "Left to right")),
                   ("up", QT_TRANSLATE_NOOP("StyleControls", "Bottom to top"))]),
    "edge_width": (QT_TRANSLATE_NOOP("StyleControls", "Line width:"),
                   [("weight", QT_TRANSLATE_NOOP("StyleControls", "By |weight|")),
                    ("uniform", QT_TRANSLATE_NOOP("StyleControls", "Uniform"))]),
    "edge_opacity": (QT_TRANSLATE_NOOP("StyleControls", "Line opacity:"),
                     [("weight", QT_TRANSLATE_NOOP("StyleControls", "By |weight|")),
                      ("uniform", QT_TRANSLATE_NOOP("StyleControls", "Uniform"))]),
    "colors": (QT_TRANSLATE_NOOP("StyleControls", "Colours:"),
               [("classic", QT_TRANSLATE_NOOP("StyleControls", "Cyan / red")),
                ("colorblind", QT_TRANSLATE_NOOP("StyleControls", "Blue / orange")),
                ("mono", QT_TRANSLATE_NOOP("StyleControls", "Black, − dashed")),
                ("plain", QT_TRANSLATE_NOOP("StyleControls", "Grey, no sign"))]),
    "arrowheads": (QT_TRANSLATE_NOOP("StyleControls", "Arrowheads:"),
                   [("none", QT_TRANSLATE_NOOP("StyleControls", "None")),
                    ("open", QT_TRANSLATE_NOOP("StyleControls", "Open")),
                    ("filled", QT_TRANSLATE_NOOP("StyleControls", "Filled"))]),
    "labels": (QT_TRANSLATE_NOOP("StyleControls", "Labels:"),
               [("none", QT_TRANSLATE_NOOP("StyleControls", "None")),
                ("captions", QT_TRANSLATE_NOOP("StyleControls", "Layer captions")),
                ("math", QT_TRANSLATE_NOOP("StyleControls", "Math (x₁ … ŷ)")),
                ("names", QT_TRANSLATE_NOOP("StyleControls", "Input and output names"))]),
    "node_colors": (QT_TRANSLATE_NOOP("StyleControls", "Neuron colours:"),
                    [("role", QT_TRANSLATE_NOOP("StyleControls", "By role")),
                     ("layer", QT_TRANSLATE_NOOP("StyleControls", "Per layer")),
                     ("plain", QT_TRANSLATE_NOOP("StyleControls", "Plain"))]),
}
SIZES = {
    "node_size": (QT_TRANSLATE_NOOP("StyleControls", "Neuron size:"), NODE_SIZE_RANGE,
                  QT_TRANSLATE_NOOP("StyleControls", "Diameter of a neuron")),
    "layer_spacing": (QT_TRANSLATE_NOOP("StyleControls", "Layer spacing:"), LAYER_SPACING_RANGE,
                      QT_TRANSLATE_NOOP("StyleControls", "Between the centres of two connected layers")),
    "neuron_spacing": (QT_TRANSLATE_NOOP("StyleControls", "Neuron spacing:"), NEURON_SPACING_RANGE,
                       QT_TRANSLATE_NOOP("StyleControls", "Between the centres of neighbouring neurons")),
}
# A tip's {0} is ELIDE_ABOVE.
CHECKS = {
    "bias_units": (QT_TRANSLATE_NOOP("StyleControls", "Bias units (+1)"),
                   QT_TRANSLATE_NOOP("StyleControls", "A “+1” neuron per layer whose lines are the next layer's biases")),
    "legend": (QT_TRANSLATE_NOOP("StyleControls", "Legend"),
               QT_TRANSLATE_NOOP("StyleControls", "What the colours and widths mean, below the network")),
    "heatmaps": (QT_TRANSLATE_NOOP("StyleControls", "Heatmaps"),
                 QT_TRANSLATE_NOOP("StyleControls", "Hidden neurons as their activation over the input plane "
                                   "(2 inputs and 2-D data)")),
    "activations": (QT_TRANSLATE_NOOP("StyleControls", "Activations"),
                    QT_TRANSLATE_NOOP("StyleControls", "Neurons filled by the probe input's activations")),
    "full": (QT_TRANSLATE_NOOP("StyleControls", "Every neuron"),
             QT_TRANSLATE_NOOP("StyleControls", "Layers wider than {0} neurons are drawn elided (the first and last "
                               "few, “⋮” between); tick to draw every neuron and every connection")),
}
BACKGROUNDS = [("white", QT_TRANSLATE_NOOP("StyleControls", "White")),
               ("transparent", QT_TRANSLATE_NOOP("StyleControls", "Transparent")),
               ("colour", QT_TRANSLATE_NOOP("StyleControls", "Colour…"))]


def _t(text: str) -> str:
    """A word marked above, in the window's language."""
    return QCoreApplication.translate("StyleControls", text)


class StyleControls(QWidget):
    """Controls for every field of a figure style, grouped; emits :attr:`style_changed` with the new style."""

    style_changed = Signal(object)  # FigureStyle

    def __init__(self, style: FigureStyle, parent: QWidget | None = None, *, wide: bool = True,
                 presets: dict[str, FigureStyle] = PRESETS):
        super().__init__(parent)
        self.presets = presets
        self._style = style
        self._updating = False
        self._colour = "#ffffff" if style.background in ("white", "transparent") else style.background

        self.preset = QComboBox(objectName="exportPreset")
        for name in presets:
            self.preset.addItem(_t(PRESET_LABELS[name]) if name in PRESET_LABELS else name, name)
        self.preset.addItem(self.tr("Custom"), CUSTOM)
        self.preset.setToolTip(self.tr("A named set of choices; changing any control makes it Custom"))
        self.combos: dict[str, QComboBox] = {}
        for name, (_, items) in CHOICES.items():
            combo = self.combos[name] = QComboBox(objectName=f"export_{name}")
            for value, shown in items:
                combo.addItem(_t(shown), value)
        self.spins: dict[str, QDoubleSpinBox] = {}
        for name, (_, (low, high), tip) in SIZES.items():
            spin = self.spins[name] = QDoubleSpinBox(objectName=f"export_{name}")
            spin.setRange(low, high)
            spin.setDecimals(0)
            spin.setSingleStep(2)
            spin.setSuffix(" px")
            spin.setToolTip(_t(tip))
        self.checks: dict[str, QCheckBox] = {}
        for name, (text, tip) in CHECKS.items():
            check = self.checks[name] = QCheckBox(_t(text), objectName=f"export_{name}")
            check.setToolTip(_t(tip).format(ELIDE_ABOVE))
        full = self.checks["full"]
        full.setEnabled(wide)
        if not wide:
            full.setToolTip(self.tr("No layer is wider than {0} neurons: every neuron is drawn already")
                            .format(ELIDE_ABOVE))
        self.background = QComboBox(objectName="exportBackground")
        for value, shown in BACKGROUNDS:
            self.background.addItem(_t(shown), value)
        self.colour_button = QPushButton(objectName="exportBackgroundColour")
        self.colour_button.setToolTip(self.tr("Choose the background colour"))
        self.colour_button.setFixedWidth(36)

        self._lay_out()
        self.set_style(style)
        self.preset.activated.connect(self._preset_chosen)
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self._changed)
        for spin in self.spins.values():
            spin.valueChanged.connect(self._changed)
        for check in self.checks.values():
            check.toggled.connect(self._changed)
        self.background.activated.connect(self._background_chosen)
        self.colour_button.clicked.connect(self._choose_colour)

    def _lay_out(self) -> None:
        def form(title: str, rows) -> QGroupBox:
            box = QGroupBox(title)
            layout = QFormLayout(box)
            layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for label, widget in rows:
                layout.addRow(_t(label) if label else label, widget)
            return box

        checks = QWidget()
        grid = QVBoxLayout(checks)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        pairs = [("legend", "bias_units"), ("heatmaps", "activations"), ("full",)]
        for pair in pairs:
            row = QHBoxLayout()
            for name in pair:
                row.addWidget(self.checks[name])
            row.addStretch(1)
            grid.addLayout(row)
        background = QWidget()
        row = QHBoxLayout(background)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.background, 1)
        row.addWidget(self.colour_button)

        # Two columns of groups, so that every control fits on a 1024×768 screen beside the preview.
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._columns = [QVBoxLayout(), QVBoxLayout()]
        for i, column in enumerate(self._columns):
            layout.addLayout(column, 0, i)
        first, second = self._columns
        first.addWidget(form(self.tr("Preset"), [(QT_TRANSLATE_NOOP("StyleControls", "Style:"), self.preset)]))
        first.addWidget(form(self.tr("Layout"), [(CHOICES["direction"][0], self.combos["direction"]),
                                        *((SIZES[n][0], self.spins[n]) for n in SIZES)]))
        first.addWidget(form(self.tr("Connections"), [(CHOICES[n][0], self.combos[n])
                                             for n in ("edge_width", "edge_opacity", "colors", "arrowheads")]))
        second.addWidget(form(self.tr("Neurons and text"), [(CHOICES["labels"][0], self.combos["labels"]),
                                                   (CHOICES["node_colors"][0], self.combos["node_colors"]),
                                                   (QT_TRANSLATE_NOOP("StyleControls", "Background:"), background),
                                                   ("", checks)]))
        first.addStretch(1)
        second.addStretch(1)

    def add_group(self, box: QGroupBox) -> None:
        """Add a group of other controls (the dialog's file choices) at the end of the second column."""
        second = self._columns[1]
        second.insertWidget(second.count() - 1, box)

    # -- the style ----------------------------------------------------------------

    def style(self) -> FigureStyle:
        """The style the controls show."""
        return self._style

    def set_style(self, style: FigureStyle) -> None:
        """Show ``style`` in every control (no signal)."""
        self._updating = True
        try:
            self._style = style
            for name, combo in self.combos.items():
                combo.setCurrentIndex(max(0, combo.findData(getattr(style, name))))
            # The neuron spacing may not go below the neuron size (neighbours would overlap).
            self.spins["neuron_spacing"].setMinimum(style.node_size)
            for name, spin in self.spins.items():
                spin.setValue(getattr(style, name))
            for name, check in self.checks.items():
                check.setChecked(getattr(style, name))
            if style.background not in ("white", "transparent"):
                self._colour = style.background
            self.background.setCurrentIndex(self.background.findData(
                style.background if style.background in ("white", "transparent") else "colour"))
            self._show_colour()
            self._show_preset()
        finally:
            self._updating = False

    def _show_preset(self) -> None:
        shown = self._style
        name = next((n for n, p in self.presets.items() if p.replace(background=shown.background) == shown), CUSTOM)
        self.preset.setCurrentIndex(self.preset.findData(name))

    def _show_colour(self) -> None:
        on = self.background.currentData() == "colour"
        self.colour_button.setEnabled(on)
        shown = self._colour if on else "#ffffff"
        self.colour_button.setStyleSheet(f"background-color: {shown};" if on else "")
        self.colour_button.setText("" if on else "…")

    def _emit(self, style: FigureStyle) -> None:
        if style != self._style:
            self.set_style(style)
            self.style_changed.emit(style)

    def _changed(self, *_) -> None:
        if self._updating:
            return
        node = self.spins["node_size"].value()
        changes = {name: combo.currentData() for name, combo in self.combos.items()}
        changes |= {name: spin.value() for name, spin in self.spins.items()}
        changes["neuron_spacing"] = max(changes["neuron_spacing"], node)
        changes |= {name: check.isChecked() for name, check in self.checks.items()}
        self._emit(self._style.replace(**changes))

    def _preset_chosen(self, _index: int) -> None:
        name = self.preset.currentData()
        if name == CUSTOM:
            self._show_preset()  # "Custom" is what a changed style is, not a style to choose
            return
        # A preset says how the figure looks, not what it is printed on: the background stays.
        self._emit(self.presets[name].replace(background=self._style.background))
        self._show_preset()

    def _background_chosen(self, _index: int) -> None:
        value = self.background.currentData()
        if value == "colour":
            self._choose_colour()
            return
        self._emit(self._style.replace(background=value))

    def _choose_colour(self) -> None:
        colour = QColorDialog.getColor(QColor(self._colour), self, self.tr("Background colour"))
        if colour.isValid():
            self._colour = colour.name()
            self._emit(self._style.replace(background=self._colour))
        else:
            self.set_style(self._style)  # cancelled: show the background as it was
