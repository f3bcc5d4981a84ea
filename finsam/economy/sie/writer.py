"""Small SIE 4E writer, used by tests and benchmarks to produce valid files.

Takes the reader's record dataclasses as input, so `read_sie(write_sie(...))` round-trips.
Output is CP437 ("PC8") with CRLF line endings, in the record order the spec prescribes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import BinaryIO

from .reader import (
    Account,
    AccountType,
    ClosingBalance,
    Dimension,
    FiscalYear,
    Object,
    ObjectClosingBalance,
    ObjectList,
    ObjectOpeningBalance,
    OpeningBalance,
    PeriodBalance,
    PeriodBudget,
    Result,
    Transaction,
    Voucher,
)

_NEEDS_QUOTES = frozenset(' \t"\\{}')
_TRANS_LABELS = {"normal": "#TRANS", "added": "#RTRANS", "removed": "#BTRANS"}


def quoted(value: str) -> str:
    """Always-quoted text field, with \\" and \\\\ escaped."""
    if any(ord(c) < 32 or c == "\x7f" for c in value):
        raise ValueError(f"Kontrolltecken är inte tillåtna i SIE-fält: {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quote(value: str) -> str:
    """Text field: bare if that is unambiguous, else quoted."""
    if value and _NEEDS_QUOTES.isdisjoint(value) and value.isprintable():
        return value
    return quoted(value)


def _amount(value: Decimal) -> str:
    return format(value, "f")


def _date(value: dt.date | None) -> str:
    return "" if value is None else value.strftime("%Y%m%d")


def _objects(objects: ObjectList) -> str:
    return "{" + " ".join(f"{dim} {quoted(obj)}" for dim, obj in objects) + "}"


def _fields(*fields: str) -> str:
    """Join fields, dropping empty trailing optional ones and writing "" for inner gaps."""
    items = list(fields)
    while items and items[-1] == "":
        items.pop()
    return " ".join(item if item else '""' for item in items)


def bas_account_type(number: str) -> str | None:
    """Account type (T/S/K/I) implied by a BAS account number, or None if not a BAS number."""
    return {"1": "T", "2": "S", "3": "I"}.get(number[:1]) or (
        "K" if number[:1] in ("4", "5", "6", "7", "8") else None
    )


def voucher_lines(voucher: Voucher) -> Iterator[str]:
    """The lines of one #VER block (an #RTRANS is followed by its required #TRANS copy)."""
    v = voucher
    yield _fields("#VER", quote(v.series), quote(v.number), _date(v.date), quote(v.text),
                  _date(v.reg_date), quote(v.signature) if v.signature else "")  # fmt: skip
    yield "{"
    for t in v.transactions:
        line = _transaction_fields(t)
        yield f"   {_TRANS_LABELS[t.kind]} {line}"
        if t.kind == "added":
            yield f"   #TRANS {line}"
    yield "}"


def _transaction_fields(t: Transaction) -> str:
    quantity = "" if t.quantity is None else _amount(t.quantity)
    return _fields(quote(t.account), _objects(t.objects), _amount(t.amount), _date(t.date),
                   quote(t.text) if t.text else "", quantity,
                   quote(t.signature) if t.signature else "")  # fmt: skip


def write_sie(
    fp: BinaryIO,
    *,
    company: str,
    fiscal_years: Iterable[FiscalYear],
    accounts: Iterable[Account],
    vouchers: Iterable[Voucher] = (),
    account_types: Iterable[AccountType] | None = None,
    dimensions: Iterable[Dimension] = (),
    objects: Iterable[Object] = (),
    opening_balances: Iterable[OpeningBalance] = (),
    closing_balances: Iterable[ClosingBalance] = (),
    object_opening_balances: Iterable[ObjectOpeningBalance] = (),
    object_closing_balances: Iterable[ObjectClosingBalance] = (),
    results: Iterable[Result] = (),
    period_balances: Iterable[PeriodBalance] = (),
    period_budgets: Iterable[PeriodBudget] = (),
    org_nr: str | None = None,
    program: str = "Finsam",
    program_version: str = "1.0",
    generated: dt.date | None = None,
    chart_type: str = "BAS2014",
) -> int:
    """Write a SIE 4E file to a binary file object; returns the number of lines written.

    If `account_types` is None, #KTYP is derived from the BAS account number.
    Iterables are consumed lazily, so a generator of vouchers is written in constant memory.
    """
    count = 0
    buffer: list[str] = []

    def emit(line: str) -> None:
        nonlocal count
        buffer.append(line)
        count += 1
        if len(buffer) >= 4096:
            flush()

    def flush() -> None:
        if buffer:
            fp.write(("\r\n".join(buffer) + "\r\n").encode("cp437"))
            buffer.clear()

    emit("#FLAGGA 0")
    emit(_fields("#PROGRAM", quote(program), quote(program_version)))
    emit("#FORMAT PC8")
    emit(f"#GEN {_date(generated or dt.date.today())}")
    emit("#SIETYP 4")
    if org_nr:
        emit(f"#ORGNR {quote(org_nr)}")
    emit(f"#FNAMN {quote(company)}")
    for y in fiscal_years:
        emit(f"#RAR {y.index} {_date(y.start)} {_date(y.end)}")
    emit(f"#KPTYP {quote(chart_type)}")
    for a in accounts:
        emit(f"#KONTO {quote(a.number)} {quote(a.name)}")
        derived = bas_account_type(a.number) if account_types is None else None
        if derived:
            emit(f"#KTYP {quote(a.number)} {derived}")
    for t in account_types or ():
        emit(f"#KTYP {quote(t.number)} {t.type}")
    for d in dimensions:
        emit(f"#DIM {d.number} {quote(d.name)}")
    for o in objects:
        emit(f"#OBJEKT {o.dimension} {quote(o.number)} {quote(o.name)}")
    for label, rows in (("#IB", opening_balances), ("#UB", closing_balances),
                        ("#RES", results)):  # fmt: skip
        for b in rows:
            qty = "" if b.quantity is None else _amount(b.quantity)
            emit(_fields(label, str(b.year), quote(b.account), _amount(b.amount), qty))
    for label, obj_rows in (("#OIB", object_opening_balances),
                            ("#OUB", object_closing_balances)):  # fmt: skip
        for ob in obj_rows:
            qty = "" if ob.quantity is None else _amount(ob.quantity)
            emit(_fields(label, str(ob.year), quote(ob.account), _objects(ob.objects),
                         _amount(ob.amount), qty))  # fmt: skip
    for label, period_rows in (("#PSALDO", period_balances), ("#PBUDGET", period_budgets)):
        for p in period_rows:
            qty = "" if p.quantity is None else _amount(p.quantity)
            emit(_fields(label, str(p.year), p.period, quote(p.account), _objects(p.objects),
                         _amount(p.amount), qty))  # fmt: skip
    for v in vouchers:
        for line in voucher_lines(v):
            emit(line)
    flush()
    return count


# --- deterministic test data --------------------------------------------------------------

DEMO_ACCOUNTS: tuple[Account, ...] = (
    Account("1910", "Kassa"),
    Account("1930", "Företagskonto"),
    Account("2440", "Leverantörsskulder"),
    Account("3010", "Bidrag från staten"),
    Account("3020", "Bidrag från regionen"),
    Account("3030", "Bidrag från kommunerna"),
    Account("4010", "Insatser, köpta tjänster"),
    Account("5010", "Lokalhyra"),
    Account("6110", "Kontorsmateriel"),
    Account("7010", "Löner till tjänstemän"),
)
_TEXTS = ("Utbetalning insats", 'Faktura "Steg för steg"', "Hyra kvartal", "Lön", "Återföring")


def generate_vouchers(
    n_trans: int, seed: int = 0, *, series: str = "A", year: int = 2024
) -> Iterator[Voucher]:
    """Yield balanced vouchers with exactly `n_trans` transaction rows in total, deterministically.

    Every voucher has 2-6 rows; some rows carry an object list or a transaction text so that
    both the fast and the general tokenizer paths are exercised.
    """
    if n_trans == 1 or n_trans < 0:
        raise ValueError("n_trans måste vara 0 eller minst 2")
    rng = random.Random(seed)
    start = dt.date(year, 1, 1)
    remaining, number = n_trans, 1
    while remaining:
        size = min(rng.randint(2, 5), remaining)
        if remaining - size == 1:
            size += 1
        remaining -= size
        day = start + dt.timedelta(days=rng.randrange(365))
        rows, total = [], Decimal(0)
        for i in range(size):
            account = rng.choice(DEMO_ACCOUNTS).number
            if i < size - 1:
                amount = Decimal(rng.randint(-5_000_000, 5_000_000)).scaleb(-2)
                total += amount
            else:
                amount = -total
            objects: ObjectList = ((1, str(rng.randint(1, 20))),) if rng.random() < 0.2 else ()
            text = rng.choice(_TEXTS) if rng.random() < 0.3 else ""
            when = day if rng.random() < 0.5 else None
            rows.append(Transaction(account, objects, amount, when, text))
        yield Voucher(series, str(number), day, rng.choice(_TEXTS), transactions=tuple(rows))
        number += 1
