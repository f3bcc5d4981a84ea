"""Field settings the funding models share."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator

MONEY = {"max_digits": 14, "decimal_places": 2}


YEAR_VALIDATORS = [MinValueValidator(2004), MaxValueValidator(2100)]
