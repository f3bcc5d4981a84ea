"""The audit log page /f/<slug>/logg/: who may read it, its filters and its Excel export."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finsam.core.actors import SYSTEM
from finsam.organisation import services
from finsam.organisation.access import REFUSALS
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import BoardSeatFactory, UserFactory, user_with_role

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def log_url(association) -> str:
    return reverse("oversight:audit", args=[association.slug])


def rows(html: str) -> list[str]:
    """The text of each row in the log table, whitespace collapsed."""
    doc = lxml.html.fromstring(html)
    return [
        " ".join(t.strip() for t in tr.itertext() if t.strip())
        for tr in doc.xpath("//table/tbody/tr")
    ]


def field_errors(html: str, field_name: str) -> str:
    doc = lxml.html.fromstring(html)
    block = doc.xpath(f'//*[@name="{field_name}"]')[0].getparent()
    return " ".join(e.text_content() for e in block.find_class("errorlist"))


def change(text: str, field: str) -> tuple[Decimal, Decimal]:
    """The before and after of a numeric field in a shown change list, as numbers."""
    match = re.search(rf"{field} ?: (\S+) → (\S+)", text)
    assert match, f"no change of {field} in {text!r}"
    return Decimal(match[1]), Decimal(match[2])


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=STOCKHOLM)


@pytest.fixture
def history(association, other_association):
    """Changes by two people on different days, plus a change in another association."""
    anna = UserFactory(username="anna.kansli", first_name="Anna", last_name="Andersson")
    bo = UserFactory(username="bo.ekonom", first_name="Bo", last_name="Berg")
    services.member_create(
        association=association, by=anna, name="Hallstahammars kommun", kind="municipality", key=5
    )
    services.member_create(
        association=association, by=bo, name="Surahammars kommun", kind="municipality", key=3
    )
    sura = association.members.get(name="Surahammars kommun")
    services.member_update(member=sura, data={"key": Decimal("4")}, by=anna)
    events = list(AuditEvent.objects.filter(association=association).order_by("id"))
    # Put them on different days: 10 January, 10 February and 10 March 2024.
    for event, month in zip(events, [1, 2, 3], strict=True):
        AuditEvent.objects.filter(pk=event.pk).update(created_at=at(dt.date(2024, month, 10)))

    mallory = UserFactory(username="mallory.annat")
    services.member_create(
        association=other_association,
        by=mallory,
        name="Hemliga kommunen i Annat",
        kind="municipality",
        key=1,
    )
    return {"anna": anna, "bo": bo, "mallory": mallory}


@pytest.mark.parametrize("role", [Role.OFFICE, Role.AUDITOR])
def test_office_and_auditor_can_read_the_log(client, login_as, association, history, role):
    login_as(role)
    response = client.get(log_url(association))
    assert response.status_code == 200
    shown = rows(response.content.decode())
    assert len(shown) == 3
    # Newest first, with who, what and the value before and after.
    assert shown[0].startswith("2024-03-10 12:00 Anna Andersson Medlem ändrad Medlem: Surahammars")
    assert change(shown[0], "Fördelningsnyckel") == (Decimal(3), Decimal(4))
    assert "Bo Berg Medlem tillagd Medlem: Surahammars kommun" in shown[1]
    assert "Namn : – → Surahammars kommun" in shown[1]
    assert "Anna Andersson Medlem tillagd Medlem: Hallstahammars kommun" in shown[2]


@pytest.mark.parametrize("role", [Role.BOARD, Role.MEMBER_ORG, Role.STAFF, Role.ECONOMIST])
def test_other_roles_are_refused_with_reason(client, login_as, association, history, role):
    login_as(role)
    for params in ({}, {"format": "xlsx"}):
        response = client.get(log_url(association), params)
        assert response.status_code == 403
        body = response.content.decode()
        assert str(REFUSALS["audit.view"]) in body
        assert "Hallstahammars kommun" not in body
        assert "anna.kansli" not in body


def test_log_link_is_in_the_menu_only_for_those_who_may_read_it(client, login_as, association):
    login_as(Role.BOARD)
    home = reverse("dashboard:home", args=[association.slug])
    assert log_url(association) not in client.get(home).content.decode()
    login_as(Role.AUDITOR)
    assert log_url(association) in client.get(home).content.decode()


def test_other_associations_events_never_appear(
    client, login_as, association, other_association, history
):
    login_as(Role.OFFICE)
    html = client.get(log_url(association)).content.decode()
    assert "Hemliga kommunen i Annat" not in html
    assert "mallory.annat" not in html  # not even in the user filter's choices
    # Not by filtering for them either.
    for params in ({"actor": "mallory.annat"}, {"text": "Hemliga"}):
        html = client.get(log_url(association), params).content.decode()
        assert "Hemliga kommunen i Annat" not in html
        assert rows(html) == ["Inga händelser matchar filtret."]
    xlsx = client.get(log_url(association), {"format": "xlsx"})
    ws = load_workbook(BytesIO(xlsx.content)).active
    values = [str(v) for row in ws.iter_rows(values_only=True) for v in row]
    assert not any("Hemliga" in v or "mallory" in v for v in values)


def test_user_filter_lists_only_this_associations_actors(client, login_as, association, history):
    login_as(Role.AUDITOR)
    html = client.get(log_url(association)).content.decode()
    doc = lxml.html.fromstring(html)
    options = [(o.get("value"), o.text) for o in doc.xpath('//select[@name="actor"]/option')]
    # Filtered by login, shown by name.
    assert options == [("", "Alla"), ("anna.kansli", "Anna Andersson"), ("bo.ekonom", "Bo Berg")]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"event": "member.created"}, ["Surahammars", "Hallstahammars"]),
        ({"event": "member.updated"}, ["Surahammars"]),
        ({"actor": "bo.ekonom"}, ["Surahammars"]),
        ({"actor": "anna.kansli"}, ["Surahammars", "Hallstahammars"]),
        ({"date_from": "2024-02-01"}, ["Surahammars", "Surahammars"]),
        ({"date_to": "2024-02-10"}, ["Surahammars", "Hallstahammars"]),
        ({"date_from": "2024-02-10", "date_to": "2024-02-10"}, ["Surahammars"]),
        ({"text": "hallsta"}, ["Hallstahammars"]),
        ({"text": "sura", "event": "member.updated", "actor": "anna.kansli"}, ["Surahammars"]),
        ({"date_from": "2025-01-01"}, []),
    ],
    ids=[
        "event-created",
        "event-updated",
        "actor-bo",
        "actor-anna",
        "from",
        "to",
        "one-day",
        "text",
        "combined",
        "nothing",
    ],
)
def test_filters_narrow_the_rows(client, login_as, association, history, params, expected):
    login_as(Role.OFFICE)
    response = client.get(log_url(association), params)
    assert response.status_code == 200
    shown = rows(response.content.decode())
    if not expected:
        assert shown == ["Inga händelser matchar filtret."]
        return
    assert len(shown) == len(expected)
    for row, name in zip(shown, expected, strict=True):
        assert f"Medlem: {name}" in row


def test_filters_are_kept_in_the_form(client, login_as, association, history):
    login_as(Role.OFFICE)
    html = client.get(
        log_url(association), {"actor": "bo.ekonom", "date_from": "2024-02-01", "text": "sura"}
    ).content.decode()
    doc = lxml.html.fromstring(html)
    assert doc.xpath('//select[@name="actor"]/option[@selected]')[0].get("value") == "bo.ekonom"
    assert doc.xpath('//input[@name="date_from"]')[0].get("value") == "2024-02-01"
    assert doc.xpath('//input[@name="text"]')[0].get("value") == "sura"
    # The Excel link exports what is shown.
    export = doc.xpath('//a[contains(@href, "format=xlsx")]')[0].get("href")
    assert "actor=bo.ekonom" in export and "text=sura" in export


def test_date_to_before_date_from_gives_swedish_field_error(client, login_as, association, history):
    login_as(Role.OFFICE)
    response = client.get(
        log_url(association), {"date_from": "2024-03-01", "date_to": "2024-02-01"}
    )
    html = response.content.decode()
    assert "Slutdatumet kan inte vara före startdatumet." in field_errors(html, "date_to")
    assert field_errors(html, "date_from") == ""


def test_invalid_date_gives_swedish_field_error(client, login_as, association, history):
    login_as(Role.OFFICE)
    html = client.get(log_url(association), {"date_from": "igår"}).content.decode()
    assert "Fyll i ett giltigt datum." in field_errors(html, "date_from")


def test_xlsx_export_has_swedish_headings_and_the_filtered_rows(
    client, login_as, association, history
):
    login_as(Role.AUDITOR)
    response = client.get(log_url(association), {"format": "xlsx", "actor": "anna.kansli"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "granskningslogg-vastra-testdalen.xlsx" in response["Content-Disposition"]
    ws = load_workbook(BytesIO(response.content)).active
    data = list(ws.iter_rows(values_only=True))
    assert data[0] == ("Tidpunkt", "Användare", "Händelse", "Objekttyp", "Objekt", "Ändringar")
    assert len(data) == 3  # heading + anna's two events
    newest = data[1]
    assert newest[0] == dt.datetime(2024, 3, 10, 12, 0)  # a real date, in Swedish time
    assert newest[1:5] == ("Anna Andersson", "Medlem ändrad", "Medlem", "Surahammars kommun")
    assert change(newest[5], "Fördelningsnyckel") == (Decimal(3), Decimal(4))
    assert data[2][2] == "Medlem tillagd"


def test_log_is_paginated_and_keeps_the_filter(client, login_as, association):
    user = login_as(Role.OFFICE)
    for i in range(55):
        services.cycle_item_create(
            association=association, by=user, kind="other", title=f"Punkt {i:02d}", month=1
        )
    first = client.get(log_url(association), {"event": "cycle_item.created"}).content.decode()
    assert len(rows(first)) == 50
    assert "Sida 1 av 2" in first
    doc = lxml.html.fromstring(first)
    next_href = doc.xpath('//a[contains(., "Nästa")]')[0].get("href")
    assert "event=cycle_item.created" in next_href and "page=2" in next_href
    second = client.get(log_url(association) + next_href).content.decode()
    assert len(rows(second)) == 5
    assert "Sida 2 av 2" in second


def test_change_of_association_details_is_in_its_log(client, login_as, association):
    """Editing the association itself must show up in the association's own audit log."""
    login_as(Role.OFFICE)
    response = client.post(
        reverse("organisation:edit", args=[association.slug]),
        {"name": association.name, "vision": "Alla i arbete."},
    )
    assert response.status_code == 302
    shown = rows(client.get(log_url(association)).content.decode())
    assert len(shown) == 1
    assert "Förbundets uppgifter ändrade" in shown[0]
    assert "Alla i arbete." in shown[0]


def test_log_shows_only_what_actually_changed(client, login_as, association):
    """Editing only a member's order must not list its unchanged key as changed."""
    login_as(Role.OFFICE)
    arboga = association.members.get(name="Arboga kommun")
    response = client.post(
        reverse("organisation:member_edit", args=[association.slug, arboga.pk]),
        {"name": "Arboga kommun", "kind": "municipality", "key": "30", "sort_order": "12"},
    )
    assert response.status_code == 302
    html = client.get(log_url(association)).content.decode()
    doc = lxml.html.fromstring(html)
    changes = [li.text_content() for li in doc.xpath("//table/tbody/tr[1]//li")]
    assert changes == ["Ordning: 11 → 12"]


def test_log_names_fields_by_their_labels_and_choices_by_their_names(client, login_as, association):
    """A reader of the log sees "Typ: Ordinarie ledamot → Ersättare", not "kind: regular → deputy"."""
    login_as(Role.AUDITOR)
    seat = BoardSeatFactory(association=association, holder_name="Siw Sachs", kind="regular")
    services.board_seat_update(
        seat=seat, data={"kind": "deputy", "holder_name": "Ulla Olofsson"}, by=SYSTEM
    )
    doc = lxml.html.fromstring(client.get(log_url(association)).content.decode())
    row = doc.xpath("//table/tbody/tr[1]")[0]
    assert "Styrelseplats" in row.text_content()
    changes = sorted(li.text_content() for li in row.xpath(".//li"))
    assert changes == ["Namn: Siw Sachs → Ulla Olofsson", "Typ: Ordinarie ledamot → Ersättare"]


def test_user_with_role_only_elsewhere_gets_404(client, association, other_association, history):
    client.force_login(user_with_role(other_association, Role.AUDITOR))
    response = client.get(log_url(association))
    assert response.status_code == 404
    assert "Hallstahammars" not in response.content.decode()
