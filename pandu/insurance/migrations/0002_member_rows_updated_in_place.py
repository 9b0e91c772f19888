"""The ledger rewrites every member's running figures each month. On PostgreSQL, free space in
each page and no index on those figures let the row be rewritten in place (a HOT update) instead
of adding a new entry to each of the table's indexes. A provider's book reads one month's dues:
an index on the month."""

import django.db.models.deletion
from django.db import migrations, models


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE insurance_member SET (fillfactor = 60)")


def no_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE insurance_member RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("insurance", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="member", name="askesos_member_lapse"),
        migrations.RunPython(leave_room, no_room),
        migrations.AlterField(
            model_name="premiumdue",
            name="membership",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="dues",
                to="insurance.member",
                verbose_name="peserta",
            ),
        ),
        migrations.AddIndex(
            model_name="premiumdue",
            index=models.Index(fields=["month"], name="askesos_due_month"),
        ),
    ]
