"""The job row and its rules, run in this process: claimed once, progress saved, cancel honoured,
failure recorded, busy databases retried, dead workers' jobs taken up, one user's jobs limited.
What only real worker processes can show is in ``test_celery_workers``."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from pandu.core import jobs
from pandu.core.models import Job, Worker
from pandu.core.tests import job_bodies  # noqa: F401  (registers the test bodies)
from pandu.core.workers import sweep

pytestmark = pytest.mark.django_db


def test_a_queued_job_runs_once_and_records_its_progress(personas):
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 5})
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.counts["seen"], job.message) == (5, 5, 5, "counted")
    assert job.attempts == 1 and job.notice == ""
    assert jobs.run_pending() == 0


def test_a_message_delivered_twice_runs_the_job_once(personas):
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 2})
    jobs.run(job.pk)
    jobs.run(job.pk)  # the broker delivers the same message again
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 1


def test_a_job_running_on_a_live_worker_elsewhere_is_not_claimed_again(personas):
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 2})
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=1, worker="other-host:77:1", heartbeat_at=timezone.now()
    )
    assert jobs.claim(job.pk, jobs.identity()) is None


def test_a_failed_job_keeps_the_reason_and_the_next_job_still_runs(personas):
    bad = jobs.enqueue("test.boom", user=personas["admin_maros"])
    good = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 1})
    assert jobs.run_pending() == 2
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == Job.Status.FAILED and "kolom nik hilang" in bad.message
    assert good.status == Job.Status.SUCCEEDED


def test_a_cancelled_running_job_stops_between_batches(personas):
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 3})
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and job.done == 0


def test_cancelling_a_queued_job_means_it_never_runs(personas):
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 3})
    jobs.request_cancel(job)
    assert jobs.run_pending() == 0
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED


def test_a_busy_database_puts_the_job_back_with_a_delay_and_a_note(personas):
    job = jobs.enqueue("test.busy_once", user=personas["admin_maros"])
    before = timezone.now()
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.sent_at >= before + timedelta(seconds=5)
    assert "basis data sedang dipakai penulis lain" in job.notice
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.message == "done on attempt 2"
    assert "percobaan 2 dari 5" in job.notice


def test_a_job_that_keeps_meeting_a_busy_database_fails_after_the_last_attempt(personas, settings):
    settings.PANDU_JOB_MAX_ATTEMPTS = 1
    job = jobs.enqueue("test.busy_once", user=personas["admin_maros"])
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "setelah 1 percobaan" in job.message


def test_only_database_errors_that_pass_are_retried():
    assert jobs.transient_reason(OperationalError("database is locked")) is not None
    assert jobs.transient_reason(OperationalError("no such table: core_job")) is None
    assert jobs.transient_reason(ValueError("database is locked")) is None
    try:
        try:
            raise OperationalError("database is locked")
        except OperationalError as exc:
            raise RuntimeError("import stopped") from exc
    except RuntimeError as wrapped:
        assert jobs.transient_reason(wrapped) is not None


def test_the_sweep_requeues_jobs_whose_worker_is_gone_and_leaves_live_ones(personas, settings):
    settings.PANDU_JOB_STALE_SECONDS = 60
    user = personas["admin_maros"]
    old = timezone.now() - timedelta(minutes=5)
    dead_here = jobs.enqueue("test.count", user=user, params={"n": 1})
    silent_elsewhere = jobs.enqueue("test.count", user=user, params={"n": 1})
    alive_elsewhere = jobs.enqueue("test.count", user=user, params={"n": 1})
    running = {"status": Job.Status.RUNNING, "attempts": 1}
    Job.objects.filter(pk=dead_here.pk).update(
        worker=f"{jobs.HOST}:999999999:1", heartbeat_at=timezone.now(), **running
    )
    Job.objects.filter(pk=silent_elsewhere.pk).update(
        worker="other-host:12:1", heartbeat_at=old, **running
    )
    Job.objects.filter(pk=alive_elsewhere.pk).update(
        worker="other-host:13:1", heartbeat_at=timezone.now(), **running
    )

    assert sweep()["requeued"] == 2
    states = dict(Job.objects.values_list("pk", "status"))
    assert states[dead_here.pk] == states[silent_elsewhere.pk] == Job.Status.QUEUED
    assert states[alive_elsewhere.pk] == Job.Status.RUNNING
    dead_here.refresh_from_db()
    assert "berhenti mendadak" in dead_here.notice

    assert jobs.run_pending() == 2
    dead_here.refresh_from_db()
    assert dead_here.status == Job.Status.SUCCEEDED and dead_here.attempts == 2


def test_a_job_whose_worker_died_every_time_is_given_up(personas, settings):
    settings.PANDU_JOB_MAX_ATTEMPTS = 2
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 1})
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=2, worker=f"{jobs.HOST}:999999999:1"
    )
    sweep()
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "setelah 2 percobaan" in job.message and "berhenti mendadak" in job.message


def test_a_message_that_waited_too_long_is_sent_again(personas):
    job = jobs.enqueue("test.count", user=personas["admin_maros"], params={"n": 1})
    Job.objects.filter(pk=job.pk).update(sent_at=timezone.now() - timedelta(hours=1))
    assert sweep()["resent"] == 1
    assert sweep()["resent"] == 0  # not again at the next sweep


def test_one_user_cannot_queue_more_than_the_limit(personas, settings):
    settings.PANDU_JOBS_PER_USER = 3
    operator = personas["operator_lappara"]
    first = [jobs.enqueue("test.count", user=operator, params={"n": 1}) for _ in range(3)]
    with pytest.raises(jobs.TooManyJobs) as refused:
        jobs.enqueue("test.count", user=operator, params={"n": 1})
    assert "batasnya 3 sekaligus" in refused.value.messages[0]
    assert Job.objects.filter(created_by=operator).count() == 3

    jobs.enqueue("test.count", user=personas["operator_bulu"], params={"n": 1})  # another user
    jobs.enqueue("test.count", user=None, params={"n": 1})  # the system itself
    jobs.request_cancel(first[0])
    jobs.enqueue("test.count", user=operator, params={"n": 1})  # a place came free


def test_the_job_page_says_what_happened_to_the_job(client, personas):
    job = jobs.enqueue("test.count", user=personas["operator_lappara"], params={"n": 1})
    jobs.note(job, "Pekerja yang menjalankan tugas ini (vm:41) berhenti mendadak.", attempts=2)
    client.force_login(personas["operator_lappara"])
    page = client.get(f"/tugas/{job.uid}/").content.decode()
    assert "percobaan ke-2" in page and "berhenti mendadak" in page


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


WARNING = "Pekerja latar belakang"


def test_pages_warn_administrators_when_no_worker_has_been_seen(client, personas, settings):
    settings.PANDU_WORKER_MISSING_SECONDS = 180
    client.force_login(personas["admin_maros"])
    assert WARNING in client.get("/").content.decode()
    now = timezone.now()
    worker = Worker.objects.create(name="w1@vm", host="vm", pid=1, started_at=now, seen_at=now)
    assert WARNING not in client.get("/").content.decode()
    worker.seen_at = now - timedelta(minutes=10)
    worker.save()
    assert "tidak terlihat sejak" in client.get("/").content.decode()


def test_the_warning_reaches_users_with_a_waiting_job_and_nobody_else(client, personas):
    client.force_login(personas["operator_lappara"])
    assert WARNING not in client.get("/").content.decode()
    jobs.enqueue("test.count", user=personas["operator_lappara"], params={"n": 1})
    assert WARNING in client.get("/").content.decode()


# --- Where users start jobs, the limit is a clear message, not a 500 --------------------------


@pytest.fixture
def busy_admin(personas, settings):
    """The Maros administrator with as many jobs waiting as one user may have."""
    settings.PANDU_JOBS_PER_USER = 2
    admin = personas["admin_maros"]
    for _ in range(2):
        jobs.enqueue("test.count", user=admin, params={"n": 1})
    return admin


def test_a_big_excel_export_over_the_limit_is_refused_with_a_message(
    client, busy_admin, household_factory, monkeypatch
):
    monkeypatch.setattr("pandu.exchange.views.XLSX_INLINE_LIMIT", 0)
    household_factory()
    client.force_login(busy_admin)
    response = client.get("/impor-ekspor/ekspor/penduduk/", {"format": "xlsx"}, follow=True)
    assert response.status_code == 200
    assert "batasnya 2 sekaligus" in response.content.decode()
    assert Job.objects.filter(created_by=busy_admin, kind="exchange.export").count() == 0


def test_an_api_export_over_the_limit_is_a_429_with_the_reason(client, busy_admin):
    client.force_login(busy_admin)
    response = client.post(
        "/api/v1/exchange/exports/",
        {"kind": "persons", "format": "csv"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert "batasnya 2 sekaligus" in response.json()["detail"]


def test_a_duplicate_search_over_the_limit_stays_on_its_form_with_the_reason(client, busy_admin):
    client.force_login(busy_admin)
    response = client.post("/duplikat/jalankan/", {"area": "73.09", "threshold": "0.8"})
    assert response.status_code == 200
    assert "batasnya 2 sekaligus" in response.content.decode()
    assert not Job.objects.filter(kind="dedup.find").exists()
