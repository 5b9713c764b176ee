"""What a network's output means: each output's name and the class it predicts.

Shared by the inspector's probe readout and ``nnviz predict``, so that both
name the same class for the same output.
"""

from __future__ import annotations

import numpy as np


def output_labels(names: list[str] | None, n_outputs: int) -> list[str]:
    """One label per output: the file's names, or y1, y2, …

    A single output with two class labels is a two-class classifier whose
    output is the probability of the second (positive) class, so it is labelled
    with that class's name.
    """
    if names and len(names) == n_outputs:
        return list(names)
    if names and n_outputs == 1 and len(names) == 2:
        return [names[1]]
    return [f"y{i + 1}" for i in range(n_outputs)]


def predicted_class(output, activation: str, names: list[str] | None) -> str | None:
    """The class a classifier's output picks, by name where the file has them; ``None`` for other outputs.

    Softmax outputs pick the largest; a single sigmoid output picks the second
    class (``names[1]``, or "class 1") from 0.5 up, the first below.
    """
    out = np.asarray(output, dtype=np.float64).ravel()
    if activation == "softmax" and out.size > 1:
        k = int(np.argmax(out))
        return names[k] if names and len(names) == out.size else f"class {k + 1}"
    if activation == "sigmoid" and out.size == 1:
        k = int(out[0] >= 0.5)
        return names[k] if names and len(names) == 2 else f"class {k}"
    return None
