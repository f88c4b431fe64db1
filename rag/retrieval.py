"""Hybrid retrieval: BM25 (words + concepts) and dense FAISS search, fused per item.

Each side ranks chunks; chunks collapse to their item (best chunk wins), and the two item rankings
are fused by reciprocal rank fusion (RRF, k=60). Filters are applied inside both searches (a row
mask for BM25, an ID selector for FAISS), never after truncation. Everything before the last
step works on positions in memory-mapped arrays; only the `k` items returned are read from disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag import fields
from rag.citations import SOURCES
from rag.config import Mode
from rag.corpus import Corpus
from rag.embedding import Embedder
from rag.errors import EmptyQueryError, InvalidFilterError
from rag.facts import class_of, kindred_classes
from rag.history import asks_repeat_study
from rag.intent import asks_overturned, asks_partial, cases_named, without_cases
from rag.matching import (
    column_mask,
    drug_classes_mask,
    history_mask,
    identity_masks,
    mentioning,
    region_told,
    treatment_mask,
)
from rag.negation import negations
from rag.reasons import FOLLOWED, side_of, taxonomy
from rag.records import Hit, Outcome
from rag.rerank import Candidate, rerank_candidates
from rag.tokens import RRF_K, clean_query, concept_token, lexical_tokens, words
from rag.understanding import NAMING_FACETS, Question, ranked_whole, respell, understand
from rag.vocabulary import conditions_named, treatments_named

RERANK_DEPTH = 50  # hybrid candidates handed to the whole-item re-ranker
PEER_LEVEL = 1.0  # facts-match level of a drug named's class peers (the drug itself: 1 or 2;
# 0.75 measured lower on the tuning half once the peers are candidates, and more would rank a
# peer above the drug asked)


def _drug_classes() -> tuple[str, ...]:
    from rag.facts import drug_classes

    return drug_classes()


def _shown_reasons() -> tuple[str, ...]:
    return tuple(code for code, r in taxonomy().items() if r.shown)


# The fact filters and their allowed values (an empty tuple: any value, e.g. ingredients).
_CHOICES = {
    fields.CATEGORY: lambda: CATEGORIES,
    fields.REGION: lambda: REGIONS,
    fields.FORM: lambda: FORMS,
    fields.DRUG_CLASS: _drug_classes,
    fields.INGREDIENT: lambda: (),
    fields.REASON: _shown_reasons,
}


CATEGORIES = (
    "medication", "imaging", "electrodiagnostic", "physical_therapy", "chiropractic",
    "acupuncture", "injection", "surgery", "dme", "lab", "consultation", "program", "home_care",
    "psychological", "other",
)  # fmt: skip
REGIONS = (
    "cervical", "thoracic", "lumbar", "shoulder", "elbow", "wrist_hand", "hip", "knee",
    "ankle_foot", "upper_extremities", "lower_extremities", "head",
)  # fmt: skip
FORMS = ("oral", "topical", "patch", "injectable", "other")
# Facet counts per field, over every item matching a query: the fields a user narrows by.
FACETS = (fields.OUTCOME, fields.CATEGORY, fields.REGION, fields.DRUG_CLASS, fields.REASON)


@dataclass(frozen=True)
class Filters:
    """Filters applied inside retrieval. Values are validated on construction.

    The fact filters take several values (any of them matches); all filters must hold.
    """

    outcome: str | None = None  # upheld | overturned (any case)
    source: str | None = None  # MTUS | ODG | ACOEM | OTHER
    section: str | None = None  # MTUS section, case-insensitive substring
    specialty: str | None = None  # reviewer specialty, case-insensitive substring
    year: int | None = None  # decision year
    treatment: str | None = None  # words or concepts of the disputed item
    category: tuple[str, ...] = ()  # decision facts (rag.facts): CATEGORIES
    region: tuple[str, ...] = ()  # REGIONS
    form: tuple[str, ...] = ()  # FORMS
    drug_class: tuple[str, ...] = ()  # rag/data/treatments.toml [classes]
    ingredient: tuple[str, ...] = ()  # generic names, e.g. gabapentin
    reason: tuple[str, ...] = ()  # reason codes shown to users (rag/data/reasons.toml)
    partial: bool | None = None  # only partial decisions (True) or only whole ones (False)

    def __post_init__(self) -> None:
        if self.outcome is not None:
            normal = self.outcome.strip().capitalize()
            if normal not in {o.value for o in Outcome}:
                raise InvalidFilterError("outcome", self.outcome, "upheld or overturned")
            object.__setattr__(self, "outcome", normal)
        if self.source is not None:
            normal = self.source.strip().upper()
            if normal not in SOURCES:
                raise InvalidFilterError("source", self.source, "one of " + ", ".join(SOURCES))
            object.__setattr__(self, "source", normal)
        if self.year is not None and not 1990 <= int(self.year) <= 2100:
            raise InvalidFilterError("year", self.year, "a decision year such as 2016")
        for name in ("section", "specialty", "treatment"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                object.__setattr__(self, name, None)
        for name, allowed in _CHOICES.items():
            values = tuple(v.strip().lower() for v in getattr(self, name) if v and v.strip())
            wrong = [v for v in values if allowed() and v not in allowed()]
            if wrong:
                raise InvalidFilterError(name, wrong[0], "one of " + ", ".join(allowed()))
            object.__setattr__(self, name, values)

    @property
    def active(self) -> bool:
        return any(v not in (None, ()) for v in vars(self).values())


class Retriever:
    """Searches one loaded snapshot; holds nothing per chunk or item in memory."""

    def __init__(
        self, corpus: Corpus, embedder: Embedder, mode: Mode = Mode.HYBRID, rerank: bool = True
    ) -> None:
        self.corpus = corpus
        self.store = corpus.store
        self.embedder = embedder
        self.mode = Mode(mode)
        self.rerank = rerank

    def __len__(self) -> int:
        return len(self.store)

    def name_word_counts(self) -> dict[str, int]:
        """In how many items' names each word of 4+ letters appears (singular)."""
        column = self.store.column(fields.NAME_WORD)
        return {column.values[c]: int(n) for c, n in enumerate(column.counts()) if n}

    def indexed(self, word: str) -> bool:
        """Whether an indexed text holds `word` as the index reads it ("e-stim": e, stim; a
        plural counts when its singular is held)."""
        tokens = [t for t in lexical_tokens(word) if not t.startswith("~")]
        return not tokens or any(len(self.store.term_ids([t, t.removesuffix("s")])) for t in tokens)

    def holds(self, word: str) -> bool:
        """Whether `word` is spelled right as far as we can tell: an indexed letter holds it,
        or the embedding model's tokenizer knows it whole (an everyday word: "shoots" is no slip
        of "shots")."""
        return self.indexed(word) or self.embedder.count_tokens(word) == 1

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: Mode | None = None,
        per_letter: bool = False,
        rerank: bool | None = None,
        within: np.ndarray | None = None,
        vector: np.ndarray | None = None,
        reading: Question | None = None,
    ) -> list[Hit]:
        """The top `k` items (or letters, with `per_letter`) for `query`.

        In hybrid mode the top RERANK_DEPTH items are re-ranked as whole items (`rag.rerank`)
        unless `rerank` (default: the Retriever's setting) is False. `within` (a mask over
        items) restricts the search to those items, inside both searches like the filters.
        `vector` is the query's embedding when the caller already has it (`query_vector`);
        `reading`, the query as `understand(query, held=self.holds)` reads it (`imr ask` has it).
        """
        if cases := cases_named(query):  # "CM17-0012582": that letter's decisions only,
            # ranked by the rest of the query, in the letter's order when it says nothing else
            letters = self.cases_mask(cases)
            within = letters if within is None else within & letters
            query = without_cases(query)
        query = self._prepared(query)
        if not query and not cases:
            raise EmptyQueryError("query has no letter or digit to search for")
        mode = Mode(mode or self.mode)
        items = self.allowed_items(filters) if filters and filters.active else None
        if within is not None:
            items = within if items is None else items & within
        if not query and items is not None:  # a case number alone: its letter, in order
            return self._hits(self._in_order(items)[:k])
        allowed = None if items is None else np.flatnonzero(items[self.store.row_records])
        depth = max(200, k * 20)
        rankings: list[list[tuple[int, float]]] = []
        if mode in (Mode.HYBRID, Mode.BM25):
            rankings.append(self._bm25_rank(query, depth, allowed))
        if mode in (Mode.HYBRID, Mode.DENSE):
            rankings.append(self._dense_rank(query, depth, allowed, vector))
        found = self._fuse(rankings) if mode == Mode.HYBRID else self._best_per_item(rankings[0])
        if mode == Mode.HYBRID and (self.rerank if rerank is None else rerank):
            candidates = found[: max(k, RERANK_DEPTH)]
            question = understand(query, treatment_only=True)  # read once, used twice
            states = conditions_named(query, question.values("treatment"))
            reading = reading or understand(query, held=self.holds)
            reasons = _stated_reasons(reading)  # "the guidelines don't recommend it"
            candidates += self._requesting(question, states, candidates, items, reasons)
            records = np.array([c.item for c in candidates], np.int64)
            matches = self.treatment_matches(query, records, question)
            if (had := history_mask(self.store, question, records)) is not None:  # "after
                # failed PT": the letters reporting it, a level
                matches = had + (0.0 if matches is None else matches)
            if (
                matches is not None
                and (undone := self._not_done(query, question, records)) is not None
            ):
                # what the query says was not done ("a scan, but no plain x-rays were done
                # first") is not what it asks for, even where its category is
                matches = np.where(undone, 0.0, matches)
            found = rerank_candidates(self.store, query, candidates, matches, reasons, states)
        if per_letter:
            found = self._one_per_letter(found, k)
        return self._hits(found[:k])

    def cases_mask(self, cases: Sequence[str]) -> np.ndarray:
        """A mask over items: those of the letters `cases` names by case number, or the items
        it names ("CM17-0012582#2"); none for a case the index does not hold."""
        keys: list[str] = []
        for case in cases:
            letter = self.corpus.letter(case.partition("#")[0])
            if letter is not None:
                keys += [i.id for i in letter.items if "#" not in case or i.id == case]
        mask = np.zeros(self.store.records, dtype=bool)
        mask[list(self.store.record_positions(keys).values())] = True
        return mask

    def _in_order(self, items: np.ndarray) -> list[Candidate]:
        """The items `items` marks, in index order (a letter's in its own), each with its
        first row and a score of 1."""
        positions = np.flatnonzero(items)
        rows = np.flatnonzero(np.isin(self.store.row_records, positions))
        first: dict[int, int] = {}
        for row in rows:
            first.setdefault(int(self.store.row_records[row]), int(row))
        return [Candidate(int(p), first[int(p)], 1.0) for p in positions if int(p) in first]

    def allowed_rows(self, filters: Filters) -> np.ndarray:
        """Row ids whose item passes every filter."""
        return np.flatnonzero(self.allowed_items(filters)[self.store.row_records])

    def allowed_items(self, filters: Filters) -> np.ndarray:
        """A mask over items: those passing every filter."""
        store = self.store
        mask = np.ones(store.records, dtype=bool)

        def keep(column: str, test: object) -> None:
            nonlocal mask
            values = store.column(column)
            mask &= values.mask(values.codes_where(test))  # type: ignore[arg-type]

        if filters.outcome:
            keep(fields.OUTCOME, lambda v: v == filters.outcome)
        if filters.year:
            keep(fields.YEAR, lambda v: v == str(int(filters.year)))
        if filters.source:
            keep(fields.SOURCE, lambda v: v == filters.source)
        if filters.section:
            keep(fields.SECTION, lambda v: filters.section.lower() in v.lower())
        if filters.specialty:
            keep(fields.SPECIALTY, lambda v: filters.specialty.lower() in v.lower())
        if filters.treatment:
            mask &= self._treatment_mask(filters.treatment)
        for name in _CHOICES:
            if wanted := getattr(filters, name):
                keep(name, lambda v, wanted=wanted: v in wanted)
        if filters.partial is not None:
            keep(fields.PARTIAL, lambda v: v == ("yes" if filters.partial else "no"))
        return mask

    def matching_items(self, query: str, filters: Filters | None = None) -> np.ndarray:
        """A mask over items: those passing `filters` that share a word or concept with
        `query` (every item passing them, when the query holds no word the corpus knows)."""
        mask = self.allowed_items(filters) if filters and filters.active else None
        tokens = lexical_tokens(query)
        scores = self.store.lexical_scores(tokens) if tokens else None
        if scores is not None and (scores > 0).any():
            matched = np.zeros(self.store.records, dtype=bool)
            matched[self.store.row_records[scores > 0]] = True
            mask = matched if mask is None else mask & matched
        return np.ones(self.store.records, dtype=bool) if mask is None else mask

    def reasons_by_outcome(self, items: np.ndarray) -> dict[str, dict[str, int]]:
        """For the items `items` marks: how often each shown reason code decided them, per
        outcome ("Upheld": {"no_functional_improvement": 6, ...}, "Overturned": {...})."""
        outcome, reasons = self.store.column(fields.OUTCOME), self.store.column(fields.REASON)
        shown = {code for code, r in taxonomy().items() if r.shown}
        out: dict[str, dict[str, int]] = {}
        for side in Outcome:
            mask = items & outcome.mask(outcome.codes_where(lambda v, side=side: v == side))
            counts = reasons.counts(mask)
            found = {
                reasons.values[c]: int(n)
                for c, n in enumerate(counts)
                if n and reasons.values[c] in shown
            }
            out[side.value] = dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))
        return out

    def facets(self, items: np.ndarray) -> dict[str, dict[str, int]]:
        """Counts per value of each facet field over the items `items` marks (a mask)."""
        out: dict[str, dict[str, int]] = {}
        shown = {code for code, r in taxonomy().items() if r.shown}
        for name in FACETS:
            column = self.store.column(name)
            counts = column.counts(items)
            values = {
                column.values[code]: int(n)
                for code, n in enumerate(counts)
                if n and (name != fields.REASON or column.values[code] in shown)
            }
            out[name] = dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))
        return out

    def _treatment_mask(self, treatment: str) -> np.ndarray:
        """Items naming every word of `treatment`, or a concept it names."""
        concepts = self.store.column(fields.CONCEPT)
        wanted = set(treatments_named(treatment))
        by_concept = concepts.mask(concepts.codes_where(lambda v: v in wanted))
        needed = words(treatment)
        if not needed:
            return by_concept
        names = self.store.column(fields.WORD)
        by_words = np.ones(self.store.records, dtype=bool)
        for word in needed:
            by_words &= names.mask(names.codes_where(lambda v, w=word: w in v))
        return by_words | by_concept

    def _bm25_rank(
        self, query: str, depth: int, allowed: np.ndarray | None
    ) -> list[tuple[int, float]]:
        tokens = lexical_tokens(query)
        if not tokens or not len(self.store):
            return []
        scores = self.store.lexical_scores(tokens).astype(np.float32)
        if allowed is not None:
            masked = np.full_like(scores, -np.inf)
            masked[allowed] = scores[allowed]
            scores = masked
        return [(int(r), float(scores[r])) for r in top_positive_rows(scores, depth)]

    def _requesting(
        self,
        question: Question,
        named: list[str],
        candidates: list[Candidate],
        allowed: np.ndarray | None,
        reasons: tuple[str, ...] = (),
    ) -> list[Candidate]:
        """Items outside `candidates` that request the treatment `question` names with its
        identity (a class's members, a region's MRIs). While too many, narrowed in this order:
        to the kind of request it asks for (partly certified, repeating an earlier study), read
        from how it is put ("a partial approval to taper" asks for the partial decisions, not
        every letter quoting the tapering rule); when it names no treatment or one too broad to
        take whole ("a scan"), to those whose text holds every reason or state it names in a
        concept's words (`named`: "the order didn't say how many"; "no plain x-rays first");
        then to the overturned ones when it seeks them, an outcome sought, not a kind ("ever
        found necessary after the fact" is about the retrospective reviews, upheld ones too);
        last, to those decided on a decisive reason it states (`reasons`: "medication denied -
        no neuropathic pain documented" names over a hundred medications).
        When at most RERANK_DEPTH items remain, they join whatever their text scored: a short
        item line ("Dicopanol (unknown quantity)") in a long letter."""
        treatment, found, used = self._requested(question, None)  # found: with its identity
        if treatment is None and not named:
            return []
        if used == ("ingredient",):  # "Chlorzoxazone 750mg #45": its class peers, the nearest
            classes = peer_classes(question.values("ingredient"))
            if (peers := found | drug_classes_mask(self.store, classes)).sum() <= RERANK_DEPTH:
                found = peers
        if treatment is None:
            found = np.ones(self.store.records, bool)
        if allowed is not None:
            found &= allowed
        for asks, column, value in (  # too many: those of the kind the query asks for
            (asks_partial, fields.PARTIAL, "yes"),  # "UR approved fewer tablets than prescribed"
            (asks_repeat_study, fields.PRIOR, "yes"),  # "a repeat scan when one was done recently"
        ):
            if found.sum() > RERANK_DEPTH and asks(question.text):
                found &= column_mask(self.store, column, {value})
        if treatment is None or (found.sum() > RERANK_DEPTH and named):
            # no treatment, or a broad one ("a scan"): the items holding the states named
            # ("when no plain x-rays were done first")
            for concept in named:
                found &= mentioning(self.store, [concept_token(concept)], (fields.WHOLE,))
        if found.sum() > RERANK_DEPTH and asks_overturned(question.text):  # "ever reversed"
            found &= column_mask(self.store, fields.OUTCOME, {Outcome.OVERTURNED.value})
        if found.sum() > RERANK_DEPTH and reasons:  # still too many: those decided on a reason
            # stated ("medication denied - no neuropathic pain documented"), last, so it adds
            # items only where none would have been
            found &= column_mask(self.store, fields.REASON, set(reasons))
        if found.sum() > RERANK_DEPTH:  # a broad treatment or state: the text decides which
            return []
        found[[c.item for c in candidates]] = False
        rows = np.flatnonzero(found[self.store.row_records])  # their chunks, in row order
        items, first = np.unique(self.store.row_records[rows], return_index=True)
        return [Candidate(int(i), int(rows[f]), 0.0) for i, f in zip(items, first, strict=True)]

    def _not_done(self, query: str, question: Question, records: np.ndarray) -> np.ndarray | None:
        """Per item of `records`: whether it requests a treatment `query` names only inside a
        negation ("no plain x-rays were done first", "hadn't finished his PT") and none it asks
        for; None when the query says no such thing."""
        negated = " ".join(phrase for phrase, _ in negations(query))
        if not negated:
            return None
        asked = {f.value for f in question.facets if f.name in NAMING_FACETS}
        # nor what it asks for is the form or category: "isn't recommended, so the whole
        # compound fails" of a compounded cream (topical)
        missing = set(treatments_named(negated)) - asked
        missing -= {*question.values("form"), *question.values("category")}
        if not missing:
            return None
        lacking = column_mask(self.store, fields.CONCEPT, missing, records)
        return lacking & ~column_mask(self.store, fields.CONCEPT, asked, records)

    def _requested(
        self, question: Question, records: np.ndarray | None
    ) -> tuple[np.ndarray | None, np.ndarray, tuple[str, ...]]:
        """Over `records` (None: every item): the items of the treatment `question` names,
        those that are it with its identity (region, form, member, specialist), and the facets
        that named it; (None, _, _) when it names none."""
        question = ranked_whole(question)
        treatment, used = treatment_mask(self.store, question, records)
        if treatment is None:
            return None, np.zeros(0, bool), used
        exact = treatment.copy()
        for name, mask in identity_masks(self.store, question, used, records).items():
            if name != "structure":  # ranked, the region's other operations stay as near
                # (measured lower on the tuning half: SLAP repairs above rotator cuff ones)
                exact &= mask
        return treatment, exact, used

    def treatment_matches(
        self, query: str, records: np.ndarray, question: Question | None = None
    ) -> np.ndarray | None:
        """Per item of `records` (positions): 2 when it requests the treatment `query` names
        with the region or form asked, 1 the treatment alone, 0 neither; plus 1 for the drug
        itself when the query names a drug beside its class, and PEER_LEVEL for the other drugs
        of a drug's class when it names the drug alone. None when the query names no treatment.
        Only `records` are read, so the cost does not grow with the corpus. `question`: the
        query as `understand(query, treatment_only=True)` reads it, when the caller has it."""
        question = question or understand(query, treatment_only=True)
        treatment, exact, used = self._requested(question, records)
        if treatment is None:
            return None
        level = treatment.astype(float) + exact
        if (told := region_told(self.store, question, records)) is not None:
            level += treatment & ~exact & told  # "Spinal manipulation" in a low-back letter
        drugs = question.values("ingredient")
        if "drug_class" in used and drugs:
            # "Lodine or a similar anti-inflammatory": the drug named outranks its class peers
            level += column_mask(self.store, fields.INGREDIENT, drugs, records)
        elif used == ("ingredient",):
            # "Pamelor": the other antidepressants are the nearest precedents, PEER_LEVEL
            peers = drug_classes_mask(self.store, peer_classes(drugs), records)
            level += PEER_LEVEL * (peers & ~treatment)
        return level

    def query_vector(self, query: str) -> np.ndarray:
        """The query's embedding, for several searches of one query (`search(vector=...)`): of
        the query as `search` prepares it, so both embed the same text."""
        return self.embedder.embed([self._prepared(query)])

    def _prepared(self, query: str) -> str:
        """`query` cleaned, with a slip of a known word read as that word ("acupunture neck":
        acupuncture)."""
        query = clean_query(query)
        return respell(query, self.holds)[0] if query else query

    def _dense_rank(
        self, query: str, depth: int, allowed: np.ndarray | None, vector: np.ndarray | None
    ) -> list[tuple[int, float]]:
        if not len(self.store):
            return []
        if vector is None:
            vector = self.embedder.embed([query])
        scores, rows = self.store.search(vector, depth, allowed=allowed)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def _best_per_item(self, ranking: Sequence[tuple[int, float]]) -> list[Candidate]:
        """Each item once, at its best chunk's place."""
        rows = np.fromiter((row for row, _ in ranking), np.int64, len(ranking))
        items = self.store.row_records[rows].tolist()  # one lookup, not one per row
        seen: dict[int, Candidate] = {}
        for item, (row, score) in zip(items, ranking, strict=True):
            if item not in seen:
                seen[item] = Candidate(item, row, score)
        return list(seen.values())

    def _fuse(self, rankings: Sequence[Sequence[tuple[int, float]]]) -> list[Candidate]:
        fused: dict[int, float] = {}
        best: dict[int, tuple[float, int]] = {}
        for ranking in rankings:
            for rank, candidate in enumerate(self._best_per_item(ranking)):
                contribution = 1.0 / (RRF_K + rank + 1)
                fused[candidate.item] = fused.get(candidate.item, 0.0) + contribution
                if contribution > best.get(candidate.item, (0.0, -1))[0]:
                    best[candidate.item] = (contribution, candidate.row)
        order = sorted(fused, key=lambda item: -fused[item])
        return [Candidate(item, best[item][1], fused[item]) for item in order]

    def _one_per_letter(self, found: list[Candidate], k: int) -> list[Candidate]:
        """The best item of each letter, in score order, reading letters only as needed."""
        kept: list[Candidate] = []
        letters: set[str] = set()
        for start in range(0, len(found), 4 * k):
            block = found[start : start + 4 * k]
            for candidate, item in zip(
                block, self.corpus.items_at([c.item for c in block]), strict=True
            ):
                if item.letter_id not in letters:
                    letters.add(item.letter_id)
                    kept.append(candidate)
            if len(kept) >= k:
                break
        return kept

    def _hits(self, found: Sequence[Candidate]) -> list[Hit]:
        items = self.corpus.items_at([c.item for c in found])
        passages = self.corpus.passages([c.row for c in found])
        return [
            Hit(item, c.score, passage)
            for c, item, passage in zip(found, items, passages, strict=True)
        ]


def top_positive_rows(scores: np.ndarray, depth: int) -> np.ndarray:
    """The rows of the `depth` highest positive scores, best first, ties in row order: what a
    stable argsort of the whole array gives, without sorting all of it (at 1M chunks the full
    sort was most of a BM25 query's time)."""
    positive = np.flatnonzero(scores > 0)  # rows sharing a word with the query: few
    if len(positive) > depth:
        cut = np.argpartition(scores[positive], len(positive) - depth)[len(positive) - depth]
        positive = positive[scores[positive] >= scores[positive[cut]]]  # ties at the cut stay
    return positive[np.argsort(-scores[positive], kind="stable")][:depth]


def _stated_reasons(question: Question) -> tuple[str, ...]:
    """The reason codes `question` states, less those that only restate a treatment it says was
    had ("an MRI after failed physical therapy": the history level ranks those letters already)."""
    had = [f.words.lower() for f in question.facets if f.name == "history"]
    stated = tuple(
        f.value
        for f in question.facets
        if f.name == "condition"
        and not any(h in f.words.lower() for h in had)
        and not (question.wants_overturned and side_of(f.value) == Outcome.UPHELD)
    )
    # another decision of the letter, with its outcome ("if the shoulder scope was denied"): the
    # items decided by following it
    followed = tuple(FOLLOWED[o] for o in question.values("alongside_outcome") if o in FOLLOWED)
    return tuple(dict.fromkeys((*stated, *followed)))


def peer_classes(drugs: Sequence[str]) -> set[str]:
    """The classes of `drugs` and those standing in for them ("famotidine": the H2 blockers and
    the PPIs), whose items are a drug's nearest precedents after its own."""
    classes = {class_of(d) for d in drugs} - {None}
    return classes | {kin for c in classes for kin in kindred_classes(c)}
