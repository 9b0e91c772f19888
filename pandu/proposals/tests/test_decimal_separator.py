"""The proposal report's days read 3,0 in Indonesian and 3.0 in English."""

from datetime import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from pandu.conftest import LAPPARA
from pandu.core.tests.decimals import area_codes, wrong_decimals
from pandu.proposals import actions
from pandu.proposals.models import ProposalBatch, ProposalItem

from .conftest import confirm_all

pytestmark = pytest.mark.django_db


def _at(day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(2026, 3, day, hour, 0))


def test_report_days_use_the_readers_decimal_separator(personas, household_factory, batch_factory):
    rahma = personas["operator_lappara"]
    batch = batch_factory(rahma)
    items = [
        actions.add_household_change_item(
            rahma, batch, household_factory(LAPPARA), {"rt": 9}, reason="RT"
        )
        for _ in range(2)
    ]
    actions.submit_batch(rahma, batch)
    # Verified days after submission: the report's days have one decimal.
    for item, day in zip(items, (3, 4), strict=True):
        actions.verify_item(personas["tksk_moncongloe"], item, results=confirm_all(item))
        ProposalItem.objects.filter(pk=item.pk).update(verified_at=_at(day, 21))
    ProposalBatch.objects.filter(pk=batch.pk).update(submitted_at=_at(1))
    query = {"area": "73.09.13", "date_from": "01-03-2026", "date_to": "31-03-2026"}
    pages = {}
    for language in ("id", "en"):
        client = Client()
        client.force_login(personas["head"])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages[language] = client.get("/usulan/laporan/", query).content.decode()
    assert ">3,0<" in pages["id"] and ">3.0<" not in pages["id"]
    assert ">3.0<" in pages["en"] and ">3,0<" not in pages["en"]
    codes = area_codes()
    assert wrong_decimals(pages["id"], "id", codes) == []
    assert wrong_decimals(pages["en"], "en", codes) == []
