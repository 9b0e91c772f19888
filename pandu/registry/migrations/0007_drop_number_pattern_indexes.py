"""PostgreSQL: drop the ``varchar_pattern_ops`` indexes Django adds beside the unique NIK and KK.

Django gives every unique or indexed text column a second index for ``LIKE 'x%'`` on
PostgreSQL. NIK and KK numbers are only ever looked up whole (``=``, ``IN``) or by a range of
leading digits (``>=``/``<``, the online duplicate check), which the unique index serves; the
pattern index served no query and cost a B-tree update per written row and a rebuild after
every bulk load. SQLite has no such indexes. The models keep ``unique=True``: an ``AlterField``
of either column would add the index back, and would need this step again.
"""

from django.db import migrations

COLUMNS = [("registry_person", "nik"), ("registry_household", "kk_number")]


def _pattern_indexes(cursor, table, column):
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s "
        "AND indexdef LIKE %s ORDER BY indexname",
        [table, f"%({column} varchar_pattern_ops)%"],
    )
    return [name for (name,) in cursor.fetchall()]


def drop_pattern_indexes(apps, schema_editor):
    connection = schema_editor.connection
    deferred = apps.get_model("exchange", "DeferredIndex")
    with connection.cursor() as cursor:
        for table, column in COLUMNS:
            # A bulk import killed half-way may have set one aside: it must not come back.
            names = [
                d.name
                for d in deferred.objects.filter(table=table)
                if f"({column} varchar_pattern_ops)" in d.definition
            ]
            deferred.objects.filter(name__in=names).delete()
            if connection.vendor != "postgresql":
                continue
            for name in _pattern_indexes(cursor, table, column):
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_pattern_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table, column in COLUMNS:
            if _pattern_indexes(cursor, table, column):
                continue
            name = schema_editor._create_index_name(table, [column], suffix="_like")
            cursor.execute(f'CREATE INDEX "{name}" ON "{table}" ("{column}" varchar_pattern_ops)')


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_person_partial_indexes"),
        ("exchange", "0002_bulk_load"),
    ]

    operations = [migrations.RunPython(drop_pattern_indexes, create_pattern_indexes)]
