"""A line of text for live readouts: it changes many times a second and never moves anything."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class LiveText(QWidget):
    """A line of text that changes many times a second (training readouts) without moving anything.

    A ``QLabel`` whose text changes asks its layout for room every time; in the
    status bar that re-lays out the whole main window, a dozen times a second
    while training. This widget's size comes from a ``template`` of the longest
    usual text, so a new text only repaints it; a longer one is shown in its
    short form where it has one ("12 / 40" for "epoch 12 of 40"), else elided,
    with the full text as tooltip.

    It paints its text itself, so a screen reader would hear nothing: ``name``
    is its accessible name ("Epoch") and its accessible description is always
    the text shown ("12"), changed only when the text changes.
    """

    def __init__(self, template: str, text: str = "", parent: QWidget | None = None, *, name: str = ""):
        super().__init__(parent)
        self._template = template
        self._text = text
        self._short = ""
        self._tip = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(name)
        self.setAccessibleDescription(text)

    def text(self) -> str:
        return self._text

    def setText(self, text: str, short: str = "") -> None:
        """Show ``text``; ``short``, if given, where ``text`` does not fit."""
        if (text, short) != (self._text, self._short):
            grows = len(short) != len(self._short)  # its room: asked for again only when it changes
            self._text, self._short = text, short
            self.setAccessibleDescription(text)
            if grows:
                self.updateGeometry()
            self.update()

    def shown(self) -> str:
        """What fits the widget's width: the text, its short form, or the text elided."""
        fm, width = self.fontMetrics(), self.contentsRect().width() - 2
        for text in (self._text, self._short):
            # By advance, as the size hints measure (elidedText cuts a text of exactly that width).
            if text and fm.horizontalAdvance(text) <= width:
                return text
        return fm.elidedText(self._short or self._text, Qt.TextElideMode.ElideRight, width)

    def setToolTip(self, tip: str) -> None:
        self._tip = tip
        super().setToolTip(tip)

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(fm.horizontalAdvance(self._template) + 2, fm.height() + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self._short or "…") + 2, self.sizeHint().height())

    def paintEvent(self, _event) -> None:
        rect = self.contentsRect().adjusted(1, 0, -1, 0)
        shown = self.shown()
        # The whole text as tooltip when it does not fit (before the widget's own tip).
        tip = f"{self._text}\n\n{self._tip}".strip() if shown != self._text else self._tip
        if tip != self.toolTip():
            super().setToolTip(tip)
        p = QPainter(self)
        p.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
