"""A duplicate pair's probability reads 0,953 in Indonesian and 0.953 in English."""

from datetime import date

import pytest
from django.conf import settings
from django.test import Client

from pandu.core.tests.decimals import area_codes, wrong_decimals
from pandu.dedup.models import DuplicatePair

pytestmark = pytest.mark.django_db


def test_pair_probability_uses_the_readers_decimal_separator(personas, person_factory):
    a, b = sorted(
        (
            person_factory("Rahman Daeng", date(1980, 5, 17)),
            person_factory("Rahman", date(1980, 5, 18)),
        ),
        key=lambda p: p.pk,
    )
    pair = DuplicatePair.objects.create(
        person_a=a, person_b=b, probability=0.9534, match_weight=5.25
    )
    pages = {}
    for language in ("id", "en"):
        client = Client()
        client.force_login(personas["admin_maros"])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages[language] = client.get(f"/duplikat/pasangan/{pair.uid}/").content.decode()
    assert "0,953" in pages["id"] and "0.953" in pages["en"]
    codes = area_codes()
    assert wrong_decimals(pages["id"], "id", codes) == []
    assert wrong_decimals(pages["en"], "en", codes) == []
