"""One term for one thing: the Swedish catalogue and the templates use the chosen words
(medlemsbidrag, Uppföljning Finsam, tkr, styrelsesammanträde), and a count before a noun takes
the right form ("1 dag", "2 dagar")."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

# banned variant -> the chosen term (GLOSSARY.md; issue 15)
BANNED = {
    r"[Mm]edlemsavgift": "medlemsbidrag",
    r"\bSUS\b": "Uppföljning Finsam",
    r"\b(Tkr|TKR|kSEK|KSEK|TSEK|tSEK)\b": "tkr",
    r"[Ss]tyrelsemöte": "styrelsesammanträde",
}

ROOT = Path(settings.BASE_DIR)


def swedish_texts() -> list[str]:
    """Every msgstr of Finsam's compiled Swedish catalogue, plural forms included (keys are
    (msgid, n) for those)."""
    with (ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    return [t for key, t in catalog.items() if key and t]


def template_files() -> list[Path]:
    return sorted(
        p
        for folder in (ROOT / "finsam", ROOT / "templates")
        for p in folder.rglob("*.html")
        if "/tests/" not in str(p)
    )


def test_the_catalogue_is_compiled_with_the_swedish_words():
    texts = swedish_texts()
    assert len(texts) > 1000  # the real catalogue, not an empty one
    assert any("medlemsbidrag" in t.lower() for t in texts)
    assert any("Uppföljning Finsam" in t for t in texts)


@pytest.mark.parametrize("banned", list(BANNED))
def test_no_banned_variant_in_the_swedish_catalogue(banned):
    found = [t for t in swedish_texts() if re.search(banned, t)]
    assert not found, f"write {BANNED[banned]!r} instead: {found[:5]}"


@pytest.mark.parametrize("banned", list(BANNED))
def test_no_banned_variant_in_the_templates(banned):
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in template_files()
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(banned, line)
    ]
    assert not found, f"write {BANNED[banned]!r} instead: {found[:5]}"


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "Rapporten är 1 dag försenad."), (2, "Rapporten är 2 dagar försenad.")],
)
def test_a_count_takes_the_right_form(n, expected):
    with translation.override("sv"):
        text = ngettext(
            "The report is %(days)s day overdue.", "The report is %(days)s days overdue.", n
        ) % {"days": n}
    assert text == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "Minst 1 möte per år."), (4, "Minst 4 möten")])
def test_a_count_in_a_template_takes_the_right_form(n, expected):
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}At least {{ n }} meeting per year."
        "{% plural %}At least {{ n }} meetings per year.{% endblocktranslate %}"
    )
    with translation.override("sv"):
        assert expected in template.render(Context({"n": n}))
