"""Formula injection: text from users never becomes a formula in an export."""

import io
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from finsam.core.exports import FORMULA_STARTS, csv_writer, workbook_bytes, xlsx_response

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1+1"]


def _cells(content: bytes):
    ws = load_workbook(io.BytesIO(content)).active
    return [[c for c in row] for row in ws.iter_rows()]


def test_the_xlsx_export_writes_formula_like_text_as_text():
    response = xlsx_response(
        filename="x.xlsx", title="T", headers=["Text", "Belopp"], rows=[[t, 5] for t in DANGEROUS]
    )
    rows = _cells(response.content)[1:]
    assert [r[0].value for r in rows] == DANGEROUS
    assert all(r[0].data_type == "s" for r in rows)
    assert all(r[1].value == 5 and r[1].data_type == "n" for r in rows)


def test_a_workbook_built_by_hand_is_neutralised_too():
    wb = Workbook()
    wb.active.append(["=cmd|' /C calc'!A0", Decimal("12.50"), "vanlig text"])
    (text, amount, plain) = _cells(workbook_bytes(wb))[0]
    assert text.data_type == "s" and text.value == "=cmd|' /C calc'!A0"
    assert amount.value == 12.5
    assert plain.value == "vanlig text"


@pytest.mark.parametrize("text", DANGEROUS)
def test_the_csv_writer_prefixes_formula_like_text(text):
    out = io.StringIO()
    csv_writer(out).writerow([text, 7, Decimal("-3")])
    first, number, negative = out.getvalue().rstrip("\r\n").split(";", 2)
    assert first.strip('"').startswith("'")
    assert number == "7" and negative == "-3"


@given(st.text())
def test_no_csv_cell_starts_like_a_formula(text):
    out = io.StringIO()
    csv_writer(out).writerow([text])
    written = out.getvalue()
    cell = written[1:] if written.startswith('"') else written
    plain_negative_number = re.fullmatch(r"-\d{1,3}(?:[ \u00a0]?\d{3})*(?:[.,]\d+)?", text)
    assert not cell.startswith(FORMULA_STARTS) or cell.startswith("'") or plain_negative_number


@pytest.mark.parametrize("text", ["-1 234", "-1\u00a0234,50", "-1234.50", "-7"])
def test_a_negative_amount_stays_a_number_in_the_csv(text):
    out = io.StringIO()
    csv_writer(out).writerow([text, "-2+3", "-1 234 =A1"])
    amount, formula, mixed = out.getvalue().rstrip("\r\n").split(";")
    assert amount == text
    assert formula == "'-2+3" and mixed.strip('"') == "'-1 234 =A1"
