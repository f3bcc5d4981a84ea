"""DOCX with python-docx: headings as Word's Heading styles, tables as Word tables, the office's
Markdown as paragraphs, lists, bold, italic and links (never as raw text with asterisks)."""

from __future__ import annotations

from io import BytesIO

import docx
from django.utils.translation import gettext as _
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from finsam.documents import blocks as b
from finsam.documents.render.cells import format_cell, is_numeric
from finsam.documents.render.markdown import tokens


def render_docx(document: b.Document, *, logo: tuple[bytes, str] | None = None) -> bytes:
    out = docx.Document()
    out.core_properties.title = document.title
    out.core_properties.subject = document.subtitle
    out.core_properties.author = document.association_name
    out.core_properties.language = "sv-SE"
    style = out.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    header = out.sections[0].header.paragraphs[0]
    if logo and logo[1] in ("image/png", "image/jpeg"):
        try:
            header.add_run().add_picture(BytesIO(logo[0]), height=Cm(1))
            header.add_run("  ")
        except Exception:  # noqa: BLE001 - a logo Word cannot read leaves the name alone
            header.clear()
    header.add_run(document.association_name)
    out.add_heading(document.title, level=0)
    out.add_paragraph(document.subtitle)
    out.add_paragraph(document.association_name)
    contents = out.add_paragraph()
    contents.add_run(_("Contents")).bold = True
    _table_of_contents(out.add_paragraph())
    _Writer(out).blocks(document, shift=0)
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()


class _Writer:
    def __init__(self, out) -> None:
        self.out = out
        self.appendix_number = 0

    def blocks(self, document: b.Document, shift: int) -> None:
        for block in document.blocks:
            self.block(block, document, shift)

    def block(self, block: b.Block, document: b.Document, shift: int) -> None:
        out = self.out
        if isinstance(block, b.Heading):
            level = min(block.level + shift, 4)
            if level == 1:
                out.add_page_break()
            out.add_heading(block.text, level=level)
        elif isinstance(block, b.Paragraph):
            out.add_paragraph(block.text)
        elif isinstance(block, b.FreeText):
            if block.title:
                out.add_heading(block.title, level=min(2 + shift, 4))
            text = document.texts.get(block.key, "").strip()
            if text:
                markdown_to_docx(out, text)
            else:
                p = out.add_paragraph()
                p.add_run(block.hint or _("Not written yet.")).italic = True
        elif isinstance(block, b.Table):
            self.table(block)
        elif isinstance(block, b.KeyFigures):
            table = out.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, value, kind in block.items:
                cells = table.add_row().cells
                cells[0].text = label
                cells[1].text = format_cell(value, kind)
                cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif isinstance(block, b.Chart):
            out.add_paragraph(_("Chart: see the table's figures."))
        elif isinstance(block, b.PageBreak):
            out.add_page_break()
        elif isinstance(block, b.Signatures):
            out.add_page_break()
            out.add_heading(_("Signatures"), level=min(2 + shift, 4))
            if block.text:
                out.add_paragraph(block.text)
            out.add_paragraph(_("Place and date") + ": " + "_" * 40)
            for name, role in block.people:
                out.add_paragraph("\n\n" + "_" * 40)
                out.add_paragraph(f"{name}, {role}")
        elif isinstance(block, b.Appendix):
            self.appendix_number += 1
            out.add_page_break()
            out.add_heading(
                _("Appendix %(n)s: %(title)s") % {"n": self.appendix_number, "title": block.title},
                level=1,
            )
            out.add_paragraph(block.document.subtitle)
            self.blocks(block.document, shift=1)
        else:
            raise TypeError(f"unknown block {type(block).__name__}")

    def table(self, table: b.Table) -> None:
        caption = self.out.add_paragraph(table.title, style="Caption")
        caption.paragraph_format.keep_with_next = True
        grid = self.out.add_table(rows=1, cols=len(table.columns))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
            cell.text = column.label
            run = cell.paragraphs[0].runs[0] if cell.paragraphs[0].runs else None
            if run:
                run.bold = True
            if is_numeric(column.kind):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _repeat_header(grid.rows[0])
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, value, column in zip(cells, row.cells, table.columns, strict=False):
                cell.text = format_cell(value, column.kind)
                if is_numeric(column.kind):
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if row.style in ("heading", "subtotal", "total"):
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        if table.note:
            note = self.out.add_paragraph()
            note.add_run(table.note).italic = True


def _table_of_contents(paragraph) -> None:
    """Word's own table of contents field over Heading 1–2; Word fills in the page numbers when
    the fields are updated (it asks when the file is opened)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), 'TOC \\o "1-2" \\h \\z \\u')
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = _("Update the field to see the table of contents (F9).")
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


# --- Markdown -----------------------------------------------------------------------------------


def markdown_to_docx(out, text: str) -> None:
    """CommonMark tokens to Word: paragraphs, headings (as Heading 3/4), bullet and numbered
    lists, block quotes as indented paragraphs, bold, italic, code and links. Raw HTML is text."""
    list_styles: list[str] = []
    heading_level = 0
    for token in tokens(text):
        if token.type == "bullet_list_open":
            list_styles.append("List Bullet")
        elif token.type == "ordered_list_open":
            list_styles.append("List Number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_styles.pop()
        elif token.type == "heading_open":
            heading_level = min(int(token.tag[1]) + 2, 4)
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type == "inline":
            if heading_level:
                paragraph = out.add_heading(level=heading_level)
            elif list_styles:
                paragraph = out.add_paragraph(style=list_styles[-1])
            else:
                paragraph = out.add_paragraph()
            _inline(paragraph, token.children or [])
        elif token.type in ("code_block", "fence"):
            paragraph = out.add_paragraph()
            run = paragraph.add_run(token.content.rstrip("\n"))
            run.font.name = "DejaVu Sans Mono"
        elif token.type == "hr":
            out.add_paragraph("—" * 10).alignment = WD_ALIGN_PARAGRAPH.CENTER


def _inline(paragraph, children) -> None:
    bold = italic = 0
    link: str | None = None
    for child in children:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold -= 1
        elif child.type == "em_open":
            italic += 1
        elif child.type == "em_close":
            italic -= 1
        elif child.type == "link_open":
            link = child.attrGet("href")
        elif child.type == "link_close":
            link = None
        elif child.type in ("softbreak", "hardbreak"):
            paragraph.add_run().add_break(WD_BREAK.LINE)
        elif child.type in ("text", "code_inline", "html_inline"):
            if link:
                _hyperlink(paragraph, child.content, link, bold=bool(bold), italic=bool(italic))
            else:
                run = paragraph.add_run(child.content)
                run.bold = bool(bold) or None
                run.italic = bool(italic) or None


def _hyperlink(paragraph, text: str, url: str, *, bold: bool, italic: bool) -> None:
    part = paragraph.part
    rel_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    if bold:
        props.append(OxmlElement("w:b"))
    if italic:
        props.append(OxmlElement("w:i"))
    run.append(props)
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


__all__ = ["render_docx", "markdown_to_docx", "WD_SECTION"]
