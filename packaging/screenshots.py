"""Make the README's screenshots from the real app: ``python packaging/screenshots.py [--out DIR]``.

Each picture is the real window (offscreen, so no screen is needed), on a
fresh set of preferences, doing what the README says it does:

- ``window.png`` (1366×768): the window as a first launch shows it;
- ``training.png`` (1366×768): the spiral example after training at the
  default speed until its validation accuracy passes 90 %;
- ``window-1024x768.png``, ``window-1920x1080.png``: the same, at those sizes;
- ``neuron_heatmap.png``: the canvas of that run, a hidden neuron's picture shown large;
- ``timeline.png`` (1366×768): that run, scrubbed back to an early epoch;
- ``hidden_space.png`` (1366×768): that run at its end, View ▸ Show Hidden space on
  (the last hidden layer's grid, folded);
- ``lesson.png`` (1366×768): Help ▸ Lessons, the lesson on folding followed: heatmaps on,
  the hidden space open, trained until it is learnt (its steps ticked);
- ``lesson-gradients.png`` (1366×768): the vanishing-gradients lesson, trained 30 epochs, its
  Gradients tab in front;
- ``export_2-4-4-1.png``: the first launch's network exported as a figure;
- ``figure-every-style.png``: the trained circle example as a figure with every
  style option on (bias units, arrowheads, math labels, per-layer colours,
  heatmaps, activations, legend), as ``nnviz export`` draws it.

It prints each file it writes with the moment shown. Look at every picture
before you commit it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TRAINED_ACCURACY = 0.9  # the spiral's validation accuracy at which a picture is taken
TIMEOUT = 120.0  # seconds a run may take to get there


def settle(app: QApplication, seconds: float) -> None:
    """Let the window work for ``seconds`` (the event loop runs; nothing sleeps)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def wait_for(app: QApplication, condition, what: str) -> None:
    end = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > end:
            raise SystemExit(f"screenshots: gave up waiting for {what}")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def new_window(app: QApplication, size: tuple[int, int]):
    from nnviz.ui.main_window import MainWindow

    QSettings().clear()  # a first launch's preferences
    window = MainWindow()
    window.resize(*size)
    window.reset_layout()
    window.show()
    wait_for(app, lambda: window.plots is not None and window.controller.session.ready, "the window to be ready")
    settle(app, 0.3)
    return window


def close(app: QApplication, window) -> None:
    window.controller.shutdown()
    window.doc.undo_stack.setClean()
    window.close()
    settle(app, 0.1)


def save(window, path: Path, what: str) -> None:
    window.grab().save(str(path))
    print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}: {what}")


def train_spiral(app: QApplication, window) -> int:
    """Open the spiral example, train it at the default speed until it has learnt; return the epochs."""
    from nnviz.ui.main_window import example_files

    window.open_file(next(p for p in example_files() if p.stem == "spiral_deep_tanh"), ask=False, remember=False)
    settle(app, 0.3)
    window.actions_["Train"].trigger()
    wait_for(app, lambda: learnt(window), "the spiral to be learnt")
    window.actions_["Train"].trigger()  # pause
    wait_for(app, lambda: window.controller.session.state == "paused", "the pause")
    settle(app, 0.5)
    return window.doc.project.epochs_done


def learnt(window) -> bool:
    accuracy = [a for a in window.doc.project.history.val_accuracy if a is not None]
    return bool(accuracy) and accuracy[-1] >= TRAINED_ACCURACY


# Every option of a figure style that can be switched on, for the README's figure.
EVERY_STYLE = {"bias_units": True, "arrowheads": "filled", "labels": "math", "node_colors": "layer", "legend": True,
               "heatmaps": True, "activations": True}


def export_figures(first_launch, out: Path) -> None:
    """The README's exported figures: the first launch's network, and a trained example in every style."""
    from nnviz.core.project import Project
    from nnviz.ui.io.export import export_image

    export_image(first_launch, out / "export_2-4-4-1.png", scale=2)
    print(f"wrote {out / 'export_2-4-4-1.png'}: the first launch's network as a figure")
    circle = Project.load(REPO / "resources" / "examples" / "relu_2-4-4-1_circle.nnviz")
    export_image(circle, out / "figure-every-style.png", scale=2, **EVERY_STYLE)
    print(f"wrote {out / 'figure-every-style.png'}: relu_2-4-4-1_circle with every style option on")


def last_hidden(app: QApplication, window) -> None:
    """The hidden space of the last hidden layer: the one the output cuts with a line."""
    wait_for(app, lambda: window.hidden_space is not None and window.hidden_space.layer_combo.count() > 1,
             "the hidden space's layers")
    combo = window.hidden_space.layer_combo
    combo.setCurrentIndex(combo.count() - 1)


def lessons_pictures(app: QApplication, out: Path) -> None:
    """The Lessons dock: two lessons followed in the window."""
    window = new_window(app, (1366, 768))
    names = [lesson.name for lesson in window.lessons.lessons]
    window.actions_["Lessons"].trigger()
    window.lessons.open_lesson(names.index("07_folding_space"))
    settle(app, 0.3)
    if not window.actions_["NeuronHeatmaps"].isChecked():  # on at a first launch: its step is ticked already
        window.actions_["NeuronHeatmaps"].trigger()
    window.actions_["ShowHiddenSpace"].trigger()
    last_hidden(app, window)
    window.actions_["Lessons"].trigger()  # the lesson in front again
    window.actions_["Train"].trigger()
    wait_for(app, lambda: learnt(window), "the lesson's spiral to be learnt")
    window.actions_["Train"].trigger()
    wait_for(app, lambda: window.controller.session.state == "paused", "the pause")
    settle(app, 0.8)
    save(window, out / "lesson.png", f"the folding lesson, trained {window.doc.project.epochs_done} epochs")
    window.doc.undo_stack.setClean()
    window.lessons.open_lesson(names.index("08_vanishing_gradients"))
    settle(app, 0.3)
    window.warnings_button.click()  # the lesson's first step: read the warning
    settle(app, 0.3)
    window.docks["Warnings"].hide()
    window.actions_["Lessons"].trigger()
    window.plots.tabs.setCurrentIndex(2)  # Gradients, on a log scale
    start = window.doc.project.epochs_done
    window.training.pace_slider.setValue(window.training.pace_slider.maximum())
    window.actions_["Train"].trigger()
    wait_for(app, lambda: window.doc.project.epochs_done >= start + 30, "30 epochs of the deep sigmoid stack")
    window.actions_["Train"].trigger()
    wait_for(app, lambda: window.controller.session.state == "paused", "the pause")
    settle(app, 0.8)
    save(window, out / "lesson-gradients.png", "the vanishing-gradients lesson after 30 epochs, the Gradients tab")
    close(app, window)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "resources" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as home:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, home)
        from nnviz.ui.app import make_app

        app = make_app()
        app.setOrganizationName("nnviz-screenshots")  # never the user's own preferences

        window = new_window(app, (1366, 768))
        save(window, args.out / "window.png", "first launch, 1366x768")
        export_figures(window.doc.project, args.out)
        epochs = train_spiral(app, window)
        save(window, args.out / "training.png", f"the spiral learnt after {epochs} epochs, 1366x768")
        hover = window.view.scene().hover
        hover.mark_neuron(2, 3)  # as pointing at it does: its picture, large
        settle(app, 0.5)
        window.view.grab().save(str(args.out / "neuron_heatmap.png"))
        print(f"wrote {args.out / 'neuron_heatmap.png'}: hidden layer 3, neuron 4, large (the canvas)")
        hover.clear()
        early = max(1, epochs // 4)
        window.timeline.slider.setValue(early)
        settle(app, 0.5)
        save(window, args.out / "timeline.png", f"the spiral's run scrubbed back to epoch {early} of {epochs}")
        window.timeline.slider.setValue(window.timeline.slider.maximum())
        window.actions_["ShowHiddenSpace"].trigger()
        last_hidden(app, window)
        settle(app, 0.8)
        save(window, args.out / "hidden_space.png", f"the spiral's hidden space after {epochs} epochs")
        close(app, window)

        lessons_pictures(app, args.out)

        for size in ((1024, 768), (1920, 1080)):
            window = new_window(app, size)
            epochs = train_spiral(app, window)
            save(window, args.out / f"window-{size[0]}x{size[1]}.png",
                 f"the spiral learnt after {epochs} epochs, {size[0]}x{size[1]}")
            close(app, window)
    return 0


if __name__ == "__main__":
    sys.exit(main())
