from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. What they may do is decided per association by their memberships."""

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    OFFICE = "office", _("Kansli")
    ECONOMIST = "economist", _("Ekonom")
    BOARD = "board", _("Styrelseledamot")
    AUDITOR = "auditor", _("Revisor")
    MEMBER_ORG = "member_org", _("Medlemsorganisation")
    STAFF = "staff", _("Insatspersonal")
    # Sits in an advisory group (utvecklingsgrupp, beredningsgrupp) that helps the office assess
    # applications: reads submitted applications and scores them, nothing more.
    ADVISORY = "advisory", _("Beredningsgrupp")
    # The association's data-protection contact: reads and exports the log of who saw which
    # participant's data, and nothing else personal. Kept apart from the office (least
    # privilege): an office member reads the log only if also given this role.
    PRIVACY = "privacy", _("Dataskyddskontakt")


class Membership(models.Model):
    """A user's role in one association. One person may hold several roles in several associations."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("användare")
    )
    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("förbund"),
    )
    role = models.CharField(_("roll"), max_length=16, choices=Role.choices)
    member = models.ForeignKey(
        "organisation.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("medlemsorganisation"),
        help_text=_("För användare som företräder en medlem."),
    )

    class Meta:
        verbose_name = _("behörighet")
        verbose_name_plural = _("behörigheter")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association", "role"], name="unique_role_per_user_and_association"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.association})"
