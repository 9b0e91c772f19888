"""The national defaults of the retention rules: every period is marked unconfirmed (no
regulation fixes it yet) and is there to be reviewed by the office's data protection officer;
an office sets its own for its area on the rules page."""

from django.db import migrations

ARCHIVES = (
    "UU 27/2022 tentang Pelindungan Data Pribadi (data pribadi disimpan sepanjang diperlukan "
    "untuk tujuan pemrosesannya); UU 43/2009 tentang Kearsipan (jadwal retensi arsip). Masa "
    "ini belum ditetapkan peraturan: tinjau bersama pejabat pelindungan data pribadi dan "
    "arsiparis."
)

RULES = [
    ("person_inactive", 120, "Penduduk yang pindah, meninggal atau data ganda: " + ARCHIVES),
    (
        "intake_closed",
        60,
        "Pengaduan/permohonan layanan (UU 25/2009 tentang Pelayanan Publik): " + ARCHIVES,
    ),
    (
        "consent_ended",
        60,
        "Bukti persetujuan yang sudah dicabut atau berakhir (pertanggungjawaban pengendali): "
        + ARCHIVES,
    ),
    (
        "request_closed",
        60,
        "Permintaan subjek data yang sudah selesai (pertanggungjawaban pengendali): " + ARCHIVES,
    ),
]


def add_rules(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for kind, months, basis in RULES:
        RetentionRule.objects.get_or_create(
            kind=kind,
            area_code="",
            defaults={"period_months": months, "legal_basis": basis, "unconfirmed": True},
        )


def remove_rules(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    RetentionRule.objects.filter(area_code="", kind__in=[k for k, _m, _b in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
