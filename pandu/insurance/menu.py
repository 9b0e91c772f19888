"""The "Askesos" dropdown: providers and accreditation, schemes, members, premiums (payments,
reminders, imports), claims and the providers' books."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandu.core import menu

from .capabilities import ICap

SECTION = "insurance"


def register() -> None:
    menu.section(SECTION, _("Askesos"), order=47)
    seen = menu.has_any(ICap.VIEW, ICap.PROVIDER)
    for order, label, url_name in (
        (10, _("Penyelenggara"), "insurance:provider_list"),
        (20, pgettext_lazy("askesos", "Peserta"), "insurance:member_list"),
        (30, _("Pembayaran iuran"), "insurance:payment_list"),
        (31, _("Pengingat tunggakan"), "insurance:reminders"),
        (40, _("Klaim"), "insurance:claim_list"),
        (50, _("Buku penyelenggara"), "insurance:books"),
    ):
        menu.item(label, url_name, section=SECTION, order=order, allowed=seen)
