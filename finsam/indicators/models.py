"""Indikatorer för finansiell samordning: the national indicator instrument as data.

An `Instrument` (versioned) holds `Indicator`s and one `Questionnaire` per respondent group; each
questionnaire's `Item`s are statements answered on a scale and mapped to an indicator. An
association runs a yearly `Campaign` of one questionnaire with anonymous one-time links
(`ResponseLink`, only a hash of the token is stored) and paper forms typed in by the office. A
`Response` is never linked to a link or a person: it holds only its answers.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class RespondentGroup(models.TextChoices):
    PARTICIPANTS_ONGOING = "participants_ongoing", _("Participants (ongoing)")
    PARTICIPANTS_EXIT = "participants_exit", _("Participants (at exit)")
    STAFF = "staff", _("Intervention staff")
    BOARD = "board", _("Board members")
    MANAGERS = "managers", _("Managers in the partner organisations")
    REFERRERS = "referrers", _("Referrers")


class Instrument(models.Model):
    """One version of the survey instrument. Without an association it is installation-wide:
    every association of the installation uses it."""

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicator_instruments",
    )
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("indicator instrument")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name", "version"],
                name="unique_instrument_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Indicator(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("indicator"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "sort_order", "id"]
        verbose_name = _("indicator")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="unique_indicator_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Questionnaire(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="questionnaires"
    )
    group = models.CharField(_("respondent group"), max_length=32, choices=RespondentGroup.choices)
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)

    class Meta:
        ordering = ["instrument", "id"]
        verbose_name = _("questionnaire")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "group"], name="unique_questionnaire_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.instrument})"


class Item(models.Model):
    """A statement answered on a scale from `scale_min` to `scale_max` (e.g. 1–5 or 1–10)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="items", verbose_name=_("indicator")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("statement"))
    scale_min = models.PositiveSmallIntegerField(_("scale from"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("scale to"), default=5)
    min_label = models.CharField(_("label of the lowest value"), max_length=100, blank=True)
    max_label = models.CharField(_("label of the highest value"), max_length=100, blank=True)

    class Meta:
        ordering = ["questionnaire", "number"]
        verbose_name = _("item")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_item_number"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="item_scale_has_two_values",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Campaign(models.Model):
    """One questionnaire sent to one respondent group in one year."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="indicator_campaigns"
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("questionnaire"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    interventions = models.ManyToManyField(
        "funding.Intervention",
        blank=True,
        related_name="indicator_campaigns",
        verbose_name=_("interventions"),
    )
    paper_forms = models.PositiveIntegerField(
        _("paper forms distributed"),
        default=0,
        help_text=_("How many paper forms were handed out; counts towards the response rate."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["association", "-year", "id"]
        verbose_name = _("indicator campaign")

    def __str__(self) -> str:
        return f"{self.questionnaire.get_group_display()} {self.year}"


class ResponseLink(models.Model):
    """An anonymous one-time link: only the SHA-256 of its random token is stored. It says whether
    it was used, not when, and no response points back at it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("response link")

    def __str__(self) -> str:
        return f"{self.campaign} link"


class Response(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Web link")
        PAPER = "paper", _("Paper form")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    source = models.CharField(max_length=8, choices=Source.choices)

    class Meta:
        verbose_name = _("indicator response")

    def __str__(self) -> str:
        return f"{self.campaign} response"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("answer")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item.number}: {self.value}"
