"""The funding lifecycle: calls, applications, assessments, board decisions, interventions, grants
and payments.

Statuses are changed only by the services' transition functions (see services.py). History is never
edited: an extension, a reinforcement or an early end is a new Decision linked to the intervention.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONEY = {"max_digits": 14, "decimal_places": 2}
YEAR_VALIDATORS = [MinValueValidator(2004), MaxValueValidator(2100)]


class InterventionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual-focused")
    STRUCTURAL = "structural", _("Structural")
    PROCESS_SUPPORT = "process_support", _("Process support")
    COLLABORATION_SUPPORT = "collaboration_support", _("Collaboration support")


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    ANNUAL = "annual", _("Annual report")
    # Not written: the intervention presents itself to the board, and the office records at which
    # board meeting it happened.
    ORAL = "oral", _("Oral presentation")


class ReportingTerms(models.Model):
    """When an intervention reports to the board: the association's defaults, copied to a decision.

    Dates are a month and day repeated every year of the grant (interim per 06-30, annual per 12-31).
    Some associations ask for a full-year report only (`annual_report_only`): then no interim
    report is due, whatever its date says.
    """

    annual_report_only = models.BooleanField(
        _("annual report only"),
        default=False,
        help_text=_("No interim report: the intervention reports once a year."),
    )
    interim_report_month = models.PositiveSmallIntegerField(
        _("interim report as at (month)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    interim_report_day = models.PositiveSmallIntegerField(
        _("interim report as at (day)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    annual_report_month = models.PositiveSmallIntegerField(
        _("annual report as at (month)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    annual_report_day = models.PositiveSmallIntegerField(
        _("annual report as at (day)"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    oral_presentations_per_year = models.PositiveSmallIntegerField(
        _("oral presentations to the board per year"),
        default=1,
        validators=[MaxValueValidator(12)],
    )
    oral_presentation_month = models.PositiveSmallIntegerField(
        _("oral presentation by (month)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    oral_presentation_day = models.PositiveSmallIntegerField(
        _("oral presentation by (day)"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_(
            "With several presentations a year this is the last one; the others are spread evenly "
            "over the year before it."
        ),
    )

    class Meta:
        abstract = True

    def report_dates(self, year: int) -> list[tuple[str, dt.date]]:
        """[(label, due date)] for one year. Invalid days fall back to the month's last day."""
        periods = [*self.report_periods(year), *self.oral_periods(year)]
        return [(str(ReportKind(kind).label), day) for kind, day in periods]

    def oral_periods(self, year: int) -> list[tuple[str, dt.date]]:
        """[(ReportKind.ORAL, the day the presentation is due)] for one year: the last on the
        stated month and day, the others spread evenly over the months before it."""
        n = self.oral_presentations_per_year or 0
        if n <= 0:
            return []
        step = 12 // n
        months = {(self.oral_presentation_month - 1 - i * step) % 12 + 1 for i in range(n)}
        return [
            (ReportKind.ORAL, _safe_date(year, month, self.oral_presentation_day))
            for month in sorted(months)
        ]

    def report_periods(self, year: int) -> list[tuple[str, dt.date]]:
        """[(ReportKind, the day the report covers up to)] for one year."""
        annual = (
            ReportKind.ANNUAL,
            _safe_date(year, self.annual_report_month, self.annual_report_day),
        )
        if self.annual_report_only:
            return [annual]
        interim = (
            ReportKind.INTERIM,
            _safe_date(year, self.interim_report_month, self.interim_report_day),
        )
        return [interim, annual]


def _safe_date(year: int, month: int, day: int) -> dt.date:
    while day > 28:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1
    return dt.date(year, month, day)


class FundingSettings(ReportingTerms):
    """Per-association defaults for decisions (reporting duties) and follow-up."""

    association = models.OneToOneField(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="funding_settings",
        verbose_name=_("association"),
    )
    steering_meetings_expected = models.PositiveSmallIntegerField(
        _("steering group meetings per year"),
        default=3,
        validators=[MaxValueValidator(12)],
        help_text=_(
            "How many meetings an intervention's steering group is expected to hold per year, "
            "unless the intervention states a number itself."
        ),
    )

    class Meta:
        verbose_name = _("funding settings")
        verbose_name_plural = _("funding settings")

    def __str__(self) -> str:
        return str(self.association)


class AssessmentCriterion(models.Model):
    """One of the association's criteria for assessing applications. Each association edits its own."""

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="assessment_criteria",
        verbose_name=_("association"),
    )
    title = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_(
            "A criterion that has already been used in an assessment is not deleted; it is taken "
            "out of use instead."
        ),
    )

    class Meta:
        ordering = ["association", "sort_order", "id"]
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        constraints = [
            models.UniqueConstraint(fields=["association", "title"], name="unique_criterion_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Call(models.Model):
    """Utlysning: a pot of money open for applications during a period."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="calls",
        verbose_name=_("association"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    pot = models.DecimalField(_("funds available"), **MONEY)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("application deadline"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        ordering = ["association", "-opens_on", "title"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="call_closes_after_opening",
            ),
            models.CheckConstraint(condition=models.Q(pot__gte=0), name="call_pot_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def accepts_applications_on(self, day: dt.date) -> bool:
        return self.status == self.Status.OPEN and self.opens_on <= day <= self.closes_on


class Description(models.Model):
    """What every application and every intervention states (the seeds' standard sections).

    Shared by Application and Intervention: the intervention starts as a copy of the approved
    application, so a user enters each fact once and sees it again in every report.
    """

    title = models.CharField(_("name of the intervention"), max_length=200)
    background = models.TextField(_("background and description"), blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    age_from = models.PositiveSmallIntegerField(
        _("age from"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_to = models.PositiveSmallIntegerField(
        _("age to"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    purpose = models.TextField(_("aim"), blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(
        _("period to (inclusive)"),
        null=True,
        blank=True,
        help_text=_("Blank means until further notice."),
    )
    owner = models.CharField(
        _("project owner"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Kramfors kommun via Bildningsförvaltningen."),
    )
    responsible_manager = models.CharField(_("responsible manager"), max_length=200, blank=True)
    project_lead = models.CharField(_("project manager"), max_length=200, blank=True)
    employer = models.CharField(
        _("employer and work environment responsibility"), max_length=200, blank=True
    )
    partners = models.TextField(
        _("other partners"),
        blank=True,
        help_text=_("Partners that are not members of the association, e.g. Svenska kyrkan."),
    )
    reports_per_person = models.BooleanField(
        _("participants reported individually (SUS)"), default=False
    )
    sus_responsible = models.CharField(
        _("responsible for reporting in SUS"), max_length=200, blank=True
    )
    steering_meetings_per_year = models.CharField(
        pgettext_lazy("intervention description", "steering group meetings per year"),
        max_length=20,
        blank=True,
        help_text=_("E.g. 3–4; 0 when the intervention has no steering group."),
    )
    steering_group_convener = models.CharField(
        _("steering group convener"), max_length=200, blank=True
    )
    evaluation_plan = models.TextField(_("follow-up and evaluation"), blank=True)

    class Meta:
        abstract = True

    @property
    def age_range(self) -> str:
        if self.age_from is not None and self.age_to is not None:
            return f"{self.age_from}–{self.age_to}"
        if self.age_from is not None:
            return f"{self.age_from}–"
        if self.age_to is not None:
            return f"–{self.age_to}"
        return ""


DESCRIPTION_FIELDS = [f.name for f in Description._meta.local_fields]


class Application(Description):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ASSESSED = "assessed", _("Assessed")
        ON_AGENDA = "on_agenda", _("On the board's agenda")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("association"),
    )
    call = models.ForeignKey(
        Call,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("call"),
    )
    applicants = models.ManyToManyField(
        "organisation.Member", related_name="applications", verbose_name=_("applicant members")
    )
    continues = models.ForeignKey(
        "Intervention",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="continuation_applications",
        verbose_name=_("continues the intervention"),
        help_text=_("Choose an intervention if the application is for continued funding of it."),
    )
    reinforces = models.ForeignKey(
        "Intervention",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reinforcing_applications",
        verbose_name=_("reinforces the intervention"),
        help_text=_("E.g. STEGSAM Plus reinforces STEGSAM."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    agenda_item = models.ForeignKey(
        "organisation.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("board agenda item"),
    )

    class Meta:
        ordering = ["association", "-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.title


class ApplicationKindShare(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="kind_shares"
    )
    kind = models.CharField(
        _("type of intervention"), max_length=24, choices=InterventionKind.choices
    )
    percent = models.PositiveSmallIntegerField(
        _("share (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["application", "-percent", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="unique_application_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.percent} %"


class GoalMeasure(models.TextChoices):
    """How the participant register measures a goal. The goal's words and target stay as decided;
    this only says which figure of the register to put next to them."""

    FROM_TEXT = "", _("Read from the goal's text")
    PARTICIPANTS = "participants", _("Participants started per year")
    SATISFIED = "satisfied", _("Share of satisfied participants (exit survey)")
    STEP_PROGRESS = "step_progress", _("Share who moved towards work or studies")
    WORK_OR_STUDIES = "work_or_studies", _("Share who exited to work or studies")
    NOT_MEASURED = "none", _("Not measured in the participant register")


class MeasuredGoal(models.Model):
    """How the participant register measures a goal; an application's goal carries it into the
    intervention's."""

    measure = models.CharField(
        _("measured as"), max_length=20, choices=GoalMeasure.choices, blank=True, default=""
    )
    measure_target = models.DecimalField(
        _("target in figures"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("A number of participants per year, or a percentage (0–100) for a share."),
    )

    class Meta:
        abstract = True


class ApplicationGoal(MeasuredGoal):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)
    target_value = models.CharField(
        _("target value"), max_length=100, blank=True, help_text=_("E.g. ≥ 30 cases per year.")
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "sort_order", "id"]

    def __str__(self) -> str:
        return self.text


class ApplicationBudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    cost_line = models.CharField(_("cost item"), max_length=200)
    requested = models.DecimalField(
        _("amount requested"), validators=[MinValueValidator(Decimal(0))], **MONEY
    )
    own_financing = models.DecimalField(
        _("own co-financing"),
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        **MONEY,
    )
    external_funding = models.DecimalField(
        _("external funding"),
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        **MONEY,
    )
    external_source = models.CharField(
        _("external funder"), max_length=100, blank=True, help_text=_("E.g. ESF.")
    )

    class Meta:
        ordering = ["application", "year", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.cost_line}"

    @property
    def total(self) -> Decimal:
        return self.requested + self.own_financing + self.external_funding


class ApplicationVersion(models.Model):
    """The whole application as it stood after submission or after a later change. Never edited."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["application", "-number"]
        verbose_name = _("application version")
        verbose_name_plural = _("application versions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="unique_application_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


class Assessment(models.Model):
    class Score(models.IntegerChoices):
        NOT_MET = 1, _("1 – not met")
        PARTLY = 2, _("2 – partly met")
        MET = 3, _("3 – met")
        WELL_MET = 4, _("4 – well met")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessor"),
    )
    criterion = models.ForeignKey(
        AssessmentCriterion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("criterion"),
    )
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["application", "criterion__sort_order", "assessor_id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor", "criterion"],
                name="unique_assessment_per_assessor",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=4), name="assessment_score_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Intervention(Description):
    """Insats: what the association finances. Created by an approved decision (or imported history)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Ongoing")
        ENDED = "ended", _("Ended")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="interventions",
        verbose_name=_("association"),
    )
    application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intervention",
        verbose_name=_("application"),
    )
    members = models.ManyToManyField(
        "organisation.Member", blank=True, related_name="interventions", verbose_name=_("members")
    )
    reinforces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reinforced_by",
        verbose_name=_("reinforces"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="funding_interventions",
        verbose_name=_("intervention staff"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["association", "title"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self) -> str:
        return self.title

    def runs_in_year(self, year: int) -> bool:
        return self.period_start.year <= year and (
            self.period_end is None or self.period_end.year >= year
        )

    def status_on(self, day: dt.date) -> str:
        if day < self.period_start:
            return self.Status.PLANNED
        if self.period_end is not None and day > self.period_end:
            return self.Status.ENDED
        return self.Status.RUNNING


class InterventionKindShare(models.Model):
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="kind_shares"
    )
    kind = models.CharField(
        _("type of intervention"), max_length=24, choices=InterventionKind.choices
    )
    percent = models.PositiveSmallIntegerField(
        _("share (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["intervention", "-percent", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "kind"], name="unique_intervention_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.percent} %"


class InterventionGoal(MeasuredGoal):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)
    target_value = models.CharField(_("target value"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["intervention", "sort_order", "id"]

    def __str__(self) -> str:
        return self.text


class SteeringGroupMember(models.Model):
    """A person in a steering group: proposed in an application, then the intervention's own."""

    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="steering_group"
    )
    intervention = models.ForeignKey(
        Intervention, null=True, blank=True, on_delete=models.CASCADE, related_name="steering_group"
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("Leave blank if the person has not yet been appointed."),
    )
    member = models.ForeignKey(
        "organisation.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member organisation"),
        help_text=_("Blank for the association's own officer or a co-opted member."),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("steering group member")
        verbose_name_plural = _("steering group")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=True, intervention__isnull=False)
                | models.Q(application__isnull=False, intervention__isnull=True),
                name="steering_member_belongs_to_one",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(_("(not appointed)"))


class Decision(ReportingTerms):
    """A board decision, recorded per agenda item with its paragraph (§)."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Granted")
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Granted with conditions")
        REJECTED = "rejected", _("Rejected")
        REFERRED_BACK = "referred_back", _("Referred back")

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Decision on application")
        END = "end", _("Closure of intervention")
        # Ändringsbeslut: new totals for some years and/or a new end date, never edits history.
        CHANGE = "change", _("Change of intervention")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("association"),
    )
    kind = models.CharField(
        _("type"), max_length=12, choices=Kind.choices, default=Kind.APPLICATION
    )
    application = models.ForeignKey(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("application"),
    )
    intervention = models.ForeignKey(
        Intervention,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("intervention"),
    )
    meeting = models.ForeignKey(
        "organisation.Meeting",
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    agenda_item = models.ForeignKey(
        "organisation.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("agenda item"),
    )
    paragraph = models.CharField(_("paragraph"), max_length=20, help_text=_("E.g. § 12."))
    outcome = models.CharField(_("decision"), max_length=24, choices=Outcome.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    motivation = models.TextField(_("rationale"), blank=True)
    ends_on = models.DateField(_("intervention ends"), null=True, blank=True)
    previous_end = models.DateField(
        _("previous end date"),
        null=True,
        blank=True,
        help_text=_(
            "For a change decision: the intervention's end date before the decision (empty = until "
            "further notice)."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["association", "-meeting__date", "paragraph"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "paragraph"], name="unique_paragraph_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        subject = self.application or self.intervention
        return f"{self.paragraph} {self.meeting.date:%Y-%m-%d}: {subject}"

    @property
    def is_approval(self) -> bool:
        return self.outcome in APPROVED_OUTCOMES

    @property
    def outcome_label(self) -> str:
        """What was decided, as the minutes say it: an application's outcome, or what an end or
        change decision does to the intervention."""
        if self.kind == self.Kind.END and self.ends_on:
            return _("The intervention ends on %(d)s") % {"d": self.ends_on.isoformat()}
        if self.kind == self.Kind.CHANGE:
            return str(_("The intervention is changed"))
        return str(self.get_outcome_display())


APPROVED_OUTCOMES = (Decision.Outcome.APPROVED, Decision.Outcome.APPROVED_WITH_CONDITIONS)


class DecisionAmount(models.Model):
    """The amount a decision grants for a year. A change decision states the year's new total
    (0 when the year's money is withdrawn) together with the total it replaces (`previous`)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(Decimal(0))], **MONEY)
    previous = models.DecimalField(
        _("previously granted"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        **MONEY,
    )

    class Meta:
        ordering = ["decision", "year"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "year"], name="unique_decision_year"),
            # A grant is positive; only a change may bring a year down to 0.
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) | models.Q(amount__gte=0, previous__isnull=False),
                name="decision_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"

    def clean(self) -> None:
        if self.previous is None and self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("The amount must be greater than 0 kr.")})


class Grant(models.Model):
    """Beviljade medel: money decided for an intervention and year.

    `decision` is empty only for history imported from before Finsam (then `decision_ref` says
    where it was decided). A grant is never changed; an early end marks it withdrawn by that
    decision.
    """

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="grants")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    amount = models.DecimalField(
        _("amount granted"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("decision"),
    )
    decision_ref = models.CharField(
        _("decided in"),
        max_length=200,
        blank=True,
        help_text=_("For decisions made before Finsam."),
    )
    withdrawn_by = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withdrawn_grants",
        verbose_name=_("withdrawn by"),
    )
    note = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["intervention", "year", "id"]
        verbose_name = _("granted funds")
        verbose_name_plural = _("granted funds")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grant_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} {self.year}"

    @property
    def association(self):
        return self.intervention.association


class Payment(models.Model):
    class Kind(models.TextChoices):
        REQUISITION = "requisition", _("Payment request")
        PLAN = "plan", _("According to payment plan")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="payments", verbose_name=_("granted funds")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    kind = models.CharField(
        _("type"), max_length=12, choices=Kind.choices, default=Kind.REQUISITION
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    actual_costs = models.DecimalField(
        _("actual costs"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Costs reported for the period."),
        **MONEY,
    )
    note = models.CharField(_("comment"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["grant", "date", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant} {self.date:%Y-%m-%d}"

    @property
    def association(self):
        return self.grant.intervention.association


# --- reporting duties ---------------------------------------------------------------------------


class InterventionReport(models.Model):
    """A status report the intervention owes the board for a period (delårs- or årsrapport).

    Created as a duty from the decision's reporting terms; written by the intervention's staff
    (or the office), reviewed by the office. Status changes only through
    `services.report_transition`.
    """

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        SUBMITTED = "submitted", pgettext_lazy("report", "Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for additional information")
        # An oral presentation (ReportKind.ORAL) that has been held at a board meeting.
        HELD = "held", _("Held")

    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("intervention"),
    )
    meeting = models.ForeignKey(
        "organisation.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("board meeting"),
        help_text=_("Where the oral presentation was held."),
    )
    kind = models.CharField(_("type of report"), max_length=8, choices=ReportKind.choices)
    period_end = models.DateField(_("report covers the period up to and including"))
    due_date = models.DateField(_("due by"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DUE
    )
    what_happened = models.TextField(_("what has happened during the period"), blank=True)
    outcome = models.TextField(_("results so far"), blank=True)
    forecast = models.DecimalField(
        _("forecast for the year (kr)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Estimated costs for the whole year."),
        **MONEY,
    )
    deviations = models.TextField(_("deviations and why"), blank=True)
    review_comment = models.TextField(_("office's comment"), blank=True)
    submitted_at = models.DateTimeField(pgettext_lazy("report", "submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "intervention__title", "kind"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "kind", "period_end"], name="unique_report_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("period_end")),
                name="report_due_after_period",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="held")
                | models.Q(kind=ReportKind.ORAL, meeting__isnull=False),
                name="report_held_is_oral_at_a_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_end:%Y-%m-%d} – {self.intervention}"

    @property
    def association(self):
        return self.intervention.association

    @property
    def is_open(self) -> bool:
        """Still to be written (or held): due or returned for completion."""
        return self.status in (self.Status.DUE, self.Status.RETURNED)

    @property
    def is_oral(self) -> bool:
        return self.kind == ReportKind.ORAL

    def state_on(self, day: dt.date) -> str:
        """The dashboard's state: the status, or "overdue" for an open report past its due date."""
        if self.is_open and self.due_date < day:
            return REPORT_OVERDUE
        return self.status


REPORT_OVERDUE = "overdue"
REPORT_STATES = [
    (InterventionReport.Status.DUE.value, _("Due")),
    (REPORT_OVERDUE, _("Overdue")),
    (InterventionReport.Status.RETURNED.value, _("Returned for additional information")),
    (InterventionReport.Status.SUBMITTED.value, pgettext_lazy("report", "Submitted")),
    (InterventionReport.Status.APPROVED.value, _("Approved")),
    (InterventionReport.Status.HELD.value, _("Held")),
]


class ReportGoalAttainment(models.Model):
    """How far the intervention has come towards one of its goals, as stated in a report."""

    report = models.ForeignKey(
        InterventionReport, on_delete=models.CASCADE, related_name="attainments"
    )
    goal = models.ForeignKey(
        InterventionGoal,
        on_delete=models.CASCADE,
        related_name="attainments",
        verbose_name=_("goal"),
    )
    value = models.CharField(
        _("result"), max_length=200, blank=True, help_text=_("E.g. 22 cases so far this year.")
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "goal__sort_order", "goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="unique_attainment_per_goal"),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value}"


class ReminderSent(models.Model):
    """One e-mail reminder about a report to one person on one day: what makes reminders
    idempotent (see services.reminders_send for when a reminder is repeated)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    report = models.ForeignKey(
        InterventionReport, on_delete=models.CASCADE, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    sent_on = models.DateField(_("sent"))

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "recipient", "kind", "sent_on"], name="unique_reminder_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.recipient} ({self.kind}, {self.sent_on:%Y-%m-%d})"


# --- attachments --------------------------------------------------------------------------------


def attachment_path(instance: ApplicationAttachment, filename: str) -> str:
    """Stored under the association and a random name: the user's file name is never a path."""
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"funding/{instance.application.association.slug}/ansokningar/"
        f"{instance.application_id}/{uuid.uuid4().hex}.{suffix}"
    )


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def association(self):
        return self.application.association


# --- steering-group meetings --------------------------------------------------------------------


def minutes_path(instance: SteeringGroupMeeting, filename: str) -> str:
    """Like attachment_path: under the association and a random name, never the user's name."""
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"funding/{instance.intervention.association.slug}/styrgrupp/"
        f"{instance.intervention_id}/{uuid.uuid4().hex}.{suffix}"
    )


class SteeringGroupMeeting(models.Model):
    """One meeting of an intervention's steering group, with its minutes (protokoll) once written."""

    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.CASCADE,
        related_name="steering_meetings",
        verbose_name=_("intervention"),
    )
    date = models.DateField(_("date"))
    notes = models.TextField(
        _("agenda and notes"),
        blank=True,
        help_text=_("E.g. the items on the agenda. The minutes are uploaded as a file."),
    )
    minutes = models.FileField(_("minutes"), upload_to=minutes_path, max_length=300, blank=True)
    minutes_name = models.CharField(_("file name"), max_length=255, blank=True)
    minutes_content_type = models.CharField(_("file type"), max_length=100, blank=True)
    minutes_size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    minutes_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("minutes uploaded by"),
    )
    minutes_uploaded_at = models.DateTimeField(_("minutes uploaded"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["intervention", "-date", "-id"]
        verbose_name = _("steering group meeting")
        verbose_name_plural = _("steering group meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "date"], name="unique_steering_meeting_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} {self.date:%Y-%m-%d}"

    @property
    def association(self):
        return self.intervention.association

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes)
