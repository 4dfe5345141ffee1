"""Run the benchmarks: `uv run python -m benchmarks [AREA ...] [--quick]`.

Each area is a module `benchmarks/bench_<area>.py` with `run(quick: bool) -> None` that prints its
own table of ratios against a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import platform
import sys
from pathlib import Path


def _areas() -> list[str]:
    here = Path(__file__).parent
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("areas", nargs="*", help=f"areas to run (default all): {_areas()}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args(argv)
    areas = args.areas or _areas()
    unknown = sorted(set(areas) - set(_areas()))
    if unknown:
        parser.error(f"unknown benchmark area(s) {unknown}; known: {_areas()}")
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} cores={os.cpu_count()} "
        f"python={platform.python_version()} ({platform.platform()})"
    )
    for area in areas:
        print(f"\n=== {area} ===", flush=True)
        importlib.import_module(f"benchmarks.bench_{area}").run(quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
