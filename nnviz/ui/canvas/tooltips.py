"""What hovering the canvas says: the texts of a neuron, a layer and a connection.

A neuron tells its name, its parameters and its values for the probe input
(its first line the title, its second the parameters, the rest the probe's:
the large heatmap's card, :mod:`.hover`, splits it there). A connection tells
its two ends, its weight (and gradient, when the lines show gradients) and
what it carries for the probe input. A layer (its column or label, off its
neurons) tells its role and how its parameters are counted (``m×n + n``), their
memory and its multiply-adds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPointF
from PySide6.QtWidgets import QGraphicsSceneHelpEvent, QToolTip

from ...core.counting import FLOAT16_BYTES, FLOAT32_BYTES, count
from ...core.numbers import human_bytes, significant
from . import hit_tests

if TYPE_CHECKING:
    from .scene import NetworkScene


def show(scene: NetworkScene, event: QGraphicsSceneHelpEvent) -> None:
    """The scene's tooltip event: show the text of what is under the pointer, or hide the tooltip."""
    pos = event.scenePos()
    text = text_at(scene, pos, hit_tests.tolerance(event.widget())) if scene.interactive else ""
    if text and scene.hover.popup_visible and hit_tests.neuron_at(scene, pos) is not None:
        text = ""  # the large heatmap beside the neuron says it all already
    if text:
        QToolTip.showText(event.screenPos(), text, event.widget())
        event.accept()
    else:
        QToolTip.hideText()
        event.ignore()


def text_at(scene: NetworkScene, pos: QPointF, tolerance: float = 3.0) -> str:
    """What hovering ``pos`` shows: a neuron, a layer (its column or label), a connection, or nothing."""
    hit = hit_tests.neuron_at(scene, pos)
    if hit is not None:
        return neuron_text(scene, *hit)
    layer = hit_tests.column_at(scene, pos)
    if layer is not None:
        return layer_text(scene, layer)
    hit = hit_tests.connection_at(scene, pos, tolerance)
    return "" if hit is None else connection_text(scene, *hit)


def neuron_text(scene: NetworkScene, layer: int, neuron: int) -> str:
    """Neuron ``neuron`` of ``layer`` (``-1`` the input): its name, parameters and values for the probe."""
    doc = scene.doc
    n = neuron + 1
    if layer < 0:
        lines = [
            QCoreApplication.translate("CanvasTooltips", "Input neuron {0}{1}").format(
                n, _name(doc.project.input_names, neuron)),
            QCoreApplication.translate("CanvasTooltips", "probe value x = {0}").format(
                significant(float(doc.probe[neuron]))),
        ]
        if doc.standardization is not None:
            lines.append(QCoreApplication.translate("CanvasTooltips", "standardised = {0}").format(
                significant(float(doc.standardize(doc.probe)[neuron]))))
        return "\n".join(lines)
    spec = doc.spec.layers[layer]
    title = scene.column_item(layer).column.title
    name = _name(doc.project.output_names, neuron) if layer == len(doc.spec.layers) - 1 else ""
    lines = [QCoreApplication.translate("CanvasTooltips", "Layer {0} ({1}), neuron {2}{3}").format(
        layer + 1, title, n, name)]
    params = doc.network.layer_params(layer)
    if spec.kind == "dense":
        lines.append(QCoreApplication.translate("CanvasTooltips", "bias b = {0}").format(
            significant(float(params["bias"][neuron]))))
    elif spec.kind == "batchnorm":
        lines.append(QCoreApplication.translate("CanvasTooltips", "scale γ = {0}, shift β = {1}").format(
            significant(float(params["gamma"][neuron])), significant(float(params["beta"][neuron]))))
    else:
        lines.append(QCoreApplication.translate(
            "CanvasTooltips", "passes its input on (drops it with probability {0} while training)").format(
            f"{spec.rate:g}"))
    step = doc.trace()[layer]
    if spec.kind != "dropout":
        lines.append(QCoreApplication.translate("CanvasTooltips", "weighted sum z = {0}").format(
            significant(float(step["z"][0, neuron]))))
    lines.append(QCoreApplication.translate("CanvasTooltips", "activation a = {0}").format(
        significant(float(step["a"][0, neuron]))))
    return "\n".join(lines)


def layer_text(scene: NetworkScene, layer: int) -> str:
    """Layer ``layer`` (``-1`` the input): its role, and its parameters counted as ``m×n + n``, their memory and work."""
    spec = scene.doc.spec
    if layer < 0:
        if spec.inputs == 1:
            first = QCoreApplication.translate("CanvasTooltips", "Input layer: {0} feature, one neuron each")
        else:
            first = QCoreApplication.translate("CanvasTooltips", "Input layer: {0} features, one neuron each")
        return (first.format(f"{spec.inputs:,}") + "\n"
                + QCoreApplication.translate("CanvasTooltips", "no parameters: it holds the data that goes in"))
    hidden = len(spec.layers) - 1
    if layer < hidden:
        if hidden > 1:
            role = QCoreApplication.translate(
                "CanvasTooltips",
                "hidden layer {0} of {1} (more than one makes the network deep): between the input and the output",
            ).format(layer + 1, hidden)
        else:
            role = QCoreApplication.translate("CanvasTooltips", "the only hidden layer: between the input and the output")
    else:
        role = QCoreApplication.translate("CanvasTooltips", "the output layer: its activations are the network's answer")
    c = count(spec).layers[layer]
    lines = [QCoreApplication.translate("CanvasTooltips", "Layer {0} ({1}), {2}").format(
        layer + 1, scene.column_item(layer).column.title, role)]
    if c.kind == "dense":
        lines.append(QCoreApplication.translate("CanvasTooltips", "parameters: {0}×{1} weights + {2} biases = {3}").format(
            f"{c.fan_in:,}", f"{c.units:,}", f"{c.units:,}", c.formula()))
    elif c.kind == "batchnorm":
        lines.append(QCoreApplication.translate(
            "CanvasTooltips", "parameters: a scale γ and a shift β per feature = {0}").format(c.formula()))
    else:
        lines.append(QCoreApplication.translate("CanvasTooltips", "parameters: none (dropout has nothing to learn)"))
    if c.params:
        lines.append(QCoreApplication.translate("CanvasTooltips", "memory: {0} as float32, {1} as float16").format(
            human_bytes(c.params * FLOAT32_BYTES), human_bytes(c.params * FLOAT16_BYTES)))
        lines.append(QCoreApplication.translate("CanvasTooltips", "multiply-adds per sample: {0}").format(f"{c.macs:,}"))
    return "\n".join(lines)


def connection_text(scene: NetworkScene, pair: int, line: int) -> str:
    """Line ``line`` of pair ``pair`` (which feeds layer ``pair``): its ends, weight and what it carries for the probe."""
    doc = scene.doc
    item = scene.connections[pair]
    j = int(item.src_idx[line])
    k = int(item.dst_idx[line])
    neuron_of_layer = QCoreApplication.translate("CanvasTooltips", "layer {0} neuron {1}")
    if pair == 0:
        source = QCoreApplication.translate("CanvasTooltips", "input neuron {0}").format(j + 1)
    else:
        source = neuron_of_layer.format(pair, j + 1)
    target = neuron_of_layer.format(pair + 1, k + 1)
    if item.identity:
        if doc.spec.layers[pair].kind == "dropout":
            what = QCoreApplication.translate("CanvasTooltips", "passed on (dropout)")
        else:
            what = QCoreApplication.translate("CanvasTooltips", "normalised (batch norm)")
        return f"{source} → {target}: {what}"
    w = float(doc.network.layer_params(pair)["weights"][j, k])
    text = f"{source} → {target}: w = {significant(w)}"
    g = scene.pair_gradient(pair) if scene.color_mode == "gradients" else None
    if g is not None:
        text += f", ∂L/∂w = {significant(float(g[j, k]))}"
    a = doc.standardize(doc.probe)[j] if pair == 0 else doc.trace()[pair - 1]["a"][0, j]
    return text + "\n" + QCoreApplication.translate("CanvasTooltips", "w · a = {0} for the probe input").format(
        significant(w * float(a)))


def _name(names, i: int) -> str:
    """The file's name of neuron ``i``, in quotes after its number ("" when the file names none)."""
    return QCoreApplication.translate("CanvasTooltips", " “{0}”").format(names[i]) if names and i < len(names) else ""
