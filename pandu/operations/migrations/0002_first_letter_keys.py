"""The ring's first signing key, and the keys that letters printed before the ring were signed
with (derived from SECRET_KEY and SECRET_KEY_FALLBACKS as they are when this runs), so those
letters keep verifying after SECRET_KEY changes (decision 0018)."""

import base64
import hashlib
import secrets

from django.conf import settings
from django.db import migrations
from django.utils import timezone

LEGACY_SALTS = {"referral-letter": "pandu.services.referral-letter"}


def first_keys(apps, schema_editor):
    LetterKey = apps.get_model("operations", "LetterKey")
    now = timezone.now()
    if not LetterKey.objects.filter(legacy=False).exists():
        LetterKey.objects.create(
            kid=secrets.token_hex(4),
            secret=base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
            note="first key",
        )
    for purpose, salt in LEGACY_SALTS.items():
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        for secret_key in keys:
            derived = hashlib.sha256((salt + "signer" + secret_key).encode()).digest()
            secret = base64.b64encode(derived).decode("ascii")
            if LetterKey.objects.filter(legacy=True, purpose=purpose, secret=secret).exists():
                continue
            n = LetterKey.objects.filter(legacy=True, purpose=purpose).count()
            LetterKey.objects.create(
                kid=f"legacy-{purpose}-{n}",
                secret=secret,
                purpose=purpose,
                legacy=True,
                retired_at=now,
                note="derived from a SECRET_KEY in use before the key ring",
            )


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_initial")]

    operations = [migrations.RunPython(first_keys, migrations.RunPython.noop)]
