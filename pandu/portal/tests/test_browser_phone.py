"""On a 390-px phone, every page a TKSK, a village operator or a front-office officer works with
fits the screen: the page never scrolls sideways. A page that does names the elements that stick
out, so the failure says what to fix.

Playwright drives Debian's Chromium (/usr/bin/chromium) against pytest-django's live server; one
Chromium serves the whole module.
"""

from __future__ import annotations

from datetime import date

import pytest

from pandu.conftest import LAPPARA, make_nik
from pandu.core.tests.browser import (
    BROWSER_MARKS,
    PHONE,
    Session,
    chromium,
    overflow,
)
from pandu.proposals import actions as proposals
from pandu.registry import actions as registry
from pandu.registry.models import Person
from pandu.services import actions as services

pytestmark = BROWSER_MARKS

SCREEN = PHONE["width"]
MONCONGLOE = "73.09.13"


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture
def office(world, household_factory, make_case, make_intake, batch_factory, settings, tmp_path):
    """A family with long names and a long address, a walk-in queue of today with one case
    opened from it, and a village proposal waiting for the TKSK's visit."""
    settings.MEDIA_ROOT = tmp_path / "media"
    hh = household_factory(
        LAPPARA,
        address="Dusun Bontoa Lappara, Jalan Poros Moncongloe–Maros Kilometer 12, lorong masjid",
        income_monthly=12_500_000,
        expenditure_monthly=9_750_000,
        land_area=1_250_000,
        collected_on=date(2025, 3, 5),
        desil=2,
        desil_source="dtsen",
        desil_reference="DTSEN periode I 2025, penetapan Kementerian Sosial nomor 12/HUK/2025",
        livestock={"sapi": 2, "kambing": 14, "unggas": 120},
        assets=["gas5", "fridge"],
        cards=["kks", "kip", "kis", "pkh"],
        businesses=[{"kind": 3, "sector": 1, "workers": 12, "turnover_monthly": 150_000_000}],
        members=[
            {
                "nik": make_nik(MONCONGLOE, date(1975, 2, 3), "L", 71),
                "full_name": "Andi Muhammad Fadhlurrahman Daeng Mappasessu",
                "sex": "L",
                "birth_date": date(1975, 2, 3),
                "relationship": 1,
                "marital_status": 2,
            },
            {
                "nik": make_nik(MONCONGLOE, date(1979, 9, 14), "P", 72),
                "full_name": "Sitti Nurhayati Daeng Ngasseng",
                "sex": "P",
                "birth_date": date(1979, 9, 14),
                "relationship": 2,
                "marital_status": 2,
            },
        ],
    )
    head = Person.objects.get(nik=make_nik(MONCONGLOE, date(1975, 2, 3), "L", 71))
    registry.update_person(
        world.users["admin_maros"],
        head,
        {"phone": "+62 812-3456-7890", "bank_name": "Bank Rakyat Indonesia (BRI) Unit Moncongloe",
         "bank_account": "12345678901234567890", "health_insurance": 3, "school_level": 0},
        "Pendataan",
    )  # fmt: skip
    case = make_case(subject=services.Subject(person=head))
    for n, need in enumerate(("civil_documents", "health", "education")):
        make_intake(
            subject=services.Subject(
                name=f"Hasnawati Binti Abdul Rahman Daeng Tojeng {n}",
                birth_date=date(1990, 1, 1 + n),
                sex="P",
                village=hh.village,
                address="Dusun Lappara RT 3",
            ),
            needs=(need,),
        )
    rahma = world.users["operator_lappara"]
    batch = batch_factory(rahma)
    item = proposals.add_household_change_item(
        rahma, batch, hh, {"floor_area": 24}, reason="Pendataan ulang musyawarah desa"
    )
    proposals.submit_batch(rahma, batch)
    draft = batch_factory(rahma)
    return {
        "household": hh,
        "person": head,
        "business": hh.businesses.get(),
        "case": case,
        "batch": batch,
        "item": item,
        "draft": draft,
    }


def _pages(role: str, office: dict) -> list[str]:
    hh, person = office["household"].uid, office["person"].uid
    registry = [
        "/",
        "/registri/cari/?q=fadhlurrahman",
        f"/registri/keluarga/{hh}/",
        f"/registri/penduduk/{person}/",
        "/registri/keluarga/",
        # The registry's forms.
        "/registri/keluarga/baru/",
        f"/registri/keluarga/{hh}/anggota/",
        f"/registri/penduduk/{person}/ubah/",
        f"/registri/ppks/person/{person}/tambah/",
        f"/registri/keluarga/{hh}/usaha/baru/",
        f"/registri/keluarga/{hh}/usaha/{office['business'].uid}/ubah/",
        f"/registri/keluarga/{hh}/usaha/{office['business'].uid}/hapus/",
    ]
    desk = [
        "/layanan/pengaduan/",
        "/layanan/antrean/",
        "/layanan/pengaduan/baru/",
        f"/layanan/pengaduan/{office['case'].intake.uid}/",
        f"/layanan/kasus/{office['case'].uid}/",
    ]
    if role == "front_office":
        return [*registry, *desk, "/usulan/saya/"]
    if role == "operator_lappara":
        return [
            *registry,
            "/usulan/",
            "/usulan/baru/",
            "/usulan/saya/",
            f"/usulan/{office['batch'].uid}/",
            f"/usulan/{office['draft'].uid}/tambah/keluarga-baru/",
            f"/usulan/{office['draft'].uid}/pilih/",
            f"/usulan/butir/{office['item'].uid}/",
        ]
    return [
        *registry,
        *desk,
        "/usulan/verifikasi/",
        f"/usulan/butir/{office['item'].uid}/verifikasi/",
        f"/usulan/butir/{office['item'].uid}/",
    ]


@pytest.mark.parametrize("role", ["front_office", "operator_lappara", "tksk_moncongloe"])
def test_every_page_of_a_field_role_fits_a_phone(browser, live_server, office, role):
    session = Session(browser, live_server.url, role, PHONE)
    page = session.page
    problems = []
    try:
        page.goto("/")
        # Every page the menu offers the role, besides the records and forms named here.
        menu = page.eval_on_selector_all(
            "#nav a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
        )
        assert len(menu) >= 3
        pages = _pages(role, office)
        pages += [url for url in dict.fromkeys(menu) if url not in pages]
        for url in pages:
            response = page.goto(url)
            if response is None or response.status != 200:
                problems.append(f"{url}: HTTP {response and response.status}")
                continue
            if url.startswith("/registri/cari/?q="):
                page.locator("#results a", has_text="Fadhlurrahman").first.wait_for()
            problems.append(overflow(page, SCREEN))
        # The top bar folds into its menu button; opened, the menu fits too.
        page.goto("/")
        toggler = page.locator(".navbar-toggler")
        assert toggler.is_visible()
        assert not page.locator("#nav").is_visible()
        toggler.click()
        page.locator("#nav .nav-link").first.wait_for()
        problems.append(overflow(page, SCREEN))
    finally:
        session.close()
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)
    assert session.errors == []
