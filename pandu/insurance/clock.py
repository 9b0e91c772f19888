"""Today's date for the ledger and the claims: one place, so a test (or a replay of a month)
can set the day the rules are judged on."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
