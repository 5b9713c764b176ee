"""The export dialog's live preview: the figure of a style, drawn off the GUI thread at the preview's size.

:meth:`FigurePreview.show_style` asks for a redraw; requests within
:data:`DEBOUNCE_MS` of each other make one. The figure is built and painted
by a worker thread (NumPy and QPainter on a QImage both work there), so even
every neuron of a wide network never holds the dialog up; a result that a
newer request has overtaken is dropped. :attr:`FigurePreview.drawn` says when
a picture is shown, with its figure (for its size and notes) or the reason
there is none.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, QRunnable, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...core.figure import Figure, FigureStyle
from .export import ExportError, make_figure, project_of
from .figure_paint import figure_png

DEBOUNCE_MS = 40  # a spin box held down or a slider dragged: one redraw per pause, not one per step
MAX_PREVIEW_SCALE = 2.0


class _Delivery(QObject):
    done = Signal(int, object, object)  # request number, Figure or None, QImage or the reason (str)


class _Render(QRunnable):
    def __init__(self, number: int, project, style: FigureStyle, size: QSize, ratio: float, delivery: _Delivery):
        super().__init__()
        self.number, self.project, self.style, self.size, self.ratio = number, project, style, size, ratio
        self.delivery = delivery

    def run(self):
        try:
            figure = make_figure(self.project, self.style)
        except ExportError as exc:
            self.delivery.done.emit(self.number, None, str(exc))
            return
        scale = min(self.size.width() / max(figure.width, 1.0), self.size.height() / max(figure.height, 1.0))
        scale = max(0.02, min(scale, MAX_PREVIEW_SCALE)) * self.ratio
        image = figure_png(figure, scale)
        image.setDevicePixelRatio(self.ratio)
        self.delivery.done.emit(self.number, figure, image)


class FigurePreview(QWidget):
    """The figure of the newest style asked for, scaled to fit; a checkerboard shows where it is transparent."""

    drawn = Signal(object, object)  # Figure or None, None or the reason there is no picture

    def __init__(self, source, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exportPreview")
        self.project = project_of(source)
        self.setMinimumSize(340, 300)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.image: QImage | None = None
        self.figure: Figure | None = None
        self.reason = ""
        self._style: FigureStyle | None = None
        self._asked = 0  # the newest request's number
        self._shown = 0  # the number of the request whose picture is shown
        self._pool = QThreadPool(self)  # destroyed with the preview: waits for a render under way
        self._pool.setMaxThreadCount(1)
        self._delivery = _Delivery(self)
        self._delivery.done.connect(self._take)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)

    def show_style(self, style: FigureStyle) -> None:
        """Draw the figure in ``style`` soon (the newest style asked for wins)."""
        self._style = style
        self._asked += 1
        self._timer.start()

    @property
    def pending(self) -> bool:
        """Whether a newer picture than the one shown is on its way."""
        return self._timer.isActive() or self._shown != self._asked

    def _start(self) -> None:
        if self._style is None:
            return
        size = self.contentsRect().size() - _MARGINS if self.isVisible() else QSize(560, 420)
        ratio = self.devicePixelRatioF()
        self._pool.start(_Render(self._asked, self.project, self._style, size, ratio, self._delivery))

    def _take(self, number: int, figure, result) -> None:
        if number != self._asked:
            return  # overtaken by a newer style: its picture is on its way
        self._shown = number
        self.figure = figure
        self.image = result if isinstance(result, QImage) else None
        self.reason = "" if self.image is not None else str(result)
        self.update()
        self.drawn.emit(figure, None if self.image is not None else self.reason)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._style is not None:
            self._timer.start()  # redraw at the new size, once the resizing pauses

    def paintEvent(self, event):
        painter = QPainter(self)
        area = QRectF(self.contentsRect())
        painter.fillRect(area, self.palette().window())
        if self.image is None:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.reason or self.tr("Drawing…"))
            return
        size = self.image.deviceIndependentSize()
        target = QRectF(0, 0, size.width(), size.height())
        target.moveCenter(area.center())
        if self.figure is not None and self.figure.background is None:
            _checkerboard(painter, target)
        painter.drawImage(target, self.image)
        painter.setPen(QColor(0, 0, 0, 60))
        painter.drawRect(target.adjusted(-0.5, -0.5, 0.5, 0.5))


_MARGINS = QSize(12, 12)


def _checkerboard(painter: QPainter, rect: QRectF, cell: float = 8.0) -> None:
    painter.save()
    painter.setClipRect(rect)
    painter.fillRect(rect, QColor("#ffffff"))
    light = QColor("#e4e7eb")
    y, row = rect.top(), 0
    while y < rect.bottom():
        x = rect.left() + (cell if row % 2 else 0.0)
        while x < rect.right():
            painter.fillRect(QRectF(x, y, cell, cell), light)
            x += 2 * cell
        y += cell
        row += 1
    painter.restore()
