"""The public status check, attacked as it once was: a forged ``X-Forwarded-For`` reset the rate
limit, ticket numbers were sequential (the number and a guessed birth date were enough), and a
child-protection case named the agency it was referred to."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import api_token
from pandu.services import actions, public
from pandu.services.models import Intake

from .conftest import unregistered

pytestmark = pytest.mark.django_db

NIK = "7309131703700011"
BORN = "04-03-1970"
PROXY = "10.0.0.254"
REFERENCE = re.compile(r"SLRT-7309-\d{4}-\d{6}-[0-9A-Z]{4}")


def _check(client, ticket, born=BORN, **meta):
    meta.setdefault("REMOTE_ADDR", "10.0.0.1")
    return client.post(
        reverse("services:public_status"), {"ticket": ticket, "birth_date": born}, **meta
    )


def _found(response) -> bool:
    return 'data-result="found"' in response.content.decode()


@pytest.fixture
def behind_proxy(settings):
    """PANDU_SECURE=1 behind one reverse proxy that appends the address it saw."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.PANDU_TRUSTED_PROXIES = 1


# --- Public status check ----------------------------------------------------------------------


def test_a_forged_forwarded_for_does_not_reset_the_limit_behind_a_proxy(world, behind_proxy):
    c = Client()
    for i in range(public.TRIES_PER_ADDRESS):
        forged = f"198.51.100.{i}, 203.0.113.7"  # the proxy appended the real address last
        answer = _check(
            c, f"SLRT-7309-2026-{900000 + i}-AAAA", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged
        )
        assert answer.status_code == 200
    blocked = _check(
        c,
        "SLRT-7309-2026-999999-AAAA",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.250, 203.0.113.7",
    )
    assert blocked.status_code == 429


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(world, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    c = Client()
    for i in range(public.TRIES_PER_ADDRESS):
        _check(
            c,
            f"SLRT-7309-2026-{900000 + i}-AAAA",
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
    blocked = _check(
        c, "SLRT-7309-2026-999999-AAAA", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert blocked.status_code == 429


def test_one_ticket_is_locked_after_its_tries_from_many_addresses(world, make_intake):
    intake = make_intake(subject=unregistered(nik=NIK))
    c = Client()
    for i in range(public.TRIES_PER_TICKET):
        wrong = _check(c, intake.public_reference, "01-01-1999", REMOTE_ADDR=f"10.1.0.{i}")
        assert wrong.status_code == 200 and not _found(wrong)
    # Another check part for the same number does not get fresh tries either.
    blocked = _check(c, intake.ticket_number + "-ZZZZ", REMOTE_ADDR="10.1.1.1")
    assert blocked.status_code == 429
    blocked = _check(c, intake.public_reference, REMOTE_ADDR="10.1.1.2")
    assert blocked.status_code == 429 and not _found(blocked)
    assert "Terlalu banyak percobaan" in blocked.content.decode()


def test_the_sequential_number_alone_does_not_open_a_ticket(world, make_intake):
    intake = make_intake()
    assert REFERENCE.fullmatch(intake.public_reference)
    assert intake.public_reference.startswith(intake.ticket_number + "-")
    c = Client()
    assert not _found(_check(c, intake.ticket_number, REMOTE_ADDR="10.2.0.1"))
    code = intake.public_reference.rsplit("-", 1)[1]
    other = "".join("A" if ch != "A" else "B" for ch in code)
    assert not _found(_check(c, f"{intake.ticket_number}-{other}", REMOTE_ADDR="10.2.0.2"))
    # Typed in lower case with spaces it is still the same reference.
    typed = " " + intake.public_reference.lower().replace("-", " - ", 1) + " "
    assert _found(_check(c, typed, REMOTE_ADDR="10.2.0.3"))


def test_check_parts_are_random_not_derived_from_the_number(world, make_intake):
    codes = {make_intake(confirm=True).public_reference.rsplit("-", 1)[1] for _ in range(6)}
    assert len(codes) > 1


def test_existing_tickets_get_a_random_check_part_from_the_migration(world, make_intake):
    first, second = make_intake(), make_intake()
    Intake.objects.filter(pk__in=[first.pk, second.pk]).update(check_code="")
    migration = importlib.import_module("pandu.services.migrations.0004_intake_check_code")
    migration.backfill_check_codes(django_apps, None)
    codes = list(Intake.objects.values_list("check_code", flat=True))
    assert all(re.fullmatch(r"[0-9A-Z]{4}", code) for code in codes)
    first.refresh_from_db()
    assert _found(_check(Client(), first.public_reference))


def test_a_sensitive_case_shows_no_agency_and_no_detail_publicly(world, make_case):
    case = make_case(subject=unregistered(nik=NIK), sensitive_topic="child")
    worker = world.users["social_worker"]
    referral = actions.create_referral(
        worker, case, world.health, need_area="health", need="Periksa", request="Obati"
    )
    actions.record_consent(worker, referral, consent_by="self", method="signed")
    actions.send_referral(worker, referral)
    actions.partner_move(world.users["partner"], referral, "accept")
    html = _check(Client(), case.intake.public_reference).content.decode()
    assert 'data-result="found"' in html
    assert "Dinas Kesehatan" not in html and "Dirujuk" not in html and "Rujukan" not in html
    assert "Ditangani petugas" not in html
    assert "Sedang diproses" in html


def test_an_ordinary_case_still_shows_its_referral_publicly(world, make_case):
    case = make_case()
    worker = world.users["social_worker"]
    referral = actions.create_referral(
        worker, case, world.health, need_area="health", need="Periksa", request="Obati"
    )
    actions.record_consent(worker, referral, consent_by="self", method="signed")
    actions.send_referral(worker, referral)
    html = _check(Client(), case.intake.public_reference).content.decode()
    assert "Dirujuk ke Dinas Kesehatan Kabupaten Maros" in html


def _pdf_text(data: bytes) -> str:
    """The text drawn on a reportlab page (its content streams, decompressed)."""
    import base64
    import zlib

    text = []
    for raw, filters in (
        (m.group(2), m.group(1))
        for m in re.finditer(
            rb"/Filter\s*(\[[^\]]*\]|/\w+).*?stream\r?\n(.*?)endstream", data, re.S
        )
    ):
        body = raw
        if b"ASCII85" in filters:
            body = base64.a85decode(body.strip(), adobe=True)
        if b"Flate" in filters:
            try:
                body = zlib.decompress(body)
            except zlib.error:
                continue
        text.append(body.decode("latin-1"))
    return "".join(text)


def test_the_receipt_prints_the_full_reference(world, make_intake):
    intake = make_intake()
    c = Client()
    c.force_login(world.users["front_office"])
    receipt = c.get(reverse("services:intake_receipt", args=[intake.uid]))
    assert receipt.status_code == 200
    assert intake.public_reference in _pdf_text(receipt.content)


def test_staff_see_the_reference_to_give_out(world, make_intake):
    intake = make_intake()
    c = Client()
    c.force_login(world.users["front_office"])
    html = c.get(reverse("services:intake_detail", args=[intake.uid])).content.decode()
    assert f"data-reference>{intake.public_reference}<" in html
    assert f"?tiket={intake.public_reference}" in html


def _api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="id")
    token = api_token(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_an_intake_made_over_the_api_answers_with_the_full_reference(world):
    body = {
        "service_point": str(world.slrt.uid),
        "kind": "permohonan",
        "channel": "phone",
        "name": "Daeng Baji",
        "birth_date": "1970-03-04",
        "village": "73.09.13.2003",
        "needs": ["health"],
        "description": "Butuh berobat",
    }
    made = _api(world.users["front_office"]).post("/api/v1/services/intakes/", body, format="json")
    assert made.status_code == 201
    intake = Intake.objects.get(uid=made.json()["uid"])
    assert made.json()["reference"] == intake.public_reference
    assert REFERENCE.fullmatch(made.json()["reference"])
