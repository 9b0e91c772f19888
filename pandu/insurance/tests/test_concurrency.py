"""A person is a member of one scheme at a time, even when two providers enrol them at the same
moment: two enrolments in two threads, each with its own connection and transaction, on a real
PostgreSQL database. Both have checked that the person is nobody's member before either writes
(a barrier holds them there), so only the database's constraint can keep them apart."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from pandu.insurance import actions
from pandu.insurance.actions import members as member_actions
from pandu.insurance.models import Member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="SQLite runs one writer at a time: two enrolments cannot overlap there; this test "
        "needs PostgreSQL (DATABASE_URL=postgres://...)",
    ),
]


def test_two_providers_enrolling_one_person_at_once_make_one_member(
    personas, scheme, other_provider, breadwinner_factory, monkeypatch
):
    person = breadwinner_factory()
    other_scheme = actions.create_scheme(
        personas["admin_maros"],
        other_provider,
        name="Skema lain",
        terms={"valid_from": date(2025, 1, 1)},
    )
    barrier = threading.Barrier(2, timeout=60)
    original = member_actions.next_number

    def numbered_together(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(member_actions, "next_number", numbered_together)
    outcomes: list = [None, None]

    def enrol(i: int, user, chosen) -> None:
        try:
            outcomes[i] = actions.enrol_member(
                user,
                chosen,
                nik=person.nik,
                enrolled_on=date(2026, 6, 1),
                occupation="Pedagang",
                monthly_income=300_000,
                work_status=1,
                breadwinner=True,
            )
        except ValidationError as exc:
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=enrol, args=(0, personas["partner"], scheme)),
        threading.Thread(target=enrol, args=(1, other_provider.staff_user, other_scheme)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    members = [o for o in outcomes if isinstance(o, Member)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(members) == 1 and len(refused) == 1, outcomes
    assert "skema lain" in " ".join(refused[0].messages)
    assert Member.objects.filter(person=person).count() == 1
