"""Programme membership for the targeting rules ("not already in PKH"): the families that are
active KPM of a programme, registered into ``targeting.rules`` when the app starts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def households_in(code: str) -> QuerySet:
    from .models import Enrolment

    return Enrolment.objects.filter(programme__code=code, status="aktif").values("household_id")


def codes_of(household: Any) -> set[str]:
    from .models import Enrolment

    return set(
        Enrolment.objects.filter(household_id=household.pk, status="aktif").values_list(
            "programme__code", flat=True
        )
    )


def register() -> None:
    from pandu.targeting.rules import register_membership

    register_membership(households_in, codes_of)
