from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """allauth's login form with Finsam's labels and messages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Username")
        # The id of the former hand-written form: links, journeys and assistive technology that
        # point at it keep working.
        login.widget.attrs.update({"id": "id_username", "placeholder": "", "autofocus": True})
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs["placeholder"] = ""
        self.fields["password"].help_text = ""
