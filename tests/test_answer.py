"""`ask` answers only from real decisions: tallies, citations and verbatim evidence."""

from __future__ import annotations

from rag.answer import understand


def _rationale(engine, item_id: str) -> str:
    return engine.view().corpus.item(item_id).rationale


def test_question_understanding_finds_treatment_and_outcome_intent() -> None:
    q = understand("was chronic Norco without functional documentation upheld?")
    assert q.treatments == ("hydrocodone",) and q.asks_outcome
    q = understand("what do reviewers require before approving an epidural steroid injection?")
    assert "esi" in q.treatments


def test_norco_question_is_answered_from_norco_precedents_upheld_majority(real_engine) -> None:
    answer = real_engine.ask("was chronic Norco without functional documentation upheld?")
    assert answer.sufficient_evidence is True
    items = [p.item.name.lower() for p in answer.precedents]
    assert items and all("norco" in i or "hydrocodone" in i for i in items)
    counts = answer.outcome_counts
    assert counts["Upheld"] > counts["Overturned"]
    assert sum(counts.values()) == len(items)
    assert f"Upheld in {counts['Upheld']} of {len(items)}" in answer.text
    assert 2 <= len(answer.evidence) <= 5
    for quote in answer.evidence:
        assert quote.sentence in _rationale(real_engine, quote.item_id), "verbatim"
    assert answer.citations and answer.citations[0].count >= 1


def test_treatment_absent_from_the_corpus_is_said_plainly(real_engine) -> None:
    answer = real_engine.ask("Was hyperbaric oxygen therapy ever approved?")
    assert answer.sufficient_evidence is False
    assert answer.precedents == ()
    assert "No decision" in answer.text


def test_class_question_collects_every_member_of_the_class(real_engine) -> None:
    answer = real_engine.ask("are muscle relaxants approved for back spasm?")
    relaxants = (
        "flexeril",
        "cyclobenzaprine",
        "baclofen",
        "tizanidine",
        "zanaflex",
        "methocarbamol",
        "norflex",
        "orphenadrine",
        "soma",
        "carisoprodol",
    )
    assert answer.precedents
    assert all(any(r in p.item.name.lower() for r in relaxants) for p in answer.precedents)
