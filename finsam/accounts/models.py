from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. What they may do is decided per association by their memberships."""

    # Runs an installation that hosts several associations: creates associations and invites
    # their first office user. Not the Django superuser (who only uses /admin/).
    is_installation_admin = models.BooleanField(
        _("installation administrator"),
        default=False,
        help_text=_("Creates associations and invites their first office user."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
