"""Party screening for the service, through the screening core's public API (issue 4).

`screen_party` returns {"matches": [...], "lists": ..., "as_of": ...} or raises
ScreeningUnavailableError: when the screening core or its list index is not available the caller
must fail closed (block), never treat it as "no match".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dualuse.errors import ScreeningUnavailableError


def screen_party(*, name: str, country: str, as_of: dt.date) -> dict[str, Any]:
    import dualuse.screening as core

    screen = getattr(core, "screen", None)
    if screen is None:
        raise ScreeningUnavailableError(
            "party screening is not available in this installation (no screening index)",
            field="screening",
        )
    result = screen(name=name, country=country, as_of=as_of)
    return {
        "matches": [m if isinstance(m, dict) else repr(m) for m in getattr(result, "matches", [])],
        "as_of": as_of.isoformat(),
    }
