"""An application's stored version shows when it was submitted in Swedish time, as people write
it, not the UTC timestamp the snapshot keeps."""

from __future__ import annotations

from finsam.funding.views.applications import _version_value


def test_submitted_at_is_shown_in_swedish_time():
    assert _version_value("submitted_at", "2026-12-07T21:30:00.123456+00:00", {}) == (
        "2026-12-07 22:30"
    )
    assert _version_value("submitted_at", "2026-06-30T21:30:00+00:00", {}) == "2026-06-30 23:30"
