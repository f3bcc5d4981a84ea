"""A stored document (finsam.documents.models.Document) built into blocks for the renderers.

The kind builds the generated parts; the stored Markdown fills the free-text sections; a kind
that `takes_appendices` (the board pack) gets the documents up for adoption at its meeting.
"""

from __future__ import annotations

from finsam.documents import blocks
from finsam.documents.models import Document


def assemble(document: Document, *, with_appendices: bool = True) -> blocks.Document:
    from finsam.documents.selectors import documents_for_adoption
    from finsam.documents.services import current_texts, kind_or_error

    kind = kind_or_error(document.kind)
    arguments = {
        "association": document.association,
        "year": document.year,
        "cut_off": document.cut_off,
        "meeting": document.meeting,
    }
    if kind.takes_appendices:
        appendices = []
        if with_appendices and document.meeting is not None:
            for other in documents_for_adoption(meeting=document.meeting):
                if other.pk == document.pk or other.kind == document.kind:
                    continue
                built = assemble(other, with_appendices=False)
                appendices.append(blocks.Appendix(title=built.title, document=built))
        arguments["appendices"] = appendices
    built = kind.build(**arguments)
    built.texts = current_texts(document)
    return built
