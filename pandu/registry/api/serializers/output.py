"""Output serializers: what a user may see of a record."""

from rest_framework import serializers

from pandu.accounts.roles import Cap

from ...masking import nik_for
from ...models import Household, HouseholdBusiness, Person, PPKSAssignment
from ...validation import mask_account
from ._common import _api_url, _user


class PPKSBriefSerializer(serializers.ModelSerializer):
    """A PPKS condition as shown inside a person or household."""

    category = serializers.IntegerField(source="category.number", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    sensitive = serializers.BooleanField(source="category.sensitive", read_only=True)
    verified = serializers.SerializerMethodField()

    class Meta:
        model = PPKSAssignment
        fields = [
            "uid",
            "category",
            "category_name",
            "sensitive",
            "identified_on",
            "source",
            "verified",
            "active",
            "ended_on",
        ]

    def get_verified(self, obj) -> bool:
        return obj.verified_on is not None


class NikMixin:
    """The full NIK for roles that hold ``registry.nik`` (those who register, verify and decide
    on people); every other reader gets it masked, as on the pages (``registry.masking``)."""

    def get_nik(self, obj) -> str:
        return nik_for(_user(self), obj.nik)


PERSON_LIST_FIELDS = [
    "uid",
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "relationship",
    "status",
    "flagged",
    "area_code",
    "village_name",
    "household",
    "kk_number",
    "ppks",
    "url",
]


class PersonListSerializer(NikMixin, serializers.ModelSerializer):
    nik = serializers.SerializerMethodField()
    household = serializers.UUIDField(source="household.uid", read_only=True, allow_null=True)
    kk_number = serializers.CharField(source="household.kk_number", read_only=True, allow_null=True)
    village_name = serializers.CharField(
        source="household.village.name", read_only=True, allow_null=True
    )
    ppks = PPKSBriefSerializer(
        source="visible_ppks",
        many=True,
        read_only=True,
        help_text="PPKS the caller may see (need-to-know categories only with that right).",
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="uid")

    class Meta:
        model = Person
        fields = PERSON_LIST_FIELDS


class PersonDetailSerializer(PersonListSerializer):
    history_url = serializers.SerializerMethodField()
    bank_account = serializers.SerializerMethodField(
        help_text="In full for roles with need to know (registry.accounts), else masked."
    )

    class Meta:
        model = Person
        fields = [
            *PERSON_LIST_FIELDS,
            "birth_place",
            "head_reason",
            "marital_status",
            "has_marriage_certificate",
            "on_family_card",
            "has_id_card",
            "school_participation",
            "education",
            "worked_last_week",
            "work_status",
            "work_sector",
            "disability_type",
            "disability_severity",
            "chronic_illness",
            "school_level",
            "pregnant",
            "pregnancy_months",
            "due_date",
            "health_insurance",
            "phone",
            "bank_name",
            "bank_account",
            "status_date",
            "status_reason",
            "quality_flags",
            "created_at",
            "updated_at",
            "history_url",
        ]

    def get_history_url(self, obj) -> str:
        return _api_url(self, "api:person-history", obj.uid)

    def get_bank_account(self, obj) -> str:
        user = _user(self)
        if user is not None and user.can(Cap.VIEW_ACCOUNTS):
            return obj.bank_account
        return mask_account(obj.bank_account)


class MemberSerializer(NikMixin, serializers.ModelSerializer):
    """A person as listed inside their household."""

    nik = serializers.SerializerMethodField()
    ppks = PPKSBriefSerializer(source="visible_ppks", many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="uid")

    class Meta:
        model = Person
        fields = [
            "uid",
            "nik",
            "full_name",
            "sex",
            "birth_date",
            "relationship",
            "marital_status",
            "status",
            "flagged",
            "ppks",
            "url",
        ]


HOUSEHOLD_LIST_FIELDS = [
    "uid",
    "kk_number",
    "village",
    "village_name",
    "rt",
    "rw",
    "address",
    "status",
    "desil",
    "url",
]


class HouseholdListSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="village_id", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:household-detail", lookup_field="uid")

    class Meta:
        model = Household
        fields = HOUSEHOLD_LIST_FIELDS


HOUSING_FIELDS = [
    "ownership",
    "land_ownership",
    "floor_area",
    "floor_material",
    "wall_material",
    "wall_condition",
    "roof_material",
    "roof_condition",
    "bedrooms",
    "water_source",
    "lighting",
    "wattage",
    "cooking_fuel",
    "toilet_use",
    "toilet_type",
    "waste_disposal",
    "land_area",
    "assets",
    "livestock",
    "has_business",
    "cards",
    "income_monthly",
    "expenditure_monthly",
    "collected_on",
]
#: The welfare rank and where it came from (written by the ranking, an import or by hand).
DESIL_FIELDS = ["desil_source", "desil_reference"]


class BusinessSerializer(serializers.ModelSerializer):
    class Meta:
        model = HouseholdBusiness
        fields = ["kind", "sector", "workers", "turnover_monthly"]


class HouseholdDetailSerializer(HouseholdListSerializer):
    members = MemberSerializer(source="visible_members", many=True, read_only=True)
    ppks = PPKSBriefSerializer(
        source="visible_ppks",
        many=True,
        read_only=True,
        help_text="Household-level PPKS (e.g. Fakir Miskin); members' PPKS are under members.",
    )
    assets = serializers.ListField(child=serializers.CharField(), read_only=True)
    cards = serializers.ListField(child=serializers.CharField(), read_only=True)
    livestock = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    businesses = BusinessSerializer(many=True, read_only=True)
    breadwinner = serializers.UUIDField(
        source="breadwinner.uid", read_only=True, allow_null=True, help_text="uid of the member."
    )
    history_url = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = [
            *HOUSEHOLD_LIST_FIELDS,
            *DESIL_FIELDS,
            *HOUSING_FIELDS,
            "businesses",
            "breadwinner",
            "members",
            "ppks",
            "created_at",
            "updated_at",
            "history_url",
        ]

    def get_history_url(self, obj) -> str:
        return _api_url(self, "api:household-history", obj.uid)


class PPKSAssignmentSerializer(serializers.ModelSerializer):
    category = serializers.IntegerField(source="category.number", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    sensitive = serializers.BooleanField(source="category.sensitive", read_only=True)
    person = serializers.UUIDField(source="person.uid", read_only=True, allow_null=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True, allow_null=True)
    household = serializers.UUIDField(source="household.uid", read_only=True, allow_null=True)
    verified_by = serializers.CharField(
        source="verified_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = PPKSAssignment
        fields = [
            "uid",
            "category",
            "category_name",
            "sensitive",
            "person",
            "person_name",
            "household",
            "area_code",
            "identified_on",
            "source",
            "verified_by",
            "verified_on",
            "active",
            "ended_on",
            "note",
            "created_at",
        ]


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryRecordSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text="Username of who made the change.")
    type = serializers.ChoiceField(choices=[("+", "created"), ("~", "changed"), ("-", "deleted")])
    reason = serializers.CharField()
    changes = HistoryChangeSerializer(many=True)
