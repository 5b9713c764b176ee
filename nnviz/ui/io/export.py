"""Pictures of a network for slides and papers: PNG or SVG, chosen by the file name.

The picture is drawn by a fresh :class:`~nnviz.ui.canvas.NetworkScene` built
for it (so it can draw every neuron of wide layers, and shows no selection
or hover), never by grabbing the window. Files are written atomically
(:func:`nnviz.core.atomic.write_atomic`), so a failed export never leaves half
a picture.
"""

from __future__ import annotations

import math
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from ...core.atomic import write_atomic
from ...core.project import Project
from ..widgets import colors
from ..canvas.scene import NetworkScene
from ..model.document import Document

FORMATS = {".png": "PNG", ".svg": "SVG"}
MIN_SCALE, MAX_SCALE = 1.0, 4.0
MAX_PIXELS = 400_000_000 // 4  # 400 MB of RGBA: well beyond any slide, short of exhausting memory
MAX_SIDE = 32_767  # QImage and most viewers stop here


class ExportError(ValueError):
    """An export that cannot be made as asked (format, scale, size); ``str()`` says what to change."""


@dataclass(frozen=True)
class ExportOptions:
    scale: float = 2.0
    transparent: bool = False
    full: bool = False
    legend: bool = True
    activations: bool = False
    color_scheme: str = colors.DEFAULT_SCHEME
    heatmaps: bool = False  # hidden neurons as heatmaps over the input plane, when the document has one


def image_format(path) -> str:
    """"PNG" or "SVG" from ``path``'s extension; :class:`ExportError` for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        shown = suffix or "no extension"
        raise ExportError(f"{Path(path).name}: cannot tell the format from {shown}; end the name in .png or .svg")
    return FORMATS[suffix]


def check_scale(scale: float) -> float:
    if not (isinstance(scale, int | float) and math.isfinite(scale) and MIN_SCALE <= scale <= MAX_SCALE):
        raise ExportError(f"scale must be a number from {MIN_SCALE:g} to {MAX_SCALE:g}, got {scale!r}")
    return float(scale)


def _document(source: Document | Project) -> Document:
    if isinstance(source, Document):
        return source
    if isinstance(source, Project):
        return Document(source)
    raise TypeError(f"export needs a Document or a Project, got {type(source).__name__}")


def export_scene(source: Document | Project, options: ExportOptions = ExportOptions()) -> NetworkScene:
    """A still scene of ``source`` for a picture (no signals, no caches, no selection)."""
    doc = _document(source)
    scene = NetworkScene(
        doc,
        full=options.full,
        interactive=False,
        legend=options.legend,
        activations=options.activations,
        heatmaps=options.heatmaps,
        color_scheme=options.color_scheme,
    )
    if doc is not source:
        doc.setParent(scene)  # keep the temporary document alive as long as the scene
    return scene


def pixel_size(rect: QRectF | QSizeF, scale: float) -> QSize:
    """Pixels of a PNG of ``rect`` (or of a rectangle of that size) at ``scale``."""
    return QSize(max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale)))


def _smaller(rect: QRectF) -> str:
    """What would make a PNG of ``rect`` small enough: a lower scale when one fits, else SVG."""
    w, h = max(rect.width(), 1.0), max(rect.height(), 1.0)
    fits = min(MAX_SIDE / w, MAX_SIDE / h, (MAX_PIXELS / (w * h)) ** 0.5)
    if fits >= MIN_SCALE:
        return f"lower the scale to {math.floor(fits * 10) / 10:g} or less"
    return "it would be too large even at the lowest scale (1); save it as SVG, which has no pixel limit"


def render_png(scene: NetworkScene, scale: float = 2.0, transparent: bool = False) -> QImage:
    """The scene's export rectangle at ``scale`` pixels per unit."""
    scale = check_scale(scale)
    rect = scene.export_rect()
    size = pixel_size(rect, scale)
    if size.width() > MAX_SIDE or size.height() > MAX_SIDE or size.width() * size.height() > MAX_PIXELS:
        raise ExportError(f"a {size.width()} × {size.height()} pixel picture is too large; {_smaller(rect)}")
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise ExportError(f"not enough memory for a {size.width()} × {size.height()} pixel picture; lower the scale")
    image.fill(QColor(0, 0, 0, 0) if transparent else QColor(colors.LIGHT_INK.background))
    painter = QPainter(image)
    try:
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        scene.render(painter, QRectF(0, 0, size.width(), size.height()), rect)
    finally:
        painter.end()
    return image


def render_svg(scene: NetworkScene, title: str = "", transparent: bool = False) -> bytes:
    """The scene's export rectangle as an SVG document (one user unit per scene unit)."""
    rect = scene.export_rect()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(round(rect.width()), round(rect.height())))
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    generator.setResolution(96)
    generator.setTitle(title or "Neural network")
    generator.setDescription("Drawn by nnviz")
    painter = QPainter(generator)
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        if not transparent:
            painter.fillRect(QRectF(0, 0, rect.width(), rect.height()), QColor(colors.LIGHT_INK.background))
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    finally:
        painter.end()
    return _font_fallbacks(bytes(buffer.data()))


def _font_fallbacks(svg: bytes) -> bytes:
    """Give every text a CSS fallback list, so a viewer without our font still draws sans-serif."""

    def widen(match: re.Match) -> bytes:
        family = match.group(1).decode()
        return f"font-family=\"'{family}', 'Helvetica Neue', Arial, sans-serif\"".encode()

    return re.sub(rb'font-family="([^"\',]*)"', widen, svg)


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
    source: Document | Project,
    path,
    *,
    scale: float = 2.0,
    transparent: bool = False,
    full: bool = False,
    legend: bool = True,
    activations: bool = False,
    color_scheme: str = colors.DEFAULT_SCHEME,
    heatmaps: bool = False,
) -> tuple[int, int]:
    """Draw ``source`` (a document or a project) to ``path``, a ``.png`` or ``.svg`` file.

    ``scale`` (1–4) is pixels per scene unit for a PNG; ``transparent`` leaves
    the background clear instead of white; ``full`` draws every neuron of wide
    layers; ``legend`` adds what the colours and widths mean; ``activations``
    fills neurons by the probe's activations; ``heatmaps`` fills hidden neurons
    with their activation over the input plane, as the canvas does, when the
    network has 2 inputs and the document 2-feature data (the popup of a
    hovered neuron is never drawn). Returns the picture's (width,
    height): pixels for PNG, user units (CSS pixels) for SVG. Raises :class:`ExportError` for a bad name,
    scale or size and :class:`OSError` when the file cannot be written; in both
    cases nothing is written.
    """
    fmt = image_format(path)
    check_scale(scale)
    colors.color_scheme(color_scheme)
    options = ExportOptions(scale, transparent, full, legend, activations, color_scheme, heatmaps)
    scene = export_scene(source, options)
    if fmt == "PNG":
        image = render_png(scene, scale, transparent)
        data = png_bytes(image, 96 * scale)
        size = (image.width(), image.height())
    else:
        data = render_svg(scene, scene.doc.spec.name or Path(path).stem, transparent)
        rect = scene.export_rect()
        size = (round(rect.width()), round(rect.height()))
    write_atomic(path, data)
    return size
