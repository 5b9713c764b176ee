"""The layout of the side panels (inspector, training panel, CSV dialog): titled sections, aligned
forms, compact buttons, and the scrolling column a dock's content sits in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
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

from .labels import make_dim

FORM_LABEL_WIDTH = 72


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


def column_width(scroll: QScrollArea) -> int:
    """The narrowest a :func:`scroll_column` can be without clipping its fields (room for its scroll bar)."""
    return scroll.widget().minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 2


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
    """A form with right-aligned labels and fields that grow, without margins of its own."""
    form = QFormLayout()
    form.setContentsMargins(0, 0, 0, 0)
    form.setHorizontalSpacing(10)
    form.setVerticalSpacing(6)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def align_labels(form: QFormLayout) -> None:
    """Give every form the same label column, so the fields of all sections line up."""
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        if item is not None and item.widget() is not None:
            item.widget().setMinimumWidth(FORM_LABEL_WIDTH)
            item.widget().setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def same_label_width(*forms) -> None:
    """One label column for every form, so the fields of all sections line up."""
    labels = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and item.widget() is not None:
                labels.append(item.widget())
    width = max(label.sizeHint().width() for label in labels)
    for label in labels:
        label.setMinimumWidth(width)


def small_button(text: str, parent) -> QPushButton:
    """A push button only as wide as its text (the style's minimum width is for dialog buttons)."""
    button = QPushButton(text, parent)
    button.setAutoDefault(False)
    width = button.fontMetrics().horizontalAdvance(text) + 24
    button.setMinimumWidth(width)
    button.setMaximumWidth(max(width, 84))
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return button
