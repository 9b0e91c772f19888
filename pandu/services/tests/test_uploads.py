"""Files the service receives (referral attachments, signed agreements) pass core's one upload
check: known by their content, said in words what they are when refused, and a body bigger than
the form takes is refused from its Content-Length before it is read."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pandu.regions.models import Area
from pandu.services import actions

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MB = 1024 * 1024


@pytest.fixture
def referral(world, make_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = make_case()
    return actions.create_referral(
        world.users["social_worker"],
        case,
        world.health,
        need_area="health",
        need="Pemeriksaan paru",
        done_so_far="Kunjungan rumah",
        request="Mohon pengobatan",
    )


@pytest.fixture
def agreement(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return actions.create_agreement(
        world.users["admin_maros"],
        agency=world.dinkes,
        area=Area.objects.get(code="73.09"),
        number="PKS-01/2025",
        title="Rujukan layanan kesehatan",
        parties="Dinas Sosial dan Dinas Kesehatan Kabupaten Maros",
        signed_on=date(2025, 1, 6),
    )


def test_a_program_renamed_pdf_is_refused_as_an_attachment_for_what_it_is(world, referral):
    with pytest.raises(ValidationError) as refused:
        actions.add_referral_attachment(
            world.users["social_worker"],
            referral,
            title="Ringkasan asesmen",
            file=SimpleUploadedFile("ringkasan.pdf", PROGRAM),
        )
    assert "program komputer" in " ".join(refused.value.messages)
    assert not referral.attachments.exists()


def test_an_image_is_no_signed_agreement(world, agreement):
    with pytest.raises(ValidationError) as refused:
        actions.attach_agreement_document(
            world.users["admin_maros"], agreement, SimpleUploadedFile("pks.pdf", PNG)
        )
    assert "gambar PNG" in " ".join(refused.value.messages)
    assert "PDF" in " ".join(refused.value.messages)


def test_a_pdf_and_a_photo_are_taken_as_attachments(world, referral):
    worker = world.users["social_worker"]
    pdf = actions.add_referral_attachment(
        worker, referral, title="Surat keterangan", file=SimpleUploadedFile("a.pdf", PDF)
    )
    photo = actions.add_referral_attachment(
        worker, referral, title="Foto rumah", file=SimpleUploadedFile("rumah.png", PNG)
    )
    assert (pdf.content_type, photo.content_type) == ("application/pdf", "image/png")


def _huge_post(client: Client, url: str, length: int):
    """A POST announcing ``length`` bytes but carrying one: reading it would fail loudly."""
    return client.generic(
        "POST",
        url,
        b"x",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(length),
    )


def test_an_attachment_over_10_mb_is_refused_before_the_body_is_read(world, referral):
    client = Client()
    client.force_login(world.users["social_worker"])
    response = _huge_post(client, reverse("services:referral_attach", args=[referral.uid]), 11 * MB)
    assert response.status_code == 413
    assert "paling besar 10 MB" in response.content.decode()
    assert not referral.attachments.exists()


def test_a_signed_agreement_over_10_mb_is_refused_before_the_body_is_read(world, agreement):
    client = Client()
    client.force_login(world.users["admin_maros"])
    for url in (
        reverse("services:agreement_upload", args=[agreement.uid]),
        reverse("services:agreement_create"),
    ):
        response = _huge_post(client, url, 11 * MB)
        assert response.status_code == 413, url
        assert "paling besar 10 MB" in response.content.decode(), url
