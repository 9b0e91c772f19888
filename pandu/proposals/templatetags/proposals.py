"""Template helpers for the proposal pages: what the user may do, status colours."""

from django import template

from pandu.accounts.roles import Cap, user_can

register = template.Library()

STATUS_COLOURS = {
    "draft": "secondary",
    "submitted": "primary",
    "pending": "secondary",
    "verified": "info",
    "approved": "warning",
    "rejected": "danger",
    "applied": "success",
    "decided": "success",
    "awaiting": "warning",
    "accepted": "success",
    "refused": "danger",
}
RESULT_COLOURS = {
    "confirmed": "success",
    "not_confirmed": "danger",
    "duplicate": "warning",
    "deceased": "dark",
    "no_documents": "secondary",
}


@register.simple_tag(takes_context=True)
def proposal_caps(context) -> dict:
    user = context.get("user")
    return {
        "propose": user_can(user, Cap.PROPOSE),
        "verify": user_can(user, Cap.VERIFY),
        "decide": user_can(user, Cap.DECIDE),
    }


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "secondary")


@register.filter
def result_colour(result: str) -> str:
    return RESULT_COLOURS.get(result, "secondary")
