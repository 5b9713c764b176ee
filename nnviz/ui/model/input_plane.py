"""The input plane: a grid over a 2-feature dataset, in the units a person reads and the units the network sees.

Both pictures of "what the network does over the plane" use it: the decision
boundary (:mod:`nnviz.ui.training.boundary`) and the per-neuron heatmaps on the canvas
(:mod:`nnviz.ui.canvas.heatmaps`). It applies when the network has 2 inputs and
the data 2 features.

Coordinates. Display points are *raw* units (what the data file holds). The
network sees standardised inputs when the data carry a
:class:`~nnviz.core.datasets.Standardization` (CSV tables: ``data.x`` is then
already standardised and is mapped back for display) or, failing that, when
the open file has one (``doc.standardization``); grid points go through
the same mapping before a forward pass.

Plain NumPy and QRectF: no pyqtgraph, so the canvas can use it without paying
for that import.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF

from ...core.datasets import Standardization
from .document import Document

MARGIN = 0.10  # of the data's span, on each side


def applies(doc: Document) -> bool:
    """A 2-input network and a 2-feature dataset: there is a plane to draw."""
    data = doc.data
    return data is not None and data.n_features == 2 and doc.spec.inputs == 2


def _standardization(doc: Document) -> tuple[Standardization | None, bool]:
    """(stats, data_is_standardised): what maps display coordinates to the network's inputs."""
    data = doc.data
    if data is not None and data.standardization is not None:
        return data.standardization, True
    return doc.standardization, False


def display_x(doc: Document, x: np.ndarray) -> np.ndarray:
    """Rows of ``doc.data.x`` in display (raw) units."""
    std, data_standardised = _standardization(doc)
    return x * std.std + std.mean if data_standardised else x


def network_inputs(doc: Document, points: np.ndarray) -> np.ndarray:
    """Display points (n, 2) as the network's inputs."""
    std, _ = _standardization(doc)
    return std.apply(points) if std is not None else points


@dataclass(frozen=True)
class InputPlane:
    """An ``n`` × ``n`` grid over the data's range plus :data:`MARGIN`.

    ``points[i * n + j]`` is the centre of pixel (row ``i``, column ``j``) of an
    ``n`` × ``n`` image of the plane: rows go *up* in x2, columns right in x1.
    """

    n: int
    points: np.ndarray  # (n², 2) display (raw) coordinates
    inputs: np.ndarray  # (n², 2) the same points as the network sees them
    lo: np.ndarray  # (2,) lower-left corner of the plane, display units
    hi: np.ndarray  # (2,) upper-right corner

    @property
    def rect(self) -> QRectF:
        """The plane in display units (y up: ``top()`` is the smallest x2)."""
        return QRectF(self.lo[0], self.lo[1], self.hi[0] - self.lo[0], self.hi[1] - self.lo[1])


def input_plane(doc: Document, n: int) -> InputPlane | None:
    """The ``n`` × ``n`` plane of ``doc``'s data, ``None`` when the plane does not apply."""
    if not applies(doc):
        return None
    raw = display_x(doc, doc.data.x)
    lo, hi = raw.min(axis=0), raw.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    lo, hi = lo - MARGIN * span, hi + MARGIN * span
    step = (hi - lo) / n
    # Pixel centres: each grid point is the middle of its pixel of an image of the plane.
    xs = lo[0] + (np.arange(n) + 0.5) * step[0]
    ys = lo[1] + (np.arange(n) + 0.5) * step[1]
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    return InputPlane(n, points, network_inputs(doc, points), lo, hi)
