"""Beslutsmeddelande: the board's decision on an application, or on a change to or the end of an
intervention, as a letter in PDF and DOCX.

Both formats are built from one context (`decision_letter_context`), so they say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from finsam.core.money import ZERO, format_sek
from finsam.funding.models import Decision

MONTHS_SV = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def date_sv(day: dt.date) -> str:
    """'26 mars 2021'."""
    return f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class LetterContext:
    association: str
    org_number: str
    meeting_date: str
    paragraph: str
    applicants: str
    title: str
    outcome: str
    approved: bool
    amounts: list[tuple[int, str]]
    total: str
    conditions: str
    motivation: str
    period: str
    reporting: list[tuple[str, str]]  # (what, when)
    oral: str
    director_name: str
    director_title: str
    subject: str
    # A change decision: (year, previous total, new total) and the end date before -> after.
    changes: list[tuple[int, str, str]] = field(default_factory=list)
    previous_end: str = ""
    new_end: str = ""

    def paragraphs(self) -> list[str]:
        """The letter as plain paragraphs: what the DOCX holds and what tests read."""
        out = [
            self.association,
            _("Notice of decision"),
            self.subject,
            _("Board meeting %(date)s, %(paragraph)s")
            % {"date": self.meeting_date, "paragraph": self.paragraph},
            _("Applicant: %(who)s") % {"who": self.applicants or "–"},
            _("Intervention: %(title)s") % {"title": self.title},
            _("Period: %(period)s") % {"period": self.period},
            _("Decision: %(outcome)s") % {"outcome": self.outcome},
        ]
        if self.changes:
            out.append(_("Changed funds per year (previous → new):"))
            out += [f"{year}: {old} → {new}" for year, old, new in self.changes]
        if self.new_end:
            out.append(
                _("New end date: %(new)s (previously %(old)s)")
                % {"new": self.new_end, "old": self.previous_end}
            )
        if self.amounts:
            out.append(_("Granted funds per year:"))
            out += [f"{year}: {amount}" for year, amount in self.amounts]
            out.append(_("Total: %(total)s") % {"total": self.total})
        if self.conditions:
            out.append(_("Conditions: %(c)s") % {"c": self.conditions})
        if self.motivation:
            out.append(_("Rationale: %(m)s") % {"m": self.motivation})
        if self.reporting:
            out.append(_("Reporting to the board:"))
            out += [f"{what}: {when}" for what, when in self.reporting]
            if self.oral:
                out.append(self.oral)
        out += [
            _("For the board"),
            self.director_name or "……………………………………",
            self.director_title,
        ]
        return out


def decision_letter_context(decision: Decision) -> LetterContext:
    association = decision.association
    application = decision.application
    subject = application or decision.intervention
    amounts = list(decision.amounts.all())
    total = sum((a.amount for a in amounts), ZERO)
    if application is not None:
        applicants = ", ".join(m.name for m in application.applicants.all())
    else:
        applicants = ", ".join(m.name for m in decision.intervention.members.all())
    start, end = subject.period_start, subject.period_end
    period = f"{start:%Y-%m-%d} – {end:%Y-%m-%d}" if end else f"{start:%Y-%m-%d} –"
    reporting: list[tuple[str, str]] = []
    is_change = decision.kind == Decision.Kind.CHANGE
    if decision.is_approval and decision.kind in (Decision.Kind.APPLICATION, Decision.Kind.CHANGE):
        for amount in amounts:
            if amount.amount <= 0:
                continue
            for kind, day in decision.report_periods(amount.year):
                label = str(
                    _("Interim report as at %(d)s")
                    if kind == "interim"
                    else _("Annual report as at %(d)s")
                ) % {"d": day.isoformat()}
                due = day + dt.timedelta(days=_days_to_submit())
                reporting.append((label, _("due by %(d)s") % {"d": due.isoformat()}))
            for _kind, day in decision.oral_periods(amount.year):
                reporting.append(
                    (
                        str(_("Oral presentation to the board")),
                        _("by %(d)s") % {"d": day.isoformat()},
                    )
                )
    oral = ""
    if reporting and decision.oral_presentations_per_year:
        n = decision.oral_presentations_per_year
        oral = (
            _("Oral presentation to the board at least once a year.")
            if n == 1
            else _("Oral presentation to the board at least %(n)s times a year.") % {"n": n}
        )
    if decision.kind == Decision.Kind.END:
        subject_line = _("Decision to end the intervention %(t)s") % {"t": subject.title}
    elif is_change:
        subject_line = _("Decision to change the intervention %(t)s") % {"t": subject.title}
    else:
        subject_line = _("Decision on application: %(t)s") % {"t": subject.title}
    outcome = decision.outcome_label
    changes: list[tuple[int, str, str]] = []
    new_end = previous_end = ""
    if is_change:
        changes = [(a.year, format_sek(a.previous or ZERO), format_sek(a.amount)) for a in amounts]
        if decision.ends_on:
            new_end = decision.ends_on.isoformat()
            previous_end = (
                decision.previous_end.isoformat()
                if decision.previous_end
                else _("until further notice")
            )
        # The letter states the new totals as changes, not as money granted on top.
        amounts = []
    return LetterContext(
        association=association.name,
        org_number=association.org_number,
        meeting_date=date_sv(decision.meeting.date),
        paragraph=decision.paragraph,
        applicants=applicants,
        title=subject.title,
        outcome=str(outcome),
        approved=decision.is_approval,
        amounts=[(a.year, format_sek(a.amount)) for a in amounts],
        total=format_sek(total) if amounts else format_sek(Decimal(0)),
        conditions=decision.conditions,
        motivation=decision.motivation,
        period=period,
        reporting=reporting,
        oral=oral,
        director_name=association.director_name,
        director_title=(association.director_title or _("director")).capitalize(),
        subject=subject_line,
        changes=changes,
        previous_end=str(previous_end),
        new_end=new_end,
    )


def _days_to_submit() -> int:
    from finsam.funding.services import REPORT_DAYS_TO_SUBMIT

    return REPORT_DAYS_TO_SUBMIT


def letter_filename(decision: Decision, extension: str) -> str:
    number = "".join(ch for ch in decision.paragraph if ch.isalnum())
    return f"beslutsmeddelande-{decision.meeting.date:%Y-%m-%d}-{number}.{extension}"


def decision_letter_pdf(decision: Decision) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "funding/decision_letter_pdf.html", {"letter": decision_letter_context(decision)}
    )
    return HTML(string=html).write_pdf()


def decision_letter_docx(decision: Decision) -> bytes:
    from docx import Document
    from docx.shared import Pt

    letter = decision_letter_context(decision)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10.5)
    section = doc.sections[0]
    section.header.paragraphs[0].text = letter.association
    doc.add_paragraph(letter.association).runs[0].bold = True
    if letter.org_number:
        doc.add_paragraph(_("Org. no. %(n)s") % {"n": letter.org_number})
    doc.add_heading(_("Notice of decision"), level=1)
    doc.add_paragraph(letter.subject).runs[0].bold = True
    doc.add_paragraph(
        _("Board meeting %(date)s, %(paragraph)s")
        % {"date": letter.meeting_date, "paragraph": letter.paragraph}
    )
    facts = doc.add_table(rows=0, cols=2)
    for label, value in (
        (_("Applicants"), letter.applicants or "–"),
        (_("Intervention"), letter.title),
        (_("Period"), letter.period),
        (_("Decision"), letter.outcome),
    ):
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value
    # The facts once more as paragraphs, so that a reader (or a search) finds them in the text.
    doc.add_paragraph(_("Applicant: %(who)s") % {"who": letter.applicants or "–"})
    doc.add_paragraph(_("Decision: %(outcome)s") % {"outcome": letter.outcome})
    if letter.changes:
        doc.add_heading(_("Changed funds per year"), level=2)
        table = doc.add_table(rows=1, cols=3)
        table.rows[0].cells[0].text = _("Year")
        table.rows[0].cells[1].text = _("Previously granted")
        table.rows[0].cells[2].text = _("New amount")
        for year, old, new in letter.changes:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = str(year), old, new
        for year, old, new in letter.changes:
            doc.add_paragraph(f"{year}: {old} → {new}", style="List Bullet")
    if letter.new_end:
        doc.add_paragraph(
            _("New end date: %(new)s (previously %(old)s)")
            % {"new": letter.new_end, "old": letter.previous_end}
        )
    if letter.amounts:
        doc.add_heading(_("Granted funds per year"), level=2)
        for year, amount in letter.amounts:
            doc.add_paragraph(f"{year}: {amount}", style="List Bullet")
        doc.add_paragraph(_("Total: %(total)s") % {"total": letter.total}).runs[0].bold = True
    if letter.conditions:
        doc.add_heading(_("Conditions"), level=2)
        doc.add_paragraph(letter.conditions)
    if letter.motivation:
        doc.add_heading(_("Rationale"), level=2)
        doc.add_paragraph(letter.motivation)
    if letter.reporting:
        doc.add_heading(_("Reporting to the board"), level=2)
        for what, when in letter.reporting:
            doc.add_paragraph(f"{what}: {when}", style="List Bullet")
        if letter.oral:
            doc.add_paragraph(letter.oral)
    doc.add_paragraph("")
    doc.add_paragraph(_("For the board"))
    doc.add_paragraph(letter.director_name or "……………………………………")
    doc.add_paragraph(letter.director_title)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
