"""What leaves Finsam publicly: each public data set as plain dicts built from an allow-list of
fields. The public pages, the open API, the CSV downloads and the Insatskatalogen export all
read these, so a field is made public in one place."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from finsam.funding.models import InterventionKind, InterventionKindShare
from finsam.publishing import selectors
from finsam.publishing.models import REFERRER_FIELDS, CatalogueEntry, TargetGroup
from finsam.publishing.results import GOAL_KEYS, RESULT_KEYS
from finsam.publishing.rules import ACTIVITY_KIND

# Who can refer, as the public reads the codes (the entry's boolean fields).
REFERRERS = {
    "refer_self": "self",
    "refer_employment_service": "employment_service",
    "refer_social_insurance": "social_insurance",
    "refer_municipality": "municipality",
    "refer_health_care": "health_care",
}
REFERRER_FIELD_BY_CODE = {code: name for name, code in REFERRERS.items()}

ENTRY_KEYS = [
    "id",
    "title",
    "kind",
    "kind_label",
    "summary",
    "target_group",
    "target_group_label",
    "target_group_description",
    "age_from",
    "age_to",
    "municipalities",
    "referrers",
    "referrer_labels",
    "purpose",
    "owner",
    "period_start",
    "period_end",
    "activity_date",
    "how_to_apply",
    "contact_name",
    "contact_email",
    "published_at",
    "review_by",
    "review_overdue",
    "path",
]
DECISION_KEYS = [
    "intervention_id",
    "intervention",
    "meeting_date",
    "paragraph",
    "decision",
    "amounts",
]
CALL_KEYS = ["title", "description", "opens_on", "closes_on", "funds_available"]
RESULT_ROW_KEYS = ["entry_id", "intervention", *RESULT_KEYS]
DOCUMENT_KEYS: list[str] = []  # documents: added when finsam.documents is merged


def kind_of(entry: CatalogueEntry) -> str:
    if entry.activity_id:
        return ACTIVITY_KIND
    share = entry.intervention.kind_shares.order_by("-percent", "kind").first()
    return share.kind if share else ""


def kind_label(kind: str) -> str:
    if kind == ACTIVITY_KIND:
        return str(_("Activity for the members' staff"))
    return str(InterventionKind(kind).label) if kind in InterventionKind.values else ""


def kind_choices() -> list[tuple[str, str]]:
    return [*InterventionKind.choices, (ACTIVITY_KIND, kind_label(ACTIVITY_KIND))]


def referrer_choices() -> list[tuple[str, str]]:
    return [
        (code, str(CatalogueEntry._meta.get_field(name).verbose_name))
        for name, code in REFERRERS.items()
    ]


def _date(value) -> str | None:
    return value.isoformat() if value else None


def entry_data(
    entry: CatalogueEntry,
    *,
    today: dt.date,
    municipalities: list[str] | None = None,
    kind: str | None = None,
    path: str | None = None,
) -> dict:
    """One published entry, public fields only (ENTRY_KEYS). A list passes what it has read for
    all its entries at once (entries_data)."""
    intervention, activity = entry.intervention, entry.activity
    kind = kind_of(entry) if kind is None else kind
    if municipalities is None:
        municipalities = [m.name for m in entry.municipalities.order_by("sort_order", "name")]
    referrers = [REFERRERS[name] for name in REFERRER_FIELDS if getattr(entry, name)]
    labels = dict(referrer_choices())
    data = {
        "id": entry.pk,
        "title": entry.title,
        "kind": kind,
        "kind_label": kind_label(kind),
        "summary": entry.summary,
        "target_group": entry.target_group,
        "target_group_label": str(TargetGroup(entry.target_group).label),
        "target_group_description": intervention.target_group
        if intervention
        else (activity.audience),
        "age_from": intervention.age_from if intervention else None,
        "age_to": intervention.age_to if intervention else None,
        "municipalities": municipalities,
        "referrers": referrers,
        "referrer_labels": [labels[code] for code in referrers],
        "purpose": intervention.purpose if intervention else activity.description,
        "owner": intervention.owner if intervention else "",
        "period_start": _date(intervention.period_start) if intervention else None,
        "period_end": _date(intervention.period_end) if intervention else None,
        "activity_date": _date(activity.date) if activity else None,
        "how_to_apply": entry.how_to_apply,
        "contact_name": entry.contact_name,
        "contact_email": entry.contact_email,
        "published_at": entry.published_at.isoformat() if entry.published_at else None,
        "review_by": _date(entry.review_by),
        "review_overdue": entry.is_overdue(today),
        "path": path or reverse("publishing:entry", args=[entry.association.slug, entry.pk]),
    }
    return data


def entries_data(entries, *, today: dt.date) -> list[dict]:
    """entry_data for a list, with the municipalities and kinds of all entries read in two
    queries (a catalogue page of a hundred entries stays one page of work)."""
    entries = list(entries)
    if not entries:
        return []
    ids = [e.pk for e in entries]
    towns: dict[int, list[str]] = {pk: [] for pk in ids}
    through = CatalogueEntry.municipalities.through.objects.filter(catalogueentry_id__in=ids)
    for entry_id, name in through.order_by("member__sort_order", "member__name").values_list(
        "catalogueentry_id", "member__name"
    ):
        towns[entry_id].append(name)
    kinds: dict[int, str] = {}
    shares = InterventionKindShare.objects.filter(
        intervention_id__in=[e.intervention_id for e in entries if e.intervention_id]
    ).order_by("intervention_id", "-percent", "kind")
    for intervention_id, kind in shares.values_list("intervention_id", "kind"):
        kinds.setdefault(intervention_id, kind)
    # One reverse() for the list: the entry's id is the path's only changing part.
    marker = 987654321
    pattern = reverse("publishing:entry", args=[entries[0].association.slug, marker])
    return [
        entry_data(
            e,
            today=today,
            municipalities=towns[e.pk],
            kind=ACTIVITY_KIND if e.activity_id else kinds.get(e.intervention_id, ""),
            path=pattern.replace(str(marker), str(e.pk)),
        )
        for e in entries
    ]


def result_rows(entries) -> list[dict]:
    """The published results of the entries, one row per intervention and year."""
    rows = []
    for entry in entries:
        for row in entry.results or []:
            rows.append(
                {
                    "entry_id": entry.pk,
                    "intervention": entry.title,
                    **{key: row.get(key) for key in RESULT_KEYS if key != "goals"},
                    "goals": [{k: g.get(k) for k in GOAL_KEYS} for g in row.get("goals", [])],
                }
            )
    return rows


def decision_data(decision) -> dict:
    subject = selectors.decision_subject(decision)
    return {
        "intervention_id": subject.pk if subject else None,
        "intervention": subject.title if subject else "",
        "meeting_date": decision.meeting.date.isoformat(),
        "paragraph": decision.paragraph,
        "decision": decision.outcome_label,
        "amounts": [{"year": a.year, "amount": str(a.amount)} for a in decision.amounts.all()],
    }


def call_data(call) -> dict:
    return {
        "title": call.title,
        "description": call.description,
        "opens_on": call.opens_on.isoformat(),
        "closes_on": call.closes_on.isoformat(),
        "funds_available": str(call.pot),
    }


# --- CSV (open data) and Insatskatalogen ---------------------------------------------------------

CATALOGUE_CSV = [
    ("id", "id"),
    ("namn", "title"),
    ("typ", "kind"),
    ("malgrupp", "target_group"),
    ("alder_fran", "age_from"),
    ("alder_till", "age_to"),
    ("kommuner", "municipalities"),
    ("vem_kan_remittera", "referrers"),
    ("sammanfattning", "summary"),
    ("startdatum", "period_start"),
    ("slutdatum", "period_end"),
    ("kontakt", "contact_name"),
    ("kontakt_epost", "contact_email"),
    ("granskas_senast", "review_by"),
]
RESULTS_CSV = [
    ("insats_id", "entry_id"),
    ("insats", "intervention"),
    ("ar", "year"),
    ("startade", "started"),
    ("avslutade", "exited"),
    ("andel_nojda_procent", "satisfied_percent"),
    ("andel_stegforflyttning_procent", "step_progress_percent"),
    ("andel_avslut_till_arbete_eller_studier_procent", "work_or_studies_percent"),
]
DECISIONS_CSV = [
    ("insats_id", "intervention_id"),
    ("insats", "intervention"),
    ("sammantradesdatum", "meeting_date"),
    ("paragraf", "paragraph"),
    ("beslut", "decision"),
    ("belopp_per_ar", "amounts"),
]


def cell(value):
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return " | ".join(f"{v['year']}: {v['amount']}" for v in value)
        return " | ".join(str(v) for v in value)
    return "" if value is None else value


def csv_rows(columns, items) -> tuple[list[str], list[list]]:
    return [name for name, _key in columns], [[cell(i[key]) for _n, key in columns] for i in items]


INSATSKATALOGEN_FIELDS = [
    "id",
    "forbund",
    "forbund_organisationsnummer",
    "namn",
    "insatstyp",
    "malgrupp",
    "malgrupp_beskrivning",
    "alder_fran",
    "alder_till",
    "kommuner",
    "vem_kan_remittera",
    "beskrivning",
    "syfte",
    "huvudman",
    "startdatum",
    "slutdatum",
    "sa_deltar_man",
    "kontaktperson",
    "kontakt_epost",
    "publicerad",
    "granskas_senast",
    "webbadress",
]


def insatskatalogen_entry(entry: CatalogueEntry, data: dict, *, base_url: str) -> dict:
    """One entry in Insatskatalogen's entry shape (docs/publishing.md, field by field)."""
    association = entry.association
    return {
        "id": f"{association.slug}-{entry.pk}",
        "forbund": association.name,
        "forbund_organisationsnummer": association.org_number,
        "namn": data["title"],
        "insatstyp": data["kind"],
        "malgrupp": data["target_group"],
        "malgrupp_beskrivning": data["target_group_description"],
        "alder_fran": data["age_from"],
        "alder_till": data["age_to"],
        "kommuner": data["municipalities"],
        "vem_kan_remittera": data["referrers"],
        "beskrivning": data["summary"],
        "syfte": data["purpose"],
        "huvudman": data["owner"],
        "startdatum": data["period_start"] or data["activity_date"],
        "slutdatum": data["period_end"],
        "sa_deltar_man": data["how_to_apply"],
        "kontaktperson": data["contact_name"],
        "kontakt_epost": data["contact_email"],
        "publicerad": data["published_at"],
        "granskas_senast": data["review_by"],
        "webbadress": base_url + data["path"],
    }
