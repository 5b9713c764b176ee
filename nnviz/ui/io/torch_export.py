"""File ▸ Export PyTorch Module…: ask for a .py name and write the network as PyTorch code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ...core.torch_code import TorchCodeError, write_torch_module
from .. import settings


def export_torch_module(doc, parent: QWidget | None = None) -> list[Path] | None:
    """Ask where, write the document's network (its current weights) as a ``torch.nn.Module``.

    Returns the files written (the ``.py``, and a ``.npz`` for a large network),
    or ``None`` when cancelled or when writing failed (after saying why).
    """
    if doc.path is not None:
        start = doc.path.with_suffix(".py")
    else:
        start = Path(settings.value("lastFolder", str(Path.home()))) / "untitled.py"
    path, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("torch_export", "Export PyTorch Module"),
                                          str(start), QCoreApplication.translate("torch_export", "Python (*.py)"))
    if not path:
        return None
    path = Path(path)
    if path.suffix.lower() != ".py":
        path = path.with_name(path.name + ".py")
    try:
        return write_torch_module(doc.project, path)
    except (OSError, TorchCodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        QMessageBox.critical(parent, QCoreApplication.translate("torch_export", "Export failed"),
                             QCoreApplication.translate("torch_export", "Could not write {0}:\n{1}\n\nNothing was "
                                                        "written; your network is unchanged.").format(path, reason))
        return None
