"""Determination engine benchmarks (issue 3), as ratios to baselines measured in the same run.

1. Batch: deciding N generated order lines (CSV in, Parquet out) against pyarrow reading the
   same CSV and writing the same rows to Parquet. Target: ratio <= 3 at N = 1,000,000.
   Each trial is a new Python process (nothing of the determination in memory) that loads the
   law, measures the baseline, the batch's first run (cold), the baseline again and the batch's
   second run (warm: compiled tables in memory). Two settings: nothing cached on disk, and the
   code-facts cache of an earlier run on disk (what every later run on a machine meets).
2. Single determination in process: p50 latency as a fraction of the 1 ms budget, and against
   the baseline of only parsing and validating the same transaction.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dualuse.engine import determine, parse_transaction
from dualuse.law import load_law

DESTINATIONS = ["US", "CN", "JP", "GB", "IN", "KR", "TR", "BR", "SG", "AE", "CH", "NO", "MX",
                "ZA", "AR", "UA", "IL", "PK", "RU", "IR", "MY", "TH", "VN", "CA", "AU"]


def generate(n: int, seed: int = 7) -> pa.Table:
    """N order lines of realistic shape: transactions of 1-8 lines, mostly exports, most items
    not listed, declaration dates over three years, rare catch-all flags, and on nine lines in
    ten a CN code (a pool of 2,000: codes under the sanctions lists' entries and others)."""
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
    listed_cn = sorted({e.digits.ljust(8, "0") for e in law.sanctions_goods.entries})
    pool = np.array(listed_cn + [f"{x:08d}" for x in rng.integers(1_000_000, 97_000_000,
                                                                  size=2_000 - len(listed_cn))])
    cn = np.where(rng.random(n) < 0.9, pool[rng.integers(0, len(pool), size=n)], "")
    t = tx_of_line
    return pa.table({
        "transaction_id": pa.array(np.char.add("T", t.astype(str))),
        "as_of": pa.array(day_strings[days[t]]),
        "activity": pa.array(activity[t]),
        "member_state": pa.array(np.full(n, "NL")),
        "destination": pa.array(dest[t]),
        "origin": pa.array(np.full(n, "")),
        "control_code": pa.array(code),
        "cn_code": pa.array(cn),
        "cyber_surveillance": pa.array(np.where(rng.random(n) < 0.02, "true", "false")),
        "informed_of": pa.array(informed[t]),
        "aware_of": pa.array(aware[t]),
        "circumstances": pa.array(circ[t]),
    })


def _seconds(fn: Any) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def trial(src: str, workdir: str) -> dict[str, float]:
    """One new process's measurements (run by `run` through `python -c`)."""
    from dualuse.batch.determination import run_batch

    law = load_law()  # loaded before timing, as in the single-determination figures
    source, out = Path(src), Path(workdir)
    types = {name: pa.string() for name in pacsv.open_csv(source).schema.names}

    def baseline() -> None:
        table = pacsv.read_csv(source, convert_options=pacsv.ConvertOptions(column_types=types))
        pq.write_table(table, out / "baseline.parquet")

    def batch() -> None:
        run_batch(source, out / "decided.parquet", law=law)

    baseline()  # page cache and pyarrow's own start-up, for both
    base_cold = _seconds(baseline)
    cold = _seconds(batch)
    base_warm = _seconds(baseline)
    warm = _seconds(batch)
    assert pq.read_metadata(out / "decided.parquet").num_rows == pq.read_metadata(
        out / "baseline.parquet").num_rows
    return {"cold": cold / base_cold, "warm": warm / base_warm, "baseline": base_cold}


def _in_new_process(src: Path, workdir: Path, cache: Path) -> dict[str, float]:
    code = (f"import json; from benchmarks.bench_engine import trial; "
            f"print(json.dumps(trial({str(src)!r}, {str(workdir)!r})))")
    env = {**os.environ, "DUALUSE_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{model}, {os.cpu_count()} cores, load average {load}; Python "
            f"{platform.python_version()}, pyarrow {pa.__version__}, numpy {np.__version__}")


def run(quick: bool) -> None:
    n = 100_000 if quick else 1_000_000
    trials = 2
    law = load_law()
    print(f"machine: {_machine()}")
    with tempfile.TemporaryDirectory(prefix="dualuse-bench-") as tmp:
        work = Path(tmp)
        src = work / "lines.csv"
        pacsv.write_csv(generate(n), src)
        fresh = [_in_new_process(src, work, work / f"cache-{i}") for i in range(trials)]
        _in_new_process(src, work, work / "cache-shared")  # an earlier run fills the cache
        cached = [_in_new_process(src, work, work / "cache-shared") for _ in range(trials)]

    def figures(results: list[dict[str, float]], key: str) -> str:
        values = [r[key] for r in results]
        return (f"{statistics.median(values):.2f}x  (trials: "
                f"{', '.join(f'{v:.2f}x' for v in values)})")

    print(f"batch determination of {n:,} order lines (CSV -> Parquet), target <= 3x")
    print("  ratio to pyarrow reading the same CSV and writing the same rows to Parquet;")
    print("  each trial a new process, its baseline measured just before each run:")
    print(f"    first run (cold), nothing cached on disk:        {figures(fresh, 'cold')}")
    print(f"    second run in that process (warm):               {figures(fresh, 'warm')}")
    print(f"    first run (cold), code facts cached on disk:     {figures(cached, 'cold')}")
    print(f"    second run in that process (warm):               {figures(cached, 'warm')}")

    sample = generate(2_000, seed=11).to_pylist()
    txs = []
    for r in sample:
        txs.append({"as_of": r["as_of"], "activity": r["activity"],
                    "exporter": {"member_state": r["member_state"]},
                    "destination": r["destination"],
                    "items": [{"control_code": r["control_code"] or None,
                               "cyber_surveillance": r["cyber_surveillance"] == "true",
                               "cn_code": r["cn_code"] or None}],
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
