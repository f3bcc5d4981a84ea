from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "finsam.oversight"
    label = "oversight"
    verbose_name = "Finsam oversight"
