# mypy: disable-error-code="misc,untyped-decorator,no-any-return"
"""Small helpers shared by the page views: today's date, running an operation with its errors shown
to the user, and parsing form values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone

from dualuse.errors import DualuseError, InputError

T = TypeVar("T")


def today() -> dt.date:
    return timezone.localdate()


def perform(request: HttpRequest, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a domain operation; a refusal becomes a message on the page and changes nothing."""
    try:
        return fn(*args, **kwargs)
    except PermissionDenied:
        raise
    except DualuseError as exc:
        messages.error(request, str(exc))
        return None


def decimal_field(request: HttpRequest, name: str) -> Decimal:
    raw = request.POST.get(name, "").strip().replace(",", ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise InputError(f"not a number: {raw!r}", field=name) from None


def date_field(request: HttpRequest, name: str) -> dt.date | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError(f"not a date (YYYY-MM-DD): {raw!r}", field=name) from None


def int_field(request: HttpRequest, name: str) -> int | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise InputError(f"not a whole number: {raw!r}", field=name)
    return int(raw)


def split_list(raw: str) -> list[str]:
    return [p.strip() for p in raw.replace(";", ",").replace("\n", ",").split(",") if p.strip()]


def pk_field(post: Any, name: str) -> int:
    """The id a form posts for the object it acts on; anything but digits is no such object."""
    raw = str(post.get(name, "")).strip()
    if not raw.isdigit():
        raise Http404(f"no such {name}")
    return int(raw)
