"""A figure as a standalone LaTeX document drawn with TikZ, readable and editable by hand.

The same geometry as the pictures (one figure unit is 0.75 bp, the PDF point; the picture's
y axis runs down, as the figure's does) and the same colours, each defined
once. Every neuron is a named node — ``(L0-1)`` is the first input, ``(L2-4)``
the fourth neuron of the second layer, ``(L1-b)`` a bias unit — and every
look is a style in one ``\\tikzset``, so a person can restyle the figure in
one place. Connections are drawn by ``\\foreach`` over node pairs, one loop
per pen (sign and |w| bin of one layer pair). Only the standalone class and
TikZ (with its own arrows.meta library) are used: both are in every TeX Live
base installation.
"""

from __future__ import annotations

from ..colors import LIGHT_INK
from .labels import tex_escape
from .model import Figure, Text

PT = 0.75  # big points (bp, PDF's points) per figure unit; TeX's pt is 1/72.27 in
ROLE_STYLES = ("input", "hidden", "output", "pass", "bias")
# Characters a default pdflatex (no extra packages) cannot take as text, spelled in TeX.
_TEXT_SUBSTITUTES = {"·": "$\\cdot$", "…": "\\ldots{}", "→": "$\\rightarrow$", "↑": "$\\uparrow$", "|": "$|$",
                     "<": "$<$", ">": "$>$", "−": "$-$"}


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(text: str) -> str:
    out = []
    for ch in text:
        if ch in _TEXT_SUBSTITUTES:
            out.append(_TEXT_SUBSTITUTES[ch])
        elif ord(ch) < 128:
            out.append(tex_escape(ch))
        elif ord(ch) < 256:
            out.append(ch)  # Latin-1: LaTeX's default UTF-8 input takes it
        else:
            out.append("?")
    return "".join(out)


class _Colors:
    """Every colour of the figure, named once (\\definecolor) and referred to by name."""

    def __init__(self):
        self.names: dict[str, str] = {}

    def __call__(self, hex_color: str, hint: str = "c") -> str:
        key = hex_color.lower()
        if key not in self.names:
            name = hint if hint not in self.names.values() else f"{hint}{len(self.names)}"
            self.names[key] = name
        return self.names[key]

    def definitions(self) -> list[str]:
        return [f"\\definecolor{{{name}}}{{HTML}}{{{key.lstrip('#').upper()}}}" for key, name in self.names.items()]


def to_tikz(figure: Figure) -> str:
    """``figure`` as a standalone ``.tex`` document (compile with ``pdflatex``)."""
    colors = _Colors()
    styles: list[str] = []
    body: list[str] = []

    colors("#ffffff", "white")
    colors(LIGHT_INK.text, "ink")
    colors(LIGHT_INK.subtext, "subtext")
    role_fill = {}
    role_node = {}
    for n in figure.nodes:
        if n.role not in role_node:
            role_node[n.role] = n
            role_fill[n.role] = n.fill
    for role in ROLE_STYLES:
        if role not in role_node:
            continue
        n = role_node[role]
        fill = "none" if n.fill == "none" else colors(n.fill, f"{role}fill")
        extra = ", dashed" if n.dashed else ""
        styles.append(f"  {role}/.style={{circle, draw={colors(n.stroke, 'outline' if role != 'bias' else 'biasline')}, "
                      f"fill={fill}, line width={_num(n.stroke_width * PT)}bp, minimum size={_num(2 * n.r * PT)}bp, "
                      f"inner sep=0pt{extra}}},")

    # Edge pens, one style per group.
    e = figure.edges
    head = {"none": "", "open": ", -{Stealth[open, length=%sbp, width=%sbp]}", "filled": ", -{Stealth[length=%sbp, width=%sbp]}"}[e.arrow]
    if head:
        head = head % (_num(e.arrow_size * PT), _num(e.arrow_size * 0.9 * PT))
    edge_lines: list[str] = []
    names = [n.name for n in figure.nodes]
    pens: dict[str, str] = {}
    for _group, idx in e.groups():
        i0 = int(idx[0])
        r, g, b, a = e.rgba[i0]
        hex_color = "#" + "".join(f"{int(round(c * 255)):02x}" for c in (r, g, b))
        dash = ", dash pattern=on 3pt off 2pt" if e.dashed[i0] else ""
        look = (f"draw={colors(hex_color, 'edge')}, line width={_num(float(e.width[i0]) * PT)}bp, "
                f"draw opacity={_num(float(a))}{dash}{head}")
        if look not in pens:  # pairs of layers share a pen where they look the same
            pens[look] = f"e{len(pens) + 1}"
            styles.append(f"  {pens[look]}/.style={{{look}}},")
        pen = pens[look]
        pairs = ", ".join(f"{names[s]}/{names[d]}" for s, d in zip(e.src[idx].tolist(), e.dst[idx].tolist()))
        src_column = figure.nodes[int(e.src[i0])].column
        edge_lines.append(f"% {len(idx)} connection{'s' if len(idx) != 1 else ''} from column {src_column}")
        edge_lines.append(f"\\foreach \\a/\\b in {{{pairs}}}\n  \\draw[{pen}] (\\a) -- (\\b);")

    body.append("% Neurons: (L<column>-<neuron>), column 0 is the input; (L<column>-b) is a bias unit.")
    if figure.images:
        body.append("% Their heatmaps (pictures over the input plane) cannot be drawn by TikZ alone: those neurons")
        body.append("% are drawn plain here; export a PNG, SVG or PDF for the pictures.")
    for n in figure.nodes:
        if n.role == "legend":
            continue
        options = [n.role]
        if n.fill != role_fill[n.role]:
            options.append("fill=" + ("white" if n.fill == "none" else colors(n.fill, "fill")))
        body.append(f"\\node[{', '.join(options)}] ({n.name}) at ({_num(n.x)}, {_num(n.y)}) {{}};")
    body.append("")
    if edge_lines:
        # On a layer under the neurons, which cover the lines' ends as in the pictures.
        body.append("% Connections, one pen (layer pair, sign, |w|) at a time, under the neurons.")
        body.append("\\begin{pgfonlayer}{edges}")
        body += edge_lines
        body.append("\\end{pgfonlayer}")
        body.append("")
    legend_nodes = [n for n in figure.nodes if n.role == "legend"]
    texts = [t for t in figure.texts if t.role != "legend"]
    if figure.elisions:
        body.append("% Neurons left out of wide layers.")
        for el in figure.elisions:
            sym = "\\vdots" if el.vertical else "\\cdots"
            body.append(f"\\node[elision] at ({_num(el.x)}, {_num(el.y)}) {{${sym}$}};")
        styles.append(f"  elision/.style={{text={colors(figure.elisions[0].color, 'elision')}, inner sep=0pt}},")
    if texts:
        body.append("% Labels and captions.")
        body += [_text_node(t, colors, styles) for t in texts]
    legend_texts = [t for t in figure.texts if t.role == "legend"]
    if figure.lines or legend_nodes or legend_texts:
        body.append("")
        body.append("% Legend.")
        for line in figure.lines:
            dash = ", dash pattern=on 3pt off 2pt" if line.dashed else ""
            body.append(f"\\draw[draw={colors(line.color, 'ink')}, line width={_num(line.width * PT)}bp, "
                        f"draw opacity={_num(line.alpha)}{dash}] ({_num(line.x1)}, {_num(line.y1)}) -- ({_num(line.x2)}, {_num(line.y2)});")
        for n in legend_nodes:
            fill = "white" if n.fill == "none" else colors(n.fill, "fill")
            dash = ", dashed" if n.dashed else ""
            body.append(f"\\node[circle, draw={colors(n.stroke, 'outline')}, fill={fill}, line width={_num(n.stroke_width * PT)}bp, "
                        f"minimum size={_num(2 * n.r * PT)}bp, inner sep=0pt{dash}] at ({_num(n.x)}, {_num(n.y)}) {{}};")
        body += [_text_node(t, colors, styles) for t in legend_texts]

    if figure.background is not None:
        bg = (f"\\begin{{pgfonlayer}}{{background}}\\fill[{colors(figure.background, 'background')}] (0, 0) rectangle "
              f"({_num(figure.width)}, {_num(figure.height)});\\end{{pgfonlayer}}")
    else:
        bg = "% (a transparent background)"
    lines = [
        f"% {figure.title or 'Neural network'}: drawn by nnviz.",
        "% Compile with pdflatex. One unit is 0.75bp (a CSS pixel); y runs down, as in the PNG and SVG exports.",
        "% Edit the looks in \\tikzset below: a neuron's role (input, hidden, output, pass, bias), each pen e<N>.",
        "\\IfFileExists{standalone.cls}{\\documentclass[tikz, border=0pt]{standalone}}{%",
        "  % No standalone class (a bare TeX Live base): an article page cut to the figure.",
        "  \\documentclass{article}\\usepackage{tikz}\\pagestyle{empty}%",
        f"  \\AtBeginDocument{{\\pdfpagewidth={_num(figure.width * PT)}bp \\pdfpageheight={_num(figure.height * PT)}bp}}%",
        "  \\setlength{\\hoffset}{-1in}\\setlength{\\voffset}{-1in}\\setlength{\\oddsidemargin}{0pt}%",
        "  \\setlength{\\topmargin}{0pt}\\setlength{\\headheight}{0pt}\\setlength{\\headsep}{0pt}%",
        f"  \\setlength{{\\parindent}}{{0pt}}\\setlength{{\\textwidth}}{{{_num(figure.width * PT + 1)}bp}}\\setlength{{\\topskip}}{{0pt}}}}",
        "\\usetikzlibrary{arrows.meta}",
        "\\pgfdeclarelayer{background}\\pgfdeclarelayer{edges}\\pgfsetlayers{background, edges, main}",
        *colors.definitions(),
        "\\tikzset{",
        *styles,
        "}",
        "\\begin{document}",
        f"\\begin{{tikzpicture}}[x={PT}bp, y=-{PT}bp]",
        f"\\useasboundingbox (0, 0) rectangle ({_num(figure.width)}, {_num(figure.height)});  % the page: the figure's size",
        bg.rstrip("\n"),
        *body,
        "\\end{tikzpicture}",
        "\\end{document}",
        "",
    ]
    return "\n".join(lines)


def _text_node(t: Text, colors: _Colors, styles: list[str]) -> str:
    content = f"${t.math}$" if t.math else _text(t.text)
    style = f"{t.role} text"
    line = f"  {style}/.style={{font=\\fontsize{{{_num(t.size * PT)}}}{{{_num(t.size * PT * 1.2)}}}\\selectfont"
    line += "\\bfseries" if t.bold else ""
    line += f", text={colors(t.color, 'ink')}, inner sep=0pt}},"
    if not any(s.startswith(f"  {style}/.style=") for s in styles):
        styles.append(line)
        own = ""
    elif line in styles:
        own = ""
    else:  # a text of this role at another size (a label shrunk to fit its neuron)
        own = f", font=\\fontsize{{{_num(t.size * PT)}}}{{{_num(t.size * PT * 1.2)}}}\\selectfont"
    anchor = "" if t.anchor == "center" else f", anchor={t.anchor}"
    return f"\\node[{style}{anchor}{own}] at ({_num(t.x)}, {_num(t.y)}) {{{content}}};"

