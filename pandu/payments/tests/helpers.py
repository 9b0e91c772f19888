"""Shared test helpers: an approved PKH cycle of a few KPM, in two channels."""

from __future__ import annotations

from datetime import date

from pandu.payments import actions

START = date(2026, 1, 1)


def born(age: int) -> date:
    return date(START.year - age - 1, 6, 1)


def approved_cycle(personas, programme, area, bulk_families, enrol, specs, *, start=START):
    """A cycle of ``programme`` whose KPM are the families of ``specs``, computed and approved
    by the Dinas and the head. Returns (cycle, families)."""
    families = bulk_families(specs)
    for family in families:
        enrol(family, programme)
    cycle = actions.create_cycle(
        personas["admin_maros"], programme=programme, area=area, period_start=start
    )
    actions.compute_cycle(personas["admin_maros"], cycle)
    actions.approve_cycle_dinas(personas["admin_maros"], cycle)
    cycle = actions.approve_cycle_head(personas["head"], cycle)
    return cycle, families


ELDERLY_WITH_ACCOUNT = {
    "members": [
        {"birth_date": born(72), "bank_name": "BRI", "bank_account": "0012345678901"},
    ]
}
CHILD_NO_ACCOUNT = {"members": [{"birth_date": born(40)}, {"birth_date": born(3)}]}
