"""The one-stop service's periodic work on Celery beat: the morning digest and the nightly check
that the dashboard's tallies still add up to the intakes."""

import pytest
from django.conf import settings

from pandu.celery import app
from pandu.services.models import IntakeTally
from pandu.services.tasks import check_tallies, send_overdue_digest_task, tallies_match

from .conftest import unregistered

pytestmark = pytest.mark.django_db


def test_every_task_on_the_beat_schedule_exists():
    app.autodiscover_tasks(force=True)
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def test_the_nightly_check_rebuilds_tallies_that_no_longer_add_up(world, make_intake):
    make_intake()
    make_intake(subject=unregistered("Wa Ode Sitti"), channel="phone")
    assert tallies_match()
    assert check_tallies() is None  # nothing to do

    IntakeTally.objects.update(n=7)  # as after intakes loaded straight into the database
    assert not tallies_match()
    assert check_tallies()["intake"] == 2
    assert tallies_match()


def test_the_morning_digest_runs_as_a_task(world):
    counts = send_overdue_digest_task()
    assert set(counts) == {"agencies", "service_points", "notifications", "emails"}
