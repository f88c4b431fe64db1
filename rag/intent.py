"""What a query or question asks beyond its treatment: an outcome, overturned decisions in
particular, or the remainder of a partly certified request. Shared by the re-ranker and the
answer composer, so both read intent the same way."""

from __future__ import annotations

import re

# "was X upheld", "how often denied", "approval rate", "outcome": any outcome asked.
_OUTCOME = re.compile(
    r"\b(upheld|uphold(?:s|ing)?|overturn(?:ed|s|ing)?|approv(?:e|ed|al)|den(?:y|ied|ial|ials)|"
    r"certif(?:y|ied)|"
    r"granted|wins?|won(?!['’])|succeed|success(?:ful)?|outcome|happened|fared?|"
    # what a carrier does to care in lay words ("cut it off", "stop paying for it")
    r"cut (?:(?:it|them|him|her|his|the|treatment|care|benefits|\w+ment) )?off|"
    r"stop(?:ped|s)? (?:paying|covering)|"
    # "does IMR usually agree with the insurer?", "side with the carrier"
    r"(?:agree[sd]?|sid(?:e|ed|es|ing)) with|"
    # the denial lasting ("how often does the denial stick?", "do denials hold up at IMR?")
    r"(?<=\bdenial )(?:sticks?|stuck|holds? up|held up|stands?|stood)|"
    r"(?<=\bdenials )(?:stick|stuck|hold up|held up|stand|stood))\b",
    re.I,
)
# "was X ever overturned", "reversed the denial", "approved when ..." (not "not approved").
# In lay words too: "any wins at IMR", "sided with the doctor", "found it necessary", "ordered
# the carrier to pay", "disagreed with UR", "in the worker's favor".
_OVERTURNED = re.compile(
    r"(?<!not )(?<!non-)\b(?:overturn\w*|revers\w*|approv\w*|granted|wins?|won(?!['’])|not upheld|"
    # IMR's certifying, not UR's ("partially certified by UR", "UR certified 6")
    r"(?<!partially )(?<!partly )(?<!ur )(?<!review )certif(?:y|ied|ies)"
    r"(?! by)(?! (?:\d|some|part|only))|"
    r"(?:sid(?:ed?|es|ing) with|agree[sd]? with|ruled? (?:for|in favou?r of)) (?:the )?"
    r"(?:treating |requesting |injured )?(?:doctor|physician|provider|worker|patient|employee|"
    r"applicant|client)|"
    # the denial judged wrong ("found the UR denial was wrong", "UR got it wrong")
    r"(?:found|held|decided|said) (?:that )?(?:the )?(?:ur |utilization review |carrier'?s? |"
    r"insurer'?s? )?(?:denial|decision|non-?certification) (?:was |to be )?(?:wrong|incorrect|"
    r"improper|unjustified|not justified|in error)|(?:ur|utilization review|the carrier|the "
    r"insurer) (?:got it|was|were) wrong|\b(?:was|were|is) (?:the )?(?:ur|utilization review|"
    r"carrier|insurer|denial) wrong|"
    r"(?:found|deemed|ruled|considered|held) (?:it |them |(?:the |that )?(?!not\b)\w+ )?(?:to be )?"
    r"(?:medically )?necessary|"
    r"ordered (?:the )?(?:carrier|insurer|employer|them) to (?:pay|cover|authorize|provide)|"
    r"ordered (?:[\w-]+ ){0,4}?(?:covered|paid for)|"
    r"disagree[sd]? with (?:the )?(?:ur|utilization review|carrier|insurer|denial)|"
    # IMR giving back what was denied ("can IMR give the rest?", "did IMR restore the visits")
    r"(?:imr|the reviewer|maximus) (?:(?:give|gives|gave) (?:(?:the|them|it) )?(?:back|rest|other|"
    r"remaining|remainder|balance)|restore[sd]?|reinstate[sd]?|award(?:ed|s)?)|"
    r"in (?:the |his |her |their |my client'?s |the (?:injured )?worker'?s |the patient'?s )"
    r"(?:favou?r))\b",
    re.I,
)


def asks_outcome(text: str) -> bool:
    """Whether `text` asks how decisions went, in the review's words or in lay words ("has IMR
    ever found it necessary", "sided with the doctor")."""
    return bool(_OUTCOME.search(text) or _OVERTURNED.search(text))


# An approval the question says is refused ("why won't they approve an MRI?", "the doctor
# didn't get it approved"): the denial it asks about, not overturned decisions.
_REFUSED = re.compile(
    r"\b(?:won't|wouldn't|will not|would not|don't|doesn't|didn't|do not|does not|did not|"
    r"refuse[sd]? to) (?:(?:they|he|she|it|you|we|ur|imr|(?:the )?(?:carrier|insurer|"
    r"adjuster|reviewer|employer)) )?(?:get (?:it |them )?)?(?:approv\w*|grant\w*)",
    re.I,
)


def asks_overturned(text: str) -> bool:
    return bool(_OVERTURNED.search(_UR_APPROVED.sub(" ", _REFUSED.sub(" ", text))))


# What UR approved of the request ("UR only approved 6 of 12 visits", "the wheelchair was only
# approved for a 1 month rental"): the partial decision before IMR, no outcome sought.
_UR_APPROVED = re.compile(
    r"\b(?:ur|utilization review)\b (?:(?:only|just|had|has|then) )*approv\w*|"
    r"\b(?:only|just) approv\w*|\bapprov\w* only\b",
    re.I,
)


# "partly certified", "the rest of the visits", "UR trimmed the request to 6", "allowed a one-month
# supply instead of three", "restore trimmed sessions", "UR let him have one fill but cut the
# refills" (not the names of
# treatments: "partial hospitalization", "partial knee replacement", a partial-thickness tear).
# Numbers in words, one to twelve ("allowed one of three", "a two week rental").
NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
)  # fmt: skip
_COUNT = rf"(?:\d+|{'|'.join(NUMBER_WORDS)})"
# What a worker's modifications are of ("home modifications", "a car modification"): asked as a
# treatment, no partial decision's word.
MODIFIED_THINGS = ("home", "house", "vehicle", "bathroom", "car", "van", "workplace")
_PARTIAL = re.compile(
    r"partial(?:ly)?(?: (?:approved|certified|authorized|granted|modified|denied))?"
    r"(?![- ](?:hospitali|day|knee|menisc|menisect|thickness|tear|rupture|weight|replace)|"
    r"(?: [\w-]+){1,3} (?:tears?|ruptures?|thickness)\b)|"  # "a partial rotator cuff tear"
    r"(?:certified|approved|okayed|authorized|allowed) (?:only )?(?:part|some|fewer)\b|"
    rf"(?:certified|approved|okayed|authorized|allowed|certifies|approves|authorizes|allows) "
    rf"(?:only )?{_COUNT}(?: [\w-]+){{0,4}}? (?:of|out of) (?:the )?{_COUNT}\b|"
    # "UR approved half the Norco"
    r"(?:certified|approved|okayed|authorized|allowed) (?:only )?(?:half|a third|a quarter)\b|"
    r"\b(?:that|which) (?:were|was|got) (?:cut|trimmed|dropped)\b|"
    r"\bonly (?:part|a portion) of\b|cut (?:the rest|back)|"
    r"\b(?:overturn|revers|grant|approv|allow)\w* (?:only )?(?:a )?(?:part|portion) of\b|"
    # "asked for 12 sessions but UR approved 6"
    rf"\bbut (?:ur|utilization review|the (?:insurer|carrier|adjuster|claims administrator)) "
    rf"(?:only )?(?:certified|approved|okayed|authorized|allowed) (?:only )?{_COUNT}\b|"
    r"(?:certified|approved|okayed|authorized|allowed) (?:only )?the first\b|"
    r"(?:certified|approved|okayed|authorized|allowed) (?:only )?(?:a )?(?:smaller|lower|reduced|"
    r"shorter)\b|\bleftover\b|\bonly let (?:part|some) of\b|\blet (?:only )?part of\b|"
    r"\bbut not the (?:additional|extra|other|rest|remaining)\b|"
    r"the (?:rest|remainder|balance)|remaining|remainder|partly|"
    + "".join(rf"(?<!{thing} )" for thing in MODIFIED_THINGS)  # (a home's or a car's)
    + r"modifi(?:ed|cations?)\b(?! (?:duty|duties|work|job|activit(?:y|ies)|restrictions?))|"
    r"(?:denied|non-?certified|uncertified) (?:portion|part|balance)|\bthe other \d+\b|"
    r"\bthe (?:portion|part) (?:that )?(?:ur|utilization review) (?:denied|non-?certified|"
    r"refused|cut|dropped)\b|"  # "the portion UR denied"
    r"\b(?:ur|utilization review) (?:cut|trimmed|reduced|shortened|modif(?:y|ies|ied))\b|"
    r"\b(?:ur|utilization review)\b[^.?!;]{0,80}?\bbut (?:cut|trimmed|reduced|shortened)\b|"
    # "UR denied 12 sessions of PT but allowed 6"
    rf"\b(?:ur|utilization review)\b[^.?!;]{{0,80}}?\bbut (?:only )?(?:certified|approved|okayed|"
    rf"authorized|allowed) (?:only )?{_COUNT}\b|"
    r"\b(?:trimmed|cut|reduced|shortened|scaled)[- ](?:[\w']+ ){0,5}?(?:to|down|back)\b|"
    r"\btrimmed\b|\bcarved? out\b|"
    r"\b(?:ur|utilization review) (?:only )?(?:certified|approved|okayed|authorized|allowed)\b"
    r"[^.?!;]{0,80}?\bbut (?:dropped|refused|denied|rejected|cut|left out|not)\b|"
    r"\b(?:certified|approved|okayed|authorized|allowed) (?:[\w'#/.-]+ ){1,10}?instead of\b",
    re.I,
)


def partial_words(text: str) -> list[str]:
    """The words saying `text` asks about partial decisions, in order ([] when none)."""
    return [m.group(0) for m in _PARTIAL.finditer(text)]


def asks_partial(text: str) -> bool:
    return bool(_PARTIAL.search(text))


# A study asked about as a repeat of one the worker had ("repeat MRI", "already x-rayed", "a prior
# EMG", "already had one"): what rag.history reads in the letters. A study word must follow the
# adjectives, so "a second opinion" or "new to the job" are no repeat.
_STUDY = (
    r"(?:mri|mris|x-?rays?|ct|cat scan|emg|ncv|ncs|emg/ncv|scans?|study|studies|imaging|films?|"
    r"radiographs?)"
)
_REPEAT = re.compile(
    rf"\brepeat(?:ed|ing)?\b|\b(?:second|another|updated?|follow[- ]up|prior|previous|earlier|"
    rf"old|last) (?:\w+ ){{0,2}}?{_STUDY}\b|\balready (?:been |had (?:an? |the )?(?:\w+ )?)?"
    rf"(?:x-?rayed|scanned|imaged|one|{_STUDY})\b|\b{_STUDY} (?:again|twice)\b",
    re.I,
)


def repeat_words(text: str) -> list[str]:
    """The words asking for a study as a repeat, each place they do."""
    return [m.group(0) for m in _REPEAT.finditer(text)]


# Why decisions went as they did: "why is Norco usually denied?", "the most common reasons for
# denial", "on what grounds"; not a reason the question states ("no medical reason was given").
_WHY = re.compile(
    r"\bwhy (?:is|are|was|were|do|does|did|would|has|have)\b|"
    r"\b(?:what|which|most common|main|usual|typical|top|common) (?:are |were |is |was )?"
    r"(?:the )?(?:most common |main |usual )?(?:denial |ur |denials? )?(?:reasons?|grounds)\b|"
    r"\breasons? (?:why|for (?:the )?(?:denials?|denying|upholding|overturning|approv\w+))\b|"
    r"\bon what (?:grounds|basis)\b|"
    # what the reviewers need to see: the reasons the denials stood ("what documentation do I
    # need to get Norco approved?", "what do reviewers want to see before an MRI?")
    r"\bwhat (?:documentation|records|evidence|information|findings) (?:do|does|would|will) "
    r"(?:i|we|you|they|the (?:doctor|provider|physician)) need\b|"
    r"\bwhat (?:do|does|would) (?:the )?(?:reviewers?|imr|they) (?:want|need|expect|look for)\b|"
    # what wins ("What arguments win at IMR?", "What documentation gets Norco approved?") and
    # when IMR overturns ("When does IMR overturn a denial of chiropractic care?")
    r"\bwhat (?:documentation|records|evidence|information|findings|arguments?|points?) "
    r"(?:gets?|got|wins?|won|works?|worked|helps?|helped|succeeds?|persuades?)\b|"
    r"\bwhen (?:does|do|did|will|would) (?:imr|the reviewers?|reviewers|maximus) (?:overturn|"
    r"reverse|approve|side with)\b|"
    # what is missing from the records the denials stood on ("Which documentation gaps defeat
    # treatment requests most often?", "what gaps most often sink an MRI request")
    r"\b(?:what|which) (?:documentation |record |records )?(?:gaps?|deficienc(?:y|ies)|"
    r"shortcomings?)(?: (?:most often|most|often|usually|typically))?(?: (?:defeat|sink|kill|doom|"
    r"tank|hurt|undermine)s?)?\b",
    re.I,
)


def asks_reasons(text: str) -> bool:
    return bool(_WHY.search(text))


def reason_words(text: str) -> set[str]:
    """The words asking why ("the most common reasons"): no name of a treatment's kind."""
    return {w for m in _WHY.finditer(text.lower()) for w in re.findall(r"[a-z]+", m.group(0))}


# A question comparing the kinds of care by how IMR decided them ("Which treatments are
# overturned most often?", "what kinds of requests does IMR approve?").
_BY_KIND = re.compile(
    r"\b(?:which|what) (?:kinds? of |types? of |sorts? of |categories of )?"
    r"(?:treatments?|requests?|categories|services|care|therap(?:y|ies)|procedures?|"
    r"medications?|drugs?|medicines?|meds|pills)\b|"
    # "What was approved most often?", "What gets denied the most?"
    r"\bwhat (?:is|was|were|are|gets?|got|has been) (?:\w+ )?(?:approved|denied|upheld|"
    r"overturned|reversed)(?: the)? (?:most|least)\b|"
    # "the most common treatments requested", "top 5 most requested treatments"
    r"\b(?:top \d+|(?:most|least) (?:common(?:ly)?|frequent(?:ly)?|often|popular))(?: (?:most|"
    r"least))?(?: (?:common(?:ly)?|frequent(?:ly)?|often))?(?: (?:requested|disputed|appealed|"
    r"approved|denied|upheld|overturned))? (?:treatments?|requests?|services|care|therap(?:y|ies)|"
    r"procedures?|medications?|drugs?|medicines?|meds|pills)\b|"
    # "What is the most commonly denied medication?", "the least often approved treatments"
    r"\b(?:what|which) (?:is|was|are|were) the (?:most|least) (?:commonly |frequently |often )?"
    r"(?:approved|denied|upheld|overturned|reversed|requested|disputed) (?:treatments?|requests?|"
    r"services|care|therap(?:y|ies)|procedures?|medications?|drugs?|medicines?|meds|pills)\b|"
    # "What was the most common treatment denied?", "the most frequent requests overturned"
    r"\b(?:what|which) (?:is|was|are|were) the (?:most|least) (?:common|frequent|usual) "
    r"(?:treatments?|requests?|services|care|therap(?:y|ies)|procedures?|medications?|drugs?|"
    r"medicines?|meds|pills) (?:(?:that |which )?(?:is|was|were|are|gets?|got) )?(?:approved|"
    r"denied|upheld|overturned|reversed|disputed)\b|"
    # "Which denials are most likely to get overturned?", "least likely to be overturned"
    r"\b(?:which|what) (?:denials|decisions|ones|cases|requests) (?:are|were|get|got) (?:the )?"
    r"(?:most|least) (?:likely|often)\b|"
    r"\b(?:most|least) likely to (?:get |be )?(?:overturned|reversed|upheld|approved|denied)\b|"
    # "Are there any treatments that IMR always approves?"
    r"\bany (?:kinds? of )?(?:treatments?|requests?|services|therap(?:y|ies)|procedures?|"
    r"medications?|drugs?) (?:that|which) [^?.]*\b(?:always|usually|almost always|never|rarely)\b",
    re.I,
)


# A case number as the letters give it ("CM17-0012582"), an item's number after it if any
# ("CM17-0012582#2"): what a decision is looked up by.
_CASE = re.compile(r"\bcm ?(\d{2})[- ]?(\d{7})(?:#(\d{1,3}))?\b", re.I)


def cases_named(text: str) -> list[str]:
    """The letters (case numbers) and items ("...#2") `text` names, spelled as indexed."""
    return [f"CM{m[1]}-{m[2]}" + (f"#{m[3]}" if m[3] else "") for m in _CASE.finditer(text)]


def without_cases(text: str) -> str:
    """`text` with the case numbers it names left out."""
    return _CASE.sub(" ", text)


# Two years asked side by side ("in 2016 compared with 2017"), or a year-by-year tally.
_YEARS = re.compile(r"\b(?:19|20)\d\d\b")
_BY_YEAR = re.compile(
    r"\b(?:by|each|per|every) year\b|\byear (?:by|over|to) year\b|"
    # how the decisions went over time ("a trend over time", "changed over the years")
    r"\btrends?\b|\bover (?:time|the years)\b",
    re.I,
)


# Words of the injury just before a year ("injured in 2010", "a fall at work in 2012"): when
# the worker was hurt, not when IMR decided.
_INJURED = re.compile(
    r"\b(?:injur\w*|hurt|accident|fell|fall|dois?|date of injury)\b\W+(?:\w+\W+){0,5}$|"
    # an operation the worker had then ("a worker who had a fusion in 2010")
    r"\b(?:had|underwent|s/p|status post)\W+(?:\w+\W+){0,4}?(?:surgery|operation|fusion|"
    r"replacement|repair|arthroscopy|scope|laminectomy|discectomy|release)\W+(?:(?:back )?in\W+)?$",
    re.I,
)


def of_injury(text: str, at: int) -> bool:
    """Whether the year at `at` in `text` is when the worker was hurt ("injured in 2010")."""
    return bool(_INJURED.search(text[:at]))


def years_named(text: str) -> set[str]:
    """The years `text` names as when IMR decided ("2016", "2017"; not "injured in 2010")."""
    return {m[0] for m in _YEARS.finditer(text) if not of_injury(text, m.start())}


# How often, before "per year" ("4 per year", "twice a year"): a frequency, no tally by year.
_HOW_OFTEN = re.compile(  # ("4 per year", "UDS x2 per year", "twice a year", "a limit on
    # chiropractic visits per year", "how many per year")
    r"(?:\b(?:\d+|once|twice|times|one|two|three|four|five|six|many|often|visits?|sessions?|treatments?|"
    r"injections?|shots?|refills?|tests?|screens?)|\bx\s?\d+)\s+$",
    re.I,
)


def asks_by_year(text: str) -> bool:
    return len(years_named(text)) > 1 or any(
        not _HOW_OFTEN.search(text, 0, m.start()) for m in _BY_YEAR.finditer(text)
    )


# Decisions tallied by who reviewed them ("Which reviewer specialties overturn most often?").
_BY_REVIEWER = re.compile(
    r"\b(?:which|what) (?:kinds? of |types? of )?(?:reviewers?'? )?specialt(?:y|ies)\b|"
    r"\b(?:which|what) (?:kinds? of |types? of )?reviewers\b|"
    r"\bby (?:the )?reviewer'?s?'? specialty\b|\breviewers?'?s? specialt(?:y|ies)\b|"
    # who the reviewers are ("who are the IMR reviewers?", "what kind of doctors review")
    r"\bwho (?:are|were|is) (?:the )?(?:imr )?reviewers?\b|\bwho (?:reviews|reviewed|decides|"
    r"decided)\b|\b(?:which|what) (?:kinds? of |types? of )?(?:doctors?|physicians?|"
    r"specialists?) (?:(?:are|were|do|did)\b.*\breview|review\w*\b)",
    re.I,
)


def asks_by_reviewer(text: str) -> bool:
    return bool(_BY_REVIEWER.search(text))


# Decisions tallied by the body region the request names ("Which body parts are overturned
# most often?", "by body region").
_BY_REGION = re.compile(
    r"\b(?:which|what) (?:body (?:regions?|parts?|areas?)|regions?|(?:parts?|areas?) of the "
    r"body)\b|\bby (?:the )?(?:body (?:regions?|parts?)|regions?|parts? of the body)\b",
    re.I,
)


def asks_by_region(text: str) -> bool:
    return bool(_BY_REGION.search(text))


# A question asking what the claims administrator (UR) cited ("What citations did the claims
# administrator use for PT denials?", "Which guidelines did UR cite?"), not the reviewer.
_UR_WHO = r"(?:the )?(?:claims administrator|ur|utilization review|carrier|insurer|adjuster)"
_UR_CITED = re.compile(
    rf"\b{_UR_WHO}(?:'?s)? (?:cite[sd]?|citations?|guidelines?|used?|relied on|rel(?:y|ies) on|"
    rf"based (?:its|their) (?:decisions?|denials?) on)\b|\b(?:cited|used|relied on) by {_UR_WHO}\b"
    rf"|\b(?:did|does|do) {_UR_WHO} (?:cite|use|rely on)\b",
    re.I,
)
# The words naming the claims administrator.
UR_WORDS = frozenset("ur utilization review claims administrator carrier insurer adjuster".split())


def asks_ur_cited(text: str) -> bool:
    return bool(_UR_CITED.search(text))


# The decisions asked listed, each named ("list every decision on acupuncture", "show all the
# cases"), not a tally with examples.
_LISTS_DECISIONS = re.compile(
    r"\b(?:list|show|give|name)(?: me)?(?: (?:all|every|each))?(?: of)?(?: the)? (?:decisions?|"
    r"cases?|items?|rulings?|determinations?)\b",
    re.I,
)


def asks_listed(text: str) -> bool:
    return bool(_LISTS_DECISIONS.search(text))


# Decisions tallied by how the worker was injured ("Which mechanisms of injury are overturned
# most often?", "by cause of injury").
_BY_MECHANISM = re.compile(
    r"\b(?:which|what|by|each|per|every) (?:the )?(?:kinds?|types?) of (?:the )?injur(?:y|ies)\b|"
    r"\b(?:mechanisms?|causes?) of (?:the )?injur(?:y|ies)\b|"
    r"\bby how (?:the )?(?:workers?|patients?|employees?) (?:was|were|got) (?:injured|hurt)\b",
    re.I,
)


def asks_by_mechanism(text: str) -> bool:
    return bool(_BY_MECHANISM.search(text))


# A question on why denials were overturned ("the reasons for overturning MRI denials"), not
# on what gets a treatment approved ("What do reviewers want to see before approving ...?": the
# reasons for denying say what is missing).
_OVERTURNING = re.compile(
    r"(?<!not )\b(?:overturn\w*|revers\w*|(?:found|deemed|ruled|held) (?!not)[\w ]{0,30}necessary|"
    r"wins?\b|won\b(?!['’]))",  # "What arguments win at IMR?"
    re.I,
)


def asks_why_overturned(text: str) -> bool:
    return bool(_OVERTURNING.search(text))


def asks_by_kind(text: str) -> bool:
    return bool(_BY_KIND.search(text))


# How a question asks what was asked for, not how it was decided ("the most often requested").
_REQUESTED = re.compile(
    r"\b(?:requested|disputed|asked for|appealed)\b|"
    r"\b(?:most|least) (?:common(?:ly)?|frequent(?:ly)?|popular)\b(?! (?:approved|denied|upheld|"
    r"overturned|reversed))|\btop \d+\b",  # "the most common requests", "the top 5 treatments"
    re.I,
)


def asks_requested(text: str) -> bool:
    return bool(_REQUESTED.search(text))


# The kinds whose denials stand most often, asked ("almost always denied", "hardest to get
# approved", "least likely to be overturned").
_DENIED_MOST = re.compile(
    r"\b(?:almost always|nearly always|always|most often|most likely|most frequently|usually) "
    r"(?:get |gets |be |are |is )?(?:denied|upheld|refused|rejected)\b|"
    r"\bleast (?:often|likely|frequently) (?:to (?:be |get )?)?(?:approved|overturned|granted)\b|"
    r"\bhardest to (?:get )?(?:approved|overturned)\b",
    re.I,
)


def asks_denied_most(text: str) -> bool:
    return bool(_DENIED_MOST.search(text))


def outcome_words(text: str) -> set[str]:
    """The words of `text` that ask how decisions went ("side", "treating", "doctor" in "side
    with the treating doctor")."""
    spans = [m.group(0) for p in (_OUTCOME, _OVERTURNED) for m in p.finditer(text)]
    return {w for span in spans for w in re.findall(r"[a-z][a-z'-]*", span.lower())}


# Decisions asked in the order IMR made them ("the most recent decision on Norco", "the oldest
# lumbar MRI decision", "latest rulings"): a recency word before the decision it orders, so a
# study the worker had ("when the most recent MRI was a year ago") orders nothing.
_DECISION_NOUN = r"(?:\w+ ){0,4}?(?:decisions?|rulings?|determinations?|cases?|letters?)\b"
_NEWEST = re.compile(
    r"\b(?:(?:the )?most recent|latest|newest|last(?! (?:year|month|week|time)s?\b)|recent) "
    rf"{_DECISION_NOUN}|"
    r"\b(?:decided|issued|made) (?:most )?recently\b",
    re.I,
)
_OLDEST = re.compile(rf"\b(?:(?:the )?least recent|oldest|earliest|first) {_DECISION_NOUN}", re.I)


# Decisions asked in the order they were made ("Norco decisions sorted by date", "in
# chronological order"): the oldest first.
_CHRONOLOGICAL = re.compile(
    r"\b(?:sorted|ordered|listed|arranged) by (?:the )?(?:decision )?date\b|"
    r"\bin (?:date|chronological) order\b|\bchronologically\b",
    re.I,
)


def asks_date_order(text: str) -> str | None:
    """ "newest" or "oldest" when `text` asks for decisions by when they were made, else None."""
    newest, oldest = _NEWEST.search(text), _OLDEST.search(text) or _CHRONOLOGICAL.search(text)
    if newest and (not oldest or newest.start() < oldest.start()):
        return "newest"
    return "oldest" if oldest else None


# The largest quantity asked ("the most PT visits IMR has approved", "largest quantity of Norco
# ever approved", "maximum number of sessions"): the population's largest requests, said.
_LARGEST = re.compile(
    r"\b(?:most|largest|biggest|highest|greatest|maximum|max)\s+(?:(?:amount|number|quantity) "
    r"of\s+)?(?:[\w-]+\s+){0,2}?(?:visits?|sessions?|quantity|quantities|amount|"
    r"number|tablets?|pills?|units?|patches|supply)\b",
    re.I,
)


def asks_largest(text: str) -> bool:
    """Whether `text` asks for the largest quantity requested or approved."""
    return bool(_LARGEST.search(text)) and not re.search(
        r"\bmost (?:often|common|frequent|requested)", text, re.I
    )  # (not "the most requested treatments": the kinds, by how many)
