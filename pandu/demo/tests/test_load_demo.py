"""The demo office (``load_demo``) comes with a working one-stop service, written by the actions."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client

from pandu.accounts.models import User
from pandu.core.models import Job
from pandu.demo.management.commands.load_demo import DEMO_PASSWORD
from pandu.notifications.models import Notification
from pandu.services import tallies
from pandu.services.models import (
    Case,
    CounsellingSession,
    Intake,
    IntakeTally,
    Referral,
    ServicePoint,
)

pytestmark = pytest.mark.django_db


def _login(username: str) -> Client:
    user = User.objects.get(username=username)
    assert user.check_password(DEMO_PASSWORD)
    client = Client()
    client.force_login(user)
    return client


def test_demo_has_service_points_cases_referrals_and_a_partner_inbox(areas):
    call_command("load_demo", households=40, verbosity=0)
    assert ServicePoint.objects.filter(kind="slrt").exists()
    statuses = set(Intake.objects.values_list("status", flat=True))
    assert {"new", "closed", "in_case"} <= statuses
    assert Case.objects.filter(assigned_to__username="andi").exists()
    assert Referral.objects.filter(status="completed").exists()
    assert CounsellingSession.objects.exists()
    kept = sorted(IntakeTally.objects.exclude(n=0).values_list("district_code", "status", "n"))
    tallies.rebuild()
    assert kept == sorted(
        IntakeTally.objects.exclude(n=0).values_list("district_code", "status", "n")
    )

    inbox = _login("lina").get("/layanan/masuk/")
    assert inbox.status_code == 200
    referral = Referral.objects.filter(agency__members__user__username="lina").first()
    assert referral is not None and referral.number in inbox.content.decode()
    assert _login("dewi").get("/layanan/antrean/").status_code == 200
    assert _login("kadis").get("/layanan/dasbor/").status_code == 200

    # Work waits in the bell of every role the platform tells of something.
    waiting = dict(
        Notification.objects.filter(read_at__isnull=True)
        .values_list("user__username")
        .annotate(n=Count("id"))
    )
    for username in ("admin", "andi", "lina", "syamsul", "rahma", "dewi", "auditor"):
        assert waiting.get(username, 0) > 0, username
    finished = Job.objects.get(created_by__username="dewi", kind="exchange.export")
    assert finished.status == Job.Status.SUCCEEDED and finished.result_file

    # A second run keeps what is there.
    call_command("load_demo", households=40, verbosity=0)
    assert ServicePoint.objects.filter(kind="slrt").count() == 1
    assert Job.objects.filter(created_by__username="dewi", kind="exchange.export").count() == 1


def test_demo_spreads_the_work_over_90_days_with_real_first_action_times(areas, settings, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from pandu.dedup.models import DuplicatePair
    from pandu.proposals.models import BatchStatus, ItemStatus, ProposalBatch, ProposalItem
    from pandu.services import reports
    from pandu.services.actions import overdue_referrals

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", households=60, verbosity=0)
    today = timezone.localdate()
    received = sorted(Intake.objects.values_list("received_at", flat=True))
    assert timezone.now() - received[0] > timedelta(days=80)
    assert timezone.now() - received[-1] < timedelta(hours=1)
    # Visitors still waiting in today's queue, and every urgency in use.
    assert Intake.objects.filter(status="new", queue_status="waiting").exists()
    assert set(Intake.objects.values_list("urgency", flat=True)) == {
        "low",
        "normal",
        "high",
        "emergency",
    }

    figures = reports.compute("73.09", today - timedelta(days=90), today)
    assert figures.first_action["n"] > 10
    assert figures.first_action["median_hours"] > 1
    assert overdue_referrals(today).filter(agency__members__user__username="lina").exists()
    assert Case.objects.filter(plan_status="submitted").exists()

    batches = set(ProposalBatch.objects.values_list("status", flat=True))
    assert batches == set(BatchStatus.values)
    items = set(ProposalItem.objects.values_list("status", flat=True))
    assert {ItemStatus.PENDING, ItemStatus.VERIFIED, ItemStatus.APPLIED} <= items
    assert DuplicatePair.objects.reviewable().exists()

    # Each demo user finds their own work on the front page.
    assert _login("dewi").get("/").context["sections"][0].rows
    assert _login("andi").get("/").context["sections"][0].rows
    assert _login("syamsul").get("/").content.decode().count('data-section="visits"') == 1
    lina = {s.key: s for s in _login("lina").get("/").context["sections"]}
    assert lina["to_answer"].rows and lina["overdue_referrals"].rows
    assert _login("kadis").get("/").context["trends"]["total"] == Intake.objects.count()

    # A second run adds nothing.
    counts = (Intake.objects.count(), ProposalBatch.objects.count(), DuplicatePair.objects.count())
    call_command("load_demo", households=60, verbosity=0)
    assert counts == (
        Intake.objects.count(),
        ProposalBatch.objects.count(),
        DuplicatePair.objects.count(),
    )
