"""The hovered neuron's heatmap, large: a card beside the neuron.

It holds the neuron's name, its activation over the input plane as a
``IMAGE`` × ``IMAGE`` picture with the plane's axes named, the colour ramp of
the picture (± the neuron's largest |activation|), the activation's range, and
the rest of what the neuron's tooltip says: its parameters and its values for
the probe input (the card replaces the tooltip: two floating boxes would cover
each other).

The card keeps its size on screen whatever the zoom (it ignores the view's
transformations: its units are pixels) and is placed by the scene beside the
neuron, never over it. Only an interactive scene makes one, so an exported
picture never shows it.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ..widgets import colors
from . import style

IMAGE = 160  # pixels across the picture
PAD = 10
GAP = 6  # between the card's parts
RAMP = 6  # pixels tall: the colour ramp under the picture
PROBE_HEADING = QT_TRANSLATE_NOOP("HeatmapPopup", "for the probe input:")  # translated where shown
BORDER = "#d0d7de"
SHADOW = 3


class HeatmapPopup(QGraphicsItem):
    """See the module docstring; :meth:`set_content` then :meth:`place`."""

    def __init__(self):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self._title_font = style.font(12, QFont.Weight.DemiBold)
        self._font = style.font(11)
        self._small_font = style.small_font()
        self.title = ""
        self.caption = ""
        self.details: list[str] = []
        self.probe: list[str] = []
        self.axes = ("x1", "x2")
        self.image = QImage()
        self.scheme = colors.color_scheme(colors.DEFAULT_SCHEME)
        self.scale_text = ""
        self._card = QRectF()  # in pixels, relative to the neuron's centre
        self.setVisible(False)

    # -- content ---------------------------------------------------------------------

    def set_content(
        self,
        title: str,
        image: QImage,
        caption: str,
        details: list[str],
        probe: list[str],
        axes: tuple[str, str],
        scheme: colors.ColorScheme,
        scale_text: str,
    ) -> None:
        """What the card shows: ``image`` is drawn ``IMAGE`` pixels square (x2 up), its colours run
        from ``scheme``'s negative at -``scale_text`` through white to its positive at ``scale_text``;
        ``details`` (the parameters) and ``probe`` (values for the probe input) are lines under it."""
        self.prepareGeometryChange()
        self.title, self.image, self.caption, self.axes = title, image, caption, axes
        self.details, self.probe = list(details), list(probe)
        self.scheme, self.scale_text = scheme, scale_text
        self.update()

    def size(self) -> tuple[float, float]:
        """(width, height) of the card in pixels."""
        title = QFontMetricsF(self._title_font)
        body = QFontMetricsF(self._font)
        small = QFontMetricsF(self._small_font)
        widths = [IMAGE + small.height() + 2, title.horizontalAdvance(self.title), body.horizontalAdvance(self.caption)]
        widths += [small.horizontalAdvance(line) for line in self._lines()]
        height = title.height() + GAP + IMAGE + small.height() + GAP + RAMP + small.height() + GAP + body.height()
        if self._lines():
            height += GAP + 1 + GAP + len(self._lines()) * small.height()
        return max(widths) + 2 * PAD, height + 2 * PAD

    def _lines(self) -> list[str]:
        if not self.probe:
            return list(self.details)
        heading = QCoreApplication.translate("HeatmapPopup", PROBE_HEADING)
        return [*self.details, heading, *("  " + line for line in self.probe)]

    # -- placement -------------------------------------------------------------------

    def place(self, center: QPointF, offset: float, side: int, dy: float) -> None:
        """Beside the neuron at scene point ``center``: ``offset`` pixels from it to the right (``side`` 1) or left (-1), moved ``dy`` pixels down."""
        self.prepareGeometryChange()
        w, h = self.size()
        left = offset if side > 0 else -offset - w
        self._card = QRectF(left, -h / 2 + dy, w, h)
        self.setPos(center)
        self.setVisible(True)

    @property
    def card(self) -> QRectF:
        """The card in pixels, relative to the neuron's centre on screen."""
        return QRectF(self._card)

    # -- painting ----------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        return self._card.adjusted(-1, -1, SHADOW + 1, SHADOW + 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        card = self._card
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 22))
        painter.drawRoundedRect(card.translated(SHADOW * 0.5, SHADOW), 7, 7)
        painter.setPen(QPen(QColor(BORDER), 1.0))
        painter.setBrush(QColor(colors.BACKGROUND))  # opaque: connections behind would show through the text
        painter.drawRoundedRect(card, 6, 6)

        title = QFontMetricsF(self._title_font)
        body = QFontMetricsF(self._font)
        small = QFontMetricsF(self._small_font)
        left, y = card.left() + PAD, card.top() + PAD
        width = card.width() - 2 * PAD
        painter.setFont(self._title_font)
        painter.setPen(QColor(colors.TEXT))
        painter.drawText(QRectF(left, y, width, title.height()), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        y += title.height() + GAP

        # The picture, with x2 named up its left side and x1 along its bottom, as on the boundary plot.
        axis_w = small.height() + 2
        frame = QRectF(left + axis_w, y, IMAGE, IMAGE)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(frame, self.image)
        painter.setPen(QPen(QColor(colors.NEURON_OUTLINE), 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(frame.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.setFont(self._small_font)
        painter.setPen(QColor(colors.SUBTEXT))
        painter.drawText(QRectF(frame.left(), frame.bottom() + 1, IMAGE, small.height()), Qt.AlignmentFlag.AlignHCenter, f"{self.axes[0]} →")
        painter.save()
        painter.translate(left, frame.bottom())
        painter.rotate(-90)
        painter.drawText(QRectF(0, 0, IMAGE, small.height()), Qt.AlignmentFlag.AlignHCenter, f"{self.axes[1]} →")
        painter.restore()
        y = frame.bottom() + small.height() + GAP

        # The colour ramp: what a colour of the picture means.
        ramp = QRectF(frame.left(), y, IMAGE, RAMP)
        gradient = QLinearGradient(ramp.left(), 0, ramp.right(), 0)
        gradient.setColorAt(0.0, QColor(self.scheme.negative))
        gradient.setColorAt(0.5, QColor(colors.NEURON_FILL))
        gradient.setColorAt(1.0, QColor(self.scheme.positive))
        painter.setPen(QPen(QColor(BORDER), 1.0))
        painter.setBrush(gradient)
        painter.drawRect(ramp)
        y = ramp.bottom() + 1
        painter.setPen(QColor(colors.SUBTEXT))
        labels = (
            (Qt.AlignmentFlag.AlignLeft, f"-{self.scale_text}" if self.scale_text not in ("", "0") else self.scale_text),
            (Qt.AlignmentFlag.AlignHCenter, "0"),
            (Qt.AlignmentFlag.AlignRight, self.scale_text),
        )
        for align, text in labels:
            painter.drawText(QRectF(ramp.left(), y, IMAGE, small.height()), align, text)
        y += small.height() + GAP

        painter.setFont(self._font)
        painter.setPen(QColor(colors.TEXT))
        painter.drawText(QRectF(left, y, width, body.height()), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.caption)
        y += body.height()
        if self._lines():
            y += GAP
            painter.setPen(QPen(QColor(BORDER), 1.0))
            painter.drawLine(QPointF(left, y + 0.5), QPointF(left + width, y + 0.5))
            y += 1 + GAP
            painter.setFont(self._small_font)
            painter.setPen(QColor(colors.SUBTEXT))
            for line in self._lines():
                painter.drawText(QRectF(left, y, width, small.height()), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
                y += small.height()
