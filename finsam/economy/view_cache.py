"""Computed budget views kept per process for budgets the board has decided.

A decided (adopted or revised) budget's lines and amounts do not change, and deriving the
statements of a budget of tens of thousands of lines takes long: the home page, the budget pages
and the follow-up all need it. A view is kept under a key made of what it was computed from —
the budget's status, a fingerprint of its lines and amounts (one aggregate query), its columns,
the booked opening balances, the municipalities' keys and the language of its messages — so a
change that reaches the database through another process is never served stale. Any save or
delete of a budget, line, column or amount in this process empties the store as well. Drafts are
always computed afresh. The kept view must not be changed by its users (none does).

A kept view is some hundred thousand objects that live long; every full run of Python's cycle
collector would walk them again, which doubled the time of the pages that use them. So once a
view is computed, garbage is collected and what is alive is moved out of the collector's sight
(`gc.freeze`): it is still freed by reference counting when it is dropped.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.db.models import Count, Max, Sum
from django.db.models.functions import Length
from django.db.models.signals import post_delete, post_save
from django.utils import translation

KEEP = 6  # views kept per process (a 20 000-line budget's view is some tens of MB)

_views: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def fingerprint(budget) -> tuple:
    """What identifies the budget's content without reading it (one query each for lines and
    amounts)."""
    from finsam.economy.models import BudgetAmount, BudgetLine

    lines = BudgetLine.objects.filter(budget=budget).aggregate(
        n=Count("id"), top=Max("id"), order=Sum("sort_order"), text=Sum(Length("label"))
    )
    amounts = BudgetAmount.objects.filter(line__budget=budget).aggregate(
        n=Count("id"), top=Max("id"), total=Sum("amount"), steps=Sum("step")
    )
    return (
        budget.pk,
        budget.status,
        translation.get_language(),
        tuple(sorted(lines.items())),
        tuple(sorted(amounts.items())),
    )


def kept(key: Hashable, compute: Callable[[], object]):
    with _lock:
        view = _views.get(key)
        if view is not None:
            _views.move_to_end(key)
            return view
    view = compute()
    with _lock:
        _views[key] = view
        while len(_views) > KEEP:
            _views.popitem(last=False)
    gc.collect()
    gc.freeze()
    return view


def clear(**kwargs) -> None:
    with _lock:
        _views.clear()


def connect() -> None:
    from finsam.economy.models import Budget, BudgetAmount, BudgetColumn, BudgetLine

    for model in (Budget, BudgetLine, BudgetColumn, BudgetAmount):
        post_save.connect(clear, sender=model, dispatch_uid=f"view-cache-save-{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"view-cache-del-{model.__name__}")
