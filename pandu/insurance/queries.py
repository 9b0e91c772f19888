"""Reads of the Askesos records, always through ``visible_to`` / ``restrict(user, action)``.

Every record has two ways in. The Dinas's staff see the records of their area (a provider by
its seat, a member, a payment or a claim by the member's village) when their role may
(``insurance.view``; ``insurance.manage`` to act). A provider's staff see the records of the
providers they are linked to, wherever the members live, and nothing of another provider
(actions ``"view"`` and ``"work"``). Action ``"manage"`` (accreditation, schemes) is the
Dinas's alone.
"""

from __future__ import annotations

from typing import Any, Self

from django.apps import apps
from django.db.models import Q, QuerySet

from pandu.accounts.roles import user_can
from pandu.core.querysets import ScopedQuerySet

from .capabilities import ICap


def _model(name: str):
    return apps.get_model("insurance", name)


def own_providers(user: Any) -> QuerySet:
    """Ids of the providers ``user`` is active staff of (none without the capability)."""
    staff = _model("ProviderStaff").objects
    if not user_can(user, ICap.PROVIDER):
        return staff.none().values("provider")
    return staff.filter(user=user, active=True, user__is_active=True).values("provider")


class InsuranceQuerySet(ScopedQuerySet):
    """A record with an area (``area_field``) and a provider (``provider_path``)."""

    area_field = "area_code"
    provider_path = "provider"
    caps = {"view": ICap.VIEW, "work": ICap.MANAGE, "manage": ICap.MANAGE}

    def restrict(self, user: Any, action: str = "view", *, cap: str | None = None) -> Self:
        whole = super().restrict(user, action, cap=cap)
        if cap is not None or action == "manage" or not user_can(user, ICap.PROVIDER):
            return whole
        own = self.filter(**{f"{self.provider_path}__in": own_providers(user)})
        if not user_can(user, self.caps[action]):
            return own
        return self.filter(Q(pk__in=whole.values("pk")) | Q(pk__in=own.values("pk")))


class ProviderQuerySet(InsuranceQuerySet):
    provider_path = "pk"
    # A regency's provider serves its districts and villages: their staff see it too.
    seen_from_inside = True

    def accredited_on(self, day) -> Self:
        return self.filter(
            accreditations__status="terakreditasi",
            accreditations__valid_from__lte=day,
            accreditations__valid_until__gte=day,
        ).distinct()


class AccreditationQuerySet(InsuranceQuerySet):
    area_field = "provider__area_code"
    provider_path = "provider"
    seen_from_inside = True


class SchemeQuerySet(InsuranceQuerySet):
    area_field = "provider__area_code"
    seen_from_inside = True


class MemberQuerySet(InsuranceQuerySet):
    def open(self) -> Self:
        return self.exclude(status="berakhir")


class PaymentQuerySet(InsuranceQuerySet):
    pass


class ClaimQuerySet(InsuranceQuerySet):
    pass


class PremiumImportQuerySet(InsuranceQuerySet):
    """Imports name their provider; one without (the command line) is the Dinas's own."""

    area_field = "provider__area_code"


class _PartQuerySet(QuerySet):
    """Rows seen and changed exactly with their parent record (``parent``)."""

    parent = ""
    parent_model = ""

    def visible_to(self, user: Any) -> Self:
        return self.restrict(user, "view")

    def restrict(self, user: Any, action: str = "view") -> Self:
        allowed = _model(self.parent_model).objects.restrict(user, action)
        return self.filter(**{f"{self.parent}__in": allowed.values("pk")})


class ProviderPartQuerySet(_PartQuerySet):
    parent, parent_model = "provider", "Provider"


class SchemePartQuerySet(_PartQuerySet):
    parent, parent_model = "scheme", "Scheme"


class MemberPartQuerySet(_PartQuerySet):
    parent, parent_model = "membership", "Member"


class ClaimPartQuerySet(_PartQuerySet):
    parent, parent_model = "claim", "Claim"


class AccreditationPartQuerySet(_PartQuerySet):
    parent, parent_model = "accreditation", "Accreditation"


def kube_of(member: Any) -> QuerySet:
    """The KUBE groups of a member's person (the scheme's income-growth side), read through the
    member the caller was allowed to open: a provider's staff see the groups of their own
    members without reading the empowerment app's other records."""
    kube_member = apps.get_model("empowerment", "KubeMember")
    return (
        kube_member.objects.filter(person_id=member.person_id)
        .select_related("group")
        .order_by("left_on", "-joined_on")
    )
