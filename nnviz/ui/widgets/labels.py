"""Labels: word-wrapped, elided, dimmed for secondary text, monospaced for numbers; the width a text needs."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QComboBox, QLabel, QStyle, QStyleOptionComboBox, QWidget

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



def combo_width(combo: QComboBox, text: str | None = None) -> int:
    """The width ``combo`` needs to show ``text`` (default: its current text) whole, with its icon and arrow.

    What QComboBox's own size hint computes, for one text: a combo set to shrink
    (``AdjustToMinimumContentsLength``) hints only a few characters' room.
    """
    text = combo.currentText() if text is None else text
    width = combo.fontMetrics().horizontalAdvance(text)
    if not combo.itemIcon(max(combo.currentIndex(), 0)).isNull():
        width += combo.iconSize().width() + 4
    opt = QStyleOptionComboBox()
    combo.initStyleOption(opt)
    size = combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, opt,
                                          QSize(width, combo.fontMetrics().height()), combo)
    return size.width()


def fit_current_text(combo: QComboBox, most: int | None = None) -> None:
    """Keep ``combo`` at least as wide as its chosen item needs, whatever is chosen later.

    A squeezed combo cuts its text without an ellipsis ("sigmoid" reads "sigmoic");
    its room follows the chosen item, not the widest one, so a short choice
    keeps its panel narrow. ``most`` caps it (a file's name can be of any length).
    """

    def fit(*_):
        fit_to_text(combo, most)

    combo.currentIndexChanged.connect(fit)  # (a choice made with signals blocked calls fit_to_text itself)
    combo.model().dataChanged.connect(fit)  # an item's text changed
    fit()


def fit_widest_item(combo: QComboBox) -> None:
    """At least as wide as ``combo``'s widest item needs: its room never changes with the choice (a
    card whose combo widened with "Leaky ReLU" would move the whole column)."""
    combo.setMinimumWidth(max((combo_width(combo, combo.itemText(i)) for i in range(combo.count())), default=0))


def fit_to_text(combo: QComboBox, most: int | None = None) -> None:
    """At least as wide as ``combo``'s chosen item needs (up to ``most``), now."""
    width = combo_width(combo) if most is None else min(most, combo_width(combo))
    if combo.minimumWidth() != width:
        combo.setMinimumWidth(width)


def text_width(widget: QWidget) -> float:
    """The width ``widget``'s current text needs (a label's rich text as laid out, a combo's with its arrow)."""
    if isinstance(widget, QComboBox):
        return combo_width(widget)
    text = widget.text()
    if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.PlainText and GuiQt.mightBeRichText(text):
        doc = QTextDocument()
        doc.setDefaultFont(widget.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        return doc.idealWidth()
    return widget.fontMetrics().horizontalAdvance(text) + (0 if isinstance(widget, QLabel) else 2)


def text_fits(widget: QWidget) -> bool:
    """Whether ``widget`` (a label, a combo box, a live readout) shows its whole current text."""
    room = widget.width() if isinstance(widget, QComboBox) else widget.contentsRect().width()
    return text_width(widget) <= room + 0.5
