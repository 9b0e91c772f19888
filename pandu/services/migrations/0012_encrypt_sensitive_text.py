"""Sensitive free text encrypted at rest (decision 0019): the columns become encrypted fields,
then every value already written is encrypted under the data-key ring's primary key (the ring is
made if the site has none). Reversed, the values are decrypted back to plain text first."""

import pandu.core.fields
from django.db import migrations

MODELS = (
    "Intake",
    "HistoricalIntake",
    "IntakeNeed",
    "Case",
    "HistoricalCase",
    "Assessment",
    "HistoricalAssessment",
    "CaseNote",
    "CounsellingSession",
    "HistoricalCounsellingSession",
    "CaseEvent",
    "Referral",
    "HistoricalReferral",
)


def encrypt_existing(apps, schema_editor):
    from pandu.core import crypto

    crypto.ensure_ring()
    for name in MODELS:
        crypto.encrypt_table(apps.get_model("services", name), using=schema_editor.connection.alias)


def decrypt_existing(apps, schema_editor):
    from pandu.core import crypto

    for name in MODELS:
        crypto.decrypt_table(apps.get_model("services", name), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0011_task_case_open_due"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessment",
            name="data",
            field=pandu.core.fields.EncryptedJSONField(
                blank=True, default=dict, verbose_name="isian"
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="closure_summary",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="ringkasan penutupan"
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="plan_comment",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="catatan supervisor atas rencana"
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="plan_summary",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="ringkasan rencana"
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="detail",
            field=pandu.core.fields.EncryptedTextField(blank=True, verbose_name="keterangan"),
        ),
        migrations.AlterField(
            model_name="casenote",
            name="text",
            field=pandu.core.fields.EncryptedTextField(verbose_name="catatan"),
        ),
        migrations.AlterField(
            model_name="counsellingsession",
            name="agreed_steps",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="langkah yang disepakati"
            ),
        ),
        migrations.AlterField(
            model_name="counsellingsession",
            name="issues",
            field=pandu.core.fields.EncryptedTextField(verbose_name="masalah yang dibahas"),
        ),
        migrations.AlterField(
            model_name="counsellingsession",
            name="participants",
            field=pandu.core.fields.EncryptedTextField(verbose_name="peserta"),
        ),
        migrations.AlterField(
            model_name="historicalassessment",
            name="data",
            field=pandu.core.fields.EncryptedJSONField(
                blank=True, default=dict, verbose_name="isian"
            ),
        ),
        migrations.AlterField(
            model_name="historicalcase",
            name="closure_summary",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="ringkasan penutupan"
            ),
        ),
        migrations.AlterField(
            model_name="historicalcase",
            name="plan_comment",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="catatan supervisor atas rencana"
            ),
        ),
        migrations.AlterField(
            model_name="historicalcase",
            name="plan_summary",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="ringkasan rencana"
            ),
        ),
        migrations.AlterField(
            model_name="historicalcounsellingsession",
            name="agreed_steps",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="langkah yang disepakati"
            ),
        ),
        migrations.AlterField(
            model_name="historicalcounsellingsession",
            name="issues",
            field=pandu.core.fields.EncryptedTextField(verbose_name="masalah yang dibahas"),
        ),
        migrations.AlterField(
            model_name="historicalcounsellingsession",
            name="participants",
            field=pandu.core.fields.EncryptedTextField(verbose_name="peserta"),
        ),
        migrations.AlterField(
            model_name="historicalintake",
            name="description",
            field=pandu.core.fields.EncryptedTextField(verbose_name="uraian keluhan/permohonan"),
        ),
        migrations.AlterField(
            model_name="historicalintake",
            name="resolution",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="penyelesaian di loket"
            ),
        ),
        migrations.AlterField(
            model_name="historicalreferral",
            name="decline_reason",
            field=pandu.core.fields.EncryptedTextField(blank=True, verbose_name="alasan penolakan"),
        ),
        migrations.AlterField(
            model_name="historicalreferral",
            name="done_so_far",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="yang sudah dilakukan"
            ),
        ),
        migrations.AlterField(
            model_name="historicalreferral",
            name="need",
            field=pandu.core.fields.EncryptedTextField(verbose_name="kebutuhan"),
        ),
        migrations.AlterField(
            model_name="historicalreferral",
            name="partner_note",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="catatan terakhir mitra"
            ),
        ),
        migrations.AlterField(
            model_name="historicalreferral",
            name="request",
            field=pandu.core.fields.EncryptedTextField(verbose_name="yang diminta dari mitra"),
        ),
        migrations.AlterField(
            model_name="historicalreferral",
            name="result",
            field=pandu.core.fields.EncryptedTextField(blank=True, verbose_name="hasil layanan"),
        ),
        migrations.AlterField(
            model_name="historicalreferral",
            name="return_reason",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="alasan dikembalikan"
            ),
        ),
        migrations.AlterField(
            model_name="historicalreferral",
            name="withdraw_reason",
            field=pandu.core.fields.EncryptedTextField(blank=True, verbose_name="alasan ditarik"),
        ),
        migrations.AlterField(
            model_name="intake",
            name="description",
            field=pandu.core.fields.EncryptedTextField(verbose_name="uraian keluhan/permohonan"),
        ),
        migrations.AlterField(
            model_name="intake",
            name="resolution",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="penyelesaian di loket"
            ),
        ),
        migrations.AlterField(
            model_name="intakeneed",
            name="detail",
            field=pandu.core.fields.EncryptedCharField(
                blank=True, max_length=300, verbose_name="keterangan"
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="decline_reason",
            field=pandu.core.fields.EncryptedTextField(blank=True, verbose_name="alasan penolakan"),
        ),
        migrations.AlterField(
            model_name="referral",
            name="done_so_far",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="yang sudah dilakukan"
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="need",
            field=pandu.core.fields.EncryptedTextField(verbose_name="kebutuhan"),
        ),
        migrations.AlterField(
            model_name="referral",
            name="partner_note",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="catatan terakhir mitra"
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="request",
            field=pandu.core.fields.EncryptedTextField(verbose_name="yang diminta dari mitra"),
        ),
        migrations.AlterField(
            model_name="referral",
            name="result",
            field=pandu.core.fields.EncryptedTextField(blank=True, verbose_name="hasil layanan"),
        ),
        migrations.AlterField(
            model_name="referral",
            name="return_reason",
            field=pandu.core.fields.EncryptedTextField(
                blank=True, verbose_name="alasan dikembalikan"
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="withdraw_reason",
            field=pandu.core.fields.EncryptedTextField(blank=True, verbose_name="alasan ditarik"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
