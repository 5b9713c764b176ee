"""How fast the canvas builds, recolours and repaints, and how fast pictures export.

A script that prints figures, not a test:

    python tests/benchmarks/canvas.py            # offscreen, 1280 × 800 view

For 2-4-4-1, 64-64-32-10 and 784-128-64-10 it measures: building the scene
from a document; recolouring every connection after new weights
(``params_changed``) and painting one frame; a frame with nothing changed;
PNG export at 2×, elided and with every neuron drawn.

Targets: recolour + frame ≤ 16 ms for every network (default, elided view);
an unchanged frame nearly free; full PNG export of 784-128-64-10 ≤ 1.5 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nnviz.core.fileformat import NetworkFile  # noqa: E402
from nnviz.core.project import Project  # noqa: E402
from nnviz.core.spec import DenseSpec, NetworkSpec  # noqa: E402
from nnviz.ui.canvas import NetworkScene, NetworkView  # noqa: E402
from nnviz.ui.model import commands  # noqa: E402
from nnviz.ui.model.document import Document  # noqa: E402
from nnviz.ui.io.export import export_image  # noqa: E402

NETWORKS = {
    "2-4-4-1": NetworkSpec(2, (DenseSpec(4, "relu"), DenseSpec(4, "relu"), DenseSpec(1, "sigmoid"))),
    "64-64-32-10": NetworkSpec(64, (DenseSpec(64, "relu"), DenseSpec(32, "relu"), DenseSpec(10, "softmax"))),
    "784-128-64-10": NetworkSpec(784, (DenseSpec(128, "relu"), DenseSpec(64, "relu"), DenseSpec(10, "softmax"))),
}
VIEW_SIZE = (1280, 800)


def timed(fn, repeat: int) -> float:
    """Median wall time of ``fn()`` in milliseconds."""
    return statistics.median(times_of(fn, repeat))


def times_of(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    rng = np.random.default_rng(0)
    print(f"canvas benchmark: view {VIEW_SIZE[0]} × {VIEW_SIZE[1]}, platform {app.platformName()}, times in ms (median)")
    header = (
        f"{'network':>14} {'build':>7} {'recolour':>9} {'frame':>7} {'rec+frm':>8} {'(best)':>7} {'still':>7}"
        f" {'png 2x':>8} {'png 2x full':>12}"
    )
    print(header)
    out = Path(tempfile.mkdtemp(prefix="nnviz-bench-"))
    for name, spec in NETWORKS.items():
        nf = NetworkFile(spec=spec, params=[None] * len(spec.layers))
        doc = Document(Project.from_file(nf))
        commands.set_probe(doc, rng.normal(size=spec.inputs))

        build = timed(lambda: NetworkScene(doc, interactive=False), 5)

        view = NetworkView(doc)
        view.resize(*VIEW_SIZE)
        view.show()
        app.processEvents()
        view.viewport().grab()  # warm up: fonts, caches

        states = []
        for _ in range(12):
            params = doc.network.copy_params()
            for p in params:
                if "weights" in p:
                    p["weights"] = rng.normal(scale=0.3, size=p["weights"].shape).astype(p["weights"].dtype)
            states.append({"spec": doc.spec, "params": params})
        it = iter(states * 10)

        recolours, frames = [], []
        for _ in range(20):
            recolours += times_of(lambda: doc.restore(next(it)), 1)  # params_changed: the scene recolours
            frames += times_of(lambda: view.viewport().grab(), 1)  # …and this frame paints the new colours
        recolour, frame = statistics.median(recolours), statistics.median(frames)
        both = [r + f for r, f in zip(recolours, frames)]
        view.viewport().grab()
        still = timed(lambda: view.viewport().grab(), 20)

        png = timed(lambda: export_image(doc, out / "net.png", scale=2.0), 3)
        png_full = timed(lambda: export_image(doc, out / "net_full.png", scale=2.0, full=True), 3)
        print(
            f"{name:>14} {build:7.1f} {recolour:9.2f} {frame:7.2f} {statistics.median(both):8.2f} {min(both):7.2f}"
            f" {still:7.2f} {png:8.0f} {png_full:12.0f}"
        )
        view.close()
        view.deleteLater()
        app.processEvents()
    print("build: NetworkScene(doc); recolour: new weights → params_changed (rebin, refill);")
    print("frame: the viewport().grab() that paints them; rec+frm: both, as during training (median, best);")
    print("still: a frame with nothing changed; png: export_image(…, scale=2), elided and every neuron.")
    startup = [time_to_first_paint() for _ in range(5)]
    print(
        f"\nfrom `nnviz FILE` to the first painted window (new process each, {app.platformName()}): "
        f"median {statistics.median(startup):.2f} s, best {min(startup):.2f} s (target 1.2 s)"
    )
    return 0


# Runs in a fresh interpreter: what `nnviz FILE` does (nnviz.ui.app.run), stopping
# at the first paint of the window's canvas.
FIRST_PAINT = """
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QEvent, QObject
from nnviz.ui.app import make_app
app = make_app()
from nnviz.ui.main_window import MainWindow
from nnviz.ui.model import commands
window = MainWindow()
window.open_file(sys.argv[2], ask=False)
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(time.time() - t0, flush=True)
            app.exit(0)
        return False
watch = FirstPaint()
window.view.viewport().installEventFilter(watch)
window.show()
app.exec()
"""


def time_to_first_paint() -> float:
    """Seconds from starting a new process on an example file to its first painted canvas."""
    import subprocess

    example = Path(__file__).resolve().parents[2] / "resources" / "examples" / "relu_2-4-4-1_circle.nnviz"
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home)  # a first launch: no saved layout
        t0 = time.time()
        proc = subprocess.run(
            [sys.executable, "-c", FIRST_PAINT, repr(t0), str(example)], capture_output=True, text=True, env=env, timeout=120
        )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    return float(proc.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
