"""Synthetic IMR letters for scale tests, built from our own templates and vocabulary
(`eval/data/synth_vocabulary.json`).

Nothing here is copied from the real letters in ../shared. Every letter opens with MARKER and has
an SY case number (SY00-0000001 ...), so a synthetic letter can never pass for a real decision.
Letter `i` of seed `s` is the same text whatever corpus size is asked for, so a 500-letter corpus
is the first 500 letters of a 2,000-letter one.
"""

from __future__ import annotations

import json
import random
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

from rag.chunking import chunk_letters, make_splitter
from rag.citations import parse_citation
from rag.records import Chunk, Item, Letter, Outcome

VOCABULARY = Path(__file__).parent / "data" / "synth_vocabulary.json"
MARKER = "SYNTHETIC LETTER - generated for scale tests; not a real decision."
WIDTH = 96
# Chunks of about 150 words overlapping by 24: close to the 200-token splitter's, counted in
# words rather than model tokens, so a million chunks take minutes rather than hours.
CHUNK_WORDS, OVERLAP_WORDS = 150, 24


@dataclass(frozen=True)
class Family:
    """A kind of disputed treatment: how it is named, cited, justified and refused."""

    names: tuple[str, ...]  # str.format templates over the letter's values
    citations: tuple[str, ...]  # the guideline citation, as the MAXIMUS line gives it
    criteria: tuple[str, ...]  # what the guideline asks for
    against: tuple[str, ...]  # facts of the case that fail the criteria
    supports: tuple[str, ...]  # facts of the case that meet them


@dataclass(frozen=True)
class Vocabulary:
    upheld_share: float  # about the share in the published decisions
    families: tuple[Family, ...]
    generic: tuple[str, ...]  # sentences any rationale may add
    regions: dict[str, tuple[str, str, tuple[str, ...]]]  # region: (MTUS, ODG chapter, diagnoses)
    specialties: tuple[str, ...]
    states: tuple[str, ...]
    jobs: tuple[str, ...]
    mechanisms: tuple[str, ...]
    treatments: tuple[str, ...]
    sides: tuple[str, ...]


@cache
def vocabulary() -> Vocabulary:
    data = json.loads(VOCABULARY.read_text(encoding="utf-8"))
    families = tuple(
        Family(*(tuple(f[k]) for k in ("names", "citations", "criteria", "against", "supports")))
        for f in data["families"]
    )
    regions = {
        name: (r["mtus_chapter"], r["odg_chapter"], tuple(r["diagnoses"]))
        for name, r in data["regions"].items()
    }
    lists = ("generic", "specialties", "states", "jobs", "mechanisms", "treatments", "sides")
    return Vocabulary(
        data["upheld_share"], families, regions=regions, **{k: tuple(data[k]) for k in lists}
    )


@lru_cache(maxsize=4096)
def _citation(text: str) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    found = parse_citation(text)
    return found.sources, found.mtus_sections, found.pages


def synth_letter(index: int, seed: int = 0) -> Letter:
    """Letter `index` (1-based) of the synthetic corpus `seed`, as the parser should read it."""
    vocab = vocabulary()
    rng = random.Random(f"imr-synth:{seed}:{index}")
    decided = date(2014, 1, 1) + timedelta(days=rng.randrange(365 * 10))
    injury = decided - timedelta(days=rng.randrange(200, 365 * 8))
    ur = decided - timedelta(days=rng.randrange(30, 90))
    region = rng.choice(tuple(vocab.regions))
    chapter, odg, diagnoses = vocab.regions[region]
    side = rng.choice(vocab.sides)
    age, sex = rng.randrange(22, 68), rng.choice(("male", "female"))
    values = {
        "region": region if region.endswith("spine") else f"{side.lower()} {region}",
        "chapter": chapter,
        "odg": odg,
        "side": side,
        "side_lower": side.lower(),
        "dx": rng.choice(diagnoses),
        "age": age,
        "injury": _us(injury),
        "ur": _us(ur),
        "year_before": injury.year,
        "cp_year": rng.choice(("2009", "2016")),
        "work": rng.choice(("full duty", "modified duty", "no hours", "part time")),
    }
    letter_id = f"SY{seed % 100:02d}-{index:07d}"
    items = tuple(_item(letter_id, n, rng, values, decided) for n in range(1, 1 + _item_count(rng)))
    summary = _summary(rng, values, age, sex, injury, ur, items)
    specialty = rng.choice(vocab.specialties)
    items = tuple(
        replace(i, decision_date=decided.isoformat(), reviewer_specialty=specialty) for i in items
    )
    return Letter(
        letter_id=letter_id,
        case_number=letter_id,
        date_of_injury=injury.isoformat(),
        decision_date=decided.isoformat(),
        reviewer_specialty=specialty,
        reviewer_licensure=tuple(rng.sample(vocab.states, rng.randrange(1, 4))),
        patient_age=age,
        patient_sex=sex,
        case_summary=summary,
        items=items,
    )


def _item_count(rng: random.Random) -> int:
    return min(8, 1 + int(rng.expovariate(1 / 1.75)))  # mean about 2.3 items per letter


def _item(letter_id: str, n: int, rng: random.Random, values: dict, decided: date) -> Item:
    vocab = vocabulary()
    family = rng.choice(vocab.families)
    day = decided - timedelta(days=rng.randrange(20, 190))  # after the injury (200+ days back)
    values = {
        **values,
        "date": _us(day),
        "date2": _us(day + timedelta(days=rng.randrange(7, 90))),
        "qty": rng.choice((30, 60, 90, 120, 180)),
        "q30": rng.choice((30, 60)),
        "pain": rng.randrange(2, 8),
        "pain_off": rng.randrange(6, 11),
        "months": rng.randrange(2, 40),
        "weeks": rng.randrange(2, 16),
        "weeks_short": rng.randrange(1, 5),
        "minutes": rng.randrange(10, 60),
        "mme": rng.randrange(40, 240, 5),
        "creatinine": f"{rng.uniform(1.2, 2.4):.1f}",
        "strength": rng.choice((3, 4)),
        "visits": rng.choice((6, 8, 12, 18, 24)),
        "prior": rng.randrange(6, 40),
        "lift": rng.randrange(5, 20),
        "lift2": rng.randrange(20, 50),
        "disc": rng.choice(("4-L5", "5-S1", "3-L4")),
        "cdisc": rng.choice(("5-C6", "6-C7")),
        "relief": rng.randrange(10, 45),
        "hours": rng.randrange(2, 9),
        "frp": rng.choice((80, 160)),
        "loss": rng.randrange(10, 60),
    }
    item = rng.choice(family.names).format_map(values)
    citation = rng.choice(family.citations).format_map(values)
    outcome = Outcome.UPHELD if rng.random() < vocab.upheld_share else Outcome.OVERTURNED
    facts = family.against if outcome is Outcome.UPHELD else family.supports
    said = rng.sample(family.criteria, rng.randrange(1, len(family.criteria) + 1))
    said += rng.sample(facts, rng.randrange(1, len(facts) + 1))
    said += rng.sample(vocab.generic, min(len(vocab.generic), int(rng.expovariate(1 / 3))))
    verdict = (
        "is not medically necessary" if outcome is Outcome.UPHELD else "is medically necessary"
    )
    said.append(f"{rng.choice(('', 'The request for '))}{item} {verdict}.")
    original = authorized = None
    if "{visits}" in family.names[0] and rng.random() < 0.15:  # a partial decision
        original = item.replace(str(values["visits"]), str(values["visits"] * 2), 1)
        authorized = item
    sources, sections, pages = _citation(citation)
    return Item(
        letter_id=letter_id,
        index=n,
        name=item,
        outcome=outcome,
        claims_administrator_guideline=citation,
        maximus_guideline=citation,
        rationale=" ".join(s.format_map(values) for s in said),
        original_request=original,
        authorized_portion=authorized,
        guideline_sources=sources,
        mtus_sections=sections,
        pages=pages,
    )


def _summary(
    rng: random.Random,
    values: dict[str, object],
    age: int,
    sex: str,
    injury: date,
    ur: date,
    items: tuple[Item, ...],
) -> str:
    vocab = vocabulary()
    asked = ", ".join(d.original_request or d.name for d in items)
    tried = "{}, {} and {}".format(*rng.sample(vocab.treatments, 3))
    return " ".join(
        (
            f"The injured worker is a {age} year old {sex} {rng.choice(vocab.jobs)} who "
            f"sustained an industrial injury on {_us(injury)} while "
            f"{rng.choice(vocab.mechanisms)}.",
            f"The diagnoses include {values['dx']} of the {values['region']}.",
            f"Treatment to date has included {tried}.",
            f"On the latest visit pain in the {values['region']} was rated {rng.randrange(3, 10)} "
            f"out of 10 and the worker was working {values['work']}.",
            f"The request for authorization asked for {asked}.",
            f"On {_us(ur)}, utilization review non-certified the request.",
        )
    )


def _us(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def render_letter(det: Letter) -> str:
    """The letter's text, laid out as the published letters are (and as the parser reads them)."""

    def wrap(text: str) -> str:
        return textwrap.fill(text, WIDTH, break_long_words=False, break_on_hyphens=False)

    def us(iso: str) -> str:
        return _us(date.fromisoformat(iso))

    decided = date.fromisoformat(det.decision_date)
    parts = [
        MARKER,
        f"Case Number: {det.case_number}",
        f"Date Assigned: {_us(decided - timedelta(days=40))} Date of Injury:  "
        f"{us(det.date_of_injury)}",
        f"Decision Date: {_us(decided)} UR Denial Date:  {_us(decided - timedelta(days=60))}",
        "Priority:  Standard Application\nReceived:\n" + _us(decided - timedelta(days=50)),
        "",
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        wrap(
            "This synthetic letter imitates the layout of an IMR final determination. An "
            "imaginary independent reviewer with no tie to any party read an imaginary case "
            "file; every name, date and finding below was drawn at random for testing."
        ),
        "",
        "The Expert Reviewer has the following credentials:",
        f"State(s) of Licensure: {', '.join(det.reviewer_licensure)}",
        f"Certification(s)/Specialty: {det.reviewer_specialty}",
        "",
        "CLINICAL CASE SUMMARY",
        "The expert reviewer developed the following clinical case summary based on a review "
        "of the case\nfile, including all medical records:",
        "",
        wrap(det.case_summary),
        "",
        "IMR ISSUES, DECISIONS AND RATIONALES",
        "The Final Determination was based on decisions for the disputed items/services set "
        "forth below:",
    ]
    for d in det.items:
        line = f"{d.name}: {d.outcome}"
        if d.original_request:
            line = (
                f"{d.original_request} was the original request. {d.authorized_portion} was "
                "authorized by the Claims Administrator. The remaining IMR eligible portion "
                f"of the original request, {d.name} is: {d.outcome}"
            )
        parts += [
            "",
            wrap(line),
            "",
            wrap(f"Claims Administrator guideline: {d.claims_administrator_guideline}"),
            "",
            wrap(f"MAXIMUS guideline: {d.maximus_guideline}"),
            "",
            wrap(f"Decision rationale: {d.rationale}"),
        ]
    return "\n".join(parts) + "\n"


def write_corpus(out_dir: Path, count: int, seed: int = 0) -> list[Path]:
    """Write letters 1..`count` as `<case number>.txt` under `out_dir`; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(1, count + 1):
        det = synth_letter(index, seed)
        path = out_dir / f"{det.letter_id}.txt"
        path.write_text(render_letter(det), encoding="utf-8")
        paths.append(path)
    return paths


def _count_words(text: str) -> int:
    return len(text.split())


def letter_chunks(letter: Letter) -> list[Chunk]:
    """The letter's chunks, cut by `rag.chunking` with lengths counted in words."""
    return chunk_letters([letter], make_splitter(CHUNK_WORDS, OVERLAP_WORDS, _count_words))


def iter_chunks(count: int, seed: int = 0, start: int = 1) -> Iterator[Chunk]:
    """The first `count` chunks of letters `start`, `start + 1`, ...: no files, no parsing.

    Another `seed` gives a disjoint set of letters (held-out queries for a benchmark).
    """
    index = start
    while count > 0:
        for chunk in letter_chunks(synth_letter(index, seed)):
            yield chunk
            count -= 1
            if count == 0:
                return
        index += 1
