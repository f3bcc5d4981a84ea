from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "finsam.dashboard"
    label = "dashboard"
    verbose_name = "Finsam dashboard"
