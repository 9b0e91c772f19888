"""The integrated programme of Kecamatan Moncongloe (seed 000) in the Maros demo.

In June 2012 the Bupati of Maros, with Dinas Sosial, BBPPKS Makassar, STIKS and IPSI, chose
Moncongloe for an integrated programme: six implementers, each with its own programme and
activities for shared target groups, each funding its part (BBPPKS from its DIPA), with
monitoring by each implementer's team. Written through the programme actions by the
coordinator (the demo administrator) and the focal points, so histories are what use would
leave. The DIPA is dated 9 December 2012, after the activities began in August: the programme
page shows that as a warning, as it would for a real office. A second load adds nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pandu.accounts.actions import create_user
from pandu.accounts.models import User
from pandu.organisations.models import Organisation
from pandu.programs import actions
from pandu.programs.models import IntegratedProgramme, Programme
from pandu.regions.models import Area

TITLE = "Program Terpadu Akselerasi dan Sinergitas Kesejahteraan Sosial Kecamatan Moncongloe"
DISTRICT = "73.09.13"
FOCAL_USER = ("ipsi", "partner", "73.09", "Nurul (IPSI Makassar)")

# name, short name, kind, area
BODIES = [
    (
        "Balai Besar Pendidikan dan Pelatihan Kesejahteraan Sosial Makassar",
        "BBPPKS Makassar",
        "upt",
        "73.71",
    ),
    ("Ikatan Pekerja Sosial Indonesia Makassar", "IPSI Makassar", "asosiasi", "73.71"),
    (
        "Sekolah Tinggi Ilmu Kesejahteraan Sosial Tamalanrea Makassar",
        "STIKS Tamalanrea",
        "perguruan_tinggi",
        "73.71",
    ),
    (
        "Pusat Kajian dan Pendidikan dan Pelatihan Aparatur II LAN Makassar",
        "PKP2A II LAN",
        "litbang",
        "73.71",
    ),
    ("Pemerintah Daerah Kabupaten Maros", "Pemkab Maros", "pemerintah", "73.09"),
    (
        "Dinas Sosial, Tenaga Kerja dan Transmigrasi Kabupaten Maros",
        "Dinas Sosial Nakertrans Maros",
        "pemerintah",
        "73.09",
    ),
]

# implementer (short name), its programme, catalogue code, M&E team, activities:
# (name, target groups, target, unit, start, end, status)
ActivityRow = tuple[str, list[str], int | None, str, date | None, date | None, str]
PARTS: list[tuple[str, str, str | None, str, list[ActivityRow]]] = [
    (
        "BBPPKS Makassar",
        "Peningkatan SDM TKSM",
        None,
        "Tim BBPPKS Makassar",
        [
            (
                "Identifikasi PMKS dan PSKS",
                ["ppks", "psks"],
                None,
                "",
                date(2012, 8, 6),
                date(2012, 8, 17),
                "selesai",
            ),
            (
                "Peningkatan kapasitas SDM melalui Diklat Pelopor Pembangunan Kesejahteraan Sosial",
                ["tksm", "tksp", "aparat"],
                40,
                "orang",
                date(2012, 9, 10),
                date(2012, 9, 15),
                "selesai",
            ),
        ],
    ),
    (
        "IPSI Makassar",
        "Program Kesejahteraan Sosial Anak (PKSA)",
        "PKSA",
        "Tim IPSI Makassar",
        [
            (
                "Peningkatan partisipasi masyarakat (kesetiakawanan sosial) dalam pemenuhan "
                "kebutuhan pokok anak, melibatkan PKK",
                ["ppks", "pkk"],
                70,
                "orang",
                date(2012, 8, 20),
                date(2012, 12, 20),
                "berjalan",
            ),
        ],
    ),
    (
        "STIKS Tamalanrea",
        "Pengabdian Masyarakat",
        None,
        "Tim STIKS Tamalanrea",
        [
            (
                "Pelayanan sosial dengan memanfaatkan TKSM dan membina kelompok PMKS",
                ["tksm", "ppks"],
                None,
                "",
                date(2012, 9, 3),
                date(2012, 11, 30),
                "berjalan",
            ),
        ],
    ),
    (
        "PKP2A II LAN",
        "Peningkatan Fungsi Kelembagaan",
        None,
        "Tim Pusat Kajian LAN Makassar",
        [
            (
                "Peninjauan kembali fungsi-fungsi kelembagaan yang ada",
                ["aparat", "psks"],
                None,
                "",
                date(2012, 10, 1),
                date(2012, 11, 15),
                "rencana",
            ),
        ],
    ),
    (
        "Pemkab Maros",
        "Peningkatan sarana dan prasarana",
        None,
        "Tim Pemerintah Kabupaten Maros",
        [
            (
                "Perbaikan sarana sosial dan umum",
                ["sarana"],
                None,
                "",
                date(2012, 10, 1),
                date(2012, 12, 31),
                "rencana",
            ),
        ],
    ),
    (
        "Dinas Sosial Nakertrans Maros",
        "Peningkatan kesejahteraan sosial masyarakat",
        "PKH",
        "Tim Pemerintah Kabupaten Maros",
        [
            (
                "Program Keluarga Harapan",
                ["ppks"],
                None,
                "",
                date(2012, 8, 1),
                date(2012, 12, 31),
                "berjalan",
            ),
            (
                "Pemberdayaan sosial",
                ["ppks", "pkk"],
                None,
                "",
                date(2012, 9, 1),
                date(2012, 12, 31),
                "berjalan",
            ),
        ],
    ),
]

REASONS = [
    "Tingkat kemiskinannya tinggi.",
    "Akibat kemiskinan muncul berbagai PMKS: rumah tidak layak huni, anak dan balita "
    "terlantar, sarana dan prasarana yang belum memadai, populasi masyarakat miskin sangat "
    "tinggi.",
    "Salah satu kecamatan terjauh dari ibu kota Kabupaten Maros, sehingga akses pelayanan "
    "terbatas.",
    'Akan menjadi lokasi "segitiga emas" di antara Kota Makassar, Kabupaten Maros dan '
    "Kabupaten Gowa.",
]
OBJECTIVES = [
    "Meningkatkan pengetahuan, keterampilan dan perilaku TKSM agar mampu menjadi pendamping "
    "masyarakat.",
    "Meningkatkan kepedulian sosial (kesetiakawanan sosial) kelompok peduli bagi kesejahteraan "
    "dan kesehatan anak atau balita terlantar.",
    "Meningkatkan pengetahuan para pemangku kepentingan dalam memanfaatkan kelembagaan yang ada.",
    "Meningkatkan kesejahteraan warga melalui perbaikan sarana dan prasarana yang mendesak.",
]
RESULTS = [
    "Tersedianya pendamping dari TKSM terlatih yang menjadi mitra warga yang memerlukannya.",
    "Terentasnya anak atau balita terlantar sehingga dapat hidup layak.",
    "Tersedianya kelembagaan yang siap dimanfaatkan oleh warga masyarakat.",
    "Warga masyarakat dapat menikmati sarana dan prasarana yang dibutuhkan.",
]
LEGAL_BASIS = [
    "Undang-Undang Nomor 11 Tahun 2009 tentang Kesejahteraan Sosial",
    "Undang-Undang Nomor 13 Tahun 2011 tentang Penanganan Fakir Miskin",
    "Instruksi Presiden Nomor 1 Tahun 2010 tentang Percepatan Pelaksanaan Prioritas "
    "Pembangunan Nasional",
    "Instruksi Presiden Nomor 3 Tahun 2010 tentang Program Pembangunan yang Berkeadilan",
    "Keputusan Menteri Negara Pembangunan Daerah Tertinggal Nomor 001/KEP/M-PDT/I/2005 "
    "(183 kabupaten tertinggal, RPJMN 2010–2014)",
]
DIPA = ("0361/027.11.2.01/23/2012", date(2012, 12, 9))


def _bodies() -> dict[str, Organisation]:
    """The six bodies of seed 000, once each (a body a partner record keeps is reused)."""
    found = {}
    for name, short, kind, area in BODIES:
        org = Organisation.objects.filter(short_name=short).first()
        if org is None:
            org = Organisation.objects.create(
                name=name, short_name=short, kind=kind, area=Area.objects.get(code=area)
            )
        found[short] = org
    return found


def _focal_user() -> User:
    username, role, area, name = FOCAL_USER
    user = User.objects.filter(username=username).first()
    if user is None:
        from pandu.demo.management.commands.load_demo import DEMO_PASSWORD

        first, _sep, last = name.partition(" ")
        user = create_user(
            username,
            role=role,
            area_code=area,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )
    return user


def load(admin: User | None = None, focal_points: dict[str, User] | None = None) -> bool:
    """Load the Moncongloe programme; False when it is already there. ``focal_points`` maps an
    implementer's short name to its focal user (by default 'ipsi' for IPSI and the district's
    TKSK 'syamsul' for Dinas Sosial)."""
    if IntegratedProgramme.objects.filter(title=TITLE).exists():
        return False
    admin = admin or User.objects.get(username="admin")
    if focal_points is None:
        focal_points = {"IPSI Makassar": _focal_user()}
        tksk = User.objects.filter(username="syamsul").first()
        if tksk is not None:
            focal_points["Dinas Sosial Nakertrans Maros"] = tksk
    bodies = _bodies()
    programme = actions.save_integrated_programme(
        admin,
        title=TITLE,
        area=Area.objects.get(code=DISTRICT),
        coordinator=bodies["Dinas Sosial Nakertrans Maros"],
        designated_by="Bupati Maros",
        decision_date=date(2012, 6, 24),
        reasons=REASONS,
        figures=[],
        objectives=OBJECTIVES,
        expected_results=RESULTS,
        legal_basis=LEGAL_BASIS,
        starts_on=date(2012, 8, 1),
        ends_on=date(2012, 12, 31),
        status="berjalan",
    )
    implementers = {}
    for short, sub, code, team, activities in PARTS:
        implementer = actions.add_implementer(
            admin,
            programme,
            organisation=bodies[short],
            sub_programme=sub,
            catalogue_programme=Programme.objects.filter(code=code).first() if code else None,
            me_team=team,
        )
        implementers[short] = implementer
        if short in focal_points:
            actions.link_focal_point(admin, implementer, focal_points[short], "Penanggung jawab")
        for name, groups, target, unit, start, end, status in activities:
            actions.save_activity(
                admin,
                implementer,
                name=name,
                target_groups=groups,
                target_quantity=target,
                target_unit=unit,
                starts_on=start,
                ends_on=end,
                status=status,
            )
    _funding(admin, programme, implementers)
    for kind, team in (
        ("bulanan", "Setiap pelaksana membuat laporan bulanan"),
        ("triwulan", "Tim BBPPKS, STIKS, IPSI, Pusat Kajian LAN dan Pemerintah Kabupaten Maros"),
        ("sewaktu", "Tim pelaksana yang bersangkutan, setiap saat apabila diperlukan"),
    ):
        actions.add_monitoring_plan(admin, programme, kind=kind, team=team)
    return True


def _funding(admin: User, programme, implementers: dict) -> None:
    actions.add_funding_line(
        admin,
        programme,
        implementer=implementers["BBPPKS Makassar"],
        source="apbn",
        funder=implementers["BBPPKS Makassar"].organisation,
        document_number=DIPA[0],
        document_date=DIPA[1],
        description="DIPA BBPPKS Makassar",
        planned_amount=Decimal("150000000"),
    )
    for short in ("STIKS Tamalanrea", "IPSI Makassar", "PKP2A II LAN"):
        actions.add_funding_line(
            admin,
            programme,
            implementer=implementers[short],
            source="mandiri",
            funder=implementers[short].organisation,
            description=f"Dana dari {short}",
        )
    actions.add_funding_line(
        admin,
        programme,
        implementer=implementers["Dinas Sosial Nakertrans Maros"],
        source="apbd_kab",
        funder=implementers["Dinas Sosial Nakertrans Maros"].organisation,
        description="Dana dari Dinas Sosial Nakertrans Kab. Maros",
    )
    actions.add_funding_line(
        admin, programme, source="swadaya_barang", description="Partisipasi masyarakat"
    )
