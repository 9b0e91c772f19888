"""Notifications were a table of the one-stop service (``services_notification``); this app takes
the table over as it is (no row is copied), and 0002 gives it its own name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("services", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("kind", models.CharField(max_length=30, verbose_name="jenis")),
                        ("title", models.CharField(max_length=200, verbose_name="judul")),
                        ("body", models.TextField(blank=True, verbose_name="isi")),
                        ("url", models.CharField(blank=True, max_length=300, verbose_name="tautan")),
                        ("key", models.CharField(blank=True, db_index=True, max_length=60)),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="dibuat"
                            ),
                        ),
                        (
                            "read_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="dibaca"),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "pemberitahuan",
                        "verbose_name_plural": "pemberitahuan",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "services_notification",
                        "indexes": [
                            models.Index(
                                fields=["user", "read_at"], name="services_no_user_id_7060e0_idx"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
