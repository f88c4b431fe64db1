"""Bad input never yields a half record: each case raises DocumentParseError naming the file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag.errors import DocumentParseError
from rag.parsing import ParseLimits, parse_file, parse_text

from .conftest import REPO, SAMPLES

LETTER = SAMPLES / "sample-001.txt"


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _expect_error(path: Path, fragment: str) -> DocumentParseError:
    with pytest.raises(DocumentParseError) as info:
        parse_file(path)
    message = str(info.value)
    assert str(path) in message
    assert fragment in message
    return info.value


def test_empty_file_is_reported_by_name(tmp_path: Path) -> None:
    _expect_error(_write(tmp_path, "empty.txt", "  \n\n"), "file is empty")


def test_binary_file_is_rejected(tmp_path: Path) -> None:
    _expect_error(_write(tmp_path, "blob.txt", b"\x00\x01\x02binary\x00" * 50), "binary")


def test_text_that_is_not_an_imr_letter_names_the_missing_section(tmp_path: Path) -> None:
    path = _write(tmp_path, "notes.txt", "Meeting notes\nNorco was discussed: Upheld\n")
    err = _expect_error(path, "IMR ISSUES, DECISIONS AND RATIONALES")
    assert err.path == path


def test_letter_cut_inside_an_item_block_is_rejected(tmp_path: Path) -> None:
    text = LETTER.read_text()
    cut = text[: text.rindex("MAXIMUS guideline:")]
    _expect_error(_write(tmp_path, "cut.txt", cut), "item blocks are incomplete")


def test_letter_cut_mid_rationale_is_rejected_not_half_parsed(tmp_path: Path) -> None:
    text = LETTER.read_text().rstrip()
    cut = text[: len(text) - 40].rstrip(" .")
    _expect_error(_write(tmp_path, "cut.txt", cut), "truncated")


def test_item_without_outcome_is_rejected(tmp_path: Path) -> None:
    text = LETTER.read_text().replace("#120:  Upheld", "#120:  Pending", 1)
    _expect_error(_write(tmp_path, "no-outcome.txt", text), "has no outcome")


def test_truncated_pdf_is_rejected(tmp_path: Path, letters_dir: Path) -> None:
    raw = (letters_dir / "pdf" / "CM16-0213037.pdf").read_bytes()
    _expect_error(_write(tmp_path, "cut.pdf", raw[: len(raw) // 3]), "PDF")


def test_missing_file_is_reported(tmp_path: Path) -> None:
    _expect_error(tmp_path / "nowhere.txt", "cannot be read")


def test_parse_text_reads_a_sample_letter_in_full() -> None:
    det = parse_text(LETTER.read_text(), source=LETTER)
    assert det.letter_id == "SX00-0000001"
    assert det.decision_date == "2017-04-11"
    assert [i.index for i in det.items] == list(range(1, len(det.items) + 1))
    assert all(i.outcome in ("Upheld", "Overturned") and i.rationale for i in det.items)


def test_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: 50 MB that cost no disk
    err = _expect_error(huge, "file is too large for a letter")
    assert "52,428,800 bytes; the limit is 5,000,000 (IMR_MAX_LETTER_BYTES)" in str(err)
    small = _write(tmp_path, "letter.txt", LETTER.read_bytes())
    with pytest.raises(DocumentParseError, match="too large for a letter"):
        parse_file(small, ParseLimits(max_bytes=1000))
    assert parse_file(small, ParseLimits(max_bytes=small.stat().st_size)).items


def test_the_size_limit_is_a_setting(tmp_path: Path) -> None:
    env = {**os.environ, "IMR_MAX_LETTER_BYTES": "1000"}
    out = subprocess.run(
        [sys.executable, "-m", "api.cli", "parse", str(LETTER)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 1
    size = LETTER.stat().st_size
    assert out.stderr == (
        f"error: {LETTER}: file is too large for a letter ({size:,} bytes; the limit is 1,000 "
        "(IMR_MAX_LETTER_BYTES))\n"
    )


def test_a_nul_byte_anywhere_means_binary(tmp_path: Path) -> None:
    raw = LETTER.read_bytes()
    assert len(raw) > 5000
    path = _write(tmp_path, "late-nul.txt", raw[:5000] + b"\x00" + raw[5000:])
    _expect_error(path, "file is binary, not a text letter (a NUL byte at character 5,000)")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_letters_are_read_as_text(tmp_path: Path, codec: str) -> None:
    path = _write(tmp_path, f"{codec}.txt", LETTER.read_text().encode(codec))
    assert parse_file(path).items == parse_file(LETTER).items


def test_one_stray_byte_costs_only_itself(tmp_path: Path) -> None:
    text = LETTER.read_text().replace("The injured worker", "Dr. Pérez's patient, the worker", 1)
    raw = text.encode().replace(b"'s patient", b"\x92s patient")  # a Windows quote
    summary = parse_file(_write(tmp_path, "mixed.txt", raw)).case_summary
    assert summary.startswith("Dr. Pérez’s patient, the worker is a 52 year old female")
