"""Tickets get a random check part; the tickets already given out get theirs here, one each."""

import secrets

from django.db import migrations, models

import pandu.services.models

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def backfill_check_codes(apps, schema_editor):
    Intake = apps.get_model("services", "Intake")
    while True:
        rows = list(Intake.objects.filter(check_code="").only("pk")[:2000])
        if not rows:
            return
        for row in rows:
            row.check_code = "".join(secrets.choice(ALPHABET) for _ in range(4))
        Intake.objects.bulk_update(rows, ["check_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0003_dashboard_tallies"),
    ]

    operations = [
        migrations.AddField(
            model_name="intake",
            name="check_code",
            field=models.CharField(
                default="", editable=False, max_length=4, verbose_name="kode cek tiket"
            ),
        ),
        migrations.RunPython(backfill_check_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="intake",
            name="check_code",
            field=models.CharField(
                default=pandu.services.models.new_check_code,
                editable=False,
                max_length=4,
                verbose_name="kode cek tiket",
            ),
        ),
    ]
