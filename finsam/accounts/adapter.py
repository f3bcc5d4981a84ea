"""django-allauth's account adapter for Finsam: no self-service signup, Swedish messages,
lockouts announced so that the audit trail records them."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.accounts.signals import login_locked_out


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _(
            "Incorrect username or password. Check the spelling and try again (the password is "
            "case-sensitive)."
        ),
        "too_many_login_attempts": _(
            "Too many failed login attempts: logging in is blocked for 15 minutes. Wait and try "
            "again, or reset your password by e-mail."
        ),
    }

    def is_open_for_signup(self, request) -> bool:
        # People are invited by the office or the installation administrator.
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            login_locked_out.send(
                sender=type(self), request=request, login=credentials.get("username", "")
            )
            raise
