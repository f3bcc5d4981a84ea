"""The contributions page's chart: each member's contribution in the last three years, beside
the table of every year; every figure of those years is in the chart as the table writes it."""

from __future__ import annotations

import lxml.html
import pytest

from finsam.organisation.models import Role
from finsam.organisation.tests.test_views import set_year, url

pytestmark = pytest.mark.django_db


def test_the_chart_holds_each_members_figure_of_the_last_three_years(client, login_as, association):
    for year, total in [(2021, "700000"), (2022, "720000"), (2023, "740000"), (2024, "750001")]:
        set_year(association, year, total)
    login_as(Role.BOARD)
    page = client.get(url("contributions", association)).content.decode()
    doc = lxml.html.fromstring(page)
    (svg,) = doc.xpath("//figure[@class='chart']/*[local-name()='svg']")
    drawn = " ".join(svg.itertext())
    table = doc.xpath("//table")[0]
    years = [th.text_content().split()[0] for th in table.xpath("./thead/tr/th")[1:]]
    assert years == ["2021", "2022", "2023", "2024"]
    checked = 0
    for tr in table.xpath("./tbody/tr[not(contains(@class,'subtotal'))]"):
        member = tr.xpath("./th")[0].text_content().strip()
        assert member in drawn
        cells = [td.text_content().strip() for td in tr.xpath("./td")]
        for year, shown in zip(years[-3:], cells[-3:], strict=True):
            if shown:
                assert f"{year} {shown}" in drawn or shown in drawn, (member, year, shown)
                checked += 1
    assert checked >= 3 * len(association.members.all()) - 3
    assert "2021" not in drawn  # the chart has the last three years; the table has them all


def test_no_chart_before_any_year_is_entered(client, login_as, association):
    login_as(Role.BOARD)
    page = client.get(url("contributions", association)).content.decode()
    assert "contributions-chart" not in page


def test_members_show_their_key_as_typed_and_their_share_of_the_total(
    client, login_as, association
):
    """The municipalities' keys 50, 30, 20 (not 50,0000) share the municipalities' 25 %."""
    login_as(Role.BOARD)
    page = client.get(url("members", association)).content.decode()
    doc = lxml.html.fromstring(page)
    rows = {
        tr.xpath("./td")[0].text_content(): [td.text_content() for td in tr.xpath("./td")[1:3]]
        for tr in doc.xpath("//table/tbody/tr[not(contains(@class,'subtotal'))]")
    }
    assert rows["Köpings kommun"] == ["50", "12,5\u00a0%"]
    assert rows["Arboga kommun"] == ["30", "7,5\u00a0%"]
    assert rows["Kungsörs kommun"] == ["20", "5\u00a0%"]
    assert "50,0000" not in page
