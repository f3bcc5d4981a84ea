"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Playwright cannot download its own browsers here, so the launch arguments point at Debian's
Chromium (`apt-get install chromium`; `make test` installs it). Every test in e2e/ is marked
`browser` automatically: `pytest -m "not browser"` skips them, `pytest -m browser` runs only them.
A failing test leaves a full-page screenshot in test-results/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"

# The binary itself starts faster than /usr/bin/chromium, a shell wrapper that also prints a
# harmless warning here.
CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
# The network is closed: without these Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]


def chromium_executable() -> str:
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(
        "Debian's Chromium is not installed (looked for "
        + ", ".join(CHROMIUM_CANDIDATES)
        + "). Run `make test`, or `apt-get install --no-install-recommends chromium`."
    )


def pytest_collection_modifyitems(config, items):
    e2e_dir = Path(__file__).resolve().parent
    for item in items:
        if e2e_dir in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread, and Django then refuses ORM
    calls (SynchronousOnlyOperation) from the test body, factories and database teardown.

    Set for the browser tests only (not at import time, which would also switch the check off
    for the unit tests collected in the same run) and kept until the session ends, after the
    database teardown.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session", autouse=True)
def _remove_stale_failure_screenshots():
    for old in RESULTS.glob("FAILED-*.png"):
        old.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_executable(),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Swedish user: LocaleMiddleware follows Accept-Language, which Chromium sets from this.
    return {
        **browser_context_args,
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
        "viewport": {"width": 1280, "height": 900},
    }


def screenshot_path(name: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    return RESULTS / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") + ".png")


@pytest.fixture
def screenshot(page):
    """screenshot(name) -> path: a full-page screenshot of the page in test-results/NAME.png."""

    def _take(name: str) -> Path:
        path = screenshot_path(name)
        page.screenshot(path=str(path), full_page=True)
        return path

    return _take


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # While the call phase is reported the page is still open: photograph what the user saw.
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None and not page.is_closed():
            path = screenshot_path(f"FAILED-{item.nodeid}")
            try:
                page.screenshot(path=str(path), full_page=True)
                report.sections.append(("screenshot", f"saved to {path.relative_to(ROOT)}"))
            except Exception as exc:  # the screenshot must not hide the real failure
                report.sections.append(("screenshot", f"could not be taken: {exc}"))
    return report
