"""Art 11: intra-Union transfers.

11(1): authorisation for transfers of items listed in Annex IV; Part 2 items never go under a
general authorisation. 11(9): commercial documents for transfers of Annex I items say that they
are controlled if exported. Art 27(4): records kept three years.
"""

from __future__ import annotations

from dualuse.engine.result import Obligation, Question
from dualuse.law.citations import regulation
from dualuse.rules.context import Finding, ItemContext, cite
from dualuse.rules.registry import rule

TRANSFER = regulation("11", "1")
DOCUMENTS = regulation("11", "9")


@rule("art11.1", TRANSFER, "Intra-Union transfer of Annex IV items", ("transfer",))
def annex_iv(ctx: ItemContext) -> Finding:
    cited = TRANSFER.render()
    c = ctx.code
    facts = {"control_code": c.code, "annex_iv_part": c.annex_iv_part,
             "annex_iv_scope": c.annex_iv_scope, "receiving_member_state": ctx.dest.iso2}
    if not c.listed or c.annex_iv_part is None:
        return Finding("art11.1", cited, "not listed in Annex IV: the transfer needs no "
                       "authorisation under Art. 11(1)", facts,
                       decided_by="not listed in Annex IV")
    part = {"I": "Part 1", "II": "Part 2"}.get(c.annex_iv_part, "a part the data does not say")
    notes: tuple[str, ...] = ()
    if c.annex_iv_part == "II":
        notes = (f"{c.code} is in Annex IV Part 2: no general authorisation may cover its "
                 f"transfer (Art. 11(1), second sentence).",)
    questions: tuple[Question, ...] = ()
    if c.annex_iv_scope == "partial":
        questions = (Question(
            f"art11.annex_iv.{c.code}",
            f"Is the item within the part of {c.code} listed in Annex IV? ({c.annex_iv_note})",
            cited),)
    return Finding("art11.1", cited, f"{c.code} is in Annex IV ({part}"
                   f"{', in part' if c.annex_iv_scope == 'partial' else ''}): authorisation "
                   f"required for the intra-Union transfer", facts,
                   outcome="authorisation_required", bases=(cited,), questions=questions,
                   notes=notes, decided_by=f"{c.code} in Annex IV ({part})")


@rule("art11.9", DOCUMENTS, "Commercial documents of intra-Union transfers", ("transfer",))
def documents(ctx: ItemContext) -> Finding:
    cited = DOCUMENTS.render()
    if not ctx.code.listed:
        return Finding("art11.9", cited, "not an Annex I item", {"listed_in_annex_i": False},
                       decided_by="not listed in Annex I")
    return Finding("art11.9", cited, "Annex I item transferred within the Union: documents and "
                   "records duties", {"listed_in_annex_i": True}, obligations=(
                       Obligation("document", "State clearly in the sales contract, order "
                                  "confirmation, invoice and dispatch note that the items are "
                                  "subject to controls if exported from the Union.", cited),
                       Obligation("record_keeping", "Keep the documents and records of the "
                                  "transfer for at least three years from the end of the "
                                  "calendar year of the transfer.", cite("27", "4")),
                   ), decided_by=f"{ctx.code.code} listed in Annex I")
