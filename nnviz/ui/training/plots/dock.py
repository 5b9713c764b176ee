"""The training plots dock: the four pages in tabs, each redrawn when what it shows changed, while shown."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QTabBar, QVBoxLayout, QWidget

from ...model.document import Document
from ...widgets.redraw import Redraw
from .gradients import GradientPage
from .histograms import WeightsPage
from .history import HistoryPages


class _Tabs(QWidget):
    """Like QTabWidget (``addTab``, ``setCurrentIndex``, ``currentIndex``, ``currentChanged``) with a
    row of per-tab controls right of the tabs and a line of per-tab caption under them.

    The caption (a readout such as "epoch 12: train 0.213, validation 0.250") has a
    line of its own: beside the tabs and a check box, a narrow dock cut it to "validation 0.00…".
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bar = QTabBar()
        self.bar.setDrawBase(False)
        self.bar.setExpanding(False)
        self.controls = QStackedWidget()
        self.captions = QStackedWidget()
        self.pages = QStackedWidget()
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.bar)
        header.addStretch(1)
        header.addWidget(self.controls)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        caption_row = QHBoxLayout()
        caption_row.setContentsMargins(8, 1, 6, 1)
        caption_row.addWidget(self.captions)
        layout.addLayout(caption_row)
        layout.addWidget(self.pages, 1)
        self.currentChanged = self.bar.currentChanged
        for stack in (self.pages, self.controls, self.captions):
            self.bar.currentChanged.connect(stack.setCurrentIndex)

    def addTab(self, page: QWidget, title: str, controls: QWidget, caption: QWidget) -> int:
        self.pages.addWidget(page)
        self.controls.addWidget(controls)
        self.captions.addWidget(caption)
        return self.bar.addTab(title)

    def setCurrentIndex(self, index: int) -> None:
        self.bar.setCurrentIndex(index)

    def currentIndex(self) -> int:
        return self.bar.currentIndex()

    def count(self) -> int:
        return self.bar.count()

    def tabText(self, index: int) -> str:
        return self.bar.tabText(index)


class TrainingPlots(QWidget):
    """Loss, accuracy, gradient-norm and weight-histogram plots of a document's training.

    The pages are ``history_pages`` (loss and accuracy), ``gradient_page`` and
    ``weights_page``; each holds its plot widgets, curves and controls.
    """

    def __init__(self, doc: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.setObjectName("trainingPlots")

        self.history_pages = history = HistoryPages(doc)
        self.gradient_page = gradients = GradientPage(doc)
        self.weights_page = weights = WeightsPage(doc)

        # A tab bar with each tab's controls on its right, its caption on a line below.
        self.tabs = _Tabs(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs)
        for page, controls, caption, title in (
            (history.loss_plot, history.loss_controls, history.loss_readout, self.tr("Loss")),
            (history.accuracy_stack, history.accuracy_controls, history.accuracy_readout, self.tr("Accuracy")),
            (gradients.plot, gradients.controls, gradients.caption, self.tr("Gradients")),
            (weights.plot, weights.controls, weights.caption, self.tr("Weights")),
        ):
            self.tabs.addTab(page, title, controls, caption)

        # While training, the document changes once per display frame; a page redraws only
        # while on screen (a hidden one is drawn when shown) and drops to a lower rate if slow.
        self.redraws = {
            "loss": Redraw(history.loss_plot, history.draw_loss),
            "accuracy": Redraw(history.accuracy_stack, history.draw_accuracy),
            "gradients": Redraw(gradients.plot, gradients.draw),
            "weights": Redraw(weights.plot, weights.draw),
        }

        doc.history_changed.connect(self._on_history_changed)
        doc.spec_changed.connect(self._on_spec_changed)
        doc.params_changed.connect(self._on_params_changed)
        self.refresh()

    # -- public API -----------------------------------------------------------

    def refresh(self) -> None:
        """Redraw everything now from the document."""
        self.history_pages.draw()
        self.gradient_page.draw()
        self.weights_page.draw()

    def readout_at(self, epoch: float) -> str:
        """The loss readout of the history epoch nearest ``epoch`` ("" with no history)."""
        return self.history_pages.readout_at(epoch)

    def accuracy_readout_at(self, epoch: float) -> str:
        return self.history_pages.accuracy_readout_at(epoch)

    # -- document -------------------------------------------------------------

    def _request(self, *pages: str) -> None:
        for page in pages:
            self.redraws[page].request()

    def _on_history_changed(self) -> None:
        self._request("loss", "accuracy", "gradients", "weights")  # the weights' caption names the epoch

    def _on_spec_changed(self) -> None:
        self._request("gradients", "weights")  # one curve per layer with parameters

    def _on_params_changed(self) -> None:
        self._request("weights")
