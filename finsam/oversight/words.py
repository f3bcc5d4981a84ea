"""The audit log told in words: people by their names, fields by their Swedish labels, objects by
their names, values as people write them. No ids reach the reader.

One page of rows costs a fixed number of queries: one for the people, one per kind of object
named (the targets still there and the objects a change points at)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from finsam.accounts.models import User
from finsam.core.identity_numbers import mask_identity_numbers
from finsam.core.money import format_stored_decimal
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent

# Keys some services write that are not fields of the target (counts, summaries, extras).
EXTRA_LABELS = {
    "interventions_linked": gettext_lazy("interventions linked to budget rows"),
    "lines": gettext_lazy("budget rows"),
    "links": gettext_lazy("links created"),
    "source": gettext_lazy("answered"),
    "file": gettext_lazy("file"),
    "replaced": gettext_lazy("earlier imports replaced"),
    "transactions": gettext_lazy("transactions"),
    "vouchers": gettext_lazy("vouchers"),
    "comment": gettext_lazy("comment"),
    "goals": gettext_lazy("goals"),
    "budget_lines": gettext_lazy("budget"),
    "steering_group": gettext_lazy("steering group"),
    "participant": gettext_lazy("participant"),
    "audit_rows_blanked": gettext_lazy("log rows blanked"),
    "meeting": gettext_lazy("meeting"),
    "user": gettext_lazy("person"),
    "role": gettext_lazy("role"),
    "email": gettext_lazy("email"),
    "login": gettext_lazy("login"),
    "address": gettext_lazy("address"),
    "sort_order": gettext_lazy("order"),
    "name": gettext_lazy("name"),
    "complete": gettext_lazy("import complete"),
    "sha256": gettext_lazy("checksum (SHA-256)"),
    "program": gettext_lazy("accounting program"),
    "voucher_count": gettext_lazy("vouchers"),
    "transaction_count": gettext_lazy("transactions"),
    "vision": gettext_lazy("vision"),
    "token_hash": gettext_lazy("link code (hashed)"),
    "line_label": gettext_lazy("budget row"),
    "used": gettext_lazy("used"),
    "reviewed_by": gettext_lazy("reviewed by"),
    "submitted_by": gettext_lazy("submitted by"),
    "created_by": gettext_lazy("created by"),
    "uploaded_by": gettext_lazy("uploaded by"),
    "imported_by": gettext_lazy("imported by"),
    "created_at": gettext_lazy("created"),
    "size": gettext_lazy("size (bytes)"),
    "format": gettext_lazy("format"),
    "withdrawn_by": gettext_lazy("withdrawn by"),
    "reason": gettext_lazy("reason"),
    "rows": gettext_lazy("rows"),
    "line": gettext_lazy("budget row"),
    "column": gettext_lazy("column"),
    "changes": gettext_lazy("changes"),
    "count": gettext_lazy("how many"),
    "copied_from": gettext_lazy("copied from"),
    "expires_at": gettext_lazy("valid until"),
    "amount": gettext_lazy("amount"),
    "year": gettext_lazy("year"),
    "text": gettext_lazy("text"),
    "value": gettext_lazy("value"),
    "member": gettext_lazy("member"),
    "cost_line": gettext_lazy("cost item"),
    "requested": gettext_lazy("amount requested"),
    "own_financing": gettext_lazy("own co-financing"),
    "external_funding": gettext_lazy("external funding"),
    "external_source": gettext_lazy("external funder"),
    "target_value": gettext_lazy("target value"),
    "measure": gettext_lazy("measured as"),
    "measure_target": gettext_lazy("target in figures"),
    "applicants": gettext_lazy("applicant members"),
    "kind_shares": gettext_lazy("share per kind of intervention (%)"),
}

# Values some services write under such keys, by key: what they mean to a reader.
EXTRA_VALUES = {
    "source": {"web": gettext_lazy("on the web"), "paper": gettext_lazy("on paper")},
}

# Events whose before/after is keyed by the id of an object, not by a field name.
KEYED_BY = {Event.ATTENDANCE_SET: "organisation.member"}
KEYED_VALUE = {Event.ATTENDANCE_SET: gettext_lazy("%(registered)s registered, %(attended)s came")}

# A run of these, written by the system within one minute, is shown as one row with a count.
# Logins are never collapsed: each attempt is worth its own row.
NOT_COLLAPSED = {Event.LOGIN_FAILED.value, Event.LOGIN_LOCKED_OUT.value}


@dataclass
class LogRow:
    event: AuditEvent
    count: int
    when: dt.datetime
    actor: str
    event_label: str
    object_type: str
    object_label: str
    sentence: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def redacted(self) -> bool:
        return self.event.redacted


def event_label(value: str) -> str:
    return str(Event(value).label) if value in Event.values else value


def system_name() -> str:
    return _("The system")


def is_system(event: AuditEvent) -> bool:
    return event.actor_id is None and event.actor_name in ("", "system")


def _meta(label: str):
    try:
        return apps.get_model(label)._meta if label else None
    except (LookupError, ValueError):
        return None


def _field(meta, name: str):
    if meta is None:
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            found = meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        if hasattr(found, "verbose_name"):
            return found
    return None


def field_label(meta, name: str) -> str:
    """The field's Swedish label: its verbose_name; where the model gave none (Django made one
    from the name), the related model's name, or the log's own word for the key."""
    f = _field(meta, name)
    auto = name.replace("_", " ")
    if f is not None and str(f.verbose_name) != auto:
        return str(f.verbose_name)
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    if f is not None and f.is_relation and f.related_model is not None:
        return str(f.related_model._meta.verbose_name)
    return str(f.verbose_name) if f is not None else auto


def _datetime(value: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    local = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "j F Y"),
        "time": formats.time_format(local, "H.i"),
    }


def _date(value: str) -> str:
    try:
        return formats.date_format(dt.date.fromisoformat(value), "j F Y")
    except ValueError:
        return value


def _plain(value) -> str:
    """A value without a field to say what it is: dicts and lists spelt out, not Python's repr."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return "; ".join(f"{EXTRA_LABELS.get(k, k)}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        if any(isinstance(v, dict) for v in value):  # rows of a table: one after the other
            return " | ".join(_plain(v) for v in value)
        return ", ".join(_plain(v) for v in value)
    return str(format_stored_decimal(value))


class _Names:
    """str() of the objects a page names, fetched once per model: {(model label, pk): name}."""

    def __init__(self):
        self.wanted: dict[str, set] = defaultdict(set)
        self.found: dict[tuple[str, str], str] = {}

    def want(self, label: str, pk) -> None:
        if pk not in (None, ""):
            self.wanted[label].add(str(pk))

    def fetch(self) -> None:
        for label, pks in self.wanted.items():
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError):
                continue
            keys = [int(pk) for pk in pks if pk.isdigit()]
            # select_related(): every non-null foreign key, so that str() asks no more.
            for pk, obj in model._default_manager.select_related().in_bulk(keys).items():
                self.found[(label, str(pk))] = mask_identity_numbers(str(obj))

    def get(self, label: str, pk) -> str:
        return self.found.get((label, str(pk)), _("(removed)"))


def _related_label(f) -> str | None:
    if f is not None and f.is_relation and f.related_model is not None:
        return f.related_model._meta.label_lower
    return None


def _shown(f, key: str, value, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return "–"
    related = _related_label(f)
    if related:
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(names.get(related, v) if isinstance(v, int) else str(v) for v in values)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if f is not None and getattr(f, "choices", None):
        return str(dict(f.flatchoices).get(value, value))
    if key in EXTRA_VALUES and value in EXTRA_VALUES[key]:
        return str(EXTRA_VALUES[key][value])
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        return _datetime(value)
    if isinstance(f, models.DateField) and isinstance(value, str):
        return _date(value)
    return _plain(value)


def _changed(event: AuditEvent) -> list[tuple[str, object, object]]:
    """The keys that changed, minus the association the whole log belongs to."""
    rows = event.changed_fields()
    return [
        (k, b, a)
        for k, b, a in rows
        if not (k in ("association", "association_id") and a in (None, event.association_id))
    ]


def _want_names(event: AuditEvent, names: _Names) -> None:
    if event.redacted:
        return
    if event.target_model and not event.personal_data:
        names.want(event.target_model, event.target_id)
    keyed = KEYED_BY.get(event.event)
    meta = _meta(event.target_model)
    for key, before, after in _changed(event):
        if keyed:
            names.want(keyed, key)
            continue
        related = _related_label(_field(meta, key))
        if not related:
            continue
        for value in (before, after):
            for v in value if isinstance(value, list | tuple) else [value]:
                if isinstance(v, int):
                    names.want(related, v)


def _keyed_value(event: AuditEvent, value) -> str:
    if isinstance(value, list | tuple) and len(value) == 2:
        return str(KEYED_VALUE[event.event]) % {"registered": value[0], "attended": value[1]}
    return _plain(value)


def changes(event: AuditEvent, names: _Names) -> list[tuple[str, str, str]]:
    """(label, before, after) for each changed field, in words; none for a redacted row."""
    if event.redacted:
        return []
    keyed = KEYED_BY.get(event.event)
    if keyed:
        return [
            (
                names.get(keyed, key) if key.isdigit() else capfirst(_("others")),
                _keyed_value(event, b),
                _keyed_value(event, a),
            )
            for key, b, a in _changed(event)
        ]
    meta = _meta(event.target_model)
    rows = []
    for key, before, after in _changed(event):
        f = _field(meta, key)
        shown_before, shown_after = _shown(f, key, before, names), _shown(f, key, after, names)
        if shown_before != shown_after:  # None and "" are both "–": no change to a reader
            rows.append((capfirst(field_label(meta, key)), shown_before, shown_after))
    return sorted(rows, key=lambda r: r[0].lower())


def _object_type(event: AuditEvent) -> str:
    if event.redacted:
        return event.target_type_label
    meta = _meta(event.target_model)
    return str(meta.verbose_name) if meta else event.target_type


def _counted(event: AuditEvent, count: int) -> str:
    """'26 deltagare' where the model names its plural, else '26 händelser'."""
    meta = _meta(event.target_model)
    if meta is not None and "verbose_name_plural" in meta.original_attrs:
        counted = f"{count}\u00a0{meta.verbose_name_plural}"
    else:
        counted = count_note(count)
    title = getattr(event, "intervention_title", None)
    if title:
        return _("%(count)s in %(intervention)s") % {"count": counted, "intervention": title}
    return counted


def _object_label(event: AuditEvent, count: int, names: _Names) -> str:
    if count > 1:
        return _counted(event, count)
    if event.redacted or event.personal_data:
        return event.target_label
    return names.found.get((event.target_model, event.target_id), event.target_repr)


def _actor_names(events: Iterable[AuditEvent]) -> dict[int, str]:
    ids = {e.actor_id for e in events if e.actor_id}
    return {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}


def actor_label(event: AuditEvent, people: dict[int, str]) -> str:
    if is_system(event):
        return system_name()
    return people.get(event.actor_id) or event.actor_name


def log_rows(groups: Iterable[tuple[AuditEvent, int]], told: dict[int, str]) -> list[LogRow]:
    """Rows to show: (the latest event of a run, how many events the run holds). `told`: the
    sentences of finsam.oversight.sentences, by event pk."""
    groups = list(groups)
    events = [e for e, _n in groups]
    people = _actor_names(events)
    names = _Names()
    for e, n in groups:
        if n == 1:
            _want_names(e, names)
    names.fetch()
    rows = []
    for e, n in groups:
        rows.append(
            LogRow(
                event=e,
                count=n,
                when=e.created_at,
                actor=actor_label(e, people),
                event_label=event_label(e.event),
                object_type=capfirst(_object_type(e)),
                object_label=_object_label(e, n, names),
                sentence=told.get(e.pk, "") if n == 1 else "",
                changes=changes(e, names) if n == 1 else [],
            )
        )
    return rows


def count_note(n: int) -> str:
    return ngettext("%(count)s event", "%(count)s events", n) % {"count": n}


def change_text(row: LogRow, redacted_note: str) -> str:
    """The change column as one line of text (the Excel export)."""
    if row.sentence:
        return row.sentence
    if row.redacted:
        return redacted_note
    if row.count > 1:
        return count_note(row.count)
    return "; ".join(f"{capfirst(k)}: {b} → {a}" for k, b, a in row.changes)
