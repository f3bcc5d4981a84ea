from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "finsam.insights"
    label = "insights"
    verbose_name = "Finsam comparisons, national shapes and report builder"
