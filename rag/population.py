"""The population an answer counts: every indexed item matching a question's facets, not the top
k hits. Masks over items come from the snapshot's value columns and term matrices, so counting a
population costs milliseconds however large the corpus.

* treatment: the drug class named, else the drugs (ingredients), else the procedure concepts,
  else the category of care. Nothing named that the corpus holds: the answer abstains.
* identity: the form named ("patch" is not "ointment"), for care whose region is part of it the
  body region ("knee MRI" is not "shoulder MRI", an EMG of the arms is one of the hands), the
  member of an umbrella or the kind named ("wheelchair" among DME, "aquatic" therapy, a word
  between an article and the treatment that its items' names say: "a bone scan"), the drugs
  a compound asked about holds, the specialist a consultation is with, all the drugs of a
  product named by its brand ("Terocin" is not every lidocaine), and for a drug that is
  mostly a combination's lesser part (acetaminophen) the products of it alone ("Is Tylenol
  approved?" is not about every Norco). Part of what the treatment is.
* qualifiers: the quantity asked (at least), the drug's strength ("Norco 10/325"), the visits a
  week asked (exactly: "three visits a week" is not twice a week), the days of a rental or supply
  (at least), the year decided in ("in 2017", "since 2016"), the expert reviewer's specialty
  ("orthopedic surgeon reviewers"), partial decisions, a request covering two or more body regions
  ("for several body parts"), where the care is given ("at the office": no device for home use;
  "used at home": the devices), a study asked as a repeat (the letter reports an earlier one of
  its kind, rag.history), the treatments the question says the worker already had ("after a course
  of PT": the letter reports them done), the condition (a reason code the question states, or its
  clinical words found in the rationale or the case summary, singular or plural, and a finding it
  asks absent among what the rationale negates), and another decision the question makes its
  situation ("the PPI, when the NSAID was upheld"): the items whose reviewer says they followed
  from it ("followed": "given that the naproxen was not medically necessary, the pantoprazole is
  also not"), else those whose letter holds it.

When the strict population is empty but the treatment is not, facets are relaxed one at a time
(RELAX_ORDER: the strength, variant, the findings beside a reason, condition, repeat, history,
followed or alongside, quantity, frequency, duration, year, reviewer, partial, several regions,
setting, named member or kind, all of a product's drugs, the drug alone, the structure operated on,
specialty, region, form, the member's category of care), those the last one dropped made unnecessary
are restored, and the answer says which. A word naming the treatment that no indexed letter holds
("prolotherapy" injections) is a variant the corpus has never decided: it matches nothing, so it is
relaxed first (but for a strength) and the answer names the neighbours as such. A drug no letter
holds names nothing in the corpus: the answer abstains, its class peers notwithstanding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from index.store import VectorStore
from rag import fields
from rag.intent import (
    UR_WORDS,
    asks_by_kind,
    asks_by_mechanism,
    asks_by_region,
    asks_by_reviewer,
    asks_date_order,
    asks_reasons,
    asks_requested,
    asks_ur_cited,
    outcome_words,
    reason_words,
)
from rag.matching import (
    CITED,
    JOINT,
    affirming,
    any_value,
    column_mask,
    history_mask,
    identity_masks,
    in_letter,
    mentioning,
    named_as_examples,
    names_starting,
    sections_named,
    treatment_mask,
)
from rag.negation import negations
from rag.reasons import FOLLOWED, taxonomy
from rag.retrieval import Retriever
from rag.tokens import CONCEPT_PREFIX, STOPWORDS, concept_token, item_words, lexical_tokens
from rag.understanding import (
    ASKED_BY,
    BILATERAL_MARKS,
    DRUGS,
    GENERIC,
    GUIDELINE_FAMILY,
    GUIDELINE_WORDS,
    NAME_PARTICLE,
    RELEASE_MARKS,
    REVIEWERS,
    TREATMENT_FACETS,
    UMBRELLAS,
    Facet,
    Question,
    drug_and_care_listed,
    name_run,
    region_word,
    sexes_named,
    treatments_listed,
)
from rag.vocabulary import concepts, conditions_named, mentioned

RELAX_ORDER = (
    "together", "strength", "variant", "finding", "condition", "repeat", "history", "followed",
    "alongside", "contrast", "release", "acquired", "side", "quantity", "frequency", "duration",
    "year", "age", "injured", "sex", "reviewer", "switched", "mechanism", "chapter", "section",
    "page", "partial", "regions", "letter", "items", "setting", "named", "product", "holding",
    "alone", "structure", "specialty", "region", "form", "category",
)  # fmt: skip


@dataclass(frozen=True)
class Population:
    items: np.ndarray  # mask over the snapshot's items
    matched_on: tuple[str, ...]  # facet names that decided it
    relaxed: tuple[str, ...]  # facet names dropped because nothing matched them all
    treatment: np.ndarray  # mask: the treatment (with its identity) alone
    narrowed_by: tuple[str, ...]  # qualifiers that narrowed `treatment` down to `items`
    unheard: tuple[str, ...] = ()  # the question's treatment words no indexed letter holds
    undecided: tuple[str, ...] = ()  # words of a treatment named that no item requests
    cited: tuple[str, ...] = ()  # the guideline sections the question names (`sections_named`)
    matched_apart: tuple[str, ...] = ()  # of `relaxed`, those the treatment matches alone

    @property
    def count(self) -> int:
        return int(self.items.sum())


def find_population(retriever: Retriever, question: Question) -> Population | None:
    """The items `question` asks about, or None when it names no treatment the corpus holds."""
    store = retriever.store
    if cases := question.values("case"):  # "What did IMR decide in CM17-0012582?": that
        # letter's decisions, every one (what else the question names orders them)
        found = retriever.cases_mask(cases)
        return Population(found, ("case",), (), found, ()) if found.any() else None
    sections = (  # "decisions citing Cornerstones of Disability Prevention and Management",
        # "sec 3.3.9" (not "Which guideline governs home health services?": what was cited)
        set() if _WHICH_CITED.search(question.text) else sections_named(store, question.text, CITED)
    )
    if sections:  # a treatment's words inside the section's name are the section's ("the
        # Office visits section"), no treatment asked
        titles = " ".join(s.lower() for s in sections)
        question = replace(
            question,
            facets=tuple(
                f
                for f in question.facets
                if f.name not in TREATMENT_FACETS or f.words.lower() not in titles
            ),
        )
    treatment, used = treatment_mask(store, question)
    asked = set(question.asked.split()) - ANYTHING  # "Has IMR approved anything for a worker
    # with CRPS?", "What decisions mention fibromyalgia?": no treatment asked
    if question.asks_guideline:  # "Which guideline applies when none was cited?"
        asked -= GUIDELINE_WORDS
    # ... nor when all it names is what the worker has ("decisions on workers with carpal
    # tunnel syndrome")
    named = {w for f in question.facets if f.name == "clinical" for w in f.words.lower().split()}
    anything = not asked or bool(named) and not asked - named - _DIAGNOSIS_WORDS
    # a state asked of no treatment ("because the order didn't say how many", "only weeks out
    # from the injury", "retro requests"): every decision in that state, not the items naming
    # its words ("weeks")
    states = state_concepts(question) if treatment is None else []
    if states and asked - _state_words(question, states):
        states = []
    if treatment is None and not states and not (anything and named):  # (not the names holding
        # a finding's words: "What was denied for carpal tunnel?" is no carpal tunnel release)
        treatment, used = _named_by_words(retriever, question), ("name",)
    if treatment is None and (
        _asks_decided(question) or (anything and question.values("clinical")) or states
    ):
        # "what happens to the remainders?", "are treatments the guidelines don't recommend
        # ever approved?": every decision, unless a word names something no letter holds
        rare = tuple(w for w in question.unknown_terms if _rare(retriever, w))
        if not unheard(retriever, rare):  # everyday words ("carrier", "shorter") name nothing
            treatment, used = np.ones(store.records, bool), ()
    # only what the worker has: the letters mentioning it, or nothing to answer from ("...
    # mention unicorns?"), never every decision
    worker_only = treatment is not None and not used and not _asks_decided(question)
    if treatment is None and _corpus_wide(question):  # "How often does IMR uphold denials?"
        treatment, used = np.ones(store.records, bool), ()
    if treatment is None and sections:  # every decision, those citing it
        treatment, used = np.ones(store.records, bool), ()
    if (
        treatment is None
        and (regions := question.values("region"))
        and not {w for w in asked if not region_word(w)}  # ("wrist and hand": one region)
        - _REGION_NOUNS
        - {w for f in question.facets if f.name == "region" for w in f.words.lower().split()}
    ):  # "What did IMR approve for knee injuries?": every decision of that region
        treatment, used = _column(retriever, fields.REGION, set(regions)), ()
    who_decided = (
        question.values("reviewer")
        or question.values("switched")
        or question.values("mechanism")
        or question.values("history")
    )
    if treatment is None and who_decided and anything:
        # "How often do chiropractor reviewers overturn?": every decision, by whom it was made
        # (or how the worker was hurt, "workers injured in a fall", or what the worker already
        # had, "anything for workers who already had PT?")
        treatment, used = np.ones(store.records, bool), ()
    if treatment is None or not treatment.any():
        return None
    masks = identity_masks(store, question, used, letters_tell=True)
    if "region" in masks and not used and treatment.all():  # "anything for neck pain with
        # radiculopathy": the decisions of that region (the drugs and devices no region binds
        # are the worker's own only beside a treatment asked)
        masks["region"] = _column(retriever, fields.REGION, set(question.values("region")))
    compounded = "drug_class" in used and "compounded" in question.values("drug_class")
    if compounded and question.values("ingredient") and not named_as_examples(question):
        # "compounded creams with gabapentin": the compounds holding a drug named (in ranking,
        # every compound matches the class and those holding it the drug too)
        holding = _column(retriever, fields.INGREDIENT, set(question.values("ingredient")))
        masks["named"] = holding | ~_column(retriever, fields.COMPOUNDED, {"yes"})
    identity_names = set(masks)  # form, region, member, specialist: what the treatment is
    if question.values("quantity"):
        masks["quantity"] = _quantity(retriever, question.values("quantity")[0])
        if (counted := counted_of(question)) is not None:  # "an MRI and 12 sessions of PT":
            # the count is the therapy's, every MRI still counts
            alone = replace(question, facets=_only_named(question, counted))
            masks["quantity"] |= ~treatment_mask(store, alone)[0]
    if question.values("frequency"):  # "three visits a week": asked at that frequency
        per_week = int(question.values("frequency")[0])
        masks["frequency"] = _numbers(retriever, fields.PER_WEEK, lambda n: n == per_week)
    if question.values("duration"):
        masks["duration"] = _days(retriever, int(question.values("duration")[0]))
    if question.values("contrast"):  # "with contrast": the requests whose names say so
        masks["contrast"] = _with_contrast(store, question.values("contrast")[0] == "with")
    if question.values("strength"):  # "Norco 10/325": the requests whose names say it (and any
        # other treatment asked beside the drug)
        asked = set(question.values("strength"))
        stated = _column(retriever, fields.STRENGTH, asked)
        masks["strength"] = stated | ~_column(retriever, fields.CATEGORY, {"medication"})
        if all(s.endswith("%") for s in asked):  # a topical's percent ("Lidoderm 5%"), which
            # its requests often leave unsaid: those naming another percent are not it
            column = store.column(fields.STRENGTH)
            masks["strength"] |= ~column.mask(column.codes_where(lambda v: v.endswith("%")))
    if question.values("release"):  # "tramadol ER": the requests whose names say so
        extended = column_mask(store, fields.WORD, RELEASE_MARKS)
        masks["release"] = extended if question.values("release")[0] == "extended" else ~extended
    if (acquired := question.values("acquired")) and acquired != ("compared",):  # "TENS unit
        # purchase": the requests whose names say so (both set against each other narrow
        # nothing: `acquisitions` tallies each)
        masks["acquired"] = _acquired(store, acquired[0])
    if question.values("side"):  # "bilateral": the requests whose names say both sides
        masks["side"] = column_mask(store, fields.WORD, BILATERAL_MARKS)
    if question.values("year"):
        masks["year"] = _year(retriever, question.values("year")[0])
    if question.values("age"):  # "a worker over 60": the letters' headers say the age
        low, high = map(int, question.values("age")[0].split("-"))
        masks["age"] = _numbers(retriever, fields.AGE, lambda n: low <= n <= high)
    if question.values("injured"):  # "date of injury 10/22/2016": the letters' headers say it
        day = question.values("injured")[0]  # (or a month: "2016-10", its every day)
        column = store.column(fields.INJURED)
        masks["injured"] = column.mask(column.codes_where(lambda v: v.startswith(day)))
        if not masks["injured"].any() and treatment.all():  # a day no letter gives: no
            # decision, not every one ("DOI 01/01/2015 decisions")
            return None
    if question.values("sex"):  # "female workers"
        masks["sex"] = _column(retriever, fields.SEX, set(question.values("sex")))
    if question.values("reviewer"):  # "orthopedic surgeon reviewers"
        masks["reviewer"] = np.logical_or.reduce(  # (two compared: either)
            [reviewed_by(retriever, v) for v in question.values("reviewer")]
        )
    if question.values("switched") == ("none",):  # "decisions that cited no guideline"
        masks["switched"] = ~any_value(store, fields.SOURCE)
    elif question.values("switched") == ("ur_none",):  # "the claims administrator did not cite
        # any medical evidence": UR's citation named no guideline
        masks["switched"] = ~any_value(store, fields.SWITCHED)
    elif family := question.cited_alone:
        # "cited only ODG", "when the MTUS is silent": that guideline, not the other
        sole = _sources_of(family)
        masks["switched"] = _column(retriever, fields.SOURCE, sole) & ~_column(
            retriever, fields.SOURCE, set(GUIDELINE_FAMILY) - sole
        )
    elif family := question.cited_any:
        # "where the reviewer cited ODG": that guideline, the other or not
        masks["switched"] = _column(retriever, fields.SOURCE, _sources_of(family))
    elif question.values("switched"):  # "a different guideline than UR"
        masks["switched"] = _column(retriever, fields.SWITCHED, set(question.values("switched")))
    if question.values("mechanism"):  # "a worker injured in a fall"
        masks["mechanism"] = _column(retriever, fields.MECHANISM, set(question.values("mechanism")))
    if question.values("letter"):  # "letters where every item was overturned", "split decisions"
        masks["letter"] = _column(retriever, fields.LETTER_MIX, set(question.values("letter")))
    if question.values("items") == ("most",):  # "Which letter had the most items?"
        decided = [int(v) for v in store.column(fields.LETTER_ITEMS).values if v.isdigit()]
        top = max(decided, default=0)
        masks["items"] = _numbers(retriever, fields.LETTER_ITEMS, lambda n: n == top)
    elif question.values("items"):  # "letters with more than three disputed items"
        fewest, most = map(int, question.values("items")[0].split("-"))
        masks["items"] = _numbers(retriever, fields.LETTER_ITEMS, lambda n: fewest <= n <= most)
    if question.values("chapter"):  # "citing the ODG Knee chapter"
        masks["chapter"] = _citing_chapter(retriever, question.values("chapter")[0])
    if sections:  # (the MTUS sections the reviewers cite, by name or number)
        masks["section"] = column_mask(store, fields.SECTION, sections)
    if question.values("page"):  # "citing ACOEM page 303"
        first, last = map(int, question.values("page")[0].split("-"))
        masks["page"] = _numbers(retriever, fields.PAGE, lambda n: first <= n <= last)
    if question.asks_partial:
        masks["partial"] = _column(retriever, fields.PARTIAL, {"yes"})
    devices = _column(retriever, fields.CATEGORY, {"dme"}) if question.values("setting") else None
    if devices is not None and (treatment & devices).any() and (treatment & ~devices).any():
        # "e-stim at the therapy office": no device for use at home; "heat packs used at home":
        # the devices (a setting that narrows nothing is not said)
        masks["setting"] = devices if question.values("setting") == ("home",) else ~devices
    if question.values("regions"):  # "for several body parts together"
        regions = store.column(fields.REGION).matrix.offsets
        masks["regions"] = np.diff(regions) >= 2
    if question.values("repeat"):  # "a repeat MRI": the letter reports an earlier one
        masks["repeat"] = _column(retriever, fields.PRIOR, {"yes"})
    if (had := history_mask(store, question)) is not None:  # "after a course of PT"
        if says_unhelped(question):  # "did PT and still isn't better": not the letters
            # saying the worker was improving with it ("physical therapy was helping")
            had &= ~affirming(store, [concept_token("improving")])
        masks["history"] = had
    kind_words = tuple(w for w in question.variant_terms if w not in _NO_KIND)  # not "extra"
    unheld = () if used == ("name",) else unheard(retriever, kind_words)
    kinds, apart = None, ()
    if unheld and used != ("name",) and set(unheld) < set(kind_words):  # "a bone scan or a PET
        # scan": the kinds the letters hold, either; those none holds are said apart
        either = _kind_named(store, question, unheld)
        if either is not None and (either & treatment).any():
            kinds, apart, unheld = either, unheld, ()
    if not unheld and not apart and used != ("name",) and question.variant_terms:
        # "a bone scan", "an open MRI": a word the letters hold, a kind of the treatment its
        # items' names say ("Three phase bone scan")
        kinds = _kind_named(store, question)
        if kinds is not None and not (kinds & treatment).any():  # "an upright MRI": a kind
            # no item's name says, one the corpus has not decided
            kinds, unheld = None, question.variant_terms
    undecided = _undecided(retriever, question) if "treatment" in used else ()
    if unheld or undecided:
        masks["variant"] = np.zeros(store.records, bool)
    elif kinds is not None:  # a kind the letters name is what the treatment is: its own
        # tally ("Bone scan: 1", not every imaging request's), kept longer than a qualifier ("an
        # open MRI after a fall": the open MRI, without the fall)
        masks["variant"] = kinds
        identity_names.add("variant")
    # each clinical phrase's items, read once for either (`_condition`) and all (`_together`)
    phrase_masks = cache(lambda: _phrase_masks(retriever.store, question))
    condition, finding = _condition(retriever, question, phrase_masks)
    if worker_only and finding is not None:  # (no treatment to relax towards: both hold)
        condition, finding = condition & finding, None
    if worker_only and (condition is None or not condition.any()):
        return None
    if condition is not None:
        masks["condition"] = condition
        if (together := _together(retriever.store, question, phrase_masks)) is not None:
            masks["together"] = together  # relaxed first: then any of them
    if finding is not None:
        masks["finding"] = finding
    if (alongside := _alongside(retriever, question)) is not None:
        beside, tied = alongside
        if (tied & treatment).any():  # the reviewer's own word beats the letter's layout
            masks["followed"] = tied
        else:
            masks["alongside"] = beside
    relaxed: list[str] = []
    order = RELAX_ORDER
    if "variant" in identity_names:  # (relaxed with the names, not first)
        rest = [n for n in RELAX_ORDER if n != "variant"]
        order = (*rest[: rest.index("named")], "variant", *rest[rest.index("named") :])
    names = [n for n in order[::-1] if n in masks]  # form, region, ... condition
    while True:
        items = treatment.copy()
        for name in names:
            items &= masks[name]
        if items.any() or not names:
            break
        dropped = next(n for n in order if n in names)
        relaxed.append(dropped)
        names.remove(dropped)
    for name in relaxed[-2::-1]:  # keep what the last one dropped made unnecessary to drop
        if (items & masks[name]).any():
            items &= masks[name]
            relaxed.remove(name)
            names.append(name)
    if "product" in names and "holding" in names:  # (the product's items hold all of its drugs:
        # it decided, not the step relaxing it)
        names.remove("holding")
    base = treatment.copy()  # the treatment as matched: with the identity facets kept
    for name in identity_names & set(names):
        base &= masks[name]
    qualifiers = (
        "contrast", "release", "acquired", "side", "quantity", "strength", "frequency", "duration",
        "year",
        "age", "injured", "sex", "reviewer", "switched", "mechanism", "chapter", "section", "page",
        "partial", "regions", "letter", "items", "setting", "condition", "together", "finding",
        "repeat",
        "history", "followed",
        "alongside",
    )  # fmt: skip
    qualifiers = tuple(n for n in qualifiers if n in names)
    # ("Flexeril 10mg #60, denied as beyond 2-3 weeks": Flexeril 10 mg decided, none for that)
    matched_apart = tuple(n for n in relaxed if (base & masks[n]).any())
    return Population(
        items=items & np.ones(store.records, bool),
        matched_on=(*used, *names),
        relaxed=tuple(relaxed),
        treatment=base,
        narrowed_by=qualifiers,
        unheard=unheld or apart,
        undecided=undecided,
        cited=tuple(sorted(sections)),
        matched_apart=matched_apart,
    )


def _state_words(question: Question, states: list[str]) -> set[str]:
    """The words of the question's phrases naming `states` ("retro" in "retro requests")."""
    lowered = question.text.lower()
    table = concepts()
    return {w for c in states for form in table[c].forms if form in lowered for w in form.split()}


def _asks_decided(question: Question) -> bool:
    """Whether `question` asks about decisions by how they were decided, whatever the treatment:
    UR's partial certification, or a decisive reason ("are treatments the guidelines don't
    recommend ever approved?")."""
    return question.asks_partial or bool(question.values("condition"))


def named_apart(
    retriever: Retriever, question: Question, items: np.ndarray
) -> list[tuple[str, np.ndarray]]:
    """The drugs, drug classes or other treatments a question names apart ("Norco and Soma",
    "Synapryn or Tabradol", "acupuncture or chiropractic care"), each with its own count among
    `items`: (its words, its items). Empty when it names fewer than two. A product's drugs are
    one ("Terocin"); a drug no decision concerns has no items ("Soma"), so an answer can say so
    instead of counting the others silently."""
    # a class beside a drug is the drug's own ("NSAIDs like naproxen") or context ("constipation
    # from opioids" in a question on Colace), not another thing asked
    naming = (
        ("ingredient", "product")
        if question.values("ingredient")
        else ("drug_class",)
        if question.values("drug_class")
        else ("treatment", "category")  # "imaging or medications"
    )
    if mixed := drug_and_care_listed(question):  # "Norco and an MRI"
        naming = (*naming, "treatment")
    groups: dict[str, list[Facet]] = {}
    for f in question.facets:
        if f.name in naming:
            groups.setdefault(f.words.lower(), []).append(f)
    if len(groups) < 2 or ("treatment" in naming and not (mixed or treatments_listed(question))):
        return []
    others = tuple(f for f in question.facets if f.name not in (*naming, "drug_class"))
    counted = counted_of(question)
    out = []
    for words, named in groups.items():
        own = others  # (the count only for the one it is said of: "an MRI and 12 PT visits")
        if counted is not None and counted not in named:
            own = tuple(f for f in others if f.name != "quantity")
        if mixed and not any(f.name in DRUGS for f in named):  # (the drug's form its own)
            own = tuple(f for f in own if f.name != "form")
        text = question.text  # (without the others' words: "than a plain x-ray" is no state of
        # the MRI asked, "no x-rays first")
        for other in groups.keys() - {words}:
            text = re.sub(rf"\b{re.escape(other)}\b", " ", text, flags=re.I)
        alone = find_population(retriever, replace(question, text=text, facets=(*named, *own)))
        relaxed = alone is None or alone.relaxed
        found = np.zeros_like(items) if relaxed else alone.items & items
        if not any(found.any() and np.array_equal(found, had) for _, had in out):  # one drug
            # by two names ("Trezix (the acetaminophen/caffeine/dihydrocodeine combo)")
            out.append((words, found))
    return out if len(out) > 1 else []


# How a request's name says equipment is bought or rented ("TENS unit, purchase", "30 day
# rental").
_ACQUIRED_MARKS = {
    "purchase": frozenset({"purchase", "purchased", "buy"}),
    "rental": frozenset({"rental", "rent", "rented"}),
}


def _acquired(store: VectorStore, how: str) -> np.ndarray:
    """The items whose request names `how` it is had ("purchase" or "rental")."""
    return column_mask(store, fields.WORD, _ACQUIRED_MARKS[how])


def acquisitions(retriever: Retriever, question: Question) -> list[tuple[str, np.ndarray]]:
    """Purchase and rental, each with the items whose request names it, where the question
    sets them against each other ("TENS unit, rental vs purchase"); [] otherwise."""
    if question.values("acquired") != ("compared",):
        return []
    return [(how, _acquired(retriever.store, how)) for how in _ACQUIRED_MARKS]


def _sources_of(family: str) -> set[str]:
    """The guideline sources the letters name that are of `family` ("MTUS": MTUS and ACOEM)."""
    return {source for source, of in GUIDELINE_FAMILY.items() if of == family}


# A question asking which guideline was cited ("What guideline governs home health services?"):
# the sections it names are what it asks of, not a narrowing.
_WHICH_CITED = re.compile(r"\b(?:what|which) (?:guidelines?|sections?|chapters?)\b", re.I)
# Words asking for no treatment in particular ("anything for the shoulder").
ANYTHING = frozenset({"anything", "something", "everything", "what", "ones"})
# What follows a diagnosis's name ("carpal tunnel syndrome").
_DIAGNOSIS_WORDS = frozenset(
    "syndrome syndromes disease diseases disorder disorders condition diagnosis".split()
)
# What follows a region's word in naming it ("the cervical spine", "the lumbar region").
_REGION_NOUNS = frozenset({"spine", "region", "area", "areas", "joint", "joints", "side"})
# What a question about the whole corpus says of it ("the overall uphold rate", "how many
# decisions are in the database"), and how often it asks ("Is it true IMR almost never
# overturns?", "Does IMR rarely overturn denials?").
_CORPUS = frozenset(
    """overall database corpus index indexed total percentage percent rate rates share number
    numbers all statistics stats ratio proportion fraction whole letter letters items true
    really almost never rarely seldom hardly set dataset data collection sample""".split()
)
# What a question asking why decisions went as they did says beside ("the most common reason for
# denial"): no treatment, so the corpus as a whole.
_WHY_WORDS = frozenset(
    "reason reasons common most main usual usually typical top grounds basis denial denials why "
    "decisions decision imr reviewers reviewer".split()
)

# Who a state said unread is of ("older workers", "a pregnant worker").
_WHO_SAID = re.compile(r"\b(?:workers?|patients?|claimants?|employees?|men|women|people)\b", re.I)
# What a question comparing how often says beside ("denied more often").
_COMPARED = frozenset("more less often frequently likely usually".split())
# How a question asks what IMR did for a group of workers, outcome words aside.
_DECIDED_FOR = re.compile(  # (or its decisions listed: "decisions about workers in their 60s")
    r"\b(?:decide[ds]?|decisions?|cases?|rule[ds]?|ruling|fare[ds]?|happen(?:s|ed)?|treat(?:s|ed)?|"
    r"handle[sd]?)\b",
    re.I,
)
# What a question asking how each reviewer specialty decides says beside.
_REVIEWER_WORDS = frozenset(
    "specialty specialties kind kinds type types doctors physicians often frequently".split()
)
# What a question asking how each body region fares says beside.
_REGION_WORDS = frozenset(
    "body region regions part parts area areas often frequently worst best most least".split()
)
# What a question asking how each mechanism of injury fares says beside.
_MECHANISM_WORDS = frozenset(
    """mechanism mechanisms cause causes kind kinds type types injury injuries injured hurt
    workers worker patients patient employees often frequently worst best most least outcome
    outcomes differ differs vary varies matter matters fare compare""".split()
)
# What a question asking which guidelines the reviewers cite says beside.
_CITING = frozenset(
    """cite cites cited citing citation citations guideline guidelines section sections page
    pages chapter chapters source sources often frequently more rely relied relies use used
    uses""".split()
)


def _words_of(question: Question, *names: str) -> set[str]:
    """The words (lowercase) the question's facets of `names` came from."""
    return {w for f in question.facets if f.name in names for w in f.words.lower().split()}


# The facets a question about every decision may have: what it asks of them, or of whom.
_OF_EVERY = frozenset(
    "outcome year age injured sex unread guideline chapter page regions letter items".split()
)


def _corpus_wide(question: Question) -> bool:
    """Whether `question` asks how IMR decides in general: an outcome or a count, of no treatment,
    condition or situation, in no words but those of the corpus as a whole."""
    if question.facets and not all(
        f.name in _OF_EVERY for f in question.facets
    ):  # (a year narrows it: "How many were overturned in 2016?"; what is said unread, the
        # answer says: "in December 2016")
        return False
    words = set(question.asked.split()) | set(question.unknown_terms)
    words -= _words_of(question, "unread", "age", "sex")  # the worker's words: who, not what
    # ("a worker over 60")
    words -= outcome_words(question.text)  # "side with the treating doctor"
    if question.values("injured"):  # "letters with date of injury 11/02/2016": all of them
        return not (words - _CORPUS - ANYTHING - _LIST_WORDS - _WHY_WORDS - STOPWORDS)
    sexes = sexes_named(question.text.lower())  # "male workers ... more often than female"
    who = any(  # (or who asked for the care: "requests from orthopedic surgeons")
        f.name == "unread" and (_WHO_SAID.search(f.words) or ASKED_BY.search(f.words))
        for f in question.facets
    )
    if question.values("age") or sexes or who:  # "Are female workers denied more often?", "Did IMR
        # approve anything for a worker over 60?": every decision of theirs
        words -= {w for named in sexes.values() for w in named.split()}
        words -= _CORPUS | ANYTHING | _COMPARED | _WHY_WORDS | STOPWORDS
        decided = _DECIDED_FOR.search(question.text)  # "What did IMR decide for women?"
        words -= {w.lower() for w in _DECIDED_FOR.findall(question.text)}
        return (question.asks_outcome or bool(decided)) and not words
    if question.values("regions"):  # "Were requests for multiple body parts upheld?": every
        # request naming two or more regions
        rest = (
            words
            - _words_of(question, "regions")
            - _CORPUS
            - ANYTHING
            - _WHY_WORDS
            - _LIST_WORDS
            - _REQUEST_WORDS
        )
        return question.asks_outcome and not rest
    if question.values("letter") or question.values("items"):  # "Which letters had every item
        # overturned?", "How many letters decided more than three items?": every decision of
        # those letters
        said = _words_of(question, "letter", "items")
        return not words - said - _CORPUS - ANYTHING - _WHY_WORDS - _LIST_WORDS - _REQUEST_WORDS
    if asks_by_reviewer(question.text):  # "Which reviewer specialties overturn most often?":
        # every decision, by its reviewer's specialty (rag.answer)
        return not words - _CORPUS - ANYTHING - _WHY_WORDS - _REVIEWER_WORDS
    if asks_by_region(question.text) and not question.values("region"):  # "Which body parts
        # are overturned most often?": every decision, by the region its request names
        return not words - _CORPUS - ANYTHING - _WHY_WORDS - _REGION_WORDS
    if asks_by_mechanism(question.text) and not question.values("mechanism"):  # "Which
        # mechanisms of injury are overturned most often?": every decision, by how the worker
        # was hurt (rag.answer)
        return not words - _CORPUS - ANYTHING - _WHY_WORDS - _MECHANISM_WORDS
    if question.asks_guideline:  # "Which guidelines are cited most often?", "How many
        # decisions cite ODG?": the citations across every decision (or UR's: "Which
        # guidelines did UR use most often?")
        ur = UR_WORDS if asks_ur_cited(question.text) else frozenset()
        return not words - _CORPUS - ANYTHING - _WHY_WORDS - _CITING - ur
    if asks_reasons(question.text):  # "What is the most common reason for denial?" (or "Which
        # documentation gaps defeat requests most often?": the words asking why)
        return not words - _CORPUS - ANYTHING - _WHY_WORDS - reason_words(question.text)
    if asks_by_kind(question.text) and (
        question.asks_outcome or asks_requested(question.text)
    ):  # "Which treatments are overturned most often?", "the most frequently requested
        # treatment": every decision, by its kind of care (rag.answer)
        return True
    if asks_date_order(question.text):  # "Show the most recent decisions": every decision,
        # the last made first
        return not words - _CORPUS - ANYTHING - _LIST_WORDS
    general = words & _CORPUS or _IN_GENERAL.search(question.text)  # not "Is it approved?"
    # nor "Which was overturned?", but "Which decisions were overturned?", "List the overturned
    # decisions": every decision, the overturned ones named
    general = general or (_LISTING.search(question.text) and question.asks_outcome)
    general = general or (_ANY_DECISIONS.search(question.text) and question.asks_outcome)
    # ("Were any decisions overturned?": every decision, the overturned ones named)
    general = general or (  # an outcome asked of nothing at all ("What got approved?", "What is
        # the overturn rate?"), not of what an earlier question named ("Was it approved?")
        question.asks_outcome
        and pointing_back(question.text) is None
        and not words - _CORPUS - ANYTHING - _LIST_WORDS
    )
    words -= _LIST_WORDS
    counts = question.asks_outcome or "how many" in question.text.lower()
    if question.values("year") and (
        _ANY_DECISIONS.search(question.text) or _LISTING.search(question.text)
    ):  # "Were any decisions made in 2018?", "Which decisions were made in January 2017?":
        # the year's (or month's), however few
        general = counts = True
    if (question.values("chapter") or question.values("page")) and question.asks_outcome:
        # "Were decisions based on the ODG Low Back chapter overturned?": those citing it
        general = True
    return bool(general and counts) and not words - _CORPUS - ANYTHING


_ANY_DECISIONS = re.compile(r"\b(?:any|some) (?:imr )?(?:decisions?|cases?|letters?)\b", re.I)
_LISTING = re.compile(
    r"^\W*(?:which|list|show|give me|name) (?:me |all |every |the )*(?:\w+ )?(?:decisions|cases)\b|"
    r"^\W*(?:list|show|give me|name) (?:me )?(?:all |every |the )*\w+ (?:decisions|cases)\b",
    re.I,
)


def pointing_back(text: str) -> str | None:
    """The word of `text` pointing back at what an earlier question named ("these" in "Does
    anyone ever win these?"), or None."""
    for m in _REFERENT.finditer(text):
        if m[0].lower() == "that" and _RELATIVE_AFTER.search(text, 0, m.start()):
            continue  # ("the most common thing that get denied": the thing, no earlier one)
        if m[0].lower() in ("they", "them", "these", "those") and _PLURAL_NAMED.search(
            text, 0, m.start()
        ):  # ("Overturned decisions - what did they have in common?": the decisions named)
            continue
        if not _OF_THE_CORPUS.match(text, m.end()):  # ("in these letters": the corpus's)
            return m.group(0)
    return None


# A general word for what is asked, before a "that" saying what befell it.
_RELATIVE_AFTER = re.compile(
    r"\b(?:things?|ones?|treatments?|requests?|items?|services?|procedures?|kinds?|types?|"
    r"drugs?|medications?|care)\s+$",
    re.I,
)
# The decisions named before a plural pronoun, its referent in the same question.
_PLURAL_NAMED = re.compile(
    r"\b(?:decisions|requests|denials|approvals|overturns|cases|items|letters|determinations|"
    r"reviews|appeals)\b",
    re.I,
)
_OF_THE_CORPUS = re.compile(  # ("in this set", "in this database": the corpus)
    r"\s+(?:imr )?(?:letters?|decisions?|cases?|items?|determinations?|set|data ?set|"
    r"database|corpus|collection|sample|index)\b",
    re.I,
)


# A word pointing back at what an earlier question named ("Was it approved?").
_REFERENT = re.compile(  # ("Which was overturned?": which of them)
    r"\b(?:it|its|that|this|these|those|they|them|one)\b|\bwhich (?:was|were|is|are|got|gets)\b",
    re.I,
)
_LIST_WORDS = frozenset({"list", "show", "give", "name", "me"})
# How a question names the requests it asks about ("requests naming multiple body parts").
_REQUEST_WORDS = frozenset("request requests naming name names covering cover covers".split())
_IN_GENERAL = re.compile(
    r"\bhow (?:often|many|frequently)\b|"
    r"\bwhat (?:share|percent(?:age)?|proportion|fraction|part)\b|"
    r"\bin general\b|\bgenerally\b|\busually\b|\btypically\b|\bmostly\b|\bmainly\b",
    re.I,
)


def _undecided(retriever: Retriever, question: Question) -> tuple[str, ...]:
    """The words of a treatment the question names beside another, not as its alternative, that
    no item requests ("radiofrequency ablation of the facet nerves" where only facet injections
    were decided): what it asks is a variant the corpus has never decided."""
    named = [f for f in question.facets if f.name == "treatment"]
    if len(named) < 2:
        return ()
    lowered = question.text.lower()
    out = []
    for f in named:
        words = re.escape(f.words.lower())
        if (
            re.search(rf"{words}{JOINT}|{JOINT}(?:an? )?{words}", lowered)
            or _column(retriever, fields.CONCEPT, {f.value}).any()
        ):
            continue
        out.append(f.words)
    return tuple(out) if len(out) < len(named) else ()


# Words of how much or in what order, which name no kind of a treatment ("additional PT" is any
# PT after some, not the items whose names say "additional").
_NO_KIND = frozenset(
    """additional extra further more continued continuing ongoing another new initial first
    second third repeat subsequent remaining requested prescribed recommended ordered pre-op preop
    post-op postop preoperative postoperative pre-operative post-operative times time""".split()
)


# What comes before a noun phrase naming a kind of treatment: an article, or, for a plural
# without one, the question's opening or its verb ("Are open MRIs approved?", "Were bone scans
# of the knee ..."), not a subject ("the doctor orders plain x-rays"); without an article, a
# word in -ing is what is done to the treatment ("extending acupuncture past 6 visits").
_ARTICLE = r"\b(?:an?|the|any) "
_BEFORE_KIND = (  # ("how many bone scans", "were all open MRIs")
    rf"(?:{_ARTICLE}|^\W*|\b(?:are|were|is|was|do|does|did|of|for|about|on|many|more|fewer|all|"
    rf"some|no) )"
)


def _kind_named(
    store: VectorStore, question: Question, unheld: tuple[str, ...] = ()
) -> np.ndarray | None:
    """Items whose names hold the words between an article (`_BEFORE_KIND`) and the one
    treatment the question names, once ("a bone scan", "an open MRI": any ending; "a 3-phase
    bone scan": each of them), where the words name a kind (not `_NO_KIND`); None when the
    question names no such words. Kinds named each beside the treatment in turn are either
    ("an open MRI or a positional MRI"), those `unheld` (no letter holds them) none ("a bone
    scan or a PET scan": the bone scans); None when all are unheld or the kinds are not so
    named."""
    named = [f for f in question.facets if f.name == "treatment"] or [
        f for f in question.facets if f.name == "category" and f.value == "medication"
    ]  # "diabetes meds": a kind of medication
    words, lowered = question.variant_terms, question.text.lower()
    if len(named) != 1 or not words:
        return None
    before = _ARTICLE if words[0].endswith("ing") else _BEFORE_KIND
    before += rf"(?:{NAME_PARTICLE} )?"  # the particle of a name ("De Quervain's")
    run = name_run(words)  # several, together: "a 3-phase bone scan", "De Quervain's release"
    number = r"(?:\w+[- ])?" if len(words) > 1 else ""  # "3-", "three "
    joined = r" (?:(?:for|of|with|during) (?:an? |the )?)?" if "guidance" in words else " "  # (the
    # imaging guiding it: "ultrasound guidance for injections")
    treatment = re.escape(named[0].words.lower())
    beside = rf"{before}{number}{run}{joined}{treatment}\b"
    if _NO_KIND & set(words):
        return None
    if not re.search(beside, lowered):  # a noun phrase's words, no verb ("the doctor orders
        # plain x-rays"); or each its own kind, named beside it in turn ("an open MRI or a
        # positional MRI"): either
        if len(words) < 2 or not all(
            re.search(
                rf"(?:{before}|\b(?:or|and) (?:an? )?|, ){re.escape(w)} {treatment}\b", lowered
            )
            for w in words
        ):
            return None
        kinds = [_kind_named_by(store, w) for w in words if w not in unheld]
        if not kinds:
            return None
        return None if any(k is None for k in kinds) else np.logical_or.reduce(kinds)
    if unheld:  # (a kind no letter holds, said alone or with another: none)
        return None
    umbrella = "|".join(map(re.escape, UMBRELLAS.get(named[0].value, ())))
    said = re.sub(rf"\b{treatment} (?:{umbrella})\b", treatment, lowered) if umbrella else lowered
    if mentioned(said).count(named[0].value) > 1:  # "arthroscopy ... subacromial
        # decompression": another operation named, not a kind of the first (but "hernia repair
        # surgery": the repair's kind, the surgery it is)
        return None
    found = None
    for word in words:  # every word in the names ("Three phase bone scan")
        kind = _kind_named_by(store, word)
        if kind is None:
            return None
        found = kind if found is None else found & kind
    return found


def _kind_named_by(store: VectorStore, word: str) -> np.ndarray | None:
    """Items whose names hold `word` (any ending); None when it is no word a name is read by."""
    stems = tuple(w[: max(4, len(w) - 3)] for w in item_words(word))
    return names_starting(store, stems, None) if stems else None


def unheard(retriever: Retriever, words: tuple[str, ...]) -> tuple[str, ...]:
    """The words no indexed text holds (`Retriever.indexed`). `words` are those right beside
    the treatment ("stem cell injections"); people ("my client's") never are
    (rag.understanding). A word is held in any of its forms ("rented": "rental")."""
    return tuple(w for w in words if not any(retriever.indexed(f) for f in (w, *_stem_forms(w))))


def _rare(retriever: Retriever, word: str) -> bool:
    """A word the embedding model's tokenizer splits, with and without its ending (a name like
    "prolotherapy"; "governs" is govern+s, an everyday word)."""
    stems = _stems(word, ("s", "es", "ed", "d", "ing"))
    return all(retriever.embedder.count_tokens(s) > 1 for s in stems if len(s) > 2)


def _named_by_words(retriever: Retriever, question: Question) -> np.ndarray | None:
    """Items whose name holds the question's most specific unknown word (the one fewest item
    names hold). None when it names nothing, or when a word no item name holds is the most
    specific: a treatment the corpus has never decided is not answered from its neighbours."""
    counts = retriever.name_word_counts()
    asked = set(question.asked.split())  # not what it is for ("a gym membership for weight loss")
    words = sorted(
        {w.removesuffix("s") for w in question.unknown_terms if not asked or w in asked},
        key=lambda w: (_held_in_names(w, counts), w),  # (the same order every run)
    )
    if not words or not _held_in_names(words[0], counts):
        return None
    found = _column(retriever, fields.NAME_WORD, {words[0]})
    for short in _SHORT_BESIDE.findall(question.asked):  # "a DNA test": only the tests whose
        # names say DNA (the name words are of four letters or more: any test matched)
        if short not in GENERIC and short not in STOPWORDS and not mentioned(short):
            found &= _column(retriever, fields.WORD, {short})
    lowered = question.text.lower()
    for word in words[1:]:  # "home exercise kit": a name holding "exercise" alone is no kit
        either = (  # ("large gloves and hygiene wipes": a word between)
            rf"\b{words[0]}\w*{JOINT}(?:[\w-]+ )?{word}|\b{word}\w*{JOINT}(?:[\w-]+ )?{words[0]}"
        )
        if word not in counts or word in _CARE_WORDS:  # ("shockwave therapy": the names
            # saying "shockwave treatments" too)
            continue
        if re.search(either, lowered):  # "gloves and wipes", "test or evaluation": either
            found |= _column(retriever, fields.NAME_WORD, {word})
        else:
            found &= _column(retriever, fields.NAME_WORD, {word})
    return found if found.any() else None


# Words naming care in general, which a name may write otherwise ("therapy", "treatments"), as
# the question's words are compared: without a final "s".
_CARE_WORDS = frozenset({"therapy", "therapie", "treatment", "session", "procedure"})


# A short word before another in what a question asks ("dna test", "eeg test"): an
# abbreviation that names the kind.
_SHORT_BESIDE = re.compile(r"\b([a-z]{2,3}) (?=[a-z]{4,}$)")


_DERIVED = ("", "s", "e", "es", "al", "ing", "ed", "er", "ment", "ation")


def unnamed(retriever: Retriever, phrases: tuple[str, ...]) -> list[str]:
    """Of `phrases` (treatments a question lists that no vocabulary knows: "H-wave units"),
    those holding a word no indexed item's name holds: no decision concerns them."""
    counts = retriever.name_word_counts()
    return [
        p
        for p in phrases
        if any(not _held_in_names(w, counts) for w in re.findall(r"[a-z][a-z-]{3,}", p.lower()))
    ]


def _held_in_names(word: str, counts: dict[str, int]) -> int:
    """How many item names hold `word`, or a word of its stem ("rented": "rental", "purchased":
    "purchase"), so that the word a question inflects otherwise is not taken for a treatment
    no letter names ("rent a hospital bed")."""
    if held := counts.get(word, 0):
        return held
    return max((counts.get(form, 0) for form in _stem_forms(word)), default=0)


def _stem_forms(word: str) -> Iterator[str]:
    """The words of `word`'s stem ("rented": rent, rental, rented, renting, ...)."""
    for stem in _stems(word, ("ed", "ing", "s", "al")):
        if len(stem) >= 4:
            yield from (stem + end for end in _DERIVED)


def _stems(word: str, endings: tuple[str, ...]) -> list[str]:
    """`word`, then `word` without each of `endings` it ends with ("rented": rented, rent)."""
    return list(dict.fromkeys([word, *(word[: -len(e)] for e in endings if word.endswith(e))]))


def _column(retriever: Retriever, name: str, values: set[str]) -> np.ndarray:
    return column_mask(retriever.store, name, values)


def _alongside(retriever: Retriever, question: Question) -> tuple[np.ndarray, np.ndarray] | None:
    """Items whose letter holds another decision on the treatment the question's situation
    names, with the outcome it names ("the PPI, when the anti-inflammatory was upheld"), and
    items whose reviewer says the decision followed from that one ("given that the naproxen was
    not medically necessary, the pantoprazole is also not"); None when it names none."""
    named = tuple(
        Facet(kind, value, f.words)
        for f in question.facets
        if f.name == "alongside"
        for kind, value in [f.value.split(":", 1)]
    )
    if not named:
        return None
    store = retriever.store
    situation, _ = treatment_mask(store, Question(question.text, named, ()))
    if situation is None:
        return np.zeros(store.records, bool), np.zeros(store.records, bool)
    outcomes = question.values("alongside_outcome")
    situation &= column_mask(store, fields.OUTCOME, outcomes)
    beside = in_letter(store, situation) - situation > 0  # another item of the letter, not
    # itself
    followed = _column(retriever, fields.REASON, {FOLLOWED[o] for o in outcomes if o in FOLLOWED})
    words = [t for f in named for t in lexical_tokens(f.words)]
    return beside, followed & mentioning(store, words, (fields.WHOLE,))


def quantity_column(asked: str) -> str:
    """The value column a quantity asked ("60 unit", "120 gram") is counted in."""
    return fields.GRAMS if asked.split(" ", 1)[1] in ("gram", "g", "gm", "ml") else fields.QUANTITY


_COUNTABLE = ("treatment", "ingredient", "drug_class")  # what a quantity may be said of
_EACH = re.compile(r"\b(?:each|apiece)\b")  # a count said of every one named


def counted_of(question: Question) -> Facet | None:
    """The one procedure a quantity is said of, when the question names two or more ("an MRI
    and 12 sessions of PT": the therapy, the one named nearest the count); None otherwise: a
    count beside drugs is said of them all ("omeprazole, pantoprazole or famotidine, 60 at a
    time", the drugs of one compound), as it is "each" and where it stands as near to two."""
    named = [f for f in question.facets if f.name in _COUNTABLE]
    count = next((f for f in question.facets if f.name == "quantity"), None)
    lowered = question.text.lower()
    if (
        count is None
        or len({f.value for f in named}) < 2
        or any(f.name != "treatment" for f in named)
        or _EACH.search(lowered)
        or (at := lowered.find(count.words.lower())) < 0
    ):
        return None
    end = at + len(count.words)

    def distance(f: Facet) -> int:
        where = lowered.find(f.words.lower())
        if where < 0:
            return len(lowered)
        if at <= where < end:  # named inside the count's words ("12 PT visits")
            return 0
        return min(abs(where - end), abs(at - (where + len(f.words))))

    nearest = min(named, key=distance)
    if any(distance(f) == distance(nearest) for f in named if f.value != nearest.value):
        return None
    return nearest


def _only_named(question: Question, kept: Facet) -> tuple[Facet, ...]:
    """The question's facets with `kept` the only treatment named."""
    return tuple(f for f in question.facets if f.name not in _COUNTABLE or f == kept)


def _quantity(retriever: Retriever, asked: str) -> np.ndarray:
    number = asked.split(" ", 1)[0]
    name = quantity_column(asked)
    return _numbers(retriever, name, lambda n: n >= int(number))


def _days(retriever: Retriever, days: int) -> np.ndarray:
    """Items whose request asks a rental, supply or course of `days` days or more."""
    return _numbers(retriever, fields.DAYS, lambda n: n >= days)


def _with_contrast(store: VectorStore, asked: bool) -> np.ndarray:
    """Items whose names say the study is with contrast ("MRI for lumbar spine with contrast",
    not "... without contrast"), or, `asked` False, the others: a request names contrast when
    it asks for it. (Names are read by their words of four letters or more: "w/o contrast"
    reads as with.)"""
    said = names_starting(store, ("contrast",), None)
    with_it = said & ~names_starting(store, ("without",), None)
    return with_it if asked else ~with_it


def _year(retriever: Retriever, asked: str) -> np.ndarray:
    """Items decided in the year asked ("in 2017"), or since, after or before it; or in a
    month of it ("in 2017-01", read from the day decided)."""
    word, year = asked.split(" ", 1)
    if "-" in year:  # "2017-01": the days decided (ISO) compared by their month
        test_month = {
            "since": lambda month: month >= year,
            "after": lambda month: month > year,
            "before": lambda month: month < year,
        }.get(word, lambda month: month == year)
        column = retriever.store.column(fields.DATE)
        return column.mask(column.codes_where(lambda day: test_month(day[:7])))
    test = {
        "since": lambda n: n >= int(year),
        "after": lambda n: n > int(year),
        "before": lambda n: n < int(year),
    }.get(word, lambda n: n == int(year))
    return _numbers(retriever, fields.YEAR, test)


def _citing_chapter(retriever: Retriever, asked: str) -> np.ndarray:
    """Items whose reviewer cited the chapter asked ("ODG:Knee and Leg"; "*:Low Back": of any
    guideline)."""
    source, chapter = asked.split(":", 1)
    column = retriever.store.column(fields.CHAPTER)
    return column.mask(
        column.codes_where(
            lambda v: v.partition(":")[2] == chapter and source in ("*", v.partition(":")[0])
        )
    )


def reviewed_by(retriever: Retriever, specialty: str) -> np.ndarray:
    """Items whose reviewer's specialty line lists `specialty` (`REVIEWERS`: "orthopedic
    surgery" is "Orthopedic Surgery, Sports Medicine" too)."""
    written = re.compile(REVIEWERS[specialty][1], re.I)
    column = retriever.store.column(fields.SPECIALTY)
    return column.mask(column.codes_where(lambda v: written.search(v) is not None))


def _numbers(retriever: Retriever, name: str, test: Callable[[int], bool]) -> np.ndarray:
    """Items whose value column `name` holds a number passing `test`."""
    column = retriever.store.column(name)
    return column.mask(column.codes_where(lambda v: v.isdigit() and test(int(v))))


# What a question says of a treatment the worker had: it did not help.
_UNHELPED = re.compile(
    r"\b(?:still (?:isn'?t|is not|not|no|hasn'?t|has not) (?:\w+ )?(?:better|improved)|"
    r"(?:not|no|isn'?t|wasn'?t|never got) (?:getting |any )?better|"
    r"(?:didn'?t|did not|hasn'?t|has not|never) (?:\w+ )?"
    r"(?:help|helped|improve|improved|work|worked)|"
    r"no (?:improvement|relief|benefit)|without (?:improvement|relief|benefit)|failed)\b",
    re.I,
)


def says_unhelped(question: Question) -> bool:
    """Whether the question says the treatments the worker had did not help ("did PT and still
    isn't better")."""
    return bool(question.values("history")) and bool(_UNHELPED.search(question.text))


def _condition(
    retriever: Retriever, question: Question, phrase_masks: Callable[[], list[np.ndarray]]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Items the question's condition holds for, and apart from them, those its findings hold for
    beside a reason it states ("Norco for CRPS without functional improvement": the reason's
    decisions, and the letters mentioning CRPS, which are relaxed first): a reason code, else
    its clinical words ("after a twisting injury with locking") in the rationale or the case
    summary (or in another item's rationale of its letter, for a region both are of), and the
    findings it asks absent ("no spasm on exam") among what the rationale negates. A code groups
    kindred reasons ("no risk monitoring": drug screens, CURES, agreements); when the question's
    words for it name a concept the vocabulary knows ("no urine drug screen"), the item's own
    text must mention that concept too."""
    store = retriever.store
    words = [t for w in question.values("clinical") for t in _finding_tokens(w)]
    # a condition concept whose phrase holds a clinical word ("can't swallow": oral medication
    # the worker cannot take) counts its other wordings too ("intolerant to oral medications")
    stated = None
    if "preoperative" in question.values("clinical"):  # "a pre-op EKG": the work-up named so,
        # or asked in a letter deciding an operation (not the EKG for palpitations)
        stated = names_starting(store, ("preop", "pre-op"), None) | _beside_operation(store)
    elif words:  # the case's words, not the rule's, where the rationale (or the case summary)
        # does not deny them ("no neurological deficits" is no worker with deficits); any of
        # them ("sciatica or other radicular symptoms"; all, said together, `_together`), each
        # of those said as one phrase ("a metatarsal fracture" is not any fracture), or by a
        # concept its words name, where the letter does not deny it
        stated = np.logical_or.reduce(phrase_masks())
        stated |= _letter_wide(store, stated)
    if stated is not None and "postoperative" in question.values("clinical"):
        # "Associated surgical service: cold therapy unit" is asked for an operation, whatever
        # its letter says of it
        names = store.column(fields.NAME_WORD)
        stated |= names.mask(names.codes_where(lambda v: v == "associated"))
    absent = []
    for words, findings in absent_findings(question):  # "when the exam never shows a spasm"
        said = [token for finding in findings for token in inflected(finding)]
        said += [t for t in lexical_tokens(words) if t.startswith(CONCEPT_PREFIX)]  # its concept
        absent.append(mentioning(store, said, (fields.ABSENT,)))  # any word of "no focal deficits"
    if any(a.any() for a in absent):  # what no letter negates narrows nothing ("no numbness
        # in a dermatome" beside "no real nerve root signs", which letters write)
        absent = [a for a in absent if a.any()]
    for mask in absent:
        stated = mask if stated is None else stated & mask
    if codes := set(question.values("condition")):
        found = _column(retriever, fields.REASON, codes)
        for kindred in concept_conditions(question).values():  # any of those one phrase names
            found &= mentioning(store, list(kindred), (fields.WHOLE,))
        return found, stated  # and the post-operative state
    if stated is None and (named := state_concepts(question)):
        # a state no reason code or clinical word holds ("a retro request", "only weeks out
        # from the injury"): the letters saying it in the concept's words, and not denying it;
        # a state the question denies ("when no plain x-rays were done first"), the letters
        # denying it
        denied = set(denied_states(question))
        found = np.ones(store.records, bool)
        for concept in named:
            token = [concept_token(concept)]
            if concept in denied:
                found &= mentioning(store, token, (fields.ABSENT,))
            elif concepts()[concept].unsaid:  # written inside a negation ("is not noted")
                found &= mentioning(store, token, (fields.WHOLE,))
            else:
                found &= affirming(store, token)
        return found, None
    return stated, None


def _beside_operation(store: VectorStore) -> np.ndarray:
    """Items whose letter decides an operation too (any outcome), the operation's own aside."""
    operations = column_mask(store, fields.CATEGORY, {"surgery"})
    return (in_letter(store, operations) > 0) & ~operations


def _letter_wide(store: VectorStore, stated: np.ndarray) -> np.ndarray:
    """The items whose letter states the case in another item of a region they share: a
    letter's "carpal tunnel" in its EMG's rationale is the case of its nerve conduction study
    of the same arm too (eval/ASK.md: the situation described in the letter). Items of no
    region (medications) keep their own: "refills" of one drug is not another's."""
    docs = store.record_documents().astype(np.int64)
    column = store.column(fields.REGION)
    regions = column.matrix
    owners = np.repeat(np.arange(len(regions)), np.diff(regions.offsets))
    pairs = docs[owners] * (len(column.values) + 1) + regions.terms
    out = np.zeros(store.records, bool)
    out[owners[np.isin(pairs, pairs[stated[owners]])]] = True
    return out


def absent_findings(question: Question) -> list[tuple[str, tuple[str, ...]]]:
    """The findings the question asks absent, grouped by the words negating them: each group
    one finding ("no focal deficits": focal, deficits), which a letter negates in any of its
    words ("no neurological deficits") or of its concept's ("no neurological dysfunction")."""
    groups: dict[str, list[str]] = {}
    for f in question.facets:
        if f.name == "absent":
            groups.setdefault(f.words, []).append(f.value)
    return [(words, tuple(g)) for words, g in groups.items()]


def state_concepts(question: Question) -> list[str]:
    """The condition concepts the question names, but the post-operative state, which its
    clinical word holds ("post-op sling" names a device; "after surgery" the state)."""
    asked = question.values("treatment")
    return [c for c in conditions_named(question.text, asked) if c != "postop"]


def denied_states(question: Question) -> list[str]:
    """The states the question names inside a negation ("when no x-rays were done first"): the
    letters denying them hold for it, not those saying them."""
    table = concepts()
    negated = " ".join(phrase for phrase, _ in negations(question.text))
    return [c for c in conditions_named(negated) if not table[c].unsaid]


def clinical_concepts(question: Question) -> list[str]:
    """The condition concepts the question names in a phrase holding one of its clinical words
    ("can't swallow": oral intolerance, which letters also write "intolerant to oral")."""
    table, lowered, clinical = concepts(), question.text.lower(), question.values("clinical")
    return [
        c
        for c in conditions_named(question.text)
        if c != "postop"  # (the case's words only: the clinical word's tokens hold its concept,
        # not the post-surgical visit limits the guidelines quoted give every request)
        and any(
            form in lowered and any(w in form.split() for w in clinical) for form in table[c].forms
        )
    ]


def _case_says(store: VectorStore, tokens: list[str]) -> np.ndarray:
    """Items whose case summary, or rationale, holds one of `tokens` and does not deny it."""
    return affirming(store, tokens, fields.CASE) | affirming(
        store, tokens, fields.CONTEXT, fields.CONTEXT_ABSENT
    )


def _together(
    store: VectorStore, question: Question, phrase_masks: Callable[[], list[np.ndarray]]
) -> np.ndarray | None:
    """Items whose letter mentions every clinical group the question asks together ("a
    contusion with a positive SLR": both; `_condition` holds either), None when it asks them
    as alternatives or asks one."""
    if not clinical_together(question):
        return None
    masks = phrase_masks()
    both = np.logical_and.reduce(
        [np.logical_or.reduce([masks[i] for i in group]) for group in _groups(question)]
    )
    return both | _letter_wide(store, both)


def _phrase_masks(store: VectorStore, question: Question) -> list[np.ndarray]:
    """For each clinical phrase of the question, the items whose case mentions it, all its
    words ("a metatarsal fracture" is not any fracture), or a concept its words name
    (`clinical_concepts`: "can't swallow" is "intolerant to oral medications" too), where the
    letter does not deny it."""
    out = []
    for phrase, own in zip(
        _phrases(question.text, question.values("clinical")), _named(question), strict=True
    ):
        mask = np.logical_and.reduce([_case_mentions(store, w) for w in phrase])
        if own:
            mask |= affirming(store, [concept_token(c) for c in own])
        out.append(mask)
    return out


def _named(question: Question) -> list[set[str]]:
    """For each clinical phrase of the question, the condition concepts its words name
    (`clinical_concepts`)."""
    table, named = concepts(), clinical_concepts(question)
    said = [set(" ".join(p).split()) for p in _phrases(question.text, question.values("clinical"))]
    return [{c for c in named if any(s & set(f.split()) for f in table[c].forms)} for s in said]


def _kin(question: Question) -> list[set[str]]:
    """For each clinical phrase of the question, the concepts its words name: the findings
    (radiculopathy for "SLR") and the conditions (`clinical_concepts`: GI risk for
    "heartburn")."""
    phrases = _phrases(question.text, question.values("clinical"))
    return [
        own
        | {
            t.removeprefix(CONCEPT_PREFIX)
            for t in lexical_tokens(" ".join(phrase))
            if t.startswith(CONCEPT_PREFIX)
        }
        for phrase, own in zip(phrases, _named(question), strict=True)
    ]


def _groups(question: Question) -> list[list[int]]:
    """The question's clinical phrases (their indexes) grouped by the concept they share: one
    finding said two ways ("a meniscal tear, positive McMurray's", "heartburn and epigastric
    pain") is one, either of its wordings."""
    groups: list[tuple[list[int], set[str]]] = []
    for i, own in enumerate(_kin(question)):
        if joined := next((g for g in groups if g[1] & own), None):
            joined[0].append(i)
            joined[1].update(own)
        else:
            groups.append(([i], set(own)))
    return [g[0] for g in groups]


def clinical_groups(question: Question) -> list[list[str]]:
    """The clinical words of the question asked together (`clinical_together`), by group
    (`_groups`): each group's phrases, said either way."""
    phrases = [" ".join(p) for p in _phrases(question.text, question.values("clinical"))]
    lowered, said = question.text.lower(), _clinical_said(question)

    def at(phrase: str) -> int:  # (in the order the question says them)
        phrase = phrase.lower()
        return lowered.find(phrase if phrase in lowered else said.get(phrase, phrase))

    groups = [sorted((phrases[i] for i in group), key=at) for group in _groups(question)]
    return sorted(groups, key=lambda group: at(group[0]))


def clinical_together(question: Question) -> bool:
    """Whether the question's clinical phrases are asked all together ("a contusion with a
    positive SLR", "depression and anxiety"), not as alternatives ("sciatica or other radicular
    symptoms", "depression/anxiety", "neuropathic rather than inflammatory"): two or more groups
    (`_groups`), with no "or" between them."""
    phrases = _phrases(question.text, question.values("clinical"))
    if len(phrases) < 2 or len(_groups(question)) < 2:
        return False
    lowered, said = question.text.lower(), _clinical_said(question)
    words = [w.lower() for p in phrases for w in p]
    # (a word read as another, "post op": postoperative, where the question says it; not a
    # clause holding another of them, "after abdominal surgery": one finding, said so)
    words = [w if w in lowered else said.get(w, w) for w in words]
    at = [lowered.find(w) for w in words]
    if min(at) < 0 or any(
        a < b < a + len(w) for a, w in zip(at, words, strict=True) for b in at if b != a
    ):
        return False
    between = lowered[min(at) : max(a + len(w) for a, w in zip(at, words, strict=True))]
    return not re.search(
        r"\bor\b|/|\beither\b|\bany\b|\bother\b|\bthan\b|\binstead\b|\bnot\b|\bvs\b|\bversus\b",
        between,
    )


def _clinical_said(question: Question) -> dict[str, str]:
    """Each clinical word of the question, with the words it was read from ("postoperative":
    "post op")."""
    return {f.value.lower(): f.words.lower() for f in question.facets if f.name == "clinical"}


def _phrases(text: str, words: tuple[str, ...]) -> list[list[str]]:
    """Clinical `words` grouped by the phrases `text` says them in, one after another
    ("metatarsal fracture": together; "sciatica or radicular": apart), less a word naming only
    that it is a diagnosis ("piriformis syndrome": piriformis; letters write "post-concussion
    disorder", "post concussive symptoms")."""
    lowered, phrases = text.lower(), []
    for word in words:
        if phrases and re.search(
            rf"\b{re.escape(phrases[-1][-1])}[\s-]+{re.escape(word)}\b", lowered
        ):
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return [[w for w in p if w not in _DIAGNOSIS_WORDS] or p for p in phrases]


def _case_mentions(store: VectorStore, words: str) -> np.ndarray:
    """Items whose case mentions clinical `words` (`_case_says`): a finding the vocabulary knows
    by its concept (`_finding_tokens`), else each of its words ("hearing loss": hearing and
    loss), a word joined by a dash as its parts or as one ("post-concussion", "post concussion",
    "postconcussion")."""
    tokens = _finding_tokens(words)
    if any(t.startswith(CONCEPT_PREFIX) for t in tokens):
        return _case_says(store, tokens)
    each = [_case_says(store, inflected(w)) for w in re.split(r"[\s-]+", words) if w]
    found = np.logical_and.reduce(each) if each else _case_says(store, tokens)
    if "-" in words:
        found |= _case_says(store, inflected(words.replace("-", "")))
    return found


def _finding_tokens(words: str) -> list[str]:
    """What a letter must hold to mention clinical `words`: a finding of several words the
    vocabulary knows ("nerve root") by its concept (any of its wordings: "radicular",
    "sciatica"), not by any one of its words ("nerve"); other words `inflected`."""
    whole = findings_named(words)
    return [concept_token(c) for c in whole] if whole else inflected(words)


def findings_named(words: str) -> list[str]:
    """The finding concepts clinical `words` of several words are a wording of."""
    said = " ".join(words.lower().split())
    if " " not in said:
        return []
    return [c.id for c in concepts().values() if c.kind == "finding" and said in c.forms]


def inflected(words: str) -> list[str]:
    """The lexical tokens of `words` with each word's singular and plural ("spasm": spasm,
    spasms; "headaches": headache), as letters write a finding either way."""
    out = []
    for token in lexical_tokens(words):
        out.append(token)
        if not token.isalpha():
            continue
        if token.endswith("ies"):
            out.append(f"{token[:-3]}y")
        elif re.search(r"[^siu]s$", token):  # not "arthritis", "stenosis", "spinous", "loss"
            out.append(token[:-1])
        elif not token.endswith("s"):
            out.append(f"{token[:-1]}ies" if token.endswith("y") else f"{token}s")
    return list(dict.fromkeys(out))


# a generic alternative beside the concept named ("PT or medications", "injections or other
# treatment"): the phrase asks any of them, so the concept narrows nothing
_ANY_ALTERNATIVE = re.compile(
    r"\bor (?:other |any )?(?:[\w-]+ )?(?:medications?|medicines?|meds|drugs|treatments?|"
    r"therap(?:y|ies)|pills|options)\b",
    re.I,
)


def concept_conditions(question: Question) -> dict[str, tuple[str, ...]]:
    """The question's words for a reason code that name a concept the vocabulary knows, other
    than the code's own subject ("no urine drug screen" for "no risk monitoring", not "without
    functional improvement" for "no documented functional improvement"), with the concepts'
    lexical tokens: what narrows the code's items to those mentioning it."""
    codes, out = taxonomy(), {}
    for f in question.facets:
        if f.name != "condition" or f.value not in codes:
            continue
        if _ANY_ALTERNATIVE.search(f.words):  # "hadn't failed PT or medications": any will do
            continue
        # the code's subject, not the kinds it groups in brackets ("No risk monitoring (drug
        # screens, CURES, agreement)": a question naming drug screens narrows to them)
        own = set(lexical_tokens(re.sub(r"\(.*?\)", " ", codes[f.value].label)))
        if concepts := tuple(t for t in lexical_tokens(f.words) if t[0] == "~" and t not in own):
            out[f.words] = concepts
    return out
