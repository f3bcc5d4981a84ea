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

from finsam.economy.models import InterventionKind

MONEY = {"max_digits": 14, "decimal_places": 2}
YEAR_VALIDATORS = [MinValueValidator(2004), MaxValueValidator(2100)]


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Delårsrapport")
    ANNUAL = "annual", _("Årsrapport")
    # Not written: the intervention presents itself to the board, and the office records at which
    # board meeting it happened.
    ORAL = "oral", _("Muntlig föredragning")


class ReportingTerms(models.Model):
    """When an intervention reports to the board: the association's defaults, copied to a decision.

    Dates are a month and day repeated every year of the grant (interim per 06-30, annual per 12-31).
    Some associations ask for a full-year report only (`annual_report_only`): then no interim
    report is due, whatever its date says.
    """

    annual_report_only = models.BooleanField(
        _("bara årsrapport"),
        default=False,
        help_text=_("Ingen delårsrapport: insatsen rapporterar en gång per år."),
    )
    interim_report_month = models.PositiveSmallIntegerField(
        _("delårsrapport per (månad)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    interim_report_day = models.PositiveSmallIntegerField(
        _("delårsrapport per (dag)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    annual_report_month = models.PositiveSmallIntegerField(
        _("årsrapport per (månad)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    annual_report_day = models.PositiveSmallIntegerField(
        _("årsrapport per (dag)"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    oral_presentations_per_year = models.PositiveSmallIntegerField(
        _("muntliga föredragningar för styrelsen per år"),
        default=1,
        validators=[MaxValueValidator(12)],
    )
    oral_presentation_month = models.PositiveSmallIntegerField(
        _("muntlig föredragning senast (månad)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    oral_presentation_day = models.PositiveSmallIntegerField(
        _("muntlig föredragning senast (dag)"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_(
            "Med flera föredragningar per år är detta den sista; de övriga fördelas jämnt över "
            "året före den."
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
        verbose_name=_("förbund"),
    )
    steering_meetings_expected = models.PositiveSmallIntegerField(
        _("styrgruppsmöten per år"),
        default=3,
        validators=[MaxValueValidator(12)],
        help_text=_(
            "Hur många möten en insats styrgrupp förväntas hålla per år, om insatsen inte själv "
            "anger ett antal."
        ),
    )

    class Meta:
        verbose_name = _("inställningar för medelstilldelning")
        verbose_name_plural = _("inställningar för medelstilldelning")

    def __str__(self) -> str:
        return str(self.association)


class AssessmentCriterion(models.Model):
    """One of the association's criteria for assessing applications. Each association edits its own."""

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="assessment_criteria",
        verbose_name=_("förbund"),
    )
    title = models.CharField(_("kriterium"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    is_active = models.BooleanField(
        _("används"),
        default=True,
        help_text=_("Ett kriterium som redan har bedömts tas inte bort, det slutar användas."),
    )

    class Meta:
        ordering = ["association", "sort_order", "id"]
        verbose_name = _("bedömningskriterium")
        verbose_name_plural = _("bedömningskriterier")
        constraints = [
            models.UniqueConstraint(fields=["association", "title"], name="unique_criterion_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Call(models.Model):
    """Utlysning: a pot of money open for applications during a period."""

    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        CLOSED = "closed", _("Stängd")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="calls",
        verbose_name=_("förbund"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    pot = models.DecimalField(_("medel att fördela"), **MONEY)
    opens_on = models.DateField(_("öppnar"))
    closes_on = models.DateField(_("sista ansökningsdag"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        ordering = ["association", "-opens_on", "title"]
        verbose_name = _("utlysning")
        verbose_name_plural = _("utlysningar")
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

    title = models.CharField(_("namn på insatsen"), max_length=200)
    background = models.TextField(_("bakgrund och beskrivning"), blank=True)
    target_group = models.TextField(_("målgrupp"), blank=True)
    age_from = models.PositiveSmallIntegerField(
        _("ålder från"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_to = models.PositiveSmallIntegerField(
        _("ålder till"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    purpose = models.TextField(_("syfte"), blank=True)
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(
        _("period till och med"), null=True, blank=True, help_text=_("Tomt betyder tills vidare.")
    )
    owner = models.CharField(
        _("projektägare"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. Kramfors kommun via Bildningsförvaltningen."),
    )
    responsible_manager = models.CharField(_("ansvarig chef"), max_length=200, blank=True)
    project_lead = models.CharField(_("projektledare"), max_length=200, blank=True)
    employer = models.CharField(_("arbetsgivar- och arbetsmiljöansvar"), max_length=200, blank=True)
    partners = models.TextField(
        _("övriga samverkansparter"),
        blank=True,
        help_text=_("Parter som inte är medlemmar i förbundet, t.ex. Svenska kyrkan."),
    )
    reports_per_person = models.BooleanField(
        _("deltagare redovisas per person (SUS)"), default=False
    )
    sus_responsible = models.CharField(
        _("ansvarig för rapportering i SUS"), max_length=200, blank=True
    )
    steering_meetings_per_year = models.CharField(
        _("styrgruppens möten per år"), max_length=20, blank=True, help_text=_("T.ex. 3–4.")
    )
    steering_group_convener = models.CharField(
        _("sammankallande för styrgruppen"), max_length=200, blank=True
    )
    evaluation_plan = models.TextField(_("uppföljning och utvärdering"), blank=True)

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
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inskickad")
        ASSESSED = "assessed", _("Bedömd")
        ON_AGENDA = "on_agenda", _("På styrelsens dagordning")
        DECIDED = "decided", _("Beslutad")
        WITHDRAWN = "withdrawn", _("Återtagen")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("förbund"),
    )
    call = models.ForeignKey(
        Call,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("utlysning"),
    )
    applicants = models.ManyToManyField(
        "organisation.Member", related_name="applications", verbose_name=_("sökande medlemmar")
    )
    continues = models.ForeignKey(
        "Intervention",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="continuation_applications",
        verbose_name=_("förlänger insatsen"),
        help_text=_("Välj en insats om ansökan gäller fortsatt finansiering av den."),
    )
    reinforces = models.ForeignKey(
        "Intervention",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reinforcing_applications",
        verbose_name=_("förstärker insatsen"),
        help_text=_("T.ex. STEGSAM Plus förstärker STEGSAM."),
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
        verbose_name=_("skapad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    agenda_item = models.ForeignKey(
        "organisation.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ärende i styrelsen"),
    )

    class Meta:
        ordering = ["association", "-created_at", "-id"]
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")

    def __str__(self) -> str:
        return self.title


class ApplicationKindShare(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="kind_shares"
    )
    kind = models.CharField(_("typ av insats"), max_length=24, choices=InterventionKind.choices)
    percent = models.PositiveSmallIntegerField(
        _("andel (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["application", "-percent", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="unique_application_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.percent} %"


class ApplicationGoal(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("mål"), max_length=500)
    target_value = models.CharField(
        _("målvärde"), max_length=100, blank=True, help_text=_("T.ex. ≥ 30 ärenden per år.")
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
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    cost_line = models.CharField(_("kostnadspost"), max_length=200)
    requested = models.DecimalField(
        _("sökt belopp"), validators=[MinValueValidator(Decimal(0))], **MONEY
    )
    own_financing = models.DecimalField(
        _("egen medfinansiering"),
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        **MONEY,
    )
    external_funding = models.DecimalField(
        _("extern finansiering"),
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        **MONEY,
    )
    external_source = models.CharField(
        _("extern finansiär"), max_length=100, blank=True, help_text=_("T.ex. ESF.")
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
    snapshot = models.JSONField(_("innehåll"))
    reason = models.CharField(_("anledning"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        ordering = ["application", "-number"]
        verbose_name = _("version av ansökan")
        verbose_name_plural = _("versioner av ansökan")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="unique_application_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


class Assessment(models.Model):
    class Score(models.IntegerChoices):
        NOT_MET = 1, _("1 – uppfylls inte")
        PARTLY = 2, _("2 – uppfylls delvis")
        MET = 3, _("3 – uppfylls")
        WELL_MET = 4, _("4 – uppfylls väl")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bedömare"),
    )
    criterion = models.ForeignKey(
        AssessmentCriterion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("kriterium"),
    )
    score = models.PositiveSmallIntegerField(_("poäng"), choices=Score.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["application", "criterion__sort_order", "assessor_id"]
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
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
        PLANNED = "planned", _("Planerad")
        RUNNING = "running", _("Pågående")
        ENDED = "ended", _("Avslutad")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="interventions",
        verbose_name=_("förbund"),
    )
    application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intervention",
        verbose_name=_("ansökan"),
    )
    members = models.ManyToManyField(
        "organisation.Member", blank=True, related_name="interventions", verbose_name=_("medlemmar")
    )
    reinforces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reinforced_by",
        verbose_name=_("förstärker"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="funding_interventions",
        verbose_name=_("insatspersonal"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["association", "title"]
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")

    def __str__(self) -> str:
        return self.title

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
    kind = models.CharField(_("typ av insats"), max_length=24, choices=InterventionKind.choices)
    percent = models.PositiveSmallIntegerField(
        _("andel (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
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


class InterventionGoal(models.Model):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("mål"), max_length=500)
    target_value = models.CharField(_("målvärde"), max_length=100, blank=True)
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
        _("namn"),
        max_length=200,
        blank=True,
        help_text=_("Lämna tomt om personen inte är utsedd än."),
    )
    member = models.ForeignKey(
        "organisation.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("medlemsorganisation"),
        help_text=_("Tomt för förbundets egen tjänsteperson eller en adjungerad."),
    )
    role = models.CharField(_("roll"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("styrgruppsledamot")
        verbose_name_plural = _("styrgrupp")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=True, intervention__isnull=False)
                | models.Q(application__isnull=False, intervention__isnull=True),
                name="steering_member_belongs_to_one",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(_("(ej utsedd)"))


class Decision(ReportingTerms):
    """A board decision, recorded per agenda item with its paragraph (§)."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Beviljad")
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Beviljad med villkor")
        REJECTED = "rejected", _("Avslagen")
        REFERRED_BACK = "referred_back", _("Återremitterad")

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Beslut om ansökan")
        END = "end", _("Avslut av insats")
        # Ändringsbeslut: new totals for some years and/or a new end date, never edits history.
        CHANGE = "change", _("Ändring av insats")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("förbund"),
    )
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices, default=Kind.APPLICATION)
    application = models.ForeignKey(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("ansökan"),
    )
    intervention = models.ForeignKey(
        Intervention,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("insats"),
    )
    meeting = models.ForeignKey(
        "organisation.Meeting",
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("sammanträde"),
    )
    agenda_item = models.ForeignKey(
        "organisation.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ärende"),
    )
    paragraph = models.CharField(_("paragraf"), max_length=20, help_text=_("T.ex. § 12."))
    outcome = models.CharField(_("beslut"), max_length=24, choices=Outcome.choices)
    conditions = models.TextField(_("villkor"), blank=True)
    motivation = models.TextField(_("motivering"), blank=True)
    ends_on = models.DateField(_("insatsen avslutas"), null=True, blank=True)
    previous_end = models.DateField(
        _("tidigare slutdatum"),
        null=True,
        blank=True,
        help_text=_("Vid ändringsbeslut: insatsens slutdatum före beslutet (tomt = tills vidare)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        ordering = ["association", "-meeting__date", "paragraph"]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
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
            return _("Insatsen avslutas %(d)s") % {"d": self.ends_on.isoformat()}
        if self.kind == self.Kind.CHANGE:
            return str(_("Insatsen ändras"))
        return str(self.get_outcome_display())


APPROVED_OUTCOMES = (Decision.Outcome.APPROVED, Decision.Outcome.APPROVED_WITH_CONDITIONS)


class DecisionAmount(models.Model):
    """The amount a decision grants for a year. A change decision states the year's new total
    (0 when the year's money is withdrawn) together with the total it replaces (`previous`)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    amount = models.DecimalField(_("belopp"), validators=[MinValueValidator(Decimal(0))], **MONEY)
    previous = models.DecimalField(
        _("tidigare beviljat"),
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
            raise ValidationError({"amount": _("Beloppet måste vara större än 0 kr.")})


class Grant(models.Model):
    """Beviljade medel: money decided for an intervention and year.

    `decision` is empty only for history imported from before Finsam (then `decision_ref` says
    where it was decided). A grant is never changed; an early end marks it withdrawn by that
    decision.
    """

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="grants")
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    amount = models.DecimalField(
        _("beviljat belopp"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("beslut"),
    )
    decision_ref = models.CharField(
        _("beslutat i"), max_length=200, blank=True, help_text=_("För beslut fattade före Finsam.")
    )
    withdrawn_by = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withdrawn_grants",
        verbose_name=_("återkallat genom"),
    )
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        ordering = ["intervention", "year", "id"]
        verbose_name = _("beviljade medel")
        verbose_name_plural = _("beviljade medel")
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
        REQUISITION = "requisition", _("Rekvisition")
        PLAN = "plan", _("Enligt utbetalningsplan")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Begärd")
        APPROVED = "approved", _("Godkänd")
        PAID = "paid", _("Utbetald")
        REJECTED = "rejected", _("Avslagen")

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="payments", verbose_name=_("beviljade medel")
    )
    date = models.DateField(_("datum"))
    amount = models.DecimalField(
        _("belopp"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices, default=Kind.REQUISITION)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    actual_costs = models.DecimalField(
        _("faktiska kostnader"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Redovisade kostnader för perioden."),
        **MONEY,
    )
    note = models.CharField(_("kommentar"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["grant", "date", "id"]
        verbose_name = _("utbetalning")
        verbose_name_plural = _("utbetalningar")
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
        DUE = "due", _("Ska lämnas")
        SUBMITTED = "submitted", _("Inlämnad")
        APPROVED = "approved", _("Godkänd")
        RETURNED = "returned", _("Återsänd för komplettering")
        # An oral presentation (ReportKind.ORAL) that has been held at a board meeting.
        HELD = "held", _("Genomförd")

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="reports", verbose_name=_("insats")
    )
    meeting = models.ForeignKey(
        "organisation.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("styrelsens sammanträde"),
        help_text=_("Där den muntliga föredragningen hölls."),
    )
    kind = models.CharField(_("typ av rapport"), max_length=8, choices=ReportKind.choices)
    period_end = models.DateField(_("rapporten avser perioden till och med"))
    due_date = models.DateField(_("ska lämnas senast"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DUE
    )
    what_happened = models.TextField(_("vad har hänt under perioden"), blank=True)
    outcome = models.TextField(_("utfall hittills"), blank=True)
    forecast = models.DecimalField(
        _("prognos för året (kr)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Beräknade kostnader för hela året."),
        **MONEY,
    )
    deviations = models.TextField(_("avvikelser och varför"), blank=True)
    review_comment = models.TextField(_("kansliets kommentar"), blank=True)
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "intervention__title", "kind"]
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
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
    (InterventionReport.Status.DUE.value, _("Ska lämnas")),
    (REPORT_OVERDUE, _("Försenad")),
    (InterventionReport.Status.RETURNED.value, _("Återsänd för komplettering")),
    (InterventionReport.Status.SUBMITTED.value, _("Inlämnad")),
    (InterventionReport.Status.APPROVED.value, _("Godkänd")),
    (InterventionReport.Status.HELD.value, _("Genomförd")),
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
        verbose_name=_("mål"),
    )
    value = models.CharField(
        _("utfall"), max_length=200, blank=True, help_text=_("T.ex. 22 ärenden hittills i år.")
    )
    comment = models.TextField(_("kommentar"), blank=True)

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
        DUE_SOON = "due_soon", _("Snart dags")
        OVERDUE = "overdue", _("Försenad")

    report = models.ForeignKey(
        InterventionReport, on_delete=models.CASCADE, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("typ"), max_length=8, choices=Kind.choices)
    sent_on = models.DateField(_("skickad"))

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = _("skickad påminnelse")
        verbose_name_plural = _("skickade påminnelser")
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
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("filnamn"), max_length=255)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "id"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

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
        verbose_name=_("insats"),
    )
    date = models.DateField(_("datum"))
    notes = models.TextField(
        _("dagordning och anteckningar"),
        blank=True,
        help_text=_("T.ex. punkterna på dagordningen. Protokollet laddas upp som fil."),
    )
    minutes = models.FileField(_("protokoll"), upload_to=minutes_path, max_length=300, blank=True)
    minutes_name = models.CharField(_("filnamn"), max_length=255, blank=True)
    minutes_content_type = models.CharField(_("filtyp"), max_length=100, blank=True)
    minutes_size = models.PositiveIntegerField(_("storlek (byte)"), null=True, blank=True)
    minutes_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("protokollet uppladdat av"),
    )
    minutes_uploaded_at = models.DateTimeField(_("protokollet uppladdat"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        ordering = ["intervention", "-date", "-id"]
        verbose_name = _("styrgruppsmöte")
        verbose_name_plural = _("styrgruppsmöten")
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
