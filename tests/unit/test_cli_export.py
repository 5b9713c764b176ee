"""`nnviz export NET -o FIGURE`: the style's layers (saved < --preset < --style < flags), bad values, every format,
and figures that the command line opens again as their network."""

from __future__ import annotations

import json
import struct

import pytest

from nnviz import cli
from nnviz.cli_figure import FigureArgumentError, figure_style
from nnviz.core.figure.style import PRESETS, FigureStyle
from nnviz.core.project import Project

from test_cli import assert_one_line_error, nnviz

SAVED = FigureStyle(direction="up", node_size=12.0, legend=False)


def style_of(*flags: str, saved: FigureStyle = SAVED) -> FigureStyle:
    args = cli.build_parser().parse_args(["export", "net.nnviz", "-o", "fig.png", *flags])
    return figure_style(args, saved)


def style_file(tmp_path, data) -> str:
    path = tmp_path / "style.json"
    path.write_text(json.dumps(data))
    return str(path)


# -- the layers ---------------------------------------------------------------------------------------


def test_no_flags_draw_the_style_saved_in_the_file():
    assert style_of() == SAVED


def test_a_preset_replaces_the_saved_style():
    assert style_of("--preset", "paper") == PRESETS["paper"]


def test_a_style_file_goes_over_the_preset_and_flags_over_both(tmp_path):
    path = style_file(tmp_path, {"direction": "up", "arrowheads": "open"})
    assert style_of("--preset", "slide", "--style", path) == PRESETS["slide"].replace(direction="up", arrowheads="open")
    assert style_of("--preset", "slide", "--style", path, "--direction", "right") == PRESETS["slide"].replace(
        arrowheads="open")
    # Without --preset, the file's fields go over the saved style.
    assert style_of("--style", path) == SAVED.replace(arrowheads="open")


def test_a_style_file_naming_a_preset_starts_from_it(tmp_path):
    path = style_file(tmp_path, {"preset": "nn-svg", "legend": True})
    assert style_of("--preset", "paper", "--style", path) == PRESETS["nn-svg"].replace(legend=True)


def test_every_field_has_its_flag():
    flags = ["--direction", "right", "--node-size", "30", "--layer-spacing", "300", "--neuron-spacing", "40",
             "--edge-width", "uniform", "--edge-opacity", "uniform", "--colors", "mono", "--bias-units",
             "--arrowheads", "filled", "--labels", "math", "--node-colors", "layer", "--legend", "--heatmaps",
             "--activations", "--full", "--background", "#fafafa"]
    style = style_of(*flags)
    assert style == FigureStyle(
        direction="right", node_size=30.0, layer_spacing=300.0, neuron_spacing=40.0, edge_width="uniform",
        edge_opacity="uniform", colors="mono", bias_units=True, arrowheads="filled", labels="math",
        node_colors="layer", legend=True, heatmaps=True, activations=True, full=True, background="#fafafa")
    assert {f.replace("_", "-") for f in FigureStyle().to_dict()} <= {a.lstrip("-") for a in flags}
    assert style_of("--no-legend", saved=FigureStyle()).legend is False


def test_transparent_is_the_transparent_background():
    assert style_of("--transparent").background == "transparent"
    with pytest.raises(FigureArgumentError, match="--transparent and --background #ff0000: choose one"):
        style_of("--transparent", "--background", "#ff0000")


# -- bad values ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--node-size", "500"], "--node-size: must be a number from 4 to 120, got 500.0"),
        (["--colors", "rainbow"], "--colors: must be one of classic, colorblind, mono, plain; got 'rainbow'"),
        (["--direction", "left"], "--direction: must be one of right, up; got 'left'"),
        (["--preset", "poster"], "--preset: unknown figure preset 'poster'; choose from default, paper, slide, nn-svg"),
        (["--node-size", "40", "--neuron-spacing", "30"], "neighbouring neurons would overlap"),
        (["--background", "blue"], "--background: must be white, transparent or a colour #rrggbb"),
    ],
)
def test_bad_flags_say_which_and_what_is_allowed(flags, message):
    with pytest.raises(FigureArgumentError) as err:
        style_of(*flags)
    assert message in str(err.value)


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "--style: style.json is not valid JSON"),
        ('["paper"]', "--style: style.json must hold a JSON object"),
        ('{"node_size": "big"}', "--style: style.json: node_size: must be a number, got 'big'"),
        ('{"shadow": true}', "--style: style.json: unknown figure style field 'shadow'"),
        ('{"preset": "poster"}', "--style: unknown figure preset 'poster'"),
    ],
)
def test_bad_style_files_say_what_is_wrong(tmp_path, content, message):
    (tmp_path / "style.json").write_text(content)
    with pytest.raises(FigureArgumentError) as err:
        style_of("--style", str(tmp_path / "style.json"))
    assert message in str(err.value)


def test_a_missing_style_file(tmp_path):
    with pytest.raises(FigureArgumentError, match="--style: cannot read .*missing.json: No such file"):
        style_of("--style", str(tmp_path / "missing.json"))


# -- the command, as a user runs it -----------------------------------------------------------------------


@pytest.fixture
def net_file(tmp_path):
    project = Project.default()
    project.figure_style = FigureStyle(direction="up")
    path = tmp_path / "net.nnviz"
    project.save(path)
    return path


def png_size(path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_every_format_from_the_command_line_and_the_figures_reopen(tmp_path, net_file):
    for name in ("fig.png", "fig.svg", "fig.pdf", "fig.tex"):
        done = nnviz("export", str(net_file), "-o", name, "--preset", "paper", "--direction", "up", cwd=tmp_path)
        assert done.returncode == 0 and f"wrote {name}" in done.stdout, done.stderr
    assert (tmp_path / "fig.pdf").read_bytes().startswith(b"%PDF")
    assert "\\begin{tikzpicture}" in (tmp_path / "fig.tex").read_text()
    original = Project.load(net_file)
    for name in ("fig.png", "fig.svg"):
        again = Project.load(tmp_path / name)
        assert (again.network.params == original.network.params).all()
        assert again.figure_style == PRESETS["paper"].replace(direction="up"), "the figure keeps the style it was drawn in"
    info = nnviz("info", str(tmp_path / "fig.png"), "--json", cwd=tmp_path)
    assert info.returncode == 0 and json.loads(info.stdout)["params"] == 37
    predicted = nnviz("predict", str(tmp_path / "fig.svg"), "--input", "0.5,0.5", cwd=tmp_path)
    assert predicted.returncode == 0 and "y1 = " in predicted.stdout


def test_the_saved_style_draws_unless_flags_say_otherwise(tmp_path, net_file):
    assert nnviz("export", str(net_file), "-o", "up.png", "--scale", "1", cwd=tmp_path).returncode == 0
    assert nnviz("export", str(net_file), "-o", "right.png", "--scale", "1", "--direction", "right",
                 cwd=tmp_path).returncode == 0
    (up_w, up_h), (right_w, right_h) = png_size(tmp_path / "up.png"), png_size(tmp_path / "right.png")
    assert up_h > up_w and right_w > right_h


def test_errors_are_one_line_and_write_nothing(tmp_path, net_file):
    assert_one_line_error(nnviz("export", str(net_file), "-o", "fig.pdf", "--node-size", "0", cwd=tmp_path),
                          "--node-size: must be a number from 4 to 120")
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x00IEND\xaeB`\x82")
    assert_one_line_error(nnviz("info", str(photo), cwd=tmp_path), "photo.png was not made by nnviz",
                          "it holds no network")
    assert nnviz("export", str(net_file), "-o", "fig.png", cwd=tmp_path).returncode == 0
    before = (tmp_path / "fig.png").read_bytes()
    assert_one_line_error(nnviz("train", str(tmp_path / "fig.png"), "--dataset", "circle", "--epochs", "1",
                                cwd=tmp_path), "fig.png is a figure", "--out")
    assert (tmp_path / "fig.png").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.png", "net.nnviz", "photo.png"]
