"""Golden tests for ``rag.parsing``: field values pinned by hand from reading the letters.

Every expectation below was written from a human reading of the letter text (the ``.txt``
files, checked against the ``.pdf`` page layout), not from parser output. These tests are
the spec: if the parser disagrees, the parser is wrong unless a comment here flags the
reading as a judgement call.

Kept deliberately small in what it quotes: for the case summary and each rationale only a
short start (first ~6 words) and end (last ~4 words) are pinned, never whole passages.

Judgement calls (the letter text itself allows more than one reading):

* ``mtus_sections`` splits a "Section(s): ..." list on commas, but keeps MTUS section
  names that themselves contain a comma in one piece, as a reader of the MTUS would:
  "Opioids, criteria for use", "TENS, chronic pain (...)", "Topical analgesics, compounded",
  "NSAIDs, GI symptoms & cardiovascular risk", "NSAIDs, hypertension and renal function",
  "NSAIDs, specific drug list & adverse effects", "Benzodiazepine dependence, maintenance",
  and the Postsurgical Treatment section "Forearm, Wrist, & Hand" (the Claims
  Administrator line of CM17-0006912 cites that exact name on its own).
* Sections of every guideline named in one MAXIMUS line are collected in letter order
  ("... Section(s): Special Studies, and Chronic Pain ... Section(s): Electro-
  diagnostic testing (EMG/NCS)" -> both). A section name broken over a line with a
  hyphen ("Electro-" / "diagnostic") is re-joined to the real MTUS name.
* Old-style citations ("MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 76-80")
  give the topic before "Page(s)" as the section ("Opioids"; "Part 2, Muscle relaxants"
  -> "Muscle relaxants"); "MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303-305"
  names a whole chapter, not a section, so its section list is empty.
* ``pages`` only comes from an MTUS "Page(s): ..." citation; a "pg. 607" inside a
  Non-MTUS ACOEM citation is not an MTUS page reference (-> None).
* Partial decisions come in two wordings; both map to original_request / authorized_portion
  / item the same way, the text kept verbatim (articles and typos included):
    "X was the original request. Y was authorized by the Claims Administrator. The
     remaining IMR eligible portion of the original request, Z is: Upheld"
    "X was the original request. The Claims Administrator authorized Y, leaving the
     original request IMR eligible. The original request, Z is: Upheld"
* Header dates win over dates in the narrative (CM16-0239569, CM16-0248698 and
  CM16-0219557 give a different injury date in the summary). Typos in the letter are kept
  as written ("Sports Medicinea", "Trezix capsule 30.5/30/16mg").
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from rag.parsing import parse_file

SEEDS, TXT = "seeds", "txt"
ALL_SOURCES = {"ACOEM", "MTUS", "ODG", "OTHER"}
NO_CITATION = "The Expert Reviewer did not cite any medical evidence for its decision."


def expect_item(
    item, outcome, sources, sections=(), pages=None, *, why, orig=None, auth=None, ca=None, mg=None
):
    """One expected item. ``why`` = (rationale start, rationale end)."""
    return dict(
        item=item,
        outcome=outcome,
        sources=sorted(sources),
        sections=list(sections),
        pages=pages,
        why=why,
        orig=orig,
        auth=auth,
        ca=ca,
        mg=mg,
    )


def L(
    src,
    name,
    *,
    injury=None,
    decided=None,
    specialty,
    licensure,
    age,
    sex,
    summary,
    items,
    pdf=False,
    covers="",
):
    """One expected letter. ``summary`` = (case summary start, case summary end)."""
    return dict(
        src=src,
        name=name,
        doc_id=name,
        case_number=name if src == TXT else None,
        injury=injury,
        decided=decided,
        specialty=specialty,
        licensure=licensure,
        age=age,
        sex=sex,
        summary=summary,
        items=items,
        pdf=pdf,
        covers=covers,
    )


# Shared rationale snippets (letters that reuse one boilerplate rationale).
ANCILLARY = (
    "As the requested surgical intervention is",
    "ancillary service is not medically necessary.",
)
TAPER_END = "terminating opioids for this patient."
NMN = "the request is not medically necessary."

LETTERS = [
    # ------------------------------------------------------------------ seeds (no header)
    L(
        SEEDS,
        "000_44c7c734235c02aa",
        specialty="Family Practice",
        licensure=["Arizona", "California"],
        age=55,
        sex="male",
        summary=(
            "The injured worker is a 55 year old male,",
            "EMG-NCV of the bilateral lower extremities.",
        ),
        covers="seed; new-style Section(s) list with a comma inside a section name; wrapped item line; "
        "Claims Administrator cites ODG but MAXIMUS only MTUS",
        items=[
            expect_item(
                "Norco 7.5/325mg, #60",
                "Upheld",
                ["MTUS"],
                ["Opioids, criteria for use", "Opioids for chronic pain"],
                why=(
                    "Norco is a short acting opioid used",
                    "continued use of Norco is not medically necessary.",
                ),
                ca="Decision based on MTUS Chronic Pain Medical Treatment 2009.",
                mg="Decision based on MTUS Chronic Pain Medical Treatment 2009, Section(s): Opioids, criteria for use, "
                "Opioids for chronic pain.",
            ),
            expect_item(
                "Electromyogram (EMG) and nerve conduction velocity (NCV) of the bilateral lower extremities",
                "Upheld",
                ["MTUS"],
                ["Summary", "Special Studies"],
                why=(
                    "According to the guidelines, an EMG is",
                    "of the legs is not medically necessary.",
                ),
                mg="Decision based on MTUS Low Back Complaints 2004, Section(s): Summary, Special Studies.",
            ),
        ],
    ),
    L(
        SEEDS,
        "001_cb95d86220435983",
        specialty="Family Medicine",
        licensure=["New Jersey"],
        age=37,
        sex="male",
        summary=("The patient is a 37 year old male who", "and exercise with minimal benefit."),
        covers="seed; 'Board Certified in ... licensed to practice in ...' credentials; old-style Page(s)",
        items=[
            expect_item(
                "NORCO 10/325MG #120",
                "Upheld",
                ["MTUS"],
                ["Opioids"],
                "76-80",
                why=(
                    "MTUS Chronic Pain Medical Treatment Guidelines require",
                    "not medically necessary and appropriate.",
                ),
                ca="Decision based on MTUS Chronic Pain Treatment Guidelines Opioids.",
                mg="Decision based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 76-80.",
            ),
        ],
    ),
    L(
        SEEDS,
        "002_2d968d1fe847d0dd",
        specialty="Family Practice",
        licensure=["New Jersey"],
        age=42,
        sex="male",
        summary=(
            "The injured worker is a 42-year-old male, who",
            "imaging (MRI) of the right hip.",
        ),
        covers="seed; old-style Page(s); MTUS ACOEM chapter counts as MTUS; ODG-only; page break inside rationale",
        items=[
            expect_item(
                "Norco 5/325mg #120",
                "Upheld",
                ["MTUS"],
                ["Opioids"],
                "78-96",
                why=(
                    "The MTUS Chronic Pain Medical Treatment Guidelines state",
                    "evidence of benefit is provided for review.",
                ),
            ),
            # A whole ACOEM chapter with a page range, no section name in it (see module docstring).
            expect_item(
                "NCS bilateral lower extremities",
                "Upheld",
                ["MTUS"],
                [],
                "303-305",
                why=(
                    "The MTUS ACOEM Guidelines state that",
                    "findings suggestive of lumbar radiculopathy.",
                ),
                mg="Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303-305.",
            ),
            expect_item(
                "MRI right hip",
                "Upheld",
                ["ODG"],
                why=(
                    "The MTUS Guidelines do not clearly address",
                    "imaging is not medically necessary.",
                ),
                mg="The Expert Reviewer did not base their decision on the MTUS. Decision based on Non-MTUS Citation "
                "ODG, Hip and Pelvis, MRI.",
            ),
        ],
    ),
    L(
        SEEDS,
        "003_e57c482dd8f76b11",
        specialty="Occupational Medicine",
        licensure=["California"],
        age=40,
        sex="male",
        summary=(
            "According to the provided documents, this is a 40-year-old male",
            "Degenerative disc disease L5-S1.",
        ),
        covers="seed; 'Board Certified in' credentials; old-style Page(s) incl. a list of ranges and 'Part 2,'; "
        "no-citation Claims Administrator guideline",
        items=[
            expect_item(
                "Lumbar epidural steroid injection (LESI) times 2 to L4-S1",
                "Upheld",
                ["MTUS"],
                ["Epidural steroid injections (ESI's)"],
                "46",
                why=(
                    "MTUS chronic pain guidelines indicate that epidural",
                    "not considered to be medically necessary.",
                ),
                ca="The Claims Administrator did not cite any medical evidence for its decision.",
            ),
            expect_item(
                "Pharmacy purchase of Norco 10/325 mg #180",
                "Upheld",
                ["MTUS"],
                ["Opioids"],
                "74-75, 78-79",
                why=(
                    "Norco is one brand name for Hydrocodone,",
                    "the Norco is not medically necessary.",
                ),
            ),
            # "Part 2, Muscle relaxants": "Part 2" is a part of the guideline, not a section name.
            expect_item(
                "Flexeril 7.5 mg #90",
                "Upheld",
                ["MTUS"],
                ["Muscle relaxants"],
                "63-64",
                why=(
                    "Flexeril is a sedating muscle relaxant",
                    "this is not considered to be medically necessary.",
                ),
            ),
        ],
    ),
    L(
        SEEDS,
        "004_83b90a26cef0192d",
        specialty="Family Practice",
        licensure=["Arizona", "California"],
        age=48,
        sex="male",
        summary=(
            "The injured worker is a 48 year old male who",
            "are approved for weaning purposes.",
        ),
        covers="seed; 'DOS:' inside item names; guideline label and Section(s) split over lines",
        items=[
            expect_item(
                "Norco 10/325mg #120 DOS: 8/4/15",
                "Upheld",
                ["MTUS"],
                ["Opioids for chronic pain", "Opioids for neuropathic pain"],
                why=(
                    "Norco is a short acting opioid used",
                    "on 8/4/15 was not medically necessary.",
                ),
            ),
            expect_item(
                "Methocarbamol 500mg #60 DOS: 8/4/15",
                "Upheld",
                ["MTUS"],
                ["Muscle relaxants (for pain)"],
                why=(
                    "Muscle relaxants such as Methocarbamol are",
                    "on 8/4/15 was not medically necessary.",
                ),
            ),
        ],
    ),
    # ------------------------------------------------------------------ real letters
    L(
        TXT,
        "CM16-0213037",
        injury="2016-10-13",
        decided="2016-12-09",
        specialty="Family Practice",
        licensure=["California", "North Carolina"],
        age=48,
        sex="male",
        summary=(
            "The injured worker is a 48 year old male",
            "contrast was not medically necessary.",
        ),
        covers="licensure list without a space after the comma; page break between the IMR heading and items",
        items=[
            expect_item(
                "MRI of the right shoulder without contrast",
                "Upheld",
                ["MTUS"],
                ["Special Studies"],
                why=(
                    "CA MTUS/ACOEM Guidelines state that unequivocal",
                    "determined to be not medically necessary.",
                ),
            ),
            expect_item(
                "MRI of the cervical spine without contrast",
                "Upheld",
                ["MTUS"],
                ["Special Studies"],
                why=(
                    "CA MTUS/ACOEM Guidelines state that unequivocal",
                    "determined to be not medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0219557",
        injury="2016-10-10",
        decided="2016-12-19",
        specialty="Preventive Medicine, Occupational Medicine",
        licensure=["Texas", "New York", "California"],
        age=34,
        sex="male",
        summary=("The applicant is a 34-year-old male who", "seemingly kept off of work."),
        covers="two MTUS guidelines in one line plus a Non-MTUS ACOEM citation with 'pg.'; "
        "summary injury year differs from header",
        items=[
            expect_item(
                "Facet joint injections L4-5, L5-S1",
                "Upheld",
                ["ACOEM", "MTUS"],
                ["Summary", "Facet blocks"],
                None,
                why=(
                    "No, the request for multilevel lumbar",
                    "the request was not medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0221706",
        injury="2016-10-16",
        decided="2016-12-21",
        specialty="Preventive Medicine, Occupational Medicine, Family Practice",
        licensure=["California", "South Carolina"],
        age=65,
        sex="male",
        summary=(
            "The injured worker is a 65 year old male",
            "non-certified by Utilization Review.",
        ),
        covers="UpToDate citation -> OTHER; rationale mentions ODG but guideline does not cite it",
        items=[
            expect_item(
                "Three months coverage of Viagra 50mg",
                "Upheld",
                ["OTHER"],
                why=("The MTUS Guidelines and ODG do not", "to not be medically necessary."),
                mg="The Expert Reviewer based their decision on recommendation(s) outside of the MTUS Guidelines. "
                "Decision based on Non-MTUS Citation Sildenafil: Drug information, accessed from UpToDate.com on "
                "12/17/2016.",
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0229336",
        injury="2016-10-20",
        decided="2016-12-30",
        specialty="Preventive Medicine, Occupational Medicine",
        licensure=["California"],
        age=78,
        sex="male",
        summary=("This is a 78 year old male with", "once a day for left foot fracture."),
        covers="partial decision, 'leaving the original request IMR eligible' wording, page break inside it; "
        "Overturned; URL-only guideline -> OTHER; rationale repeats the partial sentence",
        pdf=True,
        items=[
            expect_item(
                "Acute inpatient rehabilitation physical therapy and occupational therapy 7-10 days for left foot fracture",
                "Overturned",
                ["OTHER"],
                orig="Acute inpatient rehabilitation physical therapy and occupational therapy 7-10 days for left foot "
                "fracture",
                auth="Skilled nursing facility for 7 days with PT/OT once a day for left foot fracture",
                why=("MTUS and ODG Guidelines do not address", "fracture, is medically necessary."),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0230651",
        injury="2016-10-13",
        decided="2017-01-09",
        specialty="Physical Medicine & Rehabilitation, Pain Management",
        licensure=["California", "Washington"],
        age=36,
        sex="female",
        summary=("This case involves a now 36-year-old female", "treat over a short course."),
        covers="9 items; partial decision with ': Upheld' alone on the next line; MTUS guideline without "
        "Section(s); Opioid Treatment numbered section; page breaks inside rationales (pdf)",
        pdf=True,
        items=[
            expect_item(
                "EMG/NCV of the lower extremities",
                "Upheld",
                ["MTUS"],
                ["Electrodiagnostic testing (EMG/NCS)"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines state,",
                    "extremities is not medically necessary.",
                ),
            ),
            expect_item(
                "EMG/NCV of the upper extremities",
                "Upheld",
                ["MTUS"],
                ["Electrodiagnostic testing (EMG/NCS)"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines state,",
                    "extremities is not medically necessary.",
                ),
            ),
            expect_item(
                "Electro acupuncture to the low back two times a week times six weeks",
                "Upheld",
                ["MTUS"],
                [],
                why=(
                    "The California MTUS Acupuncture Guidelines recommend acupuncture",
                    "six weeks is not medically necessary.",
                ),
                mg="Decision based on MTUS Acupuncture Treatment 2007.",
            ),
            expect_item(
                "Infrared heat to the low back two times a week times six weeks",
                "Upheld",
                ["MTUS"],
                [],
                why=(
                    "The California MTUS Acupuncture Guidelines recommend acupuncture",
                    "six weeks is not medically necessary.",
                ),
            ),
            expect_item(
                "Myofascial release to the low back two times a week times six weeks",
                "Upheld",
                ["MTUS"],
                [],
                why=(
                    "The California MTUS Acupuncture Guidelines recommend acupuncture",
                    "six weeks is not medically necessary.",
                ),
            ),
            expect_item(
                "MRI of the lumbar spine",
                "Upheld",
                ["MTUS"],
                ["Special Studies"],
                why=(
                    "The ACOEM Guidelines state, unequivocal objective",
                    "lumbar spine is not medically necessary.",
                ),
            ),
            expect_item(
                "Chiropractic care to the low back two times a week for four weeks",
                "Upheld",
                ["MTUS"],
                ["Manual therapy & manipulation"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines recommend",
                    "four weeks is not medically necessary.",
                ),
            ),
            expect_item(
                "Ultram 50mg #30",
                "Upheld",
                ["MTUS"],
                [
                    "3.3 Opioids for Chronic Pain and Chronic Opioid Treatment: Initiating and Monitoring Chronic Opioid Treatment"
                ],
                why=("The California MTUS Opioid Treatment Guidelines recommend", TAPER_END),
            ),
            expect_item(
                "Flexeril 10mg #60",
                "Upheld",
                ["MTUS"],
                ["Cyclobenzaprine (Flexeril)"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines recommend",
                    "Flexeril 10mg #60 is not medically necessary.",
                ),
            ),
            expect_item(
                "Physical therapy to the low back two sessions",
                "Upheld",
                ["MTUS"],
                ["Physical medicine treatment"],
                orig="Physical therapy to the low back eight sessions",
                auth="Physical therapy to the low back six sessions",
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines recommend",
                    "2 sessions, is not medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0233904",
        injury="2016-10-26",
        decided="2017-01-06",
        specialty="Family Practice",
        licensure=["New Jersey", "New York"],
        age=37,
        sex="female",
        summary=(
            "The injured worker is a 37 year old female who",
            "original request is Baclofen 100mg #3.",
        ),
        covers="partial decision without 'is' before ': Upheld'; case summary repeats the partial wording",
        items=[
            expect_item(
                "Baclofen 100mg #3",
                "Upheld",
                ["MTUS"],
                ["Muscle relaxants (for pain)"],
                orig="Baclofen 100mg #30",
                auth="Baclofen 100mg #27",
                why=(
                    "The request is not medically necessary. Baclofen",
                    "request is considered not medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0234464",
        injury="2016-10-14",
        decided="2017-01-20",
        specialty="Physical Medicine & Rehabilitation",
        licensure=["California", "Missouri", "Mississippi"],
        age=33,
        sex="male",
        summary=("This case involves a now 33-year-old male", "due to a lack of neuropathic pain."),
        covers="6 items; item line followed directly by the guideline line (no blank); partial; "
        "page break just before the last item (pdf)",
        pdf=True,
        items=[
            expect_item(
                "Single positional MRI of the cervical spine",
                "Upheld",
                ["MTUS"],
                ["Special Studies"],
                why=(
                    "The ACOEM Guidelines state that unequivocal",
                    "this request is not medically necessary.",
                ),
            ),
            expect_item(
                "Single positional MRI of the lumbar spine",
                "Upheld",
                ["MTUS"],
                ["Special Studies"],
                why=(
                    "The ACOEM Guidelines state that unequivocal",
                    "this request is not medically necessary.",
                ),
            ),
            expect_item(
                "Single positional MRI of the right hand",
                "Upheld",
                ["MTUS"],
                ["Special Studies"],
                why=("The ACOEM Guidelines state that special studies", NMN),
                ca="Decision based on MTUS Forearm, Wrist, and Hand Complaints 2004, Section(s): Diagnostic Criteria, "
                "Special Studies.",
            ),
            expect_item(
                "Diclofenac ER 100mg #60",
                "Upheld",
                ["MTUS"],
                ["NSAIDs (non-steroidal anti-inflammatory drugs)"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines",
                    "not seen as medically necessary.",
                ),
            ),
            expect_item(
                "Cyclobenzaprine 7.5mg #27",
                "Upheld",
                ["MTUS"],
                ["Cyclobenzaprine (Flexeril)"],
                orig="Cyclobenzaprine 7.5mg #90",
                auth="Cyclobenzaprine 7.5mg #63",
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines",
                    "this request is not medically necessary.",
                ),
            ),
            expect_item(
                "Lidocaine ointment 5% 106.32gm",
                "Upheld",
                ["MTUS"],
                ["Topical analgesics"],
                why=("The California MTUS 2016 Chronic Pain Guidelines", NMN),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0235991",
        injury="2016-10-12",
        decided="2017-01-11",
        specialty="Family Practice",
        licensure=["Texas", "California"],
        age=55,
        sex="female",
        summary=(
            "The injured worker is a 55 year old female,",
            "of the bilateral upper extremities.",
        ),
        covers="wrapped Overturned item; sections from two MTUS guidelines, one hyphen-broken over a line",
        items=[
            expect_item(
                "MRI (magnetic resonance imaging) of the cervical spine",
                "Upheld",
                ["MTUS"],
                ["Special Studies"],
                why=(
                    "The MTUS/ACOEM (Neck and Upper Back Complaints) guidelines",
                    "based on the records provided.",
                ),
            ),
            # "Electro-" / "diagnostic testing (EMG/NCS)" is split over two lines in the letter.
            expect_item(
                "EMG (electromyography)/NCV (nerve conduction velocity) of the bilateral upper extremities",
                "Overturned",
                ["MTUS"],
                ["Special Studies", "Electrodiagnostic testing (EMG/NCS)"],
                why=(
                    "The MTUS 2016 Chronic Pain Medical Treatment Guidelines state,",
                    "based on the records provided.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0237844",
        injury="2016-10-20",
        decided="2017-01-12",
        specialty="Anesthesiology, Pain Management, Hospice & Palliative Medicine",
        licensure=["California", "Texas", "Florida"],
        age=51,
        sex="female",
        summary=(
            "The injured worker is a 51 year old female who",
            "by Utilization Review on December 05, 2016.",
        ),
        covers="layout without blank lines: item right after the heading, 'Upheld' alone on its line, "
        "guideline right after it",
        pdf=True,
        items=[
            expect_item(
                "Additional physical therapy two times four visits (8) for the lumbar and bilateral knees",
                "Upheld",
                ["MTUS"],
                ["Physical medicine treatment"],
                why=(
                    "Regarding the request for additional physical therapy",
                    "knees, is not medically necessary.",
                ),
                ca="The Claims Administrator did not cite any medical evidence for its decision.",
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0238035",
        injury="2016-10-10",
        decided="2017-01-20",
        specialty="Orthopedic Surgery, Sports Medicinea",  # sic
        licensure=["California", "Texas"],
        age=43,
        sex="male",
        summary=("This case involves a now 43-year-old male", "months of conservative care."),
        covers="8 items; colons inside item names; no-citation guidelines; MAXIMUS line directly followed by "
        "the rationale; typo in the specialty kept",
        items=[
            expect_item(
                "Right shoulder arthroscopy RCR (rotator cuff repair) and decompression",
                "Upheld",
                ["MTUS"],
                ["Surgical Considerations"],
                why=("According to the ACOEM Guidelines, surgery is", NMN),
            ),
            expect_item("Medical Clearance", "Upheld", [], why=ANCILLARY, mg=NO_CITATION),
            expect_item("Labs to include: EKG", "Upheld", [], why=ANCILLARY),
            expect_item(
                "Labs to include: Chest X-ray", "Upheld", [], why=ANCILLARY, mg=NO_CITATION
            ),
            expect_item(
                "Post-op physical therapy 2 times a week for 4 weeks", "Upheld", [], why=ANCILLARY
            ),
            expect_item(
                "Associated surgical service: Cold compression therapy 30 day rental",
                "Upheld",
                [],
                why=ANCILLARY,
            ),
            expect_item(
                "Associated surgical service: Shoulder wrap for purchase",
                "Upheld",
                [],
                why=ANCILLARY,
            ),
            expect_item(
                "Associated surgical service: Shoulder sling with abduction pillow",
                "Upheld",
                [],
                why=ANCILLARY,
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0239110",
        injury="2016-10-18",
        decided="2017-01-20",
        specialty="Preventive Medicine, Occupational Medicine",
        licensure=["California"],
        age=38,
        sex="male",
        summary=("The injured worker is a 38 year old male", "#60 day supply: 30."),
        covers="colon and number inside the item name right before ':  Overturned'",
        items=[
            expect_item(
                "Oxycodone HCL ER 20mg #60 day supply: 30",
                "Overturned",
                ["MTUS"],
                ["1.3 Opioids for Acute Pain: Severe Acute Injuries"],
                why=(
                    "MTUS Guidelines support limited time use of",
                    "supply: 30 is medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0239569",
        injury="2016-11-15",
        decided="2017-01-24",
        specialty="Chiropractor",
        licensure=["Missouri"],
        age=58,
        sex="female",
        summary=("This case involves a now 58-year-old female", "set of visits is indicated."),
        covers="five partial decisions in a row; MTUS + ODG; summary injury date differs from header",
        items=[
            expect_item(
                "Chiropractic spinal manipulation times 6",
                "Upheld",
                ["MTUS", "ODG"],
                ["Physical Methods"],
                orig="Chiropractic spinal manipulation times 12",
                auth="Chiropractic spinal manipulation times 6",
                why=("The ACOEM Guidelines note that manipulation appears", NMN),
            ),
            expect_item(
                "Chiropractic joint manipulation times 6",
                "Upheld",
                ["MTUS", "ODG"],
                ["Initial Care"],
                orig="Chiropractic joint manipulation times 12",
                auth="Chiropractic joint manipulation times 6",
                why=("The ACOEM Guidelines note that manipulation by", NMN),
            ),
            expect_item(
                "Electrical stimulation times 6",
                "Upheld",
                ["MTUS"],
                ["Physical Methods"],
                orig="Electrical stimulation times 12",
                auth="Electrical stimulation times 6",
                why=("The ACOEM Guidelines note that physical modalities", NMN),
            ),
            expect_item(
                "Spinolator therapy (traction) times 6",
                "Upheld",
                ["MTUS"],
                ["Physical Methods"],
                orig="Spinolator therapy (traction) times 12",
                auth="Spinolator therapy (traction) times 6",
                why=("The ACOEM Guidelines note that traction has", NMN),
            ),
            expect_item(
                "Ice/Heat pads therapy times 6",
                "Upheld",
                ["MTUS"],
                ["Physical Methods"],
                orig="Ice/Heat pads therapy times 12",
                auth="Ice/Heat pads therapy times 6",
                why=("The ACOEM Guidelines note that at home", NMN),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0240524",
        injury="2016-11-14",
        decided="2017-01-17",
        specialty="Surgery, Surgical Critical Care",
        licensure=["Tennessee", "Florida", "Ohio"],
        age=58,
        sex="female",
        summary=(
            "The injured worker is a 58 year old female",
            "non-certified by utilization review.",
        ),
        covers="no blank lines anywhere; comma inside a section name; typos in the rationale",
        pdf=True,
        items=[
            expect_item(
                "Diazepam 5mg #10",
                "Upheld",
                ["MTUS"],
                ["Benzodiazepines", "Benzodiazepine dependence, maintenance"],
                why=(
                    "There is not sufficient clinical information provided",
                    "prescription is not-medically necessary.",
                ),
                ca="Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Benzodiazepines.",
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0240900",
        injury="2016-10-28",
        decided="2017-01-18",
        specialty="Family Practice",
        licensure=["New Jersey", "New York"],
        age=51,
        sex="female",
        summary=("The injured worker is a 51 year old female,", "lumbar to be non-certified."),
        covers="Non-MTUS ACOEM citation -> ACOEM only",
        items=[
            expect_item(
                "MRI for lumbar spine with contrast",
                "Upheld",
                ["ACOEM"],
                why=("The request for lumbar MRI is not", "lumbar MRI is not medically necessary."),
            ),
            expect_item(
                "Physical therapy two times a week for three weeks for lumbar",
                "Upheld",
                ["MTUS"],
                ["Physical medicine treatment"],
                why=(
                    "The request for 6 sessions of physical",
                    "request is considered not medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0243394",
        injury="2016-10-26",
        decided="2017-01-20",
        specialty="Preventive Medicine, Occupational Medicine",
        licensure=["California"],
        age=28,
        sex="male",
        summary=("The injured worker is a 28 year old male,", "11-22-16, denied the request."),
        covers="wrapped items containing 'DOS: 11/11/2016:'; ODG-only guidelines",
        items=[
            expect_item(
                "Voltaren gel apply to affected area 4 times a day, #60 grams with 1 refill, DOS: 11/11/2016",
                "Upheld",
                ["ODG"],
                why=(
                    "The injured worker is being treated for",
                    "determined to not be medically necessary.",
                ),
            ),
            expect_item(
                "Lidoderm patch, 12 hours on 12 hours off to affected area, #1 box with 1 refill, DOS: 11/11/2016",
                "Upheld",
                ["ODG"],
                why=(
                    "The injured worker is being treated for",
                    "determined to not be medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0245466",
        injury="2016-11-02",
        decided="2017-02-03",
        specialty="Physical Medicine & Rehabilitation, Pain Management",
        licensure=["California"],
        age=55,
        sex="female",
        summary=("This case involves a now 55-year-old female", "the evidence based guidelines."),
        covers="8 items; ODG-only item among MTUS ones",
        items=[
            expect_item(
                "Etodolac",
                "Upheld",
                ["MTUS"],
                ["NSAIDs (non-steroidal anti-inflammatory drugs)"],
                why=("The California MTUS 2016 Chronic Pain Guidelines indicate", NMN),
            ),
            expect_item(
                "Lidocaine patch",
                "Upheld",
                ["MTUS"],
                ["Lidoderm (lidocaine patch)"],
                why=("The California MTUS 2016 Chronic Pain Guidelines do", NMN),
            ),
            expect_item(
                "Omeprazole",
                "Upheld",
                ["MTUS"],
                ["Proton Pump Inhibitors (PPIs)"],
                why=("The California MTUS 2016 Chronic Pain Guidelines state", NMN),
            ),
            expect_item(
                "Cyclobenzaprine",
                "Upheld",
                ["MTUS"],
                ["Cyclobenzaprine (Flexeril)"],
                why=("The California MTUS 2016 Chronic Pain Guidelines recommend", NMN),
            ),
            expect_item(
                "Flector 1.3% transdermal patch",
                "Upheld",
                ["MTUS"],
                ["Flector patch (diclofenac epolamine)"],
                why=("The California MTUS 2016 Chronic Pain Guidelines do", NMN),
            ),
            expect_item(
                "Back support",
                "Upheld",
                ["MTUS"],
                ["Physical Methods"],
                why=("The ACOEM Guidelines state that lumbar supports", NMN),
            ),
            expect_item(
                "Custom touch back heat therapy pad",
                "Upheld",
                ["ODG"],
                why=("The California MTUS/ACOEM Guidelines do not address.", NMN),
            ),
            expect_item(
                "Hot/cold therapy wrap",
                "Upheld",
                ["MTUS"],
                ["Physical Methods"],
                why=("The ACOEM Guidelines state that at home", NMN),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0248698",
        injury="2016-10-26",
        decided="2017-02-02",
        specialty="Physical Medicine & Rehabilitation, Sports Medicine",
        licensure=["Texas", "New York"],
        age=39,
        sex="male",
        summary=(
            "This case involves a now 39-year-old male",
            "antidepressant is medically indicated.",
        ),
        covers="21 items over 10 pdf pages; partial in the middle; 'QTY: 2' inside an item; two guidelines "
        "in one line; comma inside a section name; summary injury date differs from header",
        pdf=True,
        items=[
            expect_item(
                "X-rays lumbar spine",
                "Upheld",
                ["MTUS"],
                ["Special Studies"],
                why=(
                    "The ACOEM Guidelines state, lumbar spine x-rays",
                    '"X-rays lumbar spine" is not medically necessary.',
                ),
            ),
            expect_item(
                "X-rays of right hip",
                "Upheld",
                ["ODG"],
                why=(
                    "The California MTUS and ACOEM Guidelines do not address.",
                    '"X-rays of right hip" is not medically necessary.',
                ),
            ),
            expect_item(
                "Acupuncture 12 sessions",
                "Upheld",
                ["MTUS"],
                [],
                orig="Acupuncture 18 sessions",
                auth="Acupuncture 6 sessions",
                why=(
                    "The California MTUS Acupuncture Guidelines recommend acupuncture",
                    "Acupuncture 12 sessions is not medically necessary.",
                ),
            ),
            expect_item(
                "Functional capacity evaluation (FCE)",
                "Upheld",
                ["MTUS"],
                ["General Approach to Initial Assessment and Documentation"],
                why=(
                    "The ACOEM Guidelines recommend considering using a",
                    '(FCE)" is not medically necessary.',
                ),
            ),
            expect_item(
                "MARS MRI scan of lumbar spine",
                "Upheld",
                ["MTUS"],
                ["Special Studies"],
                why=(
                    "The ACOEM Guidelines state, unequivocal objective",
                    'lumbar spine" is not medically necessary.',
                ),
            ),
            expect_item(
                "MARS MRI scan of right hip",
                "Upheld",
                ["ODG"],
                why=(
                    "The California MTUS/ACOEM Guidelines do not address.",
                    'right hip" is not medically necessary.',
                ),
            ),
            expect_item(
                "EMG bilateral lower extremities",
                "Upheld",
                ["MTUS"],
                ["Electrodiagnostic testing (EMG/NCS)"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines state,",
                    'extremities" is not medically necessary.',
                ),
            ),
            expect_item(
                "NCV bilateral lower extremities QTY: 2",
                "Upheld",
                ["MTUS"],
                ["Electrodiagnostic testing (EMG/NCS)"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines state,",
                    'QTY: 2" is not medically necessary.',
                ),
            ),
            expect_item(
                "Deprizine (unknown quantity)",
                "Upheld",
                ["MTUS"],
                ["Compound drugs"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines do not recommend",
                    "(unknown quantity) is not medically necessary.",
                ),
            ),
            expect_item(
                "Fanatrex (unknown quantity)",
                "Upheld",
                ["MTUS"],
                ["Compound drugs"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines do not recommend",
                    "(unknown quantity) is not medically necessary.",
                ),
            ),
            expect_item(
                "Synapryn (unknown quantity)",
                "Upheld",
                ["MTUS"],
                [
                    "Compound drugs",
                    "3.3 Opioids for Chronic Pain and Chronic Opioid Treatment: Initiating and Monitoring Chronic Opioid Treatment",
                ],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines do not recommend",
                    TAPER_END,
                ),
            ),
            expect_item(
                "Tabradol (unknown quantity)",
                "Upheld",
                ["MTUS"],
                ["Compound drugs"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines do not recommend",
                    "(unknown quantity) is not medically necessary.",
                ),
            ),
            expect_item(
                "Ketophene (unknown quantity)",
                "Upheld",
                ["MTUS"],
                ["Compound drugs"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines do not recommend",
                    "(unknown quantity) is not medically necessary.",
                ),
            ),
            expect_item(
                "Ketoprofen 20% in cream base 240g",
                "Upheld",
                ["MTUS"],
                ["Topical analgesics"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines recommend topical",
                    '240g" is not medically necessary.',
                ),
            ),
            expect_item(
                "Cyclobenzaprine 5% in cream base 240g",
                "Upheld",
                ["MTUS"],
                ["Topical analgesics"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines recommend topical",
                    '240g" is not medically necessary.',
                ),
            ),
            expect_item(
                "Bupropion HCL 150mg #90",
                "Upheld",
                ["MTUS"],
                ["Antidepressants for chronic pain"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines recommend",
                    '#90" is not medically necessary.',
                ),
            ),
            expect_item(
                "Prilosec 20mg #90",
                "Upheld",
                ["MTUS"],
                ["NSAIDs, GI symptoms & cardiovascular risk"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines recommend",
                    "Prilosec 20mg #90 is not medically necessary.",
                ),
            ),
            expect_item(
                "Pantoprazole sodium 20mg #60",
                "Upheld",
                ["MTUS"],
                ["NSAIDs, GI symptoms & cardiovascular risk"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines recommend",
                    "sodium 20mg #60 is not medically necessary.",
                ),
            ),
            expect_item(
                "Celecoxib 200mg #90",
                "Upheld",
                ["MTUS"],
                ["NSAIDs (non-steroidal anti-inflammatory drugs)"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines recommend NSAIDs",
                    "Celecoxib 200mg #90 is not medically necessary.",
                ),
            ),
            expect_item(
                "Venlafaxine HCL ER 37.5mg #90",
                "Upheld",
                ["MTUS"],
                ["Antidepressants for chronic pain"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines recommend",
                    "ER 37.5mg #90 is not medically necessary.",
                ),
            ),
            expect_item(
                "Dicopanol (unknown quantity)",
                "Upheld",
                ["MTUS"],
                ["Compound drugs"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines do not recommend",
                    "(unknown quantity) is not medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0249170",
        injury="2016-10-25",
        decided="2017-01-27",
        specialty="Family Practice",
        licensure=["Arizona", "California"],
        age=None,
        sex="female",
        summary=("The injured worker is a female who", "was improved with Pantoprazole."),
        covers="no age stated (two conflicting birthdates) -> age None, sex still known; two comma-bearing sections",
        items=[
            expect_item(
                "Pantoprazole 40mg, one by mouth, twice a day #60 with one refill",
                "Upheld",
                ["MTUS"],
                ["NSAIDs, GI symptoms & cardiovascular risk", "Proton Pump Inhibitors (PPIs)"],
                why=(
                    "According to the MTUS Chronic Pain and",
                    "Pantoprazole is not medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0249724",
        injury="2016-10-25",
        decided="2017-02-07",
        specialty="Physical Medicine & Rehabilitation, Pain Management",
        licensure=["California", "Washington"],
        age=43,
        sex="male",
        summary=("This case involves a now 43-year-old male", "should be promoted and practiced."),
        covers="both partial-decision wordings in one letter",
        items=[
            expect_item(
                "standard wheelchair for a 2 month rental",
                "Upheld",
                ["ODG"],
                orig="Standard wheelchair for a 3 month rental",
                auth="Standard wheelchair for a 1 month rental",
                why=(
                    "The California MTUS/ACOEM Guidelines do not address.",
                    "2 month rental is not medically necessary.",
                ),
            ),
            expect_item(
                "purchase of a bedside 3 in 1 commode",
                "Upheld",
                ["ODG"],
                orig="Purchase of a bedside 3 in 1 commode",
                auth="a bedside 3 in 1 commode for 1 month",
                why=(
                    "The California MTUS/ACOEM Guidelines do not address.",
                    "3 in 1 commode is not medically necessary.",
                ),
            ),
            expect_item(
                "purchase of a bath/shower chair",
                "Upheld",
                ["ODG"],
                orig="Purchase of a bath/shower chair",
                auth="a bath/shower chair for 1 month",
                why=(
                    "The California MTUS/ACOEM Guidelines do not address.",
                    "bath/shower chair is not medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM16-0249735",
        injury="2016-10-25",
        decided="2017-01-31",
        specialty="Physical Medicine & Rehabilitation",
        licensure=["California"],
        age=43,
        sex="male",
        summary=("The injured worker is a 43 year old male,", "were difficult to decipher."),
        covers="long partial decision with a page break inside it and double spaces; long rationale quoting "
        "'leaving the home'",
        pdf=True,
        items=[
            expect_item(
                "Home aide 6 hours per day, 5 times a week for 4 weeks to assist with mobility, transfer, ADL's and "
                "safety in the home when wife is working",
                "Upheld",
                ["MTUS"],
                ["Home health services"],
                orig="Home aide 12 hours per day, 5 times a week for 4 weeks to assist with mobility, transfer, ADL's "
                "and safety in the home when wife is working",
                auth="Home aide 6 hours per day, 5 times a week for 4 weeks to assist with mobility, transfer, ADL's "
                "and safety in the home when wife is working",
                why=(
                    "Based on progress report dated 11/29/16,",
                    "is Working, is not medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM17-0002198",
        injury="2016-10-11",
        decided="2017-01-31",
        specialty="Family Practice",
        licensure=["New Jersey", "New York"],
        age=41,
        sex="male",
        summary=("The injured worker is a 41 year old male", "left shoulder and left knee."),
        covers="two long wrapped partial decisions; summary repeats partial wording (must not become items)",
        items=[
            expect_item(
                "two physical therapy sessions for the lumbar spine, left shoulder and left knee and eight physical "
                "therapy sessions for the left wrist",
                "Upheld",
                ["MTUS"],
                ["Physical medicine treatment"],
                orig="Eight physical therapy sessions for the lumbar spine, left shoulder, left wrist and left knee",
                auth="Six physical therapy sessions for the lumbar spine, left shoulder and left knee",
                why=(
                    "The request is not medically necessary.",
                    "request is considered not medically necessary.",
                ),
            ),
            expect_item(
                "two occupational therapy sessions for the left wrist and eight occupational therapy sessions for the "
                "lumbar spine, left shoulder and left knee",
                "Upheld",
                ["MTUS"],
                ["Physical medicine treatment"],
                orig="Eight occupational therapy sessions for the lumbar spine, left shoulder, left wrist and left knee",
                auth="Six occupational therapy sessions for the left wrist",
                why=(
                    "The request is not medically necessary.",
                    "request is considered not medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM17-0005418",
        injury="2016-10-22",
        decided="2017-02-06",
        specialty="Anesthesiology, Pain Management, Hospice & Palliative Medicine",
        licensure=["California", "Texas", "Florida"],
        age=57,
        sex="male",
        summary=(
            "The injured worker is a 57 year old male,",
            "injection under fluoroscopic guidance.",
        ),
        covers="MTUS + ODG + a web guideline (OTHER) in one MAXIMUS line; four-name section list",
        items=[
            expect_item(
                "Right L4 transforaminal epidural steroid injection under fluoroscopic guidance",
                "Upheld",
                ["MTUS", "ODG", "OTHER"],
                ["Surgical Considerations", "Physical Methods", "Summary"],
                why=("Regarding the request for Right L4", "guidance, is not medically necessary."),
            ),
            expect_item(
                "Right L5 transforaminal epidural steroid injection under fluoroscopic guidance",
                "Upheld",
                ["MTUS", "ODG", "OTHER"],
                ["Surgical Considerations", "Physical Methods", "Summary"],
                why=("Regarding the request for Right L5", "guidance, is not medically necessary."),
            ),
        ],
    ),
    L(
        TXT,
        "CM17-0006912",
        injury="2016-11-15",
        decided="2017-02-17",
        specialty="Orthopedic Surgery, Sports Medicine",
        licensure=["California", "Texas"],
        age=34,
        sex="male",
        summary=("This case involves a now 34-year-old male", "an initial trial is recommended."),
        covers="Postsurgical section 'Forearm, Wrist, & Hand' (commas inside one name); partial",
        items=[
            expect_item(
                "Large gloves",
                "Upheld",
                ["ODG"],
                why=("The California MTUS and ACOEM Guidelines do not", NMN),
            ),
            expect_item(
                "Hygiene wipes",
                "Upheld",
                ["ODG"],
                why=("The California MTUS and ACOEM Guidelines do not", NMN),
            ),
            expect_item(
                "PT/OT 18 sessions left hand, right lower leg",
                "Upheld",
                ["MTUS"],
                ["Knee", "Forearm, Wrist, & Hand"],
                orig="PT/OT two to three times a week for six to eight weeks (24 sessions) left hand, right lower leg",
                auth="PT/OT 6 sessions left hand, right lower leg",
                why=("The California MTUS Postsurgical Treatment Guidelines recommend", NMN),
            ),
        ],
    ),
    L(
        TXT,
        "CM17-0007142",
        injury="2016-11-06",
        decided="2017-02-13",
        specialty="Orthopedic Surgery, Sports Medicine",
        licensure=["California", "Texas"],
        age=58,
        sex="female",
        summary=(
            "This case involves a now 58-year-old female",
            "requests were not medically necessary.",
        ),
        covers="9 items, mixed Upheld/Overturned; wrapped Overturned surgery item; page breaks in rationales",
        pdf=True,
        items=[
            expect_item(
                "Right shoulder arthroscopy with subacromial decompression, acromioplasty, Mumford, rotator cuff repair "
                "and shoulder debridement",
                "Overturned",
                ["MTUS"],
                ["Surgical Considerations"],
                why=(
                    "The ACOEM Guidelines indicate that surgical considerations",
                    "surgical intervention is medically necessary.",
                ),
            ),
            expect_item(
                "Assistant PA",
                "Overturned",
                ["ODG"],
                why=(
                    "The Official Disability Guidelines indicate a surgical",
                    '"Assistant PA" is medically necessary.',
                ),
            ),
            expect_item(
                "Pre-operative medical clearance",
                "Overturned",
                ["MTUS"],
                ["Cornerstones of Disability Prevention and Management"],
                why=(
                    "According to the ACOEM Guidelines, the request",
                    'clearance" is medically necessary.',
                ),
            ),
            expect_item(
                "Pre-operative EKG",
                "Upheld",
                ["ODG"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines",
                    'EKG" is not medically necessary.',
                ),
            ),
            expect_item(
                "Pre-operative CBC",
                "Overturned",
                ["ODG"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines",
                    "laboratory study is medically necessary.",
                ),
            ),
            expect_item(
                "Pre-operative BMP",
                "Overturned",
                ["ODG"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines",
                    "laboratory study is medically necessary.",
                ),
            ),
            expect_item(
                "Pre-operative PT/PTT",
                "Upheld",
                ["ODG"],
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines",
                    'PT/PTT" is not medically necessary.',
                ),
            ),
            expect_item(
                "Associated surgical service: Cold therapy unit",
                "Upheld",
                ["ODG"],
                why=(
                    "The California MTUS and ACOEM Guidelines do not address the cold",
                    'Cold therapy unit" is not medically necessary.',
                ),
            ),
            expect_item(
                "Associated surgical service: Arc sling",
                "Upheld",
                ["ODG"],
                why=(
                    "The California MTUS and ACOEM Guidelines do not address an arc sling.",
                    'Arc sling" is not medically necessary.',
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM17-0007300",
        injury="2016-11-13",
        decided="2017-02-09",
        specialty="Preventive Medicine, Occupational Medicine, Public Health & General Preventive Medicine",
        licensure=["Iowa", "Montana", "California"],
        age=28,
        sex="female",
        summary=(
            "According to medical records available for review, the injured worker is a 28 year old female,",
            "5%-Dextromethorphan.",
        ),
        covers="specialty wrapped onto a second line; 'leaving ...' partial with a typo in the item (kept); "
        "wrapped item; comma inside a section name",
        items=[
            expect_item(
                "One container of Flurbiprofen 10%, Cyclobenzaprine 3%, Gabapentin 6%, Lidocaine 5%/Dextromethorphan",
                "Upheld",
                ["MTUS"],
                ["Topical analgesics, compounded"],
                why=(
                    "MTUS recommends usage of topical analgesics as",
                    "5%/Dextromethorphan is not medically necessary.",
                ),
            ),
            expect_item(
                "one month supply of Trezix capsule 30.5/30/16mg",
                "Upheld",
                ["MTUS"],
                [
                    "3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment: Maintenance of Chronic Opioid Treatment"
                ],
                orig="One month supply of Trezix capsule 320.5/30/16mg",
                auth="Trezix capsule 320.5/30/16mg #5",
                why=(
                    'MTUS States "Once a stable dose',
                    "30.5/30/16mg, is not medically necessary.",
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM17-0008519",
        injury="2016-10-26",
        decided="2017-02-16",
        specialty="Physical Medicine & Rehabilitation, Pain Management, Occupational Medicine",
        licensure=["California"],
        age=42,
        sex="male",
        summary=("The injured worker was a 42 year old male,", "1.5 tesla or higher only."),
        covers="specialty wrapped onto a second line; single Overturned item",
        items=[
            expect_item(
                "MRI of the lumbosacral spine without contrast, 1.5 Tesla or higher only",
                "Overturned",
                ["MTUS"],
                ["Summary"],
                why=("MTUS relies upon ACOEM 2004 Lower Back", "in the care of this patient."),
            ),
        ],
    ),
    L(
        TXT,
        "CM17-0012582",
        injury="2016-11-09",
        decided="2017-02-22",
        specialty="Physical Medicine & Rehabilitation",
        licensure=["California"],
        age=49,
        sex="male",
        summary=("This case involves a now 49-year-old male", "to warrant the injection."),
        covers="partial whose rationale quotes the partial sentence; wrapped Overturned item",
        items=[
            expect_item(
                "Physical therapy for 6 sessions",
                "Upheld",
                ["MTUS"],
                ["Physical medicine treatment"],
                orig="Physical therapy for 12 sessions",
                auth="Physical therapy for 6 sessions",
                why=(
                    "The California MTUS 2016 Chronic Pain Guidelines recommend",
                    '6 sessions" is not medically necessary.',
                ),
            ),
            expect_item(
                "Ultram (tramadol) 50mg #90",
                "Upheld",
                ["MTUS"],
                [
                    "3.3 Opioids for Chronic Pain and Chronic Opioid Treatment: Initiating and Monitoring Chronic Opioid Treatment"
                ],
                why=("The California MTUS Opioid Treatment Guidelines recommend", TAPER_END),
            ),
            expect_item(
                "Platelet-rich plasma injection to the right knee",
                "Upheld",
                ["ODG"],
                why=(
                    "The California MTUS/ACOEM Guidelines do not address.",
                    'right knee" is not medically necessary.',
                ),
            ),
            expect_item(
                "Retrospective injection 5cc of lidocaine hcl 1percent and 1cc of dexamethasone 120mg to the right knee",
                "Overturned",
                ["MTUS"],
                ["Initial Care"],
                why=(
                    "The ACOEM Guidelines state, invasive techniques,",
                    'right knee" is medically necessary.',
                ),
            ),
        ],
    ),
    L(
        TXT,
        "CM17-0014449",
        injury="2016-10-15",
        decided="2017-02-27",
        specialty="Orthopedic Surgery",
        licensure=["Texas"],
        age=26,
        sex="female",
        summary=(
            "This case involves a now 26-year-old female",
            "treatments were not medically necessary.",
        ),
        covers="15 items; double spaces inside item names; no-citation guidelines",
        items=[
            expect_item(
                "Operative arthroscopy, superior labral anterior posterior repair, right shoulder",
                "Upheld",
                ["MTUS", "ODG"],
                ["Surgical Considerations"],
                why=(
                    "The ACOEM Guidelines indicate that surgical considerations",
                    "intervention is not medically necessary.",
                ),
            ),
        ]
        + [
            expect_item(name, "Upheld", [], why=ANCILLARY, mg=NO_CITATION)
            for name in (
                "Associated surgical service: Ultrasling",
                "Associated surgical service: Vascutherm unit, 14 days rental",
                "Associated surgical service: Hip pad",
                "Associated surgical service: 2 leg wraps",
                "Associated surgical service: EMS/TENS unit",
                "Associated surgical service: Medical clearance",
                "Associated surgical service: EKG",
                "Associated surgical service: Chest x-ray",
                "Associated surgical service: Labs - CBC",
                "Associated surgical service: Labs - PT/PTT",
                "Associated surgical service: UA",
                "Associated surgical service: Labs - Chem panel",
                "Post-op physical therapy 12-18 sessions",
                "Assistant surgeon",
            )
        ],
    ),
    L(
        TXT,
        "CM17-0019171",
        injury="2016-10-29",
        decided="2017-02-28",
        specialty="Preventive Medicine, Occupational Medicine",
        licensure=["California", "Virginia"],
        age=45,
        sex="female",
        summary=("The injured worker is a 45 year old female,", "1-24-17, denied the request."),
        covers="page break inside the MAXIMUS guideline; four 'NSAIDs, ...' section names",
        pdf=True,
        items=[
            expect_item(
                "Meloxicam (Mobic) 7.5mg #30",
                "Upheld",
                ["MTUS"],
                [
                    "NSAIDs (non-steroidal anti-inflammatory drugs)",
                    "NSAIDs, GI symptoms & cardiovascular risk",
                    "NSAIDs, hypertension and renal function",
                    "NSAIDs, specific drug list & adverse effects",
                ],
                why=("The MTUS recommend NSAIDs as a treatment", "risks of long-term treatment."),
                mg="Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): NSAIDs (non-steroidal "
                "anti-inflammatory drugs), NSAIDs, GI symptoms & cardiovascular risk, NSAIDs, hypertension and renal "
                "function, NSAIDs, specific drug list & adverse effects.",
            ),
        ],
    ),
    L(
        TXT,
        "CM17-0020728",
        injury="2016-10-13",
        decided="2017-02-24",
        specialty="Family Practice",
        licensure=["Pennsylvania"],
        age=48,
        sex="female",
        summary=("The injured worker is a 48 year old female who", "on January 23, 2017."),
        covers="page break inside a partial decision; MTUS + ODG",
        pdf=True,
        items=[
            expect_item(
                "Physical therapy to the lumbar spine 2 times a week for 2 weeks (4)",
                "Upheld",
                ["MTUS", "ODG"],
                ["Physical medicine treatment"],
                orig="Physical therapy to the lumbar spine 2 times a week for 3 weeks (6)",
                auth="Physical therapy to the lumbar spine 2 times a week for 1 week (2)",
                why=(
                    "The MTUS guidelines for physical therapy includes",
                    "not medically necessary or appropriate.",
                ),
            ),
        ],
    ),
]

REAL = [s for s in LETTERS if s["src"] == TXT]
CASES = [pytest.param(s, "txt", id=f"{s['name']}-txt") for s in LETTERS] + [
    pytest.param(s, "pdf", id=f"{s['name']}-pdf") for s in LETTERS if s["pdf"]
]


def _path(spec, fmt, seeds_dir: Path, letters_dir: Path) -> Path:
    if spec["src"] == SEEDS:
        return seeds_dir / f"{spec['name']}.txt"
    return letters_dir / fmt / f"{spec['name']}.{fmt}"


@cache
def _parse(path: Path) -> dict:
    return parse_file(path).to_dict()


def _short(text, n=90):
    text = repr(text)
    return text if len(text) <= n else text[: n // 2] + " ... " + text[-n // 2 :]


# --------------------------------------------------------------------------- hand-checked letters


def test_golden_table_is_big_enough():
    """The spec covers every seed and at least 18 real letters, with pdf twins for some."""
    assert sum(s["src"] == SEEDS for s in LETTERS) == 5
    assert len(REAL) >= 18
    assert sum(s["pdf"] for s in LETTERS) >= 5
    assert len({s["name"] for s in LETTERS}) == len(LETTERS)


@pytest.mark.parametrize("spec, fmt", CASES)
def test_letter_header_fields_match_hand_reading(spec, fmt, seeds_dir, letters_dir):
    d = _parse(_path(spec, fmt, seeds_dir, letters_dir))
    got = {
        k: d.get(k)
        for k in (
            "doc_id",
            "case_number",
            "date_of_injury",
            "decision_date",
            "reviewer_specialty",
            "reviewer_licensure",
            "patient_age",
            "patient_sex",
        )
    }
    want = {
        "doc_id": spec["doc_id"],
        "case_number": spec["case_number"],
        "date_of_injury": spec["injury"],
        "decision_date": spec["decided"],
        "reviewer_specialty": spec["specialty"],
        "reviewer_licensure": spec["licensure"],
        "patient_age": spec["age"],
        "patient_sex": spec["sex"],
    }
    assert got == want


@pytest.mark.parametrize("spec, fmt", CASES)
def test_case_summary_starts_and_ends_where_the_letter_does(spec, fmt, seeds_dir, letters_dir):
    summary = _parse(_path(spec, fmt, seeds_dir, letters_dir))["case_summary"]
    start, end = spec["summary"]
    assert isinstance(summary, str)
    assert summary.startswith(start), _short(summary)
    assert summary.endswith(end), _short(summary)
    assert "IMR ISSUES" not in summary and "medical records:" not in summary[:60]


@pytest.mark.parametrize("spec, fmt", CASES)
def test_items_match_hand_reading(spec, fmt, seeds_dir, letters_dir):
    d = _parse(_path(spec, fmt, seeds_dir, letters_dir))
    items = d["items"]
    want_names = [w["item"] for w in spec["items"]]
    got_names = [it.get("item") for it in items]
    assert got_names == want_names, "item list differs"

    problems = []
    for n, (it, w) in enumerate(zip(items, spec["items"], strict=True), start=1):

        def bad(field, got, want, n=n, w=w):
            problems.append(
                f"item {n} ({w['item'][:40]!r}) {field}: got {_short(got)}, want {_short(want)}"
            )

        checks = [
            ("item_index", it.get("item_index"), n),
            ("outcome", it.get("outcome"), w["outcome"]),
            ("original_request", it.get("original_request"), w["orig"]),
            ("authorized_portion", it.get("authorized_portion"), w["auth"]),
            ("guideline_sources", it.get("guideline_sources"), w["sources"]),
            ("mtus_sections", it.get("mtus_sections"), w["sections"]),
            ("pages", it.get("pages"), w["pages"]),
        ]
        if w["ca"] is not None:
            checks.append(
                (
                    "claims_administrator_guideline",
                    it.get("claims_administrator_guideline"),
                    w["ca"],
                )
            )
        if w["mg"] is not None:
            checks.append(("maximus_guideline", it.get("maximus_guideline"), w["mg"]))
        for field, got, want in checks:
            if got != want:
                bad(field, got, want)

        rationale = it.get("rationale") or ""
        start, end = w["why"]
        if not rationale.startswith(start):
            bad("rationale start", rationale[:80], start)
        if not rationale.endswith(end):
            bad("rationale end", rationale[-80:], end)
        for label in (
            "Claims Administrator guideline:",
            "MAXIMUS guideline:",
            "Decision rationale:",
        ):
            if label in rationale:
                bad("rationale leaks a label", label, "no label")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- whole corpus


@pytest.fixture(scope="session")
def corpus(seeds_dir, letters_dir):
    """Every letter parsed once: {"seeds"|"txt"|"pdf": {file stem: dict}}."""
    out = {}
    for key, folder, pattern in (
        ("seeds", seeds_dir, "*.txt"),
        ("txt", letters_dir / "txt", "*.txt"),
        ("pdf", letters_dir / "pdf", "*.pdf"),
    ):
        out[key] = {p.stem: _parse(p) for p in sorted(folder.glob(pattern))}
    return out


def _items(letters):
    return [it for d in letters for it in d["items"]]


def test_corpus_has_the_expected_files(corpus):
    assert len(corpus["seeds"]) == 5
    assert len(corpus["txt"]) == 194
    assert set(corpus["txt"]) == set(corpus["pdf"])


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_every_letter_gets_its_own_doc_id(corpus, fmt):
    letters = list(corpus["seeds"].values()) + list(corpus[fmt].values())
    assert len({d["doc_id"] for d in letters}) == 199
    for stem, d in corpus[fmt].items():
        assert d["doc_id"] == stem and d["case_number"] == stem
    for stem, d in corpus["seeds"].items():
        assert d["doc_id"] == stem and d["case_number"] is None


@pytest.mark.parametrize("fmt", ["txt", "pdf"])
def test_corpus_holds_450_items_49_overturned_47_partial(corpus, fmt):
    items = _items(list(corpus["seeds"].values()) + list(corpus[fmt].values()))
    assert len(items) == 450
    assert sum(it["outcome"] == "Overturned" for it in items) == 49
    partial = [it for it in items if it["original_request"] is not None]
    assert len(partial) == 47
    for it in items:
        # original request and authorized portion come together or not at all
        assert (it["original_request"] is None) == (it["authorized_portion"] is None), it["item"]
    for it in partial:
        assert it["original_request"].strip() and it["authorized_portion"].strip()
        assert "original request" not in it["item"] and "authorized" not in it["item"]


def test_every_item_has_outcome_item_and_rationale(corpus):
    for fmt in ("seeds", "txt", "pdf"):
        for stem, d in corpus[fmt].items():
            assert [it["item_index"] for it in d["items"]] == list(range(1, len(d["items"]) + 1)), (
                stem
            )
            assert d["items"], stem
            for it in d["items"]:
                assert it["outcome"] in {"Upheld", "Overturned"}, (stem, it["item"])
                assert it["item"] and it["item"].strip(), stem
                assert it["rationale"] and it["rationale"].strip(), (stem, it["item"])
                assert not re.search(r"(:|Upheld|Overturned)\s*$", it["item"]), (stem, it["item"])
                assert it["maximus_guideline"], (stem, it["item"])
                assert set(it["guideline_sources"]) <= ALL_SOURCES, (stem, it["guideline_sources"])
                assert it["guideline_sources"] == sorted(set(it["guideline_sources"])), stem


def test_txt_and_pdf_parses_list_the_same_items(corpus):
    differ = []
    for stem, t in corpus["txt"].items():
        p = corpus["pdf"][stem]
        if [(i["item"], i["outcome"]) for i in t["items"]] != [
            (i["item"], i["outcome"]) for i in p["items"]
        ]:
            differ.append(stem)
    assert not differ, f"{len(differ)} letters differ between txt and pdf: {differ[:10]}"


def test_text_fields_are_whitespace_normalised(corpus):
    def clean(s):
        return s is None or (isinstance(s, str) and s == " ".join(s.split()))

    for fmt in ("seeds", "txt", "pdf"):
        for stem, d in corpus[fmt].items():
            assert clean(d["case_summary"]) and d["case_summary"], stem
            assert clean(d["reviewer_specialty"]), stem
            for it in d["items"]:
                for field in (
                    "item",
                    "original_request",
                    "authorized_portion",
                    "rationale",
                    "claims_administrator_guideline",
                    "maximus_guideline",
                ):
                    assert clean(it[field]), (stem, field, _short(it[field]))


def test_every_letter_has_reviewer_and_patient_fields(corpus):
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    no_age = []
    for fmt in ("seeds", "txt", "pdf"):
        for stem, d in corpus[fmt].items():
            assert d["reviewer_specialty"], stem
            assert d["reviewer_licensure"] and all(
                s and s == s.strip() for s in d["reviewer_licensure"]
            ), stem
            assert d["patient_sex"] in {"male", "female"}, stem
            if d["patient_age"] is None:
                no_age.append(stem)
            else:
                assert isinstance(d["patient_age"], int) and 16 <= d["patient_age"] <= 90, stem
            if fmt == "seeds":
                assert d["date_of_injury"] is None and d["decision_date"] is None, stem
            else:
                assert iso.match(d["date_of_injury"] or "") and iso.match(
                    d["decision_date"] or ""
                ), stem
                assert d["date_of_injury"] < d["decision_date"], stem
    # The only letter that never states an age (it lists two birthdates instead), in both formats.
    assert no_age == ["CM16-0249170", "CM16-0249170"]


def test_parsed_letters_are_json_ready(corpus):
    for stem, d in list(corpus["txt"].items())[:20] + list(corpus["seeds"].items()):
        assert json.loads(json.dumps(d)) == d, stem
