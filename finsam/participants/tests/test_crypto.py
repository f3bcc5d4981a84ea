import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.participants.crypto import (
    DecryptionError,
    EncryptionKeyError,
    decrypt_text,
    encrypt_text,
    generate_key,
    needs_rotation,
    rotate,
)

OLD_KEY = generate_key()
NEW_KEY = generate_key()
NAME = "Åsa Öberg-Ängström"


def test_generated_keys_are_random_urlsafe_base64_of_32_bytes():
    key = generate_key()
    assert isinstance(key, str)
    assert len(base64.urlsafe_b64decode(key)) == 32
    assert key != generate_key()


def test_round_trip_keeps_swedish_text():
    token = encrypt_text(NAME, keys=[OLD_KEY])
    assert decrypt_text(token, keys=[OLD_KEY]) == NAME
    assert token.isascii()
    assert "Berg" not in token and "berg" not in token


def test_the_same_text_encrypts_differently_each_time():
    # So an encrypted column cannot be compared or searched: use identity_hash for look-ups.
    assert encrypt_text(NAME, keys=[OLD_KEY]) != encrypt_text(NAME, keys=[OLD_KEY])


def test_empty_text_is_encrypted_too():
    assert decrypt_text(encrypt_text("", keys=[OLD_KEY]), keys=[OLD_KEY]) == ""


def test_first_key_encrypts_and_every_key_decrypts():
    old_token = encrypt_text(NAME, keys=[OLD_KEY])
    keys = [NEW_KEY, OLD_KEY]
    assert decrypt_text(old_token, keys=keys) == NAME
    new_token = encrypt_text(NAME, keys=keys)
    assert decrypt_text(new_token, keys=[NEW_KEY]) == NAME
    with pytest.raises(DecryptionError):
        decrypt_text(new_token, keys=[OLD_KEY])


def test_rotation_moves_a_token_to_the_first_key():
    old_token = encrypt_text(NAME, keys=[OLD_KEY])
    keys = [NEW_KEY, OLD_KEY]
    assert needs_rotation(old_token, keys=keys)
    rotated = rotate(old_token, keys=keys)
    assert not needs_rotation(rotated, keys=keys)
    # After every token is rotated the old key can be removed from the settings.
    assert decrypt_text(rotated, keys=[NEW_KEY]) == NAME


def test_a_token_whose_key_was_removed_cannot_be_read():
    token = encrypt_text(NAME, keys=[OLD_KEY])
    with pytest.raises(DecryptionError) as caught:
        decrypt_text(token, keys=[NEW_KEY])
    message = str(caught.value)
    assert "dekrypteras" in message
    assert NEW_KEY not in message and NAME not in message
    with pytest.raises(DecryptionError):
        rotate(token, keys=[NEW_KEY])


@pytest.mark.parametrize("damage", ["", "not a token", "gAAAAA", "åäö", "x" * 200])
def test_damaged_tokens_raise_decryption_error(damage):
    with pytest.raises(DecryptionError):
        decrypt_text(damage, keys=[OLD_KEY])


def test_a_tampered_token_is_rejected():
    token = encrypt_text(NAME, keys=[OLD_KEY])
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[-40] ^= 1  # flip one bit of the ciphertext
    with pytest.raises(DecryptionError):
        decrypt_text(base64.urlsafe_b64encode(bytes(raw)).decode(), keys=[OLD_KEY])


def test_invalid_keys_are_reported_by_position_without_the_key():
    bad_key = "this-is-not-a-fernet-key"
    with pytest.raises(EncryptionKeyError) as caught:
        encrypt_text(NAME, keys=[NEW_KEY, bad_key])
    message = str(caught.value)
    assert "nummer 2" in message
    assert bad_key not in message and NEW_KEY not in message
    assert caught.value.__context__ is None


def test_an_empty_key_list_is_a_configuration_error():
    with pytest.raises(EncryptionKeyError):
        encrypt_text(NAME, keys=[])


def test_a_single_key_string_is_refused_rather_than_split_into_characters():
    with pytest.raises(TypeError):
        encrypt_text(NAME, keys=OLD_KEY)  # type: ignore[arg-type]


def test_none_is_not_encrypted():
    with pytest.raises(TypeError):
        encrypt_text(None, keys=[OLD_KEY])  # type: ignore[arg-type]


@settings(max_examples=50)
@given(st.text())
def test_any_text_round_trips(text):
    keys = [NEW_KEY, OLD_KEY]
    assert decrypt_text(encrypt_text(text, keys=keys), keys=keys) == text
