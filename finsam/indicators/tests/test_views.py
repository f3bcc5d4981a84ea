"""The office's pages and the readers' results: what a user sees and what is saved."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from finsam.core.actors import SYSTEM
from finsam.indicators import services
from finsam.indicators.models import Campaign, Item, Response, ResponseLink
from finsam.indicators.tests import factories as f
from finsam.organisation.models import AuditEvent, Role

YEAR = f.YEAR


def test_office_makes_a_campaign_links_and_enters_a_paper_form(client, login_as, association):
    office = login_as(Role.OFFICE)
    questionnaire = f.instrument().questionnaires.get(group="board")
    response = client.post(
        reverse("indicators:campaign_create", args=[association.slug]),
        {"questionnaire": questionnaire.pk, "year": YEAR, "paper_forms": 4},
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.paper_forms == 4
    links_url = reverse("indicators:campaign_links", args=[association.slug, campaign.pk])
    page = client.post(links_url, {"count": 6}).content.decode()
    assert page.count("/enkat/") == 6 and ResponseLink.objects.count() == 6
    item = questionnaire.items.first()
    paper_url = reverse("indicators:paper_entry", args=[association.slug, campaign.pk])
    assert client.post(paper_url, {f"item_{item.pk}": "5"}).status_code == 302
    assert Response.objects.get().source == "paper"
    detail = client.get(
        reverse("indicators:campaign_detail", args=[association.slug, campaign.pk])
    ).content.decode()
    assert "10,0 %" in detail or "10.0 %" in detail  # 1 response of 6 links + 4 paper forms
    assert AuditEvent.objects.filter(actor=office, event="indicator_links.created").exists()


def test_bad_input_on_the_office_forms_is_400_in_swedish_and_saves_nothing(
    client, login_as, association
):
    login_as(Role.OFFICE)
    campaign = f.campaign(association)
    create = reverse("indicators:campaign_create", args=[association.slug])
    response = client.post(create, {"questionnaire": "", "year": "1999", "paper_forms": "-1"})
    assert response.status_code == 400 and "Inget har sparats" in response.content.decode()
    links = reverse("indicators:campaign_links", args=[association.slug, campaign.pk])
    for count in ("0", "abc", "5000"):
        assert client.post(links, {"count": count}).status_code == 400
    assert not ResponseLink.objects.exists()
    paper = reverse("indicators:paper_entry", args=[association.slug, campaign.pk])
    item = campaign.questionnaire.items.first()
    response = client.post(paper, {f"item_{item.pk}": "11"})
    assert (
        response.status_code == 400 and "Välj ett värde från 1 till 10" in response.content.decode()
    )
    response = client.post(paper, {})
    assert (
        response.status_code == 400 and "Besvara minst ett påstående" in response.content.decode()
    )
    forms = reverse("indicators:campaign_paper_forms", args=[association.slug, campaign.pk])
    assert client.post(forms, {"paper_forms": "många"}).status_code == 400
    assert Campaign.objects.count() == 1 and not Response.objects.exists()


def test_a_locked_statement_cannot_be_changed_from_the_page(client, login_as, association):
    login_as(Role.OFFICE)
    own = services.instrument_new_version(
        instrument=f.instrument(), association=association, by=SYSTEM
    )
    questionnaire = own.questionnaires.get(group="staff")
    campaign = services.campaign_create(
        association=association, questionnaire=questionnaire, year=YEAR, by=SYSTEM
    )
    f.answer_all(campaign, [4])
    item = questionnaire.items.first()
    url = reverse("indicators:item_edit", args=[association.slug, item.pk])
    response = client.post(url, {"text": "Ny formulering", "min_label": "", "max_label": ""})
    assert response.status_code == 400 and "formuleringen är låst" in response.content.decode()
    assert Item.objects.get(pk=item.pk).text == item.text
    detail = client.get(reverse("indicators:instrument_detail", args=[association.slug, own.pk]))
    assert "formuleringen är låst" in detail.content.decode()


def test_results_show_means_last_year_a_chart_and_suppression(client, login_as, association):
    login_as(Role.AUDITOR)
    f.answer_all(f.campaign(association, year=YEAR - 1), [2, 4, 6, 8, 10])
    f.answer_all(f.campaign(association, year=YEAR), [7, 7, 8, 8, 9, 9])
    f.answer_all(f.campaign(association, group="referrers", year=YEAR), [1, 5])
    body = client.get(reverse("indicators:results", args=[association.slug, YEAR])).content.decode()
    assert "Insatspersonal" in body and "Remittenter" in body
    assert "8,0" in body and "6,0" in body  # this year, last year
    assert "färre än 5 – visas inte" in body
    assert "<svg" in body and "Medelvärde per indikator" in body
    assert "&lt;5" in body or "<5" in body  # the chart never reveals more than the table
    xlsx = client.get(reverse("indicators:results_xlsx", args=[association.slug, YEAR]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Svarsgrupp"
    staff = [r for r in rows if r[0] == "Insatspersonal" and not r[3]]
    assert staff and all(r[4] == 6 and float(r[5]) == 8.0 and float(r[7]) == 6.0 for r in staff)
    referrers = [r for r in rows if r[0] == "Remittenter"]
    assert referrers and all(r[5] == "färre än 5" for r in referrers)


def test_the_list_and_results_pages_do_not_grow_queries_with_the_data(
    client, login_as, association, django_assert_max_num_queries
):
    login_as(Role.BOARD)
    overview = reverse("indicators:overview", args=[association.slug]) + f"?ar={YEAR}"
    results = reverse("indicators:results", args=[association.slug, YEAR])
    f.answer_all(f.campaign(association), [3, 4, 5, 6, 7])
    with django_assert_max_num_queries(20) as small:
        client.get(overview)
    with django_assert_max_num_queries(24) as small_results:
        client.get(results)
    for group in ("board", "managers", "referrers", "participants_exit"):
        f.answer_all(f.campaign(association, group=group), [1, 2, 3, 4, 5, 5])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(overview).status_code == 200
    # Two reads of answers per respondent group (this year and last), whatever the answers.
    with django_assert_max_num_queries(len(small_results.captured_queries) + 2 * 4):
        assert client.get(results).status_code == 200
