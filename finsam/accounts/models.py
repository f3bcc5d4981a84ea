from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. What they may do is decided per association by their memberships."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    OFFICE = "office", _("Office")
    ECONOMIST = "economist", _("Finance officer")
    BOARD = "board", _("Board member")
    AUDITOR = "auditor", _("Auditor")
    MEMBER_ORG = "member_org", _("Member organisation")
    STAFF = "staff", _("Intervention staff")
    # Sits in an advisory group (utvecklingsgrupp, beredningsgrupp) that helps the office assess
    # applications: reads submitted applications and scores them, nothing more.
    ADVISORY = "advisory", _("Advisory group")
    # The association's data-protection contact: reads and exports the log of who saw which
    # participant's data, and nothing else personal. Kept apart from the office (least
    # privilege): an office member reads the log only if also given this role.
    PRIVACY = "privacy", _("Data-protection contact")


class Membership(models.Model):
    """A user's role in one association. One person may hold several roles in several associations."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("association"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    member = models.ForeignKey(
        "organisation.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("member organisation"),
        help_text=_("For users who represent a member."),
    )

    class Meta:
        verbose_name = _("permission")
        verbose_name_plural = _("permissions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association", "role"], name="unique_role_per_user_and_association"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.association})"
