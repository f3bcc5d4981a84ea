"""The reader's fast path for common #TRANS lines gives exactly the general reader's rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from finsam.economy.sie import SieError, Transaction, read_sie, reader

LINE = 7

# Whitespace as str.split() and the regex's \s both see it, including the odd characters a
# CP437 file can hold (0x1c-0x1f separators, 0xff no-break space).
separators = st.sampled_from([" ", "  ", "\t", " \t ", "\xa0", "\x1c"])
bare = st.text(alphabet="0123456789ABCabcåÄ-_.:/", min_size=1, max_size=6)
tricky_token = st.sampled_from(['"1910"', "19{10", '19"10', "1910\\", '""', "{", "}", "{}"])
text_body = st.text(alphabet='ab åÖ{}\t\\"-', max_size=8)


def quoted(body: str) -> str:
    return '"' + body.replace("\\", "\\\\").replace('"', '\\"') + '"'


accounts = st.one_of(bare, tricky_token)
object_lists = st.one_of(
    st.sampled_from(["{}", "{ }", '{1 "15"}', "{1 15}", '{ 1 "a b" }', '{1 "x" 2 "y"}',
                     '{1 ""}', "{a 1}", "{1}", '{1 "q\\"q"}', '{01 "7"}', '{1"15"}', "{1 {2}}",
                     "{1 15", "1 15}"]),
    st.builds(lambda d, o: f"{{{d} {o}}}", st.integers(0, 99), st.one_of(bare, text_body.map(quoted))),
)  # fmt: skip
amounts = st.one_of(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False).map(str),
    st.sampled_from(["-", "1.2345678", "1e5", ".5", "-0.50", "12,5", "1234567890123456", "0"]),
)
dates = st.sampled_from(["", '""', "20240101", "20241399", "2024011", "20240229", "x"])
texts = st.one_of(text_body.map(quoted), st.sampled_from(["", "bare", '""', '"a  b"']))
tails = st.lists(st.sampled_from(["2", "1.5", '"sig"', '""', "x"]), max_size=2)


@st.composite
def trans_lines(draw) -> str:
    fields = ["#TRANS", draw(accounts), draw(object_lists), draw(amounts)]
    optional = [draw(dates), draw(texts), *draw(tails)]
    fields += optional[: draw(st.integers(0, len(optional)))]
    line = fields[0]
    for field in fields[1:]:
        line += draw(separators) + field
    return line


def outcome(read, line: str):
    try:
        return read(line)
    except SieError as error:
        return str(error)


def general(line: str) -> Transaction:
    tokens = reader._tokenize(line, LINE)
    return reader._transaction(tokens, LINE, tokens[0], "normal")


@given(trans_lines())
@example('#TRANS 4010 {} 43357.54 20240625 "Hyra \\"kvartal\\""')
@example('#TRANS 1930 {1 "15"} -7206.52 20241018 "Text med  två  mellanslag"')
@example('#TRANS 1930 {1 "15"} -7206.52 "" "Utan datum"')
def test_the_fast_path_reads_a_trans_line_as_the_general_reader_does(line: str) -> None:
    line = line.strip()  # as the reader hands lines on
    fast = outcome(lambda text: reader._fast_transaction(text, LINE), line)
    if fast is None:
        return  # left to the general reader, which then reads it
    assert fast == outcome(general, line)
    if isinstance(fast, Transaction):
        assert fast.line == LINE


def test_the_fast_path_takes_the_lines_the_writer_writes() -> None:
    lines = {
        '#TRANS 1930 {1 "15"} -7206.52 20241018': Transaction(
            "1930", ((1, "15"),), Decimal("-7206.52"), dt.date(2024, 10, 18)
        ),
        "#TRANS 3010 {} -13294.64": Transaction("3010", (), Decimal("-13294.64")),
        '#TRANS 4010 {} 43357.54 20240625 "Hyra kvartal"': Transaction(
            "4010", (), Decimal("43357.54"), dt.date(2024, 6, 25), "Hyra kvartal"
        ),
        '#TRANS 4010 {} .5 "" "Utan datum"': Transaction(
            "4010", (), Decimal("0.5"), None, "Utan datum"
        ),
    }
    for line, row in lines.items():
        assert reader._fast_transaction(line, LINE) == row == general(line)


def test_a_bad_date_on_the_fast_path_is_refused_as_the_general_reader_refuses_it() -> None:
    line = "#TRANS 1930 {} 10.00 20241399"
    assert outcome(lambda text: reader._fast_transaction(text, LINE), line) == outcome(
        general, line
    )
    assert "Ogiltigt datum '20241399'" in outcome(general, line)


def test_a_file_of_fast_and_general_lines_reads_as_one_voucher(tmp_path) -> None:
    path = tmp_path / "blandat.se"
    path.write_bytes(
        b"#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#RAR 0 20240101 20241231\n"
        b'#VER A 1 20240105 "Blandat"\n{\n'
        b'   #TRANS 1930 {1 "15"} -100.50 20240105\n'
        b'   #TRANS 4010 {1 "15" 2 "7"} 60.25 "" "Tv\\"a objekt" 2\n'
        b"   #RTRANS 4010 {} 40.25\n"
        b"   #TRANS 4010 {} 40.25\n"
        b"}\n"
    )
    (voucher,) = [r for r in read_sie(path) if hasattr(r, "transactions")]
    assert [(t.account, t.objects, t.amount, t.text, t.kind) for t in voucher.transactions] == [
        ("1930", ((1, "15"),), Decimal("-100.50"), "", "normal"),
        ("4010", ((1, "15"), (2, "7")), Decimal("60.25"), 'Tv"a objekt', "normal"),
        ("4010", (), Decimal("40.25"), "", "added"),
    ]
