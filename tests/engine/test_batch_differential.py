"""The vectorised batch path agrees with the per-transaction engine (differential test)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from engine_strategies import transactions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.batch.determination import determine_table
from dualuse.engine import determine
from dualuse.law import load_law

LAW = load_law()


def _rows(txs: list[dict[str, Any]]) -> pa.Table:
    rows = []
    for n, tx in enumerate(txs):
        for item in tx["items"]:
            rows.append({
                "transaction_id": f"T{n}", "as_of": tx["as_of"], "activity": tx["activity"],
                "member_state": tx["exporter"]["member_state"],
                "destination": tx["destination"], "origin": tx.get("origin"),
                "control_code": item["control_code"] or "",
                "cn_code": item.get("cn_code") or "",
                "cyber_surveillance": "true" if item["cyber_surveillance"] else "false",
                "informed_of": ";".join(tx["informed_of"]),
                "aware_of": ";".join(reversed(tx["aware_of"])),
                "circumstances": ";".join(tx["circumstances"]),
            })
    return pa.Table.from_pylist(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.filter_too_much])
@given(st.lists(transactions(), min_size=1, max_size=12))
def test_batch_agrees_with_engine(txs: list[dict[str, Any]]) -> None:
    out = determine_table(_rows(txs), LAW).to_pylist()
    i = 0
    for n, tx in enumerate(txs):
        expected = determine(tx, LAW)
        ugeas = ";".join(f"{u.id}={u.status}" for u in expected.general_authorisations
                         if u.status in ("available", "conditional"))
        for k, item in enumerate(expected.items):
            row = out[i]
            i += 1
            assert row["transaction_id"] == f"T{n}"
            assert row["outcome"] == expected.outcome
            assert row["legal_bases"] == ";".join(expected.legal_bases)
            assert row["general_authorisations"] == ugeas
            assert row["line_outcome"] == item.outcome, k
    assert i == len(out)
