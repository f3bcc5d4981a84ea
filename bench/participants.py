"""Participant register at national scale: `python -m bench --suite participants`.

Generates a seeded, reproducible data set — by default 80 associations, 10 years (2016–2025),
500 000 participants (one enrolment each, spread over ~6 individual interventions per
association), 5 000 000 sessions with ORS items and SRS, exits for ~70 % with codes and exit
surveys for ~50 %, each survey answering the association's three own questions (a required
scale, an optional yes/no and an optional free text), and an encrypted name and contact for a
share of the participants (--named-share, 20 % by default; Fernet with the configured keys, so
the tokens differ between runs while what they hold does not) — and loads it into PostgreSQL:
the ORM for the small tables (associations, members, code lists, own questions, interventions,
users, memberships), COPY with preformatted text blocks for the big ones (participants,
enrolments, sessions, exit surveys, survey answers). The generation time (setup + load +
VACUUM ANALYZE) is printed; the issue's target is under 15 minutes on 2 cores. Then it times,
with the test client, p50/p95 over repeated requests:

  (a) the intervention page of one intervention with ~1 000 enrolments (its staff user's
      participant list, names decrypted, with goal progress), and
  (b) the association statistics page for that association and one year (with the own
      questions' tables, suppressed together with the satisfied table).

Runs in a child process (like the SIE benchmark), needs PostgreSQL (COPY), and removes its data
afterwards unless --keep. Smoke size: --participants 5000 --sessions 50000.
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

SLUG_PREFIX = "bench-p"
FIRST_YEAR, LAST_YEAR = 2016, 2025
SEED = 20250601


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("participants suite")
    group.add_argument("--participants", type=int, default=500_000)
    group.add_argument("--sessions", type=int, default=5_000_000)
    group.add_argument("--associations", type=int, default=80)
    group.add_argument("--interventions", type=int, default=6, help="individual, per association")
    group.add_argument("--requests", type=int, default=20, help="timed requests per page")
    group.add_argument("--year", type=int, default=2024, help="year shown on the timed pages")
    group.add_argument(
        "--named-share",
        type=float,
        default=0.2,
        help="share of participants with an encrypted name and contact (0–1)",
    )
    group.add_argument("--keep", action="store_true", help="leave the generated data in place")
    group.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE each page's slowest queries"
    )
    group.add_argument(
        "--jit-compare",
        action="store_true",
        help="time each page again with PostgreSQL's JIT off (SET jit = off), as a diagnosis",
    )


def run(args: argparse.Namespace) -> None:
    """Parent: start the child, pass its progress through, print the result table."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Participant register benchmark: skipped (needs PostgreSQL for COPY).")
        return
    params = {
        k: getattr(args, k)
        for k in (
            "participants",
            "sessions",
            "associations",
            "interventions",
            "requests",
            "year",
            "named_share",
            "keep",
            "explain",
            "jit_compare",
        )
    }
    print(
        f"Participant register benchmark on PostgreSQL: {args.associations} associations × "
        f"{args.interventions} individual interventions, {FIRST_YEAR}–{LAST_YEAR}, "
        f"{args.participants:,} participants, {args.sessions:,} sessions",
        flush=True,
    )
    out = subprocess.run(
        [sys.executable, "-m", "bench.participants", json.dumps(params)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    if out.returncode:
        sys.exit(f"participants benchmark failed (exit {out.returncode})")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    rows = r["rows"]
    print(
        f"  setup (ORM: associations, members, codes, interventions, users): {r['setup_s']} s\n"
        f"  load (COPY): {rows['participants']:,} participants ({r['named']:,} with an "
        f"encrypted name and contact), {rows['enrolments']:,} enrolments ({r['exited_pct']} % "
        f"exited), {rows['sessions']:,} sessions, {rows['exit_surveys']:,} exit surveys with "
        f"{rows['survey_answers']:,} answers to own questions = {r['total_rows']:,} rows in "
        f"{r['load_s']} s, {r['rows_per_second']:,} rows/s; VACUUM ANALYZE {r['analyze_s']} s; "
        f"statistics summary {r['summary_rows']:,} rows in {r['summary_s']} s; "
        f"peak RSS {r['peak_rss_mb']} MB\n"
        f"  generating the data set (setup + load + VACUUM ANALYZE + summary): "
        f"{r['generate_total_s']} s "
        f"({r['generate_total_s'] / 60:.1f} min; target under 15 min on 2 cores)"
    )
    for page in r["pages"]:
        print(
            f"  {page['name']:<22} {page['what']}: p50 {page['p50_ms']} ms, "
            f"p95 {page['p95_ms']} ms ({page['queries']} queries, {page['sql_ms']} ms in SQL)"
            + (
                f"; with jit off: p50 {page['jit_off_p50_ms']} ms, p95 {page['jit_off_p95_ms']} ms"
                if "jit_off_p50_ms" in page
                else ""
            )
        )
    if r.get("cleanup_s") is not None:
        print(f"  cleanup: {r['cleanup_s']} s")


# --- the child process ------------------------------------------------------------------------


def _log(message: str) -> None:
    print(f"    [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def child(params: dict) -> None:
    import resource

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("the participants benchmark needs PostgreSQL")
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    clear()
    _log(f"cleared earlier benchmark data in {time.perf_counter() - t0:.1f} s")

    t_all = time.perf_counter()
    plan = setup(params)
    setup_s = time.perf_counter() - t_all
    _log(f"setup done in {setup_s:.1f} s")
    t0 = time.perf_counter()
    rows = load(plan, params)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    analyze()
    analyze_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary_rows = rebuild_statistics(plan)
    summary_s = time.perf_counter() - t0
    generate_total_s = time.perf_counter() - t_all
    _log(
        f"VACUUM ANALYZE in {analyze_s:.1f} s; statistics summary ({summary_rows:,} rows) in "
        f"{summary_s:.1f} s; data set ready in {generate_total_s:.1f} s"
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    pages = time_pages(plan, params)
    cleanup_s = None
    if not params["keep"]:
        t0 = time.perf_counter()
        clear()
        cleanup_s = round(time.perf_counter() - t0, 1)
    total_rows = sum(rows.values())
    print(
        json.dumps(
            {
                "rows": rows,
                "exited_pct": round(100 * plan["exited"] / max(rows["enrolments"], 1)),
                "named": plan["named"],
                "total_rows": total_rows,
                "setup_s": round(setup_s, 1),
                "load_s": round(load_s, 1),
                "rows_per_second": round(total_rows / load_s),
                "analyze_s": round(analyze_s, 1),
                "summary_s": round(summary_s, 1),
                "summary_rows": summary_rows,
                "generate_total_s": round(generate_total_s, 1),
                "peak_rss_mb": round(peak_mb),
                "pages": pages,
                "cleanup_s": cleanup_s,
            }
        )
    )


def clear() -> None:
    """Remove everything an earlier run created (bench-p* associations and users), big tables by
    SQL first (Participant and Enrolment are PROTECTed, so the ORM cascade would refuse)."""
    from django.db import connection, transaction

    from finsam.accounts.models import User
    from finsam.organisation.models import Association, AuditEvent
    from finsam.participants.models import (
        AccessLogEntry,
        Enrolment,
        ExitSurvey,
        Participant,
        Session,
        StatisticsCount,
        SurveyAnswer,
    )

    ids = list(
        Association.objects.filter(slug__startswith=SLUG_PREFIX).values_list("id", flat=True)
    )
    if ids:
        p, e = Participant._meta.db_table, Enrolment._meta.db_table
        m2m = Enrolment.involved_members.through._meta.db_table
        by_participant = "e.participant_id = p.id AND p.association_id = ANY(%s)"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {StatisticsCount._meta.db_table} WHERE association_id = ANY(%s)",
                [ids],
            )
            x = ExitSurvey._meta.db_table
            cursor.execute(
                f"DELETE FROM {SurveyAnswer._meta.db_table} t USING {x} x, {e} e, {p} p "
                f"WHERE t.exit_survey_id = x.id AND x.enrolment_id = e.id AND {by_participant}",
                [ids],
            )
            for table in (x, Session._meta.db_table, m2m):
                cursor.execute(
                    f"DELETE FROM {table} t USING {e} e, {p} p "
                    f"WHERE t.enrolment_id = e.id AND {by_participant}",
                    [ids],
                )
            cursor.execute(f"DELETE FROM {e} e USING {p} p WHERE {by_participant}", [ids])
            cursor.execute(
                f"DELETE FROM {AccessLogEntry._meta.db_table} WHERE association_id = ANY(%s)",
                [ids],
            )
            cursor.execute(f"DELETE FROM {p} WHERE association_id = ANY(%s)", [ids])
        AuditEvent.objects.filter(association_id__in=ids).delete()
        Association.objects.filter(id__in=ids).delete()
    User.objects.filter(username__startswith=SLUG_PREFIX).delete()


def setup(params: dict) -> dict:
    """The small tables, through the ORM. Returns the plan the loader works from."""
    import datetime as dt
    import random

    from django.db import transaction

    from finsam.accounts.models import User
    from finsam.funding.models import (
        Intervention,
        InterventionGoal,
        InterventionKind,
        InterventionKindShare,
    )
    from finsam.organisation.models import Association, Member, MemberKind, Membership, Role
    from finsam.participants import services
    from finsam.participants.models import FollowUpCode, SurveyQuestion

    rng = random.Random(SEED)
    n_assoc, k = params["associations"], params["interventions"]
    with transaction.atomic():
        associations = Association.objects.bulk_create(
            [
                Association(slug=f"{SLUG_PREFIX}{n:02d}", name=f"Benchmarkförbund {n:02d}")
                for n in range(1, n_assoc + 1)
            ]
        )
        members = Member.objects.bulk_create(
            [
                Member(association=a, name=name, kind=kind, sort_order=order)
                for a in associations
                for order, (name, kind) in enumerate(
                    [
                        ("Försäkringskassan", MemberKind.STATE_AGENCY),
                        ("Arbetsförmedlingen", MemberKind.STATE_AGENCY),
                        (f"Region {a.slug}", MemberKind.REGION),
                        (f"{a.slug} kommun A", MemberKind.MUNICIPALITY),
                        (f"{a.slug} kommun B", MemberKind.MUNICIPALITY),
                    ]
                )
            ]
        )
        for a in associations:
            services.codes_ensure_defaults(association=a)
        questions = SurveyQuestion.objects.bulk_create(
            [
                SurveyQuestion(
                    association=a,
                    text=text,
                    kind=kind,
                    scale_low_label=low,
                    scale_high_label=high,
                    required=required,
                    sort_order=order,
                )
                for a in associations
                for order, (text, kind, low, high, required) in enumerate(
                    [
                        (
                            "Jag har blivit bemött med respekt",
                            SurveyQuestion.Kind.SCALE,
                            "Stämmer inte alls",
                            "Stämmer helt",
                            True,
                        ),
                        ("Jag vet vad nästa steg är", SurveyQuestion.Kind.YES_NO, "", "", False),
                        ("Vad kunde vi ha gjort bättre?", SurveyQuestion.Kind.TEXT, "", "", False),
                    ]
                )
            ]
        )
        interventions = Intervention.objects.bulk_create(
            [
                Intervention(
                    association=a,
                    title=f"Individinsats {j}" if j <= k else f"Strukturinsats {j - k}",
                    period_start=dt.date(FIRST_YEAR, 1, 1),
                    age_from=16,
                    age_to=64,
                    reports_per_person=j <= k,
                )
                for a in associations
                for j in range(1, k + 3)  # k individual ones, two structural without register
            ]
        )
        InterventionKindShare.objects.bulk_create(
            [
                InterventionKindShare(
                    intervention=i,
                    kind=InterventionKind.INDIVIDUAL
                    if i.title.startswith("Individ")
                    else InterventionKind.STRUCTURAL,
                    percent=100,
                )
                for i in interventions
            ]
        )
        individual = [i for i in interventions if i.title.startswith("Individ")]
        InterventionGoal.objects.bulk_create(
            [
                InterventionGoal(intervention=i, text=text, target_value=target, sort_order=n)
                for i in individual
                for n, (text, target) in enumerate(
                    [
                        ("Deltagare per år", "≥ 100 ärenden per år"),
                        ("Nöjda deltagare", "≥ 85 % nöjda"),
                        ("Stegförflyttning", "1/3 gör stegförflyttning"),
                        ("Avslut till arbete eller studier", "≥ 30 % till arbete eller studier"),
                    ]
                )
            ]
        )
        slug_of = {a.pk: a.slug for a in associations}
        users = User.objects.bulk_create(
            [User(username=f"{a.slug}-kansli", password="!") for a in associations]
            + [
                User(username=f"{slug_of[i.association_id]}-insats{i.pk}", password="!")
                for i in individual
            ]
        )
        office = dict(zip((a.slug for a in associations), users, strict=False))
        staff = {i.pk: u for i, u in zip(individual, users[len(associations) :], strict=True)}
        Membership.objects.bulk_create(
            [Membership(user=office[a.slug], association=a, role=Role.OFFICE) for a in associations]
            + [
                Membership(user=staff[i.pk], association_id=i.association_id, role=Role.STAFF)
                for i in individual
            ]
        )
        Intervention.staff.through.objects.bulk_create(
            [
                Intervention.staff.through(intervention_id=i.pk, user_id=staff[i.pk].pk)
                for i in individual
            ]
        )

    codes: dict[int, dict[str, dict[str, tuple[int, bool]]]] = {}
    for c in FollowUpCode.objects.filter(association__in=associations):
        codes.setdefault(c.association_id, {}).setdefault(c.list_name, {})[c.code] = (
            c.pk,
            c.is_positive,
        )
    members_of: dict[int, list[int]] = {}
    for m in members:
        members_of.setdefault(m.association_id, []).append(m.pk)
    questions_of: dict[int, dict[str, int]] = {}
    for q in questions:
        questions_of.setdefault(q.association_id, {})[q.kind] = q.pk
    individual_of: dict[int, list[int]] = {}
    for i in individual:
        individual_of.setdefault(i.association_id, []).append(i.pk)

    # Associations differ in size (weights 0.5–1.5), and so do their interventions.
    weights = [0.5 + rng.random() for _ in associations]
    total = sum(weights)
    counts = [int(params["participants"] * w / total) for w in weights]
    counts[-1] += params["participants"] - sum(counts)
    return {
        "associations": [
            {
                "id": a.pk,
                "slug": a.slug,
                "participants": n,
                "interventions": individual_of[a.pk],
                "intervention_weights": [0.5 + rng.random() for _ in individual_of[a.pk]],
                "members": members_of[a.pk],
                "codes": codes[a.pk],
                "questions": questions_of[a.pk],
            }
            for a, n in zip(associations, counts, strict=True)
        ],
        "staff": {pk: u.pk for pk, u in staff.items()},
        "staff_username": {pk: u.username for pk, u in staff.items()},
        "office_username": {a.pk: office[a.slug].username for a in associations},
        "slug_of": slug_of,
        "rng_state": rng.getstate(),
    }


# Column lists for COPY (ids of participants and enrolments are given; sessions' and surveys'
# come from the identity column).
P_COLUMNS = (
    "id, association_id, identity_hash, birth_year, legal_gender, name_encrypted, "
    "contact_encrypted, consent_date, consent_scope, created_at, erased_at, "
    "consent_withdrawal_note"
)
E_COLUMNS = (
    "id, participant_id, intervention_id, start_date, age_at_start, referring_member_id, "
    "entry_occupation_id, entry_income_source_id, time_outside_id, education_id, exit_date, "
    "exit_reason_id, exit_occupation_id, exit_income_source_id, step_progress_id, created_by_id, "
    "created_at"
)
S_COLUMNS = (
    "enrolment_id, date, kind, ors_individual, ors_interpersonal, ors_social, ors_overall, "
    "ors_total, srs_total, staff_id, created_at"
)
X_COLUMNS = "id, enrolment_id, satisfied, self_rated_progress, comment, answered_on"
A_COLUMNS = "exit_survey_id, question_id, scale_value, yes_no_value, text_value"
IMPROVEMENTS = [
    "Fler träffar i början.",
    "Snabbare kontakt med Arbetsförmedlingen.",
    "Det var bra som det var.",
    "Mer stöd i att söka jobb.",
]
FIRST_NAMES = ["Alva", "Elias", "Maja", "Noah", "Ella", "Hugo", "Amina", "Omar", "Saga", "Nils"]
LAST_NAMES = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Hassan", "Lindberg", "Berg"]


def load(plan: dict, params: dict) -> dict[str, int]:
    """Generate and COPY the big tables, one transaction per association."""
    import datetime as dt
    import hashlib
    import hmac
    import random

    from django.conf import settings
    from django.db import connection, transaction

    from finsam.participants.crypto import encrypt_text
    from finsam.participants.models import Enrolment, ExitSurvey, Participant, Session, SurveyAnswer

    rng = random.Random()
    rng.setstate(plan["rng_state"])
    r = rng.random
    secret = hashlib.sha256(b"finsam-bench-participants").digest()
    tables = {
        "participants": (Participant._meta.db_table, P_COLUMNS),
        "enrolments": (Enrolment._meta.db_table, E_COLUMNS),
        "sessions": (Session._meta.db_table, S_COLUMNS),
        "exit_surveys": (ExitSurvey._meta.db_table, X_COLUMNS),
        "survey_answers": (SurveyAnswer._meta.db_table, A_COLUMNS),
    }
    keys = list(settings.PARTICIPANT_ENCRYPTION_KEYS)
    named_share = params.get("named_share", 0.2)
    named_total = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {tables['participants'][0]}")
        next_pid = cursor.fetchone()[0] + 1
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {tables['enrolments'][0]}")
        next_eid = cursor.fetchone()[0] + 1
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {tables['exit_surveys'][0]}")
        next_xid = cursor.fetchone()[0] + 1

    first = dt.date(FIRST_YEAR, 1, 1).toordinal()
    last_day = dt.date(LAST_YEAR, 12, 31).toordinal() - first  # day offsets 0..last_day
    day = [dt.date.fromordinal(first + d).isoformat() for d in range(last_day + 1)]
    stamp = [f"{d} 10:00:00+00" for d in day]
    year = [dt.date.fromordinal(first + d).year for d in range(last_day + 1)]
    tenths = [f"{t // 10}.{t % 10}" for t in range(401)]
    avg_sessions = params["sessions"] / max(params["participants"], 1)
    spread = max(2 * avg_sessions - 1, 0)
    recent = last_day - 365
    counts = dict.fromkeys(tables, 0)
    exited_total = 0
    per_intervention: dict[int, int] = {}

    for index, assoc in enumerate(plan["associations"], start=1):
        aid = assoc["id"]
        codes = assoc["codes"]
        occupation, income = codes["occupation"], codes["income_source"]
        occ_codes = list(occupation)
        entry_codes = occ_codes[2:]  # not already in work or studies
        time_ids = [v[0] for v in codes["time_outside"].values()]
        edu_ids = [v[0] for v in codes["education"].values()]
        reasons = codes["exit_reason"]
        reason_pool = (
            [reasons["planerat-avslut"][0]] * 80
            + [reasons["avbrott"][0]] * 14
            + [reasons["flytt"][0]] * 5
            + [reasons["felregistrering"][0]]
        )
        step = codes["step_progress"]
        step_none, step_closer, step_in = (
            step["ingen"][0],
            step["narmare"][0],
            step["i-arbete-studier"][0],
        )
        members = assoc["members"]
        # 100 slots filled by intervention weight: a choice is one index.
        weights = assoc["intervention_weights"]
        total_w = sum(weights)
        slots = []
        for pk, w in zip(assoc["interventions"], weights, strict=True):
            slots += [pk] * round(100 * w / total_w)
        n_slots = len(slots)
        q_scale = assoc["questions"]["scale"]
        q_yes_no = assoc["questions"]["yes_no"]
        q_text = assoc["questions"]["text"]
        p_rows, e_rows, s_rows, x_rows, a_rows = [], [], [], [], []
        exited = 0
        slug = assoc["slug"].encode()
        for n in range(assoc["participants"]):
            pid, eid = next_pid, next_eid
            next_pid += 1
            next_eid += 1
            iv = slots[int(r() * n_slots)]
            per_intervention[iv] = per_intervention.get(iv, 0) + 1
            staff = plan["staff"][iv]
            start = int(r() * (last_day + 1))
            age = 16 + int(r() * 49)
            ident = hmac.digest(secret, slug + b":" + str(n).encode(), "sha256").hex()
            name = contact = ""
            if r() < named_share:  # URL-safe base64 tokens: nothing to escape for COPY
                named_total += 1
                name = encrypt_text(
                    f"{FIRST_NAMES[int(r() * 10)]} {LAST_NAMES[int(r() * 7)]}", keys=keys
                )
                contact = encrypt_text(f"070-{100 + int(r() * 900)} {n % 100:02d} 00", keys=keys)
            p_rows.append(
                f"{pid}\t{aid}\t{ident}\t{year[start] - age}\t{'F' if r() < 0.55 else 'M'}"
                f"\t{name}\t{contact}\t{day[start]}\t\t{stamp[start]}\t\\N\t\n"
            )
            occ = entry_codes[int(r() * len(entry_codes))]
            # Sessions: 1..2·avg−1 of them, every 7–28 days, within the data period.
            n_s = 1 + int(r() * spread)
            gap = 7 + int(r() * 22)
            if n_s > 1 and start + (n_s - 1) * gap > last_day:
                gap = (last_day - start) // (n_s - 1)
            level = 35 + int(r() * 26)  # tenths per ORS item
            gain = -3 + int(r() * 14)  # tenths per session
            d = start
            for s in range(n_s):
                d = start + s * gap
                if r() < 0.03:
                    s_rows.append(
                        f"{eid}\t{day[d]}\tindividual\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N"
                        f"\t{staff}\t{stamp[d]}\n"
                    )
                    continue
                lv = level + gain * s
                a = min(100, max(0, lv + int(r() * 31) - 15))
                b = min(100, max(0, lv + int(r() * 31) - 15))
                c = min(100, max(0, lv + int(r() * 31) - 15))
                o = min(100, max(0, lv + int(r() * 31) - 15))
                s_rows.append(
                    f"{eid}\t{day[d]}\t{'group' if r() < 0.2 else 'individual'}\t{tenths[a]}"
                    f"\t{tenths[b]}\t{tenths[c]}\t{tenths[o]}\t{tenths[a + b + c + o]}"
                    f"\t{tenths[350 + int(r() * 51)]}\t{staff}\t{stamp[d]}\n"
                )
            exit_part = "\\N\t\\N\t\\N\t\\N\t\\N"
            if r() < (0.77 if d < recent else 0.3):
                exited += 1
                ex = min(d + int(r() * 15), last_day)
                moved = gain > 4 and r() < 0.7
                after = (
                    occ_codes[int(r() * 2)]  # arbete or studier
                    if moved and r() < 0.5
                    else occ
                )
                step_id = step_in if occupation[after][1] else (step_closer if moved else step_none)
                exit_part = (
                    f"{day[ex]}\t{reason_pool[int(r() * 100)]}\t{occupation[after][0]}"
                    f"\t{income[after][0]}\t{step_id}"
                )
                if r() < 0.71:
                    xid = next_xid
                    next_xid += 1
                    satisfied = r() < 0.86
                    progress = 3 + int(r() * 3) if moved else 1 + int(r() * 4)
                    x_rows.append(
                        f"{xid}\t{eid}\t{'t' if satisfied else 'f'}\t{progress}\t\t{day[ex]}\n"
                    )
                    # The own questions: the scale always (required), yes/no mostly, text seldom.
                    scale = 4 + int(r() * 2) if satisfied else 1 + int(r() * 4)
                    a_rows.append(f"{xid}\t{q_scale}\t{scale}\t\\N\t\n")
                    if r() < 0.85:
                        yes = r() < (0.8 if satisfied else 0.4)
                        a_rows.append(f"{xid}\t{q_yes_no}\t\\N\t{'t' if yes else 'f'}\t\n")
                    if r() < 0.2:
                        text = IMPROVEMENTS[int(r() * len(IMPROVEMENTS))]
                        a_rows.append(f"{xid}\t{q_text}\t\\N\t\\N\t{text}\n")
            e_rows.append(
                f"{eid}\t{pid}\t{iv}\t{day[start]}\t{age}\t{members[int(r() * len(members))]}"
                f"\t{occupation[occ][0]}\t{income[occ][0]}"
                f"\t{time_ids[int(r() * len(time_ids))]}\t{edu_ids[int(r() * len(edu_ids))]}"
                f"\t{exit_part}\t\\N\t{stamp[start]}\n"
            )
        with transaction.atomic(), connection.cursor() as cursor:
            for key, rows in (
                ("participants", p_rows),
                ("enrolments", e_rows),
                ("sessions", s_rows),
                ("exit_surveys", x_rows),
                ("survey_answers", a_rows),
            ):
                table, columns = tables[key]
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write("".join(rows))
                counts[key] += len(rows)
        exited_total += exited
        done = counts["participants"]
        if index % 10 == 0 or index == len(plan["associations"]):
            _log(f"{assoc['slug']}: {done:,} participants, {counts['sessions']:,} sessions")
    with connection.cursor() as cursor:
        for key in ("participants", "enrolments", "exit_surveys"):
            table = tables[key][0]
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
    plan["exited"] = exited_total
    plan["named"] = named_total
    plan["per_intervention"] = per_intervention
    return counts


def analyze() -> None:
    """What autovacuum would have done by the time anyone looks: statistics and visibility map."""
    from django.db import connection

    from finsam.participants.models import Enrolment, ExitSurvey, Participant, Session, SurveyAnswer

    with connection.cursor() as cursor:
        for model in (Participant, Enrolment, Session, ExitSurvey, SurveyAnswer):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def rebuild_statistics(plan: dict) -> int:
    """COPY bypasses the services that keep the statistics summary: count it from the register,
    one association at a time (as `manage.py rebuild_participant_statistics` does)."""
    from django.db import connection

    from finsam.organisation.models import Association
    from finsam.participants.models import StatisticsCount
    from finsam.participants.services import statistics_summary

    ids = [assoc["id"] for assoc in plan["associations"]]
    rows = sum(
        statistics_summary.rebuild(association)
        for association in Association.objects.filter(id__in=ids).order_by("id")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {StatisticsCount._meta.db_table}")
    return rows


def _percentile(sorted_ms: list[float], q: float) -> int:
    return round(sorted_ms[min(len(sorted_ms) - 1, max(0, int(len(sorted_ms) * q + 0.5) - 1))])


def time_pages(plan: dict, params: dict) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from finsam.accounts.models import User
    from finsam.funding.models import Intervention
    from finsam.organisation.tests.factories import with_second_factor

    # The intervention closest to 1 000 enrolments (at smoke size: the largest).
    per = plan["per_intervention"]
    target = 1000 if max(per.values()) >= 1000 else max(per.values())
    iv_pk = min(per, key=lambda pk: (abs(per[pk] - target), pk))
    intervention = Intervention.objects.get(pk=iv_pk)
    slug = plan["slug_of"][intervention.association_id]
    n_assoc = sum(
        n for pk, n in per.items() if pk in _interventions_of(plan, intervention.association_id)
    )
    year = params["year"]
    pages = [
        (
            "intervention page",
            f"{per[iv_pk]:,} enrolments, goals {year}",
            plan["staff_username"][iv_pk],
            f"/f/{slug}/deltagare/insats/{iv_pk}/?ar={year}",
        ),
        (
            "statistics page",
            f"{slug}, {year}, {n_assoc:,} enrolments",
            plan["office_username"][intervention.association_id],
            f"/f/{slug}/deltagare/statistik/?ar={year}",
        ),
    ]
    results = []
    for name, what, username, url in pages:
        client = Client(SERVER_NAME="localhost")
        user = User.objects.get(username=username)
        # Roles that read participant data must have a second factor, or every page redirects
        # to setting one up (organisation.second_factor): give the timed users an authenticator.
        with_second_factor(user)
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:  # warm-up request, not timed
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries = list(ctx.captured_queries)
        timings = _time(client, url, params["requests"])
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        _log(
            f"{name} {url}: p50 {_percentile(timings, 0.5)} ms, "
            f"p95 {_percentile(timings, 0.95)} ms, {len(queries)} queries, {sql_ms:.0f} ms SQL"
        )
        if params["explain"]:
            explain(queries)
        result = {
            "name": name,
            "what": what,
            "url": url,
            "p50_ms": _percentile(timings, 0.5),
            "p95_ms": _percentile(timings, 0.95),
            "queries": len(queries),
            "sql_ms": round(sql_ms),
        }
        if params["jit_compare"]:
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            client.get(url)
            timings = _time(client, url, params["requests"])
            with connection.cursor() as cursor:
                cursor.execute("RESET jit")
            result["jit_off_p50_ms"] = _percentile(timings, 0.5)
            result["jit_off_p95_ms"] = _percentile(timings, 0.95)
            _log(f"{name} with jit off: p50 {result['jit_off_p50_ms']} ms")
        results.append(result)
    return results


def _time(client, url: str, n: int) -> list[float]:
    timings = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return sorted(timings)


def _interventions_of(plan: dict, association_id: int) -> set[int]:
    for assoc in plan["associations"]:
        if assoc["id"] == association_id:
            return set(assoc["interventions"])
    return set()


def explain(queries: list[dict], top: int = 4) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest read queries of one request, to stderr."""
    from django.db import connection

    reads = [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    for q in sorted(reads, key=lambda q: -float(q["time"]))[:top]:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {q['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(
            f"\n--- {float(q['time']) * 1000:.1f} ms: {q['sql'][:3000]}\n{plan}\n",
            file=sys.stderr,
            flush=True,
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    child(json.loads(sys.argv[1]))
