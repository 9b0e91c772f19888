"""A person's or family's service history on the registry's pages: intakes, cases, referrals.

Registered into ``registry.related`` from ``ServicesConfig.ready()``. Everything is read through
the service's ``visible_to`` querysets: a role that may not read intakes gets no section, and a
case the user has no need to know of is only counted ("1 kasus terlindungi").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pandu.registry.related import Row, Section

from .capabilities import SCap

SHOWN = 50


def service_history(user: Any, people: Sequence[Any]) -> Section | None:
    from .models import Case, Intake, Referral

    if not (user.can(SCap.INTAKE_VIEW) or user.can(SCap.CASE_VIEW)):
        return None
    ids = [p.pk for p in people]
    section = Section(
        title=_("Riwayat layanan"),
        empty=_("Belum pernah dilayani."),
        key="service-history",
    )
    intakes = list(
        Intake.objects.visible_to(user)
        .filter(person_id__in=ids)
        .select_related("person", "service_point")
        .prefetch_related("needs")
        .order_by("-received_at")[:SHOWN]
    )
    cases = {
        case.intake_id: case
        for case in Case.objects.visible_to(user)
        .filter(intake__person_id__in=ids)
        .select_related("assigned_to")
    }
    referrals = list(
        Referral.objects.visible_to(user)
        .filter(case__intake__person_id__in=ids)
        .exclude(status="draft")
        .select_related("agency", "case__intake__person")
        .order_by("-sent_at")[:SHOWN]
    )
    several = len({p.pk for p in people}) > 1
    for intake in intakes:
        who = f"{intake.person.full_name} · " if several and intake.person else ""
        needs = ", ".join(str(n.get_area_display()) for n in intake.needs.all())
        section.rows.append(
            Row(
                when=intake.received_at,
                label=f"{who}{intake.get_kind_display()} {intake.ticket_number}",
                url=reverse("services:intake_detail", args=[intake.uid]),
                status=str(intake.get_status_display()),
                detail=needs,
                kind="intake",
            )
        )
        case = cases.get(intake.pk)
        if case is not None:
            worker = ""
            if case.assigned_to is not None:
                worker = case.assigned_to.get_full_name() or case.assigned_to.username
            section.rows.append(
                Row(
                    when=case.created_at,
                    label=f"{who}{_('Kasus')} {case.number}",
                    url=reverse("services:case_detail", args=[case.uid]),
                    status=str(case.get_status_display()),
                    detail=worker,
                    kind="case",
                )
            )
    for referral in referrals:
        person = referral.case.intake.person
        who = f"{person.full_name} · " if several and person else ""
        section.rows.append(
            Row(
                when=referral.sent_at,
                label=f"{who}{_('Rujukan')} {referral.number} → {referral.agency.name}",
                url=reverse("services:referral_detail", args=[referral.uid]),
                status=str(referral.get_status_display()),
                detail=str(referral.get_need_area_display()),
                kind="referral",
            )
        )
    section.rows.sort(key=lambda r: (r.when is not None, r.when), reverse=True)
    # What lies in the user's area but past their need-to-know: counted, never shown.
    hidden_cases = (
        Case.objects.in_scope_of(user)
        .filter(intake__person_id__in=ids)
        .exclude(pk__in=[c.pk for c in cases.values()])
        .count()
    )
    hidden_intakes = (
        Intake.objects.in_scope_of(user)
        .filter(person_id__in=ids, case__isnull=True)
        .exclude(pk__in=[i.pk for i in intakes])
        .count()
        if len(intakes) < SHOWN
        else 0
    )
    protected = hidden_cases + hidden_intakes
    if protected:
        section.protected = ngettext(
            "%(n)d kasus terlindungi", "%(n)d kasus terlindungi", protected
        ) % {"n": protected}
    return section


def register() -> None:
    from pandu.registry.related import register_provider

    register_provider(service_history)
