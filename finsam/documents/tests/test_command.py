"""manage.py render_document: one association or --all, any registered kind, clear errors."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from finsam.documents import services
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_an_unknown_kind_is_refused_with_the_known_ones(association, tmp_path):
    with pytest.raises(CommandError, match=r"Unknown kind 'budget'\. Known kinds: .*interim.*plan"):
        call_command(
            "render_document",
            association=association.slug,
            kind="budget",
            year=2027,
            fmt="pdf",
            output=str(tmp_path / "x.pdf"),
        )


def test_bad_arguments_are_refused(association, tmp_path):
    out = str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="No association"):
        call_command("render_document", association="nope", kind="plan", year=2027, output=out)
    with pytest.raises(CommandError, match="either --association"):
        call_command("render_document", kind="plan", year=2027, output=out)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command(
            "render_document",
            association=association.slug,
            kind="interim",
            year=2027,
            date="30/6",
            output=out,
        )
    with pytest.raises(CommandError):
        call_command(
            "render_document",
            association=association.slug,
            kind="interim",
            year=2027,
            date="2026-06-30",
            output=out,
        )
    assert not (tmp_path / "x.pdf").exists()


def test_renders_the_stored_texts_to_docx(association, tmp_path):
    office = user_with_role(association, Role.OFFICE)
    plan = services.document_get_or_create(
        association=association, kind="plan", year=2027, by=office
    )
    services.text_save(document=plan, key="introduction", text="Ett **viktigt** år.", by=office)
    target = tmp_path / "vp.docx"
    out = io.StringIO()
    call_command(
        "render_document",
        association=association.slug,
        kind="plan",
        year=2027,
        fmt="docx",
        output=str(target),
        stdout=out,
    )
    document = docx.Document(str(target))
    assert any(p.text == "Ett viktigt år." for p in document.paragraphs)
    assert any(p.style.name == "Heading 1" and p.text == "Inledning" for p in document.paragraphs)
    assert f"{association.slug}: {target}" in out.getvalue()


def test_all_renders_one_file_per_association(association, other_association, tmp_path):
    call_command(
        "render_document",
        all=True,
        kind="interim",
        year=2027,
        date="2027-04-30",
        fmt="xlsx",
        output=str(tmp_path / "out"),
        stdout=io.StringIO(),
    )
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["interim-annat-2027.xlsx", "interim-vastra-testdalen-2027.xlsx"]
    assert load_workbook(tmp_path / "out" / files[1]).sheetnames
