"""Budget pages with a very large budget: `python -m bench --suite budget [--budget-lines N]`.

An association gets an adopted budget of N lines (default 20 000) shaped as the real ones are:
income, operating and intervention costs in sections with section totals, the result, the
balance budget's equity lines, four columns (last year's forecast, the budget year, two plan
years), accounts on the cost lines, and a ledger for the year (imported from a generated SIE file)
booked on the lines' accounts (the budget's account column maps them). Then the home page,
the budget list, the budget page, its lines, its amounts, the follow-up and the budget check (the
discrepancies and rules on the budget page) are each requested repeatedly through Django's test
client in this one process: p50 and p95 in ms, the number of SQL queries, and whether p95 is under
the 300 ms target. Runs in a child process of its own (Django set up there); on the configured
database (SQLite file by default, PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-budget"
YEAR = dt.date.today().year  # the home page shows the current year's budget
TARGET_MS = 300


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("budget suite")
    group.add_argument("--budget-lines", type=int, default=20_000)
    group.add_argument("--budget-requests", type=int, default=20)


def run(args: argparse.Namespace) -> None:
    """Parent: run the child, print its table."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.budget",
            str(args.budget_lines),
            str(args.budget_requests),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.exit(out.stderr)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    print(
        f"Budget pages benchmark on {database}: {result['lines']:,} budget lines, "
        f"{result['transactions']:,} ledger rows (set up in {result['setup_s']} s)"
    )
    for page in result["pages"]:
        verdict = "ok" if page["p95_ms"] < TARGET_MS else f"OVER {TARGET_MS} ms"
        print(
            f"  {page['name']:<12} p50 {page['p50_ms']:>5} ms, p95 {page['p95_ms']:>5} ms, "
            f"{page['queries']:>3} queries, {page['kb']:>5} kB  {verdict}"
        )


def budget_spec(n: int) -> dict:
    """A budget of about `n` lines in the shape of the demo's, with totals that add up."""
    from finsam.economy.models import Role, Section

    columns = [
        (YEAR - 1, "forecast", f"Prognos {YEAR - 1}"),
        (YEAR, "budget", f"Budget {YEAR}"),
        (YEAR + 1, "plan", f"Plan {YEAR + 1}"),
        (YEAR + 2, "plan", f"Plan {YEAR + 2}"),
    ]
    items = max(n - 12, 6)
    income_items = max(items // 50, 2)
    cost_items = items - income_items
    lines = []

    def values(i: int, scale: int) -> list[Decimal]:
        base = Decimal(1000 + (i * 7919) % 90_000)
        return [base * scale + k * 100 for k in range(len(columns))]

    def section(section: str, count: int, start: int, label: str, *, account) -> list:
        rows = []
        for i in range(start, start + count):
            opts = {"account": account(i)} if account else {}
            rows.append(("result", section, Role.ITEM, f"{label} {i + 1}", values(i, 1), opts))
        total = [sum(r[4][k] for r in rows) for k in range(len(columns))]
        return rows, total

    income, income_sum = section(
        Section.INCOME,
        income_items,
        0,
        "Medlemsbidrag",
        account=lambda i: f"3{i:04d}",
    )
    # Income must cover the costs for the result to be near zero: scale income up.
    operating, operating_sum = section(
        Section.OPERATING_COST,
        cost_items // 2,
        0,
        "Verksamhetskostnad",
        account=lambda i: f"5{i:05d}",
    )
    interventions, intervention_sum = section(
        Section.INTERVENTION_COST,
        cost_items - cost_items // 2,
        0,
        "Insats",
        account=lambda i: f"4{i:05d}",
    )
    costs = [a + b for a, b in zip(operating_sum, intervention_sum, strict=True)]
    factor = [c / i for c, i in zip(costs, income_sum, strict=True)]
    income = [
        (*r[:4], [(v * f).quantize(Decimal(1)) for v, f in zip(r[4], factor, strict=True)], r[5])
        for r in income
    ]
    income_sum = [sum(r[4][k] for r in income) for k in range(len(columns))]
    result = [i - c for i, c in zip(income_sum, costs, strict=True)]
    equity_opening = [Decimal(2_000_000)] * len(columns)
    lines += income
    lines.append(("result", Section.INCOME, Role.SECTION_TOTAL, "Summa intäkter", income_sum, {}))
    lines += operating
    lines.append(
        (
            "result",
            Section.OPERATING_COST,
            Role.SECTION_TOTAL,
            "Summa verksamhet",
            operating_sum,
            {},
        )
    )
    lines += interventions
    lines.append(
        (
            "result",
            Section.INTERVENTION_COST,
            Role.SECTION_TOTAL,
            "Summa insatser",
            intervention_sum,
            {},
        )
    )
    lines.append(("result", "", Role.COST_TOTAL, "Summa kostnader", costs, {}))
    lines.append(("result", "", Role.RESULT, "Årets resultat", result, {"account": "8999"}))
    lines.append(("balance", "", Role.EQUITY_OPENING, "Eget kapital IB", equity_opening, {}))
    lines.append(("balance", "", Role.EQUITY_RESULT, "Årets resultat", result, {}))
    closing = [o + r for o, r in zip(equity_opening, result, strict=True)]
    lines.append(("balance", "", Role.EQUITY_CLOSING, "Eget kapital UB", closing, {}))
    return {
        "title": f"Verksamhetsplan och budget {YEAR}",
        "budget_year": YEAR,
        "status": "adopted",
        "decision_ref": "Styrelsen (benchmark)",
        "printed_unit": "kr",
        "columns": columns,
        "lines": lines,
    }


def sie_file(path: Path, transactions: int, spec: dict) -> None:
    """A year's ledger booked on the budget lines' accounts (each line has its own, as the
    budget's account column maps them), half a year of vouchers against the bank."""
    import random

    from finsam.economy.sie import Account, FiscalYear, Transaction, Voucher, write_sie

    rng = random.Random(7)
    numbers = [
        o["account"] for *_, o in spec["lines"] if o.get("account", "")[:1] in ("3", "4", "5")
    ]
    accounts = [Account("1930", "Bank")] + [Account(n, f"Konto {n}") for n in numbers]
    income = [n for n in numbers if n.startswith("3")]
    costs = [n for n in numbers if not n.startswith("3")]

    def vouchers():
        for v in range(transactions // 2):
            amount = Decimal(rng.randrange(100, 500_000)) / 100
            date = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(0, 180))
            account = rng.choice(costs) if v % 10 else rng.choice(income)
            sign = 1 if v % 10 else -1
            yield Voucher(
                "A",
                str(v + 1),
                date,
                "Bench",
                transactions=(
                    Transaction(account, (), sign * amount),
                    Transaction("1930", (), -sign * amount),
                ),
            )

    with path.open("wb") as fp:
        write_sie(
            fp,
            company="Budgetförbundet",
            fiscal_years=[FiscalYear(0, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))],
            accounts=accounts,
            vouchers=vouchers(),
        )


def _percentile(sorted_ms: list[float], q: float) -> int:
    return round(sorted_ms[min(len(sorted_ms) - 1, max(0, int(len(sorted_ms) * q + 0.5) - 1))])


def child(n: int, requests: int) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    import tempfile

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from finsam.accounts.models import User
    from finsam.core.actors import SYSTEM
    from finsam.economy import ledger, services
    from finsam.organisation.models import Association, AuditEvent, Membership, Role

    def clear() -> None:
        AuditEvent.objects.filter(association__slug=SLUG).delete()
        Association.objects.filter(slug=SLUG).delete()

    call_command("migrate", verbosity=0)
    clear()
    t0 = time.perf_counter()
    association = Association.objects.create(slug=SLUG, name="Budgetförbundet (benchmark)")
    spec = budget_spec(n)
    with transaction.atomic():
        budget = services.budget_create(association=association, spec=spec, by=SYSTEM)
    transactions = max(n * 5, 10_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.se"
        sie_file(path, transactions, spec)
        with path.open("rb") as fp:
            ledger.sie_import(association=association, fp=fp, file_name="ledger.se", by=SYSTEM)
    setup_s = round(time.perf_counter() - t0, 1)
    user, _ = User.objects.get_or_create(username="bench-budget-economist")
    Membership.objects.get_or_create(user=user, association=association, role=Role.ECONOMIST)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    base = f"/f/{SLUG}/budget/"
    pages = [
        ("start", "/"),  # the association picker (it sends a single membership on)
        ("home", f"/f/{SLUG}/"),
        ("budgets", base),
        ("budget", f"{base}{budget.pk}/"),
        ("lines", f"{base}{budget.pk}/rader/"),
        ("amounts", f"{base}{budget.pk}/belopp/"),
        ("follow-up", f"{base}uppfoljning/?datum={YEAR}-06-30"),
    ]
    results = []
    for name, url in pages:
        queries = []  # counted by a wrapper: each request resets Django's query log
        with connection.execute_wrapper(lambda run, *a, q=queries: q.append(1) or run(*a)):
            response = client.get(url)  # warm-up, not timed
        assert response.status_code in (200, 302), (url, response.status_code)
        timings = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        results.append(
            {
                "name": name,
                "url": url,
                "p50_ms": _percentile(timings, 0.5),
                "p95_ms": _percentile(timings, 0.95),
                "queries": len(queries),
                "kb": round(len(response.content) / 1024),
            }
        )
    if not os.environ.get("BENCH_KEEP"):
        clear()
    print(
        json.dumps({"lines": n, "transactions": transactions, "setup_s": setup_s, "pages": results})
    )


if __name__ == "__main__":
    child(int(sys.argv[1]), int(sys.argv[2]))
