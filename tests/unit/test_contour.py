"""Marching squares: the segments where a gridded function crosses a level."""

import numpy as np

from nnviz.core.contour import level_segments

XS = np.linspace(-3, 3, 61)
YS = np.linspace(-2, 2, 41)
X, Y = np.meshgrid(XS, YS)  # X[i, j] = XS[j], Y[i, j] = YS[i]


def test_a_straight_level_line_is_found_exactly():
    seg = level_segments(0.2 * X + 0.5, XS, YS, level=0.56)  # 0.56 where x = 0.3
    assert len(seg) == 2 * (len(YS) - 1)  # one segment per row of cells
    np.testing.assert_allclose(seg[:, 0], 0.3, atol=1e-12)
    assert seg[:, 1].min() == YS[0] and seg[:, 1].max() == YS[-1]


def test_a_circle_is_closed_and_round():
    seg = level_segments(np.hypot(X, Y), XS, YS, level=1.55)  # through no grid point
    r = np.hypot(seg[:, 0], seg[:, 1])
    np.testing.assert_allclose(r, 1.55, atol=0.01)
    # every endpoint is shared by exactly two segments: a closed curve
    _, counts = np.unique(np.round(seg, 9), axis=0, return_counts=True)
    assert (counts == 2).all()
    length = np.hypot(*(seg[1::2] - seg[0::2]).T).sum()
    assert abs(length - 2 * np.pi * 1.55) < 0.05


def test_nothing_to_draw_when_the_level_is_not_crossed():
    assert level_segments(X * 0 + 0.9, XS, YS, level=0.5).shape == (0, 2)


def test_cells_with_a_nan_corner_are_left_out():
    v = X.copy()
    v[10, 30] = np.nan  # on the line x = 0
    seg = level_segments(v, XS, YS)
    assert np.isfinite(seg).all()
    assert len(seg) == 2 * (len(YS) - 1 - 2)  # the two cells touching the NaN point draw nothing


def test_a_saddle_is_split_by_the_cells_mean():
    xs = ys = np.array([0.0, 1.0])
    joined = level_segments(np.array([[1.0, -1.0], [-1.0, 1.5]]), xs, ys)  # mean > 0: bottom-left and top-right joined
    assert len(joined) == 4
    pieces = {tuple(map(tuple, np.round(joined[k:k + 2], 6))) for k in (0, 2)}
    # the line cuts off the bottom-right and the top-left corners
    assert ((0.5, 0.0), (1.0, 0.4)) in pieces and ((0.0, 0.5), (0.4, 1.0)) in pieces
    apart = level_segments(np.array([[1.0, -1.0], [-1.0, 0.5]]), xs, ys)  # mean < 0: they are apart
    pieces = {tuple(map(tuple, np.round(apart[k:k + 2], 6))) for k in (0, 2)}
    assert ((0.5, 0.0), (0.0, 0.5)) in pieces and ((0.666667, 1.0), (1.0, 0.666667)) in pieces
