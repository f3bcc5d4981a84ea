"""Factories and small builders for funding tests. Statuses are reached through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from finsam.core.actors import SYSTEM
from finsam.funding import services
from finsam.funding.models import Application, AssessmentCriterion, Call, Decision, Intervention
from finsam.organisation.models import Meeting, Role
from finsam.organisation.tests.factories import AssociationFactory, MeetingFactory, user_with_role

# Västra Mälardalen's criteria (verksamhetsplan 2021, "Individinsatser").
VM_CRITERIA = [
    "Stödjer visionen",
    "Samverkan/samordning",
    "Hälsa",
    "Arbetslivsfokus",
    "Delaktighet och bemötande",
]


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    association = factory.SubFactory(AssociationFactory)
    title = factory.Sequence(lambda n: f"Sökbara medel {n}")
    pot = Decimal("569000")
    opens_on = dt.date(2021, 1, 1)
    closes_on = dt.date(2021, 12, 31)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentCriterion

    association = factory.SubFactory(AssociationFactory)
    title = factory.Sequence(lambda n: f"Kriterium {n}")
    sort_order = factory.Sequence(lambda n: n)


def criteria_for(association, titles=VM_CRITERIA) -> list[AssessmentCriterion]:
    return [
        CriterionFactory(association=association, title=t, sort_order=i)
        for i, t in enumerate(titles)
    ]


def board_meeting(association, date=dt.date(2021, 3, 26)) -> Meeting:
    return MeetingFactory(association=association, date=date, kind=Meeting.Kind.BOARD)


def content(association, **overrides) -> services.ApplicationContent:
    """A complete application like STEGSAM's: individual, 16–29, three goals, budget 2022–2023."""
    members = list(association.members.all())
    fields = {
        "title": "STEGSAM – steg för steg genom att samverka",
        "background": "Aktivitetscoach och projektsamordnare för unga.",
        "target_group": "Ungdomar och unga vuxna som har hamnat i eller riskerar utanförskap.",
        "age_from": 16,
        "age_to": 29,
        "purpose": "Att stärka de ungas anställningsbarhet och möjlighet till egen försörjning.",
        "period_start": dt.date(2022, 1, 1),
        "period_end": dt.date(2023, 12, 31),
        "owner": "Kommunen via Bildningsförvaltningen",
        "responsible_manager": "Förvaltningschef Bildningsförvaltningen",
        "project_lead": "Enhetschef Arbetsmarknadsenheten (AME)",
        "reports_per_person": True,
        "evaluation_plan": "Uppföljning i SUS och enkät till deltagarna.",
        "steering_meetings_per_year": "3–4",
    }
    fields.update(overrides.pop("fields", {}))
    data = {
        "fields": fields,
        "applicants": [m for m in members if m.kind == "municipality"][:1],
        "kind_shares": {"individual": 100},
        "goals": [
            {"text": "Antal ärenden per år", "target_value": "≥ 30 ärenden per år"},
            {"text": "Nöjda deltagare", "target_value": "≥ 85 % nöjda deltagare"},
            {"text": "Stegförflyttning", "target_value": "1/3 gör stegförflyttning"},
        ],
        "budget_lines": [
            {
                "year": 2022,
                "cost_line": "Aktivitetscoach 100 %",
                "requested": Decimal("600000"),
                "own_financing": Decimal("100000"),
                "external_funding": Decimal("0"),
                "external_source": "",
            },
            {
                "year": 2023,
                "cost_line": "Aktivitetscoach 100 %",
                "requested": Decimal("350000"),
                "own_financing": Decimal("100000"),
                "external_funding": Decimal("50000"),
                "external_source": "ESF",
            },
        ],
        "steering_group": [
            {"name": "Anna Andersson", "member": members[0], "role": "Ledamot"},
            {"name": "", "member": None, "role": "Förbundets tjänsteperson"},
        ],
    }
    data.update(overrides)
    return services.ApplicationContent(**data)


def draft(association, by=SYSTEM, **overrides) -> Application:
    return services.application_create(
        association=association, content=content(association, **overrides), by=by
    )


def submitted(association, by=SYSTEM, **overrides) -> Application:
    application = draft(association, by=by, **overrides)
    return services.application_submit(application=application, by=by, today=dt.date(2021, 6, 1))


def assessed(association, office=None, **overrides) -> Application:
    office = office or user_with_role(association, Role.OFFICE)
    criteria = list(AssessmentCriterion.objects.filter(association=association, is_active=True))
    if not criteria:
        criteria = criteria_for(association)
    application = submitted(association, by=office, **overrides)
    services.assessment_set(
        application=application, scores={c.pk: (3, "") for c in criteria}, by=office
    )
    return services.application_mark_assessed(application=application, by=office)


def approved(
    association, office=None, amounts=None, meeting=None, paragraph="§ 12", **overrides
) -> Decision:
    office = office or user_with_role(association, Role.OFFICE)
    application = assessed(association, office=office, **overrides)
    return services.decision_record(
        application=application,
        meeting=meeting or board_meeting(association),
        paragraph=paragraph,
        outcome=Decision.Outcome.APPROVED,
        amounts=amounts or {2022: Decimal("600000"), 2023: Decimal("350000")},
        by=office,
    )


def member_org_user(association, member=None):
    """A member-organisation user who speaks for `member` (by default the municipality that
    `content` names as the applicant)."""
    from finsam.organisation.models import Membership

    member = member or association.members.filter(kind="municipality").first()
    user = user_with_role(association, Role.MEMBER_ORG)
    Membership.objects.filter(user=user, association=association).update(member=member)
    return user


def economist(association):
    """The association's economist (created on first use): approves what the office requested,
    since nobody approves a payment they requested themselves."""
    from finsam.accounts.models import User

    found = User.objects.filter(
        memberships__association=association, memberships__role=Role.ECONOMIST
    ).first()
    return found or user_with_role(association, Role.ECONOMIST)


def intervention(association, **kwargs) -> Intervention:
    """An imported intervention with one grant (Samkraft-like)."""
    grants = kwargs.pop("grants", [(2021, Decimal("600000"), "Verksamhetsplan 2021")])
    fields = {
        "title": "Samkraft",
        "period_start": dt.date(2021, 1, 1),
        "period_end": dt.date(2021, 12, 31),
        "owner": "Kramfors kommun via Bildningsförvaltningen",
        "target_group": "Individer 16–64 år",
    }
    fields.update(kwargs.pop("fields", {}))
    return services.intervention_import(
        association=association,
        by=SYSTEM,
        fields=fields,
        kind_shares=kwargs.pop("kind_shares", {"process_support": 50, "individual": 50}),
        grants=grants,
        **kwargs,
    )
