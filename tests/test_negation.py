"""What a text says is absent (rag.negation): the stretch a negation cue governs, closed by a
conjunction that turns the clause, and a trailing cue reaching back over its subject. The
sentences are our own, written in the letters' manner."""

import pytest

from rag.negation import absent_spans, negations


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        ("The examination showed no sign of acute spasm of the paraspinals.", "spasm", ""),
        ("Records lack any mention of a trial of physical therapy.", "therapy", ""),
        # the cue reaches ten words, not the whole sentence
        (
            "The file does not show that the worker is now being treated for arthritis.",
            "arthritis",
            "",
        ),
        # ... and the rest of a list it stops inside, no further
        (
            "It does not show that the injured worker's right shoulder pain comes from bursitis"
            " or tendinitis today.",
            "tendinitis",
            "today",
        ),
        (
            "The file does not show that the worker is now being treated for arthritis of the hip.",
            "",
            "hip",
        ),
        # a turn of the clause closes the scope
        ("There was no instability, but the knee was swollen.", "instability", "swollen"),
        ("No weakness because the strength was full.", "weakness", "strength"),
        # a trailing cue reaches back over its subject
        ("Tenderness over the facets was not documented.", "facets", ""),
        ("Straight leg raise testing is negative.", "raise", ""),
        # ... "neither ... nor" too, and what was never stated
        ("Clear therapy goals were neither stated nor agreed.", "goals", ""),
        ("The frequency of the sessions was not stated.", "frequency", ""),
        # a contraction negates as "not" does (users write them)
        ("The exam doesn't show any spasm today.", "spasm", ""),
        # what the worker cannot do is a finding, not an absence
        ("The worker can't swallow tablets.", "", "swallow"),
        # found, not negated
        ("The examination found ongoing spasm in the neck.", "", "spasm"),
        # a missing reason for something: the reason is absent, not what it was for
        ("There is a lack of a clear reason for a second anti-inflammatory.", "reason", "second"),
        ("No rationale was given as to why he needs traction.", "", "traction"),
        # the shorthand "w/o" is without; "w/" is with
        ("Lumbar ESI requested w/o radicular findings on exam.", "radicular", ""),
        ("MRI w/ contrast showed a disc protrusion.", "", "contrast"),
        # pseudo-negations negate nothing
        ("The worker no longer works and not only has spasm but weakness.", "", "spasm"),
    ],
)
def test_the_words_a_negation_governs(text: str, absent: str, present: str) -> None:
    spans = " ".join(absent_spans(text)).lower().split()
    if absent:
        assert absent in spans
    if present:
        assert present not in spans


def test_each_negation_keeps_its_cue_for_the_words_shown() -> None:
    assert negations("when the notes never document a spasm?") == [
        ("never document a spasm", "document a spasm")
    ]
    assert negations("Is it denied because the reflexes were not found?") == [
        ("the reflexes were not found", "the reflexes"),
        ("not found", "found"),
    ]
