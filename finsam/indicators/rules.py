"""The rules of indicator results, in one place: means, small-cell suppression, response rates and
one-time tokens. Pure functions, no database."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

# Fewer respondents than this and a figure is not shown: it could point at a person.
MIN_RESPONDENTS = 5
TOKEN_BYTES = 24


def exact_mean(values: Iterable[int]) -> Decimal | None:
    """The mean of the answers as an exact Decimal quotient (28 significant digits); None for no
    answers."""
    values = list(values)
    if not values:
        return None
    return Decimal(sum(values)) / Decimal(len(values))


def rounded(value: Decimal | None, places: int = 1) -> Decimal | None:
    """A mean as it is shown and exported: half up to `places` decimals."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def suppressed(respondents: int) -> bool:
    """Small-cell suppression: a figure from fewer than MIN_RESPONDENTS is never shown."""
    return respondents < MIN_RESPONDENTS


def shown_mean(values: Iterable[int], respondents: int) -> Decimal | None:
    """The mean to show, rounded; None when there are no answers or too few respondents."""
    if suppressed(respondents):
        return None
    return rounded(exact_mean(values))


def response_rate(*, responses: int, links: int, paper_forms: int) -> Decimal | None:
    """Responses as a percentage of what was handed out (links issued plus paper forms
    distributed), one decimal; None when nothing was handed out."""
    handed_out = links + paper_forms
    if handed_out <= 0:
        return None
    return rounded(Decimal(100) * Decimal(responses) / Decimal(handed_out))


def new_token() -> str:
    """A random, URL-safe one-time token (192 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256 in hex. The token itself is shown once."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
