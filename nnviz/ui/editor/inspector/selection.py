"""What the inspector's sections read from the document: the selection, and the inputs' and outputs' names."""

from __future__ import annotations

from ...model.document import Document


def selected(doc: Document) -> tuple[int | None, int | None]:
    """(layer, neuron) of the selection, clamped to what exists now."""
    sel = doc.selection
    layer, neuron = sel.layer, sel.neuron
    spec = doc.spec
    if layer is None or not -1 <= layer < len(spec.layers):
        return None, None
    width = spec.widths()[layer + 1]
    if neuron is not None and not 0 <= neuron < width:
        neuron = None
    return layer, neuron


def input_names(doc: Document) -> list[str]:
    """One name per input feature: the file's, or x1, x2, …"""
    names = doc.project.input_names
    n = doc.spec.inputs
    if names and len(names) == n:
        return list(names)
    return [f"x{k + 1}" for k in range(n)]


def output_names(doc: Document) -> list[str] | None:
    """The file's names of the outputs (classes), if it has one per output."""
    names = doc.project.output_names
    return list(names) if names and len(names) == doc.spec.outputs else None
