"""Every write of indicator instruments, campaigns and responses: keyword-only, given an actor,
audited in the same transaction (finsam.organisation.audit). A response is anonymous: its audit row
names the campaign, never a person, a link or the answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from finsam.core.actors import SYSTEM
from finsam.indicators import rules
from finsam.indicators.models import (
    Answer,
    Campaign,
    Indicator,
    Instrument,
    Item,
    Questionnaire,
    Response,
    ResponseLink,
)
from finsam.organisation.audit import Event, audited_create, audited_update, record, snapshot

MAX_LINKS_AT_ONCE = 2000


def instrument_is_locked(instrument: Instrument) -> bool:
    """The wording is locked once any response, in any association, used the instrument."""
    return Response.objects.filter(campaign__questionnaire__instrument=instrument).exists()


def _refuse_if_locked(instrument: Instrument) -> None:
    if instrument_is_locked(instrument):
        raise ValidationError(
            _(
                "The instrument has been answered and its wording is locked, so that results "
                "stay comparable. Make a new version to change the wording."
            )
        )


def _refuse_if_installation_wide(instrument: Instrument, association) -> None:
    if instrument.association_id is None or instrument.association_id != association.pk:
        raise ValidationError(
            _(
                "This instrument is shared by the whole installation; it is changed by loading "
                "a new file. Make your own new version to change it here."
            )
        )


@transaction.atomic
def instrument_update(
    *, instrument: Instrument, association, data: dict[str, Any], by
) -> Instrument:
    _refuse_if_installation_wide(instrument, association)
    _refuse_if_locked(instrument)
    return audited_update(
        instrument, data, fields=["name", "description"], by=by, event=Event.INSTRUMENT_UPDATED
    )


@transaction.atomic
def item_update(*, item: Item, association, data: dict[str, Any], by) -> Item:
    instrument = item.questionnaire.instrument
    _refuse_if_installation_wide(instrument, association)
    _refuse_if_locked(instrument)
    return audited_update(
        item,
        data,
        fields=["text", "min_label", "max_label"],
        by=by,
        event=Event.INDICATOR_ITEM_UPDATED,
        association=association,
    )


def _next_version(*, association, name: str) -> int:
    versions = (
        Instrument.objects.filter(name=name)
        .filter(association=association)
        .values_list("version", flat=True)
    )
    shared = Instrument.objects.filter(name=name, association=None).values_list(
        "version", flat=True
    )
    return max([0, *versions, *shared]) + 1


@transaction.atomic
def instrument_new_version(*, instrument: Instrument, association, by) -> Instrument:
    """A copy of the instrument, indicators, questionnaires and items, as the association's own
    next version: the one that may be changed."""
    copy = Instrument(
        association=association,
        name=instrument.name,
        version=_next_version(association=association, name=instrument.name),
        description=instrument.description,
    )
    copy.full_clean()
    copy.save()
    indicators = {}
    for indicator in instrument.indicators.all():
        indicators[indicator.pk] = Indicator.objects.create(
            instrument=copy,
            code=indicator.code,
            name=indicator.name,
            sort_order=indicator.sort_order,
        )
    for questionnaire in instrument.questionnaires.prefetch_related("items"):
        q = Questionnaire.objects.create(
            instrument=copy,
            group=questionnaire.group,
            title=questionnaire.title,
            introduction=questionnaire.introduction,
        )
        Item.objects.bulk_create(
            Item(
                questionnaire=q,
                indicator=indicators[i.indicator_id],
                number=i.number,
                text=i.text,
                scale_min=i.scale_min,
                scale_max=i.scale_max,
                min_label=i.min_label,
                max_label=i.max_label,
            )
            for i in questionnaire.items.all()
        )
    record(
        event=Event.INSTRUMENT_LOADED,
        actor=by,
        target=copy,
        association=association,
        after={**snapshot(copy), "copied_from": instrument.pk},
    )
    return copy


@transaction.atomic
def instrument_load(*, data: dict[str, Any], association=None, by) -> Instrument:
    """Create an instrument from a checked file (finsam.indicators.loader.parse_instrument):
    everything or nothing."""
    name, version = data["name"], data["version"]
    if Instrument.objects.filter(association=association, name=name, version=version).exists():
        raise ValidationError(
            _(
                "Version %(version)s of “%(name)s” is already loaded. Give the file a higher "
                "version number."
            )
            % {"version": version, "name": name}
        )
    instrument = Instrument(
        association=association, name=name, version=version, description=data["description"]
    )
    instrument.full_clean()
    instrument.save()
    indicators = {
        row["code"]: Indicator.objects.create(
            instrument=instrument, code=row["code"], name=row["name"], sort_order=n
        )
        for n, row in enumerate(data["indicators"])
    }
    for q in data["questionnaires"]:
        questionnaire = Questionnaire.objects.create(
            instrument=instrument,
            group=q["group"],
            title=q["title"],
            introduction=q["introduction"],
        )
        for row in q["items"]:
            item = Item(
                questionnaire=questionnaire,
                indicator=indicators[row["indicator"]],
                number=row["number"],
                text=row["text"],
                scale_min=row["scale"]["min"],
                scale_max=row["scale"]["max"],
                min_label=row["scale"]["min_label"],
                max_label=row["scale"]["max_label"],
            )
            item.full_clean()
            item.save()
    record(
        event=Event.INSTRUMENT_LOADED,
        actor=by,
        target=instrument,
        association=association,
        after=snapshot(instrument),
    )
    return instrument


@transaction.atomic
def campaign_create(
    *,
    association,
    questionnaire: Questionnaire,
    year: int,
    interventions=(),
    paper_forms: int = 0,
    by,
) -> Campaign:
    instrument = questionnaire.instrument
    if instrument.association_id not in (None, association.pk):
        raise ValidationError({"questionnaire": _("Choose a questionnaire of your instruments.")})
    if any(i.association_id != association.pk for i in interventions):
        raise ValidationError({"interventions": _("Choose your own interventions.")})
    campaign = audited_create(
        Campaign,
        by=by,
        event=Event.CAMPAIGN_CREATED,
        association=association,
        questionnaire=questionnaire,
        year=year,
        paper_forms=paper_forms,
    )
    campaign.interventions.set(interventions)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, data: dict[str, Any], by) -> Campaign:
    return audited_update(
        campaign, data, fields=["paper_forms"], by=by, event=Event.CAMPAIGN_UPDATED
    )


@transaction.atomic
def links_create(*, campaign: Campaign, count: int, by) -> list[str]:
    """Make `count` one-time links; return their tokens, which are stored only as hashes and so
    can be shown this once."""
    if not 1 <= count <= MAX_LINKS_AT_ONCE:
        raise ValidationError(
            {"count": _("Make between 1 and %(max)s links at a time.") % {"max": MAX_LINKS_AT_ONCE}}
        )
    tokens = [rules.new_token() for _n in range(count)]
    ResponseLink.objects.bulk_create(
        ResponseLink(campaign=campaign, token_hash=rules.token_hash(t)) for t in tokens
    )
    record(
        event=Event.CAMPAIGN_LINKS_CREATED,
        actor=by,
        target=campaign,
        after={"links": count},
    )
    return tokens


def check_answers(questionnaire: Questionnaire, answers: dict[int, int | None]) -> dict[int, int]:
    """Answers by item id, each within its item's scale; unanswered items are left out. Raises a
    ValidationError (Swedish) naming the statement whose answer is out of range."""
    items = {i.pk: i for i in questionnaire.items.all()}
    unknown = set(answers) - set(items)
    if unknown:
        raise ValidationError(_("The answers do not belong to this questionnaire."))
    checked = {}
    for pk, value in answers.items():
        if value is None:
            continue
        item = items[pk]
        if not item.scale_min <= value <= item.scale_max:
            raise ValidationError(
                _("Answer statement %(number)s with a value from %(min)s to %(max)s.")
                % {"number": item.number, "min": item.scale_min, "max": item.scale_max}
            )
        checked[pk] = value
    if not checked:
        raise ValidationError(_("Answer at least one statement before you send."))
    return checked


def _save_response(campaign: Campaign, source: str, checked: dict[int, int]) -> Response:
    response = Response.objects.create(campaign=campaign, source=source)
    Answer.objects.bulk_create(
        Answer(response=response, item_id=pk, value=value) for pk, value in checked.items()
    )
    return response


class LinkNotUsable(Exception):
    """The token is unknown, or its link has already been used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def link_for_token(token: str) -> ResponseLink:
    link = (
        ResponseLink.objects.select_related("campaign__questionnaire")
        .filter(token_hash=rules.token_hash(token))
        .first()
    )
    if link is None:
        raise LinkNotUsable("unknown")
    if link.used:
        raise LinkNotUsable("used")
    return link


@transaction.atomic
def response_submit(*, token: str, answers: dict[int, int | None]) -> Response:
    """The public answer page's one write: the link is used up and the answers saved together,
    or nothing happens. The response keeps no trace of the link."""
    link = link_for_token(token)
    # Lock and mark used in one statement: two submits of one link save one response.
    if not ResponseLink.objects.filter(pk=link.pk, used=False).update(used=True):
        raise LinkNotUsable("used")
    checked = check_answers(link.campaign.questionnaire, answers)
    response = _save_response(link.campaign, Response.Source.WEB, checked)
    record(
        event=Event.INDICATOR_RESPONSE_RECORDED,
        actor=SYSTEM,
        target=link.campaign,
        after={"source": Response.Source.WEB},
    )
    return response


@transaction.atomic
def paper_response_record(*, campaign: Campaign, answers: dict[int, int | None], by) -> Response:
    """The office types in one paper form's answers."""
    checked = check_answers(campaign.questionnaire, answers)
    response = _save_response(campaign, Response.Source.PAPER, checked)
    record(
        event=Event.INDICATOR_RESPONSE_RECORDED,
        actor=by,
        target=campaign,
        after={"source": Response.Source.PAPER},
    )
    return response
