from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One row per change that matters. Written by services, in the same transaction; never edited."""

    association = models.ForeignKey(
        "organisation.Association",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name=_("förbund"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("användare"),
    )
    actor_name = models.CharField(_("användarnamn"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    event = models.CharField(_("händelse"), max_length=64, db_index=True)
    action = models.CharField(_("åtgärd"), max_length=16)
    target_type = models.CharField(_("objekttyp"), max_length=100)
    target_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    target_repr = models.CharField(_("objekt"), max_length=255, blank=True)
    before = models.JSONField(_("före"), null=True, blank=True)
    after = models.JSONField(_("efter"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("granskningshändelse")
        verbose_name_plural = _("granskningslogg")
        indexes = [models.Index(fields=["association", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event} {self.target_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
