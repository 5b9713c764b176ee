"""Every QAction of nnviz, made in one place.

An action is described once here: its ``objectName`` (``action<Name>``), text,
tooltip, shortcut and whether it toggles. Who owns the behaviour connects to
``triggered`` (the main window, the training controls, the layer stack); who
shows it adds the same object to a menu, a toolbar or a context menu. So a
shortcut exists once, and no two actions share one (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QStyle, QWidget

from .widgets.action_icons import action_icon

K = QKeySequence.StandardKey
SP = QStyle.StandardPixmap


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str  # text and tip are marked for translation here and translated when the action is made
    tip: str
    shortcut: str | QKeySequence.StandardKey | None = None
    checkable: bool = False
    icon: QStyle.StandardPixmap | str | None = None  # a str names a drawn icon (widgets.action_icons)
    role: QAction.MenuRole | None = None  # where macOS puts it (the application menu); elsewhere the menu it is in


SPECS = (
    # File
    ActionSpec("New", QT_TRANSLATE_NOOP("Actions", "&New…"),
               QT_TRANSLATE_NOOP("Actions", "Start a new network: empty, or from an example"), K.New, icon=SP.SP_FileIcon),
    ActionSpec("Open", QT_TRANSLATE_NOOP("Actions", "&Open…"),
               QT_TRANSLATE_NOOP("Actions", "Open a .nnviz network"), K.Open, icon=SP.SP_DialogOpenButton),
    ActionSpec("Recover", QT_TRANSLATE_NOOP("Actions", "Re&cover…"),
               QT_TRANSLATE_NOOP("Actions", "Get back unsaved changes that nnviz autosaved before it last closed without saving them")),
    ActionSpec("Save", QT_TRANSLATE_NOOP("Actions", "&Save"),
               QT_TRANSLATE_NOOP("Actions", "Save the network"), K.Save, icon=SP.SP_DialogSaveButton),
    ActionSpec("SaveAs", QT_TRANSLATE_NOOP("Actions", "Save &As…"),
               QT_TRANSLATE_NOOP("Actions", "Save the network under a new name"), K.SaveAs),
    ActionSpec("SaveTimeline", QT_TRANSLATE_NOOP("Actions", "Keep the &Timeline in the File"),
               QT_TRANSLATE_NOOP("Actions", "Save writes every kept epoch's weights into the file, to look back at after reopening it"),
               checkable=True),
    ActionSpec("ExportImage", QT_TRANSLATE_NOOP("Actions", "&Export Image…"),
               QT_TRANSLATE_NOOP("Actions", "Export the network as a figure (PNG, SVG, PDF or TikZ) in a style you choose, with a preview"),
               "Ctrl+E",
               icon="export_image"),
    ActionSpec("ExportTorch", QT_TRANSLATE_NOOP("Actions", "Export &PyTorch Module…"),
               QT_TRANSLATE_NOOP("Actions", "Write the network and its trained weights as a torch.nn.Module (.py), to train further in PyTorch")),
    ActionSpec("Quit", QT_TRANSLATE_NOOP("Actions", "&Quit"), QT_TRANSLATE_NOOP("Actions", "Quit nnviz"), K.Quit),
    # Edit
    ActionSpec("Undo", QT_TRANSLATE_NOOP("Actions", "&Undo"),
               QT_TRANSLATE_NOOP("Actions", "Undo the last change"), K.Undo, icon="undo"),
    ActionSpec("Redo", QT_TRANSLATE_NOOP("Actions", "&Redo"),
               QT_TRANSLATE_NOOP("Actions", "Redo the change just undone"), K.Redo, icon="redo"),
    # "Del" only: the platform's Delete binding may include Ctrl+D, which duplicates.
    ActionSpec("Delete", QT_TRANSLATE_NOOP("Actions", "&Delete Layer"),
               QT_TRANSLATE_NOOP("Actions", "Delete the selected layer"), "Del"),
    ActionSpec("DuplicateLayer", QT_TRANSLATE_NOOP("Actions", "D&uplicate Layer"),
               QT_TRANSLATE_NOOP("Actions", "Duplicate the selected layer"), "Ctrl+D"),
    ActionSpec("MoveLayerUp", QT_TRANSLATE_NOOP("Actions", "Move Layer &Up"),
               QT_TRANSLATE_NOOP("Actions", "Move the selected layer towards the input"), "Alt+Up"),
    ActionSpec("MoveLayerDown", QT_TRANSLATE_NOOP("Actions", "Move Layer Do&wn"),
               QT_TRANSLATE_NOOP("Actions", "Move the selected layer towards the output"), "Alt+Down"),
    ActionSpec("Preferences", QT_TRANSLATE_NOOP("Actions", "&Preferences…"),
               QT_TRANSLATE_NOOP("Actions", "Theme, connection colours, the gradient pulse, the training speed and export defaults"),
               K.Preferences, role=QAction.MenuRole.PreferencesRole),
    # The canvas's context menus (the layer ones above too)
    ActionSpec("EditInInspector", QT_TRANSLATE_NOOP("Actions", "Edit in &Inspector"),
               QT_TRANSLATE_NOOP("Actions", "Select this layer and show its settings in the inspector")),
    ActionSpec("InspectNeuron", QT_TRANSLATE_NOOP("Actions", "&Inspect Neuron"),
               QT_TRANSLATE_NOOP("Actions", "Select this neuron: the inspector shows its bias and weights")),
    ActionSpec("ShowNeuronHeatmap", QT_TRANSLATE_NOOP("Actions", "Show &Heatmap"),
               QT_TRANSLATE_NOOP("Actions", "Show this neuron's activation over the input plane, large")),
    ActionSpec("SelectNeuronLayer", QT_TRANSLATE_NOOP("Actions", "Select Its &Layer"),
               QT_TRANSLATE_NOOP("Actions", "Select the layer this neuron belongs to")),
    # Training
    ActionSpec("Train", QT_TRANSLATE_NOOP("Actions", "Train"),
               QT_TRANSLATE_NOOP("Actions", "Start training"), "Ctrl+Return", icon=SP.SP_MediaPlay),
    ActionSpec("Step", QT_TRANSLATE_NOOP("Actions", "Step"),
               QT_TRANSLATE_NOOP("Actions", "Train on one batch, then pause"), "F10", icon=SP.SP_MediaSkipForward),
    ActionSpec("StepEpoch", QT_TRANSLATE_NOOP("Actions", "Epoch"),
               QT_TRANSLATE_NOOP("Actions", "Train to the end of the epoch, then pause"), "Ctrl+F10", icon=SP.SP_MediaSeekForward),
    ActionSpec("ResetTraining", QT_TRANSLATE_NOOP("Actions", "Reset"),
               QT_TRANSLATE_NOOP("Actions", "Re-initialise every weight and clear the history (undoable)"), "Ctrl+Shift+R",
               icon=SP.SP_BrowserReload),
    ActionSpec("Slower", QT_TRANSLATE_NOOP("Actions", "S&lower"),
               QT_TRANSLATE_NOOP("Actions", "Train fewer steps a second (the running run too)"), "Ctrl+[", icon="slower"),
    ActionSpec("Faster", QT_TRANSLATE_NOOP("Actions", "&Faster"),
               QT_TRANSLATE_NOOP("Actions", "Train more steps a second, up to as fast as possible"), "Ctrl+]", icon="faster"),
    # View
    ActionSpec("ZoomIn", QT_TRANSLATE_NOOP("Actions", "Zoom &In"),
               QT_TRANSLATE_NOOP("Actions", "Zoom in on the canvas"), K.ZoomIn, icon="zoom_in"),
    ActionSpec("ZoomOut", QT_TRANSLATE_NOOP("Actions", "Zoom &Out"),
               QT_TRANSLATE_NOOP("Actions", "Zoom out of the canvas"), K.ZoomOut, icon="zoom_out"),
    ActionSpec("Fit", QT_TRANSLATE_NOOP("Actions", "&Fit to Window"),
               QT_TRANSLATE_NOOP("Actions", "Show the whole network"), "Ctrl+0", icon="fit"),
    ActionSpec("ShowHiddenSpace", QT_TRANSLATE_NOOP("Actions", "Show Hidden space"),
               QT_TRANSLATE_NOOP("Actions", "Show the input plane's grid and the data as a hidden layer sees them, moving as the network "
               "learns (2 inputs, 2-feature data): a tab beside the decision boundary"), checkable=True),
    ActionSpec("ShowWarnings", QT_TRANSLATE_NOOP("Actions", "Show Design warnings"),
               QT_TRANSLATE_NOOP("Actions", "Show the list of design warnings (the status bar counts them): "
               "a tab beside the training curves"), checkable=True),
    ActionSpec("ShowLessons", QT_TRANSLATE_NOOP("Actions", "Show Lessons"),
               QT_TRANSLATE_NOOP("Actions", "Show the Lessons dock: a tab beside the Training dock"), checkable=True),
    ActionSpec("ResetLayout", QT_TRANSLATE_NOOP("Actions", "&Reset Layout"),
               QT_TRANSLATE_NOOP("Actions", "Put every panel back where it was at the first launch")),
    ActionSpec("ColorByGradients", QT_TRANSLATE_NOOP("Actions", "Colour Connections by &Gradients"),
               QT_TRANSLATE_NOOP("Actions", "Colour each connection by its latest gradient instead of its weight"), "Ctrl+G", checkable=True),
    ActionSpec("AnimateGradientFlow", QT_TRANSLATE_NOOP("Actions", "Animate Gradient &Flow"),
               QT_TRANSLATE_NOOP("Actions", "After each update a pulse runs backwards, each layer lit by the size of its gradient"), checkable=True),
    ActionSpec("NeuronHeatmaps", QT_TRANSLATE_NOOP("Actions", "Neuron Heatmaps"),
               QT_TRANSLATE_NOOP("Actions", "Fill each hidden neuron with its activation over the input plane (2 inputs, 2-feature data); "
               "point at one to see it large"), checkable=True),
    ActionSpec("ColorBlindColors", QT_TRANSLATE_NOOP("Actions", "&Colour-blind-safe Colours"),
               QT_TRANSLATE_NOOP("Actions", "Blue and orange instead of cyan and red for weights"),
               checkable=True),
    # Help
    ActionSpec("Lessons", QT_TRANSLATE_NOOP("Actions", "&Lessons"),
               QT_TRANSLATE_NOOP("Actions", "Lessons on the example networks: read, try it in the window, check yourself; "
               "and challenges that score your network"), "Ctrl+L"),
    ActionSpec("Shortcuts", QT_TRANSLATE_NOOP("Actions", "&Keyboard Shortcuts"),
               QT_TRANSLATE_NOOP("Actions", "List every keyboard shortcut"), K.HelpContents),
    ActionSpec("About", QT_TRANSLATE_NOOP("Actions", "&About nnviz"),
               QT_TRANSLATE_NOOP("Actions", "Version, licence, the libraries nnviz runs on and where to report a problem"),
               role=QAction.MenuRole.AboutRole),
    ActionSpec("AboutQt", QT_TRANSLATE_NOOP("Actions", "About &Qt"),
               QT_TRANSLATE_NOOP("Actions", "The version and licence of Qt, the toolkit nnviz's window is built with"),
               role=QAction.MenuRole.AboutQtRole),
)
TRAINING = ("Train", "Step", "StepEpoch", "ResetTraining", "Slower", "Faster")
LAYER = ("DuplicateLayer", "Delete", "MoveLayerUp", "MoveLayerDown")
CANVAS = ("EditInInspector", "InspectNeuron", "ShowNeuronHeatmap", "SelectNeuronLayer")
_BY_NAME = {spec.name: spec for spec in SPECS}
# Where the platform binds no key to a standard one (Preferences has none on Linux and Windows).
_FALLBACK_KEYS = {K.Preferences: "Ctrl+,"}


# Keys of a PC keyboard besides the printable ASCII ones and F1-F12. A standard key's
# platform expansion also binds keys few keyboards have (X11's Undo is F14 as well, Save
# As is Shift+Save, New is the multimedia "New" key): harmless bindings, but listing them
# would only puzzle, so the shortcut list and tooltips show real keys only.
_NAMED_KEYS = {k.value for k in (
    Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Backspace, Qt.Key.Key_Return,
    Qt.Key.Key_Enter, Qt.Key.Key_Insert, Qt.Key.Key_Delete, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Left,
    Qt.Key.Key_Up, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Pause,
    Qt.Key.Key_Print, Qt.Key.Key_Menu)}


def on_a_pc_keyboard(sequence: QKeySequence) -> bool:
    """True if every key of ``sequence`` is on an ordinary PC keyboard (not F13-F35, Save, Undo, Help…)."""
    if sequence.isEmpty():
        return False
    for i in range(sequence.count()):
        key = sequence[i].key().value
        if not (0x20 <= key <= 0x7E or Qt.Key.Key_F1.value <= key <= Qt.Key.Key_F12.value or key in _NAMED_KEYS):
            return False
    return True


def shortcut_texts(action: QAction) -> list[str]:
    """The action's shortcuts as the platform writes them ("Ctrl+Z"), real keys only, without repeats."""
    texts = []
    for sequence in action.shortcuts():
        text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        if on_a_pc_keyboard(sequence) and text not in texts:
            texts.append(text)
    return texts


def shortcut_groups(window) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every action of ``window`` with a keyboard shortcut, by menu: (menu, [(action text, "Ctrl+Z, Alt+Backspace")])."""
    groups, listed = [], set()
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        rows = _shortcut_rows(menu.actions(), listed) if menu else []
        if rows:
            groups.append((menu_action.text().replace("&", ""), rows))
    # Actions that live outside the menus (a panel's own) still have keys worth knowing.
    rest = _shortcut_rows(window.findChildren(QAction), listed)
    if rest:
        groups.append((QCoreApplication.translate("Actions", "Other"), rest))
    return groups


def _shortcut_rows(actions, listed: set) -> list[tuple[str, str]]:
    rows = []
    for act in actions:
        keys = shortcut_texts(act)
        if keys and act.text() and act not in listed:
            listed.add(act)
            rows.append((act.text().replace("&", "").removesuffix("…"), ", ".join(keys)))
    return rows


def key_text(action: QAction) -> str:
    """The action's first shortcut as the platform writes it ("Ctrl+Return"), or ""."""
    texts = shortcut_texts(action)
    return texts[0] if texts else ""


def set_tip(action: QAction, tip: str) -> None:
    """Status tip ``tip``, tooltip ``tip (shortcut)``: for actions whose meaning changes (Train / Pause)."""
    action.setStatusTip(tip)
    key = key_text(action)
    action.setToolTip(f"{tip} ({key})" if key else tip)


def recolor_drawn_icons(actions: dict[str, QAction]) -> None:
    """Redraw the drawn icons of ``actions`` in the palette's text colour: the theme went light or dark."""
    for name, action in actions.items():
        spec = _BY_NAME.get(name)
        if spec is not None and isinstance(spec.icon, str):
            action.setIcon(action_icon(spec.icon))


def make_actions(parent: QWidget, names=None) -> dict[str, QAction]:
    """The actions ``names`` (default: all), owned by ``parent``, by name; nothing is connected yet."""
    made = {}
    style = QApplication.style()
    for name in names or _BY_NAME:
        spec = _BY_NAME[name]
        action = QAction(QCoreApplication.translate("Actions", spec.text), parent)
        action.setObjectName(f"action{spec.name}")
        if isinstance(spec.shortcut, QKeySequence.StandardKey):
            fallback = _FALLBACK_KEYS.get(spec.shortcut)
            action.setShortcuts(QKeySequence.keyBindings(spec.shortcut) or ([QKeySequence(fallback)] if fallback else []))
        elif spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
        action.setCheckable(spec.checkable)
        if spec.role is not None:
            action.setMenuRole(spec.role)
        if isinstance(spec.icon, str):
            action.setIcon(action_icon(spec.icon))
        elif spec.icon is not None:
            action.setIcon(style.standardIcon(spec.icon))
        set_tip(action, QCoreApplication.translate("Actions", spec.tip))
        parent.addAction(action)
        made[name] = action
    return made
