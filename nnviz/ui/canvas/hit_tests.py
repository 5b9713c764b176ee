"""What of the network is under a point of the scene: a neuron, a column, a connection.

Read by the scene (clicks select, the pointer hovers), the view (the cursor's
shape, whether a press was on the background) and the tooltips. Works on the
scene's items as built, so an elided neuron is never hit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF

from ..model.document import Selection

if TYPE_CHECKING:
    from .scene import NetworkScene

HIT_SLACK = 3.0  # scene units around a neuron that still count as on it
PIXEL_TOLERANCE = 4.0  # view pixels from a connection that still count as on it


def neuron_at(scene: NetworkScene, pos: QPointF) -> tuple[int, int] | None:
    """``(layer, neuron)`` of the drawn neuron under ``pos`` (layer ``-1`` is the input)."""
    for item in scene.columns:
        c = item.column
        reach = c.radius + HIT_SLACK
        if abs(pos.x() - c.x) > reach:
            continue
        i = int(np.argmin(np.abs(c.ys - pos.y())))
        if np.hypot(pos.x() - c.x, pos.y() - c.ys[i]) <= reach:
            return c.layer, int(c.neurons[i])
    return None


def column_at(scene: NetworkScene, pos: QPointF) -> int | None:
    """The layer (``-1`` input) whose column or label is under ``pos``.

    The neurons' strip and the label, not the whole selection highlight:
    beside a column run its connections, which hover and pan instead.
    """
    for item in scene.columns:
        c = item.column
        strip = QRectF(c.x - c.radius - 8, c.body.top() - 10, 2 * (c.radius + 8), c.body.height() + 20)
        if strip.contains(pos) or c.label.adjusted(-8, -6, 8, 6).contains(pos):
            return item.layer
    return None


def connection_at(scene: NetworkScene, pos: QPointF, tolerance: float = 3.0) -> tuple[int, int] | None:
    """``(pair, line)``: the drawn connection nearest ``pos``; pair ``i`` feeds layer ``i``."""
    for pair, item in enumerate(scene.connections):
        if item.x0 < pos.x() < item.x1:
            line = item.line_at(pos, tolerance)
            return None if line is None else (pair, line)
    return None


def selection_at(scene: NetworkScene, pos: QPointF) -> Selection | None:
    """What a click at ``pos`` selects: a neuron, else a column; ``None`` on the background (the view pans)."""
    hit = neuron_at(scene, pos)
    if hit is not None:
        return Selection(layer=hit[0], neuron=hit[1])
    layer = column_at(scene, pos)
    return None if layer is None else Selection(layer=layer)


def tolerance(widget) -> float:
    """``PIXEL_TOLERANCE`` in scene units at the zoom of the view whose viewport is ``widget`` (an event's widget)."""
    view = widget.parent() if widget is not None else None
    scale = view.transform().m11() if view is not None and hasattr(view, "transform") else 1.0
    return PIXEL_TOLERANCE / max(scale, 1e-6)
