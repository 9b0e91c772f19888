"""Importing people from a file: upsert by NIK, household rules, conflicts, history and counts."""

from __future__ import annotations

import gc
from collections import Counter
from datetime import date

import pytest

from pandu.conftest import BULU, LAPPARA, MAKASSAR_VILLAGE, make_nik
from pandu.exchange.importer import Importer, collect_if_grown, collector_paused
from pandu.exchange.importer import writer as importer_writer
from pandu.exchange.models import ImportBatch, ImportChange
from pandu.exchange.queries import import_history_for
from pandu.exchange.writer import SqlWriter
from pandu.registry import actions as actions_registry
from pandu.registry.existence import elsewhere_message
from pandu.registry.history import history_entries
from pandu.registry.models import Household, Membership, Person

from .conftest import MONCONGLOE, family, import_file, person, report_rows, write_csv

pytestmark = pytest.mark.django_db


def _invariant(batch: ImportBatch) -> None:
    assert batch.accepted + batch.rejected + batch.skipped_empty == batch.rows_read
    assert batch.created + batch.updated + batch.unchanged == batch.accepted


def test_valid_file_creates_families_people_memberships_and_one_import_batch(personas, tmp_path):
    admin = personas["admin_maros"]
    rows = family(1, 10) + family(2, 20, size=2) + family(3, 30, village=BULU, size=4)
    batch = import_file(admin, write_csv(tmp_path / "data.csv", rows))

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert (batch.rows_read, batch.created, batch.rejected) == (9, 9, 0)
    assert (batch.households_created, batch.households_updated) == (3, 0)
    _invariant(batch)
    assert Household.objects.count() == 3 and Person.objects.count() == 9
    assert Membership.objects.filter(ended__isnull=True).count() == 9
    head = Person.objects.get(nik=rows[0]["nik"])
    assert head.household.kk_number == rows[0]["kk_number"]
    assert head.area_code == LAPPARA and head.relationship == 1
    assert head.name_key == "muhamad rahman 10"
    assert head.birth_date == date(1980, 5, 17)
    # The history is one import batch: no simple-history row per record.
    assert head.history.count() == 0
    # Creations are logged as runs of consecutive keys: every created record is covered once.
    covered = Counter()
    for change in ImportChange.objects.filter(batch=batch, action="created"):
        for key in range(change.object_id, change.last_object_id + 1):
            covered[(change.model, key)] += 1
    expected = {("person", pk) for pk in Person.objects.values_list("pk", flat=True)} | {
        ("household", pk) for pk in Household.objects.values_list("pk", flat=True)
    }
    assert set(covered) == expected and set(covered.values()) == {1}
    for someone in Person.objects.all():
        (entry,) = import_history_for(someone)
        assert entry["import_batch"] == str(batch.uid)
    entry = import_history_for(head)[0]
    assert entry["user"] == "admin_maros"
    assert entry["reason"] == (
        f"Diimpor dalam batch {batch.short_id} oleh admin_maros dari berkas data.csv"
    )
    assert "berhasil" not in batch.message and "Diterima + ditolak + kosong = dibaca" in (
        batch.message
    )


def test_importing_the_same_file_again_changes_nothing_and_says_so(personas, tmp_path):
    admin = personas["admin_maros"]
    path = write_csv(tmp_path / "data.csv", family(1, 10) + family(2, 20))
    import_file(admin, path)
    before = list(Person.objects.order_by("id").values())
    again = import_file(admin, path)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 6, 0)
    assert (again.households_created, again.households_updated) == (0, 0)
    assert "0 baru, 0 diubah, 6 tidak berubah" in again.message
    assert list(Person.objects.order_by("id").values()) == before
    assert not ImportChange.objects.filter(batch=again).exists()


def test_the_import_leaves_the_cycle_collector_as_it_found_it(personas, tmp_path):
    """The collector is paused while batches are written (see ``collector_paused``) and must be
    back on, with nothing left frozen, when the import ends, also when it ends in an error."""
    admin = personas["admin_maros"]
    path = write_csv(tmp_path / "data.csv", family(1, 10) + family(2, 20))
    assert gc.isenabled()
    batch = import_file(admin, path)
    assert batch.created == 6
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("stopped half-way")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_cycles_made_while_the_collector_is_paused_are_collected_once_they_pile_up(monkeypatch):
    monkeypatch.setattr(importer_writer, "COLLECT_AFTER_OBJECTS", 5_000)
    freed = []

    class Node:
        def __init__(self):
            self.me = self  # a cycle: reference counting alone never frees it

        def __del__(self):
            freed.append(1)

    with collector_paused():
        assert not collect_if_grown()  # nothing piled up yet
        for _ in range(100):
            Node()
        assert not collect_if_grown() and not freed  # 100 cycles: below the limit, kept
        for _ in range(6_000):
            Node()
        assert collect_if_grown()
        assert len(freed) == 6_100
    assert not collect_if_grown()  # the collector is on again: it runs by itself


def test_changed_row_updates_the_person_and_records_before_and_after(personas, tmp_path):
    admin = personas["admin_maros"]
    rows = family(1, 10)
    import_file(admin, write_csv(tmp_path / "a.csv", rows))
    rows[1]["full_name"] = "Sitti Aminah Daeng Baji"
    rows[1]["education"] = "5"
    rows[0]["rt"] = rows[1]["rt"] = rows[2]["rt"] = "7"
    batch = import_file(admin, write_csv(tmp_path / "b.csv", rows))
    assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 2)
    assert batch.households_updated == 1
    wife = Person.objects.get(nik=rows[1]["nik"])
    assert wife.full_name == "Sitti Aminah Daeng Baji" and wife.education == 5
    assert wife.name_key.startswith("siti aminah")
    assert wife.household.rt == 7
    change = ImportChange.objects.get(batch=batch, model="person")
    assert change.before == {"full_name": "Siti Aminah 11", "education": 3}
    assert change.after == {"full_name": "Sitti Aminah Daeng Baji", "education": 5}
    history = history_entries(wife)
    assert history[0]["type"] == "Diubah lewat impor"
    assert {"field": "pendidikan tertinggi", "old": "SMA/SMK/MA/sederajat", "new": "S1/D4"} in (
        history[0]["changes"]
    )
    assert history[1]["type"] == "Dibuat lewat impor"
    household_change = ImportChange.objects.get(batch=batch, model="household")
    assert household_change.before == {"rt": 2} and household_change.after == {"rt": 7}


def test_same_nik_twice_in_the_file_rejects_both_rows(personas, tmp_path):
    rows = family(1, 10) + family(2, 20)
    rows[4]["nik"] = rows[1]["nik"]  # the second family's wife has the first wife's NIK
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "d.csv", rows))
    assert batch.rejected == 2 and batch.created == 4
    _invariant(batch)
    report = report_rows(batch)
    assert {r["baris"] for r in report} == {"3", "6"}
    assert all("muncul lebih dari sekali" in r["alasan"] for r in report)
    assert all("(baris 3, 6)" in r["alasan"] for r in report)
    assert not Person.objects.filter(nik=rows[1]["nik"]).exists()


def test_same_kk_with_another_rt_is_a_conflict_for_every_row_of_the_family(personas, tmp_path):
    rows = family(1, 10) + family(2, 20)
    rows[2]["rt"] = "9"
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "k.csv", rows))
    assert batch.rejected == 3 and batch.created == 3
    assert not Household.objects.filter(kk_number=rows[0]["kk_number"]).exists()
    reasons = {r["baris"]: r["alasan"] for r in report_rows(batch)}
    assert set(reasons) == {"2", "3", "4"}
    assert "desa/RT/RW berbeda di baris 2, 4" in reasons["2"]


def test_two_heads_on_one_kk_reject_the_family(personas, tmp_path):
    rows = family(1, 10)
    rows[2]["relationship"] = "Kepala Keluarga"
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "h.csv", rows))
    assert batch.rejected == 3 and Household.objects.count() == 0
    assert "lebih dari satu kepala keluarga" in report_rows(batch)[0]["alasan"]


def test_new_family_without_an_accepted_head_is_not_created(personas, tmp_path):
    rows = family(1, 10)
    rows[0]["birth_date"] = "31-02-1980"  # the head's row is wrong
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "n.csv", rows))
    assert batch.rejected == 3 and Household.objects.count() == 0
    reasons = {r["baris"]: r["alasan"] for r in report_rows(batch)}
    assert "tidak ada di kalender" in reasons["2"]
    assert "baris kepala keluarganya (baris 2) ditolak" in reasons["3"]


def test_a_second_head_next_to_the_registrys_head_is_rejected(personas, tmp_path):
    admin = personas["admin_maros"]
    rows = family(1, 10)
    import_file(admin, write_csv(tmp_path / "a.csv", rows))
    newcomer = person(99, kk_serial=1, name="Baso Daeng", born=date(1970, 1, 1))
    batch = import_file(admin, write_csv(tmp_path / "b.csv", [newcomer]))
    assert batch.rejected == 1
    assert "sudah memiliki kepala keluarga lain" in report_rows(batch)[0]["alasan"]
    # Handing over in the same file is fine: the old head becomes a parent.
    rows[0]["relationship"] = "6"
    batch = import_file(admin, write_csv(tmp_path / "c.csv", [rows[0], newcomer]))
    assert (batch.created, batch.updated, batch.rejected) == (1, 1, 0)
    household = Household.objects.get()
    assert household.head().nik == newcomer["nik"]


def test_operator_imports_only_her_own_village(personas, tmp_path):
    rows = family(1, 10) + family(2, 20, village=BULU)
    batch = import_file(personas["operator_lappara"], write_csv(tmp_path / "o.csv", rows))
    assert (batch.created, batch.rejected) == (3, 3)
    assert set(Person.objects.values_list("area_code", flat=True)) == {LAPPARA}
    reasons = report_rows(batch)
    assert all("di luar wilayah kerja Anda (73.09.13.2003)" in r["alasan"] for r in reasons)
    assert {r["kolom"] for r in reasons} == {"village_code (I)"}


def test_person_registered_outside_the_importers_area_is_not_moved(personas, tmp_path):
    admin = personas["admin_maros"]
    import_file(admin, write_csv(tmp_path / "a.csv", family(1, 10, village=BULU)))
    moving = person(10, kk_serial=5, village=LAPPARA)
    moving["nik"] = make_nik(MONCONGLOE, date(1980, 5, 17), "L", 10)  # same NIK as Bulu's head
    batch = import_file(personas["operator_lappara"], write_csv(tmp_path / "b.csv", [moving]))
    assert batch.rejected == 1
    assert report_rows(batch)[0]["alasan"] == elsewhere_message()  # not where it is
    assert Person.objects.get(nik=moving["nik"]).area_code == BULU


def test_words_any_case_and_the_usual_date_spellings_are_accepted(personas, tmp_path):
    rows = family(1, 10, size=4)
    rows[0].update(relationship="Kepala Keluarga", sex="l", birth_date="17/05/1980")
    rows[1].update(relationship="ISTRI", sex="p", birth_date="1984-08-02")
    rows[2].update(relationship="anak", birth_date="40180")  # Excel serial of 02-01-2010
    rows[3].update(relationship="Anak", marital_status="Belum Kawin", birth_date="3-1-2010")
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "w.csv", rows))
    assert (batch.created, batch.rejected) == (4, 0), report_rows(batch)
    people = {p.nik: p for p in Person.objects.all()}
    assert people[rows[1]["nik"]].relationship == 2 and people[rows[1]["nik"]].sex == "P"
    assert people[rows[2]["nik"]].birth_date == date(2010, 1, 2)
    assert people[rows[3]["nik"]].marital_status == 1


def test_ppks_go_to_the_person_or_to_the_family_and_sensitive_ones_need_to_know(personas, tmp_path):
    rows = family(1, 10)
    rows[0]["ppks"] = "9;24"  # disability (person) and fakir miskin (household)
    rows[1]["ppks"] = "16"  # HIV/AIDS: sensitive
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "p.csv", rows))
    assert batch.ppks_created == 3 and batch.rejected == 0
    head = Person.objects.get(nik=rows[0]["nik"])
    assert list(head.ppks.values_list("category__number", "source")) == [(9, "import")]
    assert list(head.household.ppks.values_list("category__number", flat=True)) == [24]

    rows = family(2, 20)
    rows[1]["ppks"] = "16"
    batch = import_file(personas["operator_lappara"], write_csv(tmp_path / "q.csv", rows))
    assert (batch.rejected, batch.created) == (1, 2)  # only the wife's row
    assert "data sensitif" in report_rows(batch)[0]["alasan"]


def test_ppks_age_rule_is_checked(personas, tmp_path):
    rows = family(1, 10)
    rows[0]["ppks"] = "8"  # Lanjut Usia Terlantar, but the head is 46
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "p.csv", rows))
    assert batch.rejected == 3
    assert "usia ≥60 tahun" in report_rows(batch)[0]["alasan"]


def test_person_moves_to_the_family_named_in_the_file(personas, tmp_path):
    admin = personas["admin_maros"]
    rows = family(1, 10) + family(2, 20)
    import_file(admin, write_csv(tmp_path / "a.csv", rows))
    child = dict(rows[2])
    child["kk_number"] = rows[3]["kk_number"]
    batch = import_file(admin, write_csv(tmp_path / "b.csv", [child]))
    assert batch.updated == 1
    moved = Person.objects.get(nik=child["nik"])
    assert moved.household.kk_number == rows[3]["kk_number"]
    ended = list(moved.memberships.order_by("id").values_list("ended", flat=True))
    assert len(ended) == 2 and ended[0] is not None and ended[1] is None


def test_admin_of_another_city_cannot_import_into_maros(personas, tmp_path):
    batch = import_file(personas["admin_makassar"], write_csv(tmp_path / "m.csv", family(1, 10)))
    assert batch.rejected == 3 and Person.objects.count() == 0
    rows = family(1, 10, village=MAKASSAR_VILLAGE)
    batch = import_file(personas["admin_makassar"], write_csv(tmp_path / "n.csv", rows))
    assert batch.created == 3


def test_a_family_split_over_the_file_is_still_written_whole(personas, tmp_path):
    rows = family(1, 10) + family(2, 20)
    rows = [rows[0], rows[3], rows[1], rows[4], rows[2], rows[5]]  # interleaved
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "s.csv", rows), batch_rows=1)
    assert batch.created == 6 and batch.batches_committed == 1
    rows = family(3, 30) + family(4, 40) + family(5, 50)
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "t.csv", rows), batch_rows=2)
    assert batch.created == 9 and batch.batches_committed == 3


def test_created_records_are_logged_as_runs_of_consecutive_keys():
    from pandu.exchange.importer import _created_runs

    runs = _created_runs(7, "person", [5, 6, 7, 9, 12, 13])
    assert [(r[2], r[3]) for r in runs] == [(5, 7), (9, 9), (12, 13)]
    assert {r[0] for r in runs} == {7} and {r[4] for r in runs} == {"created"}
    assert _created_runs(7, "person", []) == []


def test_people_an_import_creates_are_checked_for_duplicates(personas, tmp_path):
    from pandu.dedup.models import DuplicatePair

    admin = personas["admin_maros"]
    rows = [
        person(10, kk_serial=1, name="Andi Baso", born=date(1975, 3, 2)),
        person(11, kk_serial=1, rel=2, sex="P", name="Sitti Hadijah", born=date(1983, 2, 11)),
        person(20, kk_serial=2, name="Syamsuddin", born=date(1969, 7, 21)),
        person(21, kk_serial=2, rel=2, sex="P", name="Nur Aisyah", born=date(1990, 10, 5)),
        person(30, kk_serial=3, name="Abdul Karim", born=date(1958, 12, 30)),
        # The same woman again, on another family card, with another spelling and NIK serial.
        person(31, kk_serial=3, rel=8, sex="P", name="Siti Hadijah", born=date(1983, 2, 11)),
    ]
    batch = import_file(admin, write_csv(tmp_path / "data.csv", rows))
    assert batch.status == ImportBatch.Status.SUCCEEDED and batch.created == len(rows)
    original = Person.objects.get(nik=rows[1]["nik"])
    again = Person.objects.get(nik=rows[5]["nik"])
    pair = DuplicatePair.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {original.pk, again.pk}
    assert pair.source == "import" and pair.probability >= 0.8 and pair.status == "open"
    assert "1 pasangan mungkin data ganda" in batch.message

    # Importing the same file again creates nobody and finds nothing new.
    again_batch = import_file(admin, write_csv(tmp_path / "data2.csv", rows))
    assert again_batch.created == 0 and DuplicatePair.objects.count() == 1


def test_a_large_import_queues_a_registry_search_for_duplicates(personas, tmp_path, monkeypatch):
    from pandu.core.models import Job
    from pandu.exchange import duplicates

    monkeypatch.setattr(duplicates, "ONLINE_LIMIT", 2)
    batch = import_file(personas["admin_maros"], write_csv(tmp_path / "d.csv", family(1, 10)))
    assert batch.status == ImportBatch.Status.SUCCEEDED and batch.created == 3
    job = Job.objects.get(kind="dedup.find")
    assert job.params["area"] == personas["admin_maros"].scope_code
    assert "Pencarian data ganda untuk 3 penduduk baru" in batch.message


def _count_lookups(monkeypatch) -> Counter:
    """How often the importer looks people and households up by NIK and KK."""
    seen: Counter = Counter()
    real = SqlWriter.select_in

    def counting(self, sql, column, keys, extra=()):
        seen[column] += 1
        return real(self, sql, column, keys, extra)

    monkeypatch.setattr(SqlWriter, "select_in", counting)
    return seen


def test_an_import_into_an_empty_registry_looks_nothing_up(personas, tmp_path, monkeypatch):
    admin = personas["admin_maros"]
    rows = family(1, 10) + family(2, 20) + family(3, 30)
    seen = _count_lookups(monkeypatch)
    batch = import_file(admin, write_csv(tmp_path / "a.csv", rows), batch_rows=3)
    assert (batch.created, batch.households_created, batch.batches_committed) == (9, 3, 3)
    assert seen["nik"] == 0 and seen["kk_number"] == 0
    # Once the registry holds people, every batch looks its keys up (and finds them).
    again = import_file(admin, write_csv(tmp_path / "b.csv", rows), batch_rows=3)
    assert (again.created, again.unchanged) == (0, 9)
    assert seen["nik"] == 3 and seen["kk_number"] == 3


def test_a_family_registered_while_an_import_into_an_empty_registry_runs_is_updated(
    personas, tmp_path, monkeypatch
):
    """The import skipped the look-ups; the unique NIK stops the batch, which is planned again."""
    admin = personas["admin_maros"]
    rows = family(1, 10) + family(2, 20) + family(3, 30)
    rows[4]["birth_date"] = "31-02-1984"  # rejected: in the report once, not twice
    real = Importer._commit_once
    calls = {"n": 0}

    def register_before_second_batch(self, items, facts):
        calls["n"] += 1
        if calls["n"] == 2:
            actions_registry.register_household(
                personas["operator_lappara"],
                household={"kk_number": rows[3]["kk_number"], "village": LAPPARA, "rt": 2, "rw": 1},
                members=[
                    {
                        "nik": rows[3]["nik"],
                        "full_name": "Nama Lain Di Aplikasi",
                        "sex": "L",
                        "birth_place": "Maros",
                        "birth_date": date(1980, 5, 17),
                        "relationship": 1,
                        "marital_status": 2,
                    }
                ],
            )
        return real(self, items, facts)

    monkeypatch.setattr(Importer, "_commit_once", register_before_second_batch)
    batch = import_file(admin, write_csv(tmp_path / "a.csv", rows), batch_rows=3)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert (batch.created, batch.updated, batch.rejected) == (7, 1, 1)
    _invariant(batch)
    head = Person.objects.get(nik=rows[3]["nik"])
    assert head.full_name == rows[3]["full_name"]  # the file's name replaced the other one
    assert Person.objects.filter(nik=rows[3]["nik"]).count() == 1
    assert Household.objects.filter(kk_number=rows[3]["kk_number"]).count() == 1
    assert [r["baris"] for r in report_rows(batch)] == ["6"]
