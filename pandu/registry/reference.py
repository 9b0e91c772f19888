"""Reference data: the 26 PPKS categories (Permensos 8/2012) and the 12 PSKS types.

Age rules are the ones field workers use; they live in the database so an office can adjust them.
Names are the official Indonesian terms and are not translated.
"""

# number, slug, name, min_age, min_exclusive, max_age, max_exclusive, sex, sensitive, household
PPKS = [
    (1, "anak-balita-terlantar", "Anak Balita Terlantar", None, False, 5, False, "", False, False),
    (2, "anak-terlantar", "Anak Terlantar", 6, False, 18, False, "", False, False),
    (
        3,
        "anak-berhadapan-hukum",
        "Anak Berhadapan dengan Hukum",
        12,
        False,
        18,
        True,
        "",
        True,
        False,
    ),
    (4, "anak-jalanan", "Anak Jalanan", None, False, 18, False, "", False, False),
    (5, "anak-disabilitas", "Anak dengan Kedisabilitasan", None, False, 18, True, "", False, False),
    (
        6,
        "anak-korban-kekerasan",
        "Anak Korban Tindak Kekerasan",
        None,
        False,
        18,
        True,
        "",
        True,
        False,
    ),
    (
        7,
        "anak-perlindungan-khusus",
        "Anak yang Memerlukan Perlindungan Khusus",
        6,
        False,
        18,
        False,
        "",
        False,
        False,
    ),
    (8, "lanjut-usia-terlantar", "Lanjut Usia Terlantar", 60, False, None, False, "", False, False),
    (
        9,
        "penyandang-disabilitas",
        "Penyandang Disabilitas",
        None,
        False,
        None,
        False,
        "",
        False,
        False,
    ),
    (10, "tuna-susila", "Tuna Susila", None, False, None, False, "", True, False),
    (11, "gelandangan", "Gelandangan", None, False, None, False, "", False, False),
    (12, "pengemis", "Pengemis", None, False, None, False, "", False, False),
    (13, "pemulung", "Pemulung", None, False, None, False, "", False, False),
    (14, "kelompok-minoritas", "Kelompok Minoritas", None, False, None, False, "", True, False),
    (
        15,
        "bekas-warga-binaan",
        "Bekas Warga Binaan Lembaga Pemasyarakatan",
        18,
        True,
        None,
        False,
        "",
        False,
        False,
    ),
    (16, "odha", "Orang dengan HIV/AIDS", None, False, None, False, "", True, False),
    (17, "korban-napza", "Korban Penyalahgunaan NAPZA", None, False, None, False, "", True, False),
    (18, "korban-trafficking", "Korban Trafficking", None, False, None, False, "", True, False),
    (19, "korban-kekerasan", "Korban Tindak Kekerasan", None, False, None, False, "", True, False),
    (
        20,
        "pekerja-migran-bermasalah",
        "Pekerja Migran Bermasalah Sosial",
        None,
        False,
        None,
        False,
        "",
        False,
        False,
    ),
    (21, "korban-bencana-alam", "Korban Bencana Alam", None, False, None, False, "", False, True),
    (
        22,
        "korban-bencana-sosial",
        "Korban Bencana Sosial",
        None,
        False,
        None,
        False,
        "",
        False,
        True,
    ),
    (
        23,
        "perempuan-rawan-sosial-ekonomi",
        "Perempuan Rawan Sosial Ekonomi",
        18,
        False,
        59,
        False,
        "P",
        False,
        False,
    ),
    (24, "fakir-miskin", "Fakir Miskin", None, False, None, False, "", False, True),
    (
        25,
        "keluarga-bermasalah-sosial-psikologis",
        "Keluarga Bermasalah Sosial Psikologis",
        None,
        False,
        None,
        False,
        "",
        False,
        True,
    ),
    (
        26,
        "komunitas-adat-terpencil",
        "Komunitas Adat Terpencil",
        None,
        False,
        None,
        False,
        "",
        False,
        True,
    ),
]

# Sensitive: 3, 6, 10, 14, 16, 17, 18, 19 (criminal, sexual, health, violence, minority).
SENSITIVE_NUMBERS = frozenset(n for n, *_rest, s, _h in PPKS if s)

# number, slug, name, short name, kind
PSKS = [
    (1, "pekerja-sosial-profesional", "Pekerja Sosial Profesional", "Peksos", "person"),
    (2, "psm", "Pekerja Sosial Masyarakat", "PSM", "person"),
    (3, "tagana", "Taruna Siaga Bencana", "Tagana", "person"),
    (4, "lks", "Lembaga Kesejahteraan Sosial", "LKS", "organisation"),
    (5, "karang-taruna", "Karang Taruna", "Karang Taruna", "organisation"),
    (6, "lk3", "Lembaga Konsultasi Kesejahteraan Keluarga", "LK3", "organisation"),
    (7, "keluarga-pioner", "Keluarga Pioner", "Kel. Pioner", "person"),
    (
        8,
        "wksbm",
        "Wahana Kesejahteraan Sosial Keluarga Berbasis Masyarakat",
        "WKSBM",
        "organisation",
    ),
    (9, "wpks", "Wanita Pemimpin Kesejahteraan Sosial", "WPKS", "person"),
    (10, "penyuluh-sosial", "Penyuluh Sosial", "Penyuluh", "person"),
    (11, "tksk", "Tenaga Kesejahteraan Sosial Kecamatan", "TKSK", "person"),
    (
        12,
        "dunia-usaha",
        "Dunia Usaha yang melakukan Usaha Kesejahteraan Sosial",
        "Dunia Usaha",
        "organisation",
    ),
]


def load_reference_data(apps=None) -> None:
    """Create or update the reference rows; safe to run again."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    category = apps.get_model("registry", "PPKSCategory")
    psks_type = apps.get_model("registry", "PSKSType")
    for number, slug, name, lo, lo_ex, hi, hi_ex, sex, sensitive, household in PPKS:
        category.objects.update_or_create(
            number=number,
            defaults={
                "slug": slug,
                "name": name,
                "min_age": lo,
                "min_age_exclusive": lo_ex,
                "max_age": hi,
                "max_age_exclusive": hi_ex,
                "sex": sex,
                "sensitive": sensitive,
                "household_level": household,
            },
        )
    for number, slug, name, short, kind in PSKS:
        psks_type.objects.update_or_create(
            number=number, defaults={"slug": slug, "name": name, "short_name": short, "kind": kind}
        )
