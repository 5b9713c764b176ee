"""The data points' look, shared by the pictures of the input plane (the decision boundary and the hidden space).

Classes take the colour scheme's negative and positive hues, then a few more;
regression targets go from the negative hue (below the mean) through the
background to the positive hue. Training points are filled, validation points
hollow, split as training splits the data.
"""

from __future__ import annotations

import numpy as np

import pyqtgraph as pg  # the caller imported PySide6 first

from ...core.datasets import CLASSIFICATION, Dataset, DatasetError
from ..model.document import Document
from ..widgets import colors

POINT_SIZE = 6

# Colours of classes beyond the first two (which are the scheme's negative and positive).
EXTRA_CLASSES = {
    "classic": ("#2ca02c", "#9467bd", "#e6a800", "#8c564b", "#e377c2", "#7f7f7f"),
    "colorblind": ("#009e73", "#cc79a7", "#f0e442", "#56b4e9", "#d55e00", "#000000"),
}


def class_colors(scheme: colors.ColorScheme, k: int) -> np.ndarray:
    """(max(k, 2), 3) RGB: the colour of each of ``k`` classes."""
    extra = EXTRA_CLASSES.get(scheme.name, EXTRA_CLASSES["classic"])
    hexes = [scheme.negative, scheme.positive, *extra]
    hexes = [hexes[i % len(hexes)] for i in range(max(k, 2))]
    return np.array([colors.hex_rgb(h) for h in hexes])


def target_scale(y: np.ndarray) -> tuple[float, float]:
    """(mean, largest |deviation|) of regression targets ``y``: what maps a target to a colour depth."""
    mean = float(y.mean()) if len(y) else 0.0
    dev = float(np.abs(y - mean).max()) if len(y) else 0.0
    return mean, dev if dev > 0 else 1.0


def point_rgb(data: Dataset, scheme: colors.ColorScheme) -> np.ndarray:
    """(n, 3) int RGB of each row of ``data``: its class's colour, or its target's."""
    if data.task == CLASSIFICATION:
        palette = class_colors(scheme, data.n_classes or 2)
        return palette[data.class_labels() % len(palette)]
    mean, scale = target_scale(data.y[:, 0])
    t = np.clip((data.y[:, 0] - mean) / scale, -1.0, 1.0)
    target = np.where((t < 0)[:, None], colors.hex_rgb(scheme.negative), colors.hex_rgb(scheme.positive))
    # Points a little deeper than the surface behind them, so a point that agrees still shows.
    depth = 0.25 + 0.75 * np.abs(t)[:, None]
    base = colors.hex_rgb(colors.BACKGROUND)
    return np.rint(base + (target - base) * depth).astype(int)


def split(doc: Document) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of (training, validation) of ``doc.data``, as training splits the data."""
    data, cfg = doc.data, doc.training
    try:
        return data.split_rows(cfg.val_split, cfg.seed)
    except DatasetError:  # a split training refuses to make (it says why): every point as training
        return np.arange(data.n_samples), np.arange(0)


def scatter_styles(doc: Document, scheme: colors.ColorScheme) -> tuple[np.ndarray, dict, np.ndarray, dict]:
    """(training rows, their ``ScatterPlotItem.setData`` style, validation rows, theirs) for ``doc.data``."""
    rgb = [tuple(c) for c in point_rgb(doc.data, scheme)]
    # One QBrush and one QPen per distinct colour: pyqtgraph renders each distinct brush and pen object
    # into its symbol atlas once, so shared ones make a new position cheap (a moving view sets them per frame).
    brushes = {c: pg.mkBrush(*c) for c in set(rgb)}
    rims = {c: pg.mkPen(*c, width=2) for c in set(rgb)}
    train, val = split(doc)
    filled = dict(brush=[brushes[rgb[i]] for i in train], pen=pg.mkPen(colors.NEURON_OUTLINE, width=0.8),
                  size=POINT_SIZE, symbol="o")
    hollow = dict(brush=pg.mkBrush(*colors.hex_rgb(colors.BACKGROUND).astype(int), 220),
                  pen=[rims[rgb[i]] for i in val], size=POINT_SIZE, symbol="o")
    return train, filled, val, hollow
