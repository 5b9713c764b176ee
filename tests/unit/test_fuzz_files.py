"""Mutated example files are refused with the format's own error, or open with finite, consistent arrays.

A few hundred seeded mutations per run (byte flips, truncations, splices, wrong
types, huge, tiny and non-finite numbers, deep nesting, wrong shapes, missing
and unknown keys, absurd sizes); tests/benchmarks/fuzz_files.py runs thousands.
"""

from __future__ import annotations

import random

import pytest

from fuzz_mutations import examples, mutate, open_case

CASES = 600
SEED = 12


def cases():
    rng = random.Random(SEED)
    files = examples()
    for i in range(CASES):
        name, data = files[i % len(files)]
        yield i, name, *mutate(data, random.Random(rng.getrandbits(64)))


def test_every_mutated_file_is_refused_or_opens_sound():
    outcomes = {"refused": 0, "opened": 0}
    failures = []
    for i, name, kind, data in cases():
        try:
            outcome, detail = open_case(data)
        except Exception as exc:  # anything but FileFormatError is a bug a user would meet as a traceback
            failures.append(f"case {i} ({name}, {kind}): {type(exc).__name__}: {exc}")
            continue
        if outcome == "bad":
            failures.append(f"case {i} ({name}, {kind}): opened with {detail}")
        else:
            outcomes[outcome] += 1
    assert not failures, "\n".join(failures[:20])
    # The mutations must exercise both sides: most are refused, some still open.
    assert outcomes["refused"] > CASES // 3 and outcomes["opened"] > 10, outcomes


@pytest.mark.parametrize("example", [name for name, _ in examples()])
def test_each_example_opens_unmutated(example):
    data = dict(examples())[example]
    assert open_case(data) == ("opened", "")
