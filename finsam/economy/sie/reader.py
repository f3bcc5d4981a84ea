"""Streaming reader for SIE 4 files (4E export and 4I import), per "SIE filformat ver 4B".

Standard library only (no Django). The file is read line by line with bounded memory: only
the rows of the voucher currently being read are held. Records are yielded in file order as
frozen dataclasses; the first problem found raises `SieError` with a Swedish message.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, BinaryIO, Literal, TypeAlias

from .chunks import Lines, SieError, VoucherRows, decode_line, fast_vouchers

ObjectList: TypeAlias = tuple[tuple[int, str], ...]
TransactionKind: TypeAlias = Literal["normal", "added", "removed"]


def _line() -> Any:
    # Source line (1-based). Metadata only: excluded from ==, so written and read-back
    # records compare equal.
    return field(default=0, kw_only=True, compare=False)


_record = dataclass(frozen=True, slots=True)


@_record
class Flag:  # #FLAGGA
    flag: int
    line: int = _line()


@_record
class Program:  # #PROGRAM
    name: str
    version: str = ""
    line: int = _line()


@_record
class Format:  # #FORMAT
    format: str
    line: int = _line()


@_record
class Gen:  # #GEN
    generated: dt.date
    signature: str = ""
    line: int = _line()


@_record
class SieType:  # #SIETYP
    type: int
    line: int = _line()


@_record
class OrgNr:  # #ORGNR
    number: str
    acquisition_no: str = ""
    activity_no: str = ""
    line: int = _line()


@_record
class CompanyName:  # #FNAMN
    name: str
    line: int = _line()


@_record
class FiscalYear:  # #RAR; index 0 = current year, -1 = previous, ...
    index: int
    start: dt.date | None  # some programs write "#RAR 0" without dates
    end: dt.date | None
    line: int = _line()


@_record
class ChartType:  # #KPTYP
    type: str
    line: int = _line()


@_record
class Account:  # #KONTO
    number: str
    name: str
    line: int = _line()


@_record
class AccountType:  # #KTYP; T=tillgång, S=skuld, K=kostnad, I=intäkt
    number: str
    type: str
    line: int = _line()


@_record
class Dimension:  # #DIM
    number: int
    name: str
    line: int = _line()


@_record
class Object:  # #OBJEKT
    dimension: int
    number: str
    name: str
    line: int = _line()


@_record
class _Balance:
    year: int  # year index as in #RAR: 0 = current, -1 = previous
    account: str
    amount: Decimal
    quantity: Decimal | None = None
    line: int = _line()


@_record
class OpeningBalance(_Balance):
    """#IB"""


@_record
class ClosingBalance(_Balance):
    """#UB"""


@_record
class Result(_Balance):
    """#RES"""


@_record
class _ObjectBalance:
    year: int
    account: str
    objects: ObjectList
    amount: Decimal
    quantity: Decimal | None = None
    line: int = _line()


@_record
class ObjectOpeningBalance(_ObjectBalance):
    """#OIB"""


@_record
class ObjectClosingBalance(_ObjectBalance):
    """#OUB"""


@_record
class _PeriodValue:
    year: int
    period: str  # "YYYYMM"
    account: str
    objects: ObjectList
    amount: Decimal
    quantity: Decimal | None = None
    line: int = _line()


@_record
class PeriodBalance(_PeriodValue):
    """#PSALDO"""


@_record
class PeriodBudget(_PeriodValue):
    """#PBUDGET"""


@_record
class Transaction:  # #TRANS (normal), #RTRANS (added), #BTRANS (removed)
    account: str
    objects: ObjectList
    amount: Decimal
    date: dt.date | None = None
    text: str = ""
    quantity: Decimal | None = None
    signature: str = ""
    kind: TransactionKind = "normal"
    line: int = _line()


@_record
class Voucher:  # #VER with its { ... } block
    series: str
    number: str
    date: dt.date
    text: str = ""
    reg_date: dt.date | None = None
    signature: str = ""
    transactions: tuple[Transaction, ...] = ()
    line: int = _line()

    @property
    def booked_transactions(self) -> tuple[Transaction, ...]:
        """Rows that count toward the ledger (removed #BTRANS rows excluded)."""
        return tuple(t for t in self.transactions if t.kind != "removed")


Record: TypeAlias = (
    Flag | Program | Format | Gen | SieType | OrgNr | CompanyName | FiscalYear | ChartType
    | Account | AccountType | Dimension | Object | OpeningBalance | ClosingBalance | Result
    | ObjectOpeningBalance | ObjectClosingBalance | PeriodBalance | PeriodBudget | Voucher
)  # fmt: skip

# --- field converters: (token or None if absent, line, field name, label) -> value ----------

_INT_RE = re.compile(r"-?[0-9]{1,9}\Z")
_AMOUNT_RE = re.compile(r"-?(?:[0-9]{1,15}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})\Z")
_PERIOD_RE = re.compile(r"[0-9]{4}(?:0[1-9]|1[0-2])\Z")
_DATE_RE = re.compile(r"[0-9]{8}\Z")
_date_cache: dict[str, dt.date] = {}


def _need(tok: Any, ln: int, name: str, label: str) -> str:
    if tok is None:
        raise SieError(ln, f"Obligatoriskt fält '{name}' saknas i {label}")
    if type(tok) is tuple:
        raise SieError(ln, f"Fältet '{name}' i {label} får inte vara en objektlista")
    return tok


def _str(tok: Any, ln: int, name: str, label: str) -> str:
    if not _need(tok, ln, name, label):
        raise SieError(ln, f"Obligatoriskt fält '{name}' saknas i {label}")
    return tok


def _opt_str(tok: Any, ln: int, name: str, label: str) -> str:
    return "" if tok is None else _need(tok, ln, name, label)


def _int(tok: Any, ln: int, name: str, label: str) -> int:
    if not _INT_RE.match(_str(tok, ln, name, label)):
        raise SieError(ln, f"Ogiltigt heltal '{tok}' i fältet '{name}' i {label}")
    return int(tok)


def _date(tok: Any, ln: int, name: str, label: str) -> dt.date:
    value = _date_cache.get(tok)  # dates repeat a lot; a tiny cache is a big speed-up
    if value is None:
        if not _DATE_RE.match(_str(tok, ln, name, label)):
            raise SieError(ln, f"Ogiltigt datum '{tok}'")
        try:
            value = dt.date(int(tok[:4]), int(tok[4:6]), int(tok[6:]))
        except ValueError:
            raise SieError(ln, f"Ogiltigt datum '{tok}'") from None
        if len(_date_cache) >= 4096:
            _date_cache.clear()
        _date_cache[tok] = value
    return value


def _opt_date(tok: Any, ln: int, name: str, label: str) -> dt.date | None:
    return None if tok is None or tok == "" else _date(tok, ln, name, label)


def _amount(tok: Any, ln: int, name: str, label: str) -> Decimal:
    if not _AMOUNT_RE.match(_str(tok, ln, name, label)):
        raise SieError(ln, f"Ogiltigt belopp '{tok}' i {label}")
    return Decimal(tok)


def _quantity(tok: Any, ln: int, name: str, label: str) -> Decimal | None:
    if tok is None or tok == "":
        return None
    if not _AMOUNT_RE.match(_need(tok, ln, name, label)):
        raise SieError(ln, f"Ogiltig kvantitet '{tok}' i {label}")
    return Decimal(tok)


def _objects(tok: Any, ln: int, name: str, label: str) -> ObjectList:
    if tok is None:
        raise SieError(ln, f"Obligatoriskt fält '{name}' saknas i {label}")
    if type(tok) is not tuple:
        raise SieError(ln, f"Fältet '{name}' i {label} måste vara en objektlista inom {{ }}")
    return tok


def _period(tok: Any, ln: int, name: str, label: str) -> str:
    if not _PERIOD_RE.match(_str(tok, ln, name, label)):
        raise SieError(ln, f"Ogiltig period '{tok}' (ska vara ÅÅÅÅMM)")
    return tok


def _account_type(tok: Any, ln: int, name: str, label: str) -> str:
    value = _str(tok, ln, name, label).upper()
    if value not in ("T", "S", "K", "I"):
        raise SieError(ln, f"Ogiltig kontotyp '{tok}' (ska vara T, S, K eller I)")
    return value


_YEAR = (_int, "årsnummer")
_ACCOUNT = (_str, "kontonummer")
_OBJS = (_objects, "objektlista")
_AMT = (_amount, "belopp")
_QTY = (_quantity, "kvantitet")
_SCHEMAS: dict[str, tuple[type, tuple[tuple[Any, str], ...]]] = {
    "#FLAGGA": (Flag, ((_int, "flagga"),)),
    "#PROGRAM": (Program, ((_str, "programnamn"), (_opt_str, "version"))),
    "#FORMAT": (Format, ((_str, "format"),)),
    "#GEN": (Gen, ((_date, "datum"), (_opt_str, "signatur"))),
    "#SIETYP": (SieType, ((_str, "typnummer"),)),
    "#ORGNR": (
        OrgNr,
        ((_str, "organisationsnummer"), (_opt_str, "förvärvsnummer"), (_opt_str, "verksamhet")),
    ),
    "#FNAMN": (CompanyName, ((_need, "företagsnamn"),)),
    "#RAR": (FiscalYear, (_YEAR, (_opt_date, "startdatum"), (_opt_date, "slutdatum"))),
    "#KPTYP": (ChartType, ((_str, "kontoplanstyp"),)),
    "#KONTO": (Account, (_ACCOUNT, (_need, "kontonamn"))),
    "#KTYP": (AccountType, (_ACCOUNT, (_account_type, "kontotyp"))),
    "#DIM": (Dimension, ((_int, "dimensionsnummer"), (_need, "namn"))),
    "#OBJEKT": (Object, ((_int, "dimensionsnummer"), (_str, "objektnummer"), (_need, "namn"))),
    "#IB": (OpeningBalance, (_YEAR, _ACCOUNT, _AMT, _QTY)),
    "#UB": (ClosingBalance, (_YEAR, _ACCOUNT, _AMT, _QTY)),
    "#RES": (Result, (_YEAR, _ACCOUNT, _AMT, _QTY)),
    "#OIB": (ObjectOpeningBalance, (_YEAR, _ACCOUNT, _OBJS, _AMT, _QTY)),
    "#OUB": (ObjectClosingBalance, (_YEAR, _ACCOUNT, _OBJS, _AMT, _QTY)),
    "#PSALDO": (PeriodBalance, (_YEAR, (_period, "period"), _ACCOUNT, _OBJS, _AMT, _QTY)),
    "#PBUDGET": (PeriodBudget, (_YEAR, (_period, "period"), _ACCOUNT, _OBJS, _AMT, _QTY)),
}
_VER_SCHEMA = (
    (_opt_str, "serie"),
    (_opt_str, "verifikationsnummer"),
    (_date, "verifikationsdatum"),
    (_opt_str, "verifikationstext"),
    (_opt_date, "registreringsdatum"),
    (_opt_str, "signatur"),
)
_TRANS_REQUIRED = ((_str, "kontonummer"), (_objects, "objektlista"), (_amount, "belopp"))
_TRANS_KINDS: dict[str, TransactionKind] = {
    "#TRANS": "normal",
    "#RTRANS": "added",
    "#BTRANS": "removed",
}
# Identification labels allowed before #FORMAT and #SIETYP have been seen.
_HEADER = {"#FLAGGA", "#KSUMMA", "#PROGRAM", "#FORMAT", "#GEN", "#SIETYP", "#PROSA", "#FTYP",
           "#FNR", "#ORGNR", "#BKOD", "#ADRESS", "#FNAMN", "#RAR", "#TAXAR", "#OMFATTN",
           "#KPTYP", "#VALUTA"}  # fmt: skip
# Labels defined by the spec that we do not model: skipped silently.
_SKIPPED = {"#ADRESS", "#BKOD", "#ENHET", "#FNR", "#FTYP", "#KSUMMA", "#OMFATTN", "#PROSA",
            "#SRU", "#TAXAR", "#UNDERDIM", "#VALUTA"}  # fmt: skip
_SKIPPED_HEADS = [[label.encode()] for label in _SKIPPED] + [
    [label.lower().encode()] for label in _SKIPPED
]
_KNOWN = _SKIPPED | _SCHEMAS.keys() | _TRANS_KINDS.keys() | {"#VER"}


def _values(schema: tuple[tuple[Any, str], ...], tokens: list, ln: int, label: str) -> list:
    n = len(tokens)
    return [conv(tokens[i] if i < n else None, ln, name, label)
            for i, (conv, name) in enumerate(schema, 1)]  # fmt: skip


def _transaction(tokens: list, ln: int, label: str, kind: TransactionKind) -> Transaction:
    n = len(tokens)
    if (
        n < 4
        or type(account := tokens[1]) is not str
        or not account
        or type(objects := tokens[2]) is not tuple
        or type(amount := tokens[3]) is not str
        or not _AMOUNT_RE.match(amount)
    ):
        _values(_TRANS_REQUIRED, tokens, ln, label)  # raises for the first bad field
    if n == 4:
        return _new_transaction(account, objects, Decimal(amount), None, "", None, "", kind, ln)
    when, quantity, text, signature = None, None, "", ""
    if (tok := tokens[4]) != "":
        when = _date_cache.get(tok) or _date(tok, ln, "transaktionsdatum", label)
    if n > 5 and type(text := tokens[5]) is not str:
        _need(text, ln, "transaktionstext", label)
    if n > 6:
        quantity = _quantity(tokens[6], ln, "kvantitet", label)
    if n > 7:
        signature = _opt_str(tokens[7], ln, "signatur", label)
    return _new_transaction(account, objects, Decimal(amount), when, text, quantity, signature,
                            kind, ln)  # fmt: skip


# Frozen dataclasses assign each field through object.__setattr__, about half the cost of a
# #TRANS row. The hot path fills the slots directly instead; the result is identical to
# Transaction(...) (checked in the tests).
_new_object = object.__new__
(_set_account, _set_objects, _set_amount, _set_date, _set_text, _set_quantity, _set_signature,
 _set_kind, _set_line) = (getattr(Transaction, f.name).__set__ for f in fields(Transaction))  # fmt: skip


def _new_transaction(
    account: str, objects: ObjectList, amount: Decimal, date: dt.date | None, text: str,
    quantity: Decimal | None, signature: str, kind: TransactionKind, line: int,
) -> Transaction:  # fmt: skip
    row = _new_object(Transaction)
    _set_account(row, account)
    _set_objects(row, objects)
    _set_amount(row, amount)
    _set_date(row, date)
    _set_text(row, text)
    _set_quantity(row, quantity)
    _set_signature(row, signature)
    _set_kind(row, kind)
    _set_line(row, line)
    return row


# --- fast path for the common #TRANS line ----------------------------------------------------

# A #TRANS row as accounting programs write it: a bare account, no object or one object
# (dimension digits, object bare or quoted), the amount, then optionally a date ("" for none) and
# a quoted text, with no escapes. Anything else (more objects, quantity, signature, escapes, odd
# spacing) goes through the general tokenizer, which gives the same rows (property-tested) and
# the Swedish error messages.
_TRANS_FAST_RE = re.compile(
    r'#TRANS\s+([^\s"{}\\]+)\s+\{\s*(?:([0-9]+)\s+(?:"([^"\\]*)"|([^\s"{}\\]+))\s*)?\}\s+'
    r"(-?(?:[0-9]{1,15}(?:\.[0-9]{0,6})?|\.[0-9]{1,6}))"
    r'(?:\s+(?:([0-9]{8})|"")(?:\s+"([^"\\]*)")?)?\Z'
)
_trans_fast_match = _TRANS_FAST_RE.match


def _fast_transaction(line: str, ln: int) -> Transaction | None:
    """The row of a common #TRANS line, or None when the general tokenizer must read it."""
    if (match := _trans_fast_match(line)) is None:
        return None
    account, dim, quoted_obj, bare_obj, amount, when, text = match.groups()
    objects = (
        _EMPTY if dim is None else ((int(dim), bare_obj if quoted_obj is None else quoted_obj),)
    )
    if when is not None:
        when = _date_cache.get(when) or _date(when, ln, "transaktionsdatum", "#TRANS")
    return _new_transaction(account, objects, Decimal(amount), when, text or "", None, "",
                            "normal", ln)  # fmt: skip


# --- tokenizer -------------------------------------------------------------------------------

_EMPTY: ObjectList = ()
_BACKSLASH, _QUOTE = "\ue000", "\ue001"  # private-use placeholders for \\ and \" escapes


def _tokenize(line: str, ln: int) -> list:
    """Split a line into str fields and ObjectList tuples (for {...})."""
    escaped = "\\" in line
    if escaped:
        line = line.replace("\\\\", _BACKSLASH).replace('\\"', _QUOTE)
    elif '"' not in line:  # fast path: no quotes, no object list or only an empty one
        tokens = line.split()
        if "{" not in line and "}" not in line:
            return tokens
        if line.count("{") == 1 and line.count("}") == 1 and "{}" in tokens:
            tokens[tokens.index("{}")] = _EMPTY
            return tokens
    segments = line.split('"')  # even segments are bare text, odd ones quoted strings
    if not len(segments) & 1:
        raise SieError(ln, "Citattecken saknar avslutande citattecken")
    tokens = []
    objects: list[str] | None = None  # contents of an open object list
    quoted = False
    for seg in segments:
        if escaped:
            seg = seg.replace(_BACKSLASH, "\\").replace(_QUOTE, '"')
        if quoted:
            (tokens if objects is None else objects).append(seg)
        elif "{" not in seg and "}" not in seg:
            if seg:
                (tokens if objects is None else objects).extend(seg.split())
        else:  # bare text with braces: alternate between fields and object-list items
            while True:
                if objects is None:
                    head, brace, seg = seg.partition("{")
                    if "}" in head:
                        raise SieError(ln, "'}' utan matchande '{' i objektlista")
                    tokens += head.split()
                    if not brace:
                        break
                    objects = []
                else:
                    head, brace, seg = seg.partition("}")
                    if "{" in head:
                        raise SieError(ln, "Nästlade objektlistor är inte tillåtna")
                    objects += head.split()
                    if not brace:
                        break
                    tokens.append(_object_list(objects, ln))
                    objects = None
        quoted = not quoted
    if objects is not None:
        raise SieError(ln, "Objektlistan saknar avslutande '}'")
    return tokens


def _object_list(items: list[str], ln: int) -> ObjectList:
    if len(items) == 2 and items[0].isdigit() and items[0].isascii():  # the common case
        return ((int(items[0]), items[1]),)
    if not items:
        return _EMPTY
    if len(items) % 2:
        raise SieError(ln, "Objektlistan måste bestå av par av dimension och objekt")
    pairs = []
    for dim, obj in zip(items[::2], items[1::2], strict=True):
        if not (dim.isdigit() and dim.isascii()):
            raise SieError(ln, f"Ogiltigt dimensionsnummer '{dim}' i objektlista")
        pairs.append((int(dim), obj))
    return tuple(pairs)


# --- reader ----------------------------------------------------------------------------------


def _voucher_id(values: list) -> str:
    return " ".join(v for v in values[:2] if v) or "(utan nummer)"


def read_sie(source: BinaryIO | str | os.PathLike[str], *, rows: bool = False) -> Iterator[Record]:
    """Yield the records of a SIE 4 file (binary file object or path) in file order.

    With `rows=True`, vouchers of the common shape come as `VoucherRows` (their rows as checked
    text, see chunks.py) instead of `Voucher`: the importer's fast path.

    Raises SieError on the first problem; records already yielded stay valid but the caller
    is expected to refuse the whole file.
    """
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fp:
            yield from _parse(fp, rows)
    else:
        yield from _parse(source, rows)


def _parse(fp: BinaryIO, fast: bool) -> Iterator[Record]:
    lines = Lines(fp)
    next_line = lines.next
    ln = 0
    started = seen_format = seen_type = False
    ver: list | None = None  # header values of the current #VER
    ver_line = 0
    in_block = False
    rows: list[Transaction] = []
    total = Decimal(0)
    added: Transaction | None = None  # last #RTRANS, whose duplicate #TRANS is skipped
    quick: list[VoucherRows] = []
    while True:
        if fast and seen_type and seen_format and ver is None:
            fast_vouchers(lines, quick)
            if quick:
                yield from quick
                quick.clear()
        line = next_line()
        if line is None:
            break
        ln = lines.ln
        if type(line) is bytes:  # a chunk with a suspicious byte pair: decoded line by line
            raw = line
            if raw.isascii():
                line = raw.decode("latin-1").strip()
            elif raw.lstrip()[:12].split(maxsplit=1)[:1] in _SKIPPED_HEADS:
                # A record Finsam skips (#FNR, #ADRESS …) may be written in another encoding
                # than the rest of the file; it is never read, so it is never refused for that.
                line = raw.decode("cp437").strip()
            else:
                line = decode_line(raw, ln).strip()
        else:
            line = line.strip()
        if not line:
            continue
        if line[0] != "#":
            if not started:
                raise SieError(ln, "Filen börjar inte med #FLAGGA; det är ingen SIE-fil")
            if line == "{":
                if in_block:
                    raise SieError(ln, f"Verifikation {_voucher_id(ver)} har redan en '{{'")
                if ver is None:
                    raise SieError(ln, "'{' utan föregående #VER")
                in_block = True
            elif line == "}":
                if not in_block:
                    raise SieError(ln, "'}' utan matchande '{'")
                if total:
                    raise SieError(
                        ver_line,
                        f"Verifikation {_voucher_id(ver)} balanserar inte: summan är {total}",
                    )
                yield Voucher(*ver, tuple(rows), line=ver_line)
                ver, in_block, rows, total, added = None, False, [], Decimal(0), None
            else:
                raise SieError(ln, f"Raden saknar etikett (ska börja med #): '{line[:40]}'")
            continue

        row = _fast_transaction(line, ln) if in_block else None
        if row is not None:
            kind: TransactionKind | None = "normal"
        else:
            tokens = _tokenize(line, ln)
            kind = _TRANS_KINDS.get(label := tokens[0])
            if kind is None:
                kind = _TRANS_KINDS.get(label := label.upper())
        if kind is not None:  # hot path: voucher rows
            if row is None:
                if not in_block:
                    if not started:
                        raise SieError(ln, "Filen börjar inte med #FLAGGA; det är ingen SIE-fil")
                    if ver is not None:
                        raise SieError(ver_line, f"Verifikation {_voucher_id(ver)} saknar '{{'")
                    raise SieError(ln, f"{label} utanför verifikation")
                row = _transaction(tokens, ln, label, kind)
            if added is not None:
                previous, added = added, None
                if (kind == "normal" and row.amount == previous.amount
                        and row.account == previous.account and row.objects == previous.objects
                        and row.date == previous.date and row.text == previous.text
                        and row.quantity == previous.quantity
                        and row.signature == previous.signature):  # fmt: skip
                    continue  # the #TRANS copy that the spec requires after an #RTRANS
            if kind == "added":
                added = row
            if kind != "removed":
                total += row.amount
            rows.append(row)
            continue

        if not started:
            if label != "#FLAGGA":
                raise SieError(ln, "Filen börjar inte med #FLAGGA; det är ingen SIE-fil")
            started = True
        if label not in _KNOWN:
            raise SieError(ln, f"Okänd post {label}")
        if in_block:
            if label == "#VER":
                raise SieError(ver_line, f"Verifikation {_voucher_id(ver)} saknar avslutande '}}'")
            raise SieError(ln, f"Posten {label} får inte förekomma inuti en verifikation")
        if ver is not None:
            raise SieError(ver_line, f"Verifikation {_voucher_id(ver)} saknar '{{'")
        if label not in _HEADER and not (seen_format and seen_type):
            missing = "#FORMAT" if not seen_format else "#SIETYP"
            raise SieError(ln, f"Obligatorisk post {missing} saknas före {label}")
        if label == "#VER":
            ver, ver_line = _values(_VER_SCHEMA, tokens, ln, label), ln
            continue
        if label in _SKIPPED:
            continue
        cls, schema = _SCHEMAS[label]
        values = _values(schema, tokens, ln, label)
        if label == "#FORMAT":
            if values[0].upper() != "PC8":
                raise SieError(ln, f"Teckenformatet '{values[0]}' stöds inte; kräver #FORMAT PC8")
            seen_format = True
        elif label == "#SIETYP":
            if values[0] != "4":
                raise SieError(ln, f"SIE-typ {values[0]} stöds inte; endast SIE 4 (4E/4I)")
            seen_type, values[0] = True, 4
        yield cls(*values, line=ln)

    if ver is not None:
        if in_block:
            raise SieError(ver_line, f"Filen tar slut inuti verifikation {_voucher_id(ver)}")
        raise SieError(ver_line, f"Verifikation {_voucher_id(ver)} saknar '{{'")
    if not started:
        raise SieError(max(ln, 1), "Filen är tom")
    if not (seen_format and seen_type):
        raise SieError(
            ln, f"Obligatorisk post {'#FORMAT' if not seen_format else '#SIETYP'} saknas"
        )
