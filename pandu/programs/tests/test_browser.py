"""The Moncongloe integrated programme in a real browser: the coordinator opens it from the
Program menu and reads targets against realisation per implementer; IPSI's focal point sees
only IPSI's activity, adds a participant and marks attendance in place, and is not offered
another implementer's activity (its address answers "not found")."""

from __future__ import annotations

import re

import pytest

from pandu.core.tests.browser import BROWSER_MARKS, DESKTOP, PHONE, Session, chromium, overflow
from pandu.programs.models import Activity, Participant

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture
def sessions(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    opened: list[Session] = []

    def start(username: str, viewport: dict = DESKTOP) -> Session:
        session = Session(browser, live_server.url, username, viewport)
        opened.append(session)
        return session

    yield start
    for session in opened:
        assert session.errors == [], session.errors
        session.close()


def test_coordinator_reads_targets_and_a_focal_point_works_only_its_own_activity(
    sessions, moncongloe, ipsi, stiks
):
    ipsi_activity = Activity.objects.get(implementer=ipsi)
    stiks_activity = Activity.objects.get(implementer=stiks)

    # The coordinator: Program → Program terpadu → Moncongloe.
    admin = sessions("admin_maros").page
    admin.get_by_role("button", name="Program").click()
    admin.get_by_role("link", name="Program terpadu").click()
    admin.get_by_role("link", name=re.compile("Moncongloe")).click()
    admin.wait_for_url(f"**/program/terpadu/{moncongloe.uid}/")
    table = admin.locator("table", has=admin.get_by_role("columnheader", name="Pelaksana"))
    for name in ("BBPPKS Makassar", "IPSI Makassar", "STIKS Tamalanrea", "PKP2A II LAN"):
        assert table.get_by_role("cell", name=name).count() == 1, name
    ipsi_row = table.get_by_role("row").filter(has_text="IPSI Makassar")
    assert "70 → 0 orang" in ipsi_row.inner_text()
    assert admin.get_by_text("sesudah kegiatan dimulai").count() >= 1  # the DIPA warning

    # IPSI's focal point on a phone: its own part only.
    nurul = sessions("partner", PHONE).page
    nurul.get_by_role("button", name="Menu", exact=True).click()
    nurul.get_by_role("button", name="Program").click()
    nurul.get_by_role("link", name="Program terpadu").click()
    nurul.get_by_role("link", name=re.compile("Moncongloe")).click()
    assert nurul.get_by_role("link", name=re.compile("kesetiakawanan sosial")).count() == 1
    assert nurul.get_by_text("STIKS Tamalanrea").count() == 0
    assert nurul.locator(f"a[href*='{stiks_activity.uid}']").count() == 0
    nurul.get_by_role("link", name=re.compile("kesetiakawanan sosial")).click()
    nurul.wait_for_url(f"**/program/kegiatan/{ipsi_activity.uid}/")
    assert overflow(nurul, PHONE["width"]) == ""

    nurul.fill("#id_name", "Hasnah Daeng Ngai")
    nurul.fill("#id_affiliation", "TP PKK Desa Moncongloe")
    nurul.select_option("#id_group", "pkk")
    nurul.get_by_role("button", name="Tambah peserta").click()
    row = nurul.get_by_role("row").filter(has_text="Hasnah Daeng Ngai")
    row.get_by_label("Kehadiran").select_option("hadir")
    with nurul.expect_response(re.compile(r"/kehadiran/$")):
        row.get_by_role("button", name="Simpan").click()
    participant = Participant.objects.get(activity=ipsi_activity, name="Hasnah Daeng Ngai")
    assert participant.attendance == "hadir"
    nurul.reload()
    assert nurul.locator("dd").filter(has_text=re.compile(r"^1$")).count() == 1  # present: 1

    # Another implementer's activity is not hers: its address is a "not found" page.
    response = nurul.goto(f"/program/kegiatan/{stiks_activity.uid}/")
    assert response.status == 404
    assert not Participant.objects.filter(activity=stiks_activity).exists()

    # The coordinator sees her participant counted under IPSI.
    admin.reload()
    activity_item = admin.get_by_role("listitem").filter(
        has=admin.get_by_role("link", name=re.compile("kesetiakawanan sosial"))
    )
    assert "1/1 hadir" in activity_item.inner_text()
