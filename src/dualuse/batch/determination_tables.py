"""The dated catalogue compiled into lookup tables for the vectorised batch path.

1. Epochs: the days on which any dated record of the law data starts or ends split time into
   epochs; every day of an epoch has the same catalogue, so one catalogue serves the epoch.
   Codes need less: one code epoch per Annex I version and set of Annex II/IV records.
2. Classes: each control code and each country is mapped to the class of its `decision_key()`,
   the facts an outcome, a legal basis or a UGEA status can turn on; classes are shared across
   epochs.
3. Decisions, in the engine's two stages and with its own functions: the article rules
   (`apply_rules`) once per distinct (signature, activity, member state, code facts, country
   facts, flags), then each UGEA (`apply_ugea`) once per (the part of that class the UGEA
   conditions read, the UGEA's destination coverage, its item coverage). The differential test
   checks that the batch path and the per-transaction engine agree.
"""

from __future__ import annotations

import bisect
import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from dualuse.engine.determination import RulesOutcome, _validate, apply_rules, apply_ugea
from dualuse.engine.result import OUTCOMES, SEVERITY, basis_sort_key
from dualuse.engine.transaction import Item, Transaction
from dualuse.errors import CoverageError, InputError
from dualuse.law import Catalogue, Law
from dualuse.law.codes import normalise
from dualuse.rules import rules_for
from dualuse.rules.annex_ii.common import ugea_rules
from dualuse.rules.context import (
    CodeFacts,
    CountryFacts,
    ItemContext,
    UgeaItemCoverage,
    code_facts,
    country_facts,
)
from dualuse.rules.sanctions_goods import READS_CN_CODE
from dualuse.rules.sanctions_goods.facts import (
    GoodsFacts,
    facts_on,
    outcome_key_on,
    regime_state,
)

UGEA_CODES = {"not_needed": 0, "available": 1, "conditional": 2, "not_available": 3}


def _boundaries(law: Law) -> list[date]:
    data = law.data
    days: set[date] = set()

    def add(valid_from: date, valid_to: date | None) -> None:
        days.add(valid_from)
        if valid_to is not None:
            days.add(valid_to + timedelta(days=1))

    for v in data.annex_i_versions:
        add(v.validity.valid_from, v.validity.valid_to)
    records: Iterable[Any] = (*data.entries, *data.definitions, *data.notes, *data.annex_iv,
                              *data.section_i, *data.arms_embargoes, *data.sanctions_bans,
                              *data.national_measures)
    for r in records:
        add(r.validity.valid_from, r.validity.valid_to)
    # Of the sanctions goods data only the partner-country lists change a country's facts; the
    # rest is read per segment of the goods law (`cn_class`).
    days |= law.sanctions_goods.country_boundaries()
    for raw in data.ugeas_raw:
        dated = [raw, *raw["destinations"].get("destinations", []),
                 *raw["destinations"].get("excluded", [])]
        for d in dated:
            if d.get("valid_from"):
                add(date.fromisoformat(d["valid_from"]),
                    date.fromisoformat(d["valid_to"]) if d.get("valid_to") else None)
    return sorted(days)


@dataclass
class StageA:
    """One class of lines as the article rules see it, and what they decided."""

    tx: Transaction
    cat: Catalogue
    code: CodeFacts
    dest: CountryFacts
    goods: GoodsFacts
    rules: RulesOutcome
    rank: int
    mask: int
    ugea_proj: int  # the projection of this class that the UGEA conditions read


@dataclass
class Compiled:
    """Lookup tables built lazily for the epochs, codes and countries a batch meets.

    Codes and countries are interned into classes of identical facts across epochs. Lines are
    decided in two stages, as the engine does: the article rules per class of (activity,
    member state, code facts, country facts, flags), then each UGEA per (that class, the
    UGEA's destination coverage, its item coverage), both by the engine's own functions.
    """

    law: Law
    lock: threading.Lock = field(default_factory=threading.Lock)  # one batch at a time
    starts: list[date] = field(default_factory=list)
    _cats: dict[int, Catalogue] = field(default_factory=dict)
    code_class: dict[tuple[int, str | None], int] = field(default_factory=dict)
    country_class: dict[tuple[int, str], int] = field(default_factory=dict)
    _code_keys: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _country_keys: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _code_rules_keys: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _country_rules_keys: dict[tuple[Any, ...], int] = field(default_factory=dict)
    code_rules: list[int] = field(default_factory=list)  # code class -> rules class
    code_cov: list[list[int]] = field(default_factory=list)  # code class -> per-UGEA coverage
    country_rules: list[int] = field(default_factory=list)
    country_cov: list[list[int]] = field(default_factory=list)
    code_rep: dict[int, CodeFacts] = field(default_factory=dict)  # per rules class
    country_rep: dict[int, CountryFacts] = field(default_factory=dict)  # per rules class
    coverage_rep: dict[tuple[str, int], UgeaItemCoverage] = field(default_factory=dict)
    facts: dict[tuple[str | None, bool, str], CodeFacts] = field(default_factory=dict)
    new_facts: int = 0  # facts computed since the tables were loaded (worth saving)
    _fkey_class: dict[tuple[str | None, bool, str], int] = field(default_factory=dict)
    _annex_sig: dict[int, str] = field(default_factory=dict)
    _code_epochs: dict[tuple[str, str], int] = field(default_factory=dict)
    _code_epoch_of: dict[int, int] = field(default_factory=dict)
    code_epoch_rep: dict[int, int] = field(default_factory=dict)
    _sigs: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _sig_of: dict[tuple[int, str], int] = field(default_factory=dict)
    _sig_cat: dict[int, Catalogue] = field(default_factory=dict)
    bases: dict[tuple[str, str], int] = field(default_factory=dict)
    stage_a: list[StageA] = field(default_factory=list)
    _stage_a_ids: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _stage_b: dict[tuple[int, int, int, int], int] = field(default_factory=dict)
    _ugea_keys: dict[tuple[Any, ...], int] = field(default_factory=dict)
    b_rep: list[tuple[StageA, Transaction]] = field(default_factory=list)
    _b_ids: dict[tuple[int, str], int] = field(default_factory=dict)
    _code_views: dict[tuple[int, str, int], CodeFacts] = field(default_factory=dict)
    # CN codes against the sanctions goods lists: the class of a code's facts for a
    # destination's regime (what an outcome and its bases turn on there), per (regime, segment
    # of the goods law, code), with a representative of each class.
    _cn_of: dict[tuple[int, int, str | None], int] = field(default_factory=dict)
    _states: dict[tuple[int, int], int] = field(default_factory=dict)  # (regime, segment)
    _state_ids: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _state_segment: dict[int, int] = field(default_factory=dict)
    _known: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    _known_goods: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    _alike: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _known_after: dict[tuple[Any, ...], dict[tuple[str, str], Any]] = field(default_factory=dict)
    regimes: dict[str | None, int] = field(default_factory=lambda: {None: 0})
    country_regime: list[int] = field(default_factory=list)  # country class -> regime number
    _proj_keys: dict[tuple[Any, ...], int] = field(default_factory=dict)
    proj_rep: list[GoodsFacts] = field(default_factory=list)
    _dest_views: dict[tuple[int, str, int], CountryFacts] = field(default_factory=dict)

    def __post_init__(self) -> None:
        first, last = self.law.coverage
        self._first, self._last = first, last
        self.starts = [d for d in _boundaries(self.law) if d >= first]
        if not self.starts or self.starts[0] != first:
            self.starts.insert(0, first)
        self.ugea_rules = ugea_rules()
        self.cn_class(0, 0, None)  # class 0: a line to a destination under no goods regime

    # -------------------------------------------------------------- epochs
    def epoch(self, day: date, where: str) -> int:
        if day < self._first or (self._last is not None and day > self._last):
            raise CoverageError(f"{day.isoformat()} is outside the law data's coverage "
                                f"({self._first.isoformat()} onwards)", field=where)
        return bisect.bisect_right(self.starts, day) - 1

    def catalogue(self, epoch: int) -> Catalogue:
        cat = self._cats.get(epoch)
        if cat is None:
            cat = self._cats[epoch] = self.law.as_of(self.starts[epoch])
        return cat

    def signature(self, epoch: int, member_state: str) -> int:
        """What else the rules read from the catalogue: the UGEAs in force with their
        conditions, and the member state's national measures (the member state is part of the
        signature: the catalogue kept for it must hold that member state's measures)."""
        key = (epoch, member_state)
        found = self._sig_of.get(key)
        if found is None:
            cat = self.catalogue(epoch)
            sig = (member_state,
                   tuple((u.id, tuple(c.code for c in u.not_authorised_if))
                         for u in cat.ugeas()),
                   tuple(m.id for m in cat.national_measures(member_state)))
            found = self._sigs.setdefault(sig, len(self._sigs))
            self._sig_cat.setdefault(found, cat)
            self._sig_of[key] = found
        return found

    def _annex_signature(self, epoch: int) -> str:
        """Which Annex II/IV records are in force: with the code and whether it is 'Not used',
        all that a code's facts (other than its citation text) depend on."""
        found = self._annex_sig.get(epoch)
        if found is None:
            day = self.starts[epoch]
            data = self.law.data
            sig = (tuple(i for i, r in enumerate(data.annex_iv) if r.validity.contains(day)),
                   tuple(i for i, r in enumerate(data.section_i) if r.validity.contains(day)),
                   tuple(u.id for u in self.catalogue(epoch).ugeas()))
            found = self._annex_sig[epoch] = hashlib.sha256(repr(sig).encode()).hexdigest()[:16]
        return found

    def code_epoch(self, epoch: int) -> int:
        """Epochs with the same Annex I version and Annex II/IV records give every code the
        same facts: one code epoch."""
        found = self._code_epoch_of.get(epoch)
        if found is None:
            key = (self.catalogue(epoch).annex_i_version.id, self._annex_signature(epoch))
            found = self._code_epochs.setdefault(key, len(self._code_epochs))
            self.code_epoch_rep.setdefault(found, epoch)
            self._code_epoch_of[epoch] = found
        return found

    # -------------------------------------------------------------- classes
    def classify_code(self, epoch: int, code: str | None) -> int:
        key = (epoch, code)
        found = self.code_class.get(key)
        if found is None:
            cat = self.catalogue(epoch)
            if code is None:
                facts = code_facts(cat, None)
                fkey: tuple[str | None, bool, str] = (None, False, "")
            else:
                entry = cat.entry(code)
                fkey = (entry.code, entry.not_used, self._annex_signature(epoch))
                known = self._fkey_class.get(fkey)
                if known is not None:
                    self.code_class[key] = known
                    return known
                found_facts = self.facts.get(fkey)
                if found_facts is None:
                    found_facts = self.facts[fkey] = code_facts(cat, entry.code)
                    self.new_facts += 1
                facts = found_facts
            found = self._code_keys.get(facts.decision_key(), -1)
            if found < 0:
                found = self._code_keys[facts.decision_key()] = len(self._code_keys)
                rcls = self._code_rules_keys.setdefault(facts.rules_key(),
                                                        len(self._code_rules_keys))
                self.code_rep.setdefault(rcls, facts)
                self.code_rules.append(rcls)
                cov = []
                for r in self.ugea_rules:
                    c = facts.ugea_item(r.id)
                    status = _COV[c.status] if c else 0
                    if c is not None:
                        self.coverage_rep.setdefault((r.id, status), c)
                    cov.append(status)
                self.code_cov.append(cov)
            self._fkey_class[fkey] = found
            self.code_class[key] = found
        return found

    def classify_country(self, epoch: int, iso2: str, where: str) -> int:
        key = (epoch, iso2)
        found = self.country_class.get(key)
        if found is None:
            facts = country_facts(self.catalogue(epoch), iso2, where)
            found = self._country_keys.get(facts.decision_key(), -1)
            if found < 0:
                found = self._country_keys[facts.decision_key()] = len(self._country_keys)
                rcls = self._country_rules_keys.setdefault(facts.rules_key(),
                                                           len(self._country_rules_keys))
                self.country_rep.setdefault(rcls, facts)
                self.country_rules.append(rcls)
                self.country_regime.append(
                    self.regimes.setdefault(facts.goods.regime, len(self.regimes)))
                self.country_cov.append([int(facts.ugea_covers(r.id)) for r in self.ugea_rules])
            self.country_class[key] = found
        return found

    def classify_country_exact(self, epoch: int, iso2: str) -> int:
        """A rules class of this one country (for the rules that compare it with another
        country of the transaction, such as the origin of brokered items)."""
        facts = country_facts(self.catalogue(epoch), iso2, "destination")
        rcls = self._country_rules_keys.setdefault(("exact", iso2, facts.rules_key()),
                                                   len(self._country_rules_keys))
        self.country_rep.setdefault(rcls, facts)
        return rcls

    def goods_state(self, regime: int, segment: int) -> int:
        """The state of the goods law for a regime in a segment of days (the versions of its
        lists, past their last sure day or not): segments with one state share the classes."""
        if regime == 0:
            return 0
        key = (regime, segment)
        found = self._states.get(key, -1)
        if found < 0:
            goods = self.law.sanctions_goods
            name = next(k for k, v in self.regimes.items() if v == regime)
            state = regime_state(goods.on(goods.segment_day(segment)), str(name))
            found = self._state_ids.setdefault(state, len(self._state_ids) + 1)
            self._states[key] = found
            self._state_segment.setdefault(found, segment)
        return found

    def cn_class(self, regime: int, state: int, cn_code: str | None) -> int:
        """The class of a CN code's facts for a destination under the regime numbered `regime`
        in a state of the goods law: codes whose outcome and bases there turn on the same facts
        (`GoodsFacts.outcome_key`) share it. For a destination under no regime the code
        decides no outcome: one class."""
        key = (regime, state, None if regime == 0 else cn_code)
        found = self._cn_of.get(key)
        if found is None:
            goods = self.law.sanctions_goods
            name = next(k for k, v in self.regimes.items() if v == regime)
            segment = self._state_segment.get(state, goods.segment(self._first))
            view = goods.on(goods.segment_day(segment))
            outcome = () if name is None else outcome_key_on(view, name, key[2])
            found = self._proj_keys.setdefault((name, outcome), len(self.proj_rep))
            if found == len(self.proj_rep):
                self.proj_rep.append(facts_on(view, key[2], view.day))
            self._cn_of[key] = found
        return found

    # -------------------------------------------------------------- decisions
    def decide_rules(self, sig: int, activity: str, member_state: str, code_rcls: int,
                     dest_rcls: int, cyber: bool, informed: str, aware: str,
                     circumstances: str, origin: str | None = None, cn_cls: int = 0) -> int:
        """Stage 1 for one class of lines: the id of its StageA record. `origin` (where the
        items are) is passed for the activities whose rules read it; `cn_cls` is the class of
        the line's CN code for the destination (`cn_class`)."""
        key = (sig, activity, member_state, code_rcls, dest_rcls, cyber, informed, aware,
               circumstances, origin, cn_cls)
        found = self._stage_a_ids.get(key)
        if found is not None:
            return found
        cat = self._sig_cat[sig]
        dest = self.country_rep[dest_rcls]
        code = self.code_rep[code_rcls]
        goods = self.proj_rep[cn_cls]
        tx = Transaction(
            as_of=cat.as_of, activity=activity, member_state=member_state,
            destination=dest.iso2, items=(Item(code.code, cyber, cn_code=goods.cn_code),),
            informed_of=_words(informed), aware_of=_words(aware),
            circumstances=_words(circumstances), origin=origin,
        )
        # The rules that do not read the CN code decide once per class without it, and those
        # that do once per (CN class, activity, destination's goods regime and partner status,
        # its dual-use bans, Annex I listing): no rule of either kind reads what the other's key
        # leaves out (but names, for the explanation). Codes whose rules decide alike (the same
        # outcomes, bases and UGEA blocks) share the class of lines.
        base = key[:-1]
        goods_key = (cn_cls, activity, dest.goods, dest.rules_key()[3], code.listed)
        known = self._known.get(base)
        known_goods = self._known_goods.get(goods_key)
        ctx = ItemContext(tx, cat, 0, tx.items[0], code, dest, None, goods)
        if known_goods is None:
            known_goods = self._known_goods[goods_key] = {
                r.id: r.func(ctx) for r in rules_for(activity) if r.id in READS_CN_CODE}
        decided = tuple((f.rule, f.outcome, f.bases, f.blocks_ugea)
                        for f in known_goods.values())
        alike = self._alike.get((base, decided))
        if alike is not None:
            self._stage_a_ids[key] = alike
            return alike
        if known is None:
            _validate(tx, cat, same_state_check=False)  # checked on the real rows
        rules = apply_rules(ctx, {**known, **known_goods} if known is not None else known_goods,
                            self._known_after.setdefault(base, {}))
        if known is None:
            self._known[base] = {f.rule: f for f in rules.findings
                                 if f.rule not in READS_CN_CODE}
        self._alike[(base, decided)] = len(self.stage_a)
        mask = 0
        for basis in rules.bases:
            mask |= 1 << self.bases.setdefault(basis, len(self.bases))
        found = self._stage_a_ids[key] = len(self.stage_a)
        # What a UGEA's status can turn on besides its two coverages and the circumstances
        # (see common.evaluate).
        ugea_key = (sig, activity, rules.outcome, rules.needs_authorisation, bool(rules.blocks),
                    dest.arms_embargo, informed, aware, origin)
        proj = self._ugea_keys.setdefault(ugea_key, len(self._ugea_keys))
        self.stage_a.append(StageA(tx, cat, code, dest, goods, rules, SEVERITY[rules.outcome],
                                   mask, proj))
        return found

    def ugea_class(self, proj: int, a_id: int, circumstances: str) -> int:
        """A UGEA class: a projection of the rules' classes plus the stated circumstances."""
        key = (proj, circumstances)
        found = self._b_ids.get(key)
        if found is None:
            found = self._b_ids[key] = len(self.b_rep)
            a = self.stage_a[a_id]
            self.b_rep.append((a, replace(a.tx, circumstances=_words(circumstances))))
        return found

    def decide_ugea(self, u: int, b_id: int, dest_cov: int, item_cov: int) -> int:
        """Stage 2: UGEA number `u` for a UGEA class of lines, given the UGEA's destination and
        item coverage on the line. Returns a UGEA_CODES value."""
        key = (u, b_id, dest_cov, item_cov)
        found = self._stage_b.get(key)
        if found is not None:
            return found
        a, tx = self.b_rep[b_id]
        rule = self.ugea_rules[u]
        cov = self.coverage_rep.get((rule.id, item_cov))
        if cov is None:
            cov = UgeaItemCoverage(rule.id, "excluded", (f"{rule.id} does not cover the item",))
        ckey = (id(a.code), rule.id, item_cov)
        code = self._code_views.get(ckey)
        if code is None:
            code = self._code_views[ckey] = replace(a.code, ugea_items=(cov,))
        dkey = (id(a.dest), rule.id, dest_cov)
        dest = self._dest_views.get(dkey)
        if dest is None:
            dest = self._dest_views[dkey] = replace(
                a.dest, ugea_destinations=((rule.id, bool(dest_cov)),))
        ctx = ItemContext(tx, a.cat, 0, tx.items[0], code, dest, None, a.goods)
        _, result = apply_ugea(ctx, a.rules, rule)
        found = self._stage_b[key] = UGEA_CODES[result.status]
        return found

    def render_bases(self, mask: int) -> str:
        chosen = {b for b, bit in self.bases.items() if mask >> bit & 1}
        out: list[str] = []
        for _, text in sorted(chosen, key=basis_sort_key):
            if text not in out:
                out.append(text)
        return ";".join(out)


_COV = {"excluded": 0, "covered": 1, "conditional": 2}


def render_ugeas(packed: int) -> str:
    """Transaction-level statuses (already aggregated) -> 'EU001=available;EU003=conditional'."""
    ids = [r.id for r in ugea_rules()]
    names = {1: "available", 2: "conditional"}
    out = []
    for i, uid in enumerate(ids):
        code = packed >> (2 * i) & 3
        if code in names:
            out.append(f"{uid}={names[code]}")
    return ";".join(out)


def outcome_name(rank: int) -> str:
    return OUTCOMES[rank]


def _words(joined: str) -> frozenset[str]:
    return frozenset(w for w in joined.split(";") if w)


def normalise_words(raw: str | None, vocabulary: tuple[str, ...], where: str) -> str:
    """A `;`-separated list cell -> its canonical form (sorted, distinct); InputError if a word
    is not in the vocabulary."""
    if raw is None:
        return ""
    words = sorted({w.strip() for w in raw.split(";") if w.strip()})
    for w in words:
        if w not in vocabulary:
            raise InputError(f"unknown value {w!r}; expected one of: {', '.join(vocabulary)}",
                             field=where)
    return ";".join(words)


# The circumstances the article rules read (Art 8(3)); the others matter to the UGEAs only.
RULES_CIRCUMSTANCES = frozenset({"public_domain", "basic_scientific_research", "official_tasks",
                                 "member_state_armed_forces", "mtcr_exception",
                                 "minimum_for_authorised_export"})


def rules_circumstances(joined: str) -> str:
    return ";".join(w for w in joined.split(";") if w in RULES_CIRCUMSTANCES)


def normalise_code(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    return normalise(raw)
