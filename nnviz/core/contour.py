"""Where a function sampled on a grid crosses a level: marching squares, in whole-array NumPy.

The decision boundary draws the line where a binary classifier's output is
0.5 with it, once per display frame while a network trains, so it works on the
whole grid at once (no Python loop over cells).
"""

from __future__ import annotations

import numpy as np

# Edges of a cell, in the order the crossing points are stacked.
_BOTTOM, _TOP, _LEFT, _RIGHT = range(4)


def level_segments(values: np.ndarray, xs: np.ndarray, ys: np.ndarray, level: float = 0.0) -> np.ndarray:
    """Line segments along which ``values`` crosses ``level``: an array (2k, 2) of endpoints, pairwise.

    ``values[i, j]`` is the function at ``(xs[j], ys[i])``; ``xs`` and ``ys``
    increase. Each grid cell whose corners lie on both sides of the level
    contributes one segment between the crossings on its edges (found by
    linear interpolation), or two at a saddle, split as the cell's mean says.
    A value exactly at the level counts as above it. Cells with a NaN corner
    contribute nothing. Segments ``2m`` and ``2m + 1`` form one piece, as
    pyqtgraph's ``connect="pairs"`` draws them.
    """
    v = np.asarray(values, dtype=np.float64) - level
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    above = v >= 0  # NaN is not
    h_cross = above[:, :-1] != above[:, 1:]  # the edge (i, j)–(i, j+1) is crossed
    v_cross = above[:-1, :] != above[1:, :]  # the edge (i, j)–(i+1, j) is crossed
    # Which of each cell's four edges are crossed, for the few cells that have any (the line's cells).
    edges = (h_cross[:-1], h_cross[1:], v_cross[:, :-1], v_cross[:, 1:])
    cells = np.flatnonzero(edges[0] | edges[1] | edges[2] | edges[3])
    i, j = np.divmod(cells, v.shape[1] - 1)
    corners = (v[i, j], v[i, j + 1], v[i + 1, j], v[i + 1, j + 1])  # bottom-left, bottom-right, top-left, top-right
    keep = np.isfinite(corners[0]) & np.isfinite(corners[1]) & np.isfinite(corners[2]) & np.isfinite(corners[3])
    cells, i, j = cells[keep], i[keep], j[keep]
    bl, br, tl, tr = (c[keep] for c in corners)
    crossed = np.stack([e.ravel()[cells] for e in edges])  # (4, cells)

    # The crossing point on each edge (4, cells, 2), by linear interpolation along it.
    x0, x1, y0, y1 = xs[j], xs[j + 1], ys[i], ys[i + 1]
    with np.errstate(divide="ignore", invalid="ignore"):  # uncrossed edges may divide by zero; never used
        points = np.stack([
            np.stack([x0 + bl / (bl - br) * (x1 - x0), y0], axis=-1),
            np.stack([x0 + tl / (tl - tr) * (x1 - x0), y1], axis=-1),
            np.stack([x0, y0 + bl / (bl - tl) * (y1 - y0)], axis=-1),
            np.stack([x1, y0 + br / (br - tr) * (y1 - y0)], axis=-1),
        ])
    n_crossed = crossed.sum(axis=0)
    index = np.arange(len(cells))

    # Two crossed edges: one segment between them.
    two = np.flatnonzero(n_crossed == 2)
    first = crossed[:, two].argmax(axis=0)
    second = 3 - crossed[::-1, two].argmax(axis=0)
    pieces = [(index[two], first, second)]

    # Four (a saddle): the corners on the diagonal that the cell's mean agrees with are joined through
    # the middle, so the line cuts off the other two corners.
    four = np.flatnonzero(n_crossed == 4)
    if len(four):
        mean = (bl[four] + br[four] + tl[four] + tr[four]) / 4
        joined = (mean >= 0) == (bl[four] >= 0)  # bottom-left and top-right joined
        pieces.append((four, np.full_like(four, _BOTTOM), np.where(joined, _RIGHT, _LEFT)))
        pieces.append((four, np.where(joined, _LEFT, _TOP), np.where(joined, _TOP, _RIGHT)))

    segments = np.empty((2 * sum(len(c) for c, _a, _b in pieces), 2))
    segments[0::2] = np.concatenate([points[a, c] for c, a, _b in pieces])
    segments[1::2] = np.concatenate([points[b, c] for c, _a, b in pieces])
    return segments
