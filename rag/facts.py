"""Decision facts, read deterministically from an item's decision line: the category, body
regions, form, ingredients, drug class, quantity and refills of what was requested.

Drug names come from a maintained dictionary, `drug-named-entity-recognition` (brand and generic
names of ~20,000 drugs); `rag/data/treatments.toml` adds what it lacks (workers' compensation
combination brands and compounding kits, drug classes) and the words for categories, regions and
forms. A partial decision names the remaining portion; when that line names no treatment or body
part, the original request supplies them. The rules are in eval/FACTS.md; bump
rag.derived.FACTS_VERSION whenever what this module derives changes.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from rag.records import Facts, Item, Letter

TREATMENTS_FILE = Path(__file__).parent / "data" / "treatments.toml"
NOT_A_CLASS = frozenset({"acetaminophen", "caffeine", "glucosamine"})
CLASS_PRIORITY = (
    "medical_food", "opioid", "benzodiazepine", "muscle_relaxant", "nsaid", "anticonvulsant",
    "antidepressant", "sleep_aid", "ppi", "h2_blocker", "topical_anesthetic",
    "topical_analgesic", "antiemetic", "laxative", "corticosteroid", "antihistamine",
    "migraine", "stimulant", "erectile_dysfunction", "supplement", "other",
)  # fmt: skip
CANONICAL = {"electrodiagnostic": "EMG/NCV", "dme": "durable medical equipment"}
_NUMBERS = {
    w: str(n)
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": "30", "twenty-four": "24", "once": "1 times", "twice": "2 times"}
# Words the dictionary holds as a drug that people use for a kind of treatment: "a cortisone
# shot" is any corticosteroid injection (the concept table's), not the drug cortisone.
_LAY_WORDS = frozenset({"cortisone"})
_NOT_DRUGS = frozenset(
    """cream gel ointment patch patches tablet tablets tab tabs capsule capsules oral suspension
    solution base compound compounded transdermal retrospective prospective post-op pre-op
    unknown quantity refill refills supply month months week weeks day days daily hours needed
    mouth orally take apply affected area sodium hcl citrate dos per order purchase pharmacy
    coverage three two one four five six seven eight nine ten twelve container grams gram with
    and for the bid tid qid prn every times container trial sod ext extended release""".split()
)


@dataclass(frozen=True)
class _Tables:
    brands: dict[str, dict]
    classes: dict[str, str]  # generic -> class
    kindred: dict[str, tuple[str, ...]]  # class -> the classes standing in for it
    also: dict[str, tuple[str, ...]]  # class -> drugs of another class that are this one too
    categories: tuple[tuple[str, re.Pattern[str] | None], ...]
    regions: tuple[tuple[str, re.Pattern[str]], ...]
    forms: tuple[tuple[str, re.Pattern[str]], ...]
    compounded_only_topicals: tuple[str, ...]  # drugs sold as a topical only when compounded


@cache
def _tables() -> _Tables:
    with TREATMENTS_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    classes = {drug: cls for cls, drugs in data["classes"].items() for drug in drugs}
    return _Tables(
        brands=data["brands"],
        classes=classes,
        kindred={c: tuple(kin) for c, kin in data["kindred_classes"].items()},
        also={c: tuple(drugs) for c, drugs in data["also_of_class"].items()},
        categories=tuple(
            (c["name"], re.compile(c["pattern"]) if "pattern" in c else None)
            for c in data["category"]
        ),
        regions=tuple((name, re.compile(p)) for name, p in data["regions"].items()),
        forms=tuple((name, re.compile(p)) for name, p in data["forms"].items()),
        compounded_only_topicals=tuple(data["compounded_only_topicals"]),
    )


def facts_vocabulary() -> _Tables:
    """The category, region and form patterns and the drug tables (rag/data/treatments.toml)."""
    return _tables()


def question_drugs(text: str) -> list[tuple[str, str, str]]:
    """The drugs a question names, as (facet, value, words): ("ingredient", "hydrocodone",
    "Norco") for a drug, ("drug_class", "medical_food", "Theramine") for a product known only by
    its class, ("product", "acetaminophen+oxycodone", "Percocet") for the product a brand
    names beside its main drug. Acetaminophen and caffeine count only when named alone. A
    product of several drugs, named by its brand ("Terocin": lidocaine, menthol) or by its drugs
    joined ("hydrocodone/APAP", "Tylenol with codeine"), gives each of them with the product's
    words, even where another drug named gives one of them too ("Terocin or Lidoderm")."""
    normal = _normal(text)
    drugs = [drug for drug in _drugs(normal) if not drug.group]  # a class word ("SNRIs",
    # "analgesics") is not a drug: CLASS_WORDS reads those it knows
    # in the order the question names them: a drug named twice ("cyclobenzaprine cream instead
    # of Flexeril tablets") is named by its first words, not by whichever table knew it
    drugs.sort(key=lambda drug: _named_at(normal, drug.words))
    out: dict[tuple[str, str], str] = {}
    products: list[tuple[str, str, str]] = []
    joined = set()
    for words, parts in _combinations(normal, drugs):
        joined.update(parts)
        products += [("ingredient", i, words) for i in dict.fromkeys(
            i for part in parts for i in drugs[part].ingredients
        )]  # fmt: skip
    for drug in (drug for n, drug in enumerate(drugs) if n not in joined):
        words = " ".join(drug.words)
        if drug.drug_class and not drug.ingredients:
            out.setdefault(("drug_class", drug.drug_class), words)
        main = [i for i in drug.ingredients if i not in NOT_A_CLASS] or list(drug.ingredients)
        if len(main) == 1 < len(drug.ingredients):  # "Percocet": oxycodone, the product also
            # acetaminophen (an OxyContin is no Percocet)
            products.append(("product", "+".join(sorted(drug.ingredients)), words))
        if len(main) > 1:
            products += [
                ("ingredient", i, words) for i in main if ("ingredient", i, words) not in products
            ]
            continue
        for ingredient in main:
            out.setdefault(("ingredient", ingredient), words)
    return products + [(facet, value, words) for (facet, value), words in out.items()]


def brand_form(words: str) -> str | None:
    """The form of the product a brand names whatever the request says ("Lidoderm": a patch,
    "Tabradol": an oral suspension), or None (a brand of several forms, a generic name)."""
    entry = _tables().brands.get(" ".join(_normal(words).split()))
    return entry.get("form") if entry else None


def brand_compounded(words: str) -> bool:
    """Whether a brand names a compounding kit ("Tabradol": cyclobenzaprine as an oral
    suspension a pharmacy mixes), not the drug however made."""
    entry = _tables().brands.get(" ".join(_normal(words).split()))
    return bool(entry and entry.get("compounded"))


def _combinations(text: str, drugs: list[_Drug]) -> list[tuple[str, list[int]]]:
    """The products `text` names by their drugs joined by a slash, hyphen or "with"
    ("hydrocodone/APAP", "tramadol-acetaminophen", "Tylenol with codeine"): each one's words and
    the positions in `drugs` of its parts. A brand that is a product of several drugs already
    ("Norco": hydrocodone and acetaminophen) joins no other drug ("cyclobenzaprine with Norco")."""
    names = {" ".join(d.words): n for n, d in enumerate(drugs)}
    if len(names) < 2:
        return []
    name = "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True))
    joint = r"\s*[/-]\s*|\s+with\s+"
    found = []
    part = rf"(?:{name}|[a-z]+)"  # a part no dictionary knows alone: "APAP/caffeine/..."
    for m in re.finditer(rf"\b{part}(?:(?:{joint}){part})+\b", text):
        parts = dict.fromkeys(re.findall(rf"\b(?:{name})\b", m.group(0)))
        brands = [p for p in parts if p not in drugs[names[p]].ingredients and not _short(p)]
        products = [p for p in brands if len(drugs[names[p]].ingredients) > 1]
        if len(parts) > 1 and len(brands) < 2 and not products:  # "Synapryn / Tabradol": either
            # product; "cyclobenzaprine with Norco": Norco is a product already, the two drugs
            # are asked together, no product of them
            found.append((m.group(0), [names[p] for p in parts]))
    # a compound listing its drugs ("a compound cream with flurbiprofen and cyclobenzaprine",
    # "cream containing both ketoprofen and lidocaine"): one product of them all
    listed = rf"(?:{name})(?:\s*,\s*(?:{name}))*,?\s+and\s+(?:{name})"
    for m in re.finditer(
        rf"\b{_COMPOUND}\s+(?:with|containing|of)\s+(?:both\s+)?({listed})\b", text
    ):
        parts = dict.fromkeys(re.findall(rf"\b(?:{name})\b", m.group(1)))
        if not any(len(drugs[names[p]].ingredients) > 1 for p in parts):  # (no brand product)
            found.append((m.group(0), [names[p] for p in parts]))
    # a compound's drugs written one after another, as its label lists them, each with its
    # strength or before the compound's form ("flurbiprofen 10% dextromethorphan 5% lidocaine
    # 5%", "gabapentin cyclobenzaprine bupivacaine cream"): one product of them all
    strength = r"(?:\s+\d+(?:\.\d+)?\s*%)"
    for m in re.finditer(
        rf"\b(?:{name}){strength}?(?:\s+(?:{name}){strength}?)+(?=\s+{_COMPOUND}\b)|"
        rf"\b(?:{name}){strength}(?:\s+(?:{name}){strength})+",
        text,
    ):
        parts = dict.fromkeys(re.findall(rf"\b(?:{name})\b", m.group(0)))
        held = {i for p in parts for i in drugs[names[p]].ingredients}  # (each its own drug:
        # "AneCream 4% lidocaine cream" is lidocaine twice)
        if (
            len(parts) > 1
            and len(held) == len(parts)
            and all(len(drugs[names[p]].ingredients) == 1 and not _short(p) for p in parts)
        ):
            found.append((m.group(0), [names[p] for p in parts]))
    # a drug and an abbreviation written after it, as pharmacies label the product ("hydrocodone
    # APAP"): one product, not the abbreviation's drug asked alone
    for m in re.finditer(rf"\b({name})\s+({name})\b", text):
        first, second = m.groups()
        if _short(second) and not _short(first) and len(drugs[names[first]].ingredients) == 1:
            found.append((m.group(0), [names[first], names[second]]))
    return found


# What a pharmacy mixes: the words a compound listing its drugs follows.
_COMPOUND = r"(?:compound(?:ed)?|creams?|gels?|ointments?|lotions?|topicals?)"


def _short(word: str) -> bool:
    """Whether `word` is a drug's abbreviation, no brand ("APAP", "lido"): "hydrocodone/APAP"
    is one product."""
    return _tables().brands.get(word, {}).get("short", False)


# A drug's strength as a request or a question writes it: milligrams ("550mg", "7.5 mg"), or a
# combination's two parts ("10/325", "7.5-325mg": the acetaminophen part 100 mg or more, so no
# date, "12/07/2016", reads as one).
_STRENGTH = re.compile(
    r"(?<![\d.#/-])(\d+(?:\.\d+)?)(?:\s*[/-]\s*(\d+(?:\.\d+)?))?\s*(?:mg|mcg|milligrams?)\b"
    r"|(?<![\d.#/-])(\d+(?:\.\d+)?)\s*/\s*([1-9]\d{2,})(?![\d/.])",
    re.I,
)


def strengths_of(text: str) -> list[str]:
    """The strengths `text` writes, each as "550" or "10/325" (rag.fields: the column an
    answer narrows by the strength asked)."""
    out = []
    for m in _STRENGTH.finditer(text):
        first, second = (m[1], m[2]) if m[1] else (m[3], m[4])
        parts = [p.removesuffix(".0") for p in (first, second) if p]
        out.append("/".join(parts))
    return list(dict.fromkeys(out))


# A strength in percent ("Lidocaine 5%", "Flector 1.3%"), a topical's.
_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*%")


def percents_of(text: str) -> list[str]:
    """The strengths in percent `text` writes, each as "5%" or "1.3%" ("5.0%", "1.30%": the
    same), as rag.fields stores a request's and a question asks one."""
    said = (p.rstrip("0").rstrip(".") if "." in p else p for p in _PERCENT.findall(text))
    return list(dict.fromkeys(f"{p}%" for p in said))


def quantity_of(text: str) -> int | None:
    """The units, visits or sessions `text` asks for (a request line), else None."""
    return _quantity(_normal(text))[0]


def days_of(text: str) -> int | None:
    """How many days a request line asks a rental, supply or course for ("30 day rental",
    "a 2 month rental", "one month supply", "2 times a week for 6 weeks"), else None."""
    normal = _normal(text)
    if found := re.search(r"\bday supply:?\s*(\d+)", normal):  # "#60 day supply: 30"
        return int(found.group(1))
    if found := _DURATION.search(normal):
        return _upper(found) * _DAYS[found.group(3)[0]]
    return None


def per_week_of(text: str) -> int | None:
    """How many visits a week a request line asks ("3 times a week", "two to three times a
    week": 3, "twice weekly", "3x/week", "3 x 4" for three a week over four weeks), else None."""
    normal = _normal(text)
    if found := _PER_WEEK.search(normal):
        return _upper(found)
    return int(found.group(1)) if (found := _BY_WEEKS.search(normal)) else None


# A visit frequency, with a unit ("3 times", "3x"), "a", "per" or "/" before the week ("2 per
# week", "3/wk"); a number alone before "weeks" is a duration ("for 4 weeks").
_PER_WEEK = re.compile(
    r"\b(\d)(?:\s*(?:-|to)\s*(\d))?\s*(?:(?:x|times?|visits?|sessions?)\s*"
    r"(?:(?:a|per|each|every)\s+|/\s*)?|(?:a|per|each|every)\s+|/\s*)(?:week|wk|weekly)\b"
)
_BY_WEEKS = re.compile(r"\b(\d)\s*x\s*\d{1,2}\b(?!\s*(?:mg|ml|cm|mm|%))")  # "PT 3x4"


# A duration: "30 day", "14-day", "7-10 days", "2 month", "6 weeks"; not "every 4-6 hours".
_DURATION = re.compile(r"\b(\d+)(?:\s*(?:-|to)\s*(\d+))?\s*-?\s*(days?|weeks?|wks?|months?)\b")
_DAYS = {"d": 1, "w": 7, "m": 30}


def drug_classes() -> tuple[str, ...]:
    """Every drug class a medication can have, in priority order."""
    return CLASS_PRIORITY + ("compounded",)


def class_of(ingredient: str) -> str | None:
    """The drug class of a generic name ("nortriptyline": antidepressant), None if unknown."""
    return _tables().classes.get(ingredient)


def kindred_classes(drug_class: str) -> tuple[str, ...]:
    """The classes whose drugs stand in for `drug_class`'s as precedents ("ppi": H2 blockers)."""
    return _tables().kindred.get(drug_class, ())


def also_of_class(drug_class: str) -> tuple[str, ...]:
    """The drugs of another class that are `drug_class`'s too ("antihistamine": diphenhydramine,
    a sleep aid by its use): a question naming the class asks about them as well."""
    return _tables().also.get(drug_class, ())


def in_class(ingredient: str, drug_class: str) -> bool:
    """Whether a generic name is of `drug_class`: its own class, or one it is also of
    ("amitriptyline": antidepressant and tricyclic)."""
    return class_of(ingredient) == drug_class or ingredient in also_of_class(drug_class)


def annotate_facts(letter: Letter) -> Letter:
    """`letter` with every item's facts."""
    return replace(letter, items=tuple(replace(i, facts=extract_facts(i)) for i in letter.items))


def extract_facts(item: Item) -> Facts:
    """The facts of one item (its decision line; the original request fills what it lacks)."""
    line = _normal(item.name)
    request = _normal(item.original_request or "")
    drugs = _drugs(line) or _drugs(request)
    category = _category(line, drugs) or _category(request, drugs) or "other"
    regions = _regions(line) or _regions(request)
    medication = category == "medication"
    form = _form(line, drugs) if medication else None
    ingredients = tuple(sorted({i for d in drugs for i in d.ingredients})) if medication else ()
    quantity, refills = _quantity(line)
    if quantity is None and not _has_quantity_words(line):
        quantity = _quantity(request)[0]
    return Facts(
        category=category,
        region=regions[0] if len(regions) == 1 else "multiple" if regions else None,
        regions=regions,
        form=form,
        ingredients=ingredients,
        drug_class=(drug_class := _drug_class(drugs, form) if medication else None),
        compounded=medication
        and (any(d.compounded for d in drugs) or _compounded(line, form, ingredients, drug_class)),
        quantity=quantity,
        refills=refills,
        treatment=_treatment(category, line, ingredients),
        unresolved=_unresolved(line, drugs) if medication else (),
    )


# Tylenol #3 (or No. 3, #4): acetaminophen with codeine, named by its strength's number, which
# is no quantity.
_NUMBERED_CODEINE = re.compile(r"\btylenol\s*(?:#|no\.?|number)\s*[234]\b", re.I)
_VITAMIN = re.compile(r"\b([bd])-(3|12)\b", re.I)


def products_spelled(text: str) -> str:
    """`text` with "Tylenol #3" written as the product it names, "Tylenol with codeine", a
    vitamin's hyphen dropped ("B-12" as "B12"), and "replacement" dropped where it names a
    device's new part ("replacement TENS pads", "replacement batteries"), no joint's."""
    text = _VITAMIN.sub(r"\1\2", _NUMBERED_CODEINE.sub("Tylenol with codeine", text))
    return _replaced_part().sub("", text)


@cache
def _replaced_part() -> re.Pattern[str]:
    """ "replacement" before a device word (the DME category's) at most two words on, none of
    them a joining word ("knee replacement with a cold therapy unit" is an operation)."""
    devices = dict(_tables().categories)["dme"]
    assert devices is not None
    joining = r"(?:of|with|and|or|for|to|after|in|on|the|a|then|plus)\b"
    return re.compile(
        rf"\breplacement\s+(?:of\s+(?:the\s+|an?\s+)?)?(?=(?:(?!{joining})[\w/-]+\s+){{0,2}}{devices.pattern})",
        re.I,
    )


def _normal(text: str) -> str:
    """Lowercase, with number words as digits ("twelve visits" -> "12 visits") and products
    spelled out (`products_spelled`)."""
    lowered = products_spelled(text).lower()
    return re.sub(
        r"\b(" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")\b",
        lambda m: _NUMBERS[m.group(1)],
        lowered,
    )


def _named_at(text: str, words: tuple[str, ...]) -> int:
    """Where `text` first names `words` (its length when it does not)."""
    found = re.search(r"\b" + r"[\s-]+".join(map(re.escape, words)) + r"\b", text)
    return found.start() if found else len(text)


@dataclass(frozen=True)
class _Drug:
    words: tuple[str, ...]  # as the line names it
    ingredients: tuple[str, ...]
    form: str | None = None  # a form the product has whatever the request says
    drug_class: str | None = None
    group: bool = False  # a group of drugs the dictionary lists ("Benzodiazepines", "Analgesics")
    compounded: bool = False  # a compounding kit ("Synapryn": an oral suspension a pharmacy mixes)


def _drug_words(word: str, brands: Mapping[str, object]) -> list[str]:
    """`word`, or its parts where a hyphen joins drugs ("hydrocodone-acetaminophen" is
    hydrocodone and acetaminophen; "anti-inflammatory" stays one word)."""
    parts = word.split("-")
    if (
        len(parts) > 1
        and word not in brands
        and any(p in brands or _dictionary((p,)) for p in parts if p)
    ):
        return [p for p in parts if p]
    return [word]


# A drug's name is letters, or a vitamin's letter and number ("b12", "d3": brands in
# rag/data/treatments.toml).
_DRUG_WORD = re.compile(r"\b[bd](?:3|12)\b|[a-z][a-z-]*")


def _drugs(text: str) -> list[_Drug]:
    """The drugs `text` names: our brand table first, then the dictionary."""
    if not text:
        return []
    tables = _tables()
    found: list[_Drug] = []
    words = [part for word in _DRUG_WORD.findall(text) for part in _drug_words(word, tables.brands)]
    named = {w for w in words if w in tables.brands}
    for word in sorted(named):
        brand = tables.brands[word]
        ingredients = tuple(brand["ingredients"])
        found.append(
            _Drug(
                (word,),
                ingredients,
                brand.get("form"),
                brand.get("class"),
                compounded=brand.get("compounded", False),
            )
        )
    rest = [w for w in words if w not in named and w not in _LAY_WORDS]
    for entry, start, end in _dictionary(tuple(rest)):
        name = entry["name"].lower()
        if "," in name or " agents" in name:
            continue  # a class heading ("anti-inflammatory agents, non-steroidal"), not a drug
        form = "patch" if name.endswith(" patch") else None
        generic = re.sub(r"\s+(?:patch|cream|gel)$", "", name)
        if generic == "stool softeners":
            generic = "docusate"
        ingredients = tuple(p.strip() for p in generic.split("/"))
        group = not any(entry.get(k) for k in ("drugbank_id", "medline_plus_id", "is_brand"))
        found.append(_Drug(tuple(rest[start:end]), ingredients, form, group=group))
    return found


@cache
def _dictionary(words: tuple[str, ...]) -> list:
    from drug_named_entity_recognition import find_drugs  # a large table: loaded on first use

    return find_drugs(list(words), is_ignore_case=True)


def _category(text: str, drugs: list[_Drug]) -> str | None:
    if not text:
        return None
    for name, pattern in _tables().categories:
        if pattern is None:  # a drug named, a compound, or a strength: an unknown drug is one too
            if drugs or re.search(r"\bcompound|\d\s*(?:mg|mcg|%)(?![a-z])", text):
                return name
        elif m := pattern.search(text):
            if name == "consultation" and _OPERATION.search(text[: m.start()]):
                return "surgery"  # "knee arthroscopy with evaluation of the ACL" is an operation
            if name == "injection" and _shot(text, drugs, pattern):
                return "medication"
            return name
    return None


def _shot(text: str, drugs: list[_Drug], injection: re.Pattern[str]) -> bool:
    """Whether `text` asks for a drug given as a shot ("Toradol 60mg IM injection", "B12
    injections x 6"): a medication with form injectable (eval/FACTS.md), not an injection
    procedure, which names where it goes ("lidocaine injection to the right knee") or what
    procedure it is ("cortisone", "nerve block")."""
    named = {m.group(0) for m in injection.finditer(text)}
    return (
        any(d.ingredients and not d.group for d in drugs)
        and named <= {"injection", "injections"}
        and not _regions(text)
        and not re.search(r"\b(?:joint|bursa\w*|tendon|sheath|intra-?articular|trigger)\b", text)
    )


# An operation named before a consultation word makes the line an operation; "surgery" or
# "surgeon" alone does not ("spine surgery evaluation" is a consultation).
_OPERATION = re.compile(
    r"\b(?:arthroscop\w*|arthroplasty|meniscectomy|fusion|laminectomy|discectomy|decompression|"
    r"repair|release|acromioplasty|orif|osteotomy|debridement|tenodesis)\b"
)


def regions_of(text: str) -> tuple[str, ...]:
    """The body regions `text` names, as a request's are read."""
    return _regions(text.lower())


def _regions(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(sorted(name for name, pattern in _tables().regions if pattern.search(text)))


def _form(text: str, drugs: list[_Drug]) -> str:
    for drug in drugs:
        if drug.form:
            return drug.form
    for name, pattern in _tables().forms:
        if name == "oral" and "%" in text:
            return "topical"  # strengths in percent are creams and gels
        if pattern.search(text):
            return name
    return "topical" if "%" in text else "other"


def _compounded(line: str, form: str | None, ingredients: tuple[str, ...], cls: str | None) -> bool:
    """A compounded product: two or more drugs in one topical, a line that says compound or
    cream base, or a topical of a drug no maker sells as one (ketoprofen, cyclobenzaprine...).
    (A compounding kit the dictionary marks, "Synapryn", is one too: `extract_facts`.)"""
    if cls == "compounded" or re.search(r"\bcompound\w*|cream base", line):
        return True
    only = set(_tables().compounded_only_topicals)
    return form == "topical" and any(i in only for i in ingredients)


def _drug_class(drugs: list[_Drug], form: str | None) -> str | None:
    ingredients = {i for d in drugs for i in d.ingredients}
    fixed = [d.drug_class for d in drugs if d.drug_class]
    if fixed:
        return fixed[0]
    if form == "topical" and len(ingredients) >= 2:
        return "compounded"
    classes = {_tables().classes.get(i, "other") for i in ingredients - NOT_A_CLASS}
    if not classes:
        classes = {_tables().classes.get(i, "other") for i in ingredients}
    ranked = sorted(classes, key=lambda c: CLASS_PRIORITY.index(c) if c in CLASS_PRIORITY else 99)
    return ranked[0] if ranked else None


_RANGE = r"(\d+)(?:\s*(?:-|to)\s*(\d+))?"
_FREQUENCY = re.compile(
    _RANGE + r"\s*(?:times|x|visits?|sessions?)\s*(?:a|per|each|weekly|/)?\s*(?:week|wk)?s?\b"
    r"[^0-9#]{0,25}?"
    r"(?:for|x|times|over)\s*(?:a total of\s*)?" + _RANGE + r"\s*(?:weeks?|wks?)\b"
)
_DAILY = re.compile(r"\bdaily\b[^0-9#]{0,20}?(?:for|x)\s*" + _RANGE + r"\s*weeks?\b")
_COUNT = re.compile(
    _RANGE + r"\s+(?:[a-z/-]+\s+){0,3}?(?:sessions?|visits?|treatments?)\b"
    r"(?!\s*(?:a|per|each)\s*(?:week|wk))"  # "3 visits per week" is a frequency
)
_PRODUCT = re.compile(r"\b(\d+)\s*(?:times|x)\s*(\d+)\b(?!\s*(?:weeks?|wks?|mg|ml|%))")
_TIMES = re.compile(r"\b(?:times|x)\s*(\d+)\b(?!\s*(?:weeks?|mg|ml|%))")
_REFILLS = re.compile(r"\b(\d+)\s*refills?\b")


def _quantity(text: str) -> tuple[int | None, int | None]:
    """(units, visits or sessions requested; refills) as numbers, or None."""
    if not text:
        return None, None
    refills = _REFILLS.search(text)
    text = _REFILLS.sub(" ", text)
    text = re.sub(r"\b[lcts]\d(?:-[lcts]?\d)?\b", " ", text)  # spinal levels are not counts
    amounts = (
        r"(?<![#\d.])\d+(?:\.\d+)?\s*(?:mg|ml|g|gm|grams?|%|mcg|cc|hours?|hrs|days?|months?)\b"
    )
    text = re.sub(amounts, " ", text)  # strengths, volumes and durations are not counts
    for pattern in (r"#\s*(\d+)", r"\((\d+)(?:\s+(?:sessions?|visits?))?\)", r"\bqty:?\s*(\d+)"):
        if found := re.search(pattern, text):
            return int(found.group(1)), _int(refills)
    counts = [_upper(m) for m in _COUNT.finditer(text)]
    if counts:
        return sum(counts), _int(refills)
    if found := _FREQUENCY.search(text):
        return _upper(found) * _upper(found, 3), _int(refills)
    if found := _DAILY.search(text):
        return 7 * _upper(found), _int(refills)
    if found := _PRODUCT.search(text):
        return int(found.group(1)) * int(found.group(2)), _int(refills)
    if found := _TIMES.search(text):
        return int(found.group(1)), _int(refills)
    if found := re.search(r",\s*(\d+)\s*$", text):
        return int(found.group(1)), _int(refills)
    return None, _int(refills)


def _has_quantity_words(text: str) -> bool:
    return bool(re.search(r"\d", text))


def _upper(match: re.Match[str], group: int = 1) -> int:
    """The upper bound of a range ("1 to 2" -> 2) at `group` (its low end) of `match`."""
    return int(match.group(group + 1) or match.group(group))


def _int(match: re.Match[str] | None) -> int | None:
    return int(match.group(1)) if match else None


# The kinds of imaging and injection named in a request line, first match wins.
_KINDS = {
    "imaging": (
        ("MRI", r"\bmri|magnetic resonance|mr arthrogram"),
        ("CT", r"\bct\b|cat scan"),
        ("X-ray", r"x-?rays?|radiograph"),
        ("bone scan", r"bone scan"),
    ),
    "injection": (
        ("epidural steroid injection", r"epidural|\besi\b|lesi"),
        ("facet injection", r"facet|medial branch"),
        # a joint or bursa injection of a corticosteroid ("1cc of dexamethasone", "Kenalog")
        (
            "corticosteroid injection",
            r"steroid|cortisone|dexamethasone|triamcinolone|kenalog|"
            r"depo-?medrol|methylprednisolone|betamethasone|celestone",
        ),
        ("trigger point injection", r"trigger point"),
        ("platelet-rich plasma injection", r"platelet|\bprp\b"),
    ),
}


def _treatment(category: str, line: str, ingredients: tuple[str, ...]) -> str:
    if category == "medication":
        if not ingredients:
            return "medication"
        main = sorted(ingredients, key=lambda i: (i in NOT_A_CLASS, i))
        return "/".join(main) if len(main) <= 2 else "compounded topical"
    for name, pattern in _KINDS.get(category, ()):
        if re.search(pattern, line):
            return name
    if category in _KINDS:
        return category
    return CANONICAL.get(category, category.replace("_", " "))


def _unresolved(line: str, drugs: list[_Drug]) -> tuple[str, ...]:
    """Words of a medication request that look like a drug name (a word of 4+ letters followed
    by a strength or a count) and that no vocabulary knows: kept for review, never dropped."""
    known = {w for d in drugs for w in d.words} | {i for d in drugs for i in d.ingredients}
    candidates = re.findall(r"([a-z][a-z-]{3,})\s+(?=\d|#)", line)
    return tuple(dict.fromkeys(w for w in candidates if w not in known and w not in _NOT_DRUGS))
