"""The one atomic writer: the target holds the old bytes or all the new ones, never half a file."""

from __future__ import annotations

import errno
import os
import stat
import sys

import pytest

from nnviz.core.atomic import write_atomic

OLD = b"the old content\n"
NEW = b"the new content, a little longer\n" * 100


@pytest.fixture
def target(tmp_path):
    path = tmp_path / "model.nnviz"
    path.write_bytes(OLD)
    return path


def assert_untouched(path):
    assert path.read_bytes() == OLD
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left


def test_writes_the_bytes_and_leaves_no_temp(target):
    write_atomic(str(target), NEW)
    assert target.read_bytes() == NEW
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_a_failure_leaves_the_old_file_and_no_temp(target, monkeypatch, step):
    real_write = os.write

    def fail(*args):
        if step == "write":  # half the data reaches the temp file, then the disk is full
            real_write(args[0], bytes(args[1][: len(args[1]) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, step, fail)
    with pytest.raises(OSError) as caught:
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert caught.value.errno == errno.ENOSPC and caught.value.strerror == "No space left on device"
    assert_untouched(target)


def test_an_interruption_leaves_the_old_file_and_no_temp(target, monkeypatch):
    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert_untouched(target)


def test_a_missing_folder_says_so(tmp_path):
    path = tmp_path / "no-such-folder" / "x.nnviz"
    with pytest.raises(FileNotFoundError) as caught:
        write_atomic(path, NEW)
    assert caught.value.strerror == "No such file or directory"
    assert not path.parent.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_keeps_the_replaced_files_permissions(target, tmp_path):
    os.chmod(target, 0o640)
    write_atomic(target, NEW)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    umask = os.umask(0o022)
    os.umask(umask)
    fresh = tmp_path / "fresh.nnviz"
    write_atomic(fresh, NEW)
    assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o666 & ~umask


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges")
def test_through_a_link_replaces_the_target(target, tmp_path):
    link = tmp_path / "link.nnviz"
    link.symlink_to(target)
    write_atomic(link, NEW)
    assert link.is_symlink()
    assert target.read_bytes() == NEW
