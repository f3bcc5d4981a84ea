"""The steering group edited as rows of one form: add several at once, change and remove in the
same save, and bad input in one row keeps every typed row and saves nothing.

Logged out, roles without the capability and other associations: test_permissions.py (the URL
is in its PK_OBJECT, so the matrix covers it)."""

from __future__ import annotations

import lxml.html
import pytest

from finsam.core.formsets import ADD_ROW
from finsam.funding.models import SteeringGroupMember
from finsam.funding.tests.test_steering_views import intervention, office, url  # noqa: F401
from finsam.organisation.models import AuditEvent


def page_rows(html: str) -> list[dict]:
    """The rows of the form as the person sees them: the value of each input."""
    doc = lxml.html.fromstring(html)
    rows = []
    for tr in doc.xpath("//table[contains(@class,'rows')]/tbody/tr"):
        values = {}
        for el in tr.xpath(".//input|.//select|.//textarea"):
            name = el.get("name", "").split("-")[-1]
            if el.tag == "textarea":
                values[name] = (el.text or "").strip("\n")
            elif el.tag == "select":
                chosen = el.xpath("./option[@selected]")
                values[name] = chosen[0].get("value") if chosen else ""
            else:
                values[name] = el.get("value") or ""
        rows.append(values)
    return rows


def post_data(html: str, rows: list[dict], **extra) -> dict:
    """The page's own form, filled in row by row (rows beyond the page's are new ones)."""
    doc = lxml.html.fromstring(html)
    form = doc.xpath("//form[.//input[@name='rows-TOTAL_FORMS']]")[0]
    data = {}
    for el in form.xpath(".//input[@name]"):
        if el.get("type") in ("checkbox", "submit") and el.get("checked") is None:
            continue
        data[el.get("name")] = el.get("value") or ""
    for el in form.xpath(".//select[@name]"):
        chosen = el.xpath("./option[@selected]")
        data[el.get("name")] = chosen[0].get("value") if chosen else ""
    for el in form.xpath(".//textarea[@name]"):
        data[el.get("name")] = (el.text or "").strip("\n")
    total = max(int(data["rows-TOTAL_FORMS"]), len(rows))
    data["rows-TOTAL_FORMS"] = str(total)
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{i}-{key}"] = value
    data.update(extra)
    return data


def group(intervention):  # noqa: F811
    return list(
        SteeringGroupMember.objects.filter(intervention=intervention)
        .order_by("sort_order", "pk")
        .values_list("name", "role")
    )


def test_the_form_shows_the_group_and_one_empty_row(client, association, intervention, office):  # noqa: F811
    client.force_login(office)
    response = client.get(url("steering_group_edit", association, intervention.pk))
    assert response.status_code == 200
    rows = page_rows(response.content.decode())
    assert [(r["name"], r["role"]) for r in rows] == [("Anna Andersson", "Ordförande"), ("", "")]
    html = response.content.decode()
    assert "Lägg till rad" in html and "Ta bort" in html


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["plain", "htmx"])
def test_add_row_keeps_what_was_typed_and_saves_nothing(
    client,
    association,
    intervention,  # noqa: F811
    office,  # noqa: F811
    headers,
):
    """Without JavaScript the button posts the form; with htmx it posts the same and swaps the
    form it gets back (hx-select="#rows-form")."""
    client.force_login(office)
    page = client.get(url("steering_group_edit", association, intervention.pk)).content.decode()
    assert 'hx-select="#rows-form"' in page and 'id="rows-form"' in page
    typed = [{}, {"name": "Bo Berg", "role": "Ledamot"}]
    response = client.post(
        url("steering_group_edit", association, intervention.pk),
        post_data(page, typed, **{ADD_ROW: "1"}),
        headers=headers,
    )
    assert response.status_code == 200
    rows = page_rows(response.content.decode())
    assert [(r["name"], r["role"]) for r in rows] == [
        ("Anna Andersson", "Ordförande"),
        ("Bo Berg", "Ledamot"),
        ("", ""),
    ]
    assert group(intervention) == [("Anna Andersson", "Ordförande")]


def test_two_rows_added_and_one_removed_in_one_save(client, association, intervention, office):  # noqa: F811
    client.force_login(office)
    member = association.members.order_by("name").first()
    edit = url("steering_group_edit", association, intervention.pk)
    page = client.get(edit).content.decode()
    page = client.post(edit, post_data(page, [], **{ADD_ROW: "1"})).content.decode()
    assert len(page_rows(page)) == 3
    before = AuditEvent.objects.count()
    response = client.post(
        edit,
        post_data(
            page,
            [
                {"DELETE": "on"},
                {"name": "Bo Berg", "member": str(member.pk), "role": "Ledamot"},
                {"name": "Cia Ceder", "role": "Sekreterare"},
            ],
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#styrgrupp")
    assert group(intervention) == [("Bo Berg", "Ledamot"), ("Cia Ceder", "Sekreterare")]
    assert SteeringGroupMember.objects.get(name="Bo Berg").member == member
    # Every row written is audited: one removal, two additions.
    events = list(AuditEvent.objects.order_by("id")[before:].values_list("event", flat=True))
    assert sorted(events) == [
        "steering_member.created",
        "steering_member.created",
        "steering_member.deleted",
    ]
    shown = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    assert "Bo Berg" in shown and "Cia Ceder" in shown and "Anna Andersson" not in shown


def test_a_changed_row_is_updated_and_an_unchanged_one_left_alone(
    client,
    association,
    intervention,  # noqa: F811
    office,  # noqa: F811
):
    client.force_login(office)
    edit = url("steering_group_edit", association, intervention.pk)
    page = client.get(edit).content.decode()
    client.post(edit, post_data(page, [{}, {"name": "Bo Berg", "role": "Ledamot"}]))
    page = client.get(edit).content.decode()
    before = AuditEvent.objects.count()
    response = client.post(edit, post_data(page, [{"role": "Ordförande, vice"}]))
    assert response.status_code == 302
    assert group(intervention) == [("Anna Andersson", "Ordförande, vice"), ("Bo Berg", "Ledamot")]
    assert list(AuditEvent.objects.order_by("id")[before:].values_list("event", flat=True)) == [
        "steering_member.updated"
    ]


@pytest.mark.parametrize(
    "bad_row",
    [
        {"name": "", "member": "", "role": ""},  # a stored row emptied
        {"name": "Anna Andersson", "member": "999999", "role": "Ordförande"},  # no such choice
    ],
)
def test_bad_input_in_one_row_keeps_every_row_and_saves_nothing(
    client,
    association,
    intervention,  # noqa: F811
    office,  # noqa: F811
    bad_row,
):
    client.force_login(office)
    edit = url("steering_group_edit", association, intervention.pk)
    page = client.get(edit).content.decode()
    page = client.post(edit, post_data(page, [], **{ADD_ROW: "1"})).content.decode()
    before = AuditEvent.objects.count()
    response = client.post(
        edit,
        post_data(
            page,
            [
                bad_row,
                {"name": "Bo Berg", "role": "Ledamot"},
                {"name": "Cia Ceder", "role": "Sekreterare"},
            ],
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Inget har sparats" in html
    assert "Ange namn, organisation eller roll." in html or "Välj ett giltigt" in html
    rows = page_rows(html)
    assert [(r["name"], r["role"]) for r in rows] == [
        (bad_row["name"], bad_row["role"]),
        ("Bo Berg", "Ledamot"),
        ("Cia Ceder", "Sekreterare"),
    ]
    assert group(intervention) == [("Anna Andersson", "Ordförande")]
    assert AuditEvent.objects.count() == before


def test_a_row_of_a_member_removed_meanwhile_saves_nothing(
    client,
    association,
    intervention,  # noqa: F811
    office,  # noqa: F811
):
    client.force_login(office)
    edit = url("steering_group_edit", association, intervention.pk)
    page = client.get(edit).content.decode()
    SteeringGroupMember.objects.filter(intervention=intervention).delete()
    response = client.post(
        edit, post_data(page, [{"role": "Ny roll"}, {"name": "Bo Berg", "role": "Ledamot"}])
    )
    assert response.status_code == 400
    assert "Ledamoten finns inte längre i styrgruppen" in response.content.decode()
    assert group(intervention) == []
