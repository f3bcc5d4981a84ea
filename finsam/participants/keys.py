"""Re-encrypting the register's encrypted fields with the newest key (see crypto.py).

Kept out of services.py: it is an operation on the whole table run by the operator, not a change
to one person's data, and it decrypts nothing for anyone to read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from finsam.participants.crypto import DecryptionError, needs_rotation, rotate
from finsam.participants.models import Participant

ENCRYPTED_FIELDS = ("name_encrypted", "contact_encrypted")


class KeyRotationError(RuntimeError):
    """A token cannot be read with any configured key; its batch was rolled back."""


@dataclass
class Batch:
    number: int
    participants: int
    rotated: int


@dataclass
class Summary:
    participants: int = 0
    rotated: int = 0
    current: int = 0
    batches: int = 0


def rotate_participant_keys(
    *,
    batch_size: int = 500,
    dry_run: bool = False,
    progress: Callable[[Batch], None] | None = None,
    keys: list[str] | None = None,
) -> Summary:
    """Move every encrypted name and contact to the first key, one transaction per batch.

    A token that no configured key opens stops the run with the participant's reference (its
    batch is rolled back; earlier batches stay done, and a new run skips them)."""
    keys = list(keys if keys is not None else settings.PARTICIPANT_ENCRYPTION_KEYS)
    encrypted = Q()
    for name in ENCRYPTED_FIELDS:
        encrypted |= ~Q(**{name: ""})
    ids = list(Participant.objects.filter(encrypted).order_by("pk").values_list("pk", flat=True))
    summary = Summary()
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        with transaction.atomic():
            rows = list(
                Participant.objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .only("pk", *ENCRYPTED_FIELDS)
            )
            rotated = 0
            changed = []
            for participant in rows:
                dirty = False
                for name in ENCRYPTED_FIELDS:
                    token = getattr(participant, name)
                    if not token:
                        continue
                    if not needs_rotation(token, keys=keys):
                        summary.current += 1
                        continue
                    try:
                        new_token = rotate(token, keys=keys)
                    except DecryptionError:
                        raise KeyRotationError(
                            f"{participant.reference}: uppgiften kan inte läsas med någon av de "
                            "inställda nycklarna. Omgången är återställd; lägg tillbaka den "
                            "gamla nyckeln och kör igen."
                        ) from None
                    setattr(participant, name, new_token)
                    rotated += 1
                    dirty = True
                if dirty:
                    changed.append(participant)
            if changed and not dry_run:
                Participant.objects.bulk_update(changed, ENCRYPTED_FIELDS)
        summary.participants += len(rows)
        summary.rotated += rotated
        summary.batches += 1
        if progress:
            progress(Batch(number=summary.batches, participants=len(rows), rotated=rotated))
    return summary
