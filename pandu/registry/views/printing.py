"""Printed profiles (PDF) of a household and a person: the same records, PPKS and need-to-know as
their pages; printing a record with a sensitive PPKS is logged as viewing it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch

from pandu.accounts.roles import Cap
from pandu.core.access import get_for_user_or_404, require
from pandu.core.files import private_file_response

from ..masking import may_see_nik
from ..models import Household, Person, PSKSPerson
from ..printing import household_profile_pdf, person_profile_pdf
from ._common import _log_if_sensitive, _visible_ppks


def _printer(user) -> str:
    return user.get_full_name() or user.username


@login_required
def household_pdf(request, uid):
    require(request, Cap.VIEW_REGISTRY)
    user = request.user
    hh = get_for_user_or_404(
        request, Household.objects.visible_to(user).select_related("breadwinner"), uid=uid
    )
    ppks_qs = _visible_ppks(user)
    members = list(
        hh.members.prefetch_related(
            Prefetch("ppks", queryset=ppks_qs, to_attr="visible_ppks")
        ).order_by("status", "relationship", "birth_date")
    )
    ppks = list(ppks_qs.filter(household=hh)) + [a for m in members for a in m.visible_ppks]
    _log_if_sensitive(request, hh, ppks)
    return private_file_response(
        household_profile_pdf(
            hh, members, ppks, printed_by=_printer(user), full_nik=may_see_nik(user)
        ),
        filename=f"profil-keluarga-{hh.uid}.pdf",
        content_type="application/pdf",
    )


@login_required
def person_pdf(request, uid):
    require(request, Cap.VIEW_REGISTRY)
    user = request.user
    person = get_for_user_or_404(
        request, Person.objects.visible_to(user).select_related("household"), uid=uid
    )
    ppks = list(_visible_ppks(user).filter(person=person).order_by("-active", "-identified_on"))
    _log_if_sensitive(request, person, ppks)
    roles = list(
        PSKSPerson.objects.visible_to(user).filter(person=person).select_related("psks_type")
    )
    return private_file_response(
        person_profile_pdf(
            person, ppks, roles, printed_by=_printer(user), full_nik=may_see_nik(user)
        ),
        filename=f"profil-penduduk-{person.uid}.pdf",
        content_type="application/pdf",
    )
