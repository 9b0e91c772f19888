"""One decimal separator per language: the dashboard's hours and days (on screen and printed),
the upload limits and the front page read 12,5 in Indonesian and 12.5 in English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pandu.core.tests.decimals import area_codes, wrong_decimals
from pandu.core.tests.pdf import body, pdf_text
from pandu.core.uploads import megabytes
from pandu.services.models import Intake

from .conftest import unregistered

pytestmark = pytest.mark.django_db


def _client(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def hours(make_intake):
    """Two walk-ins first answered after 10 and 15 hours: a median of 12.5 hours."""
    now = timezone.now()
    for number, first in enumerate((10, 15)):
        intake = make_intake(subject=unregistered(f"Warga {number}"), confirm=True)
        received = now - timedelta(days=2, hours=number)
        Intake.objects.filter(pk=intake.pk).update(
            received_at=received, first_action_at=received + timedelta(hours=first)
        )


def test_dashboard_hours_read_with_a_comma_in_indonesian_and_a_dot_in_english(world, hours):
    head = world.users["head"]
    indonesian = _client(head, "id").get(reverse("services:dashboard")).content.decode()
    assert "12,5 jam / 15,0 jam" in indonesian
    assert wrong_decimals(indonesian, "id", area_codes()) == []

    english = _client(head, "en").get(reverse("services:dashboard")).content.decode()
    assert "12.5 hours / 15.0 hours" in english
    assert wrong_decimals(english, "en", area_codes()) == []


def test_the_printed_dashboard_writes_hours_the_readers_way(world, hours):
    head = world.users["head"]
    printed = pdf_text(body(_client(head, "id").get(reverse("services:dashboard_pdf"))))
    assert "12,5 jam" in printed and "12.5" not in printed
    english = pdf_text(body(_client(head, "en").get(reverse("services:dashboard_pdf"))))
    assert "12.5 hours" in english


def test_the_front_page_of_the_head_of_office_has_no_dot_decimal(world, hours):
    page = _client(world.users["head"], "id").get("/").content.decode()
    assert wrong_decimals(page, "id", area_codes()) == []


def test_days_and_megabytes_follow_the_language():
    days = Template("{% load services %}{{ value|days }}")
    with translation.override("id"):
        assert days.render(Context({"value": 2.26})) == "2,3"
        assert megabytes(9961472) == "9,5" and megabytes(10485760) == "10"
    with translation.override("en"):
        assert days.render(Context({"value": 2.26})) == "2.3"
        assert megabytes(9961472) == "9.5"


def test_the_check_flags_a_dot_decimal_but_not_codes_dates_or_thousands():
    page = (
        "<p>Median 12.5 jam · 1.500 keluarga · Rp 2.500.000 · 73.09 Kab. Maros · "
        "05-07-1985 14:05 · 0,953</p><script>var x = 1.5;</script>"
    )
    assert wrong_decimals(page, "id", {"73.09"}) == ["12.5 (after: 'Median')"]
    assert wrong_decimals("<p>12,5 hours; 1,500 families; 12.5</p>", "en") == ["12,5 (after: '')"]
