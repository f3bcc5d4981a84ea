import hashlib
import hmac
import logging
import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam.participants.identity import (
    IdentityNumber,
    InvalidIdentityNumber,
    identity_hash,
    parse_identity_number,
)

TODAY = date(2025, 6, 1)
SECRET = b"test-secret-for-identity-hashes-32b"


def luhn_check_digit(nine_digits: str) -> str:
    """The check digit over ÅÅMMDDNNN, computed here independently of the library."""
    total = 0
    for position, character in enumerate(nine_digits):
        product = int(character) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


def make_number(birth: date, serial: int, *, coordination: bool = False) -> str:
    """A valid-checksum test number, ÅÅÅÅMMDDNNNN. Generated: it belongs to nobody we know of."""
    day = birth.day + (60 if coordination else 0)
    body = f"{birth.year:04d}{birth.month:02d}{day:02d}{serial:03d}"
    return body + luhn_check_digit(body[2:])


def with_wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


WOMAN = make_number(date(1985, 3, 15), 124)  # serial ends in 4: even → F
MAN = make_number(date(1985, 3, 15), 131)  # serial ends in 1 (second-to-last digit): odd → M


def short_form(number: str, separator: str = "-") -> str:
    return f"{number[2:8]}{separator}{number[8:]}"


def test_the_test_numbers_have_valid_checksums_by_an_independent_luhn():
    # 19121212-1212 ("Tolvan Tolvansson") is Skatteverket's well-known test number.
    assert make_number(date(1912, 12, 12), 121) == "191212121212"


@pytest.mark.parametrize(
    "text",
    [
        WOMAN,  # ÅÅÅÅMMDDNNNN
        f"{WOMAN[:8]}-{WOMAN[8:]}",  # ÅÅÅÅMMDD-NNNN
        short_form(WOMAN),  # ÅÅMMDD-NNNN
        WOMAN[2:],  # ÅÅMMDDNNNN
        f"  {WOMAN[:8]} - {WOMAN[8:]} ",  # whitespace is ignored
    ],
)
def test_every_accepted_form_gives_the_same_normalised_number(text):
    number = parse_identity_number(text, today=TODAY)
    assert number.normalized == WOMAN
    assert number.birth_year == 1985
    assert number.birth_date == date(1985, 3, 15)
    assert number.legal_gender == "F"
    assert number.is_coordination_number is False


def test_legal_gender_comes_from_the_second_to_last_digit():
    assert parse_identity_number(MAN, today=TODAY).legal_gender == "M"
    assert parse_identity_number(WOMAN, today=TODAY).legal_gender == "F"


def test_samordningsnummer_has_sixty_added_to_the_day():
    text = make_number(date(1990, 7, 14), 457, coordination=True)
    assert text[6:8] == "74"
    number = parse_identity_number(text, today=TODAY)
    assert number.is_coordination_number is True
    assert number.birth_date == date(1990, 7, 14)
    assert number.birth_year == 1990
    assert number.normalized == text  # the stored form keeps the +60 day
    assert parse_identity_number(short_form(text), today=TODAY).normalized == text


def test_plus_sign_means_a_hundred_years_or_older():
    tolvan = make_number(date(1912, 12, 12), 121)
    number = parse_identity_number(short_form(tolvan, "+"), today=TODAY)
    assert number.birth_year == 1912
    assert number.normalized == tolvan
    assert number.age_on(TODAY) == 112
    # The same digits with a hyphen belong to a child born in 2012.
    child = make_number(date(2012, 12, 12), 121)
    assert parse_identity_number(short_form(child), today=TODAY).birth_year == 2012


def test_short_form_never_puts_the_birth_date_in_the_future():
    # On 1 June 2025, "251231-…" is someone born 31 December 1925 (aged 99), not next December.
    born_1925 = make_number(date(1925, 12, 31), 235)
    number = parse_identity_number(short_form(born_1925), today=TODAY)
    assert number.birth_year == 1925
    assert number.age_on(TODAY) == 99
    born_today = make_number(TODAY, 235)
    assert parse_identity_number(short_form(born_today), today=TODAY).birth_year == 2025


def test_age_on_counts_whole_years():
    number = parse_identity_number(WOMAN, today=TODAY)
    assert number.age_on(date(2025, 3, 14)) == 39
    assert number.age_on(date(2025, 3, 15)) == 40


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (with_wrong_check_digit(WOMAN), "checksum"),
        (short_form(with_wrong_check_digit(WOMAN)), "checksum"),
        (make_number(date(1985, 3, 15), 124)[:4] + "13" + "15" + "1240", "date"),  # month 13
        ("19850230" + "1240", "date"),  # 30 February
        ("19850300" + "1240", "date"),  # day 0
        ("19850392" + "1240", "date"),  # coordination day 32 + 60
        ("19850360" + "1240", "date"),  # coordination day 0 + 60
        (make_number(date(2030, 1, 1), 124), "date"),  # in the future
        (WOMAN[:-1], "format"),  # 11 digits
        (WOMAN[2:-1], "format"),  # 9 digits
        (WOMAN + "1", "format"),  # 13 digits
        ("", "format"),
        (WOMAN[:4] + "AB" + WOMAN[6:], "format"),
        (f"{WOMAN[:8]}+{WOMAN[8:]}", "format"),  # "+" only in the short form
        (f"{WOMAN[2:4]}-{WOMAN[4:]}", "format"),  # separator in the wrong place
        ("٠١٢٣٤٥٦٧٨٩٠١", "format"),  # non-ASCII digits
        (make_number(date(1985, 3, 15), 0), "format"),  # serial 000 is never issued
    ],
)
def test_invalid_numbers_say_what_is_wrong(text, reason):
    with pytest.raises(InvalidIdentityNumber) as caught:
        parse_identity_number(text, today=TODAY)
    assert caught.value.reason == reason
    assert isinstance(caught.value, ValueError)


def test_each_kind_of_error_has_its_own_swedish_message():
    messages = {}
    for reason, text in [
        ("checksum", with_wrong_check_digit(WOMAN)),
        ("date", "198513151240"),
        ("format", "12345"),
    ]:
        with pytest.raises(InvalidIdentityNumber) as caught:
            parse_identity_number(text, today=TODAY)
        messages[reason] = str(caught.value)
    assert "Kontrollsiffran" in messages["checksum"]
    assert "födelsedatum" in messages["date"]
    assert "antal siffror" in messages["format"]
    assert len(set(messages.values())) == 3


@given(st.text(alphabet="0123456789-+ ABx", max_size=16))
def test_error_messages_never_contain_a_digit_of_the_input(text):
    try:
        parse_identity_number(text, today=TODAY)
    except InvalidIdentityNumber as error:
        assert not re.search(r"\d", str(error))
        assert error.__context__ is None  # no chained exception carries the input
        assert error.__cause__ is None


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    serial=st.integers(min_value=1, max_value=999),
    coordination=st.booleans(),
)
def test_any_valid_number_parses_and_a_wrong_check_digit_never_does(birth, serial, coordination):
    text = make_number(birth, serial, coordination=coordination)
    number = parse_identity_number(text, today=TODAY)
    assert number.normalized == text
    assert number.birth_date == birth
    assert number.legal_gender == ("M" if serial % 2 else "F")
    assert number.is_coordination_number is coordination
    with pytest.raises(InvalidIdentityNumber) as caught:
        parse_identity_number(with_wrong_check_digit(text), today=TODAY)
    assert caught.value.reason == "checksum"


@given(birth=st.dates(min_value=TODAY - timedelta(days=199 * 365), max_value=TODAY))
def test_the_short_form_with_the_right_separator_round_trips(birth):
    text = make_number(birth, 248)
    age = parse_identity_number(text, today=TODAY).age_on(TODAY)
    separator = "+" if age >= 100 else "-"
    assert parse_identity_number(short_form(text, separator), today=TODAY).normalized == text


def test_repr_and_str_never_show_the_number(caplog):
    number = parse_identity_number(WOMAN, today=TODAY)
    for shown in (repr(number), str(number), f"{number}"):
        assert WOMAN not in shown
        assert WOMAN[2:] not in shown
        assert "1985" in shown and "'F'" in shown  # only the derived fields
    logging.getLogger("finsam").warning("registered %s", number)
    assert WOMAN[2:] not in caplog.text


def test_identity_hash_is_stable_across_input_forms():
    forms = [WOMAN, short_form(WOMAN), f"{WOMAN[:8]}-{WOMAN[8:]}"]
    hashes = {identity_hash(parse_identity_number(f, today=TODAY), secret=SECRET) for f in forms}
    assert len(hashes) == 1
    (digest,) = hashes
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    expected = hmac.new(SECRET, WOMAN.encode(), hashlib.sha256).hexdigest()
    assert digest == expected


def test_identity_hash_is_keyed():
    number = parse_identity_number(WOMAN, today=TODAY)
    other_secret = b"another-secret-for-another-register"
    assert identity_hash(number, secret=SECRET) != identity_hash(number, secret=other_secret)
    assert identity_hash(number, secret=SECRET) != hashlib.sha256(WOMAN.encode()).hexdigest()


def test_different_people_get_different_hashes():
    woman, man = (parse_identity_number(n, today=TODAY) for n in (WOMAN, MAN))
    assert identity_hash(woman, secret=SECRET) != identity_hash(man, secret=SECRET)


def test_identity_hash_refuses_a_missing_or_short_secret():
    number = parse_identity_number(WOMAN, today=TODAY)
    with pytest.raises(ValueError):
        identity_hash(number, secret=b"")
    with pytest.raises(ValueError):
        identity_hash(number, secret=b"too-short")
    with pytest.raises(TypeError):
        identity_hash(number, secret="a str is not bytes, a str is not bytes")  # type: ignore[arg-type]


def test_identity_number_is_immutable():
    number = parse_identity_number(WOMAN, today=TODAY)
    with pytest.raises(AttributeError):
        number.birth_year = 1990  # type: ignore[misc]
    assert number == IdentityNumber(
        normalized=WOMAN,
        birth_date=date(1985, 3, 15),
        birth_year=1985,
        legal_gender="F",
        is_coordination_number=False,
    )
