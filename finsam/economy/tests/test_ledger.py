import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo, load_ledger_demo
from finsam.demo.ledger import kramfors_2021_sie
from finsam.economy import ledger, selectors
from finsam.economy.models import FollowUpEntry, LedgerImport, LedgerTransaction
from finsam.organisation.tests.factories import AssociationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kramfors():
    association = AssociationFactory(slug="kramfors", name="Samordningsförbundet Kramfors")
    load_economy_demo(association)
    return association


def test_importing_the_same_file_twice_changes_nothing(kramfors):
    data = kramfors_2021_sie()
    first = ledger.sie_import(
        association=kramfors, fp=io.BytesIO(data), file_name="a.se", by=SYSTEM
    )
    count = LedgerTransaction.objects.count()
    again = ledger.sie_import(
        association=kramfors, fp=io.BytesIO(data), file_name="a.se", by=SYSTEM
    )
    assert again.unchanged and again.ledger_import == first.ledger_import
    assert LedgerTransaction.objects.count() == count
    assert first.ledger_import.voucher_count == 32  # 4 contributions, 6 months × 4, 4 others


def test_a_corrected_file_replaces_the_year_it_covers(kramfors):
    ledger.sie_import(
        association=kramfors, fp=io.BytesIO(kramfors_2021_sie()), file_name="a.se", by=SYSTEM
    )
    corrected = kramfors_2021_sie().replace(b"Bankavgift", b"Bankavg.  ")
    outcome = ledger.sie_import(
        association=kramfors, fp=io.BytesIO(corrected), file_name="b.se", by=SYSTEM
    )
    assert outcome.replaced == 1
    assert LedgerImport.objects.filter(association=kramfors).count() == 1
    assert LedgerTransaction.objects.filter(text__startswith="Bankavg.").exists()


def test_a_malformed_file_is_refused_whole_with_its_line_and_nothing_saved(kramfors):
    data = kramfors_2021_sie()
    broken = data[: data.rindex(b"}")]  # the last voucher never closes
    with pytest.raises(ValidationError) as exc:
        ledger.sie_import(association=kramfors, fp=io.BytesIO(broken), file_name="x.se", by=SYSTEM)
    assert "inget har sparats" in exc.value.messages[0]
    assert "Rad " in exc.value.messages[0]
    assert not LedgerImport.objects.exists()
    assert not LedgerTransaction.objects.exists()


def test_follow_up_per_30_june_with_actuals_forecast_and_equity(kramfors):
    load_ledger_demo(kramfors)
    budget = kramfors.budgets.get()
    report = selectors.follow_up(
        user=_economist(kramfors), association=kramfors, budget=budget, cutoff=dt.date(2021, 6, 30)
    )
    rows = {r.label: r for r in report.income + report.costs}
    stegsam = rows["Aktivitetscoach & samordnare STEGSAM"]
    assert (stegsam.budget, stegsam.actual) == (Decimal(950000), Decimal(475000))
    assert stegsam.forecast == Decimal(950000)  # projected: half the year gone, half spent
    assert rows["Driftbidrag från staten"].actual == Decimal(648000)
    assert report.equity_opening == Decimal(548077)
    assert report.months_elapsed == 6
    assert report.equity_forecast == report.equity_opening + report.result_forecast


def test_an_entered_forecast_and_even_accrual_are_used(kramfors):
    from finsam.economy import services

    load_ledger_demo(kramfors)
    services.follow_up_entry_set(
        association=kramfors,
        year=2021,
        line_label="Aktivitetscoach STEGSAM Plus",
        by=SYSTEM,
        forecast=Decimal(330000),
        accrual=None,
        method="actual",
    )
    services.follow_up_entry_set(
        association=kramfors,
        year=2021,
        line_label="Psykiatridagen",
        by=SYSTEM,
        forecast=None,
        accrual=None,
        method=FollowUpEntry.Method.EVEN,
    )
    report = selectors.follow_up(
        user=_economist(kramfors),
        association=kramfors,
        budget=kramfors.budgets.get(),
        cutoff=dt.date(2021, 6, 30),
    )
    rows = {r.label: r for r in report.costs}
    plus = rows["Aktivitetscoach STEGSAM Plus"]
    assert plus.forecast == Decimal(330000) and plus.forecast_entered
    assert plus.variance == 0
    assert rows["Psykiatridagen"].accrued == Decimal(15000)


def _economist(association):
    from finsam.organisation.models import Role
    from finsam.organisation.tests.factories import user_with_role

    return user_with_role(association, Role.ECONOMIST)


def test_import_sie_command(kramfors, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    path = tmp_path / "kramfors.se"
    path.write_bytes(kramfors_2021_sie())
    call_command("import_sie", str(path), association="kramfors")
    assert "Importerade 32 verifikationer" in capsys.readouterr().out
    call_command("import_sie", str(path), association="kramfors")
    assert "redan importerad" in capsys.readouterr().out
    path.write_bytes(b"#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#VER A 1 20211332 x\r\n")
    with pytest.raises(CommandError, match="Rad 4"):
        call_command("import_sie", str(path), association="kramfors")


def test_follow_up_mid_month_counts_the_days_of_the_cut_off_month(kramfors):
    load_ledger_demo(kramfors)
    user = _economist(kramfors)
    budget = kramfors.budgets.get()
    mid_june = selectors.follow_up(
        user=user, association=kramfors, budget=budget, cutoff=dt.date(2021, 6, 15)
    )
    rows = {r.label: r for r in mid_june.costs}
    # STEGSAM's second requisition is booked on 30 June, the first on 31 March.
    assert rows["Aktivitetscoach & samordnare STEGSAM"].actual == Decimal(237500)
    may_12 = selectors.follow_up(
        user=user, association=kramfors, budget=budget, cutoff=dt.date(2021, 5, 12)
    )
    other = {r.label: r for r in may_12.costs}["Summa övriga verksamhetskostnader"]
    # Rent January–April (4 × 9 500) plus the audit fee booked on 12 May.
    assert other.actual == Decimal(38000 + 12000)


def test_transaction_text_with_tabs_backslashes_and_newlines_is_stored_exactly(kramfors):
    ledger.sie_import(
        association=kramfors, fp=io.BytesIO(kramfors_2021_sie()), file_name="a.se", by=SYSTEM
    )
    imp = LedgerImport.objects.get()
    text = 'Faktura\t"12"\\A\nrad två'
    ledger.write_transactions(
        [
            (
                imp.pk,
                kramfors.pk,
                dt.date(2021, 2, 1),
                "B",
                "7",
                "4530",
                "1:10",
                Decimal("-12.50"),
                text,
            )
        ]
    )
    row = LedgerTransaction.objects.get(series="B")
    assert (row.text, row.amount, row.object_codes) == (text, Decimal("-12.50"), "1:10")


def test_a_monthly_profile_spreads_the_budget_with_a_summer_break(kramfors):
    from finsam.economy import services
    from finsam.economy.follow_up import profile_share

    weights = [Decimal(1)] * 6 + [Decimal(0)] + [Decimal(1)] * 5  # closed in July
    assert profile_share(weights, dt.date(2021, 6, 30)) == Decimal(6) / Decimal(11)
    assert profile_share(weights, dt.date(2021, 7, 31)) == Decimal(6) / Decimal(11)
    load_ledger_demo(kramfors)
    services.follow_up_entry_set(
        association=kramfors,
        year=2021,
        line_label="Psykiatridagen",
        by=SYSTEM,
        forecast=None,
        accrual=None,
        method="profile",
        profile=weights,
    )
    report = selectors.follow_up(
        user=_economist(kramfors),
        association=kramfors,
        budget=kramfors.budgets.get(),
        cutoff=dt.date(2021, 7, 31),
    )
    row = {r.label: r for r in report.costs}["Psykiatridagen"]
    assert row.accrued == Decimal(30000) * 6 / 11
    with pytest.raises(ValidationError, match="tolv vikter"):
        services.follow_up_entry_set(
            association=kramfors,
            year=2021,
            line_label="Psykiatridagen",
            by=SYSTEM,
            forecast=None,
            accrual=None,
            method="profile",
            profile=[Decimal(1)] * 11,
        )


def test_removed_rows_stay_out_of_the_ledger_and_an_added_row_counts_once(kramfors):
    data = (
        b"#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 20240101 20241231\n"
        b'#VER A 1 20240105 "R\\"ttelse"\n{\n'
        b'   #TRANS 1930 {1 "15"} -100.50 20240105\n'
        b"   #BTRANS 4010 {} 100.50\n"
        b"   #RTRANS 4010 {} 100.50\n"
        b"   #TRANS 4010 {} 100.50\n"
        b"}\n"
    )
    outcome = ledger.sie_import(
        association=kramfors, fp=io.BytesIO(data), file_name="r.se", by=SYSTEM
    )
    rows = LedgerTransaction.objects.filter(ledger_import=outcome.ledger_import)
    assert sorted((r.account, r.object_codes, r.amount, r.text) for r in rows) == [
        ("1930", "1:15", Decimal("-100.50"), 'R"ttelse'),
        ("4010", "", Decimal("100.50"), 'R"ttelse'),
    ]
    assert outcome.ledger_import.transaction_count == 2
