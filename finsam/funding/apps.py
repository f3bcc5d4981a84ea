from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _agenda_matters(*, user, association, meeting) -> dict:
    """The board's decisions and the applications on a meeting's agenda, for the meeting page
    (finsam.organisation.agenda), to users who may read funding."""
    from finsam.funding.selectors import agenda_matters
    from finsam.organisation.access import can

    if not can(user, association, "funding.view"):
        return {}
    return agenda_matters(user=user, association=association, meeting=meeting)


class FundingConfig(AppConfig):
    name = "finsam.funding"
    label = "funding"
    verbose_name = _("Applications and interventions")

    def ready(self) -> None:
        from finsam.organisation import agenda

        agenda.register_source(_agenda_matters)
