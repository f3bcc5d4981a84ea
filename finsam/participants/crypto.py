"""Encryption at rest for optional personal fields (name, contact details).

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`, through MultiFernet so that keys can be
rotated: the first key in the list encrypts, every key in the list decrypts.

Design note for the Django field that will wrap these functions:

- Keys come from the environment as a comma-separated list of urlsafe base64 Fernet keys, newest
  first (`generate_key()` makes one). Store the token in a `TextField`; `None` stays `None` and is
  never encrypted. A token is about 4/3 × (plaintext bytes + 57) characters long.
- Tokens are randomised: the same text encrypts differently every time, so an encrypted column can
  be neither searched, sorted nor made unique. Find people by `identity.identity_hash(...)` instead.
- A token carries its creation time in clear (Fernet's format); nothing else is readable.
- Rotation: put the new key first, keep the old ones after it, re-encrypt every stored token with
  `rotate()` (a management command; `needs_rotation()` skips rows already on the new key), then
  remove the old key. A token whose key was removed can no longer be read: `DecryptionError`.
- Errors never contain key material or plaintext.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.utils.translation import gettext as _


class EncryptionKeyError(ValueError):
    """The key list is empty or holds a value that is not a Fernet key."""


class DecryptionError(ValueError):
    """The token is damaged or was encrypted with a key that is not in the list."""


def generate_key() -> str:
    """A new random key, as the urlsafe base64 text the settings expect."""
    return Fernet.generate_key().decode("ascii")


def encrypt_text(text: str, *, keys: Sequence[str]) -> str:
    """Encrypt `text` with the first key. Returns an ASCII token."""
    if not isinstance(text, str):
        raise TypeError("encrypt_text() encrypts str; keep None as None")
    return _multi_fernet(keys).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_text(token: str, *, keys: Sequence[str]) -> str:
    """Decrypt a token made by `encrypt_text` with any of the keys."""
    fernet = _multi_fernet(keys)
    plaintext = _attempt(lambda: fernet.decrypt(_token_bytes(token)))
    if plaintext is None:
        raise DecryptionError(_cannot_decrypt_message())
    return plaintext.decode("utf-8")


def rotate(token: str, *, keys: Sequence[str]) -> str:
    """Re-encrypt a token with the first key (decrypting it with any key)."""
    fernet = _multi_fernet(keys)
    rotated = _attempt(lambda: fernet.rotate(_token_bytes(token)))
    if rotated is None:
        raise DecryptionError(_cannot_decrypt_message())
    return rotated.decode("ascii")


def needs_rotation(token: str, *, keys: Sequence[str]) -> bool:
    """True when the token is not encrypted with the first key (so `rotate()` would change it)."""
    current = _multi_fernet(keys[:1])
    return _attempt(lambda: current.decrypt(_token_bytes(token))) is None


def _multi_fernet(keys: Sequence[str]) -> MultiFernet:
    if isinstance(keys, str | bytes):
        raise TypeError("keys must be a list of keys, not a single key")
    if not keys:
        raise EncryptionKeyError(
            _("No encryption key is configured. Specify at least one key in the settings.")
        )
    fernets = []
    for position, key in enumerate(keys, start=1):
        fernet = _fernet_or_none(key)
        if fernet is None:
            raise EncryptionKeyError(
                _(
                    "Encryption key number %(position)s in the settings is invalid. A key is 32 "
                    "random bytes in URL-safe base64 (44 characters)."
                )
                % {"position": position}
            )
        fernets.append(fernet)
    return MultiFernet(fernets)


def _fernet_or_none(key: str) -> Fernet | None:
    # Returned rather than raised inside `except`, so no exception chain carries key material.
    try:
        return Fernet(key)
    except (ValueError, TypeError):
        return None


def _token_bytes(token: str) -> bytes:
    if not isinstance(token, str):
        raise TypeError("tokens are str")
    return token.encode("ascii")


def _attempt(operation: Callable[[], bytes]) -> bytes | None:
    try:
        return operation()
    except (InvalidToken, ValueError):  # ValueError: a token with non-ASCII characters
        return None


def _cannot_decrypt_message() -> str:
    return _(
        "The data cannot be decrypted. It is corrupted or was encrypted with a key that is no "
        "longer among the configured keys."
    )
