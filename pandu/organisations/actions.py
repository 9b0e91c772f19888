"""Every write of the list of bodies.

``keep_in_step`` is called by the actions of the apps whose records are also a body (a partner
agency, a PSKS institution) in their own transaction, after they have checked their own
capability: the body's identity follows the record. ``create_organisation`` and
``update_organisation`` serve the list's own pages, for bodies that are neither (a college, a
research centre, a CSR donor).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pandu.accounts.roles import user_can
from pandu.core import versions
from pandu.core.history import stamp
from pandu.core.querysets import scope_of

from .capabilities import OCap
from .models import Organisation

FIELDS = ("name", "short_name", "kind", "area", "address", "phone", "email", "active")


def keep_in_step(user: Any, organisation: Organisation | None, **identity: Any) -> Organisation:
    """Create the body for a record that has none, or copy the record's identity onto it."""
    org = organisation or Organisation()
    for key, value in identity.items():
        if key in FIELDS and value is not None:
            setattr(org, key, value)
    org.full_clean()
    stamp(org, user, _("Diselaraskan dengan data asalnya"))
    org.save()
    return org


def managed_elsewhere(org: Organisation) -> bool:
    """Whether a partner agency or a PSKS institution keeps this body's identity."""
    for rel in Organisation._meta.related_objects:
        if (
            rel.one_to_one
            and rel.related_model._default_manager.filter(**{rel.field.name: org}).exists()
        ):
            return True
    return False


def _require(user: Any, area_code: str | None) -> None:
    scope = scope_of(user)
    if not user_can(user, OCap.MANAGE) or scope is None:
        raise PermissionDenied
    if scope and not (area_code or "").startswith(scope):
        raise PermissionDenied


def _clean(org: Organisation) -> None:
    org.name = (org.name or "").strip()
    if not org.name:
        raise ValidationError({"name": [_("Nama lembaga wajib diisi.")]})
    org.full_clean()


@transaction.atomic
def create_organisation(user: Any, reason: str = "", **data: Any) -> Organisation:
    _require(user, data["area"].code if data.get("area") else None)
    org = Organisation(**{k: v for k, v in data.items() if k in FIELDS})
    _clean(org)
    stamp(org, user, reason or _("Lembaga didaftarkan"))
    org.save()
    return org


@transaction.atomic
def update_organisation(
    user: Any,
    org: Organisation,
    reason: str = "",
    *,
    seen: versions.Seen | None = None,
    **data: Any,
):
    """``data``'s changes to a body; ``seen``: the version the change is based on (a change
    clashing with someone else's since is a ``VersionConflict``)."""
    _require(user, org.area_id)
    org = versions.lock(org, data, seen)
    if managed_elsewhere(org):
        raise ValidationError(
            _(
                "Lembaga ini dikelola sebagai mitra layanan atau lembaga PSKS; ubah datanya dari "
                "halaman tersebut."
            )
        )
    for key, value in data.items():
        if key in FIELDS:
            setattr(org, key, value)
    _require(user, org.area_id)
    _clean(org)
    stamp(org, user, reason or _("Data lembaga diubah"))
    org.save()
    return org
