"""The demo office (``load_demo``) comes with a working one-stop service, written by the actions."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from pandu.accounts.models import User
from pandu.demo.management.commands.load_demo import DEMO_PASSWORD
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

    # A second run keeps what is there.
    call_command("load_demo", households=40, verbosity=0)
    assert ServicePoint.objects.filter(kind="slrt").count() == 1
