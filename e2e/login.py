"""Logging in from a journey: the password, then allauth's second-factor step when it asks.

Users whose role reads participant data get an authenticator app from `user_with_role` with the
test key; the code is computed as the app would (allauth's own TOTP helper). A code is accepted
once, so two logins within one 30-second window wait for the next code.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page

from finsam.organisation.tests.factories import TEST_TOTP_SECRET, totp_code

_used: set[tuple[str, str]] = set()


def fresh_totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    while True:
        left = 30 - time.time() % 30
        code = totp_code(secret)
        if left > 2 and (secret, code) not in _used:
            _used.add((secret, code))
            return code
        time.sleep(left + 0.2)


def answer_second_factor(page: Page, secret: str = TEST_TOTP_SECRET) -> None:
    """Call after pressing "Logga in" with the right password."""
    page.wait_for_url(lambda url: "/konto/logga-in/" not in url)
    if "/konto/2fa/authenticate/" in page.url:
        page.get_by_label("Kod").fill(fresh_totp_code(secret))
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(lambda url: "/konto/2fa/authenticate/" not in url)
