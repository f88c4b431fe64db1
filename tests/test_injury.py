"""How the worker was injured: the mechanism a real letter's case summary states, and the one a
question asks about (rag.injury)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.injury import mechanism_asked, mechanisms_of
from rag.parsing import parse_file


@pytest.mark.parametrize(
    ("letter", "mechanisms"),
    [
        ("CM16-0230651", ["fall"]),  # "... detailed as a slip and fall"
        ("CM16-0239110", ["fall"]),  # slipped and fell, told outside a mechanism sentence
        ("CM17-0003284", ["lifting", "cumulative trauma"]),  # repetitive lifting
        ("CM16-0240518", ["fall", "struck"]),  # hit by an object, then fell
        ("CM17-0012582", ["struck"]),  # a motorcycle fell on his leg: no fall of the worker's
        ("CM17-0004133", ["vehicle accident"]),  # a forklift rollover
        ("CM16-0246487", ["assault"]),
        ("CM17-0012614", ["vehicle accident"]),  # low back pain "post MVA"
        ("CM17-0017776", ["vehicle accident"]),  # pain attributed to a motor vehicle accident
        ("CM17-0009883", ["struck"]),  # diagnosed as having a foot crush injury
        ("CM16-0249726", ["struck"]),  # had a crush injury
        ("CM16-0245466", []),  # straining to keep a patient from falling: no fall
        ("CM16-0236134", []),  # pain aggravated by lifting: a symptom, no mechanism
        ("CM16-0241231", []),  # a lifting limitation: a work restriction
        ("CM16-0238035", []),  # the mechanism "was not detailed"
    ],
)
def test_the_mechanism_is_read_from_the_sentence_telling_how_the_injury_happened(
    letters_dir: Path, letter: str, mechanisms: list[str]
) -> None:
    summary = parse_file(letters_dir / "txt" / f"{letter}.txt").case_summary
    assert mechanisms_of(summary) == mechanisms


def test_most_real_letters_stating_a_mechanism_have_it_read(letters_dir: Path) -> None:
    """58 of the 194 real letters' summaries give a mechanism the six kinds name; every kind
    occurs."""
    read = [mechanisms_of(parse_file(path).case_summary) for path in letters_dir.glob("txt/*.txt")]
    assert sum(bool(m) for m in read) >= 56
    assert {m for found in read for m in found} == {
        "fall", "lifting", "cumulative trauma", "vehicle accident", "struck", "assault"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("question", "mechanism", "kept"),
    [
        ("Was PT approved for a worker injured in a fall?", "fall",
         "Was PT approved for a worker?"),
        ("Lumbar MRI after a lifting injury: upheld?", "lifting", "Lumbar MRI: upheld?"),
        ("Were decisions for workers hurt lifting heavy boxes upheld?", "lifting",
         "Were decisions for workers upheld?"),
        ("What did IMR decide for repetitive strain injuries?", "cumulative trauma",
         "What did IMR decide?"),
        ("How often are car accident cases overturned?", "vehicle accident",
         "How often are cases overturned?"),
        ("Was surgery approved for a worker struck by a falling object?", "struck",
         "Was surgery approved for a worker?"),
        ("Was PT approved when the mechanism of injury was a fall?", "fall", "Was PT approved?"),
        ("Was an MRI approved for a worker who fell off a ladder?", "fall",
         "Was an MRI approved for a worker who?"),
        ("Were PT requests upheld for cumulative trauma claims?", "cumulative trauma",
         "Were PT requests upheld?"),
        ("Was a knee MRI approved after a fall in 2016?", "fall",
         "Was a knee MRI approved injured in 2016?"),  # (the year is the injury's: unread)
        ("guard dislocated his shoulder breaking up a fight, surgery denied", "assault",
         "guard dislocated his shoulder, surgery denied"),
        ("worker hurt in a fight at work, MRI approved?", "assault",
         "worker at work, MRI approved?"),
        ("MRI after MVC", "vehicle accident", "MRI"),
    ],
)  # fmt: skip
def test_a_question_names_the_mechanism_it_asks_about(
    question: str, mechanism: str, kept: str
) -> None:
    asked = mechanism_asked(question)
    assert asked is not None and asked[:2] == (kept, mechanism), asked


@pytest.mark.parametrize(
    "question",
    [
        "Does PT fall under the MTUS guidelines?",
        "Was a lumbar MRI approved for a worker with lifting restrictions?",
        "Was a repeat MRI approved?",
        "Was Ambien approved for a worker who could not fall asleep?",
        "Was a CT scan approved?",
        "Was PT approved for a worker who fell behind on therapy?",
        "Were opioids denied for a cumulative dose over 120 MED?",
        "Was Norco approved for crushing chest pain?",
        "Was Norco denied for opioid overuse?",
        "Did approvals fall in 2017?",
        "How do I fight a denial of PT?",
    ],
)
def test_words_of_a_mechanism_in_another_sense_name_none(question: str) -> None:
    assert mechanism_asked(question) is None
