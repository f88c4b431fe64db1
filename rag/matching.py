"""Which indexed items a question's facets name, as masks over the snapshot's items.

Read from the value columns the decision facts wrote at ingest (`rag.fields`), so a mask costs
one pass over a column however large the corpus. Used by the answer's population
(`rag.population`) and by ranking (`rag.retrieval`: an item whose requested treatment is the
query's outranks one whose rationale only mentions it).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

import numpy as np

from index.store import VectorStore
from rag import fields
from rag.facts import (
    NOT_A_CLASS,
    also_of_class,
    brand_compounded,
    class_of,
    facts_vocabulary,
    in_class,
)
from rag.tokens import concept_token
from rag.understanding import (
    SESSION_CARE,
    SPECIALTIES,
    STRUCTURES,
    UMBRELLAS,
    Question,
    class_for_care,
    drug_and_care_listed,
    forms_paired,
    member_word,
)


def column_mask(
    store: VectorStore, name: str, values: Collection[str], records: np.ndarray | None = None
) -> np.ndarray:
    """Items whose column `name` holds any of `values`: every item's answer, or one per
    position in `records` (what ranking asks for its candidates)."""
    wanted = set(values)
    column = store.column(name)
    return column.mask(column.codes_where(lambda v: v in wanted), records)


def any_value(store: VectorStore, name: str, records: np.ndarray | None = None) -> np.ndarray:
    """Items whose column `name` holds any value at all (a region named, a guideline cited)."""
    return column_mask(store, name, store.column(name).values, records)


def mentioning(store: VectorStore, tokens: list[str], text_fields: tuple[str, ...]) -> np.ndarray:
    """Items whose text fields `text_fields` hold any of the lexical `tokens`."""
    found = np.zeros(store.records, bool)
    for field in text_fields:
        owners, _ = _holding(store, field, tokens)
        found[owners] = True
    return found


def affirming(
    store: VectorStore,
    tokens: list[str],
    field: str = fields.WHOLE,
    negated: str = fields.ABSENT,
) -> np.ndarray:
    """Items whose text field `field` (the whole text) holds one of `tokens` more often than
    `negated` (what their rationale negates) does ("intolerant to oral medication", not "no
    indication he was intolerant to oral medication")."""
    counts = np.zeros(store.records)
    for held, sign in ((field, 1.0), (negated, -1.0)):
        owners, times = _holding(store, held, tokens)
        np.add.at(counts, owners, sign * times)
    return counts > 0


def _holding(store: VectorStore, field: str, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The items whose text field `field` holds one of `tokens`, once per token held, and how
    often each holds it (none when the index has no such field)."""
    ids = store.term_ids(tokens)
    if not len(ids) or field not in store.text_fields():
        return np.zeros(0, np.int64), np.zeros(0)
    terms = store.record_terms(field)
    hit = np.isin(terms.terms, ids)
    owners = np.repeat(np.arange(len(terms)), np.diff(terms.offsets))[hit]
    return owners, terms.counts[hit].astype(float)


# What joins names given as alternatives or a list ("EMG/NCV", "Synapryn or Tabradol").
JOINT = r"\s*(?:,|/|\bor\b|\band\b)\s*"


def named_as_examples(question: Question, alternatives: bool = True) -> bool:
    """Whether the drugs named are examples of the class asked ("compounded suspensions, the
    Synapryn / Tabradol type", "compounds such as Terocin") or, with `alternatives`,
    alternatives to it ("a compounded pain cream (or a lidocaine ointment)"), not a narrowing
    of it."""
    lowered = question.text.lower()
    for words in dict.fromkeys(question.words("ingredient")):
        named = re.escape(words.lower())
        if not re.search(
            rf"\b(?:like|such as|e\.?g\.?,?|for example|for instance)\s+(?:the\s+)?"
            rf"(?:[\w-]+{JOINT})*{named}|{named}(?:{JOINT}[\w-]+)*\s+(?:type|kind|sort|"
            rf"variety|family)\b|\b{named}\s+(?:or|and)\s+(?:any\s+)?other\b"  # ("Pepcid or other
            # stomach-protecting drugs")
            + (rf"|\bor (?:an? |the )?{named}\b" if alternatives else ""),
            lowered,
        ):
            return False
    return True


def drug_class_mask(store: VectorStore, name: str, records: np.ndarray | None = None) -> np.ndarray:
    """Items of a drug class; "compounded" is every compounded product, one drug or several."""
    if name == "compounded":
        return column_mask(store, fields.COMPOUNDED, {"yes"}, records)
    mask = column_mask(store, fields.DRUG_CLASS, {name}, records)
    if also := also_of_class(name):  # "antihistamines": diphenhydramine, a sleep aid, too
        mask |= column_mask(store, fields.INGREDIENT, also, records)
    return mask


def drug_classes_mask(
    store: VectorStore, names: Collection[str], records: np.ndarray | None = None
) -> np.ndarray:
    """Items of any of the drug classes `names` (`drug_class_mask` for each)."""
    mask = np.zeros(store.records if records is None else len(records), bool)
    for name in names:
        mask |= drug_class_mask(store, name, records)
    return mask


def history_mask(
    store: VectorStore, question: Question, records: np.ndarray | None = None
) -> np.ndarray | None:
    """Items whose letter reports every treatment the question says the worker already had
    ("after failed PT", `rag.history`) and none it says the worker has not had yet ("not a
    single PT visit"); None when it says of none."""
    had, never = question.values("history"), question.values("not_had")
    if not had and not never:
        return None
    mask = np.ones(store.records if records is None else len(records), bool)
    asked = set(question.values("treatment")) & SESSION_CARE
    for treatment in had:
        done = column_mask(store, fields.DONE, {treatment}, records)
        if treatment in asked:  # more of the care asked ("8 more PT visits after 24"): a
            # review finding the earlier course brought no functional gain reports it had too
            done |= column_mask(store, fields.REASON, {"no_functional_improvement"}, records)
        mask &= done
    for treatment in never:  # "has not had a single PT visit": letters reporting none
        mask &= ~column_mask(store, fields.DONE, {treatment}, records)
    return mask


def treatment_mask(
    store: VectorStore, question: Question, records: np.ndarray | None = None
) -> tuple[np.ndarray | None, tuple]:
    """The items (of `records`, when given) of the treatment `question` names, and the facet
    that decided it: the drug class named (when it is a named drug's own, or no drug is named),
    else the drugs, else the procedures, else the category of care; a drug and another treatment
    listed ("Norco and an MRI"), both. (None, ()) when it names none."""
    classes, ingredients = set(question.values("drug_class")), set(question.values("ingredient"))
    treated = [f for f in question.facets if f.name == "treatment"]
    classes -= {  # a class word saying what a treatment is for ("an opioid detox"), not the
        # drugs asked
        f.value
        for f in question.facets
        if f.name == "drug_class" and class_for_care(question.text, f, treated)
    }
    mask, used = _drug_mask(store, question, classes, ingredients, records)
    if mask is not None and drug_and_care_listed(question):  # "Norco and an MRI": both
        care = _concepts_mask(store, question, set(question.values("treatment")), records)
        return mask | care, (*used, "treatment")
    if mask is not None:
        return mask, used
    categories = set(question.values("category"))
    if treatments := set(question.values("treatment")):
        mask = _concepts_mask(store, question, treatments, records)
        if categories:  # "a consult and an epidural": both
            mask |= column_mask(store, fields.CATEGORY, categories, records)
            return mask, ("treatment", "category")
        return mask, ("treatment",)
    if categories:
        return column_mask(store, fields.CATEGORY, categories, records), ("category",)
    return None, ()


def _drug_mask(
    store: VectorStore,
    question: Question,
    classes: set[str],
    ingredients: set[str],
    records: np.ndarray | None,
) -> tuple[np.ndarray | None, tuple]:
    """The items of the drug class or the drugs `question` names (`treatment_mask`), and the
    facet that decided it; (None, ()) when it names neither."""
    named, own, by_example = None, set(), set()
    if ingredients and classes:
        # A class only counts when it is a named drug's own ("NSAIDs like naproxen", "sleep
        # aids like Ambien" where no Ambien was decided), by the drug dictionary or by an
        # indexed item (a compound holding it), or when the drugs are named as its examples
        # ("sleep aids like trazodone", an antidepressant given for sleep: the class and the
        # drug); other class words are context ("constipation from opioids" in a question on
        # Colace).
        named = column_mask(store, fields.INGREDIENT, ingredients, records)
        own = {class_of(i) for i in ingredients}
        held = {
            c for c in classes if c in own or (drug_class_mask(store, c, records) & named).any()
        }
        by_example = classes - held if named_as_examples(question) else set()
        classes = held | by_example
    if classes:
        mask = drug_classes_mask(store, classes, records)
        if by_example:  # (the drug's own decisions too, under its own class)
            mask |= named
        if named is not None and classes & own and (forms := set(question.values("form"))):
            # a drug named beside its own class, in the form asked, whatever class its item
            # holds ("flurbiprofen compounded into a topical cream ... an anti-inflammatory")
            mask |= named & column_mask(store, fields.FORM, forms, records)
        elif named is None and (forms := set(question.values("form"))):
            # a class in a form ("a rub with a muscle relaxer mixed in"): the compounds holding
            # one of its drugs in that form too
            column = store.column(fields.INGREDIENT)
            holding = column.mask(
                column.codes_where(lambda v: any(in_class(v, c) for c in classes)), records
            )
            mask |= holding & column_mask(store, fields.FORM, forms, records)
        return mask, ("drug_class",)
    if ingredients:
        mask = column_mask(store, fields.INGREDIENT, ingredients, records)
        if "injectable" in question.values("form"):  # "a knee injection of lidocaine and
            # dexamethasone": the injection procedures naming the drug too (their facts hold
            # no drug: a procedure, not a medication)
            mask |= column_mask(store, fields.CATEGORY, {"injection"}, records) & column_mask(
                store, fields.NAME_WORD, ingredients, records
            )
        return mask, ("ingredient",)
    return None, ()


def _concepts_mask(
    store: VectorStore, question: Question, treatments: set[str], records: np.ndarray | None
) -> np.ndarray:
    """Items of the treatment concepts named. An umbrella concept is its category of care:
    named by its own words ("is surgery approved?") the category alone, as the concept also
    holds what only names it ("Associated surgical service: sling", "Spine surgery
    evaluation"); named by a member ("arthroscopy", "associated surgical services") the
    category and the concept, which `identity_masks` narrows to the items with the member's
    words (and, relaxed, leaves whole)."""
    own = {
        f.value
        for f in question.facets
        if f.name == "treatment" and f.value in UMBRELLAS and f.words.lower() in UMBRELLAS[f.value]
    }
    mask = column_mask(store, fields.CONCEPT, treatments - own, records)
    return mask | column_mask(store, fields.CATEGORY, treatments & set(UMBRELLAS), records)


# Categories of care whose body region is part of what was requested (a knee MRI is not a
# shoulder MRI); for the rest a region in the query is the worker's, not the treatment's.
REGION_BOUND = (
    "imaging", "electrodiagnostic", "injection", "surgery", "physical_therapy", "chiropractic",
    "acupuncture",
)  # fmt: skip


# The limb a joint is part of: a study requested for the whole limb ("EMG/NCV of the bilateral
# upper extremities", "MRI of the left lower extremity") studies the joint asked about (therapy
# for the "lower leg" is not therapy for the knee).
LIMBS = {
    "shoulder": "upper_extremities", "elbow": "upper_extremities",
    "wrist_hand": "upper_extremities", "hip": "lower_extremities", "knee": "lower_extremities",
    "ankle_foot": "lower_extremities",
}  # fmt: skip
# The spine level whose nerve roots a limb's nerves come from: an electrodiagnostic study of the
# legs tests the lumbar roots, one "of the lumbar spine" the legs' nerves and muscles.
ROOTS = {
    "lower_extremities": "lumbar", "lumbar": "lower_extremities",
    "upper_extremities": "cervical", "cervical": "upper_extremities",
}  # fmt: skip


SPINE = frozenset({"cervical", "thoracic", "lumbar"})


def identity_masks(
    store: VectorStore,
    question: Question,
    used: tuple[str, ...],
    records: np.ndarray | None = None,
    letters_tell: bool = False,
) -> dict[str, np.ndarray]:
    """`_identity_masks`; where a drug and another treatment are asked ("Norco and a lumbar
    MRI"), what makes the drug the one asked (its form, its product) is the drug's alone, and
    what makes the other treatment (its region, its member named) that treatment's alone."""
    masks = _identity_masks(store, question, used, records, letters_tell)
    if "treatment" in used and ("ingredient" in used or "drug_class" in used):
        care = _concepts_mask(store, question, set(question.values("treatment")), records)
        masks = {name: mask | care for name, mask in masks.items() if name in _DRUG_OWN}
        for name, mask in _identity_masks(
            store, question, ("treatment",), records, letters_tell
        ).items():
            if name not in _DRUG_OWN:  # (as if the other treatment were asked alone)
                masks[name] = mask | ~care
    return masks


def paired_forms(
    store: VectorStore, question: Question, records: np.ndarray | None = None
) -> list[tuple[str, np.ndarray]]:
    """For drugs named each in a form of its own (`forms_paired`: "topical lidocaine vs oral
    gabapentin"), each one's words and a mask of its items in that form; else none."""
    return [
        (
            said,
            _form_mask(store, _forms((form,), (said,)), records)
            & column_mask(store, fields.INGREDIENT, {drug}, records),
        )
        for drug, form, said in forms_paired(question)
    ]


def _form_mask(store: VectorStore, forms: set[str], records: np.ndarray | None) -> np.ndarray:
    """The items of these forms; for "oral", also the medications whose form is unsaid (a drug
    named without its form, "Etodolac", is taken by mouth)."""
    mask = column_mask(store, fields.FORM, forms, records)
    if "injectable" in forms:  # an injection procedure is given by injection
        mask |= column_mask(store, fields.CATEGORY, {"injection"}, records)
    if "oral" in forms:
        unsaid = column_mask(store, fields.FORM, {"other"}, records)
        mask |= unsaid & column_mask(store, fields.CATEGORY, {"medication"}, records)
    return mask


# What makes a drug the one asked (`_identity_masks`), of no other treatment.
_DRUG_OWN = frozenset({"form", "product", "holding", "alone"})


def _identity_masks(
    store: VectorStore,
    question: Question,
    used: tuple[str, ...],
    records: np.ndarray | None = None,
    letters_tell: bool = False,
) -> dict[str, np.ndarray]:
    """What makes the treatment the one asked about: the form named ("patch" is not "ointment",
    and a lidocaine injection is neither), for care whose region is part of it the body region
    ("knee MRI" is not "shoulder MRI"), the member of an umbrella concept named ("wheelchair"
    among DME), the specialist a consultation is with ("a spine surgeon"), a product of several
    drugs named by its brand (all of them), and for a drug that is mostly a combination's
    lesser part (acetaminophen, caffeine) the products of it alone. `used`: the facets that
    named the treatment (`treatment_mask`); the drugs named beside a class that named it ("opioids
    like Norco or tramadol") are its examples, not the products asked about. `letters_tell`:
    therapy naming no region is the region its letter's summary alone names (`_told_alone`:
    counted, not ranked; ranked, such items come with `region_told`)."""
    medication = "ingredient" in used or "drug_class" in used
    masks = {}
    if paired := paired_forms(store, question, records):  # "topical lidocaine vs oral
        # gabapentin": each drug in its own form
        masks["form"] = np.logical_or.reduce([mask for _, mask in paired])
    elif question.values("form"):  # whatever found the treatment: a lidocaine injection is no
        # gel
        forms = _forms(question.values("form"), question.words("form"))
        masks["form"] = _form_mask(store, forms, records)
    if question.values("region") and medication and "injectable" in question.values("form"):
        # "a knee injection of lidocaine": the injection procedures name where they go
        masks["region"] = column_mask(
            store, fields.REGION, set(question.values("region")), records
        ) | ~column_mask(store, fields.CATEGORY, {"injection"}, records)
    if question.values("region") and not medication:
        # equipment, labs, home care naming no region: the region asked is the worker's
        unbound = ~column_mask(store, fields.CATEGORY, REGION_BOUND, records)
        unbound &= ~any_value(store, fields.REGION, records)
        asked = set(question.values("region"))
        if not asked & SPINE:  # "a spine surgeon consult" names no level, but it is the spine's
            unbound &= ~column_mask(store, fields.NAME_WORD, {"spine", "spinal"}, records)
        limbs = {LIMBS[r] for r in asked if r in LIMBS}  # an EMG of the arms covers the hands
        of_limb = column_mask(store, fields.REGION, limbs, records)
        studied = of_limb & column_mask(store, fields.CATEGORY, {"electrodiagnostic"}, records)
        imaged = np.flatnonzero(of_limb & column_mask(store, fields.CATEGORY, {"imaging"}, records))
        if imaged.size:  # "MRI of the left lower extremity" images the joint its letter tells
            # (a knee strain's is no hip MRI)
            told = _told(store, question, imaged if records is None else records[imaged])
            studied[imaged if told is None else imaged[told]] = True
        roots = {ROOTS[r] for r in asked if r in ROOTS}  # "EMG/NCV of the hip, lumbar": the legs
        parts = {joint for joint, limb in LIMBS.items() if limb in asked}  # "EMG of the arms":
        # the hands' nerve studies too
        studied |= column_mask(store, fields.REGION, roots | parts, records) & column_mask(
            store, fields.CATEGORY, {"electrodiagnostic"}, records
        )
        masks["region"] = unbound | studied | column_mask(store, fields.REGION, asked, records)
        alone = _told_alone(store, question, records) if letters_tell else None
        if alone is not None:  # "Occupational therapy for six sessions" in a letter about the
            # wrist alone: the wrist's
            therapy = column_mask(store, fields.CATEGORY, _THERAPIES, records)
            masks["region"] |= therapy & ~any_value(store, fields.REGION, records) & alone
        if letters_tell:  # "Four sessions of physical therapy" where the worker's diagnoses are
            # of the right hip (the summary also tells of the low back and the leg): the hip's
            therapy = column_mask(store, fields.CATEGORY, _THERAPIES, records)
            diagnosed = _diagnosed_at(store, asked, records)
            masks["region"] |= therapy & ~any_value(store, fields.REGION, records) & diagnosed
        if letters_tell and records is None:  # "an assistant surgeon for shoulder surgery":
            # the shoulder operation's, in its letter
            masks["region"] |= operation_aside(store, question)
        if asked & SPINE:  # "Spinal manipulation 1 times 8" is the spine's, at the level
            # its letter tells (only those requests are read)
            spinal = np.flatnonzero(
                column_mask(store, fields.NAME_WORD, {"spine", "spinal"}, records)
            )
            at = spinal if records is None else records[spinal]
            if at.size and (told := region_told(store, question, at)) is not None:
                masks["region"][spinal[told]] = True
    if (named := _member_named(store, question, records)) is not None:
        masks["named"] = named
        if (category := _umbrella_category(store, question, named, records)) is not None:
            masks["category"] = category
    if (visit := _consultation_kind(store, question, records)) is not None:
        masks["named"] = visit & masks["named"] if "named" in masks else visit
    if specialties := question.values("specialty"):
        masks["specialty"] = _specialists(store, specialties, records)
    if structures := question.values("structure"):  # "a labral repair": no operation named
        # on another structure ("rotator cuff repair"); "arthroscopy of the knee" may be it, an
        # assistant surgeon or a wrist operation is not a meniscus's
        named = names_starting(store, _stems(structures), records)
        other = names_starting(store, _stems(set(STRUCTURES) - set(structures)), records)
        regions = {STRUCTURES[s][2] for s in structures}
        unnamed = ~other & column_mask(store, fields.REGION, regions, records)
        surgery = column_mask(store, fields.CATEGORY, {"surgery"}, records)
        # an operation no letter names ("a cubital tunnel release") matches none
        masks["structure"] = (named | unnamed if named.any() else False) | ~surgery
    if "ingredient" not in used:
        return masks
    named_by = _drugs_named(question)
    products = named_by.values()
    if (found := _products(store, products, records)) is not None:
        masks["product"], masks["holding"] = found
    if branded := _branded(named_by):
        # "Was Hysingla approved?" asks about hydrocodone alone, not every Norco holding it: a
        # brand of one drug is the items holding that drug and no other
        holds = column_mask(store, fields.INGREDIENT, branded, records)
        column = store.column(fields.INGREDIENT)
        other = column.mask(column.codes_where(lambda v: v not in branded), records)
        masks["alone"] = ~holds | ~other
    kits = {d for words, drugs in named_by.items() if brand_compounded(words) for d in drugs}
    kits -= {d for words, drugs in named_by.items() if not brand_compounded(words) for d in drugs}
    if kits:  # "Tabradol": the kit a pharmacy mixes, not every cyclobenzaprine tablet ("Tabradol
        # or Flexeril": the tablets too)
        holds = column_mask(store, fields.INGREDIENT, kits, records)
        kit = holds & column_mask(store, fields.COMPOUNDED, {"yes"}, records) | ~holds
        masks["product"] = masks["product"] & kit if "product" in masks else kit
    if alone := {d for drugs in products if drugs <= NOT_A_CLASS for d in drugs}:
        # "Is Tylenol approved?" asks about acetaminophen, not every Norco holding it
        holds = column_mask(store, fields.INGREDIENT, alone, records)
        ingredients = store.column(fields.INGREDIENT)
        combining = ingredients.codes_where(lambda v: v not in NOT_A_CLASS)
        combined = ingredients.mask(combining, records)
        others = {  # "Norco or Tylenol?", "Tylenol with codeine"
            d for drugs in products if not drugs <= NOT_A_CLASS for d in drugs - NOT_A_CLASS
        }
        named = column_mask(store, fields.INGREDIENT, others, records) if others else False
        alone_mask = ~holds | ~combined | named
        masks["alone"] = masks["alone"] & alone_mask if "alone" in masks else alone_mask  # (with
        # a brand of one drug beside it, "Tylenol or Hysingla": both hold)
    return masks


def in_letter(store: VectorStore, items: np.ndarray) -> np.ndarray:
    """Per item, how many of `items` its letter holds (itself included)."""
    letters = store.record_documents()
    per_letter = np.bincount(letters, weights=items, minlength=int(letters.max(initial=0)) + 1)
    return per_letter[letters]


def operation_aside(store: VectorStore, question: Question) -> np.ndarray:
    """The requests naming no region that go with an operation, of the kind `question` asks (an
    assistant surgeon, "post-op physical therapy 12 sessions"), in a letter deciding an
    operation on a region it asks ("shoulder surgery" asks no assistant's)."""
    asked = {*question.values("treatment"), *question.values("category")}
    if not asked & {"assistant_surgeon", *_THERAPIES}:  # (no such kind asked: none, unread)
        return np.zeros(store.records, bool)
    operated = column_mask(store, fields.CATEGORY, {"surgery"})
    operated &= column_mask(store, fields.REGION, set(question.values("region")))
    aside = column_mask(store, fields.TREATMENT, asked & {"assistant_surgeon"})
    aside |= column_mask(store, fields.CATEGORY, asked & set(_THERAPIES))
    return aside & ~any_value(store, fields.REGION) & (in_letter(store, operated) > 0)


# The region concepts (rag/data/concepts.toml) a letter's case summary may name.
_REGION_CONCEPTS = {
    "lumbar": "lumbar", "cervical": "cervical", "thoracic": "thoracic",
    "lower_extremities": "lower_extremity", "upper_extremities": "upper_extremity",
}  # fmt: skip
# ... and the words a summary names a joint by (as its tokens are: no plural ending)
_JOINT_WORDS = {
    "shoulder": ("shoulder",), "elbow": ("elbow",), "wrist_hand": ("wrist", "hand"),
    "hip": ("hip",), "knee": ("knee",), "ankle_foot": ("ankle", "foot"),
}  # fmt: skip


def region_told(store: VectorStore, question: Question, records: np.ndarray) -> np.ndarray | None:
    """Of `records` (positions), the requests of care whose region is part of it that name no
    region ("Spinal manipulation 1 times 8"), whose letter's case summary names the region the
    question asks: likely that region's, for ranking (an answer counts only those naming the
    spine, "spinal manipulation": `identity_masks`). Only `records` are read, so the cost does
    not grow with the corpus. None when the question asks no region the summaries' concepts
    hold."""
    told = _told(store, question, records)
    if told is None:
        return None
    bound = column_mask(store, fields.CATEGORY, REGION_BOUND, records)
    unnamed = np.diff(store.column(fields.REGION).matrix.offsets)[records] == 0  # no region
    return bound & unnamed & told


def _told(store: VectorStore, question: Question, records: np.ndarray) -> np.ndarray | None:
    """Of `records` (positions), those whose letter's case summary names a region the question
    asks; None when it asks none the summaries' concepts hold."""
    if not (spoken := _summary_words(question.values("region"))):
        return None
    return store.record_bm25(fields.CONTEXT, records, spoken) > 0  # Lucene's idf is never 0


def _summary_words(regions: Collection[str]) -> list[str]:
    """The tokens a letter's case summary names `regions` by (a concept, or a joint's words)."""
    said = [concept_token(_REGION_CONCEPTS[r]) for r in regions if r in _REGION_CONCEPTS]
    return said + [w for r in regions for w in _JOINT_WORDS.get(r, ())]


# The care given to a part of the body over sessions, whose requests often name none ("Physical
# therapy for 6 sessions"), where the letter's summary tells the part.
_THERAPIES = ("physical_therapy", "chiropractic", "acupuncture")


def _diagnosed_at(store: VectorStore, asked: set[str], records: np.ndarray | None) -> np.ndarray:
    """Of `records` (all items when None), those whose letter's diagnoses name a region `asked`
    (or its limb: "right arm numbness" beside a shoulder's impingement) and at most one other
    ("lumbar and cervical sprains": either's care; five regions: none's)."""
    column = store.column(fields.DIAGNOSED)
    terms, n = column.matrix.terms, len(column.matrix)
    owners = np.repeat(np.arange(n), np.diff(column.matrix.offsets))
    limbs = {LIMBS[r] for r in asked if r in LIMBS}
    named = np.isin(terms, column.codes_where(lambda v: v in asked))
    other = np.isin(terms, column.codes_where(lambda v: v not in asked | limbs))
    found = (np.bincount(owners[named], minlength=n) > 0) & (
        np.bincount(owners[other], minlength=n) <= 1
    )
    return found if records is None else found[records]


def _told_alone(
    store: VectorStore, question: Question, records: np.ndarray | None
) -> np.ndarray | None:
    """Of `records` (all items when None), those whose letter's case summary names a region
    the question asks and no other region (`_told`); None when it asks none the summaries'
    concepts hold."""
    asked = set(question.values("region"))
    if not (words := _summary_words(asked)):
        return None
    others = _summary_words({*_REGION_CONCEPTS, *_JOINT_WORDS} - asked)
    told = mentioning(store, words, (fields.CONTEXT,))
    told &= ~mentioning(store, others, (fields.CONTEXT,))
    return told if records is None else told[records]


def _branded(named_by: dict[str, set[str]]) -> set[str]:
    """The drugs a question names only by a brand of that one drug ("Hysingla": hydrocodone;
    not "tramadol (Ultram)", named by its own name too, nor acetaminophen's "Tylenol", which the
    products holding it are asked for as its lesser part)."""
    generic = {d for words, drugs in named_by.items() for d in drugs if d in words}
    return (
        {d for words, drugs in named_by.items() if len(drugs) == 1 for d in drugs if d not in words}
        - generic
        - NOT_A_CLASS
    )


def _drugs_named(question: Question) -> dict[str, set[str]]:
    """The drugs of each product the question names, by the words naming it ("terocin":
    lidocaine, menthol; "norco": hydrocodone)."""
    named: dict[str, set[str]] = {}
    for f in question.facets:
        if f.name == "ingredient":
            named.setdefault(f.words.lower(), set()).add(f.value)
    for f in question.facets:  # a brand's whole product ("percocet": oxycodone, acetaminophen)
        if f.name == "product" and f.words.lower() in named:
            named[f.words.lower()] = set(f.value.split("+"))
    return named


def _products(
    store: VectorStore, products: Collection[set[str]], records: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Of the products named (`products`: the drugs of each, `_drugs_named`), for one of several
    drugs, named by its brand ("Terocin": lidocaine and menthol) or by its drugs joined
    ("hydrocodone/APAP"), the items holding all of them and no other drug
    (but acetaminophen or caffeine, which products add unnamed), and the items of the other
    drugs named; None when no product of several drugs is named. Any one of its drugs alone is
    another product (a Lidoderm patch is no Terocin). Beside it, the items holding all of them
    among other drugs too (a compound of five drugs holding the two of "flurbiprofen/
    cyclobenzaprine cream"): what comes closest where none is the product."""
    if all(len(drugs) < 2 for drugs in products):
        return None
    exact = np.zeros(store.records if records is None else len(records), bool)
    among = np.zeros_like(exact)
    every = set(store.column(fields.INGREDIENT).values)
    for drugs in products:
        holding = np.ones_like(exact)
        for drug in drugs:
            holding &= column_mask(store, fields.INGREDIENT, {drug}, records)
        among |= holding
        # no other drug, but for those a product may add unnamed (caffeine, acetaminophen)
        exact |= holding & ~column_mask(
            store, fields.INGREDIENT, every - drugs - NOT_A_CLASS, records
        )
    return exact, among


def _specialists(store: VectorStore, specialties: tuple[str, ...], records) -> np.ndarray:
    """Items outside consultations, and consultations whose names name a specialist asked
    ("TOC to ortho spine surgeon", "Neurosurgeon evaluation" for "a surgeon")."""
    stems = tuple(stem for s in specialties for stem in SPECIALTIES[s][1])
    named = names_starting(store, stems, records)
    return named | ~column_mask(store, fields.CATEGORY, {"consultation"}, records)


def _stems(structures: Collection[str]) -> tuple[str, ...]:
    return tuple(stem for s in structures for stem in STRUCTURES[s][1])


def names_starting(
    store: VectorStore, stems: tuple[str, ...], records: np.ndarray | None
) -> np.ndarray:
    """Items whose name holds a word starting with one of `stems`."""
    names = store.column(fields.NAME_WORD)
    return names.mask(names.codes_where(lambda v: v.startswith(stems)), records)


def _member_named(
    store: VectorStore, question: Question, records: np.ndarray | None
) -> np.ndarray | None:
    """Items outside the concepts the question names a part of (a member of an umbrella, a kind
    of a treatment: `member_word`), and items inside whose names hold the part's word (any
    ending: "arthroscopic" holds arthroscopy); None when it names no part."""
    members: dict[str, list[str]] = {}
    alone: set[str] = set()  # the parts said in one word ("sling"; not "shower chair")
    for f in question.facets:
        if word := member_word(f):  # "a wheelchair, commode and shower chair": any of them
            members.setdefault(f.value, []).append(word)
            alone |= {word} if len(f.words.split()) == 1 else set()
    for f in question.facets:  # "aquatic therapy or land PT": the whole named beside its kind
        if f.name == "treatment" and member_word(f) is None:
            members.pop(f.value, None)
    if not members:
        return None
    found = np.ones(store.records if records is None else len(records), bool)
    others = set(question.values("treatment")) - set(members)  # "cold therapy unit" and sling
    also = column_mask(store, fields.CONCEPT, others, records) if others else np.zeros_like(found)
    names = store.column(fields.NAME_WORD)
    for concept, words in members.items():
        holds = names_starting(store, tuple(w[: max(5, len(w) - 3)] for w in words), records)
        # (or a brand's word ending in it: "Ultrasling" is a sling)
        whole = tuple(w for w in words if len(w) >= 5 and w in alone)
        holds |= names.mask(names.codes_where(lambda v, e=whole: v.endswith(e)), records)
        if short := {_SHORT_NAMES[w] for w in words if w in _SHORT_NAMES}:  # "PT/OT 18
            # sessions" is occupational therapy too (the name words hold no word that short)
            holds |= column_mask(store, fields.WORD, short, records)
        inside = column_mask(store, fields.CONCEPT, {concept}, records)
        inside |= column_mask(store, fields.CATEGORY, {concept}, records)  # its category too
        found &= holds | also | ~inside
    return found


# A kind's word, as requests name it short ("PT/OT").
_SHORT_NAMES = {"occupational": "ot"}


# The kinds of a consultation by the words its requests are named in: a clearance before an
# operation, a follow-up or office visit, an examination, a consultation or evaluation (not a
# functional capacity evaluation, which measures the worker rather than consulting anyone).
_VISIT_KINDS = (
    (re.compile(r"\bclearances?\b|\bpre-?op(?:erative)? (?:physical|exam|h ?& ?p)", re.I),
     ("clearanc",)),
    (re.compile(r"\b(?:follow[- ]?ups?|f/u|(?:office|clinic) (?:visits?|appointments?))\b",
     re.I), ("visit", "follow")),
    (re.compile(r"\b(?:re-?)?exam(?:ination)?s?\b", re.I), ("exam", "reexam", "re-exam")),
    (re.compile(r"\b(?:consult\w*|referrals?|refer(?:red)?|evaluations?|evals?|second opinions?|"
                r"toc|transfer of care)\b", re.I),
     ("consult", "referr", "evaluat", "eval", "opinion", "toc")),
)  # fmt: skip


def _consultation_kind(
    store: VectorStore, question: Question, records: np.ndarray | None
) -> np.ndarray | None:
    """For a consultation asked by its kind (`_VISIT_KINDS`: "follow up office visits", "a
    medical clearance", "a spine surgeon consult"), the items outside consultations and those
    inside whose names say that kind; None when no consultation is asked, or none by a kind."""
    if "consultation" not in question.values("category"):
        return None
    said = " ".join(question.words("category"))
    kinds = [stems for pattern, stems in _VISIT_KINDS if pattern.search(said)]
    if not kinds or len(kinds) == len(_VISIT_KINDS):
        return None
    named = names_starting(store, tuple(s for stems in kinds for s in stems), records)
    if _VISIT_KINDS[0][1] not in kinds:  # no clearance asked: a capacity evaluation is no
        # consult (with a clearance asked beside an evaluation, as written, it is kept)
        named &= ~names_starting(store, ("capacit",), records)
    return named | ~column_mask(store, fields.CATEGORY, {"consultation"}, records)


def _umbrella_category(
    store: VectorStore, question: Question, named: np.ndarray, records: np.ndarray | None
) -> np.ndarray | None:
    """For a member of an umbrella that is a kind of its category of care ("fusion",
    "arthroscopy", "replacement": operations), the items outside the umbrella concept and those
    of the category: relaxing the member leaves the operations, not the services that only name
    surgery ("Associated surgical service: sling"). None when a member's words name no kind of
    the category (the facts' category words: "associated surgical services" are equipment and
    labs) and its items lie outside it, or none is named."""
    members = [f for f in question.facets if f.value in UMBRELLAS and member_word(f) is not None]
    if not members:
        return None
    umbrellas = {f.value for f in members}
    inside = column_mask(store, fields.CONCEPT, umbrellas, records)
    category = column_mask(store, fields.CATEGORY, umbrellas, records)
    words = dict(facts_vocabulary().categories)
    kinds = all((p := words.get(f.value)) and p.search(f.words.lower()) for f in members)
    if not kinds and (named & inside & ~category).any():
        return None
    return category | ~inside


def _forms(asked: tuple[str, ...], words: tuple[str, ...]) -> set[str]:
    """A question's form word as item forms: a gel or cream is any cream, gel or ointment; a
    topical, whatever its vehicle, a patch too ("Voltaren gel" is not the Flector patch)."""
    forms = set(asked)
    if "topical" in forms and any(w.lower().startswith("topical") for w in words):
        forms.add("patch")
    return forms


# A query citing a guideline ("ACOEM low back chapter, physical methods section"): only then does
# a section's name in it name the section ("muscle relaxants were tried first" cites none); and,
# for an answer, one asking what was cited ("decisions citing Cornerstones of Disability
# Prevention").
_CITING = re.compile(r"\b(?:mtus|acoem|odg|guidelines?|chapter|ch|section|sec|cpmtg)\b")
CITED = re.compile(r"\b(?:cit(?:e[sd]?|ing)|based on|rel(?:y|ied|ies) on|section|sec)\b")


def sections_named(store: VectorStore, query: str, citing: re.Pattern[str] = _CITING) -> set[str]:
    """The guideline sections the reviewers cite that a query citing a guideline (`citing`)
    names: by number ("sec 3.3.9") or by a name of two words or more ("physical methods
    section")."""
    lowered = " ".join(query.lower().split())
    if not citing.search(lowered):
        return set()
    return {
        s
        for s, named in _section_patterns(store.column(fields.SECTION).values)
        if named.search(lowered)
    }


@lru_cache(maxsize=8)
def _section_patterns(sections: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each cited section with what names it in a query, built once per snapshot's sections:
    its number ("3.3.9"), else its name of two words or more ("Muscle relaxants (for pain)":
    "muscle relaxants"); a one-word name names none."""
    out = []
    for section in sections:
        if number := re.match(r"\d+(?:\.\d+)+\b", section):
            out.append((section, re.compile(rf"(?<![\d.]){re.escape(number.group(0))}(?![\d.])")))
            continue
        name = re.split(r"[(:,]", section)[0].strip().lower()
        if len(name.split()) >= 2:
            out.append((section, re.compile(rf"\b{re.escape(name)}\b")))
    return tuple(out)
