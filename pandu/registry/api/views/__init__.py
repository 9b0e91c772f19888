"""Registry over the API: households, people, PPKS, PSKS and the NIK check.

Every queryset starts from ``visible_to(request.user)``; single records are fetched through
``get_for_user_or_404`` (outside the scope: 404 and an access-log row). Writes only parse the body
and call ``registry.actions``, whose ValidationError becomes a 400 and PermissionDenied a 403.
"""

from ._common import BAD_INPUT, FORBIDDEN, NOT_FOUND, HistoryMixin, RegistryViewSet, visible_ppks
from .households import HouseholdViewSet
from .nik import NIK_CHECK_EXAMPLES, NikCheckSlashView, NikCheckView
from .people import PersonViewSet
from .ppks_psks import PPKSAssignmentViewSet, PSKSOrganisationViewSet, PSKSPersonViewSet
from .reference import PPKSCategoryViewSet, PSKSTypeViewSet

__all__ = [
    "BAD_INPUT",
    "FORBIDDEN",
    "HistoryMixin",
    "HouseholdViewSet",
    "NIK_CHECK_EXAMPLES",
    "NOT_FOUND",
    "NikCheckSlashView",
    "NikCheckView",
    "PPKSAssignmentViewSet",
    "PPKSCategoryViewSet",
    "PSKSOrganisationViewSet",
    "PSKSPersonViewSet",
    "PSKSTypeViewSet",
    "PersonViewSet",
    "RegistryViewSet",
    "visible_ppks",
]
