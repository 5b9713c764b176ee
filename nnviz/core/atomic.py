"""The one way nnviz writes a file: atomically, so a failed write never leaves half a file."""

from __future__ import annotations

import os
import secrets
import stat


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
    tmp = None
    try:
        fd, tmp = _create_temp(directory, os.path.basename(path))
        try:
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
