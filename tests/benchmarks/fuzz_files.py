"""Fuzz the .nnviz loader with N seeded mutations of the shipped examples and print what happened.

Run: ``python tests/benchmarks/fuzz_files.py [-n 10000] [--seed 12]``

Each mutated file is loaded as the window loads it (parse and check, then
build the network when it is small enough) and counted as refused (the format's
own FileFormatError), opened (every array finite and shaped as the spec says),
another exception (a traceback a user would meet), or accepted with non-finite
or inconsistent arrays. Prints the counts, examples of the last two kinds, the
slowest case and the peak memory (the largest Python allocation of one case,
and the process's peak resident size).
"""

from __future__ import annotations

import argparse
import collections
import random
import resource
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from fuzz_mutations import examples, mutate, open_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="number of mutated files (default 10000)")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    # A NumPy warning is not an outcome: what the file opened as decides.
    warnings.simplefilter("ignore")
    rng = random.Random(args.seed)
    files = examples()
    counts = collections.Counter()
    kinds = collections.Counter()
    samples = collections.defaultdict(list)
    slowest = (0.0, "")
    peak_case = (0, "")
    tracemalloc.start()
    t_all = time.perf_counter()
    for i in range(args.n):
        name, data = files[i % len(files)]
        kind, mutated = mutate(data, random.Random(rng.getrandbits(64)))
        kinds[kind] += 1
        label = f"case {i} ({name}, {kind}, {len(mutated):,} bytes)"
        tracemalloc.reset_peak()
        t0 = time.perf_counter()
        try:
            outcome, detail = open_case(mutated)
        except Exception as exc:  # noqa: BLE001 - counting them is the point
            outcome, detail = "other exception", f"{type(exc).__name__}: {str(exc)[:150]}"
        seconds = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        outcome = {"bad": "accepted with non-finite or inconsistent arrays"}.get(outcome, outcome)
        counts[outcome] += 1
        if outcome not in ("refused", "opened") and len(samples[outcome]) < 10:
            samples[outcome].append(f"{label}: {detail}")
        slowest = max(slowest, (seconds, label))
        peak_case = max(peak_case, (peak, label))
    total = time.perf_counter() - t_all
    tracemalloc.stop()

    print(f"{args.n:,} mutated files from {len(files)} examples (seed {args.seed}), {total:.1f} s in all")
    print("mutations: " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
    for outcome in ("refused", "opened", "other exception", "accepted with non-finite or inconsistent arrays"):
        print(f"  {outcome}: {counts[outcome]:,}")
    for outcome, lines in samples.items():
        print(f"{outcome}, first {len(lines)}:")
        for line in lines:
            print(f"  {line}")
    print(f"slowest case: {slowest[0] * 1000:.1f} ms, {slowest[1]}")
    print(f"peak memory of one case (Python allocations): {peak_case[0] / 2**20:.1f} MiB, {peak_case[1]}")
    print(f"peak resident memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
