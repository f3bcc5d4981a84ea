"""What every page module of the funding app shares."""

from __future__ import annotations

from django.urls import reverse


def _url(name: str, association, *args) -> str:
    return reverse(f"funding:{name}", args=[association.slug, *args])
