"""The report: per area and period, what was proposed, verified, approved and rejected, and how
many days each step took (median and mean)."""

from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from pandu.conftest import BULU, LAPPARA
from pandu.proposals import actions
from pandu.proposals.models import ProposalBatch, ProposalItem
from pandu.proposals.reports import proposal_report

from .conftest import confirm_all

pytestmark = pytest.mark.django_db


def _at(day: int) -> datetime:
    return timezone.make_aware(datetime(2026, 3, day, 9, 0))


def _cycle(personas, household_factory, batch_factory, *, village, operator, steps):
    """One batch whose items went through the given (verified day, decided day, approve)."""
    user = personas[operator]
    batch = batch_factory(user, village=village)
    items = []
    for _ in steps:
        hh = household_factory(village)
        items.append(actions.add_household_change_item(user, batch, hh, {"rt": 9}, reason="RT"))
    actions.submit_batch(user, batch)
    for item, (verified, decided, approve) in zip(items, steps, strict=True):
        if verified:
            actions.verify_item(personas["tksk_moncongloe"], item, results=confirm_all(item))
            ProposalItem.objects.filter(pk=item.pk).update(verified_at=_at(verified))
        if decided:
            actions.decide_item(
                personas["admin_maros"], item, approve=approve, reason="" if approve else "Tidak"
            )
            ProposalItem.objects.filter(pk=item.pk).update(decided_at=_at(decided))
    ProposalBatch.objects.filter(pk=batch.pk).update(submitted_at=_at(1))
    return batch


def test_report_counts_and_durations_per_village(personas, household_factory, batch_factory):
    # Lappara: three items submitted on 1 March; verified after 2, 4 and 9 days;
    # two decided 1 and 3 days after the visit (one approved, one rejected); one still waiting.
    _cycle(
        personas,
        household_factory,
        batch_factory,
        village=LAPPARA,
        operator="operator_lappara",
        steps=[(3, 4, True), (5, 8, False), (10, None, None)],
    )
    # Bulu: one item not yet visited.
    _cycle(
        personas,
        household_factory,
        batch_factory,
        village=BULU,
        operator="operator_bulu",
        steps=[(None, None, None)],
    )
    report = proposal_report(
        personas["admin_maros"], date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)
    )
    bulu, lappara = report["rows"]  # ordered by area code
    assert (lappara.code, lappara.name) == (LAPPARA, "Moncongloe Lappara")
    assert (lappara.proposed, lappara.verified, lappara.approved, lappara.rejected) == (3, 3, 1, 1)
    assert lappara.applied == 1
    assert (lappara.median_to_verify, lappara.mean_to_verify) == (4.0, 5.0)
    assert (lappara.median_to_decide, lappara.mean_to_decide) == (2.0, 2.0)
    assert (lappara.median_total, lappara.mean_total) == (5.0, 5.0)
    assert (bulu.proposed, bulu.verified, bulu.pending, bulu.median_to_verify) == (1, 0, 1, None)
    assert report["total"].proposed == 4

    by_district = proposal_report(personas["admin_maros"], group="district")
    assert [(r.code, r.proposed) for r in by_district["rows"]] == [("73.09.13", 4)]
    # The operator's report covers her village only; a period without submissions is empty.
    assert [r.code for r in proposal_report(personas["operator_lappara"])["rows"]] == [LAPPARA]
    assert proposal_report(personas["admin_maros"], date_from=date(2026, 4, 1))["rows"] == []
    assert proposal_report(personas["admin_makassar"])["rows"] == []


def test_report_page_filters_by_area_and_period(personas, household_factory, batch_factory):
    _cycle(
        personas,
        household_factory,
        batch_factory,
        village=LAPPARA,
        operator="operator_lappara",
        steps=[(3, 4, True)],
    )
    client = Client()
    client.force_login(personas["head"])
    page = client.get(
        "/usulan/laporan/",
        {"area": "73.09.13", "date_from": "01-03-2026", "date_to": "31-03-2026"},
    ).content.decode()
    assert f'data-area="{LAPPARA}"' in page
    empty = client.get("/usulan/laporan/", {"date_from": "01-01-2025", "date_to": "31-01-2025"})
    assert "Tidak ada usulan pada periode ini" in empty.content.decode()
