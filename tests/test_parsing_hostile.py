"""Hostile letters: crafted text parses in linear time, and a parse that runs past its budget is
a DocumentParseError naming the file, so ingest skips it with the reason."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.citations import _COMMA_SECTIONS, _split_sections
from rag.errors import DocumentParseError
from rag.parsing import (
    ParseLimits,
    _board_certified,
    _ends_complete,
    _ends_sentence,
    _split_partial,
    file_letter_id,
    parse_file,
    parse_text,
)

from .conftest import SAMPLES

LETTER = SAMPLES / "sample-001.txt"
TEXT = LETTER.read_text()
ITEM_1, ITEM_2 = "Norco 10/325mg #120:  Upheld", "Flexeril 10mg #60: Upheld"
CREDENTIALS = (
    "State(s) of Licensure: California, Texas\n"
    "Certification(s)/Specialty: Physical Medicine & Rehabilitation, Pain Management\n"
)
SECTIONS = "Opioids, criteria for use, Opioids for chronic pain."
CITATION = "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s):\n" + SECTIONS

# Each grew quadratically before (seconds to minutes at about 120 KB, see issue 16).
CRAFTED = {
    "a repeated 'was the original request.' phrase": TEXT.replace(
        ITEM_1, "Norco was the original request. " * 3_500 + "Norco #120: Upheld", 1
    ),
    "a long run of lines without a sentence end before an item": TEXT.replace(
        ITEM_2, "word word word\n" * 8_000 + ITEM_2, 1
    ),
    "a repeated 'Board Certified in' phrase": TEXT.replace(
        CREDENTIALS, "The reviewer is Board Certified in Medicine " * 2_600 + "\n", 1
    ),
    "a citation joining many guidelines with 'and'": TEXT.replace(
        SECTIONS, "Opioids" + " and Opioids" * 8_000 + ".", 1
    ),
    "an old-style citation topic without pages": TEXT.replace(
        CITATION, "Decision based on MTUS " + "Chronic Pain Treatment Guidelines " * 3_500, 1
    ),
    "a section list of many names": TEXT.replace(SECTIONS, "Opioids" + ", Opioids" * 20_000, 1),
}


@pytest.mark.parametrize("case", CRAFTED)
def test_crafted_letters_parse_in_linear_time(case: str) -> None:
    text = CRAFTED[case]
    assert text != TEXT and len(text) > 25_000
    started = time.perf_counter()
    letter = parse_text(text, source="crafted.txt")
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{case}: {len(text) // 1024} KB took {elapsed:.1f} s"
    assert letter.letter_id == "SX00-0000001" and len(letter.items) == 3


# The patterns the scans replaced, kept here as the reference the scans must agree with.
OLD_PARTIAL = re.compile(
    r"^(?P<original>.+?)\s+was the original request\.?\s*(?P<middle>.*)\s*"
    r"(?:The remaining IMR eligible portion of the original request|(?-i:The) original request)"
    r",?\s*(?P<item>.+?)\s*(?:,\s*)?$",
    re.I,
)
OLD_BOARD = re.compile(
    r"reviewer is Board Certified in (?P<specialty>.+?) and is licensed to practice in "
    r"(?P<states>.+?)\.",
    re.I,
)
OLD_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s*$")
OLD_COMPLETE_END = re.compile(
    r"(?:[.!?][\"')\]]*|\b(?:necessary|indicated|supported|warranted|appropriate|recommended))\s*$",
    re.I,
)
FRAGMENTS = [
    "Norco", "#120", " ", "  ", ".", ",", ":", "'", ")", "Pain", "necessary", "un", "Upheld", "x",
    *[" was the original request", " The original request", " the original request", " The "
    "remaining IMR eligible portion of the original request", " reviewer is Board Certified in ",
    " and is licensed to practice in "] * 3,
]  # fmt: skip
texts = st.lists(st.sampled_from(FRAGMENTS), max_size=20).map("".join)


@settings(max_examples=1000, deadline=None)
@given(texts)
def test_the_linear_scans_read_what_the_old_patterns_read(text: str) -> None:
    line = " ".join(text.split())  # decision lines are whitespace-collapsed before they are read
    old = OLD_PARTIAL.match(line)
    new = _split_partial(line)
    if old is None:
        assert new is None
    else:
        assert new == (old["original"], old["middle"], old["item"].strip(" :,"))
    board = OLD_BOARD.search(line)
    assert _board_certified(line) == (
        (board["specialty"], board["states"]) if board else (None,) * 2
    )
    assert _ends_sentence(text) == bool(OLD_SENTENCE_END.search(text))
    assert _ends_complete(text) == bool(OLD_COMPLETE_END.search(text))


def test_a_parse_past_its_budget_is_reported_as_the_file_skipped(tmp_path: Path) -> None:
    with pytest.raises(DocumentParseError) as info:
        parse_file(LETTER, ParseLimits(budget_s=0.0))
    assert str(info.value).startswith(f"{LETTER}: parsing took too long")
    assert info.value.path == LETTER and "IMR_PARSE_BUDGET_S" in str(info.value)
    assert parse_file(LETTER, ParseLimits(budget_s=5.0)).letter_id == "SX00-0000001"


def _old_split_sections(listed: str) -> list[str]:
    names: list[str] = []
    rest = listed
    while rest:
        known = next((k for k in _COMMA_SECTIONS if rest.lower().startswith(k.lower())), None)
        if known:
            names.append(rest[: len(known)])
            rest = rest[len(known) :].lstrip(" ,")
            continue
        head, sep, tail = rest.partition(", ")
        while sep and tail and not re.match(r"[A-Z0-9]", tail):
            more, sep, tail = tail.partition(", ")
            head = f"{head}, {more}"
        names.append(head.strip())
        rest = tail
    return [re.sub(r"(\w)- (\w)", r"\1\2", name) for name in names if name]


SECTION_PARTS = ["Opioids", "criteria", " ", ", ", ",", "1", "a", "Forearm, Wrist, & Hand", "- "]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(SECTION_PARTS), max_size=16).map("".join))
def test_sections_are_split_as_before_in_one_pass(listed: str) -> None:
    assert _split_sections(listed) == _old_split_sections(listed)


def test_ingest_skips_a_letter_past_its_budget_and_names_it(tmp_path: Path, seeds_dir) -> None:
    from rag.embedding import HashingEmbedder
    from rag.ingest import ingest

    ingest([seeds_dir], tmp_path, HashingEmbedder())
    report = ingest([LETTER], tmp_path, HashingEmbedder(), limits=ParseLimits(budget_s=0.0))
    assert [path for path, _ in report.skipped] == [str(LETTER)]
    assert "parsing took too long" in report.skipped[0][1] and report.letters == 5


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_characters="/\x00"), min_size=1, max_size=20))
def test_an_id_from_a_file_name_is_one_plain_url_segment(stem: str) -> None:
    letter_id = file_letter_id(Path(f"{stem}.txt"))
    assert re.fullmatch(r"file-[A-Za-z0-9_-][A-Za-z0-9._-]*", letter_id), letter_id
    assert quote(letter_id, safe="") == letter_id  # the link is /letters/<id>, never /letters/..


def test_a_letter_named_dot_dot_gets_an_id_of_its_own(tmp_path: Path) -> None:
    text = TEXT.replace("Case Number: SX00-0000001\n", "")
    path = tmp_path / "...txt"  # stem ".."
    path.write_text(text)
    assert parse_file(path).letter_id == "file-_"
