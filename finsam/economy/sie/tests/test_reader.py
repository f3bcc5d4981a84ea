"""Tests for the SIE 4 reader and writer (pure Python; run with -p no:django)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.economy.sie import (
    DEMO_ACCOUNTS,
    MAX_LINE_LENGTH,
    Account,
    AccountType,
    ChartType,
    ClosingBalance,
    CompanyName,
    Dimension,
    FiscalYear,
    Flag,
    Format,
    Gen,
    Object,
    ObjectClosingBalance,
    ObjectOpeningBalance,
    OpeningBalance,
    OrgNr,
    PeriodBalance,
    PeriodBudget,
    Program,
    Result,
    SieError,
    SieType,
    Transaction,
    Voucher,
    generate_vouchers,
    read_sie,
    write_sie,
)

D = Decimal

# A realistic SIE 4E export as an accounting program would write it: CRLF line endings,
# tab-indented voucher rows, spec labels we skip (#PROSA, #ADRESS, #SRU, ...) and CP437 text.
SAMPLE_TEXT = """#FLAGGA 0
#PROGRAM "Visma Administration" 2024.1
#FORMAT PC8
#GEN 20250115 "Anna Åberg"
#SIETYP 4
#PROSA "Export för revision"
#FNR 4711
#ORGNR 222000-1234
#ADRESS "Anna Åberg" "Storgatan 1" "931 30 Skellefteå" 0910-123456
#FNAMN "Samordningsförbundet Norra Älvdalen"
#RAR 0 20240101 20241231
#RAR -1 20230101 20231231
#TAXAR 2025
#KPTYP BAS2014
#VALUTA SEK
#KONTO 1930 Företagskonto
#KTYP 1930 T
#SRU 1930 7281
#KONTO 2440 Leverantörsskulder
#KTYP 2440 S
#KONTO 3010 "Bidrag från staten"
#KTYP 3010 I
#KONTO 4010 "Insatser, köpta tjänster"
#KTYP 4010 k
#DIM 1 Resultatenhet
#DIM 6 Projekt
#OBJEKT 1 100 Kansli
#OBJEKT 6 P1 "Steg för steg"
#IB 0 1930 150000.00
#IB -1 1930 120000.50
#UB 0 1930 175000.00 3
#OIB 0 1930 {1 "100"} 1000.00
#OUB 0 1930 {1 "100"} 2000.00
#RES 0 3010 -500000.00
#PSALDO 0 202401 3010 {} -41666.67
#PSALDO 0 202401 4010 {1 "100" 6 "P1"} 12000.00 4
#PBUDGET 0 202401 3010 {} -40000.00

#VER A 1 20240115 "Bidrag från staten, januari" 20240116 AÅ
{
\t#TRANS 1930 {} 41666.67 20240115
\t#TRANS 3010 {1 "100"} -41666.67 "" "Statsbidrag \\"Q1\\"" 0 AÅ
}
#VER B 7 20240220 "Rättad faktura"
{
\t#TRANS 4010 {6 "P1"} 1000.00
\t#TRANS 2440 {} -1000.00
\t#BTRANS 4010 {} 1200.00 20240221 Felkonterad "" BB
\t#RTRANS 4010 {6 "P1"} 200.00 20240221 Tillägg "" BB
\t#TRANS 4010 {6 "P1"} 200.00 20240221 Tillägg "" BB
\t#TRANS 2440 {} -200.00
}
"""
SAMPLE = SAMPLE_TEXT.replace("\n", "\r\n").encode("cp437")


def read(data: bytes) -> list:
    return list(read_sie(io.BytesIO(data)))


def of_type(records: list, cls: type) -> list:
    return [r for r in records if type(r) is cls]


def sie(*body: str, header: bool = True) -> bytes:
    """A minimal valid file; body lines start on line 4 when header is True."""
    lines = (["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4"] if header else []) + list(body)
    return ("\n".join(lines) + "\n").encode("cp437")


def error_of(data: bytes) -> SieError:
    with pytest.raises(SieError) as info:
        read(data)
    return info.value


# --- the realistic sample ----------------------------------------------------------------


def test_sample_is_cp437_encoded() -> None:
    assert b"Bidrag fr\x86n staten" in SAMPLE  # å is 0x86 in CP437
    assert b"Norra \x8elvdalen" in SAMPLE  # Ä is 0x8E
    assert b"\xc3" not in SAMPLE


def test_sample_identification_records() -> None:
    records = read(SAMPLE)
    assert records[:12] == [
        Flag(0),
        Program("Visma Administration", "2024.1"),
        Format("PC8"),
        Gen(dt.date(2025, 1, 15), "Anna Åberg"),
        SieType(4),
        OrgNr("222000-1234"),
        CompanyName("Samordningsförbundet Norra Älvdalen"),
        FiscalYear(0, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        FiscalYear(-1, dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        ChartType("BAS2014"),
        Account("1930", "Företagskonto"),
        AccountType("1930", "T"),
    ]
    assert [r.line for r in records[:5]] == [1, 2, 3, 4, 5]
    assert records[5].line == 8  # #PROSA and #FNR were skipped
    assert records[6].line == 10  # #ADRESS was skipped


def test_sample_chart_of_accounts_and_dimensions() -> None:
    records = read(SAMPLE)
    assert of_type(records, Account) == [
        Account("1930", "Företagskonto"),
        Account("2440", "Leverantörsskulder"),
        Account("3010", "Bidrag från staten"),
        Account("4010", "Insatser, köpta tjänster"),
    ]
    assert [(t.number, t.type) for t in of_type(records, AccountType)] == [
        ("1930", "T"),
        ("2440", "S"),
        ("3010", "I"),
        ("4010", "K"),  # lower-case k normalized
    ]
    assert of_type(records, Dimension) == [Dimension(1, "Resultatenhet"), Dimension(6, "Projekt")]
    assert of_type(records, Object) == [
        Object(1, "100", "Kansli"),
        Object(6, "P1", "Steg för steg"),
    ]


def test_sample_balances() -> None:
    records = read(SAMPLE)
    assert of_type(records, OpeningBalance) == [
        OpeningBalance(0, "1930", D("150000.00")),
        OpeningBalance(-1, "1930", D("120000.50")),
    ]
    assert of_type(records, ClosingBalance) == [ClosingBalance(0, "1930", D("175000.00"), D(3))]
    assert of_type(records, ObjectOpeningBalance) == [
        ObjectOpeningBalance(0, "1930", ((1, "100"),), D("1000.00"))
    ]
    assert of_type(records, ObjectClosingBalance) == [
        ObjectClosingBalance(0, "1930", ((1, "100"),), D("2000.00"))
    ]
    assert of_type(records, Result) == [Result(0, "3010", D("-500000.00"))]
    amount = of_type(records, Result)[0].amount
    assert type(amount) is Decimal and str(amount) == "-500000.00"


def test_sample_period_values() -> None:
    records = read(SAMPLE)
    assert of_type(records, PeriodBalance) == [
        PeriodBalance(0, "202401", "3010", (), D("-41666.67")),
        PeriodBalance(0, "202401", "4010", ((1, "100"), (6, "P1")), D("12000.00"), D(4)),
    ]
    assert of_type(records, PeriodBudget) == [PeriodBudget(0, "202401", "3010", (), D("-40000"))]
    assert of_type(records, PeriodBudget)[0].line == 37


def test_sample_vouchers() -> None:
    first, second = of_type(read(SAMPLE), Voucher)
    assert first == Voucher(
        "A",
        "1",
        dt.date(2024, 1, 15),
        "Bidrag från staten, januari",
        dt.date(2024, 1, 16),
        "AÅ",
        (
            Transaction("1930", (), D("41666.67"), dt.date(2024, 1, 15)),
            Transaction(
                "3010", ((1, "100"),), D("-41666.67"), None, 'Statsbidrag "Q1"', D(0), "AÅ"
            ),
        ),
    )
    assert first.line == 39
    assert [t.line for t in first.transactions] == [41, 42]
    assert (second.series, second.number, second.text) == ("B", "7", "Rättad faktura")
    assert [(t.kind, t.account, t.amount, t.line) for t in second.transactions] == [
        ("normal", "4010", D("1000.00"), 46),
        ("normal", "2440", D("-1000.00"), 47),
        ("removed", "4010", D("1200.00"), 48),
        ("added", "4010", D("200.00"), 49),  # its #TRANS copy on line 50 is not repeated
        ("normal", "2440", D("-200.00"), 51),
    ]
    removed = second.transactions[2]
    assert (removed.date, removed.text, removed.signature) == (
        dt.date(2024, 2, 21),
        "Felkonterad",
        "BB",
    )
    assert [t.kind for t in second.booked_transactions] == ["normal", "normal", "added", "normal"]
    assert sum(t.amount for t in second.booked_transactions) == 0


def test_read_from_path(tmp_path) -> None:
    path = tmp_path / "export.se"
    path.write_bytes(SAMPLE)
    assert read(SAMPLE) == list(read_sie(path)) == list(read_sie(str(path)))
    assert len(list(read_sie(path))) == 33


def test_records_are_frozen_and_hashable() -> None:
    row = of_type(read(SAMPLE), Voucher)[0].transactions[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.amount = D(1)  # type: ignore[misc]
    built = Transaction("1930", (), D("41666.67"), dt.date(2024, 1, 15), line=41)
    assert row == built and hash(row) == hash(built) and repr(row) == repr(built)


def test_reader_streams_lazily() -> None:
    data = write_bytes(generate_vouchers(2000, seed=3))
    fp = io.BytesIO(data)
    records = read_sie(fp)
    while type(next(records)) is not Voucher:
        pass
    assert fp.tell() < len(data) // 10  # only the beginning of the file has been read


def test_text_file_object_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        list(read_sie(io.StringIO("#FLAGGA 0\n")))  # type: ignore[arg-type]


# --- tokenizer: quoting, escapes, object lists, labels ------------------------------------


def test_quoting_and_escapes() -> None:
    records = read(
        sie(
            '#KONTO 1930 "Konto \\"special\\" med backslash \\\\ och  två mellanslag"',
            '#KONTO 1931 ""',
            "#KONTO\t1932\t\tTabbar",
            '#KONTO 1933 "{inte en objektlista}"',
            '#KONTO 1934 "{}"',
            '#KONTO 1935 "C:\\temp"',
        )
    )
    assert [a.name for a in of_type(records, Account)] == [
        'Konto "special" med backslash \\ och  två mellanslag',
        "",
        "Tabbar",
        "{inte en objektlista}",
        "{}",
        "C:\\temp",  # a backslash that escapes nothing is kept
    ]


@pytest.mark.parametrize(
    ("objects_text", "expected"),
    [
        ("{}", ()),
        ("{ }", ()),
        ('{1 "100"}', ((1, "100"),)),
        ("{1 100}", ((1, "100"),)),
        ('{ 1 "100" 6 "P 1" }', ((1, "100"), (6, "P 1"))),
        ('{1 "100"\t20 "x \\"y\\""}', ((1, "100"), (20, 'x "y"'))),
        ('{7 ""}', ((7, ""),)),
    ],
)
def test_object_lists(objects_text: str, expected: tuple) -> None:
    records = read(
        sie(
            f"#PSALDO 0 202402 4010 {objects_text} 5.5",
            "#VER A 1 20240201",
            "{",
            f"#TRANS 4010 {objects_text} 5.50 20240201 text",
            f"#TRANS 1930 {objects_text} -5.50",
            "}",
        )
    )
    assert of_type(records, PeriodBalance)[0].objects == expected
    voucher = of_type(records, Voucher)[0]
    assert [t.objects for t in voucher.transactions] == [expected, expected]
    assert voucher.transactions[0].text == "text"


def test_labels_are_case_insensitive_and_blank_lines_ignored() -> None:
    records = read(
        sie(
            "#konto 1930 Bank",
            "",
            "   ",
            "#Ver A 1 20240101",
            "{",
            "#trans 1930 {} 1",
            "#Trans 2440 {} -1",
            "}",
        )
    )
    assert of_type(records, Account) == [Account("1930", "Bank")]
    assert len(of_type(records, Voucher)[0].transactions) == 2


def test_known_unmodelled_labels_are_skipped() -> None:
    records = read(
        sie(
            "#KSUMMA",
            "#ENHET 1930 st",
            "#UNDERDIM 21 Delprojekt 6",
            "#OMFATTN 20241231",
            "#BKOD 8899",
            "#FTYP AB",
            "#KONTO 1930 Bank",
            "#KSUMMA 1234567",
        )
    )
    assert records[3:] == [Account("1930", "Bank")]


def test_optional_voucher_and_transaction_fields() -> None:
    (voucher,) = of_type(
        read(
            sie(
                '#VER "" "" 20240101',  # SIE 4I: the receiving program numbers the voucher
                "{",
                '#TRANS 1930 {} 1.5 "" "" 2.25 SIGN',
                "#TRANS 2440 {} -1.5 20240102 Text",
                "}",
            )
        ),
        Voucher,
    )
    assert (voucher.series, voucher.number, voucher.text, voucher.reg_date) == ("", "", "", None)
    first, second = voucher.transactions
    assert (first.date, first.text, first.quantity, first.signature) == (
        None,
        "",
        D("2.25"),
        "SIGN",
    )
    assert (second.date, second.text, second.quantity) == (dt.date(2024, 1, 2), "Text", None)


# --- #RTRANS / #BTRANS ---------------------------------------------------------------------


def test_rtrans_duplicate_trans_is_not_double_counted() -> None:
    (voucher,) = of_type(
        read(
            sie(
                "#VER A 1 20240101",
                "{",
                "#TRANS 1930 {} 100.00",
                "#RTRANS 2440 {} -100.00",
                "#TRANS 2440 {} -100.00",
                "}",
            )
        ),
        Voucher,
    )
    assert [(t.kind, t.amount) for t in voucher.transactions] == [
        ("normal", D(100)),
        ("added", D(-100)),
    ]


def test_rtrans_without_duplicate_still_counts() -> None:
    (voucher,) = of_type(
        read(
            sie(
                "#VER A 1 20240101",
                "{",
                "#RTRANS 2440 {} -100.00",
                "#TRANS 1930 {} 100.00",  # not a copy of the #RTRANS: an ordinary row
                "}",
            )
        ),
        Voucher,
    )
    assert [(t.kind, t.amount) for t in voucher.transactions] == [
        ("added", D(-100)),
        ("normal", D(100)),
    ]


def test_second_identical_trans_after_rtrans_counts() -> None:
    error = error_of(
        sie(
            "#VER A 1 20240101",
            "{",
            "#RTRANS 2440 {} -100.00",
            "#TRANS 2440 {} -100.00",
            "#TRANS 2440 {} -100.00",
            "#TRANS 1930 {} 100.00",
            "}",
        )
    )
    assert error.message == "Verifikation A 1 balanserar inte: summan är -100.00"


def test_btrans_rows_do_not_count_toward_the_balance() -> None:
    (voucher,) = of_type(
        read(
            sie(
                "#VER A 1 20240101",
                "{",
                "#TRANS 1930 {} 100.00",
                "#BTRANS 2440 {} -999.00",
                "#TRANS 2440 {} -100.00",
                "}",
            )
        ),
        Voucher,
    )
    assert [t.kind for t in voucher.transactions] == ["normal", "removed", "normal"]
    assert [t.amount for t in voucher.booked_transactions] == [D(100), D(-100)]


def test_btrans_does_not_balance_an_unbalanced_voucher() -> None:
    error = error_of(
        sie("#VER A 1 20240101", "{", "#TRANS 1930 {} 100.00", "#BTRANS 2440 {} -100.00", "}")
    )
    assert str(error) == "Rad 4: Verifikation A 1 balanserar inte: summan är 100.00"


# --- malformed input: one message per problem, with the right line ------------------------

ERROR_CASES = [
    # (file body after the 3 header lines, line, message)
    (
        ["#KONTO 1930 Bank", "#VER A 12 20240101", "{", "#TRANS 1930 {} 100.00", "}"],
        5,
        "Verifikation A 12 balanserar inte: summan är 100.00",
    ),
    (["#VER A 1 20240101", "{", "#TRANS 1930 {} 1"], 4, "Filen tar slut inuti verifikation A 1"),
    (
        ["#VER A 1 20240101", "{", "#TRANS 1930 {} 0", "#VER A 2 20240101"],
        4,
        "Verifikation A 1 saknar avslutande '}'",
    ),
    (["#VER A 1 20240101", "#TRANS 1930 {} 0"], 4, "Verifikation A 1 saknar '{'"),
    (["#KONTO 1930 Bank", "}"], 5, "'}' utan matchande '{'"),
    (["{"], 4, "'{' utan föregående #VER"),
    (["#VER A 1 20240101", "{", "{"], 6, "Verifikation A 1 har redan en '{'"),
    (["#TRANS 1930 {} 100.00"], 4, "#TRANS utanför verifikation"),
    (
        ["#VER A 1 20240101", "{", "#KONTO 1930 Bank", "}"],
        6,
        "Posten #KONTO får inte förekomma inuti en verifikation",
    ),
    (['#OIB 0 1930 {1 "100" 1000.00'], 4, "Objektlistan saknar avslutande '}'"),
    (["#OIB 0 1930 1 100} 1000.00"], 4, "'}' utan matchande '{' i objektlista"),
    (["#OIB 0 1930 {1 {100}} 1000.00"], 4, "Nästlade objektlistor är inte tillåtna"),
    (
        ['#OIB 0 1930 {1 "100" 6} 1000.00'],
        4,
        "Objektlistan måste bestå av par av dimension och objekt",
    ),
    (['#OIB 0 1930 {x "100"} 1000.00'], 4, "Ogiltigt dimensionsnummer 'x' i objektlista"),
    (['#KONTO 1930 "Bank'], 4, "Citattecken saknar avslutande citattecken"),
    (["#VER A 1 20191332", "{", "}"], 4, "Ogiltigt datum '20191332'"),
    (["#RAR 0 2024-01-01 20241231"], 4, "Ogiltigt datum '2024-01-01'"),
    (["#IB 0 1930 12,50"], 4, "Ogiltigt belopp '12,50' i #IB"),
    (["#VER A 1 20240101", "{", "#TRANS 1930 {} 1e5"], 6, "Ogiltigt belopp '1e5' i #TRANS"),
    (["#UB 0 1930 1.00 många"], 4, "Ogiltig kvantitet 'många' i #UB"),
    (["#RAR x 20240101 20241231"], 4, "Ogiltigt heltal 'x' i fältet 'årsnummer' i #RAR"),
    (["#PSALDO 0 202413 3010 {} 1.00"], 4, "Ogiltig period '202413' (ska vara ÅÅÅÅMM)"),
    (["#KTYP 1930 X"], 4, "Ogiltig kontotyp 'X' (ska vara T, S, K eller I)"),
    (["#KONTO 1930"], 4, "Obligatoriskt fält 'kontonamn' saknas i #KONTO"),
    (
        ["#VER A 1 20240101", "{", "#TRANS 1930 {}"],
        6,
        "Obligatoriskt fält 'belopp' saknas i #TRANS",
    ),
    (
        ["#VER A 1 20240101", "{", "#TRANS 1930 100.00"],
        6,
        "Fältet 'objektlista' i #TRANS måste vara en objektlista inom { }",
    ),
    (["#KONTO {} Bank"], 4, "Fältet 'kontonummer' i #KONTO får inte vara en objektlista"),
    (["#FOOBAR 1"], 4, "Okänd post #FOOBAR"),
    (
        ["Fri text utan etikett"],
        4,
        "Raden saknar etikett (ska börja med #): 'Fri text utan etikett'",
    ),
    (["#SIETYP 3"], 4, "SIE-typ 3 stöds inte; endast SIE 4 (4E/4I)"),
    (["#FORMAT UTF8"], 4, "Teckenformatet 'UTF8' stöds inte; kräver #FORMAT PC8"),
]


@pytest.mark.parametrize(("body", "line", "message"), ERROR_CASES)
def test_malformed_input(body: list[str], line: int, message: str) -> None:
    error = error_of(sie(*body))
    assert (error.line, error.message) == (line, message)
    assert str(error) == f"Rad {line}: {message}"


def test_every_problem_has_its_own_message() -> None:
    messages = [message for _, _, message in ERROR_CASES] + [m for _, _, m in FILE_ERROR_CASES]
    assert len(set(messages)) == len(messages)


FILE_ERROR_CASES = [
    (b"", 1, "Filen är tom"),
    (b"#PROGRAM x 1\n#FLAGGA 0\n", 1, "Filen börjar inte med #FLAGGA; det är ingen SIE-fil"),
    (
        b"#FLAGGA 0\n#SIETYP 4\n#KONTO 1930 Bank\n",
        3,
        "Obligatorisk post #FORMAT saknas före #KONTO",
    ),
    (b"#FLAGGA 0\n#FORMAT PC8\n", 2, "Obligatorisk post #SIETYP saknas"),
    (
        "#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#KONTO 3010 Bidrag från staten\n".encode(),
        4,
        "Filen verkar vara kodad i UTF-8, men SIE kräver PC8 (CP437)",
    ),
    (
        "\ufeff#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n".encode(),
        1,
        "Filen är kodad i UTF-8 med BOM, men SIE kräver PC8 (CP437)",
    ),
    (
        "#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#KONTO 3010 Bidrag från staten\n".encode("cp1252"),
        4,
        "Filen verkar vara kodad i Windows-1252/ISO 8859-1, men SIE kräver PC8 (CP437)",
    ),
    (
        b"#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#KONTO 1930 " + b"x" * MAX_LINE_LENGTH + b"\n",
        4,
        f"Raden är för lång (mer än {MAX_LINE_LENGTH} tecken)",
    ),
]


@pytest.mark.parametrize(("data", "line", "message"), FILE_ERROR_CASES)
def test_malformed_file(data: bytes, line: int, message: str) -> None:
    error = error_of(data)
    assert (error.line, error.message) == (line, message)


def test_utf8_with_mixed_bytes_is_still_refused() -> None:
    # One UTF-8 "å" next to a stray CP437 byte: not valid UTF-8 as a whole, still UTF-8 text.
    data = sie("#KONTO 3010 X").replace(b"X", b'"Bidrag fr\xc3\xa5n \x86"')
    assert error_of(data).message.startswith("Filen verkar vara kodad i UTF-8")


def test_voucher_at_eof_without_brace() -> None:
    error = error_of(sie("#KONTO 1930 Bank", "#VER A 3 20240101"))
    assert (error.line, error.message) == (5, "Verifikation A 3 saknar '{'")


def test_records_before_an_error_are_yielded() -> None:
    records = read_sie(io.BytesIO(sie("#KONTO 1930 Bank", "#FOOBAR")))
    assert [next(records) for _ in range(4)][-1] == Account("1930", "Bank")
    with pytest.raises(SieError, match="Okänd post #FOOBAR"):
        next(records)


# --- writer ----------------------------------------------------------------------------------


def write_bytes(vouchers, **kwargs) -> bytes:
    buf = io.BytesIO()
    write_sie(
        buf,
        company=kwargs.pop("company", "Samordningsförbundet Test"),
        fiscal_years=[FiscalYear(0, dt.date(2024, 1, 1), dt.date(2024, 12, 31))],
        accounts=kwargs.pop("accounts", DEMO_ACCOUNTS),
        vouchers=vouchers,
        generated=dt.date(2025, 1, 15),
        **kwargs,
    )
    return buf.getvalue()


def test_writer_output_is_a_valid_sie4e_file() -> None:
    data = write_bytes(
        list(generate_vouchers(6, seed=1)),
        org_nr="222000-1234",
        dimensions=[Dimension(6, "Projekt")],
        objects=[Object(6, "P1", 'Projekt "Steg 1"')],
        opening_balances=[OpeningBalance(0, "1930", D("10.00"))],
        closing_balances=[ClosingBalance(0, "1930", D("12.00"), D(1))],
        results=[Result(0, "3010", D("-2.00"))],
        period_balances=[PeriodBalance(0, "202401", "3010", ((6, "P1"),), D("-2.00"))],
    )
    lines = data.split(b"\r\n")
    assert lines[:5] == [b"#FLAGGA 0", b'#PROGRAM Finsam 1.0', b"#FORMAT PC8", b"#GEN 20250115",
                         b"#SIETYP 4"]  # fmt: skip
    assert b'#FNAMN "Samordningsf\x94rbundet Test"' in lines
    assert b'#KONTO 3010 "Bidrag fr\x86n staten"' in lines
    assert b"#KTYP 3010 I" in lines and b"#KTYP 1930 T" in lines
    assert b'#OBJEKT 6 P1 "Projekt \\"Steg 1\\""' in lines
    assert b'#PSALDO 0 202401 3010 {6 "P1"} -2.00' in lines
    assert b"#UB 0 1930 12.00 1" in lines
    records = read(data)
    assert of_type(records, Object) == [Object(6, "P1", 'Projekt "Steg 1"')]
    assert of_type(records, OrgNr) == [OrgNr("222000-1234")]
    assert len(of_type(records, Voucher)) >= 1


def test_writer_refuses_text_that_cp437_cannot_represent() -> None:
    with pytest.raises(UnicodeEncodeError):
        write_bytes([], company="Förbund – med tankstreck")
    with pytest.raises(ValueError, match="Kontrolltecken"):
        write_bytes([], company="Rad\nbrytning")


def test_generate_vouchers_is_deterministic_and_balanced() -> None:
    first = list(generate_vouchers(1001, seed=7))
    assert first == list(generate_vouchers(1001, seed=7))
    assert first != list(generate_vouchers(1001, seed=8))
    assert sum(len(v.transactions) for v in first) == 1001
    assert all(2 <= len(v.transactions) <= 6 for v in first)
    assert all(sum(t.amount for t in v.transactions) == 0 for v in first)
    assert [v.number for v in first[:3]] == ["1", "2", "3"]
    assert of_type(read(write_bytes(first)), Voucher) == first
    with pytest.raises(ValueError):
        next(generate_vouchers(1))


# --- property: write then read round-trips exactly ----------------------------------------

_text = st.text(alphabet="abcxyzÅÄÖåäöéÉ 019\"\\{}#-,.'", max_size=25)
_amounts = st.integers(-(10**11), 10**11).map(lambda c: Decimal(c).scaleb(-2).quantize(D("0.01")))
_dates = st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))
_objects = st.lists(st.tuples(st.integers(1, 40), _text), max_size=3).map(tuple)


@st.composite
def _vouchers(draw) -> Voucher:
    rows, total = [], D("0.00")
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["normal", "normal", "added", "removed"]))
        amount = draw(_amounts)
        if kind != "removed":
            total += amount
        rows.append(
            Transaction(
                draw(st.from_regex(r"[1-8][0-9]{3}", fullmatch=True)),
                draw(_objects),
                amount,
                draw(st.none() | _dates),
                draw(_text),
                draw(st.none() | _amounts),
                draw(_text),
                kind,
            )  # fmt: skip
        )
    rows.append(Transaction("1930", (), -total))
    return Voucher(draw(_text), draw(st.from_regex(r"[0-9]{0,6}", fullmatch=True)), draw(_dates),
                   draw(_text), draw(st.none() | _dates), draw(_text), tuple(rows))  # fmt: skip


@settings(deadline=None, max_examples=150)
@given(
    accounts=st.lists(
        st.builds(Account, st.from_regex(r"[1-8][0-9]{3}", fullmatch=True), _text), max_size=8
    ),
    vouchers=st.lists(_vouchers(), max_size=5),
    company=_text,
)
def test_write_then_read_round_trips(accounts, vouchers, company) -> None:
    records = read(write_bytes(vouchers, accounts=accounts, company=company))
    assert of_type(records, CompanyName) == [CompanyName(company)]
    assert of_type(records, Account) == accounts
    read_vouchers = of_type(records, Voucher)
    assert read_vouchers == vouchers
    amounts = [str(t.amount) for v in read_vouchers for t in v.transactions]
    assert amounts == [str(t.amount) for v in vouchers for t in v.transactions]
