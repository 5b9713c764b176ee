"""Live training in the real window: what watching costs.

Run: ``python tests/benchmarks/live_training.py [--seconds S]`` (offscreen).

For 64-64-32-10 on the digits table and 2-8-8-8-8-8-8-1 tanh on the spiral,
it trains with everything live (canvas, plots, boundary, status) and prints:
training steps/s headless (the core's Trainer alone, same data and settings,
measured just before and just after the live run) and live, and their ratio; the GUI thread's worst and 99th-percentile stall (how
late a 5 ms QTimer fires); snapshots sent per second; and the share of the time
the GUI thread was busy (its CPU time over wall time).

Rates are measured on the worker's send times (``TrainingUpdate.sent``), so
updates delivered in a burst after a GUI stall do not inflate them.

Targets: live ≥ 70% of headless steps/s, stall p99 ≤ 20 ms and worst ≤ 60 ms,
≤ 30 snapshots a second.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nnviz.core import DenseSpec, Network, NetworkSpec, TrainConfig, Trainer  # noqa: E402
from nnviz.core.datasets import load_real, make_toy  # noqa: E402
from nnviz.core.fileformat import NetworkFile  # noqa: E402

CASES = {
    "64-64-32-10 on digits": (
        NetworkSpec(64, (DenseSpec(64, "relu"), DenseSpec(32, "relu"), DenseSpec(10, "softmax"))),
        {"name": "digits"},
        lambda: load_real("digits"),
        TrainConfig(optimizer="adam", learning_rate=0.003, batch_size=32, epochs=100_000),
    ),
    "2-8-8-8-8-8-8-1 tanh on spiral": (
        NetworkSpec(2, tuple(DenseSpec(8, "tanh", "xavier_uniform") for _ in range(6)) + (DenseSpec(1, "sigmoid"),)),
        {"name": "spiral", "n_samples": 500, "noise": 0.0, "seed": 0},
        lambda: make_toy("spiral", 500, 0.0, 0),
        TrainConfig(optimizer="adam", learning_rate=0.003, batch_size=10, epochs=100_000),
    ),
}


def headless_rate(spec, data, config, seconds) -> float:
    train, val = data.split(config.val_split, config.seed)
    trainer = Trainer(Network(spec, seed=config.seed), train.x, train.y, config, validation=(val.x, val.y))
    steps = trainer.steps()
    for _ in range(50):
        next(steps)
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < seconds:
        next(steps)
        n += 1
    return n / (time.perf_counter() - t0)


def wait(seconds: float) -> None:
    """Run the event loop (idle between events, as the app does) for ``seconds``."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def live_run(app, spec, record, data, config, seconds):
    from nnviz.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1440, 900)
    window.show()
    doc = window.doc
    doc.new(NetworkFile(spec=spec, params=[None] * len(spec.layers), training=config))
    doc.set_dataset(record, data)
    app.processEvents()

    updates = []
    window.session.sig_update.connect(lambda u: updates.append((u.sent, u.step)))
    lateness = []
    clock = QElapsedTimer()
    last = [None]

    def tick():
        now = clock.elapsed()
        if last[0] is not None:
            lateness.append(max(0.0, now - last[0] - 5))
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    window.findChild(type(window.actions_["New"]), "actionTrain").trigger()
    wait(1.0)  # warm up: first updates, first paints
    clock.start()
    timer.start()
    start = time.monotonic()
    cpu = time.thread_time()
    wait(seconds)
    busy = (time.thread_time() - cpu) / (time.monotonic() - start)
    end = time.monotonic()
    timer.stop()
    window.training.shutdown()
    doc.undo_stack.setClean()
    doc._modified = False
    window.close()
    app.processEvents()

    window_updates = [(t, s) for t, s in updates if start <= t <= end]
    (t_a, s_a), (t_b, s_b) = window_updates[0], window_updates[-1]
    steps_per_s = (s_b - s_a) / (t_b - t_a)
    snaps_per_s = (len(window_updates) - 1) / (t_b - t_a)
    return steps_per_s, snaps_per_s, lateness, busy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--case", choices=("digits", "spiral"), help="run one of the two networks only")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print(f"live training benchmark, {args.seconds:g} s per run, platform {app.platformName()}\n")
    print(f"{'network':34} {'headless':>9} {'live':>7} {'ratio':>6} {'stall p99':>10} {'worst':>7} {'snaps/s':>8} {'GUI busy':>9}")
    for name, (spec, record, load, config) in CASES.items():
        if args.case and args.case not in name:
            continue
        data = load()
        # Headless just before and just after the live run: this machine's speed drifts.
        before = headless_rate(spec, data, config, args.seconds / 2)
        live, snaps, lateness, busy = live_run(app, spec, record, data, config, args.seconds)
        headless = (before + headless_rate(spec, data, config, args.seconds / 2)) / 2
        p99 = float(np.percentile(lateness, 99)) if lateness else float("nan")
        worst = max(lateness, default=float("nan"))
        print(
            f"{name:34} {headless:9.0f} {live:7.0f} {live / headless:6.0%} {p99:8.1f}ms {worst:5.0f}ms {snaps:8.1f} {busy:9.0%}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
