from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.core.money import format_stored_decimal


class AuditEvent(models.Model):
    """One row per change that matters. Written by services, in the same transaction; never edited."""

    association = models.ForeignKey(
        "organisation.Association",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name=_("association"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_name = models.CharField(_("username"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    event = models.CharField(_("event"), max_length=64, db_index=True)
    action = models.CharField(_("action"), max_length=16)
    target_type = models.CharField(_("object type"), max_length=100)
    # "app_label.modelname", so that the log can show the fields' labels instead of their names.
    target_model = models.CharField(max_length=100, blank=True, default="")
    target_id = models.CharField(_("object ID"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # Rows about one participant of the register (corrections, consent, erasure): their target
    # and before/after are health-related personal data. The general audit log shows such a row
    # only as "a change in this intervention, by whom and when" unless the reader is staff of
    # `intervention` (finsam.core.selectors.audit_events); the full history is on the
    # participant's page, for the intervention's staff.
    personal_data = models.BooleanField(_("data about a participant"), default=False)
    intervention = models.ForeignKey(
        "funding.Intervention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("intervention"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["association", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event} {self.target_repr}"

    def _target_meta(self):
        if not self.target_model:
            return None
        try:
            return apps.get_model(self.target_model)._meta
        except (LookupError, ValueError):
            return None  # a model that no longer exists: the raw names are all there is

    @property
    def redacted(self) -> bool:
        """A participant's row read by someone who may not see its content. Fails closed: only
        the selector's annotation `payload_shown` opens a personal row."""
        return not getattr(self, "payload_shown", not self.personal_data)

    @property
    def target_type_label(self) -> str:
        if self.redacted:
            return str(_("participant data in intervention"))
        meta = self._target_meta()
        return str(meta.verbose_name) if meta else self.target_type

    @property
    def target_label(self) -> str:
        """What the row is about: for a redacted row only the intervention, never the
        participant's reference or a session's date."""
        if self.redacted:
            return (
                self.intervention.title if self.intervention_id else str(_("unknown intervention"))
            )
        return self.target_repr

    def labelled_changes(self) -> list[tuple[str, str, str]]:
        """Changed fields with the labels and values a reader of the log understands; none for
        a redacted row."""
        if self.redacted:
            return []
        meta = self._target_meta()
        rows = []
        for name, before, after in self.changed_fields():
            field = _field(meta, name)
            label = str(field.verbose_name) if field is not None else name
            rows.append((label, _shown(field, before), _shown(field, after)))
        return rows

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


def _field(meta, name: str):
    if meta is None:
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            field = meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        if hasattr(field, "verbose_name"):
            return field
    return None


def _shown(field, value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(format_stored_decimal(value))
