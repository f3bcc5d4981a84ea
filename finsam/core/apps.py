from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "finsam.core"
    label = "core"
    verbose_name = "Finsam core"

    def ready(self) -> None:
        from django import forms

        from finsam.core.forms import validate_plausible_date

        # Every form date in every app: years outside 1900-2100 are refused at the field.
        for field in (forms.DateField, forms.DateTimeField):
            field.default_validators = [*field.default_validators, validate_plausible_date]
