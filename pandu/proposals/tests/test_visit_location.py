"""A field visit records where the verifier's phone was, when they ask for it, and when."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from pandu.conftest import api_token
from pandu.proposals import actions
from pandu.proposals.actions import VisitLocation
from pandu.proposals.models import ItemStatus

from .conftest import confirm_all, new_family

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(personas, batch_factory):
    rahma = personas["operator_lappara"]
    batch = batch_factory(rahma)
    made = actions.add_household_item(rahma, batch, **new_family())
    actions.submit_batch(rahma, batch)
    made.refresh_from_db()
    return made


def _form(item, **location) -> dict:
    body = {"visited": "on", "note": "Sudah dikunjungi", **location}
    for i, _s in enumerate(confirm_all(item)):
        body[f"r{i}_result"] = "confirmed"
    return body


def _iso(when) -> str:
    return when.isoformat().replace("+00:00", "Z")


def test_tksk_records_the_position_and_the_visit_shows_it_as_coordinates(personas, item):
    syamsul = Client()
    syamsul.force_login(personas["tksk_moncongloe"])
    page = syamsul.get(f"/usulan/butir/{item.uid}/verifikasi/")
    body = page.content.decode()
    assert "Catat lokasi saya" in body and "pandu/visit_location.js" in body
    # Only this page lets the browser ask for the position, and only for Pandu itself.
    assert "geolocation=(self)" in page["Permissions-Policy"]
    assert "camera=()" in page["Permissions-Policy"]

    taken = timezone.now() - timedelta(minutes=2)
    response = syamsul.post(
        f"/usulan/butir/{item.uid}/verifikasi/",
        _form(
            item,
            latitude="-5.0861234567",
            longitude="119.5521",
            accuracy="12.46",
            located_at=_iso(taken),
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.VERIFIED
    assert item.visit_latitude == Decimal("-5.086123")
    assert item.visit_longitude == Decimal("119.552100")
    assert item.visit_accuracy == Decimal("12.5")
    assert abs(item.visit_located_at - taken) < timedelta(seconds=1)

    detail = syamsul.get(f"/usulan/butir/{item.uid}/").content.decode()
    assert 'href="geo:-5.086123,119.552100"' in detail
    assert "lintang -5,086123, bujur 119,552100" in detail
    assert "akurasi ± 13 m" in detail
    # Everywhere else the browser keeps the position to itself.
    other = syamsul.get(f"/usulan/butir/{item.uid}/")
    assert "geolocation=()" in other["Permissions-Policy"]


def test_the_visit_is_saved_without_a_position_when_none_was_taken(personas, item):
    syamsul = Client()
    syamsul.force_login(personas["tksk_moncongloe"])
    empty = {"latitude": "", "longitude": "", "accuracy": "", "located_at": ""}
    response = syamsul.post(f"/usulan/butir/{item.uid}/verifikasi/", _form(item, **empty))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.VERIFIED
    assert item.visit_latitude is None and item.visit_located_at is None
    assert "geo:" not in syamsul.get(f"/usulan/butir/{item.uid}/").content.decode()


NOW, FUTURE, LONG_AGO = "now", "future", "long ago"
FULL = {"latitude": "-5.1", "longitude": "119.5", "accuracy": "10", "located_at": NOW}


@pytest.mark.parametrize(
    ("location", "field", "message"),
    [
        ({**FULL, "latitude": "-95"}, "latitude", "antara -90 dan 90"),
        ({**FULL, "longitude": "181"}, "longitude", "antara -180 dan 180"),
        ({**FULL, "latitude": "utara"}, "latitude", "antara -90 dan 90"),
        ({"latitude": "-5.1", "located_at": NOW}, "latitude", "lintang dan bujur sekaligus"),
        ({"longitude": "119.5", "located_at": NOW}, "latitude", "lintang dan bujur sekaligus"),
        ({**FULL, "accuracy": "-3"}, "accuracy", "0 atau lebih"),
        ({**FULL, "accuracy": "NaN"}, "accuracy", "0 atau lebih"),
        ({"accuracy": "15"}, "latitude", "hanya dicatat bersama lintang dan bujur"),
        ({**FULL, "located_at": FUTURE}, "located_at", "masa depan"),
        ({**FULL, "located_at": LONG_AGO}, "located_at", "lebih awal dari usulan"),
        ({**FULL, "located_at": None}, "located_at", "belum diisi"),
    ],
)
def test_a_wrong_position_is_refused_with_a_clear_message_and_nothing_changes(
    personas, item, location, field, message
):
    now = timezone.now()
    times = {NOW: now, FUTURE: now + timedelta(minutes=30), LONG_AGO: now - timedelta(days=400)}
    taken = location.get("located_at")
    with pytest.raises(ValidationError) as refused:
        actions.verify_item(
            personas["tksk_moncongloe"],
            item,
            results=confirm_all(item),
            location=VisitLocation(
                latitude=location.get("latitude"),
                longitude=location.get("longitude"),
                accuracy=location.get("accuracy"),
                taken_at=times.get(taken) if taken else None,
            ),
        )
    errors = refused.value.message_dict
    assert field in errors and message in " ".join(errors[field])
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING and item.visit_latitude is None


def test_a_phone_clock_a_little_ahead_is_accepted(personas, item):
    ahead = timezone.now() + timedelta(minutes=3)
    actions.verify_item(
        personas["tksk_moncongloe"],
        item,
        results=confirm_all(item),
        location=VisitLocation("-5.1", "119.5", "0", ahead),
    )
    item.refresh_from_db()
    assert item.visit_located_at == ahead and item.visit_accuracy == 0


def test_the_page_keeps_the_answers_and_names_the_location_problem(personas, item):
    syamsul = Client()
    syamsul.force_login(personas["tksk_moncongloe"])
    response = syamsul.post(
        f"/usulan/butir/{item.uid}/verifikasi/",
        _form(item, latitude="-5.1", longitude="119.5", located_at="kemarin sore"),
    )
    assert response.status_code == 200
    assert "Waktu lokasi diambil tidak terbaca." in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


def test_verifying_again_without_a_position_keeps_the_one_recorded(personas, item):
    syamsul = personas["tksk_moncongloe"]
    taken = timezone.now()
    actions.verify_item(
        syamsul, item, results=confirm_all(item), location=VisitLocation(-5.1, 119.5, 8, taken)
    )
    actions.verify_item(syamsul, item, results=confirm_all(item), note="Koreksi catatan")
    item.refresh_from_db()
    assert item.verification_note == "Koreksi catatan"
    assert item.visit_latitude == Decimal("-5.100000") and item.visit_located_at == taken


def test_the_api_records_and_returns_the_position(personas, item):
    token = api_token(personas["tksk_moncongloe"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    url = f"/api/v1/proposals/items/{item.uid}/verify/"
    bad = client.post(
        url,
        {"results": confirm_all(item), "latitude": -5.1, "accuracy": 5},
        format="json",
    )
    assert bad.status_code == 400
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING
    taken = timezone.now() - timedelta(minutes=1)
    response = client.post(
        url,
        {
            "results": confirm_all(item),
            "latitude": -5.0861,
            "longitude": 119.5521,
            "accuracy": 7.5,
            "located_at": _iso(taken),
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["visit_latitude"] == -5.0861 and body["visit_longitude"] == 119.5521
    assert body["visit_accuracy"] == 7.5
    assert body["visit_located_at"] is not None
