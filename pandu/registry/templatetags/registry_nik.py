"""``{{ person.nik|nik_for:request.user }}``: a NIK as the reader may see it (registry.masking)."""

from django import template

from ..masking import nik_for as _nik_for

register = template.Library()


@register.filter
def nik_for(nik, user) -> str:
    return _nik_for(user, nik)
