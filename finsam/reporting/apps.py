from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "finsam.reporting"
    label = "reporting"
    verbose_name = "Finsam reporting"
