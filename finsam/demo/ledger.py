"""A demo ledger for Kramfors 2021 (January–June), written as a real SIE 4E file.

Invented bookkeeping that follows the adopted budget, so that the follow-up page has actuals to
show on first login. Account numbers follow Kommun-Bas as the seed prints them (4530, 8570, 2010).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

from finsam.economy import sie

ACCOUNTS = [
    ("1930", "Bank"),
    ("2010", "Eget kapital"),
    ("3600", "Driftbidrag från staten"),
    ("3610", "Driftbidrag från kommun och region"),
    ("4530", "Bidrag föreningar, kommunalförbund, företag mfl"),
    ("5010", "Löner"),
    ("5410", "Arbetsgivaravgifter"),
    ("7010", "Lokalhyra"),
    ("7640", "Revision"),
    ("8570", "Bankkostnader"),
]
OBJECTS = [("10", "Samkraft"), ("11", "STEGSAM"), ("12", "STEGSAM Plus"), ("13", "Psykiatridagen")]
OBJECT_LINES = {
    "10": "Teamkoordinator/Coach Samkraft",
    "11": "Aktivitetscoach & samordnare STEGSAM",
    "12": "Aktivitetscoach STEGSAM Plus",
    "13": "Psykiatridagen",
}
ACCOUNT_LINES = [
    ("3600", "3600", "Driftbidrag från staten"),
    ("3610", "3610", "Driftbidrag från kommun och region"),
    ("5000", "5999", "Summa personalkostnader"),
    ("6000", "7999", "Summa övriga verksamhetskostnader"),
    ("8570", "8570", "Bankkostnader"),
]


def _voucher(number: int, date: dt.date, text: str, rows: list[tuple[str, str, D]]) -> sie.Voucher:
    transactions = tuple(
        sie.Transaction(account=account, objects=((1, obj),) if obj else (), amount=amount)
        for account, obj, amount in rows
    )
    return sie.Voucher(
        series="A", number=str(number), date=date, text=text, transactions=transactions
    )


def kramfors_2021_vouchers() -> list[sie.Voucher]:
    vouchers: list[sie.Voucher] = []
    n = 1

    def add(date, text, rows):
        nonlocal n
        bank = -sum((amount for _, _, amount in rows), D(0))
        vouchers.append(_voucher(n, date, text, [*rows, ("1930", "", bank)]))
        n += 1

    for month in (1, 4):
        add(dt.date(2021, month, 15), "Driftbidrag staten", [("3600", "", D("-324000"))])
        add(dt.date(2021, month, 20), "Driftbidrag kommun och region", [("3610", "", D("-324000"))])
    for month in range(1, 7):
        last = dt.date(2021, month, 28)
        add(last, "Samkraft, månadsbidrag", [("4530", "10", D("50000"))])
        add(last, "Löner", [("5010", "", D("50300")), ("5410", "", D("15800"))])
        add(last, "Hyra och kontor", [("7010", "", D("9500"))])
        add(last, "Bankavgift", [("8570", "", D("310"))])
    add(dt.date(2021, 3, 31), "STEGSAM, rekvisition kv 1", [("4530", "11", D("237500"))])
    add(dt.date(2021, 6, 30), "STEGSAM, rekvisition kv 2", [("4530", "11", D("237500"))])
    add(dt.date(2021, 6, 30), "STEGSAM Plus, rekvisition", [("4530", "12", D("120000"))])
    add(dt.date(2021, 5, 12), "Revision, förskott", [("7640", "", D("12000"))])
    return vouchers


def kramfors_2021_sie() -> bytes:
    buffer = io.BytesIO()
    sie.write_sie(
        buffer,
        company="Samordningsförbundet Kramfors",
        org_nr=None,
        fiscal_years=[
            sie.FiscalYear(index=0, start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))
        ],
        accounts=[sie.Account(number=a, name=name) for a, name in ACCOUNTS],
        dimensions=[sie.Dimension(number=1, name="Projekt")],
        objects=[sie.Object(dimension=1, number=o, name=name) for o, name in OBJECTS],
        opening_balances=[
            sie.OpeningBalance(year=0, account="1930", amount=D("548077")),
            sie.OpeningBalance(year=0, account="2010", amount=D("-548077")),
        ],
        vouchers=kramfors_2021_vouchers(),
        program="Finsam demo",
        generated=dt.date(2021, 7, 5),
    )
    return buffer.getvalue()
