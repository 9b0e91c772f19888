"""CSV files: the encoding, the delimiter and the rows."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .source import SNIFF_BYTES, FileProblem, SourceInfo, _find_header

DELIMITERS = [",", ";", "\t", "|"]
# Cells longer than this are read (and then rejected by the length rules) instead of stopping
# the reader; a 50,000-character cell is a mistake, not an attack.
csv.field_size_limit(16 * 1024 * 1024)


def _not_text() -> FileProblem:
    return FileProblem(
        _(
            "Berkas ini bukan berkas teks CSV (isinya data biner). Buka data di Excel lalu "
            "simpan sebagai “CSV UTF-8”, atau unggah berkas .xlsx-nya langsung."
        )
    )


def _text_encoding(head: bytes) -> str:
    """A first guess from the start of the file; raises when it is clearly not text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise _not_text()
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if controls > max(2, len(head) // 200):
        raise _not_text()
    return "utf-8"


def _hash_and_check_text(path: Path, encoding: str) -> tuple[str, str]:
    """One pass over the file: SHA-256, and whether it is all valid UTF-8 (else Windows-1252)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("strict") if encoding == "utf-8" else None
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            if encoding == "utf-16":
                continue
            if b"\x00" in chunk:
                raise _not_text()
            if decoder is not None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    decoder = None
                    encoding = "cp1252"
        if decoder is not None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                encoding = "cp1252"  # the file ends in the middle of a character
    return digest.hexdigest(), encoding


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    raw = open(path, "rb")  # noqa: SIM115 - closed with the wrapper
    if encoding != "utf-16" and raw.read(3) != codecs.BOM_UTF8:
        raw.seek(0)
    # Windows-1252 leaves five byte values undefined; they become U+FFFD rather than an error.
    errors = "replace" if encoding == "cp1252" else "strict"
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")


def _inspect_csv(path: Path, info: SourceInfo) -> None:
    with _open_text(path, info.encoding) as handle:
        try:
            text = handle.read(SNIFF_BYTES)
        except UnicodeDecodeError:
            raise _not_text() from None
    if "\n" in text[:-1]:
        text = text[: text.rfind("\n") + 1]  # drop a partial last line
    info.delimiter = sniff_delimiter(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=info.delimiter))
    _find_header(info, rows)


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the first lines into the most columns, consistently."""
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(r)][:20]
        if not rows:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        same = sum(1 for r in rows[1:] if len(r) == width)
        consistency = same / (len(rows) - 1) if len(rows) > 1 else 1.0
        score = (consistency, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def csv_rows(path: Path, info: SourceInfo) -> Iterator[tuple[int, list[Any] | None]]:
    """(line number, cells) for every line of a CSV file; ``(row, None)`` for a line the csv
    module cannot parse."""
    with _open_text(path, info.encoding) as handle:
        reader = csv.reader(handle, delimiter=info.delimiter or ",")
        row_no = 0
        while True:
            row_no += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield row_no, None
                continue
            except UnicodeDecodeError:
                raise FileProblem(
                    _("Berkas berubah atau rusak saat dibaca (pengodean teks tidak sah).")
                ) from None
            yield row_no, cells
