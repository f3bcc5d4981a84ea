"""Demo budgets and rules for the seed associations (called by `load_demo`)."""

from __future__ import annotations

from finsam.economy import services
from finsam.economy.demo_data import BUDGETS


def load_economy_demo(association) -> bool:
    """Load the association's seed budget and rules unless it already has a budget."""
    spec = BUDGETS.get(association.slug)
    if spec is None or association.budgets.exists():
        return False
    services.budget_create(association=association, spec=spec, by=None)
    if not association.financial_rules.exists():
        for kind, value, basis, cost_kind, valid_from, source in spec["rules"]:
            services.rule_create(
                association=association,
                by=None,
                kind=kind,
                value=value,
                basis=basis,
                cost_kind=cost_kind,
                valid_from=valid_from,
                source=source,
            )
    return True
