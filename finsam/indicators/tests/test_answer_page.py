"""The public answer page: no login, one submit per link, Swedish messages, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from finsam.core.actors import SYSTEM
from finsam.indicators import services
from finsam.indicators.models import Answer, Response, ResponseLink
from finsam.indicators.tests import factories as f


@pytest.fixture
def link(association):
    campaign = f.campaign(association, group="participants_ongoing")
    (token,) = services.links_create(campaign=campaign, count=1, by=SYSTEM)
    items = list(campaign.questionnaire.items.all())
    return token, items, reverse("indicators:answer", args=[token])


def test_a_valid_link_opens_the_questionnaire_without_login(client, link):
    _token, items, url = link
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dina svar är anonyma" in body and "Skicka mina svar" in body
    assert items[0].text in body and 'type="radio"' in body and "<fieldset" in body


def test_one_submit_saves_the_answers_and_uses_the_link_up(client, link):
    _token, items, url = link
    response = client.post(url, {f"item_{items[0].pk}": "4", f"item_{items[1].pk}": "5"})
    assert response.status_code == 200
    assert "Tack för dina svar" in response.content.decode()
    assert sorted(Answer.objects.values_list("value", flat=True)) == [4, 5]
    assert ResponseLink.objects.get().used
    again = client.get(url)
    assert again.status_code == 410 and "redan använts" in again.content.decode()
    again = client.post(url, {f"item_{items[0].pk}": "1"})
    assert again.status_code == 410 and Response.objects.count() == 1


def test_an_unknown_link_says_so_in_swedish(client, db):
    for token in ("okand", "x" * 300, "%C3%A5%00"):
        response = client.get(reverse("indicators:answer", args=[token]))
        assert response.status_code == 404
        assert "Det finns ingen enkät med den här länken" in response.content.decode()
    response = client.post(reverse("indicators:answer", args=["okand"]), {"item_1": "3"})
    assert response.status_code == 404 and not Response.objects.exists()


@pytest.mark.parametrize(
    "value", ["6", "0", "tre", "3.5", "-1", "99999999999999999999", "\x00"], ids=repr
)
def test_bad_input_is_400_in_swedish_and_saves_nothing(client, link, value):
    _token, items, url = link
    response = client.post(url, {f"item_{items[0].pk}": value, f"item_{items[1].pk}": "3"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Välj ett värde från 1 till 5" in body and "Inget har sparats" in body
    assert not Response.objects.exists() and not ResponseLink.objects.get().used


def test_an_empty_form_is_400_and_the_link_stays_usable(client, link):
    _token, items, url = link
    response = client.post(url, {"item_999999": "3"})
    assert response.status_code == 400
    assert "Besvara minst ett påstående" in response.content.decode()
    assert not Response.objects.exists() and not ResponseLink.objects.get().used
    assert client.post(url, {f"item_{items[2].pk}": "2"}).status_code == 200
