"""The association's own rules for ORS and SRS / G-SRS: checking what the office types, storing
it per association, and every reader (chart, flags, statistics) using it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finsam.core.actors import SYSTEM
from finsam.organisation.models import AuditEvent
from finsam.participants import services
from finsam.participants.models import RatingSettings
from finsam.participants.ratings import (
    DEFAULT_RULES,
    BandInput,
    InvalidRules,
    RatingRules,
    clinical_cutoff,
    rules_from_input,
    srs_needs_attention,
)
from finsam.participants.tests import factories as pf

DEFAULT_BANDS = [BandInput(0, 12, "32"), BandInput(13, 17, "28"), BandInput(18, None, "25")]


def build(bands=DEFAULT_BANDS, points="5", srs="36", gsrs="36") -> RatingRules:
    return rules_from_input(
        base=DEFAULT_RULES,
        age_bands=bands,
        reliable_change_points=points,
        srs_alert_below=srs,
        gsrs_alert_below=gsrs,
    )


def errors_of(**kwargs) -> dict[str, str]:
    with pytest.raises(InvalidRules) as caught:
        build(**kwargs)
    return caught.value.errors


def test_the_defaults_typed_back_are_the_default_rules():
    assert build() == DEFAULT_RULES


def test_blank_rows_are_skipped_and_comma_decimals_accepted():
    rules = build(
        bands=[BandInput(0, 17, "29,5"), BandInput(None, None, ""), BandInput(18, None, "24")],
        points="4,5",
        srs="35",
        gsrs="34",
    )
    assert [(b.min_age, b.max_age, b.cutoff) for b in rules.age_bands] == [
        (0, 17, Decimal("29.5")),
        (18, None, Decimal(24)),
    ]
    assert rules.reliable_change_points == Decimal("4.5")
    assert (rules.srs_alert_below, rules.gsrs_alert_below) == (35, 34)


def test_a_band_keeps_verified_only_while_it_is_the_verified_default():
    assert build().age_bands[-1].verified is True
    changed = build(bands=[BandInput(0, 17, "28"), BandInput(18, None, "24")])
    assert [b.verified for b in changed.age_bands] == [False, False]


@pytest.mark.parametrize(
    ("bands", "field", "words"),
    [
        ([BandInput(1, None, "25")], "band_0_min_age", "börja vid 0"),
        ([BandInput(0, 12, "32"), BandInput(14, None, "25")], "band_1_min_age", "13–13 år saknar"),
        ([BandInput(0, 12, "32"), BandInput(10, None, "25")], "band_1_min_age", "överlappar"),
        ([BandInput(0, 17, "28")], "band_0_max_age", "lämna fältet tomt"),
        ([BandInput(0, None, "28"), BandInput(18, None, "25")], "band_0_max_age", "sista"),
        (
            [BandInput(0, 12, "32"), BandInput(13, 9, "28"), BandInput(10, None, "25")],
            "band_1_max_age",
            "slutar före",
        ),
        ([BandInput(0, None, "41")], "band_0_cutoff", "mellan 0 och 40"),
        ([BandInput(0, None, "")], "band_0_cutoff", "Ange gränsen"),
        ([BandInput(0, None, "25,55")], "band_0_cutoff", "högst en decimal"),
        ([BandInput(None, None, "25")], "band_0_min_age", "från vilken ålder"),
        ([BandInput(None, None, "")], "age_bands", "minst en åldersgrupp"),
    ],
)
def test_bands_must_be_contiguous_and_end_open(bands, field, words):
    errors = errors_of(bands=bands)
    assert words in errors[field], errors


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"points": "0"}, "reliable_change_points", "större än 0"),
        ({"points": ""}, "reliable_change_points", "Ange ett värde"),
        ({"srs": "40,5"}, "srs_alert_below", "mellan 0 och 40"),
        ({"gsrs": "tre"}, "gsrs_alert_below", "mellan 0 och 40"),
        ({"gsrs": "-1"}, "gsrs_alert_below", "mellan 0 och 40"),
    ],
)
def test_thresholds_must_lie_on_the_scale(kwargs, field, words):
    errors = errors_of(**kwargs)
    assert list(errors) == [field] and words in errors[field]


def test_every_wrong_field_is_reported_at_once():
    errors = errors_of(bands=[BandInput(2, None, "50")], points="0", srs="x", gsrs="x")
    assert set(errors) == {
        "band_0_min_age",
        "band_0_cutoff",
        "reliable_change_points",
        "srs_alert_below",
        "gsrs_alert_below",
    }


def test_gsrs_has_its_own_alert_level():
    rules = RatingRules(srs_alert_below=Decimal(36), gsrs_alert_below=Decimal(30))
    assert srs_needs_attention(33, rules) is True
    assert srs_needs_attention(33, rules, group=True) is False
    assert srs_needs_attention("29,9", rules, group=True) is True
    assert RatingRules.from_mapping(rules.to_mapping()) == rules
    # Rules stored before G-SRS had its own level read as the default.
    old = {k: v for k, v in rules.to_mapping().items() if k != "gsrs_alert_below"}
    assert RatingRules.from_mapping(old).gsrs_alert_below == DEFAULT_RULES.gsrs_alert_below
    with pytest.raises(ValueError):
        RatingRules(gsrs_alert_below=Decimal(41))


# --- per association ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_rules_are_created_with_the_defaults_on_first_use(association, other_association):
    assert not RatingSettings.objects.exists()
    assert services.rating_rules_for(association) == DEFAULT_RULES
    assert services.rating_rules_for(association) == DEFAULT_RULES
    assert RatingSettings.objects.filter(association=association).count() == 1
    assert not RatingSettings.objects.filter(association=other_association).exists()


def update(association, by=SYSTEM, **overrides):
    data = {
        "age_bands": DEFAULT_BANDS,
        "reliable_change_points": "5",
        "srs_alert_below": "36",
        "gsrs_alert_below": "36",
    }
    data.update(overrides)
    return services.rating_settings_update(association=association, by=by, **data)


@pytest.mark.django_db
def test_changing_the_rules_is_audited_and_stays_in_the_association(association, other_association):
    from finsam.organisation.models import Role
    from finsam.organisation.tests.factories import user_with_role

    office = user_with_role(association, Role.OFFICE)
    update(
        association,
        by=office,
        age_bands=[BandInput(0, 17, "30"), BandInput(18, None, "26")],
        gsrs_alert_below="32",
    )
    rules = services.rating_rules_for(association)
    assert clinical_cutoff(16, rules) == 30 and clinical_cutoff(40, rules) == 26
    assert rules.gsrs_alert_below == 32
    assert services.rating_rules_for(other_association) == DEFAULT_RULES
    event = AuditEvent.objects.get(event="rating_settings.updated")
    assert event.actor == office and event.association == association
    assert event.before["rules"]["age_bands"][-1]["cutoff"] == "25"
    assert event.after["rules"]["age_bands"][-1]["cutoff"] == "26"
    assert event.after["rules"]["gsrs_alert_below"] == "32"


@pytest.mark.django_db
def test_bad_rules_save_nothing(association):
    services.rating_rules_for(association)
    with pytest.raises(ValidationError) as caught:
        update(association, age_bands=[BandInput(0, 12, "32"), BandInput(14, None, "25")])
    assert "band_1_min_age" in caught.value.message_dict
    assert services.rating_rules_for(association) == DEFAULT_RULES
    assert not AuditEvent.objects.filter(event="rating_settings.updated").exists()


@pytest.mark.django_db
def test_session_flags_follow_the_association_srs_and_gsrs_levels(association):
    update(association, srs_alert_below="30", gsrs_alert_below="34")
    intervention = pf.staffed_intervention(association)
    enrolment = pf.register(association, intervention)
    day = enrolment.start_date
    individual = services.session_record(enrolment=enrolment, date=day, srs_total="33", by=SYSTEM)
    assert individual.flags == []  # under the default 36, not under the association's 30
    group = services.session_record(
        enrolment=enrolment, date=day, kind="group", srs_total="33", by=SYSTEM
    )
    assert len(group.flags) == 1 and "G-SRS 33 är under 34" in group.flags[0]
    low = services.session_record(enrolment=enrolment, date=day, srs_total="29", by=SYSTEM)
    assert "SRS 29 är under 30" in low.flags[0]


def test_default_rules_are_the_single_source_of_the_defaults():
    assert [(b.min_age, b.max_age, b.cutoff) for b in DEFAULT_RULES.age_bands] == [
        (0, 12, 32),
        (13, 17, 28),
        (18, None, 25),
    ]
    assert DEFAULT_RULES.reliable_change_points == 5
    assert DEFAULT_RULES.srs_alert_below == DEFAULT_RULES.gsrs_alert_below == 36
