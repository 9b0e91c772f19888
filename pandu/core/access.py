"""Fetching one record for a user: inside the scope it is returned, outside it is a 404 and logged.

The access log never holds a NIK: records are named by their public UUID.
"""

import logging

from django.http import Http404

from .models import AccessLog

log = logging.getLogger("pandu.access")


def record_access(request_or_user, kind: str, obj=None, detail: str = "", path: str = "") -> None:
    user = getattr(request_or_user, "user", request_or_user)
    if hasattr(request_or_user, "path") and not path:
        path = request_or_user.path
    AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        object_type=obj._meta.model_name if obj is not None else "",
        object_uid=str(getattr(obj, "uid", "") or "") if obj is not None else "",
        path=path[:300],
        detail=detail[:300],
    )
    log.info(
        "access kind=%s user=%s object=%s:%s",
        kind,
        getattr(user, "pk", None),
        obj._meta.model_name if obj is not None else "-",
        getattr(obj, "uid", "-") if obj is not None else "-",
    )


def get_for_user_or_404(request, visible_qs, **lookup):
    """One object from ``visible_qs``; if it exists only outside, log the attempt and 404."""
    try:
        return visible_qs.get(**lookup)
    except (visible_qs.model.DoesNotExist, ValueError, TypeError):
        pass
    except Exception as exc:  # a malformed UUID raises ValidationError
        if exc.__class__.__name__ != "ValidationError":
            raise
        raise Http404 from None
    hidden = visible_qs.model._default_manager.filter(**lookup).first()
    if hidden is not None:
        record_access(request, AccessLog.Kind.DENIED, hidden, detail="outside scope or role")
    raise Http404
