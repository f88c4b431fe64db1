"""Parser fuzzing: mutated real letters yield a full record or a clear DocumentParseError, never a
crash and never an item without an outcome; edits outside the decisions section change no item."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rag.errors import DocumentParseError
from rag.parsing import iter_letter_files, parse_text
from rag.records import Item, Outcome

from .conftest import SHARED

LETTERS = sorted(iter_letter_files([SHARED / "seeds", SHARED / "data/dwc-imr-letters/txt"]))[::8]
TEXTS = [p.read_text() for p in LETTERS]
# Where the decisions section starts (the parser's own pattern, restated here on purpose).
DECISIONS_HEADING = re.compile(r"IMR ISSUES,?\s+DECISIONS\s+AND\s+RATIONALES", re.I)


@st.composite
def mutated_letters(draw: st.DrawFn) -> str:
    return "\n".join(_mutate(draw, draw(st.sampled_from(TEXTS)).split("\n")))


@st.composite
def letters_edited_before_the_decisions(draw: st.DrawFn) -> tuple[str, str]:
    """(a real letter, the same letter with its header, credentials and case summary edited)."""
    text = draw(st.sampled_from(TEXTS))
    start = DECISIONS_HEADING.search(text).start()
    front = "\n".join(_mutate(draw, text[:start].split("\n")))
    assume(DECISIONS_HEADING.search(front) is None)  # a written heading would move the section
    return text, front + text[start:]


def _mutate(draw: st.DrawFn, lines: list[str]) -> list[str]:
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "shuffle", "garbage", "huge", "drop", "dup"]))
        n = len(lines)
        i = draw(st.integers(0, max(n - 1, 0)))
        j = draw(st.integers(i, n))
        if op == "cut":  # cut a section (a run of lines)
            lines = lines[:i] + lines[j:]
        elif op == "shuffle":
            block = lines[i:j]
            draw(st.randoms(use_true_random=False)).shuffle(block)
            lines = lines[:i] + block + lines[j:]
        elif op == "garbage":
            lines.insert(i, draw(st.text(min_size=1, max_size=200)))
        elif op == "huge":
            lines.insert(i, draw(st.sampled_from(["x", "Upheld ", ": Overturned"])) * 50_000)
        elif op == "drop" and n:
            lines.pop(i)
        elif op == "dup":
            lines = lines[:j] + lines[i:j] + lines[j:]
    return lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_letters())
def test_mutated_letters_parse_fully_or_fail_clearly(text: str) -> None:
    try:
        det = parse_text(text, source=Path("fuzzed.txt"))
    except DocumentParseError as exc:
        assert "fuzzed.txt" in str(exc)
        return
    assert det.items
    for item in det.items:
        assert item.outcome in (Outcome.UPHELD, Outcome.OVERTURNED)
        assert item.name.strip() and item.rationale.strip()
    assert [i.index for i in det.items] == list(range(1, len(det.items) + 1))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4000))
def test_random_bytes_never_crash_the_file_reader(tmp_path_factory, data: bytes) -> None:
    from rag.parsing import parse_file

    path = tmp_path_factory.mktemp("fuzz") / "random.pdf"
    path.write_bytes(b"%PDF-1.4\n" + data)
    try:
        parse_file(path)
    except DocumentParseError as exc:
        assert str(path) in str(exc)


def _item_facts(item: Item) -> Item:
    """What the decisions section says about an item (the letter's id, date and reviewer come
    from the header, so a header edit may change them)."""
    return replace(item, letter_id="", decision_date=None, reviewer_specialty=None)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(letters_edited_before_the_decisions())
def test_edits_outside_the_decisions_section_leave_every_item_unchanged(
    letters: tuple[str, str],
) -> None:
    original, edited = letters
    before = parse_text(original, source=Path("letter.txt")).items
    after = parse_text(edited, source=Path("letter.txt")).items
    assert before and [_item_facts(i) for i in after] == [_item_facts(i) for i in before]
