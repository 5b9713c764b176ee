"""Figures of a network for papers and slides, without Qt: one geometry for every format.

:func:`build_figure` turns a project and a :class:`FigureStyle` into a
:class:`Figure` (plain data: floats, strings, NumPy arrays); :func:`to_tikz`
writes it as a standalone TikZ document, and ``nnviz.ui.io.figure_paint``
paints it with QPainter (PNG, SVG, PDF).
"""

from .geometry import build_figure
from .layout import FigureError
from .model import Edges, Elision, Figure, Image, Line, Node, Text
from .style import PRESETS, FigureStyle, StyleError, load_style, preset, save_style, style_from_json
from .tikz import to_tikz

__all__ = [
    "PRESETS", "Edges", "Elision", "Figure", "FigureError", "FigureStyle", "Image", "Line", "Node", "StyleError",
    "Text", "build_figure", "load_style", "preset", "save_style", "style_from_json", "to_tikz",
]
