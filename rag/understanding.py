"""Question -> facets: what a question asks about, each facet with the words it came from.

A question names a treatment (drugs and their brands, a drug class, a procedure, or a category of
care), and may add a body region (or several: "for several body parts"), a form, a quantity, a study
with or without contrast, a drug's release ("tramadol ER"), both sides ("bilateral"), the year
decided, a condition or reason (a finding present, or absent: "no spasm on exam"), a study asked as
a repeat (an injection too: "a repeat epidural"), a treatment the worker already had ("after failed
PT"), an outcome sought ("ever overturned"), partial decisions, the expert reviewer's specialty
("orthopedic surgeon reviewers"), or the guidelines cited. The same vocabularies as the decision
facts are used (`rag.facts`, `rag/data/*.toml`), so a question and a decision are read alike:
"Lidoderm" is a lidocaine patch in both.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from wordfreq import iter_wordlist, zipf_frequency

from rag.citations import CHAPTERS
from rag.facts import (
    brand_form,
    class_of,
    days_of,
    drug_classes,
    facts_vocabulary,
    in_class,
    per_week_of,
    percents_of,
    products_spelled,
    question_drugs,
    strengths_of,
)
from rag.history import REPEATABLE, STUDIES
from rag.injury import mechanism_asked
from rag.intent import (
    MODIFIED_THINGS,
    NUMBER_WORDS,
    asks_by_year,
    asks_listed,
    asks_outcome,
    asks_overturned,
    asks_ur_cited,
    cases_named,
    of_injury,
    partial_words,
    reason_words,
    repeat_words,
    without_cases,
)
from rag.negation import negations
from rag.reasons import side_of, taxonomy
from rag.tokens import STOPWORDS, item_words
from rag.vocabulary import (
    as_therapy,
    concepts,
    conditions_named,
    forms_naming,
    forms_said,
    mentioned,
    treatments_named,
)

# Class words -> drug class (a class named in a question, e.g. "muscle relaxants").
# A stomach protector is either kind ("Prilosec, Protonix or Pepcid"): PPI or H2 blocker.
_MEDS = r"(?:medications?|medicines?|meds?|drugs?|pills?)"
_STOMACH = (
    r"stomach[- ]protect(?:ors?|ants?|ion|ing|ive)|gastro-?protect(?:ors?|ants?|ion|ive)|"
    r"acid (?:pills|reducers?|blockers?)|"
    rf"(?:stomach|heartburn|acid reflux|reflux|ulcer) {_MEDS}|antacids?"
)
_NERVE_PAIN = rf"nerve pain {_MEDS}|neuropathic pain {_MEDS}"


def _meds_for(ailment: str) -> str:
    """Medicines named by what they treat, after them ("medications for sleep", "pills to help
    him sleep", "meds for anxiety")."""
    return (
        rf"{_MEDS} (?:for |to (?:help (?:\w+ )?)?(?:with |treat |control |manage )?)"
        rf"(?:his |her |their |the )?(?:{ailment})"
    )


CLASS_WORDS = {
    "opioid": r"opioids?|opiates?|narcotics?|pain ?killers?",
    "muscle_relaxant": r"muscle relax(?:ants?|ers?)|antispasmodics?",
    "nsaid": rf"nsaids?|anti[- ]?inflamm?ator(?:y|ies)|non-?steroidal|arthritis {_MEDS}",
    "ppi": rf"ppis?|proton[ -]pump inhibitors?|{_STOMACH}",
    "h2_blocker": rf"h2 blockers?|{_STOMACH}",
    "benzodiazepine": rf"benzodiazepines?|benzos?|(?:anti-?)?anxiety {_MEDS}|anxiolytics?|"
    + _meds_for("anxiety"),
    "sleep_aid": rf"sleep(?:ing)? (?:aids?|{_MEDS})|insomnia {_MEDS}|hypnotics?|"
    + _meds_for("sleep|insomnia"),
    "anticonvulsant": r"anticonvulsants?|anti-?epileptics?|anti-?seizures?(?: (?:medications?|"
    r"medicines?|meds|drugs?|pills?))?|seizure (?:medications?|medicines?|meds|drugs?|pills?)|"
    + _NERVE_PAIN,
    # a kind of a class, by its acronym (read before the class: "tricyclic antidepressants" are
    # the tricyclics)
    "tricyclic": r"tricyclics?(?: antidepressants?)?|tcas?",
    "snri": r"(?:snris?|serotonin[- ]norepinephrine reuptake inhibitors?)(?: antidepressants?)?",
    "ssri": r"(?:ssris?|selective serotonin reuptake inhibitors?)(?: antidepressants?)?",
    "cox2": r"cox-?2(?: inhibitors?|s)?|coxibs?",
    "antidepressant": rf"antidepressants?|{_NERVE_PAIN}|(?:anti-?)?depression {_MEDS}|"
    + _meds_for("depression"),
    "laxative": r"laxatives?|stool softeners?",
    "compounded": r"compound(?:ed)?(?: topical| oral)?(?: pain)? (?:creams?|topicals?|products?|"
    r"suspensions?|liquids?|solutions?|medications?|meds|drugs|rubs?|gels?|ointments?|lotions?)|"
    r"topical compound(?:ed|s)?\b(?! (?:pain )?(?:creams?|topicals?|products?|suspensions?|"
    r"liquids?|solutions?|medications?|meds|drugs|rubs?|gels?|ointments?|lotions?))|"
    # the kits a pharmacy mixes into a drink ("oral suspension compound kits", "oral compounds")
    r"compound(?:ed|ing)? kits?|(?:oral|suspension|liquid) compound(?:ed|s)?",
    "medical_food": r"medical foods?",
    "topical_anesthetic": r"topical (?:anesthetics?|lidocaine)",
    "antiemetic": rf"anti-?emetics?|(?:anti-?)?nausea {_MEDS}|" + _meds_for("nausea"),
    "corticosteroid": r"corticosteroids?|oral steroids?|steroid (?:pills?|tablets?|dose ?packs?)",
    "antihistamine": r"anti-?histamines?",
    "migraine": r"triptans?|migraine (?:medications?|medicines?|meds|drugs?|pills?)",
    "stimulant": r"stimulants?",
    "erectile_dysfunction": r"erectile dysfunction (?:medications?|medicines?|meds|drugs?|pills?)",
}
# Visits after an operation ("post-op visits"): a consultation, the operation its situation.
_POST_OP_VISIT = (
    r"post-?op(?:erative)? (?:follow[- ]?up )?(?:visits?|appointments?|follow[- ]?ups?)"
)
_POST_OP_VISITS = re.compile(rf"\b{_POST_OP_VISIT}\b")
# The pre-operative clearance, in the letters' words and a physician's ("a pre-op physical"): a
# consultation of its own, with the clearance as its specialist (SPECIALTIES).
_CLEARANCE = (
    r"(?:medical|pre-?op(?:erative)?|surgical) clearances?|"
    r"pre-?op(?:erative)? (?:physicals?|exams?|examinations?|evaluations?|h ?& ?ps?)"
)
# Category words -> category of care.
CATEGORY_WORDS = {
    "consultation": r"referrals?|consult(?:ation)?s?|second opinions?|"
    # a surgeon's ("a second surgical opinion", "a spine second opinion")
    r"(?:surgical|surgery|spine|ortho\w*) second opinions?|"
    r"second (?:surgical|surgery|spine|ortho\w*) opinions?|(?:initial|new patient|"
    r"separate) (?:exam|evaluation)s?|re-?exam(?:ination)?s?|exam visits?|(?:follow[- ]?up|office) "
    r"(?:office )?(?:visits?|appointments?)|(?:specialist|doctor'?s?) (?:visits?|appointments?)|"
    r"(?:specialist|(?:neuro)?surgeon|surgery|surgical|arthroplasty|replacement)"
    rf" (?:evaluations?|evals?)|{_CLEARANCE}|"
    # a follow-up with a clinician ("a follow-up with the pain specialist")
    r"follow[- ]?ups?(?= with (?:the |a |an |his |her |their )?(?:[\w-]+ )?(?:specialist|doctor|"
    r"surgeon|physician|orthopedist|neurologist|psychiatrist|psychologist|pain management|"
    r"internal medicine|internist|ortho(?:pedics)?|neurology|cardiology|rheumatology))|"
    # an evaluation or follow-up named by the specialty ("internal medicine follow-up", "an
    # orthopedic evaluation", "cardiology eval")
    r"(?:(?<=\binternal medicine )|(?<=\binternist )|(?<=\bneurology )|(?<=\bcardiology )|"
    r"(?<=\borthopedics )|(?<=\borthopaedic )|(?<=\brheumatology )|(?<=\burology )|"
    r"(?<=\bdermatology )|(?<=\bgastroenterology )|(?<=\bpodiatry ))(?:follow[- ]?ups?|"
    r"evaluations?|evals?)\b|"  # (a psychiatric evaluation is psychological care)
    r"(?:(?<=\bortho )|(?<=\borthopedic )|(?<=\bmanagement )|(?<=\bspine ))evaluations?\b|"
    # or after one's shorthand ("ortho f/u for knee")
    r"(?:(?<=\bortho )|(?<=\bneuro )|(?<=\bpsych )|(?<=\bspine )|(?<=\bmanagement )|"
    r"(?<=\bsurgeon )|(?<=\bsurgical )|(?<=\borthopedic ))follow[- ]?ups?\b|"
    # a visit to review the worker's medicines ("medication management visits")
    r"(?:medications?|meds?) (?:management|review|check)(?: (?:visits?|appointments?))?|"
    rf"{_POST_OP_VISIT}|"
    # to see one ("see orthopedic doctor for back")
    r"(?<=\bsee )(?:an? |the )?(?:ortho\w*|spine|pain|hand|neuro\w*) (?:doctors?|specialists?|"
    r"surgeons?)|"
    r"(?:visits?|appointments?) (?:with|to see) (?:an? |the )?(?:\w+ )?(?:specialist|surgeon|"
    r"orthopedist|ortho|neurologist|podiatrist|rheumatologist|psychiatrist|psychologist)s?",
    "lab": r"lab(?:oratory)? (?:tests?|testing|work)|labs|blood ?(?:tests?|work|panels?)|"
    r"urine (?:drug )?(?:tests?|testing|screens?)|drug (?:screens?|testing)|toxicology",
    # (a psychiatric day program is psychological care, below)
    "program": r"(?:functional restoration|work hardening|detox\w*|weight loss|chronic pain) "
    r"programs?|functional restoration|work hardening",
    "injection": r"injection (?:procedures?|therap(?:y|ies))|injections in general|"
    r"(?:any|all|every) (?:kinds?|types?|sorts?) of (?:shots?|injections?)",
    "surgery": r"operations?|operate|surger(?:y|ies)|surgical procedures?|meniscectomy|"
    r"menisectomy|mumford(?: procedure)?|(?:distal )?clavicle (?:excision|resection)|"
    r"cubital tunnel release|microdiscectomy|"  # named by the structure: no item's words
    # ... or in lay words ("trim the arthritic end of her collarbone", "fix the torn tendon")
    r"(?:trim|trimming|shave|shaving|shorten|shortening|remove|removing|cut|cutting) (?:off |"
    r"down |away )?(?:the |a |her |his |their )?(?:[\w-]+ ){0,2}?(?:end of (?:the |her |his |"
    r"their )?)?(?:collar ?bone|clavicle)|(?:fix|fixing|repair|repairing|sew|sewing|stitch|"
    r"stitching|reattach|reattaching) (?:up )?(?:the |a |her |his |their )?(?:torn |ruptured )?"
    r"(?:tendon|rotator cuff|meniscus|labrum|ligament)s?",
    "physical_therapy": r"physical therapy|\bpt\b(?!/)|physiotherapy|occupational therapy",
    "chiropractic": r"chiropractic|chiropractors?|chiro|manipulation",
    "acupuncture": r"acupuncture",
    "imaging": r"imaging(?: studies| in general)?|scans?",
    "dme": r"durable medical equipment|\bdme\b|equipment|(?:medical )?devices",
    "home_care": r"home (?:care|health|aide)",
    "psychological": r"psycholog\w+|psychotherapy|psych|psychiatric(?= (?:evaluations?|evals?|"
    r"treatment|care|testing|services|therapy|counseling|sessions?))|"  # not its conditions
    r"(?:partial hospitalization|day(?: treatment)?) programs?|partial hospitalization|"
    r"day treatment",
    "medication": r"medications?|medicines?|meds?|prescriptions?|pills?|tablets?|pharmacy|"
    r"drugs?(?! (?:screens?|tests?|testing))",
}
FORM_WORDS = {
    "patch": r"patch(?:es)?|stick-on",
    "topical": r"gels?(?! (?:shots?|injections?))|creams?|ointments?|topicals?|rub-on|rubs?|"
    r"lotions?",
    "oral": r"oral|tablets?|pills?|capsules?",
}
# "Topical" said of a patch ("topical lidocaine patches"), not beside it ("topical creams or
# patches").
_TOPICAL_PATCH = re.compile(r"\btopicals? (?:[\w-]+ ){0,2}?(?:patch(?:es)?|stick-on)\b")
# What a number counts ("12 visits", "90 tablets"): the units a request is made in, grams aside.
_COUNTED = r"sessions?|visits?|treatments?|tablets?|tabs?|capsules?|caps|pills?"
_QUANTITY = re.compile(
    r"(\d+)\s*(?:or more|\+|and (?:up|above|more))?\s*"
    # "20mg tab" is a strength, not 20 tablets; "90 days of pills" a duration
    r"(?:(?!(?:mg|mcg|ml|days?|weeks?|wks?|months?|mos?|years?|yrs?|hours?|hrs?)\b)[a-z][a-z-]*"
    r"\s+){0,2}?"
    rf"({_COUNTED}|grams?|gm|g\b|ml)\b"
    r"|(?<!tylenol )(?<!codeine )#\s*(\d+)|(\d+)[- ]gram"  # ("Tylenol #3": the product's)
    r"|(\d+) or more\b(?! (?:\w+ )?(?:weeks?|days?|months?|years?|hours?|times?|mg|%))"
    # the request lines' "x6" ("Acupuncture x6", "PT x 12"); not "2x6", twice a week for six
    r"|(?<![\d.])(?<!\d )\bx ?(\d+)\b(?!\s*(?:mg|mcg|ml|%|/|x\b|weeks?|wks?|days?|months?|"
    r"mos?|years?|yrs?|hours?|hrs?|daily|a day|per day|a week|per week|weekly|bid|tid|qid|times|"
    r"refills?))"  # ("90 tablets x 3 refills": the refills)
    # the number after the visits ("PT visits beyond 10"): past it
    r"|\b(sessions?|visits?|treatments?) (?:beyond|past|over|above|more than|exceeding|in excess "
    r"of) (\d+)\b(?! ?(?:weeks?|wks?|days?|months?|years?|mg|%))"
)

# A number sharing the unit of the next ("60 or 90 tablets", "12 vs 24 visits").
_SHARED_UNIT = re.compile(rf"\b(\d+)(?= (?:or|vs\.?|versus) \d+ ?({_COUNTED})\b)")


def _with_shared_units(lowered: str) -> tuple[str, set[int]]:
    """`lowered` with each number that shares the next one's unit given it ("60 or 90 tablets":
    "60 tablets or 90 tablets"), and where those numbers start in it."""
    parts, starts, last = [], set(), 0
    for m in _SHARED_UNIT.finditer(lowered):
        parts.append(lowered[last : m.end()])
        starts.add(sum(map(len, parts)) - len(m[1]))
        parts.append(f" {m[2]}")
        last = m.end()
    return "".join([*parts, lowered[last:]]), starts


# Words before a number that leave it out ("more than 12 visits": 13 or more).
_OVER = re.compile(
    r"\b(?:more than|over|greater than|in excess of|exceeding|above|beyond)\s+(?:(?:the|an?|its|"
    r"their)\s+)?(?:(?:initial|first|recommended|allowed|approved|guideline|usual|standard)\s+)?$"
)  # ("beyond the initial 6 visit trial": 7 or more)
# "long-term" right before a drug ("long-term Norco", "long term use of opioids")
_LONG_TERM_BEFORE = re.compile(r"\b(long[- ]term(?: use of)?)\s+(?:[\w-]+\s+)?$")
_LONG_TERM_AFTER = re.compile(r"\s+((?:for the )?long[- ]term)\b")
# A dose, not a count: "1 tab q6h", "take 2 capsules at bedtime" (the count is "#90").
_DOSE = re.compile(
    r"(?:\s*(?:po|p\.o\.|by mouth|orally))?\s*(?:q\s?\d|q(?:d|hs|am|pm)\b|every|daily|bid|tid|qid|"
    r"prn|hs\b|at bedtime|nightly|a day|per day|twice|once|three times|four times|as needed)"
)
# A guideline's year ("MTUS 2016 opioid treatment guidelines", "2016 MTUS ..."): no quantity.
_GUIDELINE_YEAR = re.compile(
    r"(?:19|20)\d\d\b(?=(?:\s+[a-z]+){0,3}\s+guidelines?\b|\s+(?:mtus|odg|acoem)\b)"
)


def _count(m: re.Match[str]) -> int:
    """The number a _QUANTITY match reads."""
    return int(m.group(1) or m.group(3) or m.group(4) or m.group(5) or m.group(6) or m.group(8))


# Words saying a number is over a limit, not the size of the request (the worker's history,
# "already had 24 visits", is _HAD's: its quantity is dropped before sizes are read).
_LIMIT = re.compile(r"guideline|recommend|allow|limit|maximum|exceed")


# How long a rental or supply is asked for ("rental of 2 weeks or longer", "a 30-day supply",
# "rented for 30 days"); a duration without those words is the worker's history or the course
# of a treatment ("weeks after the injury", "Norco for 3 months").
_DURATION_ASKED = re.compile(
    r"\b(?:rent\w*|supply|trial)\b[^.?!;,]{0,30}?\b\d+[- ]?(?:days?|weeks?|months?)\b|"
    r"\b\d+[- ]?(?:days?|weeks?|months?)\b(?:'s)? (?:\w+ )?(?:rentals?|supply|supplies|trial)\b|"
    # in words, only as what is asked for ("approved for a one month trial"; "without a
    # one-month trial" is what the worker lacked, "a one-month supply was okayed" UR's part)
    rf"\bfor (?:a |an )?(?:{'|'.join(NUMBER_WORDS)})[- ]?"
    r"(?:days?|weeks?|months?)\b(?:'s)? (?:\w+ )?(?:rentals?|supply|supplies|trial)\b|"
    # "more than 30 days of medication", "a 3 months' worth of pills"
    r"\b\d+[- ]?(?:days?|weeks?|months?)\b(?:'s?)? (?:worth )?of (?:\w+ )?"
    r"(?:medications?|medicines?|meds|pills|tablets|capsules)\b"
)


def _supply_of(lowered: str, facets: list[Facet]) -> re.Match[str] | None:
    """A supply of a drug named by how long it lasts ("3 months of Norco", "2 weeks' worth of
    the Flexeril"): the duration asked."""
    drugs = "|".join(
        re.escape(f.words.lower()) for f in facets if f.name in ("ingredient", "drug_class")
    )
    if not drugs:
        return None
    return re.search(
        rf"\b\d+[- ]?(?:days?|weeks?|months?)\b(?:['’]s?)? (?:worth )?of (?:the |his |her |their )?"
        rf"(?:{drugs})\b",
        lowered,
    )


# How long a device or a course is asked for, said after it ("a cold therapy unit beyond 7
# days", "for more than 2 weeks", "for 30 days", "longer than seven days"; not a drug's:
# "Flexeril for more than 2 weeks" is its long-term use, a reason), and the words saying
# "longer than" in it.
_FOR_DAYS = re.compile(
    r"\b(?P<over>beyond|longer than|more than|over|for (?:more|longer) than|for over)? ?"
    rf"(?(over)(?:\d+|{'|'.join(NUMBER_WORDS)})|(?:for |x ?)\d+)[- ]?(?:days?|weeks?|months?)\b"
    r"(?! (?:after|since|from|ago|post))"
)
# ... not how long the worker has had the pain ("back pain lasting more than 3 months")
# or how long an earlier one helped ("the first one helped 50% for 6 weeks")
_HOW_LONG_HAD = re.compile(
    r"\b(?:lasting|lasted|lasts|persist\w*|pain|symptoms?|injur\w*|hurt\w*|had|has|been|"
    r"helped|relief|relieved|improved|improvement|benefit)(?: [\w%]+)?\s*$"
)


_LACKED = re.compile(r"\b(?:no|without|w/o|never had)(?: (?:a|an|any|prior|previous))? $")
_TRIAL_HAD = re.compile(  # a trial or rental the worker had before what is asked
    r"\b(?:after|following|completed|finished)(?: (?:a|an|the|his|her|their|successful|"
    r"positive|failed))? $"
)


def _for_days(lowered: str) -> re.Match[str] | None:
    """How long a device or a course is asked for (`_FOR_DAYS`), not the pain's."""
    m = _FOR_DAYS.search(lowered)
    return None if m is None or _HOW_LONG_HAD.search(lowered, 0, m.start()) else m


# A tally asked by the month decided ("which month", "month by month", "per month").
_BY_MONTH = re.compile(
    r"\b(?:which|what|each|every|per|by) months?\b(?! (?:rental|supply|trial))|"
    r"\bmonth by month\b|\bmonthly\b(?! (?:rental|supply))"
)


# A daily opioid dose in morphine equivalents ("over 120 MED", "above 90 morphine milligram
# equivalents", "100 MME"; "MED" in capitals: "3 meds" are medications).
_MORPHINE_EQUIVALENT = re.compile(
    r"\b(?:(?:over|above|more than|greater than|exceeding|under|below|less than|at|of) )?"
    r"\d+ ?(?:mg )?(?:(?-i:MED)|mmes?|morphine(?:[- ]milligram)?[- ]equivalen\w*(?: doses?)?)\b|"
    # "a morphine equivalent dose over 120", "high MED", "a high daily dose"
    r"\b(?:morphine(?:[- ]milligram)?[- ]equivalen\w*(?: doses?)?|(?-i:MED)|mmes?) (?:of |over "
    r"|above |more than |greater than |exceeding |under |below |less than )?\d+\b|"
    r"\b(?:high|higher|large|excessive|low|lower)(?: daily)? (?:(?-i:MED)|mmes?|morphine(?:[- ]"
    r"milligram)?[- ]equivalen\w*(?: doses?)?|daily doses?|opioid doses?|doses? of opioids?)\b",
    re.I,
)


# A study with or without a contrast agent ("MRI with contrast"), as request lines say it.
_CONTRAST = re.compile(
    r"\b(?:with and without|without|with|w/o|w/|wo|non)[- ]?(?:iv |intravenous )?contrast\b|"
    r"\bcontrast[- ]enhanced\b"
)
# A drug's release, as request lines write it: spelled out anywhere ("extended-release
# oxycodone"), abbreviated right after the drug or its strength ("tramadol ER", "Ultram 100mg
# ER"; "the ER" alone is the emergency room).
_RELEASE_WORDS = re.compile(
    r"\b(?:(extended|sustained|controlled|slow)[- ]release|(long)[- ]acting|"
    r"(immediate)[- ]release|(short)[- ]acting)\b"
)
_RELEASE_MARK = "er|xr|sr|cr|xl|la|ir"  # (`_mark_after`, a strength allowed before it)
_STRENGTH = r"(?:\s+\d+(?:[./-]\d+)*\s*(?:mg|mcg)?)?"
# Both sides asked ("bilateral", "both arms"), as request lines say it: "EMG/NCV of the
# bilateral upper extremities", or a part in the plural ("of the upper extremities").
_BILATERAL = re.compile(
    r"\bbilateral(?:ly)?\b|\bbilat\b|\bboth (?:sides|arms|legs|hands|knees|shoulders|wrists|feet|"
    r"ankles|hips|elbows|upper|lower)\b"
)
BILATERAL_MARKS = frozenset(
    """bilateral bilat both extremities arms legs hands knees shoulders wrists feet ankles hips
    elbows""".split()
)
RELEASE_MARKS = frozenset({"er", "xr", "sr", "cr", "xl", "la", "extended", "sustained"})
# The year IMR decided in, as a question asks it: in, since, after or before it (or a month
# of it: "in December 2016").
_YEAR = re.compile(
    r"\b(in|during|since|after|before|from|dated) (?:the year )?"
    r"(?:((?:jan|febr)uary|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.? (?:of )?)?((?:19|20)\d\d)\b"
)
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
# The worker on a drug or a treatment right before "since" ("pt on Norco since 2014", "taking
# tramadol since", "prescribed Norco since"): how long it has been taken, not when IMR decided.
_TAKEN = re.compile(
    r"\b(?:(?:been |is |was |stayed |remained )?on|taking|took|using|used|prescribed)"
    r"(?: (?!(?:decisions?|denials?|approvals?|cases?|appeal|imr|reviews?)\b)[\w/-]+){1,3} $|"
    r"\b(?:use|usage) $"  # "chronic use since 2014"
)
# A year standing last, after the decisions it dates ("chiro denials 2017"; not "prior MRI 2015",
# when the earlier study was done).
_YEAR_LAST = re.compile(
    r"\b(?:denials?|denied|approvals?|approved|upheld|overturned|overturns|decisions?|cases?|"
    r"rulings?|results?|outcomes?|determinations?),? ((?:19|20)\d\d)\W*$"
)
# A year after a few words naming what was decided, as typed in a search box ("MRI lumbar 2017",
# "norco 2016"): when it was decided (not "MRI prior 2015": a study done then).
_YEAR_KEYWORDS = re.compile(
    r"(?!.*\b(?:prior|previous|earlier|last|old|older|done|had|taken|injur\w*|hurt|since)\b)"
    r"(?:[a-z][\w/-]* ){1,4}((?:19|20)\d\d)\W*"
)
# The year before the decisions it dates ("Show me 2016 decisions on acupuncture").
_YEAR_DECISIONS = re.compile(
    r"\b((?:19|20)\d\d) (?:imr )?(?:decisions?|cases?|determinations?|rulings?|appeals?)\b"
)
# A year said from today ("decisions from last year", "approved in the past two years"), when it
# dates the decisions: "last year" is the calendar year before this one, "the last year", "the
# past 12 months" or "over past year" since this month a year ago, "the last 3 years" since this
# month 3 years ago.
_RELATIVE_YEAR = re.compile(
    r"\b(?P<own>(?P<rel1>this|last|previous) year'?s) (?:imr )?(?:decisions?|cases?|"
    r"determinations?|rulings?)\b|"
    r"\b(?:decisions?|cases?|determinations?|rulings?|ruled?|decided|overturned|upheld|approved|"
    r"denied|reversed|granted)\b(?: (?!(?:had|has|have|got|underwent|injured|hurt|"
    r"started)\b)[\w'-]+){0,5}? (?:(?:in|from|during|over|within|for) )?"  # (not "approved after
    # the surgery he had last year": when the worker had it)
    r"(?P<the>the )?(?P<rel>this|last|past|previous) (?:(?P<n>[2-9]|two|three|four|five) )?"
    r"(?P<unit>years?|12 months)\b"
)


def _relative_year(lowered: str) -> Facet | None:
    """The year facet of a year `lowered` says from today ("decisions from last year": in the
    year before this one), or None."""
    if not (m := _RELATIVE_YEAR.search(lowered)):
        return None
    today = date.today()
    rel = m["rel1"] or m["rel"]
    if rel == "this":
        value = f"in {today.year}"
    elif m["n"] or m["the"] or rel == "past" or m["unit"] == "12 months":  # (dated by the day)
        value = f"since {today.year - (_count_word(m['n']) if m['n'] else 1)}-{today.month:02d}"
    else:
        value = f"in {today.year - 1}"
    if m["own"]:
        return Facet("year", value, m["own"])
    return Facet("year", value, lowered[m.start("the") if m["the"] else m.start("rel") : m.end()])


_GUIDELINE = re.compile(
    r"\bwhich guidelines?|what guidelines?|guideline (?:sections?|basis|citations?)|"
    r"sections? (?:of|do|are)|\b(?:rely|relied) on\b|\bcite[sd]?\b|\bciting\b|"
    r"\bcitations?\b|\bwhat (?:mtus|odg|acoem)\b|"
    # two guidelines set side by side ("Do MTUS and ODG differ on acupuncture?")
    r"\b(?:mtus|odg|acoem) (?:or|and|vs\.?|versus) (?:the )?(?:mtus|odg|acoem)\b|"
    r"\bwhat (?:does|do|did) (?:the )?(?:mtus|odg|acoem|guidelines?) (?:say|said|recommend)|"
    r"\baccording to (?:the )?(?:mtus|odg|acoem|guidelines?)\b|"
    r"\b(?:which|what) (?:(?:mtus|odg|acoem|guidelines?) )?(?:chapters?|sections?|topics?|"
    r"pages?)\b|\b(?:mention(?:s|ed|ing)?|refer(?:s|red|ring)? to) (?:the )?(?:mtus|odg|acoem)\b|"
    # whether a guideline is the one used ("is ODG used for California workers' comp?")
    r"\b(?:mtus|odg|acoem)(?: guidelines?)? (?:(?:still|even|ever|really) )?(?:used|applied|"
    r"followed|relied on)\b|\b(?:use|uses|using|apply|applies|follow|follows) (?:the )?"
    r"(?:mtus|odg|acoem)\b",
    re.I,
)
_SOURCE_NAMED = re.compile(r"\b(mtus|odg|acoem)\b", re.I)


def sources_named(question: str) -> tuple[str, ...]:
    """The guidelines `question` names ("What ODG sections ...": ODG), as the letters' sources."""
    return tuple(dict.fromkeys(m.group(1).upper() for m in _SOURCE_NAMED.finditer(question)))


_HAS_DIAGNOSIS = (
    r"(?:client|patient|pt|worker|claimant|employee)(?:['’]s)? (?:has|suffers from|was "
    r"diagnosed with|is diagnosed with)"
)
_CONDITION_CUE = re.compile(
    r"\b(?:without|when|where|if|after|because|unless|with|despite|for|about|following|no|"
    r"to (?:work up|rule out|diagnose|confirm)|suspected|mention(?:s|ed|ing)?|"
    # what the worker has ("my client has CRPS - what was approved?"): its diagnoses only
    rf"{_HAS_DIAGNOSIS})\b",
    re.I,
)
GENERIC = frozenset(
    """was were is are be been the a an imr independent medical review reviews reviewer reviewers
    letter letters have has you your we our us based basis appeal appeals appealed upheld uphold
    upholds upholding overturned overturn overturns overturning reverse reversed reversing denied
    deny denying denial denials approve approved approval approving request requesting requests
    requested treatment treatments patient patients worker workers injured what which who do does
    did require required requires before after usually often ever how when why for pattern patterns
    trend trends tendency of to in on and or it they get got cases case decision decisions there any
    been by from about should would could can may will this that these those their them than then
    also more most less least very much many some such into over under between again further once
    here all both each few other own same so too just now not no nor only cover covered coverage
    typically generally track record prescriptions prescribed ruled rule rulings fare sign signed
    support supported go along happens happen still given requested work injury injuries compared
    compare comparing comparison versus year years went goes gone favor favour mostly pain chronic
    acute already show shows showed problem problems exam themselves service working always services
    general like being another ones whether with without cite cites cited citing use used uses
    decide decides apply applies govern governs rely relies decided deciding client clients claimant
    claimants applicant applicants employee employees employer employers insurer insurers carrier
    carriers company companies diagnosis diagnosed documented documentation signs symptoms findings
    evidence examination history records chart notes medication medications medicine medicines meds
    drug drugs tried try trying first because since yet getting gets contain contains containing
    suggest suggests suggested number happened wants want wanted needs proportion proportions
    fraction ur agree agrees agreed disagree disagrees disagreed side sided need chance treat treats
    treated handle handles handled rather outright full amount amounts quantity quantities category
    categories group groups type types kind kinds sort sorts whole say says said saying pay pays
    paid paying make makes end ended up hurt hurts found where care reviewed reviewing specialty
    specialties largest biggest smallest longest shortest highest lowest maximum minimum refuse
    refuses refused refusing reject rejects rejected rejecting involve involves involved involving
    concern concerns concerned concerning regard regards regarding relate relates related relating
    pertain pertains pertaining me every give tell find made issued rendered recent recently latest
    newest oldest earliest luck odds chances likelihood prospects appeal appeals appealed appealing
    success successful different differently various distinct similar comparable mention mentions
    mentioned job jobs mentioning anyone anybody someone somebody everyone everybody person persons
    people folks precedent precedents outcome outcomes result results nothing common commonly
    frequent frequently top popular california comp compensation noted wrote stated commented
    remarked explained observed set sets corpus database dataset collection things thing stuff
    come came out win wins won winning across dispute disputes disputed best worst stick sticks
    stuck hold holds held item items determination determinations expert claims administrator
    administrators relied relying solely left right mom moms mother dad dads father son daughter
    wife husband parent parents overall others total totals data differ differs differed
    difference differences changed time dated""".split()  # whose
    # ("Did anyone get ..."), and what is sought ("Precedents?")
)
# The review process's own words ("UR modified the request and certified part of it"): what a
# question about partial decisions says about the process, never a treatment or a condition.
PROCESS_WORDS = frozenset(
    """utilization review modified modify modification modifications certified certify
    certification certifications non-certified noncertified uncertified authorized authorize
    authorization portion portions balance remainder remainders remaining rest part partly
    partially grant granted allow allowed restore restored okayed okay adjuster adjusters doctor
    doctors physician physicians asked fewer
    percentage percent rate rates often odds chance chances likely likelihood share frequently
    usually typically success successful stricter strictest harsher tougher lenient""".split()
    # how often: the tally's words ("are surgeon reviewers stricter than internists?")
    + ["medically", "necessary", "necessity"]  # the review's standard, no clinical finding
    + ["mtus", "odg", "acoem", "cpmtg"]  # the guidelines it cites ("cited the ACOEM"), no finding
    + """approve approves approving approval approvals deny denies denying denial denials uphold
    upholds upholding overturn overturns overturning reverse reverses reversing""".split()
)  # what UR or IMR did ("after UR approves part of it"), no finding


@dataclass(frozen=True, slots=True)
class Facet:
    """One thing a question asks, the value it takes, and the words it came from."""

    name: str  # treatment, ingredient, drug_class, category, region, form, quantity, frequency,
    # condition, outcome, partial, guideline, alongside ("kind:value"), alongside_outcome,
    # specialty, structure, reviewer, unread, unknown, contrast, release, side, case, age, sex,
    # state (answers)
    value: str
    words: str


@dataclass(frozen=True)
class Question:
    text: str
    facets: tuple[Facet, ...]
    unknown_terms: tuple[str, ...]  # content words naming nothing any vocabulary knows
    # the unknown words that name the treatment itself (before any condition cue: "stem cell"
    # in "stem cell injections for knee arthritis"), not its situation
    variant_terms: tuple[str, ...] = ()
    asked: str = ""  # its own content words before any condition cue ("hot tub"), for answers
    compares: bool = False  # written "vs", "versus", "compared with" ("knee vs shoulder
    # arthroscopy"): what it names is set side by side, read "or" in `text`

    def values(self, name: str) -> tuple[str, ...]:
        return tuple(f.value for f in self.facets if f.name == name)

    def words(self, name: str) -> tuple[str, ...]:
        return tuple(f.words for f in self.facets if f.name == name)

    @property
    def names_treatment(self) -> bool:
        return any(f.name in TREATMENT_FACETS for f in self.facets)

    @property
    def asks_outcome(self) -> bool:
        return bool(self.values("outcome"))

    @property
    def wants_overturned(self) -> bool:
        return "overturned" in self.values("outcome")

    @property
    def asks_partial(self) -> bool:
        return bool(self.values("partial"))

    @property
    def asks_guideline(self) -> bool:
        return bool(self.values("guideline"))

    @property
    def cited_alone(self) -> str | None:
        """The guideline asked cited without the other ("MTUS" or "ODG": "when the MTUS is
        silent" asks the ODG), or None."""
        switched = self.values("switched")
        if switched and switched[0].startswith("only:"):
            return switched[0].removeprefix("only:")
        return None

    @property
    def cited_any(self) -> str | None:
        """The guideline asked cited, the other or not ("MTUS" or "ODG": "PT decisions where the
        reviewer cited ODG"), or None."""
        switched = self.values("switched")
        if switched and switched[0].startswith("cited:"):
            return switched[0].removeprefix("cited:")
        return None


# A guideline's edition ("ACOEM 3rd edition", "the third ed.").
_EDITION = re.compile(
    r"\b(?:1st|2nd|3rd|[4-9]th|first|second|third|fourth|fifth)\s+(?:edition|ed\b\.?)", re.I
)

# A guideline's year right after its name ("MTUS Chronic Pain Medical Treatment Guidelines 2016",
# "ODG (2017)"), not the decisions' ("ODG 2017 decisions").
_GUIDELINE_VERSION = re.compile(
    r"\b(?:guidelines?|mtus|odg|acoem)\)?,? \(?((?:19|20)\d\d)\)?"
    r"(?! (?:imr )?(?:decisions?|cases?|denials?|approvals?|determinations?)\b)",
    re.I,
)

# "pt" for the patient, as nurses write it ("my pt needs Norco", "pt has back pain", "Pt wants
# a repeat MRI"), not physical therapy ("is PT approved?", "more PT after surgery").
_PATIENT = re.compile(
    r"\b(?:(?<=my )|(?<=our )|(?<=your )|(?<=his )|(?<=her )|(?<=this )|(?<=that )|(?<=a )|"
    r"(?<=the ))pt\b|"
    r"\b[Pp]t(?= s/p\b)|"  # "Pt s/p L4-5 laminectomy": the patient, status post
    r"(?:(?<=\bin )|(?<=\bfor ))pt(?= with\b)|"  # "facet injections in pt with radicular symptoms"
    r"\b[Pp]t(?=['’]s\b)|"  # "pt's on Norco": the patient's (not "PT's")
    r"\b[Pp]t(?= (?:has|had|is|was|needs|wants|cant|can't|cannot|can|could|reports|complains|"
    r"states|who|whose|denies|without|does|doesn't|did|didn't|isn't|wasn't|hasn't|started|"
    r"takes|took|uses|used|still|also|already|never|just|recently|lives|works|feels|got|"
    r"remains|continues|returned|went|saw|tried|failed|underwent|on|presents|presented|rates|"
    r"describes|endorses|not on|not taking|not working)\b|"
    r" (?:w/o?|c/o)(?!\w))"  # "pt c/o neck pain": complains of
)  # lower case, or "Pt" before a verb: "my PT" and "PT has" are the therapy

# A question opening "pt with" ("pt with low back pain denied lumbar MRI"), and a clause after
# it asking of something new ("Pt with CRPS, was a spinal cord stimulator trial approved?")
_PT_WITH = re.compile(r"^pt with (?=\S)", re.I)
_NEW_SUBJECT = re.compile(
    r", (?:was|were|is|are|did|does|do|will|would|can|could|should) (?:a|an|the|his|her|their|"
    r"my|our|any)\b",
    re.I,
)


def _patient_with(text: str) -> str:
    """`text` with an opening "pt with" read as the patient where what follows names the case
    before a treatment ("pt with LBP, lumbar MRI upheld?"), and as the therapy where it names
    a treatment first ("PT with modalities") or none ("PT with neck pain, 12 visits"), unless a
    clause after it asks of something else (`_NEW_SUBJECT`)."""
    if not (m := _PT_WITH.match(text)):
        return text
    words = text[m.end() :].split()
    for n in range(1, len(words) + 1):
        if treatments_named(" ".join(words[:n])):
            return "patient" + text[2:] if n > 1 else text
    return "patient" + text[2:] if _NEW_SUBJECT.search(text) else text


# Spanish words a worker types among English ones ("terapia fisica for espalda", "MRI de
# rodilla"): the body parts, care and outcomes the letters name in English, read as those.
_SPANISH = {
    "espalda baja": "low back",
    "espalda": "back",
    "rodilla": "knee",
    "rodillas": "knees",
    "hombro": "shoulder",
    "hombros": "shoulders",
    "cuello": "neck",
    "cabeza": "head",
    "mano": "hand",
    "manos": "hands",
    "muneca": "wrist",
    "muñeca": "wrist",
    "tobillo": "ankle",
    "pierna": "leg",
    "piernas": "legs",
    "brazo": "arm",
    "brazos": "arms",
    "cadera": "hip",
    "codo": "elbow",
    "dedo": "finger",
    "dedos": "fingers",
    "terapia fisica": "physical therapy",
    "terapia física": "physical therapy",
    "terapia": "therapy",
    "quiropractico": "chiropractor",
    "quiropráctico": "chiropractor",
    "acupuntura": "acupuncture",
    "inyeccion": "injection",
    "inyección": "injection",
    "inyecciones": "injections",
    "cirugia": "surgery",
    "cirugía": "surgery",
    "operacion": "surgery",
    "operación": "surgery",
    "pastillas": "pills",
    "medicina": "medication",
    "medicinas": "medications",
    "medicamento": "medication",
    "medicamentos": "medications",
    "resonancia magnetica": "MRI",
    "resonancia magnética": "MRI",
    "resonancia": "MRI",
    "radiografia": "x-ray",
    "radiografía": "x-ray",
    "radiografias": "x-rays",
    "radiografías": "x-rays",
    "dolor": "pain",
    "aprobado": "approved",
    "aprobada": "approved",
    "aprobaron": "approved",
    "negado": "denied",
    "negada": "denied",
    "negaron": "denied",
    "denegado": "denied",
}
_SPANISH_SAID = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _SPANISH), key=len, reverse=True)) + r")\b", re.I
)
# A clinician's shorthand for the sides and limbs, as the letters spell them out ("LE" only in
# capitals: "le" is no limb).
_SHORTHAND = (
    (re.compile(r"\b(?:bilat|b/l)\b\.?", re.I), "bilateral"),
    (re.compile(r"\bLEs?\b"), "lower extremities"),
    (re.compile(r"\bUEs?\b"), "upper extremities"),
    (re.compile(r"\b(pre|post) ?op\b", re.I), r"\1-op"),  # "preop EKG": the letters' "pre-op"
    (re.compile(r"\b(pre|post) operative\b", re.I), r"\1operative"),
    # the pre-operative work-up as one ("pre-op testing", "preoperative tests"): its blood and
    # urine tests, EKG and chest film, each a request of its own in the letters (not before the
    # tests it lists: "pre-op testing such as CBC")
    (
        re.compile(
            r"\b(pre-op(?:erative)?|preoperative) (?:tests?|testing|work-?ups?|studies|screening)"
            r"\b(?!,? (?:such as|like|including|incl|e\.g)\b|:)",
            re.I,
        ),
        r"\1 bloodwork, urinalysis, EKG or chest x-ray",
    ),
    (re.compile(r"\bs/p\b", re.I), "after"),  # status post: "PT s/p fusion" had the fusion
    (  # "cryo unit post shoulder scope": after the operation, not the operation asked
        re.compile(
            r"\bpost(?= (?:(?:his|her|the|a|an|left|right|recent) )*(?:[\w-]+ )?(?:surgery|"
            r"scope|arthroscopy|operation|procedure|repair|fusion|replacement|release)\b)",
            re.I,
        ),
        "after",
    ),
    (re.compile(r"\bf/u\b", re.I), "follow-up"),
    # a contraction typed without its apostrophe ("didnt", "wasnt"), as it reads in full
    (
        re.compile(r"\b(did|does|do|was|were|is|are|has|have|had|could|would|should)nt\b", re.I),
        r"\1 not",
    ),
    (re.compile(r"\bcant\b", re.I), "cannot"),
    (re.compile(r"\bwont\b", re.I), "will not"),
    # "knee-related requests": the knee's (not a chapter's title: "Stress-Related Conditions")
    (re.compile(r"\b([A-Za-z]+)-related\b"), r"\1"),
    (re.compile(r"\badd['’]?l\b", re.I), "additional"),  # "8 add'l PT visits"
    (re.compile(r"\b(?:mgmt|mgt)\b", re.I), "management"),  # "pain mgmt referral"
    (re.compile(r"\btx\b", re.I), "treatment"),  # "no prior conservative tx"
    # "MTUS-based denials", "denials based on the ODG": those citing it
    (re.compile(r"\b(mtus|odg|acoem)[- ]based\b", re.I), r"citing \1"),
    (re.compile(r"\bbased (?:up)?on (?:the )?(mtus|odg|acoem)\b", re.I), r"citing \1"),
    (re.compile(r"\bhx\b", re.I), "history"),  # "no GI hx"
    (re.compile(r"\bsx\b", re.I), "symptoms"),  # "repeat MRI L-spine, no new sx"
    (re.compile(r"\bdx\b", re.I), "diagnosis"),  # "no dx it's indicated for"
    (re.compile(r"\bfx\b", re.I), "fracture"),  # "wrist fx cases"
    # a physician's examination said missing or unremarkable, no physical therapy ("no physical
    # exam was documented", "nothing abnormal on the physical exam")
    (
        re.compile(
            r"\b(no|without|w/o|missing|the|normal|abnormal|unremarkable|recent) "
            r"physical (?=exam(?:ination)?s?\b)",
            re.I,
        ),
        r"\1 ",
    ),
    # two limbs' or backs' halves said with one noun ("upper vs lower extremity EMG"): each
    (
        re.compile(
            r"\b(upper|lower) ((?:vs\.?|versus|or|and|&|compared (?:to|with)) )"
            r"(upper|lower) (extremit(?:y|ies)|limbs?|back)\b",
            re.I,
        ),
        r"\1 \4 \2\3 \4",
    ),
    # the one barbiturate the drug dictionary holds (Fioricet's), as ODG names the drugs
    (
        re.compile(
            r"\bbarbiturates?(?:[- ]containing)?(?: analgesics?(?: agents?)?)?(?: \(bcas?\))?",
            re.I,
        ),
        "butalbital",
    ),
    (re.compile(r"\bc/o\b", re.I), "complains of"),  # "pt c/o neck pain radiating to R arm"
    # the worker's "w/": "pt w/ LBP", "patient w/ kidney disease" (not "w/o"; before a finding:
    # `_finding_after_with`; after a procedure it may be another one: "scope w/ meniscectomy")
    (re.compile(r"\b(pt|patient|worker|iw|claimant|client)\s+w/(?!o\b)\s*", re.I), r"\1 with "),
    (re.compile(r"\br/o\b", re.I), "to rule out"),  # "EMG/NCS BLE r/o radiculopathy"
    (re.compile(r"\binjs?\b\.?", re.I), "injection"),  # "L shoulder steroid inj"
    # "IF unit": interferential, in capitals before the device (not the word "if")
    (
        re.compile(r"\bIF(?= (?:unit|stim|stimulator|device|machine|therapy|current)s?\b)"),
        "interferential",
    ),
    # an MRI taken standing is what item names call a positional one ("Single positional MRI")
    (
        re.compile(r"\b(?:upright|standing|stand-up|weight[- ]bearing) (?=mri|mr\b)", re.I),
        "positional ",
    ),
    (re.compile(r"\bc/s\b", re.I), "cervical spine"),  # "C/S MRI", "L/S x-rays"
    (re.compile(r"\bl/s\b", re.I), "lumbar spine"),
    (re.compile(r"\bt/s\b", re.I), "thoracic spine"),
    # "RFA of the lumbar facets", "genicular RFA": a radiofrequency ablation, where the letters'
    # "RFA" is the request for authorization
    (
        re.compile(
            r"\bRFAs?\b(?= (?:of|to|at|for|on|in) (?:the |his |her |my )?(?:(?:left|right|"
            r"bilateral) )?(?:lumbar|cervical|thoracic|facet|medial|genicular|knee|si\b|"
            r"sacroiliac|[lct]\d))",
            re.I,
        ),
        "radiofrequency ablation",
    ),
    (
        re.compile(
            r"\b(facet|lumbar|cervical|thoracic|genicular|branch|sacroiliac|si joint) RFAs?\b",
            re.I,
        ),
        r"\1 radiofrequency ablation",
    ),
    # an eye exam is care no decision names, not the head's decisions ("eye" names the head)
    (re.compile(r"\b(eyes?) (exam(?:ination)?s?|tests?|checks?)\b", re.I), r"\1-\2"),
    (re.compile(r"\bCESI(s?)\b", re.I), r"cervical ESI\1"),  # a region's epidural: "CESI C5-6"
    (re.compile(r"\bLESI(s?)\b", re.I), r"lumbar ESI\1"),
    (re.compile(r"\ba new (knee|hip|shoulder)\b", re.I), r"a \1 replacement"),  # lay words
    # a joint replaced, in a surgeon's shorthand ("TKA", "total knee", "THR")
    (re.compile(r"\bT(?:KA|KR)s?\b", re.I), "total knee replacement"),
    (re.compile(r"\bTH[AR]s?\b"), "total hip replacement"),
    (
        re.compile(r"\btotal (knee|hip|shoulder)\b(?! (?:replacement|arthroplasty))", re.I),
        r"total \1 replacement",
    ),
    (re.compile(r"\bACDF\b", re.I), "cervical discectomy and fusion"),
    (re.compile(r"\bRCRs?\b"), "rotator cuff repair"),
    # lay words for a test and a surgeon's assistant ("the brain wave test", "a helper surgeon")
    (re.compile(r"\bbrain ?waves? (?:tests?|testing|stud(?:y|ies))\b", re.I), "EEG"),
    (
        re.compile(r"\b(?:helper|helping) surgeons?\b|\bsurgeon'?s helper\b", re.I),
        "assistant surgeon",
    ),
    (re.compile(r"\bSCS\b"), "spinal cord stimulator"),
    # the equipment of a bathroom, as item names list it ("purchase of a bedside 3 in 1 commode")
    (re.compile(r"\bbath(?:room)? (?:equipment|aids?|items)\b", re.I), "commode and shower chair"),
    # a study had before ("when no x-rays were done first"), or not ("x-rays were not taken
    # first"), as the vocabulary writes it
    (
        re.compile(
            r"\b(x-?rays?|radiographs?|plain films?) (?:(?:were|was|had been|have been|are) "
            r"(?:not|never)|weren'?t|wasn'?t|hadn'?t been|haven'?t been|aren'?t) (?:done|taken|"
            r"obtained|performed|ordered) (first|beforehand)\b",
            re.I,
        ),
        r"no \1 \2",
    ),
    (
        re.compile(
            r"\b(x-?rays?|radiographs?|plain films?) (?:were |was |had been )?"
            r"(?:done|taken|obtained|performed|ordered) (first|beforehand)\b",
            re.I,
        ),
        r"\1 \2",
    ),
    # lay words for what item names call otherwise: rides to appointments are transportation,
    # a standing desk is a sit-stand workstation, a transfer of care is a referral
    (re.compile(r"\brides?(?= (?:to|from)\b)", re.I), "transportation"),
    (
        re.compile(
            r"\b(?:standing|stand-up|sit[- /]to[- ]stand|sit[- /]stand|adjustable|ergonomic) "
            r"(?:desk|workstation|work station)s?\b",
            re.I,
        ),
        "sit-stand workstation",
    ),
    (re.compile(r"\btransfers? of care\b", re.I), "referral"),
    (  # to see a specialist is a consultation with one ("requests to see a neurosurgeon")
        re.compile(
            r"\b(?:to see|seeing|see|visits? to) (?=(?:an? |the |his |her |my |their )?"
            r"(?:[\w-]+ )?(?:\w*surgeon|specialist|neurologist|orthopedist|psychiatrist|"
            r"psychologist|podiatrist|rheumatologist|physiatrist)s?\b)",
            re.I,
        ),
        "a consultation with ",
    ),
    (re.compile(r"\b(?:high|elevated) blood pressure\b", re.I), "hypertension"),  # as letters
    # write it
    # the refills a request line names ("#60 with 2 refills") are its size, no clinical state
    # (said unread as "3 refills" is, `_DOSING`)
    (
        re.compile(r",? (?:with|w/|and|\+) ?(\d+|one|two|three|four|five) (refills?)\b", re.I),
        r" \1 \2",
    ),
)
_OT = re.compile(r"\bOT\b")
# "before" with nothing after it that it comes before ("never had PT before and ...", "... done
# before."): when, not care ordered before another (nor "more than before", a comparison).
_BEFORE_ALONE = re.compile(r"(?<!\bthan)\s+before(?=\s*(?:[.;!?]|and\b|$))", re.I)
_PT_NAMED = re.compile(r"\bPT\b|\bphysical therap|\bphysiotherap|\btherapy\b", re.I)
# An abbreviation's plural ("EKGs", "CTs"), read as the abbreviation where no form names it.
_PLURAL = re.compile(r"\b([A-Z]{2,})s\b")

# A plural's possessive apostrophe ("workers' requests", "the doctors' notes").
_PLURAL_POSSESSIVE = re.compile(r"\b(\w+s)'(?!\w)")

# "because" as it is typed in a hurry ("denied bc the surgery wasn't approved", "b/c", "cuz")
_BECAUSE = re.compile(r"\b(?:bc|b/c|bcuz|becuz|cuz|coz)(?![\w/])", re.I)

TREATMENT_FACETS = ("ingredient", "drug_class", "treatment", "category")
NAMING_FACETS = ("ingredient", "drug_class", "treatment")  # a treatment named, not its category
DRUGS = ("ingredient", "product", "drug_class")  # the facets naming a drug or a product


def understand(
    question: str, *, treatment_only: bool = False, held: Callable[[str], bool] = lambda w: True
) -> Question:
    """The facets of `question` (`_understand`); a diagnosis asked alone ("Meniscus tear?",
    "Lateral epicondylitis cases") is what the workers have, as "decisions for workers with a
    meniscus tear" asks (it abstained: no decision's request holds a tear)."""
    q = _understand(question, treatment_only=treatment_only, held=held)
    if not treatment_only and (before := _diagnosis_before(q)):  # "distal radius fracture EMG"
        run, rest = before
        stripped = rest.rstrip("?.! ")  # (its clause, before the question mark)
        had = _understand(f"{stripped} for {run}{rest[len(stripped) :]}", held=held)
        if (
            _read_alike(had) == _read_alike(q)
            and not had.variant_terms
            and had.values("clinical")  # (read, not dropped: "hernia surgery")
        ):
            return replace(had, text=q.text)
    if treatment_only or not _diagnosis_alone(q):
        return q
    had = _understand(f"decisions for workers with {_asked_span(q)}", held=held)
    clinical = [f for f in had.facets if f.name == "clinical"]
    if not clinical:
        return q
    said = set(q.asked.split())
    kept = [f for f in q.facets if f.name != "unread" and not set(f.words.lower().split()) <= said]
    facets = list(dict.fromkeys((*kept, *had.facets)))  # (a finding read both times, once)
    phrases = [_said_words(f.value) for f in facets if f.name == "clinical"]
    facets = [  # nor a word of a finding named whole ("syndrome" of "complex regional pain
        # syndrome", "quervain" of "de quervain's")
        f
        for f in facets
        if f.name != "clinical" or not any(_said_words(f.value) < p for p in phrases)
    ]
    return replace(q, facets=tuple(facets), unknown_terms=had.unknown_terms, asked="")


def _asked_span(q: Question) -> str:
    """The words `q` asks, as the question says them from the first to the last: with the
    everyday words between them that `q.asked` drops ("complex regional pain syndrome", whose
    "pain" left "complex regional syndrome", no finding's name, and read a syndrome)."""
    words, lowered = q.asked.split(), q.text.lower()
    if not words:
        return q.asked
    start = re.search(rf"\b{re.escape(words[0])}", lowered)
    end = [m.end() for m in re.finditer(rf"{re.escape(words[-1])}\b", lowered)]
    if start is None or not end or end[-1] <= start.start():
        return q.asked
    span = lowered[start.start() : end[-1]]
    return span if len(span.split()) <= len(words) + 2 else q.asked


def _said_words(phrase: str) -> frozenset[str]:
    """The words of a clinical phrase, less a possessive ending ("de quervain's": de, quervain)."""
    return frozenset(re.sub(r"['’]s\b", "", phrase.lower()).replace("-", " ").split())


# What a diagnosis's name ends in, beside the injuries (`_DIAGNOSIS_ENDING`, `_INJURIES`).
_LESIONS = frozenset(
    "tear tears hernia loss syndrome strain strains sprain neuropathy dysfunction".split()
)
# A lesion as a question names it, with the word before it ("low back strain", "hearing loss").
_LESION_SAID = re.compile(rf"(?:\b(?!of\b)[a-z]{{3,}} )?\b(?:{'|'.join(sorted(_LESIONS))})\b")
# What the worker feels, asked alone as a diagnosis is ("Headaches - what was decided?").
_SYMPTOMS = frozenset(
    """headache headaches migraine migraines palpitations dizziness vertigo tinnitus insomnia
    numbness tingling fainted fainting syncope""".split()
)


def _names_diagnosis(word: str) -> bool:
    """Whether `word` (lowercase) names a diagnosis: a lesion, an injury, or a diagnosis's
    ending ("strain", "fracture", "fasciitis")."""
    return word in _LESIONS or word in _INJURIES or bool(_DIAGNOSIS_ENDING.search(word))


def _diagnosis_before(q: Question) -> tuple[str, str] | None:
    """The diagnosis that opens `q` right before the treatment, with no word joining them
    ("distal radius fracture EMG", "carpal tunnel syndrome electrodiagnostic testing"), and the
    rest of the question: read as a kind of the treatment, it found none ("No decision concerns
    radius fracture EMG"); it is what the treatment is for. None when the words beside the
    treatment are no diagnosis (a kind: "a bone scan"). A finding the vocabulary knows, read as
    nothing ("sciatica physical therapy" counted every PT in silence), is what it is for too."""
    read = " ".join(f.words.lower() for f in q.facets)
    words = q.text.split()
    for k in range(min(4, len(words) - 1), 0, -1):  # the longest ("frozen shoulder", not "frozen")
        run = " ".join(words[:k]).lower()
        # a diagnosis's word ends it, or a finding's whole name (not the "back" of "failed back
        # surgery")
        found = [m for m in _finding_pattern().finditer(run) if m.end() == len(run)]
        diagnosis = _names_diagnosis(words[k - 1].lower()) or bool(found)
        if q.variant_terms and diagnosis and set(q.variant_terms) <= set(run.split()):
            return " ".join(words[:k]), " ".join(words[k:])
        if (
            not q.variant_terms
            and any(f.name in TREATMENT_FACETS for f in q.facets)
            and any(m.start() == 0 for m in found)
            and not set(run.split()) & set(read.split())
        ):
            return " ".join(words[:k]), " ".join(words[k:])
    return None


def _read_alike(q: Question) -> set[tuple[str, str]]:
    """What `q` is read as, less its clinical and unread words."""
    return {(f.name, f.value) for f in q.facets if f.name not in ("clinical", "unread")}


def _diagnosis_alone(q: Question) -> bool:
    """Whether `q` names no treatment or state, and what it asks is a diagnosis: by its name's
    ending, or one the vocabulary knows, its words all it asks that no vocabulary knows, but
    how sure it is ("depression and anxiety cases", "frozen shoulder?", "carpal tunnel
    suspected"; not "CRPS rt foot stellate ganglion block", a treatment no letter names). A
    finding read beside words left unread ("head trauma with headaches", "lumbar radiculitis
    with disc protrusion": the headaches, the protrusion) is such a question too."""
    if any(f.name in (*TREATMENT_FACETS, "unread", "case") for f in q.facets):
        return False
    asked = [w for w in q.asked.split() if w not in _HEDGES]
    if any(_names_diagnosis(w) or w in _SYMPTOMS for w in asked):
        return True
    if any(f.name == "clinical" for f in q.facets):
        return False
    known = {w for m in _finding_pattern().finditer(q.asked) for w in m[0].split()}
    return bool(known) and set(q.unknown_terms) - _HEDGES <= known


# How sure a diagnosis is ("suspected carpal tunnel", "possible CRPS"): no finding of its own.
_HEDGES = frozenset(
    "suspected suspect possible probable presumed presumptive likely questionable query".split()
)


def _understand(
    question: str, *, treatment_only: bool = False, held: Callable[[str], bool] = lambda w: True
) -> Question:
    """The facets of `question` (see the module docstring). `treatment_only`: only what names
    the treatment (drug, class, procedure, category, region, form, quantity) and the treatments
    the worker already had, for ranking, which
    reads nothing else; the rest (conditions, outcome, clinical words) costs most of the time.
    `held`: whether a word is one the corpus or everyday language holds (the caller says); a
    word it does not hold, named before the condition, is what the question asks for
    ("Is Suboxone approved for opioid dependence?": not the opioids)."""
    text = _PATIENT.sub("patient", _patient_with(" ".join(question.split())))
    text = _BECAUSE.sub("because", text)
    text = _PERCENT_SIGN.sub("percent", text)  # "what % of requests"
    text = _IN_TOTAL.sub("overall", text)  # "How many were overturned in total?"
    text = _PLURAL_POSSESSIVE.sub(r"\1", text)  # "female workers' requests": the workers
    text, compared = _VERSUS.subn(" or ", text)  # "Norco vs Percocet": each one's own count
    text = _THAN.sub(  # (or a category of care: "imaging overturned more than medications")
        lambda m: (
            " or "
            if treatments_named(m[1])
            or treatments_named(_singular(m[1]))
            or _names_category(m[1].lower())
            else m[0]
        ),
        text,
    )
    text = _SPANISH_SAID.sub(lambda m: _SPANISH[m[0].lower()], text)  # "MRI de rodilla"
    for shorthand, meaning in _SHORTHAND:  # "bilat LE EMG/NCV": bilateral lower extremities
        text = shorthand.sub(meaning, text)
    if not _PT_NAMED.search(text):  # "OT 6 sessions": occupational therapy, as item names write
        # it, a kind of PT (but "PT/OT", "PT or OT visits": the therapy either is)
        text = _OT.sub("occupational therapy", text)
    text = _BEFORE_ALONE.sub("", text)  # "I never had PT before and they denied the MRI": no
    # MRI before which
    if "w/" in text.lower():  # "MRI C-spine w/ radiculopathy"
        text = _finding_after_with().sub("with ", text)
    text = as_therapy(text) if treatment_only else _bare_therapy(as_therapy(text))  # (ranking
    # reads "more therapy sessions" as every kind of therapy session: tune v30 1.0 -> 0.68)
    text = _PLURAL.sub(lambda m: m.group(0) if mentioned(m.group(0)) else m.group(1), text)
    text = products_spelled(text)  # "Tylenol #3": no quantity of 3
    text, reviewer = _reviewer(text)  # "a chiropractor reviewer": whose decision, no treatment
    text, requester = _requester(text)  # "a chiropractor's request": who asked, no treatment
    text, switched = (text, ()) if treatment_only else _switched(text)  # "a different
    # guideline than UR": how it was decided, no treatment
    text, mechanism = (text, ()) if treatment_only else _mechanism(text)  # "a worker injured
    # in a fall": how the injury happened, no treatment or finding (ranking reads the words)
    text, chapter = (text, ()) if treatment_only else _chapter(text)  # "the ODG Knee
    # chapter": what was cited, no body region (ranking reads the words as they are)
    text, letter = (text, ()) if treatment_only else _letter(text)  # "letters where every
    # item was overturned": the letter as a whole
    text, page = (text, ()) if treatment_only else _page(text)  # "ACOEM page 303": what was
    # cited, no quantity
    if not treatment_only and (edition := _EDITION.search(text)):  # "ACOEM 3rd edition": no
        # column holds which edition was cited, said unread (was "No decision concerns edition")
        page = (*page, Facet("unread", edition[0], edition[0]))
        text = " ".join(f"{text[: edition.start()]} {text[edition.end() :]}".split())
    if version := _GUIDELINE_VERSION.search(text):  # "MTUS Chronic Pain Medical Treatment
        # Guidelines 2016": the guideline's version (the one the letters cite), not when IMR
        # decided
        text = " ".join(f"{text[: version.start(1)]} {text[version.end() :]}".split())
    cases = [Facet("case", case, case) for case in cases_named(text)]  # "in CM17-0012582"
    text = " ".join(without_cases(text).split()) if cases else text
    lowered = text.lower()
    facets: list[Facet] = [
        *reviewer,
        *requester,
        *switched,
        *mechanism,
        *chapter,
        *letter,
        *page,
        *cases,
    ]
    dose = _MORPHINE_EQUIVALENT.search(text)  # "above 90 morphine equivalents": a dose, said
    # unread (no decision fact holds it), its "morphine" no drug asked
    read = (
        text if dose is None else f"{text[: dose.start()]}{' ' * len(dose[0])}{text[dose.end() :]}"
    )
    read = _SYNDROME_NAMED.sub(lambda m: " " * len(m[0]), read)  # "serotonin syndrome risk":
    # a drug's risk, no serotonin asked
    for facet, value, words in question_drugs(read):
        facets.append(Facet(facet, value, words))
    if dose is not None and not treatment_only:
        facets.append(Facet("unread", dose[0], dose[0]))
    drugs = [f.words for f in facets if f.name == "ingredient"]
    joined = len(drugs) > 1 and len(set(drugs)) == 1  # one product named by its drugs
    read_at: list[tuple[int, int]] = []  # the class words read: a class in a kind's words is
    # the kind's ("tricyclic antidepressants"), in the same words either ("stomach pills": PPI or
    # H2 blocker)
    for cls, pattern in CLASS_WORDS.items():
        if (
            (m := re.search(rf"\b(?:{pattern})\b", lowered))
            and cls not in _values(facets)
            and not any(a <= m.start() and m.end() <= b and (a, b) != m.span() for a, b in read_at)
        ):
            if cls == "compounded" and joined:  # the product's own kind ("a compound cream with
                # flurbiprofen and cyclobenzaprine"), no class asked beside it (but beside another
                # drug: "amitriptyline / dextromethorphan compound cream w/ lidocaine")
                continue
            facets.append(Facet("drug_class", cls, m.group(0)))
            read_at.append(m.span())
    facets = _drug_after_class(lowered, facets)
    facets += _procedures(text, lowered, facets)
    facets = _guideline_named(lowered, facets, keep_own=treatment_only)
    named = [f for f in facets if f.name in NAMING_FACETS]
    facets = _in_setting(lowered, _monitoring(text, _already_taken(lowered, facets)))
    facets, head = _before_condition(lowered, facets, ranking=treatment_only, held=held)
    if (who := _WHO_HAD.search(lowered)) and (
        _ANYTHING_ASKED.search(lowered[: who.start()])
        or _unknown_before(lowered, who.start())
        and all(lowered.find(f.words.lower()) > who.start() for f in named)
    ):  # (or a thing no vocabulary knows: "a hot tub for someone who had PT")
        # "Was anything approved for workers who already had PT?": every decision whose letter
        # reports PT done, no decision on PT
        facets = [
            f
            for f in facets
            if f.name not in NAMING_FACETS
            or lowered.find(f.words.lower()) < 0
            or lowered.find(f.words.lower()) < who.start()
        ]
        head = head[: who.start()] if lowered.startswith(head) else head
    had = _history(lowered, [f for f in named if f not in facets])  # ranking reads it too
    had += _never_had(lowered, facets)
    never = {f.value for f in had if f.name == "not_had" and _SAID_NEVER.match(f.words)}
    if never and {f.value for f in facets if f.name == "treatment"} - never:  # "never had PT,
        # lumbar MRI denied": the PT is the worker's situation (none had), the MRI is asked
        facets = [f for f in facets if f.name != "treatment" or f.value not in never]
    asked = {f.words.lower() for f in facets if f.name == "ingredient"}
    facets = [f for f in facets if f.name != "product" or f.words.lower() in asked]  # not a
    # product the worker is already on ("already on Norco, is gabapentin approved?")
    placed = _SETTING.sub(" ", head) if any(f.name in NAMING_FACETS for f in facets) else head
    if not named and not treatment_only and not _POST_OP_VISITS.search(placed):  # with nothing
        # named, "after surgery" says when ("a hospital bed after surgery" asks for no operation;
        # a clause read for the other decision, "after surgery not certified", names it); "post-op
        # visits" are what is asked
        placed = _AFTER_SURGERY.sub(" ", placed)
    placed = _SURGERY_FINDING.sub(" ", placed)  # (nor a diagnosis's: "failed back surgery
    # syndrome" asks for no operation)
    if dose is not None:  # "MED over 90 denied?": a dose, no medication asked
        placed = placed.replace(dose[0].lower(), " ")
    facets = _category(placed, facets, listed=not treatment_only)  # (not the setting's: "at
    # the chiropractic office"; a category listed beside a treatment is counted, not ranked by)
    regions = _regions(lowered)
    if (
        any(f.name in NAMING_FACETS or f.name == "category" for f in facets)
        and any(f.words in head for f in regions)
        and not _REGIONS_COMPARED.search(lowered)
    ):  # "a shoulder MRI for a worker with knee pain": the shoulder's MRIs; the knee is the
        # worker's, said with the condition, not another region of the request (not "PT for
        # the neck more than for the back": both compared)
        regions = [f for f in regions if f.words in head]
    facets += regions
    facets += [  # "ESI at L5-S1": the lumbar ESIs, whatever their level (no fact holds it)
        Facet("unread", f.words.upper(), f.words.upper())
        for f in dict.fromkeys(f for f in facets if f.name == "region")
        if SPINAL_LEVEL.fullmatch(f.words) and not treatment_only
    ]
    if any(f.name in NAMING_FACETS for f in facets):
        # "e-stim and traction at the therapy office": care given there, not a home device;
        # "heat packs used at home": the device, not the office's sessions
        office = _SETTING.search(lowered) or _AT_THERAPY.search(lowered)
        home = _AT_HOME.search(lowered)
        if office and not home:  # both ("at therapy or a unit to use at home"): neither
            facets.append(Facet("setting", "office", office.group(0)))
        elif home and not office:
            facets.append(Facet("setting", "home", home.group(0)))
    if several := _SEVERAL_REGIONS.search(lowered):  # "PT for several body parts together":
        # the regions named are the worker's; what is asked is a request covering two or more
        facets = [f for f in facets if f.name != "region"]
        facets.append(Facet("regions", "several", several.group(0)))
    if "surgery" in _values(facets):  # "a labral repair" is no rotator cuff repair, though both
        # are the shoulder's: the structure an operation repairs or releases
        for structure, (pattern, *_) in STRUCTURES.items():
            if m := re.search(rf"\b(?:{pattern})\b", lowered):
                facets.append(Facet("structure", structure, m.group(0)))
        if {"bankart", "slap"} & _values(facets) and not _LABRA_LISTED.search(lowered):
            # "a Bankart repair, MRI shows a labral tear": the Bankart, not any labrum
            facets = [f for f in facets if f.value != "labrum"]
    if "consultation" in _values(facets):  # "referral to a spine surgeon": which specialist
        for specialty, (pattern, _) in SPECIALTIES.items():
            if m := re.search(rf"\b(?:{pattern})\b", lowered):
                facets.append(Facet("specialty", specialty, m.group(0)))
    for form, pattern in FORM_WORDS.items():
        if m := re.search(rf"\b(?:{pattern})\b", head):
            facets.append(Facet("form", form, m.group(0)))
    if _TOPICAL_PATCH.search(head):  # "a topical lidocaine patch" is a patch, no ointment
        facets = [f for f in facets if f.name != "form" or f.value != "topical"]
    facets += _release_form(text, facets) or _brand_form(facets)
    facets = _compounds_listed(placed, facets)
    counting, shared = _with_shared_units(lowered)  # "60 or 90 tablets": each a count of tablets
    split = _SPLIT.search(counting) if partial_words(text) else None  # "6 of 12": UR's split
    weekly = _WEEKLY.search(counting)  # "3 visits a week" is how often, not how many
    shorthand = list(_BY_WEEKS.finditer(counting))  # one asked, not examples ("2x6, 3x4 ...")
    if weekly is None and len(shorthand) == 1 and not any(f.name in DRUGS for f in facets):
        weekly = shorthand[0]
    counted = [
        m
        for m in _QUANTITY.finditer(counting)
        if not any(span and span.start() <= m.start() < span.end() for span in (split, weekly))
        and not _GUIDELINE_YEAR.match(counting, m.start())
        and not counting[: m.start()].endswith("top ")  # "the top 5 treatments": a ranking
        and not (m.group(6) and int(m.group(6)) < 3)  # "x1", "x2": one or two, or the levels
        # the count of care had ("failed PT x 6"), not of the care asked
        and not (
            m.group(6)
            and any(counting[: m.start()].rstrip().endswith(h.words.lower()) for h in had)
        )
        and not (
            m.group(2)
            and m.group(2)[:3] in ("tab", "cap", "pil")
            and _DOSE.match(counting, m.end())
        )
    ]
    if counted:  # the least named ("60 or 90 tablets", "60 pills or more"): at least that many
        m = min(counted, key=lambda m: (_count(m), m.start() in shared))  # (as written first)
        unit = (m.group(2) or m.group(7) or "").rstrip("s") or ("gram" if m.group(4) else "unit")
        # "more than 12 visits" is 13 or more, and is said as asked ("visits beyond 10": 11)
        over = _OVER.search(counting, 0, m.start())
        number, said = (
            _count(m) + bool(over or m.group(8)),
            counting[over.start() if over else m.start() : m.end()],
        )
        if m.group(8):
            said = f"more than {m.group(8)} {m.group(7)}"
        facets.append(Facet("quantity", f"{number} {unit}", said.strip()))
        if len(counted) == 2 and _QUANTITIES_COMPARED.fullmatch(
            counting[counted[0].end() : counted[1].start()]
        ):  # "Norco #60 approved more than #120?": each one's own tally, exactly that many
            facets += [Facet("compared", str(_count(c)), c.group(0).strip()) for c in counted]
    if treatment_only:
        return Question(text, (*facets, *had), ())
    drug = any(f.name in ("ingredient", "drug_class", "product") for f in facets)
    if (
        (
            m := _DURATION_ASKED.search(lowered)
            or (_supply_of(lowered, facets) if drug else _for_days(lowered))
        )
        and not _LACKED.search(lowered, 0, m.start())  # "no 30-day trial": what the worker lacked
        and not _TRIAL_HAD.search(lowered, 0, m.start())  # "purchase after a 30-day trial"
        and (days := days_of(m.group(0)))
    ):
        # "a rental of 2 weeks"; "more than 30 days of medication" is 31 or more, as asked
        over = _OVER.search(lowered, 0, m.start())  # (or said within: "for more than 7 days")
        said = lowered[over.start() if over else m.start() : m.end()]
        longer = bool(over or m.groupdict().get("over"))
        facets.append(Facet("duration", str(days + longer), said))
    if weekly and (per_week := per_week_of(weekly.group(0))):
        facets.append(Facet("frequency", str(per_week), weekly.group(0)))
        if weekly.re is _BY_WEEKS and not any(f.name == "duration" for f in facets):
            # "PT 2x6": twice a week for six weeks, as "2 times a week for 6 weeks" reads
            facets.append(Facet("duration", str(7 * int(weekly[1])), weekly.group(0)))
    if asked_studies := REPEATABLE & _values(facets):  # "a repeat MRI", "already had one"
        facets += [
            Facet("repeat", "yes", words)
            for words in repeat_words(text)  # not another study ("an MRI without prior x-rays")
            if not (named := set(treatments_named(words)) & STUDIES) or named & asked_studies
        ]
    facets += _repeat_injection(lowered, facets, had)
    facets += _more_sessions(lowered, facets, had)
    facets += had
    if m := _CONTRAST.search(lowered):  # "an MRI with contrast", "w/o contrast"
        without = re.match(r"without|w/o|wo|non", m.group(0))
        facets.append(Facet("contrast", "without" if without else "with", m.group(0)))
    if (m := _BILATERAL.search(lowered)) and any(
        f.name in NAMING_FACETS or f.name == "region" for f in facets
    ):  # "EMG of both arms", "requests for both knees"
        facets.append(Facet("side", "bilateral", m.group(0)))
    if release := _release(text, lowered, facets):  # "tramadol ER", "immediate-release oxycodone"
        facets.append(release)
    if strength := _strength(lowered, facets):  # "Norco 10/325", "Naproxen 550 #60"
        facets.append(strength)
    percents = _percents(lowered, facets)
    if len(percents) == 1 and not any(f.name == "strength" for f in facets):  # "Voltaren gel
        # 1%": the strength a topical's request names (a compound's several are said unread)
        facets.append(Facet("strength", percents_of(percents[0])[0], percents[0]))
    else:
        facets += [Facet("unread", said, said) for said in percents]
    acquired = {m[0] in "pb" for m in _ACQUIRED.findall(lowered)}
    if (
        acquired
        and any(f.name in ("treatment", "category") for f in facets)
        and not partial_words(text)  # (not "UR let us rent it for a month", what UR did, nor
        # "the remaining rental or purchase" UR cut)
    ):
        if len(acquired) == 1:  # "a TENS unit purchase", "a wheelchair rental": how equipment
            # is had
            m = _ACQUIRED.search(lowered)
            facets.append(Facet("acquired", "purchase" if acquired == {True} else "rental", m[1]))
        elif (m := _ACQUIRED_COMPARED.search(lowered)) and not re.search(
            r"\binstead of(?: [\w-]+){0,3} $", lowered[: m.start()]
        ):  # "TENS unit, rental vs purchase": the two set against each other, each tallied (not
            # "instead of the longer rental or purchase")
            facets.append(Facet("acquired", "compared", m[0]))
    decided = []
    for m in _YEAR.finditer(lowered):  # "injured in 2010": when the worker was hurt, not when
        # IMR decided (no column holds it)
        if of_injury(lowered, m.start()) or (
            m.group(1) in ("since", "from") and _TAKEN.search(lowered, 0, m.start())
        ):  # (or how long the worker has taken a drug: "on Norco since 2014")
            facets.append(Facet("unread", text[m.start() : m.end()], text[m.start() : m.end()]))
        else:
            decided.append(m)
    undated = not decided and not asks_by_year(lowered)  # (not two years compared: "did 2016
    # and 2017 decisions differ?", each one's tally)
    if undated and (year := _YEAR_DECISIONS.search(lowered)):  # "2016 decisions"
        facets.append(Facet("year", f"in {year.group(1)}", f"in {year.group(1)}"))
    elif undated and (year := _YEAR_LAST.search(lowered)) and not of_injury(lowered, year.start()):
        facets.append(Facet("year", f"in {year.group(1)}", f"in {year.group(1)}"))  # "chiro
        # denials 2017"
    elif undated and (year := _YEAR_KEYWORDS.fullmatch(lowered)):  # "MRI lumbar 2017"
        facets.append(Facet("year", f"in {year.group(1)}", f"in {year.group(1)}"))
    elif undated and (relative := _relative_year(lowered)):  # "decisions from last year"
        facets.append(relative)
    if decided and not asks_by_year(lowered):  # "in 2017", "since 2016": when IMR decided
        # (two years compared: each year's tally, `rag.answer`; "decisions from 2017": in it)
        m = decided[0]
        word = "in" if m.group(1) in ("from", "dated") else m.group(1)  # ("dated January 2017")
        if m.group(2):  # "in December 2016": the month of that year (the day decided says it)
            month = _MONTHS.index(m.group(2)[:3]) + 1
            said = f"{word} {text[m.start(2) : m.end(2)]} {m.group(3)}"
            facets.append(Facet("year", f"{word} {m.group(3)}-{month:02d}", said))
        else:
            when = f"{word} {m.group(3)}"
            facets.append(Facet("year", when, when))
    if m := _BY_MONTH.search(lowered):  # "Which month had the most overturned decisions?":
        # no column holds the month decided, said unread (not the items named "1 month rental")
        facets.append(Facet("unread", text[m.start() : m.end()], text[m.start() : m.end()]))
    facets += _worker(lowered)  # "for a worker over 60", "female workers"
    facets += _injured_on(lowered)  # "date of injury 10/22/2016"
    alongside, situation = _alongside(text, facets)
    facets += alongside
    conditions = [  # the other decision, read above, says what these codes would
        f for f in _conditions(text) if not (alongside and f.value in _ALONGSIDE_CODES)
    ]
    if not any(f.value == "no_functional_improvement" for f in conditions):
        conditions += _no_benefit(lowered, facets)
    if not any(
        f.value in ("no_functional_improvement", "functional_improvement_documented")
        for f in conditions
    ):
        conditions += _injection_relief(lowered, facets)
    if not any(f.value == "no_indication" for f in conditions):
        conditions += _medicines_kept(lowered, facets)
    if not any(f.value == "not_recommended_long_term" for f in conditions) and (
        course := _DRUG_COURSE.search(lowered)
    ):  # "Flexeril 10mg for 3 months": a drug asked for months is its long-term use
        if any(f.name in DRUGS for f in facets) and not any(f.name == "duration" for f in facets):
            conditions.append(Facet("condition", "not_recommended_long_term", course.group(0)))
    conditions = [  # "weaning Norco over 3 months": the taper's pace, no long-term use
        f
        for f in conditions
        if f.value != "not_recommended_long_term"
        or not _TAPERED_OVER.search(lowered[: max(lowered.find(f.words.lower()), 0)])
    ]
    # "already had 24 visits" is the worker's history, not the request ("more than 12 visits" is)
    had = " ".join(f.words for f in conditions if _HAD.search(f.words))
    facets = [
        f
        for f in facets
        if not (f.name == "quantity" and (f.words in had or _had_or_cut(lowered, f.words)))
    ]
    sizes = [f.words for f in facets if f.name == "quantity"]
    conditions = [  # "more than 8 sessions of acupuncture" is the request's size, no reason
        f
        for f in conditions
        if not (f.value == "exceeds_guideline_limits" and any(w in f.words for w in sizes))
        or _LIMIT.search(f.words)
    ]
    if not any(f.name in ("ingredient", "drug_class") for f in facets):  # "PT for more than 4
        # weeks", "pain for more than 3 months" is the course asked or the worker's, not a
        # drug's long-term use
        conditions = [
            f
            for f in conditions
            if not (
                f.value == "not_recommended_long_term"
                and re.match(
                    r"(?:beyond|more than|over|longer than|past) .*(?:weeks|months|years)$", f.words
                )
            )
        ]
    elif not any(f.value == "not_recommended_long_term" for f in conditions):
        for f in facets:  # "long-term Norco", "Norco long term": the drug's long-term use
            if f.name not in DRUGS or (at := lowered.find(f.words.lower())) < 0:
                continue
            after = _LONG_TERM_AFTER.match(lowered, at + len(f.words))
            if m := _LONG_TERM_BEFORE.search(lowered[:at]) or after:
                conditions.append(Facet("condition", "not_recommended_long_term", m.group(1)))
                break
    unhelped = [
        h
        for h in facets
        if h.name == "history"
        and (had_at := lowered.find(h.words.lower())) >= 0
        and _NOT_HELPED_BY.search(lowered[:had_at])
    ]
    if unhelped:  # "an MRI when the worker has not improved with PT": the PT did no good, no
        # reason about the MRI
        conditions = [f for f in conditions if f.value != "no_functional_improvement"]
    conditions = [f for f in conditions if not _not_had_itself(lowered, f, facets)]
    facets += conditions
    asked = text.replace(situation, " ") if situation else text  # "if the surgery is approved"
    for words in partial_words(asked):  # "UR approved only part of it": the process, not IMR
        asked = asked.replace(words, " ")
    for f in conditions:  # "because the surgery wasn't approved": why, not what IMR did
        if f.value in _ALONGSIDE_CODES:
            asked = re.sub(re.escape(f.words), " ", asked, flags=re.I)
    if asks_outcome(asked):
        sought = "overturned" if asks_overturned(asked) else "any"
        facets.append(Facet("outcome", sought, _outcome_words(asked)))
    if found := partial_words(text):
        facets.append(Facet("partial", "yes", " ".join(found)))
    if m := _GUIDELINE.search(text):
        facets.append(Facet("guideline", "sections", m.group(0)))
        facets = [  # "Which guideline supports the home health decisions?": what is cited, no
            # reason that guideline criteria were met
            f
            for f in facets
            if f.name != "condition" or m.group(0).lower() not in f.words.lower()
        ]
    elif not any(f.name in TREATMENT_FACETS for f in facets) and (
        part := next((f for f in facets if f.name in ("chapter", "page")), None)
    ):  # a part of a guideline named alone ("MTUS chronic pain guidelines page 78 - what is on
        # it?"): what the reviewers cited of it (was no precedent, no treatment being named)
        facets.append(Facet("guideline", "sections", part.words))
    known = " ".join(f.words for f in facets).lower()
    modified = _things_modified(lowered)  # (read once, not per word)
    unknown = tuple(
        w
        for w in dict.fromkeys(_CONTENT_WORD.findall(lowered))
        if w not in GENERIC
        and (w not in PROCESS_WORDS or w in modified)
        and w not in known
        and not _known_word(w)
    )
    # the words of a state the chart leaves unsaid ("requests with no duration", "missing
    # quantity"): no treatment, neither unknown nor asked (others' words stay the question's
    # clinical words)
    table = concepts()
    said_forms = [(c, f) for c, f in forms_said(lowered) if c in table]
    unsaid = [f for c, f in said_forms if table[c].unsaid]
    stated = [  # a state's words ("decisions where the patient returned to work"), which
        # rag.answer reads: no unknown treatment (but still what is asked: a "home exercise kit")
        f
        for c, f in said_forms
        if table[c].kind == "condition"
    ]
    unsaid += [  # and the unit it leaves unsaid ("didn't say how many sessions")
        m[1] for f in unsaid for m in re.finditer(rf"\b{re.escape(f)} ({_UNITS_UNSAID})\b", lowered)
    ]
    unknown = tuple(w for w in unknown if w not in " ".join(unsaid))
    if not any(f.name in TREATMENT_FACETS for f in facets):  # (beside a treatment, the
        # letters mentioning its words narrow: "creams when the worker can't swallow pills")
        unknown = tuple(w for w in unknown if w not in " ".join(stated))
    dated = {w for f in facets if f.name == "year" for w in f.words.lower().split()}
    dated |= {w for f in unsaid for w in f.split()}
    dated |= {  # (nor "which MTUS chapter is cited for neck care?" for a "chapter")
        w for f in facets if f.name == "guideline" for w in f.words.lower().split()
    }
    what_asked = " ".join(w for w in _asked(lowered).split() if w not in dated)  # (the
    # Question keeps it; "decisions from January 2017" ask for no treatment "january")
    if not any(f.name == "alongside" for f in facets):
        untreated = not any(f.name in TREATMENT_FACETS for f in facets) and not (
            set(what_asked.split()) - _AILMENT - _finding_words()  # "requests for fibromyalgia"
        )
        unheld = _TREATED_BY.sub(" ", text)  # (not the treating doctor's specialty: unread)
        unreasoned = unheld  # a reason's own words name no finding ("no neuro deficits")
        for f in conditions:
            unreasoned = re.sub(re.escape(f.words), " ", unreasoned, flags=re.I)
        reasoned = bool(conditions)
        found = _findings(
            unheld,
            _clinical_words(
                unreasoned,
                unknown,
                untreated,
                held,
                reasoned,
                lesions=not any(f.name in TREATMENT_FACETS for f in facets),
            ),
        )
        # (with a reason, what is absent is the reason's: no finding asked absent beside it)
        facets += [f for f in found if not conditions or f.name == "clinical"]
        clinical = " ".join(f.words.lower() for f in facets if f.name == "clinical")
        # a part of the body a diagnosis is named by ("carpal tunnel syndrome") asks no region
        # of its own; the region of a treatment asked for it, it does ("a brace for carpal
        # tunnel": a wrist brace)
        facets = [
            f
            for f in facets
            if f.name != "region"
            or any(t.name in TREATMENT_FACETS for t in facets)
            or not re.search(rf"\b{re.escape(f.words.lower())}\b", clinical)
        ]
    operated = any(f.name == "alongside" and f.value.endswith(":surgery") for f in facets)
    if (after := _AFTER_SURGERY.search(text)) and not operated:  # (the operation's decision
        # in the same letter says it: "the post-op sling, when the surgery was approved")
        if "postoperative" not in _values(facets) and not _last_listed(lowered, after, facets):
            facets.append(Facet("clinical", "postoperative", after.group(0)))
            head = lowered[: after.start()]  # what no vocabulary knows, asked before it
            unheard = any(re.search(rf"\b{re.escape(w)}\b", head) for w in unknown)
            facets = _operation_had(facets, after.group(0), unheard)
    facets = _without_situation_forms(facets)
    if (
        {f.value for f in facets if f.name in ("treatment", "category")}
        & _PRE_OPERATIVE - {"medical_clearance"}  # (a clearance is pre-operative by its name)
        and not any(f.name in ("clinical", "alongside") for f in facets)  # (said otherwise)
        and (before := _PRE_OP_SAID.search(lowered))
    ):  # "a pre-op EKG": the work-up for an operation (the EKG for palpitations is none)
        facets.append(Facet("clinical", "preoperative", before.group(0)))
    if any(f.name == "setting" and f.value == "office" for f in facets):
        # "a TENS unit used at therapy": the clinic's stimulation, no unit of the worker's own
        facets = [replace(f, words=f.value) if member_word(f) == "unit" else f for f in facets]
    facets = _injected_drugs(text, facets)
    facets = _care_beside_drug(text, facets)
    facets = _care_where_given(text, facets)
    facets = _service_heading(facets)
    listed = _unknown_listed(text, facets, unknown)
    apart = {w for f in listed for w in f.value.split()}  # "hippotherapy or PT": no kind of PT
    apart |= reason_words(text)  # "the most common reasons PT is upheld": why, no kind of PT
    spelled = unknown + _acronyms(text, known)  # "a PET scan": a kind of scan, unknown
    variants = tuple(w for w in _beside_treatment(head, facets, spelled) if w not in apart)
    facets += [Facet("unread", clause, clause) for clause in _unread(text, facets)]
    facets += [Facet("unread", words, words) for words in _untold_purpose(text, facets, unknown)]
    facets += listed
    facets += _part_unknown(lowered, facets, unknown)
    facets += _device_part(lowered, facets)
    facets += [Facet("unread", w, w) for w in _places(text, unknown)]
    unread = " ".join(f.words for f in facets if f.name == "unread")
    facets += [
        Facet("unread", m[0], m[0]) for m in _TREATED_BY.finditer(text) if m[0] not in unread
    ]
    abbreviations = _abbreviations_unread(text, facets, unknown, variants)
    facets += [Facet("unread", w, w) for w in abbreviations]
    if injured := [f.words for f in facets if f.name == "injured"]:  # (its words read, not
        # said unread, nor its year the year decided: "date of injury", "12/10", "2015")
        facets = [
            f
            for f in facets
            if not (f.name == "unread" and f.words.lower() in injured[0])
            and not (f.name == "year" and f.words.lower().split()[-1] in injured[0])
        ]
        what_asked = " ".join(w for w in what_asked.split() if w not in injured[0])
    return Question(text, tuple(facets), unknown, variants, what_asked, compared > 0)


# Clinicians' and claims shorthand that names nothing to narrow by: doses and routes ("1 tab PO
# TID"), who is who ("the PTP", "a PA"), forms and codes ("the PR-2", "CPT 29826").
_NAMES_NOTHING = frozenset(
    "po tid bid qid prn qam qpm qhs qd hs im iv sl hcl er xr sr cr dr rf md do pa np rn ptp iw "
    "ur qme ame pr cm ccr cpt nc le ue wnl ros rfa".split()  # (an RFA: the form, or an ablation)
)


def _abbreviations_unread(
    text: str, facets: list[Facet], unknown: tuple[str, ...], variants: tuple[str, ...]
) -> list[str]:
    """The abbreviations in capitals that no vocabulary knows and nothing read holds ("shoulder
    arthroscopy with SAD and DCR"): too short to be unknown words, said unread, not dropped in
    silence; not a clinician's shorthand for a dose or a role (`_NAMES_NOTHING`), nor any
    where the question names no treatment."""
    if not any(f.name in TREATMENT_FACETS for f in facets):  # (what no letter names, the
        # question's own: "was the RFA denied?")
        return []
    read = {w for f in facets for w in re.findall(r"[a-z0-9]+", f.words.lower())}
    nothing = read | set(unknown) | set(variants) | _NAMES_NOTHING | GENERIC | PROCESS_WORDS
    return [
        w
        for w in dict.fromkeys(_CAPITALS.findall(text))
        if (lw := w.lower()) not in nothing and lw not in _finding_words() and not _known_word(lw)
    ]


# Who treats the worker or asks for the care ("the treating doctor was an orthopedic surgeon"):
# the letters record the reviewer's specialty, not the requesting physician's.
_TREATED_BY = re.compile(
    r"\b(?:the |his |her |their )?(?:treating|requesting|primary treating|attending|ordering) "
    r"(?:doctor|physician|provider|md|ptp)(?:'s specialty)? (?:was|is|being) (?:an? )?"
    r"(?:[\w-]+ ){0,2}?(?:surgeon|chiropractor|physiatrist|specialist|doctor|physician|"
    r"[a-z]+ologist)\b",
    re.I,
)
_ANY_PART = frozenset("body same other affected injured involved whole".split())  # "x-rays of
# a body part": no part named


def _part_unknown(lowered: str, facets: list[Facet], unknown: tuple[str, ...]) -> list[Facet]:
    """A part of the body no vocabulary knows, named after the treatment ("a CT of the abdomen",
    "an x-ray of the sternum"): said unread, rather than answered as if the treatment alone had
    been asked."""
    said = " ".join(f.words.lower() for f in facets)
    out = []
    for f in facets:
        if f.name not in NAMING_FACETS or not f.words:
            continue
        of = rf"\b{re.escape(f.words.lower())}\w* of (?:the |his |her |their |a |an )?"
        of += r"(?:(?:right|left|upper|lower) )?([a-z]+)\b"
        for m in re.finditer(of, lowered):
            if m[1] in unknown and m[1] not in _ANY_PART and not re.search(rf"\b{m[1]}\b", said):
                out.append(Facet("unread", m[0][m.start(1) - m.start() :], m[1]))
    return out


# Where the worker or the case is ("in San Diego", "Los Angeles cases", "in Fresno county"): a
# name no vocabulary knows, capitalised, after "in", "from" or "at", or any words before
# "county": no letter's fact holds a place.
_PLACE = re.compile(
    r"\b(?:in|from|at) (?:the )?((?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+)(?: (?:county|city|area|cases|"
    r"claims|decisions))?\b|\b(?:in|from) (?:the )?((?:[a-z]+ ){1,2}county)\b"
)


def _places(text: str, unknown: tuple[str, ...]) -> list[str]:
    """The places `text` names (`_PLACE`), as written: said unread, not dropped in silence."""
    out = []
    for m in _PLACE.finditer(text):
        name = m[1] or m[2]
        words = [w.lower() for w in name.split() if w.lower() != "county"]
        if words == ["california"]:  # where every decision of the corpus is
            continue
        if any(w in unknown for w in words) and all(w in unknown or len(w) <= 3 for w in words):
            # ("San", "Los": too short to be content words)
            out.append(m[0][m[0].index(name) :])
    return out


# A device's consumables and parts, which no letter requests apart from the device ("electrodes
# for a TENS unit", "hearing aid batteries", "TENS supplies").
_DEVICE_PART = re.compile(
    r"(?:replacement )?(?:electrodes?|batter(?:y|ies)|supplies|lead wires?|accessor(?:y|ies)|"
    r"replacement parts?)"
)


def _device_part(lowered: str, facets: list[Facet]) -> list[Facet]:
    """A part or supply of the device asked for, named before it ("electrodes for a TENS unit")
    or after ("TENS unit electrodes"): said unread, the device answered, rather than the part
    abstained on as a treatment of its own or dropped silently."""
    said = " ".join(f.words.lower() for f in facets if f.name != "treatment")
    out = []
    for f in facets:
        if f.name != "treatment" or not f.words:
            continue
        device = re.escape(f.words.lower())
        for m in re.finditer(
            rf"\b({_DEVICE_PART.pattern}) (?:for|of) (?:the |an? |his |her |their )?{device}\b|"
            rf"\b{device}(?: units?)? ({_DEVICE_PART.pattern})\b",
            lowered,
        ):
            part = m[1] or m[2]
            if not re.search(rf"\b{re.escape(part)}\b", said):
                out.append(Facet("unread", part, part))
    return out


def _unknown_listed(text: str, facets: list[Facet], unknown: tuple[str, ...]) -> list[Facet]:
    """The treatments a question lists beside one it names that no vocabulary knows ("TENS
    units and H-wave units", "Lyrica and a Zynex unit"), as "unknown" facets: the answer says
    it counts none of them, instead of answering for the known one as if it were all."""
    if not unknown or not any(f.name in (*NAMING_FACETS, "product") for f in facets):
        return []
    lowered = text.lower()
    singular = _singular(text)
    spans = [
        span
        for f in facets
        if f.name in (*NAMING_FACETS, "product")
        and (span := _span(lowered, singular, f.words.lower()))
    ]
    pieces, at = [], 0  # the list's pieces, each with where it stands
    for m in [*_LIST_SEPARATOR.finditer(lowered), None]:
        end = m.start() if m else len(lowered)
        pieces.append((at, end))
        at = m.end() if m else at

    def ends(piece: tuple[int, int]) -> bool:  # with a known treatment ("TENS units")
        return any(piece[0] <= a and b <= piece[1] and len(lowered[b : piece[1]].split()) <= 1
                   for a, b in spans)  # fmt: skip

    def starts(piece: tuple[int, int]) -> bool:  # with a known treatment ("a TENS unit")
        return any(piece[0] <= a < piece[1] and len(lowered[piece[0] : a].split()) <= 1
                   for a, _ in spans)  # fmt: skip

    out = []
    for i, (start, end) in enumerate(pieces):
        if any(start <= a < end for a, _ in spans):
            continue  # a piece naming a known treatment
        after = i > 0 and ends(pieces[i - 1])
        if not after and not (i + 1 < len(pieces) and starts(pieces[i + 1])):
            continue
        words = re.findall(r"[a-z][a-z'-]*", lowered[start:end])
        run = _run(words if after else words[::-1])
        phrase = " ".join(run if after else run[::-1])
        at = lowered.find(phrase, start)
        if run and at >= 0 and _names_unknown(text[at : at + len(phrase)], at, unknown):
            out.append(Facet("unknown", phrase, text[at : at + len(phrase)]))
    return out


_WHEN = re.compile(r"(?:pre|post)-?op(?:erative)?$")  # when a thing is had ("pre-op labs")


def _names_unknown(words: str, at: int, unknown: tuple[str, ...]) -> bool:
    """Whether `words` (standing at `at` in the question) name a product or device no
    vocabulary knows: at most three words, none a treatment's form, each one no vocabulary knows
    or the head of a kind of care ("unit", "device") or a word the facts read ("pads"), and one
    of them a name: capitalised mid-sentence ("Zynex", "H-wave") or before such a head
    ("alpha-stim device")."""
    parts = words.split()
    if len(parts) > 3 or treatments_named(words.lower()):
        return False

    def head(w: str) -> bool:
        return bool(_KIND_OF_CARE_HEAD.fullmatch(w)) or _care_word(w)

    lowered = [w.lower() for w in parts]
    if not all(w in unknown or head(w) for w in lowered):
        return False
    named = [
        w for w, low in zip(parts, lowered, strict=True) if not head(low) and not _WHEN.match(low)
    ]
    return bool(named) and (
        any(at > 0 and w[:1].isupper() and len(w) >= 4 for w in named) or head(lowered[-1])
    )


_NOT_NAMES = frozenset("the a an him them me us it he she they this that these those".split())
# The head nouns of a kind of care ("H-wave unit", "genetic tests"), and those a list's piece
# may also end with ("post-op meds", "supplies").
_CARE_HEADS = (
    r"tests?|testing|therap(?:y|ies)|programs?|devices?|units?|procedures?|kits?|pumps?|"
    r"implants?|infusions?|injections?|shots?|machines?|stimulators?|panels?"
)
_KIND_OF_CARE_HEAD = re.compile(
    rf"{_CARE_HEADS}|treatments?|care|meds|medications?|drugs?|pills?|supplies|items?|equipment"
)


def _care_word(word: str) -> bool:
    """Whether the facts name a category of care by `word` ("electrodes": DME)."""
    return any(p and p.search(word) for _, p in facts_vocabulary().categories)


def _run(words: list[str]) -> list[str]:
    """The words of a listed piece that name a thing, from its near end: past any article, up
    to the first everyday, review-process or function word ("an H-wave unit approved": H-wave
    unit)."""
    run = []
    for w in words:
        if not run and w in _ARTICLES:
            continue
        if w in GENERIC or w in PROCESS_WORDS or w in _FUNCTION_WORDS or w in _NOT_NAMES:
            break
        run.append(w)
    return run


# A drug named with how its tablet releases it ("diclofenac ER", "tramadol extended-release"):
# taken by mouth, no gel or patch of it.
_RELEASE = r"er|xr|sr|cr|dr|xl|(?:extended|sustained|delayed|controlled)[- ]release"


def _mark_after(text: str, words: str, marks: str, gap: str = "") -> re.Match[str] | None:
    """Where `words` (a drug as the question names it) stand right before one of `marks` (its
    release: "ER"), `gap` (a strength: "100mg") allowed between; group 1 is the mark."""
    return re.search(rf"\b{re.escape(words)}{gap}\s+({marks})\b", text, re.I)


def _release_form(text: str, facets: list[Facet]) -> list[Facet]:
    if any(f.name == "form" for f in facets):
        return []
    for f in facets:
        if f.name == "ingredient" and (m := _mark_after(text, f.words, _RELEASE)):
            return [Facet("form", "oral", m.group(1))]  # "ER": the drug is its own
    return []


def _brand_form(facets: list[Facet]) -> list[Facet]:
    """The form every product named has whatever the request says ("Lidoderm": a patch), when
    the question names no form; none where the products differ ("Lidoderm or Terocin")."""
    branded = {f.words: brand_form(f.words) for f in facets if f.name in ("ingredient", "product")}
    forms = set(branded.values())
    if len(forms) != 1 or None in forms or any(f.name == "form" for f in facets):
        return []
    words, form = next(iter(branded.items()))
    return [Facet("form", form, words)]


# Parts of the body named in three letters, which letters write in a diagnosis ("rib
# fractures"), beside words of that length that are no content ("the", "for").
_SHORT_PARTS = frozenset(("rib",))
# A word of four letters or more (or a short part), not the head of a contraction ("doesn" of
# "doesn't").
_CONTENT_WORD = re.compile(rf"\b(?:[a-z][a-z-]{{3,}}|{'|'.join(_SHORT_PARTS)})\b(?!['’]t\b)")


# A study's result the request comes with ("surgery with a normal MRI", "a CT with x-rays
# showing a fracture"): the worker's situation, not a second request.
_WITH_FINDING = (
    r"with (?:a |an |the |his |her )?(?:(?:recent|prior|previous|new|earlier|repeat) )?"
    r"(?:positive|negative|normal|abnormal|unremarkable)|"
    r"with (?=(?:[\w/-]+ ){1,4}?(?:showing|that show(?:s|ed)?|which show(?:s|ed)?|revealing|"
    r"demonstrating|confirming)\b)"
)
# The rest of a clause: to its punctuation or a dash between a question's parts ("without nerve
# studies — upheld?").
_TO_CLAUSE_END = r"(?:(?!\s[-\u2013\u2014]\s)[^,;:?.!()])*"
# The clinician's words joining a study to what it found ("MRI w/ HNP", "MRI c/w stenosis",
# "EMG positive for radiculopathy"; "w/o" is no result).
_RESULT_JOIN = r"w/(?!o)|c/w|consistent with|positive for|pos for"
# A clause saying when or why ("when the patient can take oral medications"): what the answer
# narrows by, or says it does not.
_CLAUSE = re.compile(
    rf"\b(?:{_WITH_FINDING}|when|if|because|unless|despite|without|since|although|though|after|"
    r"once|while|until|"
    # what a study found ("MRI c/w stenosis", "EMG positive for radiculopathy")
    r"(?:mri|ct|emg|ncv|ncs|x-?rays?|imaging|study|scan)s? "
    rf"(?:{_RESULT_JOIN}|showing|shows?|showed|reveal(?:s|ed|ing)?|demonstrat\w*)|"
    # ... or its result before it ("positive EMG", "a normal MRI")
    r"(?:positive|negative|abnormal|normal|unremarkable) (?:mri|ct|emg|ncv|ncs|x-?rays?|imaging|"
    r"study|scan|nerve (?:conduction )?study)s?(?= |$|,|;|\.)|"
    r"following|within|before|prior to|"
    r"where|due to|owing to|on the grounds that|for (?:a |the )?(?:lack|absence) of|"
    rf"for (?:not|no|never)\b)\b{_TO_CLAUSE_END}",
    re.I,
)
# Who the worker is ("for a worker with kidney disease", "a claimant who isn't on opioids"): a
# clause of its own, read beside the when/why clauses it may hold.
_WHO = re.compile(
    r"\b(?:worker|patient|claimant|employee|client|person|someone|somebody|anyone|man|woman|guy)s? "
    rf"(?:with\b|w/(?!o)|who\b|whose(?=(?:\s+[^\s,;:?.!()]+){{2}})\b){_TO_CLAUSE_END}",
    re.I,
)

# Who the worker is, told in a sentence of its own ("My client is diabetic - was a knee
# injection approved?", "The worker has diabetes."): the subject and its verb at the sentence's
# start (not "what he's taking" within one), then what it says.
_STATED_WHO = re.compile(
    r"(?:^|(?<=[.!?;,] ))(?P<who>(?:my (?:client|patient|worker)|(?:the|our) (?:injured )?"
    rf"(?:worker|patient|claimant|employee|client|pt|iw)|client|patient|claimant|he|she)"
    rf"(?: is| has)|(?:he|she)'s) "
    rf"{_TO_CLAUSE_END}",
    re.I,
)
_WORD = re.compile(r"[a-z][a-z'-]{2,}", re.I)

# The worker's age or state in words no column reads ("older workers", "a pregnant worker"; an
# age in years, read by `_AGE_ASKED`, is said here only when that reads another first).
_AGE = re.compile(
    r"\b\d{2}[- ]years?[- ]old\b|"
    r"\b(?:older|elderly|geriatric|aged|senior|pregnant|diabetic|obese|overweight|smoking|"
    r"(?:low|high|moderate|medium)[- ]risk) "  # ("low risk patients": for a drug screen)
    r"(?:workers?|patients?|claimants?|adults?|people|employees?|women|men|woman|man)\b|"
    r"\btoo old\b|"  # age as a reason ("too old for surgery"): no fact says why
    # how old the injury is, or its date ("injuries more than five years old", "an injury from
    # 2010", "the date of injury"): no column holds it
    r"\b(?:old|older|recent|new|years?-old) injur(?:y|ies)\b|\bdates? of (?:the )?injury\b|"
    r"\binjur(?:y|ies|ed) (?:(?:that (?:is|are|was|were) )?(?:more than|over|older than|less than|"
    r"under|within|at least|about) )?(?:\w+ ){1,2}(?:years?|months?|weeks?) (?:old|ago|before)\b|"
    r"\binjur(?:y|ies|ed) (?:in|from|before|since|during) (?:19|20)\d\d\b|"
    # the worker's job ("for truck drivers", "a worker who is a police officer"): the letters
    # rarely say it and no column holds it
    r"\b(?:for|of|among|who (?:is|are|was|were)) (?:an? |the )?(?:(?:truck|bus|delivery|forklift|"
    r"taxi) drivers?|(?:police|correctional|peace) officers?|firefighters?|fire fighters?|"
    r"teachers?|(?:construction|warehouse|farm|office|field|retail|grocery) workers?|"
    r"farmworkers?|laborers?|labourers?|mechanics?|cashiers?|janitors?|custodians?|carpenters?|"
    r"electricians?|plumbers?|housekeepers?|caregivers?|clerks?|cooks?|roofers?|welders?|"
    r"machinists?|landscapers?|drivers)\b",
    re.I,
)


# The worker's age and sex asked, as the letters' headers give them: "a 65-year-old worker" (the
# years around it), "workers over 60", "patients under the age of 40", "in her 50s", "female
# workers". A worker's word must be beside "over" or "under" ("over 60 visits" is no age).
_WHOSE = r"(?:workers?|patients?|claimants?|employees?|people|persons?|someone|aged?|i'?m|i am)"
_AGE_ASKED = re.compile(
    r"\b(?P<years>\d{2})[- ]years?[- ]old\b|"
    rf"\b{_WHOSE} (?:who (?:is|are|was|were) )?(?P<side>over|older than|above|under|younger than|"
    r"below) (?:the )?(?:age (?:of )?)?(?P<bound>\d{2})\b|"
    r"\b(?P<side2>over|under) (?:the )?age (?:of )?(?P<bound2>\d{2})\b|"
    r"\bin (?:his|her|their) (?P<decade>[1-9])0s\b|"
    # "my client is 62 and ...", "she's 58,", "62 y/o", "age 45", "aged 50"
    r"\b(?:client|worker|patient|claimant|employee|iw|pt|he|she)(?: is|'s) (?P<years2>\d{2})"
    r"(?=\s*(?:$|[,;?!]|\.(?:\s|$)|and\b|but\b|now\b))|"
    r"\b(?P<years3>\d{2}) ?(?:y/?o|yrs? old)\b|\b(?:age|aged) (?P<years4>\d{2})\b(?![/%.\d])"
)
_SEX_ASKED = re.compile(
    r"\b(female|male|women|men|woman|man)(?: injured)? (?:workers?|patients?|claimants?|"
    r"employees?)\b|"
    r"\b(women|men)\b|\b(?:an?|the) (?:\d{2}[- ]years?[- ]old )?(woman|man)\b|"
    r"\b(female|male) (?=(?:and|or|vs\.?|versus) (?:female|male)\b)"  # "male vs female workers"
)
# "by sex", "does gender matter": each sex's own tally
_BY_SEX = re.compile(
    r"\bby (?:the )?(?:worker'?s? |patient'?s? )?(?:sex|gender)\b|\b(?:sex|gender) "
    r"(?:matters?|make a difference|makes a difference|affects?|influences?|differences?)\b|"
    r"\b(?:does|did|do) (?:the )?(?:worker'?s |patient'?s )?(?:sex|gender) (?:matter|make|affect|"
    r"influence)\b"
)
AGE_AROUND = 5  # "a 65-year-old": the workers of 60 to 70
# The date of injury asked ("date of injury 10/22/2016", "DOI 12/10/16", "injured on
# 2016-11-02", "date of injury was November 2, 2016"), as the letters' headers give it.
_INJURED_ON = re.compile(
    r"\b(?:date of (?:injury|loss)|d\.?o\.?i\.?|injury date|injured on|injury on|injured)"
    r"(?:\s+(?:of|was|is|on|in|=|:|being))*\s*:?\s*(?:(?P<m>\d{1,2})[/-](?P<d>\d{1,2})[/-]"
    r"(?P<y>\d{4}|\d{2})\b|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b|(?P<month>january|"
    r"february|march|april|may|june|july|august|september|october|november|december|jan|feb|"
    r"mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.? (?:(?P<md>\d{1,2}),? )?(?P<my>\d{4})\b)"
)


def _injured_on(lowered: str) -> list[Facet]:
    """The date of injury `lowered` asks (`_INJURED_ON`), as an "injured" facet (ISO)."""
    if (m := _INJURED_ON.search(lowered)) is None:
        return []
    if m["y"]:
        year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
        month, day = int(m["m"]), int(m["d"])
    elif m["iy"]:
        year, month, day = int(m["iy"]), int(m["im"]), int(m["id"])
    else:  # (a month alone: "injured in October 2016", any day of it)
        year, month = int(m["my"]), _MONTHS.index(m["month"][:3]) + 1
        day = int(m["md"]) if m["md"] else 0
    if not (1 <= month <= 12 and 0 <= day <= 31):
        return []
    said = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
    return [Facet("injured", said, m.group(0))]


def _worker(lowered: str) -> list[Facet]:
    """The worker's age (value "low-high", inclusive) and sex ("female", "male") `lowered` asks."""
    out = []
    if m := _AGE_ASKED.search(lowered):
        if years := m["years"] or m["years2"] or m["years3"] or m["years4"]:
            n = int(years)
            low, high = n - AGE_AROUND, n + AGE_AROUND
        elif m["decade"]:
            low = int(m["decade"]) * 10
            high = low + 9
        else:
            side, bound = m["side"] or m["side2"], int(m["bound"] or m["bound2"])
            low, high = (
                (bound + 1, 120) if side in ("over", "older than", "above") else (0, bound - 1)
            )
        out.append(Facet("age", f"{low}-{high}", m.group(0)))
    sexes = sexes_named(lowered)
    if len(sexes) == 1:  # (both: each one's tally, `rag.answer`)
        out += [Facet("sex", sex, words) for sex, words in sexes.items()]
    return out


def sexes_named(lowered: str) -> dict[str, str]:
    """The workers' sexes `lowered` names ("female workers"), each with its words; both where
    it asks by sex ("Does gender matter for PT approvals?")."""
    if m := _BY_SEX.search(lowered):
        return {"female": m[0], "male": m[0]}
    return {
        "female" if next(filter(None, m.groups())) in ("female", "women", "woman") else "male": m[0]
        for m in _SEX_ASKED.finditer(lowered)
    }


def _unread(text: str, facets: list[Facet]) -> list[str]:
    """The when/why clauses of `text`, and those saying who the worker is, that no facet came
    from and that hold a word of substance (not an everyday or review-process word): the answer
    says its figures do not narrow by them, rather than answering as if they had been read."""
    said = {w for f in facets if f.words for w in (f.words.lower(), f.words.lower().rstrip("s"))}
    out = _untold_situation(text, facets)
    clauses = [(m, 1) for m in _CLAUSE.finditer(text)] + [(m, 2) for m in _WHO.finditer(text)]
    clauses += [(m, 0) for m in _AGE.finditer(text)]
    clauses += [(m, len(_WORD.findall(m["who"]))) for m in _STATED_WHO.finditer(text)]
    clauses += [(m, 0) for m in _DOSING.finditer(text)]
    courses = [  # care given in sessions that the worker had (`_more_sessions`)
        concepts()[f.value] for f in facets if f.name == "history" and f.value in SESSION_CARE
    ]
    injected = {f.value for f in _injections(facets)} & _values(  # an injection asked, had
        [f for f in facets if f.name == "history"]  # before (`_repeat_injection`)
    )
    out += [m[0] for m in _TURNAROUND.finditer(text)]
    out += [m[0] for m in _OFF_WORK.finditer(text)]  # ("a worker on temporary total disability")
    out += [m[0] for m in _NOT_OF_WORK.finditer(text)]  # ("for a non-industrial condition")
    out += [m[0] for m in _OPIOID_RECORD.finditer(text)]  # ("4 A's not documented")
    if not _injections(facets):  # a drug's share of relief ("Norco with 50% pain relief"): no
        # fact holds it (an injection's is its condition, `_injection_relief`)
        out += [text[m.start() : m.end()] for m in _RELIEF_SHARE.finditer(text.lower())]
    out += [m[0] for m in _RELIEF_SPAN.finditer(text)]  # ("gave 2 wks relief")
    out += [m[0] for m in _PAIN_SCORES.finditer(text)]  # ("pain going from 8/10 to 4/10")
    for m, cue in clauses:
        clause = m.group(0).strip()
        lowered = clause.lower()
        if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered) for w in said):
            continue  # (a whole word said: tramadol's "ER" is not the "er" of "worker")
        if conditions_named(clause):  # a state the vocabulary knows narrows ("no x-rays first")
            continue
        if _AFTER_SURGERY.fullmatch(lowered) and "postoperative" in _values(facets):
            continue  # ("post-op PT visits after the surgery": the one post-operative state)
        if courses and (
            _SESSIONS_HAD.search(lowered)
            or any(re.search(rf"\b{re.escape(w)}\b", lowered) for c in courses for w in c.forms)
        ):  # "after 24 prior sessions", "after completing prior physical therapy": the course
            continue  # had, read as the care's history
        rest = re.sub(_INJECTIONS_HAD, " ", lowered)
        if (
            rest != lowered
            and injected
            and not [
                w
                for w in _WORD.findall(rest)[cue:]
                if w not in GENERIC | _FUNCTION_WORDS | _WHO_WORDS
            ]
        ):  # "when he had already had 3 epidurals": the injection had, read as its history
            continue
        if _BEFORE_ITS_USE.fullmatch(lowered) and (
            not _BEFORE_OPERATION.match(lowered) or _pre_operative(facets)
        ):  # where the care asked comes: a test's place before the operation, a trial's before
            continue  # the purchase (but "PT before surgery": no fact says when PT was asked)
        words = _WORD.findall(lowered)[cue:]  # not the cue itself
        if (
            any(w not in GENERIC and w not in PROCESS_WORDS for w in words)
            or _PAIN_SCORE.search(lowered)  # ("when pain went from 8/10 to 4/10": a score)
            or _CAUSATION.search(lowered)  # ("because the injury was not work related")
            or _OFF_WORK.search(lowered)  # ("for a worker who is not working")
        ):
            out.append(clause)
    # one said inside another is said once ("worker who is a police officer", not also "who is
    # a police officer")
    return [
        c for c in dict.fromkeys(out) if not any(c != o and c.lower() in o.lower() for o in out)
    ]


# How a drug is taken or how many spinal levels or refills are asked ("three times a day", "at
# two levels", "3 refills"): no facet reads them.
_DOSING = re.compile(
    r"\b(?:(?:\d|one|two|three|four|five|six) times|once|twice) (?:a|per|each) day\b|"
    r"\bevery \d+(?:-\d+)? hours\b|"
    r"\b(?:at )?(?:two|three|four|multiple|several|\d) (?:spinal )?levels\b|\bmulti-?level\b|"
    r"\b(?:\d|one|two|three|four|five|six) refills?\b|"
    # how often a test or service is repeated over the year ("more than 4 times a year",
    # "quarterly"): no fact holds it
    r"\b(?:(?:more|less|fewer) than |over |up to |at most )?(?:\d+|once|twice|one|two|three|"
    r"four|five|six)(?: times)? (?:a|per|each|every) (?:year|quarter)\b|"
    r"\b(?:quarterly|annually|yearly|every (?:\d+|two|three|four|six) months)\b",
    re.I,
)


# "before surgery", "prior to the purchase", "before starting the NSAID", "before this med":
# where the care asked comes, or the care itself, not the worker's state.
_BEFORE_ITS_USE = re.compile(
    r"(?:before|prior to) (?:(?:the |a |an |his |her |their )?"
    r"(?:surgery|surgical procedure|operation|procedure|purchase|purchasing|buying)|"
    r"(?:starting|beginning)\b.*|(?:this|that|these|the) (?:meds?|medications?|medicines?|drugs?|"
    r"pills?|one))"
)
_BEFORE_OPERATION = re.compile(
    r"(?:before|prior to) (?:(?:the|a|an|his|her|their) )?(?:surgery|surgical procedure|"
    r"operation|procedure)\b"
)
# The work-up said to come before an operation ("pre-op labs", "an EKG before surgery").
_PRE_OP_SAID = re.compile(
    r"\bpre-?op(?:erative)?\b|"  # ("pre-operative" too)
    r"\b(?:before|prior to) (?:(?:the|a|an|his|her|their) )?(?:surgery|operation|procedure)\b"
)
# The care that comes before an operation by its nature: the pre-operative work-up.
_PRE_OPERATIVE = frozenset({"lab", "ekg", "chest_xray", "medical_clearance", "xray"})


def _pre_operative(facets: list[Facet]) -> bool:
    return any(f.value in _PRE_OPERATIVE for f in facets if f.name in ("treatment", "category"))


# Whether the injury came from the work ("not work related", "non-industrial"): everyday words,
# but no decision fact (IMR decides medical necessity; the letters do not rule on causation).
_CAUSATION = re.compile(
    r"\b(?:work[- ]related|job[- ]related|industrial|non-?industrial|compensab\w*|causation|"
    r"aoe/?coe|apportion\w*)\b"
)
# What an opioid's record shows, which no fact or reason holds ("4 A's not documented", "the
# patient had aberrant behavior", "early refills").
_OPIOID_RECORD = re.compile(
    r"\b(?:the )?(?:4|four) a['’]?s\b(?: (?:were |was )?(?:not |never )?documented\b)?|"
    r"\baberrant (?:drug[- ]related |drug[- ]taking )?behaviou?rs?\b|\bearly refills?\b|"
    r"\bdrug[- ]seeking(?: behaviou?rs?)?\b",
    re.I,
)
# A condition said not to come of the work ("for a non-industrial condition", "unrelated to the
# work injury"): causation, which IMR does not decide and no fact holds.
_NOT_OF_WORK = re.compile(
    r"\b(?:non-?industrial|non-?work[- ]related|not (?:work|job)[- ]related|(?:unrelated|not "
    r"related) to (?:the |his |her |their |my )?(?:work|job|industrial|workplace)"
    r"(?: injury| claim)?)(?: (?:condition|injury|problem|illness|disease|issue)s?)?\b",
    re.I,
)
# A worker away from work ("who is not working", "on temporary total disability"): everyday
# words; the letters say it in their case summaries, which no state is read from.
_OFF_WORK = re.compile(
    r"\b(?:not|isn't|is not|off|out of|unable to|can't|cannot) work(?:ing)?\b|"
    r"\btemporar(?:y|ily) (?:and )?total(?:ly)? disab\w*|\bttd\b",
    re.I,
)
# A pain score ("8/10", "9 out of 10").
_PAIN_SCORE = re.compile(r"\b\d{1,2} ?(?:/|out of) ?10\b")
# ...said anywhere, with the change it reports ("pain going from 8/10 to 4/10"): no fact holds it
_PAIN_SCORES = re.compile(
    r"(?:\bpain (?:[a-z]+ ){0,3}?)?(?:from )?\b\d{1,2} ?(?:/|out of) ?10\b"
    r"(?:\s*(?:to|down to|->|-)\s*\d{1,2} ?(?:/|out of) ?10\b)?",
    re.I,
)
# How long the review took ("How long did IMR take to decide acupuncture disputes?"): no column
# holds when a review began.
_TURNAROUND = re.compile(
    r"\bhow (?:long|many days|many weeks|quickly|fast) (?:does|do|did|will|would|is|was)? ?"
    r"(?:it|imr|maximus|the review|the reviewers?|a review|an imr)? ?(?:take|takes|took|"
    r"to (?:decide|rule|review|issue|process|come back))\b(?: (?:to|for) (?:decide|rule|review|"
    r"issue|process|come back|a decision))?|"
    r"\bhow (?:long|many days|many weeks) (?:until|till|before) (?:imr|maximus|the (?:review|"
    r"reviewers?|decision)|a decision|(?:i|we|you) (?:hear|get))\b",
    re.I,
)


def _strength(lowered: str, facets: list[Facet]) -> Facet | None:
    """The strength written right after the one drug the question names ("Norco 10/325",
    "tramadol ER 150mg", "Naproxen 550 #60": a number before the count), as rag.fields stores
    requests' strengths; None when it names none, or several drugs (whose strength is whose)."""
    drugs = {f.words.lower() for f in facets if f.name in ("ingredient", "product")}
    if len(drugs) != 1 or _COUNT_ASKED.search(lowered):
        return None
    (drug,) = drugs
    if (at := lowered.find(drug)) < 0:
        return None
    after = lowered[at + len(drug) :]
    if m := _STRENGTH_AFTER.match(after):
        return Facet("strength", strengths_of(f"{m['value']} mg")[0], m["value"].strip())
    if (m := _BARE_STRENGTH.match(after)) and _strength_like(m["value"]):
        return Facet("strength", strengths_of(f"{m['value']} mg")[0], m["value"])
    return None


def _percents(lowered: str, facets: list[Facet]) -> list[str]:
    """The strengths in percent written right after a drug named ("lidocaine 5% ointment",
    "ketoprofen 20% cream"): said unread, no decision fact holding a topical's percent (they were
    dropped in silence)."""
    drugs = {f.words.lower() for f in facets if f.name in ("ingredient", "product") and f.words}
    compounds = {  # (each drug of a compound written as its label lists them: "gabapentin 10%
        # cyclobenzaprine 6%"; not "Lidocaine 5% patch", one drug's product)
        d
        for d in drugs
        if len({f.value for f in facets if f.name == "ingredient" and f.words.lower() == d}) > 1
    }
    drugs |= {w for d in compounds for w in re.findall(r"[a-z][a-z-]+", d)}
    found = [
        (m.start(1), m[1])
        for drug in drugs
        for m in re.finditer(
            rf"\b{re.escape(drug)}(?:\s+[a-z-]+){{0,2}}?\s+(\d+(?:\.\d+)?\s*%)", lowered
        )  # (or after its form: "Voltaren gel 1%")
    ]
    return list(dict.fromkeys(said for _, said in sorted(found)))  # as the question orders them


def _strength_like(number: str) -> bool:
    """Whether a number written after a drug with no unit is its strength ("cyclobenzaprine
    7.5", "naproxen sodium 550"), not how many were asked ("Norco 120"): a count is a month's
    supply or a multiple of it (30, 60, 90, 120, 180, 240), a strength is not, nor a number of
    the product's name ("polyethylene glycol 3350")."""
    value = float(number)
    return value <= 1000 and (not value.is_integer() or value % 30 != 0 or value > 240)


# A question asking about the count ("Norco 10/325 for 120 tablets: has IMR allowed a quantity
# that large?"): the strength is the prescription described, the count what is asked.
_COUNT_ASKED = re.compile(r"\b(?:quantit(?:y|ies)|that many|so many|that large|amounts?)\b")


# A strength right after a drug's name: milligrams, a combination's parts, or a bare number before
# the count ("550 #60"), perhaps after the release mark or the tablet ("ER 150mg", "tab 10mg").
_STRENGTH_AFTER = re.compile(
    r"(?:\s+(?:er|xr|sr|cr|ir|hcl|tabs?|tablets?|caps?|capsules?|oral))*\s+"
    r"(?P<value>\d+(?:\.\d+)?"
    r"(?:\s*[/-]\s*\d+(?:\.\d+)?\s*(?:mg|mcg)?|\s*(?:mg|mcg)\b|(?=\s+#\s*\d)))"
)


# A number right after the drug with no unit and nothing after it that counts or times it
# ("cyclobenzaprin 7.5 upheld?", "naproxen sodium 550 denied?"; not "Norco 10 tablets",
# "tramadol 50 x 2", "lidocaine 5%").
_BARE_STRENGTH = re.compile(
    r"(?:\s+(?:er|xr|sr|cr|ir|hcl|ds|sodium|tabs?|tablets?|caps?|capsules?|oral))*\s+"
    r"(?P<value>\d+(?:\.\d+)?)(?![\d.]|\s*(?:x\b|%|/|-|#|\(|tabs?\b|tablets?|caps?\b|"
    r"capsules?|pills?|count|days?|weeks?|wks?|months?|visits?|sessions?|refills?|hours?|hrs?|"
    r"times|units?|ml\b|g\b|gm\b|grams?|mg|mcg|patch|patches|year|yr))"
)


def _release(text: str, lowered: str, facets: list[Facet]) -> Facet | None:
    """The release a question asks of a drug it names: "extended" ("tramadol ER", "long-acting
    opioids") or "immediate" ("oxycodone IR", "short-acting"); None when it says neither or
    names no drug."""
    drugs = [f.words.lower() for f in facets if f.name in DRUGS and f.words]
    named = {f.words.lower() for f in facets if f.name in ("ingredient", "product")}
    if not drugs or len(named) > 1:  # "Effexor XR or Wellbutrin": whose release is unsaid
        return None
    if m := _RELEASE_WORDS.search(lowered):
        return Facet("release", "immediate" if m.group(3) or m.group(4) else "extended", m.group(0))
    for words in drugs:
        if mark := _mark_after(text, words, _RELEASE_MARK, _STRENGTH):
            value = "immediate" if mark.group(1).lower() == "ir" else "extended"
            return Facet("release", value, mark.group(1))
    return None


# What a treatment is asked for ("gabapentin for neuropathy"): the words after "for", to a
# clause, a list or a verb ("for neck pain - has IMR ...", "for tennis elbow / golfer's elbow").
# Not after a word that makes "for" the request or the payment ("pay for the sticky pads",
# "asked for a day program", "criteria for a PRP injection").
_PURPOSE = re.compile(r"\b([\w'-]+)\s+for\s+", re.I)
_FOR_WHAT = re.compile(
    r"[,;:?!()/.]| - | (?:has|have|had|is|was|were|are|at|in|on|by|to|from|that|which|and|or|"
    r"but|since|so|then|when|if|because|after|turned|denied|approved|upheld|with|like|down|"
    r"right|you|he|she|they|we|it)\b",
    re.I,
)
_NOT_PURPOSE = frozenset(
    """pay paid pays paying ask asked asks asking request requested requests requesting
    criteria approval approvals authorization authorizations authorize authorized cover covered
    covers bill billed billing look looking wait waiting rulings ruling decisions cases
    referral referred refer guidelines support negative positive screened tested""".split()
)

# A word saying who the worker is ("for a worker with ...": `_WHO` reads it).
_WHO_WORD = re.compile(
    r"\b(?:workers?|patients?|claimants?|employees?|clients?|someone|somebody|anyone|him|"
    r"people|persons?)\b"
)


# The household's chores ("an aide for help with cooking and cleaning"): what a home helper
# would do, which the letters decide as homemaker services, no fact of an item.
_CHORE = r"(?:cooking|cleaning|laundry|shopping|chores|errands|housework|housekeeping|meals)"
_CHORES_ASKED = re.compile(
    rf"(?:(?:help|assistance) (?:with )?)?(?:(?:the|his|her|their) )?{_CHORE}"
    rf"(?:(?:,|,? and|,? or) (?:the )?{_CHORE})*\b",
    re.I,
)


# What a consultation is for, in its own words ("for a surgical evaluation").
_EVALUATION = re.compile(r"\b(?:evaluation|eval|consult|consultation|opinion|assessment)s?\b")


# A word in capitals, of two to four letters ("BMI", "MMI"): an abbreviation.
_CAPITALS = re.compile(r"\b[A-Z]{2,4}\b")


def _untold_purpose(text: str, facets: list[Facet], unknown: tuple[str, ...]) -> list[str]:
    """What the question says a treatment is for ("for post-concussion headaches"), when it
    holds a finding the vocabulary knows or a word no vocabulary knows and no facet came from
    it: the letters record no indication per item, so the answer says its figures do not
    narrow by it (what the worker has, "for a worker with ...", is read as a condition)."""
    said = [f.words.lower() for f in facets if f.words]
    out = []
    for m in _PURPOSE.finditer(text):
        if m.group(1).lower() in _NOT_PURPOSE:
            continue
        written = " ".join(_FOR_WHAT.split(text[m.end() :])[0].split()[:4]).lstrip(" -:")
        if chores := _CHORES_ASKED.match(text, m.end()):  # help at home of no medical kind
            written = chores.group(0)
        phrase = written.lower()
        if not phrase or re.match(r"(?:a |the )?(?:lack|absence) of|not\b|no\b|never\b", phrase):
            continue  # a reason ("for lack of ..."): the when/why clauses say it
        bare = re.sub(r"^(?:an?|the) ", "", phrase)
        if any(w in phrase or bare in w for w in said):
            continue  # read, or inside a clause said unread
        words = [w.removesuffix("'s") for w in re.findall(r"[a-z][a-z'-]+", phrase)]
        unheld = any(w in unknown and not _everyday(w) for w in words) or any(
            not _known_word(w.lower()) and w.lower() not in GENERIC | _finding_words()
            for w in _CAPITALS.findall(written)
        )  # ("denied for BMI over 40": an abbreviation no vocabulary knows, too short to be
        # an unknown word; not "GI", a word of the findings' "GI risk")
        if _WHO_WORD.search(phrase):  # who the worker is: `_WHO`
            continue
        if unheld and not any(f.name in TREATMENT_FACETS for f in facets):  # what is asked,
            # no treatment's purpose ("the overturn rate for spinal cord stimulator requests")
            continue
        if named := treatments_named(phrase):  # a treatment read ("for PT"), but one dropped
            # silently is said: qualified by what no fact holds ("for inconsistent urine drug
            # tests"), or what a test watches ("labs for NSAID monitoring"); not the
            # consultation's own subject ("a referral to a surgeon for a surgical evaluation")
            consulted = "consultation" in _values(facets) and _EVALUATION.search(phrase)
            if not set(named) & {f.value for f in facets} and not consulted:
                out.append(f"for {written}")
            continue
        if (  # (a name's possessive: "for de Quervain's")
            unheld
            or _finding_pattern().search(phrase)
            or _AILMENT.intersection(words)
            or chores
            or any(re.search(rf"\b(?:{p})\b", phrase) for p, *_ in STRUCTURES.values())
        ):  # (a structure torn, "for a labral tear", where no operation is asked)
            out.append(f"for {written}")
    for m in _TO_WATCH.finditer(text):  # "labs to monitor NSAID use": what a test watches
        written = " ".join(_FOR_WHAT.split(text[m.end() :])[0].split()[:4])
        if written and not any(w in written.lower() or written.lower() in w for w in said):
            out.append(f"{m.group(0).strip()} {written}")
    return out


# A word saying how a test came out or how care went, before the test or care ("inconsistent
# urine drug tests", "abnormal labs", "failed injections").
_QUALIFIED = re.compile(
    r"(?:an? |the |his |her |their )?(?:inconsistent|aberrant|positive|negative|abnormal|normal|"
    r"failed|missed|dirty|clean|unexpected|elevated|high|low)\b"
)


# A test's purpose, what it watches ("labs to monitor NSAID use", "an EKG to check the heart on
# methadone"): no decision fact records it.
_TO_WATCH = re.compile(r"\bto (?:monitor|check|watch|track)\s+(?:on\s+)?", re.I)


# Everyday words of what ails the worker that no decision fact records ("for depression", "for
# nerve pain", a test "for liver function"; not "for pain", which every pain medicine is for).
_AILMENT = frozenset(
    """depression anxiety insomnia sleep sleeping spasm spasms headache headaches migraine
    migraines arthritis nausea constipation inflammation swelling nerve stress cancer diabetes
    obesity hypertension liver hepatic kidney kidneys renal heart cardiac ulcer ulcers reflux
    heartburn prevention preventing preventive prophylaxis prophylactic""".split()
)


def _history(lowered: str, situation: list[Facet]) -> list[Facet]:
    """Of the treatments named as the situation, not the request, those the question says the
    worker already had ("did a course of physical therapy", "after failed PT", "already on
    Norco"), as "history" facets: the letter must report them done. Not one the worker is not
    on or has not had ("when the patient is not on opioids"). Those listed after one had are
    had too ("He's had 24 PT visits, chiro and two epidurals")."""
    out = []
    listed_from = -1  # where the last one had ends, for the list it heads
    placed = [(lowered.find(f.words.lower()), f) for f in situation if f.words]
    for at, f in sorted(placed, key=lambda p: p[0]):
        if at < 0:
            continue
        before, after = lowered[max(0, at - 40) : at], lowered[at + len(f.words) :][:30]
        if f.value == "surgery":  # after an operation: the post-operative state says it; one
            # the worker had, at no time said ("who already had surgery on that knee"), is had
            had = bool(_HAD_SURGERY.search(before)) and not _AFTER_SURGERY.search(lowered)
            had = had and not _NOT_HAD.search(before)  # ("with no prior surgery")
        elif _NOT_HELPED_BY.search(before):  # "has not improved with PT": had, to no good
            had = True
        elif _NOT_HAD.search(before):
            had = False
        else:
            had = bool(_HAD_BEFORE.search(before) or _HAD_AFTER.match(after))
            had = had or (0 <= listed_from and bool(_LISTED_ON.fullmatch(lowered[listed_from:at])))
            # a drug taken with the one asked, named after what that is for ("Norco for
            # breakthrough pain with OxyContin": was dropped in silence)
            had = had or bool(f.name == "ingredient" and _WITH_DRUG.search(before))
        if had:
            out.append(Facet("history", f.value, f.words))
            listed_from = at + len(f.words)
    return out


# "with" right before a drug of the situation ("... for breakthrough pain with OxyContin").
_WITH_DRUG = re.compile(r"\b(?:with|plus|along with|in addition to) (?:his |her |their )?$")
# What joins the items of a list of care had ("24 PT visits, chiro and two epidurals").
_LISTED_ON = re.compile(
    r"(?:\s+(?:visits?|sessions?|injections?|shots?|treatments?|therapy|care|trials?))?"
    r"\s*(?:,|,? and|,? or|,? plus|&)\s*(?:(?:a|an|the|some|his|her|several|\d+|one|two|three|"
    r"four|five|six|many|multiple|prior|previous)\s+)*"
)


# An injection asked as a repeat ("a repeat epidural", "a second ESI", "another injection
# when the last one gave no relief"): the letter must report an earlier one (a study's repeat
# is the "repeat" facet, `rag.history`).
_INJECTIONS_HAD = (  # "when the worker had already had 3 epidurals"
    r"\b(?:already had|has had|have had|had had|after) (?:\d+|two|three|four|several|multiple|many)"
    r" (?:\w+ )?(?:injections|shots|blocks|epidurals|esis)\b"
)
_WHO_WORDS = frozenset("when if worker patient client claimant he she they already".split())
_AGAIN = re.compile(
    r"\brepeat(?:ed)?\b|\b(?:second|another|additional|further|subsequent|more) (?:\w+ ){0,2}?"
    r"(?:injections?|shots?|blocks?|epidurals?|esis?)\b|\b(?:the |a |his |her )?(?:last|first|"
    r"previous|prior|earlier) (?:one|injection|shot|block|epidural|esi)\b|" + _INJECTIONS_HAD
)


def _injections(facets: list[Facet]) -> list[Facet]:
    """The treatments asked that are injections (an epidural, a facet block, "an injection")."""
    table = concepts()
    return [
        f
        for f in facets
        if f.name == "treatment"
        and (f.value == "injection" or "injection" in table[f.value].classes)
    ]


def _repeat_injection(lowered: str, facets: list[Facet], had: list[Facet]) -> list[Facet]:
    """For an injection asked as a repeat, a "history" facet of that injection."""
    asked = [f for f in _injections(facets) if f.value not in {h.value for h in had}]
    if len(asked) != 1 or not _AGAIN.search(lowered):
        return []
    return [Facet("history", asked[0].value, asked[0].words)]


# Care given in sessions, asked again after a course of it ("had 24 PT visits already - will
# IMR approve 8 more?"): the letter must report the earlier course.
SESSION_CARE = frozenset({"physical_therapy", "chiropractic", "acupuncture"})
# Sessions asked on top of those had ("8 more", "6 additional", "more PT", "another round of").
_MORE = re.compile(
    r"\b(?:\d+|a few|some|several|a couple|a couple of) (?:more|additional|extra|further)\b|"
    r"\b(?:more|additional|extra|further|continued|continuing)\b|"
    r"\banother (?:round|course|set|block|series)\b"
)
# Sessions said had without the care's name ("after 24 prior sessions", "24 already completed",
# "so far").
_AFTER_VISITS = (  # "more PT after 12 visits", "chiro requests after 24 visits": more of it
    r"\b(?:after|following) (?:the )?(?:\d+|several|many|multiple) (?:sessions?|visits?|"
    r"treatments?)\b"
)
_SESSIONS_HAD = re.compile(
    r"\b(?:\d+|several|many|multiple) (?:prior|previous|past|earlier|completed|already "
    r"(?:completed|done|attended|had))\b|\b(?:\d+|several|many|multiple) (?:sessions?|visits?|"
    r"treatments?) (?:already|so far|to date)\b|\bso far\b|\bto date\b|" + _AFTER_VISITS
)


def _more_sessions(lowered: str, facets: list[Facet], had: list[Facet]) -> list[Facet]:
    """For care given in sessions asked after a course of it, a "history" facet of that care:
    the question names it had, by any of its names ("she already had PT - more PT?", "more PT
    after completing physical therapy", "has done 12 sessions of acupuncture") or says sessions
    were had and more are asked ("after 24 prior sessions", "8 more")."""
    out = []
    for f in facets:
        if f.name != "treatment" or f.value not in SESSION_CARE or f.value in _values(had):
            continue
        forms = "|".join(re.escape(w) for w in {f.words.lower(), *concepts()[f.value].forms})
        places = [m.span() for m in re.finditer(rf"\b(?:{forms})\b", lowered)]
        said_had = [
            at
            for at, end in places
            if _HAD_BEFORE.search(lowered[max(0, at - 40) : at])
            or _HAD_AFTER.match(lowered[end:][:30])
        ]
        more = bool(_MORE.search(lowered) or re.search(_AFTER_VISITS, lowered))
        if (said_had and (more or len(places) > 1)) or (more and _SESSIONS_HAD.search(lowered)):
            out.append(Facet("history", f.value, f.words))
    return out


def _never_had(lowered: str, asked: list[Facet]) -> list[Facet]:
    """The treatments asked that the question says the worker has not had yet ("has not had a
    single physical therapy visit", "no prior PT", "a first round of PT"), as "not_had" facets:
    the letter must not report them done."""
    out = []
    for f in asked:
        if f.name != "treatment":
            continue
        if (never := _never_pattern(f.value)) and (m := never.search(lowered)):
            out.append(Facet("not_had", f.value, m.group(0)))
        elif f.value in SESSION_CARE and (m := _FIRST_TRIAL.search(lowered)):
            out.append(Facet("not_had", f.value, m.group(0)))  # "acupuncture x6 - first trial"
    return out


# A treatment said never had, in so many words ("never had PT", "have not started therapy"; not
# "initial PT", "a first course of PT", which are asked).
_SAID_NEVER = re.compile(r"(?:never|not|no|has|have|had)\b", re.I)


# Not after what was had before ("after the initial PT", "since the first trial"): the first
# course asked, not one had (`_FIRST_TRIAL`, `_NEVER`).
_NOT_AFTER = (
    r"(?<!after )(?<!following )(?<!since )(?<!beyond )(?<!past )(?<!from )(?<!of )"
    r"(?<!after the )(?<!following the )(?<!since the )(?<!beyond the )(?<!past the )"
    r"(?<!from the )(?<!of the )"
)
# Care in sessions asked as its first trial, said apart from its name ("acupuncture 6 sessions
# for low back - first trial"); not the trial had ("more visits after the initial trial", "the
# first trial helped").
_FIRST_TRIAL = re.compile(
    rf"{_NOT_AFTER}(?<!after an )(?<!after his )(?<!after her )"
    r"\b(?:an? )?(?:first|initial) trial\b(?! (?:was|were|had|has|did|helped|failed|"
    r"showed|gave|didn'?t|did not|sessions? (?:helped|failed)))"
)


@cache
def _never_pattern(concept: str) -> re.Pattern[str] | None:
    """ "never had" (`_NEVER`) before one of `concept`'s forms, compiled once per concept."""
    named = {*forms_naming(concept), *(["therapy"] if concept == "physical_therapy" else [])}
    # ("has not had any therapy yet": the therapist's)
    forms = "|".join(map(re.escape, sorted(named, key=len, reverse=True)))
    if not forms:
        return None
    return re.compile(  # (or after it: "no MRI yet", "no MRI done yet")
        rf"(?:{_NEVER.pattern})(?:[\w-]+ ){{0,2}}?(?:{forms})\b|"
        rf"\bno (?:{forms})(?: done| taken| performed)? yet\b"
    )


# The words saying a treatment asked was never had before it: "has not had a single", "never
# tried", "no prior", "a first round of".
_NEVER = re.compile(
    r"\b(?:(?:has|have|had)(?: not|n['’]t)|never|not yet)(?: \w+)? (?:had|received|tried|done|"
    r"gotten|got|attended|started)(?: (?:a single|any|one|a|an))? |\bno (?:prior|previous|"
    r"earlier) |\bfirst (?:round|course|trial|series) of |"
    # "initial PT", "an initial course of acupuncture": the first asked, none had (not "after the
    # initial PT", which was had)
    rf"{_NOT_AFTER}\binitial (?:(?:round|course|trial|series) of )?"
)


# A drug test's finding, before the drug: the worker took it ("tested positive for marijuana",
# "failed a urine test for cocaine"), and the test was done.
_TESTED_FOR = (
    r"\bpositive for\b|\b(?:failed|flunked) (?:a |an |his |her |the |their )?(?:urine |drug |"
    r"tox\w* )*(?:tests?|screens?|screening) for\b"
)
# The words saying a treatment was had, before it ("did a course of", "after failed", "already
# on", "despite") or after it ("PT didn't help", "PT was tried")...
_HAD_BEFORE = re.compile(
    r"\b(?:did|done|had|has had|have had|tried|failed|completed|completing|finished|finishing|"
    r"after|despite|"
    r"with(?= (?:an? )?(?:prior|previous|past|earlier)\b)|"  # "a worker with prior PT"
    r"stopped|quit|discontinued|gave up(?: on)?|"  # "stopped PT because it hurt": had it
    rf"{_TESTED_FOR}|"
    r"monitoring|to monitor|"  # "labs for monitoring NSAIDs": the worker takes them
    # had at the time ("hot packs during PT", "while the worker was doing PT")
    r"during|while(?: (?:in|on|doing|getting|receiving|attending|undergoing))?|"
    r"(?:is|was|are|were) (?:in|doing|getting|receiving|attending|undergoing)|"
    r"already (?:on|had|tried|taking|done|completed|been on|been through)|went through|underwent|"
    r"received|attended|been (?:on|through|doing|taking)|took|taking|takes|uses|"
    r"(?:(?:patients?|workers?|employees?|clients?|claimants?)(?: (?:over|under|aged|age) \d+| "
    r"\d+ years? old)?|people|someone|currently|still|also|"  # "a worker over 65 on NSAIDs"
    r"who is|who's|who was|who are|remains?|stays?|"
    r"(?:he|she|pt|patient|worker|client|claimant)(?:['’]s| is)) on)"
    r"(?:\s+(?:a|an|the|some|his|her|their|several|many|few|\d+|two|three|four|five|six|seven|"
    r"eight|nine|ten|twelve|courses?|rounds?|trials?|of|"
    r"sessions?|weeks?|wks?|months?|mos?|visits?|conservative|formal|prior|previous|past|"
    r"earlier|normal|negative|unremarkable|recent))*\s*$"
)
# "was done", "were tried", "had been (already) completed" after a treatment's words: it was had
# ({already}: what may stand before the participle)
_WAS_DONE = (
    r"(?:was|were|had been|has been|have been) {already}(?:tried|done|completed|given|attended|"
    r"provided)"
)
_HAD_AFTER = re.compile(
    r"\s*(?:\w+\s+){0,3}?(?:didn'?t|did not|has not|hasn'?t|never|failed|helped|did no|"
    rf"already on|already taking|is on|was on|{_WAS_DONE.format(already='')}|"
    # a study's result said ("the x-rays were normal"): it was done
    r"(?:was|were|came back|is|are) (?:normal|negative|unremarkable|positive|abnormal)|"
    r"(?<=\s)users?)\b"  # "a Norco user"
)
# Workers said to have had a treatment ("for workers who already had PT").
_WHO_HAD = re.compile(
    r"\b(?:workers?|patients?|claimants?|employees?|someone|people|clients?|those|anyone) who "
    r"(?:had |has |have )?(?:already |previously |once )?(?:had|did|tried|failed|underwent|"
    r"completed|received|been through)\b|"
    r"\b(?:workers?|patients?|claimants?|employees?|someone|people|clients?|those|anyone) with "
    r"(?:an? )?(?:prior|previous|earlier|past)\b"
)
# A question asking what was decided, of no treatment ("Was anything approved ...", "What was
# approved ...", "Which decisions ...").
_ANYTHING_ASKED = re.compile(
    r"\b(?:anything|what|which decisions|any decisions)\b|^(?:decisions|cases|rulings|outcomes)\b"
)
# An operation the worker had, said before it ("who already had knee surgery", "prior shoulder
# surgery", "s/p surgery").
_HAD_SURGERY = re.compile(
    r"\b(?:already had|has had|have had|had|underwent|has undergone|status post|s/p|prior|"
    r"previous|earlier|past)(?: (?:a|an|the|his|her|their|prior|previous|earlier|[\w-]+)){0,2} $"
)
# A treatment had that did no good, said before it ("has not improved with PT", "isn't getting
# better with therapy", "never responded to injections").
_NOT_HELPED_BY = re.compile(
    r"(?:\b(?:not|never|no)|n['’]t)\s+(?:\w+\s+)?(?:improved?|improvement|better|responded|"
    r"benefit(?:ed)?|relief)\s+(?:with|from|after|to|on)\s+(?:(?:the|a|an|his|her|their|any)\s+)?$"
)
# ...and those saying it was not ("not on", "never had", "no prior", "hadn't first failed").
_NOT_HAD = re.compile(r"(?:\b(?:not|never|no|without)|n['’]t)\b(?:\s+[\w'/-]+){0,3}\s*$")


# How often a week ("three visits a week", "3x/week", "twice weekly", the requests' shorthand
# "PT 2x6": twice a week for six weeks), as the letters' requests state it ("2 times a week for
# 6 weeks"; rag.facts.per_week_of reads both).
_WEEKLY = re.compile(
    r"\b(?:\d|one|two|three|four|five|six|once|twice)(?:\s*(?:times|x|visits?|sessions?))?"
    r"\s*(?:a|per|each|/)\s*(?:week|wk)\b|\b(?:once|twice|\d\s*x|\d times) weekly\b",
    re.I,
)
_BY_WEEKS = re.compile(
    r"(?<![a-z]\d-)\b\d\s*x\s*(\d{1,2})\b(?!\s*(?:mg|ml|cm|mm|%|/|\d))"
)  # "PT 2x6": not a drug's ("Norco 1x10"), nor a spinal level's ("ESI C5-6 x1"); the weeks


def _untold_situation(text: str, facets: list[Facet]) -> list[str]:
    """The sentences before the one that asks which name a treatment, when no treatment or
    condition the question is read by came from them ("My patient did a course of physical
    therapy and still isn't better. Will IMR approve a shoulder MRI?": the therapy is the
    worker's history, which the figures do not narrow by)."""
    *before, _ = re.split(r"(?<=[.?!])\s+(?=\S)", text.strip())
    read = [f.words.lower() for f in facets if f.name not in ("region", "form", "outcome")]
    out = []
    for sentence in before:
        lowered = sentence.lower()
        if any(w and w in lowered for w in read):
            continue
        if treatments_named(sentence) or question_drugs(sentence):
            out.append(sentence.rstrip(".?! "))
    return out


def respell(question: str, held: Callable[[str], bool]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """`question` with each word that is not `held` (no indexed letter holds it and it is no
    everyday word: the caller says), nor one English uses often (`_ENGLISH`), and is one slip from a
    word the vocabularies know read as that word ("physcial therapy", "aproved"), and the (word,
    reading) pairs. Python's difflib: a similarity ratio of 0.85 or more, so a short word must match
    all but one letter, and clearly closer than any other candidate (a word as close to two is left
    as written). A word that holds the candidate whole, or that the candidate holds, is another
    word, no slip ("infusion" is not "fusion"), unless it only lacks the candidate's last letter.
    A held word is still a slip of a drug's name the dictionary spells: letters make the slips
    their readers do ("A request was made for Tramdol 50mg"), and a question typing the same one
    asks about tramadol, not about that one letter."""
    readings = []
    for word in dict.fromkeys(re.findall(r"\b[a-z]{5,}\b(?!['’])", question.lower())):
        if _spelled(word) or zipf_frequency(word, "en") >= _ENGLISH:
            continue
        if is_held := held(word):
            spelled = _DRUG_NAMES
        elif _DIAGNOSIS_LIKE.search(word):
            spelled = _SPELLED + _diagnoses()
        else:
            spelled = _SPELLED
        close = [
            (difflib.SequenceMatcher(None, word, c).ratio(), c)
            for c in difflib.get_close_matches(word, spelled, n=2, cutoff=0.85)
            if (c not in word and word not in c) or _dropped_end(word, c)
        ]
        close = [  # a word and its plural are one reading ("chiropractor", "chiropractors")
            c
            for c in close
            if c is close[0] or c[1].removesuffix("s") != close[0][1].removesuffix("s")
        ]
        if close and (len(close) == 1 or close[0][0] - close[1][0] >= 0.05):
            readings.append((word, close[0][1]))
        elif not close and not is_held and len(slips := _one_letter_off(word)) == 1:
            readings.append((word, slips[0]))
    readings += _pairs_respelled(question.lower(), held, {w for w, _ in readings})
    for word, reading in readings:  # "Norko": Norco, as the question capitalises it
        question = re.sub(
            rf"\b{re.escape(word)}\b",
            lambda m, reading=reading: reading.capitalize() if m[0][0].isupper() else reading,
            question,
            flags=re.I,
        )
    return question, tuple(readings)


# How often English uses a word (wordfreq's Zipf scale) for it to be a word of its own, no slip
# of a treatment's name: "pilates" (3.0) is no "opiates", "taping" (3.2) no "tapering"; the
# slips people type are rarer ("physcial" 1.1, "carpel" 1.9).
_ENGLISH = 2.5

# Equipment asked bought or rented ("TENS unit purchase", "a wheelchair rental"), not one said
# as what comes later ("a trial before purchase").
_ACQUIRED = re.compile(
    r"(?<!before )(?<!prior to )(?<!instead of )(?<!rather than )(?<!then )"
    r"\b(purchas(?:e|ed|es|ing)|buy(?:ing)?|bought|rent(?:al|als|ed|ing)?)\b"
)
_ACQUIRED_COMPARED = re.compile(
    r"\b(?:rent(?:al|ing)?|purchas(?:e|ing)|buy(?:ing)?)\s+"
    r"(?:vs\.?|versus|or|compared (?:to|with))\s+"
    r"(?:a\s+)?(?:rent(?:al|ing)?|purchas(?:e|ing)|buy(?:ing)?)\b"
)
# Words comparing what is named ("more than for the back", "compared with", "vs", "or").
_REGIONS_COMPARED = re.compile(r"\b(?:than|compared?|comparison|versus|vs|or)\b")
# A word ending as a diagnosis's name does, or nearly ("fascitis", "tendonitus", "neuropathy").
_DIAGNOSIS_LIKE = re.compile(r"(?:it[iu]s|os[ie]s|path[yi]|alg[iy]?a)$")


@cache
def _diagnoses() -> list[str]:
    """The diagnoses' names English spells (wordfreq's word list: "fasciitis", "tendinitis",
    "bursitis"), for respelling a diagnosis no letter and no vocabulary holds."""
    # (three letters at least before the ending: "osis" alone is no disease's name)
    return [
        w for w in iter_wordlist("en") if _LOWER.fullmatch(w) and _DIAGNOSIS_ENDING.search(w[3:])
    ]


_LOWER = re.compile(r"[a-z]+")


def _one_letter_off(word: str) -> list[str]:
    """The words the vocabularies spell that `word` (of 5 or 6 letters) gets one letter wrong,
    for one that sounds alike, or two letters swapped in, after its first ("norko": norco,
    "lyrika": lyrica, "ambian": ambien; not "medrox", a brand of its own, for medrol): too
    short for the ratio `respell` asks (one letter wrong in five is 0.8)."""
    if not 5 <= len(word) <= 6:
        return []
    out = []
    for candidate in _SPELLED_BY_LENGTH.get(len(word), ()):
        if candidate[0] != word[0]:
            continue
        wrong = [i for i, (a, b) in enumerate(zip(word, candidate, strict=True)) if a != b]
        swapped = (
            len(wrong) == 2
            and wrong[1] == wrong[0] + 1
            and word[wrong[0]] == candidate[wrong[1]]
            and word[wrong[1]] == candidate[wrong[0]]
        )
        alike = len(wrong) == 1 and _SOUNDS_ALIKE.get(word[wrong[0]]) == _SOUNDS_ALIKE.get(
            candidate[wrong[0]], ""
        )
        if alike or swapped:
            out.append(candidate)
    return out


# Letters that sound alike, so one is easily written for another.
_SOUNDS_ALIKE = {
    letter: group
    for group in ("ckq", "aeiouy", "sz", "fv", "mn", "bp", "dt", "gj")
    for letter in group
}


def _pairs_respelled(
    lowered: str, held: Callable[[str], bool], read: set[str]
) -> list[tuple[str, str]]:
    """A short word no letter holds that, with the word beside it, is one slip from a two-word
    treatment name ("ise machine": ice machine), read as that name: the name whole, not the
    word alone, says what the slip was (a word of 3 or 4 letters is too short for `respell`)."""
    out = []
    pairs = [  # the short word first or second ("ise machine", "tens unti"), each tried
        (m[1], m[2], m[short])
        for pattern, short in (
            (r"(?=\b([a-z]{3,4}) ([a-z]{3,})\b)", 1),
            (r"(?=\b([a-z]{3,}) ([a-z]{3,4})\b)", 2),
        )
        for m in re.finditer(pattern, lowered)
    ]
    for first, second, short in pairs:
        if short in read or _spelled(short) or held(short):
            continue
        pair = f"{first} {second}"
        close = difflib.get_close_matches(pair, _PAIRS, n=3, cutoff=0.85)
        close = list(dict.fromkeys(c.removesuffix("s") for c in close))  # a name and its plural
        if len(close) == 1 and abs(len(close[0]) - len(pair)) <= 1 and close[0] not in pair:
            out.append((pair, close[0]))
    return list(dict.fromkeys(out))  # (two short words: one pair, read once)


def _dropped_end(word: str, candidate: str) -> bool:
    """A long word typed without its last letter ("cyclobenzaprin") or with an "e" too many at
    its end ("tramadole"), a slip; a shorter word inside a longer one ("fusion" in "infusion")
    is another word."""
    if len(candidate) >= 7 and word == f"{candidate}e":
        return True
    return len(word) >= 7 and candidate.startswith(word) and len(candidate) == len(word) + 1


def _spelled(word: str) -> bool:
    """Whether a vocabulary spells `word`, a plural or singular of it, or a class, category or
    form pattern matches it whole ("operation" for "operations?")."""
    return (
        word in _SPELLED_SET
        or word.removesuffix("s") in _SPELLED_SET
        or f"{word}s" in _SPELLED_SET
        or word in GENERIC
        or word in PROCESS_WORDS
        or _known_word(word)
        or any(re.fullmatch(p, word) for p in (*CLASS_WORDS.values(), *FORM_WORDS.values()))
    )


def _spelling_words() -> frozenset[str]:
    """The words the vocabularies spell: concept forms, drug brands and generics, the class,
    category, form and body-region words, the generic and process words, and the outcome
    words."""
    tables = facts_vocabulary()
    patterns = [*CLASS_WORDS.values(), *CATEGORY_WORDS.values(), *FORM_WORDS.values()]
    patterns += [pattern.pattern for _, pattern in tables.regions]  # "rotater cuff"
    text = " ".join(
        [
            *(f for c in concepts().values() for f in c.forms),
            *tables.brands, *tables.classes, *patterns, *GENERIC, *PROCESS_WORDS,
            "approved denied upheld overturned reversed certified",
        ]
    )  # fmt: skip
    return frozenset(re.findall(r"[a-z]{5,}", text.lower()))


# The question a clause before it leads to ("..., will IMR approve it?", "..., is it covered?").
_ASKS_AFTER = r"(?:will|would|is|are|can|could|does|do|did|should|was|were|what|how|has|have|any)"


def _asked(lowered: str) -> str:
    """The question's content words before its first condition cue: what it asks about in its
    own words, for saying what the corpus lacks ("Is a hot tub approved for back pain?": hot
    tub); not a sentence telling who the worker is ("my client has CRPS.", "my patient has CRPS
    of the left foot, will IMR approve ...")."""
    for m in reversed(list(_STATED_WHO.finditer(lowered))):
        if re.match(
            r"\s*(?:[.;]|[-\u2013\u2014]\s|,\s*(?=" + _ASKS_AFTER + r"\b))", lowered[m.end() :]
        ):
            lowered = lowered[: m.start()] + lowered[m.end() :].lstrip(" .;-\u2013\u2014")
    lowered = _CUT_OFF.sub(" ", lowered)  # ("cut it off": the denial, no treatment)
    cue = _CONTEXT_CUE.search(lowered)
    if cue and not cue.start() and (asking := re.search(rf",\s*(?={_ASKS_AFTER}\b)", lowered)):
        lowered = lowered[asking.end() :]  # "for a worker with knee arthritis, is a hot tub
        cue = _CONTEXT_CUE.search(lowered)  # approved?": what the question after it asks
    head = lowered[: cue.start()] if cue and cue.start() else lowered
    words = _content_words(head)
    leading = cue is not None and not cue.start()  # ("for rotator cuff tear what decisions")
    if (not words or leading) and cue and cue.group(0) == "for":  # "IMR results for hot tubs":
        # what the decisions were for is what is asked
        after = _CONTEXT_CUE.search(lowered, cue.end())
        words = _content_words(lowered[cue.end() : after.start() if after else len(lowered)])
        if (
            _WHO_HAD.match(lowered, cue.end() + 1)
            or _HOW_LONG.match(" ".join(words))
            or any(  # not how long ("for months") nor what
                # ails the worker ("approved for plantar fasciitis": its diagnosis; "decisions
                # for neck strain", "for rotator cuff tear")
                _names_diagnosis(w) or w in _AILMENT or w in _finding_words() or w in _SYMPTOMS
                for w in words
            )
        ):
            words = []
    return " ".join(words)


_UNITS_UNSAID = r"sessions?|visits?|treatments?|pills|tablets|capsules|refills|units|days|weeks"
_CUT_OFF = re.compile(r"\bcut (?:(?:it|them|him|her|his|the|care|benefits) )?off\b")
_HOW_LONG = re.compile(r"(?:\d+ |several |many |a few )?(?:days|weeks|months|years)\b")


def _content_words(text: str) -> list[str]:
    """The words of `text` that are neither generic, the review process's nor function words."""
    modified = _things_modified(text)
    return [
        w
        for w in (m.removesuffix("'s") for m in re.findall(r"[a-z][a-z'-]*", text))
        if w not in GENERIC
        and (w not in PROCESS_WORDS or w in modified)
        and w not in _FUNCTION_WORDS
    ]


# A thing's modifications ("home modifications", "a car modification"): a treatment's words, not
# the review's (intent.partial_words reads them so too).
_THING_MODIFIED = re.compile(rf"\b(?:{'|'.join(MODIFIED_THINGS)}) (modifications?)\b")


def _things_modified(text: str) -> set[str]:
    """The words "modification(s)" where `text` names a thing's ("home modifications")."""
    return set(_THING_MODIFIED.findall(text))


_FUNCTION_WORDS = frozenset(
    "has have had at as i my our we us you your his her its s let per".split()  # ("per year")
)


# "If the NSAID is denied, ...", "... when the surgery was approved": another decision of the same
# letter. Its outcome words (denial words first: "not approved" is a denial).
_SITUATION = re.compile(
    r"^(?:if|once|when|since|given that|after)\b[^,?]*,|"
    r"\b(?:if|once|when|since|given that|after|where)\b(?:(?!\s[-\u2013\u2014]\s)(?:[^,?;.]|"
    r"\.(?!\s)))*"  # to the end of its sentence
)
_SITUATION_DENIED = re.compile(
    r"\b(?:not|non-?|un)[- ]?(?:approv|certif|authori[sz]|cover)\w*|\bden(?:y|ies|ied|ial)\b|"
    r"turned down|\bupheld\b|\brejected\b|not medically necessary"
)
_SITUATION_APPROVED = re.compile(
    r"\b(?:approv\w*|certif\w*|authori[sz]\w*|sign(?:s|ed)? off|okay(?:ed|s)?|overturn\w*|"
    r"granted|allowed|covered|went through|goes through|medically necessary|supported)\b"
)
_ALONGSIDE_CODES = {"supports_approved_procedure", "depends_on_noncertified"}


def _alongside(text: str, facets: list[Facet]) -> tuple[list[Facet], str]:
    """Another decision of the same letter that the question makes its situation, with the
    outcome IMR gave it: "If the anti-inflammatory is non-certified, is the PPI approved?" asks
    about PPIs in letters whose NSAID was upheld. Returns the facets ("alongside" per treatment
    named there, one "alongside_outcome") and the situation's words; none without both, or when
    the clause holds the question's own treatment ("When is physical therapy approved?") or
    says UR certified part of it."""
    lowered = text.lower()
    spans = [(m.start(), m.end()) for m in _SITUATION.finditer(lowered)]
    if but := _reported_but(lowered):
        spans.append((0, but.start()))  # "the surgery was approved but the sling ..."
    for start, end in spans:
        clause = text[start:end].rstrip(", ")
        rest = (text[:start] + " " + text[end:]).lower()
        if not all(f.words.lower() in rest for f in facets if f.name in TREATMENT_FACETS):
            continue
        said = _decision_word(clause.lower())
        if said is None or (start and not _reported(clause.lower(), said[1])):
            continue
        if partial_words(clause):  # "UR approved some of the medications": UR's cut, no decision
            continue
        if re.match(r"\s*(?:the )?(?:ur|utilization review)\b", clause.lower()) and partial_words(
            text
        ):  # "UR certified the NCS but dropped the EMG": UR's cut of one request
            continue
        named = [
            f for f in understand(clause, treatment_only=True).facets if f.name in TREATMENT_FACETS
        ]
        if not named:
            continue
        verdict, word = said
        found = [Facet("alongside", f"{f.name}:{f.value}", f.words) for f in named]
        return [*found, Facet("alongside_outcome", verdict, word[0])], clause
    return [], ""


def _decision_word(text: str) -> tuple[str, re.Match[str]] | None:
    """The outcome a situation gives another decision, and the words saying it: a denial first
    ("not approved" is one), else an approval; None when it names neither."""
    if denied := _SITUATION_DENIED.search(text):
        return "Upheld", denied
    if approved := _SITUATION_APPROVED.search(text):
        return "Overturned", approved
    return None


def _reported(clause: str, said: re.Match[str]) -> bool:
    """Whether a clause inside the question reports its outcome word ("after the surgery *was
    denied*", "after the *denial* of the surgery") rather than lending it to the question's own
    verb ("Are 24 PT visits after knee surgery *approved*?")."""
    word = said.group(0)
    if re.match(r"(?:not|non|un|den(?:ial|y)\b|turned)", word):
        return True  # a denial noun or phrase ("non-certified", "denial") stands alone
    if not (aux := _AUXILIARY.search(clause[: said.start()])):
        return False
    # a plural verb after one thing named ("cold therapy requests after surgery were
    # approved"): the question's requests', not the surgery's
    before = clause[: aux.start()].split()
    return not (
        re.match(r"(?:were|are|have)\b", aux.group(0))
        and before
        and not before[-1].endswith("s")
        and " and " not in clause[: aux.start()]
    )


_AUXILIARY = re.compile(
    r"\b(?:was|were|is|are|been|be|being|got|gets|get|had|has|have)\s+(?:\w+\s+)?$"
)


def _reported_but(lowered: str) -> re.Match[str] | None:
    """The "but" after a decision the question reports ("the surgery was approved but the sling
    was denied"); None for a question ("Is an MRI approved, but only after PT?") or none."""
    but = re.search(r"\bbut\b", lowered)
    if but is None or _ASKING.match(lowered):
        return None
    return but if _decision_word(lowered[: but.start()]) else None


# "for" after a verb or noun of paying or asking names what is asked ("pay for urine drug
# screens", "a request for PT"), no condition
_ASKED_FOR = "".join(
    f"(?<!{w} )"
    for w in (
        "pay paid paying pays cover covers covered covering coverage request requests requested "
        "requesting ask asks asked asking prescription prescriptions script order ordered "
        "authorization reimburse reimbursed bill billed"
    ).split()
)
_CONTEXT_CUE = re.compile(  # not a question's "when" ("when is a drug test justified?")
    r"\b(?:after|before|prior to|until|while|during|without|despite|even though|even if|although|"
    r"though|following|unless|because|"
    rf"if|once|{_ASKED_FOR}for|not on|(?:is|are|was|were)n't (?:on|taking|using)|"
    r"not (?:taking|using)|"
    r"in a patient|rather than|instead of|as opposed to|versus|vs|mention(?:s|ed|ing)?|"
    # what the treatment would stand in for ("Butrans as a Norco replacement", "in place of")
    r"in place of|to replace|as an? (?:alternative|substitute|replacement) (?:to|for)|"
    r"as an? (?=(?:[\w/'-]+ ){1,3}(?:replacement|substitute|alternative)\b)|"
    r"to (?:monitor|check)|"  # what a test watches for ("labs to monitor the liver on NSAIDs")
    r"to (?:look for|rule out|confirm|diagnose)|"  # and what it looks for
    rf"{_WITH_FINDING}|"  # "surgery with a normal MRI": the MRI is the situation
    r"but|no|on top of|when(?! (?:is|are|does|do|should|can|will|would)\b)|"
    r"with (?:an? )?(?=(?:prior|previous|past|earlier)\b)|"  # "MRI with prior knee surgery"
    r"failed|"  # the clinician's "MRI L shoulder, failed 6 wks PT": the PT is the situation
    # and "shoulder arthroscopy, 6 mo of PT failed": a clause saying the care had failed
    r", (?=(?:[\w/-]+ ){1,5}?(?:failed|didn'?t help|did not help|gave no relief)\b)|"
    r"saying|stating|claiming|citing|on the grounds that|"  # "denied saying he had no PT"
    r"(?:not enough|too (?:little|few)|insufficient|inadequate)(?! to\b)|"  # "not enough PT"
    r"(?:has|have|needs?|must) to (?:first )?try|try and fail|tried and failed|"
    r"so (?:that )?(?:he|she|they|the worker|the patient|my client|the client) (?:could|can))\b"
)


_BACK_TO_IT = re.compile(r"\b(?:that|it|this|them|those|these)\b")  # what was told before
# The asking sentence pointing back at more than one ("can I appeal both?", "either")
_EACH_OF_THEM = re.compile(r"\b(?:both|either|each|all (?:of )?(?:them|these|those|three))\b")
_DASH = r"\s+[-\u2013\u2014]+\s+"  # a dash between a question's parts
_TOLD_APART = re.compile(rf"(?<=[.?!])\s+(?=\S)|{_DASH}|;\s*")  # sentences, dashes, semicolons


def _before_condition(
    lowered: str,
    facets: list[Facet],
    ranking: bool = False,
    held: Callable[[str], bool] = lambda w: True,
) -> tuple[list[Facet], str]:
    """The question's treatment is what it names before its condition: in "urine drug testing
    when the patient is not on opioids" or "shoulder MRI after failed PT" the opioids and the PT
    are the situation, not what was requested. Drops drugs, classes and procedures named only
    after the first condition cue that has one named before it; returns the facets and the text
    the treatment is read from (the part before that cue, or all of it). A question that opens
    with its condition ("If the NSAID is denied, ...") names its treatment after the comma. For
    `ranking`, what is named only after the cue is never the treatment ("wrist splints for a
    client not having surgery" names none the vocabularies know, and surgery is not it).
    Sentences before the one that asks are its situation when the asking one names a treatment
    ("My patient did a course of physical therapy and still isn't better. Will IMR approve a
    shoulder MRI?": the MRI)."""
    kinds = NAMING_FACETS
    # sentences, and a clause set off by a dash after what the worker had ("tried PT and it
    # didn't help - will IMR approve a lumbar MRI?"; not "Voltaren gel for the shoulder - does a
    # topical NSAID qualify?", which asks about the gel)
    sentences = [
        m.end()
        for m in _TOLD_APART.finditer(lowered)
        if m.group(0).strip() == ""
        or _only_had(lowered[: m.start()], facets)
        or _points_back_to_ask(lowered[m.end() :], facets)
    ]
    sentences = sorted(  # and a comma before the asking clause ("The worker failed PT, is an
        # MRI approved?"), after what the worker had
        sentences
        + [
            m.end()
            for m in _COMMA.finditer(lowered)
            if _asking(lowered[m.end() :]) and _only_had(lowered[: m.start()], facets)
        ]
    )
    if (
        sentences
        and not _asking(lowered[(last := sentences[-1]) :])
        and _ASKING.match(lowered)
        and _only_had(lowered[last:], facets)
    ):  # "Is a lumbar MRI approved? He had 6 weeks of PT with no relief.": the PT is had
        told = lowered[last:]
        kept = [f for f in facets if f.name not in kinds or f.words.lower() not in told]
        return _before_condition(lowered[:last].strip(), kept, ranking, held)
    if sentences and (asking := sentences[-1]) and _asking(lowered[asking:]):
        tail = lowered[asking:]  # "... start Ambien. Has IMR approved zolpidem?": the drug too
        named = [
            f
            for f in facets
            if f.name in kinds
            and (
                f.words.lower() in tail
                or f.value.replace("_", " ") in tail
                or (f.name == "treatment" and _forms_named(f.value, tail))
            )
        ]  # in any of its words ("urine drug screens ... Has IMR approved drug testing?")
        # or a category of care alone ("We denied a wheelchair and a heating pad ... Does IMR
        # uphold equipment denials ...?": equipment); "the pills", "the medication" are the
        # drug named before
        if named or _names_category(tail, besides="medication"):
            kept = [f for f in facets if f.name not in kinds or f in named]
            return _before_condition(lowered[asking:].strip(), kept, ranking, held)
        # "... - UR denied Soma. Has IMR ever reversed that?": what the sentence or clause
        # before names, not what the worker is on; so too when the asking one names nothing
        # and the one before is no history ("He's had 24 PT visits, chiro and two epidurals.
        # His doctor now wants a lumbar fusion. What are the odds at IMR?": the fusion)
        ends = [m.end() for m in _TOLD_APART.finditer(lowered, 0, asking)]
        start = ends[-1] if ends else 0
        if _EACH_OF_THEM.search(tail):  # "Norco denied. Tramadol denied. Can I appeal both?":
            # every sentence before it naming a treatment
            while ends[:-1] and _names_decided(lowered[ends[-2] : start], facets):
                ends.pop()
                start = ends[-1]
            if len(ends) == 1 and _names_decided(lowered[:start], facets):
                start = 0
        told = lowered[start:asking]
        before = [f for f in facets if f.name in kinds and f.words.lower() in told]
        if start and before and (_BACK_TO_IT.search(tail) or not _only_had(told, facets)):
            kept = [f for f in facets if f.name not in kinds or f in before]
            return _before_condition(lowered[start:].strip(), kept, ranking, held)
    cue = _CONTEXT_CUE.search(lowered)
    if cue is None:
        return facets, lowered

    def where(f: Facet) -> int:
        at = lowered.find(f.words.lower())
        if at < 0:  # named in other words here ("narcotic" before, "opioids" in the question)
            at = lowered.find(f.value.replace("_", " "))
        return at if at >= 0 else 0

    def asked_after(at: int, start: int) -> tuple[list[Facet], str] | None:
        """The facets with the treatments named after `at`, and the text from `start`, when
        either names a treatment or that text a category of care; None when neither does."""
        named = [f for f in facets if f.name in kinds and where(f) > at]
        tail = lowered[start:]
        if named or _names_category(tail):
            return [f for f in facets if f.name not in kinds or f in named], tail
        return None

    # "If the NSAID is denied, is the PPI approved?"; not UR's cut of the treatment asked about
    # ("When the carrier certified only part of the Norco, did IMR approve the rest?")
    if cue.start() == 0 and "," in lowered and not partial_words(lowered[: lowered.index(",")]):
        comma = lowered.index(",")
        if found := asked_after(comma, comma + 1):
            return found

    if but := _reported_but(lowered):  # "the surgery was approved but the sling was denied"
        named = [f for f in facets if f.name in kinds and where(f) > but.start()]
        if named:
            return [f for f in facets if f.name not in kinds or f in named], lowered[but.end() :]

    # "has to fail therapy and pills before any kind of shot", "must the worker try NSAIDs
    # before Lyrica": what must be tried first is the situation, what comes after is asked
    if (first := _FIRST_TRY.search(lowered)) and (found := asked_after(first.end(), first.end())):
        return found

    def names_before(at: int) -> bool:
        head = lowered[:at]
        return any(f.name in kinds and where(f) < at for f in facets) or _names_category(head)

    # the first cue with a treatment before it ("what does IMR cite for lab work before surgery":
    # "for" has none before it, "before" has the lab work)
    at = next((c.start() for c in _CONTEXT_CUE.finditer(lowered) if names_before(c.start())), None)
    if at is None:
        head = lowered[: cue.start()]
        if (
            (ranking and head.strip())
            or _unknown_treatment(head, held)
            or _unknown_before(lowered, cue.start())
        ):  # "wrist splints for a client not having surgery", "genetic tests for opioid
            # metabolism", "Suboxone for opioid dependence", "is a hot tub approved after failed
            # PT?": what is asked for is unknown; the surgery, the opioids and the PT are its
            # situation, not its treatment
            at = cue.start()
        else:
            return facets, lowered
    return [f for f in facets if f.name not in kinds or where(f) < at], lowered[:at]


# Words that leave "therapy" bare, the therapist's therapy ("more therapy", "post-op therapy"),
# besides GENERIC and STOPWORDS; any other word before it names a kind ("cold therapy",
# "hyperbaric therapy").
_BARE_BEFORE = frozenset(
    """additional extra continued ongoing formal supervised post-op postoperative post-operative
    postop post-surgical postsurgical outpatient in-person requested ordered recommended""".split()
)
_SITUATION_WORDS = frozenset(
    "after before once until while when during following despite through finished".split()
)
_THERAPY_WORD = re.compile(
    r"\btherapy\b|"  # ...and the therapist asking sessions ("the therapist wants more sessions")
    r"\btherapist(?=['’]?s?\b(?:\s+[\w'-]+){0,4}?\s+(?:sessions?|visits?)\b)",
    re.I,
)


def _bare_therapy(text: str) -> str:
    """`text` with a bare "therapy" as the letters' physical therapy ("Is therapy for the hand
    approved?", "therapy after shoulder surgery": the therapist's visits, PT or OT); not a kind
    of therapy ("cold therapy", "hand therapy"), not the place ("a stimulator used at therapy"),
    not in a list of kinds of care ("therapy, devices or tests"), not after the treatment asked."""

    def read(m: re.Match[str]) -> str:
        before = re.findall(r"[\w'-]+", text[: m.start()])
        word = before[-1].lower() if before else ""
        after = text[m.end() :]
        if (
            word
            and word not in GENERIC
            and word not in STOPWORDS
            and word not in _BARE_BEFORE
            and not region_word(word)  # "knee therapy after knee surgery": the knee's PT
        ):
            return m.group(0)
        if word and treatments_named(f"{word} {m.group(0)}"):  # a kind the vocabulary names
            return m.group(0)  # with a generic word ("group therapy": psychotherapy)
        near = {w.lower() for w in before[-2:]}
        if "at" in near or _SITUATION_WORDS & near:  # the place ("given at (the) therapy"), or
            # the situation, not what is asked ("a gym membership ... once therapy ends")
            return m.group(0)
        if treatments_named(text[: m.start()]):  # the situation of a treatment named before it
            # ("a knee scope with no trial of therapy first": any conservative care)
            return m.group(0)
        if re.match(
            r"\s*(?:,|or\b|and\b)\s*(?:\w+ )?(?:devices?|tests?|equipment|drugs?|meds?)", after
        ):
            return m.group(0)
        return "physical therapy"  # (the therapist's: the sessions asked are the therapy)

    return _THERAPY_WORD.sub(read, text)


def _names_decided(text: str, facets: list[Facet]) -> bool:
    """Whether `text` names a treatment and a verdict on it ("Tramadol denied.")."""
    named = any(f.name in NAMING_FACETS and f.words.lower() in text for f in facets)
    return named and bool(_SITUATION_DENIED.search(text) or _SITUATION_APPROVED.search(text))


def _only_had(head: str, facets: list[Facet]) -> bool:
    """Whether `head` names treatments, each of them one the worker had ("tried PT for his low
    back and it didn't help")."""
    named = [f for f in facets if f.name in NAMING_FACETS and f.words.lower() in head]
    return bool(named) and {f.words for f in _history(head, named)} == {f.words for f in named}


def _names_category(text: str, besides: str | None = None) -> bool:
    """Whether `text` names a category of care (CATEGORY_WORDS), other than `besides`."""
    return any(re.search(rf"\b(?:{p})\b", text) for c, p in CATEGORY_WORDS.items() if c != besides)


def _forms_named(concept: str, text: str) -> bool:
    """Whether `text` names `concept` in any of its forms."""
    return any(re.search(rf"\b{re.escape(form)}\b", text) for form in forms_naming(concept))


_FIRST_TRY = re.compile(
    r"\b(?:has|have|needs?|must|should)\b(?: [\w']+){0,3}? (?:to )?(?:first )?"
    r"(?:try|tried|fail|failed|exhaust|exhausted)\b[^.?!]*?\bbefore\b|"
    r"\brequires?\b[^.?!]*?\bbefore\b"  # "does IMR require 6 weeks of PT before an MRI"
)


def _unknown_treatment(head: str, held: Callable[[str], bool]) -> bool:
    """Whether `head` names a treatment no vocabulary knows: a word none knows before a word for
    a kind of care ("genetic tests", "hyperbaric therapy", "a bone growth stimulator"), or a word
    none knows that `held` does not hold ("Suboxone", "discograms"), or an everyday word for
    equipment none knows ("cervical collar", "hospital bed": the item-side DME words)."""

    def unknown(w: str) -> bool:  # (a device's part is the device's: "electrodes for a TENS")
        return (
            w not in GENERIC
            and w not in PROCESS_WORDS
            and not _known_word(w)
            and not _DEVICE_PART.fullmatch(w)
        )

    def named(w: str) -> bool:  # a word of a treatment the vocabulary knows ("shower chair")
        return any(
            w in form.split() and re.search(rf"\b{re.escape(form)}\b", head)
            for form in _concept_forms()
        )

    equipment = dict(facts_vocabulary().categories)["dme"]
    return (
        any(unknown(w) and not named(w) for w in _KIND_OF_CARE.findall(head))  # (not a state's:
        # "a home exercise program instead of more PT" asks about the PT)
        or any(unknown(w) and not held(w) for w in re.findall(r"\b[a-z][a-z-]{4,}\b", head))
        or any(
            equipment is not None and equipment.fullmatch(w) and unknown(w) and not named(w)
            for w in re.findall(r"\b[a-z][a-z-]{2,}\b", head)
        )
    )


_KIND_OF_CARE = re.compile(  # (and an operation's: "de Quervain's release")
    rf"\b([a-z][a-z-]{{2,}})(?:'s)? (?:{_CARE_HEADS}|sessions?|classes|releases?|repairs?)\b"
)
# How a partial question tells UR's split: "certified 6 of (the) 12 visits", "from #120 to #60",
# "#120 to #60", "12 down to 6".
_SPLIT = re.compile(
    r"#?\d+ (?:[a-z]+ ){0,3}?(?:of|out of) (?:the )?#?\d+|\bfrom #?\d+ (?:[a-z]+ )?to #?\d+|"
    r"#\d+ (?:down )?to #\d+|\b#?\d+ down to #?\d+"
)
_HAD = re.compile(r"\b(?:already|previously|prior|had|has had|completed|received|attended)\b")
# Words before a number of visits saying they were had ("more PT after 12 visits"), not asked.
_HAD_COUNT = re.compile(
    r"\b(?:after|following|had|has had|completed|attended|finished|received|despite|did|done|"
    r"went to|gone to|went through|gone through|used up)\s+"
    r"(?:(?:the|his|her|their|an?|first|initial|prior|previous|earlier)\s+)*$"
)


# Words before a number saying UR let that much through ("UR let through only 5 capsules",
# "cut it to #60"): UR's cut of the request, not its size.
_CUT_TO = re.compile(
    r"(?:\b(?:ur|utilization review|carrier|insurer|adjuster)(?: \w+)?(?: only)? (?:let through|"
    r"let (?:him|her|them) have|allowed|approved|certified|authori[sz]ed|okayed|ok'?d)|"
    r"\blet through|"  # not IMR's approval ("Has IMR approved 12 PT visits?")
    r"\b(?:cut|reduced|modified|trimmed|weaned)(?: (?:it|them|the \w+))?(?: back| down)? to)"
    r"\s+(?:only\s+|just\s+)?$"
)


def _had_or_cut(lowered: str, words: str) -> bool:
    """Whether the quantity `words` follows words saying the worker had it ("after 12 visits")
    or UR let it through ("UR let through only 5 capsules"): not the size of the request."""
    at = lowered.find(words.lower())
    return at > 0 and bool(_HAD_COUNT.search(lowered[:at]) or _CUT_TO.search(lowered[:at]))


_ASKING = re.compile(
    r"\s*(?:is|are|was|were|will|would|does|do|did|can|could|should|has|have|how|what|when|why|"
    r"which)\b"
)
# An asking clause in shorthand, the care and the decision ("- arthroscopy approved?", "; knee
# MRI denied?"), after what the worker had.
_BARE_ASKING = re.compile(
    r"\s*(?:(?:a|an|the)\s+)?[\w/'.-]+(?:\s+[\w/'.-]+){0,4}\s+(?:approved|denied|covered|"
    r"upheld|overturned|authori[sz]ed|certified|allowed|ok'?d)\s*\??\s*"
)


def _points_back_to_ask(clause: str, facets: list[Facet]) -> bool:
    """Whether `clause` asks of what was told before it, naming the treatment it asks for ("-
    is that enough for Norco?", "- does this justify an MRI?"): what was told is the situation."""
    if not _ASKING.match(clause) or not re.match(r"\s*\w+\s+(?:that|this)\b", clause):
        return False
    return any(
        f.name in NAMING_FACETS
        and (at := clause.find(f.words.lower())) >= 0
        and bool(_JUSTIFIES.search(clause[:at]))
        for f in facets
    )


# What a told situation is asked to do for the treatment after it ("enough for", "justify").
_JUSTIFIES = re.compile(
    r"\b(?:enough (?:for|to (?:get|justify|support|keep))|justif(?:y|ies)|supports?|warrants?|"
    r"qualif(?:y|ies) (?:\w+ )?for)\s+(?:(?:the|a|an|more|continued|his|her)\s+)?$"
)


def _asking(clause: str) -> bool:
    """Whether `clause` asks ("will it be approved?", "arthroscopy approved?")."""
    return bool(_ASKING.match(clause) or _BARE_ASKING.fullmatch(clause))


# A comma before the asking clause ("The worker failed PT, is an MRI approved?", "..., knee
# arthroscopy approved?").
_COMMA = re.compile(r",\s*")
# A treatment's words followed by its having been had ("PT visits were done", "the MRI was
# completed"): the situation, not the request.
_DONE_AFTER = re.compile(rf"(?:\s+[\w-]+){{0,2}}?\s+{_WAS_DONE.format(already='(?:already )?')}\b")
_ALREADY = re.compile(
    r"\balready (?:on|taking|using|getting|receiving|had|has|tried)\b|"
    r"\b(?:currently|still) (?:on|taking|using)\b|"
    # "pt's on Norco + Soma, UR non-certified the Soma": the drug the worker is on
    r"\b(?:pt|patient|worker|claimant|client|iw|he|she)(?:['’]s| is) (?:on|taking)\b|"
    r"\busers?\b|" + _TESTED_FOR  # "for a Norco user": the drug the worker takes
)
# "stomach pills with his anti-inflammatory", "for a worker in a wheelchair"
_THEIRS = re.compile(
    r"\bwith (?:his|her|their)\b|"
    r"\b(?:for|to) (?:an? |the |my |our |his |her )?(?:\d+[- ]years?[- ]old |older |elderly )?"
    r"(?:patients?|workers?|claimants?|clients?|employees?|someone|anyone|people|pt|iw) "
    r"(?:(?:over|under|aged|age) \d+ |\d+ years? old )?(?:on|in|using|taking)\b"
)


# What a study finds, in the clinician's words ("HNP", "stenosis", "a meniscal tear").
_STUDY_FINDING = (
    r"hnp|herniat\w*|bulg\w*|protrusions?|extrusions?|stenosis|tears?|torn|fractures?|"
    r"impingement|spondylo\w*|degenerat\w*|ddd|arthritis|osteoarthritis|arthrosis|effusion|"
    r"edema|radic\w*|neuropathy|myelopathy|entrapment|compression|instability|"
    r"lesions?|cysts?|abnormalit\w*|pathology"
)
# A study named as where a finding shows ("ACL not well seen on MRI", "the MRI shows only a
# small tear", "per the EMG"): the evidence, not the request, when another treatment is named.
_SEEN_ON = re.compile(
    r"\b(?:seen|shown|visible|visuali[sz]ed|noted|found|evident|confirmed|documented|present|"
    r"demonstrated|corroborated|supported|substantiated|verified|objectified) (?:on|by|in) "
    r"(?:the |an? |his |her |their )?$|\b(?:per|according to|based on) (?:the )?$|"
    rf"\b(?:{_STUDY_FINDING}) (?:on|by) (?:the |an? )?$|"  # "stenosis on MRI"
    # "radiculopathy on exam and MRI": the examination's and the study's finding
    r"\b(?:exam|examination|physical exam|clinical exam|clinically) (?:and|&|as well as) "
    r"(?:on |by |in )?(?:the |an? )?$|"
    # a result said before the study ("positive EMG", "after a normal MRI")
    r"\b(?:positive|negative|pos|neg|normal|abnormal|unremarkable) (?:(?:recent|prior|previous|"
    r"earlier) )?$"
)
_SHOWS = re.compile(
    r"(?:\s+(?:or|and)\s+(?:an?\s+)?[\w/-]+)?"  # "the MRI or EMG doesn't back up ..."
    r"(?:\s+(?:scan|study|report|results?|findings?|images?))?\s+(?:"
    # "EMG neg", "the MRI was normal": a study's result
    r"(?:(?:was|is|were|are|came back) )?(?:neg|negative|pos|positive|normal|abnormal|unremarkable|"
    r"wnl)\b|"
    r"(?:shows?|showed|showing|reveals?|revealed|confirms?|confirmed|demonstrates?|demonstrated|"
    r"finds|found|supports|backs up|corroborates)|"
    r"(?:(?:does|did|do)(?:n't|n’t| not)|(?:fails?|failed) to)\s+"
    r"(?:show|reveal|confirm|demonstrate|find|support|back up|corroborate)|"
    # the clinician's "MRI w/ HNP", "MRI c/w stenosis": the study with what it found
    rf"(?:{_RESULT_JOIN}|with\b|\+)\s*(?:[\w/-]+\s+){{0,3}}?"
    rf"(?:{_STUDY_FINDING}))\b"
)


def _shown_by(lowered: str, at: int, end: int) -> bool:
    """Whether the study named at `at`:`end` is where a finding shows, not what is asked (but
    "knee MRI positive McMurray": the exam's sign, positive, the MRI asked)."""
    shows = _SHOWS.match(lowered[end:]) and not _EXAM_SIGN.match(lowered[end:])
    return bool(
        _SEEN_ON.search(lowered[max(0, at - 40) : at]) or shows or _REPORTED.match(lowered[end:])
    )


# A sign of the physical exam, positive or negative, right after a study ("knee MRI positive
# McMurray's", "lumbar MRI positive SLR"): the exam's result, not the study's.
_EXAM_SIGN = re.compile(
    r"\s+(?:pos|positive|neg|negative)\s+(?:mcmurray|slr\b|straight[- ]leg|spurling|tinel|"
    r"phalen|hawkins|neer|lachman|drawer|apprehension|faber|patrick|finkelstein|empty can|"
    r"drop arm|speed'?s|yergason|obrien|o'brien)"
)


# A study's report in the chart's shorthand ("MRI: complex tear MM")
_REPORTED = re.compile(rf"\s*:\s*(?:[\w/+-]+\s+){{0,3}}?(?:{_STUDY_FINDING})\b")


# Where care is given ("at the chiropractor's or therapist's office", "in his doctor's
# clinic", "during the office visit"): a setting, not the treatment asked, when another is named.
_SETTING = re.compile(
    r"\b(?:at|in) (?:the|a|an|his|her|their|my|your) (?:[\w'’/-]+ ){0,3}?"
    r"(?:office|clinic|practice)s?\b|\bat (?:the|a|his|her|their|my|your) [\w-]+['’]s\b|"
    r"\b(?:during|at|on) (?:the|a|an|his|her|their|my|your) (?:[\w'’/-]+ ){0,2}?"
    r"(?:office |clinic )?(?:visit|appointment)s?\b"  # ("on the first doctor visit")
)


# A drug class as the name of a guideline ("the MTUS 2016 opioid guideline", "ODG NSAIDs
# section"): the citation's, not the treatment asked.
_GUIDELINE_AFTER = re.compile(r"\s+(?:treatment\s+)?(?:guidelines?|section|chapter)\b")
_GUIDELINE_BEFORE = re.compile(r"\b(?:mtus|odg|acoem|cpmtg)(?:\s+\d{4})?\s+$")


def _guideline_named(lowered: str, facets: list[Facet], keep_own: bool) -> list[Facet]:
    """Drops the drug classes the question names only as a guideline's name ("MTUS 2016 opioid
    guideline sec 3.3.6 - when is a urine drug test justified?": the drug test), when it names
    another treatment. `keep_own` (for ranking): keeps a class a drug named belongs to ("the
    opioid guidelines ... Norco": the other opioids are the nearest precedents)."""

    def cited(f: Facet) -> bool:
        found = list(re.finditer(rf"\b(?:{CLASS_WORDS[f.value]})\b", lowered))
        return bool(found) and all(
            _GUIDELINE_AFTER.match(lowered, m.end())
            or _GUIDELINE_BEFORE.search(lowered[: m.start()])
            for m in found
        )

    own = {class_of(f.value) for f in facets if f.name == "ingredient"} if keep_own else set()
    kept = [
        f
        for f in facets
        if not (f.name == "drug_class" and f.value in CLASS_WORDS and f.value not in own)
        or not cited(f)
    ]
    return kept if any(f.name in NAMING_FACETS for f in kept) else facets


def _in_setting(lowered: str, facets: list[Facet]) -> list[Facet]:
    """Drops the treatments named only as where care is given ("heat lamp treatments at the
    chiropractor's office": the heat, not chiropractic care), when another is named."""
    spans = [m.span() for m in _SETTING.finditer(lowered)]
    if not spans:
        return facets

    def placed(f: Facet) -> bool:
        found = [m.start() for m in re.finditer(re.escape(f.words.lower()), lowered)]
        return bool(found) and all(any(a <= at < b for a, b in spans) for at in found)

    kept = [f for f in facets if f.name != "treatment" or not placed(f)]
    return kept if any(f.name in NAMING_FACETS for f in kept) else facets


def _already_taken(lowered: str, facets: list[Facet]) -> list[Facet]:
    """Drops the treatments the worker already takes or had ("adding a muscle relaxer to the
    anti-inflammatory he's already on", "already on Norco, is Lyrica approved?", "stomach
    protector pills with his anti-inflammatory", "surgery denied: the chart doesn't say how
    many PT visits were done"): the situation, not the request, when another treatment is
    named."""
    kinds = NAMING_FACETS
    marks = list(_ALREADY.finditer(lowered))
    theirs = list(_THEIRS.finditer(lowered))  # names only what follows it
    if (
        not marks + theirs
        and not _DONE_AFTER.search(lowered)
        and not (STUDIES | {"imaging"}) & _values(facets)
    ):
        return facets

    def taken(f: Facet) -> bool:
        at = lowered.find(f.words.lower())
        end = at + len(f.words)
        if at >= 0 and _DONE_AFTER.match(lowered[end:]):  # "how many PT visits were done"
            return True
        if at >= 0 and f.value in STUDIES | {"imaging"} and _shown_by(lowered, at, end):
            return True  # "not well seen on MRI", "the MRI shows a small tear": its evidence
        for m in marks + theirs:
            after = 0 <= m.start() - end and len(lowered[end : m.start()].split()) <= 3
            before = re.fullmatch(
                r"\s+(?:(?:the|a|an|his|her|their|some)\s+)?", lowered[m.end() : at]
            )
            if at >= 0 and ((after and m in marks) or before):  # "X he's already on",
                return True  # "already on (the) X", "with his X"
        return False

    kept = [f for f in facets if f.name not in kinds or not taken(f)]
    if any(f.name in kinds for f in kept):
        return kept
    # nothing else named: what is asked may be a thing no vocabulary knows, said before ("was a
    # hot tub approved for a worker already on Norco?" answered on Norco): the worker's is no
    # request then
    taken_at = [lowered.find(f.words.lower()) for f in facets if f not in kept]
    return kept if taken_at and _unknown_before(lowered, min(taken_at)) else facets


def _unknown_before(lowered: str, at: int) -> bool:
    """Whether `lowered` asks, before `at`, for a thing no vocabulary knows ("was a hot tub
    approved for ...", "a ramp for ..."): the request, when what follows is the worker's."""
    m = _ASKED_THING.search(lowered[: max(at, 0)])
    words = _content_words(m.group(1)) if m else []
    return bool(words) and not any(_known_word(w) for w in words)


# A thing asked, before what is said of it ("a hot tub approved", "a ramp for").
_ASKED_THING = re.compile(
    r"(?:^|\b(?:a|an|the|is|was|are|were|any)\s+)((?:[a-z-]+\s+){0,2}?[a-z-]+)\s+"
    r"(?:approved|covered|denied|certified|authorized|overturned|upheld|for)\b"
)


# How a drug's monitoring is said, when it is the drug's record and not a request: a drug screen
# missing, done or its result ("no UDS in 12 months", "UDS consistent", "UDS both documented"),
# and the opioid agreement ("a signed opioid contract").
_MONITORED_BEFORE = re.compile(
    r"\b(?:no|without|never|lack of|lacking|missing|consistent|inconsistent|signed|current|"
    r"recent|negative|positive|appropriate|aberrant|prior|previous|last)\s+(?:\w+\s+)?$"
)
_MONITORED_AFTER = re.compile(
    r"(?:\s+(?:and|or|&)\s+(?!an?\b)[\w/-]+(?:\s+[\w/-]+)?)?(?:\s+(?:both|all|were|was|is|are|"
    r"have|has|had|been|not|never|always|results?))*\s+(?:documented|consistent|inconsistent|"
    r"on file|in the (?:file|chart|records?)|done|performed|current|up to date|appropriate|"
    r"negative|positive|aberrant)\b"
)
_NEGATED_MONITORING = re.compile(r"(?:no|without|never|lack of|lacking|missing)\b")
# A drug's monitoring tests named by the drug ("NSAID monitoring labs", "opioid level blood work")
_MONITORING_TESTS = re.compile(
    r"[\w/-]+(?: [\w/-]+)?? (?:monitoring|safety|level|levels)(?= (?:lab(?:oratory)? (?:tests?|"
    r"testing|work|panels?)|labs|blood ?(?:tests?|work|panels?)|bloodwork)\b)"
)
_AGREEMENT = re.compile(r"\s*(?:pain |treatment |narcotic )?(?:contracts?|agreements?)\b")


def _monitoring(text: str, facets: list[Facet]) -> list[Facet]:
    """Drops the drug screens and the opioid class that a drug asked is monitored by ("no UDS
    in 12 months - was tramadol denied?", "opioid contract and UDS both documented - was Norco
    approved?"): the drug's record, not a request of its own. What was done is said unread (no
    fact the index holds: "UDS both documented"); what was not is the reason the question reads
    ("no UDS": no risk monitoring)."""
    drugs = {f.words.lower() for f in facets if f.name in ("ingredient", "product")}
    lowered = text.lower()

    def monitoring(f: Facet) -> tuple[int, int] | None:
        """Where `lowered` says `f` as the drug's monitoring, with what it says of it."""
        at = lowered.find(f.words.lower())
        if at < 0 or f.words.lower() in drugs or f.value not in ("uds", "opioid"):
            return None
        end = at + len(f.words)
        before = _MONITORED_BEFORE.search(lowered, 0, at)
        after = (_MONITORED_AFTER if f.value == "uds" else _AGREEMENT).match(lowered, end)
        if not (after or (before and f.value == "uds")):  # ("opioid" alone is the class asked)
            return None
        return before.start() if before else at, after.end() if after else end

    out = []
    for f in facets:
        span = monitoring(f) if drugs else None
        at = lowered.find(f.words.lower())
        if (
            f.name in ("ingredient", "drug_class", "product")
            and at >= 0
            and (watched := _MONITORING_TESTS.match(lowered, at))
        ):  # "NSAID monitoring labs": the labs asked, the drug what they watch (said unread)
            said = text[watched.start() : watched.end()]
            if said not in {g.words for g in out}:
                out.append(Facet("unread", said, said))
        elif span is None:
            out.append(f)
        elif not _NEGATED_MONITORING.match(said := text[span[0] : span[1]]):
            out.append(Facet("unread", said, said))
    return out


def _beside_treatment(head: str, facets: list[Facet], unknown: tuple[str, ...]) -> tuple[str, ...]:
    """The unknown words right beside the treatment's own words in the question's head (the two
    words before them): what names the treatment ("stem cell injections"), not whose it is
    ("my client's muscle relaxer")."""
    tokens = list(re.finditer(r"([a-z][a-z'-]*?)('s)?(?![a-z'-])", head))
    words = [  # "my client's": the client's, whose it is; "de quervain's release", "dupuytren's
        # release": its name's (a particle before it, or a word no everyday English holds that
        # names no one by a role: not "radiologist's")
        (
            m.start(),
            m[1]
            if m[2]
            and (
                (i and re.fullmatch(NAME_PARTICLE, tokens[i - 1][0]))
                or not (_everyday(m[1]) or _ROLE_ENDING.search(m[1]))
            )
            else m[0],
        )
        for i, m in enumerate(tokens)
    ]
    near: set[str] = set()
    for f, at in (  # each time it is named ("an open MRI or a positional MRI")
        (named, m.start())
        for named in facets
        if named.name in TREATMENT_FACETS
        for m in re.finditer(re.escape(named.words.lower()), head)
    ):
        inside = [i for i, (start, _) in enumerate(words) if at <= start < at + len(f.words)]
        if inside:
            near |= {  # not a verb after "that" ("a box that sends electric pulses"), nor one
                words[i][1]  # before an article or a preposition ("rent the wheelchair", "asks
                # for PT")
                for i in range(max(inside[0] - 2, 0), inside[0])
                if not (i and words[i - 1][1] in _RELATIVE)
                and not any(w in _ARTICLES | _PREPOSITIONS for _, w in words[i : inside[0]])
            }
        if m := _GUIDANCE.search(head, 0, at):  # "ultrasound guidance for injections": a kind
            near |= set(m.group(0).split()) if m.end() == at else set()
    return tuple(w for w in unknown if w in near)


# How the name of someone by their role ends ("radiologist", "examiner", "surgeon", "physician").
_ROLE_ENDING = re.compile(r"(?:ist|er|or|eon|ian|ant|ent)$")

# The particle of a name ("De Quervain's release").
NAME_PARTICLE = r"(?:de|von|van|le|la|st\.?)"


@cache
def _finding_after_with() -> re.Pattern[str]:
    """A "w/" before a finding the vocabulary knows ("MRI C-spine w/ radiculopathy"): "with"."""
    forms = {f for c in concepts().values() if c.kind == "finding" for f in c.forms}
    names = "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
    return re.compile(rf"\bw/\s*(?=(?:{names})\b)", re.I)


def name_run(words: Sequence[str]) -> str:
    """A pattern of `words` written together as a kind or a name writes them: joined by a space
    or a hyphen ("3-phase bone scan"), each perhaps possessive ("De Quervain's release")."""
    return r"(?:'s)?[- ]".join(map(re.escape, words)) + r"(?:'s)?"


# The imaging an injection is guided by, named before it ("fluoroscopic guidance for an
# epidural").
_GUIDANCE = re.compile(r"\b[a-z-]+ guidance (?:for|of|with|during) (?:an? |the )?$")


def _acronyms(text: str, known: str) -> tuple[str, ...]:
    """The short capitalised words of `text` no vocabulary knows ("PET", "MRA"), lowercased:
    too short for a content word, yet a kind of treatment when right beside one ("a PET
    scan")."""
    return tuple(
        w
        for w in dict.fromkeys(m.lower() for m in re.findall(r"\b[A-Z]{3}\b", text))
        if w not in GENERIC and w not in _NOT_A_KIND and w not in known and not _known_word(w)
    )


# Dosing and review shorthand, release marks: no kind of treatment.
_NOT_A_KIND = frozenset(
    f"tid bid qid prn qhs qam dos doi mmi ptp qme ame {_RELEASE_MARK.replace('|', ' ')}".split()
)


_HEADING = re.compile(r"\s*(?::|-|–|—)\s*\w")  # "DME: ...", "DME - front wheeled walker"
_RELATIVE = frozenset(("that", "which", "who"))
_ARTICLES = frozenset(("the", "a", "an"))
_PREPOSITIONS = frozenset(("for", "to", "of", "with", "on", "about", "from", "at", "in"))


def _compounds_listed(lowered: str, facets: list[Facet]) -> list[Facet]:
    """Compounded creams listed among other topicals ("patches, gels, ointments, compounded
    creams") are one of them: the question asks about topical medicines, its category of care
    with the forms named, not about the compounds alone."""
    classes = [f for f in facets if f.name in ("drug_class", "ingredient")]
    if [f.value for f in classes] != ["compounded"]:
        return facets
    words = classes[0].words.lower()
    for m in re.finditer(rf"\b(?:{FORM_WORDS['topical']})\b", lowered):
        # a form word of the compound's own phrase ("topical compounded creams") lists nothing
        if m.group(0) not in words and not lowered[m.end() :].lstrip().startswith(words):
            listed = _category(lowered, [f for f in facets if f not in classes])
            if any(f.name in ("category", "treatment") for f in listed):
                return listed
            # no word for them all ("patches, gels or compounded creams"): medicines, as the
            # compounds are
            return [*listed, Facet("category", "medication", classes[0].words)]
    return facets


_TO_VISITS = re.compile(r"\b(?:to|from)(?: and from)? (?:all |the |his |her |my |their )?$")


def _category(lowered: str, facets: list[Facet], listed: bool = True) -> list[Facet]:
    """The category of care a question names, when it names no drug: instead of the procedures
    it names when it asks for a referral ("referral to a surgeon when imaging shows ...") or
    lists several procedures of one category ("injections in general (epidurals, facet blocks,
    PRP)"); alone when it names no procedure."""
    if any(f.name in ("ingredient", "drug_class") for f in facets):
        return facets
    procedures = [f for f in facets if f.name == "treatment"]
    found = [
        (c, m) for c, p in CATEGORY_WORDS.items() if (m := re.search(rf"\b(?:{p})\b", lowered))
    ]
    if not found:
        return facets
    category, m = found[0]
    visits = re.sub(r"^post-?op(?:erative)? ", "", m.group(0))  # "post-op visits": the visits,
    # the post-operative state its condition
    named = Facet("category", category, visits)
    if not procedures:
        return [*facets, named]
    if _TO_VISITS.search(lowered[: m.start()]) and re.search(r"(?:appointments?|visits?)$", m[0]):
        return facets  # where the care asked takes the worker ("transportation to doctor
        # appointments"), no care asked
    own = _own_category(category, m, procedures)
    if category == "consultation" and _referred_to_sessions(lowered, m, procedures):
        return facets  # "a referral to a chiropractor": the sessions the referral asks for
    if category == "consultation" and not own:  # but "both the specialist visit and the shot"
        joined = [f for f in procedures if _joined(lowered, m, f.words.lower())]
        return [f for f in facets if f.name != "treatment" or f in joined] + [named]
    if len(procedures) >= 2 and category != "surgery" and not own:
        return [f for f in facets if f.name != "treatment"] + [named]
    if not own and any(_joined(lowered, m, f.words.lower(), listed) for f in procedures):
        return [*facets, named]  # "a pre-op EKG and labs": both
    for other, m in found[1:] if listed else ():  # another category listed with the
        # treatment, its own one the first ("imaging overturned or medications": both; not
        # "bloodwork", a lab of its own)
        if _own_category(other, m, procedures):
            continue
        if any(_joined(lowered, m, f.words.lower()) for f in procedures):
            return [*facets, Facet("category", other, m.group(0))]
    return facets


def _referred_to_sessions(lowered: str, m: re.Match[str], procedures: list[Facet]) -> bool:
    """Whether the consultation `m` names is a referral to care given in sessions, and only
    that ("referral to chiropractor", "a PT referral"): the letters name such a request by the
    care ("Referral to chiropractor ... twice a week for 3 weeks"), not as a specialist's visit."""
    if not procedures or any(f.value not in SESSION_CARE for f in procedures):
        return False
    words = "|".join(re.escape(f.words.lower()) for f in procedures)
    after = rf"\s+(?:to|for|with)\s+(?:an?\s+|the\s+)?(?:{words})\b"
    before = rf"\b(?:{words})\s+$"
    return bool(re.match(after, lowered[m.end() :]) or re.search(before, lowered[: m.start()]))


def _own_category(category: str, m: re.Match[str], procedures: list[Facet]) -> bool:
    """Whether the category `m` names is one of the procedures' own: its word inside theirs
    ("MRI or CT scans": a CT scan's own word), or their concept."""
    said = {m.group(0), _singular(m.group(0))}
    return any(w in f.words for w in said for f in procedures) or any(
        f.value == category for f in procedures
    )


def _joined(lowered: str, m: re.Match[str], words: str, alternatives: bool = True) -> bool:
    """Whether `words` are asked beside the category `m` names, joined by "and" ("a pain
    management consult and an epidural", "both the specialist visit and the shot") or, as
    `alternatives`, "or" ("imaging or medications")."""
    joiner = "and|plus|as well as|or" if alternatives else "and|plus|as well as"
    gap = rf"\s+(?:[\w'-]+\s+){{0,3}}?(?:{joiner})\s+(?:(?:the|a|an|his|her|their)\s+)?"
    after = re.escape(words)
    return bool(
        re.match(gap + r"(?:[\w-]+\s+){0,2}?" + after + r"\b", lowered[m.end() :])
        or re.search(after + gap + r"(?:[\w-]+\s+){0,2}?$", lowered[: m.start()])
    )


@cache
def _finding_words() -> frozenset[str]:
    """The words of the findings' forms ("carpal tunnel syndrome", "fibromyalgia"): what the
    worker has, asked of no treatment."""
    table = concepts()
    return frozenset(
        w for c in table.values() if c.kind == "finding" for f in c.forms for w in f.split()
    )


def _clinical_words(
    text: str,
    unknown: tuple[str, ...],
    untreated: bool = False,
    held: Callable[[str], bool] = lambda w: True,
    reasoned: bool = False,
    lesions: bool = False,
) -> list[str]:
    """Content words after a condition cue that no vocabulary knows ("after a twisting injury
    with locking": twisting, locking), and the findings the vocabulary knows there ("when
    radicular signs are documented": radicular, which letters also write as radiculopathy or
    sciatica): what a letter must mention for it to hold. `untreated`: the question names no
    treatment, so what it asks treatment for is what the worker has ("What treatments were
    approved for plantar fasciitis?"). `held`: whether the corpus holds a word ("capsulitis",
    which English rarely writes). `reasoned`: the question states a reason, which its other
    clauses explain ("because the pinched nerve was already obvious"): only what the worker is
    said to have, or the treatment to be for, is a finding ("Norco for CRPS without functional
    improvement"). `lesions`: the question names no treatment, so a lesion after a cue is what
    the worker has ("a worker with a low back strain"; PT "for a neck strain" is the neck's PT)."""
    spans, diagnosed = [], []
    cues = list(_CONDITION_CUE.finditer(text))
    for cue, following in zip(cues, [*cues[1:], None], strict=False):
        span = text[cue.end() : following.start() if following else len(text)].lower()
        if re.fullmatch(_HAS_DIAGNOSIS, cue.group(0), re.I):  # "my client has CRPS - ...": the
            # diagnoses named before the clause ends (not "had something cut out surgically")
            diagnosed.append(re.split(r"[.?!;,]| - ", span)[0])
            continue
        if cue.group(0).lower() in ("for", "about"):  # what the treatment is for ("for
            # localized nerve pain") is no condition; what the worker it is for has is ("for a
            # worker who is still getting headaches"), and so is a diagnosis the vocabulary
            # knows ("gabapentin for radiculopathy")
            who = re.search(
                r"\b(?:who|whose)\b|\b(?:worker|patient|claimant|employee|client|"
                r"person|someone|anyone)s? with\b",
                span,
            )
            if not who and not untreated:
                diagnosed.append(span)
                continue
            span = span[who.end() :] if who else span
        if span and not reasoned and not partial_words(span):  # "when UR cut the commode": UR's
            spans.append(span)  # cut, no condition
    spans += _listed_findings(text)
    tail = set(re.findall(r"[a-z][a-z-]{3,}", " ".join(spans)))  # "crps", "copd"
    tail |= set(re.findall(r"\b[a-z]{3}\b", " ".join(spans))) & _SHORT_PARTS  # "a rib fracture"
    findings = list(
        dict.fromkeys(
            m.group(0) for sp in [*spans, *diagnosed] for m in _finding_pattern().finditer(sp)
        )
    )
    within = set(" ".join(findings).split())  # "carpal tunnel": not "tunnel" again on its own
    within |= {w for f in findings for w in _said_words(f)}  # ("quervain" of "de quervain's")
    ailing = sorted(_AILMENT & tail - within - {"sleep", "sleeping", "nerve"}) if untreated else []
    # ("What is approved for depression?": an everyday word of what ails the worker)
    named = set(re.findall(r"[a-z][a-z-]{3,}", " ".join(diagnosed)))  # "for plantar
    # fasciitis": a diagnosis by its name's ending, spelled as English or a letter writes it
    # ("adhesive capsulitis"; a slip no letter holds is said unread, not said to match nothing)
    tail |= {
        w
        for w in named
        if (_DIAGNOSIS_ENDING.search(w) and (zipf_frequency(w, "en") >= 1 or held(w)))
        or w in _INJURIES
    }
    had = [  # "a worker with a low back strain", "with hearing loss": the lesion, and the word
        # before a loss it is a loss of (a strain's region is its own facet)
        m
        for span in ([*spans, *diagnosed] if lesions else [])
        for m in _LESION_SAID.findall(span)
    ]
    had = [m if m.endswith(" loss") else m.split()[-1] for m in had]
    words = [
        w
        for w in unknown
        if w in tail
        and w not in within
        and not _everyday(w)
        and w not in GUIDELINE_WORDS
        and w not in _EVIDENCED
        and w not in _DOSE_WORDS
    ]  # (not "because the guideline allows 18": the rule's, no finding)
    words += [w for w in ailing if w not in words]
    return words + [w for w in had if w not in words and w not in within] + findings


def _listed_findings(text: str) -> list[str]:
    """The parts of a clinician's note-style question after its request, set off by a comma or
    a dash, that hold a finding and name no treatment ("R knee MRI, mechanical sx, locking and
    catching", "cervical MRI - arm numbness"): what the worker has, as a condition cue's span."""
    parts = re.split(r"[,;]\s*|\s[-\u2013\u2014]\s", text.lower())
    listed = [
        part
        for part in parts[1:]
        if (_finding_pattern().search(part) or _FAILED_PART.match(part))
        and not treatments_named(part)
        and not _CONDITION_CUE.search(part)
    ]
    # or before it, set off by a dash or a colon ("lumbar radiculopathy - is an epidural
    # approved?", "CRPS right hand: is Norco approved?"; was dropped in silence)
    lead = _LEADING_PART.match(text.lower())
    if (
        lead
        and _finding_pattern().search(lead[1])
        and not treatments_named(lead[1])
        and not _CONDITION_CUE.search(lead[1])
        and treatments_named(text[lead.end() :])
    ):
        listed.append(lead[1])
    return listed


# A part telling what the worker failed, in words no vocabulary knows ("carpal tunnel release,
# positive EMG, failed splinting 3 months"): what the letters must mention, as after "after".
_FAILED_PART = re.compile(r"(?:failed|tried|completed|finished)\b")
_LEADING_PART = re.compile(r"([^,;:?.]+?)(?::\s|\s[-\u2013\u2014]\s)")


GUIDELINE_WORDS = frozenset(("guideline", "guidelines"))
# How a finding is said to be shown ("radiculopathy corroborated by imaging"): the finding
# narrows, not the verb.
_EVIDENCED = frozenset(
    "corroborated substantiated objectified evidenced verified confirmed documented".split()
)


# The dose a drug is taken at ("when the patient was on high doses"): the request's, no finding
# (a weaning asked "on high doses" narrowed to the letters mentioning doses, not the weaning).
_DOSE_WORDS = frozenset("dose doses dosage dosages dosing".split())


# How names of diseases end ("fasciitis", "stenosis", "neuropathy", "neuralgia").
_DIAGNOSIS_ENDING = re.compile(r"(?:itis|osis|opathy|algia)$")
# Injuries by name, a diagnosis too ("Norco for a fracture", "an MRI for impingement").
_INJURIES = frozenset(
    """fracture fractures impingement concussion contusion contusions sprain sprains herniation
    herniations dislocation dislocations instability spondylolisthesis laceration
    lacerations""".split()
)


_DASHED = re.compile(_DASH)


# A study's kind, no negation of a finding ("MRI w/o contrast, radicular sx to R hand": the
# radicular symptoms are present)
_NO_CONTRAST = re.compile(r"(?:\bwith or without|\bwithout|\bw/o|\bno)(?: iv)? contrast\b")


def _findings(text: str, found: list[str]) -> list[Facet]:
    """The clinical words of the condition asked: a finding the question says is absent ("when
    the exam notes never document a muscle spasm") is an "absent" facet, with the words that
    negate it; the others are "clinical" (the letter must mention them). A dash between the
    question's parts ends a negation as a full stop does ("no neuropathic pain documented -
    what has IMR done?")."""
    spans = negations(_DASHED.sub(". ", _NO_CONTRAST.sub(" ", text.lower())))
    facets = []
    for word in found:
        negated = next((p for p, s in spans if re.search(rf"\b{re.escape(word)}\b", s)), None)
        if negated and re.fullmatch(rf"not an? {re.escape(word)}", negated):
            continue  # a contrast, what is not asked ("a first prescription, not a refill")
        facets.append(Facet("absent", word, negated) if negated else Facet("clinical", word, word))
    return facets


# The side operated on, said before the operation in a clinician's shorthand ("s/p R TKA").
_SIDE_SAID = r"(?:(?:r|l|rt|lt|right|left|bilateral|bilat|b/l)\.? )?"
# The worker's post-operative state ("for the recovery period right after an operation",
# "post-op"), with or without another condition: letters mentioning it (the concept postop:
# "post-operative", "after surgery", ...); a clinical facet "postoperative".
_AFTER_SURGERY = re.compile(
    r"\b(?:after|following|recovering from|recovery from) (?:(?:an?|the|his|her|their) )?"
    rf"{_SIDE_SAID}(?:[\w-]+ ){{0,2}}(?:operation|surgery|procedure|fusion|arthroscopy|scope|"
    r"repair|replacement|reconstruction|release|laminectomy|discectomy|orif|acdf|meniscectomy)\b|"
    r"\bafter surgery\b|"
    # the operation said after it ("3 months post-op rotator cuff repair", "s/p ACDF", "post
    # rotator cuff repair"): had
    r"\b(?:post[- ]?op(?:erative)?|post|s/p|status post) (?:(?:an?|the|his|her|their) )?"
    rf"{_SIDE_SAID}(?:[\w-]+ ){{0,2}}(?:operation|surgery|procedure|fusion|arthroscopy|scope|"
    r"repair|replacement|release|reconstruction|laminectomy|discectomy|acdf|meniscectomy)\b|"
    r"\bpost[- ]?op(?:erative(?:ly)?)?\b|"
    r"\bpost[- ]?surgical(?:ly)?\b|\brecovery period\b|"  # "a brace post-operatively"
    # an operation had lately ("who had surgery last month", "just had a knee operation")
    r"\b(?:just|recently) (?:had|underwent) (?:an? |the |his |her |their )?(?:[\w-]+ ){0,2}"
    r"(?:surgery|operation)\b|\b(?:had|has had|underwent|has undergone) (?:an? |the |his |her |"
    r"their )?(?:[\w-]+ ){0,2}(?:surgery|operation|repair|replacement|release|arthroscopy|scope|"
    r"fusion|laminectomy|discectomy|meniscectomy) (?:recently|last (?:week|month)|this (?:week|"
    r"month)|(?:a few|two|three|four|five|six|several|[1-9]) (?:days|weeks|months) ago)\b",
    re.I,
)


# Who asked for the care ("requests made by a chiropractor for an MRI", "a PA's request",
# "requests from orthopedic surgeons"): the letters' requests hold no such fact, and the
# clinician names no treatment asked.
_REQUEST_NOUNS = r"(?:requests?|orders?|prescriptions?|referrals?|rfas?)"
_ASKING_VERBS = r"(?:requested|ordered|prescribed|written|submitted|recommended)"
# The words saying who asked for the care ("requests from", "ordered by", "made by").
ASKED_BY = re.compile(rf"\b{_REQUEST_NOUNS} (?:from|by)\b|\b(?:{_ASKING_VERBS}|made) by\b", re.I)
# ... and the clinician after them ("requested by the", "requests from"; decisions "made by" a
# physician are the reviewers')
_ASKED_BY = (
    rf"(?:{_ASKING_VERBS} by|{_REQUEST_NOUNS} (?:from|by)) (?:an? |the |his |her |their |my )?"
)
_REQUESTED_BY = re.compile(
    rf"\b(?P<by>(?:{_ASKED_BY}|made by (?:an? |the |his |her |their |my )?)(?:treating )?"
    r"(?:chiropractors?|chiro|pas?|physician'?s? assistants?|nurse practitioners?|nps?|"
    r"podiatrists?|acupuncturists?|physical therapists?)|"
    # ... or a physician named by specialty ("requests from orthopedic surgeons")
    rf"{_ASKED_BY}(?:(?:orthopa?edic |spine |hand )?surgeons?|orthopa?edists?|neurosurgeons?|"
    r"physiatrists?|pain (?:management )?(?:doctors?|physicians?|specialists?)|(?:primary|"
    r"treating) (?:care )?(?:physicians?|doctors?)|ptps?))\b|"
    r"\b(?P<whose>(?:an? |the |his |her |their |my )?(?:chiropractor|chiro|pa|physician "
    r"assistant|nurse practitioner|np|podiatrist|acupuncturist|physical therapist)['’]s) "
    r"(?=(?P<what>requests?|orders?|prescriptions?|referrals?)\b)",
    re.I,
)


def _requester(text: str) -> tuple[str, tuple[Facet, ...]]:
    """`text` without the clinician who asked for the care (`_REQUESTED_BY`; "requests made by
    a chiropractor for an MRI" asks about MRIs), and that said unread."""
    if (m := _REQUESTED_BY.search(text)) is None:
        return text, ()
    said = m["by"] or f"{m['whose'].strip()} {m['what']}"
    rest = f"{text[: m.start()]}{'the ' if m['whose'] else ''}{text[m.end() :]}"
    return " ".join(rest.split()), (Facet("unread", said, said),)


def _injected_drugs(text: str, facets: list[Facet]) -> list[Facet]:
    """`facets` less the drugs an injection the question names is given with ("trigger point
    injection with lidocaine", "a facet injection with lidocaine and steroid"): what the
    injection holds is no drug asked (no lidocaine cream is a trigger point injection), so it
    is said unread; a drug listed beside it ("Norco and a trigger point injection") is asked."""
    table = concepts()
    if not any(
        f.name == "treatment" and f.value in table and "injection" in table[f.value].classes
        for f in facets
    ) or drug_and_care_listed(Question(text, tuple(facets), ())):
        return facets
    drugs = list(dict.fromkeys(f.words for f in facets if f.name in ("ingredient", "product")))
    kept = [
        f for f in facets if not (f.name in ("ingredient", "product", "form") and f.words in drugs)
    ]
    return kept + [Facet("unread", words, words) for words in drugs]


def class_for_care(text: str, f: Facet, care: Sequence[Facet]) -> bool:
    """Whether drug class facet `f` says what a treatment of `care` is for, its word inside the
    treatment's words or right before them ("an opioid detox", "opioid detoxification"), not
    the drugs asked."""
    if f.name != "drug_class":
        return any(f.words.lower() in c.words.lower() for c in care)
    said, lowered = re.escape(f.words.lower()), text.lower()
    return any(
        re.search(rf"\b{said}\b", c.words.lower())
        or re.search(rf"\b{said} {re.escape(c.words.lower())}\b", lowered)
        for c in care
    )


# The clinician whose office the care is given at ("e-stim sessions at the chiropractor", "at
# his chiropractor's office"): where, not a treatment asked.
_AT_CLINICIAN = re.compile(
    r"\b(?:at|in) (?:the |a |an |his |her |their |my )?(?:chiropractor|chiro|acupuncturist|"
    r"physical therapist|therapist)(?:['’]s)?(?: office| clinic)?\b",
    re.I,
)


def _service_heading(facets: list[Facet]) -> list[Facet]:
    """`facets` without the operation read from "associated surgical service" when another
    treatment is named with it: the letters' heading for the care asked with an operation
    ("Associated surgical service: shoulder brace" asks about the brace; it counted every
    operation and service with it, labs and EKGs among them)."""
    heading = [
        f
        for f in facets
        if f.name == "treatment" and f.words.lower().startswith("associated surgical service")
    ]
    named = [f for f in facets if f.name in NAMING_FACETS and f not in heading]
    return [f for f in facets if f not in heading] if heading and named else facets


def _care_where_given(text: str, facets: list[Facet]) -> list[Facet]:
    """`facets` with a treatment named only as where another is given (`_AT_CLINICIAN`) said
    unread: "Electrical stimulation sessions at the chiropractor" asks about the e-stim (it
    counted every chiropractic decision with it)."""
    places = [m.span() for m in _AT_CLINICIAN.finditer(text)]
    lowered = text.lower()

    def inside(f: Facet) -> bool:
        at = lowered.find(f.words.lower())
        return at >= 0 and any(s <= at < e for s, e in places)

    care = [f for f in facets if f.name in TREATMENT_FACETS]
    there = [f for f in care if inside(f)]
    if not places or not there or len(there) == len(care):
        return facets
    return [f for f in facets if f not in there] + [
        Facet("unread", w, w) for w in dict.fromkeys(f.words for f in there)
    ]


def _care_beside_drug(text: str, facets: list[Facet]) -> list[Facet]:
    """`facets` with another treatment named beside a drug, not listed with it ("Is Norco
    approved with physical therapy?"), said unread: the drug's decisions are counted, and the
    answer says it does not narrow by the other (it read "decisions on Norco physical therapy")."""
    care = [f for f in facets if f.name == "treatment"]
    drugs = [  # (not a class word the treatment is for: "an opioid detox" is the program)
        f for f in facets if f.name in DRUGS and not class_for_care(text, f, care)
    ]
    if not drugs or not care or drug_and_care_listed(Question(text, tuple(facets), ())):
        return facets
    lowered = text.lower()
    last = max(lowered.find(w) + len(w) for w in (f.words.lower() for f in care))
    if re.match(  # the care named first, the drugs with it ("urine tox test with compounded
        # creams"; not "tested positive on a drug screen - will they cut off his Norco?")
        r"\s+(?:[\w-]+\s+){0,2}with\s+(?:an?\s+|the\s+|his\s+|her\s+)?$",
        lowered[last : min(lowered.find(f.words.lower()) for f in drugs)],
    ):
        care, drugs = drugs, care
        form = [f for f in facets if f.name == "form" and any(f.words in c.words for c in care)]
        care += form  # (and the drugs' form: "creams")
    unread = dict.fromkeys(f.words for f in care)  # (a drug's facets share its words: "Norco")
    unread = {w: None for w in unread if not any(w != o and w in o for o in unread)}
    return [f for f in facets if f not in care] + [Facet("unread", w, w) for w in unread]


def _without_situation_forms(facets: list[Facet]) -> list[Facet]:
    """`facets` without a form named only inside the worker's situation, when a treatment is
    asked outside it ("has failed PT, NSAIDs, and injections. Will IMR approve a lumbar MRI?":
    the injections were had, no form of the MRI)."""
    situation = [f.words for f in facets if f.name in ("condition", "history", "not_had")]

    def inside(f: Facet) -> bool:
        return any(_said_within(f.words, s) for s in situation)

    if not any(f.name in TREATMENT_FACETS and not inside(f) for f in facets):
        return facets
    return [f for f in facets if f.name != "form" or not inside(f)]


def _said_within(said: str, text: str) -> bool:
    """Whether the words `said` stand whole in `text` (not "pt" inside "post-op")."""
    return bool(re.search(rf"(?<![\w-]){re.escape(said.lower())}(?![\w-])", text.lower()))


def _operation_had(facets: list[Facet], words: str, unheard: bool = False) -> list[Facet]:
    """`facets` without the operation the post-operative `words` name and the structure it
    repaired, when another treatment is named outside them ("3 months post-op rotator cuff
    repair; is more PT approved?": the repair is the worker's, the therapy is asked), or
    `unheard`, asked in words no vocabulary knows ("hardware removal after wrist ORIF": the
    removal asked, which no decision may concern, not the ORIF)."""

    def inside(f: Facet) -> bool:
        return _said_within(f.words, words)

    named = [f for f in facets if f.name in TREATMENT_FACETS]
    had = [f for f in named if inside(f)]
    if not had or (len(had) == len(named) and not unheard):
        return facets
    return [f for f in facets if f not in had and not (f.name == "structure" and inside(f))]


def _last_listed(lowered: str, after: re.Match[str], facets: list[Facet]) -> bool:
    """Whether the post-operative words `after` follow right on the last of three or more
    treatments listed ("back braces, wrist braces, a shoulder brace or an arm sling after
    surgery"): the last one's, not the whole list's ("a sling, a cold unit or an ice machine
    approved after surgery" is the whole list's)."""
    head = lowered[: after.start()]
    if head.count(",") < 2:
        return False
    last = re.split(r",|\bor\b|\band\b", head)[-1].strip()
    words = [f.words.lower() for f in facets if f.name in TREATMENT_FACETS]
    return sum(w in head for w in words) >= 2 and any(last.endswith(w) for w in words)


EVERYDAY_ZIPF = 4.0  # "better", "taking", "repeat" (4.5); not "spasm" (2.8), "locking" (3.8)


def _everyday(word: str) -> bool:
    """Whether `word` is everyday English (wordfreq's Zipf frequency, EVERYDAY_ZIPF or more: a
    few times in every ten thousand words), which names no clinical finding: "is no better",
    "already taking a different one" narrow nothing, "twisting", "spasm", "headaches" do."""
    return zipf_frequency(word, "en") >= EVERYDAY_ZIPF


@cache
def _finding_pattern() -> re.Pattern[str]:
    """The forms of the findings the vocabulary knows (a diagnosis or sign: kind "finding")."""
    forms = sorted(
        (form for c in concepts().values() if c.kind == "finding" for form in c.forms),
        key=len,
        reverse=True,
    )
    return re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b")


# A diagnosis named after an operation, no operation asked.
_SURGERY_FINDING = re.compile(r"\bfailed back(?: surgery)?(?: syndrome)?\b|\bpost-?laminectomy\b")


def _procedures(text: str, lowered: str, found: list[Facet]) -> list[Facet]:
    """Treatment concepts that are not drugs already found, most specific first, dropping a
    concept that is only the class of another one named ("Synvisc injections": viscosupplement)."""
    table = concepts()
    named = list(dict.fromkeys([*treatments_named(text), *treatments_named(_singular(text))]))
    drug_words = {f.words.lower() for f in found}
    ingredients = [f.words.lower() for f in found if f.name == "ingredient"]
    joined = {w for w in ingredients if ingredients.count(w) > 1}  # a product named by its drugs
    spans = {  # where the question uses each concept's forms (a state's naming it: x-rays)
        cid: [(m.start(), m.end(), f) for f in forms_naming(cid) for m in _forms_in(f, lowered)]
        for cid in named
    }

    def within_another(cid: str) -> bool:  # "gel" in "gel shots": the injection's, no topical
        others = [span for o in named if o != cid for span in spans[o]]
        return bool(spans[cid]) and all(_inside(a, b, others) for a, b, _ in spans[cid])

    kept = []
    for cid in named:
        concept = table[cid]
        if within_another(cid):
            continue
        if any(cid in table[other].classes for other in named if other != cid) and (
            cid not in UMBRELLAS or _names_only_umbrella(cid, lowered)
        ):
            continue  # "Synvisc injections": the class of what is named, not another treatment
        if (
            cid in drug_classes()
            or any(cid in w or w in concept.forms for w in drug_words)
            or any(f" {form} " in f" {w} " for form in concept.forms for w in joined)
        ):  # a drug or a drug class, alone or in a product named by its drugs ("Protonix with
            continue  # ibuprofen"): the ingredient and class facets have it
        # the first form the question uses, the longest there ("ct scan" over "ct")
        found_at = [(a, -len(f), f) for a, _, f in spans[cid]]
        whole = UMBRELLAS.get(cid, ())
        members = [at for at in found_at if at[2] not in whole]
        if members and len(members) < len(found_at):  # a heading before its members ("DME:
            # walker and shower chair"): the members
            found_at = [
                at
                for at in found_at
                if at[2] not in whole or not _HEADING.match(lowered, at[0] + len(at[2]))
            ]
        own = [at for at in found_at if at[2] in whole]
        if own and any(m[0] - m[1] + 1 == o[0] for m in members for o in own):  # "knee
            # replacement surgery", "fusion surgery": the member names the kind of the whole
            # after it (an umbrella word right after a member form)
            found_at, own = members, []
        if own and all(o[2] in whole or own[0][2] not in o[2] for o in found_at):
            found_at = own  # "a wheelchair and bathroom equipment": equipment, not a wheelchair
            # (but "associated surgical services" is a member, "surgical" inside it)
        kinds = SUBTYPES.get(cid, {})
        kind_spans = [(at[0], at[0] + len(at[2])) for at in found_at if at[2] in kinds]
        # (not a whole named in the situation after a condition cue: "aquatic therapy because
        # the worker can do land-based PT" asks the aquatic therapy)
        cue = _CONTEXT_CUE.search(lowered, kind_spans[0][1]) if kind_spans else None
        if kind_spans and (
            whole := [  # (not the "MRI" inside "MRI arthrogram")
                at
                for at in found_at
                if at[2] not in kinds
                and not any(a <= at[0] and at[0] + len(at[2]) <= b for a, b in kind_spans)
                and (cue is None or at[0] < cue.start())
            ]
        ):
            kind, first = min(at for at in found_at if at[2] in kinds), min(whole)
            if _set_against(lowered, kind, first):  # "aquatic therapy approved more than land
                # PT", "interferential or TENS units": each asked, the whole counting all
                kept += [Facet("treatment", cid, at[2]) for at in sorted([kind, first])]
                continue
            # "transforaminal ESI", "infrared heat therapy": the kind, the whole named with it what
            # it is a kind of; "hand therapy / OT visits": all of them, not the hand therapy
            found_at = [kind] if first[0] <= kind[0] - kind[1] + 1 else whole
            head = _CONTEXT_CUE.search(lowered)
            if (
                head
                and first[0] < head.start() < kind[0]
                and not re.search(r"[,;:]", lowered[head.start() : kind[0]])
            ):  # "home health services such as a visiting nurse for wound care or a home aide":
                # the whole, asked before the situation the kind is named in (but "PT for the
                # knee, specifically aquatic therapy": the kind)
                found_at = whole
        named_kinds = _outermost([at for at in found_at if at[2] in kinds])
        if len({kinds[k] for k in named_kinds}) > 1:  # "an interferential unit or a TENS
            # unit": each kind asked
            kept += [Facet("treatment", cid, k) for k in named_kinds]
            continue
        if cid in UMBRELLAS and not own and len(listed := _outermost(found_at)) > 1:
            kept += [Facet("treatment", cid, form) for form in listed]  # "wheelchair and commode"
            continue
        said = min(found_at)[2].removesuffix(" of") if found_at else cid  # ("ultrasound of")
        kept.append(Facet("treatment", cid, said))
    if len(kept) > 1:  # "PT exercises at a gym": where the care asked is given, no membership
        kept = [
            f
            for f in kept
            if f.value != "gym_membership"
            or not re.search(rf"\b(?:at|in) (?:a|the|his|her) {re.escape(f.words)}\b", lowered)
        ]
    if len(kept) > 1 and (injection := next((f for f in kept if f.value == "injection"), None)):
        # "epidural neuroplasty w/ neurolytic agent inj": the injection the procedure gives, no
        # other treatment asked
        at = lowered.find(injection.words)
        if _GIVEN_WITH.search(lowered, 0, at + len(injection.words)):
            kept = [f for f in kept if f is not injection]
    if any(f.value == "assistant_surgeon" for f in kept):  # "a surgical assistant for a
        # shoulder arthroscopy": the assistant asked, the operation the one it assists
        kept = [f for f in kept if f.value != "surgery"]
    medicines = {f.value for f in found if f.name in ("ingredient", "drug_class")}
    if not medicines:
        return kept
    # a drug named with "injection" ("a lidocaine injection", "a Toradol shot"): its form; a
    # drug the dictionary lacks ("Suboxone") is an ingredient beside the class it is for
    return [
        Facet("form", "injectable", f.words)
        if f.value == "injection"
        else Facet("ingredient", f.value, f.words)
        if f.value in _DRUG_CONCEPTS and f.value not in _class_concepts()
        else f
        for f in kept
        if f.value not in _class_concepts()
    ]


# An injection a procedure named before it gives ("neuroplasty with an injection of ...").
_GIVEN_WITH = re.compile(r"\b(?:with|w/) (?:an? |the )?(?:[\w-]+ ){0,2}injections?$")


def _set_against(lowered: str, *found: tuple[int, int, str]) -> bool:
    """Whether two forms found at (start, -length, form) stand as alternatives: "or" between
    them with at most three words before it and two after ("aquatic therapy approved or land-based
    therapy", as a comparison reads once its "more than" is an "or")."""
    (a, n, _), (b, _, _) = sorted(found)
    return bool(re.fullmatch(r"\s*(?:[\w-]+\s+){0,3}?or\s+(?:[\w-]+\s+){0,2}", lowered[a - n : b]))


# What stands between two quantities set against each other ("#60 approved more than #120", "#60
# vs #120", "8 or 12 visits").
_QUANTITIES_COMPARED = re.compile(
    r"\s*(?:[\w-]+\s+){0,3}?(?:(?:more|less|better|worse)(?: \w+){0,4} than|vs\.?|versus|"
    r"compared (?:to|with)|or)\s+(?:(?:requests?|those|ones) (?:for|of) )?"
)


_DRUG_CONCEPTS = frozenset(
    """hydrocodone oxycodone tramadol morphine hydromorphone fentanyl methadone codeine
    buprenorphine opioid cyclobenzaprine carisoprodol tizanidine methocarbamol baclofen
    orphenadrine metaxalone muscle_relaxant omeprazole pantoprazole esomeprazole lansoprazole ppi
    famotidine ranitidine naproxen ibuprofen diclofenac celecoxib meloxicam nabumetone etodolac
    ketoprofen flurbiprofen nsaid lidocaine capsaicin topical gabapentin pregabalin anticonvulsant
    duloxetine amitriptyline nortriptyline trazodone antidepressant zolpidem sleep_aid
    benzodiazepine ondansetron antiemetic docusate""".split()
)


@cache
def _class_concepts() -> frozenset[str]:
    """The drug concepts that are another concept's class (opioid, topical, ...), not a drug."""
    table = concepts()
    return frozenset(c for c in _DRUG_CONCEPTS if any(c in x.classes for x in table.values()))


# The expert reviewer's specialty a question asks about ("orthopedic surgeon reviewers", "when
# the reviewer was a psychiatrist"): its words, and how the letters' specialty line writes it
# (rag.fields.SPECIALTY, one value per specialty listed). The more specific first.
REVIEWERS = {
    "orthopedic surgery": (
        r"ortho(?:pedic|paedic)?(?: surg(?:eons?|ery))?|orthopedists?", r"orthop"
    ),
    "neurological surgery": (
        r"neurosurg(?:eons?|ery)|neurological surg(?:eons?|ery)", r"neurolog\w* surg"
    ),
    "surgery": (r"(?:general )?surg(?:eons?|ery)", r"surg"),
    "chiropractic": (r"chiropractors?|chiropractic", r"chiropract"),
    "psychiatry": (r"psychiatr(?:ists?|y)|psycholog(?:ists?|y)", r"psychiatr|psycholog"),
    "pain management": (
        r"pain (?:management|medicine)(?: specialists?| doctors?| physicians?)?"
        r"|pain (?:specialists?|doctors?)",
        r"pain (?:management|medicine)",
    ),
    "physical medicine": (
        r"physiatrists?|physical medicine(?: (?:and|&) rehab(?:ilitation)?)?|pm&r|pmr",
        r"physical medicine",
    ),
    "family practice": (
        r"family (?:practice|medicine|practitioners?|doctors?|physicians?)|general practitioners?",
        r"family",
    ),
    "internal medicine": (r"internists?|internal medicine", r"internal medicine"),
    "occupational medicine": (
        r"occupational (?:medicine|doctors?|physicians?)|occ med", r"occupational medicine"
    ),
    "anesthesiology": (r"an(?:a)?esthesiolog(?:ists?|y)", r"anesthesiolog"),
    "neurology": (r"neurolog(?:ists?|y)", r"^neurology$"),
    "sports medicine": (r"sports medicine(?: doctors?| physicians?)?", r"sports medicine"),
    "emergency medicine": (
        r"emergency (?:medicine|physicians?|doctors?)|er doctors?", r"emergency"
    ),
}  # fmt: skip
_REVIEWER_CUE = (
    r"(?:(?:physician |expert |imr |peer )?reviewers?|reviewed by|decided by"
    r"|(?:decisions?|determinations?) (?:(?:were|was) )?(?:made |written |issued )?by"
    r"|(?:imr|maximus) (?:doctors?|physicians?))"
)
# the words between a specialty and its cue ("a psychiatrist ever been the reviewer")
_REVIEWER_BETWEEN = r"(?:(?:ever|been|the|a|an|was|were|is|are|who|as|being|acting|imr)\s+){0,4}"
# what only a reviewer does, said of doctors ("Were orthopedic surgeons more likely to overturn
# surgery denials?": a treating doctor asks, a reviewer upholds or overturns; "surgery
# overturned" is what was decided)
_DOCTORS = r"(?:(?<=ists)|(?<=ians)|(?<=eons)|(?<=tors)|(?<=ist)|(?<=ian)|(?<=eon)|(?<=tor))"
_REVIEWER_VERB = (
    rf"{_DOCTORS}\s+{_REVIEWER_BETWEEN}(?:(?:more|less) (?:likely to |often )?|usually |often "
    r"|tend to |always |ever )?(?:overturn|uphold|reverse)\w*"
    r"|\s+(?:ever\s+)?review(?:s|ed)?\s+(?:an?|the|any|this|that|these|those)\s+(?:case|letter|"
    r"decision|request|dispute|appeal)s?"  # "Did any psychiatrist review a case?"
)


def _reviewer_names() -> str:
    """Each specialty's words as a named group (its key, "_" for a space)."""
    return "|".join(f"(?P<{k.replace(' ', '_')}>{p})" for k, (p, _) in REVIEWERS.items())


@cache
def _reviewer_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A specialty named before the reviewer cue ("psychiatrist ever been the reviewer",
    "orthopedic surgeon reviewers") and after it ("reviewed by a chiropractor")."""
    named = _reviewer_names()
    before = re.compile(
        rf"\b(?:{named})(?:\s+{_REVIEWER_BETWEEN}{_REVIEWER_CUE}|{_REVIEWER_VERB})\b", re.I
    )
    after = re.compile(rf"\b{_REVIEWER_CUE}\s+{_REVIEWER_BETWEEN}(?:{named})\b", re.I)
    return before, after


# What comes before the doctor the worker is sent to ("a referral to a spine surgeon", "consult
# with an orthopedist"): no reviewer.
_SEEN = re.compile(
    r"\b(?:to|with|see|seeing)\s+(?:an?\s+|the\s+|his\s+|her\s+)?(?:[\w-]+\s+){0,2}$", re.I
)


def _reviewer(text: str) -> tuple[str, tuple[Facet, ...]]:
    """`text` without the reviewer's specialty it names, and that specialty as a facet: the
    reviewer's words are whose decision it was, no treatment or consult asked about. Another
    specialty set against it ("orthopedic surgeon reviewers ... more than internists") is a
    second one, each tallied apart (`rag.answer`)."""
    before, after = _reviewer_patterns()
    for pattern in (before, after):
        if (m := pattern.search(text)) and pattern is before and _SEEN.search(text[: m.start()]):
            continue  # the doctor a consultation is with ("referral to spine surgeon overturned")
        if m:
            key = next(k for k, v in m.groupdict().items() if v)
            start, end = m.span(key)
            value = key.replace("_", " ")
            kept = re.sub(r"\b(?:an?|the)\s+$", "", text[:start])
            kept = re.sub(r"\b(?:made|written|issued|decided)\s+by\s+$", "", kept) + text[end:]
            facets = [Facet("reviewer", value, m.group(key))]
            if other := _other_reviewer().search(kept):
                name = next(k for k, v in other.groupdict().items() if v)
                if (second := name.replace("_", " ")) != value:
                    facets.append(Facet("reviewer", second, other.group(name)))
                    kept = kept[: other.start(name)] + kept[other.end(name) :]
            return " ".join(kept.split()), tuple(facets)
    return text, ()


@cache
def _other_reviewer() -> re.Pattern[str]:
    """A second specialty set against the first ("than internists", "or neurologists")."""
    named = _reviewer_names()
    return re.compile(
        rf"\b(?:than|or|versus|vs\.?|compared? (?:to|with)|against|"
        rf"(?:from|than|to) (?:those|the ones|decisions|the decisions) (?:by|of|from))"
        rf"\s+(?:the\s+|an?\s+)?(?:{named})"
        rf"(?:\s+{_REVIEWER_CUE})?\b",
        re.I,
    )


# The reviewer citing other guidelines than the claims administrator ("relied on a different
# guideline than UR", "disagreed with the claims administrator's guideline"), or the same ones.
_UR = r"(?:the )?(?:ur|utilization review|claims administrator|carrier|insurer|adjuster)(?:'?s)?"
_SWITCHED = re.compile(
    rf"\b(?:(?:a |an )?(?:different|other|another) guidelines?(?: \w+){{0,3}} (?:than|from) "
    rf"{_UR}(?: guidelines?| one| ones)?|"
    rf"(?:disagreed?|disagreeing) with {_UR} (?:choice of )?guidelines?|"
    rf"guidelines? (?:\w+ ){{0,2}}(?:differ(?:ed|s)?|different|other) (?:from|than) {_UR}"
    rf"(?: guidelines?| ones?)?|{_UR} (?:used|cited|applied|relied on) (?:the |a )?wrong "
    rf"guidelines?)",
    re.I,
)
# ... or citing none at all ("decisions that cited no guideline", "without citing any medical
# evidence": the letters say "The Expert Reviewer did not cite any medical evidence for it").
_CITED_NONE = (
    r"(?:any |a |the )?(?:guidelines?|(?:medical )?evidence|sources?|citations?)(?! (?:than|from))"
)
_UNCITED = re.compile(
    r"\b(?:cit(?:ed?|ing)|referenc(?:ed?|ing)|rel(?:ied|y|ying) on|us(?:ed?|ing)) "
    r"(?:no|zero) (?:guidelines?|(?:medical )?evidence|sources?|citations?)\b|"
    r"(?:\bwithout|\bnot|\bnever|n't|\bno)\s+(?:cit(?:ed?|ing)|referenc(?:ed?|ing)|relying on) "
    rf"{_CITED_NONE}\b|\bno {_CITED_NONE} (?:was |were )?(?:cited|referenced)\b",
    re.I,
)
_SAME_GUIDELINE = re.compile(
    rf"\b(?:the )?same guidelines?(?: \w+){{0,3}} as {_UR}(?: guidelines?| one| ones)?", re.I
)
# Both named, then what they cited ("UR and IMR cite the same guideline", "the reviewer and the
# carrier used different guidelines").
_IMR = r"(?:imr|maximus|(?:expert |imr )?reviewers?)"
_BOTH_CITED = re.compile(
    rf"\b(?:{_UR} and (?:the )?{_IMR}|(?:the )?{_IMR} and {_UR})\s+(?:\w+\s+){{0,2}}?"
    r"(?P<how>the same|different|other) guidelines?\b",
    re.I,
)
# Each side's guideline named ("when UR cited ODG but the reviewer cited MTUS"): the same family
# or another.
_EACH_CITED = re.compile(
    rf"\b{_UR} (?:cited|used|relied on|applied|went by) (?:the )?(?P<ur>odg|mtus|acoem)\b"
    r"[^.?!;]{0,40}?\b(?:but|and|while|whereas|then)\b (?:the )?(?:imr |expert |independent )?"
    r"(?:reviewer|imr)(?:'s)? (?:cited|used|relied on|applied|went by) (?:the )?"
    r"(?P<imr>odg|mtus|acoem)\b",
    re.I,
)

# One guideline cited and not the other ("cited only ODG", "ODG rather than the MTUS", "when
# the MTUS is silent", "MTUS does not address it": the ODG alone). ACOEM is the MTUS's.
_ONE_GUIDELINE = (
    r"(?:the\s+)?(?P<{}>odg|mtus|acoem|official\s+disability\s+guidelines)(?:\s+guidelines?)?"
)
_SOLE_SOURCE = re.compile(
    r"\b(?:cit\w*|us(?:e|ed|es|ing)|rel(?:y|ied|ies|ying)\s+on|appl\w*|referenc\w*)\s+only\s+"
    rf"{_ONE_GUIDELINE.format('only')}\b|"
    rf"\b{_ONE_GUIDELINE.format('cited')},?\s+(?:but\s+not|and\s+not|not|rather\s+than|instead\s+of)"
    rf"\s+{_ONE_GUIDELINE.format('not')}\b|"
    rf"\b{_ONE_GUIDELINE.format('silent')}\s+(?:is|was|are|were|(?:does|did|do)\s*(?:not|n't))\s+"
    r"(?:silent|address|cover|discuss|mention)\w*(?:\s+(?:on\s+)?(?:it|this|that|them|(?:a|the|"
    r"this|that)\s+[\w-]+))?",
    re.I,
)
# The decisions asked as those whose reviewer cited a guideline, the other or not ("PT decisions
# where the reviewer cited ODG", "decisions citing the MTUS"); not a chapter, section or page of
# it (`_chapter`), nor ACOEM, which the letters name apart (`sources_named`).
_ONE_CITED = (
    r"(?:the\s+)?(?P<{}>odg|mtus|official\s+disability\s+guidelines)(?:\s+guidelines?)?\b"
    r"(?!\s+(?:[\w&,-]+\s+){{0,3}}?(?:chapters?|ch|sections?|sec|tables?|pages?|pp?)\b)"
)
_CITING_ONE = re.compile(
    r"\b(?:where|when|in which|that|whose)\s+(?:the\s+)?(?:imr\s+)?(?:reviewers?|imr|they)\s+"
    r"(?:cited|cites|cite|relied\s+on|relies\s+on|used|uses|applied|applies|quoted|quotes|"
    rf"referenced|references)\s+{_ONE_CITED.format('cited')}|"
    r"\b(?:decisions|cases|ones|reviews|denials|items)\s+(?:citing|that\s+cite[sd]?|which\s+"
    r"cite[sd]?|relying\s+on|(?:that\s+|which\s+)?(?:used|applied|relied\s+on|(?:were\s+)?"
    rf"based\s+on))\s+{_ONE_CITED.format('citing')}",
    re.I,
)
# A question setting decisions against each other ("citing ODG upheld more often?"): the
# guideline cited is tallied, not asked (`rag.answer`).
_SET_AGAINST = re.compile(
    r"\b(?:more|less) (?:often|likely)\b|\bthan\b|\bvs\.?|\bversus\b|\bcompared?\b", re.I
)
GUIDELINE_FAMILY = {"ACOEM": "MTUS", "MTUS": "MTUS", "ODG": "ODG"}  # (the MTUS adopts ACOEM's
# chapters)
OTHER_GUIDELINE = {"MTUS": "ODG", "ODG": "MTUS"}


def _sole_source(match: re.Match[str]) -> str:
    """The guideline a _SOLE_SOURCE match asks was cited alone ("MTUS" or "ODG")."""
    if match["silent"]:
        return OTHER_GUIDELINE[_family(match["silent"])]
    return _family(match["only"] or match["cited"])


def _family(name: str) -> str:
    """The guideline family a name says ("ACOEM": MTUS; "Official Disability Guidelines": ODG)."""
    return "ODG" if name.lower().startswith("official") else GUIDELINE_FAMILY[name.upper()]


# A decision made outside the MTUS, as the letters say it ("based their decision on
# recommendation(s) outside of the MTUS", "departed from the MTUS"): the other guideline alone.
_OUTSIDE_MTUS = re.compile(
    r"\b(?:bas(?:e[sd]?|ing)\s+(?:\w+\s+){0,4}?on\s+)?(?:recommendations?\s+)?"
    r"(?:outside\s+(?:of\s+)?|depart(?:ed|s|ing)?\s+from\s+|beyond\s+)(?:the\s+)?mtus"
    r"(?:\s+guidelines?)?\b",
    re.I,
)
# The claims administrator (UR) said before what it did ("the claims administrator did not cite").
_UR_SAID = re.compile(
    r"\b(?:claims? administrators?|ur|utilization review|the carrier|the insurer|the adjuster)"
    r"(?:['’]s)?\s+(?:\w+\s+){0,2}$",
    re.I,
)


def _switched(text: str) -> tuple[str, tuple[Facet, ...]]:
    """`text` without the words asking whether the reviewer cited other guidelines than the
    claims administrator, and a "switched" facet ("yes": other ones; "no": the same; "none": no
    guideline at all; "only:ODG": that guideline and not the other; "cited:ODG": that guideline,
    the other or not)."""
    if m := _OUTSIDE_MTUS.search(text):  # "recommendations outside of the MTUS": the other
        kept = f"{text[: m.start()]} {text[m.end() :]}"
        return " ".join(kept.split()), (Facet("switched", "only:ODG", m.group(0)),)
    if m := _SOLE_SOURCE.search(text):  # "cited only ODG"
        kept = f"{text[: m.start()]} {text[m.end() :]}"
        return " ".join(kept.split()), (Facet("switched", f"only:{_sole_source(m)}", m.group(0)),)
    if (
        (m := _CITING_ONE.search(text))
        and not _SET_AGAINST.search(text)
        and not asks_ur_cited(text)  # (what UR cited is asked: "when IMR cites MTUS" is tallied)
        and not _chapter(text)[1]  # (a chapter of it: "citing MTUS Elbow Complaints")
    ):  # "where the reviewer cited ODG"
        family = _family(m["cited"] or m["citing"])  # (kept, the guideline's sections are asked
        # too; not where the decisions are to be listed: "show all decisions where the reviewer
        # cited ODG")
        cited = "" if asks_listed(text) else f"citing {family}"
        kept = f"{text[: m.start()]} {cited} {text[m.end() :]}"
        return " ".join(kept.split()), (Facet("switched", f"cited:{family}", m.group(0)),)
    if m := _EACH_CITED.search(text):  # "UR cited ODG but the reviewer cited MTUS"
        same = _family(m["ur"]) == _family(m["imr"])
        kept = f"{text[: m.start()]} {text[m.end() :]}"
        return " ".join(kept.split()), (Facet("switched", "no" if same else "yes", m.group(0)),)
    patterns = (
        (_BOTH_CITED, "both"),
        (_UNCITED, "none"),
        (_SWITCHED, "yes"),
        (_SAME_GUIDELINE, "no"),
    )
    for pattern, value in patterns:
        if m := pattern.search(text):
            if value == "both":  # "UR and IMR cite the same guideline": the same ones
                value = "no" if m["how"].lower() == "the same" else "yes"
            if value == "none" and _UR_SAID.search(text[: m.start()]):  # "the claims
                # administrator did not cite any medical evidence": UR's citation, not IMR's
                value = "ur_none"
            kept = f"{text[: m.start()]} {text[m.end() :]}"
            return " ".join(kept.split()), (Facet("switched", value, m.group(0)),)
    return text, ()


def _mechanism(text: str) -> tuple[str, tuple[Facet, ...]]:
    """`text` without the words asking how the worker was injured, and a "mechanism" facet
    ("injured in a fall": fall; "lifting injuries": lifting; rag.injury)."""
    if asked := mechanism_asked(text):
        kept, name, words = asked
        return kept, (Facet("mechanism", name, words),)
    return text, ()


def _chapter_names() -> str:
    """Each chapter's words as a named group, "c<n>" for the n-th of `CHAPTERS`."""
    return "|".join(f"(?P<c{n}>{asked})" for n, (_, asked) in enumerate(CHAPTERS.values()))


@cache
def _chapter_pattern() -> re.Pattern[str]:
    """A guideline chapter asked ("the ODG Knee chapter", "MTUS Low Back Complaints", "the Pain
    chapter of ODG", "ODG Shoulder guidelines"), the guideline before or after it if named."""
    named = _chapter_names()
    return re.compile(
        rf"\b(?:(?P<source>odg|mtus|acoem)(?:'s)?\s+)?(?:the\s+)?(?:{named})\s+"
        r"(?:medical\s+)?(?:treatment\s+)?(?P<kind>chapters?|sections?|complaints|guidelines?)\b"
        r"(?:\s+(?:of|in)\s+(?:the\s+)?(?P<after>odg|mtus|acoem)\b)?",
        re.I,
    )


@cache
def _chapter_on_pattern() -> re.Pattern[str]:
    """A guideline chapter asked by what it is on ("the ACOEM chapter on the neck", "ODG's
    section for the knee"): the guideline named before it."""
    named = _chapter_names()
    return re.compile(
        r"\b(?P<source>odg|mtus|acoem)(?:'s)?\s+(?P<kind>chapters?|sections?)\s+"  # (not its
        # "guidelines for knee surgery": a treatment's)
        rf"(?:on|for|about|covering)\s+(?:the\s+)?(?:{named})(?:\s+complaints)?\b(?P<after>)",
        re.I,
    )


# The chapters whose name is a title of its own, named without its guideline: "the Postsurgical
# Treatment guidelines" (not "Pain guidelines"); or cited without saying it is a chapter:
# "citing General Approaches", "MTUS Postsurgical Treatment" (not "postsurgical treatment"
# alone, a request's; nor "General Approaches - when is a referral supported", what it says).
_TITLED = frozenset(("Postsurgical", "General Approaches", "Fitness for Duty", "Preface"))
_TITLE_ALONE = re.compile(
    r"(?:\b(?:cit(?:e|es|ed|ing)|based on|relied on|relying on|under)\s+(?:the\s+)?"
    r"(?:(?:mtus|acoem|odg)(?:'s)?\s+)?general approach(?:es)?|"
    r"\b(?:mtus|odg|acoem)(?:'s)?\s+post-?surgical treatment)\b"
    r"(?!\s+(?:chapters?|sections?|complaints|guidelines?)\b)",
    re.I,
)

# ACOEM's chapters (2nd edition) by number, as the MTUS adopted them ("MTUS ACOEM Chapter 12,
# page 303": Low Back Complaints).
_ACOEM_CHAPTERS = {
    "8": "Neck and Upper Back", "9": "Shoulder", "10": "Elbow", "11": "Forearm, Wrist and Hand",
    "12": "Low Back", "13": "Knee and Leg", "14": "Ankle and Foot",
    "15": "Mental Illness and Stress",
}  # fmt: skip
_ACOEM_NUMBER = re.compile(
    r"\bacoem(?:'s)?,?\s+(?:chapter|ch\.?)\s*(?P<number>\d{1,2})\b"
    r"(?:,?\s+table\s+\d{1,2}-\d{1,2}\b)?|"  # and its table ("Chapter 9, Table 9-6")
    r"\b(?:chapter|ch\.?)\s*(?P<before>\d{1,2})\s+(?:of|in)\s+(?:the\s+)?acoem\b",
    re.I,
)


def _chapter(text: str) -> tuple[str, tuple[Facet, ...]]:
    """`text` without the guideline chapter it asks about (the guideline's name kept: "cite the
    ODG"), and that chapter as a facet, "ODG:Knee and Leg" ("*:" when no guideline is named):
    a chapter's words name what the reviewer cited, no body region or treatment. "Pain
    guidelines" with no guideline named are no chapter."""
    text = _TITLE_ALONE.sub(r"\g<0> chapter", text)  # ("citing General Approaches")
    found = [*_chapter_pattern().finditer(text), *_chapter_on_pattern().finditer(text)]
    found.sort(key=lambda m: not (m["source"] or m["after"]))  # the guideline's, where named
    for m in found:
        source = (m["source"] or m["after"] or "").upper()
        if not source and re.search(r"medical\s+treatment\s+guidelines?$", m[0], re.I):
            source = "MTUS"  # its own title ("the Chronic Pain Medical Treatment Guidelines")
        if not source and m["kind"].lower() == "complaints":  # ACOEM's titles, as the MTUS
            source = "MTUS"  # adopts them ("Knee Complaints"; ODG's chapter is "Knee & Leg")
        name = next(name for n, name in enumerate(CHAPTERS) if m.group(f"c{n}") is not None)
        if m["kind"].lower().startswith("guideline") and not source and name not in _TITLED:
            continue
        kept = f"{text[: m.start()]}{source}{text[m.end() :]}"
        cited = "MTUS" if source == "ACOEM" else source or "*"  # the MTUS adopts ACOEM's
        return " ".join(kept.split()), (Facet("chapter", f"{cited}:{name}", m[0]),)
    if (m := _ACOEM_NUMBER.search(text)) and (
        name := _ACOEM_CHAPTERS.get(m["number"] or m["before"])
    ):  # "ACOEM Chapter 12" (no chapter named by its words): its number, the guideline's name
        # kept
        kept = f"{text[: m.start()]}ACOEM{text[m.end() :]}"
        return " ".join(kept.split()), (Facet("chapter", f"MTUS:{name}", m[0]),)
    return text, ()


# A guideline page asked ("ACOEM page 303", "pages 74-80 of the MTUS", "p. 47").
_PAGE_ASKED = re.compile(
    r"\b(?:pages?|pp?\.)\s*(?P<low>\d{1,4})(?:\s*(?:-|\u2013|to|through)\s*(?P<high>\d{1,4}))?\b",
    re.I,
)


def _page(text: str) -> tuple[str, tuple[Facet, ...]]:
    """`text` without the guideline page or pages it asks the reviewer cited, and those as a
    "page" facet ("low-high", inclusive)."""
    if (m := _PAGE_ASKED.search(text)) is None:
        return text, ()
    low = int(m["low"])
    high = int(m["high"]) if m["high"] and int(m["high"]) >= low else low
    kept = f"{text[: m.start()]} {text[m.end() :]}"
    return " ".join(kept.split()), (Facet("page", f"{low}-{high}", m[0]),)


# The letter as a whole: how its decisions went together ("letters where every item was
# overturned", "split decisions", "some items upheld and others overturned") and how many it
# decided ("letters with more than three disputed items"). A mix needs a word for the letter,
# so "was every PT request overturned?" stays about PT.
_OF_LETTER = re.compile(r"\b(?:letters?|determinations?|cases?|appeals?|imrs?)\b", re.I)
_ITEMS = r"(?:items?|decisions?|requests?|treatments?|services?|issues?|things?)"
_VERDICT = r"(?:overturned|upheld|approved|denied|reversed|granted|certified|non-?certified)"
_IN_LETTER = (
    r"(?: in (?:the|a|that|one|its|each|a single|the same) (?:letter|determination|case|appeal))"
)
# every decision one way (with a word for the letter: "was every PT request overturned?" stays
# about PT), or some of each
_LETTER_ALL = re.compile(
    rf"\b(?:every|all|each)(?: one| single)?(?: of)?(?: the| its| their)? (?:disputed |other )?"
    rf"{_ITEMS}{_IN_LETTER}? (?:was |were |got "
    rf"|being )?(?P<v>{_VERDICT})\b|"
    rf"\b(?:entirely|fully|completely|wholly|totally) (?P<v2>{_VERDICT})\b|"
    rf"\b(?:everything|all of it) (?:was |were |got )?(?P<v3>{_VERDICT})\b|"
    r"\b(?P<v4>overturn|uphold|approve|deny|reverse)\w* (?:everything|all (?:the |of the )?"
    rf"{_ITEMS}|every {_ITEMS})\b|"
    rf"\b(?P<v5>{_VERDICT}) (?:in full|in (?:its|their) entirety|across the board)\b",
    re.I,
)
_LETTER_SPLIT = re.compile(
    rf"\bsome (?:of the )?(?:{_ITEMS} )?(?:were |was |got )?{_VERDICT}\b[^.?!;]{{0,40}}?"
    rf"\b(?:others?|the rest|some)\b(?: (?:were |was |got )?{_VERDICT})?{_IN_LETTER}?|"
    rf"\bboth {_VERDICT} and {_VERDICT}(?: {_ITEMS})?\b|"
    r"\b(?:split|mixed) (?:decisions?|letters?|determinations?|outcomes?|results?|verdicts?)\b|"
    r"\b(?:letters?|determinations?|decisions?|cases?|outcomes?) (?:(?:that )?(?:are |were |was "
    r"|is |get |got )?)(?:split|mixed)\b",
    re.I,
)
_LETTER_ITEMS = re.compile(
    r"\b(?:letters?|determinations?|cases?|appeals?|decisions?) (?:(?:that )?(?:with|had|have|has|"
    r"having|listing|listed|deciding|decided|disputing|disputed|included|including|of))"
    r"(?: (?P<side>more than|over|at least|fewer than|less than|under|only|just|exactly))? "
    r"(?P<n>\d+|"
    + "|".join(NUMBER_WORDS)
    + rf"|a single)(?P<more> or more)? (?:disputed |separate |different )?{_ITEMS}\b",
    re.I,
)
# ... or the most of any ("Which letter had the most items?").
_MOST_ITEMS = re.compile(
    r"\b(?:letters?|determinations?|cases?|appeals?) (?:that )?(?:with|had|have|has|listed|"
    r"decided|disputed|included|made) the (?:most|largest number of|greatest number of|highest "
    rf"number of) (?:disputed |separate |different )?{_ITEMS}\b",
    re.I,
)
_VERDICT_UPHELD = ("upheld", "denied", "non-certified", "noncertified", "uphold", "deny")


def _letter(text: str) -> tuple[str, tuple[Facet, ...]]:
    """`text` without what it asks of the letter as a whole, and that as facets: "letter"
    ("upheld", "overturned": every decision so; "split": some of each) and "items" ("low-high",
    how many decisions the letter made). The verdict's word stays: the outcome asked."""
    facets = []
    if (m := _LETTER_ITEMS.search(text)) is not None:
        n = 1 if m["n"].lower() == "a single" else _count_word(m["n"].lower())
        side = (m["side"] or "").lower()
        low, high = (
            (n + 1, 99) if side in ("more than", "over")
            else (n, 99) if side == "at least" or m["more"]
            else (1, n - 1) if side in ("fewer than", "less than", "under")
            else (n, n)
        )  # fmt: skip
        facets.append(Facet("items", f"{low}-{high}", m[0]))
        text = f"{text[: m.start()]} letters {text[m.end() :]}"
    elif (m := _MOST_ITEMS.search(text)) is not None:  # "Which letter had the most items?"
        facets.append(Facet("items", "most", m[0]))
        text = f"{text[: m.start()]} letters {text[m.end() :]}"
    if (m := _LETTER_SPLIT.search(text)) is not None:
        facets.append(Facet("letter", "split", m[0]))
        text = f"{text[: m.start()]} {text[m.end() :]}"
    elif _OF_LETTER.search(text) and (m := _LETTER_ALL.search(text)) is not None:
        verdict = next(v for v in (m["v"], m["v2"], m["v3"], m["v4"], m["v5"]) if v)
        value = "upheld" if verdict.lower() in _VERDICT_UPHELD else "overturned"
        facets.append(Facet("letter", value, m[0]))
        text = f"{text[: m.start()]} {verdict} {text[m.end() :]}"
    return " ".join(text.split()), tuple(facets)


def _count_word(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS.index(word) + 1


# Specialists a consultation is with (and the pre-operative clearance, a consultation of its own):
# the question's words, and how item names start them.
SPECIALTIES = {
    "surgeon": (
        r"(?:neuro)?surgeons?|neurosurg\w*|"
        r"surg(?:ery|ical)(?= (?:consult|evaluation|eval|referral))|"
        r"(?:hip |knee |shoulder |joint )?replacement(?= (?:specialists?|surgeons?|consult|"
        r"evaluation|eval|referral))",
        ("surgeon", "neurosurg", "surgery", "replacement"),  # a hip replacement specialist
    ),
    "orthopedics": (r"ortho(?:pedic|paedic|pedist|pedists|pedics)?", ("ortho",)),
    "neurology": (r"neurolog\w*", ("neurolog",)),
    "pain management": (
        r"pain (?:management|specialists?|medicine|doctors?|physicians?|clinics?)",
        ("pain",),
    ),
    "internal medicine": (r"internists?|internal medicine", ("internal", "internist")),
    "cardiology": (r"cardiolog\w*|heart (?:doctors?|specialists?)", ("cardiol",)),
    "gastroenterology": (r"gastroenterolog\w*|gi (?:doctors?|specialists?)", ("gastroent",)),
    "ophthalmology": (
        r"ophthalmolog\w*|optometr\w*|eye (?:doctors?|specialists?)",
        ("ophthalm", "optomet"),
    ),
    "dermatology": (r"dermatolog\w*|skin (?:doctors?|specialists?)", ("dermatol",)),
    "urology": (r"urolog\w*", ("urolog",)),
    "dentistry": (r"dentists?|dental|oral surgeons?", ("dentist", "dental")),
    "medication management": (  # "a consult to manage his medicines"
        r"medications? (?:management|review|check)|meds? (?:management|review|check)|"
        r"manag(?:e|es|ing) (?:(?:his|her|their|the|my|your) )?(?:medications|medicines|meds)",
        ("medication",),
    ),
    "psychiatry": (r"psych(?:iatr\w*|olog\w*)?", ("psych",)),  # psychologists, "a psych consult"
    "podiatry": (r"podiatr\w*", ("podiatr",)),
    "rheumatology": (r"rheumatolog\w*", ("rheumat",)),
    "medical clearance": (_CLEARANCE, ("clearance",)),
}

# What an operation repairs or releases, where the body region does not tell operations apart:
# the question's words, how item names write them (the stems of words of 4+ letters, as
# `item_words` stores them: "RCR" and "ACL" are too short, so the ACL is not one), and the body
# region it lies in.
STRUCTURES = {
    "rotator cuff": (
        r"rotator cuffs?|rcr|rtc|rct|supraspinatus|infraspinatus",
        ("rotator", "supraspinat"),
        "shoulder",
    ),
    # a Bankart repair (the front of the labrum, after a dislocation) is no SLAP repair (its top):
    # each named is its own; "labral" alone is either
    "bankart": (r"bankart", ("bankart",), "shoulder"),
    "slap": (r"slap|superior labr\w* anterior[- ]posterior", ("slap", "superior"), "shoulder"),
    "labrum": (r"labr(?:al|um)", ("labr", "slap", "bankart"), "shoulder"),
    "meniscus": (r"menisc\w*|menisectomy", ("menisc", "menisect"), "knee"),
    "carpal tunnel": (r"carpal tunnel", ("carpal",), "wrist_hand"),
    "cubital tunnel": (
        r"cubital tunnel|ulnar nerve (?:release|transposition)",
        ("cubital", "ulnar"),
        "elbow",
    ),
    "clavicle": (
        r"(?:distal )?clavic\w*|collar ?bone|mumford",
        ("clavic", "mumford"),
        "shoulder",
    ),
    "trigger finger": (r"trigger (?:finger|thumb)s?", ("trigger",), "wrist_hand"),
    "de quervain": (r"de ?quervain(?:['’]?s)?", ("quervain", "dequervain"), "wrist_hand"),
    "disc": (
        r"(?:micro)?discectom(?:y|ies)|herniated discs?|disc herniations?|bulging discs?",
        ("discect", "microdiscect"),
        "lumbar",
    ),
}

# Concepts that gather distinct devices or operations under one name ("brace", "wheelchair" and
# "walker" are all DME), with the words that name the umbrella itself: a question naming one
# member asks about that member (rag.matching), and a member named beside another treatment of
# the umbrella ("a sling and a cold therapy unit") is a treatment of its own.
UMBRELLAS = {
    "dme": (
        "dme",
        "durable medical equipment",
        "medical equipment",
        "home equipment",
    ),
    "surgery": ("surgery", "surgical"),
    "psychological": (  # testing, talk therapy and biofeedback its members
        "psychological treatment",
        "psychological care",
        "psychological services",
        "mental health services",
        "mental health care",
        "mental health treatment",
        "psychiatric treatment",
        "psychiatric care",
        "psych treatment",
    ),
}


# The labrum listed beside a repair of one part of it ("labral or Bankart repair"): any labrum.
_LABRA_LISTED = re.compile(
    r"\blabr(?:al|um)\W+(?:or|and|/|,)\W*(?:bankart|slap)|(?:bankart|slap)\W+(?:or|and|/|,)\W*labr"
)


# Kinds of a treatment that forms of its concept name ("aquatic therapy" is physical therapy of
# one kind), with the word an item's name holds when it is that kind.
SUBTYPES = {
    "physical_therapy": {
        "aquatic therapy": "aquatic", "aqua therapy": "aqua", "hand therapy": "hand",
        "pool therapy": "pool", "water therapy": "water",
        "occupational therapy": "occupational",
        # the therapist's own evaluation, decided apart from the visits
        "physical therapy evaluation": "evaluation", "physical therapy evaluations": "evaluation",
        "pt evaluation": "evaluation", "pt evaluations": "evaluation", "pt eval": "evaluation",
        "pt evals": "evaluation",
    },
    "chiropractic": {
        "chiropractic evaluation": "evaluation", "chiropractic evaluations": "evaluation",
        "chiro evaluation": "evaluation", "chiro eval": "evaluation",
        # the chiropractor's re-examination, decided apart from the adjustments
        "chiropractic re-exam": "re-exam", "chiropractic re-exams": "re-exam",
        "chiro re-exam": "re-exam", "chiro re-exams": "re-exam", "chiropractor re-exam": "re-exam",
        "chiropractic reexam": "re-exam", "chiro reexam": "re-exam",
    },
    "tens": {  # a stimulator of its own kind; the worker's own unit, not sessions in a clinic
        "interferential": "interferential", "tens unit": "unit", "tens units": "unit",
        "stim unit": "unit", "stimulator unit": "unit",
    },
    # needles carrying a current, heat by infrared light, a branded cold compression unit, the
    # epidural through the foramen, the block of a facet's nerve and talk therapy of one school:
    # each decided as itself ("Electro acupuncture: 1", not every acupuncture request's)
    "acupuncture": {
        "electro acupuncture": "electro", "electro-acupuncture": "electro",
        "electroacupuncture": "electro",
    },
    "heat_therapy": {
        "infrared heat": "infrared", "infrared therapy": "infrared", "infrared lamp": "infrared",
        "infrared treatment": "infrared", "infrared treatments": "infrared",
        "infrared light": "infrared",
    },
    "cold_therapy": {"vascutherm": "vascutherm"},
    "home_health": {  # an aide's help with the day, a nurse's wound care: each decided as itself
        "home health aide": "aide", "home health aides": "aide", "home aide": "aide",
        "home aides": "aide", "wound care nurse": "wound",
    },
    "esi": {"transforaminal": "transforaminal", "tfesi": "transforaminal", "tfe": "transforaminal"},
    "facet": {
        "medial branch block": "medial", "medial branch blocks": "medial", "mbb": "medial",
    },
    "psychological": {
        "cbt": "cognitive", "cognitive behavioral therapy": "cognitive",
        "cognitive behavioural therapy": "cognitive",
    },
    "mri": {  # dye in the joint: no plain MRI answers for it
        "mr arthrogram": "arthrogram", "mr arthrograms": "arthrogram",
        "mri arthrogram": "arthrogram", "mri arthrograms": "arthrogram",
        "mr arthrography": "arthrogram", "mri arthrography": "arthrogram",
    },
}  # fmt: skip


# What stands between two things a question lists ("acupuncture or chiropractic care", "a
# sling, cold unit, post-op meds, therapy or home nursing", "MRI vs CT"): a separator, with at
# most two words on either side of it (the first one's head noun, "care"; other things listed;
# the next one's article or modifier).
# Two treatments set against each other ("Norco vs Percocet", "acupuncture compared to PT"):
# alternatives, each counted apart.
_PERCENT_SIGN = re.compile(r"(?<![\d.%])(?<!\d )%")  # a share asked, not a strength ("5 %")
# The whole of what was decided ("overturned in total", "the total number of requests"), no
# total joint replacement.
_IN_TOTAL = re.compile(r"\b(?:in total|all told|altogether)\b|\btotal(?= (?:number|count)\b)", re.I)
_VERSUS = re.compile(r"\s+(?:vs\.?|versus|compared (?:to|with)|as opposed to)\s+", re.I)
# ... or ranked against each other ("x-rays approved more than MRIs"), a treatment after "than"
# (not "more than 12 visits", "anything more than before").
_THAN = re.compile(
    r"\s+(?:more|less|better|worse)(?: (?:often|likely|frequently))?(?: to (?:be|get) \w+)? than\s+"
    rf"(?!\d|(?:{'|'.join(NUMBER_WORDS)}|a few|several)\b)"
    r"(?=([\w-]+(?: [\w-]+){0,2}))",
    re.I,
)
# The words of a verdict said of each treatment listed ("her MRI was denied and so was her PT").
_EACH_DECIDED = frozenset(
    """was were is are got been denied approved upheld overturned certified non-certified
    noncertified so too also then his her their the my client's they he she we ur""".split()
)
_LIST_SEPARATOR = re.compile(
    r"\s*(?:,|;|[.!?](?=\s)|&|\band/or\b|\band\b|\bor\b|\bvs\b\.?|\bversus\b|\bplus\b|"
    # two set against each other ("EMGs approved more than NCVs")
    r"\b(?:[\w-]+ ){0,2}(?:more|less|better|worse)(?: often| likely| frequently)? than\b)\s*"
)


def treatments_listed(q: Question, names: tuple[str, ...] = ("treatment", "category")) -> bool:
    """Whether the treatments `q` names stand in its text as a list, each a thing asked of its
    own ("acupuncture or chiropractic care", "MRIs and x-rays"), not the parts of one request
    ("abduction pillow sling", "arthroscopy w/ subacromial decompression") or one asked beside
    another ("a knee replacement with a cold therapy unit"). `names`: the facets naming them (a
    category listed with them: "imaging or medications"; a drug: "Norco and an MRI")."""
    lowered, singular = q.text.lower(), _singular(q.text)
    found = {_span(lowered, singular, f.words.lower()) for f in q.facets if f.name in names}
    spans = sorted(s for s in found if s is not None)
    if len(spans) < 2:
        return False
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        if start <= end:
            return False
        pieces = _LIST_SEPARATOR.split(lowered[end:start])
        if len(pieces) < 2 or any(
            len(p.split()) > 2 and not set(p.split()) <= _EACH_DECIDED for p in pieces
        ):  # ("the MRI was denied and so was her PT": each with its own verdict)
            return False
    return True


def forms_paired(q: Question) -> tuple[tuple[str, str, str], ...]:
    """Where `q` names drugs each with a form of its own ("topical lidocaine vs oral
    gabapentin", "lidocaine patch or gabapentin capsules"), each (drug, form, the two as
    written) triple; else none. Every form named must stand beside a drug of its own (at most
    a space between them)."""
    lowered = q.text.lower()

    def span(words: str) -> tuple[int, int] | None:
        at = lowered.find(words.lower())
        return None if at < 0 else (at, at + len(words))

    drugs = {f.value: s for f in q.facets if f.name == "ingredient" if (s := span(f.words))}
    forms = [(f.value, span(f.words)) for f in q.facets if f.name == "form"]
    if len(drugs) < 2 or len({v for v, _ in forms}) < 2:
        return ()
    pairs = []
    for form, (start, end) in ((v, s) for v, s in forms if s):
        beside = [
            (drug, s)
            for drug, s in drugs.items()
            if s[0] <= start and end <= s[1] or 0 <= start - s[1] <= 1 or 0 <= s[0] - end <= 1
        ]
        if len(beside) != 1:
            return ()
        (drug, (at, to)), *_ = beside
        pairs.append((drug, form, q.text[min(start, at) : max(end, to)]))
    return tuple(pairs) if len({d for d, *_ in pairs}) == len(pairs) == len(forms) else ()


def drug_and_care_listed(q: Question) -> bool:
    """Whether `q` lists a drug and another treatment, each asked of its own ("Norco and an
    MRI", "were PT and Norco approved?"), not a drug given by one ("a trigger point injection
    with lidocaine")."""
    return bool(
        q.values("treatment")
        and any(q.values(n) for n in DRUGS)
        and treatments_listed(q, (*DRUGS, "treatment"))
    )


def _span(lowered: str, singular: str, words: str) -> tuple[int, int] | None:
    """Where `words` stand in `lowered`, the question in lower case (found in its singular
    spelling `singular`, whose words are those of `lowered`, when only that holds them)."""
    if (at := lowered.find(words)) >= 0:
        return at, at + len(words)
    if (at := singular.find(words)) < 0:
        return None
    # the same words, counted: the span in `lowered` of those words of `singular`
    first, count = len(singular[:at].split()), len(words.split())
    found = list(re.finditer(r"\S+", lowered))[first : first + count]
    return (found[0].start(), found[-1].end()) if found else None


# A member's lay word and the word item names call it by ("a knee scope": an arthroscopy).
_MEMBER_NAMES = {"scope": "arthroscopy", "scoped": "arthroscopy"}


# Kinds counted apart but ranked as their whole: a TENS unit's precedents are its units, and the
# clinic's stimulation sessions rank next to them, as a home aide's the home nurses' (kept apart
# in ranking, the tuning half lost: q39 1.0 -> 0.956, r22 0.956 -> 0.928, z16 1.0 -> 0.639).
_RANKED_AS_WHOLE = frozenset({"unit", "aide", "wound"})


def ranked_whole(question: Question) -> Question:
    """`question` with the kinds `_RANKED_AS_WHOLE` asked as their whole treatment."""
    facets = tuple(
        replace(f, words=f.value) if member_word(f) in _RANKED_AS_WHOLE else f
        for f in question.facets
    )
    return replace(question, facets=facets) if facets != question.facets else question


def member_word(f: Facet) -> str | None:
    """The word an item's name must hold to be what treatment facet `f` names, when it names a
    part of its concept: a member of an umbrella ("wheelchair" among DME: the member's last
    word) or a kind of a treatment ("aquatic" therapy). None when it names the whole."""
    if f.name != "treatment":
        return None
    if kind := SUBTYPES.get(f.value, {}).get(f.words.lower()):  # ("CBT", no word of 4 letters)
        return kind
    if f.value in UMBRELLAS and f.words.lower() not in UMBRELLAS[f.value] and item_words(f.words):
        word = item_words(f.words)[-1]
        return _MEMBER_NAMES.get(word, word)
    return None


def _outermost(found_at: list[tuple[int, int, str]]) -> list[str]:
    """The distinct forms found at (start, -length, form), in question order, without those
    inside a longer one ("chair" in "shower chair")."""
    spans = sorted({(a, a - n, f) for a, n, f in found_at})
    return list(dict.fromkeys(f for a, b, f in spans if not _inside(a, b, spans)))


def _inside(start: int, end: int, spans: list[tuple[int, int, str]]) -> bool:
    """Whether the text at `start`:`end` lies inside a longer one of `spans` (start, end, form)."""
    return any(a <= start and end <= b and b - a > end - start for a, b, _ in spans)


def _names_only_umbrella(cid: str, lowered: str) -> bool:
    """Whether `lowered` names umbrella `cid` only by its own words, no member of it."""
    members = [f for f in concepts()[cid].forms if f not in UMBRELLAS[cid]]
    return not any(_form_in(f, lowered) for f in members)


def _form_in(form: str, lowered: str) -> re.Match[str] | None:
    """Where the question first uses a concept form (`_forms_in`)."""
    return next(_forms_in(form, lowered), None)


def _forms_in(form: str, lowered: str) -> Iterator[re.Match[str]]:
    """Every place the question uses a concept form, as a word, its plural included."""
    return _form_pattern(form).finditer(lowered)


@cache
def _form_pattern(form: str) -> re.Pattern[str]:  # compiled once: there are more forms than
    # the re module's own cache keeps
    if re.search(r"[^aeiou\W]y$", form):  # "arthroscopy": "arthroscopies" too
        return re.compile(rf"(?<![\w-]){re.escape(form[:-1])}(?:y|ies)(?!\w)")
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?:e?s)?(?!\w)")


def _singular(text: str) -> str:
    """`text` with plural words made singular ("knee braces" -> "knee brace"), for the concept
    forms that are written in the singular; "arthroscopies" -> "arthroscopy")."""
    text = re.sub(r"\b([a-z]{3,}[^aeiou\W])ies\b", r"\1y", text.lower())
    return re.sub(r"\b([a-z]{3,}[^su\W])s\b", r"\1", text)


def _values(facets: list[Facet]) -> set[str]:
    return {f.value for f in facets}


# A sign named after a body part it does not image or treat ("foot drop": a lumbar nerve root's;
# "a positive straight-leg raise": the low back's).
_SIGN = re.compile(
    r"\b(?:foot|wrist) drop\b|\bdrop (?:foot|wrist)\b|\bstraight[- ]leg(?:[- ]rais\w*| test)?\b"
)


# A spinal level, as the region vocabulary reads it for its region ("L5-S1", "L4-5", "C6-7").
SPINAL_LEVEL = re.compile(r"[lcts][1-7](?:-[lcts]?[1-7])?", re.I)


# (not the spinal cord, nor manipulation, which is the chiropractor's of any region)
_SPINE = re.compile(r"\b(?:spine|spinal)\b(?! cord| manipulat| adjust)")


def _regions(lowered: str) -> list[Facet]:
    out, spread = [], []
    signs = [m.span() for m in _SIGN.finditer(lowered)]
    for name, pattern in facts_vocabulary().regions:
        found = [
            m
            for m in pattern.finditer(lowered)
            if not any(start <= m.start() < end for start, end in signs)
            and not _PARTICLE.search(lowered, 0, m.end())
            and not (m.group(0).endswith("back") and _BACKING.match(lowered, m.end()))
            and not _ON_ONES_FEET.search(lowered, 0, m.end())
            and not _EXCLUDED.search(lowered, 0, m.start())
        ]
        if own := [
            m
            for m in found
            if not _SPREADING.search(lowered, 0, m.start())
            and not _PRACTITIONER.match(lowered, m.end())
            and not _DIAGNOSIS_PART.match(lowered, m.start())
        ]:
            out.append(Facet("region", name, own[0].group(0)))
        elif found:
            spread.append(Facet("region", name, found[0].group(0)))
    out = out or spread  # where pain spreads, when no other region is named
    if any(not _SHARED_PART.fullmatch(f.words) for f in out):  # "a labral tear of the hip"
        out = [f for f in out if not _SHARED_PART.fullmatch(f.words)]
    spine = _SPINE.search(lowered)
    if spine and _PRACTITIONER.match(lowered, spine.end()):  # "a spine surgeon", unless one of
        # several specialists listed ("a spine surgeon, a joint replacement surgeon or ...")
        spine = None if len(_PRACTITIONER.findall(lowered)) > 1 else spine
    if spine and all(lowered.find(f.words) > spine.end() for f in out):  # "a spine MRI", "a
        # spine surgeon": any of its three regions; those named after it are the worker's ("a
        # spine surgeon for a worker with leg weakness")
        out = [
            *(Facet("region", name, spine.group(0)) for name in ("cervical", "thoracic", "lumbar")),
            *out,
        ]
    values = {f.value for f in out}
    if "thoracic" not in values and any(f.value == "lumbar" and f.words == "back" for f in out):
        if _WHOLE_BACK.search(lowered):  # the whole back, not the "low-back" alone
            out.append(Facet("region", "thoracic", "back"))
    return out


# A diagnosis named after a part ("EMG of the arms for suspected carpal tunnel syndrome"): the
# condition, not a region of its own, when the question names another (an operation on it, "a
# carpal tunnel release", is the wrist's).
_DIAGNOSIS_PART = re.compile(r"carpal tunnel(?! release| surgery| decompression)")


# A region the question sets aside ("her knee and elbow, not her back", "rather than the neck").
_EXCLUDED = re.compile(
    r"\b(?:not|rather than|instead of|other than|except|apart from)(?: (?:on|in|to|for|at))?"
    r"(?: (?:the|his|her|their|my|your))? $"
)


# Where the pain spreads to ("pain travels into his forearm", "radiating down the leg") or the
# nerve symptoms are ("a numb foot"): a symptom, not the region of the treatment asked, when
# the question names another.
_SPREADING = re.compile(
    r"\b(?:radiat\w*|travel\w*|spread\w*|shoot\w*|extend\w*)(?: (?:down|up|into|to|through|"
    r"across|along|in|out))+(?: (?:the|his|her|their|my|both|either|one))? $|"
    r"\b(?:numb|numbness|tingling|tingly|weak|weakness|pins and needles)(?: (?:in|of|down))?"
    r"(?: (?:the|his|her|their|my|both|either|one))? $"  # "a numb foot": a symptom too
)


# A region naming who treats ("the hand surgeon wants a cubital tunnel release"): the
# practitioner's field, not the region asked, when the question names another.
_PRACTITIONER = re.compile(r"\s+(?:surgeons?|specialists?|doctors?|physicians?)\b")


# "back" on its own is the whole back, thoracic and lumbar ("x-rays of the neck or back");
# "low back", "low-back", "lower back" are lumbar, "mid-back", "upper back" thoracic.
_WHOLE_BACK = re.compile(r"(?<!low[ -])(?<!lower[ -])(?<!mid[ -])(?<!upper[ -])\bback\b")


# A part more than one region has (a labrum: the shoulder's or the hip's), which the region
# named beside it decides; alone it is the region the vocabulary gives it.
_SHARED_PART = re.compile(r"labral|labrum")


# "back" as a verb's particle ("did IMR give back the rest?", "UR cut back the visits"), not
# the body region.
_PARTICLE = re.compile(
    r"\b(?:give|gave|given|giving|go|went|come|came|bring|brought|pay|paid|cuts?|cutting|"
    r"scaled?|scaling|get|got|send|sent|turn|turned|put|hold|held|push|pushed|call|called)"
    r"(?: (?:it|them|this|that|those|these|him|her))? back$"
)


# "back" as a verb ("do reviewers back the denial?", "IMR backed up the carrier"): what follows
# it is its object.
_BACKING = re.compile(
    r"(?:ed)? (?:up\b|(?:the|this|that|such|their|its) (?:denials?|decisions?|determinations?|"
    r"requests?|carriers?|insurers?|adjusters?|ur|utilization|reviewers?|"
    r"non-?certifications?)\b|(?:us|me|them|him|her|it)\b(?: up\b)?|"  # "will IMR back us?"
    r"(?:that|this)(?= ?(?:[?.!,;]|$|up\b)))|"  # "my adjuster denied Ambien - will IMR back that?"
    # ...or an adverb: "back at full duty", "back to work"
    r" (?:at|to|on) (?:(?:full|regular|modified|light|normal|usual) )?(?:duty|work|his job|her job|"
    r"the job|normal)\b"
)


# "On his feet" is standing, not the feet ("a knee brace to get him back on his feet", "on her
# feet all day").
_ON_ONES_FEET = re.compile(r"\bon (?:his|her|their|my|your|one's) (?:own )?feet$")


# Care used at home rather than given at an office ("a unit to use at home").
_AT_HOME = re.compile(
    r"\b(?:(?:used?|using) at home|for (?:use at )?home(?: use)?|home[- ]use|"
    r"at (?:his |her |their )?home|in the home)\b"
)


_AT_THERAPY = re.compile(  # (not "a trend in PT approvals": the decisions on it)
    r"\b(?:at|in) (?:therapy|pt|physical therapy|chiro|clinic)\b(?! (?:approvals?|decisions?|"
    r"requests?|denials?|authorizations?|outcomes?|cases?|rulings?|results?|reviews?|rates?)\b)"
)


# A request covering several parts of the body at once ("PT for several body parts together").
_SEVERAL_REGIONS = re.compile(
    r"\b(?:several|multiple|many|various|two or more|more than one|different|all (?:of )?"
    r"(?:those|these|the|his|her|their)) (?:separate |different )?(?:body (?:parts|regions|"
    r"areas)|areas of (?:the|his|her|their) body|parts of (?:the|his|her|their) body|areas|"
    r"regions)\b|\bmore than one (?:body )?(?:part|area|region)\b"
)


# Question wordings of a reason that the letters' own wordings (rag/data/reasons.toml) miss.
# The care a worker tries before what is asked, named after "never tried", "hasn't had" (PT,
# medicines, splints, injections; first-line drugs: "never tried gabapentin or an
# antidepressant", "hadn't tried Tylenol"), with one alternative after "or".
_FIRST_LINE_CARE = (
    r"(?: \w+){0,2}? (?:pt|physical therapy|therapy|conservative|meds|medications?|nsaids?|"
    r"anti-?inflammator(?:y|ies)|splints?|splinting|bracing|braces?|home exercises?|exercises?|"
    r"injections?|shots?|antidepressants?|anticonvulsants?|tricyclics?|gabapentin|acetaminophen|"
    r"tylenol|apap|muscle relaxants?|non-?opioids?)\b(?:,? (?:and/)?or (?:an? |any )?[\w-]+)?"
)
_HAD_VERBS = r"(?:had|received|gotten|started|begun)"  # of care the worker has not had ("hasn't
# had PT", "I haven't started therapy yet")
CONDITION_WORDS = {
    "no_functional_improvement": r"(?:\b(?:without|no|lack of|lacking|lacks?|absent|missing|"
    r"fail(?:ed|s|ure)? to (?:document|show|demonstrate))|\bw/o)\s+"
    r"(?:documented\s+|objective\s+|any\s+)?(?:functional|objective)\s+(?:improvement|"
    r"documentation|gains?|benefit|response)|"
    # "function did not improve", "improvement was not documented"
    r"\bfunction(?:ing)? (?:did not|didn'?t|has not|hasn'?t|have not|haven'?t|never) improved?\b|"
    r"\b(?:functional )?improvement (?:was|is|has|had)? ?(?:not|never) (?:been )?(?:documented|"
    r"shown|demonstrated)\b|"
    # "lacks documentation of objective functional improvement"
    r"\b(?:without|no|lack of|lacking|lacks?|absent|missing|insufficient|inadequate)\s+"
    r"(?:documentation|evidence|proof|record)\s+of\s+(?:any\s+|objective\s+|measurable\s+|"
    r"documented\s+|sustained\s+|significant\s+)*(?:functional|objective)\s+(?:improvement|"
    r"gains?|benefit)|\bfunctional (?:improvement|benefit) "
    r"(?:is |was )?(?:not|never) (?:documented|shown)|"
    r"\b(?:do|does|doing|did) (?:anything|any|much) (?:more|better) than (?:before|he could|she "
    r"could|they could)\b|"  # "never show he can do anything more than before"
    r"\b(?:isn'?t|is not|aren'?t|are not|wasn'?t|was not|weren'?t|were not|not) helping\b|"
    r"\b(?:didn'?t|did not|doesn'?t|does not|hasn'?t|has not|haven'?t|have not) (?:made|make) "
    r"(?:him|her|them|the worker|the patient) (?:any )?better\b|"
    r"\b(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not|never) improved? (?:his|her|their|"
    r"the worker'?s|the patient'?s) (?:ability|function\w*)\b|"
    r"\bno (?:measurable |real |lasting )?(?:gains|progress)\b|"
    # "because nothing is working", "nothing has helped"
    r"\bnothing (?:is|was|has|had|seems to be|has been|had been) (?:working|helping|worked|"
    r"helped)\b|"
    # work status that never moved ("still on the same work restrictions")
    r"\b(?:same|unchanged) (?:work )?restrictions\b|"
    r"\b(?:work status|(?:work )?restrictions) (?:never|hasn'?t|has not|haven'?t|have not|"
    r"didn'?t|did not) (?:changed?|improved?)\b|"
    r"\bno (?:change|improvement|progress) in (?:his |her |their |the )?work status\b",
    "not_recommended_long_term": r"\blong[- ]term (?:use|basis|treatment|therapy)\b|"
    r"\bonly (?:for|during|in) (?:an? )?(?:acute|short[- ]term|brief) (?:flare[- ]?ups?|flares?|"
    r"exacerbations?|episodes?|use|courses?)\b|\bonly (?:for )?(?:the )?short[- ]term\b|"
    r"\b(?:used|use|approved|prescribed|taken|continued|given|denied) (?:for the )?long[- ]term\b|"
    r"\b(?:after|for|over) (?:about |over |more than |nearly )?(?:several|many|a few|two|three|"
    r"four|five|six|[2-9]|1[0-9]) (?:months|years) of (?:use|taking it|taking them)\b|"
    r"\bchronic (?:daily )?use\b|\b(?:beyond|more than|over|longer than|past) (?:the (?:first )?)?"
    r"(?:two|three|four|five|six|eight|[2-8](?: ?(?:-|to) ?[2-8])?|a few|few|several) weeks\b|"
    r"\bindefinitely\b|"
    r"\b(?:beyond|more than|over|longer than|past) (?:a few|several|two|three|four|five|six|"
    # "opioids for more than 3 months" (not how old the injury is: "more than 5 years old")
    r"[2-9]|1[0-2]) (?:months|years)\b(?! (?:old|ago)\b)|"
    r"\b(?:taking|taken|took|been on|using|used) [^.?!;]{0,80}?\bfor (?:about |around |over |"
    r"more than |almost |nearly |the (?:last|past) )?(?:many |several |a few |a couple of |"
    r"two |three |four |five |six |[2-9] |1[0-9] )?(?:months|years)\b",
    # "because the guideline allows 18", "over the guideline limit"
    "exceeds_guideline_limits": r"\b(?:guidelines?|mtus|odg|acoem)(?: only)? (?:allows?|permits?|"
    r"recommends?|supports?|caps?|limits?)(?: (?:only|up to|a maximum of|at most))* \d+\b|"
    r"\b(?:over|above|past|beyond|more than|exceeds?|exceeding) (?:the )?(?:guidelines?'? )?"
    r"(?:guideline|visit|session) (?:limits?|maximum|caps?|number)\b|"
    # "asked for too many acupuncture sessions at once"
    r"\btoo many (?:[\w-]+ ){0,2}(?:visits|sessions|treatments)\b",
    "no_first_line_trial": r"\b(?:no|not|without)(?: \w+){0,2} first[- ]line\b|"  # keywords
    r"\bbefore (?:(?:he|she|they|the (?:worker|patient|claimant|employee)) "
    r")?(?:had )?(?:finished|completed|tried|failed)\b|"  # "ordered before she finished therapy"
    # ordered before the care had time to work ("before PT and meds had a few weeks to work")
    r"\bbefore (?:[\w-]+ ){1,5}(?:had|has|have|got|was given|were given) (?:a chance|(?:a few|"
    r"several|\d+|two|three|four|six|enough|some) (?:weeks|days|time)|time|enough time) to (?:work|"
    r"help)\b|"
    r"\b(?:not|never|without|hadn'?t|hasn'?t|haven'?t|didn'?t)(?: \w+){0,2} "
    r"(?:(?:tried|trying|trialed|failed|fail|try|done|do|doing|attempted|completed|finished|"
    r"undergone|gone through)\b(?:.{0,60}\bfirst\b|"
    + _FIRST_LINE_CARE
    + r")|"
    # care not had, named ("hasn't had PT"; not "hasn't had relief since the first one")
    + _HAD_VERBS
    + r"\b"
    + _FIRST_LINE_CARE
    + r")|"
    r"\b(?:no|without|lacking|lack of)(?: [\w-]+){0,3} conservative (?:care|treatment|therapy|"
    r"management|measures)\b|"  # "without 6 weeks of conservative care"
    # too short a course of it ("less than 6 weeks of care")
    r"\b(?:less than|fewer than|under|only|just) (?:\d+|one|two|three|four|five|a few|a couple "
    r"of) (?:weeks?|wks?|days?) of (?:conservative )?(?:care|treatment|therapy|management)\b|"
    r"\bconservative (?:care|treatment|therapy|measures|management) (?:was|were|had|has|have)"
    r"(?:n'?t| not)(?: been| yet| yet been)* (?:exhausted|tried|completed|attempted|done|"
    r"finished)\b|"  # "conservative care wasn't exhausted"
    # therapy not had before the request ("surgery without prior PT", "for not enough therapy")
    r"\b(?:(?:no|without|w/o)(?: (?:any|prior|previous|earlier|enough|adequate|sufficient))*|"
    r"not enough|too little|insufficient|inadequate) (?:pt|physical therapy|therapy|"
    r"conservative (?:care|treatment|therapy))\b(?! (?:notes?|records?|reports?|progress|visits? "
    r"(?:left|remaining)|improvement|benefit|gains?|goals?|plan|limits?)\b)",
    "not_recommended_treatment": r"\b(?:guidelines?|mtus|odg|acoem) (?:don'?t|doesn'?t|do not|"
    r"does not) (?:recommend|support|endorse)\b|\bnot recommended at all\b|\bno (?:good |real |"
    r"scientific |quality )?evidence (?:that )?it (?:works|helps)\b|"
    r"\b(?:guidelines?|mtus|odg|acoem) (?:say|says|said|find|finds|found) (?:that )?(?:it|they) "
    r"(?:doesn'?t|don'?t|does not|do not|didn'?t|did not) (?:work|help)\b|"
    r"\b(?:experimental|investigational|unproven)\b|"
    r"\bnot (?:supported|recommended|endorsed|covered) (?:by|in|under) (?:the )?(?:guidelines?|"
    r"mtus|odg|acoem)\b",  # "the request was not supported by guidelines"
    "diagnosis_established": r"\balready (?:obvious|clear|known|evident|established|confirmed|"
    r"diagnosed|documented|shown)\b|\b(?:mri|ct|scan|x-?rays?|films?|imaging|emg|ncv|ncs|"
    r"test|study|studies) already (?:shows?|showed|found|finds|confirms|confirmed|demonstrates?|"
    r"demonstrated|proves?|proved|identified)\b|"  # a test made redundant by another one
    r"\balready (?:shows?|showed|shown|seen|visible|confirmed|documented|evident) (?:on|by|in) "
    r"(?:the |an? )?(?:mri|ct|scan|x-?rays?|films?|imaging|emg|ncv|ncs|study)\b|\bredundant\b",
    "insufficient_documentation": r"\bno (?:medical )?(?:reason|rationale|justification|"
    r"explanation)s? (?:was |were |is |are )?(?:given|provided|stated|documented|offered)\b|"
    r"\b(?:never|didn'?t|did not|doesn'?t|does not) (?:say|said|says|state|states|stated|"
    r"explain|explains|explained) why\b|"
    r"\b(?:records?|documentation|notes|chart|file|paperwork) (?:was |were |is |are )?"
    r"(?:incomplete|missing|inadequate)\b|\b(?:incomplete|missing|inadequate) (?:medical )?"
    r"(?:records?|documentation|notes|paperwork)\b|\bnot enough (?:information|info|"
    r"documentation|records)\b|"
    # "no PT notes", "without progress reports": none submitted
    r"\b(?:no|without|w/o)(?: [\w-]+)? (?:notes|records|progress reports|chart notes)\b"
    r"(?! (?:of|showing|that|documenting|mention\w*|say\w*)\b)|"
    # notes carried from visit to visit unchanged ("the same notes copied forward")
    r"\b(?:copied|carried|cut and pasted|cloned)(?: \w+)? (?:forward|over)\b|"
    r"\b(?:the )?same (?:notes|reports?|progress notes)\b|"
    # no examination on record ("no physical exam was documented", "without a recent exam")
    r"\b(?:no|without|w/o|missing)(?: an?)?(?: recent| current| updated)?(?: physical)? "
    r"exam(?:ination)?s?\b(?! (?:findings?|results?)\b)",
    "no_red_flags": r"\bno (?:warning|danger|alarm(?:ing)?|red[- ]flag) signs?\b|"
    r"\bnothing serious\b|"
    # nothing new since the last visit or study ("no new findings", "nothing has changed since
    # the last MRI", "symptoms unchanged since the prior study", "no worsening")
    r"\bno (?:new|further) (?:findings|symptoms|complaints|injury|injuries|trauma|deficits?|"
    r"neurologic\w* (?:findings|deficits?|symptoms))\b|\bnothing new\b|"
    r"\b(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not|never) (?:found|find|shown|show|"
    r"documented|noted) anything new\b|\bnothing (?:has |had )?changed\b|"
    r"\bunchanged since\b|\bno (?:significant )?change (?:since|in (?:the )?(?:symptoms|"
    r"findings|exam\w*))\b|\bno (?:worsening|progression)\b",
    "compound_not_recommended": r"\b(?:one|an|any|some) (?:of (?:the|its) )?ingredients? "
    r"(?:isn'?t|is not|aren'?t|are not|wasn'?t|was not) (?:\w+ )?recommended\b",
    "no_risk_monitoring": r"\b(?:no|without|missing|never (?:had|got|did)(?: an?| any)?)"
    r"(?: [\w-]+){0,2} (?:drug (?:tests?|screens?|testing)|urine (?:tox |toxicology |drug )?"
    r"(?:tests?|screens?)|(?:tox|toxicology) screens?|uds|udt|"
    r"(?:pain|opioid|narcotic) (?:contract|agreement)s?|cures)\b|"
    # what IMR requires of an opioid ("Does IMR require an opioid contract?", "Was a CURES
    # report required for Norco?"): the decisions where it was missing
    r"\b(?:requires?|required|requiring|insists? on)(?: an?| the)? (?:(?:pain|opioid|narcotic) "
    r"(?:contract|agreement)s?|cures)\b|\b(?:an? )?(?:(?:pain|opioid|narcotic) (?:contract|"
    r"agreement)|cures(?: report)?) (?:is |was )?(?:required|needed|mandatory)\b",
    "no_objective_findings": r"\bnothing abnormal\b|\bexam(?:ination)? (?:was |is )?(?:basically |"
    r"entirely )?(?:normal|unremarkable)\b|\bneurologically intact\b|"
    r"\b(?:no|without|w/o|neg(?:ative)?(?: for)?) radic\b|"  # "no radic on exam"
    # "no exam findings", "without doing a physical exam", "never examined the worker"
    r"\b(?:no|without) (?:(?:physical|clinical|objective) )?(?:exam|examination) findings\b|"
    r"\bno (?:objective|physical|clinical) findings\b|"
    # the exam's tests negative ("all the orthopedic exam tests are negative", "negative
    # provocative tests")
    r"\b(?:exam|examination|provocative|special|orthopedic|clinical) (?:tests?|maneuvers?|signs?) "
    r"(?:are|were|is|was|came back|all came back) (?:all )?(?:negative|normal|unremarkable)\b|"
    r"\bnegative (?:provocative|special|orthopedic|exam|examination|clinical) (?:tests?|"
    r"maneuvers?|signs?)\b|"
    r"\b(?:normal|unremarkable) (?:physical |clinical |neuro\w* )?exam(?:ination)?s?\b|"  # "a
    # normal neuro exam"
    r"\b(?:without|w/o) (?:doing |performing )?(?:an? |any )?(?:physical )?exam(?:ination)?\b|"
    r"\bnever (?:examined|did an? (?:physical )?exam(?:ination)?)\b|"
    r"\b(?:didn'?t|did not|never|failed to) (?:do|perform|document) (?:an? |any )?(?:physical )?"
    r"exam(?:ination)?\b|"  # "the doctor didn't do a physical exam"
    # the imaging not matching the exam ("the MRI didn't match his symptoms")
    r"\b(?:mri|imaging|scans?|x-?rays?|films?|ct|emg|studies|study)(?: results?| findings)? "
    r"(?:didn'?t|did not|doesn'?t|does not|don'?t|do not|failed to|never) (?:match|correlate|"
    r"line up|support|confirm|corroborate|explain)\b|"
    # the imaging not showing what the operation is for ("the MRI didn't show a tear"; a finding
    # it did not show is the letters' absent finding: "the x-ray doesn't show a fracture")
    r"\b(?:mri|imaging|scans?|ct|studies|study)(?: results?| findings)? (?:didn'?t|did not|"
    r"doesn'?t|does not|don'?t|do not|failed to|never) (?:show|find|reveal|demonstrate) (?:an? |"
    r"any )?(?:[\w-]+ ){0,2}?(?:tears?|lesions?|pathology|anything|abnormalit\w*)\b",
    # what the drug would treat, missing ("no condition it treats", "nothing in the chart shows
    # what it would be treating", "never said what it was for")
    "no_indication": r"\b(?:no|without|not have|n't have|lacks?|lacking)(?: an?| any)? "
    r"(?:\w+ )?(?:condition|diagnosis|problem|complaint)s? (?:that |which )?(?:it|they|the "
    r"(?:drug|medication|med|medicine|pill)s?) (?:is |are |was |were |would be |could be )?"
    r"(?:treats?|treating|treated|indicated for|meant for|for)\b|"
    r"\b(?:nothing|no one|nobody|never)\b(?: [\w']+){0,5} (?:shows?|showed|says|said|explains?|"
    r"explained|documents?|documented|states?|stated) what (?:it|they|the (?:drug|medication|"
    r"med|medicine|pill)s?) (?:is|are|was|were|would be) (?:treating|for)\b|"
    r"\b(?:no|without|doesn'?t have|does not have|has no|never had)"
    r"(?: [\w-]+){0,2} (?:insomnia|sleep (?:problems?|issues?|trouble)|nausea|vomiting|"
    r"constipation|anxiety|depression|neuropathy|neuropathic pain|nerve pain)\b|"
    r"\bnon-?neuropathic (?:[\w-]+ ){0,2}(?:pain|symptoms|complaints?)\b|"  # "Lidoderm for
    # non-neuropathic (back) pain", "for low back pain that isn't neuropathic"
    r"\b(?:pain|symptoms|complaints?) (?:that |which )?(?:is|are|was|were)(?:n'?t| not) "
    r"neuropathic\b|"
    # a psychological complaint missing ("no psych symptoms were documented")
    r"\b(?:no|without)(?: documented| recorded| reported)? (?:psych|psychiatric|psychological|"
    r"mental health|emotional) (?:symptoms|complaints|issues|problems|diagnos[ie]s)\b|"
    r"\b(?:no|without)(?: (?:prior|previous|past))? (?:gi|gastrointestinal|stomach) (?:history|"
    r"symptoms|complaints|issues|problems|risk)\b",  # a PPI "with no GI hx"
    "guideline_criteria_met": r"\b(?:met|meets|meeting|satisf(?:y|ies|ied)) (?:all )?(?:the )?"
    r"(?:guidelines?'?|mtus|odg|acoem) ?(?:criteria|requirements)\b|"
    # "treatments that the guidelines recommend", "when the MTUS supports it"
    r"\b(?:that|which|when|where|if) (?:the )?(?:guidelines?|mtus|odg|acoem) (?:recommends?|"
    r"supports?|endorses?)\b|(?<!not )(?<!n't )\b(?:recommended|supported|endorsed) by (?:the )?"
    r"(?:guidelines?|mtus|odg|acoem)\b",
    "red_flags_present": r"\b(?:progressive|progressing|worsening|increasing|new) (?:leg |arm |"
    r"foot |hand |muscle )?(?:weakness|numbness|neurologic\w* (?:deficits?|signs|symptoms))\b|"
    r"\bfoot drop\b|\bcauda equina\b|"
    # symptoms that changed for the worse ("when the neck pain got worse")
    r"\b(?:got|gets|getting|gotten|became|become|becoming|grew|growing) worse\b|"
    r"\bworsening (?:pain|symptoms)\b|\b(?:pain|symptoms) (?:worsened|increased)\b|"
    r"\b(?:loss of |losing )?(?:bowel|bladder) (?:control|"
    r"incontinence|function|problems|issues|dysfunction)\b|\bsaddle (?:anesthesia|numbness)\b|"
    # "when the worker has red flags" (not "has no red flags")
    r"\b(?:there (?:are|were|is|was)|has|have|had|with|shows?|showed|showing|presence of|"
    r"documented|positive for) (?:any |some |clear |obvious |true |possible |serious )?"
    r"red[- ]flags?\b",
    "depends_on_noncertified": r"\b(?:is|was|are|were|gets?|got|been) (?:non-?certified|"
    r"denied|not (?:certified|approved))\b.{0,80}\bstill\b|"  # "because the surgery itself
    # wasn't approved": what the request goes with was refused
    r"\b(?:because|since) (?:the |his |her |their )?(?:[\w-]+ ){0,2}(?:surgery|operation|"
    r"procedure|scope|arthroscopy|fusion)(?: itself)? (?:(?:(?:was|is|were|had been|has been) )?"
    r"(?:not |non-?)(?:certified|approved|authorized)|(?:wasn't|isn't|weren't|hasn't been|"
    r"hadn't been) (?:certified|approved|authorized)|(?:was|is|were|got|had been|has been) "
    r"(?:denied|non-?certified|turned down))\b",  # (or said short: "because surgery not
    # approved"; "wasnt" reads "was not", `_SHORTHAND`)
    # the treatment helped, in lay words ("if the worker is making progress", "after 6
    # sessions with documented improvement"); denied ("isn't making progress"), it did not
    "functional_improvement_documented": r"\b(?:the worker'?s |the patient'?s |his |her )?"
    r"function(?:ing)? (?:has |had |have |was |is )?(?:improved|improving|better)\b|"
    r"\b(?:functional |objective )?improvement (?:was |is |"
    r"were |had been |has been )?(?:documented|shown|demonstrated)\b|"  # "when functional
    # improvement was documented" (its negation: "no functional improvement documented")
    r"\b(?:making|made|makes|shows?|showed|showing|"
    r"with|documented|documents) (?:good |real |some |measurable |clear |functional )*"
    r"(?:progress|improvement|gains)\b|\b(?:is|was|are|were|been|keeps?) (?:steadily )?"
    r"(?:improving|getting better|doing better)\b|"
    r"\bimproved (?:function|functioning|activity|range of motion|rom|strength|adls?)\b|"
    r"\badls? (?:have |has |are |were )?(?:improved|better)\b|"
    r"(?<!if )(?<!whether )\b(?:visits|sessions|treatments?|therapy|it|they) "
    r"(?:really |clearly )?(?:helped|helps|"
    r"(?:is|was|are|were) helping)\b",  # "after the first 6 visits helped"
    # conservative care tried and failed ("when conservative care failed"); not a treatment
    # named as failed ("after failed PT": what the worker had, `_history`)
    "failed_conservative_care": r"\bconservative (?:care|treatment|therapy|measures|management)"
    r" (?:has |have |had )?(?:failed|not worked|didn'?t work|did not work)\b|"
    r"\b(?:failed|despite|after failing) (?:all )?conservative (?:care|treatment|therapy|"
    r"measures|management)\b",
}


# A reason for approval the question denies is the reason for denial it names ("no documented
# pain relief" is no functional improvement, "without evidence of radiculopathy" no red flags).
NEGATED = {
    "functional_improvement_documented": "no_functional_improvement",
    "red_flags_present": "no_red_flags",
    "failed_conservative_care": "no_first_line_trial",
    "guideline_criteria_met": "no_objective_findings",
}
_NEGATION = re.compile(
    r"(?:\b(?:no|not|without|lack of|lacking|never|absent|missing|nothing|"
    r"(?:had|has|have|did|was|were|is|are|does|do)n'?t)|\bw/o)(?: \S+){0,2} $"  # "w/o": without
)


# The treatment did no good, in lay words ("nothing shows it did any good", "didn't help").
_NO_BENEFIT = re.compile(
    r"\b(?:did|does|has done|do) (?:no|any|much) good\b|"
    r"\b(?:didn'?t|did not|doesn'?t|does not|hasn'?t|has not|haven'?t|have not|never) "
    r"(?:really )?(?:help(?:ed)?|work(?:ed)?|do any good)\b|"
    r"\bno (?:benefit|relief|improvement|help) from\b|"
    r"\b(?:less than|under|below|only|barely) (?:\d+ ?%|half|a third)(?: of)?(?: (?:pain|"
    r"symptom))? (?:relief|improvement|reduction)\b|"  # "the first gave less than 50% relief"
    r"\b(?:(?:due to|because of|for|with|after|despite|showing|shows?|brought|gave|gives|"
    r"provided) (?:no|little|"
    r"minimal)|without(?: any)?) (?:real |significant |measurable |lasting )?(?:improvement|"
    r"progress|benefit|relief|gains?)\b|"
    r"\b(?:isn'?t|is not|wasn'?t|was not|not|hasn'?t|has not|never) (?:been )?(?:improving|"
    r"improved|getting better|progressing)\b|"
    # "she hasn't had any improvement after the first 6 visits"
    r"\b(?:hasn'?t|has not|haven'?t|have not|didn'?t|did not|never) (?:had|have|got|gotten|seen|"
    r"shown|noticed|felt|made) (?:any |much |real |significant |measurable )?(?:improvement|"
    r"progress|benefit|relief|gains?)\b"
)


# A syndrome named after a substance ("serotonin syndrome"): no drug asked.
_SYNDROME_NAMED = re.compile(r"\bserotonin(?= syndrome\b)", re.I)


# A weaning said before how long it takes ("weaning Norco over 3 months", "taper off over six
# months").
_TAPERED_OVER = re.compile(r"\b(?:wean\w*|taper\w*)\b(?:\s+\S+){0,4}\s*$")


# A drug asked for months or years ("Flexeril 10mg for 3 months", "Norco #90 x 3 months"): its
# long-term use, what the guidelines' short courses rule on (not a supply, "3 months of Norco").
_DRUG_COURSE = re.compile(
    r"\b(?:for|x) ?(?:about |over |more than |nearly |another |the next )?(?:two|three|four|five|"
    r"six|nine|twelve|[2-9]|1[0-9]|several|many) (?:months|mos|years|yrs)\b|"
    r"\bfor (?:a|one|1|another) (?:year|yr)\b"
)


# The worker's medicines neither cut back nor poorly tolerated ("still taking his pain meds and
# tolerating them fine", "his meds were never reduced").
_MEDICINES_KEPT = re.compile(
    r"\b(?:still (?:taking|on|using)(?: all)?|tolerating) (?:(?:his|her|their|the) )?(?:pain )?"
    r"(?:meds|medications?|medicines?|pills)\b|\btolerating (?:them|it|those|these) (?:fine|"
    r"well)\b|\b(?:meds|medications?|medicines?) (?:were |was |have |has )?(?:never|not) "
    r"(?:been )?(?:reduced|cut back|decreased|lowered|tapered)\b"
)


def _medicines_kept(lowered: str, facets: list[Facet]) -> list[Facet]:
    """No indication, when a question about a treatment that is no medicine says the worker's
    medicines were neither reduced nor poorly tolerated: the letters' precondition for
    acupuncture ("no indication that pain medication is being reduced or not tolerated"). About
    a medicine ("Norco while he is still taking his meds") it is the worker's history."""
    if any(
        f.name in ("ingredient", "drug_class", "product")
        or (f.name == "category" and f.value == "medication")
        for f in facets
    ):
        return []
    m = _MEDICINES_KEPT.search(lowered)
    return [Facet("condition", "no_indication", m.group(0))] if m else []


# A share of pain relieved ("the first one gave 30% relief", "had 50% relief for 8 weeks"):
# of an injection, the guidelines ask half before another (`_injection_relief`).
_RELIEF_SHARE = re.compile(
    r"\b(?:gave|gives|got|had|has|provided|brought|with|reported|after|of) (?:about |around |"
    r"maybe |roughly |over |more than |at least |only )?(?P<share>100|[1-9]\d?) ?%"
    r"(?: (?:pain|symptom))? (?:relief|improvement|reduction)\b"
)
# How long the last one relieved the pain ("prior injection gave 2 wks relief"): no fact holds it.
_RELIEF_SPAN = re.compile(
    r"\b(?:(?:gave|gives|got|had|has|provided|brought|with|after) )?(?:only |about |around )?"
    r"(?:\d+|a few|one|two|three|four|five|six|several) ?(?:wks?|weeks?|days?|months?|mos?)"
    r"(?: of)?(?: pain)? relief\b",
    re.I,
)


def _no_benefit(lowered: str, facets: list[Facet]) -> list[Facet]:
    """No functional improvement, when the question says in lay words that the treatment it
    asks about did no good before ("had acupuncture and nothing shows it did any good; is more
    acupuncture approved?"); not when what did no good is another one ("PT didn't help: is a
    shoulder MRI approved?" asks about the MRI after failed care). (An injection's share of
    relief: `_injection_relief`.)"""
    m = _NO_BENEFIT.search(lowered)
    if m is None:
        return []
    before = lowered[: m.start()]
    named = [f for f in facets if f.name in NAMING_FACETS]
    if not named or not all(f.words.lower() in before for f in named):
        return []
    asked = max(before.rfind(f.words.lower()) for f in named)
    if any(f.name == "history" and before.rfind(f.words.lower()) > asked for f in facets):
        return []  # "an MRI when PT didn't help": the care had did no good, not the MRI
    return [Facet("condition", "no_functional_improvement", m.group(0))]


def _not_had_itself(lowered: str, condition: Facet, facets: list[Facet]) -> bool:
    """Whether `condition` is no first-line trial read from the worker not having had the very
    treatment asked ("Is PT approved for a worker who has not had any physical therapy yet?": a
    first course, the "not_had" facet, not care missing before another)."""
    if condition.value != "no_first_line_trial" or not _NOT_HAD_VERB.search(condition.words):
        return False
    at = lowered.find(condition.words.lower())
    starts = [(lowered.find(f.words.lower()), len(f.words)) for f in facets if f.name == "not_had"]
    return any(0 <= s < at + len(condition.words) and at < s + n for s, n in starts)


_NOT_HAD_VERB = re.compile(rf"\b{_HAD_VERBS}\b")


def _injection_relief(lowered: str, facets: list[Facet]) -> list[Facet]:
    """Of an injection asked, the share of pain the last one relieved, wherever it is said ("the
    first ESI gave 30% relief", "had 50% relief for 8 weeks after the first ESI"): under half is
    no functional improvement, half or more is the improvement the guidelines ask of a repeat.
    Not a drug's share, whose meaningful relief is less ("Norco gave 30% relief")."""
    if not _injections(facets) or any(f.name in DRUGS for f in facets):
        return []
    if (m := _RELIEF_SHARE.search(lowered)) is None:
        return []
    code = (
        "no_functional_improvement" if int(m["share"]) < 50 else "functional_improvement_documented"
    )
    return [Facet("condition", code, m.group(0))]


def _conditions(text: str) -> list[Facet]:
    """Reason codes the question's wording states ("without functional improvement")."""
    lowered = _NO_CONTRAST.sub(lambda m: " " * len(m[0]), text.lower())  # (the same length)
    out = []
    for code, pattern in CONDITION_WORDS.items():
        if m := re.search(pattern, lowered):
            words = m.group(0)
            if code in NEGATED and (negation := _NEGATION.search(lowered[: m.start()])):
                code, words = NEGATED[code], negation.group(0) + words  # "without foot drop"
            if not any(f.value == code for f in out):
                out.append(Facet("condition", code, words))
    lay = list(out)  # read in the questions' words
    spelled = _CONTRACTED.sub(" not", lowered)  # as the letters write it ("didn't document":
    # "di not document"), the same length, so a match's words are the question's own
    for code, reason in taxonomy().items():
        if any(f.value == code for f in out):
            continue
        for pattern in reason.patterns:
            m = pattern.search(lowered) or (
                pattern.search(spelled) if code not in _FINDINGS_ABSENT else None
            )
            if m is None:
                continue
            start = m.start()
            while start and lowered[start - 1].isalpha():  # the whole word ("didn't")
                start -= 1
            phrase = words = lowered[start : m.end()]
            if phrase in _situation_forms() or (
                code == "supports_approved_procedure" and _AFTER_SURGERY.match(phrase)
            ):  # "PT after his surgery": the post-operative state, not an operation approved
                continue
            if code in NEGATED and (negation := _NEGATION.search(lowered[:start])):
                code, words = NEGATED[code], negation.group(0) + words
            if not any(  # one phrase, one reason of a side ("not supported by guidelines": the
                # guideline's, not also the examination's), and of the questions' own words
                # ("no diagnosis it is indicated for": the missing indication, not also the
                # criteria met)
                phrase in f.words and (side_of(f.value) == side_of(code) or f in lay)
                for f in out
            ) and not any(f.value == code for f in out):
                out.append(Facet("condition", code, words))
            break
    if any(f.value == "supports_approved_procedure" for f in out):  # "approved because the
        # surgery was certified": the letters' pattern takes the refusal's "not" as optional
        out = [
            f
            for f in out
            if f.value != "depends_on_noncertified" or _REFUSED.search(f.words.lower())
        ]
    read = {f.value for f in out}  # a reason and its negation both ("documented pain relief but
    # no functional gains"): what the question says is missing, unless UR said it and the
    # question answers it ("UR denied the MRI saying no red flags, but my client has foot drop")
    if said := _UR_SAID_BUT.search(lowered):
        disputed = {
            NEGATED[f.value]
            for f in out
            if f.value in NEGATED
            and NEGATED[f.value] in read
            and lowered.find(f.words.lower()) >= said.end()
        }
        if disputed:
            return [f for f in out if f.value not in disputed]
    return [f for f in out if NEGATED.get(f.value) not in read]


def urs_disputed_reason(text: str) -> str:
    """What the question says UR gave as its reason before disputing it ("UR denied the MRI
    saying no red flags, but my client has foot drop": "...saying no red flags"), or ""."""
    m = _UR_SAID_BUT.search(text.lower())
    return m.group(0) if m else ""


_UR_SAID_BUT = re.compile(
    r"\b(?:ur|utilization review|the (?:carrier|insurer|adjuster|reviewer))\b[^.?!]{0,60}?"
    r"\b(?:saying|said|says|claim(?:s|ed|ing)?|stat(?:es|ed|ing)|because|for)\b[^.?!]{0,80}?\bbut\b"
)
_REFUSED = re.compile(r"\bnot\b|\bnon-?|n['’]t\b|\bdenied\b|\bturned down\b")
# A negation contracted, as questions write it and the letters' patterns do not ("didn't").
_CONTRACTED = re.compile(r"\wn['’]t\b")
# Reasons whose patterns name findings ("no fracture", "no infection"): a question saying one
# is absent ("the x-ray doesn't show a fracture") reads the finding itself, more precisely.
_FINDINGS_ABSENT = frozenset({"no_red_flags"})


@cache
def _situation_forms() -> frozenset[str]:
    """The words of a state the worker is in ("after surgery", "post-op"): in a question they
    say when the treatment was asked for, not why the reviewer decided (a letter's "after the
    surgery" can be a reason to approve; a question's is the worker's situation)."""
    return frozenset(
        form for c in concepts().values() if c.kind in ("condition", "region") for form in c.forms
    )


def _outcome_words(text: str) -> str:
    m = re.search(
        r"\b(?:upheld|uphold\w*|overturn\w*|revers\w*|approv\w*|den(?:y|ied|ial)\w*|granted|wins?|won(?!['’])|"
        r"sign off|go along|restored|fare|track record|ruled?|"
        r"(?:agree[sd]?|sid(?:e|ed|es|ing)) with)\b",
        text,
        re.I,
    )
    return m.group(0) if m else ""


def _drug_after_class(lowered: str, facets: list[Facet]) -> list[Facet]:
    """`facets` less the drug named after a class it is no member of, joined to it as what the
    class is taken with or against ("a stomach pill that protects my stomach from the
    ibuprofen", "a PPI with naproxen"): the class is asked, the drug is its context, said
    unread. A class of the drug's own, or named by it as an example, or a compounded product
    holding it ("compound cream with gabapentin"), keeps the drug asked."""
    classes = [f for f in facets if f.name == "drug_class" and f.value != "compounded"]
    drugs = [f for f in facets if f.name == "ingredient" and f.words]
    if (
        not classes
        or not drugs
        or any(f.name == "drug_class" and f.value == "compounded" for f in facets)
    ):
        return facets
    if any(in_class(d.value, c.value) for c in classes for d in drugs):
        return facets
    class_at = min(lowered.find(c.words.lower()) for c in classes)
    words = {f.words.lower() for f in drugs}
    drug_at = min(lowered.find(w) for w in words)
    if class_at < 0 or drug_at <= class_at:
        return facets
    joined = list(_TAKEN_WITH.finditer(lowered, class_at, drug_at))
    if not joined or _EXAMPLES.search(lowered, class_at, drug_at):
        return facets
    last = max(lowered.find(w) + len(w) for w in words)  # "from the ibuprofen", as written
    said = lowered[joined[-1].start() : last]
    kept = [
        f
        for f in facets
        if not (
            f.name in ("ingredient", "product") or f.name == "form" and f.words.lower() in words
        )
    ]
    return [*kept, Facet("unread", said, said)]


# What joins a class to the drug it is taken with or against ("from the ibuprofen", "with
# naproxen"), and what names the drug as the class's example ("like", "such as").
_TAKEN_WITH = re.compile(r"\b(?:from|with|alongside|while on|while taking|on top of)\b")
_EXAMPLES = re.compile(r"\b(?:like|such as|e\.?g\.?|for example|including)\b")


def region_word(word: str) -> bool:
    """Whether `word` names a body region ("knee", "shoulder"), as the decision facts read it."""
    return any(p.fullmatch(word.lower()) for _, p in facts_vocabulary().regions)


def _known_word(word: str) -> bool:
    """A word some vocabulary knows (a concept form, a region, a class or category word)."""
    lowered = word.lower()
    if lowered in _concept_forms() or lowered.removesuffix("s") in _concept_forms():
        return True
    if any(re.fullmatch(p, lowered) for p in CATEGORY_WORDS.values()):  # "operation", "labs"
        return True
    if region_word(lowered):  # "forearm"
        return True
    return bool(item_words(lowered)) and lowered in _VOCABULARY_WORDS


@cache
def _concept_forms() -> frozenset[str]:
    return frozenset(form for c in concepts().values() for form in c.forms)


_VOCABULARY_WORDS = frozenset(
    """neck knee knees shoulder shoulders back lumbar cervical thoracic hip hips elbow wrist hand
    hands foot feet ankle legs arms spine spinal head brain sessions visits tablets cream creams
    patch patches oral gram grams topical""".split()
)


_SPELLED_SET = _spelling_words()
_DRUG_NAMES = sorted(  # the drug dictionary's brands and generics ("tramadol", "norco")
    {
        w
        for name in (*facts_vocabulary().brands, *facts_vocabulary().classes)
        for w in re.findall(r"[a-z]{5,}", name.lower())
    }
)
_SPELLED = sorted(_SPELLED_SET)
_SPELLED_BY_LENGTH: dict[int, list[str]] = {}
for _word in _SPELLED:
    _SPELLED_BY_LENGTH.setdefault(len(_word), []).append(_word)
_PAIRS = sorted(  # two-word treatment names ("ice machine", "home health")
    f for c in concepts().values() if c.kind == "treatment" for f in c.forms if f.count(" ") == 1
)
