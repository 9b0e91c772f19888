"""The table gets this app's name, each notification a public id (for its URL), and the key its
rule: one notification per user and key (a repeated key, possible before, keeps the oldest)."""

import uuid

from django.db import migrations, models
from django.db.models import Count, Min, Q


def give_uids(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    batch = []
    for pk in Notification.objects.filter(uid__isnull=True).values_list("pk", flat=True).iterator():
        batch.append(Notification(pk=pk, uid=uuid.uuid4()))
        if len(batch) == 1000:
            Notification.objects.bulk_update(batch, ["uid"])
            batch = []
    Notification.objects.bulk_update(batch, ["uid"])


def drop_repeated_keys(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    repeated = (
        Notification.objects.exclude(key="")
        .values("user_id", "key")
        .annotate(n=Count("id"), first=Min("id"))
        .filter(n__gt=1)
    )
    for row in repeated.iterator():
        Notification.objects.filter(user_id=row["user_id"], key=row["key"]).exclude(
            pk=row["first"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.AlterModelTable(name="notification", table=None),
        migrations.RenameIndex(
            model_name="notification",
            new_name="notif_user_read_idx",
            old_name="services_no_user_id_7060e0_idx",
        ),
        migrations.AddField(
            model_name="notification",
            name="uid",
            field=models.UUIDField(editable=False, null=True, verbose_name="ID publik"),
        ),
        migrations.RunPython(give_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="uid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="ID publik"
            ),
        ),
        migrations.RunPython(drop_repeated_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=Q(("key", ""), _negated=True),
                fields=("user", "key"),
                name="notif_one_per_user_and_key",
            ),
        ),
    ]
