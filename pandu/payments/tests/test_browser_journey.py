"""A PKH stage from approval to the field, in a real browser: the Dinas's administrator approves
the computed cycle and the head gives the final approval; the Dinas downloads the bank's payment
list, sends it back as the bank's reconciliation (two paid, one failed, one row the import
refuses) and reads its report; the cycle page shows what was paid and what failed; the head reads
the targeting-accuracy report of the cycle (the failed family's recipient has died); Pak Syamsul
(TKSK) records an aid-use visit to a paid family on his phone.

The families are registered through the registry's actions and made active KPM as a decree
would; the cycle is created and computed through the payment actions. Every step under test goes
through the pages.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from pandu.conftest import LAPPARA, make_kk, make_nik
from pandu.core import jobs
from pandu.core.tests.browser import (
    BROWSER_MARKS,
    DESKTOP,
    PHONE,
    Session,
    chromium,
    overflow,
)
from pandu.empowerment.models import UseVisit
from pandu.payments import actions
from pandu.payments.models import Payment
from pandu.programs.accuracy.figures import DECEASED
from pandu.registry import actions as registry

from .helpers import START

pytestmark = BROWSER_MARKS

MONCONGLOE = "73.09.13"
PAID_ON = "15-02-2026"  # inside the cycle (the first stage of 2026)


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture
def sessions(browser, live_server, settings, tmp_path, catalogue):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    opened: list[Session] = []

    def start(username: str, viewport: dict = DESKTOP) -> Session:
        session = Session(browser, live_server.url, username, viewport)
        opened.append(session)
        return session

    yield start
    for session in opened:
        assert not session.errors, session.errors
        session.close()


def _person(name: str, born: date, sex: str, serial: int, relationship: int, **more) -> dict:
    return {
        "nik": make_nik(MONCONGLOE, born, sex, serial),
        "full_name": name,
        "sex": sex,
        "birth_date": born,
        "relationship": relationship,
        "marital_status": 2 if relationship in (1, 2) else (4 if relationship == 6 else 1),
        **more,
    }


def _family(admin, n: int, head: str, *, grandmother: bool = False):
    """A couple of Lappara with a toddler (PKH's early-childhood component) and the head's KKS
    account (the bank's list); with ``grandmother``, her mother of 75 lives with them too."""
    members = [
        _person(
            head,
            date(1985, 4, 9),
            "L",
            n * 10 + 1,
            1,
            bank_name="BRI",
            bank_account=f"0021{n:02d}00451{n:02d}8",
        ),
        _person(f"Hasnah {n}", date(1988, 11, 23), "P", n * 10 + 2, 2),
        _person(f"Nur Aisyah {n}", date(2023, 6, 1), "P", n * 10 + 3, 3),
    ]
    if grandmother:
        members.append(_person(f"Becce {n}", date(1950, 2, 14), "P", n * 10 + 4, 6))
    household = {"kk_number": make_kk(MONCONGLOE, date(2016, 7, 4), 600 + n),
                 "village": LAPPARA, "rt": 3, "rw": 2}  # fmt: skip
    return registry.register_household(admin, household=household, members=members,
                                       reason="Pendataan PKH")  # fmt: skip


def _reconciliation(download: Path, target: Path, failed_kk: str, first_kk: str) -> list[dict]:
    """The bank's answer: its own payment list with status, date, reference and reason added
    (docs/payments.md), the failed family's row marked failed, and the first family's row sent
    a second time (the import refuses that row)."""
    with open(download, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for i, row in enumerate(rows):
        failed = row["penerima"] == failed_kk
        row.update(
            status="gagal" if failed else "dibayar",
            tanggal=PAID_ON,
            referensi=f"BRI-2026-{i + 1:06d}",
            alasan="pemilik rekening meninggal" if failed else "",
        )
    again = dict(next(r for r in rows if r["penerima"] == first_kk))
    again["referensi"] = "BRI-2026-009999"
    rows.append(again)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _figure(page, label: str) -> str:
    """The big number of the card of ``label`` in the cycle's figures."""
    card = page.locator("#cycle-figures .card").filter(has_text=label)
    return card.locator(".h5").inner_text().strip()


def test_a_pkh_stage_from_approval_to_the_aid_use_visit(
    sessions, personas, pkh, maros, enrol, tmp_path
):
    admin_user = personas["admin_maros"]
    families = [
        _family(admin_user, 1, "Baharuddin"),
        _family(admin_user, 2, "Syamsuddin", grandmother=True),
        _family(admin_user, 3, "Muhammad Arsyad"),
    ]
    for family in families:
        enrol(family, pkh)
    paid_a, paid_b, failed = families
    cycle = actions.create_cycle(admin_user, programme=pkh, area=maros, period_start=START)
    actions.compute_cycle(admin_user, cycle)

    # The Dinas approves the computed cycle: 3 KPM, Rp750.000 + Rp1.350.000 + Rp750.000.
    admin = sessions("admin_maros").page
    admin.goto(f"/pembayaran/siklus/{cycle.uid}/")
    assert admin.inner_text("#cycle-status") == "Dihitung, menunggu persetujuan Dinas"
    assert _figure(admin, "Penerima") == "3"
    assert _figure(admin, "Jumlah (Rp)") == "2.850.000"
    assert admin.locator("#payment-lists").count() == 0  # no payment list before approval
    admin.fill("#cycle-actions input[name=note]", "Diperiksa bidang linjamsos")
    admin.get_by_role("button", name="Setujui (Dinas)").click()
    admin.wait_for_selector("text=Siklus disetujui.")
    assert "menunggu persetujuan Kepala" in admin.inner_text("#cycle-status")

    # The head gives the final approval.
    head = sessions("head").page
    head.goto(f"/pembayaran/siklus/{cycle.uid}/")
    assert "Diperiksa bidang linjamsos" in head.inner_text("#cycle-history")
    head.get_by_role("button", name="Setujui (Kepala)").click()
    head.wait_for_selector("text=Siklus disetujui.")
    assert head.inner_text("#cycle-status") == "Disetujui Kepala, siap disalurkan"
    assert head.get_by_role("button", name="Setujui (Kepala)").count() == 0

    # The Dinas downloads the bank's list (every family has a KKS account).
    admin.reload()
    lists = admin.locator("#payment-lists")
    with admin.expect_download() as info:
        lists.locator("li", has_text="Bank").get_by_role("link", name="CSV").click()
    download = info.value
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)
    sent = _reconciliation(exported, tmp_path / "hasil-bri.csv", failed.kk_number,
                           paid_a.kk_number)  # fmt: skip
    assert sorted(r["penerima"] for r in sent[:3]) == sorted(f.kk_number for f in families)

    # ... and uploads the bank's answer: 4 rows read, 3 recorded, 1 refused with its reason.
    admin.goto("/pembayaran/rekonsiliasi/")
    admin.set_input_files("#upload-form input[type=file]", str(tmp_path / "hasil-bri.csv"))
    admin.get_by_role("button", name="Unggah dan proses").click()
    admin.wait_for_selector("text=Berkas diterima; rekonsiliasi sedang diproses.")
    assert jobs.run_pending() == 1
    admin.reload()
    admin.wait_for_selector("#import-figures")
    assert admin.inner_text("#import-status") == "Selesai"
    figures = admin.inner_text("#import-figures")
    for label, n in (("Baris dibaca", 4), ("Dicatat", 3), ("Ditolak", 1)):
        assert f"{label}\n{n}" in figures, figures
    assert "4 baris dibaca: 3 dicatat, 0 sudah tercatat sebelumnya, 1 ditolak." in admin.inner_text(
        "#import-main"
    )
    refused = admin.locator("#rejected-rows tbody tr")
    assert refused.count() == 1
    assert refused.locator("td").nth(0).inner_text() == "5"
    assert "Penerima yang sama sudah ada di baris 2 berkas ini." in refused.inner_text()

    # The cycle page: two families paid, the one whose recipient died failed.
    admin.goto(f"/pembayaran/siklus/{cycle.uid}/")
    assert _figure(admin, "Dibayar") == "2"
    assert _figure(admin, "Gagal") == "1"
    paid_card = admin.locator("#cycle-figures .card").filter(has_text="Dibayar").inner_text()
    failed_card = admin.locator("#cycle-figures .card").filter(has_text="Gagal").inner_text()
    assert "Rp2.100.000" in paid_card and "Rp750.000" in failed_card
    assert Payment.objects.filter(cycle=cycle, status="dibayar").count() == 2
    admin.goto("/pembayaran/bayar-ulang/")
    assert "Muhammad Arsyad" in admin.inner_text("main")

    # The failed family's recipient died during the stage (the registry hears of it later).
    registry.record_death(
        admin_user,
        failed.members.get(relationship=1),
        on=date(2026, 2, 10),
        reason="Surat keterangan kematian dari desa",
    )

    # The head reads the targeting-accuracy report of the cycle, from the cycle's page: 3 KPM,
    # 1 deceased.
    head.goto(f"/pembayaran/siklus/{cycle.uid}/")
    head.locator("#cycle-actions").get_by_role("link", name="Ketepatan sasaran").click()
    head.wait_for_selector("[data-figure=kpm]")
    assert head.input_value("#id_cycle") == str(cycle.uid)
    assert head.inner_text("[data-figure=kpm]") == "3"
    assert head.inner_text("[data-figure=flagged]") == "1"
    assert head.inner_text(f"[data-count={DECEASED}]") == "1"
    head.locator(f"[data-count={DECEASED}]").click()
    head.wait_for_url(f"**/ketepatan-sasaran/{DECEASED}/**")
    assert "Muhammad Arsyad" in head.inner_text("main")
    assert "Baharuddin" not in head.inner_text("main")

    # Pak Syamsul on his phone: a visit to a paid family, with a problem at the e-warong.
    tksk = sessions("tksk_moncongloe", PHONE).page
    tksk.goto("/pemberdayaan/kpm/")
    assert not overflow(tksk, PHONE["width"]), overflow(tksk, PHONE["width"])
    tksk.locator("tr", has_text="Syamsuddin").get_by_role("link", name="Catat kunjungan").click()
    tksk.wait_for_selector("#visit-form")
    assert not overflow(tksk, PHONE["width"]), overflow(tksk, PHONE["width"])
    tksk.locator("label", has_text="Pangan").click()
    tksk.locator("label", has_text="Kesehatan").click()
    tksk.check("#id_problem_ewarong")
    tksk.fill("#id_problem_ewarong_note", "Beras di e-warong habis saat pencairan")
    tksk.fill("#id_note", "Bantuan tahap 1 diterima lewat KKS; nenek Becce berobat ke puskesmas")
    tksk.get_by_role("button", name="Simpan kunjungan").click()
    tksk.wait_for_selector("text=disimpan")
    assert not overflow(tksk, PHONE["width"]), overflow(tksk, PHONE["width"])
    visit = UseVisit.objects.get()
    assert visit.enrolment.household == paid_b and visit.visitor == personas["tksk_moncongloe"]
    assert "Pangan" in visit.uses and "Kesehatan" in visit.uses
    tksk.goto(f"/pemberdayaan/kunjungan/{visit.uid}/")
    assert "Beras di e-warong habis" in tksk.inner_text("#visit-problems")
