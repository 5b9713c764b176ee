"""What the decision boundary's 0.5 line costs a frame: a script that prints figures, not a test.

    python tests/benchmarks/boundary_contour.py

On the spiral example as it trains (the boundary redraws at display rate while
a run goes), it times, per frame: the whole boundary picture (forward pass on
the 100 × 100 grid, colours, image), the marching squares alone
(nnviz.core.contour.level_segments) and handing the segments to pyqtgraph
(setData), at a few points of a run (the line grows more wiggly as it learns).
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from nnviz.core.contour import level_segments  # noqa: E402
from nnviz.core.project import Project  # noqa: E402
from nnviz.core.shipped import resolve_network  # noqa: E402
from nnviz.ui.model.document import Document  # noqa: E402
from nnviz.ui.training.boundary import GRID, BoundaryView  # noqa: E402

FRAMES = 200


def per_frame_ms(fn, frames=FRAMES) -> tuple[float, float]:
    """(median, 90th percentile) milliseconds of ``fn()``."""
    for _ in range(5):
        fn()
    times = []
    for _ in range(frames):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return statistics.median(times), times[int(0.9 * len(times))]


def main() -> None:
    app = QApplication.instance() or QApplication([])
    project = Project.load(resolve_network("example:spiral_deep_tanh"))
    doc = Document(project)
    data = project.load_dataset()
    doc.show_data(data)  # as the window does once the record's data is loaded
    view = BoundaryView(doc)
    view.resize(360, 360)
    view.show()
    app.processEvents()
    trainer = project.trainer(data, network=doc.network)
    points = view.grid_points()
    xs, ys = points[:GRID, 0], points[::GRID, 1]
    print(f"{'epochs':>6}  {'segments':>8}  {'picture ms':>14}  {'contour ms':>14}  {'setData ms':>14}")
    done = 0
    for epochs in (0, 20, 100, 300):
        for _ in trainer.steps(epochs - done):
            pass
        done = epochs
        view.redraw()
        field = view.grid_output() - 0.5
        segments = level_segments(field, xs, ys)
        picture = per_frame_ms(view.redraw, 50)
        contour = per_frame_ms(lambda: level_segments(field, xs, ys))
        handing = per_frame_ms(lambda: view.contour_item.setData(segments[:, 0], segments[:, 1], connect="pairs"))
        print(f"{epochs:>6}  {len(segments) // 2:>8}  "
              + "  ".join(f"{m:6.3f} (p90 {p:5.3f})" for m, p in (picture, contour, handing)))


if __name__ == "__main__":
    main()
