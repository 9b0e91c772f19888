"""The payment pages through the browser's requests: set up, compute, approve in two steps,
download a payment list, upload a reconciliation and read its report, carry failed payments,
deposit returned funds, record conditionality; lists read a fixed number of queries."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pandu.conftest import close_quietly
from pandu.core import jobs
from pandu.core.models import AccessLog
from pandu.payments import actions
from pandu.payments.models import Cycle, Entitlement, ReconciliationImport

from .helpers import CHILD_NO_ACCOUNT, ELDERLY_WITH_ACCOUNT, approved_cycle, born

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response) -> str:
    return response.content.decode()


def test_the_dinas_sets_up_and_computes_a_cycle_and_the_head_approves_it(
    personas, pkh, maros, bulk_families, enrol
):
    for family in bulk_families([ELDERLY_WITH_ACCOUNT, CHILD_NO_ACCOUNT]):
        enrol(family, pkh)
    admin, head = login(personas["admin_maros"]), login(personas["head"])
    answer = admin.post(
        reverse("payments:cycle_new"),
        {"programme": pkh.pk, "area": "73.09", "period_start": "2026-01-01"},
    )
    cycle = Cycle.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"{cycle.uid}/")
    admin.post(reverse("payments:cycle_compute", args=[cycle.uid]))
    page = body(admin.get(reverse("payments:cycle_detail", args=[cycle.uid])))
    assert "Hak bantuan sedang dihitung" in page
    assert jobs.run_pending() == 1
    page = body(admin.get(reverse("payments:cycle_detail", args=[cycle.uid])))
    assert "Dihitung, menunggu persetujuan Dinas" in page and "1.350.000" in page
    assert "Setujui (Kepala)" not in body(head.get(reverse("payments:cycle_detail",
                                                            args=[cycle.uid])))  # fmt: skip
    admin.post(reverse("payments:cycle_approve_dinas", args=[cycle.uid]), {"note": "cek"})
    head.post(reverse("payments:cycle_approve_head", args=[cycle.uid]))
    cycle.refresh_from_db()
    assert cycle.status == "disetujui" and cycle.head_by == personas["head"]
    again = head.post(reverse("payments:cycle_approve_head", args=[cycle.uid]), follow=True)
    assert "sudah disetujui Kepala pada" in body(again)
    page = body(admin.get(reverse("payments:cycle_detail", args=[cycle.uid])))
    assert "Daftar bayar" in page and "cek" in page


def test_a_year_of_cycles_is_planned_from_the_form(personas, bpnt):
    admin = login(personas["admin_maros"])
    admin.post(reverse("payments:cycle_new"),
               {"tahun": "1", "programme": bpnt.pk, "area": "73.09", "year": "2026"})  # fmt: skip
    assert Cycle.objects.filter(programme=bpnt).count() == 12
    outside = {"programme": bpnt.pk, "area": "73.71", "period_start": "2026-01-01"}
    wrong = admin.post(reverse("payments:cycle_new"), outside)
    assert "di luar wilayah kerja Anda" in body(wrong)


@pytest.fixture
def approved(personas, pkh, maros, bulk_families, enrol):
    return approved_cycle(
        personas, pkh, maros, bulk_families, enrol, [ELDERLY_WITH_ACCOUNT, CHILD_NO_ACCOUNT]
    )


def test_the_cycle_page_links_to_the_targeting_accuracy_report_of_the_cycle(
    approved, personas, pkh, maros
):
    cycle, _families = approved
    link = f'href="{reverse("programs:accuracy_report")}?cycle={cycle.uid}"'
    for username in ("admin_maros", "head", "auditor", "tksk_moncongloe"):
        page = body(login(personas[username]).get(reverse("payments:cycle_detail",
                                                          args=[cycle.uid])))  # fmt: skip
        assert link in page, username
    report = body(login(personas["head"]).get(f"{reverse('programs:accuracy_report')}"
                                               f"?cycle={cycle.uid}"))  # fmt: skip
    assert 'data-figure="kpm">2<' in report
    draft = actions.create_cycle(personas["admin_maros"], programme=pkh, area=maros,
                                 period_start=date(2026, 4, 1))  # fmt: skip
    page = body(login(personas["admin_maros"]).get(reverse("payments:cycle_detail",
                                                           args=[draft.uid])))  # fmt: skip
    assert 'id="cycle-accuracy"' not in page  # nothing computed: no families to report on


def test_the_payment_list_downloads_and_is_logged(approved, personas):
    cycle, (elderly, _child) = approved
    admin = login(personas["admin_maros"])
    response = admin.get(reverse("payments:cycle_export", args=[cycle.uid, "bank", "csv"]))
    data = b"".join(response.streaming_content)
    close_quietly(response)
    assert response["Cache-Control"] == "private, no-store"
    assert elderly.kk_number.encode() in data
    log = AccessLog.objects.get(kind="export")
    assert log.object_uid == str(cycle.uid) and "rows=1" in log.detail
    xlsx = admin.get(reverse("payments:cycle_export", args=[cycle.uid, "pos", "xlsx"]))
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    close_quietly(xlsx)
    bad = admin.get(reverse("payments:cycle_export", args=[cycle.uid, "giro", "csv"]), follow=True)
    assert "tidak dikenal; pilih bank, pos, ewarong" in body(bad)


def test_a_reconciliation_uploaded_on_the_web_shows_its_report(approved, personas):
    cycle, (elderly, child) = approved
    text = (
        "siklus;penerima;status;nominal;tanggal;referensi;alasan\n"
        f"{cycle.uid};{elderly.kk_number};dibayar;600000;15-02-2026;BRI-1;\n"
        f"{cycle.uid};{child.kk_number};gagal;750000;15-02-2026;POS-1;tidak ditemukan\n"
        f"{cycle.uid};{child.kk_number};dibayar;700000;15-02-2026;POS-2;\n"
    )
    admin = login(personas["admin_maros"])
    upload = SimpleUploadedFile("hasil.csv", text.encode(), content_type="text/csv")
    answer = admin.post(reverse("payments:import_upload"), {"file": upload})
    batch = ReconciliationImport.objects.get()
    assert answer["Location"].endswith(f"{batch.uid}/")
    assert "Sedang diproses" in body(admin.get(answer["Location"]))
    jobs.run_pending()
    page = body(admin.get(answer["Location"]))
    assert "3 baris dibaca: 2 dicatat, 0 sudah tercatat sebelumnya, 1 ditolak." in page
    assert "Nominal 700.000 berbeda dengan nilai hak 750.000." in page
    report = admin.get(reverse("payments:import_report", args=[batch.uid]))
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    close_quietly(report)
    assert rows[1][:2] == ["4", "Nominal 700.000 berbeda dengan nilai hak 750.000."]
    page = body(admin.get(reverse("payments:cycle_detail", args=[cycle.uid])))
    assert "Rp600.000" in page and "Rp750.000" in page  # paid and failed amounts


def test_a_file_that_is_not_a_table_is_refused_on_the_form(approved, personas):
    admin = login(personas["admin_maros"])
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    page = body(admin.post(reverse("payments:import_upload"), {"file": upload}))
    assert "PDF" in page and not ReconciliationImport.objects.exists()


def test_failed_payments_wait_on_the_retry_list_and_join_the_next_cycle(
    approved, personas, pkh, maros, tmp_path
):
    cycle, (elderly, _child) = approved
    admin_user = personas["admin_maros"]
    entitlement = Entitlement.objects.get(cycle=cycle, household=elderly)
    path = tmp_path / "r.csv"
    row = f"{cycle.uid},{elderly.kk_number},gagal,600000,15-02-2026,B1,tutup"
    path.write_text(f"siklus,penerima,status,nominal,tanggal,referensi,alasan\n{row}\n")
    actions.start_reconciliation(admin_user, path)
    admin = login(admin_user)
    assert elderly.kk_number in body(admin.get(reverse("payments:retry_list")))
    following = actions.create_cycle(admin_user, programme=pkh, area=maros,
                                     period_start=date(2026, 4, 1))  # fmt: skip
    page = body(admin.get(reverse("payments:cycle_detail", args=[following.uid])))
    assert "1 pembayaran gagal dari siklus sebelumnya menunggu dibayar ulang." in page
    admin.post(reverse("payments:retry_schedule", args=[following.uid]))
    entitlement.refresh_from_db()
    assert entitlement.retry_in == following


def test_the_web_lists_of_entitlements_take_no_kk_number_in_their_address(
    approved, personas, tmp_path
):
    cycle, (elderly, _child) = approved
    admin_user = personas["admin_maros"]
    path = tmp_path / "r.csv"
    row = f"{cycle.uid},{elderly.kk_number},gagal,600000,15-02-2026,B1,tutup"
    path.write_text(f"siklus,penerima,status,nominal,tanggal,referensi,alasan\n{row}\n")
    actions.start_reconciliation(admin_user, path)
    entitlement = Entitlement.objects.get(cycle=cycle, household=elderly)
    row_link = reverse("payments:entitlement_detail", args=[entitlement.uid])
    admin = login(admin_user)
    for url in (
        reverse("payments:retry_list"),
        reverse("payments:entitlement_list", args=[cycle.uid]),
    ):
        page = body(admin.get(url))
        assert row_link in page and 'name="kk"' not in page, url
        # A KK number still sent in the address: said so, and no rows rather than all of them.
        page = body(admin.get(url, {"kk": elderly.kk_number}))
        assert "NIK dan nomor KK tidak dapat disaring di halaman ini" in page, url
        assert row_link not in page, url


def test_returned_funds_are_deposited_from_the_cycle_page(approved, personas, tmp_path):
    cycle, (_elderly, child) = approved
    admin_user = personas["admin_maros"]
    path = tmp_path / "r.csv"
    row = f"{cycle.uid},{child.kk_number},dikembalikan,750000,15-03-2026,P1,pindah"
    path.write_text(f"siklus,penerima,status,nominal,tanggal,referensi,alasan\n{row}\n")
    actions.start_reconciliation(admin_user, path)
    admin = login(admin_user)
    assert child.kk_number in body(admin.get(reverse("payments:returned_list")))
    url = reverse("payments:treasury_return", args=[cycle.uid])
    wrong = admin.post(url, {"returned_on": "2026-04-01", "reference": "NTPN-9", "amount": "1"})
    assert "Rp750.000" in body(wrong)
    admin.post(url, {"returned_on": "2026-04-01", "reference": "NTPN-9", "amount": "750.000"})
    assert "NTPN-9" in body(admin.get(reverse("payments:returned_list")))


def test_the_tksk_records_a_missed_health_visit_by_kk_number(
    personas, pkh, maros, bulk_families, enrol
):
    (family,) = bulk_families([{"members": [{"birth_date": born(30)}, {"birth_date": born(1)}]}])
    enrol(family, pkh)
    cycle = actions.create_cycle(personas["admin_maros"], programme=pkh, area=maros,
                                 period_start=date(2026, 1, 1))  # fmt: skip
    tksk = login(personas["tksk_moncongloe"])
    url = reverse("payments:conditionality", args=[cycle.uid])
    answer = tksk.post(url, {"kk_number": family.kk_number, "kind": "kesehatan",
                             "result": "tidak_terpenuhi", "note": "tidak ke posyandu"})  # fmt: skip
    assert answer.status_code == 302
    page = body(tksk.get(url))
    assert "tidak ke posyandu" in page and "Terapkan akibatnya" not in page
    unknown = tksk.post(url, {"kk_number": "7371010101010001", "kind": "kesehatan",
                              "result": "terpenuhi"})  # fmt: skip
    assert "Nomor KK ini tidak ada di wilayah Anda." in body(unknown)


def test_an_entitlement_is_held_then_approved_after_its_cycle(
    personas, pkh, maros, bulk_families, enrol
):
    (family,) = bulk_families([ELDERLY_WITH_ACCOUNT])
    enrol(family, pkh)
    admin_user = personas["admin_maros"]
    cycle = actions.create_cycle(admin_user, programme=pkh, area=maros,
                                 period_start=date(2026, 1, 1))  # fmt: skip
    actions.compute_cycle(admin_user, cycle)
    entitlement = Entitlement.objects.get(cycle=cycle)
    admin = login(admin_user)
    url = reverse("payments:entitlement_detail", args=[entitlement.uid])
    assert "Tahan hak ini" in body(admin.get(url))
    admin.post(reverse("payments:entitlement_hold", args=[entitlement.uid]),
               {"reason": "rekening diperiksa"})  # fmt: skip
    early = admin.post(reverse("payments:entitlement_approve", args=[entitlement.uid]),
                       follow=True)  # fmt: skip
    assert "tidak dapat disetujui sebelum siklusnya" in body(early)
    actions.approve_cycle_dinas(admin_user, cycle)
    actions.approve_cycle_head(personas["head"], cycle)
    admin.post(reverse("payments:entitlement_approve", args=[entitlement.uid]))
    entitlement.refresh_from_db()
    assert entitlement.status == "disetujui"


def test_a_groups_grant_is_added_on_its_form(personas, kube, maros, group):
    cycle = actions.create_cycle(personas["admin_maros"], programme=kube, area=maros,
                                 period_start=date(2026, 1, 1))  # fmt: skip
    admin = login(personas["admin_maros"])
    url = reverse("payments:group_entitlement_new", args=[cycle.uid])
    answer = admin.post(url, {"organisation": group.pk, "amount": "20.000.000",
                              "account_bank": "BRI", "account_number": "12345678",
                              "account_name": "KUBE Maju"})  # fmt: skip
    assert answer.status_code == 302
    assert Entitlement.objects.get(cycle=cycle).amount == 20_000_000
    bad = admin.post(url, {"organisation": group.pk, "amount": "1", "account_bank": "BRI",
                           "account_number": "12", "account_name": "x"})  # fmt: skip
    assert "Nomor rekening 6–30 angka." in body(bad)


def test_lists_read_the_same_number_of_queries_for_two_rows_as_for_six(
    personas, pkh, maros, bulk_families, enrol
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pandu.programs.models import Enrolment

    admin_user = personas["admin_maros"]
    admin = login(admin_user)
    counts = {}
    for n in (2, 6):
        Entitlement.objects.all().delete()
        Cycle.objects.all().delete()
        Enrolment.objects.all().delete()
        for family in bulk_families([ELDERLY_WITH_ACCOUNT] * n):
            enrol(family, pkh)
        cycle = actions.create_cycle(admin_user, programme=pkh, area=maros,
                                     period_start=date(2026, 1, 1))  # fmt: skip
        actions.compute_cycle(admin_user, cycle)
        pages = {
            "cycles": reverse("payments:cycle_list"),
            "entitlements": reverse("payments:entitlement_list", args=[cycle.uid]),
        }
        for name, url in pages.items():
            admin.get(url)  # the first request fills the caches of menus and areas
            with CaptureQueriesContext(connection) as seen:
                assert admin.get(url).status_code == 200
            counts.setdefault(name, []).append(len(seen))
    for url, (two, six) in counts.items():
        assert two == six, (url, two, six)


@pytest.mark.parametrize("year", ["99999", "-5", "0", "1e9", "abc"])
def test_a_year_the_cycle_list_cannot_use_is_a_message_not_an_error(personas, year):
    client = Client()
    client.force_login(personas["admin_maros"])
    response = client.get(reverse("payments:cycle_list"), {"year": year})
    assert response.status_code == 200
