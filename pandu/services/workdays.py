"""Working days for service-level clocks: Monday to Friday, minus the holidays in ``Holiday``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta


def holidays_between(start: date, end: date) -> set[date]:
    from .models import Holiday

    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def add_working_days(start: date, days: int, holidays: Iterable[date] | None = None) -> date:
    """The date ``days`` working days after ``start`` (the start day itself does not count).

    A referral sent on Friday with 1 working day to respond is due on Monday (Tuesday when
    Monday is a holiday).
    """
    if holidays is None:
        # Generous window: every 5 working days span at most 7 calendar days, plus long holidays.
        holidays = holidays_between(start, start + timedelta(days=days * 2 + 30))
    off = set(holidays)
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            left -= 1
    return current


def working_days_between(start: date, end: date, holidays: Iterable[date] | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    off = set(holidays) if holidays is not None else holidays_between(start, end)
    n = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            n += 1
    return n
