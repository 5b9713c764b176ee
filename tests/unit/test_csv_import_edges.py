"""CSV import: the smaller cases of issue 12 (encodings, Excel's sep= line, quotes, decimal commas)."""

import numpy as np
import pytest

from nnviz.core.csv_import import preview_csv, read_csv
from nnviz.core.datasets import DatasetError

ROWS = "".join(f"{i},{i * 2},{i % 2}\n" for i in range(20))


def error_for(text) -> str:
    with pytest.raises(DatasetError) as info:
        read_csv(text)
    return str(info.value)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_utf16_with_or_without_a_bom_reads_as_its_text(tmp_path, encoding):
    path = tmp_path / "data.csv"
    path.write_bytes(("a,b,y\n" + ROWS).encode(encoding))
    data = read_csv(path)
    assert data.feature_names == ["a", "b"]
    assert data.x.shape == (20, 2)


def test_utf16_without_a_bom_names_the_bad_cell_without_nul_bytes(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(("a,b,y\n" + ROWS.replace("3,6", "x,6")).encode("utf-16-le"))
    with pytest.raises(DatasetError) as info:
        read_csv(path)
    message = str(info.value)
    assert "\x00" not in message
    assert 'line 5, column "a": "x" is not a number' in message


def test_nul_bytes_that_are_not_utf16_are_refused_as_not_text(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b,y\n" + b"\x00\x01\x02" * 3)
    with pytest.raises(DatasetError, match="not UTF-8 text"):
        read_csv(path)


def test_unterminated_quote_is_reported_where_it_opens():
    lines = ["a,b,y"] + [f"{i},{i * 2},{i % 2}" for i in range(20)]
    lines[6] = '"5,10,1'
    message = error_for("\n".join(lines) + "\n")
    assert message.startswith("line 7:")
    assert "never closed" in message


def test_a_closed_multiline_quote_is_still_one_value():
    message = error_for('a,b,y\n1,"2\n3",0\n' + ROWS)
    assert message.startswith('line 3, column "b"')  # the row ends on its last line, as documented


def test_a_whole_column_of_decimal_commas_says_use_a_dot():
    message = error_for("a;b;y\n" + "".join(f"0,{i + 1}5;{i};{i % 2}\n" for i in range(10)))
    assert "comma as its decimal separator" in message
    assert '"0.15"' in message
    assert "is text" not in message


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_excels_sep_line_names_the_delimiter_and_is_not_the_header(sep):
    text = f"sep={sep}\r\na{sep}b{sep}y\r\n" + ROWS.replace(",", sep).replace("\n", "\r\n")
    data = read_csv(text)
    assert data.feature_names == ["a", "b"]
    assert np.isfinite(data.x).all() and data.x.shape == (20, 2)
    header, rows = preview_csv_text(text)
    assert header == ["a", "b", "y"]


def test_lines_after_a_sep_line_keep_their_numbers():
    message = error_for("sep=;\na;b;y\n" + ROWS.replace(",", ";").replace("3;6", "x;6"))
    assert message.startswith('line 6, column "a"')


def preview_csv_text(text):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "p.csv"
        path.write_text(text, newline="")
        return preview_csv(path)
