from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "finsam.indicators"
    label = "indicators"
    verbose_name = "Finsam indicator surveys"
