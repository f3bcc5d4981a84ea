"""The application form's errors reach keyboard and screen-reader users: a focused summary that
links each problem to its field, and every field pointing (aria-describedby) at an error that
exists."""

from __future__ import annotations

import lxml.html
import pytest

from finsam.funding.models import Application
from finsam.funding.tests.test_views import application_post, url
from finsam.organisation.models import Membership, Role
from finsam.organisation.tests.factories import user_with_role


@pytest.fixture
def applicant(client, association):
    user = user_with_role(association, Role.MEMBER_ORG)
    Membership.objects.filter(user=user).update(
        member=association.members.get(name="Köpings kommun")
    )
    client.force_login(user)
    return user


def described(doc, element_id: str) -> str:
    [field] = doc.xpath(f'//*[@id="{element_id}"]')
    texts = []
    for target in field.get("aria-describedby", "").split():
        found = doc.xpath(f'//*[@id="{target}"]')
        assert found, f"#{element_id} is described by a missing #{target}"
        texts.append(found[0].text_content())
    return " ".join(texts)


def test_the_summary_links_each_error_to_its_field(client, association, applicant):
    response = client.post(
        url("application_create", association),
        application_post(
            association,
            share_individual="60",
            share_process_support="30",
            **{"budget-0-requested": "-5", "goals-0-text": ""},
        ),
    )
    assert response.status_code == 400
    doc = lxml.html.fromstring(response.content.decode())
    [summary] = doc.xpath('//*[@id="error-summary"]')
    assert summary.get("role") == "alert"
    assert summary.get("tabindex") == "-1"
    assert summary.get("autofocus") is not None
    links = {a.get("href"): " ".join(a.text_content().split()) for a in summary.iter("a")}
    assert links["#id_share_individual"].startswith("Typ av insats: Andelarna")
    assert links["#id_budget-0-requested"] == (
        "Budget per år, Sökt belopp (kr) (rad 1): Beloppet kan inte vara negativt."
    )
    assert "#id_goals-0-text" in links
    for href in links:
        assert doc.xpath(f'//*[@id="{href[1:]}"]'), f"the link {href} leads nowhere"
    # Each field names its errors (and the shares their help) through aria-describedby.
    assert "Beloppet kan inte vara negativt." in described(doc, "id_budget-0-requested")
    [requested] = doc.xpath('//*[@id="id_budget-0-requested"]')
    assert requested.get("aria-invalid") == "true"
    for name in ("share_individual", "share_process_support"):
        text = described(doc, f"id_{name}")
        assert "Tillsammans 100 %" in text
        assert "ska tillsammans vara 100 %" in text
        assert doc.get_element_by_id(f"id_{name}").get("aria-invalid") == "true"
    assert Application.objects.count() == 0


def test_submission_errors_are_in_the_summary_and_at_the_fields(client, association, applicant):
    response = client.post(
        url("application_create", association),
        application_post(association, purpose="", action="submit"),
    )
    assert response.status_code == 400
    doc = lxml.html.fromstring(response.content.decode())
    links = {
        a.get("href"): " ".join(a.text_content().split())
        for a in doc.get_element_by_id("error-summary").iter("a")
    }
    assert links == {"#id_purpose": "Syfte: Beskriv syftet."}
    assert "Beskriv syftet." in described(doc, "id_purpose")
    assert doc.get_element_by_id("id_purpose").get("aria-invalid") == "true"


def test_a_group_of_checkboxes_is_a_fieldset_with_a_legend_and_its_error(
    client, association, applicant
):
    data = application_post(association, action="submit")
    data.pop("applicants")
    response = client.post(url("application_create", association), data)
    assert response.status_code == 400
    doc = lxml.html.fromstring(response.content.decode())
    [group] = doc.xpath('//fieldset[@class="field"][.//input[@name="applicants"]]')
    assert group.xpath("./legend")[0].text_content().startswith("Sökande medlemsorganisationer")
    error_id = group.get("aria-describedby")
    assert (
        "Välj minst en sökande medlemsorganisation."
        in doc.get_element_by_id(error_id).text_content()
    )
    links = {a.get("href") for a in doc.get_element_by_id("error-summary").iter("a")}
    assert "#id_applicants_0" in links
    assert doc.xpath('//input[@id="id_applicants_0"]')


def test_a_valid_page_has_no_summary(client, association, applicant):
    page = client.get(url("application_create", association)).content.decode()
    assert 'id="error-summary"' not in page
    doc = lxml.html.fromstring(page)
    assert (
        described(doc, "id_share_individual")
        == doc.get_element_by_id("kind-shares-help").text_content()
    )
