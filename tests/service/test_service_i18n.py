"""Dutch and English: the compiled catalogue matches its source and pages render in both."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

from django.test import Client

LOCALE = Path(__file__).resolve().parents[2] / "src" / "dualuse" / "service" / "locale"


def _po_entries(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    out = {}
    for block_id, block_str in re.findall(r'\nmsgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', text):
        msgid = "".join(re.findall(r'"(.*)"', block_id)).replace('\\"', '"')
        msgstr = "".join(re.findall(r'"(.*)"', block_str)).replace('\\"', '"')
        if msgid:
            out[msgid] = msgstr
    return out


def test_dutch_catalogue_is_complete_and_compiled() -> None:
    entries = _po_entries(LOCALE / "nl" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 300
    untranslated = [k for k, v in entries.items() if not v]
    assert not untranslated, untranslated[:10]
    with (LOCALE / "nl" / "LC_MESSAGES" / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [k for k, v in entries.items() if compiled.gettext(k) != v]
    assert not stale, f"django.mo is older than django.po: run compilemessages ({stale[:3]})"


def test_login_page_in_both_languages(db: Any) -> None:
    nl = Client(headers={"accept-language": "nl"}).get("/login/")
    en = Client(headers={"accept-language": "en"}).get("/login/")
    assert b'<html lang="nl">' in nl.content and "Inloggen" in nl.content.decode()
    assert b'<html lang="en">' in en.content and "Log in" in en.content.decode()
