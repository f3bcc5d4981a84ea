"""Assessment criteria and the assessors' scores of an application."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.funding.models.applications import Application


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
