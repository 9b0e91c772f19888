"""The demo office (``load_demo``) shows aid-use monitoring and graduation at work: PKH KPM of
Moncongloe Lappara decreed through the enrolment journey, Syamsul's visits, a plan that meets
Maros's criteria, the KUBE group Sipakainga with its grant; a second load adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from pandu.accounts.models import User
from pandu.demo import empowerment as demo
from pandu.empowerment.criteria import assess
from pandu.empowerment.models import GraduationPlan, KubeGroup, UepGrant, UseVisit
from pandu.programs.models import Enrolment

pytestmark = pytest.mark.django_db


def test_the_demo_has_visits_a_plan_and_a_kube_group(areas):
    call_command("load_demo", households=40, verbosity=0)
    kpm = Enrolment.objects.filter(
        programme__code="PKH", status="aktif", decree__number=demo.DECREE
    )
    assert kpm.count() == 4
    assert UseVisit.objects.count() == 4
    assert UseVisit.objects.filter(problem_card=True, follow_up_needed=True).exists()
    plan = GraduationPlan.objects.get()
    assert plan.status == "berjalan" and assess(plan).passed
    group = KubeGroup.objects.get(name="Sipakainga")
    assert group.members.count() == 3 and group.grant_amount == 20_000_000
    assert UepGrant.objects.count() == 1

    syamsul = Client()
    syamsul.force_login(User.objects.get(username="syamsul"))
    assert "Sipakainga" in syamsul.get("/pemberdayaan/kube/").content.decode()
    assert syamsul.get("/pemberdayaan/rekap/").status_code == 200

    assert demo.load() is False
    assert UseVisit.objects.count() == 4
