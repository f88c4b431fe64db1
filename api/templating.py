"""The Jinja environment the pages and the error page share, and the filters they use.

Letter text is untrusted: autoescaping is on, and `highlight` escapes a passage *before* it wraps
query terms in <mark>, so the only markup it ever emits is its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from rag.records import Precedent
from rag.tokens import CONCEPT_PREFIX, lexical_tokens
from rag.vocabulary import forms_of, treatments_named

TEMPLATE_DIR = Path(__file__).parent / "templates"


def highlight_terms(query: str) -> tuple[str, ...]:
    """The words of `query` worth marking, plus the other names of treatments it mentions.

    "Norco" also marks "hydrocodone": the passages that match through the synonym table show why.
    """
    words = {t for t in lexical_tokens(query) if not t.startswith(CONCEPT_PREFIX) and len(t) > 1}
    names = {form for c in treatments_named(query) for form in forms_of(c)}
    return tuple(sorted(words | names, key=lambda t: (-len(t), t)))


def highlight(text: str | None, terms: Sequence[str] = ()) -> Markup:
    """`text` escaped, with whole-word matches of `terms` (and their plurals) wrapped in <mark>."""
    escaped = str(escape(text or ""))
    if not terms:
        return Markup(escaped)
    return Markup(_term_pattern(tuple(terms)).sub(_mark, escaped))


@lru_cache(maxsize=256)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    # Terms are escaped like the text, so "a&b" matches "a&amp;b". The first alternative swallows
    # whole entities, so a term such as "amp" or "39" can never split "&amp;" or "&#39;".
    alternatives = "|".join(re.escape(str(escape(t))) for t in terms)
    return re.compile(rf"(&#?\w+;)|(?<!\w)(?:{alternatives})(?:e?s)?(?!\w)", re.IGNORECASE)


def _mark(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1) else f"<mark>{match.group(0)}</mark>"


def link_items(text: str, precedents: Sequence[Precedent]) -> Markup:
    """`text` escaped, with each precedent's item id ("CM16-0213037#2") linked to that item."""
    links = {
        str(escape(p.item_id)): f"/letters/{quote(p.item.letter_id)}#item-{p.item.index}"
        for p in precedents
    }
    if not links:
        return Markup(escape(text))
    ids = "|".join(re.escape(i) for i in sorted(links, key=len, reverse=True))
    return Markup(
        re.sub(
            rf"(?<![\w#-])({ids})(?!\w)",
            lambda m: f'<a href="{escape(links[m.group(1)])}">{m.group(1)}</a>',
            str(escape(text)),
        )
    )


def percent(part: int, whole: int) -> int:
    """`part` as a whole percentage of `whole` (0 when `whole` is 0)."""
    return round(100 * part / whole) if whole else 0


def pair(value: Any) -> tuple[str, str]:
    """A <select> option whose label is its value."""
    return str(value), str(value)


def guideline_option(source: str) -> tuple[str, str]:
    return source, "Other" if source == "OTHER" else source


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # every template is HTML; letter text is untrusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = highlight
    env.filters["link_items"] = link_items
    env.filters["pair"] = pair
    env.filters["guideline_option"] = guideline_option
    env.globals["percent"] = percent
    return env


templates = Jinja2Templates(env=_environment())
