"""Who may open the letterhead pages: the administrators, each for the office of their own area;
every other role gets a logged 404. Every ``accounts:`` URL but signing in and out is here."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pandu.accounts import actions
from pandu.conftest import PERSONAS
from pandu.core.models import AccessLog

from .test_office import png

pytestmark = pytest.mark.django_db

ADMINS = {"admin_maros", "admin_makassar"}

#: URL name → who gets a 200 (each sees only their own area's office).
RULES: dict[str, set[str]] = {
    "accounts:office": ADMINS,
    "accounts:office_logo": ADMINS,
    "accounts:office_sample": ADMINS,
}


@pytest.fixture
def offices(personas, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    for who, name in (("admin_maros", "Dinsos Maros"), ("admin_makassar", "Dinsos Makassar")):
        user = personas[who]
        actions.save_office(
            user,
            user.area,
            fields={"name": name, "address": "Jl. Poros"},
            signers={},
            logo=SimpleUploadedFile("logo.png", png(), content_type="image/png"),
        )
    return personas


@pytest.mark.parametrize("name", sorted(RULES))
@pytest.mark.parametrize("who", sorted(PERSONAS))
def test_each_role_gets_the_letterhead_pages_it_may_use(offices, name, who):
    client = Client()
    client.force_login(offices[who])
    response = client.get(reverse(name))
    if who in RULES[name]:
        assert response.status_code == 200
        if name == "accounts:office":
            own = "Dinsos Maros" if who == "admin_maros" else "Dinsos Makassar"
            other = "Dinsos Makassar" if who == "admin_maros" else "Dinsos Maros"
            text = response.content.decode()
            assert own in text and other not in text
    else:
        assert response.status_code == 404
        assert AccessLog.objects.filter(kind="denied", user=offices[who]).exists()


def test_signed_out_visitors_are_sent_to_sign_in():
    for name in RULES:
        response = Client().get(reverse(name))
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
