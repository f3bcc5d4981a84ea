import pytest

from finsam.core.actors import SYSTEM, is_system, require_actor, user_or_none
from finsam.organisation.tests.factories import UserFactory


def test_no_actor_is_a_programming_error():
    with pytest.raises(TypeError):
        require_actor(None)
    with pytest.raises(TypeError):
        user_or_none(None)


def test_the_system_is_stored_as_nobody_and_named_system():
    assert is_system(SYSTEM)
    assert user_or_none(SYSTEM) is None
    assert str(SYSTEM) == "system"


@pytest.mark.django_db
def test_a_person_is_stored_as_themselves():
    user = UserFactory()
    assert user_or_none(user) == user
    assert not is_system(user)
