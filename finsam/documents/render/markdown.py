"""The office's Markdown, made safe: CommonMark with raw HTML off, so `<script>` stays text.

One parser for both formats: the PDF takes its HTML, the DOCX walks its tokens.
"""

from __future__ import annotations

from markdown_it import MarkdownIt


def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    # Images would fetch from wherever the text points: the PDF renders offline, so none.
    md.disable("image")
    return md


def to_html(text: str) -> str:
    """Markdown → HTML. Raw HTML in the text is escaped, never passed through; links keep only
    http(s) and mailto targets (markdown-it's validateLink refuses javascript: and data:)."""
    return parser().render(text or "")


def tokens(text: str):
    return parser().parse(text or "")
