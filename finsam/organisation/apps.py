from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "finsam.organisation"
    label = "organisation"
    verbose_name = _("Association and organisation")
