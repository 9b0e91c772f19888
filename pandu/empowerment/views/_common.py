"""What the empowerment pages share: the capability gate, refusals as messages, and the scoped
querysets each page starts from."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, OuterRef, Subquery

from pandu.core.access import deny
from pandu.core.access import needs as needs  # re-exported: the views import it from here
from pandu.programs.models import Enrolment

from ..capabilities import ECap
from ..models import GraduationPlan, KubeGroup, UseVisit


def refused(request, exc: ValidationError | PermissionDenied) -> None:
    """An action's refusal on the next page: a permission refusal is the logged 404."""
    if isinstance(exc, PermissionDenied):
        deny(request, "action refused")
    for text in exc.messages:
        messages.error(request, text)


def form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for text in errors:
            messages.error(request, f"{label}: {text}" if label else text)


def kpm(user, cap: str = ECap.VIEW):
    """The KPM of the user's area, read with an empowerment capability, with their last visit
    and their live graduation plan (both rows of the KPM itself)."""
    return (
        Enrolment.objects.visible_to(user, cap=cap)
        .select_related("programme", "household", "recipient")
        .annotate(
            last_visit=Subquery(
                UseVisit.objects.filter(enrolment=OuterRef("pk"))
                .order_by()
                .values("enrolment")
                .annotate(last=Max("visited_on"))
                .values("last")
            ),
            plan_uid=Subquery(
                GraduationPlan.objects.filter(
                    enrolment=OuterRef("pk"), status__in=["berjalan", "lulus"]
                ).values("uid")[:1]
            ),
        )
    )


def plans(user, action: str = "view"):
    return GraduationPlan.objects.restrict(user, action).select_related(
        "enrolment__programme", "enrolment__household", "enrolment__recipient", "facilitator"
    )


def groups(user, action: str = "view"):
    return KubeGroup.objects.restrict(user, action).select_related("village", "organisation")
