"""Every insights URL × every role: allowed, refused with the reason, or not found in another
association; anonymous visitors are sent to log in (the public comparison excepted)."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from finsam.core.exports import XLSX_TYPE
from finsam.funding.permissions import sees_all_interventions
from finsam.funding.tests import factories as funding_factories
from finsam.insights import urls as insight_urls
from finsam.insights.models import SavedReport
from finsam.insights.tests.factories import saved_report
from finsam.organisation.access import CAPABILITIES
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import UserFactory, user_with_role, with_second_factor

YEAR = 2021
OWNER_ONLY = {"report_edit", "report_delete"}
POST_ONLY = {"report_delete"}
DOWNLOADS = {
    "uppfoljning_xlsx": XLSX_TYPE,
    "uppfoljning_csv": "text/csv; charset=utf-8",
    "indicators_xlsx": XLSX_TYPE,
    "indicators_csv": "text/csv; charset=utf-8",
}
ASSOCIATION_URLS = [p.name for p in insight_urls.urlpatterns if "slug" in p.pattern.converters]


def _capability(name: str) -> str:
    pattern = next(p for p in insight_urls.urlpatterns if p.name == name)
    kwargs = {k: ("x" if k == "slug" else 1) for k in pattern.pattern.converters}
    func = resolve(reverse(f"insights:{name}", kwargs=kwargs)).func
    while not hasattr(func, "capability") and hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return func.capability


CASES = [
    pytest.param(name, role, id=f"{name}-{role.value}")
    for name in ASSOCIATION_URLS
    for role in Role
]


@pytest.fixture
def report(association):
    funding_factories.intervention(association)
    owner = user_with_role(association, Role.OFFICE)
    return saved_report(association, owner)


def url_for(name: str, slug: str, report: SavedReport) -> str:
    pattern = next(p for p in insight_urls.urlpatterns if p.name == name)
    kwargs: dict = {"slug": slug}
    for kwarg in pattern.pattern.converters:
        if kwarg == "pk":
            kwargs["pk"] = report.pk
        elif kwarg == "year":
            kwargs["year"] = YEAR
        elif kwarg != "slug":
            raise AssertionError(f"{name}: no value for {kwarg!r}; add it to this file")
    return reverse(f"insights:{name}", kwargs=kwargs)


def _request(client, name, url):
    return client.post(url) if name in POST_ONLY else client.get(url)


def test_every_association_url_declares_a_known_capability():
    assert len(ASSOCIATION_URLS) == 10
    assert {_capability(n) for n in ASSOCIATION_URLS} <= set(CAPABILITIES)


@pytest.mark.parametrize(("name", "role"), CASES)
def test_role_gets_the_page_or_the_reason(client, login_as, association, report, name, role):
    user = login_as(role)
    url = url_for(name, association.slug, report)
    response = _request(client, name, url)
    allowed = role in CAPABILITIES[_capability(name)] and name not in OWNER_ONLY
    if not allowed:
        assert response.status_code == 403
        assert "Samkraft" not in response.content.decode(errors="ignore")
        return
    if name in DOWNLOADS:
        assert response.status_code == 200
        assert response["Content-Type"] == DOWNLOADS[name]
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert association.name in body
    if name == "report":
        # A shared report of the grants: each role gets the rows of the interventions it sees on
        # funding's own pages (staff, advisory and privacy only those they work in: none here).
        sees = sees_all_interventions(user, association)
        assert ("Samkraft" in body) is sees
        assert ("600\xa0000" in body) is sees
    assert not AuditEvent.objects.filter(actor=user).exists()


@pytest.mark.parametrize("name", sorted(OWNER_ONLY))
def test_the_owner_changes_and_removes_the_report(client, association, report, name):
    client.force_login(report.owner)
    response = _request(client, name, url_for(name, association.slug, report))
    if name in POST_ONLY:
        assert response.status_code == 302
        assert not SavedReport.objects.filter(pk=report.pk).exists()
        assert AuditEvent.objects.filter(event="saved_report.deleted").exists()
    else:
        assert response.status_code == 200
        assert report.name in response.content.decode()


@pytest.mark.parametrize("name", ASSOCIATION_URLS)
def test_a_user_of_another_association_gets_404(
    client, association, other_association, report, name
):
    client.force_login(user_with_role(other_association, Role.OFFICE))
    response = _request(client, name, url_for(name, association.slug, report))
    assert response.status_code == 404
    assert "Samkraft" not in response.content.decode(errors="ignore")


@pytest.mark.parametrize("name", ASSOCIATION_URLS)
def test_anonymous_is_sent_to_log_in(client, association, report, name):
    response = _request(client, name, url_for(name, association.slug, report))
    assert response.status_code == 302
    assert "/konto/" in response["Location"]


def test_another_associations_report_is_not_found_through_ones_own(
    client, association, other_association, report
):
    """The report's id under the wrong association's address: 404, even for an office user."""
    client.force_login(user_with_role(other_association, Role.OFFICE))
    url = reverse("insights:report", args=[other_association.slug, report.pk])
    assert client.get(url).status_code == 404


def test_a_report_not_shared_is_refused_to_others_with_the_reason(client, association, report):
    report.shared = False
    report.save()
    client.force_login(user_with_role(association, Role.BOARD))
    response = client.get(reverse("insights:report", args=[association.slug, report.pk]))
    assert response.status_code == 403
    assert "inte delats" in response.content.decode()
    assert "Samkraft" not in response.content.decode()


def test_installation_compare_is_for_the_installation_administrator(client, association):
    url = reverse("insights:installation_compare")
    assert client.get(url).status_code == 302  # anonymous: log in
    client.force_login(user_with_role(association, Role.OFFICE))
    assert client.get(url).status_code == 403
    admin = with_second_factor(UserFactory(is_installation_admin=True))
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200
    assert association.name in response.content.decode()


@pytest.mark.parametrize("name", [p.name for p in insight_urls.urlpatterns])
def test_no_other_app_answers_an_insights_address(association, report, name):
    """Apps share the address space under /f/<slug>/: the first pattern that matches answers."""
    if name in ASSOCIATION_URLS:
        url = url_for(name, association.slug, report)
    else:
        url = reverse(f"insights:{name}")
    assert resolve(url).namespace == "insights"
