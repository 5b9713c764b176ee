"""Rasterising a dense bundle of straight lines with NumPy.

QPainter blends an antialiased line pixel by pixel, which is fine for the few
hundred connections of an elided network but takes tens of seconds for the
100 352 long lines of a fully drawn 784 → 128 layer pair. Every line of a
bundle runs from one column x to another, so the picture can be built one
device column at a time: in a column of width one, a line of slope ``s`` and
width ``w`` covers a vertical run ``|s| + v`` long (``v = w·sqrt(1 + s²)``,
its vertical thickness) with coverage ``v / (|s| + v)`` per row. Each run is
two entries in a difference array; a ``bincount`` adds every line of the
column at once and a ``cumsum`` turns the differences into coverage.

Lines are composited as light absorbed in a medium: each line adds optical
depth ``coverage · τ`` with ``τ = -ln(1 - alpha)``, so a lone line shows exactly
its alpha, overlaps darken the way stacked translucent strokes do, and the
result does not depend on the drawing order (no arbitrary "last line wins").
"""

from __future__ import annotations

import numpy as np

BLOCK = 1 << 17


def rasterize_bundle(
    y_start: np.ndarray,
    y_end: np.ndarray,
    x_start: float,
    x_end: float,
    tau: np.ndarray,
    group: np.ndarray,
    width: np.ndarray,
    colors: np.ndarray,
    cols: tuple[int, int],
    rows: tuple[int, int],
    exact: bool = True,
) -> np.ndarray:
    """Premultiplied BGRA pixels (rows, cols, 4) uint8 of the lines, in device pixels.

    Line ``i`` runs from ``(x_start, y_start[i])`` to ``(x_end, y_end[i])``,
    ``width[i]`` pixels wide, with optical depth ``tau[i]`` and colour
    ``colors[group[i]]`` (RGB 0–255). ``cols`` and ``rows`` are the half-open
    device pixel ranges to draw. With ``exact=False`` run ends snap to whole
    pixels, which halves the work and is invisible where thousands of lines
    overlap.
    """
    c0, c1 = cols
    want0, want1 = rows
    r0, r1 = rows
    n_groups = len(colors)
    if c1 <= c0 or r1 <= r0 or len(y_start) == 0 or x_end <= x_start:
        return np.zeros((max(r1 - r0, 0), max(c1 - c0, 0), 4), np.uint8)
    # Lines that reach a little beyond the rows asked for (the ends of steep,
    # thick lines) are cheaper to draw whole and crop than to clip column by
    # column.
    slope = (y_end - y_start) / (x_end - x_start)
    v = width * np.sqrt(1.0 + slope * slope)
    lo = int(np.floor(np.min(np.minimum(y_start, y_end) - v))) - 1
    hi = int(np.ceil(np.max(np.maximum(y_start, y_end) + v))) + 1
    if want0 - lo <= 64:
        r0 = min(want0, lo)
    if hi - want1 <= 64:
        r1 = max(want1, hi)
    n_cols, n_rows = c1 - c0, r1 - r0

    run = (np.abs(slope) + v).astype(np.float32)
    weight = v / run * tau
    # Top of each line's run in the column whose left edge is device x = c0,
    # relative to row r0 and shifted by one so that row -1 (everything above
    # the rows drawn) is bin 0; each group has its own stretch of bins.
    stride = n_rows + 2
    n_bins = n_groups * stride
    top0 = y_start + slope * (c0 - x_start) + np.minimum(slope, 0.0) - v / 2 - r0 + 1
    offset = group.astype(np.float64) * stride
    y_lo = np.minimum(y_start, y_end) - v
    y_hi = np.maximum(y_start, y_end) + v
    clip = bool(y_lo.min() < r0 or y_hi.max() > r1 - 1)
    if not clip:
        top0 = top0 + offset
    top0 = top0.astype(np.float32)
    slope = slope.astype(np.float32)
    offset = offset.astype(np.float32)

    # Columns go in blocks of about BLOCK (line, column) pairs: one column at
    # a time for huge bundles, all at once for a few hundred lines, so that
    # NumPy's per-call cost never dominates.
    n_lines = len(top0)
    block = max(1, min(n_cols, BLOCK // n_lines))
    depth = np.empty((n_cols, n_groups, n_rows), np.float32)
    for b0 in range(0, n_cols, block):
        nb = min(block, n_cols - b0)
        steps = np.arange(b0, b0 + nb, dtype=np.float32)[:, None]
        top = top0 + slope * steps  # (nb, n_lines)
        bottom = top + run
        if clip:
            np.clip(top, 0.0, n_rows + 1.0, out=top)
            np.clip(bottom, 0.0, n_rows + 1.0, out=bottom)
            top += offset
            bottom += offset
        base = (np.arange(nb) * (n_bins + 1))[:, None]  # each column its own bins
        size = nb * (n_bins + 1)
        w = np.broadcast_to(weight, top.shape)
        if exact:
            it = top.astype(np.intp)  # top, bottom >= 0: truncation is floor
            ib = bottom.astype(np.intp)
            wt = w * (top - it)
            wb = w * (bottom - ib)
            it += base
            ib += base
            diff = np.bincount(it.ravel(), (w - wt).ravel(), size)
            diff += np.bincount((it + 1).ravel(), wt.ravel(), size)
            diff -= np.bincount(ib.ravel(), (w - wb).ravel(), size)
            diff -= np.bincount((ib + 1).ravel(), wb.ravel(), size)
        else:
            w = w.ravel()
            diff = np.bincount((top.astype(np.intp) + base).ravel(), w, size)
            diff -= np.bincount((bottom.astype(np.intp) + base).ravel(), w, size)
        cover = np.cumsum(diff.reshape(nb, n_bins + 1)[:, :n_bins].reshape(nb, n_groups, stride), axis=2)
        depth[b0 : b0 + nb] = cover[:, :, 1 : n_rows + 1]

    np.maximum(depth, 0.0, out=depth)  # cumsum round-off
    total = depth.sum(axis=1)  # (cols, rows)
    alpha = -np.expm1(-total)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, alpha / total, 0.0).astype(np.float32)
    colors = np.asarray(colors, np.float32)
    out = np.empty((n_rows, n_cols, 4), np.uint8)
    for channel, k in ((2, 0), (1, 1), (0, 2)):  # BGRA in memory
        value = np.einsum("g,cgr->cr", colors[:, channel], depth)
        value *= share
        value += 0.5
        out[..., k] = np.clip(value, 0, 255).T
    out[..., 3] = np.clip(alpha * 255 + 0.5, 0, 255).T
    return out[want0 - r0 : want1 - r0]
