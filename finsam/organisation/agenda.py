"""What higher layers know about a board meeting's agenda items, asked for by the meeting page.

The meeting page belongs to organisation, but what the board decided on an agenda item (the §, the
outcome, the application or intervention) belongs to funding, a layer above. organisation never
imports funding: funding registers its selector here when Django starts (`FundingConfig.ready`), and
the meeting page asks every registered source. A source returns {agenda item id: matter} for the
items it knows, limited to what the user may read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Source = Callable[..., dict[int, Any]]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def matters(*, user, association, meeting) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for source in _sources:
        found.update(source(user=user, association=association, meeting=meeting))
    return found
