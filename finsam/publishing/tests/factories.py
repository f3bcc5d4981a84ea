"""Builders for the publishing tests: a public association with one published intervention
(participants in the register, a board decision) and one draft that must never show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.funding.tests import factories as ff
from finsam.goals.tests import factories as gf
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants.tests import factories as pf
from finsam.publishing import services
from finsam.publishing.models import CatalogueEntry

# Text that exists only in non-public places: in a draft entry, a participant's name, the names
# of the application's steering group and staff, a rationale.
SECRETS = [
    "Hemlig utkastinsats",
    "Alva Testsson",
    "Anna Andersson",
    "Enhetschef Arbetsmarknadsenheten",
    "Hemlig motivering",
    "070-123 45 67",
    "Hemligt utkast till verksamhetsplan",
    "Hemligt styrelseunderlag",
]
ADOPTED_PDF = b"%PDF-1.7\n% Verksamhetsplan 2027 adopted by the board\n%%EOF\n"
PUBLIC_SUMMARY = "Stöd för unga vuxna på väg mot arbete eller studier."


def entry_fields(**overrides) -> dict:
    fields = {
        "summary": PUBLIC_SUMMARY,
        "target_group": "young_adults",
        "refer_self": True,
        "refer_employment_service": True,
        "how_to_apply": "Kontakta kommunens arbetsmarknadsenhet.",
        "contact_name": "Förbundschefen",
        "contact_email": "kansli@example.org",
        "review_by": timezone.localdate() + dt.timedelta(days=180),
    }
    fields.update(overrides)
    return fields


def publish(entry, *, by) -> CatalogueEntry:
    services.entry_transition(entry=entry, to=CatalogueEntry.Status.REVIEW, by=by)
    return services.entry_transition(entry=entry, to=CatalogueEntry.Status.PUBLISHED, by=by)


def participants(association, intervention, *, n: int, exited_to_work: int) -> None:
    for i in range(n):
        enrolment = pf.register(
            association,
            intervention,
            number=pf.identity_number(serial=f"{300 + i}"),
            name="Alva Testsson",
        )
        if i < exited_to_work:
            pf.exit_enrolment(enrolment)


def world(association, *, with_results: bool = True) -> dict:
    """The public association with a published intervention (results taken), a published
    activity, an approved decision, an open call and a draft."""
    office = user_with_role(association, Role.OFFICE)
    services.settings_update(
        association=association,
        data={
            "is_public": True,
            "contact_name": "Förbundschefen",
            "contact_email": "a@example.org",
        },
        by=office,
    )
    decision = ff.approved(
        association,
        office=office,
        fields={
            "period_start": dt.date(2022, 1, 1),
            "period_end": dt.date(timezone.localdate().year + 1, 12, 31),
        },
        meeting=ff.board_meeting(association, date=timezone.localdate() - dt.timedelta(days=30)),
    )
    decision.motivation = "Hemlig motivering"
    decision.save(update_fields=["motivation"])
    intervention = decision.application.intervention
    if with_results:
        participants(association, intervention, n=7, exited_to_work=6)
    published = services.entry_create(
        association=association, intervention=intervention, by=office, **entry_fields()
    )
    publish(published, by=office)
    if with_results:
        services.entry_refresh_results(entry=published, by=office)
    activity = gf.activity(association, title="Frukostseminarium om samverkan")
    seminar = services.entry_create(
        association=association,
        activity=activity,
        by=office,
        **entry_fields(target_group="staff", summary="Ett seminarium för medlemmarnas personal."),
    )
    publish(seminar, by=office)
    hidden = pf.staffed_intervention(association, title="Hemlig utkastinsats")
    draft = services.entry_create(
        association=association,
        intervention=hidden,
        by=office,
        **entry_fields(summary="Hemlig utkastinsats beskrivning"),
    )
    ff.CallFactory(
        association=association,
        title="Öppen utlysning",
        opens_on=timezone.localdate() - dt.timedelta(days=1),
        closes_on=timezone.localdate() + dt.timedelta(days=30),
    )
    adopted_plan = _document(association, kind="plan", title="Verksamhetsplan 2027", adopted=True)
    _document(association, kind="plan", title="Hemligt utkast till verksamhetsplan", adopted=False)
    board_pack = _document(
        association, kind="board-pack", title="Hemligt styrelseunderlag", adopted=True
    )
    return {
        "office": office,
        "adopted_plan": adopted_plan,
        "board_pack": board_pack,
        "published": published,
        "seminar": seminar,
        "draft": draft,
        "intervention": intervention,
        "decision": decision,
        "by": SYSTEM,
    }


def _document(association, *, kind: str, title: str, adopted: bool):
    """A stored document as the documents app leaves it (adopted: the frozen PDF and its hash)."""
    import hashlib

    from finsam.documents.models import Document

    version = Document.objects.filter(association=association, kind=kind, year=2027).count() + 1
    return Document.objects.create(
        association=association,
        kind=kind,
        year=2027,
        version=version,
        title=title,
        status=Document.Status.ADOPTED if adopted else Document.Status.DRAFT,
        adopted_at=timezone.now() if adopted else None,
        pdf=ADOPTED_PDF if adopted else None,
        pdf_sha256=hashlib.sha256(ADOPTED_PDF).hexdigest() if adopted else "",
    )
