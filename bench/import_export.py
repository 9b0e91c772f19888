"""Benchmark of the bulk import and export (issue 3), on SQLite and/or PostgreSQL.

For each backend: an empty database with the areas loaded, then

1. ``import_registry`` of the ~1,000,000-person file from
   ``generate_registry --region 73 --households 250000 --seed 1 --out FILE`` (made once, reused),
2. the same file again (every row unchanged: the idempotent re-run),
3. ``export_registry`` of all people to CSV.

Each step runs as its own process under ``/usr/bin/time -v`` (peak memory, process wall time);
the import's own time (without Python/Django start-up) is the one the command prints. Results go
to ``var/bench/exchange-<backend>.json``, and a Markdown table per backend is printed and written
to its block of docs/benchmarks.md (not with ``--no-docs``).

    .venv/bin/python bench/import_export.py --backend sqlite
    .venv/bin/python bench/import_export.py --backend postgresql \\
        --pg-url postgres://postgres@127.0.0.1:5432
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import check_text, cpu_check, machine, machine_line, write_block

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
if not PY.exists():
    PY = Path(sys.executable)
TIME = "/usr/bin/time"


def run(cmd: list[str], env: dict, *, timed: bool = False) -> dict:
    full = ([TIME, "-v"] if timed and Path(TIME).exists() else []) + cmd
    load = os.getloadavg()
    started = time.monotonic()
    proc = subprocess.run(full, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    wall = time.monotonic() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    result = {
        "cmd": " ".join(cmd[1:]),
        "process_wall_s": round(wall, 1),
        "load_before": [round(x, 2) for x in load],
        "stdout": proc.stdout[-3000:],
    }
    if timed:
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
        user = re.search(r"User time \(seconds\): ([\d.]+)", proc.stderr)
        system = re.search(r"System time \(seconds\): ([\d.]+)", proc.stderr)
        if rss:
            result["peak_rss_mib"] = round(int(rss.group(1)) / 1024)
        if user and system:
            result["cpu_s"] = round(float(user.group(1)) + float(system.group(1)), 1)
        phases = re.search(r"phases: (.*)", proc.stderr)
        if phases:
            result["phases"] = phases.group(1)
        memory = re.search(
            r"peak RSS: this process (\d+) MiB, parser process (\d+) MiB", proc.stderr
        )
        if memory:
            result["rss_importer_mib"] = int(memory.group(1))
            result["rss_parser_mib"] = int(memory.group(2))
    return result


def fresh_database(backend: str, work: Path, pg_url: str) -> str:
    if backend == "sqlite":
        path = work / "exchange-bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = "pandu_bench_exchange"
    with psycopg.connect(pg_url + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
        version = conn.execute("SHOW server_version").fetchone()
    print(f"PostgreSQL {version[0] if version else '?'}", file=sys.stderr)
    return f"{pg_url}/{name}"


def bench(backend: str, args) -> dict:
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    url = fresh_database(backend, work, args.pg_url)
    var = work / f"exchange-var-{backend}"
    shutil.rmtree(var, ignore_errors=True)
    env = {**os.environ, "DATABASE_URL": url, "PANDU_VAR_DIR": str(var), "DEBUG": "0"}
    manage = [str(PY), "manage.py"]
    print(f"[{backend}] migrate + load_areas", file=sys.stderr)
    run([*manage, "migrate", "--no-input", "-v0"], env)
    run([*manage, "load_areas"], env)
    csv_path = Path(args.csv)
    if not csv_path.exists():
        print(f"[{backend}] generating {csv_path}", file=sys.stderr)
        run(
            [*manage, "generate_registry", "--region", args.region, "--households",
             str(args.households), "--seed", str(args.seed), "--out", str(csv_path)],
            env,
        )  # fmt: skip
    rows = sum(1 for _ in csv_path.open("rb")) - 1
    result: dict = {"backend": backend, "machine": machine(), "file_rows": rows}
    result["file_mib"] = round(csv_path.stat().st_size / 2**20)
    for step, cmd in (
        ("import", [*manage, "import_registry", str(csv_path), "-v2"]),
        ("reimport", [*manage, "import_registry", str(csv_path), "-v2"]),
        ("export", [*manage, "export_registry", "--out", str(work / f"export-{backend}.csv")]),
    ):
        print(f"[{backend}] {step}", file=sys.stderr)
        out = run(cmd, env, timed=True)
        if step in ("import", "reimport"):
            took = re.search(r"^([\d.]+) s, ([\d,]+) rows/s", out["stdout"], re.M)
            if took:
                out["import_s"] = float(took.group(1))
                out["rows_per_s"] = int(took.group(2).replace(",", ""))
            out["summary"] = out["stdout"].strip().splitlines()[0]
        else:
            took = re.search(r"([\d,]+) rows -> .* in ([\d.]+) s", out["stdout"])
            if took:
                out["rows"] = int(took.group(1).replace(",", ""))
                out["export_s"] = float(took.group(2))
        out.pop("stdout", None)
        result[step] = out
    result["cpu_check_after"] = cpu_check()
    (work / f"exchange-{backend}.json").write_text(json.dumps(result, indent=2))
    return result


def markdown(result: dict) -> str:
    m = result["machine"]
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["backend"]]
    imp, again, exp = result["import"], result["reimport"], result["export"]
    return "\n".join(
        [
            f"### {title}",
            "",
            f"`bench/import_export.py`, {machine_line(m)}; "
            f"file: {result['file_rows']:,} rows, {result['file_mib']} MiB. After the three "
            f"steps: {check_text(result.get('cpu_check_after'))}.",
            "",
            "| step | time in the command | process wall | CPU | peak RSS | load before |",
            "|---|---|---|---|---|---|",
            f"| import into an empty registry | {imp.get('import_s')} s "
            f"({imp.get('rows_per_s', 0):,} rows/s) | {imp['process_wall_s']} s | "
            f"{imp.get('cpu_s')} s | {imp.get('peak_rss_mib')} MiB | {imp['load_before']} |",
            f"| same file again (all unchanged) | {again.get('import_s')} s "
            f"({again.get('rows_per_s', 0):,} rows/s) | {again['process_wall_s']} s | "
            f"{again.get('cpu_s')} s | {again.get('peak_rss_mib')} MiB | {again['load_before']} |",
            f"| export all people to CSV | {exp.get('export_s')} s ({exp.get('rows', 0):,} rows)"
            f" | {exp['process_wall_s']} s | {exp.get('cpu_s')} s | {exp.get('peak_rss_mib')} MiB"
            f" | {exp['load_before']} |",
            "",
            f"Import phases: {imp.get('phases', '')}. Peak RSS of the importing process "
            f"{imp.get('rss_importer_mib')} MiB and of its forked parser process "
            f"{imp.get('rss_parser_mib')} MiB (the parser shares the scan's tables with its "
            "parent copy-on-write).",
            "",
            f"Result: {imp.get('summary', '')}",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--csv", default="/tmp/1m.csv")  # noqa: S108 - the issue's file
    parser.add_argument("--region", default="73")
    parser.add_argument("--households", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        result = bench(backend, args)
        text = markdown(result)
        print(text)
        print(result["machine"]["free_g"])
        if not args.no_docs:
            write_block(f"import-export-bench {backend}", text.strip().splitlines(),
                        section="## Import and export")  # fmt: skip


if __name__ == "__main__":
    main()
