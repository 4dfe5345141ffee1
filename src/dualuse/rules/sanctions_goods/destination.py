"""EU sanctions that prohibit goods beyond Annex I for exports to the destination, and the related
technical assistance and brokering services:

- Russia, Regulation (EU) No 833/2014: Art. 2a(1) and 2a(2)(a) (Annex VII: Part B by CN code,
  Part A by description), Art. 3k(1) and 3k(2)(a) (Annex XXIII by CN code), with the exceptions
  and derogations of Arts 2a and 3k (wind-down of contracts, household use, ...);
- Iran, Regulation (EU) 2023/1529: Art. 2(1) and 2(2)(a) (Annex II by CN code);
- the lists the data does not bundle (833/2014 Annexes II, X, XI, XVI, XVIII, XX; 765/2006
  Annexes Va, XVIII, XX, XXIV, XXV; the goods annexes of 267/2012) and Annex VII Part A are asked
  about, never assumed: a good whose CN code is not found is `undetermined` until the exporter
  answers that no other list names it (or names the list that does).

Two rules: `sanctions.goods_lists` decides from the entries that cover the CN code (prohibited,
or authorisation required under a derogation the exporter claims); `sanctions.goods_unlisted`
keeps the answer open (`undetermined`) while a fact that may decide a prohibition is missing: the
CN code itself, an 'ex' entry's description, a list not bundled or not read whole on the day.
A CN code (or heading, or chapter) listed covers every 8-digit code under it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from dualuse.engine.result import Obligation, Question
from dualuse.errors import InputError
from dualuse.law.citations import Citation
from dualuse.rules.context import Finding, ItemContext
from dualuse.rules.registry import rule
from dualuse.rules.sanctions_goods.facts import (
    GoodsFacts,
    Hit,
    ListCheck,
    ProvisionCheck,
    RegimeCheck,
    goods_facts,
)

CITATION = Citation(instrument="EU restrictive measures (Art. 215 TFEU)",
                    text="Council regulations prohibiting exports of goods listed by CN code "
                         "beyond Annex I (833/2014 Arts 2a, 3k; 2023/1529 Art. 2; 765/2006)",
                    instrument_title="EU sanctions goods lists")
LISTED = "sanctions.goods_lists"
UNLISTED = "sanctions.goods_unlisted"
ACTIVITIES = ("export", "brokering", "technical_assistance", "transit")
_PART_A_CODE = re.compile(r"^X\.[A-E]\.[IVX]+\.\d{3}$")
NOT_GIVEN = "the CN code was not given"


def facts_of(ctx: ItemContext) -> GoodsFacts:
    return ctx.goods if ctx.goods is not None else goods_facts(ctx.cat, ctx.item.cn_code)


def question_id(regime: str, index: int, what: str) -> str:
    return f"sanctions.{regime}.items[{index}].{what}"


def provision_id(regime: str, p: ProvisionCheck) -> str:
    return f"sanctions.{p.id}"


@dataclass
class Analysis:
    """What the lists say about one item going to a destination whose sanctions list goods."""

    regime: RegimeCheck
    goods: GoodsFacts
    services: bool
    dual_use_banned: bool  # a listed Annex I item under the destination's dual-use ban
    prohibited: list[str] = field(default_factory=list)  # bases
    authorised: list[str] = field(default_factory=list)  # derogations claimed: bases
    why: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # 'not listed in ...'
    # Bundled lists that could not be checked on the day, and why.
    unchecked: list[tuple[ListCheck, str]] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # why the answer stays open

    def basis(self, check: ListCheck) -> str | None:
        """The provision with the list, e.g. '... No 833/2014, Art. 2a(1), Annex VII, Part B';
        None when the list's prohibition does not reach the activity."""
        provision = check.services if self.services else check.export
        return None if provision is None else f"{provision}, {check.label}"


# The last analysis: the three sanctions goods rules read the same item in a row.
_LAST: list[tuple[ItemContext, Analysis | None]] = []


def analyse(ctx: ItemContext, mutable: bool = False) -> Analysis | None:
    """None when the destination's sanctions list no goods by CN code. A caller that adds to
    the analysis asks for its own copy (`mutable`)."""
    last = _LAST[0] if _LAST else None
    if last is None or last[0] is not ctx:
        last = (ctx, _analyse(ctx))
        _LAST[:] = [last]
    found = last[1]
    return None if found is None else _copy(found) if mutable else found


def _copy(a: Analysis) -> Analysis:
    return Analysis(a.regime, a.goods, a.services, a.dual_use_banned, list(a.prohibited),
                    list(a.authorised), list(a.why), list(a.questions), list(a.obligations),
                    list(a.notes), list(a.checked), list(a.unchecked), list(a.pending))


def _analyse(ctx: ItemContext) -> Analysis | None:
    regime_id = ctx.dest.goods.regime
    if regime_id is None:
        return None
    goods = facts_of(ctx)
    rc = goods.regime(regime_id)
    if rc is None:
        return None
    a = Analysis(rc, goods, ctx.tx.activity in ("brokering", "technical_assistance"),
                 ctx.code.listed and any(b.scope == "all_dual_use" for b in ctx.dest.bans))
    if goods.cn_code is None:
        return a
    answers = ctx.tx.answers
    for check in rc.prohibitions:
        basis = a.basis(check)
        if basis is None:
            continue
        if check.version is None:
            a.unchecked.append((check, f"no version bundled for {goods.day.isoformat()}"))
            continue
        covering = [h for h in check.hits if not h.ex]
        for h in (h for h in check.hits if h.ex):
            qid = question_id(rc.regime, ctx.index, f"ex.{check.annex}.{h.digits}")
            answer = answers.get(qid)
            if answer is True:
                covering.append(h)
            elif answer is None:
                a.questions.append(Question(qid, (
                    f"Is item {ctx.index} among the goods of {h.level} {h.entry} (listed 'ex': "
                    f"only the goods described) of {check.label}: “{h.text}”? If so {basis} "
                    f"prohibits it."), basis))
                a.pending.append(f"{check.label} lists {h.entry} 'ex' (for the goods described "
                                 f"only)")
        if covering:
            _listed(ctx, a, check, basis, covering)
        elif not check.complete:
            a.unchecked.append((check, str(check.version)))
        elif rc.stale:
            a.unchecked.append((check, f"as amended after {_day(rc.verified_through)}: "
                                       f"{'; '.join(rc.later_acts)}"))
        else:
            a.checked.append(f"{check.label} ({check.version})")
    return a


def _day(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _listed(ctx: ItemContext, a: Analysis, check: ListCheck, basis: str,
            covering: list[Hit]) -> None:
    """A list covers the code: prohibited unless an exception or derogation claimed applies."""
    rc, answers = a.regime, ctx.tx.answers
    entries = "; ".join(f"{h.level} {h.entry}" + (f" (table {h.table})" if h.table else "") +
                        f": “{h.text}”" for h in covering)
    why = (f"CN {a.goods.printed} falls under {entries}, listed in {check.label} "
           f"({check.version})")
    provisions = [p for p in rc.provisions if check.list_id in p.lists]
    claimed_exceptions = [p for p in provisions if p.kind == "exception"
                          and answers.get(provision_id(rc.regime, p)) is True]
    claimed_derogations = [p for p in provisions if p.kind == "derogation"
                           and answers.get(provision_id(rc.regime, p)) is True]
    if claimed_exceptions:
        claimed = ", ".join(p.citation for p in claimed_exceptions)
        a.why.append(f"{why}; {basis} does not apply: you state that {claimed} applies")
        for p in claimed_exceptions:
            if "shall declare in the customs declaration" in p.text:
                a.obligations.append(Obligation(
                    "declaration", "Declare in the customs declaration that the items are "
                    "exported under the exception, and notify the competent authority of the "
                    "first use of the exception within 30 days of the first export (not for "
                    "personal effects of travellers, point (g)).", p.citation,
                    "30 days after the first export"))
        return
    if claimed_derogations:
        cited = [p.citation for p in claimed_derogations]
        a.authorised.extend(cited)
        a.why.append(f"{why}; {basis} prohibits it, but you state that the derogation of "
                     f"{', '.join(cited)} applies: the competent authority may authorise it")
        a.obligations.append(Obligation(
            "application", "Apply to the competent authority of the member state where you are "
            "resident or established (NL: CDIU) for an authorisation under the derogation "
            "before exporting.", ", ".join(cited), "before export"))
        return
    a.prohibited.append(basis)
    a.why.append(f"{why}: {basis} prohibits it")
    for p in provisions:
        if answers.get(provision_id(rc.regime, p)) is not None:
            continue
        effect = ("the prohibition does not apply" if p.kind == "exception" else
                  "the competent authority may authorise the export (an authorisation is then "
                  "required)")
        a.questions.append(Question(provision_id(rc.regime, p), (
            f"{p.kind.capitalize()} {p.citation} ({p.goods}): “{_clip(p.text)}” Does it apply "
            f"to this export? If so answer true: {effect}."), p.citation))


@functools.lru_cache(maxsize=256)
def _clip(text: str, limit: int = 600) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"


@rule(LISTED, CITATION, "EU sanctions goods lists by CN code: prohibitions, exceptions and "
      "derogations", ACTIVITIES)
def goods_lists(ctx: ItemContext) -> Finding:
    a = analyse(ctx)
    facts: dict[str, object] = {"destination": ctx.dest.iso2, "cn_code": ctx.item.cn_code}
    if a is None:
        return Finding(LISTED, CITATION.render(), f"no EU sanctions in the data list goods by CN "
                       f"code for {ctx.tx.activity.replace('_', ' ')} to {ctx.dest.name} (they "
                       f"do for Russia, Belarus and Iran)", facts,
                       decided_by=f"no goods lists for {ctx.dest.name}")
    facts.update({"regime": a.regime.title, "checked": a.checked,
                  "not_checked": [f"{c.label} ({why})" for c, why in a.unchecked]})
    if a.goods.cn_code is None:
        return Finding(LISTED, CITATION.render(), f"{NOT_GIVEN}: the lists of {a.regime.title} "
                       f"by CN code could not be checked", facts, decided_by="no CN code given")
    notes = tuple(a.notes)
    if a.regime.stale and (a.prohibited or a.authorised):
        notes += (f"{a.regime.title}: the lists bundled are those in force on "
                  f"{_day(a.regime.verified_through)}; later acts are not bundled "
                  f"({'; '.join(a.regime.later_acts)}): check the current annexes.",)
    if a.prohibited:
        return _prohibited(LISTED, a, facts, notes)
    if a.authorised:
        return Finding(LISTED, a.authorised[0], "authorisation required: " + "; ".join(a.why),
                       facts, outcome="authorisation_required", bases=tuple(a.authorised),
                       questions=tuple(a.questions), obligations=tuple(a.obligations),
                       blocks_ugea="a sanctions derogation is granted by individual "
                                   "authorisation of the competent authority", notes=notes,
                       decided_by="derogation claimed: " + ", ".join(a.authorised))
    if a.why:  # lifted by an exception the exporter claims
        return Finding(LISTED, CITATION.render(), "; ".join(a.why), facts,
                       obligations=tuple(a.obligations), notes=notes,
                       decided_by="exception claimed")
    found = ", ".join(a.checked) or "none of the lists could be checked"
    return Finding(LISTED, CITATION.render(), f"CN {a.goods.printed} is not listed in the lists "
                   f"checked: {found}", facts, questions=tuple(a.questions), notes=notes,
                   decided_by=f"CN {a.goods.printed} in no list checked")


@rule(UNLISTED, CITATION, "EU sanctions goods lists: facts that may still decide a prohibition",
      ACTIVITIES)
def goods_unlisted(ctx: ItemContext) -> Finding:
    a = analyse(ctx, mutable=True)
    facts: dict[str, object] = {"destination": ctx.dest.iso2, "cn_code": ctx.item.cn_code}
    if a is None:
        return Finding(UNLISTED, CITATION.render(), f"no fact is left open: no list of goods "
                       f"applies to {ctx.dest.name}", facts,
                       decided_by=f"no goods lists for {ctx.dest.name}")
    rc = a.regime
    if a.dual_use_banned or a.prohibited:
        why = ("the item is listed in Annex I and the dual-use ban prohibits it"
               if a.dual_use_banned else "a list prohibits the goods")
        return Finding(UNLISTED, CITATION.render(), f"{why}: the other lists need not be asked "
                       f"about", facts, decided_by="already prohibited")
    lists = _lists_that_apply(a)
    if a.goods.cn_code is None:
        qid = question_id(rc.regime, ctx.index, "cn_code")
        provision = "; ".join(lists)
        return Finding(
            UNLISTED, CITATION.render(), f"undetermined: {NOT_GIVEN}; {rc.title} prohibits "
            f"goods listed by CN code ({provision})", {**facts, "lists": lists},
            outcome="undetermined",
            questions=(Question(qid, (
                f"What is the 8-digit CN code of item {ctx.index} (give it as "
                f"items[{ctx.index}].cn_code)? {rc.title} prohibits goods to {ctx.dest.name} "
                f"that its annexes list by CN code (and Annex VII Part A by description): "
                f"without the CN code they cannot be checked."), provision),),
            blocks_ugea="EU sanctions may prohibit the export: the CN code decides",
            decided_by="no CN code given")
    pending = list(a.pending)
    other = _other_listings(ctx, a)
    if other is not None:
        pending.append(other)
    checked = "; ".join(a.checked) or "none"
    facts.update({"checked": a.checked,
                  "not_checked": [f"{c.label} ({why})" for c, why in a.unchecked]})
    if a.prohibited:  # the exporter named the list that lists the item
        return _prohibited(UNLISTED, a, facts)
    if not pending:
        return Finding(UNLISTED, CITATION.render(), f"CN {a.goods.printed} is not listed: "
                       f"checked {checked}; " + "; ".join(a.notes), facts,
                       decided_by="no list names it")
    return Finding(
        UNLISTED, CITATION.render(), f"undetermined: CN {a.goods.printed} is not found in the "
        f"lists checked ({checked}), but " + "; ".join(pending), facts,
        outcome="undetermined", questions=tuple(a.questions),
        blocks_ugea="EU sanctions may prohibit the export: the questions decide",
        decided_by="lists not checked: " + "; ".join(
            [c.label for c, _ in a.unchecked] + [c.label for c in rc.unbundled] +
            [c.label for c in rc.described]))


def _prohibited(rule_id: str, a: Analysis, facts: dict[str, object],
                notes: tuple[str, ...] = ()) -> Finding:
    return Finding(rule_id, a.prohibited[0], "prohibited: " + "; ".join(a.why), facts,
                   outcome="prohibited", bases=tuple(a.prohibited), questions=tuple(a.questions),
                   obligations=tuple(a.obligations),
                   blocks_ugea=f"{a.regime.title} prohibits the export of the goods", notes=notes,
                   decided_by="listed in " + ", ".join(a.prohibited))


def _lists_that_apply(a: Analysis) -> list[str]:
    out = []
    for check in (*a.regime.prohibitions, *a.regime.described, *a.regime.unbundled):
        basis = a.basis(check)
        if basis is not None:
            out.append(basis + ("" if check.list_id else " (not bundled)"))
    return out


def _other_listings(ctx: ItemContext, a: Analysis) -> str | None:
    """The question on the lists that could not be checked (Annex VII Part A by description,
    the lists not bundled, the lists not read whole or past their last sure day). Returns why
    the answer stays open, or None when answered (or nothing is left unchecked)."""
    rc = a.regime
    described = [c for c in rc.described if a.basis(c) is not None]
    unbundled = [c for c in rc.unbundled if a.basis(c) is not None]
    if not (described or unbundled or a.unchecked):
        return None
    qid = question_id(rc.regime, ctx.index, "other_listings")
    answer = ctx.tx.answers.get(qid)
    if answer is False:
        a.notes.append(f"you state that no other list names the item ({qid}: false)")
        return None
    options = [c.annex for c in unbundled] + [c.annex for c, _ in a.unchecked]
    if isinstance(answer, str) and answer.strip():
        basis = _answered_list(ctx, a, answer.strip(), described, unbundled, qid, options)
        if basis is None:
            return (f"you state that {answer.strip()} lists the item, and what that listing "
                    f"entails is not known to dualuse (not bundled): ask the competent "
                    f"authority")
        a.prohibited.append(basis)
        return None
    if answer is not None and answer is not True:  # true: a list names it, but which is open
        raise InputError("answer false, or name the list: an annex (e.g. 'XI') or an Annex VII "
                         "Part A entry (e.g. 'X.A.I.001')", field=f"answers.{qid}")
    parts = []
    if described:
        parts.append("described in an entry of " + ", ".join(
            f"{c.label} ({c.version or 'not bundled for the day'}; give the entry, e.g. "
            f"X.A.I.001)" for c in described))
    if unbundled or a.unchecked:
        names = [f"{a.basis(c)} (not bundled)" for c in unbundled] + [
            f"{a.basis(c)} ({why})" for c, why in a.unchecked]
        parts.append(("is its CN code listed in " if described else "listed in ") +
                     "; ".join(names))
    text = (f"Is item {ctx.index} (CN {a.goods.printed}) " + ", or ".join(parts) +
            f"? dualuse could not check these for {a.goods.day.isoformat()} (see "
            f"docs/data_sources.md). Answer false if none lists it, or name the annex or entry "
            f"that does.")
    a.questions.append(Question(qid, text, "; ".join(
        b for b in (a.basis(c) for c in (*described, *unbundled)) if b) or rc.title))
    if answer is True:
        return (f"you state that a list that could not be checked names the item ({qid}: "
                f"true): name the annex or entry, which decides the article that prohibits")
    return "lists that may name it could not be checked: " + "; ".join(
        [c.label for c in described] + [c.label for c in unbundled] +
        [f"{c.label} ({why})" for c, why in a.unchecked])


def _answered_list(ctx: ItemContext, a: Analysis, answer: str, described: list[ListCheck],
                   unbundled: list[ListCheck], qid: str, options: list[str]) -> str | None:
    """The basis the named list gives (None: a list whose effect the data cannot say)."""
    rc = a.regime
    field_name = f"answers.{qid}"
    if _PART_A_CODE.match(answer.upper()):
        answer = answer.upper()
        for c in described:
            if rc.described_codes and answer not in rc.described_codes and c.complete:
                raise InputError(f"{answer} is not an entry of {c.label} on "
                                 f"{a.goods.day.isoformat()}", field=field_name)
            basis = a.basis(c)
            if basis is not None:
                a.why.append(f"you state that the item is described in {c.label}, {answer}")
                return basis
        raise InputError(f"{rc.title} has no list by description for this activity",
                         field=field_name)
    label = re.sub(r"(?i)^annex\s*", "", answer).strip().upper()
    for c in (*unbundled, *rc.prohibitions):
        basis = a.basis(c)
        if basis is not None and c.annex.upper() == label:
            if c in rc.prohibitions and c.annex not in options:
                # a bundled list checked whole on the day: the data says it does not list it
                raise InputError(f"Annex {label} was checked and does not list CN "
                                 f"{a.goods.printed}", field=field_name)
            if c.effect != "prohibition":
                return None
            a.why.append(f"you state that {c.label} lists CN {a.goods.printed}")
            return basis
    raise InputError(f"not a list of {rc.title} that may name the item; expected false or one "
                     f"of: {', '.join(options) or 'none'} or an Annex VII Part A entry",
                     field=field_name)
