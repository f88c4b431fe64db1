"""Synthetic IMR letters for scale tests, built from our own templates and vocabulary.

Nothing here is copied from the real letters in ../shared. Every letter opens with MARKER and has
an SY case number (SY00-0000001 ...), so a synthetic letter can never pass for a real decision.
Letter `i` of seed `s` is the same text whatever corpus size is asked for, so a 500-letter corpus
is the first 500 letters of a 2,000-letter one.
"""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from rag.citations import parse_citation
from rag.records import Chunk, Decision, Determination, Outcome

MARKER = "SYNTHETIC LETTER - generated for scale tests; not a real decision."
UPHELD_SHARE = 0.89  # about the share in the published decisions
WIDTH = 96

CP = "MTUS Chronic Pain Medical Treatment"
ODG = (
    "The Expert Reviewer based their decision on recommendation(s) outside of the MTUS "
    "Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG)"
)


@dataclass(frozen=True)
class Family:
    """A kind of disputed treatment: how it is named, cited, justified and refused."""

    names: tuple[str, ...]  # str.format templates over the letter's values
    citations: tuple[str, ...]  # the guideline citation, as the MAXIMUS line gives it
    criteria: tuple[str, ...]  # what the guideline asks for
    against: tuple[str, ...]  # facts of the case that fail the criteria
    supports: tuple[str, ...]  # facts of the case that meet them


# The vocabulary is data: hand-laid rows read better than one string per line.
# fmt: off
FAMILIES = (
    Family(
        ("Norco 10/325mg #{qty}", "Hydrocodone/APAP 7.5/325mg #{qty}", "Tramadol ER 150mg #{q30}",
         "Oxycodone 10mg #{qty}", "Tapentadol 50mg #{qty}", "Morphine sulfate ER 15mg #{qty}"),
        (f"Decision based on {CP} {{cp_year}}, Section(s): Opioids, criteria for use.",
         f"Decision based on {CP} {{cp_year}}, Section(s): Opioids, criteria for use, Opioids "
         "for chronic pain.",
         "Decision based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 74-96."),
        ("Ongoing opioid therapy calls for documented analgesia, activity gains, adverse effect "
         "checks and screening for aberrant behavior at every visit.",
         "Opioids are continued when the worker returns to work or shows a measurable gain in "
         "function or a clear fall in pain scores.",
         "A daily morphine equivalent above 100 mg warrants a pain specialist review and a "
         "written taper plan.",
         "Random toxicology screens and a prescription monitoring report are part of safe long "
         "term prescribing."),
        ("The notes record pain at {pain}/10 with the medication and {pain_off}/10 without it, "
         "with no task the worker can now do because of it.",
         "No toxicology screen or prescription monitoring report appears in the file since "
         "{date}.",
         "The worker has taken opioids for {months} months and remains on total disability.",
         "The morphine equivalent dose is {mme} mg per day and no taper has been attempted."),
        ("The {date} report documents pain falling from {pain_off}/10 to {pain}/10 and walking "
         "tolerance rising to {minutes} minutes.",
         "A consistent toxicology screen dated {date} and a signed agreement are on file.",
         "The worker returned to modified duty {weeks} weeks ago while on the current dose."),
    ),
    Family(
        ("Cyclobenzaprine 7.5mg #{qty}", "Tizanidine 4mg #{qty}", "Methocarbamol 750mg #{qty}",
         "Baclofen 10mg #{qty}", "Carisoprodol 350mg #{q30}"),
        (f"Decision based on {CP} {{cp_year}}, Section(s): Muscle relaxants (for pain).",
         f"Decision based on {CP} {{cp_year}}, Section(s): Muscle relaxants (for pain), "
         "Antispasmodics."),
        ("Muscle relaxants are a second line option for short courses during acute flares.",
         "Benefit from muscle relaxants fades after the first weeks, and use beyond three weeks "
         "is not advised.",
         "Sedation and dependence limit the use of antispasmodic drugs in chronic pain."),
        ("The worker has taken the drug daily for {months} months without a documented flare.",
         "No spasm was found on examination on {date}.",
         "The quantity requested reflects continued daily use rather than a short course."),
        ("The {date} note records a new flare with palpable spasm of the {region} muscles.",
         "The request is for a ten day course after an acute exacerbation.",
         "This is the first prescription of a muscle relaxant for this injury."),
    ),
    Family(
        ("Naproxen sodium 550mg #{qty}", "Ibuprofen 800mg #{qty}", "Meloxicam 15mg #{q30}",
         "Diclofenac sodium ER 100mg #{q30}", "Celecoxib 200mg #{q30}"),
        (f"Decision based on {CP} {{cp_year}}, Section(s): NSAIDs (non-steroidal "
         "anti-inflammatory drugs).",
         f"Decision based on {CP} {{cp_year}}, Section(s): NSAIDs (non-steroidal "
         "anti-inflammatory drugs), NSAIDs, specific drug list & adverse effects."),
        ("Anti-inflammatory drugs are advised at the lowest dose for the shortest period in back "
         "and joint pain.",
         "Blood pressure and renal and hepatic labs should be checked with ongoing use.",
         "The guideline finds no evidence that one anti-inflammatory works better than another."),
        ("The creatinine on {date} was {creatinine} mg/dL and the primary physician advised "
         "stopping the drug.",
         "The notes do not say what the drug has done for pain or function over {months} months.",
         "The worker also takes a second anti-inflammatory, which doubles the risk."),
        ("Pain fell from {pain_off}/10 to {pain}/10 and the worker now tolerates a full shift.",
         "Recent labs on {date} were normal and no stomach symptoms are reported.",
         "The drug is used intermittently during flares, as the guideline prefers."),
    ),
    Family(
        ("Omeprazole 20mg #{qty}", "Pantoprazole 40mg #{q30}", "Lansoprazole 30mg #{q30}",
         "Esomeprazole 40mg #{q30}"),
        (f"Decision based on {CP} {{cp_year}}, Section(s): NSAIDs, GI symptoms & cardiovascular "
         "risk.",),
        ("A proton pump inhibitor is supported for a worker on anti-inflammatory drugs at "
         "intermediate or high risk of a stomach event.",
         "Risk factors include age over 65, prior ulcer or bleeding, and use of steroids, "
         "anticoagulants or aspirin."),
        ("No anti-inflammatory drug is currently prescribed.",
         "The worker is {age} and the file records no ulcer, bleeding or dyspepsia.",
         "No stomach complaint appears in any note since {date}."),
        ("The worker had a bleeding ulcer in {year_before} and still takes naproxen.",
         "Dyspepsia on naproxen is recorded on {date} and improved on the medication.",
         "The worker takes low dose aspirin with the anti-inflammatory drug."),
    ),
    Family(
        ("Gabapentin 600mg #{qty}", "Gabapentin 300mg #{qty}", "Pregabalin 75mg #{qty}",
         "Topiramate 50mg #{qty}", "Duloxetine 30mg #{q30}"),
        (f"Decision based on {CP} {{cp_year}}, Section(s): Antiepilepsy drugs (AEDs).",
         f"Decision based on {CP} {{cp_year}}, Section(s): Antiepilepsy drugs (AEDs), "
         "Gabapentin (Neurontin).",
         f"Decision based on {CP} {{cp_year}}, Section(s): Antidepressants for chronic pain."),
        ("Neuropathic pain drugs are first line for radicular and nerve pain.",
         "A response is a pain reduction of at least 30 percent with better function, and each "
         "visit should record it.",
         "Without neuropathic findings the drugs are not advised for axial or muscular pain."),
        ("The examination on {date} found intact sensation and reflexes with no radicular signs.",
         "After {months} months of use no change in pain or function is documented.",
         "The worker reports dizziness and weight gain on the drug."),
        ("Burning pain in a dermatomal pattern into the {side} leg is documented with reduced "
         "sensation.",
         "The {date} note records pain down from {pain_off}/10 to {pain}/10 and better sleep.",
         "Electrodiagnostic testing confirmed a radiculopathy."),
    ),
    Family(
        ("Lidocaine 5% patch #{q30}", "Diclofenac 1% gel 100gm", "Capsaicin 0.075% cream",
         "Compounded flurbiprofen/lidocaine cream 180gm", "Menthol/methyl salicylate cream 120gm"),
        (f"Decision based on {CP} {{cp_year}}, Section(s): Topical Analgesics.",
         f"Decision based on {CP} {{cp_year}}, Section(s): Topical Analgesics, Lidoderm "
         "(lidocaine patch)."),
        ("Topical agents are largely experimental, and any compound holding one unsupported "
         "drug is not supported.",
         "A lidocaine patch is considered for localized nerve pain after a trial of first line "
         "agents.",
         "Topical anti-inflammatory gels are advised for joints amenable to topical treatment, "
         "not the spine."),
        ("The cream is to be applied to the {region}, where the topical route is not supported.",
         "No trial of a first line oral agent is recorded.",
         "The compound contains an ingredient the guideline does not support."),
        ("The worker has localized nerve pain and could not tolerate gabapentin.",
         "The gel is for osteoarthritis of the {side} knee after oral drugs caused stomach pain.",
         "The {date} note records a clear fall in pain with the patch."),
    ),
    Family(
        ("MRI of the {region} without contrast", "MRI of the {region}", "X-rays of the {region}",
         "CT scan of the {region}"),
        ("Decision based on MTUS {chapter} Complaints 2004, Section(s): Special Studies.",
         "Decision based on MTUS {chapter} Complaints 2004, Section(s): Special Studies, "
         "Diagnostic Criteria."),
        ("Imaging is reserved for red flags, clear nerve compromise that has not responded to "
         "care, or planning of surgery.",
         "Imaging in the first six weeks without red flags seldom changes treatment.",
         "Repeat imaging is for a significant change in symptoms or findings."),
        ("The examination on {date} found normal strength, reflexes and sensation.",
         "An MRI of the same region in {year_before} showed mild degenerative change, and nothing "
         "has changed since.",
         "No red flag appears in the history and surgery is not being considered."),
        ("Weakness of {strength}/5 and loss of sensation developed after {weeks} weeks of "
         "therapy.",
         "The surgeon on {date} asked for imaging to plan an operation.",
         "Night pain and weight loss raise concern for a serious condition."),
    ),
    Family(
        ("EMG/NCV of the bilateral lower extremities", "EMG/NCV of the bilateral upper "
         "extremities", "Nerve conduction study of the {side} upper extremity"),
        ("Decision based on MTUS {chapter} Complaints 2004, Section(s): Special Studies. "
         "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) {odg}, "
         "Electrodiagnostic testing.",
         "Decision based on MTUS {chapter} Complaints 2004, Section(s): Special Studies."),
        ("Electrodiagnostic studies help find subtle nerve dysfunction when symptoms last more "
         "than four weeks.",
         "Testing is not needed when radiculopathy is already clinically obvious."),
        ("The examination on {date} is entirely normal and no numbness is reported.",
         "An MRI already shows a nerve root compression that matches the symptoms.",
         "Studies of the same limbs were done {months} months ago."),
        ("Numbness in the {side} hand has lasted {weeks} weeks despite a splint and therapy.",
         "The examination shows patchy sensory loss that does not fit one nerve root."),
    ),
    Family(
        ("Physical therapy {visits} sessions for the {region}", "Physical therapy {visits} "
         "sessions", "Aquatic therapy {visits} sessions", "Chiropractic treatment {visits} "
         "sessions", "Acupuncture {visits} sessions"),
        (f"Decision based on {CP} 2009, Section(s): Physical Medicine.",
         f"Decision based on {CP} 2009, Section(s): Manual therapy & manipulation.",
         "Decision based on MTUS Acupuncture Treatment 2007.",
         f"Decision based on {CP} 2009, Section(s): Aquatic therapy."),
        ("The guideline allows 9 to 10 visits over 8 weeks for muscle pain, fading to a home "
         "program.",
         "Further visits depend on objective functional gains from the first block.",
         "An initial trial of 3 to 6 treatments is advised, with more only when function "
         "improves."),
        ("The worker has had {prior} visits for this injury, more than the guideline allows.",
         "No gain in range of motion or strength is recorded after the last block of visits.",
         "The worker is able to continue with a home exercise program."),
        ("The worker has had no therapy for this injury.",
         "After {prior} visits, lifting rose from {lift} to {lift2} pounds and the worker went "
         "back to modified work.",
         "A new flare on {date} followed a return to full duty."),
    ),
    Family(
        ("{side} L{disc} transforaminal epidural steroid injection",
         "Cervical epidural steroid injection at C{cdisc}",
         "{side} L{disc} medial branch block", "Radiofrequency ablation at L{disc} on the "
         "{side_lower} side"),
        (f"Decision based on {CP} 2009, Section(s): Epidural steroid injections (ESIs).",
         f"{ODG} Low Back, Facet joint radiofrequency neurotomy.",
         f"{ODG} Low Back, Facet joint diagnostic blocks (injections)."),
        ("Injections call for radiculopathy found on examination and confirmed by imaging or "
         "electrodiagnostic testing, after failed conservative care.",
         "A repeat injection requires 50 to 70 percent pain relief for six to eight weeks after "
         "the last one.",
         "Facet procedures are limited to non-radicular pain at no more than two levels."),
        ("The {date} examination found no radicular signs.",
         "The last injection gave {relief} percent relief for {weeks_short} weeks.",
         "The worker has not yet tried physical therapy for this flare."),
        ("Imaging shows a disc protrusion at the level with matching dermatomal numbness.",
         "The prior injection gave 70 percent relief for {weeks} weeks and less medication use.",
         "Therapy and medications over {months} months have failed."),
    ),
    Family(
        ("{side} knee arthroscopy with partial medial meniscectomy", "{side} open carpal tunnel "
         "release", "{side} shoulder arthroscopy with subacromial decompression",
         "{side} total knee arthroplasty", "L{disc} microdiscectomy"),
        ("Decision based on MTUS {chapter} Complaints 2004, Section(s): Surgical "
         "Considerations.",
         "Decision based on MTUS {chapter} Complaints 2004, Section(s): Surgical Considerations. "
         "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) {odg}, "
         "Surgery."),
        ("Surgery is considered when imaging shows a lesion that matches the examination and "
         "conservative care has failed.",
         "Three to six months of conservative care should come first for most joint problems.",
         "Mechanical symptoms such as locking support arthroscopy more than pain alone."),
        ("Conservative care has lasted only {weeks} weeks.",
         "The imaging findings are degenerative and do not match the examination.",
         "No injection or therapy trial is recorded before the request."),
        ("The joint locks several times a week and imaging shows a matching tear.",
         "Conduction studies on {date} show moderate median nerve slowing after {months} months "
         "of splinting.",
         "Six months of therapy, injection and medication have not helped."),
    ),
    Family(
        ("TENS unit 30 day trial", "Home health aide {hours} hours per day for {weeks} weeks",
         "Functional restoration program {frp} hours", "Urine drug screen",
         "Lumbar support brace", "Cold therapy unit 7 day rental"),
        (f"Decision based on {CP} {{cp_year}}, Section(s): Transcutaneous electrotherapy.",
         f"Decision based on {CP} {{cp_year}}, Section(s): Home health services.",
         f"Decision based on {CP} {{cp_year}}, Section(s): Functional restoration programs "
         "(FRPs).",
         f"Decision based on {CP} {{cp_year}}, Section(s): Drug testing.",
         f"{ODG} Low Back, Lumbar supports.",
         f"{ODG} Shoulder, Continuous-flow cryotherapy."),
        ("A one month home trial is advised before purchase, as an adjunct to a program of "
         "restoration.",
         "Home health services cover medical care for workers who are homebound, not homemaking.",
         "A program is advised when prior methods have failed and the worker is motivated to "
         "change.",
         "Testing is advised for workers on opioids with a risk of misuse."),
        ("No plan for the device beyond pain relief is given.",
         "The worker drives to appointments and is not homebound.",
         "The worker has not had a baseline functional evaluation.",
         "A screen on {date} was consistent and no risk factor is recorded."),
        ("A trial on {date} cut medication use and the worker can now sleep through the night.",
         "The worker is homebound after surgery and needs wound care.",
         "Baseline testing shows clear deficits and the worker wants to return to work.",
         "The last screen was {months} months ago and opioids continue."),
    ),
)

GENERIC = (
    "The reviewer read every record in the file, including the progress notes of {date} and "
    "{date2}.",
    "The treating physician's note of {date} gives the same plan as the prior {months} months.",
    "The worker reports pain at {pain}/10 in the {region} and is working {work}.",
    "The records describe {dx} since the injury on {injury}.",
    "Utilization review on {ur} found the request did not meet the guideline.",
    "The appeal letter of {date2} restates the request without new clinical findings.",
    "Range of motion of the {region} was reduced by {loss} percent on the last examination.",
    "The guideline's criteria are applied as written to the facts in the record.",
    "The worker is {age} years old and was injured on {injury}.",
    "No functional capacity evaluation is in the record.",
)

REGIONS = {  # body region: (MTUS chapter, ODG chapter, diagnoses)
    "lumbar spine": ("Low Back", "Low Back", ("lumbar sprain", "lumbar disc protrusion",
                                               "lumbar radiculopathy", "facet arthropathy")),
    "cervical spine": ("Neck and Upper Back", "Neck and Upper Back",
                       ("cervical strain", "cervical radiculopathy", "cervical disc disease")),
    "shoulder": ("Shoulder", "Shoulder", ("rotator cuff tendinitis", "impingement syndrome",
                                          "partial rotator cuff tear")),
    "knee": ("Knee", "Knee & Leg", ("medial meniscus tear", "knee osteoarthritis",
                                    "patellofemoral pain")),
    "wrist": ("Forearm, Wrist, and Hand", "Forearm, Wrist, & Hand",
              ("carpal tunnel syndrome", "wrist tenosynovitis", "lateral epicondylitis")),
}
SPECIALTIES = ("Orthopedic Surgery", "Physical Medicine & Rehabilitation", "Pain Management",
               "Anesthesiology", "Occupational Medicine", "Family Practice", "Internal Medicine",
               "Neurology", "Chiropractic", "Acupuncture")
STATES = ("California", "Texas", "Nevada", "Arizona", "Oregon", "Washington", "Colorado",
          "New York", "Florida", "Illinois", "Ohio", "Maryland")
JOBS = ("warehouse worker", "truck driver", "nurse aide", "cashier", "carpenter", "teacher",
        "custodian", "police officer", "line cook", "office assistant", "electrician", "farmer")
MECHANISMS = ("lifting a box of parts", "slipping on a wet floor", "falling from a ladder",
              "pulling a loaded pallet jack", "repetitive keyboard work", "a rear-end collision",
              "restraining a patient", "stepping off a loading dock", "twisting under a load")
TREATMENTS = ("physical therapy", "chiropractic care", "acupuncture", "a home exercise program",
              "activity modification", "medications", "injections", "a back brace", "splinting")
SIDES = ("Left", "Right", "Bilateral")
# fmt: on


@lru_cache(maxsize=4096)
def _citation(text: str) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    found = parse_citation(text)
    return found.sources, found.mtus_sections, found.pages


def synth_determination(index: int, seed: int = 0) -> Determination:
    """Letter `index` (1-based) of the synthetic corpus `seed`, as the parser should read it."""
    rng = random.Random(f"imr-synth:{seed}:{index}")
    decided = date(2014, 1, 1) + timedelta(days=rng.randrange(365 * 10))
    injury = decided - timedelta(days=rng.randrange(200, 365 * 8))
    ur = decided - timedelta(days=rng.randrange(30, 90))
    region = rng.choice(tuple(REGIONS))
    chapter, odg, diagnoses = REGIONS[region]
    side = rng.choice(SIDES)
    age, sex = rng.randrange(22, 68), rng.choice(("male", "female"))
    values = {
        "region": region if region.endswith("spine") else f"{side.lower()} {region}",
        "chapter": chapter,
        "odg": odg,
        "side": side,
        "side_lower": side.lower(),
        "dx": rng.choice(diagnoses),
        "age": age,
        "injury": _us(injury),
        "ur": _us(ur),
        "year_before": injury.year,
        "cp_year": rng.choice(("2009", "2016")),
        "work": rng.choice(("full duty", "modified duty", "no hours", "part time")),
    }
    items = tuple(_decision(n, rng, values, decided) for n in range(1, 1 + _item_count(rng)))
    summary = _summary(rng, values, age, sex, injury, ur, items)
    return Determination(
        doc_id=f"SY{seed % 100:02d}-{index:07d}",
        case_number=f"SY{seed % 100:02d}-{index:07d}",
        date_of_injury=injury.isoformat(),
        decision_date=decided.isoformat(),
        reviewer_specialty=rng.choice(SPECIALTIES),
        reviewer_licensure=tuple(rng.sample(STATES, rng.randrange(1, 4))),
        patient_age=age,
        patient_sex=sex,
        case_summary=summary,
        items=items,
    )


def _item_count(rng: random.Random) -> int:
    return min(8, 1 + int(rng.expovariate(1 / 1.75)))  # mean about 2.3 items per letter


def _decision(n: int, rng: random.Random, values: dict, decided: date) -> Decision:
    family = rng.choice(FAMILIES)
    day = decided - timedelta(days=rng.randrange(20, 190))  # after the injury (200+ days back)
    values = {
        **values,
        "date": _us(day),
        "date2": _us(day + timedelta(days=rng.randrange(7, 90))),
        "qty": rng.choice((30, 60, 90, 120, 180)),
        "q30": rng.choice((30, 60)),
        "pain": rng.randrange(2, 8),
        "pain_off": rng.randrange(6, 11),
        "months": rng.randrange(2, 40),
        "weeks": rng.randrange(2, 16),
        "weeks_short": rng.randrange(1, 5),
        "minutes": rng.randrange(10, 60),
        "mme": rng.randrange(40, 240, 5),
        "creatinine": f"{rng.uniform(1.2, 2.4):.1f}",
        "strength": rng.choice((3, 4)),
        "visits": rng.choice((6, 8, 12, 18, 24)),
        "prior": rng.randrange(6, 40),
        "lift": rng.randrange(5, 20),
        "lift2": rng.randrange(20, 50),
        "disc": rng.choice(("4-L5", "5-S1", "3-L4")),
        "cdisc": rng.choice(("5-C6", "6-C7")),
        "relief": rng.randrange(10, 45),
        "hours": rng.randrange(2, 9),
        "frp": rng.choice((80, 160)),
        "loss": rng.randrange(10, 60),
    }
    item = rng.choice(family.names).format_map(values)
    citation = rng.choice(family.citations).format_map(values)
    outcome = Outcome.UPHELD if rng.random() < UPHELD_SHARE else Outcome.OVERTURNED
    facts = family.against if outcome is Outcome.UPHELD else family.supports
    said = rng.sample(family.criteria, rng.randrange(1, len(family.criteria) + 1))
    said += rng.sample(facts, rng.randrange(1, len(facts) + 1))
    said += rng.sample(GENERIC, min(len(GENERIC), int(rng.expovariate(1 / 3))))
    verdict = (
        "is not medically necessary" if outcome is Outcome.UPHELD else "is medically necessary"
    )
    said.append(f"{rng.choice(('', 'The request for '))}{item} {verdict}.")
    original = authorized = None
    if "{visits}" in family.names[0] and rng.random() < 0.15:  # a partial decision
        original = item.replace(str(values["visits"]), str(values["visits"] * 2), 1)
        authorized = item
    sources, sections, pages = _citation(citation)
    return Decision(
        item_index=n,
        item=item,
        outcome=outcome,
        claims_administrator_guideline=citation,
        maximus_guideline=citation,
        rationale=" ".join(s.format_map(values) for s in said),
        original_request=original,
        authorized_portion=authorized,
        guideline_sources=sources,
        mtus_sections=sections,
        pages=pages,
    )


def _summary(
    rng: random.Random,
    values: dict[str, object],
    age: int,
    sex: str,
    injury: date,
    ur: date,
    items: tuple[Decision, ...],
) -> str:
    asked = ", ".join(d.original_request or d.item for d in items)
    tried = "{}, {} and {}".format(*rng.sample(TREATMENTS, 3))
    return " ".join(
        (
            f"The injured worker is a {age} year old {sex} {rng.choice(JOBS)} who sustained an "
            f"industrial injury on {_us(injury)} while {rng.choice(MECHANISMS)}.",
            f"The diagnoses include {values['dx']} of the {values['region']}.",
            f"Treatment to date has included {tried}.",
            f"On the latest visit pain in the {values['region']} was rated {rng.randrange(3, 10)} "
            f"out of 10 and the worker was working {values['work']}.",
            f"The request for authorization asked for {asked}.",
            f"On {_us(ur)}, utilization review non-certified the request.",
        )
    )


def _us(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def render_letter(det: Determination) -> str:
    """The letter's text, laid out as the published letters are (and as the parser reads them)."""

    def wrap(text: str) -> str:
        return textwrap.fill(text, WIDTH, break_long_words=False, break_on_hyphens=False)

    def us(iso: str) -> str:
        return _us(date.fromisoformat(iso))

    decided = date.fromisoformat(det.decision_date)
    parts = [
        MARKER,
        f"Case Number: {det.case_number}",
        f"Date Assigned: {_us(decided - timedelta(days=40))} Date of Injury:  "
        f"{us(det.date_of_injury)}",
        f"Decision Date: {_us(decided)} UR Denial Date:  {_us(decided - timedelta(days=60))}",
        "Priority:  Standard Application\nReceived:\n" + _us(decided - timedelta(days=50)),
        "",
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        wrap(
            "This synthetic letter imitates the layout of an IMR final determination. An "
            "imaginary independent reviewer with no tie to any party read an imaginary case "
            "file; every name, date and finding below was drawn at random for testing."
        ),
        "",
        "The Expert Reviewer has the following credentials:",
        f"State(s) of Licensure: {', '.join(det.reviewer_licensure)}",
        f"Certification(s)/Specialty: {det.reviewer_specialty}",
        "",
        "CLINICAL CASE SUMMARY",
        "The expert reviewer developed the following clinical case summary based on a review "
        "of the case\nfile, including all medical records:",
        "",
        wrap(det.case_summary),
        "",
        "IMR ISSUES, DECISIONS AND RATIONALES",
        "The Final Determination was based on decisions for the disputed items/services set "
        "forth below:",
    ]
    for d in det.items:
        line = f"{d.item}: {d.outcome}"
        if d.original_request:
            line = (
                f"{d.original_request} was the original request. {d.authorized_portion} was "
                "authorized by the Claims Administrator. The remaining IMR eligible portion "
                f"of the original request, {d.item} is: {d.outcome}"
            )
        parts += [
            "",
            wrap(line),
            "",
            wrap(f"Claims Administrator guideline: {d.claims_administrator_guideline}"),
            "",
            wrap(f"MAXIMUS guideline: {d.maximus_guideline}"),
            "",
            wrap(f"Decision rationale: {d.rationale}"),
        ]
    return "\n".join(parts) + "\n"


def write_corpus(out_dir: Path, count: int, seed: int = 0) -> list[Path]:
    """Write letters 1..`count` as `<case number>.txt` under `out_dir`; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(1, count + 1):
        det = synth_determination(index, seed)
        path = out_dir / f"{det.doc_id}.txt"
        path.write_text(render_letter(det), encoding="utf-8")
        paths.append(path)
    return paths


_WORDS = re.compile(r"\S+")


def chunk_determination(
    det: Determination, chunk_words: int = 150, overlap_words: int = 24
) -> Iterator[Chunk]:
    """Each rationale cut into windows of `chunk_words` words overlapping by `overlap_words`.

    Close to what the 200-token splitter gives, without a tokenizer, so a million chunks take
    minutes rather than hours.
    """
    step = max(1, chunk_words - overlap_words)
    for d in det.items:
        words = _WORDS.findall(d.rationale)
        for n, lo in enumerate(range(0, max(1, len(words) - overlap_words), step)):
            yield Chunk.of(det, d, n, " ".join(words[lo : lo + chunk_words]))


def iter_chunks(count: int, seed: int = 0, start: int = 1) -> Iterator[Chunk]:
    """The first `count` chunks of letters `start`, `start + 1`, ...: no files, no parsing.

    Another `seed` gives a disjoint set of letters (held-out queries for a benchmark).
    """
    index = start
    while count > 0:
        for chunk in chunk_determination(synth_determination(index, seed)):
            yield chunk
            count -= 1
            if count == 0:
                return
        index += 1
