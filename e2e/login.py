"""Logging in from a journey: the password, then allauth's second-factor step when it asks.

Users whose role reads participant data get an authenticator app from `user_with_role` with the
test key; the code is computed as the app would (allauth's own TOTP helper). allauth accepts a
code once per user, so a second login of the same user within one 30-second window waits for the
next code; pass `username` so that logins of different users sharing the test key do not wait.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page

from finsam.organisation.tests.factories import TEST_TOTP_SECRET, totp_code

_used: set[tuple[str, str, str | None]] = set()


def fresh_totp_code(secret: str = TEST_TOTP_SECRET, *, username: str | None = None) -> str:
    """A code not yet used by `username` (by anyone with `secret` when no username is given)."""
    while True:
        left = 30 - time.time() % 30
        code = totp_code(secret)
        used = (secret, code, username) in _used or (secret, code, None) in _used
        if left > 2 and not used:
            _used.add((secret, code, username))
            return code
        time.sleep(left + 0.2)


def answer_second_factor(
    page: Page, secret: str = TEST_TOTP_SECRET, *, username: str | None = None
) -> None:
    """Call after pressing "Logga in" with the right password (of `username`)."""
    page.wait_for_url(lambda url: "/konto/logga-in/" not in url)
    if "/konto/2fa/authenticate/" in page.url:
        page.get_by_label("Kod").fill(fresh_totp_code(secret, username=username))
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(lambda url: "/konto/2fa/authenticate/" not in url)
