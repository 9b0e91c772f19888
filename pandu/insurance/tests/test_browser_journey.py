"""An Askesos month from end to end in a real browser: the Dinas's administrator accredits LKS
Harapan Maros against its seven requirements; the provider's officer (``partner``, on a phone)
enrols a breadwinner of Moncongloe by NIK, collects three months of premiums and files an
accident claim with the police report; the administrator reviews and approves it, pays it out
and finds the payout in the provider's book for the month.

Playwright drives Debian's Chromium against pytest-django's live server; the day is 15 June 2026
(``insurance.clock``).
"""

from __future__ import annotations

from datetime import date

import pytest

from pandu.core.tests.browser import BROWSER_MARKS, DESKTOP, PHONE, Session, chromium, overflow
from pandu.insurance import actions
from pandu.insurance.choices import AccreditationStatus, ClaimStatus
from pandu.insurance.models import Claim, Member
from pandu.regions.models import Area

pytestmark = BROWSER_MARKS

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def shows(page, text: str) -> None:
    """Wait for ``text``; when it does not come, say what the page said instead."""
    from playwright.sync_api import TimeoutError as Timeout

    try:
        page.wait_for_selector(f"text={text}")
    except Timeout:
        said = page.eval_on_selector_all(
            ".alert, .invalid-feedback", "els => els.map(e => e.innerText.trim())"
        )
        raise AssertionError(f"{page.url}: no {text!r}; the page says {said}") from None


def fits(page) -> None:
    problem = overflow(page, PHONE["width"])
    assert not problem, problem


def test_accredit_enrol_pay_claim_review_pay_out_and_see_it_in_the_book(
    browser, live_server, personas, breadwinner_factory, tmp_path
):
    admin = personas["admin_maros"]
    provider = actions.create_provider(
        admin,
        name="LKS Harapan Maros",
        code="LKS01",
        area=Area.objects.get(code="73.09"),
        established_on=date(2015, 6, 1),
    )
    actions.link_staff(admin, provider, personas["partner"], position="Petugas iuran")
    actions.create_scheme(
        admin, provider, name="Askesos 2026", terms={"valid_from": date(2026, 1, 1)}
    )
    person = breadwinner_factory()
    report = tmp_path / "laporan-polisi.pdf"
    report.write_bytes(PDF)

    dinas = Session(browser, live_server.url, "admin_maros", DESKTOP)
    officer = Session(browser, live_server.url, "partner", PHONE)
    try:
        # The Dinas opens the application, checks each requirement and accredits.
        page = dinas.page
        page.goto(f"/askesos/penyelenggara/{provider.uid}/")
        shows(page, "Tidak terakreditasi hari ini")
        page.get_by_role("link", name="Buka permohonan akreditasi").click()
        page.fill("#id_applied_on", "2026-05-20")
        page.get_by_role("button", name="Simpan").click()
        shows(page, "Permohonan akreditasi dibuka.")
        criteria = page.eval_on_selector_all("[id^=item-]", "els => els.map(e => e.id.slice(5))")
        assert len(criteria) == 7
        for criterion in criteria:
            card = page.locator(f"#item-{criterion}")
            card.locator("summary", has_text="Isi bukti").click()
            page.fill(f"#id_{criterion}-evidence", "Akta notaris no. 12/2015 dan laporan tahunan")
            card.get_by_role("button", name="Simpan bukti").click()
            shows(page, "disimpan.")
            card = page.locator(f"#item-{criterion}")
            page.check(f"#id_{criterion}-finding_0")
            page.fill(f"#id_{criterion}-note", "Sesuai dokumen")
            card.get_by_role("button", name="Simpan temuan").click()
            page.wait_for_selector(f"#item-{criterion} [data-finding=memenuhi]")
        page.check("#id_accredited_0")
        page.fill("#id_decision_number", "SK-460/01/2026")
        page.fill("#id_decided_on", "2026-05-29")
        page.fill("#id_valid_from", "2026-06-01")
        page.fill("#id_valid_until", "2029-05-31")
        page.get_by_role("button", name="Simpan keputusan").click()
        shows(page, "Penyelenggara terakreditasi.")
        assert provider.accreditations.get().status == AccreditationStatus.ACCREDITED

        # The officer enrols the breadwinner by NIK and collects three months.
        page = officer.page
        page.goto("/askesos/peserta/")
        fits(page)
        page.get_by_role("link", name="Daftarkan peserta").click()
        fits(page)
        page.fill("#id_nik", person.nik)
        page.fill("#id_enrolled_on", "2026-06-01")
        page.fill("#id_occupation", "Penjual ikan keliling")
        page.fill("#id_monthly_income", "300000")
        page.select_option("#id_work_status", "1")
        page.get_by_role("button", name="Daftarkan").click()
        shows(page, "terdaftar sebagai peserta nomor")
        member = Member.objects.get(person=person)
        assert person.nik not in page.url and person.nik not in page.content()
        fits(page)
        page.fill("#id_amount", "31200")
        page.select_option("#id_method", "tunai")
        page.get_by_role("button", name="Catat pembayaran").click()
        shows(page, "disimpan sebagai titipan")
        member.refresh_from_db()
        assert int(member.total_paid) == 31_200 and member.status == "aktif"
        assert page.locator("[data-month='2026-06'][data-state=paid]").count() == 1

        # An accident on the 12th: the claim goes to review (above the threshold).
        page.get_by_role("link", name="Ajukan klaim").click()
        fits(page)
        page.select_option("#id_event_type", "kecelakaan")
        page.fill("#id_event_date", "2026-06-12")
        page.fill("#id_amount_claimed", "6000000")
        page.fill("#id_description", "Jatuh dari motor di jalan poros Moncongloe")
        page.set_input_files("#id_doc_laporan_polisi", str(report))
        page.get_by_role("button", name="Ajukan klaim").click()
        shows(page, "menunggu tinjauan petugas lain")
        claim = Claim.objects.get()
        assert claim.status == ClaimStatus.REVIEW
        assert page.locator("#decision-form").count() == 0  # not by the one who filed it
        fits(page)

        # The Dinas reviews, approves and pays; the payout is in the provider's book.
        page = dinas.page
        page.goto(f"/askesos/klaim/{claim.uid}/")
        assert page.locator("#findings [data-passed='1']").count() >= 1
        page.check("#id_approve_0")
        page.get_by_role("button", name="Simpan keputusan").click()
        shows(page, "Klaim disetujui.")
        page.fill("#id_reference", "KAS-0612")
        page.get_by_role("button", name="Catat pembayaran santunan").click()
        shows(page, "dibayar, kuitansi")
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.PAID and int(claim.amount_approved) == 5_000_000

        page.goto("/askesos/buku/?bulan=2026-06")
        row = page.locator("#books tr[data-provider=LKS01]")
        assert "Rp 5.000.000" in row.inner_text() and "Rp 31.200" in row.inner_text()
        row.get_by_role("link", name="LKS01").click()
        page.wait_for_selector("#book")
        assert page.inner_text("#book-claims-count") == "1"
        assert page.inner_text("#book-claims-amount") == "Rp 5.000.000"
    finally:
        dinas.close()
        officer.close()
    assert dinas.errors == [] and officer.errors == []
