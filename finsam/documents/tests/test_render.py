"""The renderers: the same blocks in PDF, DOCX and XLSX; Markdown safe; numbers exact."""

from __future__ import annotations

import io
import struct
import subprocess
import zipfile
import zlib
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from finsam.core.money import parse_amount
from finsam.documents import blocks as b
from finsam.documents.render import render
from finsam.documents.render.cells import format_cell
from finsam.documents.render.html import document_html
from finsam.documents.render.markdown import to_html

D = Decimal


def _png(width: int = 2, height: int = 1) -> bytes:
    """A valid PNG (white pixels, RGB), built with zlib as the format says."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG_1PX = _png()


def sample() -> b.Document:
    inner = b.Document(
        kind="plan",
        title="Verksamhetsplan",
        subtitle="Verksamhetsplan 2027",
        association_name="Förbundet",
        blocks=[
            b.Heading("Budget"),
            b.Table(
                "inner",
                "Resultatbudget",
                (b.Column("Rad"), b.Column("2027", "money")),
                (b.Row(("Intäkter", D(3000000))),),
            ),
        ],
    )
    return b.Document(
        kind="interim",
        title="Delårsrapport 2027",
        subtitle="Delårsrapport per 2027-06-30",
        association_name="Samordningsförbundet Provdalen",
        blocks=[
            b.Heading("Periodens händelser"),
            b.FreeText("events", "", "Skriv om perioden."),
            b.FreeText("empty", "Analys", "Kansliets analys."),
            b.Paragraph("Text med <b>tecken</b> & sånt"),
            b.Heading("Ekonomi"),
            b.Heading("Uppföljning", 2),
            b.Table(
                "follow-up",
                "Uppföljning (kr)",
                (
                    b.Column("Rad"),
                    b.Column("Budget", "money"),
                    b.Column("Andel", "percent"),
                    b.Column("Tkr", "tkr1"),
                ),
                (
                    b.Row(("Intäkter", None, None, None), "heading"),
                    b.Row(("=SUM(A1:A9)", D("1234567.50"), D("12.5"), D(101600))),
                    b.Row(("Summa", D(-5), None, D(-102000)), "total"),
                ),
                note="Avvikelse = budget − prognos.",
            ),
            b.KeyFigures((("Beviljat", D(950000), "money"),)),
            b.PageBreak(),
            b.Signatures((("Anna Andersson", "ordförande"), ("Bo Berg", "ledamot"))),
            b.Appendix("Verksamhetsplan 2027", inner),
        ],
        texts={
            "events": "Vi har **arbetat** och *planerat*. Se [webben](https://example.org).\n\n"
            "- punkt ett\n- punkt två\n\n<script>alert('x')</script>\n\n[klick](javascript:alert(1))"
        },
    )


def test_markdown_never_lets_html_or_script_through():
    html = to_html("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:x)")
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_the_pdf_html_escapes_every_text_and_the_markdown():
    html = document_html(sample())
    assert "<script>" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert" in html  # shown as text
    assert "<strong>arbetat</strong>" in html and '<a href="https://example.org">' in html
    assert "Text med &lt;b&gt;tecken&lt;/b&gt; &amp; sånt" in html
    assert 'lang="sv"' in html


def _pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\u00a0", " ")  # pdftotext gives the no-break spaces as spaces


def test_pdf_has_contents_with_page_numbers_header_and_is_tagged(tmp_path):
    data = render(sample(), "pdf", logo=(PNG_1PX, "image/png"))
    text = _pdftotext(data, tmp_path)
    assert "Periodens händelser" in text and "Bilaga 1: Verksamhetsplan 2027" in text
    contents = text[text.index("Innehåll") :]
    assert any(
        line.rstrip().endswith(" 3") and "Periodens händelser" in line
        for line in contents.splitlines()
    )
    assert "Sida 3 av" in text
    assert text.count("Samordningsförbundet Provdalen") >= 3  # the running header on each page
    assert "1 234 568" in text and "12,5 %" in text and "-102,0" in text
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "doc.pdf")], capture_output=True, text=True
    ).stdout
    assert "Tagged:          yes" in info
    meta = subprocess.run(
        ["pdfinfo", "-meta", str(tmp_path / "doc.pdf")], capture_output=True, text=True
    ).stdout
    assert "pdfuaid:part" in meta  # declared PDF/UA-1 in its XMP metadata


def test_docx_has_word_headings_real_tables_and_formatted_markdown():
    data = render(sample(), "docx", logo=(PNG_1PX, "image/png"))
    document = docx.Document(io.BytesIO(data))
    header = document.sections[0].header.paragraphs[0]
    assert header.text.strip() == "Samordningsförbundet Provdalen"
    assert header._p.xpath(".//pic:pic")  # the logo
    assert b'TOC \\o "1-2"' in data or any(
        'TOC \\o "1-2"' in f.get(qn("w:instr"))
        for f in document.element.body.iter(qn("w:fldSimple"))
    )
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Periodens händelser") in styles
    assert ("Heading 2", "Uppföljning") in styles
    assert ("Heading 1", "Bilaga 1: Verksamhetsplan 2027") in styles
    assert ("Heading 2", "Budget") in styles  # the appendix's own chapter, one level down
    bullets = [t for s, t in styles if s == "List Bullet"]
    assert bullets == ["punkt ett", "punkt två"]
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Vi har"))
    assert any(r.bold and r.text == "arbetat" for r in paragraph.runs)
    assert any(r.italic and r.text == "planerat" for r in paragraph.runs)
    assert "https://example.org" in [
        r.target_ref for r in document.part.rels.values() if r.is_external
    ]
    assert any("<script>" in p.text for p in document.paragraphs)  # as text, never as markup
    tables = document.tables
    follow_up = next(t for t in tables if t.rows[0].cells[0].text == "Rad" and len(t.columns) == 4)
    assert [c.text for c in follow_up.rows[2].cells] == [
        "=SUM(A1:A9)",
        "1\u00a0234\u00a0568",
        "12,5\u00a0%",
        "101,6",
    ]


def test_xlsx_has_one_sheet_per_table_with_numbers_as_numbers_and_no_formula():
    data = render(sample(), "xlsx")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Uppföljning (kr)", "Resultatbudget"]
    ws = wb["Uppföljning (kr)"]
    assert ws["A1"].value == "Uppföljning (kr)"
    assert [c.value for c in ws[3]] == ["Rad", "Budget", "Andel", "Tkr"]
    assert ws["B5"].value == pytest.approx(1234567.5) and ws["B5"].data_type == "n"
    assert ws["D6"].value == -102000
    assert ws["A5"].value == "=SUM(A1:A9)" and ws["A5"].data_type == "s"  # text, not a formula
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_every_block_type_is_rendered_in_every_format():
    kinds = {type(block) for block in sample().blocks}
    assert kinds == {
        b.Heading,
        b.FreeText,
        b.Paragraph,
        b.Table,
        b.KeyFigures,
        b.PageBreak,
        b.Signatures,
        b.Appendix,
    }
    chart = b.Document(
        "x",
        "T",
        "S",
        "A",
        blocks=[
            b.Chart('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>', "t")
        ],
    )
    for fmt in ("pdf", "docx", "xlsx"):
        assert render(chart, fmt)


@given(st.decimals(min_value=-(10**11), max_value=10**11, places=0))
def test_money_cells_read_back_as_the_same_amount(value):
    assert parse_amount(format_cell(value, "money").replace("\u00a0", " ")) == value


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_thousands_are_the_amount_rounded_half_up(value):
    shown = format_cell(value, "tkr").replace("\u00a0", "")
    assert abs(Decimal(shown) * 1000 - value) <= 500
