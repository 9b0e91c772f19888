#!/usr/bin/env python
"""Pandu load test: an office's worth of users at once against a registry of about 1M people.

1. ``migrate`` the target database (PostgreSQL, by default ``pandu_paybench`` on 127.0.0.1,
   already filled; nothing is dropped or rebuilt), then make sure its two load-test accounts
   exist (``load-desk``, front office, and ``load-api``, social worker; both regency 73.09,
   roles without forced two-factor), give them a fresh random password and the API account a
   fresh token (its earlier tokens revoked);
2. sample people (uid, NIK, name query), households and villages of the regency into
   ``var/bench/load-samples.json`` for the locustfile;
3. start gunicorn (4 workers, ``DEBUG=0``) on a free port of 127.0.0.1 and run Locust headless
   (``bench/locustfile.py``: 50 users, 10 started a second, 2 minutes);
4. read ``var/bench/load_stats.csv`` and write the figures to docs/benchmarks.md (block
   ``load-bench postgresql``) against the target: no errors, p95 ≤ 300 ms for every request.

Only 127.0.0.1 is contacted; gunicorn and Locust run in their own process groups and are
stopped at the end, also on errors or Ctrl+C. Run: ``make bench-load``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from common import machine, machine_line, write_block

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "bench"
HOST = "127.0.0.1"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pandu_paybench"
REGENCY = "73.09"
DESK_USER, API_USER = "load-desk", "load-api"
SAMPLE_SEED = 20260702
TARGET_P95_MS = 300.0
BASELINE = "/healthz"
SERVER_START_TIMEOUT = 90
MIGRATE_TIMEOUT = 900


class LoadError(Exception):
    pass


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", flush=True)


def local_only(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost"):
        raise LoadError(f"refusing a database on {host!r}: the load test stays on 127.0.0.1")


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": "load-" + secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": HOST,
            "PANDU_SECURE": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("REDIS_URL", None)
    return env


def migrate(env: dict[str, str]) -> None:
    proc = subprocess.run(  # noqa: S603
        [str(VENV_BIN / "python"), "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=MIGRATE_TIMEOUT,
        check=False,
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or [""])[-1]
        raise LoadError(f"migrate failed ({proc.returncode}): {last}")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_accounts() -> dict[str, str]:
    """The two accounts, each with a new password; a new token for the API account."""
    from django.db import transaction

    from pandu.accounts.actions import change_own_password, create_user, issue_token
    from pandu.accounts.models import User

    password = "Lt-" + secrets.token_urlsafe(24)
    for username, role in ((DESK_USER, "front_office"), (API_USER, "social_worker")):
        with transaction.atomic():
            user = User.objects.filter(username=username).first()
            if user is None:
                create_user(username, role=role, area_code=REGENCY, password=password)
            else:
                if (user.role, user.area_id, user.is_active) != (role, REGENCY, True):
                    raise LoadError(
                        f"user {username!r} exists with another role, area or inactive; "
                        "fix it or remove it by hand"
                    )
                change_own_password(user, password)
    api_user = User.objects.get(username=API_USER)
    token = issue_token(api_user, name="load test (bench/load.py)", days=1, renew=True)
    return {"desk_username": DESK_USER, "password": password, "token": token}


def sample(n: int) -> dict[str, Any]:
    """People (uid, NIK, a name query typed like at a counter), households and villages."""
    from django.db import connection

    rng = random.Random(SAMPLE_SEED)
    with connection.cursor() as cur:
        cur.execute("SELECT min(id), max(id) FROM registry_person")
        low, high = cur.fetchone()
        if not high:
            raise LoadError("no people in the database")
        ids = rng.sample(range(low, high + 1), min(high - low + 1, 3 * n))
        cur.execute(
            "SELECT p.uid, p.nik, p.name_key, h.uid, h.village_id FROM registry_person p "
            "JOIN registry_household h ON h.id = p.household_id "
            "WHERE p.id = ANY(%s) AND p.area_code LIKE %s AND p.status = 'active' ORDER BY p.id",
            [ids, REGENCY + "%"],
        )
        rows = cur.fetchall()[:n]
    if not rows:
        raise LoadError(f"no active people of {REGENCY} among the sampled rows")
    names = []
    for _uid, _nik, key, _h, _v in rows:
        tokens = (key or "").split()[:2]
        if tokens and tokens[0] == "muhamad":
            tokens[0] = rng.choice(["moh", "muh", "muhammad"])
        if tokens:
            names.append(" ".join(tokens))
    return {
        "person_uids": [str(r[0]) for r in rows],
        "niks": [r[1] for r in rows],
        "names": names,
        "household_uids": sorted({str(r[3]) for r in rows}),
        "villages": sorted({r[4] for r in rows}),
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def stop_group(proc: subprocess.Popen | None) -> None:
    """SIGTERM to the process group started for ``proc``, SIGKILL if it does not go."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


class Server:
    """gunicorn (sync workers) on a free port of 127.0.0.1; its process group is stopped when
    leaving the block."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.env, self.workers = env, workers
        self.port = free_port()
        self.log_path = VAR / "gunicorn-load.log"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        import http.client

        with self.log_path.open("w") as log_file:
            self.proc = subprocess.Popen(  # noqa: S603
                [
                    str(VENV_BIN / "gunicorn"), "pandu.wsgi", "-w", str(self.workers),
                    "-b", f"{HOST}:{self.port}", "--timeout", "120", "--log-level", "warning",
                ],
                cwd=ROOT, env=self.env, stdout=log_file, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise LoadError(f"gunicorn exited ({self.proc.returncode}); see {self.log_path}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/healthz?check=database")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    self.warm_up()
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise LoadError(f"gunicorn did not answer within {SERVER_START_TIMEOUT} s")

    def warm_up(self) -> None:
        """A few unmeasured requests, so each worker has loaded its code before Locust starts."""
        import http.client

        for _ in range(3 * self.workers):
            for path in ("/akun/masuk/", "/healthz?check=database"):
                try:
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                    conn.request("GET", path)
                    conn.getresponse().read()
                    conn.close()
                except OSError:
                    pass

    def stop(self) -> None:
        stop_group(self.proc)

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_locust(port: int, args: argparse.Namespace, samples_path: Path) -> int:
    prefix = VAR / "load"
    for suffix in ("_stats.csv", "_failures.csv", "_exceptions.csv", "_stats_history.csv"):
        Path(f"{prefix}{suffix}").unlink(missing_ok=True)
    command = [
        str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.run_time,
        "--host", f"http://{HOST}:{port}", "--csv", str(prefix), "--only-summary",
        "--stop-timeout", "10", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = dict(os.environ, LOAD_SAMPLES=str(samples_path), PYTHONUNBUFFERED="1")
    log(" ".join(Path(c).name if c.startswith("/") else c for c in command))
    proc = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    try:
        return proc.wait(timeout=seconds(args.run_time) + 120)
    except subprocess.TimeoutExpired:
        log("Locust did not finish in time: stopped")
        return -1
    finally:
        stop_group(proc)


def seconds(text: str) -> int:
    """``2m``, ``90s``, ``1h30m`` or a plain number of seconds."""
    total, number = 0, ""
    for ch in text.strip():
        if ch.isdigit():
            number += ch
        else:
            total += int(number or 0) * {"h": 3600, "m": 60, "s": 1}[ch]
            number = ""
    return total + int(number or 0)


def read_stats(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            rows.append(
                {
                    "type": row["Type"],
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "median": float(row["50%"] or 0),
                    "p95": float(row["95%"] or 0),
                    "p99": float(row["99%"] or 0),
                    "rps": float(row["Requests/s"] or 0),
                }
            )
    return rows


def read_failures(path: Path) -> list[str]:
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return [
            f"{r['Method']} {r['Name']}: {r['Error'][:160]} ({r['Occurrences']}×)"
            for r in csv.DictReader(f)
        ]


def markdown(
    rows: list[dict[str, Any]],
    failures: list[str],
    m: dict[str, Any],
    args: argparse.Namespace,
    facts: dict[str, Any],
) -> list[str]:
    base = next((r for r in rows if r["name"] == BASELINE), None)
    total = next((r for r in rows if r["name"] == "Aggregated"), None)
    lines = [
        f"{machine_line(m)}; load average at the end "
        f"{', '.join(str(round(x, 2)) for x in facts['load_at_end'])}.",
        "",
        f"PostgreSQL {facts['server']} (`{facts['database']}`, {facts['people']:,} people, "
        f"{facts['households']:,} households); gunicorn `-w {args.workers}` (sync, `DEBUG=0`) "
        f"on 127.0.0.1 on the same 2 CPUs as Locust and PostgreSQL; Locust {facts['locust']} "
        f"`--headless -u {args.users} -r {args.spawn_rate} -t {args.run_time}`: desk staff "
        "(front office, signed in through the form, 1–3 s between pages) and API clients "
        "(token, 1–2 s), about 4 to 1, and one health probe a second; a few unmeasured "
        "requests warm the workers first.",
        "",
        "| request | requests | failures | median ms | p95 ms | p99 ms | req/s | p95 ÷ /healthz |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(rows, key=lambda r: (r["name"] == "Aggregated", r["name"] != BASELINE)):
        ratio = "—"
        if base and base["p95"] and r["name"] not in (BASELINE,):
            ratio = f"{r['p95'] / base['p95']:.1f}×"
        elif r["name"] == BASELINE:
            ratio = "1.0× (baseline)"
        label = "**all requests**" if r["name"] == "Aggregated" else f"`{r['type']} {r['name']}`"
        lines.append(
            f"| {label} | {r['requests']:,} | {r['failures']:,} | {r['median']:.0f} | "
            f"{r['p95']:.0f} | {r['p99']:.0f} | {r['rps']:.1f} | {ratio} |"
        )
    lines.append("")
    if total and total["requests"]:
        error_rate = total["failures"] / total["requests"]
        slow = [r["name"] for r in rows if r["name"] != "Aggregated" and r["p95"] > TARGET_P95_MS]
        met = error_rate == 0 and not slow
        verdict = "**met**" if met else "**NOT met**"
        detail = [f"error rate {error_rate:.2%}"]
        detail.append(
            f"p95 over {TARGET_P95_MS:.0f} ms: " + ", ".join(f"`{s}`" for s in slow)
            if slow
            else f"every p95 ≤ {TARGET_P95_MS:.0f} ms"
        )
        lines.append(
            f"Target: error rate 0 and p95 ≤ {TARGET_P95_MS:.0f} ms for every request: "
            f"{verdict} ({'; '.join(detail)}). Latency is Locust's, at the client, full response "
            "included; percentiles are Locust's rounded buckets."
        )
        if base and base["median"] >= 0.5 * total["median"] and total["median"] >= 1000:
            lines += [
                "",
                f"The server was saturated: {total['rps']:.1f} requests/s in all, and the "
                f"cheapest request waited as long as the pages (`/healthz` median "
                f"{base['median']:.0f} ms, all requests {total['median']:.0f} ms), so the time "
                "is spent queueing for one of the workers, not in the pages themselves.",
            ]
    else:
        lines.append("No requests were recorded: **NOT met**.")
    if failures:
        lines += ["", "Failures:", ""] + [f"- {f}" for f in failures[:10]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--run-time", default="2m")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--samples", type=int, default=500, help="people sampled for the tasks")
    parser.add_argument("--no-docs", action="store_true", help="print the figures only")
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        log("the load test is meant for PostgreSQL (SQLite takes one writer at a time)")
    else:
        local_only(args.database_url)
    VAR.mkdir(parents=True, exist_ok=True)
    m = machine()
    env = server_env(args.database_url)
    log("migrate")
    migrate(env)
    setup_django(args.database_url)
    from django.db import connection

    from pandu.registry.models import Household, Person

    log("accounts and token")
    secrets_ = ensure_accounts()
    log(f"sampling {args.samples} people")
    data = sample(args.samples)
    samples_path = VAR / "load-samples.json"
    samples_path.write_text(json.dumps({**data, **secrets_}))
    samples_path.chmod(0o600)
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        server_version = cur.fetchone()[0]
    facts: dict[str, Any] = {
        "server": server_version.split()[0],
        "database": urlsplit(args.database_url).path.lstrip("/"),
        "people": Person.objects.count(),
        "households": Household.objects.count(),
        "locust": metadata.version("locust"),  # not imported: it patches the process
    }
    connection.close()
    with Server(env, args.workers) as server:
        log(f"gunicorn -w {args.workers} on {HOST}:{server.port}")
        code = run_locust(server.port, args, samples_path)
    facts["load_at_end"] = os.getloadavg()
    log(f"Locust exited with {code}")
    stats = VAR / "load_stats.csv"
    if not stats.exists():
        raise LoadError(f"{stats} was not written")
    lines = markdown(read_stats(stats), read_failures(VAR / "load_failures.csv"), m, args, facts)
    print("\n".join(lines), flush=True)
    if not args.no_docs:
        write_block("load-bench postgresql", lines, section="## Load (bench/load.py)")
        log("written to docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (LoadError, subprocess.TimeoutExpired) as exc:
        log(f"FAILED: {exc}")
        sys.exit(1)
