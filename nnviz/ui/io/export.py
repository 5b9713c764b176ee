"""Figures of a network for slides and papers: PNG, SVG, PDF or TikZ, chosen by the file name.

The figure is built by the Qt-free engine (:func:`nnviz.core.figure.build_figure`)
from the network and a :class:`~nnviz.core.figure.style.FigureStyle` (by
default the one the document keeps), never by grabbing the window, so it
shows no selection or hover. PNG and SVG figures carry the network's
``.nnviz`` text inside (:mod:`nnviz.core.fileformat.embedded`), so nnviz
opens them again as the network to restyle it. Files are written atomically
(:func:`nnviz.core.atomic.write_atomic`), so a failed export never leaves
half a picture.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QImage

from ...core.atomic import write_atomic
from ...core.figure import Figure, FigureError, FigureStyle, build_figure
from ...core.figure.tikz import to_tikz
from ...core.fileformat import FileFormatError, dumps
from ...core.fileformat.embedded import embed
from ...core.project import Project
from ..model.document import Document
from .figure_paint import figure_pdf, figure_png, figure_svg

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".tex": "tex"}
# Shown through format_name (translated at use).
FORMAT_NAMES = {"png": QT_TRANSLATE_NOOP("export", "PNG image"), "svg": QT_TRANSLATE_NOOP("export", "SVG drawing"),
                "pdf": QT_TRANSLATE_NOOP("export", "PDF document"),
                "tex": QT_TRANSLATE_NOOP("export", "TikZ picture (LaTeX)")}
CARRIES_NETWORK = ("png", "svg")  # the formats a figure reopens from as its network
MIN_SCALE, MAX_SCALE = 1.0, 4.0
POINTS_PER_UNIT = 0.75  # a figure unit is a CSS pixel


def format_name(fmt: str) -> str:
    """The name of the format ``fmt`` ("png", …) as the window shows it: "PNG image"."""
    return QCoreApplication.translate("export", FORMAT_NAMES[fmt])


class ExportError(ValueError):
    """An export that cannot be made as asked (format, scale, size); ``str()`` says what to change."""


def image_format(path) -> str:
    """"png", "svg", "pdf" or "tex" from ``path``'s extension; :class:`ExportError` for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        shown = suffix or QCoreApplication.translate("export", "no extension")
        raise ExportError(QCoreApplication.translate("export", "{0}: cannot tell the format from {1}; end the name in "
                                                     ".png, .svg, .pdf or .tex").format(Path(path).name, shown))
    return FORMATS[suffix]


def check_scale(scale: float) -> float:
    if not (isinstance(scale, int | float) and math.isfinite(scale) and MIN_SCALE <= scale <= MAX_SCALE):
        raise ExportError(QCoreApplication.translate("export", "scale must be a number from {0} to {1}, got {2}")
                          .format(f"{MIN_SCALE:g}", f"{MAX_SCALE:g}", repr(scale)))
    return float(scale)


def project_of(source: Document | Project) -> Project:
    """The project to draw: a document's, with the weights of the moment of training it shows, if any."""
    if isinstance(source, Document):
        if source.moment is None:
            return source.project
        return replace(source.project, network=source.network)  # a shallow copy: the kept epoch's weights
    if isinstance(source, Project):
        return source
    raise TypeError(f"export needs a Document or a Project, got {type(source).__name__}")


def make_figure(source: Document | Project, style: FigureStyle | None = None) -> Figure:
    """The figure of ``source`` in ``style`` (default: the one it keeps); :class:`ExportError` if too large."""
    project = project_of(source)
    try:
        return build_figure(project, style or project.figure_style)
    except FigureError as exc:
        raise ExportError(str(exc)) from None


def pixel_size(figure: Figure, scale: float) -> tuple[int, int]:
    """Pixels of a PNG of ``figure`` at ``scale`` (:func:`~.figure_paint.png_size` also refuses one too large)."""
    return max(1, round(figure.width * scale)), max(1, round(figure.height * scale))


def figure_bytes(figure: Figure, fmt: str, scale: float = 2.0) -> bytes:
    """``figure`` as the bytes of a ``fmt`` file ("png", "svg", "pdf" or "tex"); :class:`ExportError` if too large."""
    try:
        if fmt == "png":
            return png_bytes(figure_png(figure, scale), 96 * scale)
        if fmt == "svg":
            return figure_svg(figure, figure.title or "Neural network")
        if fmt == "pdf":
            return figure_pdf(figure, figure.title or "Neural network")
    except FigureError as exc:  # a PNG beyond what an image holds, saying what would fit
        raise ExportError(str(exc)) from None
    return to_tikz(figure).encode("utf-8")


def network_text(project: Project, style: FigureStyle) -> str | None:
    """The ``.nnviz`` text a figure carries: the network as drawn, in ``style``, without its timeline.

    A relative CSV path becomes absolute (the figure may go anywhere). None for
    a network no file can hold (a diverged run's NaN weights): its figure is
    still drawn, and opening it says it holds no network.
    """
    nf = project.snapshot(None)
    nf.timeline = None  # the figure shows one moment; a long timeline would weigh more than the picture
    nf.figure_style = style
    try:
        return dumps(nf)
    except FileFormatError:
        return None


def png_bytes(image: QImage, dpi: float = 96.0) -> bytes:
    """``image`` as PNG: RGBA, the "Up" filter on every row, zlib at a level for the size.

    Written here rather than with ``QImage.save``: a fully drawn wide network is
    millions of noisy pixels, which Qt's encoder takes twice as long to
    compress for a file barely smaller.
    """
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    w, h = rgba.width(), rgba.height()
    pixels = np.frombuffer(rgba.constBits(), np.uint8, count=rgba.bytesPerLine() * h).reshape(h, -1)[:, : w * 4]
    raw = np.empty((h, w * 4 + 1), np.uint8)
    raw[:, 0] = 2  # "Up": each row minus the one above, which flat backgrounds turn into zeros
    raw[0, 1:] = pixels[0]
    np.subtract(pixels[1:], pixels[:-1], out=raw[1:, 1:])
    level = 6 if w * h <= 2_000_000 else 1
    ppm = round(dpi / 0.0254)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)),
            chunk(b"tEXt", b"Software\x00nnviz"),
            chunk(b"IDAT", zlib.compress(raw.tobytes(), level)),
            chunk(b"IEND", b""),
        ]
    )


def export_image(
    source: Document | Project, path, *, style: FigureStyle | None = None, scale: float = 2.0, **changes
) -> tuple[int, int]:
    """Draw ``source`` (a document or a project) to ``path``: a ``.png``, ``.svg``, ``.pdf`` or ``.tex`` file.

    ``style`` defaults to the one ``source`` keeps; ``changes`` are style
    fields over it (``heatmaps=True``). ``scale`` (1–4) is pixels per figure
    unit for a PNG. A PNG or SVG carries the network, so nnviz opens it again.
    Returns the figure's (width, height): pixels for PNG, figure units (CSS
    pixels) for the others. Raises :class:`ExportError` for a bad name, scale,
    style or size and :class:`OSError` when the file cannot be written; in
    both cases nothing is written.
    """
    fmt = image_format(path)
    check_scale(scale)
    project = project_of(source)
    style = style or project.figure_style
    if changes:
        try:
            style = style.replace(**changes)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
    figure = make_figure(project, style)
    if not figure.title:
        figure.title = Path(path).stem
    data = figure_bytes(figure, fmt, scale)
    text = network_text(project, style) if fmt in CARRIES_NETWORK else None
    if text is not None:
        data = embed(data, text)
    write_atomic(path, data)
    return pixel_size(figure, scale) if fmt == "png" else (round(figure.width), round(figure.height))


def describe_size(fmt: str, size: tuple[int, int]) -> str:
    """What :func:`export_image` returned for a ``fmt`` file, in its units: "1,200 × 800 px", "450 × 300 pt, vector"."""
    w, h = size
    if fmt == "png":
        return QCoreApplication.translate("export", "{0} × {1} px").format(f"{w:,}", f"{h:,}")
    if fmt == "svg":
        return QCoreApplication.translate("export", "{0} × {1} units, vector: sharp at any size").format(f"{w:,}", f"{h:,}")
    return QCoreApplication.translate("export", "{0} × {1} pt, vector").format(
        f"{round(w * POINTS_PER_UNIT):,}", f"{round(h * POINTS_PER_UNIT):,}")
