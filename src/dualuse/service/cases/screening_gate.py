"""Party screening for applications, failing closed.

Each party is screened through the screening core's public API. If screening cannot run (no
screening index, ScreeningUnavailableError, any failure), the party is marked UNAVAILABLE and the
case
is blocked until it runs: an unavailable screen is never read as "no match".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dualuse.errors import ScreeningUnavailableError
from dualuse.service.checks import screening
from dualuse.service.checks.models import ScreeningStatus


def screen_one(name: str, country: str, day: dt.date) -> tuple[str, dict[str, Any]]:
    try:
        result = screening.screen_party(name=name, country=country, as_of=day)
    except ScreeningUnavailableError as exc:
        return str(ScreeningStatus.UNAVAILABLE), {"error": str(exc)}
    except Exception as exc:  # any failure of the screen blocks the case, never passes it
        return str(ScreeningStatus.UNAVAILABLE), {"error": f"{type(exc).__name__}: {exc}"}
    status = ScreeningStatus.POSSIBLE_MATCH if result["matches"] else ScreeningStatus.CLEAR
    return str(status), result


def screen_parties(app: Any, day: dt.date) -> None:
    for party in app.parties.all():
        party.screening_status, party.screening = screen_one(party.name, party.country, day)
        party.save(update_fields=["screening_status", "screening"])
