"""Every economy URL × every role: allowed, refused with the reason, or not found elsewhere.

The capability each view requires is read from the view (`association_view` sets it), so a new
URL adds its own cases; a URL whose pk this file cannot name fails loudly.
"""

from __future__ import annotations

import io

import pytest
from django.urls import resolve, reverse

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo
from finsam.demo.ledger import kramfors_2021_sie
from finsam.economy import ledger, services
from finsam.economy import urls as economy_urls
from finsam.economy.models import LedgerImportJob, LedgerObject
from finsam.organisation.access import CAPABILITIES, REFUSALS
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

PRIVATE = ["Teamkoordinator/Coach Samkraft", "Driftbidrag från staten", "Hemlig mappning"]
PK_OBJECT = {
    "budget_detail": "budget",
    "budget_edit": "budget",
    "budget_amounts": "budget",
    "budget_export": "budget",
    "budget_new_version": "budget",
    "budget_lines": "budget",
    "budget_line_add": "budget",
    "budget_line_edit": "budget",
    "budget_line_move": "budget",
    "budget_line_delete": "budget",
    "budget_section": "budget",
    "rule_edit": "rule",
    "rule_delete": "rule",
    "account_mapping_delete": "mapping",
    "ledger_object_line": "object",
    "ledger_job": "job",
    "ledger_job_retry": "job",
    "ledger_job_delete": "job",
}
POST_ONLY = {
    "budget_import",
    "budget_new_version",
    "rule_delete",
    "rules_import",
    "budget_line_add",
    "budget_line_edit",
    "budget_line_move",
    "budget_line_delete",
    "budget_section",
    "ledger_import",
    "account_mapping_create",
    "account_mapping_delete",
    "ledger_object_line",
    "ledger_job_retry",
    "ledger_job_delete",
    "follow_up_entry",
}


def _capability(pattern) -> str:
    kwargs = {k: ("x" if k == "slug" else 1) for k in pattern.pattern.converters}
    func = resolve(reverse(f"economy:{pattern.name}", kwargs=kwargs)).func
    while not hasattr(func, "capability") and hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return func.capability


URLS = [(p.name, _capability(p)) for p in economy_urls.urlpatterns]


@pytest.fixture
def world(association):
    association.slug = "kramfors"
    association.save()
    load_economy_demo(association)
    ledger.sie_import(
        association=association, fp=io.BytesIO(kramfors_2021_sie()), file_name="k.se", by=SYSTEM
    )
    mapping = services.account_mapping_create(
        association=association,
        account_from="5000",
        account_to="5999",
        line_label="Summa personalkostnader",
        by=SYSTEM,
    )
    job = LedgerImportJob.objects.create(
        association=association,
        file_name="Hemlig mappning.se",
        status=LedgerImportJob.Status.FAILED,
    )
    return {
        "association": association,
        "job": job,
        "budget": association.budgets.get(),
        "rule": association.financial_rules.first(),
        "mapping": mapping,
        "object": LedgerObject.objects.filter(association=association).first(),
    }


LINE_URLS = {"budget_line_edit", "budget_line_move", "budget_line_delete"}


def url_for(name: str, world) -> str:
    kwargs = {"slug": world["association"].slug}
    if name in PK_OBJECT:
        kwargs["pk"] = world[PK_OBJECT[name]].pk
    if name in LINE_URLS:
        kwargs["line"] = world["budget"].lines.first().pk
    return reverse(f"economy:{name}", kwargs=kwargs)


def cases(allowed: bool):
    return [
        pytest.param(name, cap, role, id=f"{name}-{role.value}")
        for name, cap in URLS
        for role in Role
        if (role in CAPABILITIES[cap]) is allowed
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "capability", "role"), cases(allowed=False))
def test_refused_roles_get_403_with_the_reason_and_nothing_is_written(
    client, world, name, capability, role
):
    client.force_login(user_with_role(world["association"], role))
    before = AuditEvent.objects.count()
    response = (client.post if name in POST_ONLY else client.get)(url_for(name, world))
    assert response.status_code == 403
    assert str(REFUSALS[capability]) in response.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "capability", "role"), cases(allowed=True))
def test_allowed_roles_reach_every_page(client, world, name, capability, role):
    client.force_login(user_with_role(world["association"], role))
    if name in POST_ONLY:
        assert client.get(url_for(name, world)).status_code == 405
        return
    response = client.get(url_for(name, world))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name, _cap in URLS])
def test_other_associations_and_anonymous_users_see_nothing(client, world, other_association, name):
    url = url_for(name, world)
    send = client.post if name in POST_ONLY else client.get
    anonymous = send(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith("/konto/logga-in/")
    client.force_login(user_with_role(other_association, Role.OFFICE))
    response = send(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert not any(secret in body for secret in PRIVATE)
