"""The password policy holds everywhere a password is set: the command line, the administrator's
one-time password, the user's own change and the reset by e-mail (offered only when the site
sends mail; otherwise the administrator is the way)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from pandu.accounts import actions
from pandu.accounts.models import User, UserChange
from pandu.conftest import LAPPARA, PASSWORD

pytestmark = pytest.mark.django_db


def add_user(*args, **options):
    call_command("add_user", *args, stdout=StringIO(), stderr=StringIO(), **options)


@pytest.mark.parametrize(
    ("role", "area", "password", "why"),
    [
        ("admin", "73.09", "aaaaaaaa", "terlalu pendek"),
        ("admin", "73.09", "Maros-2026!", "paling sedikit 12"),  # 11 characters
        ("auditor", "73.09", "Maros-2026!", "paling sedikit 12"),
        ("operator", LAPPARA, "Lappara-1", "paling sedikit 10"),  # 9 characters
        ("operator", LAPPARA, "password1234", "umum"),
        ("operator", LAPPARA, "12345678901234", "angka"),
    ],
)
def test_add_user_refuses_a_password_the_policy_refuses(areas, role, area, password, why):
    with pytest.raises(CommandError) as exc:
        add_user("rahma", role=role, area=area, password=password)
    assert exc.value.args[0].startswith("password:")
    assert why in str(exc.value).lower()
    assert not User.objects.filter(username="rahma").exists()


def test_add_user_accepts_a_long_password_and_a_one_time_one(areas):
    add_user("kadis", role="admin", area="73.09", password="Dinsos-Maros-2026", one_time=True)
    user = User.objects.get(username="kadis")
    assert user.check_password("Dinsos-Maros-2026") and user.must_change_password
    assert UserChange.objects.get(user=user).actor is None  # the command line


def test_a_password_like_the_username_is_refused(areas):
    with pytest.raises(CommandError, match="mirip"):
        add_user("rahmawati2026", role="operator", area=LAPPARA, password="rahmawati2026")


def test_the_change_page_applies_the_policy_and_keeps_the_session(personas):
    client = Client()
    client.post(reverse("accounts:login"), {"username": "auditor", "password": PASSWORD})
    url = reverse("accounts:password_change")
    short = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "Pendek-26", "new_password2": "Pendek-26"},
    )
    assert short.status_code == 200
    assert "paling sedikit 12 karakter" in short.content.decode()
    good = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Auditor-Maros-2026",
            "new_password2": "Auditor-Maros-2026",
        },
    )
    assert good.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200  # still signed in
    auditor = User.objects.get(username="auditor")
    assert auditor.check_password("Auditor-Maros-2026")
    assert UserChange.objects.filter(user=auditor, kind="password_changed").exists()


def test_without_mail_the_reset_page_sends_the_user_to_the_administrator(personas, settings):
    settings.PANDU_PASSWORD_RESET_EMAIL = False
    page = Client().get(reverse("accounts:password_reset"))
    assert page.status_code == 200
    assert "Hubungi administrator" in page.content.decode()
    posted = Client().post(reverse("accounts:password_reset"), {"email": "x@example.org"})
    assert posted.status_code == 200 and mail.outbox == []


def test_with_mail_a_reset_link_sets_a_new_password_once(personas, settings):
    settings.PANDU_PASSWORD_RESET_EMAIL = True
    operator = personas["operator_lappara"]
    User.objects.filter(pk=operator.pk).update(email="rahma@example.org")
    client = Client()

    sent = client.post(reverse("accounts:password_reset"), {"email": "RAHMA@example.org"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "siapa@example.org"})

    assert sent.status_code == unknown.status_code == 302  # the same answer for both
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rahma@example.org"]
    link = re.search(r"https?://[^/]+(/akun/atur-ulang/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    confirm_url = form.redirect_chain[-1][0]
    weak = client.post(confirm_url, {"new_password1": "aaaaaaaa", "new_password2": "aaaaaaaa"})
    assert weak.status_code == 200
    done = client.post(
        confirm_url,
        {"new_password1": "Lappara-baru-2026", "new_password2": "Lappara-baru-2026"},
    )
    assert done.status_code == 302 and done["Location"] == reverse(
        "accounts:password_reset_complete"
    )
    operator.refresh_from_db()
    assert operator.check_password("Lappara-baru-2026")
    assert UserChange.objects.filter(user=operator, kind="password_reset").exists()
    again = Client().get(link, follow=True)
    assert "tidak berlaku lagi" in again.content.decode()


def test_reset_mails_are_limited_per_address(personas, settings):
    settings.PANDU_PASSWORD_RESET_EMAIL = True
    User.objects.filter(username="operator_lappara").update(email="rahma@example.org")
    for _ in range(8):
        Client().post(reverse("accounts:password_reset"), {"email": "rahma@example.org"})
    assert len(mail.outbox) == 5


def test_a_one_time_password_lifts_the_lock_out_and_ends_other_sessions(personas):
    operator = personas["operator_lappara"]
    old_session = Client()
    old_session.force_login(operator)
    for _ in range(5):
        Client().post(
            reverse("accounts:login"), {"username": "operator_lappara", "password": "salah"}
        )
    password = actions.set_one_time_password(personas["admin_maros"], operator)

    signed = Client().post(
        reverse("accounts:login"), {"username": "operator_lappara", "password": password}
    )
    assert signed.status_code == 302
    assert old_session.get(reverse("portal:home")).status_code == 302
