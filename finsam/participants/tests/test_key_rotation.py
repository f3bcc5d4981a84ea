"""`rotate_participant_keys` with real Fernet keys: old data still reads, is moved to the new key,
and reads after the old key is removed. Nothing clear is printed."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from finsam.participants import services
from finsam.participants.crypto import (
    DecryptionError,
    decrypt_text,
    encrypt_text,
    generate_key,
    needs_rotation,
)
from finsam.participants.models import Participant
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db

OLD, NEW = generate_key(), generate_key()


@pytest.fixture
def register_with_old_key(association, settings):
    settings.PARTICIPANT_ENCRYPTION_KEYS = [OLD]
    intervention = pf.staffed_intervention(association)
    people = []
    for n in range(7):
        pf.register(
            association,
            intervention,
            number=pf.identity_number(serial=f"{500 + n}"),
            name=f"Person Nummer{n}",
            contact="" if n == 3 else f"070-000 00 0{n}",
        )
        people.append(f"Person Nummer{n}")
    pf.register(  # nothing encrypted: not counted
        association, intervention, number=pf.identity_number(serial="600"), name="", contact=""
    )
    return people


def run(*args) -> str:
    out = io.StringIO()
    call_command("rotate_participant_keys", *args, stdout=out)
    return out.getvalue()


def tokens():
    return list(
        Participant.objects.order_by("pk").values_list("name_encrypted", "contact_encrypted")
    )


def test_rotation_moves_every_token_to_the_new_key(register_with_old_key, settings):
    before = tokens()
    settings.PARTICIPANT_ENCRYPTION_KEYS = [NEW, OLD]
    # Old data is readable while both keys are configured.
    assert services.decrypt_or_blank(before[0][0]) == "Person Nummer0"

    dry = run("--dry-run", "--batch-size", "3")
    assert "13 uppgifter skulle krypteras om" in dry and "provkörning" in dry
    assert tokens() == before

    output = run("--batch-size", "3")
    assert "Omgång 1: 3 deltagare, 6 uppgifter omkrypterade" in output
    assert "Omgång 3: 1 deltagare" in output
    assert "7 deltagare med krypterade uppgifter, 13 uppgifter omkrypterade" in output
    for person in register_with_old_key:
        assert person not in output and "070-" not in output
    after = tokens()
    assert all(not needs_rotation(t, keys=[NEW, OLD]) for row in after for t in row if t)

    # Idempotent: a second run changes nothing.
    again = run()
    assert "0 uppgifter omkrypterade, 13 redan på den nyaste nyckeln" in again
    assert tokens() == after

    # The old key can go: everything still decrypts with the new key alone.
    settings.PARTICIPANT_ENCRYPTION_KEYS = [NEW]
    names = [decrypt_text(name, keys=[NEW]) for name, _contact in after if name]
    assert names == register_with_old_key
    with pytest.raises(DecryptionError):
        decrypt_text(before[0][0], keys=[NEW])


def test_a_token_no_key_opens_stops_the_run_and_rolls_its_batch_back(
    register_with_old_key, settings
):
    unknown = generate_key()
    first = Participant.objects.order_by("pk").first()
    settings.PARTICIPANT_ENCRYPTION_KEYS = [unknown]
    Participant.objects.filter(pk=first.pk + 4).update(
        name_encrypted=encrypt_text("Okänd Nyckel", keys=[unknown])
    )
    settings.PARTICIPANT_ENCRYPTION_KEYS = [NEW, OLD]
    before = tokens()
    with pytest.raises(CommandError) as info:
        run("--batch-size", "3")
    assert f"D-{first.pk + 4}" in str(info.value) and "Okänd" not in str(info.value)
    after = tokens()
    assert after[:3] != before[:3]  # the first batch is done
    assert after[3:6] == before[3:6]  # the failing batch is rolled back
    assert after[6:] == before[6:]  # and the run stopped


def test_batch_size_must_be_positive():
    with pytest.raises(CommandError):
        run("--batch-size", "0")
