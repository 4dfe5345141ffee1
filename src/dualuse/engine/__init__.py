"""The determination engine (pure core): does this transaction need an authorisation, and under
which article?

Python API (what the web service calls)::

    from dualuse.engine import determine, parse_transaction, render_text
    from dualuse.law import load_law

    law = load_law()
    result = determine({"as_of": "2026-06-01", "activity": "export",
                        "exporter": {"member_state": "NL"}, "destination": "US",
                        "items": [{"control_code": "5A002.a.1"}]}, law)
    result.outcome            # 'authorisation_required'
    result.legal_bases        # ('Regulation (EU) 2021/821, Art. 3(1)',)
    result.to_dict()          # the JSON the CLI prints
    render_text(result)       # plain text citing each provision, with the OJ disclaimer

`determine(transaction, catalogue)` takes a `Transaction` or its JSON-like mapping (validated by
`parse_transaction`, `InputError` naming the field on any fault) and either the `Law`
(`load_law()`, the catalogue of the transaction's `as_of` day is taken) or a `Catalogue` of that
same day. It raises `UnknownCodeError`, `UnknownCountryError` (field named) and `CoverageError`
(a date outside the law data). It reads no clock, file or environment: the same input and data
give the same `Determination`, whose `input_hash`, `data_version` and `rules_version` make it
replayable (`replay`).

Input fields beyond the CLI contract (all optional):
- `purchasing_country`: ISO code, read by Art 4(1)(b) with the destination.
- `exporter.barred_from_ugeas`: true when the authority barred the exporter (Art 12(7)).
- `exporter.established_in`: the country of a person established outside the Union; then
  `exporter.member_state` is the member state where the items are (export, Art 12(2)) or from
  where the services are provided (Art 13(1)).
- `origin`: where the items are (brokering: Art 2(7); transit: Art 2(11)).
- `customs_status`: `non_union` or `union` (transit is of non-Union items, Art 2(11)).
- `items[].national_measure`: id of a national control-list measure in the law data (Arts 9, 10).
- `items[].cn_code`: the 8-digit CN code ('8466 93 90'): EU sanctions list goods by it
  (`dualuse.rules.sanctions_goods`); to Russia, Belarus or Iran an item without it is
  `undetermined` unless a dual-use ban already prohibits it.
- `informed_of`/`aware_of` also take `public_security` (Art 10(1)).
- `circumstances` also take the Art 8(3)(b)-(f) exemptions: `public_domain`,
  `basic_scientific_research`, `official_tasks`, `member_state_armed_forces`, `mtcr_exception`,
  `minimum_for_authorised_export`.
- `ad_hoc_requirements`: decisions of the competent authority imposing an authorisation
  requirement (or, under Arts 7(1) and 9(1), a prohibition) on this exporter::

      [{"reference": "BZ-2026-0142", "article": "4(1)(a)",
        "effect": "authorisation_required",        # or "prohibited" (7(1), 9(1) only)
        "items": [0], "destinations": ["PK"],       # optional: default all items/destinations
        "valid_from": "2026-01-01", "valid_to": null}]

  `article` is one of 4(1)(a), 4(1)(b), 4(1)(c), 5(1), 6(1), 6(3), 7(1), 7(2), 8(1), 8(4), 9(1),
  10(1), 11(2) and fixes the activity the decision governs.
- `answers`: replies to the `missing_facts` questions of an earlier determination, keyed by
  question id (`true` = the condition is met; `sanctions.*.other_listings` also takes the list
  that names the item, e.g. "XI" or "X.A.VIII.013"), plus two dates:
  `EU003.original_authorisation_date` and `EU004.reimport_date`.

Every node of the explanation for a provision tested carries `applies` and `decided_by` (the
fact or exemption that decided it); `render_text` lists why each one that does not apply does
not. `replay(stored, law)` decides a stored determination again and lists what changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dualuse.engine.determination import determine
    from dualuse.engine.render import render_text
    from dualuse.engine.replays import replay
    from dualuse.engine.result import Determination
    from dualuse.engine.transaction import Transaction, parse_transaction

__all__ = ["Determination", "Transaction", "determine", "parse_transaction", "render_text",
           "replay"]

_WHERE = {
    "determine": "dualuse.engine.determination",
    "render_text": "dualuse.engine.render",
    "replay": "dualuse.engine.replays",
    "Determination": "dualuse.engine.result",
    "Transaction": "dualuse.engine.transaction",
    "parse_transaction": "dualuse.engine.transaction",
}


def __getattr__(name: str) -> Any:
    # Imported lazily: the rules import the engine's result types, the engine imports the rules.
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
