"""A notice: a tinted, rounded box with a bold title and a message, for a problem a person should see."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from . import colors, icons
from .labels import wrap_label
from .theme import mix_colors



class Notice(QFrame):
    """A tinted, rounded box with a bold title and a message: a diverged run (amber) or an error (red)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.color = icons.WARNING_COLOR
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 7, 10, 8)
        layout.setSpacing(9)
        self.mark = QLabel(self)
        self.mark.setFixedSize(18, 18)
        self.mark.setPixmap(icons.severity_icon("warning").pixmap(18, 18))
        layout.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        self.title = wrap_label("", self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.message = wrap_label("", self)
        text.addWidget(self.title)
        text.addWidget(self.message)
        layout.addLayout(text, 1)
        self.hide()

    def show_message(self, title: str, message: str, error: bool = False) -> None:
        self.color = QColor(colors.ERROR) if error else icons.WARNING_COLOR
        self.mark.setVisible(not error)
        pal = self.title.palette()
        pal.setColor(QPalette.ColorRole.WindowText, self.color.darker(115) if error else self.palette().color(QPalette.ColorRole.WindowText))
        self.title.setPalette(pal)
        self.title.setText(title)
        self.message.setText(message)
        self.show()
        self.update()

    def text(self) -> str:
        return f"{self.title.text()}\n{self.message.text()}" if self.isVisibleTo(self.parentWidget()) else ""

    def paintEvent(self, event):
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        base = self.palette().color(QPalette.ColorRole.Base)
        p.setPen(QPen(mix_colors(base, self.color, 0.45), 1.0))
        p.setBrush(mix_colors(base, self.color, 0.08))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
