"""Proposals over the API. Output serializers show batches, items and handovers by uid; input
serializers check the shape of a request only: the rules live in ``proposals.actions``.

No integer key leaves the server and no NIK is ever part of a URL (NIKs travel in bodies).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    BatchStatus,
    Handover,
    HandoverStatus,
    ItemKind,
    ItemStatus,
    MemberResult,
    ProposalBatch,
    ProposalItem,
)

NUMBER_AS_TEXT = _(
    "Kirim NIK dan nomor KK sebagai teks JSON (dalam tanda kutip), bukan angka: angka 16 digit "
    "kehilangan digit terakhirnya di spreadsheet dan di banyak bahasa pemrograman."
)


def _inline_enum(choices, description: str):
    """A choice field documented with its values inline: several models here have a ``status``
    or ``kind`` with different choices, which would otherwise collide as schema components."""

    # Wrapped in allOf so the schema's enum post-processing leaves it inline.
    @extend_schema_field(
        {
            "allOf": [{"type": "string", "enum": [value for value, _label in choices]}],
            "description": description,
        }
    )
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return Field


BatchStatusField = _inline_enum(BatchStatus.choices, "draft, submitted, verified, decided.")
ItemStatusField = _inline_enum(
    ItemStatus.choices,
    "pending (awaiting the visit), verified, approved (not yet in the registry), rejected, "
    "applied (in the registry).",
)
HandoverStatusField = _inline_enum(HandoverStatus.choices, "awaiting, accepted, refused.")
ItemKindField = _inline_enum(
    ItemKind.choices,
    "household_new, member_new, person_change, household_change, ppks, move, death.",
)


def _uid(obj) -> str | None:
    return str(obj.uid) if obj is not None else None


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


class BatchSerializer(serializers.ModelSerializer):
    status = BatchStatusField(read_only=True)
    village = serializers.CharField(source="village_id", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    minutes_url = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    item_count = serializers.SerializerMethodField()

    class Meta:
        model = ProposalBatch
        fields = [
            "uid",
            "ref",
            "village",
            "village_name",
            "meeting_date",
            "status",
            "note",
            "minutes_name",
            "minutes_url",
            "created_by",
            "created_at",
            "submitted_at",
            "verified_at",
            "decided_at",
            "item_count",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_minutes_url(self, obj) -> str | None:
        """Where the minutes are downloaded (only by users who may see the batch)."""
        if not obj.minutes:
            return None
        url = reverse("proposals-api:proposal-batch-minutes", kwargs={"uid": obj.uid})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_created_by(self, obj) -> str | None:
        return _username(obj.created_by)

    def get_item_count(self, obj) -> int:
        count = getattr(obj, "n_items", None)
        return count if count is not None else obj.items.count()


class BatchCreateSerializer(serializers.Serializer):
    village = serializers.CharField(
        max_length=13, help_text="Village code (dotted), e.g. 73.09.13.2003."
    )
    meeting_date = serializers.DateField(help_text="Date of the village meeting (musdes).")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    minutes = serializers.FileField(
        required=False,
        help_text="The minutes (berita acara): PDF, JPG or PNG, at most 10 MB. Send as "
        "multipart/form-data; a batch can only be submitted once it has minutes.",
    )


class MemberResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=MemberResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    name = serializers.CharField(read_only=True)


class ItemSerializer(serializers.ModelSerializer):
    kind = ItemKindField(read_only=True)
    status = ItemStatusField(read_only=True)
    batch = serializers.SerializerMethodField()
    household = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    verified_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    conflicts_with = serializers.SerializerMethodField()
    result_household = serializers.SerializerMethodField()
    result_person = serializers.SerializerMethodField()
    member_results = serializers.DictField(
        child=MemberResultSerializer(),
        read_only=True,
        help_text="Per person named in the item: new members by their position in "
        '`payload.members` ("0", "1", ...), existing people by their uid.',
    )
    payload = serializers.JSONField(read_only=True, help_text="What is proposed; see docs.")
    snapshot = serializers.JSONField(
        read_only=True, help_text="Values of the changed fields when the item was made."
    )
    stale = serializers.JSONField(
        read_only=True,
        help_text="Last conflict found when applying: {field: {before, current, proposed}}.",
    )
    visit_latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        coerce_to_string=False,
        read_only=True,
        help_text="Where the verifier's phone was during the visit (WGS 84 degrees), if recorded.",
    )
    visit_longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, read_only=True
    )
    visit_accuracy = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        help_text="Accuracy of the visit's position in metres, as the phone reported it.",
    )
    visit_located_at = serializers.DateTimeField(
        read_only=True, help_text="When the phone took the visit's position."
    )

    class Meta:
        model = ProposalItem
        fields = [
            "uid",
            "batch",
            "kind",
            "status",
            "area_code",
            "household",
            "person",
            "payload",
            "snapshot",
            "reason",
            "warnings",
            "conflicts_with",
            "visit_planned_on",
            "visited",
            "member_results",
            "verification_note",
            "visit_latitude",
            "visit_longitude",
            "visit_accuracy",
            "visit_located_at",
            "verified_by",
            "verified_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "stale",
            "applied_at",
            "apply_error",
            "result_household",
            "result_person",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_batch(self, obj) -> str:
        return str(obj.batch.uid)

    def get_household(self, obj) -> str | None:
        return _uid(obj.household)

    def get_person(self, obj) -> str | None:
        return _uid(obj.person)

    def get_result_household(self, obj) -> str | None:
        return _uid(obj.result_household)

    def get_result_person(self, obj) -> str | None:
        return _uid(obj.result_person)

    def get_created_by(self, obj) -> str | None:
        return _username(obj.created_by)

    def get_verified_by(self, obj) -> str | None:
        return _username(obj.verified_by)

    def get_decided_by(self, obj) -> str | None:
        return _username(obj.decided_by)

    def get_conflicts_with(self, obj) -> list[str]:
        """Other open items on the same person or family (found when this one was made)."""
        return [str(o.uid) for o in obj.conflicts_with.all()]


class BatchDetailSerializer(BatchSerializer):
    items = serializers.SerializerMethodField()

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, obj) -> Any:
        items = getattr(obj, "visible_items", None)
        if items is None:
            items = obj.items.all()
        return ItemSerializer(items, many=True, context=self.context).data


def _no_numbers(value: Any, path: str, errors: dict[str, list]) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        errors.setdefault(path, []).append(str(NUMBER_AS_TEXT))


class ItemCreateSerializer(serializers.Serializer):
    kind = ItemKindField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    household = serializers.UUIDField(
        required=False,
        help_text="The family (uid) for member_new, household_change, move and household PPKS.",
    )
    person = serializers.UUIDField(
        required=False, help_text="The person (uid) for person_change, death and person PPKS."
    )
    data = serializers.DictField(
        help_text=(
            "household_new: {household: {kk_number, rt, rw, address, ...}, members: [{nik, "
            "full_name, sex, birth_date, relationship, marital_status, ...}]}; member_new: the "
            "member's fields; person_change and household_change: the fields to change; death: "
            "{date}; move: {village, rt, rw, address}; ppks: {category (number 1-26), "
            "identified_on, note}. Dates as YYYY-MM-DD; NIK and KK as text."
        )
    )

    def validate(self, attrs):
        data = attrs["data"]
        errors: dict[str, list] = {}
        kind = attrs["kind"]
        if kind == ItemKind.HOUSEHOLD_NEW:
            if not isinstance(data.get("household"), dict) or not isinstance(
                data.get("members"), list
            ):
                errors["data"] = [_("Kirim {household: {...}, members: [...]}.")]
            else:
                _no_numbers(data["household"].get("kk_number"), "data.household.kk_number", errors)
                for i, m in enumerate(data["members"]):
                    if not isinstance(m, dict):
                        errors.setdefault("data.members", []).append(
                            _("Setiap anggota berupa objek.")
                        )
                        continue
                    _no_numbers(m.get("nik"), f"data.members.{i}.nik", errors)
        else:
            _no_numbers(data.get("nik"), "data.nik", errors)
        needs = {
            ItemKind.MEMBER_NEW: "household",
            ItemKind.HOUSEHOLD_CHANGE: "household",
            ItemKind.MOVE: "household",
            ItemKind.PERSON_CHANGE: "person",
            ItemKind.DEATH: "person",
        }.get(kind)
        if needs and not attrs.get(needs):
            errors[needs] = [_("Wajib untuk jenis usulan ini.")]
        if kind == ItemKind.PPKS and bool(attrs.get("household")) == bool(attrs.get("person")):
            errors["person"] = [_("Pilih orang atau keluarga.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class VerifySerializer(serializers.Serializer):
    results = serializers.DictField(
        child=MemberResultSerializer(),
        help_text="A result for every person the item names: keys as in `member_results` "
        "(the position of a new member, or an existing person's uid).",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    visited = serializers.BooleanField(required=False, default=True)
    resolutions = serializers.DictField(
        child=serializers.ChoiceField(choices=["current", "proposed"]),
        required=False,
        help_text="For fields changed since the proposal: keep the `current` or the `proposed` "
        "value.",
    )
    latitude = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="The phone's position during the visit, WGS 84 degrees (-90 to 90); with "
        "`longitude` and `located_at`, or none of them. Kept to 6 decimals.",
    )
    longitude = serializers.FloatField(
        required=False, allow_null=True, help_text="WGS 84 degrees (-180 to 180)."
    )
    accuracy = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="The position's accuracy in metres (0 or more), as the phone reported it.",
    )
    located_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="When the position was taken; not in the future (5 minutes of clock "
        "difference allowed) nor before the item was made.",
    )


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when rejecting."
    )
    resolutions = serializers.DictField(
        child=serializers.ChoiceField(choices=["current", "proposed"]), required=False
    )


class ResolveSerializer(serializers.Serializer):
    resolutions = serializers.DictField(
        child=serializers.ChoiceField(choices=["current", "proposed"])
    )


class BulkDecideSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=500)
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class BulkSkippedSerializer(serializers.Serializer):
    item = serializers.UUIDField()
    error = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):
    applied = serializers.ListField(child=serializers.UUIDField())
    not_applied = serializers.ListField(child=serializers.UUIDField())
    rejected = serializers.ListField(child=serializers.UUIDField())
    skipped = BulkSkippedSerializer(many=True)


class HandoverSerializer(serializers.ModelSerializer):
    status = HandoverStatusField(read_only=True)
    item = serializers.SerializerMethodField()
    household = serializers.SerializerMethodField()
    from_village = serializers.CharField(source="from_code", read_only=True)
    to_village = serializers.CharField(source="to_code", read_only=True)
    released_by = serializers.SerializerMethodField()
    answered_by = serializers.SerializerMethodField()
    changes = serializers.JSONField(read_only=True, help_text="The new address.")

    class Meta:
        model = Handover
        fields = [
            "uid",
            "item",
            "household",
            "from_village",
            "to_village",
            "changes",
            "status",
            "released_by",
            "released_at",
            "answered_by",
            "answered_at",
            "answer_note",
        ]
        read_only_fields = fields

    def get_item(self, obj) -> str:
        return str(obj.item.uid)

    def get_household(self, obj) -> str:
        return str(obj.household.uid)

    def get_released_by(self, obj) -> str | None:
        return _username(obj.released_by)

    def get_answered_by(self, obj) -> str | None:
        return _username(obj.answered_by)


class HandoverAnswerSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when refusing."
    )
