"""Read a CSV table into a :class:`~nnviz.core.datasets.Dataset`.

The first row is the header; one column is the target (the last unless
named), every other column is a numeric feature. Any problem raises
:class:`~nnviz.core.datasets.DatasetError` naming the line (as an editor
numbers it, header = line 1) and the column, so a person can fix the file.

Line numbers count physical lines: a quoted value that spans lines ends its
row on its last line.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from itertools import islice
from pathlib import Path
from typing import Iterator

import numpy as np

from nnviz.core.datasets import CLASSIFICATION, REGRESSION, Dataset, DatasetError, Standardization

DELIMITERS = ",;\t"
MISSING = frozenset({"", "na", "nan", "n/a", "?"})  # compared lower-case
MIN_ROWS = 4
# A numeric target with at most this many distinct whole values is taken as class labels.
MAX_NUMERIC_CLASSES = 10
# More labels than this means the column holds names or ids, not classes (and
# the one-hot targets would grow as rows x labels).
MAX_CLASSES = 100
# Training computes in float32 (up to about 3.4e38) and squares the error: a regression target, or a
# feature fed in without standardisation, beyond this would overflow into inf and NaN.
MAX_RAW_VALUE = 1e15
# A feature is standardised in float64, but the window squares and spans raw values (the input
# plane, the probe): beyond this they overflow.
MAX_FEATURE_VALUE = 1e100

Row = tuple[int, list[str]]  # (line number, stripped cells)


def read_csv(path_or_text: str | os.PathLike, *, target: str | None = None,
             standardize: bool = True, name: str | None = None) -> Dataset:
    """Read a CSV file (or CSV text) into a Dataset.

    ``path_or_text`` is a path, or the CSV itself when it is a ``str`` that
    contains a line break. The delimiter is whichever of comma, semicolon or
    tab occurs most in the header line. ``target`` names the target column
    (default: the last). A numeric target with more than
    :data:`MAX_NUMERIC_CLASSES` distinct values, or any non-integer value, makes
    a regression dataset; otherwise the sorted distinct values are class labels.
    Features are standardised (statistics kept on ``.standardization``)
    unless ``standardize`` is False. ``name`` defaults to the file's stem.

    Raises DatasetError for anything wrong with the file, naming line and column.
    """
    text, default_name = _read_text(path_or_text)
    rows = list(_records(text))
    if not rows:
        raise DatasetError(f"{default_name} is empty; choose a CSV file with a header row and data rows.")
    (header_line, header), body = rows[0], rows[1:]
    _check_header(header_line, header)
    t = _target_index(header, target)
    if len(body) < MIN_ROWS:
        raise DatasetError(f"{default_name} has {len(body)} data row(s) below the header; "
                           f"add rows until there are at least {MIN_ROWS}.")
    features = [j for j in range(len(header)) if j != t]
    try:
        x, targets = _convert_fast(body, len(header), features, t)
    except ValueError:
        x, targets = _convert_checked(body, header, features, t)
    y, task, target_names = _encode_target(header[t], targets)
    _check_magnitudes(body, header, features, x, standardize)
    if task == REGRESSION:
        _check_magnitudes(body, header, [t], y, None)
    standardization = Standardization.fit(x) if standardize else None
    if standardization is not None:
        x = standardization.apply(x)
    return Dataset(name or default_name, x, y, task, [header[j] for j in features],
                   target_names, standardization)


def preview_csv(path: str | os.PathLike, max_rows: int = 20) -> tuple[list[str], list[list[str]]]:
    """Header and up to ``max_rows`` data rows as stripped text, for a preview table.

    Nothing is checked beyond reading the file, so a broken file still shows;
    rows may be shorter or longer than the header. Raises DatasetError when the
    file cannot be read or decoded, or is empty.
    """
    text, display_name = _read_text(path)
    rows = [cells for _, cells in islice(_records(text), max_rows + 1)]
    if not rows:
        raise DatasetError(f"{display_name} is empty; choose a CSV file with a header row and data rows.")
    return rows[0], rows[1:]


# ----------------------------------------------------------------- reading

def _read_text(source) -> tuple[str, str]:
    """(decoded text, name for messages and the dataset)."""
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return source.removeprefix("\ufeff"), "CSV data"
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f'cannot read "{path}" ({exc.strerror or exc}); '
                           "check the path and that the file is readable.") from exc
    try:
        return _decode(data), path.stem
    except UnicodeDecodeError as exc:
        raise DatasetError(f'"{path.name}" is not UTF-8 text (byte {exc.start} cannot be read); '
                           'save it as "CSV UTF-8" and try again.') from exc


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), or UTF-16 with a BOM or, without one, told by its NUL bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        # ASCII text in UTF-16 has a NUL beside every character; it is valid UTF-8
        # too, so decoding it as UTF-8 would "succeed" with NULs in every name.
        head = data[:4096]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if len(data) % 2 == 0 and max(even, odd) > len(head) // 4:
            return data.decode("utf-16-be" if even > odd else "utf-16-le")
        raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), data.index(b"\x00") + 1, "NUL byte")
    return data.decode("utf-8-sig")


_SEP_LINE = re.compile(r"\s*sep=(.)\s*", re.IGNORECASE)


def _records(text: str) -> Iterator[Row]:
    """Non-blank rows with their line numbers; cells are stripped.

    Excel's first line ``sep=;`` names the delimiter and is not the header. A
    quote that never closes is reported at the line where it opens (the reader
    would otherwise take the rest of the file as one value and fail at the end).
    """
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    sep = _SEP_LINE.fullmatch(first.rstrip("\r\n"))
    delimiter = sep.group(1) if sep else max(DELIMITERS, key=first.count)
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            end = reader.line_num
            if end > start and end == len(lines) and "".join(lines[start - 1:]).count('"') % 2:
                raise DatasetError(f'line {start}: a quoted value opens here (") and is never closed, so the rest '
                                   "of the file was read as part of it; add the closing quote or remove the "
                                   "opening one.")
            start = end + 1
            cells = list(map(str.strip, cells))
            # Spreadsheets export trailing rows of bare delimiters (",,,"): skip them like blank lines.
            if not any(cells):
                continue
            if sep is not None:  # the sep= line itself
                sep = None
                continue
            yield end, cells
    except csv.Error as exc:
        raise DatasetError(f"line {reader.line_num}: {exc}; fix that line and try again.") from exc


def _check_header(line: int, header: list[str]) -> None:
    if len(header) < 2:
        raise DatasetError(f'the header (line {line}) has only one column ("{header[0]}"); a CSV needs '
                           "feature columns and a target column separated by commas, semicolons or tabs.")
    if all(_number(column) is not None for column in header):
        raise DatasetError(f"line {line} holds numbers, not column names; the first line must be a header, "
                           "so add a line naming the columns above the data.")
    seen = set()
    for j, column in enumerate(header, start=1):
        if not column:
            raise DatasetError(f"line {line}, column {j} of the header has no name; give every column a name "
                               "(a delimiter at the end of the line makes an empty column).")
        if column in seen:
            raise DatasetError(f'line {line}: the column name "{column}" appears twice in the header; '
                               "give each column a different name.")
        seen.add(column)


def _target_index(header: list[str], target: str | None) -> int:
    if target is None:
        return len(header) - 1
    if target not in header:
        raise DatasetError(f'there is no column named "{target}"; the header has '
                           f"{', '.join(header)}. Choose one of those as the target.")
    return header.index(target)


def _complete(line: int, cells: list[str], header: list[str]) -> list[str]:
    """``cells`` trimmed to the header's width; raises if a value is missing or extra."""
    extra = cells[len(header):]
    if any(extra):
        raise DatasetError(f"line {line} has {len(cells)} values but the header has {len(header)} columns; "
                           "remove the extra values or name their columns in the header.")
    cells = cells[:len(header)]
    for j, column in enumerate(header):
        value = cells[j] if j < len(cells) else ""
        if value.lower() in MISSING:
            shown = f' ("{value}")' if value else ""
            raise DatasetError(f'line {line}, column "{column}": missing value{shown}. '
                               "Fill it in or remove that row.")
    return cells


# ------------------------------------------------------------- converting

def _number(text: str) -> float | None:
    """The finite float that ``text`` spells, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _convert_fast(body: list[Row], width: int, features: list[int], t: int) -> tuple[np.ndarray, list[str]]:
    """(features, target texts) without per-cell diagnosis; ValueError on any doubt.

    Missing-value markers fail the float conversion or give NaN, so a clean
    result here needs no per-cell checks; anything else goes to _convert_checked.
    """
    if any(len(cells) != width for _, cells in body):
        raise ValueError("ragged rows")
    values = map(float, (cells[j] for _, cells in body for j in features))
    x = np.fromiter(values, np.float64, len(body) * len(features)).reshape(len(body), -1)
    targets = [cells[t] for _, cells in body]
    if not np.isfinite(x).all() or any(v.lower() in MISSING for v in targets):
        raise ValueError("missing or non-finite values")
    return x, targets


def _convert_checked(body: list[Row], header: list[str], features: list[int],
                     t: int) -> tuple[np.ndarray, list[str]]:
    """Like _convert_fast, cell by cell, raising DatasetError at the first problem in file order."""
    body = [(line, _complete(line, cells, header)) for line, cells in body]
    x = np.empty((len(body), len(features)))
    for i, (line, cells) in enumerate(body):
        for k, j in enumerate(features):
            value = _number(cells[j])
            if value is None:
                raise _not_a_number(body, header[j], j, line, cells[j])
            x[i, k] = value
    return x, [cells[t] for _, cells in body]


_DECIMAL_COMMA = re.compile(r"[-+]?\d*,\d+")


def _not_a_number(body: list[Row], column: str, j: int, line: int, text: str) -> DatasetError:
    column_text = [cells[j] for _, cells in body]
    if all(_number(v) is not None or _DECIMAL_COMMA.fullmatch(v) for v in column_text):
        return DatasetError(f'line {line}, column "{column}": "{text}" has a comma as its decimal separator '
                            f'(as has the rest of that column); nnviz reads numbers with a dot, such as '
                            f'"{text.replace(",", ".")}". Save the file with dots as decimal separators.')
    if all(_number(v) is None for v in column_text):
        # A whole text column (names, ids): fixing one row would not help.
        return DatasetError(f'line {line}, column "{column}": "{text}" is text, and so is the rest of that '
                            "column, but features must be numbers. Remove the column or choose it as the target.")
    hint = " (use a dot as the decimal separator)" if _DECIMAL_COMMA.fullmatch(text) else ""
    return DatasetError(f'line {line}, column "{column}": "{text}" is not a number{hint}. '
                        "Fix or remove that row.")


def _check_magnitudes(body: list[Row], header: list[str], columns: list[int], values: np.ndarray,
                      standardize: bool | None) -> None:
    """Refuse the first column of ``values`` holding a number too large to compute with.

    ``standardize`` is None for the target, else whether the features are standardised.
    """
    limit = MAX_FEATURE_VALUE if standardize else MAX_RAW_VALUE
    largest = np.abs(values).max(axis=0)
    for k in np.flatnonzero(largest > limit):
        i = int(np.argmax(np.abs(values[:, k])))
        value = float(values[i, k])
        power = f"1e{math.floor(math.log10(largest[k]))}"
        if standardize is None:
            why = "is too large a target: its squared error overflows the float32 numbers training uses"
        elif standardize:
            why = f"is too large for nnviz, which reads feature values up to {limit:.0e}"
        else:
            why = ("is too large to feed the network unstandardised: it overflows the float32 numbers "
                   "training uses; turn standardisation on, or")
        do = " divide" if why.endswith(" or") else "; divide"
        raise DatasetError(f'line {body[i][0]}, column "{header[columns[k]]}": {value:g} {why}{do} the column by '
                           f"{power} (its values then lie within \u00b110) and try again.")


def _encode_target(column: str, values: list[str]) -> tuple[np.ndarray, str, list[str]]:
    """(y, task, target_names) for the target column's text values."""
    numbers = [_number(v) for v in values]
    numeric = None not in numbers
    if numeric and (len(set(numbers)) > MAX_NUMERIC_CLASSES or not all(v.is_integer() for v in numbers)):
        return np.array(numbers)[:, None], REGRESSION, [column]
    # Numeric labels sort by value ("2" before "10") and "1" and "1.0" are one class.
    keys = numbers if numeric else values
    classes = sorted(set(keys))
    labels = [str(int(c)) for c in classes] if numeric else classes
    if len(classes) < 2:
        raise DatasetError(f"only one class ('{labels[0]}') in column \"{column}\"; a classifier needs "
                           "at least two. Choose another target column or add rows of other classes.")
    if len(classes) > MAX_CLASSES:
        raise DatasetError(f'column "{column}" has {len(classes):,} different labels, more than the '
                           f"{MAX_CLASSES} classes nnviz can learn; choose another target column.")
    index = {c: i for i, c in enumerate(classes)}
    idx = np.array([index[k] for k in keys])
    y = idx[:, None].astype(np.float64) if len(classes) == 2 else np.eye(len(classes))[idx]
    return y, CLASSIFICATION, labels
