"""The personal-data section of the registry's person page (``{% privacy_section person %}``,
from ``privacy/_person_section.html``): consents in force, a restriction, and the buttons to
record a consent or a data subject's request, each read through its scoped queryset."""

from __future__ import annotations

from django import template

from ..capabilities import PCap

register = template.Library()


@register.inclusion_tag("privacy/_person_card.html", takes_context=True)
def privacy_section(context, person):
    from ..models import ConsentRecord, Restriction, SubjectRequest

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (user.can(PCap.VIEW) or user.can(PCap.HANDLE)):
        return {"shown": False}
    consents = list(
        ConsentRecord.objects.visible_to(user)
        .filter(person=person)
        .select_related("programme", "organisation")[:20]
    )
    return {
        "shown": True,
        "person": person,
        "consents": consents,
        "restrictions": list(Restriction.objects.visible_to(user).filter(person=person).active()),
        "open_requests": SubjectRequest.objects.visible_to(user)
        .filter(person=person)
        .open()
        .count()
        if user.can(PCap.HANDLE)
        else 0,
        "may_consent": user.can(PCap.CONSENT),
        "may_handle": user.can(PCap.HANDLE),
    }
