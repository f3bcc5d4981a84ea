"""The association's rules for ORS and SRS / G-SRS: cutoffs and alert levels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from finsam.organisation.audit import Event, audited_update
from finsam.participants.models import RatingSettings
from finsam.participants.ratings import (
    DEFAULT_RULES,
    BandInput,
    InvalidRules,
    RatingRules,
    rules_from_input,
)

# --- the association's rules for ORS and SRS / G-SRS -----------------------------------------------


def rating_settings_for(*, association) -> RatingSettings:
    """The association's settings row, created with the defaults on first use."""
    settings_row, _created = RatingSettings.objects.get_or_create(
        association=association, defaults={"rules": DEFAULT_RULES.to_mapping()}
    )
    return settings_row


def rating_rules_for(association) -> RatingRules:
    """The rules every chart, flag and statistic of this association reads ORS and SRS with."""
    return RatingRules.from_mapping(rating_settings_for(association=association).rules)


@transaction.atomic
def rating_settings_update(
    *,
    association,
    age_bands: Sequence[BandInput],
    reliable_change_points: Any,
    srs_alert_below: Any,
    gsrs_alert_below: Any,
    by,
) -> RatingSettings:
    """Replace the association's cutoffs and thresholds. Swedish errors per field; nothing is
    saved on error. Audited with the rules before and after."""
    settings_row = RatingSettings.objects.select_for_update().get(
        pk=rating_settings_for(association=association).pk
    )
    try:
        rules = rules_from_input(
            base=RatingRules.from_mapping(settings_row.rules),
            age_bands=age_bands,
            reliable_change_points=reliable_change_points,
            srs_alert_below=srs_alert_below,
            gsrs_alert_below=gsrs_alert_below,
        )
    except InvalidRules as exc:
        raise ValidationError(exc.errors) from None
    return audited_update(
        settings_row,
        {"rules": rules.to_mapping(), "updated_at": timezone.now()},
        fields=["rules", "updated_at"],
        by=by,
        event=Event.RATING_SETTINGS_UPDATED,
    )
