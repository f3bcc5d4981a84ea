"""Render a document from the command line, as the pages do on the task queue.

    manage.py render_document --association SLUG --kind plan --year 2021 --format pdf --output vp.pdf
    manage.py render_document --all --kind interim --year 2021 --date 2021-06-30 --format pdf --output dir/

The kinds are those registered in finsam.documents.kinds when Django starts; an unknown kind is
refused with the list of known ones. Nothing is stored: the stored texts of the newest version of
the document for the period fill its free-text sections, if there is one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finsam.documents import blocks
from finsam.documents.models import Document
from finsam.documents.render import FORMATS, render
from finsam.documents.services import default_cut_off, logo_of
from finsam.organisation.models import Association, Meeting


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = "Renders a document (plan, interim, annual, board-pack) to PDF, DOCX or XLSX."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--association", help="the association's slug")
        parser.add_argument(
            "--all", action="store_true", help="every association; --output is a directory"
        )
        parser.add_argument("--kind", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--date", help="cut-off date of an interim report (YYYY-MM-DD)")
        parser.add_argument("--meeting", type=int, help="the board meeting's id (board pack)")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="pdf")
        parser.add_argument("--output", required=True)

    def handle(self, *args, **options) -> None:
        kind = blocks.KINDS.get(options["kind"])
        if kind is None:
            known = ", ".join(sorted(blocks.KINDS)) or "none"
            raise CommandError(f"Unknown kind {options['kind']!r}. Known kinds: {known}.")
        if options["all"] == bool(options["association"]):
            raise CommandError("Give either --association SLUG or --all.")
        cut_off = _date(options["date"]) if options["date"] else None
        try:
            cut_off = default_cut_off(kind.slug, options["year"], cut_off)
        except Exception as error:  # ValidationError: a cut-off outside the year
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        if options["all"]:
            out_dir = Path(options["output"])
            out_dir.mkdir(parents=True, exist_ok=True)
            for association in Association.objects.order_by("slug"):
                target = (
                    out_dir / f"{kind.slug}-{association.slug}-{options['year']}.{options['fmt']}"
                )
                self._render(association, kind, options, cut_off, target)
        else:
            association = Association.objects.filter(slug=options["association"]).first()
            if association is None:
                raise CommandError(f"No association with the slug {options['association']!r}.")
            self._render(association, kind, options, cut_off, Path(options["output"]))

    def _render(self, association, kind, options, cut_off, target: Path) -> None:
        meeting = None
        if options["meeting"]:
            meeting = Meeting.objects.filter(association=association, pk=options["meeting"]).first()
            if meeting is None:
                raise CommandError(f"{association.slug}: no meeting with id {options['meeting']}.")
        elif kind.takes_appendices:
            raise CommandError("This kind needs --meeting ID.")
        stored = (
            Document.objects.filter(
                association=association,
                kind=kind.slug,
                year=options["year"],
                cut_off=cut_off,
                meeting=meeting,
            )
            .order_by("-version")
            .first()
        )
        if stored is not None:
            from finsam.documents.assemble import assemble

            built = assemble(stored)
        else:
            arguments = {
                "association": association,
                "year": options["year"],
                "cut_off": cut_off,
                "meeting": meeting,
            }
            if kind.takes_appendices:
                arguments["appendices"] = []
            built = kind.build(**arguments)
        data = render(built, options["fmt"], logo=logo_of(association))
        target.write_bytes(data)
        self.stdout.write(
            f"{association.slug}: {target} ({len(data)} bytes, {len(built.flags)} flags)"
        )
