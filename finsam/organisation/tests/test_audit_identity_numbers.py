import pytest

from finsam.core.actors import SYSTEM
from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent


@pytest.mark.django_db
def test_the_audit_log_never_stores_an_identity_number_in_clear(association):
    member = association.members.first()
    member.name = "Kommun 900101-0017"
    audit.record(
        event=Event.MEMBER_UPDATED,
        actor=SYSTEM,
        target=member,
        before={"name": "Gamla 19900101-0017"},
        after={"name": member.name, "list": ["9001010017"]},
    )
    row = AuditEvent.objects.get(event=Event.MEMBER_UPDATED)
    stored = f"{row.target_repr} {row.before} {row.after}"
    assert "0017" not in stored and "ÅÅMMDD-XXXX" in stored


def test_with_changes_applies_only_the_allowed_fields_to_a_copy(association):
    from finsam.organisation.audit import with_changes

    member = association.members.first()
    name = member.name
    copy = with_changes(member, {"name": "Ny", "key": "9"}, ["name"])
    assert (copy.name, member.name) == ("Ny", name)
    assert copy.key == member.key
