"""The economy's update services write only what their edit forms send."""

import pytest

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo
from finsam.economy import forms, services
from finsam.organisation.models import AuditEvent
from finsam.organisation.tests.factories import AssociationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget():
    kramfors = AssociationFactory(slug="kramfors", name="Samordningsförbundet Kramfors")
    load_economy_demo(kramfors)
    return kramfors.budgets.get()


@pytest.mark.parametrize(
    ("form", "allowed"),
    [
        (forms.BudgetForm, services.BUDGET_FIELDS),
        (forms.FinancialRuleForm, services.RULE_FIELDS),
    ],
)
def test_an_update_allows_exactly_what_its_form_sends(form, allowed):
    assert list(form.Meta.fields) == list(allowed)


def test_the_follow_up_update_allows_what_its_form_sends_besides_the_row_it_names():
    named_row = {"line_label", "year"}
    assert set(forms.FollowUpEntryForm.base_fields) - named_row == set(services.FOLLOW_UP_FIELDS)


def test_a_budget_update_refuses_a_field_its_form_does_not_send(budget):
    with pytest.raises(ValueError, match="version"):
        services.budget_update(budget=budget, data={"version": 9}, by=SYSTEM)
    budget.refresh_from_db()
    assert budget.version == 1
    assert not AuditEvent.objects.filter(event="budget.updated").exists()


def test_a_write_that_may_change_nothing_still_needs_an_actor(budget):
    with pytest.raises(TypeError):
        services.budget_amounts_set(budget=budget, amounts={}, by=None)
    with pytest.raises(TypeError):
        services.budget_link_interventions(budget=budget, interventions=[], by=None)
