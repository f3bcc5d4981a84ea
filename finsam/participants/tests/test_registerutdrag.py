"""The registerutdrag (GDPR art. 15) made by intervention staff: the person's data in the
requester's interventions and the access log they may see, all of it; other interventions only
as counts, with no titles, users or dates. And the exit survey's read is logged in its
intervention."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.participants import selectors, services
from finsam.participants.models import AccessLogEntry
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_interventions(association):
    """One person in STEGSAM (staff Anna) and in the secret-named "Samkraft Beroende" (staff Bo)."""
    stegsam = pf.staffed_intervention(association, title="STEGSAM")
    anna = pf.staff_user(association, stegsam)
    other = pf.staffed_intervention(association, title="Samkraft Beroende")
    bo = pf.staff_user(association, other)
    enrolment = pf.register(association, stegsam, by=anna)
    # The consent is the person's own (one per person); the participation there is not.
    elsewhere = pf.register(association, other, by=bo, start_date=dt.date(2022, 3, 4))
    services.session_record(
        enrolment=elsewhere, date=dt.date(2022, 3, 9), ors_items=[2, 2, 2, 2], by=bo
    )
    services.session_record(
        enrolment=enrolment, date=enrolment.start_date, ors_items=[5, 5, 5, 5], by=anna
    )
    return {
        "association": association,
        "stegsam": stegsam,
        "other": other,
        "anna": anna,
        "bo": bo,
        "enrolment": enrolment,
        "elsewhere": elsewhere,
    }


def export_json(client, world) -> tuple[dict, str]:
    client.force_login(world["anna"])
    address = reverse(
        "participants:export_json", args=[world["association"].slug, world["enrolment"].pk]
    )
    response = client.get(address)
    assert response.status_code == 200
    body = response.content.decode()
    return json.loads(body), body


def test_other_interventions_appear_only_as_counts(client, two_interventions):
    world = two_interventions
    data, body = export_json(client, world)
    # Nothing that tells where else the person takes part, or who works there.
    for secret in ("Samkraft", "Beroende", world["bo"].username, "2022-03"):
        assert secret not in body, secret
    assert [d["insats"] for d in data["deltaganden"]] == ["STEGSAM"]
    assert data["deltaganden_i_andra_insatser"] == 1
    other_rows = AccessLogEntry.objects.filter(
        participant=world["enrolment"].participant, intervention=world["other"]
    ).count()
    assert other_rows == 2  # the registration and the session there
    assert data["atkomst_i_andra_insatser"] == other_rows
    assert {a["insats"] for a in data["atkomstlogg"]} == {"STEGSAM"}
    assert {a["anvandare"] for a in data["atkomstlogg"]} == {world["anna"].username}
    assert "dataskyddskontakt" in data["registerutdrag"]["omfattning"]


def test_the_extract_holds_the_consent_withdrawal_and_the_recipients(client, two_interventions):
    world = two_interventions
    services.participant_consent_change(
        enrolment=world["enrolment"],
        change="withdrawn",
        changed_on=timezone.localdate(),
        text="Vill inte längre registreras",
        by=world["anna"],
    )
    data, _body = export_json(client, world)
    person = data["deltagare"]
    assert person["samtycke_aterkallat"] == timezone.localdate().isoformat()
    assert person["aterkallelsen_omfattar"] == "Vill inte längre registreras"
    assert any("statistik" in m for m in data["mottagare"])


def test_the_access_log_is_never_cut_off(client, two_interventions):
    world = two_interventions
    participant = world["enrolment"].participant
    for i in range(30):  # 600 reads in STEGSAM, more than the old limit of 500
        services.access_log_write(
            association=world["association"],
            by=world["anna"],
            action=AccessLogEntry.Action.VIEW,
            participants=[participant] * 20,
            intervention=world["stegsam"],
            detail=f"Visning {i}",
        )
    visible = AccessLogEntry.objects.filter(participant=participant, intervention=world["stegsam"])
    expected = visible.count()
    assert expected > 600
    data, _body = export_json(client, world)
    assert len(data["atkomstlogg"]) == data["atkomstlogg_antal"] == expected
    # Oldest first, as the person reads a history.
    assert data["atkomstlogg"][0]["vad"].startswith("Registrerad i STEGSAM")


def test_the_pdf_says_the_same(client, two_interventions):
    world = two_interventions
    client.force_login(world["anna"])
    response = client.get(
        reverse("participants:export_pdf", args=[world["association"].slug, world["enrolment"].pk])
    )
    assert response.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Samkraft" not in text and world["bo"].username not in text
    assert "Deltaganden i andra insatser som inte ingår i utdraget: 1." in text
    assert "2 loggposter i andra insatser" in text
    assert "STEGSAM" in text and "Vem som har fått uppgifterna" in text


def test_opening_the_saved_survey_is_logged_in_its_intervention(client, two_interventions):
    world = two_interventions
    enrolment = world["enrolment"]
    pf.exit_enrolment(enrolment, by=world["anna"])
    services.exit_survey_record(
        enrolment=enrolment, satisfied=True, self_rated_progress=4, by=world["anna"]
    )
    client.force_login(world["anna"])
    address = reverse("participants:survey", args=[world["association"].slug, enrolment.pk])
    assert client.get(address).status_code == 200
    entry = AccessLogEntry.objects.get(detail="Avslutsenkäten öppnad för ändring")
    assert entry.intervention == world["stegsam"] and entry.user == world["anna"]
    # So the data-protection contact finds it by intervention, and staff of the other
    # intervention do not see it in the person's history there.
    history = selectors.participant_access_history(user=world["bo"], enrolment=world["elsewhere"])
    assert entry not in list(history.object_list)
