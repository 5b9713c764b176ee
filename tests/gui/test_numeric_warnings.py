"""Numbers out of range in the window: a NumPy warning becomes a message, never terminal text; the CSV dialog refuses values that would overflow."""

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


def test_the_csv_dialog_refuses_values_that_would_overflow(qtbot, tmp_path):
    from nnviz.ui.io.csv_dialog import CsvImportDialog

    path = tmp_path / "huge.csv"
    path.write_text("a,b,y\n" + "".join(f"{'1e200' if i == 3 else i},{i % 4},{i * 0.3}\n" for i in range(12)),
                    encoding="utf-8")
    dialog = CsvImportDialog()
    qtbot.addWidget(dialog)
    assert not dialog.load(path)
    assert 'Line 5, column "a"' in dialog.error and "divide the column by 1e200" in dialog.error
    assert not dialog.ok_button.isEnabled()
