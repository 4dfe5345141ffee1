"""Invariants over arbitrary input (hypothesis): the classifier never crashes or returns a
malformed ranking, and a questionnaire walk always ends in an outcome or a next question."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.classify.questionnaire import assess, load_questionnaire
from dualuse.classify.search import Classifier
from dualuse.errors import InputError

WORDS = st.sampled_from(
    [
        "thermal", "camera", "laser", "drone", "encrypted", "router", "gyro", "uranium",
        "pump", "valve", "furnace", "the", "for", "with", "voor", "met",
        "warmtebeeldcamera", "banana", "zzz", "18", "km", "high", "speed", "software",
        "technology", "of", "sonar",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.lists(WORDS, max_size=12).map(" ".join), st.text(max_size=80)),
       st.integers(min_value=1, max_value=10))
def test_ranking_is_well_formed_or_refused(classifier: Classifier, text: str, top: int) -> None:
    try:
        result = classifier.classify(text, top=top)
    except InputError as exc:
        assert "description" in str(exc)
        return
    s = result.suggestions
    assert 1 <= len(s) <= top
    assert len({x.entry for x in s}) == len(s)
    assert all(x.code == x.entry or x.code.startswith(x.entry + ".") for x in s)
    assert [x.score for x in s] == sorted((x.score for x in s), reverse=True)
    assert all(x.why for x in s)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["cryptography", "cyber_surveillance"]), st.randoms(use_true_random=False))
def test_every_walk_ends_in_an_outcome(name: str, rnd: object) -> None:
    q = load_questionnaire(name)
    answers: dict[str, str] = {}
    for _ in range(len(q.questions) + 1):
        a = assess(q, answers)
        if a.complete:
            assert a.outcome is not None and a.outcome.citations
            assert all(step.citation for step in a.steps)
            return
        assert a.next_question is not None
        options = a.next_question.options
        answers[a.next_question.id] = options[rnd.randrange(len(options))].value  # type: ignore[attr-defined]
    raise AssertionError("walk did not end")
