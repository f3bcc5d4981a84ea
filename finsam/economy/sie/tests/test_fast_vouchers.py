"""The importer's fast path (`read_sie(fp, rows=True)`) reads every file exactly as the general
reader does: the same vouchers, rows and values, and the same error for a bad file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from finsam.economy.sie import (
    SieError,
    Transaction,
    Voucher,
    VoucherRows,
    generate_vouchers,
    iso_date,
    read_sie,
    unescape,
)
from finsam.economy.sie.tests.test_reader import write_bytes

HEAD = "#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 20240101 20241231\n"


def as_voucher(record: VoucherRows) -> Voucher:
    rows = tuple(
        Transaction(
            account,
            ((int(dim), quoted or bare),) if dim else (),
            Decimal(amount),
            dt.date.fromisoformat(iso_date(when)) if when else None,
            unescape(quoted_text) or bare_text,
        )
        for account, dim, quoted, bare, amount, when, quoted_text, bare_text in record.rows
    )
    return Voucher(record.series, record.number, record.date, record.text, transactions=rows)


def outcome(data: bytes, *, rows: bool):
    """The records (fast ones turned into Voucher) with their line numbers, or the error."""
    try:
        records = list(read_sie(io.BytesIO(data), rows=rows))
    except SieError as error:
        return str(error)
    fast = sum(type(r) is VoucherRows for r in records)
    return [(as_voucher(r) if type(r) is VoucherRows else r, r.line) for r in records], fast


def same(data: bytes) -> int:
    """Assert both readers agree; return how many vouchers took the fast path."""
    general, fast = outcome(data, rows=False), outcome(data, rows=True)
    if isinstance(general, str):
        assert fast == general
        return 0
    assert fast[0] == general[0]
    return fast[1]


separators = st.sampled_from([" ", "  ", "\t", " \t "])
bare = st.text(alphabet="0123456789ABCabcåÄ-_.:/", min_size=1, max_size=6)
text_body = st.one_of(
    st.text(alphabet='ab åÖ{}\\"-', max_size=8), st.text(alphabet='a\t\\"', max_size=3)
)


def quoted(body: str) -> str:
    return '"' + body.replace("\\", "\\\\").replace('"', '\\"') + '"'


fields = st.one_of(bare, text_body.map(quoted), st.just('""'))
objects = st.sampled_from(["{}", "{ }", '{1 "15"}', "{1 15}", "{01 7}", '{1 ""}', '{1 "x" 2 "y"}'])
dates = st.sampled_from(["", '""', "20240105", "20240105", "20240230", "2024011"])
amounts = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)


@st.composite
def vouchers(draw) -> str:
    sep = draw(separators)
    header = [
        "#VER",
        draw(fields),
        draw(fields),
        draw(st.sampled_from(["20240105"] * 5 + ["20241399"])),
    ]
    header += draw(st.lists(fields, max_size=2))
    lines = [sep.join(header), draw(st.sampled_from(["{", " {", "{\r"]))]
    total = Decimal(0)
    for _ in range(draw(st.integers(1, 4))):
        amount = draw(amounts)
        total += amount
        row = ["#TRANS", draw(bare), draw(objects), str(amount)]
        row += [draw(dates), draw(fields)][: draw(st.integers(0, 2))]
        lines.append("   " + draw(separators).join(row) + draw(st.sampled_from(["", "\r", " "])))
    if draw(st.integers(0, 5)):  # balanced, mostly
        lines.append(f"   #TRANS 1930 {{}} {-total}")
    lines.append("}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300)
@given(st.lists(vouchers(), min_size=1, max_size=4))
@example(
    [
        '#VER A 1 20240105 "Hyra \\"kv\\""\n{\n   #TRANS 1930 {} 10 "" "a\\\\b"\n   #TRANS 4010 {} -10\n}\n'
    ]
)
def test_the_fast_path_reads_vouchers_as_the_general_reader_does(blocks: list[str]) -> None:
    event("fast path taken" if same((HEAD + "".join(blocks)).encode("cp437")) else "general")


def test_generated_files_take_the_fast_path_for_nearly_every_voucher() -> None:
    data = write_bytes(generate_vouchers(3000, seed=5))
    fast = same(data)
    assert fast > 0.95 * data.count(b"#VER")


def test_an_unbalanced_or_misdated_voucher_is_refused_with_the_general_message() -> None:
    for body in (
        "#VER A 1 20240105 x\n{\n#TRANS 1930 {} 10.00\n#TRANS 4010 {} -9.99\n}\n",
        "#VER A 1 20240105 x\n{\n#TRANS 1930 {} 10.00 20241340\n#TRANS 4010 {} -10\n}\n",
        "#VER A 1 20240105 x\n{\n#TRANS 1930 {} 10.00\n",
    ):
        data = (
            HEAD + "#VER B 1 20240101 ok\n{\n#TRANS 1 {} 1\n#TRANS 2 {} -1\n}\n" + body
        ).encode()
        assert isinstance(outcome(data, rows=True), str)
        assert same(data) == 0
