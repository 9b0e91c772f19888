"""The targeting-accuracy report: each finding with a family built for it (a deceased recipient,
a family that moved away, a duplicate pair, a KPM beyond its village's quota, a KPM the newest
committed run no longer selects, an eligible family that is not KPM, a KPM of an overlapping
programme), per area one level down, for a period; its lists, spreadsheets and API; the area
scope; and the overlapping programmes page."""

from __future__ import annotations

import io
from datetime import date, timedelta
from itertools import count

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pandu.conftest import BULU, LAPPARA, MANDAI_VILLAGE, make_nik
from pandu.core.models import AccessLog
from pandu.dedup.models import DuplicatePair
from pandu.programs import accuracy, actions
from pandu.programs.models import Enrolment, EnrolmentQuota, Programme, ProgrammeOverlap
from pandu.regions.models import Area
from pandu.registry import actions as registry
from pandu.targeting import actions as targeting

pytestmark = pytest.mark.django_db

MONCONGLOE = "73.09.13.2001"
TODAY = timezone.localdate()
DECREED = TODAY - timedelta(days=40)
START = TODAY - timedelta(days=60)
AT_LEAST_2 = {"field": "household_size", "op": "gte", "value": 2}
AT_LEAST_3 = {"field": "household_size", "op": "gte", "value": 3}
SERIAL = count(500)


def members(size: int, name: str) -> list[dict]:
    people = [
        ("L", 1, date(1979, 4, 2), name),
        ("P", 2, date(1983, 9, 14), f"Istri {name}"),
        ("L", 3, date(2012, 1, 20), f"Anak {name}"),
    ]
    return [
        {
            "nik": make_nik("73.09.13", born, sex, next(SERIAL)),
            "full_name": full_name,
            "sex": sex,
            "birth_date": born,
            "relationship": rel,
            "marital_status": 2 if rel < 3 else 1,
        }
        for sex, rel, born, full_name in people[:size]
    ]


def committed_run(user, programme, area, rule):
    ruleset = targeting.save_ruleset(user, name=f"aturan {programme.code} {rule}", rule=rule)
    run = targeting.start_run(
        user, ruleset=ruleset, area=area, programme=programme, background=False
    )
    return targeting.commit_run(user, run)


def enrol(personas, programme, households, *, on=DECREED):
    """The real path: the TKSK's visit, the Dinas's approval, the head's decree."""
    chosen = list(
        Enrolment.objects.filter(programme=programme, household__in=households, status="calon")
    )
    for e in chosen:
        actions.verify_candidate(personas["tksk_moncongloe"], e, result="ditemukan")
        actions.approve_by_dinas(personas["admin_maros"], e)
    actions.approve_by_head(
        personas["head"],
        list(Enrolment.objects.filter(pk__in=[e.pk for e in chosen])),
        area_code="73.09",
        number=f"SK-{programme.code}-{next(SERIAL)}",
        decreed_on=on,
    )


class World:
    """Moncongloe's KPM of PKH-UJI, one family per finding (and one with none)."""

    def __init__(self, personas, household_factory):
        admin = personas["admin_maros"]
        self.admin = admin
        self.pkh = Programme.objects.create(code="PKH-UJI", name="PKH uji", benefit_type="tunai")
        self.bpnt = Programme.objects.create(
            code="BPNT-UJI", name="BPNT uji", benefit_type="nontunai"
        )

        def family(village, name, size=3):
            return household_factory(village, members=members(size, name))

        self.ok = family(LAPPARA, "Baso")
        self.dead = family(LAPPARA, "Daeng Tompo")
        self.moved = family(LAPPARA, "Pindah")
        self.dup = family(BULU, "Ganda")
        self.overlap = family(BULU, "Tumpang")
        self.beyond = family(BULU, "Kuota")
        self.ineligible = family(MONCONGLOE, "Kecil", size=2)
        self.excluded = family(LAPPARA, "Terlewat")
        self.twin = household_factory(MANDAI_VILLAGE)  # the duplicate's other record

        run = committed_run(admin, self.pkh, "73.09.13", AT_LEAST_2)
        actions.create_candidates(admin, run)
        actions.set_quota(admin, self.pkh, Area.objects.get(code=BULU), 3)
        enrol(
            personas,
            self.pkh,
            [self.ok, self.dead, self.moved, self.dup, self.overlap, self.ineligible],
        )
        enrol(personas, self.pkh, [self.beyond], on=DECREED + timedelta(days=5))
        # The newest committed run: families of two no longer qualify.
        self.run = committed_run(admin, self.pkh, "73.09.13", AT_LEAST_3)
        # The same family in BPNT, which the Dinas says overlaps with PKH in Maros.
        other = committed_run(admin, self.bpnt, "73.09.13", AT_LEAST_2)
        actions.create_candidates(admin, other)
        enrol(personas, self.bpnt, [self.overlap])
        actions.set_overlap(admin, self.pkh, self.bpnt, Area.objects.get(code="73.09"), "Perbup")
        # What happened since: a death, a move, a duplicate found, a quota lowered.
        head = self.dead.members.get(relationship=1)
        registry.record_death(admin, head, on=TODAY - timedelta(days=10), reason="Akta kematian")
        registry.transfer_household(
            admin, self.moved, to_village=MANDAI_VILLAGE, reason="Pindah ke Mandai"
        )
        a = self.dup.members.get(relationship=2)
        b = self.twin.members.get(relationship=2)
        first, second = sorted((a, b), key=lambda p: p.pk)
        DuplicatePair.objects.create(
            person_a=first, person_b=second, probability=0.97, match_weight=9.5
        )
        EnrolmentQuota.objects.filter(programme=self.pkh, area_id=BULU).update(quota=2)

    def subject(self, area="73.09.13", start=START, end=TODAY, programme=None):
        return accuracy.Subject(programme or self.pkh, area, start, end)


@pytest.fixture
def world(personas, household_factory):
    return World(personas, household_factory)


def families(subject, key) -> set[int]:
    rows = accuracy.families_with(subject, key)
    if key == accuracy.EXCLUSION:
        return set(rows.values_list("pk", flat=True))
    return set(rows.values_list("household_id", flat=True))


# --- each finding -------------------------------------------------------------------------------


def test_each_finding_names_the_family_built_for_it(world):
    subject = world.subject()
    expected = {
        "meninggal": {world.dead.pk},
        "pindah": {world.moved.pk},
        "ganda": {world.dup.pk},
        "melebihi-kuota": {world.beyond.pk},
        "tidak-layak": {world.ineligible.pk},
        "tumpang-tindih": {world.overlap.pk},
        "layak-belum-kpm": {world.excluded.pk},
    }
    assert {f.key for f in accuracy.FIGURES} == set(expected)
    for key, households in expected.items():
        assert families(subject, key) == households, key


def test_the_report_counts_the_district_and_each_village(world):
    report = accuracy.compute(world.subject())
    total = report.total
    assert total.kpm == 7
    assert total.counts == {
        "meninggal": 1,
        "pindah": 1,
        "ganda": 1,
        "melebihi-kuota": 1,
        "tidak-layak": 1,
        "tumpang-tindih": 1,
        "layak-belum-kpm": 1,
    }
    assert total.flagged == 6  # every KPM but the one with no finding
    # The families of three in the newest run that still live in the district.
    assert total.eligible == 6
    rows = {row.code: row for row in report.rows}
    assert set(rows) == {"73.09.13.2001", BULU, LAPPARA}
    assert (rows[LAPPARA].kpm, rows[BULU].kpm, rows[MONCONGLOE].kpm) == (3, 3, 1)
    assert rows[LAPPARA].counts["meninggal"] == 1 and rows[LAPPARA].counts["pindah"] == 1
    assert rows[LAPPARA].counts["layak-belum-kpm"] == 1
    assert rows[BULU].counts["melebihi-kuota"] == 1 and rows[BULU].counts["ganda"] == 1
    assert rows[MONCONGLOE].counts["tidak-layak"] == 1 and rows[MONCONGLOE].flagged == 1
    assert [run.pk for run in report.runs] == [world.run.pk]
    assert [q.area_id for q in report.quotas] == [BULU]
    assert len(report.overlaps) == 1
    assert total.share("meninggal") == round(100 / 7, 1)


def test_a_move_inside_the_regency_is_a_move_of_its_district_only(world):
    report = accuracy.compute(world.subject("73.09"))
    assert report.total.counts["pindah"] == 0  # Mandai is in Maros too
    districts = {row.code: row for row in report.rows}
    assert districts["73.09.13"].counts["pindah"] == 1
    assert districts["73.09.13"].counts["meninggal"] == 1
    assert report.total.flagged == 5 and districts["73.09.13"].flagged == 6


def test_a_village_report_has_no_rows_below_it(world):
    report = accuracy.compute(world.subject(LAPPARA))
    assert report.rows == []
    assert report.total.kpm == 3 and report.total.counts["meninggal"] == 1


def test_a_death_after_the_period_is_not_counted(world):
    before = world.subject(end=TODAY - timedelta(days=20))
    assert families(before, "meninggal") == set()
    assert families(world.subject(), "meninggal") == {world.dead.pk}


def test_a_kpm_decreed_after_the_period_is_not_a_kpm_of_it(world):
    subject = world.subject(start=START, end=DECREED - timedelta(days=1))
    report = accuracy.compute(subject)
    assert report.total.kpm == 0
    # ... so every eligible family of the newest run counts as not enrolled.
    assert report.total.counts["layak-belum-kpm"] == 6


def test_a_family_whose_members_all_died_is_deceased(world, personas):
    for person in world.ok.members.filter(status="active"):
        registry.record_death(
            personas["admin_maros"], person, on=TODAY - timedelta(days=3), reason="Banjir"
        )
    assert families(world.subject(), "meninggal") == {world.dead.pk, world.ok.pk}
    reasons = _reasons(world.subject(), "meninggal")
    assert "Tidak ada lagi anggota keluarga yang aktif" in reasons[world.ok.pk]
    assert reasons[world.dead.pk].startswith("Penerima Daeng Tompo meninggal")


def test_a_kpm_that_left_the_programme_in_the_period_is_still_counted(world, personas):
    enrolment = Enrolment.objects.get(programme=world.pkh, household=world.dead)
    actions.change_enrolment_status(
        personas["admin_maros"], enrolment, status="keluar", on=TODAY - timedelta(days=5),
        reason="Penerima meninggal",
    )  # fmt: skip
    assert families(world.subject(), "meninggal") == {world.dead.pk}
    later = world.subject(start=TODAY - timedelta(days=2))
    assert families(later, "meninggal") == set()


def test_an_overlap_pair_holds_only_in_its_area(world):
    ProgrammeOverlap.objects.update(area_id=MANDAI_VILLAGE[:8])
    assert families(world.subject(), "tumpang-tindih") == set()


def test_without_a_committed_run_there_is_no_inclusion_or_exclusion_error(world):
    fresh = Programme.objects.create(code="BARU", name="Program baru", benefit_type="tunai")
    report = accuracy.compute(world.subject(programme=fresh))
    assert report.runs == [] and report.total.kpm == 0
    assert report.total.counts["tidak-layak"] == 0 and report.total.counts["layak-belum-kpm"] == 0


def test_each_programme_reads_its_own_runs_and_kpm(world):
    report = accuracy.compute(world.subject(programme=world.bpnt))
    assert report.total.kpm == 1 and report.total.counts["tumpang-tindih"] == 1
    # BPNT's run selected every family of two or more: all but its KPM and the one that moved.
    assert report.total.counts["layak-belum-kpm"] == 6


def test_a_cycle_list_of_families_takes_the_place_of_the_period(world):
    only = Enrolment.objects.filter(household__in=[world.dead, world.ok]).values("household_id")
    subject = accuracy.Subject(world.pkh, "73.09.13", START, TODAY, households=only)
    report = accuracy.compute(subject)
    assert report.total.kpm == 2 and report.total.counts["meninggal"] == 1
    assert report.total.counts["layak-belum-kpm"] == 4  # the other eligible families


# --- reasons ------------------------------------------------------------------------------------


def _reasons(subject, key) -> dict[int, str]:
    rows = list(accuracy.ordered(subject, key))
    return {line.household_id: line.reason for line in accuracy.lines(subject, key, rows)}


def test_every_family_of_a_finding_comes_with_its_reason(world):
    subject = world.subject()
    assert "Kini tinggal di Hasanuddin" in _reasons(subject, "pindah")[world.moved.pk]
    assert "mungkin sama dengan Siti Aminah" in _reasons(subject, "ganda")[world.dup.pk]
    quota = _reasons(subject, "melebihi-kuota")[world.beyond.pk]
    assert "Urutan ke-3 di Moncongloe Bulu yang kuotanya 2" in quota
    inclusion = _reasons(subject, "tidak-layak")[world.ineligible.pk]
    assert inclusion.startswith("Tidak layak menurut penetapan")
    assert "≥ 3" in inclusion
    assert "Juga KPM BPNT-UJI" in _reasons(subject, "tumpang-tindih")[world.overlap.pk]
    excluded = _reasons(subject, "layak-belum-kpm")[world.excluded.pk]
    assert excluded.startswith("Layak menurut penetapan") and "masih calon" in excluded
    lines = accuracy.lines(subject, "meninggal", list(accuracy.ordered(subject, "meninggal")))
    assert lines[0].kk_number == world.dead.kk_number
    assert lines[0].head == "Daeng Tompo" and lines[0].village_name == "Moncongloe Lappara"


# --- pages, spreadsheets, API -------------------------------------------------------------------


def _query(area="73.09.13", **extra) -> str:
    params = {"programme": "PKH-UJI", "area": area, "start": START.isoformat()}
    params["end"] = TODAY.isoformat()
    params.update(extra)
    return "&".join(f"{k}={v}" for k, v in params.items() if v != "")


def client_of(personas, who) -> Client:
    client = Client()
    client.force_login(personas[who])
    return client


def test_head_reads_the_report_and_opens_a_finding(world, personas):
    client = client_of(personas, "head")
    page = client.get(f"{reverse('programs:accuracy_report')}?{_query()}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="kpm">7<' in html and 'data-figure="flagged">6<' in html
    assert 'data-count="meninggal">1<' in html
    assert f'data-area="{BULU}"' in html
    listing = client.get(f"{reverse('programs:accuracy_figure', args=['meninggal'])}?{_query()}")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert world.dead.kk_number in body and "Penerima Daeng Tompo meninggal" in body
    assert world.ok.kk_number not in body


def test_the_report_page_without_a_programme_asks_for_one(world, personas):
    page = client_of(personas, "auditor").get(reverse("programs:accuracy_report"))
    assert page.status_code == 200 and "Pilih program" in page.content.decode()
    bad = client_of(personas, "auditor").get(
        f"{reverse('programs:accuracy_report')}?{_query(start='2026-13-01')}"
    )
    assert bad.status_code == 200 and "data-figure" not in bad.content.decode()
    reversed_period = client_of(personas, "auditor").get(
        f"{reverse('programs:accuracy_report')}?{_query(start=TODAY.isoformat(), end=START)}"
    )
    assert "sebelum tanggal awalnya" in reversed_period.content.decode()


def test_a_finding_list_reads_a_bounded_number_of_queries(
    world, personas, django_assert_max_num_queries
):
    client = client_of(personas, "admin_maros")
    client.get(reverse("programs:accuracy_report"))  # the session and the menu, once
    url = f"{reverse('programs:accuracy_figure', args=['pindah'])}?{_query('73.09')}"
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_an_area_outside_the_users_scope_is_a_404(world, personas):
    for who, area in (("admin_makassar", "73.09"), ("operator_lappara", "73.09.13")):
        url = f"{reverse('programs:accuracy_report')}?{_query(area)}"
        assert client_of(personas, who).get(url).status_code == 404, who
        assert AccessLog.objects.filter(user=personas[who], kind="denied").exists()
        api = f"{reverse('programs-api:accuracy')}?{_query(area)}"
        assert client_of(personas, who).get(api).status_code == 404, who


def test_a_village_operator_reads_their_own_village_by_default(world, personas):
    client = client_of(personas, "operator_lappara")
    page = client.get(f"{reverse('programs:accuracy_report')}?programme=PKH-UJI")
    assert page.status_code == 200
    assert 'data-figure="kpm">3<' in page.content.decode()
    response = client.get(f"{reverse('programs-api:accuracy')}?programme=PKH-UJI")
    assert response.json()["kpm"] == 3 and response.json()["code"] == LAPPARA


def test_a_role_without_kpm_reading_is_refused(world, personas):
    url = f"{reverse('programs:accuracy_report')}?{_query()}"
    assert client_of(personas, "partner").get(url).status_code == 404


def test_the_workbook_has_a_summary_and_a_sheet_per_finding(world, personas):
    from openpyxl import load_workbook

    client = client_of(personas, "head")
    response = client.get(f"{reverse('programs:accuracy_xlsx')}?{_query()}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Ringkasan", "Meninggal", "Pindah", "Data ganda", "Melebihi kuota",
        "Tidak layak lagi", "Tumpang tindih", "Layak belum KPM",
    ]  # fmt: skip
    summary = [[c for c in row if c is not None] for row in book["Ringkasan"].values]
    assert ["KPM pada periode", 7] in summary
    assert ["Meninggal", 1, round(100 / 7, 1), str(accuracy.BY_KEY["meninggal"].definition)] in (
        summary
    )
    assert any(row[:2] == ["Moncongloe Bulu", BULU] for row in summary)
    dead = list(book["Meninggal"].values)
    assert dead[0][:3] == ("No.", "Nomor KK", "Kepala keluarga")
    assert dead[1][1] == world.dead.kk_number and "meninggal" in dead[1][7]
    assert len(dead) == 2
    excluded = list(book["Layak belum KPM"].values)
    assert excluded[1][1] == world.excluded.kk_number
    assert AccessLog.objects.filter(user=personas["head"], kind="export").exists()


def test_one_finding_downloads_alone(world, personas):
    from openpyxl import load_workbook

    client = client_of(personas, "auditor")
    url = f"{reverse('programs:accuracy_figure_xlsx', args=['melebihi-kuota'])}?{_query()}"
    response = client.get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Keterangan", "Melebihi kuota"]
    assert ("Jumlah", 1) in [row[:2] for row in book["Keterangan"].values]
    rows = list(book["Melebihi kuota"].values)
    assert rows[1][1] == world.beyond.kk_number and "kuotanya 2" in rows[1][7]


def test_a_download_with_bad_input_goes_back_to_the_report(world, personas):
    client = client_of(personas, "auditor")
    response = client.get(f"{reverse('programs:accuracy_xlsx')}?programme=TIDAK-ADA")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("programs:accuracy_report"))


def test_an_unknown_finding_is_a_404(world, personas):
    url = f"{reverse('programs:accuracy_figure', args=['entah'])}?{_query()}"
    assert client_of(personas, "head").get(url).status_code == 404


def test_the_api_gives_the_report_and_the_families_of_a_finding(world, personas):
    client = client_of(personas, "auditor")
    body = client.get(f"{reverse('programs-api:accuracy')}?{_query()}").json()
    assert body["kpm"] == 7 and body["flagged"] == 6 and body["programme"] == "PKH-UJI"
    assert {f["key"]: f["count"] for f in body["findings"]}["ganda"] == 1
    assert {a["code"] for a in body["areas"]} == {MONCONGLOE, BULU, LAPPARA}
    url = reverse("programs-api:accuracy-families", args=["ganda"])
    listed = client.get(f"{url}?{_query()}").json()
    assert [r["kk_number"] for r in listed["results"]] == [world.dup.kk_number]
    assert listed["results"][0]["household"] == str(world.dup.uid)
    assert "mungkin sama dengan" in listed["results"][0]["reason"]
    bad = client.get(f"{reverse('programs-api:accuracy')}?programme=&area=73.09.13")
    assert bad.status_code == 400 and "programme" in bad.json()


# --- overlapping programmes ---------------------------------------------------------------------


def test_the_administrator_sets_and_ends_an_overlap_pair(world, personas):
    client = client_of(personas, "admin_maros")
    ProgrammeOverlap.objects.all().delete()
    response = client.post(
        reverse("programs:overlap_list"),
        {"programme": "BPNT-UJI", "other": "PKH-UJI", "area": "", "note": "Perbup 12/2026"},
    )
    assert response.status_code == 302
    pair = ProgrammeOverlap.objects.get()
    assert (pair.programme, pair.other, pair.area_id) == (world.pkh, world.bpnt, "73.09")
    assert pair.history.first().history_user == personas["admin_maros"]
    assert families(world.subject(), "tumpang-tindih") == {world.overlap.pk}
    client.post(reverse("programs:overlap_end", args=[pair.uid]), {"reason": "Dicabut"})
    pair.refresh_from_db()
    assert not pair.active and pair.ended_on == TODAY
    assert families(world.subject(), "tumpang-tindih") == set()


def test_an_overlap_pair_outside_the_area_or_of_one_programme_is_refused(world, personas):
    admin = personas["admin_maros"]
    with pytest.raises(PermissionDenied):
        actions.set_overlap(admin, world.pkh, world.bpnt, Area.objects.get(code="73.71"))
    with pytest.raises(PermissionDenied):
        actions.set_overlap(admin, world.pkh, world.bpnt, None)  # everywhere: national only
    with pytest.raises(PermissionDenied):
        actions.set_overlap(personas["head"], world.pkh, world.bpnt, Area.objects.get(code="73.09"))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.set_overlap(admin, world.pkh, world.pkh, Area.objects.get(code="73.09"))
    assert ProgrammeOverlap.objects.count() == 1


def test_only_the_administrator_changes_overlap_pairs(world, personas):
    pair = ProgrammeOverlap.objects.get()
    page = client_of(personas, "operator_lappara").get(reverse("programs:overlap_list"))
    assert page.status_code == 200 and "BPNT-UJI" in page.content.decode()
    refused = client_of(personas, "operator_lappara").post(
        reverse("programs:overlap_list"), {"programme": "PKH-UJI", "other": "BPNT-UJI"}
    )
    assert refused.status_code == 404
    maker = client_of(personas, "admin_makassar")
    response = maker.post(reverse("programs:overlap_end", args=[pair.uid]), {"reason": "x"})
    assert response.status_code == 404
    pair.refresh_from_db()
    assert pair.active and ProgrammeOverlap.objects.count() == 1


# --- a payment cycle --------------------------------------------------------------------------


@pytest.fixture
def cycle(world):
    from pandu.payments.models import Cycle, Entitlement

    made = Cycle.objects.create(
        programme=world.pkh,
        name="PKH tahap uji",
        area=Area.objects.get(code="73.09"),
        period_start=START,
        period_end=TODAY,
    )
    for household in (world.dead, world.ok, world.ineligible):
        enrolment = Enrolment.objects.get(programme=world.pkh, household=household)
        Entitlement.objects.create(
            cycle=made,
            household=household,
            enrolment=enrolment,
            recipient=enrolment.recipient,
            area_code=household.village_id,
            channel="bank",
            amount=750_000,
        )
    return made


def test_a_cycle_gives_its_programme_area_period_and_families(world, personas, cycle):
    client = client_of(personas, "head")
    page = client.get(f"{reverse('programs:accuracy_report')}?cycle={cycle.uid}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="kpm">3<' in html and 'data-count="tidak-layak">1<' in html
    assert 'data-area="73.09.13"' in html  # the cycle's regency, by district
    body = client.get(f"{reverse('programs-api:accuracy')}?cycle={cycle.uid}").json()
    assert (body["code"], body["kpm"], body["programme"]) == ("73.09", 3, "PKH-UJI")
    assert body["start"] == START.isoformat() and body["end"] == TODAY.isoformat()
    # A TKSK reads the cycle's families of their own district.
    tksk = client_of(personas, "tksk_moncongloe")
    body = tksk.get(f"{reverse('programs-api:accuracy')}?cycle={cycle.uid}").json()
    assert body["code"] == "73.09.13" and body["kpm"] == 3


def test_a_cycle_the_user_may_not_see_is_a_404(world, personas, cycle):
    url = f"{reverse('programs:accuracy_report')}?cycle={cycle.uid}"
    assert client_of(personas, "front_office").get(url).status_code == 404
    assert client_of(personas, "admin_makassar").get(url).status_code == 404
    made_up = f"{reverse('programs:accuracy_report')}?cycle=bukan-uuid"
    assert client_of(personas, "head").get(made_up).status_code == 404


def test_a_long_workbook_is_written_in_the_background(
    world, personas, monkeypatch, settings, tmp_path
):
    from openpyxl import load_workbook

    from pandu.core import jobs
    from pandu.core.models import Job
    from pandu.programs.views import accuracy as pages

    monkeypatch.setattr(pages, "DIRECT_ROWS", 3)
    settings.VAR_DIR = tmp_path
    client = client_of(personas, "head")
    response = client.get(f"{reverse('programs:accuracy_xlsx')}?{_query()}")
    job = Job.objects.get(kind="programs.accuracy_workbook")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.uid])
    assert job.created_by == personas["head"] and job.area_code == "73.09.13"
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    download = client.get(reverse("core:job_result", args=[job.uid]))
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames[:2] == ["Ringkasan", "Meninggal"]
    assert (
        client_of(personas, "auditor").get(reverse("core:job_result", args=[job.uid])).status_code
        == 404
    )  # another reader's file
    # One finding of one family stays a direct download.
    url = f"{reverse('programs:accuracy_figure_xlsx', args=['ganda'])}?{_query()}"
    assert client.get(url).status_code == 200
