"""Decision facts and reasons: deterministic facts from decision lines, reasons quoted verbatim
from the right side, measured on the frozen labels, and re-derived without re-embedding."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from eval.facts import evaluate_facts, load_fact_labels
from rag.config import HASHING_MODEL, IndexConfig
from rag.embedding import HashingEmbedder
from rag.engine import Engine
from rag.facts import days_of, extract_facts, per_week_of, question_drugs
from rag.ingest import ingest
from rag.reasons import ReasonExtractor, split_sentences, taxonomy
from rag.records import Item, Letter, Outcome

from .conftest import SAMPLES


def _item(name: str, original: str | None = None, **changes: object) -> Item:
    return Item(
        letter_id="X",
        index=1,
        name=name,
        outcome=Outcome.UPHELD,
        claims_administrator_guideline="",
        maximus_guideline="",
        rationale="The request is not medically necessary.",
        original_request=original,
        authorized_portion="part of it" if original else None,
        **changes,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Norco 10/325mg #120", ("medication", "oral", ("acetaminophen", "hydrocodone"), 120)),
        ("Neurontin 600mg #90 with 2 refills", ("medication", "oral", ("gabapentin",), 90)),
        ("Lidoderm 5% patch #30", ("medication", "patch", ("lidocaine",), 30)),
        ("Hydrocodone-APAP 10/325mg #60", ("medication", "oral", ("acetaminophen", "hydrocodone"), 60)),  # noqa: E501
        ("Flurbiprofen 20%/Lidocaine 5% cream", ("medication", "topical", ("flurbiprofen", "lidocaine"), None)),  # noqa: E501
        ("Lidocaine injection to the right knee", ("injection", None, (), None)),
        ("Physical therapy 2 times a week for 6 weeks", ("physical_therapy", None, (), 12)),
        ("Acupuncture 1 to 2 times per week for 4 weeks", ("acupuncture", None, (), 8)),
        ("Twelve chiropractic visits", ("chiropractic", None, (), 12)),
        ("EMG/NCV of the bilateral lower extremities", ("electrodiagnostic", None, (), None)),
        ("Associated surgical service: Cold therapy unit", ("dme", None, (), None)),
        ("Pre-op labs: PT/PTT", ("lab", None, (), None)),
        # a drug given as a shot is a medication (eval/FACTS.md), a vitamin named by its number
        ("Vitamin B-12 1000mcg IM injection #4", ("medication", "injectable", ("cyanocobalamin",), 4)),  # noqa: E501
        ("B12 injections x 6", ("medication", "injectable", ("cyanocobalamin",), 6)),
        ("Toradol 60mg IM injection", ("medication", "injectable", ("ketorolac",), None)),
        ("Trigger point injections with lidocaine", ("injection", None, (), None)),
        ("Vitamin D3 2000 IU #90", ("medication", "other", ("cholecalciferol",), 90)),
        # a device's new part, not a joint's replacement
        ("Replacement TENS unit electrodes x 2 packs", ("dme", None, (), 2)),
        ("Total knee replacement with cold therapy unit", ("surgery", None, (), None)),
    ],
)  # fmt: skip
def test_facts_name_the_category_form_ingredients_and_quantity(name: str, expected) -> None:
    facts = extract_facts(_item(name))
    assert (facts.category, facts.form, facts.ingredients, facts.quantity) == expected


def test_regions_brands_classes_and_refills() -> None:
    mri = extract_facts(_item("MRI of the cervical and thoracic spine"))
    assert (mri.region, mri.regions, mri.treatment) == ("multiple", ("cervical", "thoracic"), "MRI")
    knee = extract_facts(_item("Left knee MRI without contrast"))
    assert (knee.region, knee.regions) == ("knee", ("knee",))
    # a bone's head is its joint's, no head ("radial head fracture" was read as the head)
    for name, region in (
        ("ORIF of the right radial head", "elbow"),
        ("MRI of the left femoral head", "hip"),
        ("Humeral head resurfacing", "shoulder"),
        ("Metatarsal head injection", "ankle_foot"),
        ("CT of the head", "head"),
    ):
        assert extract_facts(_item(name)).regions == (region,), name
    assert extract_facts(_item("Norco 10/325mg #120")).drug_class == "opioid"
    compound = extract_facts(_item("Gabapentin 10%, Cyclobenzaprine 6% in cream base"))
    assert (compound.drug_class, compound.form) == ("compounded", "topical")
    refills = extract_facts(_item("Ibuprofen 600mg #90 with 2 refills"))
    assert (refills.quantity, refills.refills, refills.drug_class) == (90, 2, "nsaid")
    unknown = extract_facts(_item("Zorbatrex 25mg #30"))
    assert unknown.unresolved == ("zorbatrex",), "a drug no vocabulary knows is kept, not dropped"


def test_drugs_joined_by_a_slash_hyphen_or_with_are_one_product() -> None:
    """Acetaminophen joined to another drug ("oxycodone/acetaminophen", "hydrocodone-APAP",
    "Tylenol with codeine") is one product's part, named by the joined words (the answer counts
    the items holding all of them); named apart ("Norco or Tylenol") each is its own."""
    for question, asked in (
        ("Has IMR ever approved Percocet (oxycodone/acetaminophen)?", {
            ("oxycodone", "percocet"),
            ("acetaminophen+oxycodone", "percocet"),  # the brand's whole product
            ("oxycodone", "oxycodone/acetaminophen"),
            ("acetaminophen", "oxycodone/acetaminophen"),
        }),
        ("Is hydrocodone-acetaminophen approved?", {
            ("hydrocodone", "hydrocodone-acetaminophen"),
            ("acetaminophen", "hydrocodone-acetaminophen"),
        }),
        ("Is Tylenol with codeine approved?", {
            ("acetaminophen", "tylenol with codeine"), ("codeine", "tylenol with codeine"),
        }),
        ("Is Tylenol #3 approved?", {  # the product by its strength's number
            ("acetaminophen", "tylenol with codeine"), ("codeine", "tylenol with codeine"),
        }),
        ("APAP/caffeine/dihydrocodeine capsules", {  # a part the dictionary lacks alone
            ("acetaminophen", "apap/caffeine/dihydrocodeine"),
            ("dihydrocodeine", "apap/caffeine/dihydrocodeine"),
        }),
        ("Is Norco or Tylenol approved?", {
            ("hydrocodone", "norco"), ("acetaminophen+hydrocodone", "norco"),
            ("acetaminophen", "tylenol"),
        }),
        ("Are anti-inflammatory drugs approved?", set()),  # a hyphen in no drug's name
    ):  # fmt: skip
        assert {(value, words) for _, value, words in question_drugs(question)} == asked, question


@pytest.mark.parametrize(
    ("line", "days"),
    [
        ("Associated surgical service: Cold compression therapy 30 day rental", 30),
        ("Standard wheelchair for a 3 month rental", 90),
        ("Vascutherm unit, 14 days rental", 14),
        ("One month supply of Trezix capsule", 30),
        ("Oxycodone HCL ER 20mg #60 day supply: 30", 30),
        ("Acute inpatient rehabilitation 7-10 days", 10),
        ("Physical therapy 2 times a week for 6 weeks", 42),
        ("Norco 10/325mg, 1 tablet every 4-6 hours", None),
        ("Hospital bed for an unspecified rental", None),
    ],
)
def test_days_of_a_rental_supply_or_course(line: str, days: int | None) -> None:
    assert days_of(line) == days


@pytest.mark.parametrize(
    ("line", "per_week"),
    [
        ("Physical therapy 3 times a week for 4 weeks", 3),
        ("PT/OT two to three times a week for six to eight weeks (24 sessions)", 3),
        ("Twelve sessions of therapy, three times weekly, for the elbow", 3),
        ("Physical therapy additional 3 visits per week for 2 weeks", 3),
        ("Chiropractic referral, twice a week for 3 weeks", 2),
        ("Acupuncture one time a week for six weeks", 1),
        ("Chiro 3x/week", 3),
        ("Acupuncture 2 per week for 4 weeks", 2),
        ("Chiro 3/wk", 3),
        ("PT 2x6 for the knee", 2),
        ("Cold therapy unit for one week", None),
        ("Physical therapy 12 sessions for 6 weeks", None),
    ],
)
def test_visits_a_week_a_request_asks(line: str, per_week: int | None) -> None:
    assert per_week_of(line) == per_week


def test_a_partial_decision_takes_what_its_line_lacks_from_the_original_request() -> None:
    facts = extract_facts(_item("the remaining 6 sessions", "Physical therapy 12 sessions, knee"))
    assert (facts.category, facts.region, facts.quantity) == ("physical_therapy", "knee", 6)


def test_reasons_quote_a_sentence_of_their_own_side_verbatim() -> None:
    rationale = (
        "Guidelines support opioids when function improves. In this case, there is no "
        "documentation of objective functional improvement from the ongoing use of Norco. "
        "There is no urine drug screen on file. The request is not medically necessary."
    )
    upheld = replace(_item("Norco 10/325mg #120"), rationale=rationale)
    extractor = ReasonExtractor(HashingEmbedder())  # patterns only: no meaning to compare
    found = extractor.annotate([_letter(upheld)])[0].items[0].reasons
    codes = [r.code for r in found]
    assert codes[:1] == ["no_functional_improvement"]
    assert all(r.sentence in split_sentences(rationale) for r in found)
    assert all(taxonomy()[r.code].side == Outcome.UPHELD for r in found)
    assert "not medically necessary" not in found[0].sentence  # the reason, not the verdict
    overturned = replace(upheld, outcome=Outcome.OVERTURNED)
    other_side = extractor.annotate([_letter(overturned)])[0].items[0].reasons
    assert all(taxonomy()[r.code].side == Outcome.OVERTURNED for r in other_side)


@pytest.mark.parametrize(
    "sentence",
    [
        "Here the opioid is not indicated as 1st line therapy for chronic back pain.",
        "The notes hold no mention of Tylenol, an NSAID or a tricyclic before the opioid.",
    ],
)
def test_a_first_line_trial_missing_in_the_letters_shorthand(sentence: str) -> None:
    item = replace(_item("Norco 10/325mg #60"), rationale=f"{sentence} The request is denied.")
    reasons = ReasonExtractor(HashingEmbedder()).annotate([_letter(item)])[0].items[0].reasons
    assert "no_first_line_trial" in {r.code for r in reasons}


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        # "notes", "noted", "Norco": words beginning "no", no negation (each was the reason)
        (
            "Per the notes sent for review, the trial of physical therapy and first-line "
            "medication failed.",
            "no_first_line_trial",
        ),
        (
            "Norco was continued and the worker reports functional improvement.",
            "no_functional_improvement",
        ),
    ],
)
def test_a_word_beginning_no_is_no_negation(sentence: str, code: str) -> None:
    item = replace(_item("Norco 10/325mg #60"), rationale=f"{sentence} The request is denied.")
    reasons = ReasonExtractor(HashingEmbedder()).annotate([_letter(item)])[0].items[0].reasons
    assert code not in {r.code for r in reasons}, reasons


def test_a_verdict_tied_to_another_decision_is_its_reason_and_four_reasons_are_kept() -> None:
    rationale = (
        "There is no documentation of objective functional improvement from its use. "
        "There is no evidence of a failed trial of first-line therapy. "
        "There is no urine drug screen on file. "
        "Given that the ibuprofen was determined to be not medically necessary, the request for "
        "omeprazole is also not medically necessary."
    )
    item = replace(_item("Omeprazole 20mg #60"), rationale=rationale)
    reasons = ReasonExtractor(HashingEmbedder()).annotate([_letter(item)])[0].items[0].reasons
    assert {r.code for r in reasons} == {
        "no_functional_improvement", "no_first_line_trial", "no_risk_monitoring",
        "depends_on_noncertified",
    }  # fmt: skip
    tied = next(r for r in reasons if r.code == "depends_on_noncertified")
    assert tied.sentence.startswith("Given that the ibuprofen") and tied.score >= 1.0


def test_a_reason_stated_before_the_verdict_drawn_from_it_counts() -> None:
    """ "The worker has only minor deficits left, and as the visits would go past the limit, the
    request is not medically necessary": the why before the verdict's own clause states the
    reason (the verdict formula took it below the threshold, so the item had none). A sentence
    after a quotation's closing mark is a sentence of its own."""
    rationale = (
        'The guideline states "therapy should fade to a home program." The worker has only '
        "minimal deficits left, and the number of visits would be more than the guideline "
        "allows, so the request at this time is not medically necessary."
    )
    item = replace(_item("Physical therapy 12 sessions"), rationale=rationale)
    reasons = ReasonExtractor(HashingEmbedder()).annotate([_letter(item)])[0].items[0].reasons
    assert {"no_objective_findings", "exceeds_guideline_limits"} <= {r.code for r in reasons}
    assert split_sentences(rationale)[0].endswith('home program."')


@pytest.mark.parametrize(
    ("rationale", "code"),
    [
        # the verdict drawn after "therefore" with no comma before it (the formula took the
        # sentence below the threshold)
        (
            "No special factors call for 12 further supervised visits, a number that would exceed "
            "what the MTUS recommends for this diagnosis therefore this request is not "
            "medically necessary.",
            "exceeds_guideline_limits",
        ),
        # the request as first made, named so
        (
            "Some more therapy may help, but the originally requested eight extra sessions are "
            "in excess of the guidelines.",
            "exceeds_guideline_limits",
        ),
        # sessions said not to have helped
        (
            "In this case, the claimant attended 6 sessions of therapy which were not beneficial. "
            "The request is denied.",
            "no_functional_improvement",
        ),
        # "not for longer than", and the worker said to be on it long term
        (
            "The drug is not recommended for longer than three weeks. This worker has been on "
            "long term therapy with it.",
            "not_recommended_long_term",
        ),
    ],
)
def test_reasons_said_as_the_letters_say_them(rationale: str, code: str) -> None:
    item = replace(_item("Physical therapy 12 sessions"), rationale=rationale)
    reasons = ReasonExtractor(HashingEmbedder()).annotate([_letter(item)])[0].items[0].reasons
    assert code in {r.code for r in reasons}, reasons


def test_the_guidelines_own_not_recommended_is_the_reason_but_not_its_conditions() -> None:
    def codes(rationale: str) -> set[str]:
        item = replace(_item("Cyclobenzaprine 5% cream"), rationale=rationale)
        found = ReasonExtractor(HashingEmbedder()).annotate([_letter(item)])[0].items[0].reasons
        return {r.code for r in found}

    # a guideline quote states this reason; the verdict formula at its end takes nothing from it
    assert "not_recommended_treatment" in codes("Topical muscle relaxants are not recommended.")
    assert "not_recommended_treatment" in codes("The guidelines do not recommend infrared lasers.")
    # a condition on the rule is not a treatment the guideline rejects outright
    for conditional in (
        "The guidelines do not recommend compound drugs as a first line therapy.",
        "A TENS unit is not recommended as a primary treatment modality, but a trial may be "
        "considered.",
        "Cyclobenzaprine is not recommended longer than 2-3 weeks.",
    ):
        assert "not_recommended_treatment" not in codes(conditional), conditional
    assert "not_recommended_long_term" in codes(
        "This medication is not indicated for long term use."
    )
    assert "no_indication" not in codes("This medication is not indicated for long term use.")
    assert "no_indication" in codes("There were no cervical spine/neck complaints.")
    assert "insufficient_documentation" in codes(
        "There is a lack of evidence based rationale provided by the physician for this request."
    )
    # what the records leave unexplained, however far the "not apparent" comes after it
    for unexplained in (
        "The rationale as to why the worker would need a second anti-inflammatory drug on top of "
        "the first is not apparent.",
        "There was a lack of documentation indicating how the brace would help the worker.",
    ):
        assert "insufficient_documentation" in codes(unexplained), unexplained
    # first-line or conservative care the records do not report tried
    for untried in (
        "The treating physician does not document failure of primary treatment with Tylenol.",
        "The records do not report further conservative care of at least one month.",
    ):
        assert "no_first_line_trial" in codes(untried), untried
    # no red flags, after a list of what would have been one
    assert "no_red_flags" in codes(
        "There is no documented sign of tissue injury, nerve root compromise, or other red flags."
    )


def test_only_codes_measured_good_enough_are_shown() -> None:
    shown = {code for code, r in taxonomy().items() if r.shown}
    assert shown == {"no_red_flags", "depends_on_noncertified"}  # rag/data/reasons.toml says why
    rationale = "The surgery was not certified, therefore the post-operative therapy is not needed."
    item = replace(_item("Post-operative physical therapy x 12"), rationale=rationale)
    reasons = ReasonExtractor(HashingEmbedder()).annotate([_letter(item)])[0].items[0].reasons
    assert [(r.code, r.shown) for r in reasons][:1] == [("depends_on_noncertified", True)]
    assert replace(item, reasons=reasons).shown_reasons == reasons[:1]


def test_other_annotation_versions_are_re_derived_without_embedding(tmp_path: Path) -> None:
    ingest([SAMPLES], tmp_path, HashingEmbedder())
    old = Engine(tmp_path, IndexConfig(model=HASHING_MODEL, annotations="facts0"))
    with pytest.raises(Exception, match="re-derive facts and reasons"):
        old.view()

    class Counting(HashingEmbedder):
        chunks = 0

        def embed(self, texts, progress=None):
            Counting.chunks += len(texts)
            return super().embed(texts, progress)

    stale = replace(IndexConfig(model=HASHING_MODEL), annotations="facts0-reasons0-fields0")
    ingest([SAMPLES / "sample-001.txt"], tmp_path / "two", HashingEmbedder(), stale)
    report = ingest([], tmp_path / "two", Counting(), IndexConfig(model=HASHING_MODEL))
    assert report.rederived == 1 and Counting.chunks == 0
    letter = Engine(tmp_path / "two", IndexConfig(model=HASHING_MODEL)).letter("SX00-0000001")
    assert letter.items[0].facts.category == "medication"


@pytest.mark.slow
def test_facts_meet_their_targets_on_the_frozen_test_half(real_engine) -> None:
    report = evaluate_facts(real_engine, load_fact_labels())
    accuracy = report["test"]["accuracy"]
    assert report["test"]["items"] == 91 and report["tune"]["items"] == 179
    for field in ("category", "region", "form", "ingredients"):
        assert accuracy[field] >= 0.97, (field, accuracy[field])  # measured 0.978-1.000
    for code, row in report["test"]["reasons"].items():
        if row["shown"] and row["given"]:
            assert row["precision"] >= 0.85, (code, row)
    counts = report["corpus"]
    assert sum(counts["category"].values()) == 450 and sum(counts["region"].values()) == 450


def _letter(item: Item) -> Letter:
    return Letter("X", None, None, None, None, (), None, None, "", (item,))


@pytest.mark.slow
def test_a_sentence_only_near_a_reasons_examples_is_weighed_against_the_labels(real_engine) -> None:
    """A sentence that only resembles a code's examples (MiniLM cosine) states it from 0.66 on:
    at 0.62 "no documentation of any objective focal neurologic deficits" (a seed letter's
    epidural) was no functional improvement, and so were 31 tuning items where 22 were right.
    On the tuning half the labelled codes now hold up better (micro precision 0.77 -> 0.82)."""
    items = {i.id: i for letter in real_engine.view().corpus.letters() for i in letter.items}
    epidural = items["file-003_e57c482dd8f76b11#1"]
    assert "no_functional_improvement" not in {r.code for r in epidural.reasons}
    assert "no_objective_findings" in {r.code for r in epidural.reasons}  # what it says
    micro = evaluate_facts(real_engine, load_fact_labels())["tune"]["reasons_micro"]
    assert micro["precision"] >= 0.80 and micro["recall"] >= 0.80, micro  # 0.77 / 0.84 at 0.62
