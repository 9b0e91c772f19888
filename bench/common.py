"""What the benchmark scripts share: a description of the machine, and the marked blocks of
docs/benchmarks.md that each script rewrites without touching the rest of the file."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


def cpu_check() -> dict[str, float]:
    """Seconds for two fixed pieces of pure-Python work, the same in every run (lower is faster).

    ``loop``: arithmetic in a loop (the CPU alone). ``dict``: a dict of 2,000,000 string keys
    (the CPU with its caches and memory, as in the import's look-ups). The machines benchmarks
    run on share their CPUs, and one CPU model can run the same code at very different speeds;
    these figures next to a result say which kind of spell it ran in.
    """
    started = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i * i % 7
    loop = time.perf_counter() - started
    started = time.perf_counter()
    keys = {str(i): i for i in range(2_000_000)}
    built = time.perf_counter() - started
    del keys
    return {"loop": round(loop, 2), "dict": round(built, 2)}


def machine() -> dict[str, Any]:
    """CPU model and count, memory, Python and SQLite versions, the time (UTC), load, CPU check."""
    info: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _sep, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    cpu = info.get("model name", "")
    if info.get("cpu family"):
        cpu += f", family {info['cpu family']} model {info.get('model', '?')}"
    if info.get("cpu MHz"):
        cpu += f", {float(info['cpu MHz']):.0f} MHz"
    try:
        free = subprocess.run(  # noqa: S603
            ["/usr/bin/free", "-g"], capture_output=True, text=True, timeout=10, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        free = ""
    mem_total = ""
    for line in free.splitlines():
        if line.startswith("Mem:"):
            mem_total = line.split()[1] + " GiB"
    return {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem_total,
        "free_g": free,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
        "cpu_check": cpu_check(),
    }


def machine_line(m: dict[str, Any]) -> str:
    """One sentence naming the machine, for the top of a block."""
    return (
        f"{m['date_utc']} UTC, {m['nproc']} CPUs ({m['cpu'] or 'CPU model unknown'}), "
        f"{m['memory'] or '? GiB'} memory, Python {m['python']}; load average at start "
        f"{', '.join(str(x) for x in m['load_at_start'])}; {check_text(m.get('cpu_check'))}"
    )


def check_text(check: dict[str, float] | None) -> str:
    if not check:
        return "no CPU check"
    return (
        f"CPU check loop {check['loop']} s, dict {check['dict']} s "
        "(`bench/common.py`; lower is faster)"
    )


def write_block(name: str, lines: list[str], *, section: str, doc: Path = DOC) -> None:
    """Replace the block ``<!-- name:start -->`` … ``<!-- name:end -->`` with ``lines``.

    A block not there yet goes at the end of ``section`` (a ``## `` heading, made at the end of
    the file when missing).
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    body = "\n".join([start, *lines, end])
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if start in text and end in text:
        pattern = re.escape(start) + r".*?" + re.escape(end)
        text = re.sub(pattern, lambda _m: body, text, count=1, flags=re.S)
    elif section in text:
        at = text.index(section) + len(section)
        following = text.find("\n## ", at)
        at = len(text) if following < 0 else following + 1
        text = text[:at].rstrip("\n") + "\n\n" + body + "\n\n" + text[at:].lstrip("\n")
    else:
        text = text.rstrip("\n") + f"\n\n{section}\n\n" + body + "\n"
    doc.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
