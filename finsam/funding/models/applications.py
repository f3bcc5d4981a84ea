"""Applications (ansökningar), their kind shares, goals, budget and versions, and the description
an application shares with the intervention it becomes."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from finsam.funding.models._common import MONEY, YEAR_VALIDATORS
from finsam.funding.models.calls import Call
from finsam.funding.models.terms import InterventionKind


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
