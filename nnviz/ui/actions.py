"""Every QAction of nnviz, made in one place.

An action is described once here: its ``objectName`` (``action<Name>``), text,
tooltip, shortcut and whether it toggles. Who owns the behaviour connects to
``triggered`` (the main window, the training controls, the layer stack); who
shows it adds the same object to a menu, a toolbar or a context menu. So a
shortcut exists once, and no two actions share one (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QStyle, QWidget

K = QKeySequence.StandardKey
SP = QStyle.StandardPixmap


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    tip: str
    shortcut: str | QKeySequence.StandardKey | None = None
    checkable: bool = False
    icon: QStyle.StandardPixmap | None = None


SPECS = (
    # File
    ActionSpec("New", "&New", "Start a new network", K.New),
    ActionSpec("Open", "&Open…", "Open a .nnviz network", K.Open),
    ActionSpec("Save", "&Save", "Save the network", K.Save),
    ActionSpec("SaveAs", "Save &As…", "Save the network under a new name", K.SaveAs),
    ActionSpec("SaveTimeline", "Keep the &Timeline in the File",
               "Save writes every kept epoch's weights into the file, to look back at after reopening it",
               checkable=True),
    ActionSpec("ExportImage", "&Export Image…", "Export the diagram as PNG or SVG", "Ctrl+E"),
    ActionSpec("Quit", "&Quit", "Quit nnviz", K.Quit),
    # Edit
    ActionSpec("Undo", "&Undo", "Undo the last change", K.Undo),
    ActionSpec("Redo", "&Redo", "Redo the change just undone", K.Redo),
    # "Del" only: the platform's Delete binding may include Ctrl+D, which duplicates.
    ActionSpec("Delete", "&Delete Layer", "Delete the selected layer", "Del"),
    ActionSpec("DuplicateLayer", "D&uplicate Layer", "Duplicate the selected layer", "Ctrl+D"),
    ActionSpec("MoveLayerUp", "Move Layer &Up", "Move the selected layer towards the input", "Alt+Up"),
    ActionSpec("MoveLayerDown", "Move Layer Do&wn", "Move the selected layer towards the output", "Alt+Down"),
    # Training
    ActionSpec("Train", "Train", "Start training", "Ctrl+Return", icon=SP.SP_MediaPlay),
    ActionSpec("Step", "Step", "Train on one batch, then pause", "F10", icon=SP.SP_MediaSkipForward),
    ActionSpec("StepEpoch", "Epoch", "Train to the end of the epoch, then pause", "Ctrl+F10", icon=SP.SP_MediaSeekForward),
    ActionSpec("ResetTraining", "Reset", "Re-initialise every weight and clear the history (undoable)", "Ctrl+Shift+R",
               icon=SP.SP_BrowserReload),
    ActionSpec("Slower", "S&lower", "Train fewer steps a second (the running run too)", "Ctrl+["),
    ActionSpec("Faster", "&Faster", "Train more steps a second, up to as fast as possible", "Ctrl+]"),
    # View
    ActionSpec("ZoomIn", "Zoom &In", "Zoom in on the canvas", K.ZoomIn),
    ActionSpec("ZoomOut", "Zoom &Out", "Zoom out of the canvas", K.ZoomOut),
    ActionSpec("Fit", "&Fit to Window", "Show the whole network", "Ctrl+0"),
    ActionSpec("ColorByGradients", "Colour Connections by &Gradients",
               "Colour each connection by its latest gradient instead of its weight", "Ctrl+G", checkable=True),
    ActionSpec("AnimateGradientFlow", "Animate Gradient &Flow",
               "After each update a pulse runs backwards, each layer lit by the size of its gradient", checkable=True),
    ActionSpec("NeuronHeatmaps", "Neuron Heatmaps",
               "Fill each hidden neuron with its activation over the input plane (2 inputs, 2-feature data); "
               "point at one to see it large", checkable=True),
    ActionSpec("ColorBlindColors", "&Colour-blind-safe Colours", "Blue and orange instead of cyan and red for weights",
               checkable=True),
    # Help
    ActionSpec("Shortcuts", "&Keyboard Shortcuts", "List every keyboard shortcut", K.HelpContents),
    ActionSpec("About", "&About nnviz", "Version and licence"),
)
TRAINING = ("Train", "Step", "StepEpoch", "ResetTraining", "Slower", "Faster")
LAYER = ("DuplicateLayer", "Delete", "MoveLayerUp", "MoveLayerDown")
_BY_NAME = {spec.name: spec for spec in SPECS}


def key_text(action: QAction) -> str:
    """The action's first shortcut as the platform writes it ("Ctrl+Return"), or ""."""
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


def set_tip(action: QAction, tip: str) -> None:
    """Status tip ``tip``, tooltip ``tip (shortcut)``: for actions whose meaning changes (Train / Pause)."""
    action.setStatusTip(tip)
    key = key_text(action)
    action.setToolTip(f"{tip} ({key})" if key else tip)


def make_actions(parent: QWidget, names=None) -> dict[str, QAction]:
    """The actions ``names`` (default: all), owned by ``parent``, by name; nothing is connected yet."""
    made = {}
    style = QApplication.style()
    for name in names or _BY_NAME:
        spec = _BY_NAME[name]
        action = QAction(spec.text, parent)
        action.setObjectName(f"action{spec.name}")
        if isinstance(spec.shortcut, QKeySequence.StandardKey):
            action.setShortcuts(QKeySequence.keyBindings(spec.shortcut))
        elif spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
        action.setCheckable(spec.checkable)
        if spec.icon is not None:
            action.setIcon(style.standardIcon(spec.icon))
        set_tip(action, spec.tip)
        parent.addAction(action)
        made[name] = action
    return made
