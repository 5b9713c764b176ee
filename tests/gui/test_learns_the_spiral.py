"""The promise of the spiral example: from the window's defaults, it learns the spiral."""

import time

from PySide6.QtGui import QAction

from nnviz.ui.main_window import MainWindow, example_files


def test_the_spiral_example_reaches_95_percent_validation_accuracy_within_a_minute(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    qtbot.waitExposed(window)
    (path,) = [p for p in example_files() if p.name == "spiral_deep_tanh.nnviz"]
    assert window.open_file(path, ask=False, remember=False)
    doc = window.doc
    qtbot.waitUntil(lambda: doc.data is not None, timeout=10_000)  # the example's dataset, offered by the panel
    start = time.monotonic()
    window.findChild(QAction, "actionTrain").trigger()  # Train, with every setting as the file has it

    def learned():
        accuracy = doc.history.val_accuracy
        return bool(accuracy) and accuracy[-1] is not None and accuracy[-1] >= 0.95

    qtbot.waitUntil(learned, timeout=60_000)
    elapsed = time.monotonic() - start
    window.controller.shutdown()
    print(f"spiral: {doc.history.val_accuracy[-1]:.1%} validation accuracy at epoch {doc.history.epoch[-1]} after {elapsed:.1f} s")
    doc.undo_stack.setClean()
    window.close()
