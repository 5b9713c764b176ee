"""File ▸ Export Image…: choose how the picture looks, then where it goes.

``ExportDialog.run(doc, parent)`` shows the options (format, scale,
background, legend, every neuron, activations) with the size the picture
will have, remembers them for next time, asks for a file name and writes the
picture. It returns the path written, or ``None`` if the person cancelled or
the file could not be written (they were told why; nothing else changed).

Like the colour scheme, the neuron heatmaps follow the canvas (View ▸ Neuron
Heatmaps): the picture shows them when the canvas does.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings, QSizeF, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ..widgets import colors
from .. import settings
from ..canvas.style import ELIDE_ABOVE
from ..model.document import Document
from .export import MAX_SCALE, MIN_SCALE, ExportError, ExportOptions, export_image, export_scene, pixel_size

FILTERS = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)"}
KEY = "export/"


class ExportDialog(QDialog):
    """The export options for ``doc``; :meth:`run` is the whole flow."""

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.setWindowTitle("Export Image")
        self.setObjectName("exportDialog")
        self._sizes: dict[tuple[bool, bool, bool], QSizeF] = {}

        self.format = QComboBox(objectName="exportFormat")
        self.format.addItem("PNG image", "png")
        self.format.addItem("SVG drawing (vector)", "svg")
        self.scale = QDoubleSpinBox(objectName="exportScale")
        self.scale.setRange(MIN_SCALE, MAX_SCALE)
        self.scale.setSingleStep(0.5)
        self.scale.setDecimals(1)
        self.scale.setSuffix(" ×")
        self.scale.setToolTip("Pixels per point: 2× is sharp on high-resolution screens and in print")
        self.background = QComboBox(objectName="exportBackground")
        self.background.addItem("White", False)
        self.background.addItem("Transparent", True)
        self.legend = QCheckBox("Legend: what the colours and widths mean", objectName="exportLegend")
        wide = max(self.doc.spec.widths()) > ELIDE_ABOVE
        self.full = QCheckBox("Draw every neuron of wide layers", objectName="exportFull")
        self.full.setEnabled(wide)
        self.full.setToolTip(
            f"Layers wider than {ELIDE_ABOVE} neurons are drawn elided (first and last few, “⋮” between); "
            "tick to draw every neuron and every connection"
            if wide
            else f"No layer is wider than {ELIDE_ABOVE} neurons: every neuron is drawn already"
        )
        self.activations = QCheckBox("Colour neurons by the probe's activations", objectName="exportActivations")
        self.size_label = QLabel(objectName="exportSize")
        self.size_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Scale:", self.scale)
        form.addRow("Background:", self.background)
        form.addRow("", self.legend)
        form.addRow("", self.full)
        form.addRow("", self.activations)
        form.addRow("Size:", self.size_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

        self._restore()
        for signal in (
            self.format.currentIndexChanged,
            self.scale.valueChanged,
            self.legend.toggled,
            self.full.toggled,
        ):
            signal.connect(self._update)
        self._update()

    # -- state -----------------------------------------------------------------------

    def _restore(self) -> None:
        s = QSettings()
        self.format.setCurrentIndex(max(0, self.format.findData(s.value(KEY + "format", "png"))))
        self.scale.setValue(_float(s.value(KEY + "scale", 2.0), 2.0))
        self.background.setCurrentIndex(1 if _bool(s.value(KEY + "transparent", False)) else 0)
        self.legend.setChecked(_bool(s.value(KEY + "legend", True)))
        self.full.setChecked(self.full.isEnabled() and _bool(s.value(KEY + "full", False)))
        self.activations.setChecked(_bool(s.value(KEY + "activations", False)))

    def remember_choices(self) -> None:
        """Keep the chosen format, scale, background and options for the next export."""
        s = QSettings()
        s.setValue(KEY + "format", self.file_format())
        s.setValue(KEY + "scale", self.scale.value())
        s.setValue(KEY + "transparent", self.background.currentData())
        s.setValue(KEY + "legend", self.legend.isChecked())
        if self.full.isEnabled():
            s.setValue(KEY + "full", self.full.isChecked())
        s.setValue(KEY + "activations", self.activations.isChecked())

    def file_format(self) -> str:
        """"png" or "svg"."""
        return self.format.currentData()

    def options(self) -> ExportOptions:
        scheme = QSettings().value("colorScheme", colors.DEFAULT_SCHEME)
        if scheme not in colors.SCHEMES:
            scheme = colors.DEFAULT_SCHEME
        return ExportOptions(
            scale=self.scale.value(),
            transparent=bool(self.background.currentData()),
            full=self.full.isChecked() and self.full.isEnabled(),
            legend=self.legend.isChecked(),
            activations=self.activations.isChecked(),
            color_scheme=scheme,
            heatmaps=settings.neuron_heatmaps(),
        )

    def picture_size(self) -> tuple[int, int]:
        """What the file will measure: pixels for PNG, user units (CSS pixels) for SVG."""
        opts = self.options()
        key = (opts.full, opts.legend, opts.heatmaps)  # heatmaps make hidden neurons bigger
        if key not in self._sizes:
            scene = export_scene(self.doc, ExportOptions(full=opts.full, legend=opts.legend, heatmaps=opts.heatmaps))
            self._sizes[key] = scene.export_rect().size()
        unit = self._sizes[key]
        scale = opts.scale if self.file_format() == "png" else 1.0
        size = pixel_size(unit, scale)
        return size.width(), size.height()

    def _update(self) -> None:
        png = self.file_format() == "png"
        self.scale.setEnabled(png)
        w, h = self.picture_size()
        if png:
            self.size_label.setText(f"{w:,} × {h:,} px")
        else:
            self.size_label.setText(f"{w:,} × {h:,} (vector: sharp at any size)")

    def suggested_path(self) -> Path:
        folder = Path(QSettings().value(KEY + "folder", "") or (self.doc.path.parent if self.doc.path else Path.home()))
        stem = Path(self.doc.title).stem  # the file's name, as the window's title says it
        stem = re.sub(r"[^\w\-. ]+", "_", stem).strip() or "network"
        return folder / f"{stem}.{self.file_format()}"

    # -- the flow ----------------------------------------------------------------------

    def ask_path(self) -> Path | None:
        """The file to write, from a save dialog, with the format's extension; ``None`` if cancelled."""
        fmt = self.file_format()
        path, _ = QFileDialog.getSaveFileName(self.parentWidget(), "Export Image", str(self.suggested_path()), FILTERS[fmt])
        if not path:
            return None
        path = Path(path)
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_name(path.name + f".{fmt}")
        return path

    def write(self, path: Path) -> bool:
        """Write the picture; on failure say why (nothing else is lost) and return ``False``."""
        opts = self.options()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            export_image(
                self.doc,
                path,
                scale=opts.scale,
                transparent=opts.transparent,
                full=opts.full,
                legend=opts.legend,
                activations=opts.activations,
                color_scheme=opts.color_scheme,
                heatmaps=opts.heatmaps,
            )
        except (OSError, ExportError) as exc:
            QApplication.restoreOverrideCursor()
            reason = getattr(exc, "strerror", None) or str(exc)
            QMessageBox.critical(
                self.parentWidget(),
                "Export failed",
                f"Could not write {path}:\n{reason}\n\nNothing was written; your network is unchanged.",
            )
            return False
        QApplication.restoreOverrideCursor()
        QSettings().setValue(KEY + "folder", str(path.parent))
        return True

    @classmethod
    def run(cls, doc: Document, parent: QWidget | None = None) -> Path | None:
        """Ask for the options and a file name, write the picture; the path written or ``None``."""
        dialog = cls(doc, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            dialog.remember_choices()
            path = dialog.ask_path()
            if path is None or not dialog.write(path):
                return None
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
