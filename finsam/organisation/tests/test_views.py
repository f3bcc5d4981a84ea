"""Request tests for the organisation pages: what the office, economist and board see and do.

Permissions per role are in test_permission_matrix.py; here each page's content, its bad input,
its htmx path, its exports, its audit trail and its query count.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import lxml.html
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finsam.core.actors import SYSTEM
from finsam.core.money import to_decimal
from finsam.organisation import services
from finsam.organisation.models import (
    AgendaItem,
    AnnualCycleItem,
    AuditEvent,
    BoardSeat,
    ContributionYear,
    Meeting,
    Member,
    MemberKind,
    Membership,
    Role,
)
from finsam.organisation.tests.factories import (
    BoardSeatFactory,
    CycleItemFactory,
    MeetingFactory,
    MemberFactory,
    UserFactory,
    with_second_factor,
)

NBSP = "\u00a0"


def kr(text: str) -> str:
    """'375 000 kr' as the app shows it: no-break spaces between groups and before 'kr'."""
    return text.replace(" ", NBSP)


def url(name: str, association, *args) -> str:
    return reverse(f"organisation:{name}", args=[association.slug, *args])


def field_errors(html: str, field_name: str) -> str:
    """The error text shown in the same field block as the input named `field_name`."""
    doc = lxml.html.fromstring(html)
    inputs = doc.xpath(f'//*[@name="{field_name}"]')
    assert inputs, f"no input named {field_name!r} on the page"
    block = inputs[0].getparent()
    while block is not None and block.tag not in ("div", "fieldset", "form"):
        block = block.getparent()
    assert block is not None
    return " ".join(e.text_content() for e in block.find_class("errorlist"))


def members_by_name(association) -> dict[str, Member]:
    return {m.name: m for m in association.members.all()}


def set_year(association, year: int, total: str, by=SYSTEM, **kwargs) -> ContributionYear:
    members = list(association.members.all())
    proposal = services.contributions_propose(members=members, total=Decimal(total))
    return services.contributions_set(
        association=association,
        year=year,
        amounts={p.member.pk: p.amount for p in proposal},
        by=by,
        **kwargs,
    )


def last_event(association) -> AuditEvent:
    return AuditEvent.objects.filter(association=association).order_by("-id").first()


# The statutory split of 750 000 kr in the conftest association (keys FK 1, AF 0, region 1,
# Köping 50, Arboga 30, Kungsör 20).
SPLIT_750K = {
    "Försäkringskassan": "375000",
    "Arbetsförmedlingen": "0",
    "Region Testland": "187500",
    "Köpings kommun": "93750",
    "Arboga kommun": "56250",
    "Kungsörs kommun": "37500",
}


def contribution_post(association, amounts: dict[str, str], **extra) -> dict[str, str]:
    members = members_by_name(association)
    data = {f"member_{members[name].pk}": value for name, value in amounts.items()}
    return {"action": "save", "note": "", **extra, **data}


# --- choosing and switching association -------------------------------------------------------


def test_pick_redirects_when_user_has_exactly_one_association(client, login_as, association):
    login_as(Role.BOARD)
    response = client.get(reverse("organisation:pick"))
    assert response.status_code == 302
    assert response.url == reverse("dashboard:home", args=[association.slug])


def test_pick_lists_every_association_of_the_user(client, login_as, association, other_association):
    user = login_as(Role.BOARD)
    Membership.objects.create(user=user, association=other_association, role=Role.STAFF)
    with_second_factor(user)  # the staff role requires one
    response = client.get(reverse("organisation:pick"))
    assert response.status_code == 200
    body = response.content.decode()
    assert association.name in body
    assert other_association.name in body
    assert reverse("dashboard:home", args=[other_association.slug]) in body


def test_pick_explains_when_user_has_no_association(client, association):
    client.force_login(UserFactory())
    response = client.get(reverse("organisation:pick"))
    assert response.status_code == 200
    assert "Du har ännu ingen behörighet i något förbund" in response.content.decode()
    assert association.name not in response.content.decode()


def test_switch_goes_to_own_association(client, login_as, association, other_association):
    user = login_as(Role.OFFICE)
    Membership.objects.create(user=user, association=other_association, role=Role.BOARD)
    response = client.get(reverse("organisation:switch"), {"slug": other_association.slug})
    assert response.status_code == 302
    assert response.url == reverse("dashboard:home", args=[other_association.slug])
    # With two associations the header offers the switch.
    body = client.get(reverse("dashboard:home", args=[association.slug])).content.decode()
    assert 'id="switch-association"' in body
    assert other_association.name in body


@pytest.mark.parametrize("slug", ["annat", "finns-inte", ""])
def test_switch_to_foreign_or_unknown_association_is_404(
    client, login_as, association, other_association, slug
):
    login_as(Role.OFFICE)
    response = client.get(reverse("organisation:switch"), {"slug": slug})
    assert response.status_code == 404
    assert other_association.name not in response.content.decode()


# --- home and the association itself ---------------------------------------------------------


def test_home_shows_next_meeting_and_vacant_seats(client, login_as, association):
    login_as(Role.BOARD)
    future = dt.date.today() + dt.timedelta(days=20)
    MeetingFactory(association=association, date=future, place="Stadshuset Köping")
    BoardSeatFactory(
        association=association,
        holder_name="",
        mandate_start=dt.date.today() - dt.timedelta(days=10),
        mandate_end=dt.date.today() + dt.timedelta(days=1000),
        member=association.members.get(name="Arboga kommun"),
    )
    body = client.get(reverse("dashboard:home", args=[association.slug])).content.decode()
    assert "Stadshuset Köping" in body
    assert "1 vakant plats" in body


def test_home_hides_contributions_from_staff(client, login_as, association):
    set_year(association, dt.date.today().year, "750000")
    login_as(Role.STAFF)
    body = client.get(reverse("dashboard:home", args=[association.slug])).content.decode()
    assert kr("750 000 kr") not in body
    assert url("contributions", association) not in body


def test_detail_lists_members(client, login_as, association):
    login_as(Role.MEMBER_ORG)
    body = client.get(url("detail", association)).content.decode()
    assert "Köpings kommun, Arboga kommun, Kungsörs kommun" in body
    assert url("edit", association) not in body  # member organisations cannot edit


def test_edit_association_saves_and_audits(client, login_as, association):
    user = login_as(Role.OFFICE)
    data = {"name": association.name, "vision": "Alla i arbete.", "director_title": "chef"}
    response = client.post(url("edit", association), data)
    assert response.status_code == 302
    assert response.url == url("detail", association)
    association.refresh_from_db()
    assert association.vision == "Alla i arbete."
    assert "Alla i arbete." in client.get(response.url).content.decode()
    event = last_event(association)
    assert event.event == "association.updated"
    assert event.actor == user
    assert event.before["vision"] == "Människor i utanförskap till hälsa och arbete."
    assert event.after["vision"] == "Alla i arbete."


def test_edit_association_bad_org_number_is_not_saved(client, login_as, association):
    login_as(Role.OFFICE)
    data = {"name": "Nytt namn", "org_number": "12345"}
    response = client.post(url("edit", association), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ange organisationsnumret som tio siffror" in field_errors(html, "org_number")
    assert "Inget har sparats" in html
    association.refresh_from_db()
    assert association.name == "Samordningsförbundet Västra Testdalen"
    assert not AuditEvent.objects.filter(event="association.updated").exists()


# --- members ---------------------------------------------------------------------------------


def test_members_page_groups_members_by_side_with_statutory_share(client, login_as, association):
    login_as(Role.STAFF)
    body = client.get(url("members", association)).content.decode()
    doc = lxml.html.fromstring(body)
    groups = [
        " ".join(t.strip() for t in tbody.itertext() if t.strip())
        for tbody in doc.xpath("//table/tbody")
    ]
    assert groups[0].startswith("Staten (Försäkringskassan och Arbetsförmedlingen) 50 %")
    assert "Försäkringskassan" in groups[0] and "Arbetsförmedlingen" in groups[0]
    assert groups[1].startswith("Regionen 25 %")
    assert groups[2].startswith("Kommunerna 25 %")
    assert "Köpings kommun 50 12,5\u00a0%" in groups[2]  # the key as typed, the share of the total
    assert url("member_create", association) not in body  # staff cannot add members


def test_member_create_saves_and_audits(client, login_as, association):
    user = login_as(Role.OFFICE)
    data = {"name": "Kungsörs kommun II", "kind": "municipality", "key": "5", "sort_order": "20"}
    response = client.post(url("member_create", association), data)
    assert response.status_code == 302
    assert "Kungsörs kommun II" in client.get(response.url).content.decode()
    event = last_event(association)
    assert (event.event, event.actor, event.before) == ("member.created", user, None)
    assert event.after["name"] == "Kungsörs kommun II"
    assert event.after["key"] == "5.0000"


def test_member_with_existing_name_is_not_saved(client, login_as, association):
    login_as(Role.OFFICE)
    count = Member.objects.count()
    data = {"name": "köpings kommun", "kind": "municipality", "key": "1", "sort_order": "0"}
    response = client.post(url("member_create", association), data)
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "name")
    assert "Förbundet har redan en medlem med det namnet." in errors
    assert Member.objects.count() == count
    assert not AuditEvent.objects.filter(event="member.created").exists()


def test_renaming_member_to_existing_name_is_not_saved(client, login_as, association):
    login_as(Role.OFFICE)
    arboga = association.members.get(name="Arboga kommun")
    data = {"name": "Köpings kommun", "kind": "municipality", "key": "30", "sort_order": "11"}
    response = client.post(url("member_edit", association, arboga.pk), data)
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "name")
    assert "Förbundet har redan en medlem med det namnet." in errors
    arboga.refresh_from_db()
    assert arboga.name == "Arboga kommun"
    assert not AuditEvent.objects.exists()


def test_member_name_may_repeat_in_another_association(
    client, login_as, association, other_association
):
    """The name check is per association: Annat's office may have its own 'Köpings kommun'."""
    login_as(Role.OFFICE, in_association=other_association)
    data = {"name": "Köpings kommun", "kind": "municipality", "key": "1", "sort_order": "0"}
    response = client.post(url("member_create", other_association), data)
    assert response.status_code == 302
    assert other_association.members.filter(name="Köpings kommun").exists()


def test_member_edit_records_before_and_after(client, login_as, association):
    user = login_as(Role.OFFICE)
    arboga = association.members.get(name="Arboga kommun")
    data = {"name": "Arboga kommun", "kind": "municipality", "key": "35", "sort_order": "11"}
    response = client.post(url("member_edit", association, arboga.pk), data)
    assert response.status_code == 302
    arboga.refresh_from_db()
    assert arboga.key == Decimal("35")
    event = last_event(association)
    assert (event.event, event.actor) == ("member.updated", user)
    assert Decimal(event.before["key"]) == 30
    assert Decimal(event.after["key"]) == 35


def test_member_with_contributions_cannot_be_deleted(client, login_as, association):
    set_year(association, 2024, "750000")
    login_as(Role.OFFICE)
    arboga = association.members.get(name="Arboga kommun")
    response = client.post(url("member_delete", association, arboga.pk), follow=True)
    assert response.status_code == 200
    assert "Arboga kommun har medlemsbidrag eller styrelseplatser" in response.content.decode()
    assert Member.objects.filter(pk=arboga.pk).exists()
    assert not AuditEvent.objects.filter(event="member.deleted").exists()


def test_member_delete_removes_and_audits(client, login_as, association):
    user = login_as(Role.OFFICE)
    member = MemberFactory(association=association, name="Gamla kommunen")
    response = client.post(url("member_delete", association, member.pk), follow=True)
    assert "Medlemmen är borttagen." in response.content.decode()
    assert "Gamla kommunen" not in response.content.decode().split("</ul>", 1)[-1]
    assert not Member.objects.filter(pk=member.pk).exists()
    event = last_event(association)
    assert (event.event, event.actor, event.after) == ("member.deleted", user, None)
    assert event.before["name"] == "Gamla kommunen"


# --- contributions ---------------------------------------------------------------------------


def test_contributions_table_shows_amounts_in_swedish_format(client, login_as, association):
    set_year(association, 2023, "740000")
    set_year(association, 2024, "750000", is_estimate=True, note="Preliminärt")
    login_as(Role.ECONOMIST)
    body = client.get(url("contributions", association)).content.decode()
    doc = lxml.html.fromstring(body)
    rows = {
        " ".join(tr.xpath("th")[0].text_content().split()): [
            td.text_content() for td in tr.xpath("td")
        ]
        for tr in doc.xpath("//table/tbody/tr | //table/tfoot/tr")
    }
    assert rows["Försäkringskassan"] == [kr("370 000 kr"), kr("375 000 kr")]
    assert rows["Köpings kommun"] == [kr("92 500 kr"), kr("93 750 kr")]
    assert rows["Summa Staten (Försäkringskassan och Arbetsförmedlingen) (50 %)"] == [
        kr("370 000 kr"),
        kr("375 000 kr"),
    ]
    assert rows["Summa Kommunerna (25 %)"] == [kr("185 000 kr"), kr("187 500 kr")]
    assert rows["Totalt"] == [kr("740 000 kr"), kr("750 000 kr")]
    assert "uppskattning" in body
    assert "2024: Preliminärt" in body


def test_contributions_page_is_read_only_for_board(client, login_as, association):
    set_year(association, 2024, "750000")
    login_as(Role.BOARD)
    body = client.get(url("contributions", association)).content.decode()
    assert kr("375 000 kr") in body
    assert url("contribution_create", association) not in body
    assert url("contribution_edit", association, 2024) not in body
    assert "Skriv fram planår" not in body


def test_new_contribution_year_form_offers_next_year_and_every_member(
    client, login_as, association
):
    login_as(Role.ECONOMIST)
    html = client.get(url("contribution_create", association)).content.decode()
    assert "Medlemsbidrag för ett nytt år" in html
    doc = lxml.html.fromstring(html)
    assert doc.get_element_by_id("id_year").get("value") == str(dt.date.today().year + 1)
    for member in association.members.all():
        assert doc.get_element_by_id(f"id_member_{member.pk}").get("value") is None
        assert member.name in html


def test_contribution_year_is_saved_and_audited(client, login_as, association):
    user = login_as(Role.ECONOMIST)
    data = contribution_post(association, SPLIT_750K, year="2025", total="750 000 kr")
    response = client.post(url("contribution_create", association), data)
    assert response.status_code == 302
    assert response.url == url("contributions", association)
    cy = ContributionYear.objects.get(association=association, year=2025)
    assert cy.total == Decimal("750000")
    amounts = {c.member.name: c.amount for c in cy.contributions.all()}
    assert amounts["Köpings kommun"] == Decimal("93750")
    assert kr("93 750 kr") in client.get(response.url).content.decode()
    event = last_event(association)
    assert (event.event, event.actor, event.before) == ("contributions.set", user, None)
    assert Decimal(event.after["total"]) == 750000
    assert Decimal(event.after["Köpings kommun"]) == 93750


def test_contribution_year_edit_shows_stored_amounts_and_audits_change(
    client, login_as, association
):
    set_year(association, 2024, "750000")
    user = login_as(Role.OFFICE)
    edit_url = url("contribution_edit", association, 2024)
    html = client.get(edit_url).content.decode()
    fk = members_by_name(association)["Försäkringskassan"]
    value = lxml.html.fromstring(html).get_element_by_id(f"id_member_{fk.pk}").get("value")
    assert to_decimal(value) == 375000

    doubled = {name: str(int(v) * 2) for name, v in SPLIT_750K.items()}
    response = client.post(edit_url, contribution_post(association, doubled, year="2024"))
    assert response.status_code == 302
    event = last_event(association)
    assert (event.event, event.actor) == ("contributions.set", user)
    assert Decimal(event.before["total"]) == 750000
    assert Decimal(event.after["total"]) == 1500000
    assert Decimal(event.before["Försäkringskassan"]) == 375000
    assert Decimal(event.after["Försäkringskassan"]) == 750000


def test_contribution_year_saved_unchanged_from_its_edit_page(client, login_as, association):
    """Open a stored year and press Spara: the amounts as shown are read back exactly."""
    set_year(association, 2024, "2592001", note="Beslut i november")
    login_as(Role.OFFICE)
    edit_url = url("contribution_edit", association, 2024)
    form = lxml.html.fromstring(client.get(edit_url).content.decode()).get_element_by_id(
        "contribution-form"
    )
    data = {k: v for k, v in form.form_values() if k != "action"}
    data["action"] = "save"
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()
    cy = ContributionYear.objects.get(year=2024)
    assert cy.total == Decimal("2592001")
    assert cy.note == "Beslut i november"
    event = last_event(association)
    assert event.before == event.after  # nothing changed, and the log says so


def test_contributions_breaking_the_split_are_refused_next_to_the_member(
    client, login_as, association
):
    login_as(Role.ECONOMIST)
    wrong = {**SPLIT_750K, "Köpings kommun": "94750", "Arboga kommun": "55250"}
    response = client.post(
        url("contribution_create", association),
        contribution_post(association, wrong, year="2025"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Medlemsbidragen är inte sparade" in html
    members = members_by_name(association)
    koping = field_errors(html, f"member_{members['Köpings kommun'].pk}")
    assert "Köpings kommun ska enligt fördelningen betala" in koping
    assert kr("93 750 kr") in koping
    assert f"{kr('1 000 kr')} för mycket" in koping
    arboga = field_errors(html, f"member_{members['Arboga kommun'].pk}")
    assert f"{kr('1 000 kr')} för lite" in arboga
    # The members who were right have no error.
    assert field_errors(html, f"member_{members['Försäkringskassan'].pk}") == ""
    assert not ContributionYear.objects.filter(year=2025).exists()
    assert not AuditEvent.objects.exists()


def test_contribution_total_that_does_not_match_amounts_is_refused(client, login_as, association):
    login_as(Role.ECONOMIST)
    data = contribution_post(association, SPLIT_750K, year="2025", total="760 000")
    response = client.post(url("contribution_create", association), data)
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "total")
    assert (
        f"Totalen {kr('760 000 kr')} stämmer inte med summan av medlemmarnas belopp "
        f"{kr('750 000 kr')}"
    ) in errors
    assert not ContributionYear.objects.exists()


def test_non_numeric_amount_is_refused_with_swedish_message(client, login_as, association):
    set_year(association, 2024, "750000")
    login_as(Role.ECONOMIST)
    tusen = {**SPLIT_750K, "Region Testland": "tusen"}
    response = client.post(
        url("contribution_edit", association, 2024),
        contribution_post(association, tusen, year="2024"),
    )
    assert response.status_code == 400
    region = members_by_name(association)["Region Testland"]
    errors = field_errors(response.content.decode(), f"member_{region.pk}")
    assert "Ange ett belopp i kronor, till exempel 1 500 000" in errors
    cy = ContributionYear.objects.get(year=2024)
    assert cy.contributions.get(member=region).amount == Decimal("187500")
    assert AuditEvent.objects.filter(event="contributions.set").count() == 1  # only the setup


def test_negative_amount_is_refused(client, login_as, association):
    login_as(Role.ECONOMIST)
    negative = {**SPLIT_750K, "Arbetsförmedlingen": "-5"}
    response = client.post(
        url("contribution_create", association),
        contribution_post(association, negative, year="2025"),
    )
    assert response.status_code == 400
    af = members_by_name(association)["Arbetsförmedlingen"]
    assert "Beloppet kan inte vara negativt." in field_errors(
        response.content.decode(), f"member_{af.pk}"
    )
    assert not ContributionYear.objects.exists()


def test_htmx_propose_returns_only_the_form_with_amounts_filled(client, login_as, association):
    login_as(Role.ECONOMIST)
    response = client.post(
        url("contribution_create", association),
        {"year": "2025", "total": "750 000", "action": "propose"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<form method="post" id="contribution-form"')
    assert "<html" not in html and "<nav" not in html and "<h1" not in html
    doc = lxml.html.fromstring(html)
    members = members_by_name(association)
    for name, expected in SPLIT_750K.items():
        value = doc.get_element_by_id(f"id_member_{members[name].pk}").get("value")
        assert to_decimal(value) == Decimal(expected), name
    assert "beloppen nedan är ifyllda men inte sparade" in html
    assert "errorlist" not in html
    assert not ContributionYear.objects.exists()
    assert not AuditEvent.objects.exists()


def test_propose_reports_who_got_the_rounding_krona(client, login_as, association):
    login_as(Role.ECONOMIST)
    response = client.post(
        url("contribution_create", association),
        {"year": "2025", "total": "1 000 001", "action": "propose"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<nav" in html  # without htmx: the whole page
    assert (
        f"Försäkringskassan: exakt {kr('500 000,50')} kr, avrundat uppåt till {kr('500 001 kr')}"
    ) in html
    fk = members_by_name(association)["Försäkringskassan"]
    value = lxml.html.fromstring(html).get_element_by_id(f"id_member_{fk.pk}").get("value")
    assert to_decimal(value) == 500001
    assert not ContributionYear.objects.exists()


@pytest.mark.parametrize(
    ("total", "message"),
    [
        ("tusen", "Ange ett belopp i kronor"),
        ("", "Ange totalen i hela kronor, större än 0"),
        ("1000,50", "Ange totalen i hela kronor, större än 0"),
    ],
)
def test_htmx_propose_with_bad_total_shows_error_in_fragment(
    client, login_as, association, total, message
):
    login_as(Role.ECONOMIST)
    response = client.post(
        url("contribution_create", association),
        {"year": "2025", "total": total, "action": "propose"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<nav" not in html
    assert message in field_errors(html, "total")
    assert not ContributionYear.objects.exists()


def test_contributions_xlsx_holds_numbers_with_swedish_headings(client, login_as, association):
    set_year(association, 2023, "740000")
    set_year(association, 2024, "750000", is_estimate=True)
    login_as(Role.AUDITOR)
    response = client.get(url("contributions", association), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "medlemsbidrag-vastra-testdalen.xlsx" in response["Content-Disposition"]
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.title == "Medlemsbidrag"
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ["Medlem", "Grupp", "2023", "2024 (uppskattning)"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Försäkringskassan"][1] == "Staten (Försäkringskassan och Arbetsförmedlingen)"
    assert by_name["Försäkringskassan"][2:] == [370000, 375000]
    assert by_name["Köpings kommun"][2:] == [92500, 93750]
    assert by_name["Summa Kommunerna"][2:] == [185000, 187500]
    assert by_name["Totalt"][2:] == [740000, 750000]
    for row in ws.iter_rows(min_row=2, min_col=3):
        for cell in row:
            assert isinstance(cell.value, int | float | Decimal), (cell.coordinate, cell.value)
            assert "kr" in cell.number_format


def test_projection_writes_estimate_years_following_the_state_allocation(
    client, login_as, association
):
    set_year(association, 2024, "2592000")
    user = login_as(Role.ECONOMIST)
    response = client.post(
        url("contribution_project", association),
        {"base_year": "2024", "annual_decline": "5 333", "years": "2"},
    )
    assert response.status_code == 302
    expected = services.state_allocation_projection(
        base_state_amount=Decimal("1296000"),
        annual_decline=Decimal("5333"),
        base_year=2024,
        years=[2025, 2026],
    )
    assert expected == {2025: Decimal("2586668"), 2026: Decimal("2581334")}
    for year, total in expected.items():
        cy = ContributionYear.objects.get(association=association, year=year)
        assert cy.total == total
        assert cy.is_estimate
        assert sum(c.amount for c in cy.contributions.all()) == total
        state = sum(
            c.amount
            for c in cy.contributions.select_related("member")
            if c.member.kind == MemberKind.STATE_AGENCY
        )
        assert state == total / 2
    page = client.get(response.url).content.decode()
    assert "Planåren 2025, 2026 är framskrivna som uppskattningar." in page
    assert kr("2 586 668 kr") in page
    assert kr("2 581 334 kr") in page
    events = AuditEvent.objects.filter(event="contributions.set", actor=user)
    assert events.count() == 2
    assert all(e.before is None and e.after["is_estimate"] is True for e in events)


def test_projection_does_not_overwrite_a_decided_year(client, login_as, association):
    """Projecting from 2023 must not replace the decided 2024 with an estimate."""
    set_year(association, 2023, "2592000")
    set_year(association, 2024, "2600000", note="Beslutat av styrelsen")
    login_as(Role.ECONOMIST)
    response = client.post(
        url("contribution_project", association),
        {"base_year": "2023", "annual_decline": "5 333", "years": "2"},
    )
    assert response.status_code in (302, 400)
    decided = ContributionYear.objects.get(association=association, year=2024)
    assert decided.total == Decimal("2600000")
    assert not decided.is_estimate
    assert decided.note == "Beslutat av styrelsen"
    assert (
        AuditEvent.objects.filter(event="contributions.set", target_id=str(decided.pk)).count() == 1
    )


def test_new_year_form_does_not_overwrite_an_existing_year(client, login_as, association):
    """'Lägg in ett år' with a year that is already stored is refused, not a silent overwrite."""
    set_year(association, 2023, "2592000", note="Beslutat av styrelsen")
    login_as(Role.ECONOMIST)
    response = client.post(
        url("contribution_create", association),
        contribution_post(association, SPLIT_750K, year="2023"),
    )
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "year")
    stored = ContributionYear.objects.get(association=association, year=2023)
    assert stored.total == Decimal("2592000")
    assert stored.note == "Beslutat av styrelsen"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"base_year": "2020", "annual_decline": "5 333", "years": "2"},
            "base_year",
            "Det finns inga medlemsbidrag för det året att utgå från.",
        ),
        (
            {"base_year": "2024", "annual_decline": "tusen", "years": "2"},
            "annual_decline",
            "Ange ett belopp i kronor",
        ),
    ],
)
def test_projection_with_bad_input_writes_nothing(
    client, login_as, association, data, field, message
):
    set_year(association, 2024, "2592000")
    login_as(Role.ECONOMIST)
    response = client.post(url("contribution_project", association), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in field_errors(html, field)
    assert kr("2 592 000 kr") in html  # the table is still shown
    assert list(ContributionYear.objects.values_list("year", flat=True)) == [2024]
    assert AuditEvent.objects.count() == 1  # only the setup


# --- board -----------------------------------------------------------------------------------


@pytest.fixture
def seat(association):
    return BoardSeatFactory(
        association=association,
        member=association.members.get(name="Köpings kommun"),
        holder_name="Anna Andersson",
        mandate_start=dt.date(2019, 4, 1),
        mandate_end=dt.date(2023, 3, 31),
    )


def _seat_status(html: str, holder: str) -> str:
    doc = lxml.html.fromstring(html)
    rows = [tr for tr in doc.xpath("//table/tbody/tr") if holder in tr.text_content()]
    assert len(rows) == 1
    return rows[0].xpath("td")[4].text_content().strip()


def test_board_shows_seat_filled_inside_mandate(client, login_as, association, seat):
    login_as(Role.BOARD)
    response = client.get(url("board", association), {"datum": "2021-01-01"})
    html = response.content.decode()
    assert _seat_status(html, "Anna Andersson") == "tillsatt"
    assert 'value="2021-01-01"' in html


def test_board_shows_seat_vacant_after_mandate(client, login_as, association, seat):
    login_as(Role.BOARD)
    response = client.get(url("board", association), {"datum": "2024-01-01"})
    assert _seat_status(response.content.decode(), "Anna Andersson") == "vakant"


def test_board_with_nonsense_date_falls_back_to_today(client, login_as, association, seat):
    login_as(Role.BOARD)
    response = client.get(url("board", association), {"datum": "igår"})
    assert response.status_code == 200
    assert f'value="{dt.date.today():%Y-%m-%d}"' in response.content.decode()


def _seat_data(association, **overrides) -> dict[str, str]:
    data = {
        "member": str(association.members.get(name="Region Testland").pk),
        "kind": "regular",
        "holder_name": "Bertil Berg",
        "position": "",
        "mandate_start": "2023-04-01",
        "mandate_end": "2027-03-31",
    }
    return {**data, **overrides}


def test_board_seat_create_saves_and_audits(client, login_as, association):
    user = login_as(Role.OFFICE)
    response = client.post(url("board_seat_create", association), _seat_data(association))
    assert response.status_code == 302
    page = client.get(url("board", association), {"datum": "2024-01-01"}).content.decode()
    assert _seat_status(page, "Bertil Berg") == "tillsatt"
    event = last_event(association)
    assert (event.event, event.actor, event.before) == ("board_seat.created", user, None)
    assert event.after["holder_name"] == "Bertil Berg"
    assert event.after["mandate_end"] == "2027-03-31"


def test_board_seat_ending_before_it_starts_is_not_saved(client, login_as, association):
    login_as(Role.OFFICE)
    data = _seat_data(association, mandate_start="2027-04-01", mandate_end="2023-03-31")
    response = client.post(url("board_seat_create", association), data)
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "mandate_end")
    assert "Mandatperioden kan inte sluta innan den börjar." in errors
    assert not BoardSeat.objects.exists()
    assert not AuditEvent.objects.exists()


def test_board_seat_from_another_associations_member_is_refused(
    client, login_as, association, other_association
):
    login_as(Role.OFFICE)
    foreign = other_association.members.get(name="Annanstads kommun")
    data = _seat_data(association, member=str(foreign.pk))
    response = client.post(url("board_seat_create", association), data)
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "member")
    assert "Annanstads kommun" not in response.content.decode()
    assert not BoardSeat.objects.exists()


def test_second_chair_in_same_mandate_is_refused(client, login_as, association, seat):
    seat.position = BoardSeat.Position.CHAIR
    seat.save()
    login_as(Role.OFFICE)
    data = _seat_data(association, position="chair", mandate_start="2020-01-01")
    response = client.post(url("board_seat_create", association), data)
    assert response.status_code == 400
    assert "Anna Andersson är redan ordförande under samma mandatperiod." in field_errors(
        response.content.decode(), "position"
    )
    assert BoardSeat.objects.count() == 1


def test_board_seat_edit_and_delete_are_audited(client, login_as, association, seat):
    user = login_as(Role.OFFICE)
    data = _seat_data(
        association,
        member=str(seat.member_id),
        holder_name="Cecilia Ceder",
        mandate_start="2019-04-01",
        mandate_end="2023-03-31",
    )
    response = client.post(url("board_seat_edit", association, seat.pk), data)
    assert response.status_code == 302
    event = last_event(association)
    assert (event.event, event.actor) == ("board_seat.updated", user)
    assert (event.before["holder_name"], event.after["holder_name"]) == (
        "Anna Andersson",
        "Cecilia Ceder",
    )

    response = client.post(url("board_seat_delete", association, seat.pk), follow=True)
    assert "Styrelseplatsen är borttagen." in response.content.decode()
    assert not BoardSeat.objects.exists()
    event = last_event(association)
    assert (event.event, event.after) == ("board_seat.deleted", None)
    assert event.before["holder_name"] == "Cecilia Ceder"


# --- meetings, the printable plan, .ics and the annual cycle -----------------------------------


@pytest.fixture
def meetings_2021(association):
    winter = MeetingFactory(
        association=association,
        date=dt.date(2021, 3, 26),
        start_time=dt.time(9, 0),
        end_time=dt.time(12, 0),
        place="AME Folkets park Kramfors",
    )
    summer = MeetingFactory(
        association=association,
        date=dt.date(2021, 6, 10),
        start_time=dt.time(13, 0),
        end_time=dt.time(15, 30),
        # Long, with multi-byte letters and characters that must be escaped, to force folding.
        place="Kommunhusets stora sammanträdesrum, våning 3; ingång från Storgatan, "
        "Köping – ta hissen till höger efter receptionen",
        notes="Ta med årsredovisningen.\nFika från 12.30.",
    )
    allday = MeetingFactory(
        association=association,
        kind=Meeting.Kind.PLANNING,
        date=dt.date(2021, 10, 15),
        start_time=None,
        end_time=None,
        place="Arboga",
    )
    AgendaItem.objects.create(meeting=winter, title="Årsredovisning 2020")
    MeetingFactory(association=association, date=dt.date(2022, 2, 1), place="Nästa års möte")
    return winter, summer, allday


def test_meetings_page_lists_the_years_meetings_with_cycle_items(
    client, login_as, association, meetings_2021
):
    CycleItemFactory(association=association, title="Budget 2022", month=11)
    login_as(Role.STAFF)
    html = client.get(url("meetings", association), {"ar": "2021"}).content.decode()
    assert "Mötesplan 2021" in html
    assert "09:00–12:00" in html
    assert "AME Folkets park Kramfors" in html
    assert "Årsredovisning 2020" in html
    # The budget (deadline November) goes to the last board meeting before it: 10 June.
    doc = lxml.html.fromstring(html)
    june = next(tr for tr in doc.xpath("//table/tbody/tr") if "2021-06-10" in tr.text_content())
    assert "Budget 2022" in june.text_content()
    assert "Nästa års möte" not in html
    assert url("meeting_create", association) not in html  # staff cannot plan meetings


def test_meeting_create_saves_and_audits(client, login_as, association):
    user = login_as(Role.OFFICE)
    data = {
        "kind": "board",
        "date": "2025-02-14",
        "start_time": "09:00",
        "end_time": "11:30",
        "place": "Kungsörs bibliotek",
        "notes": "",
    }
    response = client.post(url("meeting_create", association), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get(association=association, date=dt.date(2025, 2, 14))
    assert response.url == url("meeting_detail", association, meeting.pk)
    assert "Kungsörs bibliotek" in client.get(response.url).content.decode()
    event = last_event(association)
    assert (event.event, event.actor, event.before) == ("meeting.created", user, None)
    assert event.after["start_time"] == "09:00:00"


def test_meeting_ending_before_it_starts_is_not_saved(client, login_as, association):
    login_as(Role.OFFICE)
    data = {"kind": "board", "date": "2025-02-14", "start_time": "13:00", "end_time": "10:00"}
    response = client.post(url("meeting_create", association), data)
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "end_time")
    assert "Sluttiden måste vara efter starttiden." in errors
    assert not Meeting.objects.exists()
    assert not AuditEvent.objects.exists()


def test_meeting_edit_and_delete_are_audited(client, login_as, association, meetings_2021):
    winter = meetings_2021[0]
    user = login_as(Role.OFFICE)
    data = {
        "kind": "board",
        "date": "2021-03-26",
        "start_time": "10:00",
        "end_time": "12:00",
        "place": "Digitalt",
    }
    response = client.post(url("meeting_edit", association, winter.pk), data)
    assert response.status_code == 302
    event = last_event(association)
    assert (event.event, event.actor) == ("meeting.updated", user)
    assert (event.before["place"], event.after["place"]) == (
        "AME Folkets park Kramfors",
        "Digitalt",
    )
    assert (event.before["start_time"], event.after["start_time"]) == ("09:00:00", "10:00:00")

    response = client.post(url("meeting_delete", association, winter.pk), follow=True)
    assert "Sammanträdet är borttaget." in response.content.decode()
    assert not Meeting.objects.filter(pk=winter.pk).exists()
    event = last_event(association)
    assert (event.event, event.before["place"], event.after) == (
        "meeting.deleted",
        "Digitalt",
        None,
    )


def test_agenda_items_are_added_and_removed_with_audit(
    client, login_as, association, meetings_2021
):
    winter = meetings_2021[0]
    cycle_item = CycleItemFactory(association=association, title="Delårsrapport", month=9)
    user = login_as(Role.OFFICE)
    response = client.post(
        url("agenda_item_create", association, winter.pk),
        {"title": "Beslut om insatser 2022", "cycle_item": str(cycle_item.pk)},
        follow=True,
    )
    html = response.content.decode()
    assert "Beslut om insatser 2022" in html
    assert "(årshjul: Delårsrapport)" in html
    item = AgendaItem.objects.get(title="Beslut om insatser 2022")
    event = last_event(association)
    assert (event.event, event.actor, event.before) == ("agenda_item.created", user, None)
    assert event.after["title"] == "Beslut om insatser 2022"

    response = client.post(url("agenda_item_delete", association, winter.pk, item.pk), follow=True)
    assert "Ärendet är borttaget." in response.content.decode()
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    event = last_event(association)
    assert (event.event, event.before["title"], event.after) == (
        "agenda_item.deleted",
        "Beslut om insatser 2022",
        None,
    )


def test_agenda_item_without_title_is_not_saved(client, login_as, association, meetings_2021):
    winter = meetings_2021[0]
    login_as(Role.OFFICE)
    response = client.post(url("agenda_item_create", association, winter.pk), {"title": ""})
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "title")  # Django's Swedish "required"
    assert "Detta fält måste fyllas i" in field_errors(response.content.decode(), "title")
    assert winter.agenda_items.count() == 1


def test_agenda_item_with_foreign_cycle_item_is_refused(
    client, login_as, association, other_association, meetings_2021
):
    winter = meetings_2021[0]
    foreign = CycleItemFactory(association=other_association, title="Annats budget")
    login_as(Role.OFFICE)
    response = client.post(
        url("agenda_item_create", association, winter.pk),
        {"title": "Smygärende", "cycle_item": str(foreign.pk)},
    )
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "cycle_item")
    assert "Annats budget" not in response.content.decode()
    assert not AgendaItem.objects.filter(title="Smygärende").exists()


def test_printable_meeting_plan_has_no_navigation(client, login_as, association, meetings_2021):
    login_as(Role.BOARD)
    response = client.get(url("meetings_print", association, 2021))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Mötesplan 2021 – {association.name}" in html
    assert "AME Folkets park Kramfors" in html
    assert "Årsredovisning 2020" in html
    assert "<nav" not in html
    assert "Huvudmeny" not in html
    assert "Logga ut" not in html
    assert url("meeting_detail", association, meetings_2021[0].pk) not in html
    assert "Nästa års möte" not in html


def _unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_ics_export_is_a_valid_calendar(client, login_as, association, meetings_2021):
    winter, summer, allday = meetings_2021
    login_as(Role.MEMBER_ORG)
    response = client.get(url("meetings_ics", association, 2021))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="sammantraden-vastra-testdalen-2021.ics"' in response["Content-Disposition"]
    raw = response.content
    # RFC 5545: CRLF line endings, no bare LF, no line longer than 75 octets.
    assert raw.endswith(b"\r\n")
    physical = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert all(len(line) <= 75 for line in physical), max(physical, key=len)
    assert any(line.startswith(b" ") for line in physical)  # the long LOCATION was folded

    lines = _unfold(raw.decode("utf-8"))
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 3  # 2021 only, not the 2022 meeting
    assert lines.count("END:VEVENT") == 3
    # Stockholm is UTC+1 in March and UTC+2 in June.
    assert "DTSTART:20210326T080000Z" in lines
    assert "DTEND:20210326T110000Z" in lines
    assert "DTSTART:20210610T110000Z" in lines
    assert "DTEND:20210610T133000Z" in lines
    assert "DTSTART;VALUE=DATE:20211015" in lines
    assert "DTEND;VALUE=DATE:20211016" in lines
    assert (
        "LOCATION:Kommunhusets stora sammanträdesrum\\, våning 3\\; ingång från Storgatan\\, "
        "Köping – ta hissen till höger efter receptionen"
    ) in lines
    assert f"SUMMARY:Styrelsesammanträde – {association.name}" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:Ta med"))
    assert description == "DESCRIPTION:Ta med årsredovisningen.\\nFika från 12.30."
    assert "DESCRIPTION:• Årsredovisning 2020" in lines
    assert f"UID:meeting-{winter.pk}@vastra-testdalen.finsam" in lines
    assert "Nästa års möte" not in raw.decode("utf-8")


def test_ics_meeting_without_end_time_lasts_three_hours(client, login_as, association):
    """With no end time the event lasts three hours, also when that runs past midnight."""
    MeetingFactory(
        association=association, date=dt.date(2021, 5, 5), start_time=dt.time(13, 0), end_time=None
    )
    MeetingFactory(
        association=association, date=dt.date(2021, 5, 6), start_time=dt.time(22, 0), end_time=None
    )
    login_as(Role.BOARD)
    lines = _unfold(client.get(url("meetings_ics", association, 2021)).content.decode())
    starts = [line for line in lines if line.startswith("DTSTART")]
    ends = [line for line in lines if line.startswith("DTEND")]
    # Stockholm is UTC+2 in May.
    assert starts == ["DTSTART:20210505T110000Z", "DTSTART:20210506T200000Z"]
    assert ends == ["DTEND:20210505T140000Z", "DTEND:20210506T230000Z"]
    assert all(end[6:] > start[8:] for start, end in zip(starts, ends, strict=True))


def test_cycle_items_are_created_edited_and_deleted_with_audit(client, login_as, association):
    user = login_as(Role.OFFICE)
    data = {"kind": "budget", "title": "Budget nästa år", "month": "11", "description": ""}
    response = client.post(url("cycle_item_create", association), data, follow=True)
    html = response.content.decode()
    assert "Punkten är tillagd i årshjulet." in html
    assert "Budget nästa år" in html and "november" in html
    item = AnnualCycleItem.objects.get(title="Budget nästa år")
    event = last_event(association)
    assert (event.event, event.actor, event.before) == ("cycle_item.created", user, None)

    response = client.post(
        url("cycle_item_edit", association, item.pk), {**data, "month": "10"}, follow=True
    )
    assert "oktober" in response.content.decode()
    event = last_event(association)
    assert (event.event, event.before["month"], event.after["month"]) == (
        "cycle_item.updated",
        11,
        10,
    )

    response = client.post(url("cycle_item_delete", association, item.pk), follow=True)
    assert "Årshjulet är tomt." in response.content.decode()
    event = last_event(association)
    assert (event.event, event.before["title"], event.after) == (
        "cycle_item.deleted",
        "Budget nästa år",
        None,
    )


def test_cycle_item_without_month_is_not_saved(client, login_as, association):
    login_as(Role.OFFICE)
    data = {"kind": "budget", "title": "Budget", "month": "", "description": ""}
    response = client.post(url("cycle_item_create", association), data)
    assert response.status_code == 400
    assert "Detta fält måste fyllas i" in field_errors(response.content.decode(), "month")
    assert not AnnualCycleItem.objects.exists()


# --- query counts: pinned so that N+1 cannot creep in ---------------------------------------

# Measured with the base data below (scale 1) and pinned at exactly that; the same pin holds at
# scale 3, which proves the count does not grow with members, years, seats or meetings.
# Each includes the one query that asks whether the user must have a second factor
# (finsam.organisation.second_factor).
MAX_QUERIES = {
    "contributions": 10,
    "members": 8,
    "meetings": 11,
    "board": 8,
}


def _grow(association, scale: int) -> None:
    """More members, contribution years, seats, meetings and agenda items, times `scale`."""
    for i in range(4 * scale):
        MemberFactory(association=association, name=f"Extra kommun {i}", key=Decimal(1))
    for i in range(3 * scale):
        set_year(association, 2010 + i, str(1_000_000 + 1_000 * i))
    members = list(association.members.all())
    for i in range(4 * scale):
        BoardSeatFactory(
            association=association,
            member=members[i % len(members)],
            kind=BoardSeat.Kind.REGULAR if i % 2 else BoardSeat.Kind.DEPUTY,
        )
    for i in range(4 * scale):
        cycle = CycleItemFactory(association=association, title=f"Punkt {i}", month=1 + i % 12)
        meeting = MeetingFactory(association=association, date=dt.date(2021, 1 + i % 12, 1 + i))
        AgendaItem.objects.create(meeting=meeting, title=f"Ärende {i}", cycle_item=cycle)
        AgendaItem.objects.create(meeting=meeting, title=f"Ärende {i}b")


@pytest.mark.parametrize("scale", [1, 3])
@pytest.mark.parametrize("page_name", sorted(MAX_QUERIES))
def test_list_page_query_count_does_not_grow_with_rows(
    client, login_as, association, django_assert_max_num_queries, page_name, scale
):
    _grow(association, scale)
    login_as(Role.OFFICE)
    params = {"ar": "2021"} if page_name == "meetings" else {}
    with django_assert_max_num_queries(MAX_QUERIES[page_name]):
        response = client.get(url(page_name, association), params)
    assert response.status_code == 200
    html = response.content.decode()
    # The rows really are on the page, so the pin covers rendering them.
    expected_rows = {
        "contributions": f"Extra kommun {4 * scale - 1}",
        "members": f"Extra kommun {4 * scale - 1}",
        "meetings": f"Ärende {4 * scale - 1}b",
        "board": "Ledamot",
    }[page_name]
    assert expected_rows in html
