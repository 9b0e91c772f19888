"""Dashboard figures: counts and durations equal a plain computation over the same intakes."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest
from django.utils import timezone

from pandu.services import reports
from pandu.services.models import Intake

from .conftest import unregistered

pytestmark = pytest.mark.django_db


def _nearest_rank(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    rank = -(-pct * len(ordered) // 100)
    return ordered[max(rank, 1) - 1]


def test_durations_median_and_p90_match_a_plain_computation(make_intake):
    now = timezone.now()
    # (hours to first action, hours to closure) per intake; None = not yet.
    plan = [(1, 30), (2, None), (5, 100), (None, None), (0.5, 7), (12, 400), (3, None), (8, 90)]
    for number, (first, closed) in enumerate(plan):
        intake = make_intake(subject=unregistered(f"Warga {number}"), confirm=True)
        received = now - timedelta(days=2, hours=number)
        Intake.objects.filter(pk=intake.pk).update(
            received_at=received,
            first_action_at=received + timedelta(hours=first) if first is not None else None,
            closed_at=received + timedelta(hours=closed) if closed is not None else None,
        )
    today = timezone.localdate()
    figures = reports.compute("73.09", today - timedelta(days=10), today)

    firsts = [float(f) for f, _c in plan if f is not None]
    closures = [float(c) for _f, c in plan if c is not None]
    assert figures.intakes == len(plan)
    assert figures.first_action["n"] == len(firsts)
    assert figures.first_action["median_hours"] == pytest.approx(statistics.median(firsts))
    assert figures.first_action["p90_hours"] == pytest.approx(_nearest_rank(firsts, 90))
    assert figures.closure["n"] == len(closures)
    assert figures.closure["median_hours"] == pytest.approx(statistics.median(closures))
    assert figures.closure["p90_hours"] == pytest.approx(_nearest_rank(closures, 90))

    # Outside the period: nothing.
    empty = reports.compute("73.09", today - timedelta(days=40), today - timedelta(days=30))
    assert empty.intakes == 0 and empty.first_action["n"] == 0
    assert empty.closure["median_hours"] is None
