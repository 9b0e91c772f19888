"""The demo office's Askesos: written by the actions, with something at every step."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from pandu.accounts.models import User
from pandu.insurance.models import Claim, Member, Provider

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    """The demo writes with its own clock (the real days before today)."""


def test_demo_has_paying_late_and_lapsed_members_and_claims_at_each_step(areas):
    call_command("load_demo", households=40, verbosity=0)
    provider = Provider.objects.get(code="LHS01")
    members = Member.objects.filter(provider=provider)
    assert members.count() == 8
    assert {"aktif", "gugur"} <= set(members.values_list("status", flat=True))
    assert members.filter(status="aktif", months_unpaid__gte=1).exists()
    assert members.filter(status="aktif", months_unpaid=0).count() >= 5
    assert {"dibayar", "ditinjau"} <= set(Claim.objects.values_list("status", flat=True))
    assert Provider.objects.get(code="BUM02").accreditations.get().status == "diperiksa"

    yusuf = Client()
    yusuf.force_login(User.objects.get(username="yusuf"))
    page = yusuf.get("/askesos/peserta/")
    assert page.status_code == 200
    assert members.first().number in page.content.decode()
    # A second load adds nothing.
    call_command("load_demo", households=40, verbosity=0)
    assert Member.objects.count() == 8
