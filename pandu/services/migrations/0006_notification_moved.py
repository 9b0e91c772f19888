"""Notifications are their own app now (``pandu.notifications``): it took the table over as it was,
so the service only forgets the model here and the database is left alone."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0005_case_urgency_rank"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
