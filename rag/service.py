"""Open a ready-to-search Retriever over an index directory (shared by api/ and eval/).

`LiveRetriever` keeps a server current while `imr ingest` swaps in new snapshots: each request
gets one whole Retriever (old or new, never a mix), and a changed `current` link is loaded in the
background, then swapped in with one assignment.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from index.store import VectorStore, current_snapshot
from rag.embedding import Embedder, load_embedder
from rag.retrieval import Retriever

log = logging.getLogger(__name__)


def open_retriever(
    index_dir: Path,
    model_name: str,
    mode: str = "hybrid",
    embedder: Embedder | None = None,
    threads: int | None = 1,
) -> Retriever:
    """Load the index at `index_dir`, refusing one built with another model than `model_name`.

    `threads` caps torch's threads for query encoding (1: best under concurrent requests).
    """
    store = VectorStore.load(index_dir)
    store.manifest.check_compatible(model_name, None)
    embedder = embedder or load_embedder(model_name, threads=threads)
    store.manifest.check_compatible(embedder.name, embedder.dimension)
    return Retriever(store, embedder, mode=mode)


class LiveRetriever:
    """The current Retriever for an index directory, reloaded when a new snapshot is swapped in."""

    def __init__(
        self, index_dir: Path, model_name: str, mode: str = "hybrid", check_every: float = 2.0
    ) -> None:
        self.index_dir = Path(index_dir)
        self.model_name = model_name
        self.mode = mode
        self.check_every = check_every
        self._current = open_retriever(self.index_dir, model_name, mode)
        self._snapshot = self._current.store.snapshot
        self._checked = time.monotonic()
        self._reloading = threading.Lock()

    def get(self) -> Retriever:
        """The live Retriever; starts a background reload if the snapshot changed."""
        now = time.monotonic()
        if now - self._checked >= self.check_every:
            self._checked = now
            self._maybe_reload()
        return self._current

    def reload_now(self) -> bool:
        """Load the live snapshot synchronously if it changed. Returns whether it swapped."""
        with self._reloading:
            return self._load_if_changed()

    def _maybe_reload(self) -> None:
        if not self._reloading.acquire(blocking=False):
            return  # a reload is already running
        thread = threading.Thread(target=self._reload_and_release, daemon=True)
        thread.start()

    def _reload_and_release(self) -> None:
        try:
            self._load_if_changed()
        except Exception:  # a broken new snapshot must not take the server down
            log.exception("reloading %s failed; still serving %s", self.index_dir, self._snapshot)
        finally:
            self._reloading.release()

    def _load_if_changed(self) -> bool:
        snapshot = current_snapshot(self.index_dir)
        if snapshot == self._snapshot:
            return False
        store = VectorStore.load(self.index_dir)
        store.manifest.check_compatible(self.model_name, self._current.embedder.dimension)
        fresh = Retriever(store, self._current.embedder, mode=self.mode)
        self._current, self._snapshot = fresh, fresh.store.snapshot  # the swap readers see
        log.info("now serving %s", fresh.store.snapshot)
        return True
