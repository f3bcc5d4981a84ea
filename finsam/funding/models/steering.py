"""An intervention's (or application's) steering group and its meetings with minutes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.funding.models.applications import Application
from finsam.funding.models.interventions import Intervention


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
