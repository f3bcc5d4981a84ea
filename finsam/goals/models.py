"""The association's own goals, their measures, the activities that count towards them, the office's
assessments per period, and the yearly internal control plan."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Period(models.TextChoices):
    HALF_YEAR = "half_year", _("First half-year (1 January–30 June)")
    YEAR = "year", _("Full year")


class ExternalGoal(models.Model):
    """A goal set by someone else that the association's goals serve: a regional development
    plan's numbered goals ("Mål 19 – Öka andelen sysselsatta")."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="external_goals"
    )
    source = models.CharField(_("source"), max_length=200, help_text=_("E.g. the regional plan."))
    number = models.CharField(_("number"), max_length=20, blank=True)
    text = models.CharField(_("goal"), max_length=300)

    class Meta:
        ordering = ["association", "source", "id"]
        verbose_name = _("external goal")

    def __str__(self) -> str:
        return f"{self.number} – {self.text}" if self.number else self.text


class GoalArea(models.Model):
    """Målområde: the association's own heading for a group of goals in one year."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="goal_areas"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    name = models.CharField(_("goal area"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["association", "year", "sort_order", "id"]
        verbose_name = _("goal area")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year", "name"], name="unique_goal_area_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class Goal(models.Model):
    area = models.ForeignKey(
        GoalArea, on_delete=models.CASCADE, related_name="goals", verbose_name=_("goal area")
    )
    text = models.TextField(_("goal"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    external_goals = models.ManyToManyField(
        ExternalGoal, blank=True, related_name="goals", verbose_name=_("external goals")
    )
    interventions = models.ManyToManyField(
        "funding.Intervention",
        blank=True,
        related_name="association_goals",
        verbose_name=_("interventions that serve the goal"),
    )
    intervention_goals = models.ManyToManyField(
        "funding.InterventionGoal",
        blank=True,
        related_name="association_goals",
        verbose_name=_("the interventions' own goals"),
    )

    class Meta:
        ordering = ["area", "sort_order", "id"]
        verbose_name = _("goal")

    def __str__(self) -> str:
        return self.text[:120]

    @property
    def association(self):
        return self.area.association


class Measure(models.Model):
    """How a goal is measured ("mäts genom att …"): what kind of target, and where the figure
    comes from. The rules that read the figure live in finsam/goals/attainment.py."""

    class Kind(models.TextChoices):
        COUNT = "count", _("A count of at least N per period")
        SHARE = "share", _("A share of at least X %")
        AMOUNT = "amount", _("An amount of at least N kronor")
        DONE_BY = "done_by", _("Done by a date")
        DESCRIBED = "described", _("Described only")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by the office, with evidence")
        ACTIVITIES = "activities", _("The goal's activities")
        REGISTER = "register", _("The participant register")
        VOLUME = "volume", _("Volume counts of interventions")
        INTERVENTION_GOALS = "intervention_goals", _("The interventions' own goals")
        ECONOMY = "economy", _("The economy")

    class Metric(models.TextChoices):
        NONE = "", _("—")
        ACTIVITIES_HELD = "activities_held", _("Activities held")
        ATTENDANCE = "attendance", _("Participants at the activities")
        PARTICIPANTS = "participants", _("Participants started (each person once)")
        SATISFIED = "satisfied", _("Share satisfied at exit")
        STEP_PROGRESS = "step_progress", _("Share who moved towards work or studies")
        WORK_OR_STUDIES = "work_or_studies", _("Share who exited to work or studies")
        ORS_IMPROVED = "ors_improved", _("Share with reliable ORS improvement")
        RESULT = "result", _("The year's result")
        EQUITY = "equity", _("Equity at the end of the year")
        FINANCIAL_RULES = "financial_rules", _("The financial rules hold")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measures")
    text = models.TextField(_("measured by"))
    kind = models.CharField(_("type of measure"), max_length=12, choices=Kind.choices)
    source = models.CharField(_("data source"), max_length=20, choices=Source.choices)
    metric = models.CharField(
        _("figure"), max_length=20, choices=Metric.choices, blank=True, default=""
    )
    # Not 14/2 (an amount field): the target is also a count or a percentage, typed as a number.
    target = models.DecimalField(
        _("target in figures"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A count, a percentage (0–100) or an amount in kronor."),
    )
    due_date = models.DateField(_("to be done by"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["goal", "sort_order", "id"]
        verbose_name = _("measure")

    def __str__(self) -> str:
        return self.text[:120]

    @property
    def association(self):
        return self.goal.area.association


class ManualEntry(models.Model):
    """A figure the office records for a measure, with what shows it (minutes, a list, a link)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField(_("date"))
    value = models.DecimalField(
        _("value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty when the entry only records that something was done."),
    )
    evidence = models.TextField(_("evidence"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["measure", "date", "id"]
        verbose_name = _("recorded figure")

    def __str__(self) -> str:
        return f"{self.date} {self.value if self.value is not None else ''}".strip()

    @property
    def association(self):
        return self.measure.goal.area.association


class VolumeCount(models.Model):
    """Participants of an intervention that counts rather than registers them (a competence
    development programme): a number per date, no persons."""

    intervention = models.ForeignKey(
        "funding.Intervention",
        on_delete=models.CASCADE,
        related_name="volume_counts",
        verbose_name=_("intervention"),
    )
    date = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("number of participants"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["intervention", "date", "id"]
        verbose_name = _("volume count")

    def __str__(self) -> str:
        return f"{self.intervention} {self.date}: {self.count}"

    @property
    def association(self):
        return self.intervention.association


class Assessment(models.Model):
    """The office's written assessment of one goal for one period."""

    class Verdict(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")
        WILL_BE_MET = "will_be_met", _("Will be met")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="assessments")
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    verdict = models.CharField(_("assessment"), max_length=12, choices=Verdict.choices)
    reason = models.TextField(_("why"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["goal", "period"]
        verbose_name = _("goal assessment")
        constraints = [
            models.UniqueConstraint(fields=["goal", "period"], name="one_assessment_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}: {self.goal}"

    @property
    def association(self):
        return self.goal.area.association


class Activity(models.Model):
    """Something the association arranges for the members' staff; attendance counted per member
    organisation, no personal data."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        LUNCH_LECTURE = "lunch_lecture", _("Lunch lecture")
        CONFERENCE = "conference", _("Conference")
        NETWORK = "network", _("Network meeting")
        SEMINAR = "seminar", _("Seminar")
        AGENCY_DATING = "agency_dating", _("Date an agency")
        AWARENESS_WEEK = "awareness_week", _("Awareness week")
        OTHER = "other", _("Other")

    class Organiser(models.TextChoices):
        ALONE = "alone", _("The association alone")
        JOINT = "joint", _("Together with other associations")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"))
    organiser = models.CharField(
        _("organiser"), max_length=8, choices=Organiser.choices, default=Organiser.ALONE
    )
    co_organisers = models.CharField(_("organised together with"), max_length=300, blank=True)
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="activities", verbose_name=_("goals it counts towards")
    )

    class Meta:
        ordering = ["association", "-date", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.title} {self.date:%Y-%m-%d}"


class Attendance(models.Model):
    """Registrations and attendance of one member organisation (or of others, member empty)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "organisation.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity_attendance",
        verbose_name=_("member organisation"),
    )
    registered = models.PositiveIntegerField(_("registrations"), default=0)
    attended = models.PositiveIntegerField(_("attended"), default=0)

    class Meta:
        ordering = ["activity", "member__name"]
        # One row per member organisation and one "others" row per activity, as partial unique
        # indexes (SQLite has no NULLS NOT DISTINCT, so one constraint would be left out there).
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"],
                condition=models.Q(member__isnull=False),
                name="one_attendance_row_per_member",
            ),
            models.UniqueConstraint(
                fields=["activity"],
                condition=models.Q(member__isnull=True),
                name="one_others_attendance_row",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member or _('Others')}: {self.attended}"

    @property
    def association(self):
        return self.activity.association


class EvaluationQuestion(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evaluation")
    question = models.CharField(_("question"), max_length=300)
    result = models.TextField(_("answers"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["activity", "sort_order", "id"]
        verbose_name = _("evaluation question")

    def __str__(self) -> str:
        return self.question

    @property
    def association(self):
        return self.activity.association


# --- internal control ------------------------------------------------------------------------------

SCALE = [MinValueValidator(1), MaxValueValidator(4)]


class InternalControlPlan(models.Model):
    """Internkontrollplan with its risk and materiality analysis, one per association and year."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="control_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    adopted_on = models.DateField(_("adopted by the board"), null=True, blank=True)
    report_meeting = models.ForeignKey(
        "organisation.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported to the board at"),
    )
    previous_follow_up = models.TextField(_("follow-up of last year's plan"), blank=True)

    class Meta:
        ordering = ["association", "-year"]
        verbose_name = _("internal control plan")
        constraints = [
            models.UniqueConstraint(fields=["association", "year"], name="one_control_plan_a_year")
        ]

    def __str__(self) -> str:
        return f"{_('Internal control plan')} {self.year}"


class Risk(models.Model):
    plan = models.ForeignKey(InternalControlPlan, on_delete=models.CASCADE, related_name="risks")
    area = models.CharField(_("risk area"), max_length=200)
    description = models.TextField(_("risk"))
    probability = models.PositiveSmallIntegerField(_("probability (1–4)"), validators=SCALE)
    consequence = models.PositiveSmallIntegerField(_("consequence (1–4)"), validators=SCALE)

    class Meta:
        ordering = ["plan", "area", "id"]
        verbose_name = _("risk")

    def __str__(self) -> str:
        return self.description[:120]

    @property
    def association(self):
        return self.plan.association


class Control(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="controls")
    description = models.TextField(_("control"))
    owner = models.CharField(_("responsible"), max_length=200)
    frequency = models.CharField(_("frequency"), max_length=100)
    method = models.CharField(_("method"), max_length=300)
    result = models.TextField(_("result"), blank=True)
    action = models.TextField(_("action"), blank=True)

    class Meta:
        ordering = ["risk", "id"]
        verbose_name = _("control")

    def __str__(self) -> str:
        return self.description[:120]

    @property
    def association(self):
        return self.risk.plan.association
