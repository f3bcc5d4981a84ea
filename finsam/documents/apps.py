import importlib
import pkgutil

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "finsam.documents"
    label = "documents"
    verbose_name = "Finsam documents the board adopts"

    def ready(self) -> None:
        from finsam.documents import kinds

        for module in pkgutil.iter_modules(kinds.__path__):
            importlib.import_module(f"{kinds.__name__}.{module.name}")
