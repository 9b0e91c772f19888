"""Sensitive free text encrypted at rest (decision 0019): the columns become encrypted fields,
then every value already written is encrypted under the data-key ring's primary key (the ring is
made if the site has none). Reversed, the values are decrypted back to plain text first."""

import pandu.core.fields
from django.db import migrations

MODELS = ("PPKSAssignment", "HistoricalPPKSAssignment")


def encrypt_existing(apps, schema_editor):
    from pandu.core import crypto

    crypto.ensure_ring()
    for name in MODELS:
        crypto.encrypt_table(apps.get_model("registry", name), using=schema_editor.connection.alias)


def decrypt_existing(apps, schema_editor):
    from pandu.core import crypto

    for name in MODELS:
        crypto.decrypt_table(apps.get_model("registry", name), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_business_uid"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalppksassignment",
            name="note",
            field=pandu.core.fields.EncryptedCharField(
                blank=True, max_length=500, verbose_name="catatan"
            ),
        ),
        migrations.AlterField(
            model_name="ppksassignment",
            name="note",
            field=pandu.core.fields.EncryptedCharField(
                blank=True, max_length=500, verbose_name="catatan"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
