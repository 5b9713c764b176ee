"""Where everything goes: columns, neurons, labels, computed once per structure change.

Input on the left, output on the right, one column per layer, every column
centred on y = 0 and every label on one baseline under the tallest column.
Nothing here paints; the items read these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from ...core.counting import count
from ...core.figure.layout import rows as _rows
from ...core.spec import NetworkSpec
from . import style


@dataclass
class ColumnLayout:
    layer: int  # -1 is the input
    kind: str  # "input", "dense", "dropout" or "batchnorm"
    units: int
    x: float
    neurons: np.ndarray  # indices of the neurons drawn (all of them unless elided)
    ys: np.ndarray  # their centres
    radius: float
    pitch: float
    elided: bool
    gap_y: float  # centre of the "⋮" of an elided column
    title: str  # "Dense · 8 · tanh": what the layer is, in one line (tooltips, popups)
    subtitle: str  # its parameters
    label: QRectF  # the three label lines: caption, detail, subtitle
    caption: str = ""  # "Input", "Hidden 2" or "Output"
    detail: str = ""  # "8 · tanh": the title without the kind a caption implies
    names: list[str] | None = None  # a name per drawn neuron (input / output names)
    names_rect: QRectF | None = None

    @property
    def passes_through(self) -> bool:
        """Dropout and batch norm: one unit per input unit, linked 1-to-1."""
        return self.kind in ("dropout", "batchnorm")

    @property
    def body(self) -> QRectF:
        """The neurons, with the "⋮" and a little room."""
        top = float(self.ys[0]) - self.radius
        bottom = float(self.ys[-1]) + self.radius
        half = max(self.radius, 6.0)
        return QRectF(self.x - half, top, 2 * half, bottom - top)

    @property
    def rect(self) -> QRectF:
        r = self.body.united(self.label)
        return r.united(self.names_rect) if self.names_rect is not None else r

    def slot_of(self, neuron: int) -> int | None:
        """Position of ``neuron`` among the drawn ones, or ``None`` if it is elided."""
        i = int(np.searchsorted(self.neurons, neuron))
        return i if i < len(self.neurons) and self.neurons[i] == neuron else None


@dataclass
class SceneLayout:
    columns: list[ColumnLayout]
    label_top: float
    full: bool

    @property
    def content(self) -> QRectF:
        """Everything the network draws (neurons, labels, names)."""
        r = QRectF()
        for c in self.columns:
            r = r.united(c.rect)
        return r

    def insertion_index(self, x: float) -> int:
        """Where a layer dropped at scene ``x`` lands: the index it gets in ``spec.layers``."""
        # Gap i lies between column i and column i + 1 (column 0 is the
        # input): a drop there becomes layer i. Left of the input is "first",
        # right of the output is "append".
        xs = [c.x for c in self.columns]
        index = int(np.searchsorted(xs, x, side="right")) - 1
        return min(max(index, 0), len(self.columns) - 1)

    def marker_x(self, index: int) -> float:
        """Scene x of the drop marker for ``insertion_index`` ``index``."""
        xs = [c.x for c in self.columns]
        if index + 1 < len(xs):
            return (xs[index] + xs[index + 1]) / 2
        return xs[-1] + style.DENSE_GAP / 2


def layer_caption(index: int, n_columns: int) -> str:
    """The role of column ``index``: "Input", "Hidden N" or "Output" (as :func:`nnviz.core.figure.layout.caption`)."""
    if index == 0:
        return QCoreApplication.translate("CanvasLayout", "Input")
    if index == n_columns - 1:
        return QCoreApplication.translate("CanvasLayout", "Output")
    return QCoreApplication.translate("CanvasLayout", "Hidden {0}").format(index)


def layer_detail(kind: str, layer) -> str:
    """"8 · tanh", "dropout 0.5", "batch norm · relu" (as :func:`nnviz.core.figure.layout.detail`)."""
    if kind == "dense":
        return f"{layer.units:,} · {layer.activation}"
    if kind == "dropout":
        return QCoreApplication.translate("CanvasLayout", "dropout {0}").format(f"{layer.rate:g}")
    if layer.activation != "linear":
        return QCoreApplication.translate("CanvasLayout", "batch norm · {0}").format(layer.activation)
    return QCoreApplication.translate("CanvasLayout", "batch norm")


def layer_title(kind: str, layer) -> str:
    if kind == "dense":
        return QCoreApplication.translate("CanvasLayout", "Dense · {0} · {1}").format(layer.units, layer.activation)
    if kind == "dropout":
        return QCoreApplication.translate("CanvasLayout", "Dropout · {0}").format(f"{layer.rate:g}")
    if layer.activation != "linear":
        return QCoreApplication.translate("CanvasLayout", "BatchNorm · {0}").format(layer.activation)
    return QCoreApplication.translate("CanvasLayout", "BatchNorm")


def features_text(n: int) -> str:
    """"1 feature", "1,024 features"."""
    if n == 1:
        return QCoreApplication.translate("CanvasLayout", "{0} feature").format(f"{n:,}")
    return QCoreApplication.translate("CanvasLayout", "{0} features").format(f"{n:,}")


def params_text(n: int) -> str:
    """"no params", "1 param", "1,024 params"."""
    if n == 0:
        return QCoreApplication.translate("CanvasLayout", "no params")
    if n == 1:
        return QCoreApplication.translate("CanvasLayout", "{0} param").format(f"{n:,}")
    return QCoreApplication.translate("CanvasLayout", "{0} params").format(f"{n:,}")


def compute_layout(
    spec: NetworkSpec,
    *,
    full: bool = False,
    input_names: list[str] | None = None,
    output_names: list[str] | None = None,
    heatmaps: bool = False,
    frame: tuple[float, float] | None = None,
) -> SceneLayout:
    """Lay out ``spec``: every neuron of every column if ``full``, wide columns elided otherwise.

    ``heatmaps`` gives the hidden columns (every layer but the last) the bigger
    neurons that show heatmaps (``style.HEATMAP_*``). ``frame`` (width, height)
    is the room the window has for the drawing at 100 % zoom: the columns
    close up (never closer than their labels allow) so that a deep network
    fits at a zoom where the labels stay readable, and the neurons spread out
    (up to ``style.MAX_STRETCH``) to use the height. Without it (figures),
    the standard spacing.
    """
    title_fm = QFontMetricsF(style.title_font())
    sub_fm = QFontMetricsF(style.subtitle_font())
    name_fm = QFontMetricsF(style.small_font())
    counts = count(spec).layers
    widths = spec.widths()

    kinds = ["input"] + [layer.kind for layer in spec.layers]
    titles = ([QCoreApplication.translate("CanvasLayout", "Input · {0}").format(spec.inputs)]
              + [layer_title(layer.kind, layer) for layer in spec.layers])
    captions = [layer_caption(i, len(kinds)) for i in range(len(kinds))]
    details = [features_text(spec.inputs)] + [layer_detail(layer.kind, layer) for layer in spec.layers]
    subtitles = [""] + [params_text(c.params) for c in counts]
    label_w = [
        max(title_fm.horizontalAdvance(c), sub_fm.horizontalAdvance(d), sub_fm.horizontalAdvance(s))
        for c, d, s in zip(captions, details, subtitles)
    ]
    line_h = title_fm.height() + 2 * (2 + sub_fm.height())

    bases = [style.PASS_GAP if kind in ("dropout", "batchnorm") else style.DENSE_GAP for kind in kinds[1:]]
    needs = [(a + b) / 2 + style.LABEL_SPACING for a, b in zip(label_w, label_w[1:])]
    squeeze = stretch = 1.0
    if frame is not None:
        room = frame[0] - (label_w[0] + label_w[-1]) / 2
        squeeze = min(1.0, max(room, 0.0) / sum(bases)) if bases else 1.0
    gaps = [max(need, base * squeeze) for need, base in zip(needs, bases)]

    rows = []
    for i, (kind, units) in enumerate(zip(kinds, widths)):
        pictured = heatmaps and 0 < i < len(kinds) - 1
        rows.append((pictured, *_rows(units, full, style.HEATMAP_PITCH if pictured else style.PITCH)))
    if frame is not None:
        tallest = max(float(ys[-1] - ys[0]) for _, _, ys, *_ in rows)
        room = frame[1] - line_h - style.LABEL_GAP - 2 * style.HEATMAP_RADIUS
        if tallest > 0 and room > tallest:
            stretch = min(style.MAX_STRETCH, room / tallest)

    columns: list[ColumnLayout] = []
    x = 0.0
    for i, (kind, units) in enumerate(zip(kinds, widths)):
        if i > 0:
            x += gaps[i - 1]
        passes = kind in ("dropout", "batchnorm")
        pictured, neurons, ys, pitch, elided, gap = rows[i]
        if pictured:
            radius = style.HEATMAP_PASS_RADIUS if passes else style.HEATMAP_RADIUS
        else:
            radius = style.PASS_RADIUS if passes else style.RADIUS
        radius = min(radius * min(stretch, style.MAX_GROWTH), pitch * stretch * 0.36)
        columns.append(
            ColumnLayout(i - 1, kind, units, x, neurons, ys * stretch, radius, pitch * stretch, elided, gap * stretch,
                         titles[i], subtitles[i], QRectF(), captions[i], details[i])
        )

    label_top = max(float(c.ys[-1]) + c.radius for c in columns) + style.LABEL_GAP
    for c, w in zip(columns, label_w):
        c.label = QRectF(c.x - w / 2, label_top, w, line_h)

    for c, names, side in ((columns[0], input_names, -1), (columns[-1], output_names, 1)):
        if not names or len(names) != c.units or c.pitch < style.NAME_MIN_PITCH:
            continue
        c.names = [name_fm.elidedText(str(names[k]), Qt.TextElideMode.ElideRight, style.NAME_MAX_WIDTH) for k in c.neurons]
        w = max(name_fm.horizontalAdvance(n) for n in c.names)
        h = name_fm.height()
        edge = c.x + side * (c.radius + style.NAME_GAP)
        left = edge - w if side < 0 else edge
        c.names_rect = QRectF(left, float(c.ys[0]) - h / 2, w, float(c.ys[-1] - c.ys[0]) + h)
    return SceneLayout(columns, label_top, full)

