"""Training plots: loss, accuracy, gradient norms and weight histograms, in one dock.

:class:`TrainingPlots` mirrors the document: loss, accuracy and each layer's
gradient norm come from ``doc.history`` (redrawn on ``history_changed``), the
weight histograms from the document's network.

Every curve is made once and then fed with ``setData`` (pyqtgraph redraws an
item cheaply; recreating items leaks legend entries and costs far more).
While a run appends epochs, only the new rows are converted to arrays; each
page redraws at most a few times a second however many epochs came, and only
while it is on screen.

Modules: :mod:`.base` (the plot widget, axes, colours, the history reader),
:mod:`.history` (loss and accuracy), :mod:`.gradients` (gradient norms),
:mod:`.histograms` (weight histograms), :mod:`.dock` (the tabs that hold them).
"""

from .base import style_axes
from .dock import TrainingPlots

__all__ = ["TrainingPlots", "style_axes"]
