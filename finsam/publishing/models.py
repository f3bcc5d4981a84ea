"""The public catalogue: entries the office publishes about its interventions and activities,
its publication settings, and the tokens that open an association's non-public aggregates."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationSettings(models.Model):
    """Whether the association has public pages, and whom the public may contact."""

    association = models.OneToOneField(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="publication_settings",
        verbose_name=_("association"),
    )
    is_public = models.BooleanField(
        _("public pages switched on"),
        default=False,
        help_text=_("The catalogue, results and open data are shown to anyone without login."),
    )
    introduction = models.TextField(_("introduction on the public page"), blank=True)
    contact_name = models.CharField(
        _("public contact"),
        max_length=200,
        blank=True,
        help_text=_("The only person named on the public pages, e.g. the director."),
    )
    contact_email = models.EmailField(_("public contact e-mail"), blank=True)
    contact_phone = models.CharField(_("public contact telephone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("publication settings")
        verbose_name_plural = _("publication settings")

    def __str__(self) -> str:
        return str(self.association)


class TargetGroup(models.TextChoices):
    YOUNG_ADULTS = "young_adults", _("Young adults")
    SICK_LEAVE = "sick_leave", _("People on sick leave")
    UNEMPLOYED = "unemployed", _("Unemployed far from the labour market")
    NEWLY_ARRIVED = "newly_arrived", _("Newly arrived")
    DISABILITY = "disability", _("People with disabilities")
    ECONOMIC_SUPPORT = "economic_support", _("Recipients of financial assistance")
    STAFF = "staff", _("Staff of the member organisations")
    OTHER = "other", _("Other")


class CatalogueEntry(models.Model):
    """One intervention or activity in the public catalogue (Insatskatalogen's entry).

    The facts come from the intervention or activity; what they lack (a target group to filter
    on, who can refer, a public summary and contact) is stored here. The register's results are
    a snapshot taken by the office (`results`), never read live on a public page."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("For review")
        PUBLISHED = "published", _("Published")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="catalogue_entries",
        verbose_name=_("association"),
    )
    intervention = models.OneToOneField(
        "funding.Intervention",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="catalogue_entry",
        verbose_name=_("intervention"),
    )
    activity = models.OneToOneField(
        "goals.Activity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="catalogue_entry",
        verbose_name=_("activity"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(
        _("public summary"),
        help_text=_("What the intervention offers, in plain language. Never about one person."),
    )
    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)
    municipalities = models.ManyToManyField(
        "organisation.Member",
        blank=True,
        related_name="catalogue_entries",
        verbose_name=_("municipalities"),
        help_text=_("Where the intervention is offered."),
    )
    refer_self = models.BooleanField(_("the person themselves"), default=False)
    refer_employment_service = models.BooleanField(_("Arbetsförmedlingen"), default=False)
    refer_social_insurance = models.BooleanField(_("Försäkringskassan"), default=False)
    refer_municipality = models.BooleanField(_("the municipality"), default=False)
    refer_health_care = models.BooleanField(_("health care (the region)"), default=False)
    how_to_apply = models.TextField(_("how to take part"), blank=True)
    contact_name = models.CharField(
        _("contact on the public page"),
        max_length=200,
        blank=True,
        help_text=_("Published as written: a role or a person who has agreed to be named."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    review_by = models.DateField(
        _("review by"),
        help_text=_("After this date the entry is flagged until someone has reviewed it."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    results = models.JSONField(_("published results"), default=list, blank=True)
    results_updated_at = models.DateTimeField(_("results updated"), null=True, blank=True)

    class Meta:
        ordering = ["association", "id"]
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(intervention__isnull=False, activity__isnull=True)
                    | models.Q(intervention__isnull=True, activity__isnull=False)
                ),
                name="catalogue_entry_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def subject(self):
        return self.intervention or self.activity

    @property
    def title(self) -> str:
        return self.subject.title if self.subject else ""

    def is_overdue(self, today: dt.date) -> bool:
        return self.review_by < today

    def clean(self) -> None:
        subject = self.subject
        if subject is not None and subject.association_id != self.association_id:
            raise ValidationError(_("The entry must describe one of the association's own."))


REFERRER_FIELDS = [
    "refer_self",
    "refer_employment_service",
    "refer_social_insurance",
    "refer_municipality",
    "refer_health_care",
]


class ApiToken(models.Model):
    """A per-association token for the open API's non-public aggregates. Only its hash is kept;
    the token reads as the office user who created it, and stops when that user no longer may."""

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("association"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Who uses it, e.g. Region X."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("begins with"), max_length=8, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_on = models.DateField(
        _("last used"), null=True, blank=True, validators=[MaxValueValidator(dt.date(2100, 1, 1))]
    )

    class Meta:
        ordering = ["association", "-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
