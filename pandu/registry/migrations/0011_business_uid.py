"""Each household business gets a public UUID, so the pages can change or remove one without
showing its integer key. Existing rows are given one before the column becomes unique."""

import uuid

from django.db import migrations, models


def give_uids(apps, schema_editor):
    Business = apps.get_model("registry", "HouseholdBusiness")
    rows = list(Business.objects.filter(uid__isnull=True).only("id"))
    for row in rows:
        row.uid = uuid.uuid4()
    Business.objects.bulk_update(rows, ["uid"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("registry", "0010_targeting_fields")]

    operations = [
        migrations.AddField(
            model_name="householdbusiness",
            name="uid",
            field=models.UUIDField(editable=False, null=True, verbose_name="ID publik"),
        ),
        migrations.AddField(
            model_name="historicalhouseholdbusiness",
            name="uid",
            field=models.UUIDField(
                db_index=True, default=uuid.uuid4, editable=False, verbose_name="ID publik"
            ),
        ),
        migrations.RunPython(give_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="householdbusiness",
            name="uid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="ID publik"
            ),
        ),
    ]
