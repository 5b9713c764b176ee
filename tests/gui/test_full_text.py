"""No truncated text: the cards, the training settings and the plots' captions show their whole words.

At the window's default size and at 1024×768, with a stack long enough to
scroll, every card's title, parameter count, activation and note, every
settings combo and every plot caption has the width its current text needs.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QComboBox

from nnviz.core import DenseSpec, NetworkSpec
from nnviz.core.spec import BatchNormSpec, DropoutSpec
from nnviz.core.fileformat import NetworkFile
from nnviz.core.project import Project
from nnviz.core.training import History
from nnviz.ui.model import commands
from nnviz.ui.widgets.labels import combo_width, text_fits, text_width

# Long words in each place: "sigmoid" and "Leaky ReLU", 2,001 and 99 parameters, a dropout note, batch norm.
# Enough cards that the stack scrolls at either size: the scroll bar takes its width from the cards.
SPEC = NetworkSpec(2, (DenseSpec(40, "leaky_relu"), DropoutSpec(0.5), DenseSpec(40, "sigmoid"),
                       BatchNormSpec(activation="tanh"), DenseSpec(9, "sigmoid"), DenseSpec(8, "tanh"),
                       DenseSpec(8, "relu"), DropoutSpec(0.25), DenseSpec(8, "gelu"), DenseSpec(1, "sigmoid")))


def _open(window, qtbot):
    window.doc.new(Project.from_file(NetworkFile(spec=SPEC, params=[None] * len(SPEC.layers))))
    qtbot.waitUntil(lambda: window.plots is not None)


def _card_texts(card):
    """(what, widget) for each text a card shows."""
    out = [("title", card.title_label), ("parameters", card.info_label)]
    if card.activation_combo is not None:
        out.append(("activation", card.activation_combo))
    if card.kind == "dropout":
        out.append(("dropout note", card.rate_note))
    return out


def _settings_texts(panel):
    s, d = panel.settings_section, panel.dataset_section
    return [("optimiser", s.optimizer_combo), ("loss", s.loss_combo), ("data", d.dataset_combo)]


def _cut(widgets) -> list[str]:
    """The ones that do not show their whole text, as 'what: text (needs N, has M)'."""
    cut = []
    for what, w in widgets:
        if not isinstance(w, QComboBox) and not (w.isVisibleTo(w.window()) and w.text()):
            continue  # (a hidden or empty label cuts nothing)
        if not text_fits(w):
            text = w.currentText() if isinstance(w, QComboBox) else w.text()
            need = combo_width(w) if isinstance(w, QComboBox) else w.fontMetrics().horizontalAdvance(text)
            cut.append(f"{what}: {text!r} (needs {need}, has {w.width()})")
    return cut


@pytest.mark.parametrize("size", [None, (1024, 768)], ids=["default size", "1024x768"])
def test_every_card_setting_and_caption_shows_its_whole_text(window, qtbot, size):
    _open(window, qtbot)
    if size is not None:
        window.resize(*size)
    qtbot.waitUntil(lambda: window.layer_stack.scroll.verticalScrollBar().isVisible(), timeout=5000)
    qtbot.wait(50)  # (layouts settle on the next pass of the event loop)
    stack = window.layer_stack
    widgets = [(f"card {c.index + 1} {what}", w) for c in stack.cards() for what, w in _card_texts(c)]
    widgets += _settings_texts(window.training)
    cut = _cut(widgets)
    assert not cut, "\n".join(cut)
    # Each activation shows whole on every card, whichever is chosen: the combos have room for the widest.
    for card in stack.cards():
        combo = card.activation_combo
        if combo is not None:
            longest = max(combo_width(combo, combo.itemText(i)) for i in range(combo.count()))
            assert longest <= combo.width(), f"card {card.index + 1}'s activation combo: {longest} > {combo.width()}"
    # Each loss, once chosen, shows whole (the panel makes room for the chosen one).
    loss = window.training.settings_section.loss_combo
    for name in ("mse", "bce", "cce", "auto"):
        commands.set_training(window.doc, replace(window.doc.training, loss=name))
        qtbot.waitUntil(lambda: text_fits(loss), timeout=2000)
    # The plots' captions, with a long run's figures in them.
    h = History()
    for e in range(1, 10001):
        h.append(e, 0.123456 / e, 0.654321 / e, 0.5, 0.5)
    window.doc.restore({"history": h})
    window.docks["Plots"].show()
    window.docks["Plots"].raise_()
    plots = window.plots
    for index in range(4):
        plots.tabs.setCurrentIndex(index)
        caption = plots.tabs.captions.currentWidget()
        qtbot.waitUntil(lambda: caption.isVisible() and bool(caption.text()), timeout=5000)
        assert text_fits(caption), f"{caption.text()!r}: needs {text_width(caption)}, has {caption.width()}"
