"""Co-financing (medfinansiering) per funder and year: the service rules, the page that keeps it,
who sees and changes what, and the figures on the intervention page, its export and its money
panel.

Logged out, 403 per capability and another association's 404 for every new URL are also in
test_permissions.py (derived from urls.py); here are the rules and the roles that read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam.core.actors import SYSTEM
from finsam.funding import services, summary
from finsam.funding.models import CoFinancing
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_exports import sheet
from finsam.funding.tests.test_views import field_errors, plain, url
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

D = Decimal
READERS = [Role.BOARD, Role.AUDITOR, Role.ECONOMIST, Role.MEMBER_ORG]


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


@pytest.fixture
def intervention(association):
    return f.intervention(
        association,
        fields={
            "title": "Samkraft",
            "period_start": dt.date(2020, 3, 1),
            "period_end": dt.date(2021, 12, 31),
        },
        grants=[(2020, D("400000"), "VP 2020"), (2021, D("600000"), "VP 2021")],
    )


def esf(intervention, by, **kwargs) -> CoFinancing:
    fields = {"year": 2021, "funder": "ESF", "amount": D("250000"), "note": "Projekt Steget"}
    fields.update(kwargs)
    return services.co_financing_create(intervention=intervention, by=by, **fields)


def co_financing_post(**kwargs) -> dict[str, str]:
    data = {"year": "2021", "funder": "ESF", "amount": "250 000", "note": ""}
    data.update(kwargs)
    return data


# --- the service rules --------------------------------------------------------------------------


def test_create_saves_the_row_and_writes_the_audit(intervention, office):
    row = esf(intervention, office, funder="  ESF  ")
    assert (row.year, row.funder, row.amount, row.note) == (
        2021,
        "ESF",
        D("250000"),
        "Projekt Steget",
    )
    event = AuditEvent.objects.get(event=Event.CO_FINANCING_CREATED)
    assert event.association == intervention.association
    assert event.actor == office
    assert event.target_id == str(row.pk)
    assert event.after["funder"] == "ESF"
    assert event.after["amount"] == "250000.00"


@pytest.mark.parametrize("year", [2019, 2022])
def test_a_year_outside_the_period_is_refused_and_nothing_saved(intervention, office, year):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        esf(intervention, office, year=year)
    assert "year" in refused.value.message_dict
    assert "2020 – 2021" in refused.value.message_dict["year"][0]
    assert not CoFinancing.objects.exists()
    assert AuditEvent.objects.count() == events


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(year=st.integers(min_value=2004, max_value=2100))
def test_a_year_is_accepted_exactly_when_the_intervention_runs_in_it(intervention, year):
    with transaction.atomic():
        try:
            esf(intervention, SYSTEM, year=year)
        except ValidationError as error:
            assert not intervention.runs_in_year(year)
            assert set(error.message_dict) == {"year"}
            assert not CoFinancing.objects.filter(intervention=intervention).exists()
        else:
            assert intervention.runs_in_year(year)
            assert CoFinancing.objects.get(intervention=intervention).year == year
        transaction.set_rollback(True)


def test_an_open_ended_intervention_takes_any_later_year(association, office):
    open_ended = f.intervention(
        association,
        fields={"title": "Löpande", "period_start": dt.date(2020, 1, 1), "period_end": None},
    )
    assert esf(open_ended, office, year=2030).year == 2030
    with pytest.raises(ValidationError, match="tills vidare"):
        esf(open_ended, office, year=2019)


def test_a_second_row_for_the_same_funder_and_year_is_refused(intervention, office):
    esf(intervention, office)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        esf(intervention, office, funder="esf", amount=D("1000"))
    assert "ESF har redan medfinansiering för 2021" in refused.value.message_dict["funder"][0]
    assert CoFinancing.objects.count() == 1
    assert AuditEvent.objects.count() == events
    # The same funder in another year, and another funder in the same year, are fine.
    esf(intervention, office, year=2020)
    esf(intervention, office, funder="Region Västmanland – folkhälsomedel")
    assert CoFinancing.objects.count() == 3


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": D("0")}, "amount"),
        ({"amount": D("-5")}, "amount"),
        ({"funder": "   "}, "funder"),
    ],
)
def test_bad_amount_or_funder_is_refused_at_its_field(intervention, office, fields, field):
    with pytest.raises(ValidationError) as refused:
        esf(intervention, office, **fields)
    assert field in refused.value.message_dict
    assert not CoFinancing.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.OFFICE])
def test_only_the_office_writes(association, intervention, office, role):
    row = esf(intervention, office)
    someone = user_with_role(association, role)
    with pytest.raises(PermissionDenied):
        esf(intervention, someone, year=2020)
    with pytest.raises(PermissionDenied):
        services.co_financing_update(co_financing=row, data={"amount": D("1")}, by=someone)
    with pytest.raises(PermissionDenied):
        services.co_financing_delete(co_financing=row, by=someone)
    assert CoFinancing.objects.get().amount == D("250000")


def test_update_records_before_and_after(intervention, office):
    row = esf(intervention, office)
    services.co_financing_update(
        co_financing=row, data={"amount": D("300000"), "note": " Ändrat "}, by=office
    )
    row.refresh_from_db()
    assert (row.amount, row.note) == (D("300000"), "Ändrat")
    event = AuditEvent.objects.get(event=Event.CO_FINANCING_UPDATED)
    assert (event.before["amount"], event.after["amount"]) == ("250000.00", "300000.00")


def test_a_refused_update_changes_nothing(intervention, office):
    row = esf(intervention, office)
    other = esf(intervention, office, funder="Köpings kommun")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.co_financing_update(
            co_financing=other, data={"funder": "ESF", "amount": D("1")}, by=office
        )
    assert "funder" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.co_financing_update(co_financing=row, data={"year": 2024}, by=office)
    other.refresh_from_db()
    row.refresh_from_db()
    assert (other.funder, other.amount, row.year) == ("Köpings kommun", D("250000"), 2021)
    assert AuditEvent.objects.count() == events
    # Keeping its own funder and year is not a clash with itself.
    services.co_financing_update(co_financing=row, data={"funder": "ESF"}, by=office)


def test_delete_records_what_was_removed(intervention, office):
    row = esf(intervention, office)
    services.co_financing_delete(co_financing=row, by=office)
    assert not CoFinancing.objects.exists()
    event = AuditEvent.objects.get(event=Event.CO_FINANCING_DELETED)
    assert event.before["funder"] == "ESF"


def test_financing_years_add_co_financing_to_the_grant(intervention, office):
    esf(intervention, office)
    esf(intervention, office, funder="Region Västmanland – folkhälsomedel", amount=D("50000.50"))
    years = {y.year: y for y in services.financing_years(intervention)}
    assert years[2020].co_financing == 0
    assert years[2020].total_financing == D("400000")
    assert years[2021].co_financing == D("300000.50")
    assert years[2021].total_financing == D("900000.50")
    assert years[2021].remaining == D("600000")  # the grant's money, co-financing not paid out


def test_a_year_with_only_co_financing_gets_its_own_row(association, office):
    intervention = f.intervention(
        association,
        fields={"period_start": dt.date(2021, 1, 1), "period_end": dt.date(2022, 12, 31)},
    )
    esf(intervention, office, year=2022, amount=D("75000"))
    years = services.financing_years(intervention)
    assert [(y.year, y.granted, y.co_financing, y.total_financing) for y in years] == [
        (2021, D("600000"), 0, D("600000")),
        (2022, 0, D("75000"), D("75000")),
    ]


# --- the money panel ----------------------------------------------------------------------------


def _money_panel(intervention, office, year: int):
    [panel] = [
        p
        for p in summary.panels(
            user=office,
            intervention=intervention,
            year=year,
            grant_years=services.financing_years(intervention),
            reports=[],
            today=dt.date(year, 6, 1),
        )
        if p.key == "money"
    ]
    return {fig.label: plain(fig.value) for fig in panel.figures}


def test_the_money_panel_shows_co_financing_only_when_there_is_some(intervention, office):
    esf(intervention, office)
    with_co = _money_panel(intervention, office, 2021)
    assert with_co["Medfinansiering"] == "250 000 kr"
    assert with_co["Beviljat"] == "600 000 kr"
    assert "Medfinansiering" not in _money_panel(intervention, office, 2020)


# --- the pages ----------------------------------------------------------------------------------


def _years_table(client, association, intervention) -> list[list[str]]:
    response = client.get(url("intervention_detail", association, intervention.pk))
    assert response.status_code == 200
    table = lxml.html.fromstring(response.content.decode()).get_element_by_id("grant-years")
    return [
        [plain(" ".join(c.text_content().split())) for c in tr.xpath("./th|./td")]
        for tr in table.xpath(".//tr")
    ]


def test_office_adds_changes_and_removes_co_financing(client, association, intervention, office):
    client.force_login(office)
    page = client.get(url("co_financing", association, intervention.pk))
    assert page.status_code == 200
    assert "Lägg till medfinansiering" in page.content.decode()
    response = client.post(
        url("co_financing_create", association, intervention.pk),
        co_financing_post(funder="Region Västmanland – folkhälsomedel", amount="120 000,50"),
    )
    assert response.status_code == 302
    assert response.url == url("co_financing", association, intervention.pk)
    row = CoFinancing.objects.get()
    assert (row.funder, row.amount) == ("Region Västmanland – folkhälsomedel", D("120000.50"))
    listing = plain(client.get(response.url).content.decode())
    assert "Medfinansieringen har lagts till." in listing
    assert "120 001 kr" in listing  # shown in whole kronor; stored to the öre

    response = client.post(
        url("co_financing_edit", association, intervention.pk, row.pk),
        co_financing_post(funder=row.funder, amount="130 000"),
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.amount == D("130000")

    response = client.post(url("co_financing_delete", association, intervention.pk, row.pk))
    assert response.status_code == 302
    assert not CoFinancing.objects.exists()
    assert list(
        AuditEvent.objects.filter(event__startswith="co_financing.")
        .order_by("id")
        .values_list("event", flat=True)
    ) == [Event.CO_FINANCING_CREATED, Event.CO_FINANCING_UPDATED, Event.CO_FINANCING_DELETED]


def test_the_intervention_page_shows_grant_co_financing_and_total(
    client, association, intervention, office
):
    esf(intervention, office)
    client.force_login(office)
    rows = _years_table(client, association, intervention)
    assert rows[0][:4] == ["År", "Beviljat", "Medfinansiering", "Total finansiering"]
    assert rows[1][:4] == ["2020", "400 000 kr", "0 kr", "400 000 kr"]
    assert rows[2][:4] == ["2021", "600 000 kr", "250 000 kr", "850 000 kr"]
    assert rows[2][-1] == "600 000 kr"  # remaining is the grant's


@pytest.mark.parametrize("role", READERS, ids=[r.value for r in READERS])
def test_readers_see_the_figures_but_cannot_change_them(
    client, association, intervention, office, role
):
    row = esf(intervention, office)
    client.force_login(user_with_role(association, role))
    assert _years_table(client, association, intervention)[2][2] == "250 000 kr"
    page = client.get(url("co_financing", association, intervention.pk))
    assert page.status_code == 200
    body = plain(page.content.decode())
    assert "ESF" in body and "250 000 kr" in body
    assert "Lägg till medfinansiering" not in body
    assert url("co_financing_edit", association, intervention.pk, row.pk) not in body
    events = AuditEvent.objects.count()
    for response in (
        client.post(url("co_financing_create", association, intervention.pk), co_financing_post()),
        client.post(
            url("co_financing_edit", association, intervention.pk, row.pk),
            co_financing_post(amount="1"),
        ),
        client.post(url("co_financing_delete", association, intervention.pk, row.pk)),
    ):
        assert response.status_code == 403
    assert CoFinancing.objects.get().amount == D("250000")
    assert AuditEvent.objects.count() == events


def test_staff_read_only_their_own_interventions_co_financing(
    client, association, intervention, office
):
    esf(intervention, office)
    staff = user_with_role(association, Role.STAFF)
    client.force_login(staff)
    assert client.get(url("co_financing", association, intervention.pk)).status_code == 404
    intervention.staff.add(staff)
    page = client.get(url("co_financing", association, intervention.pk))
    assert page.status_code == 200
    assert "Lägg till medfinansiering" not in page.content.decode()


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_another_associations_users_get_404_and_nothing_changes(
    client, association, other_association, intervention, office, role
):
    row = esf(intervention, office, funder="Hemlig medfinansiär")
    client.force_login(user_with_role(other_association, role))
    events = AuditEvent.objects.count()
    for slug in (association.slug, other_association.slug):
        base = f"/f/{slug}/insatser/{intervention.pk}/medfinansiering/"
        for response in (
            client.get(base),
            client.post(base + "ny/", co_financing_post(year="2020")),
            client.post(f"{base}{row.pk}/", co_financing_post(amount="1")),
            client.post(f"{base}{row.pk}/ta-bort/"),
        ):
            # In their own association's URLs a role without funding.edit is refused before the
            # intervention is looked up; either way nothing of this association shows.
            allowed = {403, 404} if slug == other_association.slug else {404}
            assert response.status_code in allowed
            assert "Hemlig medfinansiär" not in response.content.decode()
    assert CoFinancing.objects.get().amount == D("250000")
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"amount": "abc"}, "amount", "Ange ett belopp i kronor"),
        ({"amount": "0"}, "amount", "Beloppet måste vara större än 0 kr."),
        ({"amount": "1 000,555"}, "amount", "Ange högst två decimaler"),
        ({"year": "2019"}, "year", "Året måste ligga inom insatsens period (2020 – 2021)"),
        ({"year": "tjugo"}, "year", "Fyll i ett heltal."),
        ({"funder": ""}, "funder", "Detta fält måste fyllas i."),
        ({"note": "Kontakt 19121212-1212"}, "note", "Personnummer"),
    ],
)
def test_bad_input_gives_400_with_the_error_in_swedish_at_the_field(
    client, association, intervention, office, data, field, message
):
    client.force_login(office)
    events = AuditEvent.objects.count()
    response = client.post(
        url("co_financing_create", association, intervention.pk), co_financing_post(**data)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in plain(field_errors(html, field))
    assert "Inget har sparats" in html
    assert not CoFinancing.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_duplicate_funder_is_refused_at_the_field_and_an_edit_keeps_what_was_typed(
    client, association, intervention, office
):
    esf(intervention, office)
    other = esf(intervention, office, funder="Köpings kommun")
    client.force_login(office)
    response = client.post(
        url("co_financing_create", association, intervention.pk), co_financing_post()
    )
    assert response.status_code == 400
    assert "ESF har redan medfinansiering för 2021" in field_errors(
        response.content.decode(), "funder"
    )
    response = client.post(
        url("co_financing_edit", association, intervention.pk, other.pk),
        co_financing_post(funder="esf", amount="99 000"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "ESF har redan medfinansiering för 2021" in field_errors(html, "funder")
    assert 'value="99 000"' in html
    other.refresh_from_db()
    assert (other.funder, other.amount) == ("Köpings kommun", D("250000"))


def test_the_funder_field_offers_the_associations_members(
    client, association, intervention, office
):
    client.force_login(office)
    doc = lxml.html.fromstring(
        client.get(url("co_financing", association, intervention.pk)).content.decode()
    )
    [funder] = doc.xpath('//input[@name="funder"]')
    options = doc.xpath(f'//datalist[@id="{funder.get("list")}"]/option/@value')
    assert set(options) == set(association.members.values_list("name", flat=True))
    assert "Köpings kommun" in options


def test_the_years_export_has_co_financing_and_total(client, association, intervention, office):
    esf(intervention, office)
    client.force_login(office)
    rows = sheet(client.get(url("intervention_years_xlsx", association, intervention.pk)))
    assert rows[0][2:5] == ("Beviljat (kr)", "Medfinansiering (kr)", "Total finansiering (kr)")
    assert rows[1:] == [
        ("Samkraft", 2020, 400000, 0, 400000, 0, 0, 0, 0, 400000),
        ("Samkraft", 2021, 600000, 250000, 850000, 0, 0, 0, 0, 600000),
    ]
