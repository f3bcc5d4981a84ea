"""The open API: public endpoints answer anonymously with allow-listed keys only; token
endpoints answer only with an active token of the same association."""

from __future__ import annotations

import pytest
from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.organisation.models import Membership, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.publishing import selectors, services
from finsam.publishing.api import api
from finsam.publishing.public import CALL_KEYS, DECISION_KEYS, ENTRY_KEYS, RESULT_ROW_KEYS
from finsam.publishing.results import GOAL_KEYS
from finsam.publishing.tests.factories import SECRETS, world

PAGE_KEYS = {"count", "limit", "offset", "items"}


@pytest.fixture
def w(association):
    return world(association)


def _get(client, url, token=None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, params, headers=headers)


def _no_secrets(response):
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text, secret


def test_openapi_schema_is_served_and_lists_every_endpoint(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/associations",
        "/api/associations/{slug}/catalogue",
        "/api/associations/{slug}/catalogue/{entry_id}",
        "/api/associations/{slug}/results",
        "/api/associations/{slug}/decisions",
        "/api/associations/{slug}/calls",
        "/api/associations/{slug}/budget",
        "/api/associations/{slug}/follow-up",
        "/api/associations/{slug}/goal-attainment",
    ):
        assert path in paths, path
    assert client.get("/api/docs").status_code == 404  # no docs UI that loads a CDN


def test_public_endpoints_answer_anonymously_with_allowed_keys_only(client, association, w):
    slug = association.slug
    response = _get(client, "/api/associations")
    assert response.json() == [{"slug": slug, "name": association.name}]

    page = _get(client, f"/api/associations/{slug}/catalogue").json()
    assert set(page) == PAGE_KEYS and page["count"] == 2
    assert all(list(item) == ENTRY_KEYS for item in page["items"])

    one = _get(client, f"/api/associations/{slug}/catalogue/{w['published'].pk}")
    assert list(one.json()) == ENTRY_KEYS

    results = _get(client, f"/api/associations/{slug}/results").json()
    assert results["count"] == len(w["published"].results) >= 1
    for row in results["items"]:
        assert list(row) == RESULT_ROW_KEYS
        assert all(list(g) == GOAL_KEYS for g in row["goals"])

    decisions = _get(client, f"/api/associations/{slug}/decisions").json()
    assert decisions["count"] == 1
    assert list(decisions["items"][0]) == DECISION_KEYS

    calls = _get(client, f"/api/associations/{slug}/calls").json()
    assert [list(c) for c in calls] == [CALL_KEYS]

    for url in (
        f"/api/associations/{slug}/catalogue",
        f"/api/associations/{slug}/results",
        f"/api/associations/{slug}/decisions",
    ):
        _no_secrets(_get(client, url))


def test_a_draft_is_not_in_the_api(client, association, w):
    slug = association.slug
    assert _get(client, f"/api/associations/{slug}/catalogue/{w['draft'].pk}").status_code == 404
    titles = [
        i["title"] for i in _get(client, f"/api/associations/{slug}/catalogue").json()["items"]
    ]
    assert "Hemlig utkastinsats" not in titles


def test_an_association_without_public_pages_is_not_found(
    client, association, other_association, w
):
    assert _get(client, f"/api/associations/{other_association.slug}/catalogue").status_code == 404


def test_paging_and_filters(client, association, w):
    url = f"/api/associations/{association.slug}/catalogue"
    first = _get(client, url, limit=1).json()
    second = _get(client, url, limit=1, offset=1).json()
    assert first["count"] == second["count"] == 2
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert [i["kind"] for i in _get(client, url, kind="activity").json()["items"]] == ["activity"]
    assert _get(client, url, target_group="young_adults").json()["count"] == 1
    assert _get(client, url, referrer="health_care").json()["count"] == 0
    assert _get(client, url, municipality="Köpings kommun").json()["count"] == 1
    assert _get(client, url, municipality="Ingenstans").json()["count"] == 0
    year = w["published"].results[0]["year"]
    results = f"/api/associations/{association.slug}/results"
    assert _get(client, results, year=year).json()["count"] == 1
    assert _get(client, results, year=2001).json()["count"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
        {"age": "x"},
        {"kind": "nope"},
        {"referrer": "x"},
    ],
)
def test_bad_query_parameters_get_422(client, association, w, params):
    response = _get(client, f"/api/associations/{association.slug}/catalogue", **params)
    assert response.status_code == 422


# --- tokens --------------------------------------------------------------------------------------

TOKEN_PATHS = ["budget?year=2021", "follow-up?date=2021-06-30", "goal-attainment?year=2021"]


@pytest.fixture
def token(association, w):
    row, raw = services.token_create(association=association, name="Regionen", by=w["office"])
    return row, raw


@pytest.mark.parametrize("path", TOKEN_PATHS)
def test_missing_or_unknown_token_gets_401(client, association, w, path):
    url = f"/api/associations/{association.slug}/{path}"
    assert client.get(url).status_code == 401
    assert _get(client, url, token="fsm_not-a-token").status_code == 401


@pytest.mark.parametrize("path", TOKEN_PATHS)
def test_revoked_token_is_refused(client, association, w, token, path):
    row, raw = token
    url = f"/api/associations/{association.slug}/{path}"
    assert _get(client, url, token=raw).status_code in (200, 404)
    services.token_revoke(token=row, by=w["office"])
    assert _get(client, url, token=raw).status_code == 401


@pytest.mark.parametrize("path", TOKEN_PATHS)
def test_token_of_another_association_is_refused(client, association, other_association, w, path):
    _row, raw = services.token_create(
        association=other_association,
        name="Annan",
        by=user_with_role(other_association, Role.OFFICE),
    )
    url = f"/api/associations/{association.slug}/{path}"
    response = _get(client, url, token=raw)
    assert response.status_code == 403
    assert "another association" in response.json()["detail"]


def test_token_stops_when_its_creator_loses_the_role(client, association, w, token):
    _row, raw = token
    url = f"/api/associations/{association.slug}/goal-attainment?year=2021"
    assert _get(client, url, token=raw).status_code == 200
    Membership.objects.filter(user=w["office"], association=association).delete()
    assert _get(client, url, token=raw).status_code == 403


def test_token_endpoints_answer_with_the_offices_aggregates(client, association, w, token):
    from finsam.economy.tests.test_budget_choice import make_budget

    _row, raw = token
    base = f"/api/associations/{association.slug}"
    assert _get(client, f"{base}/budget?year=2021", token=raw).status_code == 404
    make_budget(association, 2021, status="adopted")
    budget = _get(client, f"{base}/budget?year=2021", token=raw).json()
    assert budget["status"] == "adopted" and budget["columns"] == ["Budget 2021", "Plan 2022"]
    member = next(line for line in budget["lines"] if line["label"] == "Medlemsbidrag")
    assert member["values"]["Budget 2021"] == "1000000.00"
    follow = _get(client, f"{base}/follow-up?date=2021-06-30", token=raw).json()
    assert follow["cutoff"] == "2021-06-30" and follow["year"] == 2021
    goals = _get(client, f"{base}/goal-attainment?year=2021", token=raw)
    assert goals.status_code == 200 and set(goals.json()) == {"year", "period", "goals"}
    _no_secrets(goals)
    assert selectors.token_for(raw).last_used_on == timezone.localdate()
    assert _get(client, f"{base}/budget?year=1999", token=raw).status_code == 422
    assert _get(client, f"{base}/follow-up?date=2021-02-30", token=raw).status_code == 422


def test_only_the_hash_is_stored(association, w):
    row, raw = services.token_create(association=association, name="X", by=w["office"])
    assert raw not in (row.token_hash, row.prefix) and raw.startswith(row.prefix)
    assert row.token_hash == services.token_hash(raw)


def test_a_token_needs_a_person_to_read_as(association, w):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.token_create(association=association, name="X", by=SYSTEM)


def test_anonymous_rate_limit_answers_429(client, db):
    statuses = [client.get("/api/associations").status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429


def test_api_is_read_only(client, association, w):
    assert client.post(f"/api/associations/{association.slug}/catalogue").status_code == 405
    assert api.urls_namespace == "api"
