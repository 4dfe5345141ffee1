# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Template context: the actor (user, organisation, role) on every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualuse import OJ_DISCLAIMER
from dualuse.service.organisations.access import request_actor


def actor(request: HttpRequest) -> dict[str, Any]:
    return {"actor": request_actor(request), "oj_disclaimer": OJ_DISCLAIMER}
