"""What the empowerment pages let each role do, registered into ``accounts.roles`` at start-up.

TKSK and facilitators (the social workers who accompany families) visit KPM, record how the aid
was used and how graduated families fare; with the Dinas's administrator they draw up
graduation plans and form KUBE groups. The administrator sets the graduation criteria,
graduates families (through the programme's own status change) and records grants. The head
and the auditor read everything of their area.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pandu.accounts import roles
from pandu.accounts.roles import Role


class ECap:
    VIEW = "empowerment.view"  # visits, summaries, plans, follow-ups, groups, grants
    VISIT = "empowerment.visit"  # record aid-use visits and post-graduation follow-ups
    ACCOMPANY = "empowerment.accompany"  # graduation plans and their steps, KUBE groups
    MANAGE = "empowerment.manage"  # criteria, graduation, UEP and KUBE grants


LABELS = {
    ECap.VIEW: _("Melihat pemantauan bantuan, rencana graduasi dan pemberdayaan"),
    ECap.VISIT: _("Mencatat kunjungan pemantauan penggunaan bantuan dan pendampingan"),
    ECap.ACCOMPANY: _("Menyusun rencana graduasi dan membentuk kelompok KUBE"),
    ECap.MANAGE: _("Mengatur kriteria graduasi, meluluskan KPM, dan mencatat hibah"),
}

GRANTS: dict[str, set[str]] = {
    Role.ADMIN: {ECap.VIEW, ECap.ACCOMPANY, ECap.MANAGE},
    Role.HEAD: {ECap.VIEW},
    Role.AUDITOR: {ECap.VIEW},
    Role.TKSK: {ECap.VIEW, ECap.VISIT, ECap.ACCOMPANY},
    Role.SOCIAL_WORKER: {ECap.VIEW, ECap.VISIT, ECap.ACCOMPANY},
}


def register() -> None:
    """Called from ``EmpowermentConfig.ready()``."""
    roles.register(LABELS, GRANTS)
