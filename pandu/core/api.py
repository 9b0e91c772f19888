"""API plumbing shared by every app: keyset pagination, scoped object lookup, capability checks and
error answers without 500s."""

import binascii
import re
from base64 import urlsafe_b64decode, urlsafe_b64encode
from urllib import parse

from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, pagination, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from pandu.accounts.roles import Cap

from . import versions
from .access import get_for_user_or_404
from .lists import DEFAULT_PER_PAGE, MAX_PER_PAGE

# Public ids in URLs: a UUID, with or without dashes (anything else is a 404 from the router).
UID_REGEX = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


BAD_CURSOR = _(
    "Kursor halaman tidak sah atau sudah kedaluwarsa. Mulai lagi dari halaman pertama (tanpa "
    "cursor), lalu ikuti tautan next."
)


class KeysetPagination(pagination.CursorPagination):
    """Cursor (keyset) pages: constant cost at any depth, no COUNT(*) over a million rows.

    At most ``MAX_PER_PAGE`` rows a page (a bigger ``page_size`` is capped, one that is not a
    positive number gives the default); a whole area is an export. Cursors are signed for the
    list that issued them: one the server did not give out (changed, made up, or from another
    list) is a 400 that says to start again, never a 500 or a query on a made-up position.
    """

    page_size = DEFAULT_PER_PAGE
    page_size_query_param = "page_size"
    max_page_size = MAX_PER_PAGE
    ordering = "-id"

    def paginate_queryset(self, queryset, request, view=None):
        self._signer = signing.Signer(salt="pandu.api.cursor:" + request.path)
        return super().paginate_queryset(queryset, request, view)

    def encode_cursor(self, cursor):
        tokens = {}
        if cursor.offset:
            tokens["o"] = str(cursor.offset)
        if cursor.reverse:
            tokens["r"] = "1"
        if cursor.position is not None:
            tokens["p"] = cursor.position
        signed = self._signer.sign(parse.urlencode(tokens))
        encoded = urlsafe_b64encode(signed.encode()).decode("ascii").rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            raw = encoded.encode("ascii")
            signed = urlsafe_b64decode(raw + b"=" * (-len(raw) % 4)).decode()
            tokens = parse.parse_qs(self._signer.unsign(signed), keep_blank_values=True)
            offset = int(tokens.get("o", ["0"])[0])
            reverse = tokens.get("r", ["0"])[0] == "1"
            position = tokens.get("p", [None])[0]
        except (binascii.Error, UnicodeError, ValueError, signing.BadSignature):
            raise exceptions.ValidationError({self.cursor_query_param: [BAD_CURSOR]}) from None
        if not 0 <= offset <= self.offset_cutoff:
            raise exceptions.ValidationError({self.cursor_query_param: [BAD_CURSOR]})
        return pagination.Cursor(offset=offset, reverse=reverse, position=position)

    def get_ordering(self, request, queryset, view):
        """A view may name its own keys (``keyset_ordering``): an app below core, like regions,
        is paged by the project's default pagination without importing it."""
        ordering = getattr(view, "keyset_ordering", None)
        if ordering:
            return (ordering,) if isinstance(ordering, str) else tuple(ordering)
        return super().get_ordering(request, queryset, view)


def exception_handler(exc, context):
    if isinstance(exc, versions.VersionConflict):
        return conflict_response(exc)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = exc.message_dict
            # Django flattens nested lists of dicts; actions keep the per-member shape aside.
            member_errors = getattr(exc, "member_errors", None)
            if member_errors is not None and any(member_errors):
                detail["member_errors"] = member_errors
            # Some actions name a field differently from the API body (status_date vs date).
            renames = getattr((context or {}).get("view"), "error_field_names", None) or {}
            detail = {renames.get(k, k): v for k, v in detail.items()}
        else:
            detail = {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


class StrictCharField(serializers.CharField):
    """A text field that refuses JSON numbers: a NIK or KK sent as a number has lost digits."""

    default_error_messages = {
        "not_text": serializers.CharField.default_error_messages["invalid"],
    }

    def __init__(self, *args, number_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        if number_message is not None:
            self.error_messages["not_text"] = number_message

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class CanChangeRegistry(permissions.BasePermission):
    """Reading is for any signed-in user (querysets decide what they see); writing needs
    ``Cap.CHANGE_REGISTRY``. On a single record the check waits until the record is found, so a
    record outside the user's scope answers 404 (and is logged), not 403."""

    write_cap = Cap.CHANGE_REGISTRY

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "detail", False):
            return True
        return request.user.can(self.write_cap)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.can(self.write_cap)


class ScopedObjectMixin:
    """``get_object`` through :func:`get_for_user_or_404`: outside the scope is a logged 404.

    Filters from the query string are not applied to single-object lookups.
    """

    def get_object(self):
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        obj = get_for_user_or_404(
            self.request,
            self.get_queryset(),
            **{self.lookup_field: self.kwargs[lookup_url_kwarg]},
        )
        self.check_object_permissions(self.request, obj)
        return obj

    def is_schema_request(self) -> bool:
        return getattr(self, "swagger_fake_view", False)


_DB_INTEGER_LIMITS = {32767, 2147483647, 9223372036854775807}


def drop_database_integer_limits(result, generator, request, public):
    """Integer bounds that come from the database backend (SQLite vs PostgreSQL column sizes)
    are not part of the API contract; dropping them keeps one schema for every backend."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("maximum") in _DB_INTEGER_LIMITS:
                node.pop("maximum", None)
                if node.get("format") == "int64":
                    node.pop("format", None)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result


# --- Record versions over the API: ETag on reads, If-Match on writes (``core.versions``) -------

#: ``If-Match`` is required on a record's PATCH/PUT: without it the write would overwrite
#: whatever someone else saved since the client read the record.
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "The `ETag` of the record as last read (GET answers carry it, and so does every "
        "successful write). A record changed since answers 412 with what changed and who "
        "changed it. `*` writes whatever the record's version (use with care)."
    ),
)
PRECONDITION_FAILED = OpenApiResponse(
    description=(
        "The record changed since the version named in `If-Match`: `{detail, version, etag, "
        "changed: [{field, label, value, by, at}]}`; the answer's `ETag` is the current one."
    )
)
PRECONDITION_REQUIRED = OpenApiResponse(description="The write names no `If-Match`.")

_ETAG = re.compile(r'^(?:W/)?"v?(\d{1,10})"$')


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _(
        "Sertakan header If-Match berisi ETag rekaman ini dari jawaban GET terakhir, agar "
        "perubahan orang lain sejak itu tidak tertimpa."
    )
    default_code = "precondition_required"


def etag(record: versions.VersionedModel) -> str:
    """A record's entity tag: its version, quoted (``"7"``)."""
    return f'"{record.version}"'


def seen_from_if_match(request) -> versions.Seen | None:
    """The version a write is based on, from ``If-Match``; ``None`` for ``*``.

    A missing header is a 428. A tag that is not one of ours can never match: it is read as
    version 0, which no record has, so the action answers 412 with what the record is now.
    """
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        raise PreconditionRequired
    if header == "*":
        return None
    numbers = []
    for part in header.split(","):
        found = _ETAG.match(part.strip())
        if found:
            numbers.append(int(found.group(1)))
    return versions.Seen(version=max(numbers) if numbers else 0)


def with_etag(response: Response, record: versions.VersionedModel) -> Response:
    response["ETag"] = etag(record)
    return response


def conflict_response(exc: versions.VersionConflict) -> Response:
    """412: the write was based on an older version; what changed since, and who changed it."""
    record = exc.record
    lines = exc.lines()
    body = {
        "detail": lines[0],
        "version": record.version,
        "etag": etag(record),
        "changed": [
            {
                "field": change.name,
                "label": change.label,
                "value": change.public,
                "by": change.by_username,
                "at": change.at.isoformat() if change.at else None,
            }
            for change in exc.changes
        ],
    }
    return with_etag(Response(body, status=status.HTTP_412_PRECONDITION_FAILED), record)
