"""Registry over the API. Output serializers show what a user may see; input serializers only check
the shape and types of a request: the rules live in ``registry.actions``.

Integer keys never leave the server: records are named by ``uid``, areas by code, PPKS categories
and PSKS types by their official number.
"""

from ._common import DATE_FORMATS, NUMBER_AS_TEXT
from .input import (
    HouseholdCreateSerializer,
    HouseholdInputSerializer,
    HouseholdUpdateSerializer,
    NikCheckResultSerializer,
    NikCheckSerializer,
    PersonCreateSerializer,
    PersonInputSerializer,
    PersonSearchSerializer,
    PersonStatusSerializer,
    PersonUpdateSerializer,
    PPKSAssignmentCreateSerializer,
    PSKSOrganisationSerializer,
    PSKSPersonSerializer,
)
from .output import (
    HOUSEHOLD_LIST_FIELDS,
    HOUSING_FIELDS,
    PERSON_LIST_FIELDS,
    HistoryChangeSerializer,
    HistoryRecordSerializer,
    HouseholdDetailSerializer,
    HouseholdListSerializer,
    MemberSerializer,
    NikMixin,
    PersonDetailSerializer,
    PersonListSerializer,
    PPKSAssignmentSerializer,
    PPKSBriefSerializer,
)
from .reference import PPKSCategorySerializer, PSKSTypeSerializer

__all__ = [
    "DATE_FORMATS",
    "HOUSEHOLD_LIST_FIELDS",
    "HOUSING_FIELDS",
    "HistoryChangeSerializer",
    "HistoryRecordSerializer",
    "HouseholdCreateSerializer",
    "HouseholdDetailSerializer",
    "HouseholdInputSerializer",
    "HouseholdListSerializer",
    "HouseholdUpdateSerializer",
    "MemberSerializer",
    "NUMBER_AS_TEXT",
    "NikCheckResultSerializer",
    "NikCheckSerializer",
    "NikMixin",
    "PERSON_LIST_FIELDS",
    "PPKSAssignmentCreateSerializer",
    "PPKSAssignmentSerializer",
    "PPKSBriefSerializer",
    "PPKSCategorySerializer",
    "PSKSOrganisationSerializer",
    "PSKSPersonSerializer",
    "PSKSTypeSerializer",
    "PersonCreateSerializer",
    "PersonDetailSerializer",
    "PersonInputSerializer",
    "PersonListSerializer",
    "PersonSearchSerializer",
    "PersonStatusSerializer",
    "PersonUpdateSerializer",
]
