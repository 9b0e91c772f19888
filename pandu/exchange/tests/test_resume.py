"""Cancel, crash and resume: the registry holds whole committed batches only, and an import goes
on after the last committed row."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pandu.core import jobs
from pandu.core.models import Job
from pandu.exchange import actions
from pandu.exchange.importer import Importer
from pandu.exchange.models import ImportBatch, ImportChange
from pandu.exchange.rows import RowRecord, birth_date_text, pack_chunk, unpack_chunk
from pandu.exchange.writer import SqlWriter
from pandu.registry.models import Household, Membership, Person

from .conftest import family, import_file, report_rows, write_csv

pytestmark = pytest.mark.django_db


def _file(tmp_path, families: int = 4):
    rows = []
    for i in range(families):
        rows += family(200 + i, 2000 + 10 * i)
    rows[-1]["birth_date"] = "99-99-1999"  # one rejected row in the last family
    return write_csv(tmp_path / "besar.csv", rows)


def _every_household_whole() -> None:
    for hh in Household.objects.all():
        assert hh.members.count() in (2, 3)
        assert hh.members.filter(relationship=1).count() == 1


def test_cancel_keeps_the_committed_batches_and_resume_finishes_the_file(personas, tmp_path):
    admin = personas["admin_maros"]
    batch = actions.create_import(admin, source=_file(tmp_path))
    job = actions.start_import(admin, batch)
    job.params["batch_rows"] = 3
    job.save(update_fields=["params"])
    calls = {"n": 0}
    real = Importer._commit

    def cancel_before_third_batch(self, items, facts):
        calls["n"] += 1
        if calls["n"] == 3:
            Job.objects.filter(pk=self.ctx.job.pk).update(cancel_requested=True)
        return real(self, items, facts)

    Importer._commit = cancel_before_third_batch  # type: ignore[method-assign]
    try:
        jobs.run_pending()
    finally:
        Importer._commit = real  # type: ignore[method-assign]
    batch.refresh_from_db()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and batch.status == ImportBatch.Status.CANCELLED
    assert (batch.batches_committed, batch.last_row, batch.created) == (2, 7, 6)
    assert "Lanjutkan" in batch.message and "Baris sampai nomor 7" in batch.message
    assert Person.objects.count() == 6
    _every_household_whole()

    resumed = actions.resume_import(admin, batch)
    jobs.run_pending()
    batch.refresh_from_db()
    assert resumed.pk != job.pk and batch.status == ImportBatch.Status.SUCCEEDED
    assert (batch.rows_read, batch.created, batch.rejected) == (12, 11, 1)
    assert batch.accepted + batch.rejected + batch.skipped_empty == batch.rows_read
    assert [r["baris"] for r in report_rows(batch)] == ["13"]
    assert Person.objects.count() == 11


def test_a_crash_in_the_middle_of_a_batch_leaves_the_registry_as_before_that_batch(
    personas, tmp_path, monkeypatch
):
    admin = personas["admin_maros"]
    real_insert = SqlWriter.insert
    state = {"log_inserts": 0}

    def failing_insert(self, table, columns, rows):
        if table == "exchange_importchange":
            state["log_inserts"] += 1
            if state["log_inserts"] == 2:
                raise RuntimeError("disk penuh")
        return real_insert(self, table, columns, rows)

    monkeypatch.setattr(SqlWriter, "insert", failing_insert)
    batch = import_file(admin, _file(tmp_path), batch_rows=6)
    assert batch.status == ImportBatch.Status.FAILED
    assert "disk penuh" in batch.message and "dapat dilanjutkan" in batch.message
    # The second batch wrote households, people and memberships before it failed: all undone.
    assert (batch.batches_committed, batch.last_row, batch.created) == (1, 7, 6)
    assert Person.objects.count() == 6 and Membership.objects.count() == 6
    logged = [
        key
        for change in ImportChange.objects.filter(model="person")
        for key in range(change.object_id, (change.last_object_id or change.object_id) + 1)
    ]
    assert sorted(logged) == sorted(Person.objects.values_list("pk", flat=True))
    _every_household_whole()
    job = Job.objects.get(pk=batch.job_id)
    assert job.status == Job.Status.FAILED and job.message.startswith("Impor gagal:")

    monkeypatch.setattr(SqlWriter, "insert", real_insert)
    actions.resume_import(admin, batch)
    jobs.run_pending()
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.rejected) == (ImportBatch.Status.SUCCEEDED, 11, 1)
    assert [r["baris"] for r in report_rows(batch)] == ["13"]


def test_the_command_prints_progress_writes_the_report_and_resumes(personas, tmp_path):
    path = _file(tmp_path)
    report = tmp_path / "laporan.csv"
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_registry", str(path), "--user", "admin_maros", "--report", str(report),
        stdout=out, stderr=err,
    )  # fmt: skip
    assert "11 diterima (11 baru" in out.getvalue()
    assert "baris" in err.getvalue() and "Tahap 2 dari 2" in err.getvalue()
    assert report.read_text(encoding="utf-8-sig").splitlines()[0] == "baris,kolom,nilai,alasan"
    batch = ImportBatch.objects.get()
    assert batch.user.username == "admin_maros" and batch.file_path == str(path.resolve())
    assert Job.objects.get().status == Job.Status.SUCCEEDED

    # Again: nothing changes. Then a resume of a finished import is refused.
    call_command("import_registry", str(path), stdout=out, stderr=err)
    assert "0 baru, 0 diubah, 11 tidak berubah" in out.getvalue()
    job = Job.objects.order_by("id").first()
    with pytest.raises(CommandError, match="only a cancelled or failed import"):
        call_command("import_registry", "--resume", str(job.uid), stdout=out, stderr=err)


def test_the_command_refuses_users_who_may_not_import(personas, tmp_path):
    with pytest.raises(CommandError, match="tidak berwenang"):
        call_command(
            "import_registry", str(_file(tmp_path)), "--user", "tksk_moncongloe",
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert not Person.objects.exists()


def test_parsing_in_a_forked_process_gives_the_same_result(personas, tmp_path):
    admin = personas["admin_maros"]
    assert Importer.fork
    batch = import_file(admin, _file(tmp_path, families=6), batch_rows=3)
    assert (batch.created, batch.rejected, batch.batches_committed) == (17, 1, 6)
    _every_household_whole()
    # Birth dates cross between the processes as day numbers and are stored as dates again.
    born = Counter(Person.objects.values_list("relationship", "birth_date"))
    assert born == {(1, date(1980, 5, 17)): 6, (2, date(1984, 8, 2)): 6, (3, date(2010, 1, 2)): 5}


def test_parsed_rows_are_packed_for_the_writer_and_unpacked_unchanged():
    record = RowRecord.of(
        2, "7309135705800001", "7309132001200001",
        {"relationship": 1, "sex": "P", "birth_date": date(1980, 5, 17), "full_name": "Siti"},
        {"rt": 1, "rw": None, "address": "Jl. Poros\tKm 3", "village_id": "73.09.13.2001"},
        (3, 12), (1,),
    )  # fmt: skip
    items = [(2, record), (3, None), (4, [("NIK (B)", "7309********0001", "NIK salah")])]
    back = unpack_chunk(pack_chunk(items))
    assert back == items
    assert type(back[0][1]) is RowRecord
    assert back[0][1].person["birth_date"] == date(1980, 5, 17)  # a date again for its readers
    assert (back[0][1].kk, back[0][1].ppks_person, back[0][1].ppks_household) == (
        "7309132001200001",
        (3, 12),
        (1,),
    )
    assert back[0][1].household["address"] == "Jl. Poros\tKm 3"
    assert birth_date_text(back[0][1][5][2]) == "1980-05-17"
    assert birth_date_text(None) is None


def test_an_error_in_the_parser_process_stops_the_import_after_the_committed_batches(
    personas, tmp_path, monkeypatch
):
    real = Importer._parsed_chunks

    def breaks_after_two(self, *args):
        for number, items in enumerate(real(self, *args)):
            if number == 2:
                raise ValueError("sel rusak")
            yield items

    monkeypatch.setattr(Importer, "_parsed_chunks", breaks_after_two)
    batch = import_file(personas["admin_maros"], _file(tmp_path, families=6), batch_rows=3)
    assert batch.status == ImportBatch.Status.FAILED
    assert "ValueError: sel rusak" in batch.message
    assert batch.batches_committed == 2 and Person.objects.count() == batch.created == 6
    _every_household_whole()
