"""Every upload passes one check: its size (refused before the body is read) and what it is by
its content, whatever its name says; a workbook also by what its sheets declare."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client

from pandu.core.tests.workbooks import tiny_xlsx
from pandu.core.uploads import UploadValidator, check_upload, check_workbook, sniff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40
MB = 1024 * 1024


def _xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["nik", "nama"])
    workbook.active.append(["7309134505900001", "Siti"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _refusal(upload, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload, **kwargs)
    return caught.value


# --- what a file is -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, kind",
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (WEBP, "webp"),
        (OLE, "xls"),
        (b"nik;nama\r\n7309134505900001;Siti\r\n", "csv"),
        ("nik,nama\nAndré\n".encode("cp1252"), "csv"),
        (PROGRAM, "program"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_a_file_is_known_by_its_first_bytes(content, kind):
    assert sniff(content) == kind


def test_a_workbook_is_a_zip_with_a_workbook_inside_and_another_zip_is_not():
    assert sniff(_xlsx_bytes()[:8192], io.BytesIO(_xlsx_bytes())) == "xlsx"
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("foto.jpg", JPEG)
    assert sniff(other.getvalue(), other) == "zip"


def test_a_program_renamed_pdf_is_refused_for_what_it_is():
    error = _refusal(SimpleUploadedFile("surat.pdf", PROGRAM), kinds=("pdf",), max_bytes=MB)
    assert error.code == "bad_type"
    assert "program komputer" in error.messages[0] and "Unggah berkas PDF" in error.messages[0]


def test_an_accepted_kind_comes_back():
    upload = SimpleUploadedFile("ba.pdf", PDF)
    assert check_upload(upload, kinds=("pdf", "png", "jpeg"), max_bytes=MB) == "pdf"
    assert upload.read(5) == b"%PDF-"  # left at the start for whoever saves it


def test_a_file_over_the_limit_is_refused_by_its_size():
    error = _refusal(SimpleUploadedFile("besar.pdf", PDF + b"0" * MB), kinds=("pdf",), max_bytes=MB)
    assert error.code == "too_large"
    assert "paling besar 1 MB" in error.messages[0]


def test_an_empty_file_is_refused():
    assert _refusal(SimpleUploadedFile("kosong.csv", b""), kinds=("csv",)).code == "empty"


def test_the_validator_puts_the_refusal_on_the_form_field():
    class Form(forms.Form):
        file = forms.FileField(validators=[UploadValidator(kinds=("csv", "xlsx"), max_bytes=MB)])

    form = Form(files={"file": SimpleUploadedFile("data.csv", PNG)})
    assert not form.is_valid()
    assert "gambar PNG" in form.errors["file"][0]
    form = Form(files={"file": SimpleUploadedFile("data.xlsx", _xlsx_bytes())})
    assert form.is_valid(), form.errors


# --- workbooks ----------------------------------------------------------------------------


def test_an_ordinary_workbook_passes(tmp_path):
    path = tmp_path / "biasa.xlsx"
    path.write_bytes(_xlsx_bytes())
    check_workbook(path)
    assert check_upload(SimpleUploadedFile("b.xlsx", path.read_bytes()), kinds=("xlsx",)) == "xlsx"


def test_a_tiny_workbook_declaring_the_whole_sheet_is_refused(tmp_path):
    path = tiny_xlsx(tmp_path / "bom.xlsx", dimension="A1:XFD1048576")
    assert path.stat().st_size < 2000
    with pytest.raises(ValidationError) as caught:
        check_workbook(path)
    assert "1.048.576 baris × 16.384 kolom" in caught.value.messages[0]


def test_a_tiny_workbook_with_one_far_away_cell_is_refused(tmp_path):
    path = tiny_xlsx(tmp_path / "bom.xlsx", far_cell="XFD1048576")
    upload = SimpleUploadedFile("bom.xlsx", path.read_bytes())
    error = _refusal(upload, kinds=("xlsx",))
    assert error.code == "workbook" and "terlalu besar untuk dibaca" in error.messages[0]


def test_a_sparse_sheet_whose_rectangle_no_data_fills_is_refused(tmp_path):
    # 42 columns × 200,000 rows declared by two cells: 8.4 million cells from a few bytes.
    path = tiny_xlsx(tmp_path / "jarang.xlsx", far_cell="AP200000")
    with pytest.raises(ValidationError):
        check_workbook(path)


def test_a_workbook_of_too_many_parts_is_refused(tmp_path, settings):
    settings.PANDU_WORKBOOK_LIMITS = {"members": 20}
    path = tiny_xlsx(tmp_path / "banyak.xlsx", extra_members=30)
    with pytest.raises(ValidationError) as caught:
        check_workbook(path)
    assert "35 bagian; paling banyak 20" in caught.value.messages[0]


def test_a_workbook_that_unpacks_too_big_is_refused(tmp_path, settings):
    settings.PANDU_WORKBOOK_LIMITS = {"unzipped_bytes": 100_000}
    path = tmp_path / "mampat.xlsx"
    path.write_bytes(_xlsx_bytes())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/nol.bin", b"\x00" * 200_000)  # compresses to a few hundred bytes
    with pytest.raises(ValidationError) as caught:
        check_workbook(path)
    assert "terlalu besar setelah dibuka" in caught.value.messages[0]


def test_a_sheet_beyond_the_requests_scan_budget_is_left_to_the_full_check(tmp_path):
    path = tiny_xlsx(tmp_path / "bom.xlsx", far_cell="XFD1048576")
    check_workbook(path, scan_bytes=100)  # the request looks at the first kilobytes only
    with pytest.raises(ValidationError):
        check_workbook(path)  # the job reads every reference before parsing


def test_a_broken_zip_is_refused_as_unreadable(tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(_xlsx_bytes()[:300])
    with pytest.raises(ValidationError) as caught:
        check_workbook(path)
    assert "tidak dapat dibaca sebagai Excel" in caught.value.messages[0]


# --- request bodies -----------------------------------------------------------------------


def _huge_post(client: Client, url: str, length: int):
    """A multipart POST announcing ``length`` bytes but carrying one: if anything tried to read
    the announced body, the test client would fail loudly instead of answering."""
    return client.generic(
        "POST",
        url,
        b"x",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(length),
    )


@pytest.mark.django_db
def test_a_body_over_the_default_limit_is_refused_before_it_is_read(personas):
    client = Client()
    client.force_login(personas["operator_lappara"])
    response = _huge_post(client, resolve_url("proposals:batch_create"), 50 * MB)
    assert response.status_code == 413
    assert "Berkas terlalu besar (50 MB); paling besar 12 MB" in response.content.decode()


@pytest.mark.django_db
def test_the_import_page_and_api_accept_bigger_bodies_but_not_without_end(personas, settings):
    settings.PANDU_IMPORT_MAX_BYTES = 100 * MB
    client = Client()
    client.force_login(personas["admin_maros"])
    response = _huge_post(client, resolve_url("exchange:import_upload"), 600 * MB)
    assert response.status_code == 413
    assert "paling besar 100 MB" in response.content.decode()
    response = _huge_post(client, "/api/v1/exchange/imports/", 600 * MB)
    assert response.status_code == 413
    assert "paling besar 100 MB" in response.json()["detail"]
