"""SIE 4 files as real accounting programs write them: a 4I file whose #RAR has no dates,
#UNDERDIM, and a #FNR written in another encoding than the rest of the file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finsam.core.actors import SYSTEM
from finsam.economy import ledger
from finsam.economy.models import LedgerBalance, LedgerImport, LedgerTransaction

pytestmark = pytest.mark.django_db


def sie(*lines: bytes) -> bytes:
    head = [
        b"#FLAGGA 0",
        b"#FORMAT PC8",
        b"#SIETYP 4",
        b'#PROGRAM "Kommunens ekonomisystem" 7.1',
        b'#FNAMN "Samordningsf\x94rbundet Test"',  # ö in CP437
    ]
    return b"\r\n".join([*head, *lines]) + b"\r\n"


VOUCHERS = [
    b'#VER A 1 20210315 "Bidrag"',
    b"{",
    b"   #TRANS 1930 {} 648000",
    b"   #TRANS 3600 {} -648000",
    b"}",
    b'#VER A 2 20210420 "Lokalhyra"',
    b"{",
    b'   #TRANS 7010 {1 "10"} 12000',
    b"   #TRANS 1930 {} -12000",
    b"}",
]


def test_a_4i_file_whose_rar_has_no_dates_takes_the_year_from_its_vouchers(association):
    data = sie(
        b"#RAR 0",
        b"#RAR -1",
        b"#IB 0 1930 548077",
        b"#IB -1 1930 400000",
        *VOUCHERS,
    )
    outcome = ledger.sie_import(
        association=association, fp=io.BytesIO(data), file_name="4i.si", by=SYSTEM
    )
    imp = outcome.ledger_import
    assert (imp.fiscal_year_start, imp.fiscal_year_end) == (
        dt.date(2021, 1, 1),
        dt.date(2021, 12, 31),
    )
    openings = dict(
        LedgerBalance.objects.filter(ledger_import=imp, kind="opening").values_list(
            "year_start", "amount"
        )
    )
    assert openings == {dt.date(2021, 1, 1): Decimal(548077), dt.date(2020, 1, 1): Decimal(400000)}
    assert LedgerTransaction.objects.filter(ledger_import=imp).count() == 4


def test_underdim_and_a_fnr_in_windows_1252_are_accepted(association):
    data = sie(
        b'#FNR "Samordningsf\xf6rbundet"',  # ö in Windows-1252, as some programs write it
        b"#RAR 0 20210101 20211231",
        b'#DIM 1 "Projekt"',
        b'#UNDERDIM 21 "Delprojekt" 1',
        b'#OBJEKT 1 "10" "Samkraft"',
        *VOUCHERS,
    )
    outcome = ledger.sie_import(
        association=association, fp=io.BytesIO(data), file_name="fnr.se", by=SYSTEM
    )
    assert outcome.ledger_import.company_name == "Samordningsförbundet Test"
    assert LedgerImport.objects.filter(association=association, complete=True).count() == 1


def test_windows_1252_where_it_is_read_is_still_refused_with_its_line(association):
    data = sie(b"#RAR 0 20210101 20211231", b'#KONTO 7010 "Lokalhyra f\xf6r kansliet"', *VOUCHERS)
    with pytest.raises(ValidationError, match="Windows-1252"):
        ledger.sie_import(association=association, fp=io.BytesIO(data), file_name="x.se", by=SYSTEM)
    assert not LedgerImport.objects.exists()


def test_a_rar_without_dates_in_a_file_without_vouchers_is_refused(association):
    data = sie(b"#RAR 0", b"#IB 0 1930 100")
    with pytest.raises(ValidationError, match="#RAR"):
        ledger.sie_import(association=association, fp=io.BytesIO(data), file_name="x.si", by=SYSTEM)
    assert not LedgerImport.objects.exists()
