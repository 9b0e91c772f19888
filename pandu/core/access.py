"""Fetching one record for a user: inside the scope it is returned, outside it is a 404 and logged.

Pages and API views use these helpers, never ``Model.objects.get``: a record outside the user's
area or role answers exactly like one that does not exist (a 404, never a 403 that confirms it),
and the attempt is written to the access log. The access log never holds a NIK: records are named
by their public UUID.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any, NoReturn

from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ObjectDoesNotExist,
    ValidationError,
)
from django.db.models import Q, QuerySet
from django.http import Http404

from pandu.accounts.roles import user_can

from .models import AccessLog
from .querysets import ScopedQuerySet
from .ratelimit import client_ip

log = logging.getLogger("pandu.access")


#: How much of the browser's self-description an entry keeps.
USER_AGENT_LENGTH = 200


def _follow(obj, path: str) -> str:
    """The value at ``path`` (``household__village``) of ``obj`` as an area code, or ""."""
    current = obj
    parts = path.split("__")
    for i, part in enumerate(parts):
        if current is None:
            return ""
        try:
            field = current._meta.get_field(part)
        except (AttributeError, FieldDoesNotExist):
            field = None
        last = i == len(parts) - 1
        if last and field is not None and getattr(field, "many_to_one", False):
            current = getattr(current, field.attname, None)  # the key alone: no query
        else:
            try:
                current = getattr(current, part, None)
            except ObjectDoesNotExist:
                return ""
    value = getattr(current, "pk", current)
    return value if isinstance(value, str) else ""


def area_of(obj) -> str:
    """The dotted area code a record lies in: where its scoped queryset says its area is (the
    first of a pair's), else its own ``area_code``, ``area`` or ``village``; "" when it has none."""
    if obj is None:
        return ""
    paths: list[str] = []
    qs = obj._meta.model._default_manager.all()  # ``type`` would miss a lazy request.user
    if isinstance(qs, ScopedQuerySet):
        with contextlib.suppress(ImproperlyConfigured):
            paths.extend(qs._scope_fields())
    paths.extend(("area_code", "area", "village"))
    for path in paths:
        code = _follow(obj, path)
        if code:
            return code[:13]
    return ""


def record_access(
    request_or_user,
    kind: str,
    obj=None,
    detail: str = "",
    path: str = "",
    *,
    area: str | None = None,
) -> None:
    """Write one access-log entry. Given the request, the entry keeps the page, the caller's
    address (as the trusted proxies saw it) and browser; given a user alone (a background job),
    none of them. The entry's area is ``area``, else the record's, else the user's."""
    user = getattr(request_or_user, "user", request_or_user)
    if hasattr(request_or_user, "path") and not path:
        path = request_or_user.path
    meta = getattr(request_or_user, "META", None)
    address = (client_ip(request_or_user) or None) if meta is not None else None
    agent = (meta or {}).get("HTTP_USER_AGENT", "") or ""
    signed_in = getattr(user, "is_authenticated", False)
    if area is None:
        area = area_of(obj) or (getattr(user, "area_id", None) or "" if signed_in else "")
    AccessLog.objects.create(
        user=user if signed_in else None,
        kind=kind,
        object_type=obj._meta.model_name if obj is not None else "",
        object_uid=str(getattr(obj, "uid", "") or "") if obj is not None else "",
        path=path[:300],
        detail=detail[:300],
        address=address,
        user_agent=str(agent)[:USER_AGENT_LENGTH],
        area_code=area[:13],
    )
    log.info(
        "access kind=%s user=%s object=%s:%s",
        kind,
        getattr(user, "pk", None),
        obj._meta.model_name if obj is not None else "-",
        getattr(obj, "uid", "-") if obj is not None else "-",
    )


def deny(request, detail: str = "", obj=None) -> NoReturn:
    """Refuse as if nothing were there: log a ``denied`` row (naming ``obj`` if given), 404."""
    record_access(request, AccessLog.Kind.DENIED, obj, detail=detail)
    raise Http404


def require(request, allowed: bool | str, detail: str = "") -> None:
    """A page or action the role may not use at all is hidden like a record outside the area.

    ``allowed`` is a capability (``"registry.view"``) or an answer already worked out.
    """
    if isinstance(allowed, str):
        cap = allowed
        allowed = user_can(request.user, cap)
        detail = detail or f"role lacks {cap}"
    if not allowed:
        deny(request, detail)


def get_for_user_or_404(request, visible_qs: QuerySet, *conditions: Q, **lookup: Any):
    """One object from ``visible_qs``; if it exists only outside, log the attempt and 404.

    ``conditions`` (``Q`` objects) and ``lookup`` select the object, as in ``QuerySet.get``.
    """
    try:
        return visible_qs.get(*conditions, **lookup)
    except (visible_qs.model.DoesNotExist, ValueError, TypeError, ValidationError):
        # A malformed UUID raises ValidationError: no such record either.
        pass
    except visible_qs.model.MultipleObjectsReturned:
        raise Http404 from None
    try:
        hidden = visible_qs.model._default_manager.filter(*conditions, **lookup).first()
    except (ValueError, TypeError, ValidationError):
        hidden = None
    if hidden is not None:
        deny(request, "outside scope or role", hidden)
    raise Http404


def needs(*caps: str):
    """A page for roles holding any of ``caps`` (signed in first); others get the logged 404."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    def wrap(view):
        @login_required
        @wraps(view)
        def inner(request, *args, **kwargs):
            require(
                request, any(request.user.can(cap) for cap in caps), "role lacks " + "/".join(caps)
            )
            return view(request, *args, **kwargs)

        return inner

    return wrap
