"""The service notices a change of the lists in force by itself: at most once a minute per process
it compares the list store with what it last applied and, when they differ, re-screens the open
work before answering (`rescreen.apply_list_change`). A failure is logged and retried at the next
check; it never fails the request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from dualuse.service.lists.rescreen import apply_list_change

CHECK_EVERY_SECONDS = 60.0
log = logging.getLogger(__name__)
_last_check = {"at": float("-inf")}


def check_now() -> None:
    """Make the next request check the lists (tests, and after an update in this process)."""
    _last_check["at"] = float("-inf")


class ListChangeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.monotonic()
        if now - _last_check["at"] >= CHECK_EVERY_SECONDS:
            _last_check["at"] = now
            try:
                apply_list_change(day=timezone.localdate())
            except Exception:  # re-screening must not fail the request; the next check retries
                log.exception("re-screening after a list change failed")
                _last_check["at"] = float("-inf")
        return self.get_response(request)
