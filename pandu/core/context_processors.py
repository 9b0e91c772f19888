from datetime import datetime

from django.conf import settings
from django.utils.functional import cached_property

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
        "jobs_warning": JobsWarning(user),
    }


class JobsWarning:
    """The banner saying no background worker has been seen lately, for administrators and for
    users with a job waiting or running. Looked up only when a page shows it."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def show(self) -> bool:
        from .models import Job
        from .workers import missing

        user = self.user
        if user is None or not user.is_authenticated:
            return False
        gone, self.last_seen = missing()
        if not gone:
            return False
        return (
            self.staff
            or Job.objects.filter(
                created_by=user, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
            ).exists()
        )

    last_seen: datetime | None = None

    @cached_property
    def staff(self) -> bool:
        return bool(self.user.is_superuser or self.user.can(Cap.MANAGE_USERS))
