"""Urgency: the default reads as normal, and case lists show it and put the urgent cases first."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pandu.services import actions
from pandu.services import choices as c
from pandu.services.forms import IntakeForm
from pandu.services.models import Case, Intake

from .conftest import unregistered

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_default_urgency_is_normal_and_reads_as_normal():
    assert Intake._meta.get_field("urgency").default == c.Urgency.NORMAL
    assert IntakeForm.base_fields["urgency"].initial == c.Urgency.NORMAL
    assert str(c.Urgency.NORMAL.label) == "Biasa"
    assert str(c.Urgency.HIGH.label) == "Perlu segera"
    assert [str(label) for _v, label in c.Urgency.choices] == [
        "Rendah",
        "Biasa",
        "Perlu segera",
        "Darurat",
    ]


def test_an_intake_without_an_urgency_is_normal_and_its_case_has_the_normal_rank(make_case):
    case = make_case()
    assert case.intake.urgency == c.Urgency.NORMAL
    case.refresh_from_db()
    assert case.urgency_rank == c.URGENCY_RANK[c.Urgency.NORMAL]


def test_an_intake_by_the_api_without_urgency_is_normal(world):
    from pandu.services.api.serializers import IntakeCreateSerializer

    assert IntakeCreateSerializer().fields["urgency"].default == c.Urgency.NORMAL


def test_a_case_takes_the_rank_of_its_intakes_urgency(make_case):
    ranks = {
        urgency: make_case(subject=unregistered(f"Orang {urgency}"), urgency=urgency).urgency_rank
        for urgency in c.Urgency.values
    }
    assert ranks == {"emergency": 0, "high": 1, "normal": 2, "low": 3}


def _numbers_in_order(html: str, cases: list[Case]) -> list[str]:
    found = [(html.index(case.number), case.number) for case in cases]
    return [number for _at, number in sorted(found)]


def test_the_case_list_puts_urgent_cases_first_then_the_nearest_due_date(world, make_case):
    andi = world.users["social_worker"]
    today = timezone.localdate()
    low = make_case(subject=unregistered("Orang Rendah"), urgency="low")
    normal_later = make_case(subject=unregistered("Orang Biasa Nanti"))
    normal_sooner = make_case(subject=unregistered("Orang Biasa Segera"))
    emergency = make_case(subject=unregistered("Orang Darurat"), urgency="emergency")
    high = make_case(subject=unregistered("Orang Perlu Segera"), urgency="high")
    actions.add_task(andi, normal_later, title="Kunjungan", due_on=today + timedelta(days=9))
    actions.add_task(andi, normal_sooner, title="Kunjungan", due_on=today + timedelta(days=2))

    response = client_for(andi).get(reverse("services:case_list"))
    html = response.content.decode()

    assert _numbers_in_order(html, [low, normal_later, normal_sooner, emergency, high]) == [
        emergency.number,
        high.number,
        normal_sooner.number,
        normal_later.number,
        low.number,
    ]
    assert 'data-urgency="emergency"' in html and "Darurat" in html
    assert 'data-urgency="low"' in html


def test_the_overdue_list_shows_the_urgency_of_each_late_follow_up(world, make_case):
    andi = world.users["social_worker"]
    case = make_case(urgency="high")
    task = actions.add_task(andi, case, title="Kunjungan", due_on=timezone.localdate())
    # A follow-up that has become late: its due date passed (the action refuses past dates).
    type(task).objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=3))

    html = client_for(andi).get(reverse("services:overdue")).content.decode()
    assert 'data-urgency="high"' in html


def test_the_case_list_sorts_on_the_stored_rank_without_joining_for_it(world, make_case):
    make_case(urgency="emergency")
    andi = world.users["social_worker"]
    with CaptureQueriesContext(connection) as queries:
        client_for(andi).get(reverse("services:case_list"))
    listing = [q["sql"] for q in queries if "ORDER BY" in q["sql"] and "urgency_rank" in q["sql"]]
    assert listing, "the case list orders by the stored urgency rank"
    assert "CASE WHEN" not in listing[0]


def test_the_migration_ranks_existing_cases_from_their_intakes(world, make_case):
    from django.apps import apps

    case = make_case(urgency="emergency")
    Case.objects.filter(pk=case.pk).update(urgency_rank=2)  # as before the rank existed
    migration = importlib.import_module("pandu.services.migrations.0005_case_urgency_rank")

    migration.rank_existing_cases(apps, None)

    case.refresh_from_db()
    assert case.urgency_rank == 0
