"""Documents: versions of texts, flags acknowledged with a reason, adoption frozen, audit rows."""

from __future__ import annotations

import hashlib
import io

import docx
import pytest
from django.core.exceptions import ValidationError

from finsam.documents import services
from finsam.documents.assemble import assemble
from finsam.documents.models import Document, FlagAcknowledgement, TextVersion
from finsam.documents.tests.test_render import PNG_1PX
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


@pytest.fixture
def plan(association, office):
    return services.document_get_or_create(
        association=association, kind="plan", year=2027, by=office
    )


def test_opening_twice_gives_the_same_draft_and_an_unknown_kind_is_refused(
    association, office, plan
):
    again = services.document_get_or_create(
        association=association, kind="plan", year=2027, by=office
    )
    assert again.pk == plan.pk and plan.status == Document.Status.DRAFT
    with pytest.raises(ValidationError, match="Okänd dokumenttyp"):
        services.document_get_or_create(association=association, kind="nope", year=2027, by=office)
    with pytest.raises(ValidationError):
        services.document_get_or_create(
            association=association,
            kind="interim",
            year=2027,
            by=office,
            cut_off=__import__("datetime").date(2026, 6, 30),
        )
    assert AuditEvent.objects.filter(event="document.created").count() == 1


def test_each_save_is_a_new_version_and_the_newest_fills_the_document(plan, office):
    services.text_save(document=plan, key="introduction", text="Första", by=office)
    services.text_save(document=plan, key="introduction", text="Andra **fet**", by=office)
    with pytest.raises(ValidationError):
        services.text_save(document=plan, key="introduction", text="Andra **fet**", by=office)
    assert TextVersion.objects.filter(document=plan, key="introduction").count() == 2
    assert services.current_texts(plan) == {"introduction": "Andra **fet**"}
    assert assemble(plan).texts["introduction"] == "Andra **fet**"
    assert AuditEvent.objects.filter(event="document_text.created").count() == 2


def test_adoption_waits_for_every_flag_then_freezes_the_pdf(plan, office):
    flags = assemble(plan).flags
    assert {f.code for f in flags} >= {"no-budget-2027", "no-contributions-2027"}
    with pytest.raises(ValidationError, match="flaggor är öppna"):
        services.document_adopt(document=plan, by=office)
    with pytest.raises(ValidationError):
        services.flag_acknowledge(
            document=plan, code=flags[0].code, message=flags[0].message, reason="ok", by=office
        )
    for flag in flags:
        services.flag_acknowledge(
            document=plan,
            code=flag.code,
            message=flag.message,
            reason="Budgeten antas på nästa möte.",
            by=office,
        )
    adopted = services.document_adopt(document=plan, by=office)
    stored = bytes(Document.objects.get(pk=plan.pk).pdf)
    assert stored.startswith(b"%PDF") and adopted.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    assert adopted.is_adopted and adopted.adopted_by == office
    assert AuditEvent.objects.filter(event="document.adopted").count() == 1
    assert AuditEvent.objects.filter(event="document_flag.created").count() == len(flags)
    # Frozen: no text, no flag, no second adoption.
    with pytest.raises(ValidationError, match="fastställt"):
        services.text_save(document=adopted, key="introduction", text="Ändrat", by=office)
    with pytest.raises(ValidationError):
        services.document_adopt(document=adopted, by=office)
    assert bytes(Document.objects.get(pk=plan.pk).pdf) == stored


def test_a_change_after_adoption_is_a_new_version_with_the_texts(plan, office):
    services.text_save(document=plan, key="introduction", text="Text", by=office)
    for flag in assemble(plan).flags:
        services.flag_acknowledge(
            document=plan,
            code=flag.code,
            message=flag.message,
            reason="Känt och godtaget.",
            by=office,
        )
    adopted = services.document_adopt(document=plan, by=office)
    draft = services.document_new_version(document=adopted, by=office)
    assert draft.version == 2 and not draft.is_adopted
    assert services.current_texts(draft) == {"introduction": "Text"}
    assert not FlagAcknowledgement.objects.filter(document=draft).exists()
    with pytest.raises(ValidationError):
        services.document_new_version(document=adopted, by=office)  # a newer version exists
    again = services.document_get_or_create(
        association=plan.association, kind="plan", year=2027, by=office
    )
    assert again.pk == draft.pk


def test_logo_png_or_jpeg_only_and_capped(association, office):
    with pytest.raises(ValidationError, match="PNG- eller JPEG"):
        services.logo_set(
            association=association, data=b"<svg onload=alert(1)>", name="x.svg", by=office
        )
    with pytest.raises(ValidationError, match="större än"):
        services.logo_set(
            association=association,
            data=b"\x89PNG\r\n\x1a\n" + b"0" * 600_000,
            name="x.png",
            by=office,
        )
    services.logo_set(association=association, data=PNG_1PX, name="logo.png", by=office)
    assert services.logo_of(association) == (PNG_1PX, "image/png")
    assert AuditEvent.objects.filter(event="document_settings.updated").count() == 1


def test_documents_for_adoption_at_a_meeting_are_the_board_packs_appendices(
    association, office, plan
):
    from finsam.documents.selectors import documents_for_adoption
    from finsam.organisation.tests.factories import MeetingFactory

    meeting = MeetingFactory(association=association)
    services.document_set_adoption_meeting(document=plan, meeting=meeting, by=office)
    assert documents_for_adoption(meeting=meeting) == [plan]
    assert documents_for_adoption(meeting=MeetingFactory(association=association)) == []


def test_services_need_an_actor(plan):
    with pytest.raises(TypeError):
        services.text_save(document=plan, key="introduction", text="x", by=None)


def test_a_kind_that_takes_appendices_gets_the_documents_up_for_adoption(
    association, office, plan, monkeypatch
):
    """The board pack's contract, with a stand-in kind: assemble() passes `appendices`, each the
    built document (with its stored texts) put up for adoption at the pack's meeting."""
    from finsam.documents import blocks
    from finsam.documents.render import render
    from finsam.organisation.tests.factories import MeetingFactory

    def build(*, association, year, cut_off=None, meeting=None, appendices=()):
        return blocks.Document(
            kind="test-pack",
            title="Kallelse",
            subtitle=f"Sammanträde {meeting.date}",
            association_name=association.name,
            blocks=[blocks.Heading("Dagordning"), *appendices],
        )

    monkeypatch.setitem(
        blocks.KINDS, "test-pack", blocks.Kind("test-pack", "Test", build, takes_appendices=True)
    )
    meeting = MeetingFactory(association=association)
    services.text_save(document=plan, key="introduction", text="Planens inledning.", by=office)
    services.document_set_adoption_meeting(document=plan, meeting=meeting, by=office)
    pack = services.document_get_or_create(
        association=association, kind="test-pack", year=2027, meeting=meeting, by=office
    )
    built = assemble(pack)
    [appendix] = [b for b in built.blocks if isinstance(b, blocks.Appendix)]
    assert appendix.document.kind == "plan"
    assert appendix.document.texts == {"introduction": "Planens inledning."}
    data = render(built, "docx")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "Bilaga 1: Verksamhetsplan och budget 2027" in paragraphs
    assert "Planens inledning." in paragraphs
