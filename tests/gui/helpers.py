"""Small builders the GUI tests share (tests/gui is on sys.path through its conftest)."""

from dataclasses import replace

from nnviz.core.fileformat import NetworkFile
from nnviz.core.spec import NetworkSpec
from nnviz.ui.canvas import NetworkView
from nnviz.ui.model.document import Document
from nnviz.ui.training.run_model import RunModel
from nnviz.core.project import DatasetRecord, Project
from nnviz.ui.model import commands

T = 30000  # ms; generous for a slow, loaded machine


def make_doc(inputs, *layers, name="") -> Document:
    """A document holding a freshly initialised network."""
    spec = NetworkSpec(inputs, tuple(layers), name=name)
    return Document(Project.from_file(NetworkFile(spec=spec, params=[None] * len(layers))))


def shown_view(qtbot, doc: Document) -> NetworkView:
    """A canvas on ``doc`` and a run model it follows (``view.scene().run``), shown at 1000 × 600 and exposed."""
    view = NetworkView(doc, run=RunModel())
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def trained(window, qtbot, epochs: int, n_samples: int):
    """The window after a finished run of ``epochs`` epochs on XOR (``n_samples`` points), as fast as possible."""
    record = DatasetRecord("xor", n_samples=n_samples)
    commands.set_dataset(window.doc, record, record.load())
    window.training.settings_section.limit_check.setChecked(True)
    window.training.pace_slider.setValue(window.training.pace_slider.maximum())
    commands.set_training(window.doc, replace(window.doc.training, epochs=epochs))
    qtbot.waitUntil(lambda: window.plots is not None and window.timeline is not None)
    with qtbot.waitSignal(window.controller.run.state_changed, check_params_cb=lambda s: s == "finished", timeout=T):
        window.actions_["Train"].trigger()
    return window


def choose(panel, name: str) -> None:
    """Pick the shipped dataset ``name`` in ``panel``'s data combo, as a click does."""
    combo = panel.dataset_section.dataset_combo
    index = combo.findData(f"{'real' if name in ('iris', 'wine') else 'toy'}:{name}")
    assert index >= 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def drag_event(event_class, pos, mime, action=None):
    """A QDragEnterEvent or QDragMoveEvent at pos (a QPoint) with the left button down.

    PySide6 6.12 deprecates their QPoint constructors (a warning, an error
    here) for QPointF ones that earlier versions lack.
    """
    from PySide6 import __version_info__ as pyside_version
    from PySide6.QtCore import QPointF, Qt

    point = QPointF(pos) if pyside_version[:2] >= (6, 12) else pos
    action = Qt.DropAction.CopyAction if action is None else action
    return event_class(point, action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
