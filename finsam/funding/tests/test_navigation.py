"""The main menu marks where the user is: reports, steering groups and payments belong to the
interventions; calls, criteria and assessments to the applications."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from finsam.organisation.models import Role

pytestmark = pytest.mark.django_db


def current_menu_item(html: str) -> list[str]:
    doc = lxml.html.fromstring(html)
    return [a.text_content().strip() for a in doc.xpath('//nav//a[@aria-current="page"]')]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("funding:interventions", "Insatser"),
        ("reporting:reports", "Insatser"),
        ("funding:requisitions", "Insatser"),
        ("funding:applications", "Ansökningar"),
        ("funding:calls", "Ansökningar"),
        ("funding:criteria", "Ansökningar"),
    ],
)
def test_the_menu_marks_the_section_of_the_page(client, login_as, association, name, expected):
    login_as(Role.OFFICE)
    response = client.get(reverse(name, args=[association.slug]))
    assert response.status_code == 200
    assert expected in current_menu_item(response.content.decode())
    other = "Ansökningar" if expected == "Insatser" else "Insatser"
    assert other not in current_menu_item(response.content.decode())
