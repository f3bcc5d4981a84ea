"""Demo budgets and rules for the seed associations (called by `load_demo`)."""

from __future__ import annotations

from finsam.core.actors import SYSTEM
from finsam.demo.economy_data import BUDGETS
from finsam.economy import services


def load_economy_demo(association) -> bool:
    """Load the association's seed budget and rules unless it already has a budget."""
    spec = BUDGETS.get(association.slug)
    if spec is None or association.budgets.exists():
        return False
    services.budget_create(association=association, spec=spec, by=SYSTEM)
    if not association.financial_rules.exists():
        for kind, value, basis, cost_kind, valid_from, source in spec["rules"]:
            services.rule_create(
                association=association,
                by=SYSTEM,
                kind=kind,
                value=value,
                basis=basis,
                cost_kind=cost_kind,
                valid_from=valid_from,
                source=source,
            )
    return True


def load_ledger_demo(association) -> bool:
    """Kramfors: import the demo SIE file and map its accounts and objects to the budget lines."""
    import io

    from finsam.demo.ledger import ACCOUNT_LINES, OBJECT_LINES, kramfors_2021_sie
    from finsam.economy import ledger
    from finsam.economy.models import LedgerObject

    if association.slug != "kramfors" or association.ledger_imports.exists():
        return False
    ledger.sie_import(
        association=association,
        fp=io.BytesIO(kramfors_2021_sie()),
        file_name="kramfors-2021-jan-jun.se",
        by=SYSTEM,
    )
    for account_from, account_to, label in ACCOUNT_LINES:
        services.account_mapping_create(
            association=association,
            account_from=account_from,
            account_to=account_to,
            line_label=label,
            by=SYSTEM,
        )
    for obj in LedgerObject.objects.filter(association=association, dimension=1):
        if obj.number in OBJECT_LINES:
            services.ledger_object_set_line(obj=obj, line_label=OBJECT_LINES[obj.number], by=SYSTEM)
    return True


def link_demo_budget(association) -> int:
    """After the funding demo: link the seed budget's intervention lines to the interventions."""
    from finsam.funding.models import Intervention

    interventions = list(Intervention.objects.filter(association=association))
    return sum(
        services.budget_link_interventions(budget=b, interventions=interventions, by=SYSTEM)
        for b in association.budgets.all()
    )
