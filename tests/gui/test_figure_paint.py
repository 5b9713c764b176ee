"""Painting figures with QPainter: style options seen in pixels, SVG and PDF structure, and one figure's PNG, SVG and
PDF agreeing pixel for pixel (the PDF rendered by pdftoppm where installed, the SVG by QSvgRenderer)."""

import re
import shutil
import subprocess

import numpy as np
import pytest
from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from nnviz.core.figure import PRESETS, FigureError, build_figure
from nnviz.core.figure.fills import ROLE_FILLS
from nnviz.core.network import Network
from nnviz.core.project import Project
from nnviz.core.shipped import example_path
from nnviz.core.spec import DenseSpec, NetworkSpec
from nnviz.ui.io.figure_paint import figure_pdf, figure_png, figure_svg

BARE = PRESETS["default"].replace(labels="none", legend=False)


def small(*widths, inputs=2) -> Project:
    return Project(network=Network(NetworkSpec(inputs, tuple(DenseSpec(w, "tanh") for w in widths), name="small")))


def rgba(image: QImage) -> np.ndarray:
    """(h, w, 4) uint8, straight alpha."""
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w = image.height(), image.width()
    return np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * h).reshape(h, -1)[:, : w * 4].reshape(h, w, 4).copy()


def pixels_of(pixels: np.ndarray, hex_color: str, tolerance: int = 6) -> np.ndarray:
    """(row, column) of every pixel within ``tolerance`` of ``hex_color``."""
    target = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)])
    close = np.all(np.abs(pixels[:, :, :3].astype(int) - target) <= tolerance, axis=2) & (pixels[:, :, 3] > 250)
    return np.argwhere(close)


def test_node_size_changes_the_discs_drawn():
    style = BARE.replace(node_colors="role")
    small_disc = pixels_of(rgba(figure_png(build_figure(small(1, inputs=1), style), 1.0)), ROLE_FILLS["input"])
    big_disc = pixels_of(rgba(figure_png(build_figure(small(1, inputs=1), style.replace(node_size=28.0)), 1.0)), ROLE_FILLS["input"])
    ratio = len(big_disc) / len(small_disc)
    assert (28.0 / 19.0) ** 2 * 0.8 < ratio < (28.0 / 19.0) ** 2 * 1.25
    width = np.ptp(big_disc[:, 1]) + 1
    assert 24 <= width <= 28  # a 28-unit disc less its ring


def test_direction_up_draws_the_input_row_at_the_bottom():
    style = BARE.replace(node_colors="role")
    right = rgba(figure_png(build_figure(small(3, 1), style), 1.0))
    up = rgba(figure_png(build_figure(small(3, 1), style.replace(direction="up")), 1.0))
    inp, out = pixels_of(right, ROLE_FILLS["input"]), pixels_of(right, ROLE_FILLS["output"])
    assert inp[:, 1].mean() < out[:, 1].mean()
    inp, out = pixels_of(up, ROLE_FILLS["input"]), pixels_of(up, ROLE_FILLS["output"])
    assert inp[:, 0].mean() > out[:, 0].mean() + 100
    assert up.shape[0] > up.shape[1]  # a tall picture


def test_background_white_or_transparent():
    fig = build_figure(small(2), BARE)
    assert tuple(rgba(figure_png(fig, 1.0))[0, 0]) == (255, 255, 255, 255)
    clear = rgba(figure_png(build_figure(small(2), BARE.replace(background="transparent")), 1.0))
    assert clear[0, 0, 3] == 0 and clear[:, :, 3].max() == 255
    svg = figure_svg(build_figure(small(2), BARE.replace(background="transparent"))).decode()
    assert 'fill="#ffffff"' not in svg.split("<g", 2)[-1][:400] or "fill-opacity" in svg


def test_mono_draws_no_saturated_pixel():
    p = Project.load(example_path("relu_2-4-4-1_circle"))
    # "colors" is about the weights; the neurons' role tints are node_colors' (light, they print as light greys).
    pixels = rgba(figure_png(build_figure(p, PRESETS["paper"].replace(legend=True, node_colors="plain")), 1.0)).astype(int)
    chroma = pixels[:, :, :3].max(axis=2) - pixels[:, :, :3].min(axis=2)
    assert np.count_nonzero(chroma > 30) == 0
    colour = rgba(figure_png(build_figure(p, PRESETS["default"]), 1.0)).astype(int)
    assert np.count_nonzero(colour[:, :, :3].max(axis=2) - colour[:, :, :3].min(axis=2) > 60) > 500


def test_arrowheads_are_in_the_svg_only_when_asked():
    def paths(arrow):
        svg = figure_svg(build_figure(small(3, 2), BARE.replace(arrowheads=arrow))).decode()
        return len(re.findall(r"<path|<polygon|<polyline", svg))

    none, filled, opened = paths("none"), paths("filled"), paths("open")
    assert filled >= none + 2 * 3 + 3 * 2 and opened >= none + 2 * 3 + 3 * 2


def test_math_labels_and_the_legend_are_drawn_as_text():
    svg = figure_svg(build_figure(small(3, 2), PRESETS["paper"].replace(legend=True))).decode()
    for text in ("x₁", "x₂", "ŷ₁", "ŷ₂", "Hidden 1", "positive weight"):
        assert text in svg, text
    without = build_figure(small(3, 2), PRESETS["paper"].replace(legend=False))
    assert "positive weight" not in figure_svg(without).decode()
    assert figure_png(without, 1.0).height() < figure_png(build_figure(small(3, 2), PRESETS["paper"]), 1.0).height() + 1


def test_layer_colours_give_each_layer_its_own_fill():
    pixels = rgba(figure_png(build_figure(small(3, 3, 3, 1), BARE.replace(node_colors="layer")), 1.0))
    from nnviz.core.figure.fills import LAYER_FILLS

    assert all(len(pixels_of(pixels, LAYER_FILLS[c])) > 50 for c in range(5))


def test_heatmaps_draw_pictures_in_the_hidden_neurons():
    p = Project.load(example_path("relu_2-4-4-1_circle"))
    fig = build_figure(p, BARE.replace(heatmaps=True))
    node = next(n for n in fig.nodes if n.role == "hidden")
    pixels = rgba(figure_png(fig, 2.0))
    r = int(node.r * 2 * 0.6)
    patch = pixels[int(node.y * 2) - r : int(node.y * 2) + r, int(node.x * 2) - r : int(node.x * 2) + r, :3]
    assert len(np.unique(patch.reshape(-1, 3), axis=0)) > 10
    plain = rgba(figure_png(build_figure(p, BARE), 2.0))
    node = next(n for n in build_figure(p, BARE).nodes if n.role == "hidden")
    r = int(node.r * 2 * 0.5)
    patch = plain[int(node.y * 2) - r : int(node.y * 2) + r, int(node.x * 2) - r : int(node.x * 2) + r, :3]
    assert len(np.unique(patch.reshape(-1, 3), axis=0)) == 1


def test_a_png_too_large_says_what_helps():
    fig = build_figure(small(2), BARE)
    fig.width, fig.height = 8000.0, 8000.0
    with pytest.raises(FigureError, match="lower the scale to 1.2 or less"):
        figure_png(fig, 2.0)
    fig.width = fig.height = 40000.0
    with pytest.raises(FigureError, match="save it as SVG or PDF"):
        figure_png(fig, 1.0)


def test_the_pdf_page_is_the_figure():
    fig = build_figure(small(3, 2), PRESETS["default"])
    pdf = figure_pdf(fig, "net")
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout.decode()
    size = re.search(r"Page size:\s*([\d.]+) x ([\d.]+) pts", info)
    assert float(size.group(1)) == pytest.approx(fig.width * 0.75, abs=1.0)
    assert float(size.group(2)) == pytest.approx(fig.height * 0.75, abs=1.0)
    assert "Title:" in info and "net" in info


def _grey(pixels: np.ndarray) -> np.ndarray:
    """Composited on white, grey, box-blurred 5 × 5 (text and antialiasing differ a little between renderers)."""
    a = pixels[:, :, 3:4] / 255.0
    grey = (pixels[:, :, :3] * a + 255 * (1 - a)).mean(axis=2)
    k = 5
    padded = np.pad(grey, k // 2, mode="edge")
    c = np.cumsum(np.cumsum(padded, axis=0), axis=1)
    c = np.pad(c, ((1, 0), (1, 0)))
    return (c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]) / (k * k)


def _ink_box(grey: np.ndarray) -> tuple[int, int, int, int]:
    rows = np.flatnonzero((grey < 235).any(axis=1))
    cols = np.flatnonzero((grey < 235).any(axis=0))
    return rows[0], rows[-1], cols[0], cols[-1]


def test_png_svg_and_pdf_of_one_figure_agree(tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: cannot render the PDF to compare")
    p = Project.load(example_path("iris_4-8-3_softmax"))
    fig = build_figure(p, PRESETS["default"].replace(labels="math", node_colors="role", arrowheads="filled"))
    png = rgba(figure_png(fig, 2.0))
    h, w = png.shape[:2]

    svg_image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    svg_image.fill(QColor(0, 0, 0, 0))
    renderer = QSvgRenderer(QByteArray(figure_svg(fig)))
    painter = QPainter(svg_image)
    renderer.render(painter, QRectF(0, 0, w, h))
    painter.end()
    svg = rgba(svg_image)

    (tmp_path / "fig.pdf").write_bytes(figure_pdf(fig))
    subprocess.run(["pdftoppm", "-png", "-r", "192", "-singlefile", "fig.pdf", "page"], cwd=tmp_path, check=True)
    pdf = rgba(QImage(str(tmp_path / "page.png")))
    assert abs(pdf.shape[0] - h) <= 2 and abs(pdf.shape[1] - w) <= 2
    pdf = np.pad(pdf, ((0, max(0, h - pdf.shape[0])), (0, max(0, w - pdf.shape[1])), (0, 0)), constant_values=255)[:h, :w]

    reference = _grey(png)
    for name, other in (("svg", svg), ("pdf", pdf)):
        grey = _grey(other)
        diff = np.abs(grey - reference)
        print(f"{name}: mean |difference| {diff.mean():.3f}, 99.5th percentile {np.percentile(diff, 99.5):.1f} (of 255)")
        assert diff.mean() < 2.0, f"{name}: mean difference {diff.mean():.2f} of 255"
        assert np.percentile(diff, 99.5) < 40, name
        assert np.abs(np.subtract(_ink_box(grey), _ink_box(reference))).max() <= 3, name


@pytest.mark.parametrize("direction", ["right", "up"])
def test_a_crowded_bundle_rasterised_in_a_png_looks_like_its_vectors(direction):
    p = small(40, 2, inputs=100)  # every neuron: 4,000 lines into the hidden layer, drawn with NumPy in a PNG
    weights = p.network.layer_params(0)["weights"]
    weights[:] = np.abs(weights)  # all positive: cyan, so a swapped colour channel would show
    fig = build_figure(p, BARE.replace(direction=direction, full=True))
    png = rgba(figure_png(fig, 1.0))
    h, w = png.shape[:2]
    vector = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    vector.fill(QColor(0, 0, 0, 0))
    painter = QPainter(vector)
    QSvgRenderer(QByteArray(figure_svg(fig))).render(painter, QRectF(0, 0, w, h))
    painter.end()
    vector = rgba(vector)
    a, b = (column_box(fig, c) for c in (0, 1))
    box = (slice(int(min(a[1], b[1])), int(max(a[3], b[3]))), slice(int(min(a[0], b[0])), int(max(a[2], b[2]))))
    mean_png, mean_vector = png[box][:, :, :3].reshape(-1, 3).mean(axis=0), vector[box][:, :, :3].reshape(-1, 3).mean(axis=0)
    assert np.abs(mean_png - mean_vector).max() < 10, (mean_png, mean_vector)  # a swapped channel: ~40
    assert mean_png[2] > mean_png[0] + 10  # cyan, not red


def column_box(fig, column: int) -> tuple[float, float, float, float]:
    nodes = [n for n in fig.nodes if n.column == column]
    return min(n.x for n in nodes), min(n.y for n in nodes), max(n.x for n in nodes), max(n.y for n in nodes)
