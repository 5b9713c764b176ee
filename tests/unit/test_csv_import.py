"""CSV import: what a person's file turns into, and the messages for what goes wrong."""

import numpy as np
import pytest

from nnviz.core.csv_import import preview_csv, read_csv
from nnviz.core.datasets import DatasetError

IRIS_LIKE = """sepal_length,sepal_width,petal_width,species
5.1,3.5,0.2,setosa
4.9,3.0,0.2,setosa
7.0,3.2,1.4,versicolor
6.4,3.2,1.5,versicolor
6.3,3.3,2.5,virginica
5.8,2.7,1.9,virginica
"""


def write(tmp_path, text, name="data.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def error_for(tmp_path, text, **kwargs) -> str:
    with pytest.raises(DatasetError) as info:
        read_csv(write(tmp_path, text), **kwargs)
    return str(info.value)


# --------------------------------------------------------------- happy paths

def test_string_labels_become_one_hot_in_sorted_order(tmp_path):
    d = read_csv(write(tmp_path, IRIS_LIKE, "flowers.csv"), standardize=False)
    assert d.name == "flowers" and d.task == "classification"
    assert d.feature_names == ["sepal_length", "sepal_width", "petal_width"]
    assert d.target_names == ["setosa", "versicolor", "virginica"]
    assert d.x.shape == (6, 3) and d.y.shape == (6, 3) and d.n_classes == 3
    np.testing.assert_array_equal(d.class_labels(), [0, 0, 1, 1, 2, 2])
    np.testing.assert_allclose(d.x[0], [5.1, 3.5, 0.2])


def test_two_string_classes_give_one_zero_one_column(tmp_path):
    text = "a,b,fruit\n1,2,pear\n2,3,apple\n3,4,pear\n4,5,apple\n"
    d = read_csv(write(tmp_path, text))
    assert d.y.shape == (4, 1) and d.target_names == ["apple", "pear"]
    np.testing.assert_array_equal(d.y[:, 0], [1, 0, 1, 0])


def test_numeric_labels_sort_by_value_not_text(tmp_path):
    text = "a,grade\n" + "".join(f"{i},{g}\n" for i, g in enumerate([10, 2, 2.0, 10, 3, 3]))
    d = read_csv(write(tmp_path, text))
    assert d.task == "classification" and d.target_names == ["2", "3", "10"]
    np.testing.assert_array_equal(d.class_labels(), [2, 0, 0, 2, 1, 1])


def test_binary_numeric_labels(tmp_path):
    text = "x;y;label\n1;2;1\n3;4;0\n5;6;1\n7;8;0\n"
    d = read_csv(write(tmp_path, text))
    assert d.target_names == ["0", "1"] and d.n_outputs == 1
    np.testing.assert_array_equal(d.y[:, 0], [1, 0, 1, 0])


def test_many_distinct_numbers_make_regression(tmp_path):
    rows = "".join(f"{i},{i * 2},{i * i}\n" for i in range(11))
    d = read_csv(write(tmp_path, "a,b,area\n" + rows))
    assert d.task == "regression" and d.n_classes is None and d.target_names == ["area"]
    np.testing.assert_allclose(d.y[:, 0], np.arange(11.0) ** 2)


def test_few_non_integer_numbers_make_regression(tmp_path):
    d = read_csv(write(tmp_path, "a,price\n1,0.5\n2,1.5\n3,0.5\n4,1.5\n"))
    assert d.task == "regression"


def test_ten_distinct_integers_are_still_classes(tmp_path):
    rows = "".join(f"{i},{i % 10}\n" for i in range(20))
    assert read_csv(write(tmp_path, "a,digit\n" + rows)).n_classes == 10


def test_target_chosen_by_name(tmp_path):
    d = read_csv(write(tmp_path, IRIS_LIKE.replace("setosa", "1").replace("versicolor", "2")
                       .replace("virginica", "3")), target="sepal_length", standardize=False)
    assert d.task == "regression" and d.target_names == ["sepal_length"]
    assert d.feature_names == ["sepal_width", "petal_width", "species"]
    np.testing.assert_allclose(d.x[:, 2], [1, 1, 2, 2, 3, 3])


def test_standardised_by_default_and_statistics_kept(tmp_path):
    d = read_csv(write(tmp_path, IRIS_LIKE))
    np.testing.assert_allclose(d.x.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(d.x.std(axis=0), 1)
    raw = read_csv(write(tmp_path, IRIS_LIKE), standardize=False)
    assert raw.standardization is None
    np.testing.assert_allclose(d.standardization.mean, raw.x.mean(axis=0))
    np.testing.assert_allclose(d.standardization.std, raw.x.std(axis=0))
    np.testing.assert_allclose(d.standardization.apply(raw.x), d.x)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_bom_crlf_blank_lines_and_spaces(tmp_path, delimiter):
    text = "\ufeff" + IRIS_LIKE.replace(",", delimiter + " ").replace("\n", "\r\n") + "\r\n\r\n"
    d = read_csv(write(tmp_path, text), standardize=False)
    assert d.feature_names[0] == "sepal_length" and d.x.shape == (6, 3)


def test_quoted_fields_and_trailing_delimiter_rows(tmp_path):
    text = 'a,b,"kind, of"\n1,2,"x, y"\n2,3,z\n3,4,"x, y"\n4,5,z\n,,\n'
    d = read_csv(write(tmp_path, text))
    assert d.target_names == ["x, y", "z"] and d.n_samples == 4


def test_text_input_and_name(tmp_path):
    d = read_csv(IRIS_LIKE, name="pasted")
    assert d.name == "pasted" and d.n_samples == 6


# ------------------------------------------------------------------ errors

def test_text_in_a_number_column_names_line_column_and_value(tmp_path):
    message = error_for(tmp_path, IRIS_LIKE.replace("6.4,3.2,1.5", "6.4,3.2,abc"))
    assert message == 'line 5, column "petal_width": "abc" is not a number. Fix or remove that row.'


def test_line_numbers_count_blank_lines_as_an_editor_does(tmp_path):
    text = IRIS_LIKE.replace("\n7.0", "\n\n7.0").replace("6.4,3.2,1.5", "6.4,oops,1.5")
    assert error_for(tmp_path, text).startswith('line 6, column "sepal_width": "oops"')


def test_decimal_comma_gets_a_hint(tmp_path):
    message = error_for(tmp_path, "a;b;c\n1;2;x\n1,5;2;y\n3;4;x\n5;6;y\n")
    assert 'line 3, column "a": "1,5"' in message and "decimal separator" in message


def test_a_whole_text_column_is_explained_as_such(tmp_path):
    message = error_for(tmp_path, "name,a,b\nann,1,x\nbob,2,y\ncy,3,x\ndee,4,y\n")
    assert 'line 2, column "name": "ann"' in message and "Remove the column" in message


@pytest.mark.parametrize("cell", ["", "NA", "NaN", "?", "na", "n/a"])
def test_missing_values_name_line_and_column(tmp_path, cell):
    message = error_for(tmp_path, IRIS_LIKE.replace("4.9,3.0,0.2", f"4.9,{cell},0.2"))
    assert message.startswith('line 3, column "sepal_width": missing value')
    assert "Fill it in or remove that row" in message


def test_missing_target_value(tmp_path):
    message = error_for(tmp_path, IRIS_LIKE.replace("0.2,setosa\n4.9", "0.2,\n4.9"))
    assert message.startswith('line 2, column "species": missing value')


def test_short_row_names_the_first_missing_column(tmp_path):
    message = error_for(tmp_path, IRIS_LIKE.replace("7.0,3.2,1.4,versicolor", "7.0,3.2"))
    assert message.startswith('line 4, column "petal_width": missing value')


def test_long_row_is_refused_but_trailing_delimiters_are_fine(tmp_path):
    message = error_for(tmp_path, IRIS_LIKE.replace("setosa\n4.9", "setosa,9\n4.9"))
    assert message.startswith("line 2 has 5 values but the header has 4 columns")
    ok = read_csv(write(tmp_path, IRIS_LIKE.replace("setosa\n", "setosa,,\n")))
    assert ok.n_samples == 6


def test_infinite_value_is_not_a_number(tmp_path):
    assert "is not a number" in error_for(tmp_path, IRIS_LIKE.replace("5.8", "inf"))


def test_unknown_target_names_it_and_lists_the_header(tmp_path):
    message = error_for(tmp_path, IRIS_LIKE, target="colour")
    assert '"colour"' in message and "sepal_length, sepal_width, petal_width, species" in message


def test_single_class(tmp_path):
    message = error_for(tmp_path, "a,b,species\n1,2,setosa\n2,3,setosa\n3,4,setosa\n4,5,setosa\n")
    assert "only one class ('setosa') in column \"species\"" in message


@pytest.mark.parametrize("text, words", [
    ("", ["empty"]),
    ("\n\n  \n", ["empty"]),
    ("a,b,c\n", ["0 data row", "at least 4"]),
    ("a,b,c\n1,2,x\n2,3,y\n3,4,x\n", ["3 data row", "at least 4"]),
    ("a,,c\n1,2,x\n", ["line 1, column 2", "no name"]),
    ("a,b,a\n1,2,x\n", ["line 1", '"a" appears twice']),
    ("justonecolumn\n1\n2\n", ["only one column", "justonecolumn"]),
    ("5.1,3.5,0\n4.9,3.0,1\n", ["line 1 holds numbers", "header"]),
])
def test_file_structure_errors(tmp_path, text, words):
    message = error_for(tmp_path, text)
    for word in words:
        assert word in message


def test_too_many_labels_means_a_wrong_target(tmp_path):
    rows = "".join(f"{i},id{i}\n" for i in range(150))
    assert '"name" has 150 different labels' in error_for(tmp_path, "a,name\n" + rows)


def test_undecodable_file(tmp_path):
    message = error_for(tmp_path, "a,b,c\n1,2,caf\xe9\n".encode("latin-1"))
    assert "data.csv" in message and "UTF-8" in message


def test_missing_file_and_directory(tmp_path):
    for path in (tmp_path / "absent.csv", tmp_path):
        with pytest.raises(DatasetError, match="cannot read"):
            read_csv(path)


def test_csv_module_errors_are_reported_with_their_line(tmp_path):
    huge_cell = "x" * 200_000  # beyond the csv module's field size limit
    assert error_for(tmp_path, f"a,b,c\n1,2,y\n1,2,{huge_cell}\n").startswith("line 3")


# ------------------------------------------------------------------ preview

def test_preview_returns_text_rows_without_checking(tmp_path):
    text = IRIS_LIKE.replace("4.9,3.0", "4.9,abc")
    header, rows = preview_csv(write(tmp_path, text), max_rows=3)
    assert header == ["sepal_length", "sepal_width", "petal_width", "species"]
    assert rows == [["5.1", "3.5", "0.2", "setosa"], ["4.9", "abc", "0.2", "setosa"],
                    ["7.0", "3.2", "1.4", "versicolor"]]


def test_preview_of_an_empty_file_explains(tmp_path):
    with pytest.raises(DatasetError, match="empty"):
        preview_csv(write(tmp_path, ""))
