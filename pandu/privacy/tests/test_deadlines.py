"""The two clocks of a request and the breach's: hours from the moment, days to the end of the
local day in Maros (WITA, UTC+8), so a request received just before or just after midnight is
due on the right day."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from django.utils import timezone

from pandu.privacy import actions, deadlines
from pandu.privacy.models import SubjectRequest

from .conftest import wita

pytestmark = pytest.mark.django_db


def test_the_site_counts_days_in_maros_time(settings):
    assert settings.TIME_ZONE == "Asia/Makassar"


def test_acknowledgement_is_due_72_hours_after_receipt_whatever_the_day():
    received = wita(2026, 3, 5, 23, 30)
    assert deadlines.ack_due(received) == wita(2026, 3, 8, 23, 30)


def test_a_request_received_before_midnight_counts_that_day():
    # 23:30 WITA on 5 March is 15:30 UTC the same day.
    assert deadlines.completion_due(wita(2026, 3, 5, 23, 30), "access") == date(2026, 3, 19)


def test_a_request_received_after_midnight_counts_the_next_day():
    # 00:30 WITA on 6 March is still 5 March in UTC: the local day decides.
    received = wita(2026, 3, 6, 0, 30)
    assert received.astimezone(UTC).date() == date(2026, 3, 5)
    assert deadlines.completion_due(received, "access") == date(2026, 3, 20)


def test_completion_days_are_configured_per_kind(settings):
    settings.PANDU_PRIVACY_COMPLETION_DAYS = {"access": 3, "erasure": 30}
    received = wita(2026, 3, 5, 10, 0)
    assert deadlines.completion_due(received, "access") == date(2026, 3, 8)
    assert deadlines.completion_due(received, "erasure") == date(2026, 4, 4)
    assert deadlines.completion_due(received, "correction") == date(2026, 3, 19)


def test_the_due_day_ends_at_local_midnight():
    end = deadlines.end_of_day(date(2026, 3, 19))
    assert end == wita(2026, 3, 20) - timedelta(microseconds=1)


def test_clock_states_and_words():
    due = wita(2026, 3, 8, 12, 0)
    assert deadlines.state(due, done=False, now=wita(2026, 3, 6, 12, 0)) == "running"
    assert deadlines.state(due, done=False, now=wita(2026, 3, 7, 13, 0)) == "soon"
    assert deadlines.state(due, done=False, now=wita(2026, 3, 8, 12, 1)) == "overdue"
    assert deadlines.state(due, done=True, now=wita(2026, 3, 9)) == "done"
    assert deadlines.left_text(due, done=False, now=wita(2026, 3, 6, 9, 0)) == "sisa 2 hari 3 jam"
    assert deadlines.left_text(due, done=False, now=wita(2026, 3, 8, 14, 5)) == (
        "terlambat 2 jam 5 menit"
    )


def test_a_received_request_carries_both_clocks(personas, person, receive):
    req = receive(person, received_at=wita(2026, 3, 6, 0, 30), ready=False)
    assert req.ack_due == wita(2026, 3, 9, 0, 30)
    assert req.due_on == date(2026, 3, 20)
    assert req.number == f"PDP-2026-{req.pk:05d}"


def test_overdue_list_follows_each_clock(personas, person, receive):
    late_ack = receive(person, received_at=wita(2026, 3, 1, 8, 0), ready=False)
    acknowledged = receive(person, received_at=wita(2026, 3, 1, 8, 0))
    # 4 March 08:01: the first is 1 minute past its 72 hours; the second was acknowledged.
    now = wita(2026, 3, 4, 8, 1)
    assert list(SubjectRequest.objects.overdue(now)) == [late_ack]
    # Completion: due 15 March; on 15 March at 23:59 still on time, on 16 March late.
    assert acknowledged not in SubjectRequest.objects.overdue(wita(2026, 3, 15, 23, 59))
    assert acknowledged in SubjectRequest.objects.overdue(wita(2026, 3, 16, 0, 0))
    assert acknowledged.overdue(wita(2026, 3, 16, 0, 0))
    assert not acknowledged.overdue(wita(2026, 3, 15, 23, 59))


def test_a_request_from_the_future_is_refused(personas, person, receive):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as e:
        receive(person, received_at=timezone.now() + timedelta(days=1), ready=False)
    assert "received_at" in e.value.message_dict


def test_the_overdue_digest_tells_the_assignee_once_a_day(personas, person, receive):
    from pandu.notifications.models import Notification

    req = receive(person, received_at=wita(2026, 3, 1, 8, 0))
    actions.assign_request(personas["front_office"], req, personas["auditor"])
    now = wita(2026, 3, 20, 7, 0)
    first = actions.send_overdue_digest(now)
    again = actions.send_overdue_digest(now)
    assert first == {"requests": 1, "notifications": 1}
    assert again == {"requests": 1, "notifications": 0}
    told = Notification.objects.get(user=personas["auditor"], kind="privacy_overdue")
    assert req.number in told.body and "Rahman" not in told.body + told.title
