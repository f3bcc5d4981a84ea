"""The accounts' panel on an intervention's first screen (finsam/economy/summary.py): the linked
budget lines' budget, booked actual and forecast, the same rows as the board's follow-up."""

from __future__ import annotations

import pytest

from finsam.demo.economy import load_economy_demo, load_ledger_demo
from finsam.economy.models import BudgetLine
from finsam.economy.summary import intervention_panels
from finsam.funding.tests import factories as f
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def stegsam(association):
    association.slug = "kramfors"
    association.save()
    load_economy_demo(association)
    load_ledger_demo(association)
    intervention = f.intervention(association, fields={"title": "STEGSAM"})
    BudgetLine.objects.filter(
        budget__association=association, label="Aktivitetscoach & samordnare STEGSAM"
    ).update(intervention=intervention)
    return intervention


@pytest.mark.parametrize("role", [Role.ECONOMIST, Role.OFFICE, Role.BOARD])
def test_the_year_closes_with_the_booked_actual_beside_the_budget(association, stegsam, role):
    (panel,) = intervention_panels(
        user=user_with_role(association, role), intervention=stegsam, year=2021
    )
    assert panel.heading == "Bokföring 2021"
    figures = {fig.label: fig.value for fig in panel.figures}
    assert figures["Budget"] == "950\xa0000\xa0kr"
    assert set(figures) == {"Budget", "Bokfört hittills", "Prognos"}
    assert panel.link_url.endswith("/uppfoljning/?datum=2021-12-31")


def test_no_panel_without_the_budget_capability_or_without_linked_lines(association, stegsam):
    member = f.member_org_user(association)
    assert intervention_panels(user=member, intervention=stegsam, year=2021) == []
    other = f.intervention(association, fields={"title": "Psykiatridagen"})
    office = user_with_role(association, Role.OFFICE)
    assert intervention_panels(user=office, intervention=other, year=2021) == []
