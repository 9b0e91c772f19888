"""Benchmark of Askesos: N members with 24 months of premiums, the monthly ledger run and one
provider's monthly report, on SQLite or PostgreSQL.

Usage (from the repository root):

    .venv/bin/python bench/insurance.py --members 2000              # var/bench/insurance.sqlite3
    .venv/bin/python bench/insurance.py --members 100000 --write    # the block in docs/
    .venv/bin/python bench/insurance.py --members 100000 --write \\
        --database-url postgres://postgres@127.0.0.1:5432/pandu_insbench

1. Database: ``migrate``, ``load_areas``, ``generate_registry --region 73.09`` with enough
   families for N people (about 3.9 a family) unless ``--reuse``. Then, straight in the tables
   (one ``INSERT … SELECT`` per table and month, no action): ``--providers`` accredited
   providers with one scheme each at the default terms; the first N registry people enrolled
   on 1 January 2024, spread over the providers; one cover period each; 24 months of dues
   (January 2024 to December 2025) and of payments: most members pay each month, one in
   twenty pays two months every second month, one in twenty a year ahead and then monthly, one
   in twenty stops paying at some month (spread over 27 months, so some stop during the
   measured months and lapse). Totals are written on the members, then one ledger run (not
   timed) settles the 24 months as the daily runs would have.
2. Measure, in this process, through the actions, each run turn about with its baseline so
   their ratio means something (``--repeat`` times, 3 by default):
   - the monthly ledger run (``actions.run_ledger``: dues, arrears, lapses) for January,
     February and March 2026, each month's payments written first and, on PostgreSQL,
     ``VACUUM ANALYZE`` run as autovacuum would between two months (neither timed); baseline: a
     raw ``GROUP BY`` of every member's dues and payments (their sums, read to the end);
   - one provider's report for March 2026 (``reports.provider_month``); baseline: the raw
     ``GROUP BY`` of that provider's dues of the month and payments in it.

Targets at 100,000 members: ledger run ≤ 10 s; a provider's monthly report ≤ 1 s. Prints a
Markdown block; ``--write`` puts it in docs/benchmarks.md (one block per database kind).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from common import machine, machine_line, write_block

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
TARGET = VAR / "insurance.sqlite3"
REGION = "73.09"
DATABASE_URL = f"sqlite:///{TARGET}"
START = date(2024, 1, 1)
MONTHS = 24
#: People per generated family (generate_registry, seed 1), with a margin.
PEOPLE_PER_FAMILY = 3.5
#: One member in this many follows each irregular pattern (stops, every second month, ahead).
PATTERN = 20
#: Stoppers stop at one of this many months from START (some inside the measured months).
STOP_SPREAD = 27


def log(msg: str) -> None:
    print(f"[insurance-bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def manage(*args: str) -> None:
    env = dict(os.environ, DATABASE_URL=DATABASE_URL)
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT
    )


def fresh_postgres(url: str) -> None:
    """Drop and create the benchmark's database (a local server only)."""
    import psycopg

    parts = urlparse(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("--database-url must point at 127.0.0.1 or localhost")
    name = parts.path.lstrip("/")
    if not name.startswith("pandu_"):
        raise SystemExit("the benchmark's PostgreSQL database must be named pandu_<something>")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def month(index: int) -> date:
    """The first day of the month ``index`` months after START."""
    year, m = divmod(START.month - 1 + index, 12)
    return date(START.year + year, m + 1, 1)


def build(members: int) -> None:
    manage("migrate", "--no-input", "-v0")
    manage("load_areas", "--if-empty")
    families = int(members / PEOPLE_PER_FAMILY) + 100
    manage("generate_registry", "--region", REGION, "--households", str(families), "--seed", "1")


# --- Set-up: rows written straight into the tables --------------------------------------------

SqlValue = str | tuple[str, list[Any]]


def _uid_sql(vendor: str) -> str:
    return "gen_random_uuid()" if vendor == "postgresql" else "lower(hex(randomblob(16)))"


def _true(vendor: str, value: bool) -> str:
    if vendor == "postgresql":
        return "TRUE" if value else "FALSE"
    return "1" if value else "0"


def insert_select(model, exprs: dict[str, SqlValue], source: str, params: list[Any]) -> int:
    """``INSERT INTO model (…) SELECT … source``. Each concrete column takes its SQL from
    ``exprs`` (text, or text with its parameters), else the field's default (one value for
    every row), else NULL: a column the model gains later needs no change here unless it has
    neither."""
    from django.db import connection

    q = connection.ops.quote_name
    columns: list[str] = []
    values: list[str] = []
    head: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        given = exprs.get(field.attname)
        if given is not None:
            sql, args = (given, []) if isinstance(given, str) else given
        else:
            default = field.get_default()  # "" for text without a default
            if default is None and field.null:
                continue
            if default is None:
                raise SystemExit(f"bench: {model.__name__}.{field.attname} needs a value")
            sql, args = "%s", [field.get_db_prep_save(default, connection)]
        columns.append(q(field.column))
        values.append(sql)
        head.extend(args)
    statement = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*head, *params])
        return cursor.rowcount


def clear() -> None:
    """The Askesos rows of an earlier measurement (``--reuse`` keeps the registry only)."""
    from django.apps import apps
    from django.db import connection, transaction

    from pandu.organisations.models import Organisation

    q = connection.ops.quote_name
    order = [
        "ClaimDocument",
        "Claim",
        "PremiumPayment",
        "PremiumImport",
        "PremiumDue",
        "CoverPeriod",
        "Member",
        "SchemeTerms",
        "Scheme",
        "AccreditationItem",
        "Accreditation",
        "ProviderStaff",
        "Provider",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for name in order:
            model = apps.get_model("insurance", name)
            history = getattr(model, "history", None)
            tables = [model._meta.db_table]
            if history is not None:
                tables.append(history.model._meta.db_table)
            for table in tables:
                cursor.execute(f"DELETE FROM {q(table)}")  # noqa: S608
        Organisation.objects.filter(name__startswith="LKS Peduli Sesama ").delete()


def providers(count: int) -> list[Any]:
    """``count`` accredited providers (codes BN01…), each with one scheme at the default
    terms."""
    from django.db import transaction

    from pandu.insurance.choices import AccreditationStatus
    from pandu.insurance.defaults import DEFAULT_TERMS
    from pandu.insurance.models import Accreditation, Provider, Scheme, SchemeTerms
    from pandu.organisations.models import Organisation, OrganisationKind

    made = []
    with transaction.atomic():
        for n in range(1, count + 1):
            body = Organisation.objects.create(
                name=f"LKS Peduli Sesama {n}", kind=OrganisationKind.LKS, area_id=REGION
            )
            provider = Provider.objects.create(
                organisation=body, area_code=REGION, code=f"BN{n:02d}"
            )
            Accreditation.objects.create(
                provider=provider,
                applied_on=date(2023, 6, 1),
                status=AccreditationStatus.ACCREDITED,
                decision_number=f"400/{n}/DINSOS/2023",
                decided_on=date(2023, 11, 1),
                valid_from=date(2023, 12, 1),
                valid_until=date(2028, 11, 30),
            )
            scheme = Scheme.objects.create(provider=provider, name="Askesos Mandiri")
            SchemeTerms.objects.create(scheme=scheme, valid_from=date(2023, 12, 1), **DEFAULT_TERMS)
            made.append(provider)
    return made


def _by_remainder(column: str, ids: list[int]) -> str:
    """``ids[column % len(ids)]`` in SQL (the ids are our own integers)."""
    whens = " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(ids))
    return f"CASE {column} %% {len(ids)} {whens} END"


def enrol(count: int, chosen: list[Any]) -> int:
    """The first ``count`` active registry people, members since START, spread over the
    providers, each with an open cover period."""
    from django.db import connection

    from pandu.insurance.models import CoverPeriod, Member
    from pandu.registry.models import Person

    vendor = connection.vendor
    q = connection.ops.quote_name
    now = datetime.now(UTC)
    schemes = [p.schemes.get().pk for p in chosen]
    n = insert_select(
        Member,
        {
            "uid": _uid_sql(vendor),
            "created_at": ("%s", [now]),
            "updated_at": ("%s", [now]),
            "number": "'ASK-BN-' || CAST(p.id AS VARCHAR(20))",
            # By the person's id divided by the pattern's period: every provider gets its
            # share of each payment pattern.
            "provider_id": _by_remainder(f"(p.id / {PATTERN})", [p.pk for p in chosen]),
            "scheme_id": _by_remainder(f"(p.id / {PATTERN})", schemes),
            "person_id": "p.id",
            "household_id": "p.household_id",
            "area_code": "p.area_code",
            "enrolled_on": ("%s", [START]),
            "occupation": "'Petani penggarap'",
            "work_status": "2",
            "monthly_income": "300000",
            "breadwinner": _true(vendor, True),
            "status": "'aktif'",
            "status_on": ("%s", [START]),
            "dues_from": ("%s", [START]),
        },
        f"FROM (SELECT id, household_id, area_code FROM {q(Person._meta.db_table)} "  # noqa: S608
        "WHERE status = 'active' ORDER BY id LIMIT %s) p ORDER BY p.id",
        [count],
    )
    insert_select(
        CoverPeriod,
        {
            "membership_id": "m.id",
            "start": "m.enrolled_on",
            "waiting_from": "m.enrolled_on",
            "reinstated": _true(vendor, False),
        },
        f"FROM {q(Member._meta.db_table)} m",  # noqa: S608
        [],
    )
    return n


def _premium() -> int:
    from pandu.insurance.defaults import DEFAULT_TERMS

    return int(str(DEFAULT_TERMS["monthly_premium"]))


def _stop_month(alias: str) -> str:
    return f"(({alias}.id / {PATTERN}) %% {STOP_SPREAD})"


def amount_sql(k: int, alias: str = "m") -> str:
    """What member ``alias`` pays in month ``k`` (0: nothing), by its pattern (its id)."""
    p = _premium()
    every_second = 2 * p if k % 2 == 1 else 0
    ahead = 12 * p if k == 0 else (p if k >= 12 else 0)
    return (
        f"CASE {alias}.id %% {PATTERN} "
        f"WHEN 0 THEN CASE WHEN {k} < {_stop_month(alias)} THEN {p} ELSE 0 END "
        f"WHEN 1 THEN {every_second} WHEN 2 THEN {ahead} ELSE {p} END"
    )


def dues(months: int) -> int:
    """Dues of months 0 … ``months`` - 1 at the default premium; a stopper's only while they
    would still be covered (through their lapse month)."""
    from django.db import connection

    from pandu.insurance.defaults import DEFAULT_TERMS
    from pandu.insurance.models import Member, PremiumDue

    q = connection.ops.quote_name
    lapse_after = int(str(DEFAULT_TERMS["lapse_after_months"]))
    written = 0
    for k in range(months):
        first = month(k)
        written += insert_select(
            PremiumDue,
            {
                "membership_id": "m.id",
                "month": ("%s", [first]),
                "amount": str(_premium()),
                "due_on": ("%s", [first.replace(day=int(str(DEFAULT_TERMS["due_day"])))]),
            },
            f"FROM {q(Member._meta.db_table)} m WHERE m.id %% {PATTERN} <> 0 "  # noqa: S608
            f"OR {_stop_month('m')} + {lapse_after} >= {k}",
            [],
        )
    members = q(Member._meta.db_table)
    due = q(PremiumDue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {members} SET total_due = (SELECT COALESCE(SUM(d.amount), 0) FROM {due} d "  # noqa: S608
            f"WHERE d.membership_id = {members}.id), dues_through = (SELECT MAX(d.month) "
            f"FROM {due} d WHERE d.membership_id = {members}.id)"
        )
    return written


def lapse_stoppers(months: int) -> int:
    """Stoppers whose last day of cover (``rules.lapse_day``) came before the end of the set-up
    months lapsed the day after it, their cover period ending on it, as the daily runs would
    have done."""
    from django.db import connection

    from pandu.insurance.models import CoverPeriod, Member, SchemeTerms
    from pandu.insurance.rules import lapse_day

    q = connection.ops.quote_name
    members, periods = q(Member._meta.db_table), q(CoverPeriod._meta.db_table)
    terms = SchemeTerms.objects.order_by("id").first()
    assert terms is not None
    end = month(months)
    lapsed = 0
    with connection.cursor() as cursor:
        for stop in range(STOP_SPREAD):
            last = lapse_day(month(stop), terms)
            if last >= end:
                continue
            which = f"id %% {PATTERN} = 0 AND (id / {PATTERN}) %% {STOP_SPREAD} = %s"
            cursor.execute(
                f"UPDATE {members} SET status = 'gugur', status_on = %s WHERE {which}",  # noqa: S608
                [last + timedelta(days=1), stop],
            )
            lapsed += cursor.rowcount
            cursor.execute(
                f"UPDATE {periods} SET {q('end')} = %s WHERE membership_id IN "  # noqa: S608
                f"(SELECT id FROM {members} WHERE {which})",
                [last, stop],
            )
    return lapsed


def pay(k: int) -> int:
    """Month ``k``'s payments of every member who is not ended, by pattern (cash, on day 1 to
    20 of the month), added to their ``total_paid`` as the payment action does."""
    from django.db import connection

    from pandu.insurance.models import Member, PremiumPayment

    q = connection.ops.quote_name
    members = q(Member._meta.db_table)
    now = datetime.now(UTC)
    first = month(k)
    if connection.vendor == "postgresql":
        paid_on = "CAST(%s AS date) + CAST(m.id %% 20 AS integer)"
    else:
        paid_on = "date(%s, '+' || (m.id %% 20) || ' days')"
    n = insert_select(
        PremiumPayment,
        {
            "uid": _uid_sql(connection.vendor),
            "created_at": ("%s", [now]),
            "updated_at": ("%s", [now]),
            "membership_id": "m.id",
            "provider_id": "m.provider_id",
            "area_code": "m.area_code",
            "amount": "m.amount",
            "paid_on": (paid_on, [first]),
            "method": "'tunai'",
            "reference": "''",
            "receipt_number": f"'KW-BN-{first:%Y%m}-' || CAST(m.id AS VARCHAR(20))",
            "note": "''",
        },
        f"FROM (SELECT id, provider_id, area_code, {amount_sql(k)} AS amount "  # noqa: S608
        f"FROM {members} m WHERE status <> 'berakhir') m WHERE m.amount > 0",
        [],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {members} SET total_paid = total_paid + ({amount_sql(k, members)}) "  # noqa: S608
            "WHERE status <> 'berakhir'",
            [],  # with parameters, so that %% reads as SQL's modulo on both databases
        )
    return n


def upkeep() -> None:
    """PostgreSQL's own upkeep, as autovacuum does in the weeks between two monthly runs: the
    set-up and each month's payments rewrite every member's row, and the run should not pay for
    the dead rows a month of autovacuum would have cleared. Not timed; nothing on SQLite."""
    from django.db import connection

    from pandu.insurance.models import Member, PremiumDue, PremiumPayment

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Member, PremiumDue, PremiumPayment):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def prepare(count: int, provider_count: int) -> dict[str, Any]:
    """Providers, members, 24 months of dues and payments, then the ledger settled (once,
    not timed)."""
    from django.db import transaction

    from pandu.insurance import actions

    clear()
    chosen = providers(provider_count)
    started = time.perf_counter()
    with transaction.atomic():
        enrolled = enrol(count, chosen)
        if enrolled < count:
            raise SystemExit(f"bench: only {enrolled:,} active registry people for {count:,}")
        written = dues(MONTHS)
        paid = sum(pay(k) for k in range(MONTHS))
        lapsed = lapse_stoppers(MONTHS)
    log(f"{enrolled:,} members ({lapsed:,} lapsed), {written:,} dues, {paid:,} payments written")
    upkeep()
    settle_started = time.perf_counter()
    figures = actions.run_ledger(date(2025, 12, 31))
    settled = time.perf_counter() - settle_started
    log(f"ledger settled over 24 months in {settled:.1f} s: {figures}")
    return {
        "members": enrolled,
        "dues": written,
        "payments": paid,
        "setup": settle_started - started,
        "settle": settled,
    }


# --- Measurements ---------------------------------------------------------------------------


def baseline_ledger() -> float:
    """Every member's dues and payments summed with a raw ``GROUP BY`` each, joined and read
    to the end (nothing written): the sums a ledger starts from."""
    from django.db import connection

    from pandu.insurance.models import PremiumDue, PremiumPayment

    q = connection.ops.quote_name
    due, paid = q(PremiumDue._meta.db_table), q(PremiumPayment._meta.db_table)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), SUM(d.due), SUM(COALESCE(p.paid, 0)) FROM "  # noqa: S608
            f"(SELECT membership_id, SUM(amount) AS due, MAX(month) AS last FROM {due} "
            "GROUP BY membership_id) d LEFT JOIN "
            f"(SELECT membership_id, SUM(amount) AS paid FROM {paid} GROUP BY membership_id) p "
            "ON p.membership_id = d.membership_id"
        )
        cursor.fetchall()
    return time.perf_counter() - started


def baseline_report(provider, first: date, last: date) -> float:
    """One provider's dues of the month by member status, and its payments in the month, each
    a raw ``GROUP BY``."""
    from django.db import connection

    from pandu.insurance.models import Member, PremiumDue, PremiumPayment

    q = connection.ops.quote_name
    members = q(Member._meta.db_table)
    due, paid = q(PremiumDue._meta.db_table), q(PremiumPayment._meta.db_table)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.status, COUNT(*), SUM(d.amount) FROM {due} d JOIN {members} m "  # noqa: S608
            "ON m.id = d.membership_id WHERE m.provider_id = %s AND d.month = %s "
            "GROUP BY m.status",
            [provider.pk, first],
        )
        cursor.fetchall()
        cursor.execute(
            f"SELECT method, COUNT(*), SUM(amount) FROM {paid} "  # noqa: S608
            "WHERE provider_id = %s AND paid_on BETWEEN %s AND %s GROUP BY method",
            [provider.pk, first, last],
        )
        cursor.fetchall()
    return time.perf_counter() - started


def _month_end(first: date) -> date:
    return month_after(first) - timedelta(days=1)


def month_after(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def measure(repeat: int) -> dict[str, Any]:
    from pandu.insurance import actions, reports
    from pandu.insurance.models import Member, PremiumDue, PremiumPayment, Provider

    runs, ledger_reads, figures = [], [], []
    for r in range(repeat):  # turn about with the raw read, so their ratio means something
        k = MONTHS + r
        pay(k)
        upkeep()
        ledger_reads.append(baseline_ledger())
        on = _month_end(month(k))
        started = time.perf_counter()
        figures.append(actions.run_ledger(on))
        runs.append(time.perf_counter() - started)
        log(f"ledger run {on}: {runs[-1]:.2f} s {figures[-1]}")
    provider = Provider.objects.order_by("code").first()
    assert provider is not None
    report_month = month(MONTHS + repeat - 1)
    reports_taken, report_reads = [], []
    book = None
    for _r in range(repeat):
        report_reads.append(baseline_report(provider, report_month, _month_end(report_month)))
        started = time.perf_counter()
        book = reports.provider_month(provider, report_month)
        reports_taken.append(time.perf_counter() - started)
    log(f"book of {provider.code} {report_month:%Y-%m}: {book}")
    return {
        "members": Member.objects.count(),
        "provider_members": Member.objects.filter(provider=provider).count(),
        "providers": Provider.objects.count(),
        "dues": PremiumDue.objects.count(),
        "payments": PremiumPayment.objects.count(),
        "runs": runs,
        "ledger_reads": ledger_reads,
        "figures": figures,
        "reports": reports_taken,
        "report_reads": report_reads,
        "report_month": report_month,
        "provider": provider.code,
        "book": book,
    }


def _times(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def _met(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def markdown(r: dict[str, Any], setup: dict[str, Any], backend: str) -> str:
    m = machine()
    run, read = min(r["runs"]), min(r["ledger_reads"])
    report, report_read = min(r["reports"]), min(r["report_reads"])
    dues_written = sum(f.get("dues_written", 0) for f in r["figures"])
    lapsed = sum(f.get("lapsed", 0) for f in r["figures"])
    lines = [
        f"{machine_line(m)}; {backend}; {r['members']:,} members of {r['providers']} providers "
        f"(registry people of generate_registry, region {REGION}), {r['dues']:,} monthly dues "
        f"and {r['payments']:,} payments after the measured runs.",
        "",
        "| measure | result (best; each run) | target at 100,000 members |",
        "|---|---|---|",
        f"| monthly ledger run (`actions.run_ledger`, January to March 2026: "
        f"{dues_written:,} dues written, {lapsed:,} lapses) | {run:.2f} s ({_times(r['runs'])} "
        "s) | ≤ 10 s |",
        "| baseline, turn about with it: every member's dues and payments summed by a raw "
        f"`GROUP BY` | {read:.2f} s ({_times(r['ledger_reads'])} s; run {run / read:.1f}×) | — |",
        f"| provider {r['provider']}'s book of {r['report_month']:%B %Y} "
        f"(`reports.provider_month`, {r['provider_members']:,} members) | {report:.3f} s "
        f"({', '.join(f'{v:.3f}' for v in r['reports'])} s) | ≤ 1 s |",
        "| baseline, turn about with it: that provider's dues of the month and payments in it "
        f"by a raw `GROUP BY` | {report_read:.3f} s (report {report / report_read:.1f}×) | — |",
    ]
    lines += [
        "",
        f"Set-up (not a target): {setup['members']:,} members, {setup['dues']:,} dues and "
        f"{setup['payments']:,} payments inserted in {setup['setup']:.1f} s; the first "
        f"ledger run, settling all 24 months at once, {setup['settle']:.1f} s."
        + (
            " Before each run, that month's payments are inserted and `VACUUM ANALYZE` clears "
            "the dead rows of the members, dues and payments (not timed), as autovacuum would "
            "in the weeks between two runs."
            if backend == "PostgreSQL"
            else " Before each run, that month's payments are inserted (not timed)."
        ),
    ]
    if r["members"] == 100_000:
        lines += [
            "",
            f"Targets: the ledger run ≤ 10 s {_met(run <= 10)}; a provider's book ≤ 1 s "
            f"{_met(report <= 1)}.",
        ]
    else:
        lines += ["", "Measured at this size only; the targets are for 100,000 members."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--providers", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the registry of the last run; the Askesos rows are written afresh",
    )
    parser.add_argument("--write", action="store_true", help="write into docs/benchmarks.md")
    parser.add_argument(
        "--database-url",
        help="measure on this database instead of var/bench/insurance.sqlite3 (a local "
        "PostgreSQL database named pandu_…, made afresh unless --reuse)",
    )
    args = parser.parse_args()
    if args.repeat < 1 or args.members < args.providers:
        parser.error("--repeat at least 1, --members at least --providers")
    VAR.mkdir(parents=True, exist_ok=True)
    global DATABASE_URL
    if args.database_url:
        DATABASE_URL = args.database_url
    postgres = DATABASE_URL.startswith(("postgres://", "postgresql://"))
    if args.reuse:
        manage("migrate", "--no-input", "-v0")
    else:
        if postgres:
            fresh_postgres(DATABASE_URL)
        elif DATABASE_URL.startswith("sqlite:///"):
            target = DATABASE_URL.removeprefix("sqlite:///")
            for suffix in ("", "-wal", "-shm"):
                Path(target + suffix).unlink(missing_ok=True)
        log(f"building a registry for {args.members:,} members")
        build(args.members)
    setup_django()
    log("writing providers, members, dues and payments")
    setup = prepare(args.members, args.providers)
    log("measuring")
    result = measure(args.repeat)
    backend = "PostgreSQL" if postgres else "SQLite"
    text = markdown(result, setup, backend)
    print(text)
    if args.write:
        write_block(
            f"insurance-bench {backend.lower()}",
            text.splitlines(),
            section="## Askesos (bench/insurance.py)",
        )
        log("written to docs/benchmarks.md")


if __name__ == "__main__":
    main()
