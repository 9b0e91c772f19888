"""The bell of the top bar: the number of unread notifications, one indexed count per page."""

from django import template

from ..queries import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {"unread": unread_count(user)}
