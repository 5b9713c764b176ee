"""Autosave: while a document has unsaved changes, a copy of it where a crash cannot take it.

The copy is a normal ``.nnviz`` file (``nnviz info`` reads it), written by the
normal writer, in ``autosave`` under ``QStandardPaths.AppDataLocation``:
``<name>.<key>.nnviz``, with ``<key>.json`` beside it naming the file the
changes belong to. It is written at most :data:`INTERVAL_MS` after a change
(so at most that much work is lost) and when a run starts, in a thread: a big
network takes a second or more to write, and the window must not freeze.

A lock file, ``<key>.lock``, is held while the window lives. An autosave whose
lock no live process holds was left behind by a crash (or a kill): the next
launch offers it back (:mod:`.recovery`). Saving, discarding the changes
(a new or opened file) and a clean close remove the autosave.
"""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile, QObject, QStandardPaths, QTimer, Signal

from ...core.atomic import write_atomic
from ...core.fileformat import FileFormatError, save
from ...core.project import Project
from ..model.document import Document

INTERVAL_MS = 30_000
_NAME = re.compile(r"^(?P<stem>.*)\.(?P<key>\d+-[0-9a-f]+)\.nnviz$")


def autosave_folder() -> Path:
    """Where autosaves go: ``autosave`` in the application's data folder (per user, per application name)."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)) / "autosave"


def _lock(folder: Path, key: str) -> QLockFile:
    lock = QLockFile(str(folder / f"{key}.lock"))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however long a window stays open
    return lock


def _remove(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


@dataclass(frozen=True)
class Leftover:
    """An autosave that no running nnviz owns: unsaved changes a crash left behind."""

    file: Path  # the autosaved .nnviz
    original: Path | None  # the file the changes belong to (None: never saved)
    time: datetime  # when it was written

    @property
    def key(self) -> str:
        return _NAME.match(self.file.name)["key"]

    @property
    def title(self) -> str:
        return self.original.name if self.original else QCoreApplication.translate("autosave", "Untitled")

    def describe(self) -> str:
        """One line for a list: the name, when, and where its file is."""
        when = self.time.strftime(QCoreApplication.translate("autosave", "%d %b %Y %H:%M:%S"))
        if self.original:
            return QCoreApplication.translate("autosave", "{0}, autosaved {1} — {2}").format(
                self.title, when, self.original.parent)
        return QCoreApplication.translate("autosave", "{0}, autosaved {1}").format(self.title, when)

    def load(self) -> Project:
        """The autosaved project, with the path of the file it belongs to. Raises :class:`FileFormatError`."""
        project = Project.load(self.file)
        project.path = self.original
        return project

    def remove(self) -> None:
        """Remove the autosave, its note, and what a write the crash cut short left beside them."""
        folder = self.file.parent
        _remove(self.file, folder / f"{self.key}.json", *folder.glob(f".{glob.escape(self.file.name)}.*.tmp"),
                *folder.glob(f".{self.key}.json.*.tmp"))


def leftovers(folder: Path | None = None) -> list[Leftover]:
    """The autosaves left behind by sessions that ended without removing them, newest first."""
    folder = autosave_folder() if folder is None else folder
    found = []
    for file in folder.glob("*.nnviz"):
        match = _NAME.match(file.name)
        if match is None:
            continue
        lock = _lock(folder, match["key"])
        if not lock.tryLock(0):  # a running nnviz (maybe this one) is still looking after it
            continue
        lock.unlock()
        try:
            meta = json.loads(file.with_name(f"{match['key']}.json").read_text(encoding="utf-8"))
            original = Path(meta["path"]) if meta.get("path") else None
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            original = None  # killed between the two writes, or a damaged note: the changes still count
        try:
            time = datetime.fromtimestamp(file.stat().st_mtime)
        except OSError:
            continue
        found.append(Leftover(file, original, time))
    return sorted(found, key=lambda leftover: leftover.time, reverse=True)


class Autosaver(QObject):
    """Keeps a copy of ``doc`` in the autosave folder while it has unsaved changes."""

    sig_status = Signal(str)  # an autosave that failed, said once

    def __init__(self, doc: Document, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS,
                 folder: Path | None = None):
        super().__init__(parent)
        self.doc = doc
        self.folder = autosave_folder() if folder is None else Path(folder)
        self._key = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._lock: QLockFile | None = None
        self._file: Path | None = None  # the newest autosave written (or being written)
        self._stale = False  # changed since the last autosave
        self._thread: threading.Thread | None = None
        self._failure: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.save_now)
        doc.dirty_changed.connect(self._dirty_changed)
        # Every edit, undo and run update says what it changed (a run's updates merge into one undo
        # step: the undo index stays). The document's signals, not its undo stack's, which would still
        # speak while the document is being destroyed.
        for signal in (doc.spec_changed, doc.params_changed, doc.training_changed, doc.history_changed,
                       doc.dataset_changed, doc.probe_changed, doc.names_changed):
            signal.connect(self._changed)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_interval(self, ms: int) -> None:
        """How long after a change the autosave is written (tests make it short)."""
        self._timer.setInterval(ms)

    @property
    def file(self) -> Path | None:
        """The autosave of this window's document, while there is one."""
        return self._file

    def _changed(self, *_) -> None:
        self._stale = True
        if self.doc.dirty and not self._timer.isActive():
            self._timer.start()

    def _dirty_changed(self, dirty: bool) -> None:
        if dirty:
            self._changed()
        else:  # saved, undone back to the saved state, or replaced: the file holds it all
            self.remove()

    def save_now(self) -> None:
        """Write the autosave now if there are unsaved changes it lacks (also: when a run starts)."""
        self._timer.stop()
        if not (self.doc.dirty and self._stale):
            return
        self.wait()
        if not self._claim():
            return
        self._stale = False
        doc = self.doc
        stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", Path(doc.title).stem)[:60] or "Untitled"
        file = self.folder / f"{stem}.{self._key}.nnviz"
        old = self._file if self._file not in (None, file) else None
        self._file = file
        try:
            nf = doc.project.snapshot(self.folder)
        except MemoryError:
            self._failed(self.tr("there is not enough memory to copy the network"))
            return
        note = {"path": None if doc.path is None else str(Path(doc.path).absolute())}
        self._thread = threading.Thread(target=self._write, args=(nf, file, note, old), name="nnviz autosave",
                                        daemon=True)
        self._thread.start()

    def _claim(self) -> bool:
        if self._lock is not None:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._failed(self.tr("cannot make the folder {0}: {1}").format(self.folder, exc.strerror or exc))
            return False
        lock = _lock(self.folder, self._key)
        if not lock.tryLock(0):
            self._failed(self.tr("cannot lock {0} ({1})").format(f"{self.folder / self._key}.lock", lock.error().name))
            return False
        self._lock = lock
        return True

    def _write(self, nf, file: Path, note: dict, old: Path | None) -> None:
        # In the writer thread: only its own copies (nf) and files are touched here.
        try:
            save(nf, file)
            write_atomic(file.with_name(f"{self._key}.json"), json.dumps(note).encode("utf-8"))
            if old is not None:
                _remove(old)
        except (OSError, FileFormatError, MemoryError) as exc:
            self._stale = True  # try again after the next change
            try:
                self._failed(getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)
            except RuntimeError:  # the window went while this was written
                pass
        else:
            self._failure = None

    def _failed(self, why: str) -> None:
        message = self.tr("Autosave failed: {0}. Save the network to keep its changes.").format(why)
        if message != self._failure:  # said once, not every half minute
            self._failure = message
            self.sig_status.emit(message)

    def wait(self) -> None:
        """Until the autosave being written (if any) is on disk."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def remove(self) -> None:
        """Remove this document's autosave (saved, discarded or closed) and release its lock."""
        self._timer.stop()
        self.wait()
        self._stale = self.doc.dirty
        if self._file is not None:
            _remove(self._file, self.folder / f"{self._key}.json")
            self._file = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
