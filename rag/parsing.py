"""Parse IMR final determination letters (.txt or .pdf) into Letter records.

A letter is a header (Case Number, dates), the reviewer's credentials, a clinical case summary and,
under "IMR ISSUES, DECISIONS AND RATIONALES", one block per disputed item: a decision line ending in
"Upheld"/"Overturned", the two guideline citations and the rationale. Every item block has the
three labels, so they anchor the split; the decision line is found by walking back from the
"Claims Administrator guideline:" label to the end of the previous rationale's last sentence.

Letters are untrusted input: every pattern here runs in time linear in the text (anchored, bounded
repetitions, or a scan done once), a file over `ParseLimits.max_bytes` is refused before it is
read, and a parse that runs past `ParseLimits.budget_s` is reported like any other bad file.
"""

from __future__ import annotations

import codecs
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from rag.citations import parse_citation
from rag.errors import DocumentParseError
from rag.records import Item, Letter, Outcome

LETTER_SUFFIXES = (".txt", ".pdf")
MAX_LETTER_BYTES = 5_000_000  # real letters are 5-60 KB (text) or up to a few hundred KB (PDF)
PARSE_BUDGET_S = 10.0  # a real letter parses in milliseconds


@dataclass(frozen=True)
class ParseLimits:
    """What one letter file may cost: its size on disk, and the time to read and parse it."""

    max_bytes: int = MAX_LETTER_BYTES
    budget_s: float = PARSE_BUDGET_S


_DECISIONS_HEADING = re.compile(r"IMR ISSUES,?\s+DECISIONS\s+AND\s+RATIONALES", re.I)
_SET_FORTH = re.compile(r"set forth below\s*:", re.I)
_CLAIMS_LABEL = re.compile(r"^\s*Claims Administrator guideline\s*:?", re.I)
_MAXIMUS_LABEL = re.compile(r"^\s*MAXIMUS guideline\s*:?", re.I)
_RATIONALE_LABEL = re.compile(r"^\s*Decision rationale\s*:?", re.I)
# Searched only in the last OUTCOME_TAIL characters of a decision line (whitespace is collapsed,
# so " is: Overturned ." is the longest match): a scan from every position would be quadratic.
_OUTCOME_END = re.compile(r"(?:\bis)?\s*:?\s*\b(Upheld|Overturned)\s*\.?\s*$", re.I)
_OUTCOME_TAIL = 40
_CLOSERS = "\"')]"  # may follow a sentence's final stop
# A letter's last rationale ends a sentence, or at least its verdict (one real letter drops the
# final period after "not medically necessary"); anything else means the text was cut.
_VERDICT_WORDS = ("necessary", "indicated", "supported", "warranted", "appropriate", "recommended")
# A partial decision: "X was the original request. [Y was authorized ...] The original request,
# Z: Upheld". The first phrase and the last marker are found by one scan each.
_ORIGINAL_REQUEST = re.compile(r"(?<=\S)\s+was the original request\.?\s*", re.I)
_REMAINING = re.compile(
    r"The remaining IMR eligible portion of the original request|(?-i:The) original request", re.I
)
_AUTHORIZED = re.compile(
    r"^(?:(?P<before>.+?)\s+was authorized by the Claims Administrator"
    r"|The Claims Administrator authorized\s+(?P<after>.+?)(?:,\s*leaving.*)?)\.?$",
    re.I,
)
_CASE_NUMBER = re.compile(r"Case Number\s*:\s*(?P<value>[A-Z]{2}\d{2}-\d{5,})", re.I)
_DATE_FIELD = r"{label}\s*:\s*(?P<value>\d{{1,2}}/\d{{1,2}}/\d{{4}})"
_LICENSURE = re.compile(r"State\(s\) of Licensure\s*:\s*(?P<value>[^\n]*)", re.I)
_SPECIALTY = re.compile(
    r"Certification\(s\)/Specialty\s*:\s*(?P<value>[^\n]*)(?:\n(?P<more>[^\n]*))?"
)
_BOARD_CERTIFIED = re.compile(r"reviewer is Board Certified in ", re.I)
_LICENSED_IN = re.compile(r" and is licensed to practice in ", re.I)
_SUMMARY_START = re.compile(r"including all medical records\s*:|CLINICAL CASE SUMMARY", re.I)
_AGE_SEX = re.compile(
    r"(?P<age>\d{1,3})[-\s]+(?:year|yr)s?[-\s]+old\s+(?P<sex>male|female|man|woman|gentleman|lady)",
    re.I,
)


def iter_letter_files(
    paths: Iterable[Path], problems: list[DocumentParseError] | None = None
) -> Iterator[Path]:
    """Yield the letter files named by `paths` (files, or folders searched recursively), sorted.

    What a folder holds that cannot be read as a letter file is reported, never passed over in
    silence: a folder that cannot be listed, a symbolic link to a folder inside one (not
    followed: it could loop, or lead anywhere; name its target to read it), and a .txt/.pdf that
    is not a regular file (a pipe would block the read). Each is a DocumentParseError, added to
    `problems` when given, else raised.
    """
    for path in map(Path, paths):
        if path.is_dir():
            found: list[Path] = []
            _walk(path, found, problems)
            yield from sorted(found)
        else:
            yield path


def _walk(folder: Path, found: list[Path], problems: list[DocumentParseError] | None) -> None:
    def report(path: Path, section: str, detail: str = "") -> None:
        if problems is None:
            raise DocumentParseError(path, section, detail)
        problems.append(DocumentParseError(path, section, detail))

    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError as exc:
        report(folder, "folder cannot be read", exc.strerror or str(exc))
        return
    for entry in listed:
        path = Path(entry.path)
        try:
            if entry.is_dir():
                if entry.is_symlink():
                    report(path, "folder is a symbolic link, not followed", "name its target")
                else:
                    _walk(path, found, problems)
            elif path.suffix.lower() in LETTER_SUFFIXES:
                if entry.is_file() or not os.path.exists(path):  # a broken link: read, reported
                    found.append(path)
                else:
                    report(path, "not a regular file", "a pipe, socket or device")
        except OSError as exc:
            report(path, "file cannot be read", exc.strerror or str(exc))


class Deadline:
    """The time a parse may still take. `check` raises DocumentParseError once it is spent; it is
    called between steps (PDF pages, items, lines of a walk), and no step is long, since every
    pattern is linear and the file size is bounded."""

    def __init__(self, source: Path | str, seconds: float = PARSE_BUDGET_S) -> None:
        self.source, self.seconds = Path(source), seconds
        self.ends = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise DocumentParseError(
                self.source,
                "parsing took too long",
                f"over {self.seconds:g} s, the limit per letter (IMR_PARSE_BUDGET_S)",
            )


def parse_file(path: Path, limits: ParseLimits | None = None) -> Letter:
    """Read and parse one letter; raises DocumentParseError naming the file and what is missing."""
    limits = limits or ParseLimits()
    deadline = Deadline(path, limits.budget_s)
    text = read_letter_text(path, limits.max_bytes, deadline=deadline)
    return parse_text(text, source=path, deadline=deadline)


def read_letter_text(
    path: Path, max_bytes: int = MAX_LETTER_BYTES, *, deadline: Deadline | None = None
) -> str:
    """The letter's text: .pdf through pypdf, .txt decoded by `decode_letter_text`.

    A file over `max_bytes` is refused before it is read (and one that grows while it is read,
    or whose size the system does not know, is cut off at `max_bytes` and refused).
    """
    path = Path(path)
    deadline = deadline or Deadline(path)
    try:
        with path.open("rb") as file:
            _check_size(path, os.fstat(file.fileno()).st_size, max_bytes)
            raw = file.read(max_bytes + 1)
    except OSError as exc:
        raise DocumentParseError(path, "file cannot be read", exc.strerror or str(exc)) from exc
    _check_size(path, len(raw), max_bytes)
    if not raw.strip():
        raise DocumentParseError(path, "file is empty")
    if path.suffix.lower() == ".pdf" or raw.startswith(b"%PDF"):
        return _pdf_text(path, raw, deadline)
    return decode_letter_text(path, raw)


def decode_letter_text(path: Path, raw: bytes) -> str:
    """A text letter's bytes as text: UTF-16 by its byte order mark (or, without one, by the NUL
    bytes ASCII leaves on one side of each character), else UTF-8 with any byte that is not
    UTF-8 read as Windows-1252, so one stray byte costs that byte's meaning, never the file's.
    A NUL anywhere in the text means the file is not a text letter."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        codec = _utf16_without_bom(raw) or "utf-8-sig"
    try:
        text = raw.decode(codec, errors="strict" if "16" in codec else _WINDOWS_1252_BYTES)
    except UnicodeDecodeError as exc:
        raise DocumentParseError(
            path, "file is not valid UTF-16 text", f"{exc.reason} at byte {exc.start:,}"
        ) from exc
    nul = text.find("\x00")
    if nul >= 0:
        raise DocumentParseError(
            path, "file is binary, not a text letter", f"a NUL byte at character {nul:,}"
        )
    if not text.strip():
        raise DocumentParseError(path, "file is empty")
    return text


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le'/'-be' when most bytes on one side of each pair are NUL and almost none on the
    other (ASCII in UTF-16); None for anything else, binary data included."""
    if len(raw) % 2 or b"\x00" not in raw:
        return None
    pairs = len(raw) // 2
    even, odd = raw[0::2].count(0) / pairs, raw[1::2].count(0) / pairs
    if odd > 0.6 and even < 0.05:
        return "utf-16-le"
    if even > 0.6 and odd < 0.05:
        return "utf-16-be"
    return None


def _windows_1252(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejected one by one as Windows-1252 (Latin-1 for its five holes):
    a letter saved with one curly quote from Windows is otherwise UTF-8."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chars = []
    for byte in error.object[error.start : error.end]:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars), error.end


_WINDOWS_1252_BYTES = "imr-windows-1252-bytes"
codecs.register_error(_WINDOWS_1252_BYTES, _windows_1252)


def _check_size(path: Path, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise DocumentParseError(
            path,
            "file is too large for a letter",
            f"{size:,} bytes{' or more' if size == max_bytes + 1 else ''}; the limit is "
            f"{max_bytes:,} (IMR_MAX_LETTER_BYTES)",
        )


def _pdf_text(path: Path, raw: bytes, deadline: Deadline) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentParseError(path, "PDF is encrypted with a password")
        pages = []
        for page in reader.pages:
            deadline.check()
            pages.append(page.extract_text() or "")
        text = "\n".join(pages)
    except DocumentParseError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DocumentParseError(
            path, "PDF cannot be read", f"{type(exc).__name__}: {exc}"
        ) from exc
    if not text.strip():
        raise DocumentParseError(path, "PDF has no extractable text")
    return text


def parse_text(
    text: str, source: Path | str = "<text>", *, deadline: Deadline | None = None
) -> Letter:
    """Parse a letter's text. `source` names the file in errors and gives the fallback id;
    `deadline` (default PARSE_BUDGET_S from now) bounds the time it may take."""
    source = Path(source)
    deadline = deadline or Deadline(source)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    heading = _DECISIONS_HEADING.search(text)
    if heading is None:
        raise DocumentParseError(source, "missing section 'IMR ISSUES, DECISIONS AND RATIONALES'")
    front, decisions = text[: heading.start()], text[heading.end() :]
    case_number = _first(_CASE_NUMBER, front)
    case_number = case_number.upper() if case_number else None
    letter_id = case_number or file_letter_id(source)
    specialty, licensure = _credentials(front)
    decision_date = _date(front, "Decision Date")
    items = tuple(
        replace(
            item, letter_id=letter_id, decision_date=decision_date, reviewer_specialty=specialty
        )
        for item in _parse_items(decisions, source, deadline)
    )
    summary = _case_summary(front)
    age, sex = _age_sex(summary)
    return Letter(
        letter_id=letter_id,
        case_number=case_number,
        date_of_injury=_date(front, "Date of Injury"),
        decision_date=decision_date,
        reviewer_specialty=specialty,
        reviewer_licensure=licensure,
        patient_age=age,
        patient_sex=sex,
        case_summary=summary,
        items=items,
        source=str(source),
    )


def file_letter_id(source: Path) -> str:
    """The id of a letter without a Case Number: `file-` and its file stem, in characters that
    are safe in a URL. Case Numbers never start with `file-`, so the two can never collide."""
    return "file-" + (re.sub(r"[^A-Za-z0-9._-]", "_", source.stem).strip(".") or "_")


def _parse_items(section: str, source: Path, deadline: Deadline) -> tuple[Item, ...]:
    lines = [line.strip() for line in section.split("\n")]
    set_forth = next((i for i, line in enumerate(lines) if _SET_FORTH.search(line)), -1)
    claims = [i for i, line in enumerate(lines) if _CLAIMS_LABEL.match(line)]
    maximus = [i for i, line in enumerate(lines) if _MAXIMUS_LABEL.match(line)]
    rationale = [i for i, line in enumerate(lines) if _RATIONALE_LABEL.match(line)]
    if not claims:
        raise DocumentParseError(
            source, "no disputed item found (no 'Claims Administrator guideline')"
        )
    if not len(claims) == len(maximus) == len(rationale):
        raise DocumentParseError(
            source,
            "item blocks are incomplete",
            f"{len(claims)} 'Claims Administrator guideline', {len(maximus)} 'MAXIMUS guideline', "
            f"{len(rationale)} 'Decision rationale' labels",
        )
    items = []
    region_start = set_forth + 1
    for n, (ca, ma, dr) in enumerate(zip(claims, maximus, rationale, strict=True), start=1):
        deadline.check()
        if not region_start <= ca < ma < dr:
            raise DocumentParseError(source, f"item {n} labels are out of order")
        header_start = _header_start(lines, region_start, ca, deadline, first=n == 1)
        header = _join(lines[header_start:ca])
        next_ca = claims[n] if n < len(claims) else None
        end = (
            _header_start(lines, dr + 1, next_ca, deadline, first=False) if next_ca else len(lines)
        )
        items.append(
            _decision(
                n,
                header,
                claims_text=_join(lines[ca:ma], label=_CLAIMS_LABEL),
                maximus_text=_join(lines[ma:dr], label=_MAXIMUS_LABEL),
                rationale_text=_join(lines[dr:end], label=_RATIONALE_LABEL),
                source=source,
            )
        )
        region_start = end
    if not _ends_complete(items[-1].rationale):
        raise DocumentParseError(
            source,
            "letter looks truncated",
            f"the last rationale stops mid-sentence: ...{items[-1].rationale[-60:]!r}",
        )
    return tuple(items)


_ORIGINAL_PHRASE = "was the original request"


def _header_start(lines: list[str], lo: int, label: int, deadline: Deadline, *, first: bool) -> int:
    """Index of the first line of the decision line(s) that end just before `label`.

    Walks back from the label over the decision line(s) until the line before ends a sentence
    (the previous rationale's last line). A partial decision ("X was the original request. Y was
    authorized ...") holds sentence ends of its own, so the walk goes on until it has the start:
    while the lines walked name an authorized or eligible portion but not the original request.
    What the walk has seen is kept as it goes (two flags and the text's first words), so each
    line is looked at once.
    """
    body = [i for i in range(lo, label) if lines[i]]
    if not body:
        return label
    if first:
        return body[0]
    start = len(body) - 1
    portion = original = False
    head = ""  # the first words of the lines walked: the phrase may span two lines

    def walk_over(line: str) -> None:
        nonlocal portion, original, head
        lowered = " ".join(line.lower().split())
        portion = portion or "eligible" in lowered or "authorized" in lowered
        joined = f"{lowered} {head}" if head else lowered
        original = original or _ORIGINAL_PHRASE in joined
        head = joined[: 2 * len(_ORIGINAL_PHRASE)]

    walk_over(lines[body[start]])
    while start > 0:
        deadline.check()
        if _ends_sentence(lines[body[start - 1]]) and not (portion and not original):
            break
        start -= 1
        walk_over(lines[body[start]])
    return body[start]


def _ends_sentence(text: str) -> bool:
    """Whether `text` ends with . ! or ?, perhaps followed by closing quotes or brackets."""
    return text.rstrip().rstrip(_CLOSERS).endswith((".", "!", "?"))


def _ends_complete(rationale: str) -> bool:
    """Whether a rationale ends a sentence, or at least its verdict ("... not necessary")."""
    if _ends_sentence(rationale):
        return True
    end = rationale.rstrip()
    for word in _VERDICT_WORDS:
        before = len(end) - len(word)
        if before >= 0 and end[before:].lower() == word:
            return before == 0 or not (end[before - 1].isalnum() or end[before - 1] == "_")
    return False


def _decision(
    index: int,
    header: str,
    *,
    claims_text: str,
    maximus_text: str,
    rationale_text: str,
    source: Path,
) -> Item:
    outcome = _OUTCOME_END.search(header, max(0, len(header) - _OUTCOME_TAIL))
    if outcome is None:
        raise DocumentParseError(
            source, f"item {index} has no outcome", f"decision line {header[-120:]!r}"
        )
    item = header[: outcome.start()].strip(" :,")
    original = authorized = None
    partial = _split_partial(item)
    if partial:
        original, middle, item = partial
        authorized_by = _AUTHORIZED.match(middle.strip())
        if authorized_by:
            authorized = (authorized_by.group("before") or authorized_by.group("after")).strip()
    if not item:
        raise DocumentParseError(source, f"item {index} has an empty decision line")
    if not rationale_text:
        raise DocumentParseError(source, f"item {index} ({item}) has no decision rationale")
    citation = parse_citation(maximus_text)
    return Item(
        letter_id="",  # set by parse_text, which knows the letter
        index=index,
        name=item,
        outcome=Outcome(outcome.group(1).capitalize()),
        claims_administrator_guideline=claims_text,
        maximus_guideline=maximus_text,
        rationale=rationale_text,
        original_request=original,
        authorized_portion=authorized,
        guideline_sources=citation.sources,
        mtus_sections=citation.mtus_sections,
        pages=citation.pages,
    )


def _split_partial(name: str) -> tuple[str, str, str] | None:
    """(original request, what lies between, IMR-eligible item) of a partial decision line
    ("X was the original request. Y was authorized .... The original request, Z"), else None.

    The original request ends at the first "was the original request"; the item follows the
    last "The original request" marker that has text after it.
    """
    first = _ORIGINAL_REQUEST.search(name)
    if first is None:
        return None
    original, rest = name[: first.start()], name[first.end() :]
    for marker in reversed(list(_REMAINING.finditer(rest))):
        if marker.end() < len(rest):
            return original, rest[: marker.start()], rest[marker.end() :].strip(" :,")
    return None


def _join(lines: list[str], label: re.Pattern[str] | None = None) -> str:
    text = " ".join(line for line in lines if line)
    if label is not None:
        text = label.sub("", text, count=1)
    return " ".join(text.split())


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return " ".join(match.group("value").split()) if match else None


def _date(text: str, label: str) -> str | None:
    value = _first(re.compile(_DATE_FIELD.format(label=re.escape(label)), re.I), text)
    if value is None:
        return None
    month, day, year = (int(part) for part in value.split("/"))
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _credentials(front: str) -> tuple[str | None, tuple[str, ...]]:
    specialty = _specialty(front)
    licensure = _first(_LICENSURE, front)
    if specialty is None and licensure is None:
        specialty, licensure = _board_certified(" ".join(front.split()))
    states = tuple(s.strip() for s in re.split(r",|\band\b", licensure or "") if s.strip())
    return (specialty.strip(" ,") if specialty else None), states


def _board_certified(text: str) -> tuple[str | None, str | None]:
    """(specialty, states) from "... reviewer is Board Certified in S and is licensed to practice
    in T." The first such sentence is read, each marker found by one scan."""
    board = _BOARD_CERTIFIED.search(text)
    if board is None:
        return None, None
    licensed = _LICENSED_IN.search(text, board.end() + 1)  # a specialty of one character at least
    if licensed is None:
        return None, None
    stop = text.find(".", licensed.end() + 1)
    if stop < 0:
        return None, None
    return text[board.end() : licensed.start()], text[licensed.end() : stop]


def _specialty(front: str) -> str | None:
    """The specialty line, joined with its continuation line when it wraps."""
    match = _SPECIALTY.search(front)
    if match is None:
        return None
    value, more = match.group("value").strip(), (match.group("more") or "").strip()
    if more and not more.isupper() and ":" not in more:
        value = f"{value} {more}"
    return " ".join(value.split())


def _case_summary(front: str) -> str:
    starts = list(_SUMMARY_START.finditer(front))
    return " ".join(front[starts[-1].end() :].split()) if starts else ""


def _age_sex(summary: str) -> tuple[int | None, str | None]:
    match = _AGE_SEX.search(summary)
    if match is None:
        return None, _sex_from_pronouns(summary)
    sex = match.group("sex").lower()
    return int(match.group("age")), "male" if sex in ("male", "man", "gentleman") else "female"


def _sex_from_pronouns(summary: str) -> str | None:
    words = re.findall(r"\b(he|his|him|she|her|hers)\b", summary.lower())
    male = sum(w in ("he", "his", "him") for w in words)
    female = len(words) - male
    if male > 2 * female and male >= 2:
        return "male"
    if female > 2 * male and female >= 2:
        return "female"
    return None
