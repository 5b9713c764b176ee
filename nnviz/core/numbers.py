"""How nnviz writes numbers: one home for every number formatter.

The window, the exported pictures and the command line show numbers through
these functions, so that a loss or a weight reads the same wherever it
appears. Standard library only (no NumPy, no Qt): the command line uses it
without loading either. Functions take anything ``float()`` or ``int()``
accepts, NumPy scalars included.
"""

from __future__ import annotations

import math

# What a readout shows before there is a value.
DASH = "—"


def significant(value: float, digits: int = 4) -> str:
    """``digits`` significant digits: ``0.012345`` → ``"0.01235"``, ``1e-5`` → ``"1e-05"``.

    NaN and infinities read as Python writes them (``"nan"``, ``"inf"``), and
    a negative zero as ``"0"``. For weights, activations, losses in a readout.
    """
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


def fixed(value: float, places: int = 4) -> str:
    """``places`` decimals (``"0.1235"``), scientific when tiny or huge (``"1.235e-05"``); ``"NaN"``.

    Numbers that line up in a column or in worked arithmetic: zero is
    ``"0.0000"``, and every value of the same size has the same width.
    """
    value = float(value)
    if value != value:
        return "NaN"
    if value == 0:
        return f"{0.0:.{places}f}"
    if abs(value) >= 10.0 ** (places + 1) or abs(value) < 10.0**-places:
        return f"{value:.{places - 1}e}"
    return f"{value:.{places}f}"


def loss_text(value: float | None) -> str:
    """A loss in the live readout: ``"0.4213"``, ``"2.5e-05"`` or ``"1.23e+04"`` out of range; ``"NaN"``, ``"∞"``, or :data:`DASH` for ``None``."""
    if value is None:
        return DASH
    value = float(value)
    if not math.isfinite(value):
        return "NaN" if value != value else "∞"
    return f"{value:.4f}" if 1e-3 <= abs(value) < 1e4 else f"{value:.3g}"


def percent(fraction: float | None, digits: int = 1, space: bool = False) -> str:
    """``0.853`` → ``"85.3%"`` (``"85.3 %"`` with ``space``); NaN as ``"nan"``; :data:`DASH` for ``None``."""
    if fraction is None:
        return DASH
    fraction = float(fraction)
    if not math.isfinite(fraction):
        return str(fraction)
    return f"{fraction * 100:.{digits}f}{' %' if space else '%'}"


def prose(value: float, zero_below: float = 0.0) -> str:
    """A number inside a sentence: 3 significant digits, thousands separated, no ``"-0"`` or ``"9.6e-16"``.

    ``1234.5`` → ``"1,234"``, ``0.5`` → ``"0.5"``, ``0.00123`` → ``"0.0012"``,
    ``3e-7`` → ``"3.0e-07"``; anything smaller than ``zero_below`` is ``"0"``.
    """
    value = float(value)
    if abs(value) < zero_below:
        value = 0.0
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value == 0:
        return "0"
    if abs(value) >= 0.01:
        return f"{value:.3g}"
    return f"{value:.2g}" if abs(value) >= 1e-4 else f"{value:.1e}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """A count with its noun, thousands separated: ``"1 unit"``, ``"1,024 units"`` (``many`` defaults to ``one + "s"``)."""
    n = int(n)
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def params_text(n: int) -> str:
    """A parameter count: ``"24 params"``, ``"100,480 params"``, exact up to a million, then ``"10.0 M params"``."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} M params"
    return plural(n, "param")


def human_bytes(n: int) -> str:
    """``1536`` → ``"1.5 KB"`` (powers of 1024, as memory is counted)."""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def human_count(n: int) -> str:
    """``1234567`` → ``"1.23 M"``; small numbers as they are."""
    for div, suffix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if n >= div:
            return f"{n / div:.3g}{suffix}"
    return str(n)
