"""Drag-and-drop payloads: a layer from the palette, or a layer card being moved.

Palette drags carry a layer spec as JSON under a vendor MIME type; moving a
card carries its index under another, so a drop target can tell an insertion
from a reorder.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from PySide6.QtCore import QMimeData

from ...core.spec import LAYER_KINDS, LayerSpec

LAYER_MIME = "application/x-nnviz-layer"
MOVE_MIME = "application/x-nnviz-layer-move"


def layer_mime(layer: LayerSpec) -> QMimeData:
    """MIME data carrying a new layer."""
    data = QMimeData()
    fields = {k: v for k, v in asdict(layer).items() if k != "kind"}
    data.setData(LAYER_MIME, json.dumps({"type": layer.kind, **fields}).encode())
    data.setText(json.dumps({"type": layer.kind, **fields}))
    return data


def layer_from_mime(data: QMimeData) -> LayerSpec | None:
    """The layer a palette drag carries, or ``None`` if it carries none."""
    if not data.hasFormat(LAYER_MIME):
        return None
    try:
        fields = json.loads(bytes(data.data(LAYER_MIME)).decode())
        return LAYER_KINDS[fields.pop("type")](**fields)
    except (ValueError, KeyError, TypeError):
        return None


def move_mime(index: int) -> QMimeData:
    """MIME data for moving the layer at ``index``."""
    data = QMimeData()
    data.setData(MOVE_MIME, str(index).encode())
    return data


def move_from_mime(data: QMimeData) -> int | None:
    """The index of the layer being moved, or ``None``."""
    if not data.hasFormat(MOVE_MIME):
        return None
    try:
        return int(bytes(data.data(MOVE_MIME)).decode())
    except ValueError:
        return None
