"""The services enforce their own rules, whoever calls them: a view, a management command or an
import. Each rule is tested with a user it allows and a user it refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from finsam.accounts.models import Role
from finsam.core.audit import Event
from finsam.core.models import AuditEvent
from finsam.funding import services
from finsam.funding.models import Application, Payment
from finsam.funding.tests import factories as f
from finsam.organisation.tests.factories import user_with_role

D = Decimal
Status = Application.Status


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


def requisition(grant, by, amount="10000") -> Payment:
    return services.payment_request(grant=grant, amount=D(amount), date=dt.date(2021, 3, 1), by=by)


# --- ending an intervention rejects open requests one by one --------------------------------------


def test_ending_early_rejects_each_open_request_with_its_own_audited_transition(
    association, office
):
    intervention = f.approved(association, office=office).intervention
    later = intervention.grants.get(year=2023)
    staff = user_with_role(association, Role.STAFF)
    intervention.staff.add(staff)
    first = services.payment_request(
        grant=later, amount=D("40000"), date=dt.date(2023, 1, 31), by=staff
    )
    second = services.payment_request(
        grant=later, amount=D("25000"), date=dt.date(2023, 2, 28), by=staff
    )
    kept = services.payment_request(
        grant=intervention.grants.get(year=2022),
        amount=D("10000"),
        date=dt.date(2022, 8, 31),
        by=staff,
    )

    board = user_with_role(association, Role.BOARD)
    services.intervention_end(
        intervention=intervention,
        meeting=f.board_meeting(association, date=dt.date(2022, 9, 3)),
        paragraph="§ 30",
        ends_on=dt.date(2022, 12, 31),
        by=board,
    )

    for payment in (first, second):
        payment.refresh_from_db()
        assert (payment.status, payment.decided_by) == (Payment.Status.REJECTED, board)
    kept.refresh_from_db()
    assert kept.status == Payment.Status.REQUESTED  # 2022 is not withdrawn
    rows = AuditEvent.objects.filter(event=Event.PAYMENT_STATUS_CHANGED).order_by("target_id")
    assert [(r.target_id, r.actor, r.before, r.after) for r in rows] == [
        (str(p.pk), board, {"status": "requested"}, {"status": "rejected"})
        for p in sorted((first, second), key=lambda p: str(p.pk))
    ]
