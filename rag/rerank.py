"""Second-stage re-ranking of hybrid candidates by whole-item evidence (no cross-encoder needed).

The retriever scores chunks, so an item whose treatment and reason sit in different chunks of a long
rationale never gets credit for both. The re-ranker scores each candidate item as a whole: it fuses
(RRF, k=60) three rankings of the candidates (the hybrid order, BM25 over the item's whole text,
BM25 over its item name alone) and, when the query asks for overturned decisions or for a repeat
study, adds one first-place RRF share to items of that kind (a study whose letter reports an
earlier one, `rag.history`), two to partial decisions when it asks for the rest of partly
certified requests (the treatment's other items share its words and its level); when it says
something is absent ("no spasm on exam"), items whose rationale negates it gain half an RRF share
at their rank among them (BM25 over what each rationale negates, `rag.negation`); when it names a
reason or state in a concept's words ("exercises at home": the home exercise program), items
whose text holds that concept gain up to one share, by how strongly it holds it (BM25 against
the best candidate's); items citing a guideline section the query names ("sec 3.3.9", "the
physical methods section") gain half a share; items whose decisive reasons include one the query
states ("because the guidelines don't recommend it") gain three quarters of a share (half and a
whole measured lower on the tuning half; an earlier trial, before the reason rules were retuned on
179 items, lost). Items whose decision facts match the treatment the query names
(`Retriever.treatment_matches`: the drug, class, procedure or category, and its region or form)
gain one first-place share per level matched, so an item that requests the treatment outranks one
whose rationale only mentions it; a letter reporting a treatment the query says was already had
("shoulder MRI after failed PT", `rag.history`) adds a level (`Retriever.search`). Only the
candidates are scored, with corpus statistics computed at ingest (`index.terms`), so its cost does
not grow with the corpus. `imr eval` measures it on both halves (docs/BENCH.md, eval/README.md);
adding the facts match as a fourth RRF list instead, or sorting by it first, measured worse or the
same on the tuning half.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.store import VectorStore
from rag import fields
from rag.history import asks_repeat_study
from rag.intent import asks_overturned, asks_partial
from rag.matching import column_mask, sections_named
from rag.negation import absent_spans
from rag.records import Outcome
from rag.tokens import RRF_K, concept_token, lexical_tokens
from rag.vocabulary import conditions_named

ABSENT_SHARE = 0.5  # of an RRF list, for the items negating what the query says is absent
REASON_SHARE = 0.75  # for the items whose decisive reasons include one the query states
OFF_TREATMENT = 0.5  # share of the reason and state boosts for items not of the treatment named
SECTION_SHARE = 0.5  # for the items citing a guideline section the query names (1.0 and 0.75
# measured lower on the tuning half: "special studies" is a section of several chapters)
PARTIAL_SHARE = 2.0  # for partial decisions, when the query asks about UR's split (1.0 and 3.0
# measured lower on the tuning half)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An item found by retrieval: its record position, its best row (chunk) and its score."""

    item: int
    row: int
    score: float


def rerank_candidates(
    store: VectorStore,
    query: str,
    candidates: Sequence[Candidate],
    matches: np.ndarray | None = None,
    reasons: Sequence[str] = (),
    states: Sequence[str] | None = None,
) -> list[Candidate]:
    """`candidates` (hybrid order, best first, one per item) re-ordered as whole items.

    `matches` (per candidate: how many levels of the query's treatment it matches,
    `Retriever.treatment_matches`; None when the query names no treatment) ranks the items that
    request what the query asks above those whose rationale only mentions it. `reasons`: the
    decisive-reason codes the query states (`Retriever.search`: those `understand` reads, less a
    reason that only restates a treatment the query says was had). `states`: the reasons and
    states it names in the vocabulary's words (None: all `conditions_named` finds in it).
    Returns them with the re-ranker's fused score; ties keep the hybrid order.
    """
    if not candidates:
        return []
    positions = np.array([c.item for c in candidates], np.int64)
    level = matches if matches is not None else np.zeros(len(positions))
    tokens = lexical_tokens(query)
    whole_rank = _ranks(store.record_bm25(fields.WHOLE, positions, tokens))
    name_rank = _ranks(store.record_bm25(fields.NAME, positions, tokens))
    # what the query says is absent ("the chart never says how many visits were used"), matched
    # against what each rationale negates: a half share for those that negate it, by rank
    absent = lexical_tokens("; ".join(absent_spans(query)))
    negated = store.record_bm25(fields.ABSENT, positions, absent) if absent else None
    boosted = np.zeros(len(candidates))
    if negated is not None:
        ranks = np.array(_ranks(negated))
        boosted += np.where(negated > 0, ABSENT_SHARE * (RRF_K + 1) / (RRF_K + ranks + 1), 0.0)
    if asks_overturned(query):
        boosted += column_mask(store, fields.OUTCOME, {Outcome.OVERTURNED.value}, positions)
    if asks_partial(query):
        boosted += PARTIAL_SHARE * column_mask(store, fields.PARTIAL, {"yes"}, positions)
    if asks_repeat_study(query):  # "a repeat MRI"
        boosted += column_mask(store, fields.PRIOR, {"yes"}, positions)
    if cited := sections_named(store, query):  # "ACOEM low back physical methods section"
        boosted += SECTION_SHARE * column_mask(store, fields.SECTION, cited, positions)
    named = conditions_named(query) if states is None else states
    stated = np.zeros(len(candidates))
    if conditions := [concept_token(c) for c in named]:
        # a reason or state the query names ("carry on with exercises at home"): the items
        # whose text holds it, up to one share, by how strongly (BM25, the best candidate's
        # whole share; a share for any mention measured lower on the tuning half)
        held = store.record_bm25(fields.WHOLE, positions, conditions)
        stated += held / held.max() if held.max() > 0 else held
    if reasons:  # "because the guidelines don't recommend it": the items decided on it
        stated += REASON_SHARE * column_mask(store, fields.REASON, set(reasons), positions)
    if matches is not None:
        stated = np.where(level > 0, stated, OFF_TREATMENT * stated)
    boosted += stated
    scores = []
    for fused_rank in range(len(candidates)):
        score = sum(
            1.0 / (RRF_K + rank + 1)
            for rank in (fused_rank, whole_rank[fused_rank], name_rank[fused_rank])
        )
        # one first-place share per level matched and per intent the item has
        scores.append(score + (level[fused_rank] + boosted[fused_rank]) / (RRF_K + 1))
    order = sorted(range(len(candidates)), key=lambda i: -scores[i])  # stable
    return [Candidate(candidates[i].item, candidates[i].row, scores[i]) for i in order]


def _ranks(values: np.ndarray) -> list[int]:
    """0-based rank of each value, highest first; ties keep input order."""
    order = np.argsort(-np.asarray(values, dtype=float), kind="stable")
    ranks = np.empty(len(order), dtype=int)
    ranks[order] = np.arange(len(order))
    return ranks.tolist()
