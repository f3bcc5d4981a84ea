from django.core.management.base import CommandError
from django.http import Http404

from finsam.economy.models import Budget
from finsam.economy.selectors import BudgetChoice, counting_budget
from finsam.organisation.models import Association


def association_from(slug: str) -> Association:
    association = Association.objects.filter(slug=slug).first()
    if association is None:
        raise CommandError(f"Okänt förbund: {slug}")
    return association


def add_budget_arguments(parser) -> None:
    parser.add_argument("--association", required=True, help="förbundets kortnamn (slug)")
    parser.add_argument("--year", type=int, help="budgetår (standard: den valda budgetens år)")
    parser.add_argument(
        "--budget",
        type=int,
        metavar="ID",
        help="en annan budget än den styrelsen antagit för året (budgetens id)",
    )


def budget_from(
    association: Association, year: int | None, budget_id: int | None
) -> tuple[BudgetChoice, Budget]:
    """The budget the board adopted for the year, unless --budget chooses another; the newest
    draft, with a note on stderr, when only drafts exist."""
    if year is None and budget_id is None:
        raise CommandError("Ange --year ÅR eller --budget ID.")
    try:
        choice = counting_budget(association.budgets.all(), year=year, pk=budget_id)
    except Http404:
        raise CommandError(f"{association.name} har ingen budget med id {budget_id}.") from None
    if choice.budget is None:
        raise CommandError(f"{association.name} har ingen budget för {year}.")
    return choice, choice.budget


def choice_note(choice) -> str:
    if choice.only_drafts:
        return (
            f"OBS: styrelsen har inte antagit någon budget för {choice.year}; "
            f"det senaste utkastet används ({choice.budget})."
        )
    return ""
