import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam.core.identity_numbers import MASK, contains_identity_number, mask_identity_numbers

VALID = [
    "19900101-0017",
    "900101-0017",
    "9001010017",
    "199001010017",
    "900101+0017",
    "19900101 0017",
    "900101 - 0017",
    "9001610014",  # samordningsnummer: day 01 + 60
]
NOT = [
    "222000-1234",  # organisation number: month 20
    "900101-0018",  # wrong check digit
    "070-123 45 67",  # a phone number as people write it
    "2027-01-15",
    "1 234 567 kr",
    "Dnr 2021-0345",
]


@pytest.mark.parametrize("text", VALID)
def test_every_common_spelling_is_found_inside_text(text):
    assert contains_identity_number(f"Deltagaren {text} ska kontaktas")


@pytest.mark.parametrize("text", NOT)
def test_other_numbers_are_not_taken_for_one(text):
    assert not contains_identity_number(f"Ärende {text} i text")


def test_masking_keeps_the_rest_of_the_text_and_walks_structures():
    masked = mask_identity_numbers(
        {"note": "Ring om 900101-0017 idag", "n": 3, "l": ["9001010017"]}
    )
    assert masked == {"note": f"Ring om {MASK} idag", "n": 3, "l": [MASK]}


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",))))
def test_text_without_digits_is_never_refused(text):
    assert not contains_identity_number(text)


def test_a_form_refuses_an_identity_number_at_the_field_and_says_where_it_belongs():
    from django import forms as django_forms

    from finsam.core.forms import Form

    class NoteForm(Form):
        title = django_forms.CharField()
        note = django_forms.CharField(required=False)
        secret = django_forms.CharField(widget=django_forms.PasswordInput, required=False)

    form = NoteForm({"title": "Möte", "note": "Gäller 19900101-0017", "secret": "9001010017"})
    assert not form.is_valid()
    assert list(form.errors) == ["note"]
    assert "deltagarregistret" in form.errors["note"][0]
    assert NoteForm({"title": "Möte", "note": "Dnr 2021-0345"}).is_valid()


@pytest.mark.django_db
def test_the_command_reports_where_a_number_is_stored_never_the_number(association):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("find_identity_numbers", stdout=out)
    assert "Inga personnummer" in out.getvalue()
    association.description = "Kontakt: 19900101-0017"
    association.save(update_fields=["description"])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("find_identity_numbers", stdout=out)
    assert f"organisation.Association id={association.pk} field=description" in out.getvalue()
    assert "0017" not in out.getvalue()
