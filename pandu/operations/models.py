"""Letter-signing keys: the ring that signs the links printed on letters (QR codes).

A printed letter lives for years; the link on it must not depend on ``SECRET_KEY``, which a
site changes when it leaks or when staff leave. Each key has a short id that goes into every
token it signs, so an old letter names the key that can check it (decision 0018).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterKey(models.Model):
    """One key of the ring. The newest key that is neither retired nor revoked signs; every key
    that is not revoked verifies. ``legacy`` keys were derived from an old ``SECRET_KEY`` for
    the letters printed before the ring existed: they verify those and never sign."""

    kid = models.CharField(_("ID kunci"), max_length=40, unique=True)
    #: 32 random bytes, base64 (legacy keys: the key Django's signer derived for ``purpose``).
    secret = models.CharField(_("rahasia"), max_length=100)
    #: Legacy keys only: the kind of letter whose old signatures they check.
    purpose = models.CharField(_("jenis surat"), max_length=50, blank=True)
    legacy = models.BooleanField(_("kunci lama (SECRET_KEY)"), default=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    #: No longer signs (a newer key does); still verifies.
    retired_at = models.DateTimeField(_("dipensiunkan"), null=True, blank=True)
    #: Verifies nothing any more (a leaked key): the letters it signed read as not genuine.
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kunci tanda tangan surat")
        verbose_name_plural = _("kunci tanda tangan surat")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.kid
