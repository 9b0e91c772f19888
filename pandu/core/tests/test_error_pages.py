"""What a user meets when a page is not there, refused, malformed or broken: a page in their
language with a way back, never Django's debug listing of every URL, and nothing that tells a
record outside their area from one that does not exist. The API keeps answering JSON."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from pandu.conftest import BULU
from pandu.core import errors

NOT_FOUND = "Halaman tidak ditemukan"
DEBUG_LISTING = ("URLconf", "urlpatterns", "Using the URLconf", "technical_404")
DEBUG = pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])


def main_part(response) -> str:
    """The page's ``<main>``: what it says, without the per-request CSRF tokens of the header."""
    return re.search(r"<main.*?</main>", response.content.decode(), flags=re.S).group(0)


def friendly(response, heading: str) -> bool:
    text = response.content.decode()
    return heading in text and not any(marker in text for marker in DEBUG_LISTING)


def signed_in(personas, username: str, **client_options) -> Client:
    client = Client(**client_options)
    client.force_login(personas[username])
    return client


@pytest.fixture
def failing_pages(settings):
    settings.ROOT_URLCONF = "pandu.core.tests.error_urls"


@DEBUG
@pytest.mark.django_db
def test_unknown_address_shows_the_friendly_not_found_page(debug, settings, personas):
    settings.DEBUG = debug
    response = signed_in(personas, "operator_lappara").get("/registri/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert friendly(response, NOT_FOUND)
    page = main_part(response)
    assert f'href="{reverse("portal:home")}"' in page  # a way back home
    assert 'id="nav"' in response.content.decode()  # with the user's own menu


@DEBUG
@pytest.mark.django_db
def test_record_outside_the_area_answers_like_a_record_that_does_not_exist(
    debug, settings, personas, household_factory
):
    settings.DEBUG = debug
    elsewhere = household_factory(village=BULU)
    client = signed_in(personas, "operator_lappara")
    outside = client.get(reverse("registry:household_detail", args=[elsewhere.uid]))
    missing = client.get(reverse("registry:household_detail", args=[uuid.uuid4()]))
    assert outside.status_code == missing.status_code == 404
    assert friendly(outside, NOT_FOUND)
    assert main_part(outside) == main_part(missing)


@DEBUG
@pytest.mark.django_db
def test_visitor_who_is_not_signed_in_gets_the_friendly_page_too(debug, settings):
    settings.DEBUG = debug
    response = Client().get("/tidak-ada/")
    assert response.status_code == 404
    assert friendly(response, NOT_FOUND)


@pytest.mark.django_db
def test_not_found_page_is_in_english_when_the_user_picked_english(settings, personas):
    client = signed_in(personas, "operator_lappara")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert NOT_FOUND not in response.content.decode()


@pytest.mark.django_db
def test_back_link_leads_to_the_page_of_this_site_the_user_came_from(personas):
    client = signed_in(personas, "operator_lappara")
    came_from = client.get("/tidak-ada/", HTTP_REFERER="http://testserver/registri/cari/?q=Siti")
    assert 'href="/registri/cari/?q=Siti"' in main_part(came_from)
    from_elsewhere = client.get("/tidak-ada/", HTTP_REFERER="https://example.com/registri/cari/")
    assert "example.com" not in main_part(from_elsewhere)
    assert "Kembali ke halaman sebelumnya" not in main_part(from_elsewhere)


@DEBUG
@pytest.mark.django_db
def test_not_found_raised_by_a_page_hides_its_reason(debug, settings, personas, failing_pages):
    settings.DEBUG = debug
    response = signed_in(personas, "operator_lappara").get("/gagal/404/")
    assert response.status_code == 404
    assert friendly(response, NOT_FOUND)
    assert "not for the user" not in response.content.decode()


@DEBUG
@pytest.mark.django_db
def test_refused_page_is_the_friendly_forbidden_page(debug, settings, personas, failing_pages):
    settings.DEBUG = debug
    response = signed_in(personas, "operator_lappara").get("/gagal/403/")
    assert response.status_code == 403
    assert friendly(response, "Akses ditolak")
    assert "not for the user" not in response.content.decode()
    assert f'href="{reverse("portal:home")}"' in main_part(response)


@pytest.mark.django_db
def test_malformed_request_gets_the_plain_bad_request_page(personas, failing_pages):
    response = signed_in(personas, "operator_lappara").get("/gagal/400/")
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.content.decode()
    assert "tampered" not in response.content.decode()


@pytest.mark.django_db
def test_server_error_page_says_sorry_and_offers_the_way_home(personas, failing_pages):
    client = signed_in(personas, "operator_lappara", raise_request_exception=False)
    response = client.get("/gagal/500/", HTTP_REFERER="http://testserver/registri/keluarga/")
    assert response.status_code == 500
    page = main_part(response)
    assert "Terjadi kesalahan pada sistem" in page
    assert 'href="/"' in page
    assert 'href="/registri/keluarga/"' in page
    assert "a bug" not in response.content.decode()


def test_server_error_page_needs_neither_the_database_nor_the_user(rf):
    """No database in this test: a query, or asking who the user is, would fail it."""

    def whoever():
        from pandu.accounts.models import User

        return User.objects.get(pk=1)

    request = rf.get("/registri/keluarga/")
    request.user = SimpleLazyObject(whoever)
    for view in (errors.server_error, errors.bad_request, errors.csrf_failure):
        response = view(request)
        assert b"Pandu" in response.content
        assert response.status_code in (400, 403, 500)


@pytest.mark.django_db
def test_expired_form_gets_a_page_that_says_how_to_go_on(personas):
    client = signed_in(personas, "operator_lappara", enforce_csrf_checks=True)
    response = client.post(reverse("registry:nik_tool"), {"nik": "7309130101800001"})
    assert response.status_code == 403
    assert "Formulir tidak dapat dikirim" in response.content.decode()


@DEBUG
@pytest.mark.django_db
def test_api_keeps_answering_errors_in_json(debug, settings, personas, failing_pages):
    settings.DEBUG = debug
    client = signed_in(personas, "operator_lappara")
    unknown = client.get("/api/v1/tidak-ada/")
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/json"
    assert "detail" in unknown.json()
    refused = client.get("/api/v1/gagal/403/")
    assert refused.status_code == 403
    assert "detail" in refused.json()


@pytest.mark.django_db
def test_staff_developers_keep_django_debug_page_when_debug_is_on(settings, personas):
    settings.DEBUG = True
    developer = personas["admin_maros"]
    developer.is_staff = True
    developer.save(update_fields=["is_staff"])
    response = signed_in(personas, "admin_maros").get("/tidak-ada/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()
