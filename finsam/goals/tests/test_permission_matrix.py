"""Every goals URL × every role: allowed, refused with the reason, or not found elsewhere.

The capability each view requires is read from the view (`association_view` sets it), so a new
URL adds its own cases; a URL whose kwargs this file cannot name fails loudly.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import resolve, reverse

from finsam.core.actors import SYSTEM
from finsam.core.exports import XLSX_TYPE
from finsam.funding.services import intervention_staff_set
from finsam.goals import services
from finsam.goals import urls as goals_urls
from finsam.goals.models import Activity, Goal, Risk
from finsam.goals.tests import factories as gf
from finsam.organisation.access import CAPABILITIES, REFUSALS
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants.tests import factories as pf

YEAR = 2021
PRIVATE = ["Hemligt mål för behörighetstestet", "Hemlig utbildningsdag", "Hemlig risk"]
PK_OBJECT = {
    "goal_detail": "goal",
    "goal_edit": "goal",
    "goal_delete": "goal",
    "measure_delete": "measure",
    "activity_delete": "activity",
    "assessment": "goal",
    "measure_create": "goal",
    "measures_edit": "goal",
    "measure_edit": "measure",
    "entry_create": "measure",
    "activity_detail": "activity",
    "activity_edit": "activity",
    "activity_attendance": "activity",
    "activity_evaluation": "activity",
    "risk_edit": "risk",
    "control_create": "risk",
    "control_edit": "control",
}
POST_ONLY = {
    "assessment": {"year-verdict": "met", "year-reason": "Fem mötesdagar hölls."},
    "goal_delete": {},
    "measure_delete": {},
    "activity_delete": {},
}
XLSX = {"goals_xlsx", "activities_xlsx"}


def _capability(pattern) -> str:
    kwargs = {
        k: ("x" if k == "slug" else "year" if k == "period" else 1)
        for k in pattern.pattern.converters
    }
    func = resolve(reverse(f"goals:{pattern.name}", kwargs=kwargs)).func
    while not hasattr(func, "capability") and hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return func.capability


URLS = [(p.name, _capability(p)) for p in goals_urls.urlpatterns]
ALLOWED = [
    pytest.param(n, c, r, id=f"{n}-{r.value}")
    for n, c in URLS
    for r in Role
    if r in CAPABILITIES[c]
]
REFUSED = [
    pytest.param(n, c, r, id=f"{n}-{r.value}")
    for n, c in URLS
    for r in Role
    if r not in CAPABILITIES[c]
]


@pytest.fixture
def objects(association):
    intervention = pf.staffed_intervention(association, title="Hemlig insats")
    goal = gf.goal(association, text=PRIVATE[0], interventions=[intervention])
    measure = gf.measure(goal, kind="count", source="manual", metric="", target=Decimal(5))
    activity = gf.activity(association, title=PRIVATE[1], goals=[goal])
    plan = services.control_plan_create(association=association, by=SYSTEM, year=YEAR)
    risk = services.risk_create(
        plan=plan, by=SYSTEM, area="Ekonomi", description=PRIVATE[2], probability=2, consequence=3
    )
    control = services.control_create(
        risk=risk,
        by=SYSTEM,
        description="Avstämning",
        owner="Förbundschef",
        frequency="Kvartal",
        method="Rapport",
    )
    return {
        "goal": goal,
        "measure": measure,
        "activity": activity,
        "risk": risk,
        "control": control,
        "intervention": intervention,
    }


def url_for(name: str, slug: str, objects: dict) -> str:
    pattern = next(p for p in goals_urls.urlpatterns if p.name == name)
    kwargs: dict = {"slug": slug}
    for kwarg in pattern.pattern.converters:
        if kwarg == "pk":
            kwargs["pk"] = objects[PK_OBJECT[name]].pk
        elif kwarg == "year":
            kwargs["year"] = YEAR
        elif kwarg == "period":
            kwargs["period"] = "year"
        elif kwarg != "slug":
            raise AssertionError(f"{name}: no value for URL kwarg {kwarg!r}; add it to this file")
    return reverse(f"goals:{name}", kwargs=kwargs)


def _request(client, name, url):
    return client.post(url, POST_ONLY[name]) if name in POST_ONLY else client.get(url)


def test_every_goals_url_declares_a_known_capability():
    assert len(URLS) == 29
    assert all(c in CAPABILITIES for _n, c in URLS)
    assert set(PK_OBJECT) | set(POST_ONLY) <= {n for n, _c in URLS}


@pytest.mark.parametrize(("name", "capability", "role"), ALLOWED)
def test_role_with_capability_gets_the_page(
    client, login_as, association, objects, name, capability, role
):
    user = login_as(role)
    if role == Role.STAFF:  # staff read the goals of their own interventions
        intervention_staff_set(intervention=objects["intervention"], users=[user], by=SYSTEM)
    url = url_for(name, association.slug, objects)
    if name in POST_ONLY:
        assert client.get(url).status_code == 405
        response = client.post(url, POST_ONLY[name])
        assert response.status_code == 302
        assert AuditEvent.objects.filter(association=association, actor=user).exists()
        return
    response = client.get(url)
    assert response.status_code == 200
    if name in XLSX:
        assert response["Content-Type"] == XLSX_TYPE
    else:
        body = response.content.decode()
        assert association.name in body and "Behörighet saknas" not in body


@pytest.mark.parametrize(("name", "capability", "role"), REFUSED)
def test_role_without_capability_gets_403_with_reason(
    client, login_as, association, objects, name, capability, role
):
    login_as(role)
    url = url_for(name, association.slug, objects)
    before = AuditEvent.objects.count()
    response = _request(client, name, url)
    assert response.status_code == 403
    assert str(REFUSALS[capability]) in response.content.decode()
    response = client.post(url, POST_ONLY.get(name, {"title": "Försök", "text": "Försök"}))
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(("name", "capability"), [pytest.param(n, c, id=n) for n, c in URLS])
def test_anonymous_is_sent_to_login(client, association, objects, name, capability):
    url = url_for(name, association.slug, objects)
    response = _request(client, name, url)
    assert response.status_code == 302 and response.url.startswith("/konto/logga-in/")


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(("name", "capability"), [pytest.param(n, c, id=n) for n, c in URLS])
def test_member_of_another_association_gets_404_and_no_data(
    client, association, other_association, objects, name, capability, role
):
    client.force_login(user_with_role(other_association, role))
    before = AuditEvent.objects.count()
    response = _request(client, name, url_for(name, association.slug, objects))
    assert response.status_code == 404
    body = response.content.decode()
    assert not any(p in body for p in PRIVATE)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in PK_OBJECT])
def test_own_slug_with_another_associations_object_gives_404(
    client, association, other_association, objects, name
):
    client.force_login(user_with_role(other_association, Role.OFFICE))
    before = AuditEvent.objects.count()
    response = _request(client, name, url_for(name, other_association.slug, objects))
    assert response.status_code == 404
    assert not any(p in response.content.decode() for p in PRIVATE)
    assert AuditEvent.objects.count() == before
    assert Goal.objects.filter(text=PRIVATE[0]).exists()


def test_staff_see_only_the_goals_their_interventions_serve(client, association, objects):
    staff = user_with_role(association, Role.STAFF)  # staff, but not of the goal's intervention
    client.force_login(staff)
    response = client.get(reverse("goals:goals", args=[association.slug]) + f"?ar={YEAR}")
    assert response.status_code == 200 and PRIVATE[0] not in response.content.decode()
    detail = reverse("goals:goal_detail", args=[association.slug, objects["goal"].pk])
    assert client.get(detail).status_code == 404
    intervention_staff_set(intervention=objects["intervention"], users=[staff], by=SYSTEM)
    response = client.get(reverse("goals:goals", args=[association.slug]) + f"?ar={YEAR}")
    assert PRIVATE[0] in response.content.decode()
    # Activities are not tied to interventions: staff read the list.
    assert Activity.objects.filter(title=PRIVATE[1]).exists()
    assert Risk.objects.filter(description=PRIVATE[2]).exists()


def test_goals_link_is_in_the_menu_for_readers_only(client, login_as, association):
    login_as(Role.BOARD)
    home = client.get(reverse("goals:goals", args=[association.slug])).content.decode()
    assert "Mål och aktiviteter" in home and 'aria-current="page"' in home
    login_as(Role.MEMBER_ORG)
    page = client.get(reverse("organisation:members", args=[association.slug])).content.decode()
    assert "Mål och aktiviteter" not in page


def test_a_year_outside_the_plausible_range_is_404(client, login_as, association):
    login_as(Role.OFFICE)
    for url in (
        reverse("goals:goals_xlsx", args=[association.slug, 99999]),
        reverse("goals:goal_create", args=[association.slug, 1899]),
        reverse("goals:goals", args=[association.slug]) + "?ar=abc",
        reverse("goals:goals", args=[association.slug]) + "?period=quarter",
    ):
        assert client.get(url).status_code == 404, url
