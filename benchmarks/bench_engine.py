"""Determination engine benchmarks (issue 3), as ratios to baselines measured in the same run.

1. Batch: deciding N generated order lines (CSV in, Parquet out) against pyarrow reading the
   same CSV and writing the same rows to Parquet. Target: ratio <= 3 at N = 1,000,000.
2. Single determination in process: p50 latency as a fraction of the 1 ms budget, and against
   the baseline of only parsing and validating the same transaction.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dualuse.batch.determination import _COMPILED, run_batch
from dualuse.engine import determine, parse_transaction
from dualuse.law import load_law
from dualuse.rules.context import _CODE_CACHE

DESTINATIONS = ["US", "CN", "JP", "GB", "IN", "KR", "TR", "BR", "SG", "AE", "CH", "NO", "MX",
                "ZA", "AR", "UA", "IL", "PK", "RU", "IR", "MY", "TH", "VN", "CA", "AU"]


def generate(n: int, seed: int = 7) -> pa.Table:
    """N order lines of realistic shape: transactions of 1-8 lines, mostly exports, most items
    not listed, declaration dates over three years, rare catch-all flags."""
    rng = np.random.default_rng(seed)
    law = load_law()
    codes = [e.code for e in law.as_of(date(2026, 6, 1)).entries() if e.listed]
    codes = [c for c in codes if law.as_of(date(2023, 1, 12)).has_code(c)]  # valid all period
    sizes = rng.integers(1, 9, size=n)
    tx_of_line = np.repeat(np.arange(n), sizes)[:n]
    n_tx = int(tx_of_line[-1]) + 1
    start = date(2023, 1, 12)
    days = rng.integers(0, (date(2026, 11, 1) - start).days, size=n_tx)
    day_strings = np.array([(start + timedelta(days=int(d))).isoformat() for d in range(
        (date(2026, 11, 1) - start).days)])
    activity = rng.choice(["export", "export", "export", "export", "export", "export",
                           "brokering", "technical_assistance", "transit", "transfer"],
                          size=n_tx)
    dest = rng.choice(DESTINATIONS, size=n_tx)
    transfer = activity == "transfer"
    dest[transfer] = rng.choice(["DE", "FR", "BE", "IT"], size=int(transfer.sum()))
    informed = rng.choice(["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
                           "", "", "wmd", "military_end_use"], size=n_tx)
    aware = rng.choice(["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
                        "", "", "human_rights"], size=n_tx)
    circ = rng.choice(["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
                       "", "return_after_repair", "exhibition"], size=n_tx)
    listed = rng.random(n) < 0.35
    code = np.where(listed, np.array(codes)[rng.integers(0, len(codes), size=n)], "")
    t = tx_of_line
    return pa.table({
        "transaction_id": pa.array(np.char.add("T", t.astype(str))),
        "as_of": pa.array(day_strings[days[t]]),
        "activity": pa.array(activity[t]),
        "member_state": pa.array(np.full(n, "NL")),
        "destination": pa.array(dest[t]),
        "origin": pa.array(np.full(n, "")),
        "control_code": pa.array(code),
        "cyber_surveillance": pa.array(np.where(rng.random(n) < 0.02, "true", "false")),
        "informed_of": pa.array(informed[t]),
        "aware_of": pa.array(aware[t]),
        "circumstances": pa.array(circ[t]),
    })


def _best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def run(quick: bool) -> None:
    n = 100_000 if quick else 1_000_000
    law = load_law()
    with tempfile.TemporaryDirectory(prefix="dualuse-bench-") as tmp:
        src = Path(tmp) / "lines.csv"
        pacsv.write_csv(generate(n), src)
        types = {name: pa.string() for name in pacsv.open_csv(src).schema.names}

        def baseline() -> None:
            table = pacsv.read_csv(src, convert_options=pacsv.ConvertOptions(
                column_types=types))
            pq.write_table(table, Path(tmp) / "baseline.parquet")

        def batch() -> None:
            run_batch(src, Path(tmp) / "decided.parquet", law=law)

        def fresh_process() -> None:
            # What a new process starts with: no compiled tables, no code facts in memory.
            _COMPILED.clear()
            for cat in list(_CODE_CACHE):
                _CODE_CACHE[cat].clear()

        baseline()  # warm the page cache for both

        def ratio(prepare: Any) -> float:
            # Baseline and batch measured back to back, so load on a shared machine hits both.
            base = _best(baseline, 1)
            prepare()
            return _best(batch, 1) / base

        trial = iter(range(100))

        def nothing_cached() -> None:
            os.environ["DUALUSE_CACHE_DIR"] = str(Path(tmp) / f"cache-{next(trial)}")
            fresh_process()

        def disk_cache_only() -> None:
            os.environ["DUALUSE_CACHE_DIR"] = str(Path(tmp) / "cache-shared")
            fresh_process()

        cold = min(ratio(nothing_cached) for _ in range(2))
        disk_cache_only()
        batch()  # fill the shared disk cache
        cached = min(ratio(disk_cache_only) for _ in range(2))
        warm = min(ratio(lambda: None) for _ in range(3))
        rows = pq.read_metadata(Path(tmp) / "decided.parquet").num_rows
        assert rows == n
    print(f"batch determination of {n:,} order lines (CSV -> Parquet)")
    print("  ratio to pyarrow read CSV + write Parquet of the same rows (target <= 3x):")
    print(f"    {cold:.2f}x first run, nothing cached")
    print(f"    {cached:.2f}x first run of a process, code facts cached on disk")
    print(f"    {warm:.2f}x later runs in the same process")
    print("  (best of 2-3 back-to-back pairs; the law itself is loaded once beforehand)")

    sample = generate(2_000, seed=11).to_pylist()
    txs = []
    for r in sample:
        txs.append({"as_of": r["as_of"], "activity": r["activity"],
                    "exporter": {"member_state": r["member_state"]},
                    "destination": r["destination"],
                    "items": [{"control_code": r["control_code"] or None,
                               "cyber_surveillance": r["cyber_surveillance"] == "true"}],
                    "informed_of": [w for w in r["informed_of"].split(";") if w],
                    "aware_of": [w for w in r["aware_of"].split(";") if w],
                    "circumstances": [w for w in r["circumstances"].split(";") if w]})
    for tx in txs[:200]:
        determine(tx, law)  # warm the catalogues of the dates
    lat, parse = [], []
    for tx in txs:
        t0 = time.perf_counter()
        determine(tx, law)
        t1 = time.perf_counter()
        parse_transaction(tx)
        t2 = time.perf_counter()
        lat.append(t1 - t0)
        parse.append(t2 - t1)
    p50 = statistics.median(lat)
    p95 = sorted(lat)[int(len(lat) * 0.95)]
    print(f"single determination in process ({len(txs)} transactions, warm)")
    print(f"  p50 as a fraction of the 1 ms budget: {p50 / 1e-3:.2f} (target < 1)")
    print(f"  p95 as a fraction of the 1 ms budget: {p95 / 1e-3:.2f}")
    print(f"  p50 ratio to parsing and validating the input only: "
          f"{p50 / statistics.median(parse):.1f}x")
