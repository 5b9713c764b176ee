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

from PySide6.QtCore import QPointF
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
        lines = [f"Input neuron {n}{_name(doc.project.input_names, neuron)}", f"probe value x = {significant(float(doc.probe[neuron]))}"]
        if doc.standardization is not None:
            lines.append(f"standardised = {significant(float(doc.standardize(doc.probe)[neuron]))}")
        return "\n".join(lines)
    spec = doc.spec.layers[layer]
    title = scene.column_item(layer).column.title
    name = _name(doc.project.output_names, neuron) if layer == len(doc.spec.layers) - 1 else ""
    lines = [f"Layer {layer + 1} ({title}), neuron {n}{name}"]
    params = doc.network.layer_params(layer)
    if spec.kind == "dense":
        lines.append(f"bias b = {significant(float(params['bias'][neuron]))}")
    elif spec.kind == "batchnorm":
        lines.append(f"scale γ = {significant(float(params['gamma'][neuron]))}, shift β = {significant(float(params['beta'][neuron]))}")
    else:
        lines.append(f"passes its input on (drops it with probability {spec.rate:g} while training)")
    step = doc.trace()[layer]
    if spec.kind != "dropout":
        lines.append(f"weighted sum z = {significant(float(step['z'][0, neuron]))}")
    lines.append(f"activation a = {significant(float(step['a'][0, neuron]))}")
    return "\n".join(lines)


def layer_text(scene: NetworkScene, layer: int) -> str:
    """Layer ``layer`` (``-1`` the input): its role, and its parameters counted as ``m×n + n``, their memory and work."""
    spec = scene.doc.spec
    if layer < 0:
        return (f"Input layer: {spec.inputs:,} feature{'s' if spec.inputs != 1 else ''}, one neuron each\n"
                "no parameters: it holds the data that goes in")
    hidden = len(spec.layers) - 1
    if layer < hidden:
        deep = " (more than one makes the network deep)" if hidden > 1 else ""
        which = f"hidden layer {layer + 1} of {hidden}" if hidden > 1 else "the only hidden layer"
        role = f"{which}{deep}: between the input and the output"
    else:
        role = "the output layer: its activations are the network's answer"
    c = count(spec).layers[layer]
    lines = [f"Layer {layer + 1} ({scene.column_item(layer).column.title}), {role}"]
    if c.kind == "dense":
        lines.append(f"parameters: {c.fan_in:,}×{c.units:,} weights + {c.units:,} biases = {c.formula()}")
    elif c.kind == "batchnorm":
        lines.append(f"parameters: a scale γ and a shift β per feature = {c.formula()}")
    else:
        lines.append("parameters: none (dropout has nothing to learn)")
    if c.params:
        lines.append(f"memory: {human_bytes(c.params * FLOAT32_BYTES)} as float32, "
                     f"{human_bytes(c.params * FLOAT16_BYTES)} as float16")
        lines.append(f"multiply-adds per sample: {c.macs:,}")
    return "\n".join(lines)


def connection_text(scene: NetworkScene, pair: int, line: int) -> str:
    """Line ``line`` of pair ``pair`` (which feeds layer ``pair``): its ends, weight and what it carries for the probe."""
    doc = scene.doc
    item = scene.connections[pair]
    j = int(item.src_idx[line])
    k = int(item.dst_idx[line])
    source = f"input neuron {j + 1}" if pair == 0 else f"layer {pair} neuron {j + 1}"
    target = f"layer {pair + 1} neuron {k + 1}"
    if item.identity:
        kind = doc.spec.layers[pair].kind
        what = "passed on (dropout)" if kind == "dropout" else "normalised (batch norm)"
        return f"{source} → {target}: {what}"
    w = float(doc.network.layer_params(pair)["weights"][j, k])
    text = f"{source} → {target}: w = {significant(w)}"
    g = scene.pair_gradient(pair) if scene.color_mode == "gradients" else None
    if g is not None:
        text += f", ∂L/∂w = {significant(float(g[j, k]))}"
    a = doc.standardize(doc.probe)[j] if pair == 0 else doc.trace()[pair - 1]["a"][0, j]
    return text + f"\nw · a = {significant(w * float(a))} for the probe input"


def _name(names, i: int) -> str:
    return f" “{names[i]}”" if names and i < len(names) else ""
