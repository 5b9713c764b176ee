"""Figure styles: validation that names the field, presets, JSON style files."""

import json

import pytest

from nnviz.core.figure import PRESETS, FigureStyle, StyleError, load_style, save_style, style_from_json


def test_every_preset_round_trips_through_a_dict():
    for name, style in PRESETS.items():
        assert FigureStyle.from_dict(style.to_dict()) == style, name
    assert {"default", "paper", "slide", "nn-svg"} <= set(PRESETS)
    assert PRESETS["default"] == FigureStyle()  # a style never chosen is the default preset, not "Custom"


def test_presets_differ_as_documented():
    assert PRESETS["paper"].colors == "mono" and PRESETS["paper"].labels == "math" and PRESETS["paper"].arrowheads != "none"
    assert PRESETS["slide"].node_size > PRESETS["default"].node_size and PRESETS["slide"].legend
    nn = PRESETS["nn-svg"]
    assert (nn.edge_width, nn.edge_opacity, nn.colors, nn.node_colors, nn.node_size) == ("uniform", "uniform", "plain", "plain", 20.0)


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("direction", "left", "right, up"),
        ("node_size", 0, "from 4 to 120"),
        ("node_size", True, "must be a number"),
        ("layer_spacing", "wide", "must be a number"),
        ("edge_width", "thick", "weight, uniform"),
        ("colors", "rainbow", "classic, colorblind, mono, plain"),
        ("arrowheads", "big", "none, open, filled"),
        ("labels", "latex", "none, captions, math, names"),
        ("node_colors", "random", "role, layer, plain"),
        ("legend", "yes", "true or false"),
        ("background", "#12345", "#rrggbb"),
    ],
)
def test_a_bad_field_is_named_with_what_is_allowed(field, value, words):
    with pytest.raises(StyleError) as caught:
        FigureStyle.from_dict({field: value})
    assert field in str(caught.value) and words in str(caught.value)


def test_unknown_fields_and_overlapping_neurons_are_refused():
    with pytest.raises(StyleError, match="unknown figure style field 'size'"):
        FigureStyle.from_dict({"size": 3})
    with pytest.raises(StyleError, match="overlap"):
        FigureStyle().replace(node_size=40.0, neuron_spacing=30.0)


def test_replace_changes_one_field_and_validates():
    style = PRESETS["paper"].replace(legend=True, background="#FAFAFA")
    assert style.legend and style.background_color == "#fafafa" and style.colors == "mono"
    assert FigureStyle(background="transparent").background_color is None
    with pytest.raises(StyleError):
        style.replace(direction="down")


def test_a_style_file_names_a_preset_and_overrides(tmp_path):
    path = tmp_path / "fig.json"
    path.write_text(json.dumps({"preset": "slide", "colors": "colorblind", "node_size": 24}))
    style = load_style(path)
    assert style == PRESETS["slide"].replace(colors="colorblind", node_size=24.0)
    save_style(style, tmp_path / "again.json")
    assert load_style(tmp_path / "again.json") == style
    assert style_from_json({"legend": False}) == PRESETS["default"].replace(legend=False)


@pytest.mark.parametrize(
    "text, words",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"preset": "poster"}', "unknown figure preset 'poster'; choose from default, paper, slide, nn-svg"),
        ('{"labels": 3}', "labels: must be a string"),
    ],
)
def test_a_malformed_style_file_says_what_is_wrong(tmp_path, text, words):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(StyleError) as caught:
        load_style(path)
    assert "bad.json" in str(caught.value) and words in str(caught.value)
