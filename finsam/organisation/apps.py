from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "finsam.organisation"
    label = "organisation"
    verbose_name = _("Association and organisation")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from finsam.accounts.signals import login_locked_out
        from finsam.organisation import login_audit

        user_login_failed.connect(login_audit.login_failed, dispatch_uid="finsam-login-failed")
        login_locked_out.connect(login_audit.login_locked_out, dispatch_uid="finsam-locked-out")
