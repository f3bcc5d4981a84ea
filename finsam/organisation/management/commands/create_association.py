"""Create an association and invite its first office user, for operators without a browser:

    python manage.py create_association --slug SLUG --name NAME --org-number NNNNNN-NNNN \
        --office-email ADDRESS [--county COUNTY] [--region NAME] [--municipality NAME …] \
        [--require-second-factor]

The state's members (Försäkringskassan, Arbetsförmedlingen) are added unless --no-state is given.
With the console mail backend the invitation link is printed as well.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils.text import slugify

from finsam.core.actors import SYSTEM
from finsam.organisation import people
from finsam.organisation.models import MemberKind
from finsam.organisation.validators import validate_org_number

STATE_MEMBERS = ["Försäkringskassan", "Arbetsförmedlingen"]


class Command(BaseCommand):
    help = "Creates an association with its members and invites its first office user by e-mail."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--org-number", required=True)
        parser.add_argument("--office-email", required=True)
        parser.add_argument("--county", default="")
        parser.add_argument("--region", action="append", default=[])
        parser.add_argument("--municipality", action="append", default=[])
        parser.add_argument("--no-state", action="store_true")
        parser.add_argument(
            "--require-second-factor",
            action="store_true",
            help="every user of the association must log in with a second factor",
        )

    def handle(self, *args, **o) -> None:
        if slugify(o["slug"]) != o["slug"]:
            raise CommandError("--slug: only lower-case letters, digits and hyphens, e.g. kramfors")
        try:
            validate_org_number(o["org_number"])
            validate_email(o["office_email"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        members = (
            ([] if o["no_state"] else [(n, MemberKind.STATE_AGENCY) for n in STATE_MEMBERS])
            + [(n, MemberKind.REGION) for n in o["region"]]
            + [(n, MemberKind.MUNICIPALITY) for n in o["municipality"]]
        )
        try:
            sent = people.association_onboard(
                by=SYSTEM,
                office_email=o["office_email"],
                name=o["name"],
                slug=o["slug"],
                org_number=o["org_number"],
                county=o["county"],
                members=members,
                require_second_factor=o["require_second_factor"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        association = sent.invitation.association
        self.stdout.write(
            self.style.SUCCESS(
                f"{association.name} ({association.slug}) skapat; inbjudan skickad till "
                f"{sent.invitation.email}."
            )
        )
        if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
            self.stdout.write(f"Inbjudningslänk (giltig en gång): {sent.link}")
