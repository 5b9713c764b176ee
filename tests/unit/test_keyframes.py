"""The timeline's keyframes: every epoch while they fit, evenly spaced out when they would not."""

import numpy as np

from nnviz.ui.training.keyframes import Keyframes


def state(epoch, size=100):
    return np.full(size, float(epoch), dtype=np.float32)  # 400 bytes


def test_every_epoch_is_kept_while_it_fits():
    kf = Keyframes(cap=10_000)
    for epoch in range(20):
        assert not kf.add(epoch, state(epoch))
    assert kf.epochs == list(range(20)) and kf.every == 1
    assert kf.nbytes == 20 * 400
    np.testing.assert_array_equal(kf.state(7), state(7))


def test_a_full_timeline_keeps_every_other_epoch_then_every_fourth():
    kf = Keyframes(cap=10_000)  # 25 keyframes of 400 bytes
    grew = [kf.add(epoch, state(epoch)) for epoch in range(200)]
    assert any(grew)  # the process was told to keep fewer
    assert kf.nbytes <= 10_000
    epochs = kf.epochs
    assert epochs[0] == 0 and epochs[-1] == 199  # the start and the newest stay
    inner = epochs[1:-1]
    assert all(e % kf.every == 0 for e in inner) and kf.every >= 8
    assert np.diff(inner).max() == kf.every  # evenly spaced
    for e in epochs:
        np.testing.assert_array_equal(kf.state(e), state(e))  # exactly the kept weights


def test_nearest_truncate_and_clear():
    kf = Keyframes()
    for epoch in (0, 2, 4, 6):
        kf.add(epoch, state(epoch))
    assert kf.nearest(3.2) == 4 and kf.nearest(3) == 2 and kf.nearest(100) == 6
    kf.truncate(4)
    assert kf.epochs == [0, 2, 4]
    kf.clear()
    assert len(kf) == 0 and kf.nearest(1) is None and kf.every == 1
