"""PDF with WeasyPrint: tagged (PDF/UA-1), A4, table of contents with page numbers."""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from finsam.documents.blocks import Document
from finsam.documents.render.html import document_html

# Only data: URIs (the logo, charts); never the network or the file system.
_FETCHER = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)


def render_pdf(document: Document, *, logo: tuple[bytes, str] | None = None) -> bytes:
    html = document_html(document, logo=logo)
    # base_url None and no url_fetcher target: the HTML holds no external reference (the logo
    # and charts are data: URIs), so rendering never reaches the network or the file system.
    return HTML(string=html, base_url=None, url_fetcher=_FETCHER).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=False
    )
