"""The number formatters: every readout, tooltip and message writes numbers through nnviz.core.numbers."""

from __future__ import annotations

import ast
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz.core import numbers
from nnviz.core.numbers import (
    DASH,
    fixed,
    human_bytes,
    human_count,
    loss_text,
    params_text,
    percent,
    plural,
    prose,
    significant,
)

# Values across every branch: zero and negative zero, tiny, ordinary, huge, the edges of each range.
VALUES = [
    0.0, -0.0, 1e-12, -3e-7, 9.99e-5, 1e-4, 0.00123, 0.001, 0.0099, 0.01, 0.1, 0.5, 1 / 3, -2 / 3, 1.0, 9.9995,
    12.5, 99999.0, 100000.0, 1234.5678, -9999.4, 1e4, 12345.678, 2.5e7, -1e300,
]
NON_FINITE = [math.nan, math.inf, -math.inf]


def test_the_module_needs_only_the_standard_library():
    # The command line formats numbers with it before (or without) loading NumPy or Qt.
    tree = ast.parse(Path(numbers.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imported - {"__future__"} <= set(sys.stdlib_module_names), imported


@pytest.mark.parametrize(
    "value, digits, text",
    [(0.012345, 4, "0.01235"), (1e-5, 4, "1e-05"), (123456.0, 4, "1.235e+05"), (2.0, 4, "2"), (0.123456, 3, "0.123"),
     (0.1234567, 6, "0.123457"), (-0.0, 4, "0"), (math.nan, 4, "nan"), (math.inf, 4, "inf"), (-math.inf, 3, "-inf")],
)
def test_significant(value, digits, text):
    assert significant(value, digits) == text


@pytest.mark.parametrize("digits", [3, 4, 6])
@pytest.mark.parametrize("value", VALUES + NON_FINITE)
def test_significant_is_the_g_format_readouts_used(value, digits):
    # The plots' readouts, the boundary's coordinates, the canvas tooltips and the command line all
    # wrote f"{v:.Ng}" (non-finite values as Python writes them); only "-0" now reads "0".
    expected = f"{value:.{digits}g}" if math.isfinite(value) else str(value)
    assert significant(value, digits) == ("0" if expected == "-0" else expected)


@pytest.mark.parametrize(
    "value, text",
    [(0.0, "0.0000"), (-0.0, "0.0000"), (0.12345, "0.1235"), (-2.0, "-2.0000"), (1e-5, "1.000e-05"),
     (123456.0, "1.235e+05"), (99999.0, "99999.0000"), (1e-4, "0.0001"), (math.nan, "NaN"), (math.inf, "inf")],
)
def test_fixed(value, text):
    assert fixed(value) == text


def test_fixed_takes_numpy_scalars():
    assert fixed(np.float32(0.5)) == "0.5000" and significant(np.float64(1 / 3)) == "0.3333"


@pytest.mark.parametrize(
    "value, text",
    [(None, DASH), (0.4213, "0.4213"), (1e-3, "0.0010"), (9999.5, "9999.5000"), (2.5e-5, "2.5e-05"),
     (12345.0, "1.23e+04"), (0.0, "0"), (math.nan, "NaN"), (math.inf, "∞"), (np.float32(0.25), "0.2500")],
)
def test_loss_text(value, text):
    assert loss_text(value) == text


def test_percent():
    assert percent(0.853) == "85.3%"
    assert percent(0.853, space=True) == "85.3 %"
    assert percent(0.25, 0) == "25%"
    assert percent(1.0) == "100.0%"
    assert percent(None) == DASH and percent(math.nan) == "nan"


@pytest.mark.parametrize("value", VALUES)
def test_percent_is_the_percent_format(value):
    assert percent(value) == f"{value:.1%}"
    assert percent(value, 0) == f"{value:.0%}"
    assert percent(value, space=True) == f"{100 * value:.1f} %"


@pytest.mark.parametrize(
    "value, zero_below, text",
    [(1234.5, 0.0, "1,234"), (-25000.0, 0.0, "-25,000"), (0.5, 0.0, "0.5"), (12.345, 0.0, "12.3"), (0.00123, 0.0, "0.0012"),
     (3e-7, 0.0, "3.0e-07"), (0.0, 0.0, "0"), (9.6e-16, 0.001, "0"), (-0.0004, 0.001, "0"), (0.002, 0.001, "0.002")],
)
def test_prose(value, zero_below, text):
    assert prose(value, zero_below) == text


def test_plural():
    assert plural(1, "unit") == "1 unit"
    assert plural(0, "unit") == "0 units"
    assert plural(1024, "training row") == "1,024 training rows"
    assert plural(2, "child", "children") == "2 children"
    assert plural(np.int64(12000), "param") == "12,000 params"


@pytest.mark.parametrize(
    "n, text",
    [(0, "0 params"), (1, "1 param"), (24, "24 params"), (100_480, "100,480 params"), (999_999, "999,999 params"),
     (1_000_000, "1.0 M params"), (10_020_000, "10.0 M params")],
)
def test_params_text(n, text):
    assert params_text(n) == text


@pytest.mark.parametrize(
    "n, text",
    [(0, "0 B"), (68, "68 B"), (1023, "1023 B"), (1024, "1.0 KB"), (1536, "1.5 KB"), (437_556, "427.3 KB"),
     (5 * 1024**2, "5.0 MB"), (3 * 1024**3, "3.0 GB"), (5000 * 1024**3, "5000.0 GB")],
)
def test_human_bytes(n, text):
    assert human_bytes(n) == text


@pytest.mark.parametrize(
    "n, text", [(0, "0"), (999, "999"), (1000, "1 k"), (12_345, "12.3 k"), (1_234_567, "1.23 M"), (2_500_000_000, "2.5 G")]
)
def test_human_count(n, text):
    assert human_count(n) == text
