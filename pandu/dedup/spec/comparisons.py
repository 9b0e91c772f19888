"""The compared fields and their levels, from the most to the least alike."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .distances import jaro_winkler, levenshtein
from .levels import Comparison, Level
from .predicates import (
    _NEAR1_SQL,
    _NEAR2_SQL,
    _NIK_CONFIRMS_SQL,
    _NIK_EXPLAINS_SQL,
    _WORDS_CLOSE_SQL,
    _days_apart,
    _eq,
    _near1,
    _near2,
    _nik_confirms,
    _nik_explains,
    _null,
    _one_digit,
    _part_of,
    _shared,
    _shared_sql,
    _words_close,
)

ELSE = "ELSE"
# Jaro-Winkler similarity from which two names that no other level explains count as similar
# (three or more typing errors in one name, letters swapped).
SIMILAR_NAME = 0.8

COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        _("Nama"),
        ("name_key", "name_compact", "name_sorted", "name_phon", "name_first", "name_rest"),
        (
            Level("null", _("tidak diisi"), "name_key_l IS NULL OR name_key_r IS NULL",
                  _null("name_key"), null=True),
            Level("exact", _("sama (setelah normalisasi ejaan dan gelar)"),
                  "name_key_l = name_key_r", _eq("name_key"), tf="name_key"),
            Level("reordered", _("kata sama, urutan atau spasi berbeda"),
                  "name_sorted_l = name_sorted_r OR name_compact_l = name_compact_r",
                  lambda a, b: a["name_sorted"] == b["name_sorted"]
                  or a["name_compact"] == b["name_compact"]),
            Level("typo1", _("beda satu huruf atau bunyi sama"),
                  "name_phon_l = name_phon_r OR (" + _NEAR1_SQL + ")", _near1),
            Level("typo2", _("beda dua huruf"), _NEAR2_SQL, _near2),
            Level("initial", _("kata pertama disingkat atau salah ketik, sisanya sama"),
                  "name_rest_l = name_rest_r AND name_first_l[1] = name_first_r[1]",
                  lambda a, b: a["name_rest"] is not None and a["name_rest"] == b["name_rest"]
                  and a["name_first"][0] == b["name_first"][0]),
            Level("short", _("nama pendek/panggilan: bagian dari nama yang lain"),
                  "contains(' ' || name_key_r || ' ', ' ' || name_key_l || ' ') "
                  "OR contains(' ' || name_key_l || ' ', ' ' || name_key_r || ' ')",
                  _part_of),
            Level("words", _("setiap kata nama yang pendek sama atau beda satu huruf dengan "
                             "kata nama yang lain"),
                  _WORDS_CLOSE_SQL, _words_close),
            Level("similar", _("mirip (beberapa huruf berbeda)"),
                  f"jaro_winkler_similarity(name_compact_l, name_compact_r) >= {SIMILAR_NAME}",
                  lambda a, b: jaro_winkler(a["name_compact"], b["name_compact"])
                  >= SIMILAR_NAME),
            Level("partial", _("hanya nama depan atau nama belakang sama"),
                  "name_first_l = name_first_r OR name_last_l = name_last_r",
                  lambda a, b: a["name_first"] == b["name_first"]
                  or a["name_last"] == b["name_last"]),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "birth_date",
        _("Tanggal lahir"),
        ("birth_date", "dob", "dob_key", "dob6", "nik_date"),
        (
            Level("null", _("tidak diisi"), "dob_l IS NULL OR dob_r IS NULL", _null("dob"),
                  null=True),
            Level("exact", _("sama"), "dob_l = dob_r", _eq("dob")),
            Level("swapped", _("tanggal dan bulan tertukar"), "dob_key_l = dob_key_r",
                  _eq("dob_key")),
            Level("nik", _("berbeda, tetapi NIK yang satu memuat tanggal lahir yang lain"),
                  _NIK_EXPLAINS_SQL, _nik_explains),
            Level("nik_own", _("berdekatan, tetapi NIK masing-masing memuat tanggal lahirnya "
                               "sendiri"),
                  _NIK_CONFIRMS_SQL, _nik_confirms),
            Level("typo_day", _("beda satu angka pada tanggal"),
                  "substr(dob_l, 1, 6) = substr(dob_r, 1, 6) AND hamming(dob_l, dob_r) <= 1",
                  lambda a, b: a["dob"][:6] == b["dob"][:6] and _one_digit(a["dob"], b["dob"])),
            Level("typo_year", _("beda satu angka pada tahun"),
                  "substr(dob_l, 5, 4) = substr(dob_r, 5, 4) AND hamming(dob_l, dob_r) <= 1",
                  lambda a, b: a["dob"][4:] == b["dob"][4:] and _one_digit(a["dob"], b["dob"])),
            Level("typo_month", _("beda satu angka pada bulan"), "hamming(dob_l, dob_r) <= 1",
                  lambda a, b: _one_digit(a["dob"], b["dob"])),
            Level("year", _("selisih kurang dari setahun"),
                  "abs(date_diff('day', birth_date_l, birth_date_r)) <= 365", _days_apart),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "sex",
        _("Jenis kelamin"),
        ("sex",),
        (
            Level("null", _("tidak diisi"), "sex_l IS NULL OR sex_r IS NULL", _null("sex"),
                  null=True),
            Level("exact", _("sama"), "sex_l = sex_r", _eq("sex")),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "birth_place",
        _("Tempat lahir"),
        ("birth_place",),
        (
            Level("null", _("tidak diisi"), "birth_place_l IS NULL OR birth_place_r IS NULL",
                  _null("birth_place"), null=True),
            Level("exact", _("sama"), "birth_place_l = birth_place_r", _eq("birth_place")),
            Level("close", _("mirip (beda 1–2 huruf)"),
                  "abs(length(birth_place_l) - length(birth_place_r)) <= 2 "
                  "AND left(birth_place_l, 1) = left(birth_place_r, 1) "
                  "AND levenshtein(birth_place_l, birth_place_r) <= 2",
                  lambda a, b: abs(len(a["birth_place"]) - len(b["birth_place"])) <= 2
                  and a["birth_place"][0] == b["birth_place"][0]
                  and levenshtein(a["birth_place"], b["birth_place"]) <= 2),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "area",
        _("Wilayah tempat tinggal"),
        ("village", "district", "regency"),
        (
            Level("null", _("tidak diketahui"), "regency_l IS NULL OR regency_r IS NULL",
                  _null("regency"), null=True),
            Level("village", _("desa/kelurahan sama"), "village_l = village_r",
                  _eq("village")),
            Level("district", _("kecamatan sama"), "district_l = district_r", _eq("district")),
            Level("regency", _("kabupaten/kota sama"), "regency_l = regency_r", _eq("regency")),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "parents",
        _("Nama orang tua"),
        ("parents_a", "parents_b"),
        (
            Level("null", _("tidak diketahui"), "parents_a_l IS NULL OR parents_a_r IS NULL",
                  _null("parents_a"), null=True),
            Level("shared", _("ada nama orang tua yang sama"), _shared_sql("parents"),
                  _shared("parents")),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
    Comparison(
        "spouse",
        _("Nama suami/istri"),
        ("spouse_a", "spouse_b"),
        (
            Level("null", _("tidak diketahui"), "spouse_a_l IS NULL OR spouse_a_r IS NULL",
                  _null("spouse_a"), null=True),
            Level("shared", _("nama suami/istri sama"), _shared_sql("spouse"),
                  _shared("spouse")),
            Level("else", _("berbeda"), ELSE),
        ),
    ),
)  # fmt: skip

BY_NAME = {c.name: c for c in COMPARISONS}
