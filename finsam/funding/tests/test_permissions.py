"""Every funding URL (and the report pages reporting took over) × every role, derived from
funding/urls.py, reporting/urls.py and the CAPABILITIES matrix.

Logged out -> login; a role without the view's capability -> 403 with the reason and nothing
written; a user of another association -> 404 and none of this association's data; the office of
another association putting this association's ids in its own URLs -> 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from finsam.funding import services
from finsam.funding import urls as funding_urls
from finsam.funding.models import Application, Requisition
from finsam.funding.tests import factories as f
from finsam.organisation.access import CAPABILITIES, REFUSALS
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.reporting import urls as reporting_urls

LOGIN_URL = "/konto/logga-in/"
ROLES = list(Role)

PRIVATE_NAMES = [
    "Samordningsförbundet Västra Testdalen",
    "Hemliga insatsen",
    "Hemliga utlysningen",
    "Hemligt kriterium",
    "Hemlig ansökan",
    "Hemlig beviljad",
    "plan.pdf",
    "Hemlig ledamot",
    "hemligt-protokoll.pdf",
    "Hemlig medfinansiär",
]

# Which object each URL's pk names, and extra kwargs.
PK_OBJECT = {
    "call_detail": "call",
    "call_edit": "call",
    "call_close": "call",
    "criterion_edit": "criterion",
    "criterion_delete": "criterion",
    "application_detail": "application",
    "application_edit": "application",
    "application_autosave": "application",
    "application_submit": "application",
    "application_withdraw": "application",
    "application_version": "submitted",
    "assessment": "submitted",
    "assessment_action": "submitted",
    "agenda": "submitted",
    "decision_create": "submitted",
    "intervention_detail": "intervention",
    "intervention_end": "intervention",
    "intervention_change": "intervention",
    "intervention_staff": "intervention",
    "intervention_goal_measures": "intervention",
    "intervention_requisition": "intervention",
    "intervention_payment_plan": "intervention",
    "requisition_action": "requisition",
    "report_detail": "report",
    "report_edit": "report",
    "report_review": "report",
    "report_held": "oral_report",
    "decision_letter_pdf": "decision",
    "decision_letter_docx": "decision",
    "attachment_upload": "application",
    "attachment_download": "application",
    "attachment_delete": "application",
    "steering_member_create": "intervention",
    "steering_group_edit": "intervention",
    "steering_member_edit": "intervention",
    "steering_member_delete": "intervention",
    "steering_meeting_create": "intervention",
    "steering_meeting_edit": "intervention",
    "steering_meeting_delete": "intervention",
    "steering_minutes_download": "intervention",
    "steering_meetings_xlsx": "intervention",
    "steering_members_xlsx": "intervention",
    "intervention_years_xlsx": "intervention",
    "intervention_grants_xlsx": "intervention",
    "intervention_requisitions_xlsx": "intervention",
    "intervention_decisions_xlsx": "intervention",
    "co_financing": "intervention",
    "co_financing_create": "intervention",
    "co_financing_edit": "intervention",
    "co_financing_delete": "intervention",
}
EXTRA_KWARGS = {"number": 1, "action": "godkann"}
# Keyword arguments that name an object of the fixture rather than a constant.
OBJECT_KWARGS = {
    "attachment": "attachment",
    "person": "steering_person",
    "meeting": "steering_meeting",
    "row": "co_financing",
}
# Files, not pages: the office gets them too (see test_office_gets_every_file).
DOWNLOADS = {
    "decision_letter_pdf",
    "decision_letter_docx",
    "attachment_download",
    "steering_minutes_download",
    "steering_meetings_xlsx",
    "steering_members_xlsx",
    "intervention_years_xlsx",
    "intervention_grants_xlsx",
    "intervention_requisitions_xlsx",
    "intervention_decisions_xlsx",
}
POST_ONLY = {
    "application_autosave",
    "application_autosave_new",
    "call_close",
    "criterion_delete",
    "application_submit",
    "application_withdraw",
    "assessment_action",
    "agenda",
    "requisition_action",
    "report_review",
    "report_held",
    "attachment_upload",
    "attachment_delete",
    "steering_member_delete",
    "steering_meeting_delete",
    "co_financing_delete",
}


def _short(name: str) -> str:
    return name.split(":", 1)[1]


URLCONFS = {"funding": funding_urls, "reporting": reporting_urls}


def _capability(namespace: str, pattern) -> str:
    kwargs = {
        k: ("x" if k == "slug" else EXTRA_KWARGS.get(k, 1)) for k in pattern.pattern.converters
    }
    func = resolve(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)).func
    while not hasattr(func, "capability") and hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return func.capability


URLS = [
    (f"{namespace}:{p.name}", _capability(namespace, p))
    for namespace, urlconf in URLCONFS.items()
    for p in urlconf.urlpatterns
]


def _cases(predicate):
    return [
        pytest.param(name, cap, role, id=f"{_short(name)}-{role.value}")
        for name, cap in URLS
        for role in ROLES
        if predicate(cap, role)
    ]


@pytest.fixture
def objects(association):
    office = user_with_role(association, Role.OFFICE)
    f.criteria_for(association, titles=["Hemligt kriterium"])
    call = f.CallFactory(association=association, title="Hemliga utlysningen")
    application = f.draft(association, by=office, fields={"title": "Hemlig ansökan"})
    submitted = f.submitted(association, by=office, fields={"title": "Hemlig ansökan 2"})
    intervention = f.intervention(association, fields={"title": "Hemliga insatsen"})
    requisition = services.requisition_request(
        grant=intervention.grants.get(),
        amount=Decimal("1000"),
        date=dt.date(2021, 3, 1),
        by=office,
    )
    decision = f.approved(association, office=office, fields={"title": "Hemlig beviljad"})
    attachment = services.attachment_add(
        application=application,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 hemlig", "application/pdf"),
        by=office,
    )
    steering_person = services.steering_member_create(
        intervention=intervention, name="Hemlig ledamot", role="Ordförande", by=office
    )
    steering_meeting = services.steering_meeting_create(
        intervention=intervention,
        date=dt.date(2021, 3, 10),
        minutes=SimpleUploadedFile("hemligt-protokoll.pdf", b"%PDF-1.4 hemligt", "application/pdf"),
        by=office,
    )
    co_financing = services.co_financing_create(
        intervention=intervention,
        year=2021,
        funder="Hemlig medfinansiär",
        amount=Decimal("50000"),
        by=office,
    )
    return {
        "co_financing": co_financing,
        "steering_person": steering_person,
        "steering_meeting": steering_meeting,
        "report": intervention.reports.exclude(kind="oral").first(),
        "oral_report": intervention.reports.get(kind="oral"),
        "decision": decision,
        "attachment": attachment,
        "call": call,
        "criterion": call.association.assessment_criteria.get(),
        "application": application,
        "submitted": submitted,
        "intervention": intervention,
        "requisition": requisition,
    }


def url_for(name: str, slug: str, objects: dict) -> str:
    short = _short(name)
    urlconf = URLCONFS[name.split(":", 1)[0]]
    pattern = next(p for p in urlconf.urlpatterns if p.name == short)
    kwargs = {"slug": slug}
    for kwarg in pattern.pattern.converters:
        if kwarg == "pk":
            kwargs["pk"] = objects[PK_OBJECT[short]].pk
        elif kwarg in OBJECT_KWARGS:
            kwargs[kwarg] = objects[OBJECT_KWARGS[kwarg]].pk
        elif kwarg in EXTRA_KWARGS:
            kwargs[kwarg] = EXTRA_KWARGS[kwarg]
        elif kwarg != "slug":
            raise AssertionError(f"{name}: no value for {kwarg!r}; add it to this file")
    return reverse(name, kwargs=kwargs)


def _request(client, name, url):
    if _short(name) in POST_ONLY:
        return client.post(url, {})
    return client.get(url)


def test_every_funding_url_declares_a_known_capability():
    assert len(URLS) >= 28
    assert all(cap in CAPABILITIES for _, cap in URLS)
    assert all(cap in REFUSALS for _, cap in URLS if CAPABILITIES[cap] != frozenset(Role))


@pytest.mark.parametrize(
    ("name", "capability"), [pytest.param(n, c, id=_short(n)) for n, c in URLS]
)
def test_anonymous_is_sent_to_login(client, association, objects, name, capability):
    url = url_for(name, association.slug, objects)
    response = _request(client, name, url)
    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={url}"


@pytest.mark.parametrize(
    ("name", "capability", "role"), _cases(lambda c, r: r not in CAPABILITIES[c])
)
def test_role_without_capability_gets_403_with_reason(
    client, login_as, association, objects, name, capability, role
):
    login_as(role)
    url = url_for(name, association.slug, objects)
    events = AuditEvent.objects.count()
    response = client.post(url, {}) if _short(name) in POST_ONLY else client.get(url)
    assert response.status_code == 403
    assert str(REFUSALS[capability]) in response.content.decode()
    response = client.post(url, {"amount": "1"})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == events
    assert (
        Requisition.objects.get(pk=objects["requisition"].pk).status == Requisition.Status.REQUESTED
    )


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
@pytest.mark.parametrize(
    ("name", "capability"), [pytest.param(n, c, id=_short(n)) for n, c in URLS]
)
def test_member_of_another_association_gets_404_and_no_data(
    client, association, other_association, objects, name, capability, role
):
    client.force_login(user_with_role(other_association, role))
    events = AuditEvent.objects.count()
    response = _request(client, name, url_for(name, association.slug, objects))
    assert response.status_code == 404
    body = response.content.decode()
    for private in PRIVATE_NAMES:
        assert private not in body
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "name", [pytest.param(n, id=_short(n)) for n, _ in URLS if _short(n) in PK_OBJECT]
)
def test_own_slug_with_another_associations_object_gives_404(
    client, association, other_association, objects, name
):
    client.force_login(user_with_role(other_association, Role.OFFICE))
    events = AuditEvent.objects.count()
    response = _request(client, name, url_for(name, other_association.slug, objects))
    assert response.status_code == 404
    body = response.content.decode()
    for private in PRIVATE_NAMES:
        assert private not in body
    assert AuditEvent.objects.count() == events
    assert Application.objects.get(pk=objects["application"].pk).status == "draft"


@pytest.mark.parametrize("name", [pytest.param(f"funding:{n}", id=n) for n in sorted(DOWNLOADS)])
def test_office_gets_every_file(client, login_as, association, objects, name):
    login_as(Role.OFFICE)
    response = client.get(url_for(name, association.slug, objects))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, id=_short(n))
        for n, _ in URLS
        if _short(n) not in POST_ONLY and _short(n) not in DOWNLOADS
    ],
)
def test_office_gets_every_page(client, login_as, association, objects, name):
    login_as(Role.OFFICE)
    response = client.get(url_for(name, association.slug, objects))
    assert response.status_code == 200
    assert association.name in response.content.decode()
