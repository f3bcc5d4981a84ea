"""Documents the board adopts: one row per association × kind × period × version.

The period is the year (the plan, the annual report), the cut-off date (an interim report) or the
meeting (a board pack). A document is a draft until the board adopts it; adoption freezes it: its
PDF is stored here with its SHA-256 and never rendered again. A change after adoption is a new
version (a new row) of the same association, kind and period.

A draft may be put up for adoption at a board meeting (`adoption_meeting`): the board pack of
that meeting attaches it as an appendix (finsam.documents.selectors.documents_for_adoption).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("type of document"), max_length=20)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    cut_off = models.DateField(_("cut-off date"), null=True, blank=True)
    # The board pack's own meeting (its period).
    meeting = models.ForeignKey(
        "organisation.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_packs",
        verbose_name=_("meeting"),
    )
    # The board meeting where this draft is up for adoption (its board pack attaches it).
    adoption_meeting = models.ForeignKey(
        "organisation.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents_for_adoption",
        verbose_name=_("up for adoption at"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The adopted PDF, exactly as adopted (never rendered again), and its SHA-256 in hex.
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 of the adopted PDF"), max_length=64, blank=True)

    class Meta:
        ordering = ["association", "kind", "-year", "-cut_off", "-version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "kind", "year", "cut_off", "meeting", "version"],
                name="unique_document_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED


class TextVersion(models.Model):
    """One saved version of one free-text section (Markdown). Never updated: each save is a row."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="texts")
    key = models.CharField(_("section"), max_length=60)
    text = models.TextField(_("text"), blank=True, max_length=50_000)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["document", "key", "-created_at", "-id"]
        verbose_name = _("text version")
        verbose_name_plural = _("text versions")

    def __str__(self) -> str:
        return f"{self.document}: {self.key}"

    @property
    def association(self):
        return self.document.association


class FlagAcknowledgement(models.Model):
    """The office has seen a consistency flag and says why the document can be adopted anyway."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    code = models.CharField(_("flag"), max_length=80)
    message = models.TextField(_("finding"))
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(_("acknowledged"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["document", "created_at"]
        verbose_name = _("acknowledged flag")
        verbose_name_plural = _("acknowledged flags")
        constraints = [
            models.UniqueConstraint(fields=["document", "code"], name="unique_flag_acknowledgement")
        ]

    def __str__(self) -> str:
        return self.message[:80]

    @property
    def association(self):
        return self.document.association


class RenderJob(models.Model):
    """A document rendered by a task worker, with progress in the database (as the SIE import's
    job in finsam.economy.jobs). The draft's output is kept here for download."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="jobs")
    fmt = models.CharField(_("format"), max_length=4)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    step = models.CharField(_("step"), max_length=100, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(_("message"), blank=True)
    output = models.BinaryField(null=True, blank=True, editable=False)
    flags = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["document", "-created_at", "-id"]
        verbose_name = _("document generation")
        verbose_name_plural = _("document generations")

    def __str__(self) -> str:
        return f"{self.document} {self.fmt} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def association(self):
        return self.document.association


class DocumentSettings(models.Model):
    """The association's look in its documents: the logo in the running header (PNG or JPEG)."""

    association = models.OneToOneField(
        "organisation.Association", on_delete=models.CASCADE, related_name="document_settings"
    )
    logo = models.BinaryField(null=True, blank=True, editable=False)
    logo_type = models.CharField(max_length=20, blank=True)
    logo_name = models.CharField(_("logo"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return f"{self.association}: {self.logo_name or '-'}"
