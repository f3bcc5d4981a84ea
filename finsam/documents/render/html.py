"""A `Document` as one HTML page for WeasyPrint: print CSS, table of contents, running header.

Every piece of text is escaped here; the only HTML that is not built here is the Markdown
renderer's, which has raw HTML turned off (finsam.documents.render.markdown).
"""

from __future__ import annotations

import base64
from itertools import count

from django.utils.html import escape
from django.utils.translation import gettext as _

from finsam.documents import blocks as b
from finsam.documents.render.cells import format_cell, is_numeric
from finsam.documents.render.markdown import to_html

LOGO_TYPES = {"image/png", "image/jpeg"}

CSS = """
@page {
  size: A4; margin: 24mm 18mm 20mm 18mm;
  font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #333;
  @top-left { content: element(header); vertical-align: bottom; width: 100%; }
  @bottom-right { content: "Sida " counter(page) " av " counter(pages);
                  font-family: "DejaVu Sans", sans-serif; font-size: 8pt; }
  @bottom-left { content: string(doctitle); font-family: "DejaVu Sans", sans-serif; font-size: 8pt; }
}
@page cover { @top-left { content: none; } @bottom-right { content: none; }
              @bottom-left { content: none; } }
html { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.4; color: #111; }
header.running { position: running(header); display: flex; align-items: center; gap: 3mm; white-space: nowrap;
                 font-size: 8pt; color: #333; }
header.running img { height: 10mm; max-width: 40mm; object-fit: contain; }
section.cover { page: cover; text-align: left; padding-top: 50mm; }
section.cover img { max-height: 30mm; max-width: 80mm; }
section.cover h1 { font-size: 24pt; margin: 10mm 0 3mm; string-set: doctitle content(); }
section.cover p.subtitle { font-size: 14pt; margin: 0; }
section.cover p.association { font-size: 12pt; color: #333; }
nav.toc { break-before: page; }
nav.toc h2 { font-size: 16pt; }
nav.toc ol { list-style: none; padding: 0; }
nav.toc li { margin: 1.5mm 0; }
nav.toc li.appendix { margin-top: 3mm; }
nav.toc a { color: #111; text-decoration: none; }
nav.toc a::after { content: leader('.') target-counter(attr(href), page); }
h1 { font-size: 16pt; break-before: page; margin: 0 0 4mm; bookmark-level: 1; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; bookmark-level: 2; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; bookmark-level: 3; break-after: avoid; }
h4 { font-size: 9.5pt; margin: 3mm 0 1mm; bookmark-level: none; break-after: avoid; }
p { margin: 0 0 2mm; orphans: 2; widows: 2; }
.freetext.empty { color: #555; font-style: italic; border-left: 2px solid #999; padding-left: 2mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm; font-size: 8.5pt; }
caption { break-after: avoid; text-align: left; font-weight: bold; font-size: 9.5pt; padding-bottom: 1.5mm; }
th, td { padding: 0.8mm 1.5mm; border-bottom: 0.4pt solid #bbb; vertical-align: top; }
thead th { border-bottom: 1pt solid #333; text-align: left; }
th.num, td.num { text-align: right; white-space: nowrap; }
tr.heading td, tr.heading th { font-weight: bold; background: #eee; }
tr.subtotal td, tr.subtotal th { font-weight: bold; border-top: 0.6pt solid #333; }
tr.total td, tr.total th { font-weight: bold; border-top: 1pt solid #111;
                           border-bottom: 1.5pt double #111; }
tr.flagged td, tr.flagged th { background: #fff1c2; }
tbody th { font-weight: normal; text-align: left; }
tr { break-inside: avoid; }
p.note { font-size: 8pt; color: #444; margin-top: -1mm; }
dl.keyfigures { display: flex; flex-wrap: wrap; gap: 2mm 6mm; margin: 2mm 0 3mm; }
dl.keyfigures div { min-width: 40mm; }
dl.keyfigures dt { font-size: 8pt; color: #444; }
dl.keyfigures dd { margin: 0; font-weight: bold; font-size: 10.5pt; }
figure.chart { margin: 2mm 0; }
figure.chart img { max-width: 100%; }
.pagebreak { break-after: page; }
section.signatures { break-before: page; }
.signature { display: inline-block; width: 75mm; margin: 14mm 8mm 0 0; vertical-align: top; }
.signature .line { border-top: 0.6pt solid #111; padding-top: 1mm; }
section.appendix-title { break-before: page; }
"""


def _logo_uri(logo: tuple[bytes, str] | None) -> str | None:
    if not logo or logo[1] not in LOGO_TYPES:
        return None
    return f"data:{logo[1]};base64,{base64.b64encode(logo[0]).decode('ascii')}"


class _Writer:
    def __init__(self) -> None:
        self.ids = count(1)
        self.toc: list[tuple[str, str, str]] = []  # (anchor, text, css class)
        self.appendix_number = 0

    def anchor(self) -> str:
        return f"s{next(self.ids)}"

    def blocks(self, document: b.Document, shift: int = 0) -> list[str]:
        out: list[str] = []
        for block in document.blocks:
            out.append(self.block(block, document, shift))
        return out

    def block(self, block: b.Block, document: b.Document, shift: int) -> str:  # noqa: PLR0911
        if isinstance(block, b.Heading):
            level = min(block.level + shift, 4)
            if level == 1:
                anchor = self.anchor()
                self.toc.append((anchor, block.text, ""))
                return f'<h1 id="{anchor}">{escape(block.text)}</h1>'
            return f"<h{level}>{escape(block.text)}</h{level}>"
        if isinstance(block, b.Paragraph):
            return f"<p>{escape(block.text)}</p>"
        if isinstance(block, b.FreeText):
            return self.free_text(block, document, shift)
        if isinstance(block, b.Table):
            return self.table(block)
        if isinstance(block, b.KeyFigures):
            items = "".join(
                f"<div><dt>{escape(label)}</dt><dd>{escape(format_cell(value, kind))}</dd></div>"
                for label, value, kind in block.items
            )
            return f'<dl class="keyfigures">{items}</dl>'
        if isinstance(block, b.Chart):
            uri = "data:image/svg+xml;base64," + base64.b64encode(block.svg.encode()).decode()
            alt = escape(
                _("Chart; its figures are in the table %(key)s.") % {"key": block.table_key}
            )
            return f'<figure class="chart"><img src="{uri}" alt="{alt}"></figure>'
        if isinstance(block, b.PageBreak):
            return '<div class="pagebreak"></div>'
        if isinstance(block, b.Signatures):
            return self.signatures(block)
        if isinstance(block, b.Appendix):
            return self.appendix(block)
        raise TypeError(f"unknown block {type(block).__name__}")

    def free_text(self, block: b.FreeText, document: b.Document, shift: int) -> str:
        level = min(2 + shift, 4)
        text = document.texts.get(block.key, "").strip()
        title = f"<h{level}>{escape(block.title)}</h{level}>" if block.title else ""
        if not text:
            hint = block.hint or _("Not written yet.")
            return f'{title}<div class="freetext empty"><p>{escape(hint)}</p></div>'
        return f'{title}<div class="freetext">{to_html(text)}</div>'

    def table(self, table: b.Table) -> str:
        num = ' class="num"'
        head = "".join(
            f'<th scope="col"{num if is_numeric(c.kind) else ""}>{escape(c.label)}</th>'
            for c in table.columns
        )
        rows = []
        for row in table.rows:
            cells = []
            for i, (value, column) in enumerate(zip(row.cells, table.columns, strict=False)):
                text = escape(format_cell(value, column.kind))
                if i == 0:
                    cells.append(f'<th scope="row">{text}</th>')
                elif is_numeric(column.kind):
                    cells.append(f'<td class="num">{text}</td>')
                else:
                    cells.append(f"<td>{text}</td>")
            css = f' class="{row.style}"' if row.style != "normal" else ""
            rows.append(f"<tr{css}>{''.join(cells)}</tr>")
        note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
        return (
            f'<table id="t-{escape(table.key)}"><caption>{escape(table.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
        )

    def signatures(self, block: b.Signatures) -> str:
        text = f"<p>{escape(block.text)}</p>" if block.text else ""
        place = escape(_("Place and date"))
        people = "".join(
            f'<div class="signature"><div class="line">{escape(name)}<br>'
            f"<small>{escape(role)}</small></div></div>"
            for name, role in block.people
        )
        heading = escape(_("Signatures"))
        return (
            f'<section class="signatures"><h2>{heading}</h2>{text}'
            f'<div class="signature"><div class="line">{place}</div></div><div>{people}</div>'
            "</section>"
        )

    def appendix(self, block: b.Appendix) -> str:
        self.appendix_number += 1
        anchor = self.anchor()
        title = _("Appendix %(n)s: %(title)s") % {"n": self.appendix_number, "title": block.title}
        self.toc.append((anchor, title, "appendix"))
        inner = "".join(self.blocks(block.document, shift=1))
        return (
            f'<section class="appendix-title"><h1 id="{anchor}" style="break-before: auto">'
            f"{escape(title)}</h1><p>{escape(block.document.subtitle)}</p></section>{inner}"
        )


def document_html(document: b.Document, *, logo: tuple[bytes, str] | None = None) -> str:
    writer = _Writer()
    body = "".join(writer.blocks(document))
    uri = _logo_uri(logo)
    alt, contents = escape(_("Logo")), escape(_("Contents"))
    logo_img = f'<img src="{uri}" alt="{alt}">' if uri else ""
    toc = "".join(
        f'<li class="{css}"><a href="#{anchor}">{escape(text)}</a></li>'
        for anchor, text, css in writer.toc
    )
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>{escape(document.title)} – {escape(document.association_name)}</title>"
        f'<meta name="author" content="{escape(document.association_name)}">'
        f'<meta name="description" content="{escape(document.subtitle)}">'
        f"<style>{CSS}</style></head><body>"
        f'<header class="running">{logo_img}<span>{escape(document.association_name)}</span>'
        "</header>"
        f'<section class="cover">{logo_img}<h1 style="break-before: auto">'
        f'{escape(document.title)}</h1><p class="subtitle">{escape(document.subtitle)}</p>'
        f'<p class="association">{escape(document.association_name)}</p></section>'
        f'<nav class="toc" aria-label="{contents}"><h2>{contents}</h2>'
        f"<ol>{toc}</ol></nav>"
        f"<main>{body}</main></body></html>"
    )
