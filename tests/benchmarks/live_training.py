"""Live training in the real window: what watching costs.

Run: ``python tests/benchmarks/live_training.py [--seconds S] [--case digits|spiral]`` (offscreen).

For 64-64-32-10 on the digits table and 2-8-8-8-8-8-8-1 tanh on the spiral,
it trains with everything live (canvas, plots, boundary, status) and prints:
training steps/s headless (the core's Trainer alone, same data and settings)
and live, and their ratio; the GUI thread's worst and 99th-percentile stall
(how late a 5 ms QTimer fires); snapshots sent per second; and the share of
the time the GUI thread was busy (its CPU time over wall time).

The two rates are measured in turns: ``S`` seconds of live training in rounds
of :data:`ROUND` seconds, with the run paused between rounds while the headless
trainer runs for :data:`HEADLESS` seconds (before the first round and after
each). A shared machine's speed drifts by ±15% within seconds; measured in
turns, both rates see the same drift and their ratio does not. Stalls, rates
and the GUI's share are measured inside the live rounds only (after
:data:`SETTLE` seconds of each, the time a resumed run takes to send again).

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
from nnviz.core.fileformat import NetworkFile  # noqa: E402
from nnviz.core.project import DatasetRecord, Project  # noqa: E402
from nnviz.ui.model import commands  # noqa: E402

CASES = {
    "64-64-32-10 on digits": (
        NetworkSpec(64, (DenseSpec(64, "relu"), DenseSpec(32, "relu"), DenseSpec(10, "softmax"))),
        DatasetRecord("digits"),
        TrainConfig(optimizer="adam", learning_rate=0.003, batch_size=32, epochs=100_000),
    ),
    "2-8-8-8-8-8-8-1 tanh on spiral": (
        NetworkSpec(2, tuple(DenseSpec(8, "tanh", "xavier_uniform") for _ in range(6)) + (DenseSpec(1, "sigmoid"),)),
        DatasetRecord("spiral", n_samples=500, noise=0.0, seed=0),
        TrainConfig(optimizer="adam", learning_rate=0.003, batch_size=10, epochs=100_000),
    ),
}


ROUND = 2.0  # seconds of live training per round
HEADLESS = 1.0  # seconds of headless training before the first round and after each
SETTLE = 0.3  # seconds after a resume that are not measured


class Headless:
    """The core's Trainer alone, on the same data and settings; one run, measured in turns."""

    def __init__(self, spec, data, config):
        train, val = data.split(config.val_split, config.seed)
        trainer = Trainer(Network(spec, seed=config.seed), train.x, train.y, config, validation=(val.x, val.y))
        self.steps = trainer.steps()
        for _ in range(50):
            next(self.steps)
        self.n = 0
        self.seconds = 0.0

    def run(self, seconds: float) -> None:
        t0 = time.perf_counter()
        n = 0
        while time.perf_counter() - t0 < seconds:
            next(self.steps)
            n += 1
        self.n += n
        self.seconds += time.perf_counter() - t0

    @property
    def rate(self) -> float:
        return self.n / self.seconds


def wait(seconds: float) -> None:
    """Run the event loop (idle between events, as the app does) for ``seconds``."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def measure(app, spec, record, data, config, seconds):
    """Live and headless training in turns; see the module's docstring."""
    from nnviz.ui.main_window import MainWindow

    headless = Headless(spec, data, config)
    window = MainWindow()
    window.resize(1440, 900)
    window.show()
    doc = window.doc
    doc.new(Project.from_file(NetworkFile(spec=spec, params=[None] * len(spec.layers), training=config)))
    commands.set_dataset(doc, record, data)
    app.processEvents()

    updates = []
    window.controller.session.sig_update.connect(lambda u: updates.append((u.sent, u.step)))
    lateness = []
    clock = QElapsedTimer()
    clock.start()
    last = [None]

    def tick():
        now = clock.elapsed()
        if last[0] is not None:
            lateness.append(max(0.0, now - last[0] - 5))
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    train = window.findChild(type(window.actions_["New"]), "actionTrain")
    train.trigger()
    wait(1.0)  # warm up: first updates, first paints
    steps = snapshots = 0
    live_seconds = busy = 0.0
    rounds = max(1, round(seconds / ROUND))
    for _ in range(rounds):
        if window.controller.session.state == "running":
            train.trigger()  # pause
        wait(0.2)  # the pause lands; what it redraws is drawn
        headless.run(HEADLESS)
        train.trigger()  # resume
        wait(SETTLE)
        first = len(updates)
        last[0] = None
        timer.start()
        start = time.monotonic()
        cpu = time.thread_time()
        wait(ROUND)
        busy += time.thread_time() - cpu
        end = time.monotonic()
        timer.stop()
        inside = [(t, s) for t, s in updates[first:] if start <= t <= end]
        if len(inside) < 2:  # the machine stalled the whole round (a busy host): nothing to rate
            continue
        (t_a, s_a), (t_b, s_b) = inside[0], inside[-1]
        steps += s_b - s_a
        snapshots += len(inside) - 1
        live_seconds += t_b - t_a
    train.trigger()
    wait(0.2)
    headless.run(HEADLESS)
    window.controller.shutdown()
    doc.undo_stack.setClean()
    window.close()
    app.processEvents()
    if not live_seconds:
        raise SystemExit("no training updates arrived in any live round: is the machine overloaded?")
    return headless.rate, steps / live_seconds, snapshots / live_seconds, lateness, busy / (ROUND * rounds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--case", choices=("digits", "spiral"), help="run one of the two networks only")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print(f"live training benchmark, {args.seconds:g} s per run, platform {app.platformName()}\n")
    print(f"{'network':34} {'headless':>9} {'live':>7} {'ratio':>6} {'stall p99':>10} {'worst':>7} {'snaps/s':>8} {'GUI busy':>9}")
    for name, (spec, record, config) in CASES.items():
        if args.case and args.case not in name:
            continue
        headless, live, snaps, lateness, busy = measure(app, spec, record, record.load(), config, args.seconds)
        p99 = float(np.percentile(lateness, 99)) if lateness else float("nan")
        worst = max(lateness, default=float("nan"))
        print(
            f"{name:34} {headless:9.0f} {live:7.0f} {live / headless:6.0%} {p99:8.1f}ms {worst:5.0f}ms {snaps:8.1f} {busy:9.0%}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
