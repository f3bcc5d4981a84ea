from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "finsam.publishing"
    label = "publishing"
    verbose_name = "Finsam public catalogue, results and open API"
