"""Driving the service in headless Chromium (Debian's /usr/bin/chromium, through Playwright's
Python package with `executable_path`; no browser is downloaded). The browser itself is one per
test session, started by the `browser` fixture in conftest.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("DUALUSE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_chromium() -> None:
    """Skip the calling module without Chromium; in CI its absence is an error."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} missing: scripts/system-deps installs chromium")
        pytest.skip(f"no Chromium at {CHROMIUM} (run scripts/system-deps)", allow_module_level=True)


class Session:
    """Logs demo users in, each in a fresh browser context (its own cookies and locale)."""

    def __init__(self, browser: Any, base: str, logins: dict[str, str], locale: str = "en-GB"):
        self.browser, self.base, self.logins, self.locale = browser, base, logins, locale

    def login(self, username: str) -> Any:
        from playwright.sync_api import expect

        context = self.browser.new_context(locale=self.locale)
        page = context.new_page()
        page.goto(self.base + "/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", self.logins[username])
        page.click("main button[type=submit]")
        expect(page.locator(".who")).to_contain_text(username)
        return page
