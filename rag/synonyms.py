"""Our synonym table: brand and generic drug names, abbreviations and treatment classes.

Each concept has surface forms; any text (a rationale or a query) that mentions one gains the
concept's token, and members of a class gain the class token too. So "Norco" finds
"hydrocodone/acetaminophen", and "opioids" finds Norco, Percocet and tramadol decisions.
"""

from __future__ import annotations

import re
from functools import lru_cache

# concept -> (surface forms, classes). Forms are lowercase; matched on word boundaries.
CONCEPTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "hydrocodone": (
        (
            "norco",
            "hydrocodone",
            "vicodin",
            "lortab",
            "hydrocodone/apap",
            "hydrocodone/acetaminophen",
            "hydrocodone bitartrate",
        ),
        ("opioid",),
    ),
    "oxycodone": (("percocet", "oxycodone", "oxycontin", "roxicodone", "endocet"), ("opioid",)),
    "tramadol": (("tramadol", "ultram", "ultracet", "nucynta", "tapentadol"), ("opioid",)),
    "morphine": (("morphine", "ms contin", "kadian"), ("opioid",)),
    "hydromorphone": (("hydromorphone", "dilaudid", "exalgo"), ("opioid",)),
    "fentanyl": (("fentanyl", "duragesic"), ("opioid",)),
    "methadone": (("methadone",), ("opioid",)),
    "codeine": (("codeine", "tylenol #3", "tylenol with codeine", "tylenol no. 3"), ("opioid",)),
    "buprenorphine": (("buprenorphine", "butrans", "suboxone"), ("opioid",)),
    "opioid": (("opioid", "opioids", "opiate", "opiates", "narcotic", "narcotics"), ()),
    "cyclobenzaprine": (("flexeril", "cyclobenzaprine", "fexmid", "amrix"), ("muscle_relaxant",)),
    "carisoprodol": (("soma", "carisoprodol"), ("muscle_relaxant",)),
    "tizanidine": (("zanaflex", "tizanidine"), ("muscle_relaxant",)),
    "methocarbamol": (("robaxin", "methocarbamol"), ("muscle_relaxant",)),
    "baclofen": (("baclofen", "lioresal"), ("muscle_relaxant",)),
    "orphenadrine": (("norflex", "orphenadrine"), ("muscle_relaxant",)),
    "metaxalone": (("skelaxin", "metaxalone"), ("muscle_relaxant",)),
    "muscle_relaxant": (
        (
            "muscle relaxant",
            "muscle relaxants",
            "antispasmodic",
            "antispasmodics",
            "antispasticity",
        ),
        (),
    ),
    "omeprazole": (("omeprazole", "prilosec"), ("ppi",)),
    "pantoprazole": (("pantoprazole", "protonix"), ("ppi",)),
    "esomeprazole": (("esomeprazole", "nexium"), ("ppi",)),
    "lansoprazole": (("lansoprazole", "prevacid"), ("ppi",)),
    "ppi": (("ppi", "ppis", "proton pump inhibitor", "proton pump inhibitors"), ()),
    "famotidine": (("famotidine", "pepcid"), ("h2_blocker",)),
    "ranitidine": (("ranitidine", "zantac"), ("h2_blocker",)),
    "naproxen": (("naproxen", "anaprox", "naprosyn", "aleve"), ("nsaid",)),
    "ibuprofen": (("ibuprofen", "motrin", "advil"), ("nsaid",)),
    "diclofenac": (("diclofenac", "voltaren", "flector", "arthrotec", "zorvolex"), ("nsaid",)),
    "celecoxib": (("celecoxib", "celebrex"), ("nsaid",)),
    "meloxicam": (("meloxicam", "mobic"), ("nsaid",)),
    "nabumetone": (("nabumetone", "relafen"), ("nsaid",)),
    "etodolac": (("etodolac", "lodine"), ("nsaid",)),
    "ketoprofen": (("ketoprofen",), ("nsaid",)),
    "flurbiprofen": (("flurbiprofen",), ("nsaid",)),
    "nsaid": (
        (
            "nsaid",
            "nsaids",
            "non-steroidal anti-inflammatory",
            "nonsteroidal anti-inflammatory",
            "anti-inflammatory",
        ),
        (),
    ),
    "lidocaine": (("lidocaine", "lidoderm", "xylocaine", "terocin", "lidopro"), ("topical",)),
    "capsaicin": (("capsaicin", "capzasin"), ("topical",)),
    "topical": (
        (
            "topical",
            "topicals",
            "cream",
            "ointment",
            "gel",
            "patch",
            "patches",
            "compound",
            "compounded",
            "transdermal",
        ),
        (),
    ),
    "gabapentin": (("gabapentin", "neurontin", "gralise"), ("anticonvulsant",)),
    "pregabalin": (("pregabalin", "lyrica"), ("anticonvulsant",)),
    "anticonvulsant": (("anticonvulsant", "anticonvulsants", "anti-epilepsy", "aed", "aeds"), ()),
    "duloxetine": (("duloxetine", "cymbalta"), ("antidepressant",)),
    "amitriptyline": (("amitriptyline", "elavil"), ("antidepressant",)),
    "nortriptyline": (("nortriptyline", "pamelor"), ("antidepressant",)),
    "trazodone": (("trazodone", "desyrel"), ("antidepressant",)),
    "antidepressant": (
        ("antidepressant", "antidepressants", "tricyclic", "tricyclics", "snri", "ssri"),
        (),
    ),
    "zolpidem": (("zolpidem", "ambien"), ("sleep_aid",)),
    "sleep_aid": (("insomnia", "sleep aid", "hypnotic", "hypnotics"), ()),
    "benzodiazepine": (
        (
            "benzodiazepine",
            "benzodiazepines",
            "diazepam",
            "valium",
            "alprazolam",
            "xanax",
            "lorazepam",
            "ativan",
            "clonazepam",
            "klonopin",
        ),
        (),
    ),
    "ondansetron": (("ondansetron", "zofran"), ("antiemetic",)),
    "antiemetic": (("antiemetic", "antiemetics", "nausea"), ()),
    "docusate": (("docusate", "colace", "senna", "senokot", "laxative", "constipation"), ()),
    "emg": (
        (
            "emg",
            "emgs",
            "electromyography",
            "electromyogram",
            "electromyographic",
            "emg/ncv",
            "emg/ncs",
        ),
        ("electrodiagnostic",),
    ),
    "ncv": (
        (
            "ncv",
            "ncs",
            "emg/ncv",
            "emg/ncs",
            "nerve conduction",
            "nerve conduction velocity",
            "nerve conduction study",
            "nerve conduction studies",
        ),
        ("electrodiagnostic",),
    ),
    "electrodiagnostic": (
        (
            "electrodiagnostic",
            "electro-diagnostic",
            "emg/ncv",
            "emg/ncs",
            "electrodiagnostic testing",
        ),
        (),
    ),
    "mri": (
        ("mri", "mris", "magnetic resonance imaging", "magnetic resonance", "mr arthrogram"),
        ("imaging",),
    ),
    "ct": (("ct", "ct scan", "computed tomography", "cat scan"), ("imaging",)),
    "xray": (("x-ray", "x-rays", "xray", "xrays", "radiograph", "radiographs"), ("imaging",)),
    "imaging": (("imaging", "diagnostic imaging", "special studies"), ()),
    "ssep": (
        (
            "ssep",
            "sseps",
            "somatosensory evoked potential",
            "somatosensory evoked potentials",
            "evoked potentials",
        ),
        ("electrodiagnostic",),
    ),
    "physical_therapy": (
        (
            "physical therapy",
            "pt",
            "physiotherapy",
            "physical medicine",
            "therapeutic exercise",
            "occupational therapy",
            "ot",
            "pt/ot",
            "aquatic therapy",
            "aqua therapy",
            "hand therapy",
        ),
        (),
    ),
    "acupuncture": (("acupuncture", "electro acupuncture", "electroacupuncture"), ()),
    "chiropractic": (
        (
            "chiropractic",
            "chiropractor",
            "manipulation",
            "manual therapy",
            "chirophysio",
            "spinal manipulation",
            "cmt",
        ),
        (),
    ),
    "esi": (
        (
            "epidural",
            "esi",
            "esis",
            "epidural steroid injection",
            "epidural steroid injections",
            "lesi",
            "cesi",
            "transforaminal",
        ),
        ("injection",),
    ),
    "facet": (
        (
            "facet",
            "medial branch block",
            "medial branch blocks",
            "mbb",
            "radiofrequency ablation",
            "rfa",
            "rhizotomy",
            "facet block",
        ),
        ("injection",),
    ),
    "trigger_point": (
        ("trigger point", "trigger point injection", "trigger point injections", "tpi"),
        ("injection",),
    ),
    "injection": (
        (
            "injection",
            "injections",
            "cortisone",
            "corticosteroid injection",
            "steroid injection",
            "prp",
            "platelet-rich plasma",
            "viscosupplementation",
            "synvisc",
            "hyaluronic",
        ),
        (),
    ),
    "surgery": (
        (
            "surgery",
            "surgical",
            "arthroscopy",
            "arthroscopic",
            "fusion",
            "laminectomy",
            "discectomy",
            "decompression",
            "repair",
            "carpal tunnel release",
            "trigger finger release",
            "surgical release",
            "arthroplasty",
            "replacement",
            "orif",
            "tenodesis",
            "acromioplasty",
        ),
        (),
    ),
    "tens": (
        (
            "tens",
            "transcutaneous electrical nerve stimulation",
            "tens unit",
            "electrical stimulation",
            "interferential",
            "e-stim",
            "neuromuscular stimulation",
        ),
        (),
    ),
    "frp": (
        (
            "functional restoration",
            "functional restoration program",
            "frp",
            "chronic pain program",
            "hela",
        ),
        (),
    ),
    "fce": (("fce", "functional capacity evaluation", "functional capacity"), ()),
    "home_health": (
        (
            "home health",
            "home health care",
            "home aide",
            "home care",
            "home health aide",
            "nursing care",
        ),
        (),
    ),
    "dme": (
        (
            "dme",
            "durable medical equipment",
            "brace",
            "wheelchair",
            "walker",
            "commode",
            "cold therapy",
            "cryotherapy",
            "hot/cold",
            "sling",
            "lumbar support",
            "back support",
            "mattress",
            "pillow",
            "cane",
        ),
        (),
    ),
    "uds": (
        (
            "urine drug screen",
            "urine drug screens",
            "uds",
            "urine drug test",
            "urine toxicology",
            "drug screening",
        ),
        (),
    ),
    "functional_improvement": (
        (
            "functional improvement",
            "functional benefit",
            "improvement in function",
            "increased function",
            "functional gains",
            "functional gain",
        ),
        (),
    ),
    "red_flags": (("red flag", "red flags"), ()),
    "radiculopathy": (("radiculopathy", "radicular", "radiculitis", "sciatica", "nerve root"), ()),
    "carpal_tunnel": (("carpal tunnel", "cts", "median neuropathy"), ()),
    "lumbar": (("lumbar", "low back", "lumbosacral", "l-spine", "lower back"), ()),
    "lower_extremity": (
        ("lower extremity", "lower extremities", "leg", "legs", "lower limb", "lower limbs"),
        (),
    ),
    "upper_extremity": (
        ("upper extremity", "upper extremities", "arm", "arms", "upper limb", "upper limbs"),
        (),
    ),
    "cervical": (("cervical", "neck", "c-spine"), ()),
    "thoracic": (("thoracic", "t-spine", "mid back"), ()),
    "postop": (
        (
            "post-op",
            "postop",
            "post-operative",
            "postoperative",
            "post operative",
            "after surgery",
            "post-surgical",
            "postsurgical",
        ),
        (),
    ),
    "gi_risk": (
        (
            "gi risk",
            "gastrointestinal risk",
            "gastrointestinal events",
            "gi symptoms",
            "gastrointestinal symptoms",
            "dyspepsia",
            "gastritis",
            "gi upset",
            "gi bleed",
        ),
        (),
    ),
}


# Concepts that describe a condition or reason rather than a disputed treatment.
CONDITIONS = frozenset(
    {
        "functional_improvement",
        "red_flags",
        "radiculopathy",
        "carpal_tunnel",
        "lumbar",
        "cervical",
        "thoracic",
        "postop",
        "gi_risk",
        "lower_extremity",
        "upper_extremity",
    }
)


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    form_to_tokens: dict[str, tuple[str, ...]] = {}
    for concept, (forms, classes) in CONCEPTS.items():
        tokens = (f"syn_{concept}", *(f"syn_{c}" for c in classes))
        for form in forms:
            form_to_tokens[form] = tuple(dict.fromkeys(form_to_tokens.get(form, ()) + tokens))
    alternatives = sorted(form_to_tokens, key=len, reverse=True)
    # "(?!/ptt)": in "PT/PTT" the PT is prothrombin time, a lab test, not physical therapy.
    forms = "|".join(re.escape(f) for f in alternatives)
    pattern = rf"(?<![\w-])({forms})(?!\w)(?!/ptt)"
    return re.compile(pattern, re.I), form_to_tokens


def concept_tokens(text: str) -> list[str]:
    """The synonym-concept tokens mentioned in `text` (with repeats, in order)."""
    pattern, form_to_tokens = _matcher()
    out: list[str] = []
    for match in pattern.finditer(text):
        out.extend(form_to_tokens[match.group(1).lower()])
    return out


def concepts(text: str) -> set[str]:
    return set(concept_tokens(text))


def treatment_concepts(text: str) -> list[str]:
    """The treatments `text` names, most specific first: "Norco" gives hydrocodone, not opioids.

    Only the concept a surface form names directly counts, never the classes it belongs to, so a
    question about Norco is not answered with Percocet decisions.
    """
    pattern, _ = _matcher()
    found: list[str] = []
    for match in pattern.finditer(text):
        form = match.group(1).lower()
        for concept, (forms, _classes) in CONCEPTS.items():
            if form in forms and concept not in CONDITIONS and f"syn_{concept}" not in found:
                found.append(f"syn_{concept}")
    return found
