"""In the window, a NumPy warning (a number out of range) becomes a message, never terminal text."""

import warnings

import numpy as np

from nnviz.ui.app import route_numeric_warnings


def test_a_numpy_overflow_is_said_not_printed(capsys):
    said = []
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # the suite turns warnings into errors; the window does not
        route_numeric_warnings(said.append)  # catch_warnings puts showwarning back afterwards
        assert np.isinf(np.array([1e39]).astype(np.float32)).all()
    assert len(said) == 1 and "out of range (overflow encountered in cast)" in said[0]
    err = capsys.readouterr().err
    assert "RuntimeWarning" not in err and "overflow" not in err
