"""`Engine`: the one object every delivery path (CLI, API, eval, bench) uses to reach an index.

    engine = Engine.from_settings(Settings.from_env())
    engine.ingest([Path("letters/")])                  # parse -> chunk -> embed -> snapshot
    hits = engine.search("Norco 10/325mg #120", k=10)  # Hit[] (one per disputed item)
    answer = engine.ask("Was Norco upheld?")           # Answer from indexed decisions only
    letter = engine.letter("CM16-0213037")             # Letter | None

An engine is one index directory and one `IndexConfig` (saved in the manifest, compared whole on
open). It loads the embedding model once, on first use. With `live=True` it checks every few
seconds whether `imr ingest` swapped in a new snapshot and loads it in the background; each call
works on one whole snapshot (`view()`), old or new, never a mix.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Literal

from index.store import current_snapshot
from rag.answer import answer_question, population_csv
from rag.config import IndexConfig, Mode, Settings
from rag.corpus import Corpus
from rag.embedding import Embedder, load_embedder
from rag.ingest import IngestReport, StartProgress, ingest
from rag.parsing import ParseLimits, parse_file
from rag.records import Answer, Hit, Letter
from rag.retrieval import Filters, Retriever
from rag.stats import CorpusStats, FilterChoices

log = logging.getLogger(__name__)
WARM_UP_QUESTION = "was Norco 10/325 #120 upheld for low back pain?"  # a drug, a region, an outcome

Executor = Literal["local", "ray"]


class Engine:
    def __init__(
        self,
        index_dir: Path,
        config: IndexConfig | None = None,
        *,
        mode: Mode = Mode.HYBRID,
        embedder: Embedder | None = None,
        batch_size: int = 16,
        threads: int | None = None,
        live: bool = False,
        check_every: float = 2.0,
        parse_limits: ParseLimits | None = None,
    ) -> None:
        """
        Args:
            index_dir: the index directory (created by the first ingest).
            config: what the index is (or will be) built with; default IndexConfig().
            mode: how `search` ranks by default.
            embedder: an embedder already loaded for `config.model` (tests, eval).
            batch_size: chunks per forward pass when ingesting.
            threads: torch threads for encoding (1 suits a server's concurrent queries).
            live: reload new snapshots in the background (the server).
            parse_limits: what one letter file may cost to read and parse when ingesting.
        """
        self.index_dir = Path(index_dir)
        self.config = config or IndexConfig()
        self.mode = Mode(mode)
        self.batch_size = batch_size
        self.threads = threads
        self.live = live
        self.check_every = check_every
        self.parse_limits = parse_limits or ParseLimits()
        if embedder is not None:
            self.__dict__["embedder"] = embedder  # the cached_property's slot
        self._view: Retriever | None = None
        self._checked = 0.0
        self._reloading = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, **options: object) -> Engine:
        """The engine the settings describe (index, model, chunking, mode, batch size)."""
        return cls(
            settings.index_dir,
            settings.index_config,
            mode=settings.retrieval_mode,
            batch_size=settings.batch_size,
            parse_limits=settings.parse_limits,
            **options,  # type: ignore[arg-type]
        )

    @cached_property
    def embedder(self) -> Embedder:
        return load_embedder(self.config.model, self.batch_size, threads=self.threads)

    # Reading -----------------------------------------------------------------------------------

    def view(self) -> Retriever:
        """The snapshot being served, loaded on first use; StoreNotFoundError when none exists."""
        if self._view is None:
            with self._reloading:
                if self._view is None:
                    self._view = self._open()
                    self._checked = time.monotonic()
        elif self.live and time.monotonic() - self._checked >= self.check_every:
            self._checked = time.monotonic()
            self._reload_in_background()
        return self._view

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: Mode | None = None,
        per_letter: bool = False,
        rerank: bool | None = None,
    ) -> list[Hit]:
        return self.view().search(
            query, k=k, filters=filters, mode=mode, per_letter=per_letter, rerank=rerank
        )

    def facets(self, query: str, filters: Filters | None = None) -> dict[str, dict[str, int]]:
        """Counts per outcome, category, region, drug class and reason over every item that
        matches `query` and `filters` (not only the top k)."""
        view = self.view()
        return view.facets(view.matching_items(query, filters))

    def reasons_by_outcome(self, filters: Filters) -> tuple[int, dict[str, dict[str, int]]]:
        """(how many items pass `filters`, their decisive reasons counted per outcome)."""
        view = self.view()
        items = view.allowed_items(filters)
        return int(items.sum()), view.reasons_by_outcome(items)

    def ask(self, question: str, k: int = 10) -> Answer:
        return answer_question(self.view(), question, k=k)

    def ask_csv(self, question: str, k: int = 10) -> tuple[Answer, str]:
        """The answer and its population as CSV (rag.answer.EXPORT_COLUMNS), from one snapshot."""
        view = self.view()
        answer = answer_question(view, question, k=k)
        return answer, population_csv(view.corpus, answer)

    def warm_up(self) -> None:
        """Pay a first query's one-off costs before serving: the model's first call and the drug
        dictionary the query reading loads (seconds), so no user's request waits for them."""
        self.ask(WARM_UP_QUESTION)

    def letter(self, letter_id: str) -> Letter | None:
        return self.view().corpus.letter(letter_id)

    def stats(self) -> CorpusStats:
        return self.view().corpus.stats

    def choices(self) -> FilterChoices:
        return self.view().corpus.choices

    def reload_now(self) -> bool:
        """Load the live snapshot now if it changed. Returns whether it swapped."""
        with self._reloading:
            return self._load_if_changed()

    # Writing -----------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[Path],
        *,
        executor: Executor = "local",
        rebuild: bool = False,
        progress: StartProgress | None = None,
        ray_address: str | None = None,
        wait: bool = False,
    ) -> IngestReport:
        """Add the letters at `paths` (files or folders) to the index; see `rag.ingest`.

        `executor="ray"` parses and embeds on a Ray cluster (`ray_address`, else a local one);
        it needs the `[ray]` extra. `progress(total)` counts letters either way. One ingest
        writes an index at a time: another one waits for it (`wait`) or is refused at once.
        """
        paths = list(paths)
        if executor == "ray":
            from rag.distributed import ingest_ray  # imports Ray: the [ray] extra

            report = ingest_ray(
                paths,
                self.index_dir,
                self.config,
                address=ray_address,
                rebuild=rebuild,
                progress=progress,
                parse=functools.partial(parse_file, limits=self.parse_limits),
                wait=wait,
            )
        else:
            report = ingest(
                paths,
                self.index_dir,
                self.embedder,
                self.config,
                rebuild=rebuild,
                progress=progress,
                limits=self.parse_limits,
                wait=wait,
            )
        if self._view is not None:
            self.reload_now()
        return report

    # Snapshots ---------------------------------------------------------------------------------

    def _open(self) -> Retriever:
        corpus = Corpus.load(self.index_dir, self.config)
        corpus.store.manifest.check_dimension(self.embedder.dimension)
        return Retriever(corpus, self.embedder, mode=self.mode)

    def _reload_in_background(self) -> None:
        if not self._reloading.acquire(blocking=False):
            return  # a reload is already running
        threading.Thread(target=self._reload_and_release, daemon=True).start()

    def _reload_and_release(self) -> None:
        try:
            self._load_if_changed()
        except Exception:  # a broken new snapshot must not take the server down
            log.exception(
                "reloading %s failed; still serving the previous snapshot", self.index_dir
            )
        finally:
            self._reloading.release()

    def _load_if_changed(self) -> bool:
        if (
            self._view is not None
            and current_snapshot(self.index_dir) == self._view.corpus.snapshot
        ):
            return False
        fresh = self._open()
        self._view = fresh  # the swap readers see: one assignment
        log.info("now serving %s", fresh.corpus.snapshot)
        return True
