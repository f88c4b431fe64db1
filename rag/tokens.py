"""The lexical side's tokens: words and numbers as users type them, plus concept tokens.

Strengths ("10/325"), quantities ("#120" -> "120") and page ranges ("76-80", also "76" and "80")
stay whole, because users paste them from requests and citations. A concept mentioned in the text
adds the token `CONCEPT_PREFIX + id` ("~hydrocodone"), which no word can spell.
"""

from __future__ import annotations

import re
import unicodedata

from rag.vocabulary import mentioned

RRF_K = 60  # reciprocal rank fusion constant, shared by retrieval and re-ranking
CONCEPT_PREFIX = "~"
TOKEN = re.compile(r"\d+(?:[./-]\d+)*|[a-z]+")
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it of on or that the this to was were "
    "with which who what when does do did not no any ever".split()
)


# Controls, format marks (zero-width space and joiners, BOM), lone surrogates, private use and
# unassigned code points: nothing a user means to search for, and nothing any letter holds.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def clean_query(text: str) -> str:
    """A query as it is searched: invisible characters and U+FFFD dropped, whitespace collapsed,
    who asks dropped from its start ("Case manager: home health aide ...": no case management
    is asked about). Empty when no letter or digit is left: such a query would match arbitrary
    passages."""
    kept = "".join(
        c for c in " ".join(text.split()) if unicodedata.category(c) not in _INVISIBLE
    ).replace("\ufffd", "")
    kept = " ".join(_ASKER.sub("", " ".join(kept.split()), count=1).split())
    return kept if any(c.isalnum() for c in kept) else ""


# Who asks, introduced at the question's start ("Nurse case manager:", "UR nurse here -",
# "Attorney question:", "As an adjuster,"): their role, never what is asked.
_ASKER = re.compile(
    r"^(?:(?:i'?m|i am) an? |as an? )?(?:(?:nurse|rn|ur|claims|defen[cs]e|applicant(?:'?s)?|"
    r"workers'? comp(?:ensation)?|wc)\s+)*(?:case manager|nurse|adjuster|attorney|lawyer|"
    r"examiner|paralegal|physician|doctor|provider)(?:\s+(?:here|question|asking))?"
    r"\s*(?::|,|\s[-\u2013\u2014])\s*",
    re.I,
)


def concept_token(concept_id: str) -> str:
    return CONCEPT_PREFIX + concept_id


def item_words(text: str) -> list[str]:
    """Words of 4+ letters, singular: what a treatment name is matched on."""
    return [w.removesuffix("s") for w in re.findall(r"[a-z][a-z-]{3,}", text.lower())]


def words(text: str) -> list[str]:
    """Lowercase words and numbers, stopwords dropped ("10/325" and "76-80" kept whole)."""
    return [w for w in TOKEN.findall(text.lower()) if w not in STOPWORDS]


_ACHES = re.compile(r"(?:head|back|tooth|ear|stomach|belly|heart)aches$")


def plural_stem(word: str) -> str:
    """Harman's S stemmer (1991): the plural ending off ("visits" visit, "therapies" therapy,
    "injections" injection), nothing else; words of 3 letters or fewer kept. Ours: no stemmer
    library ships it, and Snowball's English stemmer (PyStemmer) measured lower on the tuning
    half (nDCG@10 0.894 against 0.899: it also cuts "associated", "radicular" to stems)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if _ACHES.search(word):  # "headaches": headache, not "headach" as "patches" is patch
        return word[:-1]
    if word.endswith(("ches", "shes", "sses", "xes", "zzes")):  # "patches", "classes": the
        return word[:-2]  # English "-es" plural, which Harman's rule would leave as "patche"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


# "x" as "times" beside a number ("2x/wk x 6 wks", "x30 days"): no word, and as a token it
# matched every "x-ray" (x, ray), so a massage order ranked x-rays of the same region first.
_TIMES = re.compile(r"(?<=\d)\s*x\b(?!-)|\bx\s*(?=\d)|(?<=\d)x(?=\d)", re.I)  # not "2 x-rays"


def lexical_tokens(text: str) -> list[str]:
    """`words(text)`, the parts of hyphenated ones ("76-80" adds "76", "80"), each without its
    plural ending (`plural_stem`), and concept tokens; "x" for "times" is dropped."""
    found = words(_TIMES.sub(" ", text))
    extra = [part for w in found if "-" in w for part in w.split("-")]
    return [plural_stem(w) for w in found + extra] + [concept_token(c) for c in mentioned(text)]
