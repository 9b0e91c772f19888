"""User administration: an administrator creates, changes and deactivates the accounts of their
own area, never beyond their own role and area; every change is in a history the auditor reads
(and in the access log)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from pandu.accounts import actions
from pandu.accounts.models import ApiToken, User, UserChange
from pandu.conftest import LAPPARA, MAKASSAR_VILLAGE, PASSWORD, api_token
from pandu.core.models import AccessLog

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_user_form(**overrides) -> dict:
    data = {
        "username": "rahma",
        "first_name": "Rahma",
        "last_name": "Sari",
        "email": "rahma@example.org",
        "role": "operator",
        "area": LAPPARA,
    }
    data.update(overrides)
    return data


def test_administrator_creates_an_account_with_a_one_time_password_shown_once(personas):
    admin = personas["admin_maros"]
    response = client_for(admin).post(reverse("accounts:user_create"), new_user_form())

    assert response.status_code == 200
    shown = re.search(r'id="one-time-password">([^<]+)<', response.content.decode()).group(1)
    rahma = User.objects.get(username="rahma")
    assert (rahma.role, rahma.area_id, rahma.must_change_password) == ("operator", LAPPARA, True)
    assert rahma.check_password(shown)
    created = UserChange.objects.get(user=rahma)
    assert created.kind == "created" and created.actor == admin
    assert created.changes["role"] == ["", "operator"]
    assert shown not in str(created.changes) + created.detail
    assert AccessLog.objects.filter(
        kind="user_change", user=admin, object_type="user", object_uid=str(rahma.uid)
    ).exists()


def test_the_new_account_must_replace_its_one_time_password_before_anything_else(personas):
    response = client_for(personas["admin_maros"]).post(
        reverse("accounts:user_create"), new_user_form()
    )
    shown = re.search(r'id="one-time-password">([^<]+)<', response.content.decode()).group(1)
    client = Client()
    signed_in = client.post(reverse("accounts:login"), {"username": "rahma", "password": shown})
    assert signed_in.status_code == 302

    home = client.get(reverse("registry:household_list"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:password_change"))
    changed = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": shown,
            "new_password1": "Lappara-sejahtera-26",
            "new_password2": "Lappara-sejahtera-26",
        },
    )
    assert changed.status_code == 302
    assert client.get(reverse("registry:household_list")).status_code == 200
    rahma = User.objects.get(username="rahma")
    assert not rahma.must_change_password
    assert list(UserChange.objects.filter(user=rahma).values_list("kind", flat=True)) == [
        "password_changed",
        "created",
    ]


def test_administrator_of_maros_cannot_create_an_account_in_makassar(personas):
    admin = personas["admin_maros"]
    response = client_for(admin).post(
        reverse("accounts:user_create"), new_user_form(area=MAKASSAR_VILLAGE)
    )
    assert response.status_code == 200
    assert "di dalam wilayah kerja Anda sendiri" in response.content.decode()
    assert not User.objects.filter(username="rahma").exists()
    with pytest.raises(PermissionDenied):
        actions.create_user("rahma", role="admin", area_code="73", actor=admin)


def test_nobody_but_an_administrator_grants_a_role(personas):
    for who in ("auditor", "operator_lappara", "head"):
        with pytest.raises(PermissionDenied):
            actions.create_user(
                f"baru_{who}", role="operator", area_code=LAPPARA, actor=personas[who]
            )
    assert client_for(personas["auditor"]).get(reverse("accounts:user_create")).status_code == 404


def test_the_user_form_offers_no_superuser_and_no_staff_flag(personas):
    page = client_for(personas["admin_maros"]).get(reverse("accounts:user_create"))
    text = page.content.decode()
    assert "is_superuser" not in text and "is_staff" not in text


def test_an_administrator_cannot_change_a_superuser_or_an_account_in_another_regency(personas):
    admin = personas["admin_maros"]
    boss = User.objects.create_user(
        "nasional", password="x-pass-2026-nasional", role="admin", area_id="73.09"
    )
    boss.is_superuser = True
    boss.save()
    for target in (boss, personas["admin_makassar"]):
        response = client_for(admin).get(reverse("accounts:user_edit", args=[target.uid]))
        assert response.status_code == 404
        with pytest.raises(PermissionDenied):
            actions.deactivate_user(admin, target, reason="coba")
    assert AccessLog.objects.filter(kind="denied", user=admin).exists()
    # The administrator of Maros sees the superuser of Maros, but not Makassar's accounts.
    listed = client_for(admin).get(reverse("accounts:user_list")).content.decode()
    assert "nasional" in listed and "admin_makassar" not in listed


def test_an_administrator_cannot_change_their_own_role_or_deactivate_themselves(personas):
    admin = personas["admin_maros"]
    assert client_for(admin).get(reverse("accounts:user_edit", args=[admin.uid])).status_code == 404
    with pytest.raises(PermissionDenied):
        actions.deactivate_user(admin, admin, reason="bosan")


def test_changing_role_and_area_is_recorded_with_before_and_after(personas):
    admin, operator = personas["admin_maros"], personas["operator_lappara"]
    response = client_for(admin).post(
        reverse("accounts:user_edit", args=[operator.uid]),
        {
            "first_name": "Operator",
            "last_name": "Lappara",
            "email": "",
            "role": "tksk",
            "area": "73.09.13",
        },
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert (operator.role, operator.area_id) == ("tksk", "73.09.13")
    change = UserChange.objects.get(user=operator, kind="changed")
    assert change.actor == admin
    assert change.changes["role"] == ["operator", "tksk"]
    assert change.changes["area"][0].startswith(LAPPARA)
    assert change.changes["area"][1].startswith("73.09.13 ")
    page = client_for(personas["auditor"]).get(reverse("accounts:user_detail", args=[operator.uid]))
    assert "peran: Operator Desa/Kelurahan → TKSK" in page.content.decode()
    assert change.address == "127.0.0.1"


def test_an_edit_moving_an_account_out_of_the_area_is_refused(personas):
    admin, operator = personas["admin_maros"], personas["operator_lappara"]
    response = client_for(admin).post(
        reverse("accounts:user_edit", args=[operator.uid]),
        {"first_name": "", "last_name": "", "email": "", "role": "operator", "area": "73.71"},
    )
    assert response.status_code == 200
    operator.refresh_from_db()
    assert operator.area_id == LAPPARA
    assert not UserChange.objects.filter(user=operator).exists()


def test_deactivating_blocks_sign_in_and_the_api_and_needs_a_reason(personas):
    admin, operator = personas["admin_maros"], personas["operator_lappara"]
    key = api_token(operator)
    session = client_for(operator)
    url = reverse("accounts:user_deactivate", args=[operator.uid])
    client_for(admin).post(url, {"reason": ""})
    operator.refresh_from_db()
    assert operator.is_active

    assert client_for(admin).post(url, {"reason": "pindah tugas"}).status_code == 302

    operator.refresh_from_db()
    assert not operator.is_active
    assert session.get(reverse("portal:home")).status_code == 302  # the session is over
    signed = Client().post(
        reverse("accounts:login"), {"username": "operator_lappara", "password": PASSWORD}
    )
    assert signed.status_code == 200
    assert Client().get("/api/v1/areas/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert ApiToken.objects.get(user=operator).revoked_by == admin
    change = UserChange.objects.get(user=operator, kind="deactivated")
    assert "pindah tugas" in change.detail and "1 token API dicabut" in change.detail

    client_for(admin).post(
        reverse("accounts:user_reactivate", args=[operator.uid]), {"reason": "kembali"}
    )
    operator.refresh_from_db()
    assert operator.is_active


def test_the_auditor_reads_every_change_but_changes_nothing(personas):
    admin, auditor = personas["admin_maros"], personas["auditor"]
    operator = personas["operator_lappara"]
    actions.update_user(
        admin,
        operator,
        first_name="Rahma",
        last_name="",
        email="",
        role="operator",
        area_code=LAPPARA,
    )
    actions.set_one_time_password(admin, operator)
    reader = client_for(auditor)

    history = reader.get(reverse("accounts:change_list")).content.decode()
    detail = reader.get(reverse("accounts:user_detail", args=[operator.uid])).content.decode()

    for page in (history, detail):
        assert "Data akun diubah" in page and "Kata sandi sekali pakai diberikan" in page
        assert "admin_maros" in page
    assert reverse("accounts:user_edit", args=[operator.uid]) not in detail
    assert reader.get(reverse("accounts:user_edit", args=[operator.uid])).status_code == 404
    denied = reader.post(reverse("accounts:user_deactivate", args=[operator.uid]), {"reason": "x"})
    assert denied.status_code == 404
    operator.refresh_from_db()
    assert operator.is_active


def test_the_history_of_makassar_is_not_shown_in_maros(personas):
    actions.set_one_time_password(
        personas["admin_makassar"],
        User.objects.create_user("op_mariso", role="operator", area_id=MAKASSAR_VILLAGE),
    )
    page = client_for(personas["auditor"]).get(reverse("accounts:change_list")).content.decode()
    assert "op_mariso" not in page


def test_one_time_password_is_checked_against_the_policy(personas):
    admin, auditor = personas["admin_maros"], personas["auditor"]
    url = reverse("accounts:user_password", args=[auditor.uid])
    weak = client_for(admin).post(url, {"password": "aaaaaaaa"})
    assert weak.status_code == 200
    assert not User.objects.get(pk=auditor.pk).must_change_password
    typed = client_for(admin).post(url, {"password": "Maros-auditor-2026"})
    assert "Maros-auditor-2026" in typed.content.decode()
    auditor.refresh_from_db()
    assert auditor.must_change_password and auditor.check_password("Maros-auditor-2026")


def test_the_administrator_revokes_a_token_of_a_user_they_manage(personas):
    admin, operator = personas["admin_maros"], personas["operator_lappara"]
    key = api_token(operator)
    token = ApiToken.objects.get(user=operator)
    detail = client_for(admin).get(reverse("accounts:user_detail", args=[operator.uid]))
    assert token.prefix in detail.content.decode()
    url = reverse("accounts:token_revoke", args=[token.uid])
    assert client_for(personas["admin_makassar"]).post(url).status_code == 404
    assert client_for(personas["auditor"]).post(url).status_code == 404
    assert client_for(admin).post(url).status_code == 302
    assert Client().get("/api/v1/areas/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_the_user_list_and_the_history_cost_the_same_queries_for_3_or_40_accounts(
    personas, django_assert_max_num_queries
):
    admin = personas["admin_maros"]
    client = client_for(admin)
    client.get(reverse("accounts:user_list"))  # the session is read once per client
    pages = (reverse("accounts:user_list"), reverse("accounts:change_list"))
    few = {}
    actions.create_user("baru_0", role="tksk", area_code="73.09.13", actor=admin)
    for url in pages:
        with django_assert_max_num_queries(12) as counted:
            assert client.get(url).status_code == 200
        few[url] = len(counted.captured_queries)
    for n in range(1, 40):
        actions.create_user(f"baru_{n}", role="tksk", area_code="73.09.13", actor=admin)
    for url in pages:
        with django_assert_max_num_queries(few[url]):
            assert "baru_39" in client.get(url).content.decode()
