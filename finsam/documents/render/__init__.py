"""Renderers: one `Document` (finsam.documents.blocks) to PDF, DOCX or XLSX.

They only lay out; every figure is computed by the kind's builder. `render(document, fmt)` is the
one entry point the services, the management command and the benchmark use.
"""

from __future__ import annotations

from finsam.documents.blocks import Document

FORMATS = ("pdf", "docx", "xlsx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(document: Document, fmt: str, *, logo: tuple[bytes, str] | None = None) -> bytes:
    """The document as bytes in `fmt`. `logo`: (image bytes, content type) for the PDF header."""
    if fmt == "pdf":
        from finsam.documents.render.pdf import render_pdf

        return render_pdf(document, logo=logo)
    if fmt == "docx":
        from finsam.documents.render.docx import render_docx

        return render_docx(document, logo=logo)
    if fmt == "xlsx":
        from finsam.documents.render.xlsx import render_xlsx

        return render_xlsx(document)
    raise ValueError(f"unknown format {fmt!r}")
