"""Beslutsmeddelande as PDF and DOCX: the facts of the decision, in Swedish, for those who may
read the decision."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from finsam.funding import letters
from finsam.funding.models import Decision
from finsam.funding.tests import factories as f
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role

NBSP = "\u00a0"


@pytest.fixture
def decision(association):
    association.director_name = "Eva Förbundschef"
    association.save()
    office = user_with_role(association, Role.OFFICE)
    application = f.assessed(association, office=office)
    from finsam.funding import services

    return services.decision_record(
        application=application,
        meeting=f.board_meeting(association),
        paragraph="§ 12",
        outcome=Decision.Outcome.APPROVED_WITH_CONDITIONS,
        amounts={2022: Decimal("600000"), 2023: Decimal("350000")},
        conditions="Styrgruppen ska vara tillsatt senast 2022-03-01.",
        by=office,
    )


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode().replace(NBSP, " ")


def test_the_pdf_states_paragraph_amounts_conditions_and_reporting(decision):
    text = pdf_text(letters.decision_letter_pdf(decision))
    for expected in [
        "Beslutsmeddelande",
        "Samordningsförbundet Västra Testdalen",
        "§ 12",
        "26 mars 2021",
        "Köpings kommun",
        "STEGSAM – steg för steg genom att samverka",
        "Beviljad med villkor",
        "600 000 kr",
        "350 000 kr",
        "950 000 kr",
        "Styrgruppen ska vara tillsatt senast 2022-03-01.",
        "Delårsrapport per 2022-06-30",
        "lämnas senast 2022-07-30",
        "Årsrapport per 2023-12-31",
        "Eva Förbundschef",
        "Förbundschef",
    ]:
        assert expected in text, expected


def test_the_pdf_uses_dejavu_sans_everywhere(decision):
    content = letters.decision_letter_pdf(decision)
    fonts = subprocess.run(["pdffonts", "-"], input=content, capture_output=True)
    if fonts.returncode == 0:
        names = [line.split()[0] for line in fonts.stdout.decode().splitlines()[2:]]
        assert names and all("DejaVu-Sans" in n for n in names), names


def test_the_docx_paragraphs_hold_the_same_facts(decision):
    doc = Document(BytesIO(letters.decision_letter_docx(decision)))
    text = "\n".join(p.text for p in doc.paragraphs).replace(NBSP, " ")
    for expected in [
        "Beslutsmeddelande",
        "Styrelsens sammanträde 26 mars 2021, § 12",
        "Sökande: Köpings kommun",
        "Beslut: Beviljad med villkor",
        "2022: 600 000 kr",
        "2023: 350 000 kr",
        "Totalt: 950 000 kr",
        "Styrgruppen ska vara tillsatt senast 2022-03-01.",
        "Delårsrapport per 2022-06-30: lämnas senast 2022-07-30",
        "Muntlig föredragning för styrelsen minst en gång per år.",
        "Eva Förbundschef",
    ]:
        assert expected in text, expected


def test_a_yearly_report_only_decision_lists_no_interim_report(association):
    from finsam.funding import services

    office = user_with_role(association, Role.OFFICE)
    services.funding_settings_update(
        association=association,
        data={"annual_report_only": True, "oral_presentations_per_year": 0},
        by=office,
    )
    decision = f.approved(association, office=office)
    doc = Document(BytesIO(letters.decision_letter_docx(decision)))
    paragraphs = [p.text.replace(NBSP, " ") for p in doc.paragraphs]
    assert "Årsrapport per 2022-12-31: lämnas senast 2023-01-30" in paragraphs
    assert "Årsrapport per 2023-12-31: lämnas senast 2024-01-30" in paragraphs
    assert not any("Delårsrapport" in p or "Muntlig" in p for p in paragraphs)


def test_a_rejection_letter_has_no_amounts_or_reporting(association):
    office = user_with_role(association, Role.OFFICE)
    from finsam.funding import services

    decision = services.decision_record(
        application=f.assessed(association, office=office),
        meeting=f.board_meeting(association),
        paragraph="13",
        outcome=Decision.Outcome.REJECTED,
        motivation="Insatsen ryms inte i årets budget.",
        by=office,
    )
    paragraphs = letters.decision_letter_context(decision).paragraphs()
    assert "Beslut: Avslagen" in paragraphs
    assert "Motivering: Insatsen ryms inte i årets budget." in paragraphs
    assert not any(p.startswith(("Totalt", "Delårsrapport")) for p in paragraphs)


@pytest.mark.parametrize(
    ("name", "content_type", "magic"),
    [
        ("decision_letter_pdf", "application/pdf", b"%PDF-"),
        ("decision_letter_docx", letters.DOCX_TYPE, b"PK"),
    ],
)
def test_downloads_from_the_application_page(
    client, association, decision, name, content_type, magic
):
    client.force_login(user_with_role(association, Role.BOARD))
    page = client.get(
        reverse("funding:application_detail", args=[association.slug, decision.application_id])
    ).content.decode()
    link = reverse(f"funding:{name}", args=[association.slug, decision.pk])
    assert link in page
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "beslutsmeddelande-2021-03-26-12." in response["Content-Disposition"]
    assert response.content.startswith(magic)


def test_staff_of_another_intervention_do_not_get_the_letter(client, association, decision):
    client.force_login(user_with_role(association, Role.STAFF))
    response = client.get(
        reverse("funding:decision_letter_pdf", args=[association.slug, decision.pk])
    )
    assert response.status_code == 404
