from django.conf import settings

from pandu.accounts.roles import Cap


def pandu(request):
    user = getattr(request, "user", None)
    can = user.can if user is not None and user.is_authenticated else (lambda cap: False)
    return {
        "office_name": settings.PANDU_OFFICE_NAME,
        "perms_registry_view": can(Cap.VIEW_REGISTRY),
        "perms_registry_change": can(Cap.CHANGE_REGISTRY),
        "perms_history_view": can(Cap.VIEW_HISTORY),
        "perms_figures_view": can(Cap.VIEW_FIGURES),
        "perms_review_duplicates": can(Cap.REVIEW_DUPLICATES),
    }
