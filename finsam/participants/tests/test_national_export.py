"""The national follow-up CSV is what docs/national-export.md says it is: the same columns in the
same order, the documented codes, and a known participant's row value by value."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from finsam.organisation.models import Member
from finsam.participants import selectors, services
from finsam.participants.models import CodeList
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "national-export.md"


def documented_tables() -> list[list[tuple[str, str]]]:
    """Each Markdown table of the document as (column, description) rows, in order."""
    tables: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            current = None
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if current is None:  # the header row starts a table
            current = []
            tables.append(current)
            continue
        if set(cells[0]) <= {"-", ":"}:
            continue  # the separator row
        name = re.fullmatch(r"`([^`]+)`", cells[0])
        assert name, f"a column name in backticks: {line}"
        current.append((name.group(1), cells[1]))
    return tables


def test_the_header_is_the_documented_columns_in_order():
    national, summary = documented_tables()
    assert [name for name, _ in national] == selectors.NATIONAL_EXPORT_COLUMNS
    assert [name for name, _ in summary] == selectors.SUMMARY_COLUMNS


def test_the_documented_codes_are_the_seeded_code_lists():
    described = dict(documented_tables()[0])
    for column, list_name in (
        ("sysselsattning_fore", CodeList.OCCUPATION),
        ("tid_utanfor", CodeList.TIME_OUTSIDE),
        ("utbildningsniva", CodeList.EDUCATION),
        ("avslutsorsak", CodeList.EXIT_REASON),
        ("stegforflyttning", CodeList.STEP_PROGRESS),
    ):
        text = described[column]
        assert f"`{list_name.value}`" in text, column
        codes = re.findall(r"`([^`]+)`", text.split(":", 1)[1])
        assert codes == [row[0] for row in services.DEFAULT_CODES[list_name]], column


def test_a_known_participants_row(client, association):
    intervention = pf.staffed_intervention(association)
    staff = pf.staff_user(association, intervention)
    koping = Member.objects.get(association=association, name="Köpings kommun")
    arboga = Member.objects.get(association=association, name="Arboga kommun")
    code = pf.code
    start = pf.month_start()
    enrolment = pf.register(
        association,
        intervention,
        by=staff,
        number=pf.identity_number(dt.date(1987, 11, 3), "512"),  # a woman: 2 is even
        start_date=start,
        referring_member=koping,
        involved_members=[koping, arboga],
        entry_occupation=code(association, CodeList.OCCUPATION, "sjukskriven"),
        entry_income_source=code(association, CodeList.INCOME_SOURCE, "forsorjningsstod"),
        time_outside=code(association, CodeList.TIME_OUTSIDE, "2-5-ar"),
        education=code(association, CodeList.EDUCATION, "gymnasial"),
    )
    for ors in ([4, 4, 4, 4], [6, 6, 6, 6]):
        services.session_record(enrolment=enrolment, date=start, ors_items=ors, by=staff)
    pf.exit_enrolment(enrolment, occupation="studier", step="narmare", by=staff)
    services.exit_survey_record(
        enrolment=enrolment, satisfied=False, self_rated_progress=3, by=staff
    )
    ongoing = pf.register(
        association, intervention, by=staff, number=pf.identity_number(dt.date(2001, 6, 5), "431")
    )

    client.force_login(staff)
    response = client.get(
        reverse("participants:national_csv", args=[association.slug, intervention.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # the byte-order mark the document promises
    header, *rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert header == [name for name, _ in documented_tables()[0]]
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    today = timezone.localdate()
    age = start.year - 1987 - int((start.month, start.day) < (11, 3))
    assert by_ref[enrolment.participant.reference] == {
        "deltagare_ref": enrolment.participant.reference,
        "insats_id": str(intervention.pk),
        "insats": "STEGSAM",
        "startdatum": start.isoformat(),
        "fodelsear": "1987",
        "alder_vid_start": str(age),
        "kon": "F",
        "remitterande_organisation": "Köpings kommun",
        "samverkande_medlemmar": "Köpings kommun;Arboga kommun",  # in the members' order
        "sysselsattning_fore": "sjukskriven",
        "forsorjning_fore": "forsorjningsstod",
        "tid_utanfor": "2-5-ar",
        "utbildningsniva": "gymnasial",
        "avslutsdatum": today.isoformat(),
        "avslutsorsak": "planerat-avslut",
        "sysselsattning_efter": "studier",
        "forsorjning_efter": "studier",
        "stegforflyttning": "narmare",
        "antal_traffar": "2",
        "nojd": "nej",
    }
    # An ongoing participation: the exit columns and the survey are empty.
    row = by_ref[ongoing.participant.reference]
    assert row["kon"] == "M" and row["fodelsear"] == "2001"  # 3 is odd
    exit_columns = ("avslutsdatum", "avslutsorsak", "sysselsattning_efter", "stegforflyttning")
    assert all(row[c] == "" for c in (*exit_columns, "nojd"))
    assert row["antal_traffar"] == "0"
    assert "Alva" not in body and "19871103" not in body and "871103" not in body
