"""Building blocks shared by the side panels (inspector, training panel, CSV dialog):
titled sections, aligned forms, compact buttons and labels, a number field for
any real value, and the scrolling column a dock's content sits in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette, QValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..editor.layer_card import DoubleSpinBox, WrapLabel, make_dim


def scroll_column(owner: QWidget, margins=(12, 8, 12, 10)) -> tuple[QScrollArea, QVBoxLayout]:
    """A frameless vertical scroll area filling ``owner`` and the column layout inside it."""
    scroll = QScrollArea(owner)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    body = QWidget()
    scroll.setWidget(body)
    col = QVBoxLayout(body)
    col.setContentsMargins(*margins)
    col.setSpacing(8)
    return scroll, col


def set_unless_editing(spin, value) -> None:
    """Show ``value`` in ``spin`` unless the user is typing into it; never emit a change."""
    if spin.hasFocus() or spin.value() == value:
        return
    blocked = spin.blockSignals(True)
    spin.setValue(value)
    spin.blockSignals(blocked)


class NumberSpinBox(DoubleSpinBox):
    """A spin box for any real number: shows it as briefly as possible ("0.1", "1e-05")."""

    def __init__(self, low=-1e9, high=1e9, step=0.1, parent=None, log_steps=False):
        super().__init__(parent)
        self.setDecimals(12)
        self.setRange(low, high)
        self.setSingleStep(step)
        self.log_steps = log_steps
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def textFromValue(self, value):
        return f"{value:.6g}"

    def valueFromText(self, text):
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return self.value()

    def validate(self, text, pos):
        stripped = text.strip().replace(",", ".")
        if stripped in ("", "-", "+", ".", "-.", "+.") or stripped.lower().endswith(("e", "e-", "e+")):
            return QValidator.State.Intermediate, text, pos
        try:
            value = float(stripped)
        except ValueError:
            return QValidator.State.Invalid, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos

    def fixup(self, text):
        return self.textFromValue(self.value())

    def stepBy(self, steps):
        if self.log_steps and self.value() > 0:
            self.setValue(min(self.maximum(), max(self.minimum(), self.value() * 10.0**steps)))
        else:
            super().stepBy(steps)


class Section(QWidget):
    """A titled block: a small bold heading over a thin rule, then its content."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 6, 0, 2)
        outer.setSpacing(6)
        head = QHBoxLayout()
        head.setSpacing(8)
        self.title = QLabel(title, self)
        font = self.title.font()
        font.setBold(True)
        font.setCapitalization(QFont.Capitalization.AllUppercase)
        font.setPointSizeF(font.pointSizeF() * 0.82)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
        self.title.setFont(font)
        make_dim(self.title)
        head.addWidget(self.title)
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Plain)
        pal = rule.palette()
        pal.setColor(QPalette.ColorRole.WindowText, pal.color(QPalette.ColorRole.Midlight))
        rule.setPalette(pal)
        head.addWidget(rule, 1)
        outer.addLayout(head)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(2, 0, 0, 0)
        self.body.setSpacing(6)
        outer.addLayout(self.body)


def form_layout(parent) -> QFormLayout:
    form = QFormLayout()
    form.setContentsMargins(0, 0, 0, 0)
    form.setHorizontalSpacing(10)
    form.setVerticalSpacing(6)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


FORM_LABEL_WIDTH = 72


def small_button(text: str, parent) -> QPushButton:
    """A push button only as wide as its text (the style's minimum width is for dialog buttons)."""
    button = QPushButton(text, parent)
    button.setAutoDefault(False)
    width = button.fontMetrics().horizontalAdvance(text) + 24
    button.setMinimumWidth(width)
    button.setMaximumWidth(max(width, 84))
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return button


def align_labels(form: QFormLayout) -> None:
    """Give every form the same label column, so the fields of all sections line up."""
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        if item is not None and item.widget() is not None:
            item.widget().setMinimumWidth(FORM_LABEL_WIDTH)
            item.widget().setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def wrap_label(text="", parent=None, dim=False) -> QLabel:
    label = WrapLabel(text, parent)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if dim:
        make_dim(label)
    return label


def mono(label: QWidget) -> QWidget:
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(label.font().pointSizeF())
    label.setFont(font)
    return label

