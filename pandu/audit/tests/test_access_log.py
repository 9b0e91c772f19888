"""The access log as the Dinas's administrator and the auditor read it: what each entry keeps
(the caller's address behind the site's proxies, the browser, the area it concerns), the list and
its filters, the export and its own entry, the API, and the area each reader is held to."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from pandu.accounts import actions as account_actions
from pandu.conftest import LAPPARA, api_token
from pandu.core.access import record_access
from pandu.core.models import AccessLog

from .conftest import signed_in

pytestmark = pytest.mark.django_db

PROXY = "10.1.2.3"


def _head(family):
    return family.members.order_by("relationship").first()


def _rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _api_rows(reader, **params) -> list[dict]:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(reader)}")
    response = client.get(reverse("audit-api:access-log-list"), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- What an entry keeps ------------------------------------------------------------------------


def test_an_entry_keeps_the_address_the_trusted_proxy_saw_and_the_browser(
    families, personas, settings
):
    """Behind one trusted proxy, the caller is the last address the proxy appended; what the
    caller wrote before it (a made-up address) is ignored."""
    settings.PANDU_TRUSTED_PROXIES = 1
    person = _head(families["maros"])
    client = signed_in(
        personas["auditor"],
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
        HTTP_USER_AGENT="Mozilla/5.0 " + "x" * 400,
    )
    client.post(reverse("registry:person_nik_reveal", args=[person.uid]))
    entry = AccessLog.objects.get(kind=AccessLog.Kind.NIK_REVEAL)
    assert entry.address == "203.0.113.9"
    assert entry.user_agent.startswith("Mozilla/5.0 ") and len(entry.user_agent) == 200


def test_without_a_trusted_proxy_the_forwarded_header_is_not_believed(families, personas, settings):
    settings.PANDU_TRUSTED_PROXIES = 0
    person = _head(families["maros"])
    client = signed_in(personas["auditor"], REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6")
    client.post(reverse("registry:person_nik_reveal", args=[person.uid]))
    assert AccessLog.objects.get(kind=AccessLog.Kind.NIK_REVEAL).address == PROXY


def test_an_entry_without_a_request_keeps_no_address(families, personas):
    record_access(personas["admin_maros"], AccessLog.Kind.EXPORT, detail="from a job")
    entry = AccessLog.objects.get(detail="from a job")
    assert entry.address is None and entry.user_agent == "" and entry.path == ""


def test_the_entry_concerns_the_records_area_else_the_users(families, personas):
    maros, makassar = families["maros"], families["makassar"]
    person = _head(maros)
    # A person of Lappara: the person's area.
    signed_in(personas["auditor"]).post(reverse("registry:person_nik_reveal", args=[person.uid]))
    assert AccessLog.objects.get(kind=AccessLog.Kind.NIK_REVEAL).area_code == person.area_code
    assert person.area_code.startswith(LAPPARA)
    # Makassar's administrator tries Maros's family: the refusal concerns Maros, where the
    # record is, and names it.
    url = reverse("registry:household_detail", args=[maros.uid])
    assert signed_in(personas["admin_makassar"]).get(url).status_code == 404
    denied = AccessLog.objects.get(user=personas["admin_makassar"], kind=AccessLog.Kind.DENIED)
    assert denied.area_code == LAPPARA and denied.object_uid == str(maros.uid)
    # No record: the user's area.
    record_access(personas["admin_makassar"], AccessLog.Kind.EXPORT, detail="no record")
    assert AccessLog.objects.get(detail="no record").area_code == "73.71"
    assert makassar.village_id.startswith("73.71")


def test_account_changes_are_entries_of_the_accounts_area_and_filterable(personas):
    admin = personas["admin_maros"]
    new = account_actions.create_user(
        "petugas_baru", role="operator", area_code=LAPPARA, actor=admin, password=None
    )
    account_actions.update_user(
        admin,
        new,
        first_name="Petugas",
        last_name="Baru",
        email="",
        role="tksk",
        area_code="73.09.13",
    )
    entries = AccessLog.objects.filter(kind=AccessLog.Kind.USER_CHANGE, object_uid=str(new.uid))
    assert entries.count() == 2
    assert {e.area_code for e in entries} <= {LAPPARA, "73.09.13"}
    client = signed_in(admin)
    page = client.get(
        reverse("audit:access_log"),
        {"kind": "user_change", "record_type": "user", "record": str(new.uid)},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count('href="/audit/log-akses/?record_type=user&amp;record=') == 2
    # Makassar's administrator does not see Maros's account changes.
    rows = _api_rows(personas["admin_makassar"], kind="user_change")
    assert str(new.uid) not in {r["record_uid"] for r in rows}
    rows = _api_rows(admin, kind="user_change", record=str(new.uid))
    assert [r["kind"] for r in rows] == ["user_change", "user_change"]


def test_the_log_cannot_be_changed_or_deleted(personas):
    record_access(personas["admin_maros"], AccessLog.Kind.EXPORT, detail="kept")
    entry = AccessLog.objects.get(detail="kept")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


# --- Area scope ---------------------------------------------------------------------------------


@pytest.fixture
def entries_in_both_regencies(families, personas):
    """A reveal in each regency, by a reader of each."""
    signed_in(personas["auditor"]).post(
        reverse("registry:person_nik_reveal", args=[_head(families["maros"]).uid])
    )
    signed_in(personas["admin_makassar"]).post(
        reverse("registry:person_nik_reveal", args=[_head(families["makassar"]).uid])
    )
    return AccessLog.objects.filter(kind=AccessLog.Kind.NIK_REVEAL)


def test_an_administrator_never_sees_entries_of_another_regency(
    entries_in_both_regencies, families, personas
):
    maros_uid = str(_head(families["maros"]).uid)
    makassar_uid = str(_head(families["makassar"]).uid)
    for who, own, other in (
        ("admin_makassar", makassar_uid, maros_uid),
        ("admin_maros", maros_uid, makassar_uid),
        ("auditor", maros_uid, makassar_uid),
    ):
        user = personas[who]
        page = signed_in(user).get(reverse("audit:access_log"), {"kind": "nik_reveal"})
        text = page.content.decode()
        assert own in text and other not in text, who
        # Even when asked for the other regency by name.
        area = "73.09" if other == maros_uid else "73.71"
        text = signed_in(user).get(reverse("audit:access_log"), {"area": area}).content.decode()
        assert other not in text, who
        uids = {r["record_uid"] for r in _api_rows(user, kind="nik_reveal")}
        assert uids == {own}, who
        assert _api_rows(user, area=area, kind="nik_reveal") == [], who
        export = signed_in(user).get(reverse("audit:access_log_export"), {"format": "csv"})
        uids = {r["ID data"] for r in _rows(export)}
        assert own in uids and other not in uids, who


def test_a_superuser_without_an_area_sees_every_entry(entries_in_both_regencies, personas):
    from pandu.accounts.models import User

    root = User.objects.create_superuser("root", password="x-root-pass-2026")
    uids = {r["record_uid"] for r in _api_rows(root, kind="nik_reveal")}
    assert len(uids) == 2


# --- The list and its filters -------------------------------------------------------------------


def test_the_list_filters_by_user_kind_record_area_and_dates(
    entries_in_both_regencies, families, personas
):
    admin = personas["admin_maros"]
    person = _head(families["maros"])
    other = families["maros"].members.order_by("relationship").last()
    signed_in(personas["operator_lappara"]).post(
        reverse("registry:person_nik_reveal", args=[other.uid])
    )
    record_access(admin, AccessLog.Kind.EXPORT, detail="an export in the regency")
    AccessLog.objects.filter(detail="an export in the regency").update(
        at=timezone.now() - timedelta(days=10)
    )
    client = signed_in(admin)

    def shown(**params) -> set[str]:
        rows = _api_rows(admin, **params)
        web = client.get(reverse("audit:access_log"), params)
        assert web.status_code == 200
        return {r["record_uid"] or r["detail"] for r in rows}

    assert shown(user="operator_lappara") == {str(other.uid)}
    assert shown(user="AUDITOR") == {str(person.uid)}
    assert shown(kind="export") == {"an export in the regency"}
    assert shown(record_type="person", record=str(person.uid)) == {str(person.uid)}
    assert shown(area="73.09.13") == {str(person.uid), str(other.uid)}
    today = timezone.localdate()
    assert shown(until=str(today - timedelta(days=5))) == {"an export in the regency"}
    assert "an export in the regency" not in shown(since=str(today - timedelta(days=1)))
    # The pages' date format works as well.
    old = (today - timedelta(days=5)).strftime("%d-%m-%Y")
    assert shown(until=old) == {"an export in the regency"}


@pytest.mark.parametrize(
    "params",
    [
        {"since": "kemarin"},
        {"area": "Maros"},
        {"record": "not-a-uuid"},
        {"kind": "everything"},
        {"record_type": "nothing"},
        {"since": "2026-05-02", "until": "2026-05-01"},
        {"page": "-3", "per_page": "abc"},
    ],
)
def test_bad_filters_are_said_on_the_page_and_refused_by_the_api(params, personas):
    admin = personas["admin_maros"]
    page = signed_in(admin).get(reverse("audit:access_log"), params)
    assert page.status_code == 200
    if "page" not in params:
        assert "data-filter-errors" in page.content.decode()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(admin)}")
        assert client.get(reverse("audit-api:access-log-list"), params).status_code == 400
        export = signed_in(admin).get(
            reverse("audit:access_log_export"), {**params, "format": "csv"}
        )
        assert export.status_code == 302 and export["Location"].startswith("/audit/log-akses/")
        assert not AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).exists()


def test_the_list_page_asks_the_same_queries_for_many_entries(families, personas):
    admin = personas["admin_maros"]
    client = signed_in(admin)
    url = reverse("audit:access_log")
    record_access(admin, AccessLog.Kind.EXPORT, detail="first")
    client.get(url)  # the session's first request writes its bookkeeping
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(30):
        record_access(personas["auditor"], AccessLog.Kind.EXPORT, detail=f"more {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# --- The export ---------------------------------------------------------------------------------


def test_the_csv_export_holds_the_filtered_entries_safely_and_is_logged(families, personas):
    admin = personas["admin_maros"]
    record_access(admin, AccessLog.Kind.EXPORT, detail='=HYPERLINK("http://x")')
    record_access(admin, AccessLog.Kind.LOOKUP, detail="a lookup")
    response = signed_in(admin, HTTP_USER_AGENT="Firefox").get(
        reverse("audit:access_log_export"), {"format": "csv", "kind": "export"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private, no-store" in response["Cache-Control"]
    rows = _rows(response)
    # Only what was there when asked: not the export's own entry, not the lookup.
    assert [r["Keterangan"] for r in rows] == ['\'=HYPERLINK("http://x")']
    assert rows[0]["Nama pengguna"] == "admin_maros" and rows[0]["Wilayah"] == "73.09"
    own = AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).latest("id")
    assert own.user == admin and own.user_agent == "Firefox" and own.area_code == "73.09"
    assert own.detail == "access log csv rows=1 filter: kind=export"
    assert own.path == reverse("audit:access_log_export")


def test_the_excel_export_has_the_same_entries_and_is_logged(families, personas):
    auditor = personas["auditor"]
    person = _head(families["maros"])
    signed_in(auditor).post(reverse("registry:person_nik_reveal", args=[person.uid]))
    response = signed_in(auditor).get(
        reverse("audit:access_log_export"), {"format": "xlsx", "record": str(person.uid)}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:4] == ("Waktu", "Nama pengguna", "Nama lengkap", "Jenis")
    assert len(values) == 2
    row = values[1]
    assert row[1] == "auditor" and row[5] == str(person.uid)
    assert person.nik not in " ".join(str(v) for v in row)
    own = AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).get()
    assert own.detail == f"access log xlsx rows=1 filter: record={person.uid}"


def test_an_unknown_export_format_goes_back_to_the_list(personas):
    response = signed_in(personas["auditor"]).get(
        reverse("audit:access_log_export"), {"format": "pdf", "kind": "export"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:access_log") + "?kind=export"
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).exists()


def test_the_menu_offers_the_log_to_its_readers_only(personas):
    for who, shown in (("auditor", True), ("admin_maros", True), ("operator_lappara", False)):
        home = signed_in(personas[who]).get("/").content.decode()
        assert (reverse("audit:access_log") in home) == shown, who
