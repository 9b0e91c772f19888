#!/usr/bin/env python
"""Pandu benchmark: load ~1,000,000 synthetic people, then time NIK lookups and the search page.

For each backend (SQLite in a file under var/bench/, PostgreSQL database ``pandu_bench``):

1. create an empty database (migrate + load_areas) and run ``generate_registry`` (timed);
2. create an admin user and an API token;
3. start gunicorn (2 workers) on a free port on 127.0.0.1 and measure, sequentially,
   ``GET /api/v1/persons/?nik=`` and the search page (a NIK posted, a name in ``?q=``);
4. write the figures to docs/benchmarks.md (and var/bench/result-<backend>.json) and print them.

Only 127.0.0.1 is contacted. Every loop is bounded by a count and a deadline; gunicorn is stopped
at the end, also on errors. Run: ``.venv/bin/python bench/run.py`` (``make bench``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from common import machine

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
VAR = ROOT / "var" / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
HOST = "127.0.0.1"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "pandu_bench"
GOAL_P95_MS = 50.0
USERNAME = "bench"
SAMPLE_SEED = 20260701
WARMUP = 20

# Upper bounds, so a broken server cannot keep the benchmark running for ever.
SETUP_TIMEOUT = 300  # migrate, load_areas, add_user
GENERATE_TIMEOUT = 1200
REQUEST_TIMEOUT = 30
LOOP_DEADLINE = 180  # seconds per measurement loop
SERVER_START_TIMEOUT = 60
TOTAL_DEADLINE = 28 * 60

FIXED_NAME_QUERIES = [
    "moh rahman", "muhammad rahman", "siti aminah", "sitti hadijah", "nur aisyah", "muh yusuf",
    "abd rahman", "andi baso", "hasnah", "syamsuddin", "achmad", "soeharto",
]  # fmt: skip


class BenchError(Exception):
    pass


# --- helpers --------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def manage(env: dict[str, str], *args: str, timeout: int = SETUP_TIMEOUT) -> str:
    proc = subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        shown = " ".join(
            "***" if i and args[i - 1] == "--password" else a for i, a in enumerate(args)
        )
        last = (proc.stderr.strip().splitlines() or [""])[-1]
        raise BenchError(f"manage.py {shown} failed ({proc.returncode}): {last}")
    return proc.stdout


def base_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "PANDU_SECURE": "0",
            "PYTHONUNBUFFERED": "1",
            # The benchmark's administrator signs in with a password alone (no authenticator).
            "PANDU_2FA_REQUIRED_ROLES": "",
        }
    )
    env.pop("REDIS_URL", None)
    return env


def local_only(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost"):
        raise BenchError(
            f"refusing to use a database on {host!r}: the benchmark stays on 127.0.0.1"
        )


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarise(times_ms: list[float]) -> dict[str, Any]:
    xs = sorted(times_ms)
    if not xs:
        return {"n": 0}
    return {
        "n": len(xs),
        "p50": round(percentile(xs, 0.50), 2),
        "p95": round(percentile(xs, 0.95), 2),
        "p99": round(percentile(xs, 0.99), 2),
        "mean": round(sum(xs) / len(xs), 2),
        "max": round(xs[-1], 2),
    }


# --- databases ------------------------------------------------------------------------------


def prepare_sqlite(reuse: bool) -> tuple[str, bool]:
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / "bench.sqlite3"
    url = f"sqlite:///{path}"
    if reuse and path.exists():
        return url, True
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return url, False


def pg_admin_connect(base: str):
    import psycopg

    return psycopg.connect(f"{base.rstrip('/')}/postgres", autocommit=True, connect_timeout=5)


def prepare_postgresql(base: str, reuse: bool) -> tuple[str | None, bool]:
    local_only(base)
    try:
        admin = pg_admin_connect(base)
    except Exception as exc:  # psycopg.OperationalError or missing driver
        log(f"PostgreSQL at {base} is not reachable ({exc.__class__.__name__}): skipped.")
        return None, False
    url = f"{base.rstrip('/')}/{PG_DATABASE}"
    with admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,)
        ).fetchone()
        if reuse and exists:
            return url, True
        admin.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    return url, False


def sqlite_path(url: str) -> str:
    """The file of a ``sqlite:////abs/path`` URL."""
    return "/" + url.split(":///", 1)[1].lstrip("/")


def db_query(backend: str, url: str, sql: str, params: tuple = ()) -> list[tuple]:
    if backend == "sqlite":
        path = sqlite_path(url)
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as conn:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as conn:
        return conn.execute(sql, params).fetchall()


def database_size(backend: str, url: str) -> str:
    try:
        if backend == "sqlite":
            size = Path(sqlite_path(url)).stat().st_size
        else:
            size = db_query(backend, url, "SELECT pg_database_size(current_database())")[0][0]
        return f"{size / 2**30:.2f} GiB"
    except Exception:
        return "?"


def samples(backend: str, url: str, n_nik: int, n_names: int) -> tuple[list[str], list[str]]:
    """NIKs of randomly chosen (fixed seed) people and name queries typed like at a counter."""
    rng = random.Random(SAMPLE_SEED)
    top = db_query(backend, url, "SELECT max(id) FROM registry_person")[0][0] or 0
    if top == 0:
        raise BenchError("no people in the database")
    ids = sorted(rng.sample(range(1, top + 1), min(top, n_nik + n_names + 200)))
    rows: list[tuple] = []
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        marks = ", ".join(["%s"] * len(part))
        rows += db_query(
            backend,
            url,
            f"SELECT id, nik, name_key FROM registry_person WHERE id IN ({marks})",  # noqa: S608
            tuple(part),
        )
    rows.sort()
    rng.shuffle(rows)
    niks = [r[1] for r in rows[:n_nik]]
    names = list(FIXED_NAME_QUERIES)
    for _id, _nik, key in rows[n_nik:]:
        tokens = key.split()[:2]
        if not tokens:
            continue
        if tokens[0] == "muhamad":
            tokens[0] = rng.choice(["moh", "muh", "muhammad", "m"])
        names.append(" ".join(tokens))
        if len(names) >= n_names:
            break
    return niks, names


# --- server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with two sync workers; stopped (whole process group) when leaving the block."""

    def __init__(self, env: dict[str, str], backend: str) -> None:
        self.env = env
        self.port = free_port()
        self.log_path = VAR / f"gunicorn-{backend}.log"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        log_file = self.log_path.open("w")
        self.proc = subprocess.Popen(  # noqa: S603
            [
                str(GUNICORN), "pandu.wsgi", "-w", "2", "-b", f"{HOST}:{self.port}",
                "--timeout", "120", "--log-level", "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log_file.close()
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.proc.returncode}); see {self.log_path}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/akun/masuk/")
                conn.getresponse().read()
                conn.close()
                return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise BenchError("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Client:
    """Sequential requests over one http.client connection (reopened when the server closes)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: str | None = None
    ) -> tuple[int, bytes, float, http.client.HTTPResponse]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                started = time.perf_counter()
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                took = (time.perf_counter() - started) * 1000
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, data, took, response

    def close(self) -> None:
        self.conn.close()


def login(client: Client, password: str) -> bool:
    status, body, _t, _r = client.request("GET", "/akun/masuk/")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not match:
        return False
    form = urlencode(
        {
            "username": USERNAME,
            "password": password,
            "csrfmiddlewaretoken": match.group(1).decode(),
        }
    )
    status, _body, _t, _r = client.request(
        "POST",
        "/akun/masuk/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{client.port}/akun/masuk/",
        },
        body=form,
    )
    return status in (302, 303) and "sessionid" in client.cookies


def measure(
    client: Client,
    paths: list[str],
    headers: dict[str, str],
    count: int,
    json_results: bool,
    post_field: str = "",
) -> dict[str, Any]:
    """Time ``count`` sequential requests (after a warm-up); report percentiles and statuses.

    With ``post_field`` each path is ``url?value`` and the value is posted as that form field
    (with the session's CSRF token), the way the search page sends a NIK: never in the address.
    """
    statuses: dict[str, int] = {}
    times: list[float] = []
    found = 0
    deadline = time.monotonic() + LOOP_DEADLINE
    cut_short = False
    for i in range(WARMUP + count):
        if time.monotonic() > deadline:
            log(f"  loop deadline reached after {len(times)} timed requests")
            cut_short = True
            break
        path = paths[i % len(paths)]
        try:
            if post_field:
                url, _sep, value = path.partition("?")
                csrf = client.cookies.get("csrftoken", "")
                form = urlencode({post_field: value, "csrfmiddlewaretoken": csrf})
                post_headers = {
                    **headers,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://{HOST}:{client.port}{url}",
                }
                status, body, took, _r = client.request("POST", url, post_headers, form)
            else:
                status, body, took, _r = client.request("GET", path, headers=headers)
        except (http.client.HTTPException, OSError) as exc:
            statuses[type(exc).__name__] = statuses.get(type(exc).__name__, 0) + 1
            continue
        if i == 0 and status == 404:
            return {"available": False, "note": f"{paths[0].split('?')[0]} answered 404"}
        if i < WARMUP:
            continue
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        times.append(took)
        if status == 200:
            if json_results:
                try:
                    data = json.loads(body)
                    results = data.get("results", data) if isinstance(data, dict) else data
                    found += bool(results)
                except ValueError:
                    pass
            else:
                found += b'<td class="nik">' in body
    result: dict[str, Any] = {"available": True, **summarise(times), "statuses": statuses}
    result["found"] = found
    if cut_short:
        result["cut_short"] = f"stopped after {LOOP_DEADLINE} s"
    return result


# --- one backend ----------------------------------------------------------------------------


def create_user(env: dict[str, str]) -> tuple[str, str]:
    password = secrets.token_urlsafe(18)
    try:
        manage(env, "add_user", USERNAME, "--role", "admin", "--area", "73", "--password", password)
        token = manage(env, "issue_token", USERNAME).strip().splitlines()[-1].strip()
        return password, token
    except BenchError as exc:
        log(f"add_user/issue_token not usable ({str(exc).splitlines()[0]}); using the ORM")
    script = (
        "from pandu.accounts.actions import issue_token\n"
        "from pandu.accounts.models import User\n"
        f"u, _ = User.objects.get_or_create(username={USERNAME!r}, "
        "defaults={'role': 'admin', 'area_id': '73'})\n"
        f"u.role = 'admin'; u.area_id = '73'; u.set_password({password!r}); u.save()\n"
        "print(issue_token(u, name='bench'))\n"
    )
    token = manage(env, "shell", "-c", script).strip().splitlines()[-1].strip()
    return password, token


def generate(env: dict[str, str], region: str, households: int, seed: int) -> dict[str, Any]:
    log(f"generate_registry --region {region} --households {households} --seed {seed}")
    load_before = os.getloadavg()
    started = time.monotonic()
    cpu_before = os.times()
    output = manage(
        env,
        "generate_registry",
        "--region", region, "--households", str(households), "--seed", str(seed),
        timeout=GENERATE_TIMEOUT,
    )  # fmt: skip
    wall = time.monotonic() - started
    cpu_after = os.times()
    cpu = (cpu_after.children_user - cpu_before.children_user) + (
        cpu_after.children_system - cpu_before.children_system
    )
    print(output.strip(), flush=True)
    numbers = {}
    match = re.search(
        r"Done: ([\d,]+) households, ([\d,]+) people, ([\d,]+) PPKS, ([\d,]+) memberships", output
    )
    if match:
        keys = ("households", "people", "ppks", "memberships")
        numbers = {k: int(v.replace(",", "")) for k, v in zip(keys, match.groups(), strict=True)}
    seconds = re.search(r"\n([\d.]+) s, ([\d,]+) rows/s", output)
    return {
        **numbers,
        "region": region,
        "seed": seed,
        "command_seconds": float(seconds.group(1)) if seconds else None,
        "rows_per_second": int(seconds.group(2).replace(",", "")) if seconds else None,
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "load_before": [round(x, 2) for x in load_before],
    }


def run_backend(backend: str, args: argparse.Namespace, deadline: float) -> dict[str, Any] | None:
    log(f"=== {backend} ===")
    if backend == "sqlite":
        url, reused = prepare_sqlite(args.reuse)
    else:
        pg_url, reused = prepare_postgresql(args.pg_url, args.reuse)
        if pg_url is None:
            return None
        url = pg_url
    env = base_env(url)
    previous = load_result(backend)
    result: dict[str, Any] = {
        "backend": backend,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
    }
    if reused:
        log("reusing the existing database (generation figures from the previous run); migrate")
        manage(env, "migrate", "--noinput", "-v0", timeout=GENERATE_TIMEOUT)
        if previous.get("generation"):
            result["generation"] = {
                **previous["generation"],
                "from_previous_run": previous["generation"].get("from_previous_run")
                or previous["date"],
            }
    else:
        log("migrate + load_areas")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_areas")
        result["generation"] = generate(env, args.region, args.households, args.seed)
    if backend == "postgresql":
        result["server"] = db_query(backend, url, "SHOW server_version")[0][0]
    result["database_size"] = database_size(backend, url)
    if time.monotonic() > deadline:
        raise BenchError("overall deadline reached before the HTTP measurements")

    password, token = create_user(env)
    niks, names = samples(backend, url, args.requests, args.search_requests)
    api_paths = [f"/api/v1/persons/?nik={nik}" for nik in niks]
    # A NIK is posted (never in an address); the path carries it only for measure() to post.
    search_nik_paths = [f"/registri/cari/?{nik}" for nik in niks[: args.search_requests]]
    search_name_paths = [f"/registri/cari/?q={quote(n)}" for n in names]

    with Server(env, backend) as server:
        log(f"gunicorn on {HOST}:{server.port}")
        client = Client(server.port)
        try:
            api_headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
            log(f"API NIK lookups: {args.requests} requests")
            result["api_nik"] = measure(client, api_paths, api_headers, args.requests, True)
            client.close()
            client = Client(server.port)
            if login(client, password):
                log(
                    f"search page: {args.search_requests} NIK + {args.search_requests} name queries"
                )
                result["search_nik"] = measure(
                    client, search_nik_paths, {}, args.search_requests, False, post_field="q"
                )
                result["search_name"] = measure(
                    client, search_name_paths, {}, args.search_requests, False
                )
            else:
                note = "login at /akun/masuk/ failed"
                result["search_nik"] = result["search_name"] = {"available": False, "note": note}
        finally:
            client.close()
    result["name_queries_example"] = names[:8]
    return result


# --- report ---------------------------------------------------------------------------------


def result_path(backend: str) -> Path:
    return VAR / f"result-{backend}.json"


def load_result(backend: str) -> dict[str, Any]:
    try:
        return json.loads(result_path(backend).read_text())
    except (OSError, ValueError):
        return {}


def fmt_latency(row: dict[str, Any] | None) -> list[str]:
    if not row:
        return ["not measured"] + [""] * 5
    if not row.get("available", True):
        return [f"not available ({row.get('note', '')})"] + [""] * 5
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(row.get("statuses", {}).items()))
    return [
        str(row.get("n", 0)),
        f"{row.get('p50', float('nan')):.1f}",
        f"{row.get('p95', float('nan')):.1f}",
        f"{row.get('p99', float('nan')):.1f}",
        f"{row.get('mean', float('nan')):.1f}",
        f"{statuses}; with results: {row.get('found', 0)}"
        + (f"; **{row['cut_short']}**" if row.get("cut_short") else ""),
    ]


def render_backend(result: dict[str, Any]) -> str:
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["backend"]]
    m = result["machine"]
    g = result.get("generation", {})
    lines = [f"## {title}", ""]
    server = f", server {result['server']}" if result.get("server") else ""
    lines.append(
        f"Measured {result['date']} on `nproc` {m['nproc']}, {m['cpu']}, `free -g` total "
        f"{m['memory']}, "
        f"Python {m['python']}, SQLite library {m['sqlite']}{server}; load average at start "
        f"{', '.join(str(x) for x in m['load_at_start'])} (the machine is shared, so figures "
        "vary between runs). Database size after the load: "
        f"{result.get('database_size', '?')}."
    )
    lines.append("")
    if g:
        note = f" (from the run of {g['from_previous_run']})" if g.get("from_previous_run") else ""
        lines += [
            "| load | value |",
            "|---|---|",
            f"| region, seed | {g.get('region')}, {g.get('seed')} |",
            f"| households | {g.get('households', 0):,} |",
            f"| people | {g.get('people', 0):,} |",
            f"| PPKS assignments | {g.get('ppks', 0):,} |",
            f"| memberships | {g.get('memberships', 0):,} |",
            f"| generate_registry time{note} | {g.get('command_seconds')} s "
            f"(process wall time {g.get('wall_seconds')} s) |",
            f"| CPU time of the command (both processes) | {g.get('cpu_seconds')} s |",
            f"| load average before the load | {g.get('load_before')} |",
            f"| rows/s (all four tables) | {g.get('rows_per_second') or 0:,} |",
            "",
        ]
    goal = result.get("api_nik", {})
    verdict = ""
    if goal.get("available") and goal.get("n"):
        errors = goal["n"] - goal.get("statuses", {}).get("200", 0)
        if errors:
            verdict = f" **Not judged**: {errors} of {goal['n']} lookups did not answer 200."
        else:
            ok = goal["p95"] <= GOAL_P95_MS
            verdict = f" **Goal {'met' if ok else 'NOT met'}** (p95 {goal['p95']:.1f} ms)."
    lines += [
        "| request (sequential, one client) | n | p50 ms | p95 ms | p99 ms | mean ms | statuses |",
        "|---|---|---|---|---|---|---|",
        "| `GET /api/v1/persons/?nik=` (token) | " + " | ".join(fmt_latency(goal)) + " |",
        "| `POST /registri/cari/` q=<NIK> (session) | "
        + " | ".join(fmt_latency(result.get("search_nik")))
        + " |",
        "| `GET /registri/cari/?q=<name>` (session) | "
        + " | ".join(fmt_latency(result.get("search_name")))
        + " |",
        "",
        f"Goal: NIK lookup p95 ≤ {GOAL_P95_MS:.0f} ms at 1,000,000 people.{verdict} "
        "Name queries were like: "
        + ", ".join(repr(n) for n in result.get("name_queries_example", []))
        + ".",
        "",
    ]
    return "\n".join(lines)


HEADER = """# Benchmarks

Goal: looking a person up by NIK through the API answers in **p95 ≤ 50 ms with 1,000,000 people**
in the registry, on SQLite and on PostgreSQL.

How: `make bench` (= `.venv/bin/python bench/run.py`, see `bench/README.md`). For each backend it
creates an empty database, loads the areas, generates ~1,000,000 synthetic people with
`manage.py generate_registry --region 73.09 --households 255000 --seed 1` (all indexes in place),
creates an admin user, starts gunicorn (`-w 2`, `DEBUG=0`) on 127.0.0.1 and times requests one
after another from one client: `GET /api/v1/persons/?nik=` with NIKs of randomly chosen existing
people (fixed seed), and the search page (a NIK posted, a name as `GET /registri/cari/?q=`)
typed the way the front office types them ("moh rahman"). 20 warm-up requests are not counted.
Latency is measured at the client (connect + request + full response body); gunicorn's sync
workers close the connection after each response, so every request includes a local TCP connect.

Bulk loads are not in the per-record history: `generate_registry` writes households, people,
memberships and PPKS straight into the tables, without simple-history rows.

This file is rewritten by `bench/run.py`; each backend's section comes from its latest run
(`var/bench/result-<backend>.json`).
"""


NOTES_MARKER = "<!-- Notes below this line are kept when bench/run.py rewrites the file. -->"


def write_doc() -> str:
    kept = ""
    if DOC.exists():
        old = DOC.read_text(encoding="utf-8")
        if NOTES_MARKER in old:
            kept = old.split(NOTES_MARKER, 1)[1].strip()
    sections = [HEADER]
    for backend in ("sqlite", "postgresql"):
        result = load_result(backend)
        if result:
            sections.append(render_backend(result))
        else:
            title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
            sections.append(f"## {title}\n\nNot measured yet.\n")
    sections.append(NOTES_MARKER + "\n\n" + (kept or "## Notes\n"))
    text = "\n".join(sections).rstrip() + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--region", default="73.09")
    parser.add_argument("--households", type=int, default=255_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=1000, help="API NIK lookups (>= 1000)")
    parser.add_argument("--search-requests", type=int, default=200, help="per query kind")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    parser.add_argument(
        "--reuse", action="store_true", help="keep an already loaded benchmark database"
    )
    args = parser.parse_args(argv)
    deadline = time.monotonic() + TOTAL_DEADLINE
    VAR.mkdir(parents=True, exist_ok=True)
    failures = 0
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend not in ("sqlite", "postgresql"):
            log(f"unknown backend {backend!r}: skipped")
            continue
        if time.monotonic() > deadline:
            log("overall deadline reached: stopping")
            break
        try:
            result = run_backend(backend, args, deadline)
        except (BenchError, subprocess.TimeoutExpired) as exc:
            log(f"{backend}: FAILED: {exc}")
            failures += 1
            continue
        if result is None:
            continue
        result_path(backend).write_text(json.dumps(result, indent=2))
        print(render_backend(result), flush=True)
    write_doc()
    log(f"wrote {DOC.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
