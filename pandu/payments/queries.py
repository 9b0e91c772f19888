"""Reads of cycles, entitlements and payments, always through ``visible_to`` / ``restrict``.

A cycle lies in an area (a regency, usually). Users whose area holds it work on it; users inside
it (the TKSK of a district) read it and record conditionality there, and see only the
entitlements and payments of their own villages: those rows carry the village of the family (or
the area of the group) they belong to.
"""

from __future__ import annotations

from typing import Any, Self

from django.db.models import Count, Q, QuerySet, Sum

from pandu.core.querysets import ScopedQuerySet, scope_of
from pandu.programs.queries import ProgrammePartQuerySet

from .capabilities import PayCap
from .choices import EntitlementStatus

#: Actions a user inside the cycle's area may take on it (the rest need the whole area).
FROM_INSIDE = ("view", "conditionality")


class ConfigQuerySet(ProgrammePartQuerySet):
    """A programme's payment scheme and components: part of its catalogue entry, seen and
    changed with the programme (a national programme's by the national administrator)."""


class CycleQuerySet(ScopedQuerySet):
    area_field = "area"
    seen_from_inside = True
    caps = {
        "view": PayCap.VIEW,
        "manage": PayCap.MANAGE,
        "approve_dinas": PayCap.APPROVE_DINAS,
        "approve_head": PayCap.APPROVE_HEAD,
        "conditionality": PayCap.CONDITIONALITY,
    }

    def restrict(self, user: Any, action: str = "view", *, cap: str | None = None) -> Self:
        rows = super().restrict(user, action, cap=cap)
        scope = scope_of(user)
        if action in FROM_INSIDE or not scope:
            return rows
        return rows.filter(self._scope_inside(scope))


class AreaRowQuerySet(ScopedQuerySet):
    """Entitlements, payments, conditionality records: in the family's village or the group's
    area."""

    area_field = "area_code"
    caps = {
        "view": PayCap.VIEW,
        "manage": PayCap.MANAGE,
        "conditionality": PayCap.CONDITIONALITY,
    }


class EntitlementQuerySet(AreaRowQuerySet):
    def figures(self) -> dict[str, int]:
        """How many entitlements and how much, per status, in one query."""
        rows = self.order_by().values("status").annotate(n=Count("pk"), amount=Sum("amount"))
        out: dict[str, int] = {"kpm": 0, "amount": 0}
        for row in rows:
            n, amount = int(row["n"]), int(row["amount"] or 0)
            out[row["status"]] = n
            out[f"{row['status']}_amount"] = amount
            out["kpm"] += n
            out["amount"] += amount
        for status in EntitlementStatus.values:
            out.setdefault(status, 0)
            out.setdefault(f"{status}_amount", 0)
        return out

    def retry_list(self) -> Self:
        """Failed payments that wait to be paid again in a later cycle."""
        return self.filter(status=EntitlementStatus.FAILED)


class PaymentQuerySet(AreaRowQuerySet):
    pass


class ConditionalityQuerySet(AreaRowQuerySet):
    pass


class ImportQuerySet(ScopedQuerySet):
    """Reconciliation imports: seen in the area of the user who made them."""

    area_field = "area_code"
    caps = {"view": PayCap.VIEW, "manage": PayCap.MANAGE}


class TreasuryReturnQuerySet(ScopedQuerySet):
    area_field = "area_code"
    caps = {"view": PayCap.VIEW, "manage": PayCap.MANAGE}


def in_force(rows: QuerySet, day) -> QuerySet:
    """Configuration rows valid on ``day``."""
    return rows.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def dangling_keys() -> dict[str, int]:
    """Per entitlement and payment key that has no database constraint (models/cycles.py), the
    rows whose key names nothing; all zero in a sound database. One anti-join per key."""
    from django.db import connection

    from pandu.accounts.models import User
    from pandu.organisations.models import Organisation
    from pandu.programs.models import Enrolment
    from pandu.registry.models import Household, Person

    from .models import Cycle, Entitlement, Payment, ReconciliationImport

    keys = [
        (Entitlement, "cycle_id", Cycle),
        (Entitlement, "household_id", Household),
        (Entitlement, "organisation_id", Organisation),
        (Entitlement, "enrolment_id", Enrolment),
        (Entitlement, "recipient_id", Person),
        (Entitlement, "retry_in_id", Cycle),
        (Entitlement, "decided_by_id", User),
        (Payment, "entitlement_id", Entitlement),
        (Payment, "cycle_id", Cycle),
        (Payment, "household_id", Household),
        (Payment, "organisation_id", Organisation),
        (Payment, "batch_id", ReconciliationImport),
    ]
    q = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for model, column, target in keys:
            table, other = q(model._meta.db_table), q(target._meta.db_table)
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} t WHERE t.{q(column)} IS NOT NULL AND NOT EXISTS "  # noqa: S608 - names are ours
                f"(SELECT 1 FROM {other} o WHERE o.{q('id')} = t.{q(column)})"
            )
            found[f"{model._meta.model_name}.{column}"] = cursor.fetchone()[0]
    return found
