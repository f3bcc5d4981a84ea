"""The access log's own export, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.participants.access import access_log_write
from finsam.participants.models import AccessLogEntry
from finsam.participants.services.common import SECRET_SET, _readable

# --- the access log's own export ----------------------------------------------------------------


@transaction.atomic
def access_log_export_record(
    *, association, by, filters: dict[str, Any], file_format: str, count: int
) -> None:
    """The data-protection contact's export is itself audited: who exported which range."""
    start = filters.get("date_from") or _("the beginning")
    end = filters.get("date_to") or _("today")
    period = f"{start} – {end}"
    chosen = {k: _readable(v) for k, v in filters.items() if v not in (None, "")}
    if "participant" in chosen:
        # The general audit log is read by the office and the auditors: it says that the export
        # was narrowed to one participant, not to whom. The access log below says whom.
        chosen["participant"] = SECRET_SET
    audit.record(
        event=Event.ACCESS_LOG_EXPORTED,
        actor=by,
        target=association,
        after={**chosen, "format": file_format, "rows": count},
    )
    detail = ngettext(
        "Access log exported (%(period)s, %(count)s entry, %(format)s)",
        "Access log exported (%(period)s, %(count)s entries, %(format)s)",
        count,
    ) % {
        "period": period,
        "count": count,
        "format": file_format.upper(),
    }
    if filters.get("participant"):
        detail = f"{detail}, {filters['participant'].strip()}"
    access_log_write(
        association=association,
        by=by,
        action=AccessLogEntry.Action.EXPORT,
        intervention=filters.get("intervention"),
        detail=detail,
    )
