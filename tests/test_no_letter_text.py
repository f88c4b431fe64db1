"""The repo keeps none of the real letters' prose: no file shares a 12-word run with any case
summary or rationale in ../shared (the letters are public, but written by others).

Runs that hold one of the letters' fixed formulas rather than anyone's writing are allowed: a
run found in two or more different letters, a run holding an 8-word phrase found in five or more
(form text such as "the remaining IMR eligible portion of the original request"), and the
verdict formula ("the request for X is not medically necessary").
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

from rag.parsing import iter_letter_files, parse_file

from .conftest import REPO

RUN, PHRASE, FORMULA_LETTERS = 12, 8, 5


def runs(text: str, n: int = RUN) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def _letter_prose_runs(shared: Path) -> set[str]:
    twelves: Counter[str] = Counter()
    eights: Counter[str] = Counter()
    for path in iter_letter_files([shared / "seeds", shared / "data" / "dwc-imr-letters" / "txt"]):
        letter = parse_file(path)
        texts = [letter.case_summary, *(item.rationale for item in letter.items)]
        twelves.update(set().union(*(runs(t) for t in texts)))
        eights.update(set().union(*(runs(t, PHRASE) for t in texts)))
    formulas = {phrase for phrase, n in eights.items() if n >= FORMULA_LETTERS}

    def formula(run: str) -> bool:
        if "not medically" in run or "medically necessary" in run:
            return True
        words = run.split()
        return any(" ".join(words[i : i + PHRASE]) in formulas for i in range(RUN - PHRASE + 1))

    return {run for run, n in twelves.items() if n == 1 and not formula(run)}


def _repo_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, text=True, check=True, timeout=60,
    ).stdout.splitlines()  # fmt: skip
    files = []
    for name in listed:
        path = REPO / name
        if path.is_file() and b"\0" not in path.read_bytes()[:4096]:
            files.append(path)
    return files


def test_no_repo_file_shares_a_12_word_run_with_a_real_letter(shared_dir: Path) -> None:
    prose = _letter_prose_runs(shared_dir)
    assert len(prose) > 80_000, "the letters were not read"  # 84,391 runs in 199 letters
    copied = {}
    for path in _repo_text_files():
        shared = runs(path.read_text(encoding="utf-8", errors="replace")) & prose
        if shared:
            copied[str(path.relative_to(REPO))] = sorted(shared)[:2]
    assert not copied, f"files quoting the letters: {copied}"


def test_the_check_finds_a_sentence_copied_from_a_case_summary(shared_dir: Path) -> None:
    prose = _letter_prose_runs(shared_dir)
    letter = parse_file(shared_dir / "data" / "dwc-imr-letters" / "txt" / "CM16-0213037.txt")
    words = letter.case_summary.split()
    copied = " ".join(words[len(words) // 2 : len(words) // 2 + 15])  # mid-summary, not a formula
    assert runs(f"Our note: {copied} (end).") & prose
