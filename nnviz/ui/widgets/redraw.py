"""A view's redraw in answer to changes: now if the view is visible and can afford it, else later.

A view asks for a redraw whenever what it shows changed (while training, once
per frame of the frame clock). A hidden view does no work: it is drawn when
it shows again. A view whose drawing is slow for the frame rate drops to a
lower rate of its own, without delaying the others: it spends at most half
of the time drawing, so a view that takes 20 ms redraws about every 40 ms.
"""

from __future__ import annotations

import math
import time
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QTimer
from PySide6.QtWidgets import QWidget

DUTY = 0.5  # the share of the time one view may spend drawing


class Redraw(QObject):
    """Runs ``draw`` on :meth:`request`, skipped while ``widget`` is hidden and spaced out when slow.

    Without a widget (a view that is always on screen, such as the canvas's
    pictures) only the spacing applies; ``parent`` then owns the redraw.
    """

    def __init__(self, widget: QWidget | None, draw: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent if widget is None else widget)
        self.widget = widget
        self.draw = draw
        self.stale = False  # a request came while the widget was hidden
        self.cost = 0.0  # seconds a draw takes (a running average)
        self.count = 0  # draws done (what a test or a benchmark sees)
        self._last = -math.inf
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._due)
        if widget is not None:
            widget.installEventFilter(self)

    def request(self) -> None:
        """Draw now, or once the widget shows, or once this view's share of the time allows."""
        if self.hidden:
            self.stale = True
            return
        if self._timer.isActive():
            return
        wait = self._last + self.cost / DUTY - time.monotonic()
        if wait <= 0:
            self.run()
        else:
            self._timer.start(math.ceil(wait * 1000))

    @property
    def hidden(self) -> bool:
        """Whether the widget is off screen: hidden, or in a dock whose tab is not the current one
        (Qt moves such a dock out of sight instead of hiding it)."""
        w = self.widget
        if w is None:
            return False
        if not w.isVisible():
            return True
        top = w.window()
        return not top.rect().intersects(QRect(w.mapTo(top, QPoint(0, 0)), w.size()))

    def _due(self) -> None:
        """A spaced-out draw's time came: draw, unless the widget went off screen meanwhile."""
        if self.hidden:
            self.stale = True
        else:
            self.run()

    def run(self) -> None:
        """Draw now."""
        self._timer.stop()
        self.stale = False
        start = time.monotonic()
        self.draw()
        self._last = time.monotonic()
        seconds = self._last - start
        self.cost = seconds if self.count == 0 else 0.7 * self.cost + 0.3 * seconds
        self.count += 1

    def show_stale(self) -> None:
        """Draw now if a request came while hidden and the widget is on screen again."""
        if self.stale and not self.hidden:
            self.request()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Show and self.stale:
            self.request()
        return False


def redraw_stale(root: QWidget) -> None:
    """Draw the views inside ``root`` that missed changes while off screen (a dock's tab was chosen)."""
    for redraw in root.findChildren(Redraw):
        redraw.show_stale()
