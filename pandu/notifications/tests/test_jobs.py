"""The owner of a background job is told when it ends, once; jobs of the system tell nobody, and
a failing notification never changes how a job ended."""

import pytest
from django.test import Client
from django.urls import reverse

from pandu.core import jobs
from pandu.core.models import Job
from pandu.core.tests import job_bodies  # noqa: F401  (registers the test job bodies)
from pandu.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _run(kind: str, user, **params) -> Job:
    job = jobs.enqueue(kind, user=user, params=params, title="Impor Lappara")
    jobs.run(job.pk)
    job.refresh_from_db()
    return job


def test_the_owner_is_told_when_the_job_succeeds(personas):
    rahma = personas["operator_lappara"]
    job = _run("test.count", rahma, n=3)
    assert job.status == Job.Status.SUCCEEDED
    note = Notification.objects.get()
    assert note.user == rahma and note.kind == "job_succeeded"
    assert note.title == "Tugas selesai: Impor Lappara"
    client = Client()
    client.force_login(rahma)
    response = client.get(reverse("notifications:open", args=[note.uid]))
    assert response["Location"] == reverse("core:job_detail", args=[job.uid])
    assert client.get(response["Location"]).status_code == 200


def test_the_owner_is_told_when_the_job_fails(personas):
    rahma = personas["operator_lappara"]
    job = _run("test.boom", rahma)
    assert job.status == Job.Status.FAILED
    assert list(Notification.objects.values_list("user__username", "kind")) == [
        ("operator_lappara", "job_failed")
    ]


def test_a_job_of_the_system_tells_nobody(personas):
    _run("test.count", None, n=1)
    assert not Notification.objects.exists()


def test_a_failing_notification_leaves_the_job_finished(personas, monkeypatch):
    def broken(job):
        raise RuntimeError("notifications are down")

    monkeypatch.setattr(jobs, "FINISH_HOOKS", [broken])
    job = _run("test.count", personas["operator_lappara"], n=1)
    assert job.status == Job.Status.SUCCEEDED and job.finished_at is not None
