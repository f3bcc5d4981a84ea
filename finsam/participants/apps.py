from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "finsam.participants"
    label = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        from finsam.funding import summary
        from finsam.participants.summary import intervention_panels

        summary.register_source(intervention_panels)
