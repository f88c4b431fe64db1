"""`ask` answers only from real decisions: tallies, citations and verbatim evidence."""

from __future__ import annotations

from rag.answer import answer_question, understand


def _rationale(retriever, item_id: str) -> str:
    doc_id, index = item_id.split("#")
    record = retriever.store.document(doc_id)["record"]
    return record["items"][int(index) - 1]["rationale"]


def test_question_understanding_finds_treatment_and_outcome_intent() -> None:
    q = understand("was chronic Norco without functional documentation upheld?")
    assert q.treatments == ("syn_hydrocodone",) and q.asks_outcome
    q = understand("what do reviewers require before approving an epidural steroid injection?")
    assert "syn_esi" in q.treatments


def test_norco_question_is_answered_from_norco_precedents_upheld_majority(real_retriever) -> None:
    answer = answer_question(
        real_retriever, "was chronic Norco without functional documentation upheld?"
    )
    data = answer.to_dict()
    assert data["sufficient_evidence"] is True
    items = [p["item"].lower() for p in data["precedents"]]
    assert items and all("norco" in i or "hydrocodone" in i for i in items)
    counts = data["outcome_counts"]
    assert counts["Upheld"] > counts["Overturned"]
    assert sum(counts.values()) == len(items)
    assert f"Upheld in {counts['Upheld']} of {len(items)}" in data["answer"]
    assert 2 <= len(data["evidence"]) <= 5
    for quote in data["evidence"]:
        assert quote["sentence"] in _rationale(real_retriever, quote["item_id"]), "verbatim"
    assert data["citations"] and data["citations"][0]["count"] >= 1


def test_treatment_absent_from_the_corpus_is_said_plainly(real_retriever) -> None:
    data = answer_question(real_retriever, "Was hyperbaric oxygen therapy ever approved?").to_dict()
    assert data["sufficient_evidence"] is False
    assert data["precedents"] == []
    assert "No decision" in data["answer"]


def test_class_question_collects_every_member_of_the_class(real_retriever) -> None:
    data = answer_question(
        real_retriever, "are muscle relaxants approved for back spasm?"
    ).to_dict()
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
    assert data["precedents"]
    assert all(any(r in p["item"].lower() for r in relaxants) for p in data["precedents"])
