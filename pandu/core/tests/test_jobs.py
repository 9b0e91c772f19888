"""The database job queue: claimed once, progress saved, cancel honoured, failure recorded."""

import pytest

from pandu.core import jobs
from pandu.core.models import Job

pytestmark = pytest.mark.django_db


@jobs.handler("test.count")
def _count(ctx):
    for i in range(1, ctx.params["n"] + 1):
        ctx.check_cancelled()
        ctx.progress(i, ctx.params["n"], force=True, seen=i)
    return "counted"


@jobs.handler("test.boom")
def _boom(ctx):
    raise ValueError("kolom nik hilang")


def test_worker_runs_queued_job_and_records_progress(personas):
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 5})
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.counts["seen"], job.message) == (5, 5, 5, "counted")
    assert jobs.run_pending() == 0  # claimed once only


def test_failed_job_keeps_the_reason_and_worker_goes_on(personas):
    bad = jobs.enqueue("test.boom", user=personas["admin_maros"])
    good = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 1})
    assert jobs.run_pending() == 2
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == Job.Status.FAILED and "kolom nik hilang" in bad.message
    assert good.status == Job.Status.SUCCEEDED


def test_cancelled_running_job_stops_between_batches(personas):
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 3})
    claimed = jobs.claim_next()
    Job.objects.filter(pk=claimed.pk).update(cancel_requested=True)
    jobs.run_job(claimed)
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and job.done == 0


def test_cancelling_a_queued_job_means_it_never_runs(personas):
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 3})
    jobs.request_cancel(job)
    assert jobs.run_pending() == 0
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED


def test_job_page_shows_progress_only_to_its_owner_or_area_admin(client, personas):
    job = jobs.enqueue(
        "test.count", user=personas["operator_lappara"], params={"n": 2}, area_code="73.09.13.2003"
    )
    client.force_login(personas["operator_lappara"])
    assert client.get(f"/tugas/{job.uid}/").status_code == 200
    client.force_login(personas["admin_maros"])
    assert client.get(f"/tugas/{job.uid}/").status_code == 200
    client.force_login(personas["operator_bulu"])
    assert client.get(f"/tugas/{job.uid}/").status_code == 404
