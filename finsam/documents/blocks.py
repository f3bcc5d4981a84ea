"""What a generated document is made of, independent of its format.

A document kind (verksamhetsplan, delårsrapport, årsredovisning, board pack) is a builder that reads
the association's data and returns a `Document`: a title and a list of blocks. The renderers turn
the same blocks into PDF (WeasyPrint), DOCX (python-docx) and XLSX (one sheet per `Table`), so the
three formats never disagree. Builders compute; renderers only lay out.

Figures stay exact: a `Table` cell holds an int, a Decimal, a date, None or text, and its column's
`kind` says how it is shown (`1 234 567`, `12,5 %`). Free-text sections are placeholders
(`FreeText`) that the document's stored Markdown fills in; a builder never invents prose.
Consistency findings (`Flag`) travel with the document so the office sees them before adoption.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Cell = int | Decimal | date | str | None
# "tkr1": thousands with one decimal (a seed plan prints its cash-flow budget so).
ColumnKind = Literal["text", "money", "tkr", "tkr1", "number", "percent", "date"]
RowStyle = Literal["normal", "heading", "subtotal", "total", "flagged"]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = chapter (starts a page in the PDF, listed in the table of contents)


@dataclass(frozen=True)
class Paragraph:
    """Plain generated text (escaped in every format)."""

    text: str


@dataclass(frozen=True)
class FreeText:
    """A section the office writes in Markdown (introduction, events of the period, the chair's
    words, analysis). `key` names it within the document kind; `hint` is shown when it is empty."""

    key: str
    title: str
    hint: str = ""


@dataclass(frozen=True)
class Column:
    label: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    style: RowStyle = "normal"


@dataclass(frozen=True)
class Table:
    """A table with a caption. `key` is unique within the document (the XLSX sheet and the tests
    find it by key); `note` is printed under it (e.g. a source or a suppression rule)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str = ""


@dataclass(frozen=True)
class KeyFigures:
    """A short list of label → figure pairs (e.g. an intervention's money at a glance)."""

    items: tuple[tuple[str, Cell, ColumnKind], ...]


@dataclass(frozen=True)
class Chart:
    """An SVG chart from `finsam.core.charts`; `table_key` names the table that holds its figures
    (a chart never replaces its table)."""

    svg: str
    table_key: str


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Signatures:
    """A signature page: one line per person (name, role), with place and date to fill in."""

    people: tuple[tuple[str, str], ...]
    text: str = ""


@dataclass(frozen=True)
class Flag:
    """A consistency finding the office resolves or acknowledges before adoption.

    `code` is stable for one finding of one document (so that an acknowledgement survives
    regenerating the draft); `message` is Swedish for the office."""

    code: str
    message: str
    severity: Literal["error", "warning", "info"] = "warning"


@dataclass(frozen=True)
class Appendix:
    """Another document attached after this one (a board pack's documents up for adoption): the
    renderers start it on a new page under "Bilaga N: title" and keep its own tables."""

    title: str
    document: Document


Block = (
    Heading | Paragraph | FreeText | Table | KeyFigures | Chart | PageBreak | Signatures | Appendix
)


@dataclass
class Document:
    kind: str
    title: str
    subtitle: str  # e.g. "Delårsrapport per 2026-06-30" or "Verksamhetsplan 2027–2029"
    association_name: str
    blocks: list[Block] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    # The stored Markdown of the free-text sections by `FreeText.key`; the documents app fills it
    # in after `build()` (a builder never writes prose), the renderers read it.
    texts: dict[str, str] = field(default_factory=dict)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def table(self, key: str) -> Table:
        for t in self.tables():
            if t.key == key:
                return t
        raise KeyError(key)

    def free_text_keys(self) -> list[str]:
        return [b.key for b in self.blocks if isinstance(b, FreeText)]


# --- kinds ---------------------------------------------------------------------------------------

Builder = Callable[..., Document]


@dataclass(frozen=True)
class Kind:
    """A document kind. `build(*, association, year, cut_off=None, meeting=None)` returns the
    document for that association; it reads through selectors with the system's view (the page
    that offers the document checks who may see it)."""

    slug: str  # "plan" | "interim" | "annual" | "board-pack"
    name: str  # Swedish, for people: "Verksamhetsplan och budget"
    build: Builder
    # The board pack: build() also takes `appendices: Sequence[Appendix]`, the documents up for
    # adoption at the meeting, which the documents app resolves from its stored drafts.
    takes_appendices: bool = False


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.slug in KINDS:
        raise ValueError(f"document kind {kind.slug!r} registered twice")
    KINDS[kind.slug] = kind
    return kind
