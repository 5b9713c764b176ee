"""The editor's and the canvas's words come through tr() for every kind of thing a person can select
or hover, not only what the window shows right after opening a file: the inspector for the network,
the inputs, each kind of layer and a neuron of each; the palette's tiles; the canvas's tooltips,
legend and large heatmap; the range message of a size field."""

import re
from dataclasses import replace

from nnviz.core.shipped import example_path
from nnviz.core.spec import BatchNormSpec, DropoutSpec
from nnviz.ui.model import commands
from nnviz.ui.model.document import Selection
from translation_check import WORDS, marking, untranslated  # noqa: F401 (marking is a fixture)


def _plain_lines(text: str) -> list[str]:
    """The lines of ``text`` (markup aside) that hold words but nothing that came through tr()."""
    text = re.sub(r"&\w+;", " ", re.sub(r"<[^>]+>", "\n", text))
    return [line for line in text.splitlines() if WORDS.search(line) and "«" not in line]


def test_editor_and_canvas_speak_through_tr(qtbot, marking):  # noqa: F811
    from nnviz.ui.canvas import tooltips
    from nnviz.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    path = example_path("relu_2-4-4-1_circle")
    window.open_file(path, ask=False, remember=False)
    doc = window.doc
    # One layer of every kind: dense, dropout and batch norm (its activation shown too).
    commands.insert_layer(doc, 1, DropoutSpec(0.5))
    commands.insert_layer(doc, 2, BatchNormSpec(activation="tanh"))
    # And a design warning (softmax on one output unit) for the warnings panel and the layer card's badge.
    last = len(doc.spec.layers) - 1
    commands.update_layer(doc, last, replace(doc.spec.layers[last], activation="softmax"))
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.warnings.count() > 0)
    # The design warnings' messages come from nnviz.core.lint, which stays English this round.
    data = {doc.spec.name, path.stem, *(w.message for w in window.warnings.warnings())}
    missing = []
    panels = (window.inspector, window.layer_stack, window.palette, window.warnings)
    for layer in (None, -1, *range(len(doc.spec.layers))):
        for neuron in (None, 0) if layer is not None else (None,):
            doc.select(Selection(layer=layer, neuron=neuron))
            for panel in panels:
                missing += [f"selection {layer}/{neuron}: {m}" for m in untranslated(panel, data)]

    palette = window.palette.list
    for row in range(palette.count()):
        item = palette.item(row)
        for text in (item.text(), item.toolTip(), item.data(0x21)):  # 0x21: AccessibleDescriptionRole
            missing += [f"palette {item.text()!r}: {line!r}" for line in _plain_lines(text or "")]

    scene = window.view.scene()
    layers = len(doc.spec.layers)
    texts = [tooltips.layer_text(scene, layer) for layer in range(-1, layers)]
    texts += [tooltips.neuron_text(scene, layer, 0) for layer in range(-1, layers)]
    texts += [tooltips.connection_text(scene, pair, 0) for pair in range(layers)]
    texts += scene.legend.texts()
    for text in texts:
        missing += [f"canvas: {line!r}" for line in _plain_lines(text)]

    # The large heatmap of a hidden neuron: its caption and its lines.
    scene.hover.mark_neuron(0, 0)
    popup = scene.hover.popup
    assert popup is not None
    for text in (popup.title, popup.caption, *popup._lines()):
        missing += [f"heatmap: {line!r}" for line in _plain_lines(text)]

    units = window.inspector.layer_section.units_spin
    missing += [f"range: {line!r}" for line in _plain_lines(units.range_message())]
    doc.undo_stack.setClean()  # no unsaved-changes prompt when the window closes
    assert not missing, f"{len(missing)} strings not through tr():\n" + "\n".join(sorted(set(missing)))
