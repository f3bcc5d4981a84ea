from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "finsam.economy"
    label = "economy"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from finsam.economy import view_cache
        from finsam.economy.summary import intervention_panels
        from finsam.funding import summary

        summary.register_source(intervention_panels)
        view_cache.connect()
