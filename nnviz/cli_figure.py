"""``nnviz export NET -o FIGURE``: the figure's flags, the style they make, and the export itself.

The style is built in layers, each over the one before: the style saved in
the network's file (the "default" preset if it has none), then ``--preset``,
then ``--style FILE.json``, then each style flag. Qt is loaded only to draw,
offscreen when there is no display.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from .core.figure.style import PRESETS, FigureStyle, StyleError, preset

FIGURE_SUFFIXES = (".png", ".svg", ".pdf", ".tex")
# The style's fields as flags: (field, metavar or None for a switch, help).
STYLE_FLAGS = [
    ("direction", "right|up", "right: input on the left; up: input at the bottom"),
    ("node_size", "PX", "neuron diameter, 4 to 120"),
    ("layer_spacing", "PX", "between connected layers, 20 to 1000"),
    ("neuron_spacing", "PX", "between neighbouring neurons, 4 to 300 (at least the neuron size)"),
    ("edge_width", "weight|uniform", "line width by |weight| or uniform"),
    ("edge_opacity", "weight|uniform", "line opacity by |weight| or uniform"),
    ("colors", "SCHEME", "classic (cyan/red), colorblind (blue/orange), mono (black, negative dashed) "
                         "or plain (grey, no sign)"),
    ("bias_units", None, "a +1 neuron per layer for the biases"),
    ("arrowheads", "none|open|filled", "a head at the end of every line"),
    ("labels", "none|captions|math|names", "layer captions, math (x₁ … ŷ) or the input and output names"),
    ("node_colors", "role|layer|plain", "neuron fill by role, per layer, or plain"),
    ("legend", None, "what the colours and widths mean"),
    ("heatmaps", None, "hidden neurons as their activation over the input plane (2 inputs, 2-D data)"),
    ("activations", None, "neurons filled by the probe input's activations"),
    ("full", None, "every neuron of wide layers (default: elided with ⋮)"),
    ("background", "white|transparent|#RRGGBB", "what the figure is drawn on"),
]
NUMBER_FIELDS = ("node_size", "layer_spacing", "neuron_spacing")


class FigureArgumentError(ValueError):
    """A flag, a style file or an output that cannot be used; ``str()`` names it and says what would do."""


def flag(field: str) -> str:
    return "--" + field.replace("_", "-")


def add_figure_arguments(p: argparse.ArgumentParser) -> None:
    """The export command's figure flags: scale, the style's sources, and one flag per style field."""
    p.add_argument("--scale", type=float, default=2.0, metavar="S", help="PNG pixels per unit, from 1 to 4 (default 2)")
    group = p.add_argument_group(
        "figure style",
        "Each layer overrides the one before: the style saved in FILE (set in the window's Export Image…; "
        "the default preset if none), then --preset, then --style, then the flags below.",
    )
    group.add_argument("--preset", metavar="NAME", help=f"a named style: {', '.join(PRESETS)}")
    group.add_argument("--style", metavar="FILE.json", help='a style file: {"preset": "paper", "direction": "up", …} '
                                                            "(its fields over what comes before; a preset it names first)")
    for field, metavar, help_text in STYLE_FLAGS:
        if metavar is None:
            group.add_argument(flag(field), dest=field, action=argparse.BooleanOptionalAction, default=None, help=help_text)
        else:
            kind = float if field in NUMBER_FIELDS else str
            group.add_argument(flag(field), dest=field, type=kind, metavar=metavar, help=help_text)
    group.add_argument("--transparent", action="store_true", help="the same as --background transparent")


def figure_style(args, saved: FigureStyle) -> FigureStyle:
    """The style ``args`` ask for over ``saved`` (see the module's layers); :class:`FigureArgumentError` if bad."""
    style = saved
    if args.preset is not None:
        style = _styled("--preset", lambda: preset(args.preset))
    if args.style is not None:
        style = _styled("--style", lambda: _style_file(Path(args.style), style))
    changes = {field: getattr(args, field) for field, _, _ in STYLE_FLAGS if getattr(args, field) is not None}
    if args.transparent:
        if changes.get("background", "transparent") != "transparent":
            raise FigureArgumentError(f"--transparent and --background {changes['background']}: choose one")
        changes["background"] = "transparent"
    try:
        return style.replace(**changes)  # all at once: node size and spacing may only fit together
    except StyleError as exc:
        named = str(exc).removeprefix("figure style ").split(":")[0].split(" ")[0]
        source = flag(named) if named in changes else "the style flags"
        raise FigureArgumentError(f"{source}: {_rule(exc, source)}") from None


def _styled(source: str, make) -> FigureStyle:
    try:
        return make()
    except StyleError as exc:
        raise FigureArgumentError(f"{source}: {_rule(exc, source)}") from None


def _rule(exc: StyleError, source: str = "") -> str:
    """The style's message without its own prefix, and without the field's name where the flag names it."""
    text = str(exc).removeprefix("figure style ")
    field = source.removeprefix("--").replace("-", "_")
    return text.removeprefix(f"{field}: ")


def _style_file(path: Path, base: FigureStyle) -> FigureStyle:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise FigureArgumentError(f"--style: cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise FigureArgumentError(f"--style: {path.name} is not UTF-8 text; a style file is JSON") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FigureArgumentError(f"--style: {path.name} is not valid JSON ({exc.msg}, line {exc.lineno} "
                                  f"column {exc.colno})") from None
    if not isinstance(data, dict):
        raise FigureArgumentError(f'--style: {path.name} must hold a JSON object such as {{"preset": "paper"}}')
    data = dict(data)
    if "preset" in data:
        name = data.pop("preset")
        if not isinstance(name, str):
            raise FigureArgumentError(f"--style: {path.name}: preset must be a name, one of {', '.join(PRESETS)}")
        base = preset(name)
    try:
        return base.replace(**data)
    except StyleError as exc:
        raise FigureArgumentError(f"--style: {path.name}: {_rule(exc)}") from None


def check_output(out: Path, scale: float) -> None:
    """Refuse, before anything is read or drawn, an output name or a scale that cannot work."""
    if out.suffix.lower() not in FIGURE_SUFFIXES:
        raise FigureArgumentError(f"-o: cannot tell the format from {out.name!r}; end the name in .png, .svg, .pdf, "
                                  ".tex (TikZ) or .py (PyTorch code)")
    if not (math.isfinite(scale) and 1.0 <= scale <= 4.0):
        raise FigureArgumentError(f"--scale: must be a number from 1 to 4, got {scale:g}")
    if out.is_dir():
        raise FigureArgumentError(f"-o: {out} is a folder; give a file name")


def export_figure(args, project) -> str:
    """Draw ``project`` as ``args`` ask; the line to print. :class:`FigureArgumentError` or :class:`OSError` if not."""
    out = Path(args.out)
    style = figure_style(args, project.figure_style)
    # Qt only now, and offscreen when there is no display: the rest of the command line never loads it.
    from .ui.io.headless import ensure_app, quiet_qt_messages

    quiet_qt_messages()
    ensure_app()  # painting text needs an application; ensure_app keeps it alive
    from .ui.io.export import ExportError, describe_size, export_image, image_format

    try:
        size = export_image(project, out, style=style, scale=args.scale)
    except ExportError as exc:
        raise FigureArgumentError(str(exc)) from None
    return f"wrote {out} ({describe_size(image_format(out), size)})"
