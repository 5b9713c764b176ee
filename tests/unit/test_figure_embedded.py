"""A figure remembers its network: the .nnviz text inside a PNG or SVG, read back without Qt; the figure style in the file."""

from __future__ import annotations

import json
import struct
import zlib

import numpy as np
import pytest

from nnviz.core.figure.style import PRESETS
from nnviz.core.fileformat import FileFormatError, dumps, load, loads
from nnviz.core.fileformat import embedded
from nnviz.core.fileformat.embedded import embed, embedded_text, is_figure
from nnviz.core.project import DatasetRecord, Project


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    """A valid RGBA PNG, made by hand (the unit tests load no Qt)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\xff" * 4 * width for _ in range(height))
    return b"".join([
        embedded.PNG_SIGNATURE,
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)),
        chunk(b"IDAT", zlib.compress(rows)),
        chunk(b"IEND", b""),
    ])


TINY_SVG = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            b'<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny">\n'
            b'<title>net</title><rect x="0" y="0" width="10" height="10" fill="#ffffff"/></svg>\n')


def trained_project() -> Project:
    project = Project.default()
    rng = np.random.default_rng(3)
    project.network.params[:] = rng.normal(size=project.network.params.shape)
    project.output_names = ["no", "yes"]
    project.figure_style = PRESETS["paper"].replace(direction="up")
    return project


def chunks(png: bytes) -> list[bytes]:
    at, kinds = 8, []
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        kinds.append(kind)
        at += 12 + length
    return kinds


@pytest.mark.parametrize("picture, suffix", [(tiny_png(), ".png"), (TINY_SVG, ".svg")], ids=["png", "svg"])
def test_a_figure_reopens_as_its_network(tmp_path, picture, suffix):
    project = trained_project()
    path = tmp_path / f"fig{suffix}"
    path.write_bytes(embed(picture, dumps(project.snapshot(None))))
    again = Project.load(path)
    assert np.array_equal(again.network.params, project.network.params)
    assert again.spec == project.spec and again.output_names == ["no", "yes"]
    assert again.figure_style == project.figure_style
    assert again.path is None, "saving the reopened network must ask for a .nnviz name, not overwrite the picture"


def test_the_png_stays_a_valid_png_with_the_network_in_a_compressed_itxt_chunk():
    project = trained_project()
    text = dumps(project.snapshot(None))
    png = embed(tiny_png(), text)
    assert chunks(png) == [b"IHDR", b"IDAT", b"iTXt", b"IEND"]
    start = png.index(b"iTXt") + 4
    assert png[start:start + 8] == b"nnviz\x00\x01\x00"  # keyword, compressed, zlib
    assert len(png) - len(tiny_png()) < len(text), "the network is not compressed"
    assert embedded_text(png, "fig.png") == text


def test_the_svg_keeps_the_network_in_its_metadata_and_stays_well_formed():
    from xml.etree import ElementTree as ET

    project = trained_project()
    nf = project.snapshot(None)
    nf.spec = type(nf.spec)(nf.spec.inputs, nf.spec.layers, name='a <b> & "c" ]]>')
    text = dumps(nf)
    svg = embed(TINY_SVG, text)
    root = ET.fromstring(svg)
    network = root.find(f"{{http://www.w3.org/2000/svg}}metadata/{{{embedded.SVG_NAMESPACE}}}network")
    assert network is not None and network.text == text
    assert loads(embedded_text(svg, "fig.svg")).spec.name == 'a <b> & "c" ]]>'


def test_a_relative_csv_path_travels_as_an_absolute_one(tmp_path):
    (tmp_path / "data.csv").write_text("a,b,y\n" + "".join(f"{i},{i + 1},{i % 2}\n" for i in range(6)))
    project = Project.default()
    project.dataset = DatasetRecord("data", path="data.csv")
    project.path = tmp_path / "net.nnviz"
    figure = tmp_path / "figures" / "net.png"
    figure.parent.mkdir()
    figure.write_bytes(embed(tiny_png(), dumps(project.snapshot(None))))
    again = Project.load(figure)
    assert again.dataset.path == str(tmp_path / "data.csv")
    assert again.load_dataset().n_samples == 6


@pytest.mark.parametrize("picture, suffix", [(tiny_png(), ".png"), (TINY_SVG, ".svg")], ids=["png", "svg"])
def test_a_figure_without_a_network_says_so(tmp_path, picture, suffix):
    path = tmp_path / f"photo{suffix}"
    path.write_bytes(picture)
    with pytest.raises(FileFormatError) as err:
        Project.load(path)
    assert str(err.value).startswith(f"photo{suffix} was not made by nnviz")
    assert "it holds no network" in str(err.value)


def test_a_damaged_chunk_and_an_svg_with_a_doctype_are_refused(tmp_path):
    png = bytearray(embed(tiny_png(), dumps(Project.default().to_file())))
    png[png.index(b"iTXt") + 20] ^= 0xFF
    with pytest.raises(FileFormatError, match="damaged"):
        embedded_text(bytes(png), "fig.png")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
              b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>')
    with pytest.raises(FileFormatError, match="DOCTYPE"):
        embedded_text(laughs, "laughs.svg")
    with pytest.raises(FileFormatError, match="not a readable SVG"):
        embedded_text(b"<svg><unclosed></svg>", "broken.svg")


def test_a_network_inflating_beyond_the_cap_is_refused_unread(monkeypatch):
    png = embed(tiny_png(), "{" + " " * 5000 + "}")
    monkeypatch.setattr(embedded, "MAX_TEXT", 1000)
    with pytest.raises(FileFormatError, match="too large"):
        embedded_text(png, "bomb.png")


def test_nnviz_files_are_not_figures():
    assert not is_figure(dumps(Project.default().to_file()).encode())
    assert is_figure(tiny_png()) and is_figure(TINY_SVG)


# -- the figure style in the .nnviz file ----------------------------------------------------------------


def test_the_style_round_trips_and_the_default_is_not_written(tmp_path):
    project = trained_project()
    project.save(tmp_path / "styled.nnviz")
    assert Project.load(tmp_path / "styled.nnviz").figure_style == PRESETS["paper"].replace(direction="up")
    plain = Project.default()
    plain.save(tmp_path / "plain.nnviz")
    assert "figure_style" not in json.loads((tmp_path / "plain.nnviz").read_text())
    assert Project.load(tmp_path / "plain.nnviz").figure_style == PRESETS["default"]


def test_an_old_file_without_a_style_opens_with_the_default():
    data = json.loads(dumps(Project.default().to_file()))
    assert "figure_style" not in data
    assert Project.from_file(loads(json.dumps(data))).figure_style == PRESETS["default"]


@pytest.mark.parametrize(
    "style, where, fragment",
    [
        ({"node_size": 500}, "figure_style.node_size", "from 4 to 120"),
        ({"direction": "sideways"}, "figure_style.direction", "right, up"),
        ({"legend": "yes"}, "figure_style.legend", "true or false"),
        ({"shading": 1}, "figure_style", "unknown figure style field 'shading'"),
        ("paper", "figure_style", "must be an object"),
    ],
)
def test_a_bad_style_in_a_file_is_refused_naming_its_field(style, where, fragment):
    data = json.loads(dumps(Project.default().to_file()))
    data["figure_style"] = style
    with pytest.raises(FileFormatError) as err:
        loads(json.dumps(data))
    assert err.value.where == where and fragment in err.value.rule


def test_load_reads_a_figure_by_content(tmp_path):
    path = tmp_path / "fig.png"
    path.write_bytes(embed(tiny_png(), dumps(trained_project().snapshot(None))))
    assert load(path).spec == trained_project().spec


# -- fuzz: figures broken in the picture, or carrying a broken network ------------------------------------


def figure_cases(seed: int = 14, n: int = 240):
    """(case, kind, figure bytes): a broken network inside a sound picture, or a sound one in a picture broken
    byte by byte (flips, a truncation, a splice), alternately PNG and SVG."""
    import random

    from fuzz_mutations import examples, mutate

    rng = random.Random(seed)
    files = examples()
    for i in range(n):
        data = files[i % len(files)][1]
        picture = (tiny_png(), TINY_SVG)[i % 2]
        if i % 3 == 0:
            kind, text = mutate(data, random.Random(rng.getrandbits(64)))
            yield i, f"network {kind}", embed(picture, text.decode("utf-8", "replace"))
            continue
        figure = bytearray(embed(picture, data.decode("utf-8")))
        kind = rng.choice(["flip", "truncate", "splice"])
        if kind == "flip":
            for _ in range(rng.randint(1, 8)):
                figure[rng.randrange(len(figure))] = rng.randrange(256)
        elif kind == "truncate":
            figure = figure[: rng.randrange(len(figure))]
        else:
            a, b = sorted(rng.randrange(len(figure)) for _ in range(2))
            at = rng.randrange(len(figure))
            figure = figure[:at] + figure[a:b] + figure[at:]
        yield i, f"picture {kind}", bytes(figure)


def open_figure(figure: bytes) -> tuple[str, str]:
    """As :func:`fuzz_mutations.open_case`, for a figure: anything but FileFormatError raises."""
    from fuzz_mutations import open_case

    try:
        text = embedded_text(figure, "fig") if is_figure(figure) else figure.decode("utf-8", "replace")
    except FileFormatError as exc:
        return "refused", str(exc)
    return open_case(text.encode("utf-8", "surrogatepass"))


def test_mutated_figures_are_refused_or_open_sound():
    from collections import Counter

    outcomes = Counter()
    for i, kind, figure in figure_cases():
        outcome, detail = open_figure(figure)  # a traceback here is one a user would meet
        assert outcome != "bad", f"case {i} ({kind}) opened with {detail}"
        outcomes[outcome] += 1
    assert outcomes["refused"] > 100 and outcomes["opened"] > 5, outcomes  # most breaks are caught, some open
