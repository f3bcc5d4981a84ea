"""Benchmarks: `make bench` (or `python -m bench [--suite sie|participants|load|documents|all] [--sizes ...]`).

SIE import: a generated SIE 4E file with N #TRANS lines is imported into the configured database
in a child process per run, so that peak memory (ru_maxrss) belongs to that import alone. Then the
follow-up page for the year is timed (p50/p95 over repeated requests). Import speed is also given
as a ratio to a split-only pass over the same file, timed in the same run (noise-proof). Run it once on SQLite and
once with DATABASE_URL pointing at PostgreSQL; `make bench` does both.

Participant register (bench/participants.py, PostgreSQL only): national-scale generated data,
then the intervention page and the statistics page are timed. See that module for its options.

Budget pages (bench/budget.py): a 20 000-line adopted budget with a ledger; the home page, the
budget pages and the follow-up are timed (p95 target 300 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import budget, documents, load, participants, public
from finsam.core.actors import SYSTEM

ROOT = Path(__file__).resolve().parent.parent


def write_file(n: int, path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    import datetime as dt

    from finsam.economy.sie import FiscalYear, write_sie
    from finsam.economy.sie.writer import DEMO_ACCOUNTS, generate_vouchers

    with path.open("wb") as fp:
        write_sie(
            fp,
            company="Benchmarkförbundet",
            fiscal_years=[FiscalYear(0, dt.date(2024, 1, 1), dt.date(2024, 12, 31))],
            accounts=DEMO_ACCOUNTS,
            vouchers=generate_vouchers(n, seed=1),
        )


_TRANS_FIELDS = re.compile(r'\s*#TRANS\s+(\S+)\s+\{([^}]*)\}\s+(\S+)(?:\s+(\S*))?(?:\s+"([^"]*)")?')


def split_pass(path: Path) -> tuple[int, float]:
    """The yardstick for the import's speed: read the same file and split each #TRANS line into
    its fields, nothing else. Returns (rows, seconds); timed in the same run as the import so that
    the ratio holds on a noisy machine."""
    start = time.perf_counter()
    rows = 0
    match = _TRANS_FIELDS.match
    with path.open("rb") as fp:
        for raw in fp:
            if (fields := match(raw.decode("cp437"))) is not None:
                rows += len(fields.groups()) > 0
    return rows, time.perf_counter() - start


def child(path: str, n: int) -> None:
    """Runs in its own process: set up Django, import the file, time the follow-up page."""
    import resource

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.test import Client

    from finsam.accounts.models import User
    from finsam.economy import ledger
    from finsam.organisation.models import Association, AuditEvent, Membership, Role

    def clear() -> None:
        AuditEvent.objects.filter(association__slug="bench").delete()
        Association.objects.filter(slug="bench").delete()

    call_command("migrate", verbosity=0)
    clear()
    association = Association.objects.create(slug="bench", name=f"Benchmark {time.time()}")
    start = time.perf_counter()
    with open(path, "rb") as fp:
        outcome = ledger.sie_import(association=association, fp=fp, file_name="bench.se", by=SYSTEM)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # A budget for 2024 so the follow-up page has lines to fill.
    from finsam.demo import economy_data as demo_data
    from finsam.economy import services

    spec = dict(
        demo_data.KRAMFORS,
        budget_year=2024,
        columns=[(2024, "budget", "Budget 2024")],
        lines=[
            (s, sec, role, label, values[1:2], opts)
            for s, sec, role, label, values, opts in demo_data.KRAMFORS["lines"]
        ],
    )
    services.budget_create(association=association, spec=spec, by=SYSTEM)
    user, _ = User.objects.get_or_create(username="bench-economist")
    Membership.objects.get_or_create(user=user, association=association, role=Role.ECONOMIST)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    url = f"/f/bench/budget/uppfoljning/?datum={dt.date(2024, 6, 30)}"
    timings = []
    for _ in range(15):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    timings.sort()
    clear()
    print(
        json.dumps(
            {
                "transactions": outcome.ledger_import.transaction_count,
                "seconds": round(seconds, 2),
                "rows_per_second": round(n / seconds),
                "peak_rss_mb": round(peak_mb),
                "follow_up_p50_ms": round(timings[len(timings) // 2]),
                "follow_up_p95_ms": round(timings[int(len(timings) * 0.95) - 1]),
            }
        )
    )


def main() -> None:
    # On SQLite the benchmark uses a database file of its own, never the demo's.
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    (ROOT / "var").mkdir(exist_ok=True)
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[100_000, 1_000_000])
    parser.add_argument("--child", nargs=2)
    parser.add_argument(
        "--suite",
        choices=["sie", "participants", "load", "documents", "public", "budget", "all"],
        default="all",
    )
    participants.add_arguments(parser)
    load.add_arguments(parser)
    documents.add_arguments(parser)
    public.add_arguments(parser)
    budget.add_arguments(parser)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    if args.suite in ("sie", "all"):
        sie(args)
    if args.suite in ("participants", "all"):
        participants.run(args)
    if args.suite in ("load", "all"):
        load.run(args)
    if args.suite in ("documents", "all"):
        documents.run(args)
    if args.suite in ("public", "all"):
        public.run(args)
    if args.suite in ("budget", "all"):
        budget.run(args)


def sie(args: argparse.Namespace) -> None:
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    print(f"SIE import benchmark on {database}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"bench-{n}.se"
            write_file(n, path)
            size_mb = path.stat().st_size / 1e6
            split_rows, split_seconds = split_pass(path)
            out = subprocess.run(
                [sys.executable, "-m", "bench", "--child", str(path), str(n)],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if out.returncode:
                sys.exit(out.stderr)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            split_rate = split_rows / split_seconds
            split_again, split_seconds_again = split_pass(path)  # once more, after the import
            split_rate = max(split_rate, split_again / split_seconds_again)
            print(
                f"  {n:>9,} #TRANS ({size_mb:.0f} MB): {result['seconds']} s, "
                f"{result['rows_per_second']:,} rows/s, peak RSS {result['peak_rss_mb']} MB; "
                f"follow-up page p50 {result['follow_up_p50_ms']} ms, "
                f"p95 {result['follow_up_p95_ms']} ms"
            )
            print(
                f"  split-only pass {split_rate:,.0f} rows/s; import/split ratio "
                f"{result['rows_per_second'] / split_rate:.2f}"
            )


if __name__ == "__main__":
    main()
