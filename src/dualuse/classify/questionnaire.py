"""Guided questionnaires as pure state machines (Cryptography Note / 5A002; Art. 2(20)).

A questionnaire is reviewed data (`data/classify/*.yaml`): questions with options, each option
leading to the next question or to an outcome. `assess()` replays a set of answers from the
start and returns an `Assessment`: the path taken with each question's citation, and either the
outcome (proposed classification, reasoning, citations, what it feeds into the determination)
or the next question still to answer. Answers to questions off the path are reported, not used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from dualuse.errors import DataIntegrityError, InputError


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    next: str | None
    outcome: str | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    help: str
    citation: str
    options: tuple[Option, ...]

    def option(self, value: str) -> Option:
        for o in self.options:
            if o.value == value:
                return o
        allowed = ", ".join(o.value for o in self.options)
        raise InputError(f"answer to {self.id!r}: {value!r} is not one of: {allowed}")


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    status: str  # controlled | not_controlled | released | catch_all | listed | undetermined
    proposed_codes: tuple[str, ...]
    summary: str
    citations: tuple[str, ...]
    feeds: Mapping[str, Any]
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Questionnaire:
    id: str
    title: str
    version: str
    disclaimer: str
    start: str
    questions: Mapping[str, Question]
    outcomes: Mapping[str, Outcome]
    checklist: tuple[Mapping[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    question: str
    text: str
    answer: str
    label: str
    citation: str
    note: str | None


@dataclass(frozen=True, slots=True)
class Assessment:
    questionnaire: str
    version: str
    steps: tuple[Step, ...]
    outcome: Outcome | None
    next_question: Question | None
    unused_answers: tuple[str, ...] = ()
    disclaimer: str = ""
    checklist: tuple[Mapping[str, str], ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        return self.outcome is not None

    def record(self) -> dict[str, Any]:
        """The stored form: answers, reasoning, outcome and the questionnaire version."""
        return {
            "questionnaire": self.questionnaire,
            "version": self.version,
            "complete": self.complete,
            "answers": {s.question: s.answer for s in self.steps},
            "reasoning": [
                {
                    "question": s.question,
                    "text": s.text,
                    "answer": s.label,
                    "citation": s.citation,
                    **({"note": s.note} if s.note else {}),
                }
                for s in self.steps
            ],
            "outcome": None
            if self.outcome is None
            else {
                "id": self.outcome.id,
                "status": self.outcome.status,
                "proposed_codes": list(self.outcome.proposed_codes),
                "summary": self.outcome.summary,
                "citations": list(self.outcome.citations),
                "feeds": dict(self.outcome.feeds),
                "next_steps": list(self.outcome.next_steps),
            },
            "next_question": None
            if self.next_question is None
            else {
                "id": self.next_question.id,
                "text": self.next_question.text,
                "options": [o.value for o in self.next_question.options],
            },
            "unused_answers": list(self.unused_answers),
            "checklist": [dict(c) for c in self.checklist],
            "disclaimer": self.disclaimer,
        }


def assess(q: Questionnaire, answers: Mapping[str, str]) -> Assessment:
    """Walk `q` from its start with `answers` (question id -> option value)."""
    for key in answers:
        if key not in q.questions:
            raise InputError(f"answers: {key!r} is not a question of {q.id}")
    steps: list[Step] = []
    current: str | None = q.start
    outcome: Outcome | None = None
    seen: set[str] = set()
    while current is not None:
        question = q.questions[current]
        if current not in answers:
            break
        seen.add(current)
        opt = question.option(answers[current])
        steps.append(
            Step(question.id, question.text, opt.value, opt.label, question.citation, opt.note)
        )
        if opt.outcome is not None:
            outcome = q.outcomes[opt.outcome]
            current = None
        else:
            current = opt.next
    nxt = None if outcome is not None or current is None else q.questions[current]
    return Assessment(
        questionnaire=q.id,
        version=q.version,
        steps=tuple(steps),
        outcome=outcome,
        next_question=nxt,
        unused_answers=tuple(k for k in answers if k not in seen),
        disclaimer=q.disclaimer,
        checklist=q.checklist if outcome is not None else (),
    )


def parse_questionnaire(text: str, *, origin: str) -> Questionnaire:
    """Parse and check a questionnaire: every path ends in an outcome, no dangling ids."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataIntegrityError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DataIntegrityError(f"{origin}: expected a mapping")
    try:
        outcomes = {
            oid: Outcome(
                id=oid,
                status=str(o["status"]),
                proposed_codes=tuple(o.get("proposed_codes", [])),
                summary=str(o["summary"]).strip(),
                citations=tuple(o["citations"]),
                feeds=dict(o.get("feeds", {})),
                next_steps=tuple(o.get("next_steps", [])),
            )
            for oid, o in data["outcomes"].items()
        }
        questions = {
            qid: Question(
                id=qid,
                text=str(qd["text"]).strip(),
                help=str(qd.get("help", "")).strip(),
                citation=str(qd["citation"]),
                options=tuple(
                    Option(
                        value=str(o["value"]),
                        label=str(o["label"]),
                        next=o.get("next"),
                        outcome=o.get("outcome"),
                        note=o.get("note"),
                    )
                    for o in qd["options"]
                ),
            )
            for qid, qd in data["questions"].items()
        }
        q = Questionnaire(
            id=str(data["id"]),
            title=str(data["title"]),
            version=str(data["version"]),
            disclaimer=str(data.get("disclaimer", "")).strip(),
            start=str(data["start"]),
            questions=questions,
            outcomes=outcomes,
            checklist=tuple(data.get("checklist", [])),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataIntegrityError(f"{origin}: missing or malformed field: {exc}") from exc
    _check(q, origin)
    return q


def _check(q: Questionnaire, origin: str) -> None:
    if q.start not in q.questions:
        raise DataIntegrityError(f"{origin}: start {q.start!r} is not a question")
    for question in q.questions.values():
        if not question.options:
            raise DataIntegrityError(f"{origin}: {question.id}: no options")
        for o in question.options:
            if (o.next is None) == (o.outcome is None):
                raise DataIntegrityError(
                    f"{origin}: {question.id}/{o.value}: give exactly one of next, outcome"
                )
            if o.next is not None and o.next not in q.questions:
                raise DataIntegrityError(f"{origin}: {question.id}/{o.value}: no question {o.next}")
            if o.outcome is not None and o.outcome not in q.outcomes:
                raise DataIntegrityError(
                    f"{origin}: {question.id}/{o.value}: no outcome {o.outcome}"
                )
    # No cycles: a walk must always end.
    def walk(qid: str, path: frozenset[str]) -> None:
        if qid in path:
            raise DataIntegrityError(f"{origin}: cycle through {qid}")
        for o in q.questions[qid].options:
            if o.next is not None:
                walk(o.next, path | {qid})

    walk(q.start, frozenset())


def load_questionnaire(name: str) -> Questionnaire:
    """A bundled questionnaire: `cryptography` (Cat. 5 Part 2) or `cyber_surveillance`."""
    files = {
        "cryptography": "cryptography_note.yaml",
        "cyber_surveillance": "cyber_surveillance.yaml",
    }
    if name not in files:
        raise InputError(f"questionnaire: {name!r} is not one of {', '.join(files)}")
    text = (resources.files("dualuse.data") / "classify" / files[name]).read_text(encoding="utf-8")
    return parse_questionnaire(text, origin=files[name])
