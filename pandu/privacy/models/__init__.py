"""Personal-data records (UU 27/2022): consents and restrictions, data subjects' requests and
the anonymisations they or the retention review decided, retention rules and reviews, and the
breach register. Modules per part; the public names are re-exported here."""

from .breaches import Breach, BreachNotice
from .consents import ConsentRecord, Restriction
from .requests import Anonymisation, SubjectRequest
from .retention import RetentionReview, RetentionRule

__all__ = [
    "Anonymisation",
    "Breach",
    "BreachNotice",
    "ConsentRecord",
    "Restriction",
    "RetentionReview",
    "RetentionRule",
    "SubjectRequest",
]
