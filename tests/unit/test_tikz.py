"""to_tikz: a readable standalone document with the figure's geometry, compiled by pdflatex where installed."""

import re
import shutil
import subprocess

import numpy as np
import pytest

from nnviz.core.figure import PRESETS, build_figure
from nnviz.core.figure.tikz import to_tikz
from nnviz.core.network import Network
from nnviz.core.project import Project
from nnviz.core.shipped import example_path
from nnviz.core.spec import DenseSpec, NetworkSpec


def small(*widths, inputs=2) -> Project:
    return Project(network=Network(NetworkSpec(inputs, tuple(DenseSpec(w, "relu") for w in widths), name="small")))


def test_the_document_is_standalone_tikz_with_one_named_node_per_neuron():
    fig = build_figure(small(3, 2), PRESETS["default"])
    tex = to_tikz(fig)
    assert "\\documentclass[tikz, border=0pt]{standalone}" in tex
    assert re.findall(r"\\usepackage\{(\w+)\}", tex) == ["tikz"]  # only in the fallback for a bare TeX base
    assert tex.count("\\begin{tikzpicture}") == 1 and tex.rstrip().endswith("\\end{document}")
    named = re.findall(r"\\node\[(?:input|hidden|output)[^\]]*\] \((L\d+-\d+)\)", tex)
    assert named == ["L0-1", "L0-2", "L1-1", "L1-2", "L1-3", "L2-1", "L2-2"]
    node = next(n for n in fig.nodes if n.name == "L1-2")
    assert f"(L1-2) at ({node.x:.2f}".rstrip("0") in tex or f"(L1-2) at ({round(node.x, 2):g}" in tex


def test_edges_are_foreach_loops_over_node_pairs_with_pens_defined_once():
    fig = build_figure(small(3, 2), PRESETS["default"])
    tex = to_tikz(fig)
    pairs = re.findall(r"(L\d+-\d+)/(L\d+-\d+)", tex)
    assert len(pairs) == len(fig.edges) == 2 * 3 + 3 * 2
    pens = re.findall(r"^  (e\d+)/\.style=", tex, re.M)
    assert len(pens) == len(set(pens)) and set(re.findall(r"\\draw\[(e\d+)\]", tex)) == set(pens)
    assert "\\definecolor{edge}{HTML}{0AA3C2}" in tex or "{HTML}{0AA3C2}" in tex  # the positive cyan
    assert "\\begin{pgfonlayer}{edges}" in tex


def test_math_labels_captions_and_elision():
    tex = to_tikz(build_figure(small(40, 2), PRESETS["paper"]))
    for label in ("$x_{1}$", "$x_{2}$", "$\\hat{y}_{2}$", "{Hidden 1}", "{Output}", "$\\vdots$"):
        assert label in tex, label
    assert "40 $\\cdot$ relu" in tex  # a middle dot pdflatex takes without packages


def test_arrowheads_come_from_arrows_meta():
    plain = to_tikz(build_figure(small(2), PRESETS["default"]))
    filled = to_tikz(build_figure(small(2), PRESETS["default"].replace(arrowheads="filled")))
    opened = to_tikz(build_figure(small(2), PRESETS["default"].replace(arrowheads="open")))
    assert "Stealth" not in plain
    assert "-{Stealth[length=" in filled and "Stealth[open" in opened


def test_mono_dashes_negative_weights_and_heatmaps_are_explained():
    p = Project.load(example_path("relu_2-4-4-1_circle"))
    tex = to_tikz(build_figure(p, PRESETS["paper"]))
    assert "dash pattern" in tex
    with_maps = to_tikz(build_figure(p, PRESETS["default"].replace(heatmaps=True)))
    assert "cannot be drawn by TikZ alone" in with_maps
    assert "cannot be drawn" not in to_tikz(build_figure(p, PRESETS["default"]))


def test_text_from_a_file_is_escaped():
    p = small(2, inputs=2)
    p.input_names = ["50% & more", "a_b #1"]
    tex = to_tikz(build_figure(p, PRESETS["default"]))
    assert "50\\% \\& more" in tex and "a\\_b \\#1" in tex


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("preset", ["paper", "default"])
def test_pdflatex_compiles_it(tmp_path, preset):
    p = Project.load(example_path("iris_4-8-3_softmax"))
    fig = build_figure(p, PRESETS[preset].replace(legend=True, bias_units=True))
    (tmp_path / "fig.tex").write_text(to_tikz(fig), encoding="utf-8")
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "fig.tex"], cwd=tmp_path, capture_output=True, text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "fig.pdf").read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):  # the page is the figure: 0.75 pt a unit
        info = subprocess.run(["pdfinfo", "fig.pdf"], cwd=tmp_path, capture_output=True, text=True).stdout
        size = re.search(r"Page size:\s*([\d.]+) x ([\d.]+) pts", info)
        assert np.allclose([float(size.group(1)), float(size.group(2))], [fig.width * 0.75, fig.height * 0.75], atol=1.5)
