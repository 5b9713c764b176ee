"""Exported figures: sizes, backgrounds, weight colours, SVG structure, errors, the dialog and `nnviz export`.

The figure's styles, the preview, every format from the window and the figure that reopens as its network:
test_export_styles.py.
"""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from nnviz.core.figure import FigureStyle
from nnviz.core.fileformat import NetworkFile
from nnviz.core.spec import DenseSpec, DropoutSpec, NetworkSpec
from nnviz.ui.widgets import colors
from nnviz.ui.canvas import ELIDE_KEEP
from nnviz.ui.model.document import Document, Selection
from nnviz.ui.io.export import ExportError, export_image, make_figure
from nnviz.core.project import Project
from nnviz.ui.io.export_dialog import ExportDialog

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def mixed_network() -> Project:
    """A 3-5-2 network whose weights alternate in sign, every one of them large."""
    spec = NetworkSpec(3, (DenseSpec(5, "relu"), DenseSpec(2, "sigmoid")), name="mixed")
    w1 = np.where(np.indices((3, 5)).sum(axis=0) % 2 == 0, 1.0, -1.0)
    w2 = np.where(np.indices((5, 2)).sum(axis=0) % 2 == 0, -0.8, 0.9)
    params = [{"weights": w1, "bias": np.zeros(5)}, {"weights": w2, "bias": np.zeros(2)}]
    return Project.from_file(NetworkFile(spec=spec, params=params))


def wide_network() -> Project:
    spec = NetworkSpec(30, (DenseSpec(8, "relu"), DropoutSpec(0.5), DenseSpec(3, "softmax")))
    return Project.from_file(NetworkFile(spec=spec, params=[None] * 3))


def rgba(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    raw = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return raw.reshape(image.height(), -1)[:, : image.width() * 4].reshape(image.height(), image.width(), 4).astype(int)


def figure_size(nf, **style):
    """The figure's (width, height) in figure units for the default style with ``style``'s changes."""
    figure = make_figure(nf, FigureStyle().replace(**style))
    return figure.width, figure.height


# -- PNG -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1, 2, 3, 4])
def test_png_size_is_scale_times_the_figure(tmp_path, scale):
    nf = mixed_network()
    path = tmp_path / "net.png"
    assert export_image(nf, path, scale=scale) == (QImage(str(path)).width(), QImage(str(path)).height())
    w, h = figure_size(nf)
    assert (QImage(str(path)).width(), QImage(str(path)).height()) == (round(w * scale), round(h * scale))


def test_white_background_unless_transparent(tmp_path):
    nf = mixed_network()
    export_image(nf, tmp_path / "white.png", scale=1)
    export_image(nf, tmp_path / "clear.png", scale=1, background="transparent")
    white = rgba(QImage(str(tmp_path / "white.png")))
    clear = rgba(QImage(str(tmp_path / "clear.png")))
    for y, x in ((0, 0), (0, -1), (-1, 0), (-1, -1)):
        assert list(white[y, x]) == [255, 255, 255, 255]
        assert clear[y, x, 3] == 0
    assert (clear[..., 3] > 0).any(), "a transparent export drew nothing"


def _cyan(px):
    r, g, b = px[..., 0], px[..., 1], px[..., 2]
    return (b > 170) & (g > 140) & (r < 110) & (px[..., 3] > 200)


def _red(px):
    r, g, b = px[..., 0], px[..., 1], px[..., 2]
    return (r > 180) & (g < 110) & (b < 110) & (px[..., 3] > 200)


def test_png_shows_positive_cyan_and_negative_red(tmp_path):
    path = tmp_path / "net.png"
    export_image(mixed_network(), path)
    px = rgba(QImage(str(path)))
    assert _cyan(px).sum() > 200, "no positive (cyan) weights drawn"
    assert _red(px).sum() > 200, "no negative (red) weights drawn"


def test_positive_only_network_has_no_red(tmp_path):
    nf = mixed_network()
    nf.network.params[:] = np.abs(nf.network.params)
    path = tmp_path / "net.png"
    export_image(nf, path, legend=False)  # the legend shows both colours
    px = rgba(QImage(str(path)))
    assert _cyan(px).sum() > 200 and _red(px).sum() == 0


def test_colour_blind_export(tmp_path):
    path = tmp_path / "net.png"
    export_image(mixed_network(), path, colors="colorblind")
    px = rgba(QImage(str(path)))
    blue = colors.hex_rgb(colors.SCHEMES["colorblind"].positive)
    orange = colors.hex_rgb(colors.SCHEMES["colorblind"].negative)
    assert (np.abs(px[..., :3] - blue).max(axis=2) < 30).sum() > 100
    assert (np.abs(px[..., :3] - orange).max(axis=2) < 30).sum() > 100
    classic = colors.hex_rgb(colors.SCHEMES["classic"].positive)
    assert (np.abs(px[..., :3] - classic).max(axis=2) < 25).sum() == 0


def test_export_shows_no_selection_or_hover_and_leaves_the_document_alone(tmp_path):
    doc = Document(mixed_network())
    export_image(doc, tmp_path / "plain.png")
    doc.select(Selection(layer=0, neuron=1))
    spec, params = doc.spec, doc.network.params.copy()
    export_image(doc, tmp_path / "selected.png")
    assert (tmp_path / "plain.png").read_bytes() == (tmp_path / "selected.png").read_bytes()
    assert doc.spec == spec and (doc.network.params == params).all() and not doc.dirty


def test_legend_adds_room_below(tmp_path):
    nf = mixed_network()
    with_legend = figure_size(nf, legend=True)
    without = figure_size(nf, legend=False)
    assert with_legend[1] > without[1]
    assert with_legend[0] >= without[0]


def test_full_export_draws_every_neuron_of_wide_layers(tmp_path):
    nf = wide_network()
    export_image(nf, tmp_path / "elided.svg")
    export_image(nf, tmp_path / "full.svg", full=True)
    elided = _polylines(tmp_path / "elided.svg")
    full = _polylines(tmp_path / "full.svg")
    assert elided >= 2 * ELIDE_KEEP * 8 and full >= 30 * 8 > elided


# -- SVG -----------------------------------------------------------------------------------------------


def _polylines(path) -> int:
    root = ET.parse(path).getroot()
    return sum(1 for el in root.iter() if el.tag in (SVG + "polyline", SVG + "line", SVG + "path"))


def test_svg_is_well_formed_with_a_view_box_and_lines(tmp_path):
    nf = mixed_network()
    path = tmp_path / "net.svg"
    export_image(nf, path)
    root = ET.parse(path).getroot()
    assert root.tag == SVG + "svg"
    w, h = figure_size(nf)
    assert [float(v) for v in root.attrib["viewBox"].split()] == pytest.approx([0, 0, w, h])
    assert root.find(SVG + "title").text == "mixed"
    assert _polylines(path) >= 3 * 5 + 5 * 2
    texts = [el.text for el in root.iter(SVG + "text")]
    assert {"Input", "Hidden 1", "5 · relu", "Output"} <= set(texts) and "positive weight" in texts
    assert not list(root.iter(SVG + "image")), "raster images inside the SVG"


def test_svg_transparent_has_no_background_rect(tmp_path):
    nf = mixed_network()
    export_image(nf, tmp_path / "white.svg")
    export_image(nf, tmp_path / "clear.svg", background="transparent")
    fills = lambda p: [el for el in ET.parse(p).getroot().iter(SVG + "rect")]  # noqa: E731
    assert len(fills(tmp_path / "white.svg")) == len(fills(tmp_path / "clear.svg")) + 1


# -- errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, kwargs", [("net.jpg", {}), ("net", {}), ("net.png", {"scale": 0.5}), ("net.png", {"scale": 5})])
def test_bad_names_and_scales_write_nothing(tmp_path, name, kwargs):
    with pytest.raises(ExportError):
        export_image(mixed_network(), tmp_path / name, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_raises_os_error_and_leaves_nothing(tmp_path):
    with pytest.raises(OSError):
        export_image(mixed_network(), tmp_path / "missing" / "net.png")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_old_picture(tmp_path, monkeypatch):
    path = tmp_path / "net.png"
    path.write_bytes(b"old picture")

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("nnviz.core.atomic.os.replace", broken)
    with pytest.raises(OSError):
        export_image(mixed_network(), path)
    assert path.read_bytes() == b"old picture"
    assert [p.name for p in tmp_path.iterdir()] == ["net.png"]


# -- the dialog -----------------------------------------------------------------------------------------


@pytest.fixture
def doc():
    return Document(wide_network())


def drawn(qtbot, dialog) -> ExportDialog:
    """``dialog`` once its preview shows the newest style (it draws off the GUI thread)."""
    qtbot.waitUntil(lambda: not dialog.preview.pending and dialog.picture_size() is not None)
    return dialog


def test_dialog_shows_the_size_and_remembers_choices(qtbot, doc):
    dialog = ExportDialog(doc)
    qtbot.addWidget(dialog)
    assert dialog.scale.value() == 2.0 and dialog.file_format() == "png"
    shown = dialog.style()  # the window's Default: the canvas's colours and heatmaps
    w, h = figure_size(wide_network(), **shown.to_dict())
    assert drawn(qtbot, dialog).size_label.text() == f"Size: {round(w * 2):,} × {round(h * 2):,} px"
    dialog.scale.setValue(3)
    assert dialog.size_label.text().startswith(f"Size: {round(w * 3):,} × ")
    dialog.controls.checks["full"].setChecked(True)
    fw, fh = figure_size(wide_network(), **(shown.to_dict() | {"full": True}))
    qtbot.waitUntil(lambda: dialog.size_label.text() == f"Size: {round(fw * 3):,} × {round(fh * 3):,} px")
    dialog.format.setCurrentIndex(dialog.format.findData("svg"))
    assert not dialog.scale.isEnabled() and "vector" in dialog.size_label.text()
    dialog.controls.background.setCurrentIndex(dialog.controls.background.findData("transparent"))
    dialog.controls.background.activated.emit(dialog.controls.background.currentIndex())
    assert dialog.style().transparent
    dialog.remember_choices()
    again = ExportDialog(doc)
    qtbot.addWidget(again)
    assert again.file_format() == "svg" and again.scale.value() == 3.0
    assert again.style().transparent, "the preferred background is a new export's"
    assert not again.style().full, "the style is the document's, kept only when an export is accepted"


def test_dialog_disables_full_for_narrow_networks(qtbot):
    dialog = ExportDialog(Document(mixed_network()))
    qtbot.addWidget(dialog)
    assert not dialog.controls.checks["full"].isEnabled()


def test_dialog_run_writes_the_picture(qtbot, doc, tmp_path, monkeypatch):
    target = tmp_path / "picture"  # no extension: the format's is added
    monkeypatch.setattr(ExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    path = ExportDialog.run(doc)
    assert path == tmp_path / "picture.png"
    assert not QImage(str(path)).isNull()


def test_dialog_cancel_writes_nothing(qtbot, doc, tmp_path, monkeypatch):
    monkeypatch.setattr(ExportDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert ExportDialog.run(doc) is None
    monkeypatch.setattr(ExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert ExportDialog.run(doc) is None


def test_dialog_says_why_a_write_failed(qtbot, doc, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "no" / "net.png"), ""))
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    spec = doc.spec
    assert ExportDialog.run(doc) is None
    assert shown and "No such file or directory" in shown[0]
    assert doc.spec == spec and not doc.dirty


# -- the command line -----------------------------------------------------------------------------------


def headless_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def nnviz(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nnviz", *args], cwd=cwd, env=headless_env(), capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def net_file(tmp_path):
    path = tmp_path / "net.nnviz"
    mixed_network().save(path)
    return path


def test_cli_export_works_without_a_display(tmp_path, net_file):
    done = nnviz("export", str(net_file), "-o", "out.png", "--scale", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    image = QImage(str(tmp_path / "out.png"))
    w, h = figure_size(mixed_network())
    assert (image.width(), image.height()) == (round(w), round(h))
    assert "wrote out.png" in done.stdout
    done = nnviz("export", str(net_file), "-o", "out.svg", "--no-legend", "--transparent", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ET.parse(tmp_path / "out.svg")


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["-o", "out.jpg"], ".png, .svg, .pdf, .tex (TikZ) or .py"),
        (["-o", "out.png", "--scale", "5"], "--scale"),
        (["-o", "out.png", "--scale", "0.5"], "--scale"),
        (["-o", "out.png", "--colors", "rainbow"], "--colors"),
        (["-o", "missing/out.png"], "cannot write"),
    ],
)
def test_cli_export_bad_arguments(tmp_path, net_file, args, fragment):
    done = nnviz("export", str(net_file), *args, cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.nnviz"]


def test_cli_export_bad_file(tmp_path):
    bad = tmp_path / "bad.nnviz"
    bad.write_text("not json")
    done = nnviz("export", str(bad), "-o", "out.png", cwd=tmp_path)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "bad.nnviz" in done.stderr
    assert not (tmp_path / "out.png").exists()
