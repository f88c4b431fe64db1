"""Read a MAXIMUS guideline citation into sources (MTUS/ODG/ACOEM/OTHER), MTUS sections and pages.

The letters write citations two ways: "Decision based on MTUS Chronic Pain Medical Treatment 2016,
Section(s): Opioids, criteria for use, Opioids for chronic pain." and the older "Decision based on
MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 76-80." (the topic counts as the section).
Section names can hold commas ("Opioids, criteria for use"), so a comma starts a new section only
when the next word is capitalised or numbered, and a few known comma names are kept whole.
Citations come from untrusted letters: the patterns bound what they scan (a guideline name, a
topic: 200 characters), and sections are split in one pass, so time stays linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SOURCES = ("ACOEM", "MTUS", "ODG", "OTHER")

# MTUS section names that contain ", " followed by a capital letter.
_COMMA_SECTIONS = (
    "NSAIDs, GI symptoms & cardiovascular risk",
    "NSAIDs, hypertension and renal function",
    "NSAIDs, specific drug list & adverse effects",
    "Forearm, Wrist, & Hand",
    "Forearm, Wrist, and Hand",
)
_NON_MTUS = re.compile(r"Decision based on Non-\s?MTUS Citation", re.I)
_MTUS_PART = re.compile(r"Decision based on MTUS\b(?P<body>.*?)(?=Decision based on Non-|$)", re.I)
_GUIDELINE_JOIN = re.compile(r",?\s+and\s+(?=[A-Z][A-Za-z,&/\s]{1,200}?\s(?:19|20)\d\d\b)")
# Old style: the topic after "Chronic Pain Treatment Guidelines" is the section. An ACOEM chapter
# cited this way ("MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303-305") names the
# guideline itself, not a section within it.
_OLD_STYLE = re.compile(
    r"Chronic Pain Treatment Guidelines\s+(?:Part \d+,\s*)?(?P<topic>.{1,200}?)\s+Page\(s\)", re.I
)
_PAGES = re.compile(r"Page\(s\)\s*:?\s*(?P<pages>\d+(?:\s*[-,]\s*\d+)*)", re.I)
_ODG = re.compile(r"\bODG\b|Official Disability Guidelines", re.I)
_ACOEM = re.compile(r"\bACOEM\b", re.I)
_OTHER_GUIDELINES = re.compile(r"\band Other Medical Treatment Guidelines\b", re.I)
_NO_EVIDENCE = re.compile(r"did not cite any medical evidence", re.I)


@dataclass(frozen=True, slots=True)
class Citation:
    sources: tuple[str, ...]
    mtus_sections: tuple[str, ...]
    pages: str | None


def parse_citation(text: str) -> Citation:
    """Parse one guideline citation (the text after "MAXIMUS guideline:")."""
    text = " ".join(text.split())
    if _NO_EVIDENCE.search(text) and "Decision based" not in text:
        return Citation((), (), None)
    sources: set[str] = set()
    sections: list[str] = []
    for match in _MTUS_PART.finditer(text):
        sources.add("MTUS")
        sections.extend(_mtus_sections(match.group("body")))
    for part in _NON_MTUS.split(text)[1:]:
        sources.update(_non_mtus_sources(part))
    pages = _PAGES.search(text)
    return Citation(
        sources=tuple(sorted(sources)),
        mtus_sections=tuple(dict.fromkeys(sections)),
        pages=re.sub(r"\s+", "", pages.group("pages")).replace(",", ", ") if pages else None,
    )


def _mtus_sections(body: str) -> list[str]:
    if "Section(s)" not in body:
        old = _OLD_STYLE.search(body)
        return [old.group("topic").strip(" ,.")] if old else []
    sections: list[str] = []
    for guideline in _GUIDELINE_JOIN.split(body):
        _, found, listed = guideline.partition("Section(s):")
        if found:
            sections.extend(_split_sections(listed.strip().rstrip(".").strip()))
    return sections


def _split_sections(listed: str) -> list[str]:
    """Split "Opioids, criteria for use, Opioids for chronic pain" into two section names."""
    names: list[str] = []
    start, end = 0, len(listed)
    while start < end:
        known = next((k for k in _COMMA_SECTIONS if _starts_with(listed, k, start)), None)
        if known:
            names.append(listed[start : start + len(known)])
            start += len(known)
            while start < end and listed[start] in " ,":
                start += 1
            continue
        stop = next_start = end
        comma = listed.find(", ", start)
        while comma >= 0:  # "Opioids, criteria for use": a comma before a lowercase word stays
            after = comma + 2
            if after == end or listed[after] in _NAME_START:
                stop, next_start = comma, after
                break
            comma = listed.find(", ", after)
        names.append(listed[start:stop].strip())
        start = next_start
    return [re.sub(r"(\w)- (\w)", r"\1\2", name) for name in names if name]


_NAME_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _starts_with(text: str, prefix: str, at: int) -> bool:
    return text[at : at + len(prefix)].lower() == prefix.lower()


def _non_mtus_sources(part: str) -> set[str]:
    main, *other_parts = _OTHER_GUIDELINES.split(part, maxsplit=1)
    other = other_parts[0] if other_parts else ""
    found = set()
    if _ODG.search(main):
        found.add("ODG")
    if _ACOEM.search(main):
        found.add("ACOEM")
    if not found and main.strip(" ."):
        found.add("OTHER")
    if other.strip(" ."):
        found.add("OTHER")
    return found


# The chapters (MTUS: the guideline parts, "Knee Complaints 2004") of the guidelines a reviewer
# cites, each under one name, with how citations write it and how a question asks it ("the ODG
# Knee chapter", "MTUS Chronic Pain guidelines"). Pain only where a citation's topic starts
# with it ("ODG Pain Chapter, Topical Analgesics"; not "Knee & Leg, pain medications").
CHAPTERS = {
    "Pain": (r"^\W*(?:chronic )?pain\b|\bchronic pain\b", r"(?:chronic )?pain"),
    "Low Back": (r"\blow(?:er)? back\b", r"low(?:er)? back|lumbar(?: spine)?"),
    "Neck and Upper Back": (r"\bneck\b", r"neck(?: (?:and|&) upper back)?|cervical(?: spine)?"),
    "Shoulder": (r"\bshoulder\b", r"shoulder"),
    "Elbow": (r"\belbow\b", r"elbow"),
    "Forearm, Wrist and Hand": (
        r"\b(?:forearm|wrist|hand)\b",
        r"(?:forearm,? )?(?:wrist|hand)(?:,? (?:and|&) hand)?|forearm",
    ),
    "Hip and Pelvis": (r"\b(?:hips?|pelvis)\b", r"hips?(?: (?:and|&) pelvis)?|pelvis"),
    "Knee and Leg": (r"\bknee\b", r"knee(?: (?:and|&) leg)?"),
    "Ankle and Foot": (r"\b(?:ankle|foot)\b", r"ankle(?: (?:and|&) foot)?|foot"),
    "Head": (r"\bhead\b", r"head"),
    "Mental Illness and Stress": (
        r"\bmental\b|\bstress\b",
        r"mental (?:illness|health)(?: (?:and|&) stress)?|stress",
    ),
    "Fitness for Duty": (r"\bfitness for duty\b", r"fitness for duty"),
    "Preface": (r"\bpreface\b", r"preface"),
    "General Approaches": (r"\bgeneral approach", r"general approach(?:es)?"),
    "Acupuncture": (r"\bacupuncture treatment\b", r"acupuncture(?: medical)?(?: treatment)?"),
    "Opioids": (r"\bopioid treatment\b", r"opioids?(?: treatment)?"),
    "Postsurgical": (r"\bpost-?surgical\b", r"post-?surgical(?: treatment)?"),
    "Carpal Tunnel Syndrome": (r"\bcarpal tunnel\b", r"carpal tunnel(?: syndrome)?"),
    "Hernia": (r"\bhernia\b", r"hernia"),
}
# A guideline part the MTUS citation names before its year ("Low Back Complaints 2004"), and the
# topic an ODG citation names after the guideline ("(ODG) Knee & Leg Chapter, MRI"): bounded.
_MTUS_CHAPTER = re.compile(
    r"(?:MTUS(?:\s+ACOEM\s+Chapter\s+\d+)?|and|\))\s+([A-Z][A-Za-z,&/ -]{1,80}?)"
    r"(?:\s(?:19|20)\d\d\b|\s+Guidelines\b|\s+Page\(s\))"
)
_ODG_TOPIC = re.compile(
    r"(?:\(ODG\)|\bODG\b(?:\s+guidelines)?,?)\s*([^.;]{1,120}?)(?=\.|;|\band Other\b|$)", re.I
)


# A page or page range the reviewer cites in the rationale ("ACOEM Chapter 12, page 303",
# "pages 74-75"), besides the citation line's "Page(s): 303-305".
_PAGES_WRITTEN = re.compile(r"\bpages?\s+(\d{1,4}(?:\s*(?:-|,|and|to)\s*\d{1,4})*)", re.I)
MAX_PAGE_SPAN = 60  # a range wider than this is no page range ("pages 1-2016")


def pages_cited(citation: str, rationale: str) -> tuple[str, ...]:
    """Every page the reviewer cites, each a number as text, ranges spelled out ("303-305":
    303, 304, 305): from the citation line's "Page(s)" and the rationale's "page N"."""
    found: list[int] = []
    written = [m.group("pages") for m in _PAGES.finditer(" ".join(citation.split()))]
    written += [m.group(1) for m in _PAGES_WRITTEN.finditer(" ".join(rationale.split()))]
    for pages in written:
        for part in re.split(r"\s*(?:,|and)\s*", pages):
            low, _, high = re.sub(r"\s*(?:-|to)\s*", "-", part.strip()).partition("-")
            if not low.isdigit():
                continue
            last = int(high) if high.isdigit() else int(low)
            if int(low) <= last <= int(low) + MAX_PAGE_SPAN:
                found.extend(range(int(low), last + 1))
    return tuple(str(page) for page in dict.fromkeys(found))


def chapters_cited(text: str) -> tuple[str, ...]:
    """The chapters a citation names, each as "SOURCE:Chapter" ("ODG:Knee and Leg",
    "MTUS:Pain" for the Chronic Pain Medical Treatment Guidelines)."""
    text = " ".join(text.split())
    match = _NON_MTUS.search(text)  # the MTUS's part first, then the others'
    mtus, non_mtus = (text[: match.start()], text[match.end() :]) if match else (text, "")
    found = [f"MTUS:{c}" for m in _MTUS_CHAPTER.finditer(mtus) for c in _chapters_in(m[1])]
    found += [f"ODG:{c}" for m in _ODG_TOPIC.finditer(non_mtus) for c in _chapters_in(m[1])]
    return tuple(dict.fromkeys(found))


def _chapters_in(topic: str) -> list[str]:
    return [name for name, (written, _) in CHAPTERS.items() if re.search(written, topic, re.I)]
