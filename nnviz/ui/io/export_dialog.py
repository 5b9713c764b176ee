"""File ▸ Export Image…: choose how the figure looks, watching it, then where it goes.

``ExportDialog.run(doc, parent)`` shows a live preview beside every choice of
the figure's style (a preset or each control), the format (PNG, SVG, PDF,
TikZ), the scale and the size the file will have. Accepting keeps the format,
scale and background for next time, asks for a file name and writes the
figure; once written, a style changed here is kept in the document (one
undo step, saved with the file). It returns
the path written, or ``None`` if the person cancelled or the file could not
be written (they were told why; nothing else changed).

A document whose style was never set starts from the Default preset on the
preferences' background (``export/transparent``); the window's Default draws
in the canvas's colour scheme and neuron heatmaps, as exports always did.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ...core.colors import SCHEMES
from ...core.figure import PRESETS, FigureStyle
from ...core.figure.style import DEFAULT_PRESET
from ...core.figure.layout import ELIDE_ABOVE
from .. import settings
from ..model import commands
from ..model.document import Document
from .export import (
    FORMAT_NAMES,
    FORMATS,
    MAX_SCALE,
    MIN_SCALE,
    ExportError,
    describe_size,
    export_image,
    format_name,
    pixel_size,
)
from .figure_preview import FigurePreview
from .figure_style_controls import StyleControls

SUFFIXES = {fmt: suffix for suffix, fmt in FORMATS.items()}
KEY = "export/"


def window_presets() -> dict[str, FigureStyle]:
    """The presets as the window offers them: its Default draws the weights in the canvas's colours and
    the neurons with the canvas's heatmaps (View ▸ Neuron Heatmaps), as exports always did."""
    default = PRESETS[DEFAULT_PRESET]
    scheme = QSettings().value("colorScheme", default.colors)
    default = default.replace(colors=scheme if scheme in SCHEMES else default.colors, heatmaps=settings.neuron_heatmaps())
    return PRESETS | {DEFAULT_PRESET: default}


def initial_style(doc: Document) -> FigureStyle:
    """The style the dialog opens with: the document's, or for a document never styled, the window's
    Default preset on the preferred background."""
    style = doc.project.figure_style
    if style != PRESETS[DEFAULT_PRESET]:
        return style
    transparent = _bool(QSettings().value(KEY + "transparent", False))
    return window_presets()[DEFAULT_PRESET].replace(background="transparent" if transparent else "white")


class ExportDialog(QDialog):
    """The export choices for ``doc`` with a live preview; :meth:`run` is the whole flow."""

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.setWindowTitle(self.tr("Export Image"))
        self.setObjectName("exportDialog")

        self.opened_with = initial_style(doc)
        self.controls = StyleControls(self.opened_with, wide=max(doc.spec.widths()) > ELIDE_ABOVE,
                                      presets=window_presets())
        self.preview = FigurePreview(doc)
        self.format = QComboBox(objectName="exportFormat")
        for fmt in FORMAT_NAMES:
            self.format.addItem(format_name(fmt), fmt)
        self.format.setItemData(self.format.findData("png"),
                                self.tr("A picture; it keeps the network, so nnviz opens it again"),
                                Qt.ItemDataRole.ToolTipRole)
        self.format.setItemData(self.format.findData("svg"), self.tr("Vector drawing; it keeps the network, so nnviz "
                                                                     "opens it again"), Qt.ItemDataRole.ToolTipRole)
        self.format.setItemData(self.format.findData("pdf"), self.tr("Vector PDF, one page the size of the figure"),
                                Qt.ItemDataRole.ToolTipRole)
        self.format.setItemData(self.format.findData("tex"), self.tr("A standalone TikZ picture to \\input or compile"),
                                Qt.ItemDataRole.ToolTipRole)
        self.scale = QDoubleSpinBox(objectName="exportScale")
        self.scale.setRange(MIN_SCALE, MAX_SCALE)
        self.scale.setSingleStep(0.5)
        self.scale.setDecimals(1)
        self.scale.setSuffix(" ×")
        self.scale.setToolTip(self.tr("Pixels per unit: 2× is sharp on high-resolution screens and in print"))
        self.size_label = QLabel(objectName="exportSize")
        self.size_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel(objectName="exportNote")
        self.note.setWordWrap(True)
        self.note.setVisible(False)

        output = QGroupBox(self.tr("File"))
        form = QFormLayout(output)
        form.addRow(self.tr("Format:"), self.format)
        form.addRow(self.tr("Scale:"), self.scale)
        self.controls.add_group(output)

        left = QVBoxLayout()
        left.addWidget(self.preview, 1)
        left.addWidget(self.size_label)
        left.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Export…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self.controls)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)

        self._fit_screen()
        self._restore()
        self.controls.style_changed.connect(self.preview.show_style)
        self.preview.drawn.connect(self._show_size)
        self.format.currentIndexChanged.connect(self._update)
        self.scale.valueChanged.connect(self._update)
        self._update()
        self.preview.show_style(self.style())

    def _fit_screen(self) -> None:
        """Open large enough for a wide network's preview, within the screen (the controls keep their size)."""
        screen = (self.parentWidget() or self).screen()
        if screen is None:
            return
        room = screen.availableGeometry()
        hint = self.sizeHint()
        self.resize(max(hint.width(), min(1240, int(room.width() * 0.92))),
                    max(hint.height(), min(640, int(room.height() * 0.85))))

    # -- state -----------------------------------------------------------------------

    def _restore(self) -> None:
        s = QSettings()
        self.format.setCurrentIndex(max(0, self.format.findData(s.value(KEY + "format", "png"))))
        self.scale.setValue(_float(s.value(KEY + "scale", 2.0), 2.0))

    def remember_choices(self) -> None:
        """Keep the chosen format, scale and background for the next export."""
        s = QSettings()
        s.setValue(KEY + "format", self.file_format())
        s.setValue(KEY + "scale", self.scale.value())
        s.setValue(KEY + "transparent", self.style().transparent)

    def style(self) -> FigureStyle:
        """The figure style the controls show."""
        return self.controls.style()

    def file_format(self) -> str:
        """"png", "svg", "pdf" or "tex"."""
        return self.format.currentData()

    def picture_size(self) -> tuple[int, int] | None:
        """What the file will measure (pixels for PNG, figure units otherwise), once the preview has drawn."""
        figure = self.preview.figure
        if figure is None:
            return None
        if self.file_format() == "png":
            return pixel_size(figure, self.scale.value())
        return round(figure.width), round(figure.height)

    def _update(self) -> None:
        self.scale.setEnabled(self.file_format() == "png")
        self._show_size(self.preview.figure, None)

    def _show_size(self, figure, reason) -> None:
        if reason:
            self.size_label.setText("")
            self.note.setText(reason)
            self.note.setVisible(True)
            return
        size = self.picture_size()
        self.size_label.setText("" if size is None else
                                self.tr("Size: {0}").format(describe_size(self.file_format(), size)))
        notes = [] if figure is None else list(figure.notes)
        self.note.setText(" ".join(notes))
        self.note.setVisible(bool(notes))

    def suggested_path(self) -> Path:
        folder = Path(QSettings().value(KEY + "folder", "") or (self.doc.path.parent if self.doc.path else Path.home()))
        stem = Path(self.doc.title).stem  # the file's name, as the window's title says it
        stem = re.sub(r"[^\w\-. ]+", "_", stem).strip() or self.tr("network")
        return folder / f"{stem}{SUFFIXES[self.file_format()]}"

    # -- the flow ----------------------------------------------------------------------

    def keep_style(self) -> None:
        """Keep the chosen style in the document (one undo step), if the person changed it here.

        An untouched dialog leaves the document alone, also where it showed the preferences'
        background or the canvas's colours over a document never styled.
        """
        if self.style() != self.opened_with:
            commands.set_figure_style(self.doc, self.style())

    def ask_path(self) -> Path | None:
        """The file to write, from a save dialog, with the format's extension; ``None`` if cancelled."""
        fmt = self.file_format()
        file_filter = f"{format_name(fmt)} (*{SUFFIXES[fmt]})"
        path, _ = QFileDialog.getSaveFileName(self.parentWidget(), self.tr("Export Image"), str(self.suggested_path()),
                                              file_filter)
        if not path:
            return None
        path = Path(path)
        if path.suffix.lower() not in FORMATS:
            path = path.with_name(path.name + SUFFIXES[fmt])
        return path

    def write(self, path: Path) -> bool:
        """Write the figure; on failure say why (nothing else is lost) and return ``False``."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            export_image(self.doc, path, style=self.style(), scale=self.scale.value())
        except (OSError, ExportError) as exc:
            QApplication.restoreOverrideCursor()
            reason = getattr(exc, "strerror", None) or str(exc)
            QMessageBox.critical(
                self.parentWidget(),
                self.tr("Export failed"),
                self.tr("Could not write {0}:\n{1}\n\nNothing was written; your network is unchanged.").format(path, reason),
            )
            return False
        QApplication.restoreOverrideCursor()
        QSettings().setValue(KEY + "folder", str(path.parent))
        return True

    @classmethod
    def run(cls, doc: Document, parent: QWidget | None = None) -> Path | None:
        """Ask for the choices and a file name, write the figure; the path written or ``None``."""
        dialog = cls(doc, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            dialog.remember_choices()
            path = dialog.ask_path()
            if path is None or not dialog.write(path):
                return None
            dialog.keep_style()  # the figure is written: the document remembers how it looks
            return path
        finally:
            dialog.deleteLater()


def _bool(value) -> bool:
    # QSettings' INI backend hands booleans back as "true" / "false".
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)


def _float(value, default: float) -> float:
    try:
        return min(MAX_SCALE, max(MIN_SCALE, float(value)))
    except (TypeError, ValueError):
        return default
