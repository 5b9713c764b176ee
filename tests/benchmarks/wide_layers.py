"""What wide layers cost now that the memory guard is in: a script that prints figures, not a test.

    python tests/benchmarks/wide_layers.py

For each network it prints the guard's estimate (building, training with
Adam), the budget, and the peak memory (tracemalloc, NumPy's arrays
included) and time of: `nnviz info` on a weightless file, one decision
boundary picture (100 × 100 grid, a chunk at a time, or the note when the
network is too large to draw live), and one neuron-heatmap trace (24 × 24)
when the canvas would draw it.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import time
import tracemalloc
from pathlib import Path

from nnviz import cli
from nnviz.core import DenseSpec, Network, NetworkSpec, memory
from nnviz.core.numbers import human_bytes, human_count

NETWORKS = {
    "2-512-512-1": (512, 512),
    "2-20000-1": (20_000,),
    "2-100000-1": (100_000,),
    "2-100000-100000-1": (100_000, 100_000),
}
BOUNDARY_POINTS = 100 * 100
HEATMAP_POINTS = 24 * 24
BOUNDARY_MAX_MACS = 50_000_000_000  # as nnviz.ui.training.boundary.MAX_MACS
BOUNDARY_MAX_ACTIVATIONS = 500_000_000  # and MAX_ACTIVATIONS
HEATMAP_MAX_BYTES = 64 * 1024**2  # as nnviz.ui.canvas.heatmaps.MAX_TRACE_BYTES


def measured(fn):
    """(result, seconds, peak bytes): timed untraced (tracemalloc slows NumPy's allocations), then traced."""
    t0 = time.perf_counter()
    fn()
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    try:
        result = fn()
        return result, seconds, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    print(f"budget on this machine: {human_bytes(memory.budget())}")
    folder = Path(tempfile.mkdtemp())
    for name, units in NETWORKS.items():
        spec = NetworkSpec(2, tuple(DenseSpec(u, "relu") for u in units) + (DenseSpec(1, "sigmoid"),))
        print(f"\n{name}")
        build = memory.estimate(spec)
        train = memory.estimate(spec, optimizer="adam", batch_size=32)
        print(f"  estimate: build {human_bytes(build.total)}, train with Adam {human_bytes(train.total)}")
        path = folder / f"{name}.nnviz"
        path.write_text(json.dumps({"format": "nnviz", "version": 1, "inputs": 2, "layers": [
            {"type": "dense", "units": layer.units, "activation": layer.activation} for layer in spec.layers]}))
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            cli.main(["info", str(path)])  # imports out of the way
            status, seconds, peak = measured(lambda: cli.main(["info", str(path)]))
            pstatus, _s, ppeak = measured(lambda: cli.main(["predict", str(path), "--input", "1,2"]))
        print(f"  nnviz info ({path.stat().st_size} bytes): exit {status}, {seconds * 1000:.0f} ms, peak {human_bytes(peak)}")
        print(f"  nnviz predict: exit {pstatus}, peak {human_bytes(ppeak)}")
        try:
            memory.check(build)
        except memory.MemoryBudgetError:
            print("  (refused: nothing more to measure)")
            continue
        net = Network(spec)
        whole, macs = memory.grid_cost(spec, BOUNDARY_POINTS)
        if macs > BOUNDARY_MAX_MACS or BOUNDARY_POINTS * sum(spec.widths()) > BOUNDARY_MAX_ACTIVATIONS:
            print(f"  boundary: a note ({human_count(macs)} multiply-adds a picture; one pass would hold {human_bytes(whole)})")
        else:
            _out, seconds, peak = measured(lambda: memory.predict_in_chunks(net, memory_grid()))
            print(f"  boundary picture: {seconds * 1000:.0f} ms, peak {human_bytes(peak)} (one pass would hold {human_bytes(whole)})")
        size, _macs = memory.grid_cost(spec, HEATMAP_POINTS)
        if size > HEATMAP_MAX_BYTES:
            print(f"  heatmaps: left out (a trace would hold {human_bytes(size)})")
        else:
            _steps, seconds, peak = measured(lambda: net.trace(memory_grid(24)))
            print(f"  heatmap trace: {seconds * 1000:.0f} ms, peak {human_bytes(peak)}")


def memory_grid(n: int = 100):
    import numpy as np

    g = np.linspace(-1, 1, n)
    gx, gy = np.meshgrid(g, g)
    return np.column_stack([gx.ravel(), gy.ravel()])


if __name__ == "__main__":
    main()
