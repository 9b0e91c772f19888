"""What the personal-data API shows: consents, requests and breaches, by UUID; never a NIK."""

from __future__ import annotations

from rest_framework import serializers

from .. import choices as c
from ..models import Breach, BreachNotice, ConsentRecord, SubjectRequest


class ConsentSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uid", read_only=True)
    programme = serializers.CharField(source="programme.code", read_only=True, default=None)
    organisation = serializers.UUIDField(source="organisation.uid", read_only=True, default=None)
    state = serializers.SerializerMethodField()

    class Meta:
        model = ConsentRecord
        fields = [
            "uid", "person", "purpose", "programme", "organisation", "scope", "given_by",
            "method", "given_on", "valid_until", "withdrawn_on", "withdrawn_by", "state",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_state(self, obj) -> str:
        return obj.state()


class ConsentCheckSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    purpose = serializers.ChoiceField(choices=c.Purpose.choices)
    programme = serializers.CharField(required=False, allow_blank=True)
    consent = serializers.BooleanField(read_only=True)
    restricted = serializers.BooleanField(read_only=True)


class RequestSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uid", read_only=True)
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = SubjectRequest
        fields = [
            "uid", "number", "person", "kind", "channel", "status", "received_at", "ack_due",
            "acknowledged_at", "due_on", "identity_verified", "assignee", "proposed_outcome",
            "closed_at", "overdue",
        ]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.overdue()


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = BreachNotice
        fields = ["uid", "recipient", "method", "sent_at", "reference", "recipients_count"]
        read_only_fields = fields


class BreachSerializer(serializers.ModelSerializer):
    notices = NoticeSerializer(many=True, read_only=True)
    notice_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Breach
        fields = [
            "uid", "number", "area_code", "title", "discovered_at", "categories",
            "specific_data", "people_affected", "people_estimated", "status", "notify_due",
            "subjects_notified_at", "authority_notified_at", "notice_overdue", "notices",
        ]  # fmt: skip
        read_only_fields = fields

    def get_notice_overdue(self, obj) -> bool:
        return obj.notice_overdue()
