"""Building insights state for tests by calling the real services."""

from __future__ import annotations

from finsam.insights import services


def saved_report(
    association,
    owner,
    *,
    dataset="grants",
    columns=("intervention", "amount"),
    filters=None,
    shared=True,
    name="Beviljat per insats",
):
    return services.saved_report_create(
        association=association,
        name=name,
        dataset=dataset,
        columns=list(columns),
        filters=filters or {},
        shared=shared,
        by=owner,
    )
