"""Loading instruments, locking their wording, one-time links, paper entry and results."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from finsam.core.actors import SYSTEM
from finsam.indicators import services
from finsam.indicators.models import Answer, Instrument, Item, Response, ResponseLink
from finsam.indicators.results import year_results
from finsam.indicators.selectors import campaigns
from finsam.indicators.tests import factories as f
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

MARK = "Demoinstrument – inte den officiella formuleringen"


def _demo() -> dict:
    return json.loads(f.DEMO_FILE.read_text())


def _load(tmp_path, data, *args):
    path = tmp_path / "instrument.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    out = io.StringIO()
    call_command("load_indicator_instrument", str(path), *args, stdout=out)
    return out.getvalue()


# --- the loader ----------------------------------------------------------------------------------


def test_the_demo_file_says_on_every_text_that_it_is_not_the_official_wording():
    data = _demo()
    assert MARK in data["name"] and MARK in data["description"]
    assert all(MARK in i["name"] for i in data["indicators"])
    for q in data["questionnaires"]:
        assert MARK in q["title"] and MARK in q["introduction"]
        assert all(MARK in item["text"] for item in q["items"])


def test_loading_the_demo_file_makes_an_installation_wide_instrument(db, tmp_path):
    out = _load(tmp_path, _demo())
    instrument = Instrument.objects.get()
    assert instrument.association is None and "Inläst" in out
    assert instrument.questionnaires.count() == 6
    assert instrument.indicators.count() == 5
    assert AuditEvent.objects.filter(event="indicator_instrument.created").exists()
    with pytest.raises(CommandError, match="redan inläst"):
        _load(tmp_path, _demo())
    assert Instrument.objects.count() == 1


def test_an_association_can_load_its_own(association, tmp_path):
    _load(tmp_path, _demo(), "--forening", association.slug)
    assert Instrument.objects.get().association == association
    with pytest.raises(CommandError, match="finns inte"):
        _load(tmp_path, _demo(), "--forening", "ingen-sadan")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="annat"), "inte en instrumentfil"),
        (lambda d: d.update(name=""), "”name” saknas"),
        (lambda d: d.update(version="ett"), "”version” måste vara ett heltal"),
        (
            lambda d: d["indicators"].append({"code": "D1", "name": "Igen"}),
            "koden D1 används två gånger",
        ),
        (lambda d: d["questionnaires"][0].update(group="alla"), "”group” måste vara en av"),
        (lambda d: d["questionnaires"][1].update(group="participants_ongoing"), "har två enkäter"),
        (lambda d: d["questionnaires"][0]["items"][0].update(indicator="X9"), "X9 finns inte"),
        (lambda d: d["questionnaires"][0]["items"][0]["scale"].update(min=5), "större än"),
        (
            lambda d: d["questionnaires"][0]["items"][1].update(number=1),
            "numret 1 används två gånger",
        ),
        (lambda d: d["questionnaires"][0]["items"][1]["scale"].update(max=10), "samma skala"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_saved(
    db, tmp_path, change, message
):
    data = _demo()
    change(data)
    with pytest.raises(CommandError) as error:
        _load(tmp_path, data)
    assert "inget sparades" in str(error.value)
    assert message in str(error.value).replace("“", "”")
    assert not Instrument.objects.exists() and not Item.objects.exists()


def test_a_file_that_is_not_json_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="inte giltig JSON"):
        _load(tmp_path, "{inte json")
    with pytest.raises(CommandError, match="kan inte läsas"):
        call_command("load_indicator_instrument", str(tmp_path / "saknas.json"))
    assert not Instrument.objects.exists()


# --- locking and versions ------------------------------------------------------------------------


def test_wording_is_locked_once_answered_and_a_new_version_is_a_free_copy(association):
    office = user_with_role(association, Role.OFFICE)
    shared = f.instrument()
    item = shared.questionnaires.get(group="staff").items.first()
    with pytest.raises(ValidationError, match="hela installationen"):
        services.item_update(item=item, association=association, data={"text": "Ny"}, by=office)
    own = services.instrument_new_version(instrument=shared, association=association, by=office)
    assert own.version == 2 and own.association == association
    assert own.questionnaires.count() == 6
    assert (
        Item.objects.filter(questionnaire__instrument=own).count()
        == Item.objects.filter(questionnaire__instrument=shared).count()
    )
    own_item = own.questionnaires.get(group="staff").items.first()
    services.item_update(item=own_item, association=association, data={"text": "Ändrat"}, by=office)
    own_item.refresh_from_db()
    assert own_item.text == "Ändrat"
    campaign = services.campaign_create(
        association=association, questionnaire=own_item.questionnaire, year=2024, by=office
    )
    f.answer_all(campaign, [3])
    assert services.instrument_is_locked(own)
    with pytest.raises(ValidationError, match="låst"):
        services.item_update(
            item=own_item, association=association, data={"text": "Igen"}, by=office
        )
    with pytest.raises(ValidationError, match="låst"):
        services.instrument_update(
            instrument=own, association=association, data={"name": "Nytt"}, by=office
        )
    own_item.refresh_from_db()
    assert own_item.text == "Ändrat"
    again = services.instrument_new_version(instrument=own, association=association, by=office)
    assert again.version == 3 and not services.instrument_is_locked(again)


# --- links and responses -------------------------------------------------------------------------


def test_a_link_answers_once_and_keeps_no_trace_of_who(association):
    campaign = f.campaign(association)
    tokens = services.links_create(campaign=campaign, count=3, by=SYSTEM)
    assert len(set(tokens)) == 3
    stored = set(ResponseLink.objects.values_list("token_hash", flat=True))
    assert not stored & set(tokens)
    items = list(campaign.questionnaire.items.all())
    services.response_submit(token=tokens[0], answers={items[0].pk: 7, items[1].pk: None})
    assert Answer.objects.get().value == 7
    with pytest.raises(services.LinkNotUsable) as error:
        services.response_submit(token=tokens[0], answers={items[0].pk: 7})
    assert error.value.reason == "used"
    with pytest.raises(services.LinkNotUsable) as error:
        services.response_submit(token="okand", answers={items[0].pk: 7})
    assert error.value.reason == "unknown"
    assert Response.objects.count() == 1
    assert {f.name for f in Response._meta.get_fields()} == {"id", "campaign", "source", "answers"}


def test_an_answer_outside_the_scale_saves_nothing_and_keeps_the_link(association):
    campaign = f.campaign(association)
    (token,) = services.links_create(campaign=campaign, count=1, by=SYSTEM)
    item = campaign.questionnaire.items.first()
    for answers in ({item.pk: 11}, {item.pk: 0}, {}, {item.pk: None}, {999999: 3}):
        with pytest.raises(ValidationError):
            services.response_submit(token=token, answers=answers)
    assert not Response.objects.exists()
    assert not ResponseLink.objects.get().used
    services.response_submit(token=token, answers={item.pk: 10})
    assert ResponseLink.objects.get().used


def test_links_are_made_in_a_sensible_number(association):
    campaign = f.campaign(association)
    for count in (0, services.MAX_LINKS_AT_ONCE + 1):
        with pytest.raises(ValidationError):
            services.links_create(campaign=campaign, count=count, by=SYSTEM)
    assert not ResponseLink.objects.exists()


def test_a_questionnaire_or_intervention_of_another_association_is_refused(
    association, other_association
):
    foreign = f.instrument(other_association)
    with pytest.raises(ValidationError):
        services.campaign_create(
            association=association,
            questionnaire=foreign.questionnaires.first(),
            year=2024,
            by=SYSTEM,
        )


# --- results -------------------------------------------------------------------------------------


def _results(association, year):
    user = user_with_role(association, Role.BOARD)
    found = list(campaigns(user=user, association=association, year=year))
    return year_results(association=association, campaigns=found, year=year)


def test_results_per_indicator_with_last_year_and_suppression(association):
    f.answer_all(f.campaign(association, year=2023), [2, 4, 6, 8, 10])
    f.answer_all(f.campaign(association, year=2024), [5, 5, 6, 6, 7, 7])
    f.answer_all(f.campaign(association, group="referrers", year=2024), [1, 2, 3, 4])
    staff, referrers = _results(association, 2024)
    assert staff.group == "staff" and staff.respondents == 6
    d1 = next(r for r in staff.rows if r.code == "D1")
    assert d1.this_year.mean == Decimal("6.0") and d1.this_year.respondents == 6
    assert d1.last_year.mean == Decimal("6.0") and d1.last_year.respondents == 5
    assert all(fig.mean == Decimal("6.0") for _t, fig in d1.items)
    assert referrers.respondents == 4
    assert all(r.this_year.mean is None and r.this_year.suppressed for r in referrers.rows)
    assert all(fig.mean is None for r in referrers.rows for _t, fig in r.items)
