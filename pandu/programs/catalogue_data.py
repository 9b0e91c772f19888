"""The national programmes the catalogue starts with, and the amounts known for them.

Read by the data migration that fills the catalogue and by ``load_programmes`` (which adds
what is missing and changes nothing already there). Amounts come from DOMAIN facts; those not
confirmed by an official source carry ``unconfirmed`` and show with a mark.
"""

from __future__ import annotations

KEMENSOS = {
    "name": "Kementerian Sosial Republik Indonesia",
    "short_name": "Kemensos",
    "kind": "pemerintah",
}

UU_KESSOS = "Undang-Undang Nomor 11 Tahun 2009 tentang Kesejahteraan Sosial"
UU_FAKIR_MISKIN = "Undang-Undang Nomor 13 Tahun 2011 tentang Penanganan Fakir Miskin"

PROGRAMMES: list[dict] = [
    {
        "code": "PKH",
        "name": "Program Keluarga Harapan",
        "benefit_type": "tunai",
        "legal_basis": [
            UU_KESSOS,
            UU_FAKIR_MISKIN,
            "Peraturan Menteri Sosial Nomor 1 Tahun 2018 tentang Program Keluarga Harapan",
        ],
        "target_group": "Keluarga miskin dan rentan (desil 1–4) dengan komponen kesehatan, "
        "pendidikan atau kesejahteraan sosial.",
        "period": "Empat tahap per tahun: Jan–Mar, Apr–Jun, Jul–Sep, Okt–Des.",
        "amounts": [
            ("IBU_HAMIL", "Ibu hamil/nifas", 3_000_000, 2, False),
            ("ANAK_USIA_DINI", "Anak usia 0–6 tahun", 3_000_000, 2, False),
            ("SD", "Anak sekolah SD/sederajat", 900_000, None, False),
            ("SMP", "Anak sekolah SMP/sederajat", 1_500_000, None, False),
            ("SMA", "Anak sekolah SMA/sederajat", 2_000_000, None, False),
            ("DISABILITAS_BERAT", "Penyandang disabilitas berat", 2_400_000, None, False),
            ("LANSIA_70", "Lanjut usia 70 tahun ke atas", 2_400_000, None, False),
        ],
        "amounts_from": "2022-01-01",
        "amounts_per": "tahun",
    },
    {
        "code": "BPNT",
        "name": "Bantuan Pangan Non Tunai / Program Sembako",
        "benefit_type": "nontunai",
        "legal_basis": [UU_KESSOS, UU_FAKIR_MISKIN],
        "target_group": "Keluarga penerima manfaat (KPM) miskin dan rentan.",
        "period": "Bulanan, disalurkan melalui KKS.",
        "amounts": [("SEMBAKO", "Bantuan pangan per KPM", 200_000, None, True)],
        "amounts_from": "2022-01-01",
        "amounts_per": "bulan",
    },
    {
        "code": "PBI-JK",
        "name": "Penerima Bantuan Iuran Jaminan Kesehatan",
        "benefit_type": "iuran",
        "legal_basis": [
            UU_KESSOS,
            "Peraturan Pemerintah Nomor 101 Tahun 2012 tentang Penerima Bantuan Iuran "
            "Jaminan Kesehatan",
        ],
        "target_group": "Fakir miskin dan orang tidak mampu yang iuran JKN-nya dibayar negara.",
        "period": "Bulanan.",
    },
    {
        "code": "PKSA",
        "name": "Program Kesejahteraan Sosial Anak",
        "benefit_type": "layanan",
        "legal_basis": [UU_KESSOS],
        "target_group": "Anak balita terlantar, anak terlantar dan anak yang memerlukan "
        "perlindungan khusus.",
    },
    {
        "code": "UEP",
        "name": "Usaha Ekonomi Produktif",
        "benefit_type": "barang",
        "legal_basis": [UU_KESSOS, UU_FAKIR_MISKIN],
        "target_group": "Keluarga miskin usia produktif.",
    },
    {
        "code": "KUBE",
        "name": "Kelompok Usaha Bersama",
        "benefit_type": "hibah_kelompok",
        "legal_basis": [UU_KESSOS, UU_FAKIR_MISKIN],
        "target_group": "Kelompok keluarga miskin yang berusaha bersama.",
    },
    {
        "code": "KESERASIAN",
        "name": "Keserasian Sosial",
        "benefit_type": "hibah_desa",
        "legal_basis": [UU_KESSOS],
        "target_group": "Masyarakat di daerah rawan konflik sosial.",
    },
    {
        "code": "RTLH",
        "name": "Rehabilitasi Sosial Rumah Tidak Layak Huni",
        "benefit_type": "hibah_kelompok",
        "legal_basis": [UU_KESSOS, UU_FAKIR_MISKIN],
        "target_group": "Keluarga miskin yang menempati rumah tidak layak huni.",
    },
    {
        "code": "ATENSI",
        "name": "Asistensi Rehabilitasi Sosial",
        "benefit_type": "layanan",
        "legal_basis": [UU_KESSOS],
        "target_group": "Anak, penyandang disabilitas, lanjut usia, korban penyalahgunaan "
        "NAPZA, tuna sosial dan korban perdagangan orang yang memerlukan rehabilitasi sosial.",
    },
    {
        "code": "ASKESOS",
        "name": "Asuransi Kesejahteraan Sosial",
        "benefit_type": "layanan",
        "legal_basis": [UU_KESSOS],
        "target_group": "Pencari nafkah utama di sektor informal, penghasilan sekitar "
        "Rp300.000/bulan, usia 21–60 tahun atau sudah menikah, memiliki identitas resmi.",
        "period": "Premi bulanan; santunan saat sakit, kecelakaan atau meninggal dunia.",
        "amounts": [
            ("PREMI", "Premi per peserta", 10_400, None, True),
            ("SANTUNAN_MENINGGAL", "Santunan kematian", 21_000_000, None, True),
        ],
        "amounts_from": "2012-01-01",
        "amounts_to": "2012-12-31",
        "amounts_per": "bulan",
    },
]
