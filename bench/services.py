"""Benchmark of the one-stop service: 200,000 cases over a 1M-person registry.

Usage (from the repository root):

    .venv/bin/python bench/services.py            # copy var/bench/bench.sqlite3, load, measure
    .venv/bin/python bench/services.py --reuse          # measure again on the loaded copy
    .venv/bin/python bench/services.py --cases 50000 --requests 30
    .venv/bin/python bench/services.py --database-url postgres://postgres@127.0.0.1:5432/pandu_bench

1. Database: a consistent copy (SQLite backup API) of ``var/bench/bench.sqlite3`` — the 1M-person
   registry that ``bench/run.py`` builds — into ``var/bench/services.sqlite3``. When that file is
   missing, the copy is made from scratch: ``migrate``, ``load_areas``, ``generate_registry
   --region 73.09 --households N``. Then ``migrate`` adds the service's tables.
2. Load: service points (the SLRT of the regency and one Puskesos per district), 7 partner
   agencies with a service each, 200 caseworkers in 20 teams with a supervisor each, and
   ``--cases`` intakes of people picked at random (fixed seed) over the last three years, each with
   its case, 1–2 needs, events, follow-ups, some referrals and counselling sessions. Written with
   ``bulk_create`` (no simple-history rows), like ``generate_registry``; about 15 % of the cases
   are still open, with follow-ups and referrals on both sides of today.
3. Measure, in this process through Django's test client (server time: view, queries, template;
   no network), ``--requests`` sequential requests after 3 warm-up ones, for:
   the overdue list of a worker, of a supervisor, and of the regency administrator; the regency
   dashboard for this month and for the last 12 months; the worker's case list; the XLSX export.

Prints a Markdown table; ``--write`` puts it in its block of docs/benchmarks.md (one block per
database kind, replaced by the next run).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import machine, machine_line, write_block

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
SOURCE = VAR / "bench.sqlite3"
TARGET = VAR / "services.sqlite3"
REGION = "73.09"
SEED = 7
# --database-url: measure on another database (PostgreSQL) instead of the SQLite copy.
DATABASE_URL = f"sqlite:///{TARGET}"


def log(msg: str) -> None:
    print(f"[services-bench {datetime.now():%H:%M:%S}] {msg}", flush=True)


def copy_database(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target))
    with dst:
        src.backup(dst, pages=20_000)
    src.close()
    # The source was migrated by its own run, maybe with an older version of this app's
    # migrations: drop the service's (empty) tables so the current schema is created.
    with dst:
        tables = [
            r[0]
            for r in dst.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'services\\_%' "
                "ESCAPE '\\'"
            )
        ]
        dst.execute("PRAGMA foreign_keys=OFF")
        for table in tables:
            dst.execute(f'DROP TABLE "{table}"')
        dst.execute("DELETE FROM django_migrations WHERE app = 'services'")
    dst.close()


def manage(*args: str) -> None:
    env = dict(os.environ, DATABASE_URL=DATABASE_URL)
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT
    )


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandu.settings")
    # The benchmark's users are signed in by force_login, with no second factor.
    os.environ.setdefault("PANDU_2FA_REQUIRED_ROLES", "")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- Load -------------------------------------------------------------------------------------


def load(n_cases: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from pandu.accounts.models import User
    from pandu.regions.models import Area, Level
    from pandu.registry.models import Person
    from pandu.services import choices as c
    from pandu.services import tallies
    from pandu.services.models import (
        Case,
        CaseEvent,
        CounsellingSession,
        Counter,
        Intake,
        IntakeNeed,
        PartnerAgency,
        PartnerService,
        Referral,
        ServicePoint,
        ServicePointStaff,
        Task,
    )
    from pandu.services.workdays import add_working_days

    rng = random.Random(SEED)
    started = time.monotonic()
    today = timezone.localdate()
    now = timezone.now()
    regency = Area.objects.get(code=REGION)
    districts = list(Area.objects.filter(parent=regency, level=Level.DISTRICT).order_by("code"))
    password = make_password("bench-services-2026")

    with transaction.atomic():
        slrt = ServicePoint.objects.create(name="SLRT Dinas Sosial", kind="slrt", area=regency)
        points = [slrt] + [
            ServicePoint.objects.create(name=f"Puskesos {d.name}", kind="puskesos", area=d)
            for d in districts
        ]
        admin = User.objects.create(
            username="svc_admin", role="admin", area=regency, password=password
        )
        front = User.objects.create(
            username="svc_front", role="front_office", area=regency, password=password
        )
        supervisors, workers = [], []
        for t in range(20):
            sup = User.objects.create(
                username=f"svc_sup{t:02d}", role="social_worker", area=regency, password=password
            )
            supervisors.append(sup)
            ServicePointStaff.objects.create(service_point=slrt, user=sup, role="supervisor")
        for w in range(200):
            worker = User.objects.create(
                username=f"svc_worker{w:03d}",
                role="social_worker" if w % 4 else "tksk",
                area=regency,
                password=password,
            )
            workers.append(worker)
        # Teams: each supervisor and ten workers share a Puskesos (or the SLRT).
        for t, sup in enumerate(supervisors):
            point = points[1 + t % (len(points) - 1)] if len(points) > 1 else slrt
            ServicePointStaff.objects.create(service_point=point, user=sup, role="supervisor")
            for worker in workers[t * 10 : (t + 1) * 10]:
                ServicePointStaff.objects.create(
                    service_point=point, user=worker, role="social_worker"
                )
        agencies = []
        for name, kind, need in (
            ("Dinas Kesehatan", "health", "health"),
            ("Dinas Pendidikan", "education", "education"),
            ("Disdukcapil", "dukcapil", "civil_documents"),
            ("Dinas Perumahan", "housing", "housing"),
            ("Dinas Koperasi dan UKM", "cooperatives", "empowerment"),
            ("UPTD PPA", "p3a", "child_protection"),
            ("LKS Lanjut Usia", "lks", "rehabilitation"),
        ):
            agency = PartnerAgency.objects.create(name=name, kind=kind, area=regency)
            agencies.append(
                (
                    agency,
                    PartnerService.objects.create(
                        agency=agency, name=f"Layanan {name}", need_areas=[need]
                    ),
                    need,
                )
            )

    log("picking people")
    people = list(
        Person.objects.filter(area_code__prefix=REGION, status="active").values_list(
            "id", "area_code", "full_name", "birth_date", "sex"
        )
    )
    log(f"{len(people):,} people in {REGION}")
    chosen = rng.sample(people, min(n_cases, len(people)))
    needs_all = list(c.NeedArea.values)
    counts = dict.fromkeys(
        ("intakes", "needs", "cases", "events", "tasks", "referrals", "sessions"), 0
    )
    batch = 5000
    year_serial: dict[int, int] = {}
    span = 3 * 365 * 24 * 3600
    ref_serial = 0
    for start in range(0, len(chosen), batch):
        rows = chosen[start : start + batch]
        intakes, cases_meta = [], []
        for pid, area_code, name, born, sex in rows:
            received = now - timedelta(seconds=rng.randrange(span))
            year = received.year
            year_serial[year] = year_serial.get(year, 0) + 1
            age_days = (now - received).days
            closed = age_days > 60 and rng.random() < 0.92 or (age_days > 14 and rng.random() < 0.5)
            first_action = received + timedelta(hours=rng.expovariate(1 / 30))
            closed_at = (
                min(now, received + timedelta(days=rng.expovariate(1 / 25) + 1)) if closed else None
            )
            point = slrt if rng.random() < 0.5 else rng.choice(points)
            intakes.append(
                Intake(
                    ticket_number=f"SLRT-{REGION.replace('.', '')}-{year}-{year_serial[year]:06d}",
                    service_point=point,
                    area_code=area_code,
                    kind=rng.choice(c.IntakeKind.values),
                    channel=rng.choices(c.Channel.values, weights=[60, 15, 15, 5, 5])[0],
                    person_id=pid,
                    name=name,
                    sex=sex,
                    birth_date=born,
                    description="Bench",
                    urgency=rng.choice(c.Urgency.values),
                    status="closed" if closed else "in_case",
                    queue_status="served",
                    received_by=front,
                    received_at=received,
                    first_action_at=min(first_action, now),
                    closed_at=closed_at,
                    sensitive=rng.random() < 0.05,
                )
            )
            cases_meta.append((closed, received, closed_at))
        with transaction.atomic():
            Intake.objects.bulk_create(intakes, batch_size=1000)
            needs, cases = [], []
            for intake, (closed, received, closed_at) in zip(intakes, cases_meta, strict=True):
                for area in rng.sample(needs_all, rng.choice((1, 1, 1, 2))):
                    needs.append(IntakeNeed(intake=intake, area=area))
                worker = rng.choice(workers)
                cases.append(
                    Case(
                        intake=intake,
                        service_point=intake.service_point,
                        area_code=intake.area_code,
                        status="closed" if closed else "open",
                        sensitive=intake.sensitive,
                        assigned_to=worker,
                        assigned_at=received + timedelta(hours=2),
                        opened_by=front,
                        plan_status="approved" if closed or rng.random() < 0.6 else "draft",
                        outcome="resolved" if closed else "",
                        closed_by=admin if closed else None,
                        closed_at=closed_at,
                    )
                )
            IntakeNeed.objects.bulk_create(needs, batch_size=2000)
            Case.objects.bulk_create(cases, batch_size=1000)
            events, tasks, referrals, sessions = [], [], [], []
            for case, (closed, received, _closed_at) in zip(cases, cases_meta, strict=True):
                events.append(CaseEvent(case=case, actor=front, kind="opened"))
                events.append(CaseEvent(case=case, actor=front, kind="assigned"))
                for _ in range(rng.choice((0, 1, 1, 2))):
                    due = received.date() + timedelta(days=rng.randrange(3, 40))
                    done = closed or (due < today and rng.random() < 0.7)
                    tasks.append(
                        Task(
                            case=case,
                            title="Kunjungan rumah",
                            assigned_to=case.assigned_to,
                            due_on=due,
                            done_at=(
                                datetime.combine(due, datetime.min.time(), UTC) if done else None
                            ),
                            created_by=case.assigned_to,
                        )
                    )
                if rng.random() < 0.3:
                    agency, service, need = rng.choice(agencies)
                    ref_serial += 1
                    sent = received + timedelta(days=rng.randrange(1, 10))
                    if closed:
                        status = rng.choices(
                            ["completed", "declined", "returned", "withdrawn"], [75, 12, 8, 5]
                        )[0]
                    else:
                        status = rng.choice(["sent", "received", "accepted", "in_service"])
                    accepted = status in ("accepted", "in_service", "completed", "returned")
                    referrals.append(
                        Referral(
                            case=case,
                            service=service,
                            agency=agency,
                            area_code=case.area_code,
                            number=f"RUJ-7309-{sent.year}-{ref_serial:06d}",
                            status=status,
                            need_area=need,
                            need="Bench",
                            request="Bench",
                            consent_given=True,
                            consent_by="self",
                            consent_method="signed",
                            created_by=case.assigned_to,
                            sent_at=sent,
                            sent_by=case.assigned_to,
                            responded_at=sent + timedelta(days=2) if accepted else None,
                            respond_due=add_working_days(sent.date(), 3, holidays=[]),
                            complete_due=(
                                add_working_days(sent.date(), 17, holidays=[]) if accepted else None
                            ),
                            finished_at=(
                                sent + timedelta(days=rng.randrange(3, 30))
                                if status in ("completed", "declined", "returned", "withdrawn")
                                else None
                            ),
                            subject_name=case.intake.name,
                        )
                    )
                if rng.random() < 0.1:
                    sessions.append(
                        CounsellingSession(
                            case=case,
                            held_on=received.date() + timedelta(days=rng.randrange(1, 20)),
                            counsellor=case.assigned_to,
                            participants="Keluarga",
                            issues="Bench",
                        )
                    )
            CaseEvent.objects.bulk_create(events, batch_size=5000)
            Task.objects.bulk_create(tasks, batch_size=2000)
            Referral.objects.bulk_create(referrals, batch_size=1000)
            CounsellingSession.objects.bulk_create(sessions, batch_size=2000)
        counts["intakes"] += len(intakes)
        counts["needs"] += len(needs)
        counts["cases"] += len(cases)
        counts["events"] += len(events)
        counts["tasks"] += len(tasks)
        counts["referrals"] += len(referrals)
        counts["sessions"] += len(sessions)
        if (start // batch) % 8 == 0:
            log(f"{counts['cases']:,} cases")
    for year, last in year_serial.items():
        Counter.objects.update_or_create(
            kind="SLRT", regency=REGION.replace(".", ""), year=year, defaults={"last": last}
        )
    # bulk_create bypasses the actions that keep the dashboard's monthly tallies: build them.
    tallies.rebuild()
    with connection.cursor() as cursor:
        # PostgreSQL: VACUUM too, as autovacuum would soon after such a load, so that the
        # visibility map lets covering indexes answer without reading table pages.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


# --- Measure ----------------------------------------------------------------------------------


def _timed(client, url: str, n: int, warm: int = 3) -> dict:
    for _ in range(warm):
        client.get(url)
    times, statuses = [], {}
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - t0) * 1000)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    return {
        "n": n,
        "p50": statistics.median(times),
        "p95": p95,
        "max": times[-1],
        "statuses": statuses,
    }


def measure(requests: int) -> list[tuple[str, str, dict]]:
    from django.db.models import Count, Q
    from django.test import Client
    from django.utils import timezone

    from pandu.accounts.models import User
    from pandu.services.models import Case, Task

    today = timezone.localdate()
    # The busiest worker (most open cases) and the supervisor of the largest team.
    worker = (
        User.objects.filter(username__startswith="svc_worker")
        .annotate(open_cases=Count("assigned_cases", filter=~Q(assigned_cases__status="closed")))
        .order_by("-open_cases")
        .first()
    )
    supervisor = User.objects.get(username="svc_sup00")
    admin = User.objects.get(username="svc_admin")
    overdue_tasks = Task.objects.filter(
        assigned_to=worker, done_at__isnull=True, due_on__lt=today
    ).count()
    results = []

    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    year_ago = (today - timedelta(days=365)).strftime("%d-%m-%Y")
    month = f"?start={today.replace(day=1):%d-%m-%Y}&end={today:%d-%m-%Y}"
    year = f"?start={year_ago}&end={today:%d-%m-%Y}"
    plan = [
        ("overdue list, worker", worker, "/layanan/terlambat/"),
        ("overdue list, supervisor (10 workers)", supervisor, "/layanan/terlambat/"),
        ("overdue list, regency administrator", admin, "/layanan/terlambat/"),
        ("my cases (worker)", worker, "/layanan/kasus/"),
        ("regency dashboard, this month", admin, "/layanan/dasbor/" + month),
        ("regency dashboard, last 12 months", admin, "/layanan/dasbor/" + year),
        ("dashboard XLSX, last 12 months", admin, "/layanan/dasbor/unduh/" + year),
    ]
    for label, user, url in plan:
        log(f"{label}: {requests} requests")
        results.append((label, url, _timed(client_for(user), url, requests)))
    info = {
        "worker_open_cases": Case.objects.filter(assigned_to=worker)
        .exclude(status="closed")
        .count(),
        "worker_overdue_tasks": overdue_tasks,
    }
    results.append(("_info", "", info))
    return results


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (version,) = cursor.fetchone()
        return f"PostgreSQL {version.split()[0]}"
    return f"SQLite {sqlite3.sqlite_version}"


def database_size() -> float:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            (size,) = cursor.fetchone()
        return size / 2**30
    return (
        sum(
            Path(str(TARGET) + s).stat().st_size
            for s in ("", "-wal")
            if Path(str(TARGET) + s).exists()
        )
        / 2**30
    )


def markdown(counts: dict, results, people: int, db_size: float, load_avg) -> str:
    info = next(r[2] for r in results if r[0] == "_info")
    about = machine()
    about["load_at_start"] = [round(x, 2) for x in load_avg]
    lines = [
        f"### Latest `bench/services.py` run, {database_label()}",
        "",
        f"Measured {machine_line(about)}. Database: "
        f"the 1M-person bench registry plus the service load, {db_size:.2f} GiB.",
        "",
        "| load | value |",
        "|---|---|",
        f"| people in the registry | {people:,} |",
    ]
    for key in ("intakes", "needs", "cases", "events", "tasks", "referrals", "sessions"):
        if key in counts:
            lines.append(f"| {key} | {counts[key]:,} |")
    if "seconds" in counts:
        lines.append(f"| load time (bulk_create, no history rows) | {counts['seconds']} s |")
    lines.append(
        f"| measured worker | {info['worker_open_cases']} open cases, "
        f"{info['worker_overdue_tasks']} overdue follow-ups |"
    )
    lines += [
        "",
        "Server time in-process (Django test client: view, queries, template; no network), "
        "sequential, after 3 warm-up requests:",
        "",
        "| page | n | p50 ms | p95 ms | max ms | statuses |",
        "|---|---|---|---|---|---|",
    ]
    for label, url, r in results:
        if label == "_info":
            continue
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
        lines.append(
            f"| {label} `{url.split('?')[0]}` | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['max']:.1f} | {statuses} |"
        )
    return "\n".join(lines) + "\n"


def loaded_counts() -> dict:
    from pandu.services.models import (
        Case,
        CaseEvent,
        CounsellingSession,
        Intake,
        IntakeNeed,
        Referral,
        Task,
    )

    return {
        "intakes": Intake.objects.count(),
        "needs": IntakeNeed.objects.count(),
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "tasks": Task.objects.count(),
        "referrals": Referral.objects.count(),
        "sessions": CounsellingSession.objects.count(),
    }


def generate_people(households: int) -> None:
    manage("load_areas", "--if-empty")
    manage("generate_registry", "--region", REGION, "--households", str(households), "--seed", "1")


def prepare_other_database(args) -> dict:
    """Migrate the database at ``--database-url``; fill it with the registry and the service
    load unless it holds them already (then the earlier load is measured again)."""
    manage("migrate", "--no-input", "-v0")
    setup_django()
    from pandu.registry.models import Person
    from pandu.services.models import Intake

    if not Person.objects.exists():
        log("empty database: loading areas and generating people")
        generate_people(args.households)
    if Intake.objects.exists():
        log("service load found: measuring it again")
        return loaded_counts()
    log(f"loading {args.cases:,} cases")
    counts = load(args.cases)
    log(f"loaded: {counts}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--households", type=int, default=255_000)
    parser.add_argument("--reuse", action="store_true", help="measure the loaded copy again")
    parser.add_argument(
        "--write", action="store_true", help="write the table into docs/benchmarks.md"
    )
    parser.add_argument(
        "--database-url",
        help="measure on this (PostgreSQL) database: migrated and filled when empty, reused "
        "when it already holds the load",
    )
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    load_avg = os.getloadavg()
    counts: dict = {}
    if args.database_url:
        global DATABASE_URL
        DATABASE_URL = args.database_url
        counts = prepare_other_database(args)
    elif not (args.reuse and TARGET.exists()):
        if SOURCE.exists():
            log(f"copying {SOURCE.name} -> {TARGET.name}")
            copy_database(SOURCE, TARGET)
            manage("migrate", "--no-input", "-v0")
        else:
            log("no bench registry found: generating people")
            TARGET.unlink(missing_ok=True)
            manage("migrate", "--no-input", "-v0")
            generate_people(args.households)
        setup_django()
        log(f"loading {args.cases:,} cases")
        counts = load(args.cases)
        log(f"loaded: {counts}")
    else:
        setup_django()
        counts = loaded_counts()
    from pandu.registry.models import Person

    people = Person.objects.count()
    results = measure(args.requests)
    text = markdown(counts, results, people, database_size(), load_avg)
    print(text)
    if args.write:
        backend = "postgresql" if args.database_url else "sqlite"
        write_block(f"services-bench {backend}", text.strip().splitlines(),
                    section="## Services (bench/services.py)")  # fmt: skip
        log("written to docs/benchmarks.md")


if __name__ == "__main__":
    main()
