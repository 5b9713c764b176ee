"""The timeline under the plots: scrub back through a run, play it again, continue from a moment.

The slider spans the document's epochs; dragging it shows the network as it
was at the nearest kept epoch (canvas, boundary, neuron heatmaps, histograms,
and a line on the loss plot), pausing a running run. Play replays the kept
epochs at the chosen pace; "Continue from here" trains on from the epoch
shown, one undoable step; "Now" returns to the current weights.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSlider, QStyle, QToolButton, QWidget

from ...core.numbers import human_bytes
from ..model.document import Document
from ..widgets.labels import make_dim
from ..widgets.live_text import LiveText
from .controller import TrainingController
from ...core.keyframes import MEMORY_CAP


class TimelineBar(QWidget):
    """Play, a slider over the epochs, the epoch shown, Continue from here and Now."""

    def __init__(self, doc: Document, controller: TrainingController, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.controller = controller
        self._refreshing = False
        self.setObjectName("timelineBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 4)
        row.setSpacing(6)
        style = self.style()

        self.play_button = QToolButton(self)
        self.play_button.setCheckable(True)
        self.play_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolTip(self.tr("Play the run back from the epoch shown, at the training speed"))
        self.play_button.toggled.connect(controller.replay)
        self.play_button.toggled.connect(self._show_playing)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("timelineSlider")
        self.slider.setAccessibleName(self.tr("Timeline"))
        self.slider.setMinimumWidth(60)  # a slider squeezed to its handle cannot be dragged
        self.slider.valueChanged.connect(self._scrubbed)
        self.label = make_dim(LiveText(self._epoch_text(100_000, 100_000), "", self, name=self.tr("Epoch shown")))
        self.continue_button = QToolButton(self)
        self.continue_button.setText(self.tr("Continue from here"))
        self.continue_button.setToolTip(self.tr("Train on from the epoch shown with the current settings; "
                                                "the later epochs are replaced (undoable)"))
        self.continue_button.clicked.connect(controller.continue_from_here)
        self.now_button = QToolButton(self)
        self.now_button.setText(self.tr("Now"))
        self.now_button.setToolTip(self.tr("Show the network as it is now"))
        self.now_button.clicked.connect(lambda: controller.show_epoch(None))
        row.addWidget(self.play_button)
        row.addWidget(self.slider, 1)
        row.addWidget(self.label)
        row.addWidget(self.continue_button)
        row.addWidget(self.now_button)

        doc.history_changed.connect(self.refresh)
        doc.moment_changed.connect(self.refresh)
        controller.sig_timeline.connect(self.refresh)
        self.refresh()

    def _epoch_text(self, shown: int, done: int) -> str:
        """The epoch shown: "epoch 12 of 40"."""
        return self.tr("epoch {0} of {1}").format(f"{shown:,}", f"{done:,}")

    def _scrubbed(self, value: int) -> None:
        if self._refreshing:
            return
        self.controller.replay(False)
        self.controller.show_epoch(value)

    def _show_playing(self, playing: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))

    def refresh(self) -> None:
        """Follow the document's epochs, the moment shown and what the timeline keeps."""
        self._refreshing = True
        try:
            keyframes = self.controller.keyframes
            done = self.doc.project.epochs_done
            first = keyframes.first if len(keyframes) else done
            moment = self.doc.moment
            self.slider.setRange(first, max(done, first))
            self.slider.setValue(done if moment is None else moment)
            looking_back = moment is not None
            self.slider.setEnabled(len(keyframes) > 1)
            self.play_button.setEnabled(len(keyframes) > 1)
            self.continue_button.setEnabled(looking_back)
            self.now_button.setEnabled(looking_back)
            if self.play_button.isChecked() != self.controller.replaying:
                blocked = self.play_button.blockSignals(True)
                self.play_button.setChecked(self.controller.replaying)
                self.play_button.blockSignals(blocked)
                self._show_playing(self.controller.replaying)
            shown = done if moment is None else moment
            # In a narrow dock "12 / 40" rather than "epoch 1…".
            self.label.setText(self._epoch_text(shown, done), f"{shown:,} / {done:,}")
            if len(keyframes) > 1:
                spacing = (self.tr("every epoch") if keyframes.every == 1
                           else self.tr("every {0} epochs").format(keyframes.every))
                tip = self.tr("Drag to look back: the network as it was at a kept epoch. Kept: {0} epochs ({1}), "
                              "{2} of the {3} a timeline may use.").format(
                    f"{len(keyframes):,}", spacing, human_bytes(keyframes.nbytes), human_bytes(MEMORY_CAP))
            else:
                tip = self.tr("Train to fill the timeline: every epoch's weights are kept (up to {0}), "
                              "to look back at later.").format(human_bytes(MEMORY_CAP))
            self.slider.setToolTip(tip)
        finally:
            self._refreshing = False
