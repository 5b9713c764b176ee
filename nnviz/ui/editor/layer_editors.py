"""The fields that edit a layer's settings, shared by the layer cards and the inspector.

Units, dropout rate, activation and initialiser, each made the same way in
both places; and the amber tint of a units field whose layer is costly.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QSpinBox

from ...core.activations import ACTIVATIONS
from ...core.initializers import INITIALIZERS
from ...core.numbers import human_bytes
from ...core.spec import MAX_UNITS
from ..widgets import icons
from ..widgets.inputs import ComboBox, DoubleSpinBox, SpinBox
from ..widgets.theme import mix_colors
from .layer_names import (ACTIVATION_LABELS, ALIASES, INITIALIZER_LABELS, activation_label, activation_tip,
                          initializer_label, initializer_tip)

# Units above this get a warning tint: the layer still works, but slowly.
LARGE_UNITS = 4096
UNITS_TIP = QT_TRANSLATE_NOOP("LayerEditors", "Number of units (neurons) in this layer.")


def _tr(text: str) -> str:
    return QCoreApplication.translate("LayerEditors", text)


def units_range_message(spin: SpinBox) -> str:
    """What a units field (or the network's inputs field, made here too) allows, in words."""
    low, high = spin.minimum(), spin.maximum()
    # The inputs field counts features; the card names them, the inspector's says so in its tooltip.
    if spin.property("counts_features"):
        return QCoreApplication.translate("LayerEditors", "The network takes {0} to {1} input features.").format(
            f"{low:,}", f"{high:,}")
    return QCoreApplication.translate("LayerEditors", "A layer needs {0} to {1} units.").format(f"{low:,}", f"{high:,}")


def make_units_spin(parent=None) -> SpinBox:
    spin = SpinBox(parent)
    spin.setRange(1, MAX_UNITS)
    spin.setAccelerated(True)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    spin.setToolTip(_tr(UNITS_TIP))
    spin.set_range_message(units_range_message)
    return spin


def make_rate_spin(parent=None) -> DoubleSpinBox:
    spin = DoubleSpinBox(parent)
    spin.setRange(0.0, 0.95)
    spin.setSingleStep(0.05)
    spin.setDecimals(2)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    spin.setToolTip(QCoreApplication.translate("LayerEditors",
                                               "Fraction of its inputs this layer sets to zero at each training step."))
    return spin


def make_activation_combo(parent=None) -> ComboBox:
    combo = ComboBox(parent)
    for name in ACTIVATION_LABELS:
        combo.addItem(icons.activation_icon(name), activation_label(name), name)
        combo.setItemData(combo.count() - 1, activation_tip(name), Qt.ItemDataRole.ToolTipRole)
    combo.setIconSize(QSize(16, 16))
    return combo


def make_initializer_combo(parent=None) -> ComboBox:
    combo = ComboBox(parent)
    for name in INITIALIZER_LABELS:
        combo.addItem(initializer_label(name), name)
        combo.setItemData(combo.count() - 1, initializer_tip(name), Qt.ItemDataRole.ToolTipRole)
    return combo


def set_combo_value(combo: QComboBox, value: str) -> None:
    """Select the item whose data is ``value`` (or its alias), without emitting signals."""
    index = combo.findData(ALIASES.get(value, value))
    if index < 0 and value in INITIALIZERS | ACTIVATIONS:
        combo.addItem(value, value)
        index = combo.count() - 1
    if index != combo.currentIndex():
        blocked = combo.blockSignals(True)
        combo.setCurrentIndex(index)
        combo.blockSignals(blocked)
    combo.setToolTip(combo.itemData(index, Qt.ItemDataRole.ToolTipRole) or "")


def units_warning(units: int, fan_in: int) -> str | None:
    """Why a layer this wide is costly, or ``None`` when it is not."""
    if units <= LARGE_UNITS:
        return None
    params = fan_in * units + units
    return QCoreApplication.translate(
        "LayerEditors",
        "{0} units is a very wide layer: it alone holds {1} parameters ({2} as float32), and training keeps "
        "gradients, optimiser state and one activation per unit for every sample besides, so each step is slow "
        "and memory-hungry. Networks for teaching rarely need more than a few hundred units."
    ).format(f"{units:,}", f"{params:,}", human_bytes(params * 4))


def show_units_cost(spin: QSpinBox, units: int, fan_in: int) -> None:
    """Tint the units field amber, with a tooltip on memory, above :data:`LARGE_UNITS`."""
    warning = units_warning(units, fan_in)
    spin.setProperty("large", warning is not None)
    if warning:
        pal = QPalette(spin.palette())
        base = QApplication.palette().color(QPalette.ColorRole.Base)
        pal.setColor(QPalette.ColorRole.Base, mix_colors(base, icons.WARNING_COLOR, 0.28))
        spin.setPalette(pal)
        spin.setToolTip(warning)
    else:
        spin.setPalette(QPalette())
        spin.setToolTip(_tr(UNITS_TIP))
