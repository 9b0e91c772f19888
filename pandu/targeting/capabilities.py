"""What targeting lets each role do: capabilities registered into ``accounts.roles`` when the app
starts (the one table), checked with ``user.can(TCap.X)``, each inside the user's area."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pandu.accounts import roles
from pandu.accounts.roles import Role


class TCap:
    VIEW = "targeting.view"  # runs, results and one family's explanation
    RUN = "targeting.run"  # write rule and PMT versions, dry runs
    COMMIT = "targeting.commit"  # make a dry run the programme's result
    APPEAL = "targeting.appeal"  # receive a family's objection (an intake)


LABELS = {
    TCap.VIEW: _("Melihat hasil penetapan sasaran"),
    TCap.RUN: _("Menyusun aturan dan menjalankan uji coba penetapan sasaran"),
    TCap.COMMIT: _("Menetapkan hasil penetapan sasaran"),
    TCap.APPEAL: _("Menerima keberatan atas hasil penetapan sasaran"),
}

GRANTS: dict[str, set[str]] = {
    Role.ADMIN: {TCap.VIEW, TCap.RUN, TCap.COMMIT, TCap.APPEAL},
    Role.SOCIAL_WORKER: {TCap.VIEW, TCap.RUN, TCap.APPEAL},
    Role.TKSK: {TCap.VIEW, TCap.APPEAL},
    Role.FRONT_OFFICE: {TCap.VIEW, TCap.APPEAL},
    Role.OPERATOR: {TCap.VIEW},
    Role.AUDITOR: {TCap.VIEW},
    Role.HEAD: set(),
    Role.PARTNER: set(),
}


def register() -> None:
    """Called from ``TargetingConfig.ready()``."""
    roles.register(LABELS, GRANTS)
