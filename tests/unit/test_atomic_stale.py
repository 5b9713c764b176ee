"""A save killed with -9 leaves a hidden temporary file; the next save of that file removes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from nnviz.core.atomic import remove_stale_temps, write_atomic

# A writer that stops for good just before its temporary file would be renamed.
WRITER = """
import os, sys, time
from nnviz.core import atomic
os.fsync = lambda fd: (print("writing", flush=True), time.sleep(600))
atomic.write_atomic(sys.argv[1], b"new" * 1000)
"""


def temps(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def make_old(path, seconds=3600):
    t = time.time() - seconds
    os.utime(path, (t, t))


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_a_save_killed_mid_write_is_cleaned_at_the_next_save(tmp_path):
    target = tmp_path / "model.nnviz"
    target.write_bytes(b"old")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        [left] = temps(tmp_path)
        assert left.startswith(".model.nnviz.")
        make_old(tmp_path / left)
        assert remove_stale_temps(target) == []  # its writer is still alive: not ours to remove
        assert temps(tmp_path) == [left]
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
    assert target.read_bytes() == b"old"
    assert temps(tmp_path) == [left]  # what kill -9 leaves

    write_atomic(target, b"saved again")
    assert target.read_bytes() == b"saved again"
    assert temps(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.nnviz"]


def test_only_our_old_temps_of_this_file_are_removed(tmp_path):
    target = tmp_path / "model.nnviz"
    ours_old = tmp_path / ".model.nnviz.0123abcd.tmp"
    ours_new = tmp_path / ".model.nnviz.89abcdef.tmp"  # perhaps a save under way right now
    other_file = tmp_path / ".other.nnviz.0123abcd.tmp"
    someone_elses = tmp_path / ".model.nnviz.backup.tmp"
    for p in (ours_old, ours_new, other_file, someone_elses):
        p.write_bytes(b"x")
    for p in (ours_old, other_file, someone_elses):
        make_old(p)
    write_atomic(target, b"content")
    assert target.read_bytes() == b"content"
    assert not ours_old.exists()
    assert ours_new.exists() and other_file.exists() and someone_elses.exists()
