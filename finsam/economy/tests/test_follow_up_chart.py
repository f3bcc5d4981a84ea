"""The follow-up page's chart: budget, actual and forecast per section, drawn from the table's
own subtotal rows; every figure of those rows is in the chart, as the table shows it."""

from __future__ import annotations

import lxml.html
import pytest

from finsam.core.money import format_sek
from finsam.economy.follow_up import follow_up_table
from finsam.economy.tests.test_follow_up_table import kramfors, report_for  # noqa: F401
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_the_chart_holds_every_figure_of_the_sections_subtotals(kramfors, client):  # noqa: F811
    client.force_login(user_with_role(kramfors, Role.BOARD))
    page = client.get("/f/kramfors/budget/uppfoljning/", {"datum": "2021-06-30"}).content.decode()
    doc = lxml.html.fromstring(page)
    (svg,) = doc.xpath("//figure[@class='chart']/*[local-name()='svg']")
    drawn = " ".join(svg.itertext())
    subtotals = [t for t in follow_up_table(report_for(kramfors)) if t.kind == "subtotal"]
    assert len(subtotals) >= 3
    table_text = " ".join(doc.xpath("//table[@class='follow-up']")[0].itertext())
    for row in subtotals:
        assert row.label in drawn
        for figure in (row.budget, row.actual, row.forecast):
            shown = format_sek(figure)  # as the table writes it
            assert shown in table_text
            assert shown in drawn, (row.label, shown)
    # The chart comes before its table and says where its figures are.
    assert page.index("follow-up-chart") < page.index('class="follow-up"')


def test_no_chart_without_a_budget(client, association):
    client.force_login(user_with_role(association, Role.BOARD))
    page = client.get(f"/f/{association.slug}/budget/uppfoljning/").content.decode()
    assert "follow-up-chart" not in page
