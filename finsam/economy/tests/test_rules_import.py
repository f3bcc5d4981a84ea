"""The rules come back in from the very file their export writes; a wrong file changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from finsam.demo.economy import load_economy_demo
from finsam.economy.models import FinancialRule
from finsam.organisation.models import AuditEvent, Role

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def kramfors(association):
    association.slug = "kramfors"
    association.save()
    load_economy_demo(association)
    return association


def upload(data: bytes, name: str = "regler.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HEAD = ["Regel", "Värde", "I förhållande till", "Ändamål", "Gäller från", "Gäller till", "Källa"]


def test_the_exported_file_imports_into_another_association_and_again_changes_nothing(
    client, kramfors, other_association
):
    client.force_login(_user(kramfors, Role.OFFICE))
    exported = client.get("/f/kramfors/budget/regler/?format=xlsx").content
    assert load_workbook(io.BytesIO(exported)).active["A1"].value == "Regel"
    client.force_login(_user(other_association, Role.OFFICE))
    response = client.post("/f/annat/budget/regler/importera/", {"file": upload(exported)})
    assert response.status_code == 302
    copied = FinancialRule.objects.filter(association=other_association)
    assert sorted((r.kind, r.value, r.basis) for r in copied) == sorted(
        (r.kind, r.value, r.basis) for r in kramfors.financial_rules.all()
    )
    created = AuditEvent.objects.filter(event="financial_rule.created")
    assert created.filter(association=other_association).count() == 3
    page = client.post(
        "/f/annat/budget/regler/importera/", {"file": upload(exported)}, follow=True
    ).content.decode()
    assert "0 nya regler; 3 rader fanns redan." in page
    assert copied.count() == 3


def test_a_result_floor_and_an_equity_ceiling_of_costs_import_from_typed_rows(client, kramfors):
    client.force_login(_user(kramfors, Role.ECONOMIST))
    data = workbook(
        [
            HEAD,
            ["Årets resultat minst (kronor)", 500000, "", "", "2024-01-01", None, "VP 2024"],
            ["Eget kapital högst", "20", "budgeterade kostnader", "", dt.date(2024, 1, 1)],
        ]
    )
    response = client.post("/f/kramfors/budget/regler/importera/", {"file": upload(data)})
    assert response.status_code == 302
    floor = kramfors.financial_rules.get(kind="result_floor")
    assert (floor.value, floor.is_share, floor.source) == (Decimal(500000), False, "VP 2024")
    ceiling = kramfors.financial_rules.get(kind="equity_ceiling", basis="costs")
    assert ceiling.value == 20 and ceiling.tolerance == 2


def test_a_file_with_wrong_rows_is_refused_whole_with_every_row_named(client, kramfors):
    client.force_login(_user(kramfors, Role.OFFICE))
    before = (kramfors.financial_rules.count(), AuditEvent.objects.count())
    data = workbook(
        [
            HEAD,
            ["Årets resultat minst (kronor)", 500000, "", "", "2024-01-01"],
            ["Påhittad regel", 5, "", "", "2024-01-01"],
            ["Eget kapital högst", "tjugo", "medlemsbidragen", "", "första januari"],
            ["Årets resultat högst (kronor)", 10, "budgeterade kostnader", "", "2024-01-01"],
        ]
    )
    response = client.post("/f/kramfors/budget/regler/importera/", {"file": upload(data)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Reglerna har inte importerats. Ingenting har sparats." in body
    assert "Rad 3: okänt värde ”Påhittad regel” i kolumnen ”Regel”." in body
    assert "Rad 4" in body and "första januari" in body and "tjugo" in body
    assert (kramfors.financial_rules.count(), AuditEvent.objects.count()) == before


def test_a_rule_the_service_refuses_names_its_row_and_nothing_is_saved(client, kramfors):
    client.force_login(_user(kramfors, Role.OFFICE))
    before = kramfors.financial_rules.count()
    data = workbook(
        [
            HEAD,
            ["Årets resultat minst (kronor)", 500000, "", "", "2024-01-01"],
            ["Årets resultat högst (kronor)", 10, "budgeterade kostnader", "", "2024-01-01"],
        ]
    )
    response = client.post("/f/kramfors/budget/regler/importera/", {"file": upload(data)})
    assert response.status_code == 400
    assert "Rad 3: Regeln är ingen andel" in response.content.decode()
    assert kramfors.financial_rules.count() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("regler.csv", b"Regel;Varde", "Filen måste vara en Excel-fil"),
        ("regler.xlsx", b"not a zip", "Excel"),
        ("regler.xlsx", None, "kolumnen/kolumnerna"),
    ],
)
def test_files_that_are_not_the_rules_layout_are_refused(client, kramfors, name, data, message):
    client.force_login(_user(kramfors, Role.OFFICE))
    data = data if data is not None else workbook([["Något", "annat"], ["x", 1]])
    response = client.post("/f/kramfors/budget/regler/importera/", {"file": upload(data, name)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert kramfors.financial_rules.count() == 3


def test_the_rule_form_refuses_a_share_for_a_result_rule_and_keeps_what_was_typed(client, kramfors):
    client.force_login(_user(kramfors, Role.OFFICE))
    response = client.post(
        "/f/kramfors/budget/regler/ny/",
        {
            "kind": "result_floor",
            "value": "12",
            "basis": "costs",
            "tolerance": "2",
            "valid_from": "2024-01-01",
            "source": "Skrivet av ekonomen",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Regeln är ingen andel" in body and "Skrivet av ekonomen" in body
    assert kramfors.financial_rules.count() == 3


def _user(association, role):
    from finsam.organisation.tests.factories import user_with_role

    return user_with_role(association, role)
