"""Training plots: loss, accuracy, gradient norms and weight histograms, in one dock.

:class:`TrainingPlots` mirrors the document: loss and accuracy come from
``doc.history`` (redrawn on ``history_changed``); gradient norms and weight
histograms come from the worker's :class:`~nnviz.ui.training.worker.TrainingUpdate`
objects, handed to :meth:`TrainingPlots.add_update`.

Every curve is made once and then fed with ``setData`` (pyqtgraph redraws an
item cheaply; recreating items leaks legend entries and costs far more).
Gradient norms go into preallocated NumPy buffers that grow by doubling, so an
update costs a few array writes; each page redraws at most a few times a second
however many updates came, and only while it is on screen.

Modules: :mod:`.base` (the plot widget, axes, colours, the growing buffer),
:mod:`.history` (loss and accuracy), :mod:`.gradients` (gradient norms),
:mod:`.histograms` (weight histograms), :mod:`.dock` (the tabs that hold them).
"""

from .base import style_axes
from .dock import TrainingPlots

__all__ = ["TrainingPlots", "style_axes"]
