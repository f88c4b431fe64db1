"""Synthetic letters: marked synthetic, read back by our parser exactly as written, our own text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from eval.synth import (
    CHUNK_WORDS,
    MARKER,
    iter_chunks,
    letter_chunks,
    render_letter,
    synth_letter,
    write_corpus,
)
from rag.parsing import parse_file, parse_text


def test_every_letter_parses_back_to_the_record_it_was_written_from() -> None:
    for index in range(1, 301):
        letter = synth_letter(index)
        parsed = parse_text(render_letter(letter), source=f"{letter.letter_id}.txt")
        assert replace(parsed, source="") == letter, letter.letter_id


def test_written_corpus_parses_into_the_items_and_outcomes_written(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path, 40, seed=3)
    assert len(paths) == 40
    for index, path in enumerate(paths, start=1):
        written = synth_letter(index, seed=3)
        parsed = parse_file(path)
        assert parsed.letter_id == written.letter_id == path.stem
        assert [(d.name, d.outcome) for d in parsed.items] == [
            (d.name, d.outcome) for d in written.items
        ]


def test_letters_are_marked_synthetic_on_the_first_line_and_in_the_case_number(
    tmp_path: Path,
) -> None:
    for path in write_corpus(tmp_path, 5):
        text = path.read_text()
        assert text.splitlines()[0] == MARKER
        assert re.fullmatch(r"SY00-\d{7}", parse_file(path).case_number)
    assert synth_letter(12, seed=4).letter_id == "SY04-0000012"


def test_outcomes_are_about_89_percent_upheld_with_varied_treatments_and_citations() -> None:
    dets = [synth_letter(i) for i in range(1, 1001)]
    items = [d for det in dets for d in det.items]
    outcomes = Counter(str(d.outcome) for d in items)
    assert 0.86 <= outcomes["Upheld"] / len(items) <= 0.92
    assert 2.0 <= len(items) / len(dets) <= 2.6
    assert len({d.name.split(" ")[0] for d in items}) >= 30  # distinct treatments
    assert {"MTUS", "ODG"} <= {s for d in items for s in d.guideline_sources}
    assert any(d.original_request for d in items)  # partial decisions
    assert any(d.pages for d in items)  # old-style "Page(s):" citations
    assert len({det.reviewer_specialty for det in dets}) >= 8


def test_letter_i_is_the_same_whatever_the_corpus_size(tmp_path: Path) -> None:
    small = write_corpus(tmp_path / "small", 3)
    large = write_corpus(tmp_path / "large", 6)
    assert [p.read_text() for p in small] == [p.read_text() for p in large[:3]]
    assert synth_letter(9) != synth_letter(9, seed=1)


def test_iter_chunks_yields_count_chunks_of_bounded_length_without_files() -> None:
    chunks = list(iter_chunks(500))
    assert len(chunks) == 500
    assert len({(c.item_id, c.index) for c in chunks}) == 500
    assert max(len(c.text.split()) for c in chunks) <= CHUNK_WORDS
    assert {c.item.outcome for c in chunks} == {"Upheld", "Overturned"}
    held_out = {c.item.letter_id for c in iter_chunks(100, seed=1)}
    assert not held_out & {c.item.letter_id for c in chunks}


def test_chunks_cover_every_word_of_each_rationale_in_order() -> None:
    letter = next(
        lt for lt in map(synth_letter, range(1, 500)) if len(lt.items[0].rationale) > 1200
    )
    rationale = letter.items[0].rationale
    pieces = [c.text for c in letter_chunks(letter) if c.item.index == 1]
    assert len(pieces) >= 2
    covered, start = [False] * len(rationale), 0
    for piece in pieces:
        at = rationale.index(piece, start)  # each chunk is a passage, after the previous start
        covered[at : at + len(piece)] = [True] * len(piece)
        start = at + 1
    assert all(c or rationale[i].isspace() for i, c in enumerate(covered))


def test_synthetic_text_copies_no_passage_of_the_real_letters(shared_dir: Path) -> None:
    """No 12-word run of a summary or rationale appears in a real letter. The closing verdict
    ("The request for X is not medically necessary.") is the letters' fixed formula: left out."""

    def runs(text: str, n: int = 12) -> set[str]:
        words = re.findall(r"[a-z0-9]+", text.lower())
        return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}

    real: set[str] = set()
    for path in [*shared_dir.glob("seeds/*.txt"), *shared_dir.glob("data/dwc-imr-letters/txt/*")]:
        real |= runs(path.read_text(errors="replace"))
    for det in map(synth_letter, range(1, 301)):
        for text in [det.case_summary, *(d.rationale for d in det.items)]:
            body = text.rsplit(". ", 1)[0] if "medically necessary" in text[-40:] else text
            assert not runs(body) & real, det.letter_id
