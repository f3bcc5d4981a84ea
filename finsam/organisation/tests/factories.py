import datetime as dt
from decimal import Decimal

import factory

from finsam.accounts.models import User
from finsam.organisation.models import (
    AnnualCycleItem,
    Association,
    BoardSeat,
    Meeting,
    Member,
    MemberKind,
    Membership,
    Role,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare {n}")
    password = factory.PostGenerationMethodCall("set_password", "hemligt-lösen-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Samordningsförbundet Test {n}")
    slug = factory.Sequence(lambda n: f"test-{n}")
    vision = "Människor i utanförskap till hälsa och arbete."


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Medlem {n}")
    kind = MemberKind.MUNICIPALITY
    key = Decimal("1")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    association = factory.SubFactory(AssociationFactory)
    role = Role.OFFICE


class BoardSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardSeat

    association = factory.SubFactory(AssociationFactory)
    member = factory.SubFactory(MemberFactory, association=factory.SelfAttribute("..association"))
    kind = BoardSeat.Kind.REGULAR
    holder_name = factory.Sequence(lambda n: f"Ledamot {n}")
    mandate_start = dt.date(2019, 4, 1)
    mandate_end = dt.date(2023, 3, 31)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    association = factory.SubFactory(AssociationFactory)
    kind = Meeting.Kind.BOARD
    date = dt.date(2021, 3, 26)
    start_time = dt.time(9, 0)
    end_time = dt.time(12, 0)
    place = "AME Folkets park Kramfors"


class CycleItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualCycleItem

    association = factory.SubFactory(AssociationFactory)
    kind = AnnualCycleItem.Kind.BUDGET
    title = "Verksamhetsplan och budget"
    month = 11


def association_with_members(
    *, municipalities: dict[str, str] | None = None, **kwargs
) -> Association:
    """An association with Försäkringskassan, Arbetsförmedlingen, a region and municipalities.

    `municipalities` maps name -> key; the state pays through Försäkringskassan (AF key 0).
    """
    association = AssociationFactory(**kwargs)
    MemberFactory(
        association=association,
        name="Försäkringskassan",
        kind=MemberKind.STATE_AGENCY,
        key=1,
        sort_order=1,
    )
    MemberFactory(
        association=association,
        name="Arbetsförmedlingen",
        kind=MemberKind.STATE_AGENCY,
        key=0,
        sort_order=2,
    )
    MemberFactory(
        association=association, name="Region Testland", kind=MemberKind.REGION, key=1, sort_order=3
    )
    for i, (name, key) in enumerate((municipalities or {"Testköping kommun": "1"}).items()):
        MemberFactory(
            association=association,
            name=name,
            kind=MemberKind.MUNICIPALITY,
            key=Decimal(key),
            sort_order=10 + i,
        )
    return association


# Base32, as authenticator apps read it. Tests compute codes from it with `totp_code`.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_second_factor(user: User, secret: str = TEST_TOTP_SECRET) -> User:
    """Give `user` an authenticator app (allauth's TOTP) with a known secret, once."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    return user


def totp_code(secret: str = TEST_TOTP_SECRET, at: dt.datetime | None = None) -> str:
    """The six-digit code an authenticator app shows now (or `at`), by allauth's own helper."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    moment = (at or dt.datetime.now(dt.UTC)).timestamp()
    return format_hotp_value(hotp_value(secret, int(moment) // 30))


def user_with_role(association: Association, role: Role, **kwargs) -> User:
    """A user with `role` in `association`; a role that reads participant data comes with the
    second factor it requires (finsam.organisation.second_factor), as in real life."""
    from finsam.organisation.access import SECOND_FACTOR_ROLES

    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, association=association, role=role)
    if role in SECOND_FACTOR_ROLES:
        with_second_factor(user)
    return user
