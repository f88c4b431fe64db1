"""Golden tests for ``rag.parsing``: field values pinned by hand from reading the letters.

Every expectation below was written from a human reading of the letter text (the ``.txt``
files, checked against the ``.pdf`` page layout), not from parser output. These tests are
the spec: if the parser disagrees, the parser is wrong unless a comment here flags the
reading as a judgement call.

The expectations live in ``tests/data/golden_letters.json``. No letter text is kept there: a
short field (fewer than 8 words: an item name, a date, a section name) is stored as written, a
longer one as the sha1 of its lowercase words (``{"sha1": ...}``), and the case summary and each
rationale as the sha1 of their first and last few words (``{"first": n, "sha1": ...}``).

Judgement calls (the letter text itself allows more than one reading):

* ``mtus_sections`` splits a "Section(s): ..." list on commas, but keeps MTUS section
  names that themselves contain a comma in one piece, as a reader of the MTUS would:
  "Opioids, criteria for use", "TENS, chronic pain (...)", "Topical analgesics, compounded",
  "NSAIDs, GI symptoms & cardiovascular risk", "NSAIDs, hypertension and renal function",
  "NSAIDs, specific drug list & adverse effects", "Benzodiazepine dependence, maintenance",
  and the Postsurgical Treatment section "Forearm, Wrist, & Hand" (the Claims
  Administrator line of CM17-0006912 cites that exact name on its own).
* Sections of every guideline named in one MAXIMUS line are collected in letter order
  ("... Section(s): Special Studies, and Chronic Pain ... Section(s): Electro-
  diagnostic testing (EMG/NCS)" -> both). A section name broken over a line with a
  hyphen ("Electro-" / "diagnostic") is re-joined to the real MTUS name.
* Old-style citations ("MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 76-80")
  give the topic before "Page(s)" as the section ("Opioids"; "Part 2, Muscle relaxants"
  -> "Muscle relaxants"); "MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303-305"
  names a whole chapter, not a section, so its section list is empty.
* ``pages`` only comes from an MTUS "Page(s): ..." citation; a "pg. 607" inside a
  Non-MTUS ACOEM citation is not an MTUS page reference (-> None).
* Partial decisions come in two wordings; both map to original_request / authorized_portion
  / item the same way, the text kept verbatim (articles and typos included):
    "X was the original request. Y was authorized by the Claims Administrator. The
     remaining IMR eligible portion of the original request, Z is: Upheld"
    "X was the original request. The Claims Administrator authorized Y, leaving the
     original request IMR eligible. The original request, Z is: Upheld"
* Header dates win over dates in the narrative (CM16-0239569, CM16-0248698 and
  CM16-0219557 give a different injury date in the summary). Typos in the letter are kept
  as written ("Sports Medicinea", "Trezix capsule 30.5/30/16mg").
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from rag.parsing import parse_file
from rag.records import dump_letter

SEEDS, TXT = "seeds", "txt"
ALL_SOURCES = {"ACOEM", "MTUS", "ODG", "OTHER"}
GOLDEN = Path(__file__).parent / "data" / "golden_letters.json"
LETTERS = json.loads(GOLDEN.read_text(encoding="utf-8"))
REAL = [s for s in LETTERS if s["source"] == TXT]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _sha1(words: list[str]) -> str:
    return hashlib.sha1(" ".join(words).encode()).hexdigest()[:16]


def matches(value: str | None, want: Any) -> bool:
    """Whether a parsed field equals its pinned expectation (verbatim, or by word hash)."""
    if not isinstance(want, dict) or value is None:
        return value == want
    words = _words(value)
    if "first" in want:
        words = words[: want["first"]]
    elif "last" in want:
        words = words[len(words) - want["last"] :]
    return _sha1(words) == want["sha1"]


CASES = [pytest.param(s, "txt", id=f"{s['name']}-txt") for s in LETTERS] + [
    pytest.param(s, "pdf", id=f"{s['name']}-pdf") for s in LETTERS if s["pdf"]
]


def _path(spec, fmt, seeds_dir: Path, letters_dir: Path) -> Path:
    if spec["source"] == SEEDS:
        return seeds_dir / f"{spec['name']}.txt"
    return letters_dir / fmt / f"{spec['name']}.{fmt}"


@cache
def _parse(path: Path) -> dict:
    return dump_letter(parse_file(path))


def _short(text, n=90):
    text = repr(text)
    return text if len(text) <= n else text[: n // 2] + " ... " + text[-n // 2 :]


# --------------------------------------------------------------------------- hand-checked letters


def test_golden_table_is_big_enough():
    """The spec covers every seed and at least 18 real letters, with pdf twins for some."""
    assert sum(s["source"] == SEEDS for s in LETTERS) == 5
    assert len(REAL) >= 18
    assert sum(s["pdf"] for s in LETTERS) >= 5
    assert len({s["name"] for s in LETTERS}) == len(LETTERS)


@pytest.mark.parametrize("spec, fmt", CASES)
def test_letter_header_fields_match_hand_reading(spec, fmt, seeds_dir, letters_dir):
    d = _parse(_path(spec, fmt, seeds_dir, letters_dir))
    fields = ("date_of_injury", "decision_date", "reviewer_specialty", "reviewer_licensure")
    fields += ("patient_age", "patient_sex")
    got = {k: d[k] for k in ("letter_id", "case_number", *fields)}
    real = spec["source"] == TXT
    want = {
        "letter_id": spec["name"] if real else f"file-{spec['name']}",
        "case_number": spec["name"] if real else None,
        **{k: spec[k] for k in fields},
    }
    assert got == want


@pytest.mark.parametrize("spec, fmt", CASES)
def test_case_summary_starts_and_ends_where_the_letter_does(spec, fmt, seeds_dir, letters_dir):
    summary = _parse(_path(spec, fmt, seeds_dir, letters_dir))["case_summary"]
    assert isinstance(summary, str)
    assert matches(summary, spec["summary_start"]), _short(summary)
    assert matches(summary, spec["summary_end"]), _short(summary)
    assert "IMR ISSUES" not in summary and "medical records:" not in summary[:60]


@pytest.mark.parametrize("spec, fmt", CASES)
def test_items_match_hand_reading(spec, fmt, seeds_dir, letters_dir):
    items = _parse(_path(spec, fmt, seeds_dir, letters_dir))["items"]
    assert len(items) == len(spec["items"]), "item count differs"
    exact = ("outcome", "guideline_sources", "mtus_sections", "pages")
    pinned = ("name", "original_request", "authorized_portion")
    optional = ("claims_administrator_guideline", "maximus_guideline")  # pinned for some items
    problems = []
    for n, (it, w) in enumerate(zip(items, spec["items"], strict=True), start=1):
        checks = [("index", it["index"] == n)]
        checks += [(field, it[field] == w[field]) for field in exact]
        checks += [(field, matches(it[field], w[field])) for field in pinned]
        checks += [(f, matches(it[f], w[f])) for f in optional if w[f] is not None]
        checks += [
            ("rationale start", matches(it["rationale"], w["rationale_start"])),
            ("rationale end", matches(it["rationale"], w["rationale_end"])),
        ]
        for label in ("Claims Administrator guideline:", "MAXIMUS guideline:"):
            checks.append((f"rationale leaks {label!r}", label not in it["rationale"]))
        checks.append(("rationale leaks a label", "Decision rationale:" not in it["rationale"]))
        problems += [f"item {n} ({it['name'][:40]!r}) {field}" for field, ok in checks if not ok]
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- whole corpus


@pytest.fixture(scope="session")
def corpus(seeds_dir, letters_dir):
    """Every letter parsed once: {"seeds"|"txt"|"pdf": {file stem: dict}}."""
    out = {}
    for key, folder, pattern in (
        ("seeds", seeds_dir, "*.txt"),
        ("txt", letters_dir / "txt", "*.txt"),
        ("pdf", letters_dir / "pdf", "*.pdf"),
    ):
        out[key] = {p.stem: _parse(p) for p in sorted(folder.glob(pattern))}
    return out


def _items(letters):
    return [it for d in letters for it in d["items"]]


def test_corpus_has_the_expected_files(corpus):
    assert len(corpus["seeds"]) == 5
    assert len(corpus["txt"]) == 194
    assert set(corpus["txt"]) == set(corpus["pdf"])


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_every_letter_gets_its_own_id(corpus, fmt):
    letters = list(corpus["seeds"].values()) + list(corpus[fmt].values())
    assert len({d["letter_id"] for d in letters}) == 199
    for stem, d in corpus[fmt].items():
        assert d["letter_id"] == stem and d["case_number"] == stem
    for stem, d in corpus["seeds"].items():
        assert d["letter_id"] == f"file-{stem}" and d["case_number"] is None


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_corpus_holds_450_items_49_overturned_47_partial(corpus, fmt):
    items = _items(list(corpus["seeds"].values()) + list(corpus[fmt].values()))
    assert len(items) == 450
    assert sum(it["outcome"] == "Overturned" for it in items) == 49
    partial = [it for it in items if it["original_request"] is not None]
    assert len(partial) == 47
    for it in items:
        # original request and authorized portion come together or not at all
        assert (it["original_request"] is None) == (it["authorized_portion"] is None), it["name"]
    for it in partial:
        assert it["original_request"].strip() and it["authorized_portion"].strip()
        assert "original request" not in it["name"] and "authorized" not in it["name"]


def test_every_item_has_outcome_item_and_rationale(corpus):
    for fmt in ("seeds", "txt", "pdf"):
        for stem, d in corpus[fmt].items():
            assert [it["index"] for it in d["items"]] == list(range(1, len(d["items"]) + 1)), stem
            assert d["items"], stem
            for it in d["items"]:
                assert it["outcome"] in {"Upheld", "Overturned"}, (stem, it["name"])
                assert it["name"] and it["name"].strip(), stem
                assert it["rationale"] and it["rationale"].strip(), (stem, it["name"])
                assert not re.search(r"(:|Upheld|Overturned)\s*$", it["name"]), (stem, it["name"])
                assert it["maximus_guideline"], (stem, it["name"])
                assert set(it["guideline_sources"]) <= ALL_SOURCES, (stem, it["guideline_sources"])
                assert it["guideline_sources"] == sorted(set(it["guideline_sources"])), stem


def test_txt_and_pdf_parses_list_the_same_items(corpus):
    differ = []
    for stem, t in corpus["txt"].items():
        p = corpus["pdf"][stem]
        if [(i["name"], i["outcome"]) for i in t["items"]] != [
            (i["name"], i["outcome"]) for i in p["items"]
        ]:
            differ.append(stem)
    assert not differ, f"{len(differ)} letters differ between txt and pdf: {differ[:10]}"


def test_text_fields_are_whitespace_normalised(corpus):
    def clean(s):
        return s is None or (isinstance(s, str) and s == " ".join(s.split()))

    for fmt in ("seeds", "txt", "pdf"):
        for stem, d in corpus[fmt].items():
            assert clean(d["case_summary"]) and d["case_summary"], stem
            assert clean(d["reviewer_specialty"]), stem
            for it in d["items"]:
                for field in (
                    "name",
                    "original_request",
                    "authorized_portion",
                    "rationale",
                    "claims_administrator_guideline",
                    "maximus_guideline",
                ):
                    assert clean(it[field]), (stem, field, _short(it[field]))


def test_every_letter_has_reviewer_and_patient_fields(corpus):
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    no_age = []
    for fmt in ("seeds", "txt", "pdf"):
        for stem, d in corpus[fmt].items():
            assert d["reviewer_specialty"], stem
            assert d["reviewer_licensure"] and all(
                s and s == s.strip() for s in d["reviewer_licensure"]
            ), stem
            assert d["patient_sex"] in {"male", "female"}, stem
            if d["patient_age"] is None:
                no_age.append(stem)
            else:
                assert isinstance(d["patient_age"], int) and 16 <= d["patient_age"] <= 90, stem
            if fmt == "seeds":
                assert d["date_of_injury"] is None and d["decision_date"] is None, stem
            else:
                assert iso.match(d["date_of_injury"] or "") and iso.match(
                    d["decision_date"] or ""
                ), stem
                assert d["date_of_injury"] < d["decision_date"], stem
    # The only letter that never states an age (it lists two birthdates instead), in both formats.
    assert no_age == ["CM16-0249170", "CM16-0249170"]


def test_parsed_letters_are_json_ready(corpus):
    for stem, d in list(corpus["txt"].items())[:20] + list(corpus["seeds"].items()):
        assert json.loads(json.dumps(d)) == d, stem
