"""Load benchmark (`python -m bench --suite load`, PostgreSQL only; part of `make bench`).

gunicorn serves Finsam in production mode on a loopback port, on the participant benchmark's
national-scale data (bench/participants.py: 80 associations, 500 000 participants, 5 million
sessions by default; `--participants`/`--sessions` shrink it). 20 logged-in office users, each in
their own association, browse the home page, the intervention list, an intervention's page and
the statistics page for 2 minutes — once pausing about a second on each page as a reader does
(`--think 1`), once with no pause at all (`--think 0`, the machine's saturation). Reports
requests, errors, throughput and p50/p95/p99 per page. Targets (issue #12): zero errors, p95
under 300 ms. Traffic never leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-load-password"
SECRETS = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "bench-load-secret-key-not-for-production-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "PARTICIPANT_HASH_SECRET": "bench-load-participant-hash-secret-0123456789",
    "PARTICIPANT_ENCRYPTION_KEYS": "YmVuY2gtbG9hZC1rZXktZm9yLWZpbnNhbS1wYXJ0aWM=",
    "LOG_LEVEL": "ERROR",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("load suite")
    group.add_argument("--users", type=int, default=20)
    group.add_argument("--seconds", type=int, default=120)
    group.add_argument("--gunicorn-workers", type=int, default=5)
    group.add_argument(
        "--think",
        type=float,
        nargs="+",
        default=[1.0, 0.0],
        help="mean pause between a user's pages, in seconds, one run per value (0: no pause)",
    )
    group.add_argument(
        "--reuse-data",
        action="store_true",
        help="browse the national-scale data an earlier run left (it is kept) instead of "
        "generating it again",
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(n_users: int) -> list[dict]:
    """Give the benchmark's office users a password; their association's pages to browse."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from bench.participants import SLUG_PREFIX
    from finsam.accounts.models import User
    from finsam.funding.models import Intervention
    from finsam.organisation.models import Association

    users = []
    for association in Association.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk")[
        :n_users
    ]:
        user = User.objects.get(username=f"{association.slug}-kansli")
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        interventions = list(
            Intervention.objects.filter(association=association).values_list("pk", flat=True)
        )
        slug = association.slug
        users.append(
            {
                "username": user.username,
                "pages": {
                    "home": f"/f/{slug}/",
                    "interventions": f"/f/{slug}/insatser/",
                    "intervention": [f"/f/{slug}/insatser/{pk}/" for pk in interventions],
                    "statistics": f"/f/{slug}/deltagare/statistik/?ar=2024",
                },
            }
        )
    return users


class Browser:
    """One logged-in user on one keep-alive connection, cookies kept by hand."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1{path}"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, username: str) -> None:
        status, page = self.request("GET", "/konto/logga-in/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "login": username, "password": PASSWORD}
        )
        status, _ = self.request("POST", "/konto/logga-in/", body)
        if status != 302:
            raise RuntimeError(f"login of {username} answered {status}")


def _browse(
    port: int, user: dict, until: float, think: float, results: list, lock: threading.Lock
) -> None:
    browser = Browser(port)
    browser.login(user["username"])
    rnd = random.Random(user["username"])
    pages = user["pages"]
    while time.monotonic() < until:
        name = rnd.choice(["home", "interventions", "intervention", "statistics"])
        path = rnd.choice(pages[name]) if isinstance(pages[name], list) else pages[name]
        start = time.perf_counter()
        try:
            status, _ = browser.request("GET", path)
        except (OSError, http.client.HTTPException):
            status = 0
            browser = Browser(port)
            browser.login(user["username"])
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            results.append((name, status, elapsed))
        if think:
            time.sleep(rnd.uniform(0.5 * think, 1.5 * think))  # reading the page


def _pct(values: list[float], q: float) -> int:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))])


def _generate(args: argparse.Namespace) -> None:
    print(
        "Load benchmark: generating the national-scale data (bench/participants.py) …", flush=True
    )
    params = {
        "participants": args.participants,
        "sessions": args.sessions,
        "associations": args.associations,
        "interventions": args.interventions,
        "requests": 2,
        "year": 2024,
        "named_share": args.named_share,
        "keep": True,
        "explain": False,
        "jit_compare": False,
    }
    subprocess.run(
        [sys.executable, "-m", "bench.participants", json.dumps(params)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def run(args: argparse.Namespace) -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Load benchmark: skipped (needs PostgreSQL and the national-scale data).")
        return
    os.environ.update(SECRETS)
    # Production mode serves hashed static names: collect them before any page is rendered.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, check=True
    )
    if args.reuse_data:
        print("Load benchmark: browsing the data an earlier run left.", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
        )
    else:
        _generate(args)
    users = _prepare(args.users)
    port = _free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(args.gunicorn_workers),
        "GUNICORN_CMD_ARGS": "--access-logfile /dev/null",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        for think in args.think:
            _phase(port, users, args, think)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _phase(port: int, users: list[dict], args: argparse.Namespace, think: float) -> None:
    results: list = []
    lock = threading.Lock()
    until = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=_browse, args=(port, u, until, think, results, lock)) for u in users
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    errors = [r for r in results if r[1] != 200]
    print(
        f"  {len(users)} users, think time {think:g} s, {args.seconds} s, "
        f"gunicorn {args.gunicorn_workers} workers: "
        f"{len(results):,} requests ({len(results) / wall:.0f}/s), {len(errors)} errors"
    )
    for name in ("home", "interventions", "intervention", "statistics", None):
        times = [r[2] for r in results if name is None or r[0] == name]
        if times:
            print(
                f"  {name or 'all pages':<14} n={len(times):>6}  p50 {_pct(times, 0.5)} ms  "
                f"p95 {_pct(times, 0.95)} ms  p99 {_pct(times, 0.99)} ms  "
                f"mean {statistics.fmean(times):.0f} ms"
            )
    if errors:
        print("  error statuses:", sorted({r[1] for r in errors}))
