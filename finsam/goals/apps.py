from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "finsam.goals"
    label = "goals"
    verbose_name = "Finsam goals, activities and internal control"
