"""One writer per index directory: an advisory lock held for a whole ingest.

`IndexLock` holds flock(2) on `<index>/.lock`. A second writer, in another process or this one,
waits for it or is refused at once, naming the holder; the kernel drops the lock when its holder
exits, however it exits (SIGKILL included), so a crash never leaves an index locked. Readers take
no lock: they read whole snapshots, which writers never change.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from pathlib import Path

from index.errors import IndexBusyError

log = logging.getLogger(__name__)

LOCK = ".lock"


class IndexLock:
    """The write lock of the index at `root` (created if missing); `with` acquires it."""

    def __init__(self, root: Path, *, wait: bool = False) -> None:
        self.root = Path(root)
        self.path = self.root / LOCK
        self.wait = wait
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock; when another writer holds it, wait (`wait`) or raise IndexBusyError."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self._holder(fd)
                if not self.wait:
                    raise IndexBusyError(
                        f"another ingest holds the index at {self.root}{holder}; run again when "
                        "it has finished, or with --wait to wait for it"
                    ) from None
                log.warning("waiting: another ingest holds the index at %s%s", self.root, holder)
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._note_holder(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)  # while still held: the next holder writes its own line
        except OSError:
            pass
        os.close(fd)  # closing drops the lock

    def __enter__(self) -> IndexLock:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()

    @staticmethod
    def _note_holder(fd: int) -> None:
        """Who holds the lock and since when, for the message a refused writer prints."""
        since = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"since {since} (pid {os.getpid()})\n".encode(), 0)
        except OSError:  # a full disk: the lock holds all the same, the note is a courtesy
            pass

    @staticmethod
    def _holder(fd: int) -> str:
        try:
            note = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
        except OSError:
            note = ""
        return f" {note}" if note else ""
