"""`dualuse classify ...`: suggest Annex I entries for a product description, guided
questionnaires (Category 5 Part 2 / Cryptography Note; Art. 2(20) cyber-surveillance), and the
catalogue re-check across Annex I versions.

    dualuse classify "handheld heat camera for firefighters" [--top K] [--format text|json]
    dualuse classify crypto [--answer ID=VALUE ...] [--answers FILE] [--record OUT.json]
    dualuse classify cyber  [--answer ID=VALUE ...] [--answers FILE] [--record OUT.json]
    dualuse classify recheck PRODUCTS.csv [--from VERSION] [--to VERSION] [--format text|json]
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import Progress
from rich.table import Table
from typer.core import TyperGroup

from dualuse import OJ_DISCLAIMER
from dualuse.classify.questionnaire import Assessment, assess, load_questionnaire
from dualuse.classify.recheck import RecheckReport, parse_products, recheck
from dualuse.classify.search import LISTED, Classification
from dualuse.classify_cache import get_classifier
from dualuse.cli.common import fail, parse_date, print_json, stderr, user_errors
from dualuse.errors import InputError
from dualuse.law import load_law


class _DescriptionFirst(TyperGroup):
    """`dualuse classify "some description"` runs the search sub-command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["search", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DescriptionFirst,
    help='dualuse classify "DESCRIPTION" [--top K] [--format text|json] says whether an Annex I '
    "entry fits (verdict: listed or probably_not_listed, with confidence and reasons, and any "
    "cyber-surveillance families) and shows the nearest entries for a product description "
    "(short for `classify search`; use `classify search` for a "
    "description that is one of the sub-command names). Also: guided Category 5 Part 2 and "
    "cyber-surveillance assessments, and re-checking a product catalogue against a new Annex I.",
    no_args_is_help=True,
)
out = Console(highlight=False)


class Format(StrEnum):
    text = "text"
    json = "json"


@app.command("search")
def search(
    description: Annotated[str, typer.Argument(help="The product as you would describe it.")],
    top: Annotated[int, typer.Option("--top", "-k", help="How many entries to suggest.")] = 5,
    fmt: Annotated[Format, typer.Option("--format", help="text or json")] = Format.text,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Annex I in force on this date (YYYY-MM-DD).")
    ] = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="JSON: add definitions, release notes, see-also, "
                           "the cyber-surveillance families in full.")
    ] = False,
) -> None:
    """Say whether an Annex I entry fits a product description (English or Dutch) or the item
    is probably not listed, and show the nearest entries."""
    day = parse_date(as_of) or date.today()
    with user_errors():
        if not 1 <= top <= 50:
            raise InputError("--top: must be between 1 and 50")
        if not description.strip():
            raise InputError("description: empty; describe the product (what it is and does)")
        clf = get_classifier(day)
        result = clf.classify(description, top=top)
    if fmt is Format.json:
        print_json(result.as_detail() if detail else result.as_contract())
        return
    _print_text(result)


def _highlight(text: str, words: tuple[str, ...]) -> str:
    marked = escape(text)
    for w in sorted(words, key=len, reverse=True):
        if len(w) > 2:
            marked = marked.replace(w, f"[bold yellow]{w}[/]")
    return marked


def _print_text(result: Classification) -> None:
    out.print(Panel(result.notice, title="Classification suggestions", style="cyan"))
    if result.dutch_terms:
        out.print(f"Read as: {escape(result.english)}")
    if result.verdict == LISTED:
        out.print(f"\n[bold]Verdict: an Annex I entry fits[/] (confidence {result.confidence:.2f})"
                  " — check its parameters against the product.")
    else:
        out.print(f"\n[bold]Verdict: probably not listed[/] (confidence {result.confidence:.2f})"
                  " — rule out the nearest entries below before you record it.")
    for reason in result.reasons:
        out.print(f"  • {escape(reason)}")
    for m in result.families:
        f = m.family
        what = (f"listed family: check {', '.join(f.entries)}" if f.listed else
                "not named in Annex I: run `dualuse classify cyber` (Art. 2(20), Art. 5)")
        out.print(f"[bold magenta]Cyber-surveillance family:[/] {escape(f.label)} — {escape(what)}"
                  f" [dim]({escape(f.source)})[/]")
    out.print("\n[bold]Nearest entries[/]")
    for n, s in enumerate(result.suggestions, start=1):
        out.print(f"\n[bold]{n}. {s.code}[/]  (entry {s.entry}, score {s.score})")
        out.print(_highlight(s.text, s.highlights))
        out.print(f"[dim]why:[/] {escape(s.why)}")
        for d in s.definitions[:4]:
            out.print(f"[dim]definition[/] \"{escape(d.term)}\": {escape(d.text[:240])}")
        for note in s.release_notes[:3]:
            out.print(f"[dim]note ({escape(note.source)}):[/] {escape(note.text[:240])}")
        if s.see_also:
            out.print(f"[dim]see also:[/] {', '.join(s.see_also[:8])}")
    versions = ", ".join(f"{k} {v}" for k, v in result.versions.items())
    out.print(f"\n[dim]{escape(versions)}. {OJ_DISCLAIMER}[/]")


# -- guided questionnaires ---------------------------------------------------------------
def _answers(pairs: list[str] | None, path: Path | None) -> dict[str, str]:
    answers: dict[str, str] = {}
    if path is not None:
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            fail(f"--answers: {path}: cannot read ({exc})")
        if not isinstance(loaded, dict):
            fail(f"--answers: {path}: expected a mapping of question id to answer")
        answers.update({str(k): str(v) for k, v in loaded.items()})
    for pair in pairs or []:
        if "=" not in pair:
            fail(f"--answer: {pair!r} is not ID=VALUE")
        key, value = pair.split("=", 1)
        answers[key.strip()] = value.strip()
    return answers


def _run_questionnaire(
    name: str, pairs: list[str] | None, path: Path | None, record: Path | None, fmt: Format
) -> None:
    answers = _answers(pairs, path)
    with user_errors():
        q = load_questionnaire(name)
        result = assess(q, answers)
        while not result.complete and result.next_question and sys.stdin.isatty():
            nq = result.next_question
            stderr.print(f"\n[bold]{escape(nq.text)}[/]")
            if nq.help:
                stderr.print(f"[dim]{escape(nq.help)}[/]")
            stderr.print(f"[dim]{escape(nq.citation)}[/]")
            for o in nq.options:
                stderr.print(f"  {o.value}: {escape(o.label)}")
            choice = typer.prompt("answer", err=True)
            answers[nq.id] = choice.strip()
            try:
                result = assess(q, answers)
            except InputError as exc:
                stderr.print(f"[red]{escape(str(exc))}[/]")
                del answers[nq.id]
    data = result.record()
    if record is not None:
        try:
            record.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                              encoding="utf-8")
        except OSError as exc:
            fail(f"--record: {record}: cannot write ({exc})")
    if fmt is Format.json:
        print_json(data)
    else:
        _print_assessment(q.title, result)


def _print_assessment(title: str, a: Assessment) -> None:
    out.print(Panel(escape(a.disclaimer), title=escape(title), style="cyan"))
    for s in a.steps:
        out.print(f"- {escape(s.text)}")
        out.print(f"  [bold]{escape(s.label)}[/]  [dim]({escape(s.citation)})[/]")
        if s.note:
            out.print(f"  [dim]{escape(s.note)}[/]")
    if a.outcome is None:
        nq = a.next_question
        out.print("\n[yellow]Incomplete.[/] Next question"
                  + (f" [bold]{nq.id}[/]: {escape(nq.text)}" if nq else "")
                  + (f"\nAnswers: {', '.join(o.value for o in nq.options)}" if nq else ""))
        return
    o = a.outcome
    codes = ", ".join(o.proposed_codes) or "none"
    out.print(f"\n[bold]Outcome:[/] {escape(o.status)} — proposed code(s): {codes}")
    out.print(escape(o.summary))
    out.print("[dim]Citations:[/] " + escape("; ".join(o.citations)))
    for step in o.next_steps:
        out.print(f"• {escape(step)}")
    if a.checklist:
        out.print("\n[bold]Due-diligence checklist[/]")
        for c in a.checklist:
            out.print(f"☐ {escape(c['item'])} [dim]({escape(c['source'])})[/]")


AnswerOpt = Annotated[
    list[str] | None, typer.Option("--answer", "-a", help="ID=VALUE, repeatable.")
]
AnswersFile = Annotated[
    Path | None, typer.Option("--answers", help="YAML/JSON file: question id -> answer.")
]
RecordOpt = Annotated[
    Path | None, typer.Option("--record", help="Write the classification record (JSON) here.")
]
FormatOpt = Annotated[Format, typer.Option("--format", help="text or json")]


@app.command("crypto")
def crypto(
    answer: AnswerOpt = None,
    answers: AnswersFile = None,
    record: RecordOpt = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """Category 5 Part 2: walk the Cryptography Note and the 5A002 exclusions."""
    _run_questionnaire("cryptography", answer, answers, record, fmt)


@app.command("cyber")
def cyber(
    answer: AnswerOpt = None,
    answers: AnswersFile = None,
    record: RecordOpt = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """Art. 2(20) / Art. 5: is a non-listed item a cyber-surveillance item?"""
    _run_questionnaire("cyber_surveillance", answer, answers, record, fmt)


# -- catalogue re-check ------------------------------------------------------------------
@app.command("recheck")
def recheck_cmd(
    products: Annotated[Path, typer.Argument(help="CSV with columns product, code (id optional).")],
    from_version: Annotated[
        str | None, typer.Option("--from", help="Old Annex I version id (default: previous).")
    ] = None,
    to_version: Annotated[
        str | None, typer.Option("--to", help="New Annex I version id (default: latest).")
    ] = None,
    fmt: FormatOpt = Format.text,
) -> None:
    """Report what a new Annex I version changes for classified products."""
    law = load_law()
    versions = {v.id: v for v in law.annex_i_versions}
    ids = list(versions)
    new_id = to_version or ids[-1]
    if new_id not in versions:
        fail(f"--to: {new_id!r} is not an Annex I version ({', '.join(ids)})")
    old_id = from_version or (ids[ids.index(new_id) - 1] if ids.index(new_id) > 0 else new_id)
    if old_id not in versions:
        fail(f"--from: {old_id!r} is not an Annex I version ({', '.join(ids)})")
    try:
        with products.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        fail(f"{products}: cannot read ({exc})")
    with user_errors():
        items = parse_products(rows, str(products))
        with Progress(console=stderr, transient=True, disable=len(items) < 500) as bar:
            task = bar.add_task("Re-checking products", total=len(items))
            report = recheck(
                items,
                law.as_of(versions[old_id].validity.valid_from),
                law.as_of(versions[new_id].validity.valid_from),
                old_version=old_id,
                new_version=new_id,
                progress=lambda n: bar.update(task, completed=n),
            )
    if fmt is Format.json:
        print_json(_report_json(report))
    else:
        _print_report(report)


def _report_json(r: RecheckReport) -> dict[str, Any]:
    return {
        "old_version": r.old_version,
        "new_version": r.new_version,
        "counts": r.counts(),
        "products": [
            {
                "id": p.product.id, "product": p.product.name, "code": p.product.code,
                "status": p.status, "new_code": p.new_code, "summary": p.summary,
                "notes_changed": p.notes_changed,
                "changes": [{"code": c.code, "kind": c.kind, "old_text": c.old_text,
                             "new_text": c.new_text} for c in p.changes],
            }
            for p in r.products
        ],
    }


def _print_report(r: RecheckReport) -> None:
    table = Table(title=f"Annex I {r.old_version} → {r.new_version}")
    for col in ("product", "code", "status", "what changed"):
        table.add_column(col)
    for p in r.products:
        table.add_row(escape(p.product.name), p.product.code, p.status, escape(p.summary))
    out.print(table)
    out.print(", ".join(f"{k}: {v}" for k, v in sorted(r.counts().items())))
    out.print(f"[dim]{OJ_DISCLAIMER}[/]")
