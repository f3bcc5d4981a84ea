"""Reads of the participant register that know who is asking.

Personal data: only staff of the intervention (Intervention.staff), and every read writes the
access log here, so no view can forget it. Aggregates: computed in the database (conditional
COUNT/AVG grouped by intervention) and published through small-cell suppression.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.money import format_stored_decimal
from finsam.funding import goals as goal_rules
from finsam.funding.models import Intervention
from finsam.organisation.access import can
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent
from finsam.participants import access
from finsam.participants.access import access_log_write
from finsam.participants.models import (
    AccessLogEntry,
    CodeList,
    Enrolment,
    ExitSurvey,
    FollowUpCode,
    Participant,
    Session,
    SurveyAnswer,
    SurveyQuestion,
)
from finsam.participants.ratings import RatingRules
from finsam.participants.services import (
    answer_field,
    decrypt_or_blank,
    rating_rules_for,
)
from finsam.participants.suppression import (
    SECONDARY_MARKER,
    TOTAL,
    SuppressedTable,
    primary_marker,
    published_value,
    suppress_linked,
)

AGE_BANDS = ((16, 19), (20, 24), (25, 29), (30, 49), (50, 64))
THRESHOLD = 5
RATING_FIELD = DecimalField(max_digits=4, decimal_places=1)


def _require(user, association, capability: str) -> None:
    if not can(user, association, capability):
        raise PermissionDenied(capability)


def valid_enrolments(prefix: str = "") -> Q:
    """Participations that count: not voided by an exit reason like "felregistrering".
    `prefix` is the path to the enrolment from the queried model ("exit_survey__enrolment__")."""
    return Q(**{f"{prefix}exit_reason__isnull": True}) | Q(
        **{f"{prefix}exit_reason__voids_enrolment": False}
    )


# --- personal data (staff of the intervention only) ---------------------------------------------


def staff_interventions(*, user, association) -> QuerySet[Intervention]:
    return access.interventions(user, association).annotate(
        active_count=Count("enrolments", filter=Q(enrolments__exit_date__isnull=True))
    )


def intervention_for_staff(*, user, association, pk: int) -> Intervention:
    """404 outside the association; 403 with the reason for a user who is not its staff."""
    _require(user, association, "participants.register")
    intervention = get_object_or_404(Intervention, association=association, pk=pk)
    access.require_staff(user, intervention)
    return intervention


def _enrolment_queryset() -> QuerySet[Enrolment]:
    return Enrolment.objects.select_related(
        "participant",
        "intervention",
        "intervention__association",
        "referring_member",
        "entry_occupation",
        "entry_income_source",
        "time_outside",
        "education",
        "exit_reason",
        "exit_occupation",
        "exit_income_source",
        "step_progress",
        "exit_survey",
    )


@dataclass
class EnrolmentRow:
    enrolment: Enrolment
    name: str
    session_count: int
    last_ors: Decimal | None


ENROLMENTS_PER_PAGE = 50


def enrolments_for_intervention(
    *, user, intervention: Intervention, page: int | str | None = 1
) -> tuple[list[EnrolmentRow], Page]:
    """One page of the intervention's participants (ongoing first) with decrypted names.

    Logs one row per person shown. Sessions are counted in a subquery and only the participant
    is joined: a GROUP BY over every session of a large intervention made the list slow.
    """
    access.require_staff(user, intervention)
    last_ors = (
        Session.objects.filter(enrolment=OuterRef("pk"), ors_total__isnull=False)
        .order_by("-date", "-id")
        .values("ors_total")[:1]
    )
    session_count = (
        Session.objects.filter(enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(n=Count("id"))
        .values("n")
    )
    queryset = (
        Enrolment.objects.filter(intervention=intervention)
        .select_related("participant")
        .annotate(session_count=Coalesce(Subquery(session_count), 0), last_ors=Subquery(last_ors))
        .order_by(F("exit_date").desc(nulls_first=True), "-start_date", "-id")
    )
    shown = Paginator(queryset, ENROLMENTS_PER_PAGE).get_page(page)
    enrolments = list(shown.object_list)
    access_log_write(
        association=intervention.association,
        by=user,
        action=AccessLogEntry.Action.LIST,
        participants=[e.participant for e in enrolments] or [None],
        intervention=intervention,
        detail=_("Participant list for %(intervention)s") % {"intervention": intervention.title},
    )
    rows = [
        EnrolmentRow(
            enrolment=e,
            name=decrypt_or_blank(e.participant.name_encrypted),
            session_count=e.session_count,
            # SQLite returns a subquery's decimal unrounded (30.2000000000000).
            last_ors=_round_mean(e.last_ors),
        )
        for e in enrolments
    ]
    return rows, shown


def enrolment_for_staff(
    *, user, association, pk: int, action: str = AccessLogEntry.Action.VIEW, detail: str = ""
) -> Enrolment:
    """One participation, for the staff of its intervention; 404 for everyone else (the
    existence of a participant is itself personal data). Logs the read."""
    _require(user, association, "participants.register")
    enrolment = (
        _enrolment_queryset()
        .filter(access.in_interventions(user, association), pk=pk)
        .prefetch_related("involved_members")
        .first()
    )
    if enrolment is None:
        raise Http404
    if action:
        access_log_write(
            association=association,
            by=user,
            action=action,
            participants=[enrolment.participant],
            intervention=enrolment.intervention,
            detail=detail
            or _("Participant page in %(intervention)s")
            % {"intervention": enrolment.intervention.title},
        )
    return enrolment


def session_for_staff(*, user, association, enrolment_pk: int, pk: int) -> Session:
    """One session of a participation the user may see (404 otherwise). The caller logs."""
    enrolment = enrolment_for_staff(user=user, association=association, pk=enrolment_pk, action="")
    session = get_object_or_404(Session, enrolment=enrolment, pk=pk)
    session.enrolment = enrolment
    return session


CORRECTION_EVENTS = (
    Event.PARTICIPANT_CORRECTED,
    Event.PARTICIPANT_CONSENT_CHANGED,
    Event.PARTICIPANT_CONSENT_WITHDRAWN,
    Event.ENROLMENT_ENTRY_CORRECTED,
    Event.ENROLMENT_EXIT_CORRECTED,
    Event.SESSION_CORRECTED,
    Event.SESSION_DELETED,
)
_CONTEXT_KEYS = ("participant", "enrolment", "reason")
_HISTORY_MODELS = {
    "participant": Participant,
    "enrolment": Enrolment,
    "session": Session,
}


@dataclass(frozen=True)
class Correction:
    at: dt.datetime
    who: str
    what: str
    changes: list[tuple[str, object, object]]  # (field label, before, after)
    reason: str


def correction_history(*, enrolment: Enrolment, user=None) -> list[Correction]:
    """The participation's corrections and the person's own (name, contact, consent), newest
    first. Read from the audit log: it is the record, so the history cannot drift from it.
    The caller has already checked access and logged the read of the page.

    A change of the person's own data made in an intervention the `user` is not staff of is
    shown without who made it: that name would tell in which other intervention the person
    takes part."""
    rows = AuditEvent.objects.filter(
        association=enrolment.intervention.association,
        event__in=[e.value for e in CORRECTION_EVENTS],
        after__participant=enrolment.participant_id,
    ).filter(Q(after__enrolment=enrolment.pk) | Q(after__enrolment=None))
    own = {enrolment.intervention_id}
    if user is not None:
        own |= set(
            access.interventions(user, enrolment.intervention.association).values_list(
                "pk", flat=True
            )
        )
    labels = dict(Event.choices)
    out = []
    for row in rows.order_by("-created_at", "-id"):
        model = _HISTORY_MODELS[row.event.split(".", 1)[0]]
        before, after = row.before or {}, row.after or {}
        changes = [
            (
                _history_label(model, name),
                format_stored_decimal(before.get(name)),
                format_stored_decimal(after.get(name)),
            )
            for name in dict.fromkeys([*before, *after])
            if name not in _CONTEXT_KEYS and before.get(name) != after.get(name)
        ]
        foreign = user is not None and row.intervention_id not in (None, *own)
        out.append(
            Correction(
                at=row.created_at,
                who=_("staff of another intervention") if foreign else row.actor_name,
                what=str(labels.get(row.event, row.event)),
                changes=changes,
                reason=after.get("reason", ""),
            )
        )
    return out


def _history_label(model, name: str) -> str:
    special = {"name": _("Name"), "contact": _("Contact details")}
    if name in special:
        return str(special[name])
    try:
        label = str(model._meta.get_field(name).verbose_name)
        return label[:1].upper() + label[1:]
    except FieldDoesNotExist:
        return name


PARTICIPANT_LOG_PER_PAGE = 50


def participant_access_history(*, user, enrolment: Enrolment, page: int | str | None = 1) -> Page:
    """Who read or changed this person's data, as far as the user's own interventions go: the
    rows of other interventions would tell that the person takes part in them."""
    qs = (
        AccessLogEntry.objects.filter(participant_id=enrolment.participant_id)
        .filter(
            access.in_interventions(user, enrolment.intervention.association)
            | Q(intervention__isnull=True)
        )
        .select_related("intervention")
        .order_by("-at", "-id")
    )
    return Paginator(qs, PARTICIPANT_LOG_PER_PAGE).get_page(page)


def participant_name(enrolment: Enrolment) -> str:
    return decrypt_or_blank(enrolment.participant.name_encrypted)


def participant_contact(enrolment: Enrolment) -> str:
    return decrypt_or_blank(enrolment.participant.contact_encrypted)


def enrolment_sessions(enrolment: Enrolment) -> list[Session]:
    return list(enrolment.sessions.select_related("staff").order_by("date", "id"))


def survey_answers(enrolment: Enrolment) -> list[SurveyAnswer]:
    """The answers to the association's own questions, for the page that already logged the
    read of this participation (enrolment_for_staff)."""
    survey = getattr(enrolment, "exit_survey", None) if hasattr(enrolment, "exit_survey") else None
    if survey is None:
        return []
    return list(survey.answers.select_related("question"))


def exit_survey_initial(*, user, enrolment: Enrolment) -> dict:
    """The saved survey as the form's initial values. Showing it is a read: logged."""
    survey = getattr(enrolment, "exit_survey", None) if hasattr(enrolment, "exit_survey") else None
    if survey is None:
        return {}
    access_log_write(
        association=enrolment.intervention.association,
        by=user,
        action=AccessLogEntry.Action.VIEW,
        participants=[enrolment.participant_id],
        intervention=enrolment.intervention,
        detail=_("Exit survey opened for editing"),
    )
    initial = {
        "satisfied": "ja" if survey.satisfied else "nej",
        "self_rated_progress": str(survey.self_rated_progress),
        "comment": survey.comment,
    }
    for answer in survey.answers.select_related("question"):
        value = answer.value
        if isinstance(value, bool):
            value = "ja" if value else "nej"
        initial[answer_field(answer.question_id)] = "" if value is None else str(value)
    return initial


def other_enrolment_count(*, user, enrolment: Enrolment) -> int:
    """How many of the person's participations this user cannot see (shown as a number only)."""
    return (
        Enrolment.objects.filter(participant=enrolment.participant)
        .exclude(access.in_interventions(user, enrolment.intervention.association))
        .count()
    )


def enrolments_for_export(*, user, participant: Participant) -> list[Enrolment]:
    return list(
        _enrolment_queryset()
        .filter(access.in_interventions(user, participant.association), participant=participant)
        .prefetch_related("involved_members", "sessions", "exit_survey__answers__question")
        .order_by("start_date")
    )


def national_export_rows(*, user, intervention: Intervention) -> list[list]:
    """One row per participation for the national follow-up (docs/national-export.md). No names,
    no identity numbers. Logged as an export of each participant."""
    access.require_staff(user, intervention)
    enrolments = list(
        _enrolment_queryset()
        .filter(intervention=intervention)
        .prefetch_related("involved_members")
        .annotate(
            session_count=Count("sessions"),
            survey_satisfied=F("exit_survey__satisfied"),
        )
        .order_by("start_date", "id")
    )

    def code(c):
        return c.code if c else ""

    rows = [
        [
            e.participant.reference,
            intervention.pk,
            intervention.title,
            e.start_date.isoformat(),
            e.participant.birth_year or "",
            e.age_at_start,
            e.participant.legal_gender,
            e.referring_member.name if e.referring_member else "",
            ";".join(m.name for m in e.involved_members.all()),
            code(e.entry_occupation),
            code(e.entry_income_source),
            code(e.time_outside),
            code(e.education),
            e.exit_date.isoformat() if e.exit_date else "",
            code(e.exit_reason),
            code(e.exit_occupation),
            code(e.exit_income_source),
            code(e.step_progress),
            e.session_count,
            "" if e.survey_satisfied is None else ("ja" if e.survey_satisfied else "nej"),
        ]
        for e in enrolments
    ]
    access_log_write(
        association=intervention.association,
        by=user,
        action=AccessLogEntry.Action.EXPORT,
        participants=[e.participant for e in enrolments] or [None],
        intervention=intervention,
        detail=_("Export for national follow-up, %(intervention)s")
        % {"intervention": intervention.title},
    )
    return rows


NATIONAL_EXPORT_COLUMNS = [
    "deltagare_ref",
    "insats_id",
    "insats",
    "startdatum",
    "fodelsear",
    "alder_vid_start",
    "kon",
    "remitterande_organisation",
    "samverkande_medlemmar",
    "sysselsattning_fore",
    "forsorjning_fore",
    "tid_utanfor",
    "utbildningsniva",
    "avslutsdatum",
    "avslutsorsak",
    "sysselsattning_efter",
    "forsorjning_efter",
    "stegforflyttning",
    "antal_traffar",
    "nojd",
]


# --- code lists -----------------------------------------------------------------------------------


def follow_up_codes(*, association, list_name: str, active_only: bool = True):
    qs = FollowUpCode.objects.filter(association=association, list_name=list_name)
    return qs.filter(is_active=True) if active_only else qs


def codes_for_office(*, user, association) -> QuerySet[FollowUpCode]:
    _require(user, association, "participants.codes")
    return FollowUpCode.objects.filter(association=association)


# --- the association's own survey questions --------------------------------------------------------


def survey_questions_for_office(*, user, association) -> QuerySet[SurveyQuestion]:
    """Every question, retired ones too, with how many answers each has (never the answers)."""
    _require(user, association, "participants.survey")
    return (
        SurveyQuestion.objects.filter(association=association)
        .annotate(answer_count=Count("answers"))
        .order_by("sort_order", "id")
    )


# --- goals (live) -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalProgress:
    goal_text: str
    target_value: str
    kind: str
    target: Decimal
    value: Decimal | None  # a count, or a percentage; None when there is nothing to measure yet
    numerator: int
    denominator: int  # for shares; the count itself for PARTICIPANTS
    # False when the value cannot be computed from what the statistics tables publish.
    derivable: bool = True

    @property
    def is_share(self) -> bool:
        return self.kind in goal_rules.SHARE_KINDS

    def published(self, threshold: int = THRESHOLD) -> bool:
        """Safe to show outside the intervention's staff: no group of 1–4 persons can be worked
        out (for a share: neither the denominator, the numerator nor the rest), and no count
        hidden in the published tables can be worked out from it."""
        if not self.derivable:
            return False
        groups = [self.denominator]
        if self.is_share:
            groups += [self.numerator, self.denominator - self.numerator]
        return not any(0 < n < threshold for n in groups)


def goal_figures_for_report(
    *, user, intervention: Intervention, year: int
) -> dict[str, GoalProgress]:
    """The register's figures for the intervention's goals in `year`, by goal text, for the status
    report its staff write. The figures are exact, so only the intervention's own staff get them
    ({} for everyone else, the office included)."""
    if not access.is_intervention_staff(user, intervention):
        return {}
    items = goal_progress(interventions=[intervention], year=year)[intervention.pk]
    return {item.goal_text: item for item in items if item.value is not None}


def unmeasured_goals(
    *, interventions: list[Intervention], year: int
) -> list[tuple[Intervention, int]]:
    """[(intervention, goals the register cannot measure)] among those running in `year`: where
    the office may want to say how a goal is measured. Goal texts only, no register data."""
    rows = []
    for intervention in interventions:
        if not intervention.runs_in_year(year):
            continue
        missing = sum(
            goal_rules.parse_goal(g.text, g.target_value, g.measure, g.measure_target) is None
            and g.measure != goal_rules.NOT_MEASURED
            for g in intervention.goals.all()
        )
        if missing:
            rows.append((intervention, missing))
    return rows


def intervention_counts(*, intervention_ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """Per intervention, in one grouped query: started, exited and the goal numerators."""
    exited = Q(exit_date__year=year)
    surveyed = Q(exit_survey__answered_on__year=year)
    rows = (
        Enrolment.objects.filter(intervention_id__in=intervention_ids)
        .filter(valid_enrolments())
        .order_by()
        .values("intervention_id")
        .annotate(
            started=Count("id", filter=Q(start_date__year=year)),
            exited=Count("id", filter=exited),
            exited_work=Count("id", filter=exited & Q(exit_occupation__is_positive=True)),
            step_known=Count("id", filter=exited & Q(step_progress__isnull=False)),
            step_positive=Count("id", filter=exited & Q(step_progress__is_positive=True)),
            surveys=Count("id", filter=surveyed),
            satisfied=Count("id", filter=surveyed & Q(exit_survey__satisfied=True)),
        )
    )
    empty = dict.fromkeys(
        ("started", "exited", "exited_work", "step_known", "step_positive", "surveys", "satisfied"),
        0,
    )
    counts = {pk: dict(empty) for pk in intervention_ids}
    for row in rows:
        counts[row.pop("intervention_id")] = row
    return counts


def _share(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


def goal_progress(*, interventions: list[Intervention], year: int) -> dict[int, list[GoalProgress]]:
    """Each intervention's measurable goals with the register's value for the year, live."""
    counts = intervention_counts(intervention_ids=[i.pk for i in interventions], year=year)
    result: dict[int, list[GoalProgress]] = {}
    for intervention in interventions:
        c = counts[intervention.pk]
        items = []
        for goal in intervention.goals.all():
            parsed = goal_rules.parse_goal(
                goal.text, goal.target_value, goal.measure, goal.measure_target
            )
            if parsed is None:
                continue
            if parsed.kind == goal_rules.PARTICIPANTS:
                num = den = c["started"]
                value: Decimal | None = Decimal(num)
            elif parsed.kind == goal_rules.SATISFIED:
                num, den = c["satisfied"], c["surveys"]
                value = _share(num, den)
            elif parsed.kind == goal_rules.STEP_PROGRESS:
                num, den = c["step_positive"], c["step_known"]
                value = _share(num, den)
            else:
                num, den = c["exited_work"], c["exited"]
                value = _share(num, den)
            items.append(
                GoalProgress(
                    goal_text=goal.text,
                    target_value=goal.target_value,
                    kind=parsed.kind,
                    target=parsed.target,
                    value=value,
                    numerator=num,
                    denominator=den,
                )
            )
        result[intervention.pk] = items
    return result


# --- statistics (aggregates only, suppressed) -----------------------------------------------------


def register_interventions(*, association) -> list[Intervention]:
    """Interventions with participants or of the individual kind: the register's scope."""
    return list(
        Intervention.objects.filter(association=association)
        .filter(Q(kind_shares__kind="individual") | Q(enrolments__isnull=False))
        .distinct()
        .prefetch_related("goals")
        .order_by("title")
    )


def statistics_years(*, association) -> list[int]:
    years = (
        Enrolment.objects.filter(intervention__association=association)
        .annotate(y=ExtractYear("start_date"))
        .order_by()
        .values_list("y", flat=True)
        .distinct()
    )
    this_year = timezone.localdate().year
    return sorted({*years, this_year}, reverse=True)


def default_statistics_year(*, association) -> int:
    this_year = timezone.localdate().year
    years = [y for y in statistics_years(association=association) if y <= this_year]
    has_data = Enrolment.objects.filter(
        intervention__association=association, start_date__year=this_year
    ).exists()
    if has_data or not years:
        return this_year
    latest = (
        Enrolment.objects.filter(intervention__association=association)
        .order_by("-start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    return latest.year if latest else this_year


def _age_band_expression() -> Case:
    whens = [
        When(age_at_start__gte=low, age_at_start__lte=high, then=Value(f"{low}–{high}"))
        for low, high in AGE_BANDS
    ]
    return Case(*whens, default=Value(_("Other ages")), output_field=CharField())


def _counts(
    rows: list[str], columns: list[str], grouped, row_key: str, column_key: str, labels=None
) -> dict[str, dict[str, int]]:
    data = {row: dict.fromkeys(columns, 0) for row in rows}
    for item in grouped:
        row = labels[item[row_key]] if labels else item[row_key]
        column = item[column_key]
        if row in data and column in data[row]:
            data[row][column] += item["n"]
    return {row: cells for row, cells in data.items() if any(cells.values())}


# The tables that leave the register for a year: on the statistics page and in the summary CSV.
STATUS, GENDER, AGE = "status", "gender", "age"
EXIT_REASON, EXIT_OCCUPATION, STEP, FLOW = "exit_reason", "exit_occupation", "step", "flow"
STARTED, EXITED = "started", "exited"  # the summary CSV's columns, one table each
# Exits with and without two ORS ratings: the ORS change is averaged over the first column, and
# the row total is the exits, so "exits minus rated" is a cell suppression sees, not a difference
# of two printed numbers.
ORS = "ors"
COUNT = "n"


def register_links(raw: dict[str, dict[str, dict[str, int]]], *, ended: str) -> list[list]:
    """The counts that several published tables share, table by table.

    Per intervention: the starts (row totals by gender and by age, the CSV's "startade") and
    the exits (the status table's ended column, the row totals by exit reason, occupation, step
    and ORS ratings, the CSV's "avslutade"); over all interventions their grand totals; and the
    exits per occupation after exit (column totals by occupation and of the before/after
    table)."""
    titles = dict.fromkeys(title for table in raw.values() for title in table)
    links: list[list] = []
    for title in titles:
        links.append([(GENDER, title, TOTAL), (AGE, title, TOTAL), (STARTED, title, COUNT)])
        links.append(
            [
                (STATUS, title, ended),
                (EXIT_REASON, title, TOTAL),
                (EXIT_OCCUPATION, title, TOTAL),
                (STEP, title, TOTAL),
                (ORS, title, TOTAL),
                (EXITED, title, COUNT),
            ]
        )
    links.append([(GENDER, TOTAL, TOTAL), (AGE, TOTAL, TOTAL), (STARTED, TOTAL, COUNT)])
    links.append(
        [
            (STATUS, TOTAL, ended),
            (EXIT_REASON, TOTAL, TOTAL),
            (EXIT_OCCUPATION, TOTAL, TOTAL),
            (STEP, TOTAL, TOTAL),
            (FLOW, TOTAL, TOTAL),
            (ORS, TOTAL, TOTAL),
            (EXITED, TOTAL, COUNT),
        ]
    )
    occupations = dict.fromkeys(
        column
        for table in (raw.get(EXIT_OCCUPATION, {}), raw.get(FLOW, {}))
        for cells in table.values()
        for column in cells
    )
    links += [[(EXIT_OCCUPATION, TOTAL, label), (FLOW, TOTAL, label)] for label in occupations]
    return links


def publish_register_tables(
    raw: dict[str, dict[str, dict[str, int]]], *, ended: str
) -> dict[str, SuppressedTable | None]:
    """Suppress the year's published tables together (suppression.suppress_linked), so that no
    count hidden in one table can be read in, or subtracted from, another."""
    present = {name: rows for name, rows in raw.items() if rows}
    published = suppress_linked(present, register_links(raw, ended=ended), threshold=THRESHOLD)
    return {name: published.get(name) for name in raw}


def is_published(tables, name: str, row, column) -> bool:
    """True when the table shows a number here (an absent table or row shows 0)."""
    table = tables.get(name)
    if table is None:
        return True
    return not table.withheld and isinstance(published_value(table, row, column), int)


def derivable(tables, kind: str, title: str, labels: dict[str, list[str]]) -> bool:
    """Can a goal's value be computed from numbers the tables already publish? Then publishing
    it tells nothing new; otherwise it could give away a hidden count."""
    if kind == goal_rules.PARTICIPANTS:
        return is_published(tables, STARTED, title, COUNT)
    if kind == goal_rules.WORK_OR_STUDIES:
        cells = [(title, TOTAL), *((title, label) for label in labels["positive_occupations"])]
        return all(is_published(tables, EXIT_OCCUPATION, *cell) for cell in cells)
    if kind == goal_rules.STEP_PROGRESS:
        cells = [
            (title, TOTAL),
            (title, labels["missing"]),
            *((title, label) for label in labels["positive_steps"]),
        ]
        return all(is_published(tables, STEP, *cell) for cell in cells)
    # Satisfaction: the surveys of the year and the satisfied among them (SURVEYED, whose row
    # totals are also the row totals of every own-question table).
    cells = [(title, TOTAL), (title, labels["satisfied"])]
    return all(is_published(tables, SURVEYED, *cell) for cell in cells)


@dataclass
class Statistics:
    year: int
    tables: list[tuple[str, str, SuppressedTable | None]]  # (heading, corner label, table)
    ors: list[dict]
    goals: list[tuple[Intervention, list[GoalProgress]]]
    questions: list[QuestionStatistics]
    # Goal texts only, no register data: where the office may say how a goal is measured.
    unmeasured: list[tuple[Intervention, int]]


@dataclass
class RegisterTables:
    headings: list[tuple[str, str, str]]  # (table name, heading, corner label)
    raw: dict[str, dict[str, dict[str, int]]]
    published: dict[str, SuppressedTable | None]
    labels: dict[str, list[str]]
    ors: list[dict]  # ors_change's rows, unpublished


def statistics(*, user, association, year: int) -> Statistics:
    _require(user, association, "participants.statistics")
    interventions = register_interventions(association=association)
    register = register_tables(
        association=association,
        interventions=interventions,
        year=year,
        rules=rating_rules_for(association),
    )
    surveys = survey_tables(association=association, interventions=interventions, year=year)
    published = {**register.published, SURVEYED: surveys.surveyed}
    headings = [*register.headings, (SURVEYED, surveys.heading, _("Intervention"))]
    tables = [(heading, corner, published[name]) for name, heading, corner in headings]
    ors_rows = []
    ors_table = register.published[ORS]
    for row in register.ors:
        # The count as the linked suppression publishes it; the average only beside a count.
        n = published_value(ors_table, row["intervention"].title, register.labels["ors_rated"])
        shown = isinstance(n, int) and not ors_table.withheld
        ors_rows.append(
            {**row, "n": n, "published": shown, "average": row["average"] if shown else None}
        )
    goals = goal_progress(interventions=interventions, year=year)
    for intervention in interventions:
        goals[intervention.pk] = [
            replace(
                item,
                derivable=derivable(published, item.kind, intervention.title, register.labels),
            )
            for item in goals[intervention.pk]
        ]
    return Statistics(
        year=year,
        tables=tables,
        ors=ors_rows,
        # An intervention's goals are followed up in the years it runs, not after it ended.
        goals=[(i, goals[i.pk]) for i in interventions if goals[i.pk] and i.runs_in_year(year)],
        questions=surveys.questions,
        unmeasured=unmeasured_goals(interventions=interventions, year=year),
    )


def register_tables(
    *,
    association,
    interventions: list[Intervention],
    year: int,
    rules: RatingRules | None = None,
) -> RegisterTables:
    """The year's tables as counts, and as published (suppressed together)."""
    titles = {i.pk: i.title for i in interventions}
    rows = [i.title for i in interventions]
    base = Enrolment.objects.filter(intervention__in=interventions).filter(valid_enrolments())
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    active_in_year = base.filter(start_date__lte=year_end).filter(
        Q(exit_date__isnull=True) | Q(exit_date__gte=year_start)
    )
    started = base.filter(start_date__year=year)
    ended = base.filter(exit_date__year=year)

    status_label = Case(
        When(exit_date__year=year, then=Value(_("Exited during the year"))),
        default=Value(_("Ongoing at end of year")),
        output_field=CharField(),
    )
    headings: list[tuple[str, str, str]] = []
    raw: dict[str, dict[str, dict[str, int]]] = {}
    status = (
        active_in_year.annotate(col=status_label)
        .order_by()
        .values("intervention_id", "col")
        .annotate(n=Count("id"))
    )
    ended_label = _("Exited during the year")
    headings.append((STATUS, _("Participants during the year"), _("Intervention")))
    raw[STATUS] = _counts(
        rows,
        [_("Ongoing at end of year"), ended_label],
        status,
        "intervention_id",
        "col",
        titles,
    )
    gender_label = Case(
        When(participant__legal_gender="F", then=Value(_("Women"))),
        default=Value(_("Men")),
        output_field=CharField(),
    )
    by_gender = (
        started.annotate(col=gender_label)
        .order_by()
        .values("intervention_id", "col")
        .annotate(n=Count("id"))
    )
    headings.append((GENDER, _("Started during the year, by legal gender"), _("Intervention")))
    raw[GENDER] = _counts(rows, [_("Women"), _("Men")], by_gender, "intervention_id", "col", titles)
    by_age = (
        started.annotate(col=_age_band_expression())
        .order_by()
        .values("intervention_id", "col")
        .annotate(n=Count("id"))
    )
    age_columns = [f"{low}–{high}" for low, high in AGE_BANDS]
    if any(item["col"] not in age_columns for item in by_age):
        age_columns.append(_("Other ages"))
    headings.append((AGE, _("Started during the year, by age at start"), _("Intervention")))
    raw[AGE] = _counts(rows, age_columns, by_age, "intervention_id", "col", titles)
    for name, heading, field_name, list_name in (
        (
            EXIT_REASON,
            _("Exited during the year, by reason for exit"),
            "exit_reason",
            CodeList.EXIT_REASON,
        ),
        (
            EXIT_OCCUPATION,
            _("Exited during the year, by occupation after exit"),
            "exit_occupation",
            CodeList.OCCUPATION,
        ),
        (
            STEP,
            _("Exited during the year, by step progression"),
            "step_progress",
            CodeList.STEP_PROGRESS,
        ),
    ):
        codes = [
            c.label
            for c in follow_up_codes(association=association, list_name=list_name).filter(
                voids_enrolment=False
            )
        ]
        grouped = list(
            ended.annotate(
                col=Case(
                    When(**{f"{field_name}__isnull": True}, then=Value(_("Not recorded"))),
                    default=F(f"{field_name}__label"),
                    output_field=CharField(),
                )
            )
            .order_by()
            .values("intervention_id", "col")
            .annotate(n=Count("id"))
        )
        columns = [*codes, _("Not recorded")]
        columns += [item["col"] for item in grouped if item["col"] not in columns]
        headings.append((name, heading, _("Intervention")))
        raw[name] = _counts(rows, columns, grouped, "intervention_id", "col", titles)
    flow = list(
        ended.annotate(
            before=Case(
                When(entry_occupation__isnull=True, then=Value(_("Not recorded"))),
                default=F("entry_occupation__label"),
                output_field=CharField(),
            ),
            col=Case(
                When(exit_occupation__isnull=True, then=Value(_("Not recorded"))),
                default=F("exit_occupation__label"),
                output_field=CharField(),
            ),
        )
        .order_by()
        .values("before", "col")
        .annotate(n=Count("id"))
    )
    occupation_labels = [
        c.label for c in follow_up_codes(association=association, list_name=CodeList.OCCUPATION)
    ] + [_("Not recorded")]
    extra = [i["before"] for i in flow] + [i["col"] for i in flow]
    occupation_labels += [x for x in dict.fromkeys(extra) if x not in occupation_labels]
    headings.append(
        (
            FLOW,
            _(
                "Occupation before (rows) and after (columns), exited during the year, all "
                "interventions"
            ),
            _("Before \\ after"),
        )
    )
    raw[FLOW] = _counts(occupation_labels, occupation_labels, flow, "before", "col")
    counts = intervention_counts(intervention_ids=list(titles), year=year)
    raw[STARTED] = {titles[pk]: {COUNT: c["started"]} for pk, c in counts.items() if c["started"]}
    raw[EXITED] = {titles[pk]: {COUNT: c["exited"]} for pk, c in counts.items() if c["exited"]}
    ors = ors_change(interventions=interventions, year=year, rules=rules)
    rated = {row["intervention"].pk: row["count"] for row in ors}
    rated_label, fewer_label = _("At least two ORS ratings"), _("Fewer than two ORS ratings")
    raw[ORS] = {
        titles[pk]: {rated_label: rated.get(pk, 0), fewer_label: c["exited"] - rated.get(pk, 0)}
        for pk, c in counts.items()
        if c["exited"]
    }

    def positive(list_name):
        return [
            c.label
            for c in follow_up_codes(association=association, list_name=list_name)
            if c.is_positive
        ]

    return RegisterTables(
        headings=headings,
        raw=raw,
        published=publish_register_tables(raw, ended=ended_label),
        labels={
            "positive_occupations": positive(CodeList.OCCUPATION),
            "positive_steps": positive(CodeList.STEP_PROGRESS),
            "missing": _("Not recorded"),
            "satisfied": _("Satisfied"),
            "ors_rated": rated_label,
        },
        ors=ors,
    )


def ors_change(
    *, interventions: list[Intervention], year: int, rules: RatingRules | None = None
) -> list[dict]:
    """Average ORS change (last minus first) per intervention, for participations that ended in
    the year with at least two ORS ratings. Published only for five or more participations.
    Reliable change follows the association's rules."""
    if not interventions:
        return []
    rules = rules or rating_rules_for(interventions[0].association)
    rated = Session.objects.filter(enrolment=OuterRef("pk"), ors_total__isnull=False)
    first = rated.order_by("date", "id").values("ors_total")[:1]
    last = rated.order_by("-date", "-id").values("ors_total")[:1]
    count = rated.order_by().values("enrolment").annotate(c=Count("id")).values("c")
    points = rules.reliable_change_points
    per_enrolment = (
        Enrolment.objects.filter(intervention__in=interventions, exit_date__year=year)
        .filter(valid_enrolments())
        .annotate(
            n_ors=Subquery(count, output_field=IntegerField()),
            change=ExpressionWrapper(
                Subquery(last, output_field=RATING_FIELD)
                - Subquery(first, output_field=RATING_FIELD),
                output_field=RATING_FIELD,
            ),
        )
        .filter(n_ors__gte=2)
    )
    grouped = (
        per_enrolment.order_by()
        .values("intervention_id")
        .annotate(
            n=Count("id"),
            average=Avg("change"),
            improved=Count("id", filter=Q(change__gte=points)),
            deteriorated=Count("id", filter=Q(change__lte=-points)),
        )
    )
    by_id = {row["intervention_id"]: row for row in grouped}
    out = []
    for intervention in interventions:
        row = by_id.get(intervention.pk)
        if row is None:
            continue
        n = row["n"]
        published = n >= THRESHOLD
        out.append(
            {
                "intervention": intervention,
                "count": n,
                "n": n if published else primary_marker(THRESHOLD),
                "average": Decimal(row["average"]).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if published and row["average"] is not None
                else None,
                "published": published,
            }
        )
    return out


# --- the association's own survey questions, aggregated -----------------------------------------


@dataclass(frozen=True)
class QuestionStatistics:
    """One scale or yes/no question: answers per intervention, suppressed, with the mean of a
    scale where it gives nothing away."""

    question: SurveyQuestion
    table: SuppressedTable | None  # None: no answers in the year
    means: dict[str, Decimal | None]  # per row label, and TOTAL_KEY for the whole table

    def as_rows(self, *, corner: str) -> list[list]:
        """The table's rows (header, interventions, totals) with a mean column for a scale."""
        assert self.table is not None
        rows = self.table.as_rows(corner=corner)
        if not self.question.is_scale:
            return rows
        header, *body, total = rows
        return [
            [*header, _("Mean")],
            *[[*row, _mean_text(self.means.get(row[0]))] for row in body],
            [*total, _mean_text(self.means.get(TOTAL_KEY))],
        ]


TOTAL_KEY = ""


def _mean_text(mean: Decimal | None) -> str:
    return "–" if mean is None else f"{mean}".replace(".", ",")


def answer_columns(question: SurveyQuestion) -> list[str]:
    if question.is_scale:
        labels = {1: question.scale_low_label, 5: question.scale_high_label}
        return [f"{v} – {labels[v]}" if labels.get(v) else str(v) for v in range(1, 6)]
    return [str(_("Yes")), str(_("No"))]


def publishable_means(
    table: SuppressedTable, means: dict[str, Decimal | None]
) -> dict[str, Decimal | None]:
    """The means that may be shown next to a suppressed distribution.

    A mean times its count is the sum of the answers: one more equation, which could give away a
    hidden cell (a row "1: <5, 5: –, total 7" and mean 4,4 leaves one solution). So a row's mean
    is shown only when every cell and the total of that row are published, and the whole table's
    mean only when every column total and the grand total are: then the mean follows from
    published numbers and tells nothing new. Means are rounded to one decimal.
    """
    shown: dict[str, Decimal | None] = {}

    def exact(values) -> bool:
        return all(isinstance(v, int) for v in values)

    for label in table.row_labels:
        row_open = exact([*table.cells[label].values(), table.row_totals[label]])
        shown[label] = _round_mean(means.get(label)) if row_open else None
    totals_open = exact([*table.column_totals.values(), table.grand_total])
    shown[TOTAL_KEY] = _round_mean(means.get(TOTAL_KEY)) if totals_open else None
    return shown


def _round_mean(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class SurveyTables:
    """The year's exit surveys as published: satisfied or not per intervention (SURVEYED), and
    one table per own question, suppressed together."""

    heading: str
    surveyed: SuppressedTable | None  # None: no surveys in the year
    questions: list[QuestionStatistics]


SURVEYED = "surveyed"


def survey_links(raw: dict) -> list[list]:
    """Every survey of the year is in every table of the group: the surveys per intervention are
    the row totals of SURVEYED and of each question's table (whose "no answer" column holds the
    surveys that skipped the question), and all grand totals are the year's surveys."""
    titles = dict.fromkeys(title for rows in raw.values() for title in rows)
    links = [[(name, title, TOTAL) for name in raw] for title in titles]
    links.append([(name, TOTAL, TOTAL) for name in raw])
    return links


def publish_survey_tables(raw: dict) -> dict:
    """Suppress SURVEYED and the question tables together (suppression.suppress_linked)."""
    present = {name: rows for name, rows in raw.items() if rows}
    published = suppress_linked(present, survey_links(present), threshold=THRESHOLD)
    return {name: published.get(name) for name in raw}


def survey_statistics(
    *, association, interventions: list[Intervention], year: int
) -> list[QuestionStatistics]:
    """The own questions' tables of `survey_tables`."""
    return survey_tables(association=association, interventions=interventions, year=year).questions


def survey_tables(*, association, interventions: list[Intervention], year: int) -> SurveyTables:
    """Per scale or yes/no question (active, or retired with answers in the year): the answers of
    the year's exit surveys per intervention, counted and averaged in the database, with a column
    for the surveys that did not answer it. Free-text answers are personal data and never
    counted here. Four queries whatever the number of questions."""
    titles = {i.pk: i.title for i in interventions}
    rows = [i.title for i in interventions]
    satisfied_label, unsatisfied_label = _("Satisfied"), _("Not satisfied")
    per_intervention = (
        ExitSurvey.objects.filter(enrolment__intervention__in=interventions, answered_on__year=year)
        .filter(valid_enrolments("enrolment__"))
        .order_by()
        .values("enrolment__intervention_id")
        .annotate(n=Count("id"), satisfied=Count("id", filter=Q(satisfied=True)))
    )
    by_title = {titles[item["enrolment__intervention_id"]]: item for item in per_intervention}
    surveys = {title: by_title[title]["n"] for title in rows if title in by_title}
    raw: dict = {
        SURVEYED: {
            title: {
                satisfied_label: by_title[title]["satisfied"],
                unsatisfied_label: n - by_title[title]["satisfied"],
            }
            for title, n in surveys.items()
        }
    }
    heading = _("Exit surveys answered during the year, by satisfaction")

    answered = Q(answers__exit_survey__answered_on__year=year)
    questions = list(
        SurveyQuestion.objects.filter(association=association)
        .exclude(kind=SurveyQuestion.Kind.TEXT)
        .filter(Q(is_active=True) | answered)
        .distinct()
        .order_by("sort_order", "id")
    )
    if not questions:
        return SurveyTables(heading, publish_survey_tables(raw)[SURVEYED], [])
    answers = (
        SurveyAnswer.objects.filter(
            question__in=questions,
            exit_survey__answered_on__year=year,
            exit_survey__enrolment__intervention__in=interventions,
        )
        .filter(valid_enrolments("exit_survey__enrolment__"))
        .order_by()
    )
    intervention = "exit_survey__enrolment__intervention_id"
    counts = answers.values("question_id", intervention, "scale_value", "yes_no_value").annotate(
        n=Count("id")
    )
    scale_answers = answers.filter(question__kind=SurveyQuestion.Kind.SCALE)
    row_means = scale_answers.values("question_id", intervention).annotate(mean=Avg("scale_value"))
    all_means = scale_answers.values("question_id").annotate(mean=Avg("scale_value"))

    no_answer = _("Not answered")
    grouped: dict[int, list[dict]] = {}
    for item in counts:
        question_id = item["question_id"]
        columns = answer_columns(next(q for q in questions if q.pk == question_id))
        if item["scale_value"] is not None:
            column = columns[item["scale_value"] - 1]
        elif item["yes_no_value"] is not None:
            column = columns[0] if item["yes_no_value"] else columns[1]
        else:
            continue
        grouped.setdefault(question_id, []).append(
            {"row": item[intervention], "col": column, "n": item["n"]}
        )
    means: dict[int, dict[str, Decimal | None]] = {}
    for item in row_means:
        means.setdefault(item["question_id"], {})[titles[item[intervention]]] = item["mean"]
    for item in all_means:
        means.setdefault(item["question_id"], {})[TOTAL_KEY] = item["mean"]

    for question in questions:
        if question.pk not in grouped:
            continue  # no answers in the year: no table
        table = _counts(
            rows,
            [*answer_columns(question), no_answer],
            grouped[question.pk],
            "row",
            "col",
            titles,
        )
        for title, n in surveys.items():
            table.setdefault(title, dict.fromkeys([*answer_columns(question), no_answer], 0))
            table[title][no_answer] = n - sum(table[title].values())
        raw[question.pk] = {title: table[title] for title in rows if title in table}
    published = publish_survey_tables(raw)
    out = []
    for question in questions:
        table = published.get(question.pk)
        shown = (
            publishable_means(table, means.get(question.pk, {}))
            if table is not None and question.is_scale and not table.withheld
            else {}
        )
        out.append(QuestionStatistics(question=question, table=table, means=shown))
    return SurveyTables(heading, published[SURVEYED], out)


def intervention_summary_rows(*, user, association, year: int) -> list[list]:
    """Per-intervention summary for CSV: the counts as the statistics page publishes them
    (suppressed together with its tables) and shares only where they give nothing away."""
    _require(user, association, "participants.statistics")
    interventions = register_interventions(association=association)
    register = register_tables(
        association=association,
        interventions=interventions,
        year=year,
        rules=rating_rules_for(association),
    )
    surveys = survey_tables(association=association, interventions=interventions, year=year)
    tables = {**register.published, SURVEYED: surveys.surveyed}
    counts = intervention_counts(intervention_ids=[i.pk for i in interventions], year=year)
    marker = primary_marker(THRESHOLD)
    rows = []
    for intervention in interventions:
        c = counts[intervention.pk]
        if not (c["started"] or c["exited"]):
            continue
        title = intervention.title

        def share(kind, num, den, title=title):
            if den == 0:
                return ""
            progress = GoalProgress("", "", kind, Decimal(0), None, num, den)
            if not (progress.published() and derivable(tables, kind, title, register.labels)):
                return marker if den < THRESHOLD else SECONDARY_MARKER
            return str(_share(num, den))

        rows.append(
            [
                year,
                title,
                published_value(tables[STARTED], title, COUNT) if tables[STARTED] else 0,
                published_value(tables[EXITED], title, COUNT) if tables[EXITED] else 0,
                share(goal_rules.SATISFIED, c["satisfied"], c["surveys"]),
                share(goal_rules.STEP_PROGRESS, c["step_positive"], c["step_known"]),
                share(goal_rules.WORK_OR_STUDIES, c["exited_work"], c["exited"]),
            ]
        )
    return rows


SUMMARY_COLUMNS = [
    "ar",
    "insats",
    "startade",
    "avslutade",
    "andel_nojda_procent",
    "andel_stegforflyttning_procent",
    "andel_avslut_till_arbete_eller_studier_procent",
]


# --- the access log (the data-protection contact) ------------------------------------------------


ACCESS_LOG_PER_PAGE = 100


def access_log(
    *,
    user,
    association,
    username: str = "",
    participant_ref: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    intervention: Intervention | None = None,
) -> QuerySet[AccessLogEntry]:
    _require(user, association, "participants.access_log")
    qs = AccessLogEntry.objects.filter(association=association).select_related("intervention")
    if intervention is not None:
        qs = qs.filter(intervention=intervention)
    if username:
        qs = qs.filter(username__iexact=username.strip())
    if participant_ref:
        digits = "".join(ch for ch in participant_ref if ch.isdigit())
        qs = qs.filter(participant_id=int(digits)) if digits else qs.none()
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs


def access_log_page(*, entries: QuerySet[AccessLogEntry], page: int | str | None) -> Page:
    return Paginator(entries.order_by("-at", "-id"), ACCESS_LOG_PER_PAGE).get_page(page)


ACCESS_LOG_COLUMNS = ["tidpunkt", "anvandare", "deltagare", "insats", "atgard", "vad"]


def access_log_rows(entries: QuerySet[AccessLogEntry]) -> list[list]:
    """The export's rows: the same columns as the page, local time."""
    return [
        [
            timezone.localtime(e.at).replace(tzinfo=None, microsecond=0),
            e.username,
            f"D-{e.participant_id}" if e.participant_id else "",
            e.intervention.title if e.intervention_id else "",
            e.get_action_display(),
            e.detail,
        ]
        for e in entries.order_by("at", "id").iterator(chunk_size=2000)
    ]


def access_log_interventions(*, user, association) -> QuerySet[Intervention]:
    _require(user, association, "participants.access_log")
    return Intervention.objects.filter(association=association).order_by("title")


def access_log_usernames(*, user, association) -> list[str]:
    _require(user, association, "participants.access_log")
    return list(
        AccessLogEntry.objects.filter(association=association)
        .order_by("username")
        .values_list("username", flat=True)
        .distinct()
    )
