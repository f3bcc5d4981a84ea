from django.core.management.base import CommandError

from finsam.economy.models import Budget
from finsam.organisation.models import Association


def association_from(slug: str) -> Association:
    association = Association.objects.filter(slug=slug).first()
    if association is None:
        raise CommandError(f"Okänt förbund: {slug}")
    return association


def budget_for_year(association: Association, year: int) -> Budget:
    """The newest version of the budget for a budget year."""
    budget = association.budgets.filter(budget_year=year).order_by("-version").first()
    if budget is None:
        raise CommandError(f"{association.name} har ingen budget för {year}.")
    return budget
