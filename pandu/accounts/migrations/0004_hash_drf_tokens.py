"""The API's keys were Django REST framework's ``authtoken_token`` rows, kept in plain text.
Each becomes an ApiToken holding only the key's SHA-256 digest (so clients keep working until it
expires, 90 days after this migration), and the plain table is dropped."""

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

from django.db import migrations
from django.utils import timezone

LEGACY_TABLE = "authtoken_token"
LEGACY_DAYS = 90


def _when(value) -> datetime:
    """The legacy row's creation time (a string on SQLite), else now."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        return timezone.now()
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def hash_legacy_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if LEGACY_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    quote = schema_editor.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('key')}, {quote('user_id')}, {quote('created')} "  # noqa: S608
            f"FROM {quote(LEGACY_TABLE)}"
        )
        rows = cursor.fetchall()
    expires = timezone.now() + timedelta(days=LEGACY_DAYS)
    for key, user_id, created in rows:
        digest = hashlib.sha256(key.encode()).hexdigest()
        if ApiToken.objects.filter(digest=digest).exists():
            continue
        ApiToken.objects.create(
            uid=uuid.uuid4(),
            user_id=user_id,
            name="Token lama (sebelum token bernama)",
            digest=digest,
            prefix=key[:4],
            created_at=_when(created),
            expires_at=expires,
        )
    schema_editor.execute(f"DROP TABLE {quote(LEGACY_TABLE)}")
    # Django REST framework's authtoken app is no longer installed; forget its migrations so the
    # table would be made again if it ever were.
    schema_editor.execute(
        "DELETE FROM django_migrations WHERE app = %s", params=["authtoken"]
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_users_changes_tokens")]

    operations = [migrations.RunPython(hash_legacy_tokens, migrations.RunPython.noop)]
