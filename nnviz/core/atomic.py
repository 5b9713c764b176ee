"""The one way nnviz writes a file: atomically, so a failed write never leaves half a file."""

from __future__ import annotations

import os
import re
import secrets
import stat
import time

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be removed there anyway
    fcntl = None

# A temporary file left by a writer that died (kill -9, power cut) is removed
# at the next save of the same file, once it is this old and nobody holds it.
STALE_AFTER_SECONDS = 5.0


def write_atomic(path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` holds either the old bytes or all the new ones.

    The bytes go to a temporary file beside ``path``, are flushed to disk, take
    the permissions of the file being replaced (a new file gets the umask's),
    and the temporary file is renamed over ``path``; the folder is then synced
    so the rename itself survives a crash. When ``path`` is a symbolic link,
    the file it points to is replaced and the link kept. On any failure
    ``path`` is untouched and the temporary file removed; an OS problem (no
    space, no permission, a missing folder, …) raises the :class:`OSError`
    itself, whose ``strerror`` says what happened.
    """
    path = os.fspath(path)
    if os.path.islink(path):
        path = os.path.realpath(path)
    directory = os.path.dirname(os.path.abspath(path))
    remove_stale_temps(path)
    tmp = None
    try:
        fd, tmp = _create_temp(directory, os.path.basename(path))
        try:
            if fcntl is not None:  # held while writing: tells remove_stale_temps this file is alive
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    pass
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            try:
                os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
            except OSError:  # no file to replace yet: keep the new file's own permissions
                pass
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
        _sync_directory(directory)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def remove_stale_temps(path) -> list[str]:
    """Remove temporary files that an interrupted :func:`write_atomic` of ``path`` left beside it.

    Only files named as this module names them for ``path``
    (``.<name>.<8 hex digits>.tmp``), older than :data:`STALE_AFTER_SECONDS`
    and not locked by a writer still running are removed; anything that cannot
    be removed is left. Returns the paths removed.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    pattern = re.compile(re.escape(f".{os.path.basename(path)}.") + r"[0-9a-f]{8}\.tmp")
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    now = time.time()
    for name in names:
        if not pattern.fullmatch(name):
            continue
        tmp = os.path.join(directory, name)
        try:
            st = os.lstat(tmp)
            if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < STALE_AFTER_SECONDS:
                continue
            if _held_by_a_writer(tmp):
                continue
            os.unlink(tmp)
        except OSError:
            continue
        removed.append(tmp)
    return removed


def _held_by_a_writer(tmp: str) -> bool:
    if fcntl is None:
        return False
    try:
        fd = os.open(tmp, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing releases the lock
    return False


def _create_temp(directory: str, base: str) -> tuple[int, str]:
    # os.open with mode 0o666 lets the umask decide permissions, as for any new
    # file (tempfile.mkstemp would make it private to the user).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(directory, f".{base}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file in {directory}")  # pragma: no cover


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX); not possible or needed everywhere."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
