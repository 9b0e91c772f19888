"""Template helpers of the one-stop service: capability checks and small formatters."""

from django import template
from django.utils.formats import number_format

from pandu.accounts.roles import user_can

from ..capabilities import SCap

register = template.Library()


@register.filter
def svc_can(user, cap_name: str) -> bool:
    """``{% if user|svc_can:"INTAKE" %}``: the service capability named in ``SCap``."""
    return user_can(user, getattr(SCap, cap_name))


@register.filter
def pct(value) -> str:
    if value is None:
        return "—"
    return f"{round(value * 100)}%"


@register.filter
def days(value) -> str:
    if value is None:
        return "—"
    return number_format(round(value, 1), 1)  # 2,5 in Indonesian, 2.5 in English


@register.filter
def urgency_badge(value: str) -> str:
    """``{{ case.intake.urgency|urgency_badge }}``: the urgency as the case lists show it."""
    from ..tables import urgency_badge as badge

    return badge(value)
