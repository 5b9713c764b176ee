"""Input fields: spin boxes and a combo box that leave the scroll wheel to the panel, a number field for
any real value, and setters that show a value without emitting a change.

A panel of spin boxes inside a scroll area: scrolling the panel must not
change a layer's width because the pointer happened to pass over it. So
these fields take wheel events only once they have focus.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (QAbstractSpinBox, QComboBox, QDoubleSpinBox, QLineEdit, QMainWindow, QSpinBox,
                               QToolTip)

from ...core.numbers import significant


class _WheelWhenFocused:
    """Mixin: the field takes the wheel only with focus (else the panel scrolls); typing is one change."""

    def _settle(self) -> None:
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if isinstance(self, QAbstractSpinBox):
            self.setKeyboardTracking(False)  # typing "128" is one change, not three
            self.findChild(QLineEdit).setAcceptDrops(False)  # layer drags go to the stack

    def wheelEvent(self, event):
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


RANGE_MESSAGE_MS = 6000  # how long "allowed: 1 to N" stays beside the field and in the status bar


class SpinBox(_WheelWhenFocused, QSpinBox):
    """An integer field; with :meth:`set_noun` it reads "8 units", "1 unit".

    A whole number typed outside the range is not silently put back: the
    field says what it allows (:attr:`range_refused`, a tooltip at the field
    and the window's status bar), then keeps its previous value.
    """

    range_refused = Signal(str)  # the message shown: what the field allows

    def __init__(self, parent=None):
        super().__init__(parent)
        self._settle()
        self._noun: tuple[str, str] | None = None
        self._range_message: Callable[[SpinBox], str] | None = None
        # Connected first, so the suffix is right before anyone else hears of the change.
        self.valueChanged.connect(self._update_suffix)

    def set_range_message(self, message: Callable[[SpinBox], str]) -> None:
        """``message(spin)`` says what the field allows, shown when a number outside it is typed."""
        self._range_message = message

    @property
    def noun(self) -> tuple[str, str] | None:
        """(singular, plural) set by :meth:`set_noun`, or None."""
        return self._noun

    def range_message(self) -> str:
        """What the field allows, in words."""
        if self._range_message is not None:
            return self._range_message(self)
        low, high = f"{self.minimum():,}", f"{self.maximum():,}"
        if self._noun:
            return self.tr("Enter {0} to {1} {2}.").format(low, high, self._noun[1])
        return self.tr("Enter {0} to {1}.").format(low, high)

    def _typed_number(self, text: str) -> int | None:
        """The whole number in ``text`` (prefix, suffix and digit grouping aside), or None."""
        text = text.strip()
        for affix, cut in ((self.prefix().strip(), str.removeprefix), (self.suffix().strip(), str.removesuffix)):
            if affix:
                text = cut(text, affix).strip()
        text = text.replace(",", "").replace("\u00a0", "").replace(" ", "")
        try:
            return int(text)
        except ValueError:
            return None

    def _outside(self, text: str) -> bool:
        value = self._typed_number(text)
        return value is not None and not self.minimum() <= value <= self.maximum()

    def validate(self, text, pos):
        state, text, pos = super().validate(text, pos)
        # Qt refuses the keystroke that makes a number too large, so "1000000000"
        # could never be typed and nothing would say why: let it stand until
        # the edit ends, when fixup explains and the old value comes back.
        if state == QValidator.State.Invalid and self._outside(text):
            state = QValidator.State.Intermediate
        return state, text, pos

    def fixup(self, text):
        if self._outside(text):
            self._refuse()
        return super().fixup(text)

    def _refuse(self) -> None:
        message = self.range_message()
        QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), message, self, self.rect(), RANGE_MESSAGE_MS)
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, RANGE_MESSAGE_MS)
        self.range_refused.emit(message)

    def set_noun(self, singular: str, plural: str) -> None:
        self._noun = (singular, plural)
        self._update_suffix()

    def _update_suffix(self, *_args) -> None:
        if self._noun:
            self.setSuffix(" " + self._noun[self.value() != 1])


class DoubleSpinBox(_WheelWhenFocused, QDoubleSpinBox):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._settle()


class ComboBox(_WheelWhenFocused, QComboBox):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._settle()


def narrow_combo(combo: ComboBox) -> None:
    """Let a combo box shrink below its longest item (it elides) instead of widening the dock."""
    combo.setSizeAdjustPolicy(ComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)


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
        return significant(value, 6)

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


def set_spin_value(spin, value) -> None:
    """Show ``value`` without emitting a change (and without touching an unchanged field)."""
    if spin.value() != value:
        blocked = spin.blockSignals(True)
        spin.setValue(value)
        spin.blockSignals(blocked)
        if isinstance(spin, SpinBox):
            spin._update_suffix()


def set_unless_editing(spin, value) -> None:
    """Show ``value`` in ``spin`` unless the user is typing into it; never emit a change."""
    if spin.hasFocus() or spin.value() == value:
        return
    blocked = spin.blockSignals(True)
    spin.setValue(value)
    spin.blockSignals(blocked)
