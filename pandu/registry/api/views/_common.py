"""What the registry API views share: schema responses, PPKS prefetch, history, the base viewset."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from pandu.accounts.roles import Cap
from pandu.core.access import record_access
from pandu.core.api import UID_REGEX, CanChangeRegistry, ScopedObjectMixin
from pandu.core.models import AccessLog

from ...filtersets import HouseholdFilterSet, PersonFilterSet
from ...history import history_records
from ...masking import may_see_nik
from ...models import PPKSAssignment
from .. import serializers as s

# The shared FilterSets' ``ppks`` filter takes a PPKS category number; say so in the schema.
for _filterset in (PersonFilterSet, HouseholdFilterSet):
    set_override(
        _filterset.base_filters["ppks"],
        "field",
        {"type": "integer", "description": "PPKS category number (1-26), active records only."},
    )

NOT_FOUND = OpenApiResponse(description="Not found, or outside the caller's area or role.")
FORBIDDEN = OpenApiResponse(description="The caller's role may not change the registry here.")
BAD_INPUT = OpenApiResponse(description="Field errors: `{field: [message, ...]}`.")


def visible_ppks(user, lookup: str = "ppks") -> Prefetch:
    """Only the PPKS the user may see (sensitive categories need to know)."""
    qs = (
        PPKSAssignment.objects.visible_to(user)
        .select_related("category")
        .order_by("category__number", "id")
    )
    return Prefetch(lookup, queryset=qs, to_attr="visible_ppks")


def _has_sensitive(*objs) -> bool:
    return any(a.category.sensitive for o in objs for a in getattr(o, "visible_ppks", ()))


def _log_sensitive_list(request, rows, model_name: str) -> None:
    """One access-log row per list page that shows need-to-know PPKS (never per record)."""
    count = sum(1 for r in rows if _has_sensitive(r))
    if count:
        detail = f"{model_name} list: {count} record(s) with sensitive PPKS"
        record_access(request, AccessLog.Kind.VIEW_SENSITIVE, None, detail=detail)


def _member_errors_as_list(errors, data) -> dict:
    """Members' type errors in the same shape as the action's: ``member_errors`` is a list in the
    order of ``members``, ``{}`` for a member without errors."""
    errors = dict(errors)
    per_member = errors.get("members")
    members = data.get("members") if isinstance(data, dict) else None
    if isinstance(per_member, dict) and isinstance(members, list):
        errors["member_errors"] = [
            per_member.get(i, per_member.get(str(i), {})) for i in range(len(members))
        ]
        errors["members"] = [_("Periksa isian anggota keluarga yang ditandai.")]
    elif isinstance(per_member, list) and per_member and isinstance(per_member[0], dict):
        errors["member_errors"] = per_member
        errors["members"] = [_("Periksa isian anggota keluarga yang ditandai.")]
    return errors


class HistoryMixin:
    # ``GET <record>/history/``: the record's change log, for roles allowed to read history.

    @extend_schema(
        summary="Change history of the record, newest first",
        description=(
            "Who (username), when, type (`+` created, `~` changed), the reason given and each "
            "changed field with its old and new value. Needs the right to read history."
        ),
        responses={
            200: s.HistoryRecordSerializer(many=True),
            403: OpenApiResponse(description="The caller's role may not read history."),
            404: NOT_FOUND,
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        obj = self.get_object()
        if not request.user.can(Cap.VIEW_HISTORY):
            raise PermissionDenied(_("Anda tidak berwenang melihat riwayat perubahan."))
        records = history_records(obj, full_nik=may_see_nik(request.user))
        return Response(s.HistoryRecordSerializer(records, many=True).data)


class RegistryViewSet(ScopedObjectMixin, viewsets.GenericViewSet):
    permission_classes = [CanChangeRegistry]
    lookup_field = "uid"
    lookup_value_regex = UID_REGEX
    http_method_names = ["get", "post", "patch", "head", "options"]
