"""A withdrawn referral, attacked as it once was: after the consent was withdrawn the partner
still read the details, the NIK, the letter and the attachments. Now the partner keeps a stub
(number and status) and every download is refused like any other denial (404, logged)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pandu.conftest import api_token
from pandu.core.models import AccessLog
from pandu.services import actions

from .conftest import unregistered

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NIK = "7309131703700011"


def _api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="id")
    token = api_token(user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def withdrawn(world, make_case, settings, tmp_path):
    """A referral sent with the NIK and an attachment, opened by the partner, then withdrawn."""
    settings.MEDIA_ROOT = tmp_path / "media"
    case = make_case(subject=unregistered(nik=NIK))
    worker = world.users["social_worker"]
    referral = actions.create_referral(
        worker,
        case,
        world.health,
        need_area="health",
        need="Pemeriksaan paru",
        done_so_far="Kunjungan rumah",
        request="Mohon pengobatan",
    )
    actions.add_referral_attachment(
        worker, referral, title="Ringkasan asesmen", file=SimpleUploadedFile("a.pdf", PDF)
    )
    actions.record_consent(worker, referral, consent_by="self", method="signed", share_nik=True)
    actions.send_referral(worker, referral)
    actions.partner_move(world.users["partner"], referral, "accept")
    actions.withdraw_referral(worker, referral, "Persetujuan dicabut oleh yang bersangkutan")
    referral.refresh_from_db()
    assert referral.subject_nik == NIK  # the snapshot is still stored for the sender
    return referral


def _partner(world) -> Client:
    c = Client()
    c.force_login(world.users["partner"])
    return c


def _refused(user, path, obj) -> bool:
    return AccessLog.objects.filter(
        user=user, kind=AccessLog.Kind.DENIED, path=path, object_uid=str(obj.uid)
    ).exists()


SECRETS = ("Daeng Baji", NIK, "Pemeriksaan paru", "Kunjungan rumah", "Mohon pengobatan")


def test_the_partner_sees_only_a_stub_of_a_withdrawn_referral(world, withdrawn):
    c = _partner(world)
    detail = c.get(reverse("services:inbox_detail", args=[withdrawn.uid]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert withdrawn.number in html and "Ditarik" in html
    for secret in SECRETS + ("Ringkasan asesmen",):
        assert secret not in html
    assert reverse("services:inbox_letter", args=[withdrawn.uid]) not in html
    inbox = c.get(reverse("services:inbox")).content.decode()
    assert withdrawn.number in inbox and "Daeng Baji" not in inbox


def test_the_partner_cannot_download_a_withdrawn_letter_or_attachment(world, withdrawn):
    c = _partner(world)
    partner = world.users["partner"]
    letter = reverse("services:inbox_letter", args=[withdrawn.uid])
    assert c.get(letter).status_code == 404
    assert _refused(partner, letter, withdrawn)
    attachment = withdrawn.attachments.get()
    path = reverse("services:attachment_download", args=[attachment.uid])
    assert c.get(path).status_code == 404
    assert _refused(partner, path, attachment)


def test_the_sender_still_reads_the_withdrawn_referral(world, withdrawn):
    c = Client()
    c.force_login(world.users["social_worker"])
    detail = c.get(reverse("services:referral_detail", args=[withdrawn.uid]))
    assert detail.status_code == 200 and "Pemeriksaan paru" in detail.content.decode()
    attachment = withdrawn.attachments.get()
    assert c.get(reverse("services:attachment_download", args=[attachment.uid])).status_code == 200


def test_the_api_gives_the_partner_only_a_stub_of_a_withdrawn_referral(world, withdrawn):
    client = _api(world.users["partner"])
    one = client.get(f"/api/v1/services/referrals/{withdrawn.uid}/")
    assert one.status_code == 200
    body = one.json()
    assert body["number"] == withdrawn.number and body["status"] == "withdrawn"
    listed = client.get("/api/v1/services/referrals/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    for row in (body, *rows):
        text = str(row)
        for secret in SECRETS:
            assert secret not in text
    assert body["name"] is None and body["nik"] is None and body["need"] is None


def test_an_open_referral_still_shows_the_partner_everything(world, make_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = make_case(subject=unregistered(nik=NIK))
    worker = world.users["social_worker"]
    referral = actions.create_referral(
        worker, case, world.health, need_area="health", need="Pemeriksaan paru", request="Obati"
    )
    actions.add_referral_attachment(
        worker, referral, title="Ringkasan asesmen", file=SimpleUploadedFile("a.pdf", PDF)
    )
    actions.record_consent(worker, referral, consent_by="self", method="signed", share_nik=True)
    actions.send_referral(worker, referral)
    c = _partner(world)
    html = c.get(reverse("services:inbox_detail", args=[referral.uid])).content.decode()
    assert "Daeng Baji" in html and NIK in html and "Ringkasan asesmen" in html
    assert c.get(reverse("services:inbox_letter", args=[referral.uid])).status_code == 200
    attachment = referral.attachments.get()
    assert c.get(reverse("services:attachment_download", args=[attachment.uid])).status_code == 200
