"""Render nnviz's icon PNGs from resources/icons/nnviz.svg: ``python packaging/render_icons.py``.

Writes resources/icons/nnviz-<size>.png for every size in nnviz.desktop.ICON_SIZES, drawn by
Qt's SVG renderer: sizes under 32 px from nnviz-small.svg (fewer, bolder shapes: the full
drawing blurs to a grey patch there), the rest from nnviz.svg. Run it again after changing an
SVG and commit the PNGs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from nnviz.desktop import ICON_SIZES  # noqa: E402

ICONS = ROOT / "resources" / "icons"
SMALL_BELOW = 32


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: Qt cannot read this SVG; fix it and run again.")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    if QGuiApplication.instance() is None:  # QPainter on a QImage needs one
        QGuiApplication([sys.argv[0]])
    for size in ICON_SIZES:
        svg = ICONS / ("nnviz-small.svg" if size < SMALL_BELOW else "nnviz.svg")
        out = ICONS / f"nnviz-{size}.png"
        if not render(svg, size).save(str(out)):
            raise SystemExit(f"{out}: could not be written; check the folder's permissions.")
        print(out.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
