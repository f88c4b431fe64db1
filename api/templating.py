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
from urllib.parse import quote, urlencode

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from rag.answer import FACET_WORDS
from rag.reasons import taxonomy
from rag.records import Item, Precedent, Reason
from rag.tokens import words
from rag.vocabulary import forms_of, treatments_named

TEMPLATE_DIR = Path(__file__).parent / "templates"


def highlight_terms(query: str) -> tuple[str, ...]:
    """The words of `query` worth marking, plus the other names of treatments it mentions.

    "Norco" also marks "hydrocodone": the passages that match through the synonym table show why.
    """
    # as typed: the lexical tokens drop plural endings ("arthritis" is searched as "arthriti")
    typed = {t for w in words(query) for t in (w, *w.split("-")) if len(t) > 1}
    names = {form for c in treatments_named(query) for form in forms_of(c)}
    return tuple(sorted(typed | names, key=lambda t: (-len(t), t)))


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


def humanize(value: str) -> str:
    """A stored value as a page shows it: "physical_therapy" -> "Physical therapy"."""
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


def facet_label(value: str) -> str:
    """A facet value's label: a reason code's own label, else the value humanised."""
    reason = taxonomy().get(value)
    return reason.label if reason else humanize(value)


def said(names: Sequence[str]) -> list[str]:
    """Facets an answer relaxed or narrowed by, in words ("alone": "the drug alone")."""
    return [FACET_WORDS.get(name, name.replace("_", " ")) for name in names]


def reason_anchor(item: Item, reason: Reason) -> str:
    """The id of a reason's sentence on the letter page."""
    return f"item-{item.index}-why-{reason.code}"


def url_with(params: Sequence[tuple[str, str]], key: str, value: str) -> str:
    """The search page's URL with `key=value` added (facet values add a filter)."""
    kept = [(k, v) for k, v in params if (k, v) != (key, value) and k != "k"]
    return "/?" + urlencode([*kept, (key, value)])


def rationale(item: Item, terms: Sequence[str] = ()) -> Markup:
    """An item's rationale, escaped, query terms marked, and each shown reason's sentence
    wrapped in an anchored <mark class="why"> that the reason chips link to."""
    text = item.rationale
    spans = []
    for reason in item.shown_reasons:
        start = text.find(reason.sentence)
        if start >= 0 and not any(
            a < start + len(reason.sentence) and start < b for a, b, _ in spans
        ):
            spans.append((start, start + len(reason.sentence), reason))
    out, at = [], 0
    for start, end, reason in sorted(spans, key=lambda s: s[0]):
        out.append(str(highlight(text[at:start], terms)))
        sentence = highlight(text[start:end], terms)
        anchor = escape(reason_anchor(item, reason))
        out.append(
            f'<mark class="why" id="{anchor}" title="{escape(reason.label)}">{sentence}</mark>'
        )
        at = end
    out.append(str(highlight(text[at:], terms)))
    return Markup("".join(out))


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
    env.filters["humanize"] = humanize
    env.filters["facet_label"] = facet_label
    env.filters["said"] = said
    env.globals["reason_anchor"] = reason_anchor
    env.globals["url_with"] = url_with
    env.globals["rationale"] = rationale
    env.globals["percent"] = percent
    return env


templates = Jinja2Templates(env=_environment())
