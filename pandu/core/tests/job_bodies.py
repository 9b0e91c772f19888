"""Job bodies for the job machinery's own tests; the test workers load them (``--include``)."""

from __future__ import annotations

import time
from pathlib import Path

from django.db import OperationalError, connection

from pandu.core.jobs import JobContext, job


@job("test.count")
def count(ctx: JobContext) -> str:
    n = int(ctx.params["n"])
    for i in range(1, n + 1):
        ctx.check_cancelled()
        time.sleep(float(ctx.params.get("pause", 0)))
        ctx.progress(i, n, force=True, seen=i)
    return "counted"


@job("test.boom")
def boom(ctx: JobContext) -> str:
    raise ValueError("kolom nik hilang")


@job("test.busy_once")
def busy_once(ctx: JobContext) -> str:
    """Meets a locked database on its first run, as a job does beside a long write."""
    if ctx.job.attempts == 1:
        raise OperationalError("database is locked")
    return f"done on attempt {ctx.job.attempts}"


@job("test.read_beside_writer")
def read_beside_writer(ctx: JobContext) -> str:
    """An export's pattern: rows read through an open cursor, progress saved between chunks.
    Between the first chunk and the first progress, the test commits a write of its own (the
    file ``reading`` says the cursor is open; ``written`` says the write is committed)."""
    folder = Path(ctx.params["folder"])
    read = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM regions_area ORDER BY code")
        while rows := cursor.fetchmany(2):
            read += len(rows)
            if not (folder / "reading").exists():
                (folder / "reading").touch()
                deadline = time.monotonic() + 60
                while not (folder / "written").exists() and time.monotonic() < deadline:
                    time.sleep(0.05)
            ctx.progress(read, force=True)
            ctx.check_cancelled()
    return f"{read} rows read"
