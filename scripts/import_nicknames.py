"""Maintainer step: carry the nickname table `dualuse-match-2` uses into the project
(src/dualuse/data/screening/nicknames.json), with its provenance.

    uv run python scripts/import_nicknames.py

English names and their nicknames come from the `nicknames` package (Carlton Northern and Nick
Crews, "hand-curated dataset of English names and nicknames", Apache-2.0; the file records the
version read). The diminutives of Russian and other East Slavic given names that lists
transliterate (Sasha for Aleksandr, Volodya for Vladimir) are the project's own reviewed
supplement below. A change of this file moves scores: it needs a new algorithm version.
"""

from __future__ import annotations

import csv
import importlib.metadata
import io
import json
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dualuse" / "data" / "screening" / "nicknames.json"

# Full name -> its common short forms (Russian hypocorisms as lists and press transliterate them).
SLAVIC = {
    "aleksandr": ["sasha", "sanya", "shura", "sashka"],
    "aleksandra": ["sasha", "shura"],
    "aleksei": ["alyosha", "lyosha", "lesha"],
    "anatoli": ["tolya", "tolik"],
    "anastasia": ["nastya", "asya"],
    "andrei": ["andryusha"],
    "boris": ["borya"],
    "dmitri": ["dima", "mitya"],
    "ekaterina": ["katya", "katyusha"],
    "elena": ["lena", "alyona"],
    "evgeni": ["zhenya"],
    "grigori": ["grisha"],
    "ivan": ["vanya"],
    "konstantin": ["kostya"],
    "lyudmila": ["lyuda", "mila"],
    "maria": ["masha", "manya"],
    "mikhail": ["misha"],
    "nadezhda": ["nadya"],
    "natalia": ["natasha", "tasha"],
    "nikolai": ["kolya"],
    "olga": ["olya"],
    "pavel": ["pasha"],
    "pyotr": ["petya"],
    "sergei": ["seryozha", "serezha"],
    "stepan": ["styopa"],
    "svetlana": ["sveta"],
    "tatiana": ["tanya"],
    "vladimir": ["volodya", "vova"],
    "vyacheslav": ["slava"],
    "vladislav": ["vlad", "slava"],
    "yuri": ["yura"],
}


def main() -> None:
    version = importlib.metadata.version("nicknames")
    text = (resources.files("nicknames") / "names.csv").read_text(encoding="utf-8")
    groups: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["relationship"] != "has_nickname":
            continue
        groups.setdefault(row["name1"].strip().lower(), set()).add(row["name2"].strip().lower())
    for name, short in SLAVIC.items():
        groups.setdefault(name, set()).update(short)
    data = {
        "sources": [
            {"name": "nicknames", "version": version, "licence": "Apache-2.0",
             "authors": "Carlton Northern, Nick Crews",
             "url": "https://github.com/carltonnorthern/nicknames"},
            {"name": "East Slavic diminutives", "licence": "EUPL-1.2",
             "authors": "dualuse (reviewed)"},
        ],
        "names": {k: sorted(v) for k, v in sorted(groups.items())},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(groups)} names with nicknames -> {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
