"""Monthly tallies: kept current by the actions, equal to a rebuild from the intakes, and the
dashboard's counts equal with and without them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from pandu.services import actions, reports, tallies
from pandu.services.models import Intake, IntakeTally, NeedTally, VillageTally

from .conftest import unregistered

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    """Every non-zero tally, as plain tuples."""
    return {
        "intake": sorted(
            (t.month, t.district_code, t.channel, t.status, t.n)
            for t in IntakeTally.objects.exclude(n=0)
        ),
        "village": sorted((t.month, t.area_code, t.n) for t in VillageTally.objects.exclude(n=0)),
        "need": sorted(
            (t.month, t.district_code, t.need, t.n) for t in NeedTally.objects.exclude(n=0)
        ),
    }


def _received_in(intake: Intake, day: date) -> None:
    """Move an intake back in time (as if received then), bypassing the actions like a loader
    that writes old data in bulk; the caller rebuilds the tallies."""
    moment = datetime.combine(day, time(10, 0), tzinfo=timezone.get_current_timezone())
    Intake.objects.filter(pk=intake.pk).update(received_at=moment)
    intake.received_at = moment


def _counts(figures: reports.Figures) -> tuple:
    return (
        figures.intakes,
        sorted(figures.by_channel),
        sorted(figures.by_status),
        sorted(figures.by_need),
        sorted(figures.by_village),
    )


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 15), date(2026, 4, 10), [date(2026, 2, 1), date(2026, 3, 1)]),
        (date(2026, 1, 1), date(2026, 1, 31), [date(2026, 1, 1)]),
        (date(2026, 1, 1), date(2026, 1, 30), []),
        (
            date(2025, 11, 2),
            date(2026, 2, 28),
            [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)],
        ),
        (date(2024, 2, 1), date(2024, 2, 29), [date(2024, 2, 1)]),
        (date(2026, 3, 5), date(2026, 3, 20), []),
    ],
)
def test_whole_months_of_a_period(start, end, months):
    assert reports.whole_months(start, end) == months


def test_actions_keep_the_tallies_equal_to_a_rebuild(world, make_intake, make_case):
    front, worker = world.users["front_office"], world.users["social_worker"]
    supervisor = world.users["admin_maros"]
    first = make_intake(needs=("health", "education"), channel="phone")
    make_intake(subject=unregistered("Wa Ode Sitti"), needs=("housing",))
    actions.resolve_at_desk(front, first, "Informasi syarat diberikan")  # new -> closed
    case = make_case(subject=unregistered("La Ode Ahmad"))  # new -> in_case
    actions.save_assessment(worker, case, "civil_documents", {"situation": "Belum punya KTP"})
    actions.request_closure(worker, case, outcome="resolved", summary="Selesai")
    actions.decide_closure(supervisor, case, approve=True)  # in_case -> closed
    actions.reopen_case(worker, case, "Keluhan muncul lagi")  # closed -> in_case
    kept = _snapshot()

    assert sum(n for *_k, n in kept["intake"]) == Intake.objects.count() == 3
    month = timezone.localdate().replace(day=1)
    assert (month, "73.09.13", "phone", "closed", 1) in kept["intake"]
    assert (month, "73.09.13", "civil_documents", 1) in kept["need"]
    tallies.rebuild()
    assert _snapshot() == kept


def test_dashboard_counts_are_the_same_from_tallies_and_from_intakes(world, make_intake, make_case):
    front, worker = world.users["front_office"], world.users["social_worker"]
    today = timezone.localdate()
    this_month = today.replace(day=1)
    earlier = [this_month - timedelta(days=d) for d in (70, 40, 40, 10)]
    # Four intakes received in earlier months (written as a loader would), then handled now.
    old = [
        make_intake(subject=unregistered(f"Warga {n}"), needs=("health", "housing")[: n % 2 + 1])
        for n in range(len(earlier))
    ]
    for intake, day in zip(old, earlier, strict=True):
        _received_in(intake, day)
    tallies.rebuild()
    actions.resolve_at_desk(front, old[0], "Selesai di loket")
    case = actions.open_case(front, old[1], assign_to=worker)
    actions.save_assessment(worker, case, "education", {"situation": "Putus sekolah"})
    make_intake(subject=unregistered("Warga baru"), channel="letter")  # this month

    for start, end in (
        (this_month - timedelta(days=100), today),  # partial, whole months, partial
        (earlier[0].replace(day=1), this_month - timedelta(days=1)),  # whole months only
        (this_month, today),  # this month only (from the intakes)
    ):
        with_tallies = reports.compute("73.09", start, end)
        plain = reports.compute("73.09", start, end, use_tallies=False)
        assert _counts(with_tallies) == _counts(plain), (start, end)
    year = reports.compute("73.09", this_month - timedelta(days=100), today)
    assert year.intakes == 5
    statuses = dict(year.by_status)
    assert sum(statuses.values()) == 5 and len(statuses) == 3  # new, closed, in case
    # A district and a village: the village is counted from the intakes alone.
    district = reports.compute("73.09.13", this_month - timedelta(days=100), today)
    village = reports.compute(old[0].area_code, this_month - timedelta(days=100), today)
    assert district.intakes == village.intakes == 5


def test_rebuild_command_restores_tallies_after_a_bulk_change(world, make_intake):
    intake = make_intake()
    before = _snapshot()
    IntakeTally.objects.all().delete()
    VillageTally.objects.update(n=99)
    call_command("rebuild_service_tallies", verbosity=0)
    assert _snapshot() == before
    assert [(code, n) for _m, code, n in before["village"]] == [(intake.area_code, 1)]
