"""Load the demo: the three seed associations, their members, contributions, board, meetings and
annual cycle, and one demo login per role. Idempotent: an association that already exists is left
as it is, so running `make run` twice neither duplicates nor overwrites anything.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from finsam.accounts.models import User
from finsam.core.actors import SYSTEM
from finsam.demo.board_pack import load_board_pack_demo
from finsam.demo.booked_years import load_booked_year_demo
from finsam.demo.economy import link_demo_budget, load_economy_demo, load_ledger_demo
from finsam.demo.funding import load_funding_demo
from finsam.demo.goals import load_goals_demo
from finsam.demo.indicators import load_indicators_demo
from finsam.demo.organisation_data import ASSOCIATIONS, DEFAULT_CYCLE
from finsam.demo.participants import load_participants_demo
from finsam.organisation import services
from finsam.organisation.models import AdvisoryGroup, Association, Membership, Role

DEMO_PASSWORD = "finsam-demo"
# The demo's authenticator-app key (base32): the users whose role requires a second factor log in
# with a code computed from it (`make run` prints it; any TOTP app, or `oathtool --totp -b KEY`).
# Public, like the password: demo data only.
DEMO_TOTP_SECRET = "FINSAMDEMOTOTPKEYFINSAMDEMOTOTPK"
# The installation administrator of the demo: creates associations (/installation/).
DEMO_INSTALLATION_ADMIN = ("installation", "Ines Installation")

# username -> (full name, {slug: role})
DEMO_USERS: dict[str, tuple[str, dict[str, Role]]] = {
    "kansli": ("Karin Kansli", {a["slug"]: Role.OFFICE for a in ASSOCIATIONS}),
    "ekonom": ("Erik Ekonom", {a["slug"]: Role.ECONOMIST for a in ASSOCIATIONS}),
    "styrelse": ("Stina Styrelse", {"kramfors": Role.BOARD, "vastra-malardalen": Role.BOARD}),
    "revisor": ("Rolf Revisor", {a["slug"]: Role.AUDITOR for a in ASSOCIATIONS}),
    "medlem": ("Maja Medlem", {"kramfors": Role.MEMBER_ORG}),
    "insats": ("Ingrid Insats", {"kramfors": Role.STAFF}),
    # Staff of Norra Västmanland's four samordningsteam, whose demo participants it can open.
    "team": ("Tove Team", {"norra-vastmanland": Role.STAFF}),
    # Västra Mälardalen's utvecklingsgrupp supports the assessment of applications (its criteria
    # and call are in the demo).
    "beredning": ("Bengt Beredning", {"vastra-malardalen": Role.ADVISORY}),
    # The data-protection contact reads the log of who saw which participant's data; the office
    # does not (least privilege).
    "dataskydd": ("Dora Dataskydd", {a["slug"]: Role.PRIVACY for a in ASSOCIATIONS}),
    "flera": (
        "Frida Flerroll",
        {
            "kramfors": Role.OFFICE,
            "vastra-malardalen": Role.BOARD,
            "norra-vastmanland": Role.AUDITOR,
        },
    ),
}


class Command(BaseCommand):
    help = "Loads the demo associations and demo logins (safe to run again)."

    def handle(self, *args, **options) -> None:
        for data in ASSOCIATIONS:
            if Association.objects.filter(slug=data["slug"]).exists():
                self.stdout.write(f"  {data['name']}: finns redan, lämnas orörd")
                continue
            with transaction.atomic():
                _load_association(data)
            self.stdout.write(self.style.SUCCESS(f"  {data['name']}: inläst"))
        _load_users()  # before the interventions: they give demo staff access
        for association in Association.objects.filter(slug__in=[a["slug"] for a in ASSOCIATIONS]):
            with transaction.atomic():
                if load_economy_demo(association):
                    self.stdout.write(self.style.SUCCESS(f"  {association.name}: budget inläst"))
                if load_funding_demo(association):
                    self.stdout.write(self.style.SUCCESS(f"  {association.name}: insatser inlästa"))
                    link_demo_budget(association)
                if load_participants_demo(association):
                    self.stdout.write(
                        self.style.SUCCESS(f"  {association.name}: fiktiva deltagare inlästa")
                    )
                if load_goals_demo(association):
                    self.stdout.write(
                        self.style.SUCCESS(
                            f"  {association.name}: mål, aktiviteter och internkontroll"
                        )
                    )
                if load_indicators_demo(association):
                    self.stdout.write(
                        self.style.SUCCESS(f"  {association.name}: indikatorenkäter (demo)")
                    )
                if load_ledger_demo(association):
                    self.stdout.write(
                        self.style.SUCCESS(
                            f"  {association.name}: bokföring jan–jun 2021 inläst (SIE)"
                        )
                    )
                if load_booked_year_demo(association):
                    self.stdout.write(
                        self.style.SUCCESS(f"  {association.name}: ett bokslutsår inläst (SIE)")
                    )
                if load_board_pack_demo(association):
                    self.stdout.write(
                        self.style.SUCCESS(f"  {association.name}: nästa styrelsemötes ärenden")
                    )
        _load_installation_admin()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@localhost", DEMO_PASSWORD)
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD})")
        )
        for username, (name, roles) in DEMO_USERS.items():
            described = ", ".join(f"{Role(r).label} i {slug}" for slug, r in roles.items())
            self.stdout.write(f"  {username:<9} {name:<16} {described}")
        username, name = DEMO_INSTALLATION_ADMIN
        self.stdout.write(
            f"  {username:<9} {name:<16} installationsadministratör: skapar förbund (/installation/)"
        )
        self.stdout.write(f"  {'admin':<9} {'Superuser':<16} bara Django-admin (/admin/)")
        needing = ", ".join(u for u in [*DEMO_USERS, username] if _needs_second_factor(u))
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                f"Tvåstegsverifiering för {needing}: nyckel för autentiseringsapp {DEMO_TOTP_SECRET}"
            )
        )
        self.stdout.write(f"  (t.ex. oathtool --totp -b {DEMO_TOTP_SECRET})")


def _load_association(data: dict) -> Association:
    association = Association.objects.create(
        slug=data["slug"],
        name=data["name"],
        founded_year=data["founded_year"],
        founded_month=data["founded_month"],
        vision=data["vision"],
        description=data["description"],
        director_name=data["director_name"],
        director_title=data["director_title"],
        office_note=data["office_note"],
        board_size_note=data["board_size_note"],
    )
    members = {}
    for order, (name, kind, key) in enumerate(data["members"], start=1):
        members[name] = services.member_create(
            association=association, by=SYSTEM, name=name, kind=kind, key=key, sort_order=order
        )
    member_list = list(members.values())
    for year, total, is_estimate, note in data["contributions"]:
        proposal = services.contributions_propose(members=member_list, total=total)
        services.contributions_set(
            association=association,
            year=year,
            by=SYSTEM,
            amounts={p.member.pk: p.amount for p in proposal},
            is_estimate=is_estimate,
            note=note,
        )
    for member_name, kind, holder, position, (start, end) in data["seats"]:
        services.board_seat_create(
            association=association,
            by=SYSTEM,
            member=members[member_name],
            kind=kind,
            holder_name=holder,
            position=position,
            mandate_start=start,
            mandate_end=end,
        )
    for group in data["groups"]:
        AdvisoryGroup.objects.create(association=association, **group)
    for kind, title, month, description in DEFAULT_CYCLE:
        services.cycle_item_create(
            association=association,
            by=SYSTEM,
            kind=kind,
            title=title,
            month=month,
            description=description,
        )
    for date, start, end, place, kind, agenda, notes in data["meetings"]:
        services.meeting_create(
            association=association,
            by=SYSTEM,
            date=date,
            start_time=start,
            end_time=end,
            place=place,
            kind=kind,
            notes=notes,
            agenda=agenda,
        )
    return association


def _needs_second_factor(username: str) -> bool:
    from finsam.organisation.second_factor import second_factor_required

    user = User.objects.filter(username=username).first()
    return user is not None and second_factor_required(user)


def _give_demo_second_factor(user: User) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


def _load_installation_admin() -> None:
    username, full_name = DEMO_INSTALLATION_ADMIN
    first, last = full_name.split(" ", 1)
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "is_installation_admin": True},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    _give_demo_second_factor(user)


def _load_users() -> None:
    for username, (full_name, roles) in DEMO_USERS.items():
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for slug, role in roles.items():
            association = Association.objects.get(slug=slug)
            # A member-organisation user speaks for one member: the demo's for the municipality.
            member = (
                association.members.filter(kind="municipality").first()
                if role == Role.MEMBER_ORG
                else None
            )
            Membership.objects.get_or_create(
                user=user, association=association, role=role, defaults={"member": member}
            )
        if _needs_second_factor(username):
            _give_demo_second_factor(user)
