"""Input serializers: the shape and types of a request; the rules live in actions."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from pandu.core.api import StrictCharField
from pandu.regions.models import Area

from ... import choices as c
from ...models import (
    Household,
    Person,
    PPKSAssignment,
    PPKSCategory,
    PSKSOrganisation,
    PSKSPerson,
    PSKSType,
)
from ._common import DATE_FORMATS, NUMBER_AS_TEXT, _user
from .output import DESIL_FIELDS, HOUSING_FIELDS, BusinessSerializer


def _nik_field(**kwargs):
    return StrictCharField(
        max_length=64,
        number_message=NUMBER_AS_TEXT,
        help_text="16-digit NIK as a string.",
        **kwargs,
    )


class PersonInputSerializer(serializers.ModelSerializer):
    """Fields of a person as typed by an operator; ``registry.actions`` applies the rules."""

    nik = _nik_field()
    # The real limits are checked by validation.clean_name, which explains them.
    full_name = serializers.CharField(max_length=20000, trim_whitespace=True)
    birth_date = serializers.DateField(input_formats=DATE_FORMATS)
    head_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    due_date = serializers.DateField(input_formats=DATE_FORMATS, required=False, allow_null=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    bank_account = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="Bank/KKS account number (digits). Stored in full, shown masked without need.",
    )

    class Meta:
        model = Person
        fields = [
            "nik",
            "full_name",
            "sex",
            "birth_place",
            "birth_date",
            "relationship",
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
        ]


class PersonCreateSerializer(PersonInputSerializer):
    household = serializers.SlugRelatedField(
        slug_field="uid",
        queryset=Household.objects.none(),
        help_text="uid of the household the person joins.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)

    class Meta(PersonInputSerializer.Meta):
        fields = ["household", *PersonInputSerializer.Meta.fields, "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["household"].queryset = Household.objects.visible_to(user)


class PersonUpdateSerializer(PersonInputSerializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Why; kept in the history."
    )

    class Meta(PersonInputSerializer.Meta):
        fields = [*PersonInputSerializer.Meta.fields, "reason"]


class PersonStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[(k, v) for k, v in c.PersonStatus.choices if k != c.PersonStatus.MERGED]
    )
    date = serializers.DateField(input_formats=DATE_FORMATS, help_text="YYYY-MM-DD or DD-MM-YYYY")
    reason = serializers.CharField(max_length=300)


class PersonSearchSerializer(serializers.Serializer):
    nik = _nik_field(required=False)
    kk = StrictCharField(
        max_length=64,
        required=False,
        number_message=NUMBER_AS_TEXT,
        help_text="16-digit KK number as a string: every member of that family card.",
    )

    def validate(self, attrs):
        if bool(attrs.get("nik")) == bool(attrs.get("kk")):
            raise serializers.ValidationError(_("Isi salah satu: nik atau kk."))
        return attrs


class HouseholdInputSerializer(serializers.ModelSerializer):
    village = serializers.CharField(
        max_length=20, help_text="Village code, e.g. 73.09.13.2001 (level 4 area)."
    )
    assets = serializers.ListField(
        child=serializers.ChoiceField(choices=c.Asset.choices), required=False, max_length=50
    )
    cards = serializers.ListField(
        child=serializers.ChoiceField(choices=c.Card.choices), required=False, max_length=50
    )
    livestock = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=1_000_000),
        required=False,
        help_text='Head count per kind, e.g. {"sapi": 2, "unggas": 10}.',
    )
    collected_on = serializers.DateField(
        input_formats=DATE_FORMATS, required=False, allow_null=True
    )
    businesses = BusinessSerializer(many=True, required=False, max_length=20)
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Why; kept in the history."
    )

    class Meta:
        model = Household
        fields = [
            "village", "rt", "rw", "address", *HOUSING_FIELDS, "desil", *DESIL_FIELDS,
            "businesses", "reason",
        ]  # fmt: skip


class HouseholdCreateSerializer(HouseholdInputSerializer):
    kk_number = StrictCharField(
        max_length=64, number_message=NUMBER_AS_TEXT, help_text="16-digit KK number as a string."
    )
    members = PersonInputSerializer(many=True, allow_empty=True, max_length=100)

    class Meta(HouseholdInputSerializer.Meta):
        fields = ["kk_number", *HouseholdInputSerializer.Meta.fields, "members"]


class HouseholdUpdateSerializer(HouseholdInputSerializer):
    breadwinner = serializers.SlugRelatedField(
        slug_field="uid",
        queryset=Person.objects.none(),
        required=False,
        allow_null=True,
        help_text="uid of the member who is the main breadwinner.",
    )

    class Meta(HouseholdInputSerializer.Meta):
        fields = [*HouseholdInputSerializer.Meta.fields[:-1], "breadwinner", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["breadwinner"].queryset = Person.objects.visible_to(user)


class PPKSAssignmentCreateSerializer(serializers.Serializer):
    category = serializers.SlugRelatedField(
        slug_field="number",
        queryset=PPKSCategory.objects.all(),
        help_text="PPKS category number (1-26).",
    )
    person = serializers.SlugRelatedField(
        slug_field="uid", queryset=Person.objects.none(), required=False, allow_null=True
    )
    household = serializers.SlugRelatedField(
        slug_field="uid", queryset=Household.objects.none(), required=False, allow_null=True
    )
    identified_on = serializers.DateField(input_formats=DATE_FORMATS)
    source = serializers.ChoiceField(choices=PPKSAssignment.Source.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    verified = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["person"].queryset = Person.objects.visible_to(user)
            self.fields["household"].queryset = Household.objects.visible_to(user)

    def validate(self, attrs):
        if (attrs.get("person") is None) == (attrs.get("household") is None):
            raise serializers.ValidationError(_("Pilih salah satu: orang atau keluarga."))
        return attrs


class PSKSOrganisationSerializer(serializers.ModelSerializer):
    psks_type = serializers.SlugRelatedField(
        slug_field="number",
        queryset=PSKSType.objects.all(),
        help_text="PSKS type number (organisations: 4, 5, 6, 8, 12).",
    )
    psks_type_name = serializers.CharField(source="psks_type.name", read_only=True)
    area = serializers.SlugRelatedField(
        slug_field="code", queryset=Area.objects.all(), help_text="Area code."
    )
    registered_on = serializers.DateField(
        input_formats=DATE_FORMATS, required=False, allow_null=True
    )
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=300
    )

    class Meta:
        model = PSKSOrganisation
        fields = [
            "uid",
            "psks_type",
            "psks_type_name",
            "name",
            "area",
            "address",
            "legal_status",
            "registration_number",
            "registered_on",
            "active",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = ["uid", "created_at", "updated_at"]


class PSKSPersonSerializer(serializers.ModelSerializer):
    psks_type = serializers.SlugRelatedField(
        slug_field="number",
        queryset=PSKSType.objects.all(),
        help_text="PSKS type number (people: 1, 2, 3, 7, 9, 10, 11).",
    )
    psks_type_name = serializers.CharField(source="psks_type.name", read_only=True)
    person = serializers.SlugRelatedField(
        slug_field="uid", queryset=Person.objects.none(), help_text="uid of the person."
    )
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    area = serializers.SlugRelatedField(
        slug_field="code", queryset=Area.objects.all(), help_text="Area of duty (code)."
    )
    started_on = serializers.DateField(input_formats=DATE_FORMATS, required=False, allow_null=True)
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=300
    )

    class Meta:
        model = PSKSPerson
        fields = [
            "uid",
            "psks_type",
            "psks_type_name",
            "person",
            "person_name",
            "area",
            "registration_number",
            "started_on",
            "active",
            "created_at",
            "reason",
        ]
        read_only_fields = ["uid", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["person"].queryset = Person.objects.visible_to(user)


class NikCheckSerializer(serializers.Serializer):
    nik = StrictCharField(
        max_length=200,
        allow_blank=True,
        trim_whitespace=False,
        number_message=NUMBER_AS_TEXT,
        help_text="The NIK as typed or pasted, as a JSON string.",
    )
    birth_date = serializers.DateField(
        input_formats=DATE_FORMATS,
        required=False,
        allow_null=True,
        help_text="Recorded birth date (YYYY-MM-DD or DD-MM-YYYY), compared with the NIK.",
    )
    sex = serializers.ChoiceField(
        choices=c.Sex.choices,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Recorded sex (L or P), compared with the NIK.",
    )


class NikCheckResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text="Unknown region prefix, and disagreements with the given birth date or sex.",
    )
    sex = serializers.ChoiceField(choices=c.Sex.choices, allow_null=True)
    district_code = serializers.CharField(allow_null=True)
