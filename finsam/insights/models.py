"""Insights' own rows: an association's consent to the public comparison, and saved reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ComparisonConsent(models.Model):
    """Whether an association's key figures appear on the public comparison page. Absent = no.
    Set by the association's office (insights.services.comparison_consent_set), audited."""

    association = models.OneToOneField(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="comparison_consent",
        verbose_name=_("association"),
    )
    public = models.BooleanField(_("shown on the public comparison page"), default=False)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("consent to the public comparison")
        verbose_name_plural = _("consents to the public comparison")

    def __str__(self) -> str:
        return str(self.association)


class SavedReport(models.Model):
    """A report of the report builder: a data set, its columns and filters. Never its rows: they
    are read again, through the owning app's selectors, for whoever opens it."""

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="saved_reports",
        verbose_name=_("association"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_reports",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=120)
    dataset = models.CharField(_("data set"), max_length=40)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    shared = models.BooleanField(
        _("shared within the association"),
        default=False,
        help_text=_(
            "Others in the association can open the report; each sees only the rows and columns "
            "their own role allows."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved report")
        verbose_name_plural = _("saved reports")

    def __str__(self) -> str:
        return self.name
