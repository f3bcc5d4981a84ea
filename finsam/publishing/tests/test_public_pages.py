"""Every public page, requested anonymously with a draft entry present: it answers, is
cacheable, sets no cookie, and shows nothing unpublished or personal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role
from finsam.publishing import services
from finsam.publishing import urls as publishing_urls
from finsam.publishing.models import CatalogueEntry
from finsam.publishing.public import INSATSKATALOGEN_FIELDS
from finsam.publishing.tests.factories import ADOPTED_PDF, PUBLIC_SUMMARY, SECRETS, world


@pytest.fixture
def w(association):
    return world(association)


def public_urls(slug: str, w: dict) -> dict[str, str]:
    """Every public URL name with a URL to request (the pattern list is read, so a new public
    page must be added here)."""
    urls = {
        "index": reverse("publishing:index"),
        "catalogue": reverse("publishing:catalogue", args=[slug]),
        "entry": reverse("publishing:entry", args=[slug, w["published"].pk]),
        "decisions": reverse("publishing:decisions", args=[slug]),
        "open_data": reverse("publishing:open_data", args=[slug]),
        "csv": reverse("publishing:csv", args=[slug, "katalog"]),
        "insatskatalogen": reverse("publishing:insatskatalogen", args=[slug, "json"]),
        "document_pdf": reverse("publishing:document_pdf", args=[slug, w["adopted_plan"].pk]),
    }
    public_names = {
        p.name for p in publishing_urls.urlpatterns if not str(p.pattern).startswith("f/")
    }
    assert public_names - {"language"} == set(urls)
    return urls


def test_every_public_page_answers_anonymously_without_leaking(client, association, w):
    for name, url in public_urls(association.slug, w).items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = response.content.decode("utf-8-sig")
        for secret in SECRETS:
            assert secret not in body, (name, secret)
        assert not response.cookies, name  # no CSRF or session cookie for a visitor
        assert response["Cache-Control"] == "public, max-age=300", name
        assert "Cookie" in response["Vary"], name


@pytest.mark.parametrize("suffix", ["", "en"])
def test_catalogue_lists_published_entries_only(client, association, w, suffix):
    if suffix:
        client.get(reverse("publishing:language", args=["en"]))
    body = client.get(reverse("publishing:catalogue", args=[association.slug])).content.decode()
    assert w["intervention"].title in body
    assert "Frukostseminarium om samverkan" in body
    assert "Öppen utlysning" in body
    assert "Hemlig utkastinsats" not in body
    assert ("Interventions and activities" if suffix else "Insatser och aktiviteter") in body


def test_a_draft_entry_and_an_entry_in_review_are_not_found(client, association, w):
    draft = w["draft"]
    url = reverse("publishing:entry", args=[association.slug, draft.pk])
    assert client.get(url).status_code == 404
    services.entry_transition(entry=draft, to=CatalogueEntry.Status.REVIEW, by=w["office"])
    assert client.get(url).status_code == 404


def test_an_association_with_its_public_pages_off_is_not_found(client, association, w):
    services.settings_update(association=association, data={"is_public": False}, by=w["office"])
    for name, url in public_urls(association.slug, w).items():
        if name != "index":
            assert client.get(url).status_code == 404, name
    assert association.name not in client.get(reverse("publishing:index")).content.decode()


def test_another_associations_entry_is_not_found_under_this_slug(
    client, association, other_association, w
):
    services.settings_update(
        association=other_association,
        data={"is_public": True},
        by=user_with_role(other_association, Role.OFFICE),
    )
    url = reverse("publishing:entry", args=[other_association.slug, w["published"].pk])
    assert client.get(url).status_code == 404


def test_entry_page_shows_results_decisions_and_contact_but_no_staff_names(client, association, w):
    url = reverse("publishing:entry", args=[association.slug, w["published"].pk])
    body = client.get(url).content.decode()
    assert PUBLIC_SUMMARY in body
    assert "Förbundschefen" in body  # the published contact
    assert "§ 12" in body and "600\xa0000\xa0kr" in body
    row = w["published"].results[0]
    assert f'<th scope="row">{row["year"]}</th>' in body
    assert f'<td class="num">{row["started"]}</td>' in body
    assert "Hemlig motivering" not in body
    for user in association.memberships.select_related("user"):
        assert user.user.username not in body


def test_repeated_request_with_etag_gets_304(client, association, w):
    url = reverse("publishing:catalogue", args=[association.slug])
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_public_pages_refuse_post(client, association, w):
    assert client.post(reverse("publishing:catalogue", args=[association.slug])).status_code == 405


def test_facets_filter_the_catalogue(client, association, w):
    url = reverse("publishing:catalogue", args=[association.slug])
    title = w["intervention"].title
    seminar = "Frukostseminarium om samverkan"
    cases = [
        ({"malgrupp": "young_adults"}, True, False),
        ({"malgrupp": "staff"}, False, True),
        ({"typ": "individual"}, True, False),
        ({"typ": "activity"}, False, True),
        ({"alder": "20"}, True, False),
        ({"alder": "40"}, False, False),
        ({"remiss": "employment_service"}, True, True),
        ({"remiss": "health_care"}, False, False),
        ({"q": "frukost"}, False, True),
    ]
    municipality = w["published"].municipalities.first()
    cases.append(({"kommun": str(municipality.pk)}, True, False))
    for params, shows_intervention, shows_seminar in cases:
        body = client.get(url, params).content.decode()
        assert (title in body) is shows_intervention, params
        assert (seminar in body) is shows_seminar, params


def test_bad_facet_values_are_refused_at_the_field_never_a_500(client, association, w):
    url = reverse("publishing:catalogue", args=[association.slug])
    response = client.get(url, {"alder": "gammal", "kommun": "999999", "typ": "<script>"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Fyll i ett heltal." in body
    assert "Välj ett giltigt alternativ." in body
    assert "<script>" not in body
    assert w["intervention"].title in body  # the refused filters are left out


def test_overdue_entry_stays_public_with_a_notice(client, association, w):
    CatalogueEntry.objects.filter(pk=w["published"].pk).update(
        review_by=timezone.localdate() - dt.timedelta(days=1)
    )
    url = reverse("publishing:entry", args=[association.slug, w["published"].pk])
    body = client.get(url).content.decode()
    assert "skulle ha granskats" in body


def test_csv_downloads_open_in_excel(client, association, w):
    for dataset in ("katalog", "resultat", "beslut"):
        response = client.get(reverse("publishing:csv", args=[association.slug, dataset]))
        assert response.status_code == 200
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        assert ";" in text.splitlines()[0]
        for secret in SECRETS:
            assert secret not in text
    assert (
        client.get(reverse("publishing:csv", args=[association.slug, "deltagare"])).status_code
        == 404
    )


def test_csv_neutralises_formulas(client, association, w):
    CatalogueEntry.objects.filter(pk=w["published"].pk).update(summary="=HYPERLINK(1)")
    response = client.get(reverse("publishing:csv", args=[association.slug, "katalog"]))
    assert ";'=HYPERLINK(1);" in response.content.decode()


def test_insatskatalogen_export_has_the_documented_shape(client, association, w):
    response = client.get(reverse("publishing:insatskatalogen", args=[association.slug, "json"]))
    items = json.loads(response.content)["insatser"]
    assert len(items) == 2
    assert all(list(item) == INSATSKATALOGEN_FIELDS for item in items)
    stegsam = next(i for i in items if i["namn"] == w["intervention"].title)
    assert stegsam["vem_kan_remittera"] == ["self", "employment_service"]
    assert stegsam["webbadress"].startswith("http://testserver/publikt/")
    csv = client.get(reverse("publishing:insatskatalogen", args=[association.slug, "csv"]))
    header = csv.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(";") == INSATSKATALOGEN_FIELDS
    assert (
        client.get(
            reverse("publishing:insatskatalogen", args=[association.slug, "xml"])
        ).status_code
        == 404
    )


def test_language_switch_returns_to_the_page_and_refuses_other_sites(client, association, w):
    page = reverse("publishing:catalogue", args=[association.slug])
    response = client.get(reverse("publishing:language", args=["en"]), {"next": page})
    assert response.status_code == 302 and response.url == page
    assert response.cookies["django_language"].value == "en"
    response = client.get(
        reverse("publishing:language", args=["en"]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("publishing:index")


def test_catalogue_is_paged_and_keeps_the_filter(client, association, w, monkeypatch):
    from finsam.publishing.views import public as public_views

    monkeypatch.setattr(public_views, "PAGE_SIZE", 1)
    url = reverse("publishing:catalogue", args=[association.slug])
    first = client.get(url, {"remiss": "self"}).content.decode()
    assert "Sida 1 av 2" in first and "remiss=self&amp;sida=2" in first
    second = client.get(url, {"remiss": "self", "sida": "2"}).content.decode()
    assert "Sida 2 av 2" in second
    assert client.get(url, {"sida": "inte-en-sida"}).status_code == 200


def test_catalogue_reads_a_fixed_number_of_queries(client, association, w):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from finsam.participants.tests import factories as pf
    from finsam.publishing.tests.factories import entry_fields, publish

    url = reverse("publishing:catalogue", args=[association.slug])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for title in ("Tredje insatsen", "Fjärde insatsen"):
        intervention = pf.staffed_intervention(association, title=title)
        entry = services.entry_create(
            association=association, intervention=intervention, by=w["office"], **entry_fields()
        )
        publish(entry, by=w["office"])
    with CaptureQueriesContext(connection) as after:
        body = client.get(url).content.decode()
    assert "Fjärde insatsen" in body
    assert len(after) == len(before) <= 12


def test_public_pages_are_public_for_a_logged_in_user_without_a_second_factor(
    client, association, w
):
    association.require_second_factor = True
    association.save(update_fields=["require_second_factor"])
    client.force_login(w["office"])  # lacks the second factor the association now requires
    internal = client.get(reverse("publishing:office", args=[association.slug]))
    assert internal.status_code == 302  # sent to set one up
    for name, url in public_urls(association.slug, w).items():
        assert client.get(url).status_code == 200, name
    assert client.get(f"/api/associations/{association.slug}/catalogue").status_code == 200


def test_adopted_documents_are_public_as_their_frozen_pdf_and_nothing_else_is(
    client, association, w
):
    import hashlib

    page = client.get(reverse("publishing:catalogue", args=[association.slug]))
    body = page.content.decode()
    assert "Verksamhetsplan 2027 (PDF)" in body
    assert hashlib.sha256(ADOPTED_PDF).hexdigest() in body
    pdf = client.get(
        reverse("publishing:document_pdf", args=[association.slug, w["adopted_plan"].pk])
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == ADOPTED_PDF
    # A draft and a board pack (the meeting's working papers) are not public.
    from finsam.documents.models import Document

    draft = Document.objects.get(association=association, status=Document.Status.DRAFT)
    for document in (draft, w["board_pack"]):
        url = reverse("publishing:document_pdf", args=[association.slug, document.pk])
        assert client.get(url).status_code == 404
    # Another association's slug does not reach this association's document.
    from finsam.organisation.tests.factories import AssociationFactory

    other = AssociationFactory(slug="annat-forbund")
    url = reverse("publishing:document_pdf", args=[other.slug, w["adopted_plan"].pk])
    assert client.get(url).status_code == 404
