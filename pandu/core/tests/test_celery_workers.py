"""Jobs on real Celery worker processes: run, survive a busy database, survive kill -9.

The workers are started against the test database (a file when it is SQLite) and the broker of
``CELERY_BROKER_URL`` (Redis in CI's second run), else the file queue that ``make run`` uses.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction

from pandu.conftest import LAPPARA
from pandu.core import jobs
from pandu.core.models import Job
from pandu.core.tests import job_bodies  # noqa: F401  (registers the test bodies here too)
from pandu.core.tests.celery_workers import Workers, job_state, wait_for
from pandu.core.workers import missing
from pandu.exchange import actions as exchange_actions
from pandu.exchange.models import ImportBatch
from pandu.exchange.tests.conftest import family, write_csv
from pandu.registry.models import Household, Person

pytestmark = [pytest.mark.workers, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workers(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    pool = Workers(tmp_path)
    with pool.sending():
        try:
            yield pool
        finally:
            pool.stop_all()


def finished(job: Job, timeout: float = 120) -> Job:
    return wait_for(lambda: job_state(job).finished and job, timeout=timeout)


def test_a_queued_job_runs_on_a_worker_whose_heartbeat_ends_the_warning(personas, workers):
    assert missing()[0], "no worker has been seen yet"

    workers.start("solo", pool="solo")
    assert not missing()[0]
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 4})
    finished(job)

    assert (job.status, job.done, job.total, job.counts, job.message) == (
        Job.Status.SUCCEEDED, 4, 4, {"seen": 4}, "counted",
    )  # fmt: skip
    assert job.attempts == 1 and job.worker.startswith(jobs.HOST)


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')")
def test_a_job_writing_progress_beside_its_own_open_read_meets_a_locked_sqlite(tmp_path, personas):
    """The defect: a job reading rows through an open cursor writes its progress on the same
    connection; once another user has saved anything meanwhile, SQLite refuses that write at
    once ("database is locked", no waiting helps) and the job stopped at 0."""
    params = {"folder": str(tmp_path)}
    job = jobs.enqueue("test.read_beside_writer", user=personas["admin_maros"], params=params)
    writer = threading.Thread(target=_write_when_reading, args=(tmp_path,))
    writer.start()
    jobs.run(job.pk)  # in this process, progress written by the body's own connection
    writer.join()
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.done == 0
    assert "basis data sedang dipakai penulis lain" in job.notice


def _write_when_reading(folder) -> None:
    """Another user saves something while the job's cursor is open."""
    wait_for(lambda: (folder / "reading").exists(), timeout=30, every=0.02)
    try:
        Job.objects.create(kind="test.count", title="a note saved meanwhile")
    finally:
        connection.close()
    (folder / "written").touch()


def test_a_job_reading_beside_a_writer_goes_on_to_the_end_on_a_worker(tmp_path, personas, workers):
    workers.start("reader")
    job = jobs.enqueue(
        "test.read_beside_writer", user=personas["admin_maros"], params={"folder": str(tmp_path)}
    )
    _write_when_reading(tmp_path)
    finished(job)

    assert job.status == Job.Status.SUCCEEDED, job.notice + job.message
    assert job.attempts == 1 and job.notice == ""
    assert job.message == f"{job.done} rows read" and job.done >= 10


def test_a_killed_pool_process_leaves_no_job_behind(personas, workers):
    workers.start("pool")
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 30, "pause": 0.1})
    wait_for(lambda: job_state(job).done >= 3)
    os.kill(int(job.worker.split(":")[1]), signal.SIGKILL)  # the pool process running it
    finished(job)

    assert job.status == Job.Status.SUCCEEDED and job.done == 30
    assert job.attempts == 2
    assert "berhenti mendadak" in job.notice and "percobaan 2 dari 5" in job.notice


def test_kill_9_of_the_worker_in_the_middle_of_an_import_loses_and_doubles_nothing(
    tmp_path, personas, workers
):
    """3,000 people in 1,000 families, committed 150 rows at a time; the worker and its pool
    die after a few batches; a worker started afterwards continues after the last saved row."""
    rows = [r for k in range(1, 1001) for r in family(k, 3 * k - 2, village=LAPPARA)]
    path = write_csv(tmp_path / "registri.csv", rows)
    admin = personas["admin_maros"]
    workers.start("first")
    batch = exchange_actions.create_import(admin, source=path)
    with transaction.atomic():  # the message leaves at commit, with the batch size in it
        job = exchange_actions.start_import(admin, batch)
        job.params["batch_rows"] = 150
        job.save(update_fields=["params"])

    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).batches_committed >= 3, every=0.02)
    workers.kill("first")
    batch.refresh_from_db()
    saved_before_kill = batch.last_row
    assert 0 < saved_before_kill < 3001, "the import must be cut in the middle"

    workers.start("second", beat=True)
    finished(job, timeout=180)
    batch.refresh_from_db()

    assert job.status == Job.Status.SUCCEEDED, job.notice + job.message
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert job.attempts == 2 and "berhenti mendadak" in job.notice
    assert (batch.rows_read, batch.created, batch.rejected) == (3000, 3000, 0)
    assert Person.objects.count() == 3000
    assert Person.objects.values("nik").distinct().count() == 3000
    assert Household.objects.count() == 1000


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def ended(pid: int) -> bool:
    """``pid`` is gone, or dead and only waiting to be reaped by whoever adopted it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def test_kill_9_of_the_process_running_an_import_ends_its_parser_child_too(
    tmp_path, personas, workers
):
    """A large file is parsed by a forked child that hands chunks to the worker process over a
    small queue. When that worker process alone is killed (the OOM killer picks one process),
    the child must not wait for ever on its full queue as an orphan."""
    rows = [r for k in range(1, 1001) for r in family(k, 3 * k - 2, village=LAPPARA)]
    path = write_csv(tmp_path / "registri.csv", rows)
    admin = personas["admin_maros"]
    workers.start("parent")
    batch = exchange_actions.create_import(admin, source=path)
    with transaction.atomic():
        job = exchange_actions.start_import(admin, batch)
        job.params["batch_rows"] = 150  # 20 batches; the parser runs at most 3 chunks ahead
        job.save(update_fields=["params"])

    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).batches_committed >= 2, every=0.02)
    parent = int(job_state(job).worker.split(":")[1])
    (child,) = wait_for(lambda: children_of(parent))
    try:
        assert ImportBatch.objects.get(pk=batch.pk).last_row < 3001, "killed in the middle"
        os.kill(parent, signal.SIGKILL)  # the pool process only, not its process group
        wait_for(lambda: ended(child), timeout=10, every=0.1)
    finally:
        if not ended(child):
            os.kill(child, signal.SIGKILL)  # the test's own leftover

    finished(job, timeout=180)  # taken up again by a new pool process, to the end
    batch.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.notice + job.message
    assert (batch.rows_read, batch.created, batch.rejected) == (3000, 3000, 0)


def test_the_sweep_on_beat_takes_up_a_job_whose_worker_vanished(personas, workers, settings):
    """A job left running by a worker of another machine that stopped sending heartbeats."""
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 2})
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=1, worker="another-host:4242:1", heartbeat_at=None
    )
    workers.start("sweeper", beat=True, env={"PANDU_JOB_STALE_SECONDS": "5"})
    finished(job)

    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2
    assert "another-host:4242" in job.notice


def test_a_busy_database_is_retried_with_a_delay_not_fatal(personas, workers):
    workers.start("retry")
    job = jobs.enqueue("test.busy_once", user=personas["admin_maros"])
    finished(job)

    assert job.status == Job.Status.SUCCEEDED and job.message == "done on attempt 2"
    assert "basis data sedang dipakai penulis lain" in job.notice
