"""Small builders the GUI tests share (tests/gui is on sys.path through its conftest)."""

from nnviz.core.fileformat import NetworkFile
from nnviz.core.spec import NetworkSpec
from nnviz.ui.canvas import NetworkView
from nnviz.ui.model.document import Document
from nnviz.ui.training.run_model import RunModel
from nnviz.core.project import Project


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
