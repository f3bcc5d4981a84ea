"""Document benchmark (`python -m bench --suite documents`; part of `make bench`).

An association with 30 interventions (generated: each with its grant, four goals, a budget line
and a submitted status report with text and forecast) and a year's budget; then the interim
report per 30 June is built and rendered to PDF (WeasyPrint, tagged PDF/UA-1) as the task worker
does it, several times. Target (issue #16): under 5 s for the PDF. Runs in a child process on
the configured database (SQLite file by default, as the SIE suite).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-documents"
TARGET_SECONDS = 5.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("documents")
    group.add_argument("--document-interventions", type=int, default=30)
    group.add_argument("--document-runs", type=int, default=3)


def run(args: argparse.Namespace) -> None:
    params = {"interventions": args.document_interventions, "runs": args.document_runs}
    print(
        f"Document benchmark: interim report PDF for an association with "
        f"{params['interventions']} interventions",
        flush=True,
    )
    out = subprocess.run(
        [sys.executable, "-m", "bench.documents", json.dumps(params)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    if out.returncode:
        sys.exit(f"documents benchmark failed (exit {out.returncode})")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    verdict = "under" if r["max_s"] < TARGET_SECONDS else "OVER"
    print(
        f"  {r['pages']} pages, {r['bytes']:,} bytes; build (data) p50 {r['build_p50_s']} s; "
        f"build + PDF p50 {r['p50_s']} s, max {r['max_s']} s over {r['runs']} runs "
        f"({verdict} the {TARGET_SECONDS:.0f} s target); CPU time of the process p50 "
        f"{r['cpu_p50_s']} s, max {r['cpu_max_s']} s (what a machine of its own would take)"
    )


def _generate(n: int):
    import datetime as dt

    from finsam.core.actors import SYSTEM
    from finsam.economy import services as economy_services
    from finsam.funding.models import Grant, Intervention, InterventionGoal, InterventionReport
    from finsam.organisation.models import Association, AuditEvent

    AuditEvent.objects.filter(association__slug=SLUG).delete()
    for old in Association.objects.filter(slug=SLUG):
        InterventionReport.objects.filter(intervention__association=old).delete()
        Grant.objects.filter(intervention__association=old).delete()
        old.delete()
    association = Association.objects.create(slug=SLUG, name="Benchmarkförbundet Dokument")
    year = 2026
    titles = [f"Insats {i:02d} – samverkan för arbete" for i in range(1, n + 1)]
    lines = [
        (
            "result",
            "income",
            "item",
            "Staten",
            [Decimal(3_000_000 * n // 10)],
            {"member_side": "state_agency"},
        ),
        (
            "result",
            "income",
            "item",
            "Regionen",
            [Decimal(1_500_000 * n // 10)],
            {"member_side": "region"},
        ),
        (
            "result",
            "income",
            "item",
            "Kommunerna",
            [Decimal(1_500_000 * n // 10)],
            {"member_side": "municipality"},
        ),
        (
            "result",
            "operating_cost",
            "item",
            "Kansli",
            [Decimal(900_000)],
            {"cost_kind": "administration"},
        ),
    ] + [("result", "intervention_cost", "item", title, [Decimal(500_000)], {}) for title in titles]
    budget = economy_services.budget_create(
        association=association,
        spec={
            "title": f"Budget {year}",
            "budget_year": year,
            "status": "adopted",
            "printed_unit": "kr",
            "scale": Decimal(1),
            "step": Decimal(1),
            "columns": [(year, "budget", f"Budget {year}")],
            "lines": lines,
        },
        by=SYSTEM,
    )
    interventions = []
    for i, title in enumerate(titles):
        intervention = Intervention.objects.create(
            association=association,
            title=title,
            owner=f"Kommun {i % 5} via arbetsmarknadsenheten",
            period_start=dt.date(year - 1, 1, 1),
            period_end=dt.date(year + 1, 12, 31),
            target_group="Personer 16–64 år som behöver samordnat stöd från flera myndigheter. "
            * 3,
            purpose="Att deltagarna kommer närmare arbete eller studier genom samordnat stöd. " * 3,
        )
        interventions.append(intervention)
        Grant.objects.create(intervention=intervention, year=year, amount=Decimal(500_000))
        goals = [
            InterventionGoal.objects.create(
                intervention=intervention,
                text=f"Mål {k}: deltagare som stegförflyttas",
                target_value="60 %",
                sort_order=k,
            )
            for k in range(4)
        ]
        report = InterventionReport.objects.create(
            intervention=intervention,
            kind="interim",
            period_end=dt.date(year, 6, 30),
            due_date=dt.date(year, 8, 31),
            status="submitted",
            what_happened="Verksamheten har pågått enligt plan under perioden. " * 8,
            outcome="Tjugo deltagare har skrivits in, åtta har gått vidare till arbete eller studier.",
            forecast=Decimal(480_000),
        )
        for goal in goals:
            report.attainments.create(goal=goal, value="55 %")
    economy_services.budget_link_interventions(
        budget=budget, interventions=interventions, by=SYSTEM
    )
    return association, year


def _pages(pdf: bytes) -> int | None:
    """The page count from poppler's pdfinfo (None where it is not installed)."""
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as fp:
        fp.write(pdf)
        fp.flush()
        try:
            info = subprocess.run(["pdfinfo", fp.name], capture_output=True, text=True).stdout
        except FileNotFoundError:
            return None
    return next((int(ln.split()[-1]) for ln in info.splitlines() if ln.startswith("Pages:")), None)


def child(params: dict) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from finsam.documents.blocks import KINDS
    from finsam.documents.render import render

    association, year = _generate(params["interventions"])
    builds, totals, cpu, pdf = [], [], [], b""
    for _ in range(params["runs"]):
        cpu_start = time.process_time()
        start = time.perf_counter()
        document = KINDS["interim"].build(
            association=association, year=year, cut_off=dt.date(year, 6, 30)
        )
        built = time.perf_counter()
        pdf = render(document, "pdf")
        end = time.perf_counter()
        cpu.append(time.process_time() - cpu_start)
        builds.append(built - start)
        totals.append(end - start)
    pages = _pages(pdf)
    totals.sort()
    builds.sort()
    cpu.sort()
    print(
        json.dumps(
            {
                "runs": len(totals),
                "pages": pages,
                "bytes": len(pdf),
                "build_p50_s": round(builds[len(builds) // 2], 2),
                "p50_s": round(totals[len(totals) // 2], 2),
                "max_s": round(totals[-1], 2),
                "cpu_p50_s": round(cpu[len(cpu) // 2], 2),
                "cpu_max_s": round(cpu[-1], 2),
            }
        )
    )


if __name__ == "__main__":
    child(json.loads(sys.argv[1]))
