"""File ▸ New…: an empty network of a chosen size, or a copy of a shipped example.

``NewNetworkDialog.project()`` builds what was chosen as a fresh
:class:`~nnviz.core.project.Project` with no path: the window shows it as
"Untitled" and Save asks where to put it, so an example used as a template is
never written over.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.fileformat import NetworkFile
from ...core.project import Project
from ...core.shipped import example_files
from ...core.spec import MAX_UNITS, DenseSpec, NetworkSpec
from ..widgets.inputs import SpinBox


def example_title(path: Path) -> str:
    """How an example is listed: its file name without the extension and underscores."""
    return path.stem.replace("_", " ")


def empty_project(inputs: int, outputs: int) -> Project:
    """The inputs joined straight to one output layer: the smallest network that trains.

    One output gets a sigmoid (a yes/no answer), several a softmax (one class
    of several), so the automatic loss fits either way; hidden layers come
    from the palette.
    """
    activation = "sigmoid" if outputs == 1 else "softmax"
    spec = NetworkSpec(inputs, (DenseSpec(outputs, activation),))
    return Project.from_file(NetworkFile(spec=spec, params=[None]))


class NewNetworkDialog(QDialog):
    """Choose an empty network (inputs, outputs) or an example to start from."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("newNetworkDialog")
        self.setWindowTitle(self.tr("New network"))
        column = QVBoxLayout(self)

        self.empty_radio = QRadioButton(self.tr("An &empty network"), self)
        self.empty_radio.setObjectName("newEmpty")
        column.addWidget(self.empty_radio)
        form = QFormLayout()
        form.setContentsMargins(24, 0, 0, 0)
        self.inputs_spin = self._spin("newInputs", 2, self.tr("How many numbers go into the network (features)"))
        self.outputs_spin = self._spin("newOutputs", 1,
                                       self.tr("How many numbers come out (1 for yes/no, or one per class)"))
        form.addRow(self.tr("&Inputs:"), self.inputs_spin)
        form.addRow(self.tr("&Outputs:"), self.outputs_spin)
        self.empty_note = QLabel(self.tr("It starts as the inputs joined to one output layer; "
                                         "drag hidden layers in from the palette."), self)
        self.empty_note.setWordWrap(True)
        form.addRow(self.empty_note)
        column.addLayout(form)

        self.example_radio = QRadioButton(self.tr("A copy of an e&xample"), self)
        self.example_radio.setObjectName("newFromExample")
        column.addWidget(self.example_radio)
        self.examples = QListWidget(self)
        self.examples.setObjectName("newExamples")
        for path in example_files():
            item = QListWidgetItem(example_title(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(self.tr("Start from a copy of {0}; the example itself stays as it is").format(path.name))
            self.examples.addItem(item)
        self.examples.setCurrentRow(0)
        column.addWidget(self.examples, 1)

        group = QButtonGroup(self)
        group.addButton(self.empty_radio)
        group.addButton(self.example_radio)
        self.empty_radio.setChecked(True)
        self.empty_radio.toggled.connect(self._follow_choice)
        # Picking an example is choosing to start from one; a double-click also creates it.
        self.examples.itemPressed.connect(lambda _item: self.example_radio.setChecked(True))
        self.examples.currentRowChanged.connect(lambda _row: self.example_radio.setChecked(True))
        self.examples.itemDoubleClicked.connect(lambda _item: self.accept())
        self._follow_choice()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.resize(420, 420)

    def _spin(self, name: str, value: int, tip: str) -> QSpinBox:
        spin = SpinBox(self)
        spin.setObjectName(name)
        spin.setRange(1, MAX_UNITS)
        # 999999999 typed here says what is allowed instead of silently becoming 100,000.
        message = (self.tr("The network takes {0} to {1} input features.") if name == "newInputs"
                   else self.tr("The network takes {0} to {1} outputs."))
        spin.set_range_message(lambda s: message.format(f"{s.minimum():,}", f"{s.maximum():,}"))
        spin.setValue(value)
        spin.setToolTip(tip)
        spin.setGroupSeparatorShown(True)
        return spin

    def _follow_choice(self, *_):
        empty = self.empty_radio.isChecked()
        for widget in (self.inputs_spin, self.outputs_spin, self.empty_note):
            widget.setEnabled(empty)

    def choose_example(self, path: Path) -> None:
        """Select the example ``path`` (as a click on it would)."""
        for row in range(self.examples.count()):
            if Path(self.examples.item(row).data(Qt.ItemDataRole.UserRole)) == Path(path):
                self.examples.setCurrentRow(row)
                self.example_radio.setChecked(True)
                return
        raise ValueError(f"{path} is not a shipped example")

    def project(self) -> Project:
        """The chosen network as a new project with no path.

        Raises :class:`~nnviz.core.fileformat.FileFormatError` if an example cannot be read.
        """
        if self.empty_radio.isChecked():
            return empty_project(self.inputs_spin.value(), self.outputs_spin.value())
        item = self.examples.currentItem()
        project = Project.load(item.data(Qt.ItemDataRole.UserRole))
        project.path = None  # a template: Save asks where, the example stays untouched
        return project
