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

from PySide6.QtCore import Signal
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

PRESET_LABELS = {"default": "Default", "paper": "Paper", "slide": "Slide", "nn-svg": "NN-SVG"}
CUSTOM = "custom"

# (field, label, [(value, shown), …]) for the fields chosen from a list.
CHOICES = {
    "direction": ("Direction:", [("right", "Left to right"), ("up", "Bottom to top")]),
    "edge_width": ("Line width:", [("weight", "By |weight|"), ("uniform", "Uniform")]),
    "edge_opacity": ("Line opacity:", [("weight", "By |weight|"), ("uniform", "Uniform")]),
    "colors": ("Colours:", [("classic", "Cyan / red"), ("colorblind", "Blue / orange"),
                            ("mono", "Black, − dashed"), ("plain", "Grey, no sign")]),
    "arrowheads": ("Arrowheads:", [("none", "None"), ("open", "Open"), ("filled", "Filled")]),
    "labels": ("Labels:", [("none", "None"), ("captions", "Layer captions"), ("math", "Math (x₁ … ŷ)"),
                           ("names", "Input and output names")]),
    "node_colors": ("Neuron colours:", [("role", "By role"), ("layer", "Per layer"), ("plain", "Plain")]),
}
SIZES = {
    "node_size": ("Neuron size:", NODE_SIZE_RANGE, "Diameter of a neuron"),
    "layer_spacing": ("Layer spacing:", LAYER_SPACING_RANGE, "Between the centres of two connected layers"),
    "neuron_spacing": ("Neuron spacing:", NEURON_SPACING_RANGE, "Between the centres of neighbouring neurons"),
}
CHECKS = {
    "bias_units": ("Bias units (+1)", "A “+1” neuron per layer whose lines are the next layer's biases"),
    "legend": ("Legend", "What the colours and widths mean, below the network"),
    "heatmaps": ("Heatmaps", "Hidden neurons as their activation over the input plane (2 inputs and 2-D data)"),
    "activations": ("Activations", "Neurons filled by the probe input's activations"),
    "full": ("Every neuron", f"Layers wider than {ELIDE_ABOVE} neurons are drawn elided (the first and last few, "
                             "“⋮” between); tick to draw every neuron and every connection"),
}
BACKGROUNDS = [("white", "White"), ("transparent", "Transparent"), ("colour", "Colour…")]


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
            self.preset.addItem(PRESET_LABELS.get(name, name), name)
        self.preset.addItem("Custom", CUSTOM)
        self.preset.setToolTip("A named set of choices; changing any control makes it Custom")
        self.combos: dict[str, QComboBox] = {}
        for name, (_, items) in CHOICES.items():
            combo = self.combos[name] = QComboBox(objectName=f"export_{name}")
            for value, shown in items:
                combo.addItem(shown, value)
        self.spins: dict[str, QDoubleSpinBox] = {}
        for name, (_, (low, high), tip) in SIZES.items():
            spin = self.spins[name] = QDoubleSpinBox(objectName=f"export_{name}")
            spin.setRange(low, high)
            spin.setDecimals(0)
            spin.setSingleStep(2)
            spin.setSuffix(" px")
            spin.setToolTip(tip)
        self.checks: dict[str, QCheckBox] = {}
        for name, (text, tip) in CHECKS.items():
            check = self.checks[name] = QCheckBox(text, objectName=f"export_{name}")
            check.setToolTip(tip)
        full = self.checks["full"]
        full.setEnabled(wide)
        if not wide:
            full.setToolTip(f"No layer is wider than {ELIDE_ABOVE} neurons: every neuron is drawn already")
        self.background = QComboBox(objectName="exportBackground")
        for value, shown in BACKGROUNDS:
            self.background.addItem(shown, value)
        self.colour_button = QPushButton(objectName="exportBackgroundColour")
        self.colour_button.setToolTip("Choose the background colour")
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
                layout.addRow(label, widget)
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
        first.addWidget(form("Preset", [("Style:", self.preset)]))
        first.addWidget(form("Layout", [(CHOICES["direction"][0], self.combos["direction"]),
                                        *((SIZES[n][0], self.spins[n]) for n in SIZES)]))
        first.addWidget(form("Connections", [(CHOICES[n][0], self.combos[n])
                                             for n in ("edge_width", "edge_opacity", "colors", "arrowheads")]))
        second.addWidget(form("Neurons and text", [(CHOICES["labels"][0], self.combos["labels"]),
                                                   (CHOICES["node_colors"][0], self.combos["node_colors"]),
                                                   ("Background:", background), ("", checks)]))
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
        colour = QColorDialog.getColor(QColor(self._colour), self, "Background colour")
        if colour.isValid():
            self._colour = colour.name()
            self._emit(self._style.replace(background=self._colour))
        else:
            self.set_style(self._style)  # cancelled: show the background as it was
