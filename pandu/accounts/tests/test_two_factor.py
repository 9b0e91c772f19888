"""Two-factor login: required for the roles the settings name (administrators and auditors by
default; the suite's other tests turn it off, see ``pandu/conftest.py``), enrolled at the next
sign-in, then asked at every sign-in; recovery codes work once; the administrator resets a lost
phone; an unverified session reaches nothing else, pages or API."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pandu.accounts import actions
from pandu.accounts.models import User, UserChange
from pandu.accounts.two_factor import new_device_key
from pandu.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ENROL = reverse("accounts:two_factor_enrol")
VERIFY = reverse("accounts:two_factor_verify")
HOUSEHOLDS = reverse("registry:household_list")


@pytest.fixture(autouse=True)
def _required_for_administrators_and_auditors(settings):
    settings.PANDU_2FA_REQUIRED_ROLES = ["admin", "auditor", "superuser"]
    # The devices' own back-off after a wrong code (seconds) is tested on its own below.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(key: str, steps_ahead: int = 0) -> str:
    """What the authenticator app shows for ``key`` now (or ``steps_ahead`` periods later)."""
    totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def enrol(client: Client) -> tuple[str, list[str]]:
    """Enrol through the page as a person would: read the key, type the app's code."""
    page = client.get(ENROL).content.decode()
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page).group(1)
    key = client.session["pandu_enrol_key"]
    import base64

    assert base64.b32encode(bytes.fromhex(key)).decode().rstrip("=") == secret
    done = client.post(ENROL, {"code": code_for(key)})
    assert done.status_code == 200
    codes = re.findall(r'<li class="col-6">([a-z0-9-]+)</li>', done.content.decode())
    return key, codes


def test_an_administrator_must_enrol_at_the_next_sign_in_before_any_page(personas):
    client = sign_in("admin_maros")
    for url in (HOUSEHOLDS, reverse("portal:home"), reverse("accounts:token_list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(ENROL), url
    api = client.get("/api/v1/areas/")
    assert api.status_code == 403
    assert client.get(ENROL).status_code == 200


def test_a_force_login_session_is_held_by_the_gate_too(personas):
    client = Client()
    client.force_login(personas["auditor"])
    assert client.get(HOUSEHOLDS)["Location"].startswith(ENROL)


def test_roles_not_named_in_the_settings_are_not_asked(personas, settings):
    assert sign_in("operator_lappara").get(HOUSEHOLDS).status_code == 200
    settings.PANDU_2FA_REQUIRED_ROLES = ["operator"]
    assert sign_in("operator_lappara").get(HOUSEHOLDS)["Location"].startswith(ENROL)
    assert sign_in("admin_maros").get(HOUSEHOLDS).status_code == 200


def test_enrolling_shows_ten_recovery_codes_once_and_keeps_only_their_digests(personas):
    client = sign_in("admin_maros")
    _key, codes = enrol(client)

    assert len(codes) == 10 and len(set(codes)) == 10
    admin = User.objects.get(username="admin_maros")
    assert admin.two_factor_enabled
    assert client.get(HOUSEHOLDS).status_code == 200  # this session is verified
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert UserChange.objects.filter(user=admin, kind="two_factor_on").exists()


def test_a_wrong_code_does_not_enrol(personas):
    client = sign_in("admin_maros")
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert response.status_code == 200
    assert "Kode salah" in response.content.decode()
    assert not User.objects.get(username="admin_maros").two_factor_enabled
    assert not TOTPDevice.objects.exists()  # nothing is saved before the code is right


def test_after_enrolment_every_sign_in_asks_for_the_code(personas):
    key, _codes = enrol(sign_in("admin_maros"))
    client = sign_in("admin_maros")
    held = client.get(HOUSEHOLDS)
    assert held["Location"].startswith(VERIFY)
    assert client.get(ENROL)["Location"].startswith(VERIFY)  # no second enrolment around it

    wrong = client.post(VERIFY, {"code": "123456"})
    assert wrong.status_code == 200 and "Kode salah" in wrong.content.decode()
    reused = client.post(VERIFY, {"code": code_for(key)})  # the enrolment's code, used already
    assert reused.status_code == 200
    right = client.post(VERIFY + "?next=" + HOUSEHOLDS, {"code": code_for(key, 1)})
    assert right.status_code == 302 and right["Location"] == HOUSEHOLDS
    assert client.get(HOUSEHOLDS).status_code == 200


def test_a_recovery_code_signs_in_once(personas):
    _key, codes = enrol(sign_in("auditor"))
    first = sign_in("auditor")
    assert first.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert first.get(HOUSEHOLDS).status_code == 200
    again = sign_in("auditor")
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert again.get(HOUSEHOLDS).status_code == 302
    assert StaticToken.objects.count() == 9


def test_after_a_wrong_code_the_device_waits_before_the_next(personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    key, _codes = enrol(sign_in("admin_maros"))
    client = sign_in("admin_maros")
    client.post(VERIFY, {"code": "999999"})
    client.post(VERIFY, {"code": "999998"})
    assert client.post(VERIFY, {"code": code_for(key, 1)}).status_code == 200  # still waiting
    assert client.get(HOUSEHOLDS).status_code == 302


def test_wrong_codes_are_limited(personas, settings):
    settings.PANDU_2FA_CODES_PER_USER = "3/15m"
    key, _codes = enrol(sign_in("admin_maros"))
    client = sign_in("admin_maros")
    for _ in range(3):
        client.post(VERIFY, {"code": "999999"})
    blocked = client.post(VERIFY, {"code": code_for(key, 1)})
    assert "Terlalu banyak kode yang salah" in blocked.content.decode()
    assert client.get(HOUSEHOLDS).status_code == 302


def test_the_administrator_resets_a_lost_phone_and_the_user_enrols_again(personas):
    enrol(sign_in("auditor"))
    auditor = User.objects.get(username="auditor")
    admin_client = Client()
    admin_client.force_login(personas["admin_maros"])
    key = new_device_key()
    actions.enrol_authenticator(personas["admin_maros"], key, code_for(key))
    otp_session = admin_client.session
    otp_session["otp_device_id"] = TOTPDevice.objects.get(
        user=personas["admin_maros"]
    ).persistent_id
    otp_session.save()

    url = reverse("accounts:user_two_factor_reset", args=[auditor.uid])
    assert admin_client.post(url, {"reason": "ponsel hilang"}).status_code == 302

    auditor.refresh_from_db()
    assert not auditor.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=auditor).exists()
    assert sign_in("auditor").get(HOUSEHOLDS)["Location"].startswith(ENROL)
    change = UserChange.objects.get(user=auditor, kind="two_factor_reset")
    assert change.actor == personas["admin_maros"] and change.detail == "ponsel hilang"


def test_an_operator_may_turn_it_on_and_off_but_an_administrator_may_not_turn_it_off(
    personas,
):
    client = sign_in("operator_lappara")
    enrol(client)
    assert client.post(reverse("accounts:two_factor_disable")).status_code == 302
    assert not User.objects.get(username="operator_lappara").two_factor_enabled

    admin = sign_in("admin_maros")
    enrol(admin)
    admin.post(reverse("accounts:two_factor_disable"))
    assert User.objects.get(username="admin_maros").two_factor_enabled


def test_new_recovery_codes_replace_the_old_ones(personas):
    client = sign_in("admin_maros")
    _key, old = enrol(client)
    page = client.post(reverse("accounts:two_factor_recovery"))
    new = re.findall(r'<li class="col-6">([a-z0-9-]+)</li>', page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    later = sign_in("admin_maros")
    assert later.post(VERIFY, {"code": old[1]}).status_code == 200
    assert later.post(VERIFY, {"code": new[1]}).status_code == 302


def test_the_gate_order_is_second_factor_then_new_password(personas):
    key, _codes = enrol(sign_in("admin_maros"))
    admin = User.objects.get(username="admin_maros")
    User.objects.filter(pk=admin.pk).update(must_change_password=True)
    client = sign_in("admin_maros")
    assert client.get(HOUSEHOLDS)["Location"].startswith(VERIFY)
    assert client.get(reverse("accounts:password_change"))["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(key, 1)})
    assert client.get(HOUSEHOLDS)["Location"].startswith(reverse("accounts:password_change"))
