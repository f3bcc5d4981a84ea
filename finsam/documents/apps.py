from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "finsam.documents"
    label = "documents"
    verbose_name = "Finsam documents the board adopts"
