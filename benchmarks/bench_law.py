"""Law catalogue: load time and memory, as-of view build, lookups.

Baselines measured in the same run: parsing the same bundled JSON files with `json` alone (what
any loader must at least pay), and a plain dict lookup for the entry lookup.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from importlib import resources

from dualuse.law.catalogue import Law
from dualuse.law.loader import load_data


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _parse_raw() -> int:
    data = resources.files("dualuse.data")
    total = 0
    for name in json.loads(data.joinpath("MANIFEST.json").read_text())["files"]:
        text = data.joinpath(name).read_text(encoding="utf-8")
        if name.endswith(".jsonl"):
            total += len([json.loads(x) for x in text.splitlines() if x])
        else:
            total += len(json.loads(text))
    return total


def run(quick: bool) -> None:
    repeat = 3 if quick else 7
    raw = _best(_parse_raw, repeat)
    load = _best(load_data, repeat)

    tracemalloc.start()
    _parse_raw()
    raw_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    tracemalloc.start()
    law = Law(load_data())
    law.as_of(date(2026, 6, 1))
    law_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    days = [date(2023, 1, 12) + timedelta(days=i * 37) for i in range(40)]

    def views() -> None:
        fresh = Law(law.data)
        for d in days:
            fresh.as_of(d)

    view = _best(views, repeat) / len(days)
    cat = law.as_of(date(2026, 6, 1))
    codes = list(cat.codes())
    plain = {c: c for c in codes}

    def lookups() -> None:
        for c in codes:
            cat.entry(c)

    def dict_lookups() -> None:
        for c in codes:
            plain[c]

    lookup = statistics.median(_best(lookups, 3) for _ in range(3)) / len(codes)
    base_lookup = statistics.median(_best(dict_lookups, 3) for _ in range(3)) / len(codes)

    print("| measure | ratio | baseline (same run) |")
    print("|---|---:|---|")
    same = "json.loads of the same files"
    print(f"| load all law data (typed records) | {load / raw:.2f}× | {same} |")
    print(f"| memory after load + one view | {law_peak / raw_peak:.2f}× | json.loads peak |")
    print(f"| as-of view build (per date) | {view / raw:.3f}× | json.loads of the same files |")
    print(f"| cat.entry(code) | {lookup / base_lookup:.1f}× | dict lookup |")
    print(f"(peak memory of the loaded law: {law_peak / 2**20:.0f} MiB; "
          f"{len(codes)} entries in force on 2026-06-01)")
