"""Neurons filled with their heatmaps, rasterised with NumPy.

A column repaints every one of its pictured neurons after each heatmap
refresh (a few times a second while training). Painting each with QPainter
(a scaled copy of its picture, a textured antialiased disc, an outline) cost
~0.2 ms a neuron; these few array operations do a column of 8 in ~0.15 ms.

The shapes are those of :func:`~.layer_item._outlined`: around the centre of
a ``size`` × ``size`` image, an outline of width ``w`` centred on radius ``r``,
the picture filling what is inside; a disc, or for batch norm a square with
rounded corners. Edges are antialiased by coverage (half a pixel each side of
the exact edge).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


def heat_discs(rgb: np.ndarray, kind: str, size: int, r: float, w: float, edge=None) -> np.ndarray:
    """``k`` neurons as (k, size, size) uint32 pixels 0xAARRGGBB, premultiplied (``QImage.Format_ARGB32_Premultiplied``).

    ``rgb`` (k, n, n, 3) uint8 are their pictures, top row first, stretched
    over the inner shape with bilinear interpolation between sample centres.
    ``edge`` (RGB 0–255) is the outline's colour; without it the image holds
    the inner shape only (transparent around it).
    """
    n = rgb.shape[1]
    stretch, stretch_t, inner, ring, alpha_inner, alpha_outer = _geometry(kind, size, float(r), float(w), n)
    planes = np.ascontiguousarray(rgb.transpose(0, 3, 1, 2), dtype=np.float32)  # (k, 3, n, n)
    # Bilinear stretching is linear: one matrix down the rows, the same one across the columns.
    color = stretch @ planes @ stretch_t  # (k, 3, size, size)
    color *= inner  # premultiplied by the coverage
    if edge is None:
        alpha = alpha_inner
    else:
        alpha = alpha_outer
        color += ring * np.asarray(edge, np.float32)[:, None, None]
    color += 0.5
    c = color.astype(np.uint32)  # at most 255.5: truncated to 255
    return alpha | (c[:, 0] << 16) | (c[:, 1] << 8) | c[:, 2]


@lru_cache(maxsize=64)
def _geometry(kind: str, size: int, r: float, w: float, n: int) -> tuple[np.ndarray, ...]:
    """What does not change between refreshes at one device size: the stretching matrices, the coverages."""
    inner_half = max(r - w / 2, 1e-6)
    offsets = np.arange(size, dtype=np.float32) + 0.5 - size / 2  # pixel centres from the image's centre
    t = np.clip((offsets + inner_half) / (2 * inner_half) * n - 0.5, 0, n - 1)
    i0 = np.floor(t).astype(np.intp)
    i1 = np.minimum(i0 + 1, n - 1)
    f = (t - i0).astype(np.float32)
    stretch = np.zeros((size, n), np.float32)
    rows = np.arange(size)
    np.add.at(stretch, (rows, i0), 1 - f)
    np.add.at(stretch, (rows, i1), f)
    x, y = np.meshgrid(offsets, offsets)
    inner = _coverage(kind, x, y, inner_half, 0.25 * r).astype(np.float32)
    outer = _coverage(kind, x, y, r + w / 2, 0.35 * r).astype(np.float32)

    def alpha(coverage):
        return (coverage * 255 + 0.5).astype(np.uint32) << 24

    return stretch, np.ascontiguousarray(stretch.T), inner, outer - inner, alpha(inner), alpha(outer)


def _coverage(kind: str, x: np.ndarray, y: np.ndarray, half: float, corner: float) -> np.ndarray:
    """How much of each pixel lies inside the shape (a disc of radius ``half``, or a rounded square)."""
    if kind == "batchnorm":
        corner = min(corner, half)
        qx = np.abs(x) - (half - corner)
        qy = np.abs(y) - (half - corner)
        d = np.hypot(np.maximum(qx, 0), np.maximum(qy, 0)) + np.minimum(np.maximum(qx, qy), 0) - corner
    else:
        d = np.hypot(x, y) - half
    return np.clip(0.5 - d, 0.0, 1.0)
