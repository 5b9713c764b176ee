"""Benchmark of the training engine: steps per second, against PyTorch CPU.

Run: ``python tests/benchmarks/engine.py [--rounds N] [--seconds S]``

Prints training steps/s (forward, backward and SGD update, float32) for four
networks, measured as the issue's anchors were: NumPy's BLAS and PyTorch each
on one thread, the contenders alternating in one process, medians of several
rounds. Also a plain hand-written NumPy loop (the anchor), the machine's
float32 matrix-multiply rate and the steps/s that rate allows for (d), and the
peak memory of training (d) on 60,000 samples.

Then epochs/s of TensorFlow Playground's default case, where a small network
lives or dies by the engine's fixed cost per step and per epoch: 2-4-2-1 tanh
(tanh output, squared error, labels -1/+1) on the "circle" data set, 250
training and 250 validation points, batch 10, SGD at 0.03, a validation pass
at the end of every epoch.
"""

from __future__ import annotations

import os

for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

from nnviz.core import DenseSpec, Network, NetworkSpec, TrainConfig, Trainer  # noqa: E402

try:
    import torch

    torch.set_num_threads(1)
except ImportError:  # PyTorch is optional: the comparison is skipped without it
    torch = None

CASES = {
    "(a) 2-4-4-1 relu, batch 32": ([2, 4, 4, 1], "relu", 32),
    "(b) 2-8-8-8-8-8-8-1 tanh, batch 10": ([2, 8, 8, 8, 8, 8, 8, 1], "tanh", 10),
    "(c) 64-64-32-10 relu/softmax, batch 64": ([64, 64, 32, 10], "relu", 64),
    "(d) 784-128-64-10 relu/softmax, batch 64": ([784, 128, 64, 10], "relu", 64),
}
N_SAMPLES = 4096
LR = 0.01

# TensorFlow Playground's defaults: 500 points of which half train, batch 10,
# learning rate 0.03, two hidden tanh layers of 4 and 2 units, U(-0.5, 0.5) weights.
PLAYGROUND_WIDTHS = [2, 4, 2, 1]
PLAYGROUND_POINTS = 500
PLAYGROUND_BATCH = 10
PLAYGROUND_LR = 0.03
PLAYGROUND_TARGET = 1000  # epochs/s the issue asks for


def make_data(widths, n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, widths[0]), dtype=np.float32)
    if widths[-1] == 1:
        y = (x[:, :1] > 0).astype(np.float32)
    else:
        y = np.eye(widths[-1], dtype=np.float32)[rng.integers(widths[-1], size=n)]
    return x, y


def make_spec(widths, hidden):
    out_act = "sigmoid" if widths[-1] == 1 else "softmax"
    layers = [DenseSpec(w, hidden) for w in widths[1:-1]] + [DenseSpec(widths[-1], out_act)]
    return NetworkSpec(widths[0], tuple(layers))


# -- contenders: each returns a function that runs `k` training steps ---------


def nnviz_runner(widths, hidden, batch, x, y):
    config = TrainConfig(optimizer="sgd", learning_rate=LR, batch_size=batch, epochs=10**6, val_split=0.0)
    trainer = Trainer(Network(make_spec(widths, hidden)), x, y, config)
    step = trainer.step

    def run(k):
        for _ in range(k):
            step()

    return run


def numpy_runner(widths, hidden, batch, x, y):
    """The anchor: a plain hand-written NumPy loop, no options."""
    rng = np.random.default_rng(0)
    ws = [(rng.uniform(-1, 1, (a, b)) / np.sqrt(a)).astype(np.float32) for a, b in zip(widths, widths[1:])]
    bs = [np.zeros(b, np.float32) for b in widths[1:]]
    act = np.tanh if hidden == "tanh" else (lambda z: np.maximum(z, 0))
    softmax = widths[-1] > 1
    state = {"perm": rng.permutation(len(x)), "pos": 0}

    def run(k):
        for _ in range(k):
            if state["pos"] + batch > len(x):
                state["perm"], state["pos"] = rng.permutation(len(x)), 0
            idx = state["perm"][state["pos"] : state["pos"] + batch]
            state["pos"] += batch
            xb, yb = x[idx], y[idx]
            acts = [xb]
            for i, (w, b) in enumerate(zip(ws, bs)):
                z = acts[-1] @ w + b
                if i < len(ws) - 1:
                    acts.append(act(z))
                elif softmax:
                    e = np.exp(z - z.max(1, keepdims=True))
                    acts.append(e / e.sum(1, keepdims=True))
                else:
                    acts.append(1 / (1 + np.exp(-z)))
            d = (acts[-1] - yb) / (len(xb) * (1 if softmax else yb.shape[1]))
            for i in range(len(ws) - 1, -1, -1):
                gw, gb = acts[i].T @ d, d.sum(0)
                if i:
                    d = d @ ws[i].T
                    d *= (1 - acts[i] ** 2) if hidden == "tanh" else (acts[i] > 0)
                ws[i] -= LR * gw
                bs[i] -= LR * gb

    return run


def torch_runner(widths, hidden, batch, x, y):
    torch.manual_seed(0)
    mods = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        mods.append(torch.nn.Linear(a, b))
        if i < len(widths) - 2:
            mods.append(torch.nn.Tanh() if hidden == "tanh" else torch.nn.ReLU())
    model = torch.nn.Sequential(*mods)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    if widths[-1] == 1:
        loss_fn, tx, ty = torch.nn.BCEWithLogitsLoss(), torch.from_numpy(x), torch.from_numpy(y)
    else:
        loss_fn, tx, ty = torch.nn.CrossEntropyLoss(), torch.from_numpy(x), torch.from_numpy(y.argmax(1))
    state = {"perm": torch.randperm(len(x)), "pos": 0}

    def run(k):
        for _ in range(k):
            if state["pos"] + batch > len(x):
                state["perm"], state["pos"] = torch.randperm(len(x)), 0
            idx = state["perm"][state["pos"] : state["pos"] + batch]
            state["pos"] += batch
            opt.zero_grad()
            loss = loss_fn(model(tx[idx]), ty[idx])
            loss.backward()
            opt.step()

    return run


def steps_per_second(run, seconds, chunk=50):
    """Calls of ``run(1)`` per second (``run(k)`` does ``k`` units: steps, or epochs)."""
    run(20)  # warm up
    k, t0 = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - t0) < seconds:
        run(chunk)
        k += chunk
    return k / elapsed


def measure(runners, rounds, seconds, chunk=50):
    """Median rate of each runner, the runners alternating within each round."""
    results = {name: [] for name in runners}
    for _ in range(rounds):
        for name, run in runners.items():
            results[name].append(steps_per_second(run, seconds, chunk))
    return {name: statistics.median(v) for name, v in results.items()}


# -- TensorFlow Playground's default case: whole epochs, with validation --------


def playground_circle(n=PLAYGROUND_POINTS, seed=0):
    """Playground's "circle" data, no noise: half inside radius 2.5 (+1), half in the ring 3.5-5 (-1), shuffled."""
    rng = np.random.default_rng(seed)
    half = n // 2
    r = np.concatenate([rng.uniform(0, 2.5, half), rng.uniform(3.5, 5, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    x = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    y = np.where(r < 2.5, 1.0, -1.0)[:, None]
    order = rng.permutation(n)
    return x[order], y[order]


def playground_split():
    x, y = playground_circle()
    n_train = len(x) // 2
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])


def playground_spec():
    hidden = [DenseSpec(w, "tanh", "uniform") for w in PLAYGROUND_WIDTHS[1:-1]]
    return NetworkSpec(PLAYGROUND_WIDTHS[0], (*hidden, DenseSpec(PLAYGROUND_WIDTHS[-1], "tanh", "uniform")))


def playground_nnviz():
    (x, y), validation = playground_split()
    config = TrainConfig(
        optimizer="sgd", learning_rate=PLAYGROUND_LR, batch_size=PLAYGROUND_BATCH, loss="mse", epochs=10**6, val_split=0.0
    )
    trainer = Trainer(Network(playground_spec()), x, y, config, validation=validation)
    step = trainer.step

    def run(k):
        target = trainer.epoch + k
        while trainer.epoch < target:
            step()

    return run


def playground_numpy():
    """The same epochs as a plain NumPy loop: batches, SGD, then the training and validation losses."""
    (x, y), (vx, vy) = playground_split()
    x, y, vx, vy = (a.astype(np.float32) for a in (x, y, vx, vy))
    widths = PLAYGROUND_WIDTHS
    rng = np.random.default_rng(0)
    ws = [rng.uniform(-0.5, 0.5, (a, b)).astype(np.float32) for a, b in zip(widths, widths[1:])]
    bs = [np.zeros(b, np.float32) for b in widths[1:]]

    def forward(a):
        acts = [a]
        for w, b in zip(ws, bs):
            acts.append(np.tanh(acts[-1] @ w + b))
        return acts

    def run(k):
        for _ in range(k):
            perm = rng.permutation(len(x))
            loss_sum = 0.0
            for start in range(0, len(x), PLAYGROUND_BATCH):
                idx = perm[start : start + PLAYGROUND_BATCH]
                acts = forward(x[idx])
                d = acts[-1] - y[idx]
                loss_sum += float(np.vdot(d, d))
                d *= 2 / d.size
                for i in range(len(ws) - 1, -1, -1):
                    d *= 1 - acts[i + 1] ** 2
                    gw, gb = acts[i].T @ d, d.sum(0)
                    if i:
                        d = d @ ws[i].T
                    ws[i] -= PLAYGROUND_LR * gw
                    bs[i] -= PLAYGROUND_LR * gb
            d = forward(vx)[-1] - vy
            float(np.vdot(d, d)) / d.size, loss_sum / y.size

    return run


def playground(rounds, seconds):
    r = measure({"nnviz": playground_nnviz(), "numpy": playground_numpy()}, rounds, seconds, chunk=10)
    print(
        f"\nTensorFlow Playground's default ({'-'.join(map(str, PLAYGROUND_WIDTHS))} tanh, mse, circle: "
        f"{PLAYGROUND_POINTS // 2} train + {PLAYGROUND_POINTS - PLAYGROUND_POINTS // 2} validation, "
        f"batch {PLAYGROUND_BATCH}, SGD {PLAYGROUND_LR}), median epochs/s:"
    )
    print(
        f"  nnviz {r['nnviz']:.0f} (target {PLAYGROUND_TARGET}), numpy loop {r['numpy']:.0f}, "
        f"nnviz/loop {r['nnviz'] / r['numpy']:.2f}"
    )


def matmul_gflops(m, k, n, repeat=20):
    a = np.random.default_rng(0).standard_normal((m, k), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((k, n), dtype=np.float32)
    a @ b
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    return 2 * m * k * n / statistics.median(times) / 1e9


def d_step_flops(widths, batch):
    """FLOPs of the matrix products of one training step: forward, weight gradients, input gradients."""
    pairs = list(zip(widths, widths[1:]))
    forward = sum(2 * batch * a * b for a, b in pairs)
    back_inputs = sum(2 * batch * a * b for a, b in pairs[1:])  # no gradient for the data itself
    return 2 * forward + back_inputs


def d_gemm_only_rate(widths, batch, rounds=200):
    """Steps/s if a step were only its matrix products, at (d)'s exact shapes."""
    rng = np.random.default_rng(0)
    ws = [rng.standard_normal((a, b), dtype=np.float32) for a, b in zip(widths, widths[1:])]
    acts = [rng.standard_normal((batch, a), dtype=np.float32) for a in widths]
    ds = [rng.standard_normal((batch, b), dtype=np.float32) for b in widths[1:]]
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for i, w in enumerate(ws):
            acts[i] @ w
            acts[i].T @ ds[i]
            if i:
                ds[i] @ w.T
        times.append(time.perf_counter() - t0)
    return 1 / statistics.median(times)


def peak_memory_d(seconds_cap=120):
    """Peak traced memory of one epoch of (d) on 60,000 samples (the data set included)."""
    widths, hidden, batch = CASES["(d) 784-128-64-10 relu/softmax, batch 64"]
    tracemalloc.start()
    x, y = make_data(widths, 60_000)
    data_bytes = x.nbytes + y.nbytes
    config = TrainConfig(optimizer="adam", learning_rate=0.001, batch_size=batch, epochs=1, val_split=0.0)
    trainer = Trainer(Network(make_spec(widths, hidden)), x, y, config, validation=(x[:10_000], y[:10_000]))
    t0 = time.perf_counter()
    for _ in trainer.steps(2):
        if time.perf_counter() - t0 > seconds_cap:
            break
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return data_bytes, peak, trainer.epoch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=0.4, help="per contender per round")
    parser.add_argument("--playground-only", action="store_true", help="only TensorFlow Playground's default case")
    args = parser.parse_args()
    if args.playground_only:
        playground(args.rounds, args.seconds)
        return

    print(f"numpy {np.__version__}" + (f", torch {torch.__version__}" if torch else ", torch not installed"))
    print(f"{args.rounds} rounds x {args.seconds}s per contender, one thread each; median steps/s\n")
    header = f"{'network':44} {'nnviz':>9} {'numpy loop':>11} {'nnviz/loop':>10}"
    if torch:
        header += f" {'torch':>9} {'nnviz/torch':>11}"
    print(header)
    for name, (widths, hidden, batch) in CASES.items():
        x, y = make_data(widths, N_SAMPLES)
        runners = {"nnviz": nnviz_runner(widths, hidden, batch, x, y), "numpy": numpy_runner(widths, hidden, batch, x, y)}
        if torch:
            runners["torch"] = torch_runner(widths, hidden, batch, x, y)
        r = measure(runners, args.rounds, args.seconds)
        line = f"{name:44} {r['nnviz']:9.0f} {r['numpy']:11.0f} {r['nnviz'] / r['numpy']:10.2f}"
        if torch:
            line += f" {r['torch']:9.0f} {r['nnviz'] / r['torch']:10.2f}x"
        print(line, flush=True)
        if name.startswith("(d)"):
            d_rate = r["nnviz"]

    widths, _, batch = CASES["(d) 784-128-64-10 relu/softmax, batch 64"]
    peak = matmul_gflops(1024, 1024, 1024)
    flops = d_step_flops(widths, batch)
    bound = peak * 1e9 / flops
    gemm_only = d_gemm_only_rate(widths, batch)
    print(f"\nfloat32 matrix multiply, 1024^3, one thread: {peak:.1f} GFLOP/s")
    print(f"(d) one step = {flops / 1e6:.1f} MFLOP of matrix products -> at most {bound:.0f} steps/s at that rate")
    print(f"(d) its matrix products alone, at their real shapes: {gemm_only:.0f} steps/s")
    print(f"(d) nnviz reaches {d_rate / bound:.0%} of the 1024^3-rate bound, {d_rate / gemm_only:.0%} of the real-shape bound")

    data_bytes, peak_bytes, epochs = peak_memory_d()
    limit = 2 * data_bytes + 150 * 2**20
    print(
        f"\n(d) on 60,000 samples, {epochs} epoch(s) with Adam: data set {data_bytes / 2**20:.0f} MB, "
        f"peak traced memory {peak_bytes / 2**20:.0f} MB (limit 2x data + 150 MB = {limit / 2**20:.0f} MB)"
    )

    playground(args.rounds, args.seconds)


if __name__ == "__main__":
    main()
