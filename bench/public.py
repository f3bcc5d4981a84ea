"""Public pages: `python -m bench --suite public`.

An association with its public pages on and --entries published catalogue entries (interventions
with kinds, municipalities and a results snapshot taken from participants in the register, and
activities); then, as an anonymous visitor with the test client, p50/p95 over --public-requests
requests of (a) the catalogue, (b) the catalogue filtered by a facet and (c) one intervention's
page with its results and decisions. Target: p95 under 100 ms. Runs in a child process, inside
one transaction that is rolled back, so nothing is left behind (SQLite or PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("public suite")
    group.add_argument("--entries", type=int, default=60, help="published catalogue entries")
    group.add_argument("--public-requests", type=int, default=50, help="timed requests per page")


def _percentiles(timings: list[float]) -> tuple[int, int]:
    timings = sorted(timings)
    return round(timings[len(timings) // 2]), round(timings[max(int(len(timings) * 0.95) - 1, 0)])


def child(params: dict) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from finsam.core.actors import SYSTEM
    from finsam.funding import services as funding_services
    from finsam.organisation.models import Association, Member, Role
    from finsam.organisation.tests.factories import user_with_role
    from finsam.participants.tests import factories as pf
    from finsam.publishing import services
    from finsam.publishing.models import TargetGroup
    from finsam.publishing.tests.factories import entry_fields, participants, publish

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    kinds = ["individual", "structural", "process_support", "collaboration_support"]
    groups = list(TargetGroup.values)
    with transaction.atomic():
        association = Association.objects.create(
            slug=f"bench-public-{int(time.time())}", name=f"Benchmark publikt {time.time()}"
        )
        towns = [
            Member.objects.create(association=association, name=f"Kommun {i}", kind="municipality")
            for i in range(6)
        ]
        office = user_with_role(association, Role.OFFICE, username=f"bench-office-{time.time()}")
        services.settings_update(association=association, data={"is_public": True}, by=office)
        first = None
        for i in range(params["entries"]):
            intervention = funding_services.intervention_import(
                association=association,
                by=SYSTEM,
                fields={
                    "title": f"Insats {i:03d}",
                    "period_start": dt.date(today.year - 2, 1, 1),
                    "period_end": None,
                    "owner": "Kommunen",
                    "target_group": "Unga vuxna 16–29 år",
                    "age_from": 16 + i % 10,
                    "age_to": 29 + i % 30,
                    "purpose": "Att fler kommer i arbete eller studier. " * 5,
                },
                kind_shares={kinds[i % len(kinds)]: 100},
                grants=[(today.year, 500000 + i, "Verksamhetsplan")],
            )
            intervention.members.set([towns[i % len(towns)]])
            entry = services.entry_create(
                association=association,
                intervention=intervention,
                by=office,
                **entry_fields(target_group=groups[i % len(groups)]),
            )
            publish(entry, by=office)
            first = first or entry
        participants(association, first.intervention, n=20, exited_to_work=8)
        pf.staffed_intervention(association, title="Utkast som inte syns")
        services.entry_refresh_results(entry=first, by=office)

        client = Client(SERVER_NAME="localhost")
        base = f"/publikt/{association.slug}/"
        pages = {
            "catalogue": base,
            "catalogue_filtered": f"{base}?malgrupp=young_adults&kommun={towns[0].pk}",
            "intervention": f"{base}insatser/{first.pk}/",
        }
        out = {}
        for name, url in pages.items():
            assert client.get(url).status_code == 200  # warm-up
            timings = []
            for _ in range(params["public_requests"]):
                t0 = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (name, response.status_code)
            out[name] = _percentiles(timings)
        transaction.set_rollback(True)
    print(json.dumps({"entries": params["entries"], "pages": out}))


def run(args: argparse.Namespace) -> None:
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    params = {"entries": args.entries, "public_requests": args.public_requests}
    print(
        f"Public pages on {database}: {args.entries} published entries, anonymous visitor, "
        f"{args.public_requests} requests per page",
        flush=True,
    )
    out = subprocess.run(
        [sys.executable, "-m", "bench.public", json.dumps(params)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    if out.returncode:
        sys.exit(f"public benchmark failed (exit {out.returncode})")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"| page | p50 | p95 | target p95 < {TARGET_MS} ms |")
    print("|---|---:|---:|---|")
    for name, (p50, p95) in r["pages"].items():
        verdict = "met" if p95 < TARGET_MS else "NOT met"
        print(f"| {name} | {p50} ms | {p95} ms | {verdict} |")


if __name__ == "__main__":
    child(json.loads(sys.argv[1]))
