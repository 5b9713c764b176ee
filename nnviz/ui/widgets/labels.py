"""Labels: word-wrapped, elided, dimmed for secondary text, monospaced for numbers."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from . import colors
from .theme import dim_color


def make_dim(label: QLabel) -> QLabel:
    """Show ``label`` as secondary text (see :func:`~.theme.dim_color`); returns it."""
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, dim_color(label))
    label.setPalette(pal)
    return label


class WrapLabel(QLabel):
    """A word-wrapped label whose minimum height does not assume its narrowest width.

    QLabel's minimum size hint is its height when squeezed to its minimum width,
    which makes layouts keep it as tall as it would be in a very narrow panel;
    its real height comes from height-for-width instead.
    """

    def __init__(self, text="", parent=None):
        super().__init__(text, parent)
        self.setWordWrap(True)

    def minimumSizeHint(self):
        return QSize(60, self.fontMetrics().height())


class ElideLabel(QLabel):
    """A one-line label that shortens its text with "…" instead of forcing its width on the layout."""

    def minimumSizeHint(self):
        return QSize(self.fontMetrics().horizontalAdvance("…") * 4, super().minimumSizeHint().height())

    def paintEvent(self, event):
        p = QPainter(self)
        p.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        p.drawText(self.rect(), int(self.alignment()), text)


def wrap_label(text="", parent=None, dim=False) -> QLabel:
    """A selectable :class:`WrapLabel`, dimmed with ``dim``."""
    label = WrapLabel(text, parent)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if dim:
        make_dim(label)
    return label


def mono(label: QWidget) -> QWidget:
    """Give ``label`` a monospaced font of its own size (numbers that change keep their width); returns it."""
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(label.font().pointSizeF())
    label.setFont(font)
    return label


def sentence(message: str) -> str:
    """The core's messages start lower-case (they read well after "error: "); alone they need a capital."""
    return message[:1].upper() + message[1:]


def make_error_label(parent: QWidget | None = None) -> WrapLabel:
    """A red, word-wrapped, selectable label for a message the user must act on (hidden while empty)."""
    label = WrapLabel("", parent)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, QColor(colors.ERROR))
    label.setPalette(pal)
    label.hide()
    return label


def show_error(label: QLabel, message: str | None) -> None:
    label.setText(sentence(message) if message else "")
    label.setVisible(bool(message))
