"""The office's pages: every URL × role × foreign association, the editorial flow, the tokens
page, and bad input on every form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.organisation.access import CAPABILITIES, REFUSALS
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.publishing import services
from finsam.publishing import urls as publishing_urls
from finsam.publishing.models import ApiToken, CatalogueEntry, PublicationSettings
from finsam.publishing.tests.factories import entry_fields, world

CAPABILITY = "publishing.edit"
IDENTITY = "19980412-2381"
OFFICE_URLS = [p.name for p in publishing_urls.urlpatterns if str(p.pattern).startswith("f/")]
POST_ONLY = {"entry_move": {}, "entry_results": {}, "token_revoke": {}}
PRIVATE = ["Hemlig utkastinsats"]


@pytest.fixture
def w(association):
    return world(association)


def url_for(name: str, slug: str, w: dict) -> str:
    pattern = next(p for p in publishing_urls.urlpatterns if p.name == name)
    kwargs: dict = {"slug": slug}
    for kwarg in pattern.pattern.converters:
        if kwarg == "pk":
            kwargs["pk"] = w["token"].pk if name == "token_revoke" else w["draft"].pk
        elif kwarg == "to":
            kwargs["to"] = "review"
        elif kwarg != "slug":
            raise AssertionError(f"{name}: no value for URL kwarg {kwarg!r}; add it to this file")
    return reverse(f"publishing:{name}", kwargs=kwargs)


@pytest.fixture
def wt(association):
    w = world(association, with_results=False)
    w["token"], _raw = services.token_create(association=association, name="R", by=w["office"])
    return w


def _request(client, name, url):
    return client.post(url, POST_ONLY[name]) if name in POST_ONLY else client.get(url)


def test_every_office_url_needs_the_publishing_capability():
    assert len(OFFICE_URLS) == 9
    assert CAPABILITIES[CAPABILITY] == frozenset({Role.OFFICE})


@pytest.mark.parametrize("name", OFFICE_URLS)
def test_office_gets_the_page(client, association, wt, name):
    client.force_login(wt["office"])
    url = url_for(name, association.slug, wt)
    if name in POST_ONLY:
        assert client.get(url).status_code == 405
        before = AuditEvent.objects.count()
        assert client.post(url).status_code == 302
        assert AuditEvent.objects.count() > before
        return
    response = client.get(url)
    assert response.status_code == 200
    assert association.name in response.content.decode()


REFUSED = [r for r in Role if r not in CAPABILITIES[CAPABILITY]]


@pytest.mark.parametrize("role", REFUSED, ids=[r.value for r in REFUSED])
@pytest.mark.parametrize("name", OFFICE_URLS)
def test_other_roles_get_403_with_the_reason(client, association, wt, name, role):
    client.force_login(user_with_role(association, role))
    url = url_for(name, association.slug, wt)
    before = AuditEvent.objects.count()
    response = _request(client, name, url)
    assert response.status_code == 403
    assert str(REFUSALS[CAPABILITY]) in response.content.decode()
    assert client.post(url, {"name": "Försök", "summary": "x"}).status_code == 403
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("name", OFFICE_URLS)
def test_anonymous_is_sent_to_login(client, association, wt, name):
    response = _request(client, name, url_for(name, association.slug, wt))
    assert response.status_code == 302 and response.url.startswith("/konto/logga-in/")


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize("name", OFFICE_URLS)
def test_member_of_another_association_gets_404(
    client, association, other_association, wt, name, role
):
    client.force_login(user_with_role(other_association, role))
    before = AuditEvent.objects.count()
    response = _request(client, name, url_for(name, association.slug, wt))
    assert response.status_code == 404
    assert not any(p in response.content.decode() for p in PRIVATE)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in OFFICE_URLS
        if "pk" in str(next(p.pattern for p in publishing_urls.urlpatterns if p.name == n))
    ],
)
def test_own_slug_with_another_associations_object_gives_404(
    client, association, other_association, wt, name
):
    client.force_login(user_with_role(other_association, Role.OFFICE))
    before = AuditEvent.objects.count()
    response = _request(client, name, url_for(name, other_association.slug, wt))
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before
    assert CatalogueEntry.objects.get(pk=wt["draft"].pk).status == "draft"


# --- the flow ------------------------------------------------------------------------------------


def test_office_publishes_through_review_and_every_step_is_audited(client, association, w):
    client.force_login(w["office"])
    entry = w["draft"]
    move = lambda to: client.post(  # noqa: E731
        reverse("publishing:entry_move", args=[association.slug, entry.pk, to])
    )
    move("published")  # a draft cannot be published directly
    entry.refresh_from_db()
    assert entry.status == "draft"
    move("review")
    move("published")
    entry.refresh_from_db()
    assert entry.status == "published" and entry.published_at is not None
    events = AuditEvent.objects.filter(event="catalogue_entry.moved", target_id=str(entry.pk))
    assert [e.after["status"] for e in events.order_by("pk")] == ["review", "published"]
    public = client.get(reverse("publishing:entry", args=[association.slug, entry.pk]))
    assert public.status_code == 200
    assert (
        client.post(
            reverse("publishing:entry_move", args=[association.slug, entry.pk, "nonsense"])
        ).status_code
        == 404
    )


def test_a_published_entry_is_withdrawn_before_it_changes(client, association, w):
    client.force_login(w["office"])
    entry = w["published"]
    url = reverse("publishing:entry_edit", args=[association.slug, entry.pk])
    data = {**entry_fields(summary="Ny text"), "review_by": "2099-01-01"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Bara ett utkast kan ändras" in response.content.decode()
    entry.refresh_from_db()
    assert entry.summary != "Ny text" and entry.status == "published"


def test_publishing_needs_a_review_by_date_in_the_future(association, w):
    entry = w["draft"]
    CatalogueEntry.objects.filter(pk=entry.pk).update(
        review_by=timezone.localdate() - dt.timedelta(days=1), status="review"
    )
    entry.refresh_from_db()
    with pytest.raises(Exception, match="granskning"):
        services.entry_transition(entry=entry, to="published", by=w["office"])


def test_overdue_entries_are_flagged_on_the_offices_list(client, association, w):
    CatalogueEntry.objects.filter(pk=w["published"].pk).update(
        review_by=timezone.localdate() - dt.timedelta(days=2)
    )
    client.force_login(w["office"])
    body = client.get(reverse("publishing:office", args=[association.slug])).content.decode()
    assert "Granskning försenad" in body


def test_create_entry_with_defaults_from_the_intervention(client, association, w):
    from finsam.participants.tests import factories as pf

    intervention = pf.staffed_intervention(association, title="Ny insats")
    intervention.members.set(association.members.filter(kind="municipality")[:2])
    client.force_login(w["office"])
    data = {**entry_fields(), "subject": f"i{intervention.pk}", "review_by": "2099-01-01"}
    response = client.post(reverse("publishing:entry_create", args=[association.slug]), data)
    assert response.status_code == 302
    entry = CatalogueEntry.objects.get(intervention=intervention)
    assert entry.status == "draft" and entry.municipalities.count() == 2
    assert AuditEvent.objects.filter(event="catalogue_entry.created", target_id=str(entry.pk))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subject": "i999999"}, "Välj ett giltigt alternativ."),
        ({"summary": ""}, "Detta fält måste fyllas i."),
        ({"review_by": "31/31/2031"}, "Fyll i ett giltigt datum."),
        ({"target_group": "martians"}, "Välj ett giltigt alternativ."),
        ({"contact_email": "inte-en-adress"}, "Fyll i en giltig e-postadress."),
        ({"summary": "Kontakta " + IDENTITY + " för info"}, "ersonnummer"),
    ],
)
def test_bad_input_on_the_entry_form_saves_nothing(client, association, w, changes, message):
    from finsam.participants.tests import factories as pf

    intervention = pf.staffed_intervention(association, title="Ny insats")
    client.force_login(w["office"])
    data = {**entry_fields(), "subject": f"i{intervention.pk}", "review_by": "2099-01-01"}
    data.update(changes)
    before = CatalogueEntry.objects.count()
    response = client.post(reverse("publishing:entry_create", args=[association.slug]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CatalogueEntry.objects.count() == before


def test_another_associations_intervention_cannot_be_catalogued(
    client, association, other_association, w
):
    from finsam.participants.tests import factories as pf

    foreign = pf.staffed_intervention(other_association, title="Främmande insats")
    client.force_login(w["office"])
    data = {**entry_fields(), "subject": f"i{foreign.pk}", "review_by": "2099-01-01"}
    response = client.post(reverse("publishing:entry_create", args=[association.slug]), data)
    assert response.status_code == 400
    assert not CatalogueEntry.objects.filter(intervention=foreign).exists()


def test_settings_form_refuses_a_bad_email(client, association, w):
    client.force_login(w["office"])
    url = reverse("publishing:settings", args=[association.slug])
    response = client.post(url, {"is_public": "on", "contact_email": "nej"})
    assert (
        response.status_code == 400
        and "Fyll i en giltig e-postadress." in response.content.decode()
    )
    assert PublicationSettings.objects.get(association=association).contact_email == "a@example.org"
    response = client.post(url, {"contact_name": "Kansliet"})
    assert response.status_code == 302
    assert not PublicationSettings.objects.get(association=association).is_public


def test_token_is_shown_once_stored_as_hash_and_revoked_with_audit(client, association, w):
    client.force_login(w["office"])
    url = reverse("publishing:tokens", args=[association.slug])
    response = client.post(url, {"name": "Regionens statistikenhet"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(name="Regionens statistikenhet")
    body = response.content.decode()
    raw = body.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert raw.startswith("fsm_") and services.token_hash(raw) == token.token_hash
    assert raw not in client.get(url).content.decode()  # never shown again
    assert AuditEvent.objects.filter(event="api_token.created", target_id=str(token.pk)).exists()
    assert raw not in str(AuditEvent.objects.filter(event="api_token.created").values())
    client.post(reverse("publishing:token_revoke", args=[association.slug, token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(event="api_token.revoked", target_id=str(token.pk)).exists()
    response = client.post(reverse("publishing:token_revoke", args=[association.slug, token.pk]))
    assert response.status_code == 302  # already revoked: said, nothing changes


def test_token_form_needs_a_name(client, association, w):
    client.force_login(w["office"])
    response = client.post(reverse("publishing:tokens", args=[association.slug]), {"name": ""})
    assert response.status_code == 400 and "Detta fält måste fyllas i." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_office_changes_a_draft_and_the_change_is_audited(client, association, w):
    client.force_login(w["office"])
    entry = w["draft"]
    town = association.members.filter(kind="municipality").last()
    data = {
        **entry_fields(summary="Ny sammanfattning", target_group="unemployed"),
        "review_by": "2099-01-01",
        "municipalities": [town.pk],
        "refer_health_care": "on",
    }
    response = client.post(
        reverse("publishing:entry_edit", args=[association.slug, entry.pk]), data
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "Ny sammanfattning" and entry.refer_health_care
    assert list(entry.municipalities.all()) == [town]
    event = AuditEvent.objects.filter(
        event="catalogue_entry.updated", target_id=str(entry.pk)
    ).get()
    assert event.before["summary"] != event.after["summary"] == "Ny sammanfattning"
    assert event.after["municipalities"] == [town.pk]
