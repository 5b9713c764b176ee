"""A figure that remembers its network: the ``.nnviz`` text inside a PNG or SVG that nnviz exported.

A PNG carries it in a compressed ``iTXt`` chunk with the keyword ``nnviz``; an
SVG in ``<metadata><nnviz:network xmlns:nnviz="…">`` as escaped text. Reading
needs neither Qt nor an image library: PNG chunks are walked with ``struct``
and ``zlib``, SVG is parsed with :mod:`xml.etree`, which expands entities, so
a file with a DOCTYPE (where entities are declared) is refused unread, and
every size is capped before anything is inflated.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from .network_file import FileFormatError

KEYWORD = b"nnviz"
SVG_NAMESPACE = "https://github.com/nnviz/nnviz/figure"
FIGURE_SUFFIXES = (".png", ".svg")
# An embedded network of more text than this is neither written nor read (a file of some millions of weights).
MAX_TEXT = 256 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EMBEDDED_SINCE = "0.2"

_SVG_START = re.compile(rb"<svg\b[^>]*>")


def is_figure(raw: bytes) -> bool:
    """Whether ``raw`` (a file's first bytes are enough) is a PNG or an SVG rather than a ``.nnviz`` file."""
    if raw.startswith(PNG_SIGNATURE):
        return True
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE svg"))


def embed(picture: bytes, text: str) -> bytes:
    """``picture`` (PNG or SVG bytes) carrying ``text``, a ``.nnviz`` file's text.

    The picture is unchanged if ``text`` is longer than :data:`MAX_TEXT`
    (then the figure does not reopen as a network).
    """
    if len(text) > MAX_TEXT:
        return picture
    if picture.startswith(PNG_SIGNATURE):
        return _embed_png(picture, text)
    return _embed_svg(picture, text)


def _embed_png(png: bytes, text: str) -> bytes:
    # iTXt: keyword, NUL, compressed (1), method (0: zlib), language tag, NUL, translated keyword, NUL, text.
    body = KEYWORD + b"\x00\x01\x00" + b"\x00" + b"\x00" + zlib.compress(text.encode("utf-8"), 9)
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    end = png.rfind(b"IEND") - 4  # the IEND chunk: its length, type and CRC close every PNG
    if end < len(PNG_SIGNATURE):
        raise ValueError("not a complete PNG: it has no IEND chunk")
    return png[:end] + chunk + png[end:]


def _embed_svg(svg: bytes, text: str) -> bytes:
    start = _SVG_START.search(svg)
    if start is None:
        raise ValueError("not an SVG: it has no <svg> element")
    metadata = (
        f'<metadata><nnviz:network xmlns:nnviz="{SVG_NAMESPACE}" type="application/x-nnviz+json">'
        f"{escape(text)}</nnviz:network></metadata>"
    ).encode("utf-8")
    return svg[: start.end()] + b"\n" + metadata + svg[start.end():]


def embedded_text(raw: bytes, name: str) -> str:
    """The ``.nnviz`` text a figure (PNG or SVG bytes, from the file ``name``) carries.

    Raises :class:`FileFormatError` saying why when it carries none, or a
    broken one: a figure nnviz did not make, one edited since, a DOCTYPE, or
    a network larger than :data:`MAX_TEXT`.
    """
    text = _png_text(raw, name) if raw.startswith(PNG_SIGNATURE) else _svg_text(raw, name)
    if text is None:
        raise FileFormatError(
            "",
            f"{name} was not made by nnviz {EMBEDDED_SINCE} or later, or was edited: it holds no network. "
            "Open the .nnviz file it was exported from, or export the figure again",
        )
    return text


def _png_text(png: bytes, name: str) -> str | None:
    at = len(PNG_SIGNATURE)
    while at + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[at: at + 8])
        body = png[at + 8: at + 8 + length]
        if len(body) < length or kind == b"IEND":
            return None
        if kind == b"iTXt" and body.startswith(KEYWORD + b"\x00"):
            crc = png[at + 8 + length: at + 12 + length]
            if crc != struct.pack(">I", zlib.crc32(kind + body)):
                raise FileFormatError("", f"{name}: the network inside this figure is damaged (its checksum is wrong)")
            return _itxt_text(body[len(KEYWORD) + 1:], name)
        at += 12 + length
    return None


def _itxt_text(body: bytes, name: str) -> str:
    compressed, method = body[0:1], body[1:2]
    language_end = body.find(b"\x00", 2)
    translated_end = body.find(b"\x00", language_end + 1)
    if language_end < 0 or translated_end < 0:
        raise FileFormatError("", f"{name}: the network inside this figure is damaged (a broken text chunk)")
    data = body[translated_end + 1:]
    if compressed == b"\x01":
        if method != b"\x00":
            raise FileFormatError("", f"{name}: the network inside this figure uses a compression nnviz does not know")
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(data, MAX_TEXT + 1)
        except zlib.error:
            raise FileFormatError("", f"{name}: the network inside this figure is damaged (it does not decompress)") from None
        if len(data) > MAX_TEXT or inflater.unconsumed_tail:
            raise FileFormatError("", f"{name}: the network inside this figure is too large to read "
                                      f"(over {MAX_TEXT // 2**20} MB)")
    return _utf8(data, name)


def _svg_text(svg: bytes, name: str) -> str | None:
    if b"<!DOCTYPE" in svg or b"<!ENTITY" in svg:
        # Entities are declared in a DOCTYPE; refusing it means nothing is ever expanded.
        raise FileFormatError("", f"{name}: an SVG with a DOCTYPE is not read (nnviz never writes one); "
                                  "open the .nnviz file it was exported from")
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise FileFormatError("", f"{name}: not a readable SVG ({exc})") from None
    element = root.find(f".//{{{SVG_NAMESPACE}}}network")
    if element is None:
        return None
    text = element.text or ""
    if len(text) > MAX_TEXT:
        raise FileFormatError("", f"{name}: the network inside this figure is too large to read")
    return text


def _utf8(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise FileFormatError("", f"{name}: the network inside this figure is damaged (not UTF-8 text)") from None


def is_figure_path(path) -> bool:
    """Whether ``path`` names a picture (by its extension) rather than a ``.nnviz`` file."""
    return Path(path).suffix.lower() in FIGURE_SUFFIXES
