"""Indexes on when families and people were last saved: a dry run asks "has anything in the
registry been saved since the run whose PMT scores it would reuse?" with one index probe instead of
reading every row. Database-only (the registry's models do not list them), named for targeting."""

from django.db import migrations

INDEXES = (
    ("targeting_hh_updated_idx", "registry_household"),
    ("targeting_person_updated_idx", "registry_person"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("targeting", "0001_initial"),
        ("registry", "0010_targeting_fields"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("updated_at")',
            reverse_sql=f'DROP INDEX IF EXISTS "{name}"',
            state_operations=[],
        )
        for name, table in INDEXES
    ]
