"""The "Pemberdayaan" dropdown: aid-use monitoring (the KPM to visit, the visits, the summary),
graduation (plans, criteria, the follow-ups due) and empowerment (KUBE groups, UEP grants)."""

from django.utils.translation import gettext_lazy as _

from pandu.core import menu

from .capabilities import ECap

SECTION = "empowerment"


def register() -> None:
    menu.section(SECTION, _("Pemberdayaan"), order=45)
    seen = menu.has_any(ECap.VIEW)
    for order, label, url_name in (
        (10, _("KPM dampingan"), "empowerment:kpm_list"),
        (11, _("Kunjungan pemantauan bantuan"), "empowerment:visit_list"),
        (12, _("Rekap pemantauan"), "empowerment:summary"),
        (20, _("Rencana graduasi"), "empowerment:plan_list"),
        (21, _("Pendampingan pasca-graduasi"), "empowerment:follow_up_list"),
        (22, _("Kriteria graduasi"), "empowerment:criteria"),
        (30, _("Kelompok KUBE"), "empowerment:group_list"),
        (31, _("Hibah UEP"), "empowerment:grant_list"),
    ):
        menu.item(label, url_name, section=SECTION, order=order, allowed=seen)
