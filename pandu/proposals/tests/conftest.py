"""Fixtures for the update cycle: minutes files, a batch from Bu Rahma's village meeting, and a
new family's data as her form would send it."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pandu.conftest import LAPPARA, make_kk, make_nik
from pandu.proposals import actions

MONCONGLOE = "73.09.13"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded minutes and photos go to a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


def minutes_pdf(name: str = "berita-acara-musdes.pdf", content: bytes = PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def photo_jpeg(name: str = "kunjungan.jpg"):
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


def new_family(serial: int = 50, village: str = LAPPARA) -> dict:
    """A poor family proposed at the village meeting: a head and his wife."""
    return {
        "household": {
            "kk_number": make_kk(MONCONGLOE, date(2019, 6, 1), serial),
            "village": village,
            "rt": 3,
            "rw": 1,
            "address": "Dusun Bontoa",
        },
        "members": [
            {
                "nik": make_nik(MONCONGLOE, date(1979, 4, 12), "L", serial),
                "full_name": "Daeng Sikki",
                "sex": "L",
                "birth_date": date(1979, 4, 12),
                "relationship": 1,
                "marital_status": 2,
            },
            {
                "nik": make_nik(MONCONGLOE, date(1983, 9, 3), "P", serial + 1),
                "full_name": "Hasnah",
                "sex": "P",
                "birth_date": date(1983, 9, 3),
                "relationship": 2,
                "marital_status": 2,
            },
        ],
    }


@pytest.fixture
def batch_factory(personas):
    def make(user=None, village: str = LAPPARA, minutes=True, **kwargs):
        user = user or personas["operator_lappara"]
        return actions.create_batch(
            user,
            village=village,
            meeting_date=kwargs.pop("meeting_date", date.today() - timedelta(days=3)),
            minutes=minutes_pdf() if minutes else None,
            **kwargs,
        )

    return make


def confirm_all(item) -> dict:
    """Every person named in the item found as proposed."""
    from pandu.proposals.payloads import verification_subjects

    return {
        s.key: {"result": "confirmed", "note": "Ditemui di rumah"}
        for s in verification_subjects(item)
    }
